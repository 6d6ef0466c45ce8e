CREATE TABLE `feedback_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` integer NOT NULL,
	`rating_overall` integer NOT NULL,
	`rating_content` integer NOT NULL,
	`rating_facilitators` integer NOT NULL,
	`rating_relevance` integer NOT NULL,
	`rating_confidence` integer NOT NULL,
	`comment` text,
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "feedback_answers_overall_check" CHECK(rating_overall BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_content_check" CHECK(rating_content BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_facilitators_check" CHECK(rating_facilitators BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_relevance_check" CHECK(rating_relevance BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_confidence_check" CHECK(rating_confidence BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE INDEX `feedback_answers_form_idx` ON `feedback_answers` (`form_id`,`id`);--> statement-breakpoint
CREATE TABLE `feedback_forms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`opened_by_user_id` text,
	`closed_at` integer,
	`reminder_sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`opened_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_forms_event_unique` ON `feedback_forms` (`event_id`);--> statement-breakpoint
CREATE INDEX `feedback_forms_opened_by_idx` ON `feedback_forms` (`opened_by_user_id`);--> statement-breakpoint
CREATE TABLE `feedback_respondents` (
	`form_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	PRIMARY KEY(`form_id`, `person_id`),
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feedback_respondents_person_idx` ON `feedback_respondents` (`person_id`);