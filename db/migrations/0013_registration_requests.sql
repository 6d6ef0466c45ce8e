CREATE TABLE `registration_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`event_id` integer NOT NULL,
	`email` text NOT NULL,
	`details` text NOT NULL,
	`locale` text NOT NULL,
	`consent_wording` text NOT NULL,
	`expires_at` integer NOT NULL,
	`confirmed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registration_requests_token_unique` ON `registration_requests` (`token_hash`);--> statement-breakpoint
CREATE INDEX `registration_requests_event_idx` ON `registration_requests` (`event_id`);--> statement-breakpoint
CREATE INDEX `registration_requests_expires_idx` ON `registration_requests` (`expires_at`);