CREATE TABLE `submission_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`location` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `submission_keys_created_idx` ON `submission_keys` (`created_at`);--> statement-breakpoint
ALTER TABLE `people` ADD `email_reminders_off` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `people` ADD `anonymised_at` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `retention_months` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `personal_data_anonymised_at` integer;