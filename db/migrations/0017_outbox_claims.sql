ALTER TABLE `email_outbox` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claimed_at` integer;