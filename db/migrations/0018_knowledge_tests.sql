CREATE TABLE `knowledge_test_answers` (
	`attempt_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`option_id` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `option_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `knowledge_test_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `knowledge_test_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`option_id`) REFERENCES `knowledge_test_options`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_test_answers_question_idx` ON `knowledge_test_answers` (`question_id`);--> statement-breakpoint
CREATE INDEX `knowledge_test_answers_option_idx` ON `knowledge_test_answers` (`option_id`);--> statement-breakpoint
CREATE TABLE `knowledge_test_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`test_id` integer NOT NULL,
	`registration_id` integer NOT NULL,
	`phase` text NOT NULL,
	`source` text DEFAULT 'online' NOT NULL,
	`correct` integer,
	`total` integer,
	`submitted_at` integer,
	`recorded_by_user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`test_id`) REFERENCES `knowledge_tests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "knowledge_test_attempts_phase_check" CHECK(phase IN ('pre', 'post')),
	CONSTRAINT "knowledge_test_attempts_source_check" CHECK(source IN ('online', 'paper')),
	CONSTRAINT "knowledge_test_attempts_score_check" CHECK((submitted_at IS NULL AND correct IS NULL AND total IS NULL) OR (submitted_at IS NOT NULL AND total > 0 AND correct >= 0 AND correct <= total))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_test_attempts_registration_phase_unique` ON `knowledge_test_attempts` (`registration_id`,`phase`);--> statement-breakpoint
CREATE INDEX `knowledge_test_attempts_test_idx` ON `knowledge_test_attempts` (`test_id`,`phase`);--> statement-breakpoint
CREATE INDEX `knowledge_test_attempts_recorded_by_idx` ON `knowledge_test_attempts` (`recorded_by_user_id`);--> statement-breakpoint
CREATE TABLE `knowledge_test_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` integer NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`is_correct` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`question_id`) REFERENCES `knowledge_test_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_test_options_question_idx` ON `knowledge_test_options` (`question_id`,`position`);--> statement-breakpoint
CREATE TABLE `knowledge_test_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`test_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`prompt` text NOT NULL,
	`explanation` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`test_id`) REFERENCES `knowledge_tests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "knowledge_test_questions_kind_check" CHECK(kind IN ('single', 'multiple', 'true_false'))
);
--> statement-breakpoint
CREATE INDEX `knowledge_test_questions_test_idx` ON `knowledge_test_questions` (`test_id`,`position`);--> statement-breakpoint
CREATE TABLE `knowledge_tests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`pre_opens_at` integer,
	`pre_closes_at` integer,
	`post_opens_at` integer,
	`post_closes_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "knowledge_tests_pre_order" CHECK(pre_opens_at IS NULL OR pre_closes_at IS NULL OR pre_opens_at <= pre_closes_at),
	CONSTRAINT "knowledge_tests_post_order" CHECK(post_opens_at IS NULL OR post_closes_at IS NULL OR post_opens_at <= post_closes_at)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_tests_event_unique` ON `knowledge_tests` (`event_id`);