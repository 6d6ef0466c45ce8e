CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
-- Added in place (no table rebuild): existing events and everything that hangs off them stay untouched.
ALTER TABLE `events` ADD `check_in_grace_minutes` integer DEFAULT 15 NOT NULL CONSTRAINT "events_grace_check" CHECK(check_in_grace_minutes BETWEEN 0 AND 240);
