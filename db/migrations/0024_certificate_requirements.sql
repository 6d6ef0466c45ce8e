CREATE TABLE `certificate_requirements` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`post_test_required` integer DEFAULT false NOT NULL,
	`post_test_min_score` integer,
	`feedback_required` integer DEFAULT false NOT NULL,
	`updated_by_user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "certificate_requirements_min_score_check" CHECK(post_test_min_score IS NULL OR (post_test_min_score BETWEEN 0 AND 100)),
	CONSTRAINT "certificate_requirements_min_needs_test_check" CHECK(post_test_min_score IS NULL OR post_test_required)
);
--> statement-breakpoint
CREATE INDEX `certificate_requirements_updated_by_idx` ON `certificate_requirements` (`updated_by_user_id`);