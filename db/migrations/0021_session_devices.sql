ALTER TABLE `auth_sessions` ADD `user_agent` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `last_used_at` integer;