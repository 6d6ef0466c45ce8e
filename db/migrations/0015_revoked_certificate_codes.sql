CREATE TABLE `revoked_certificate_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`certificate_id` integer NOT NULL,
	`code` text NOT NULL,
	`issued_at` integer NOT NULL,
	`revoked_at` integer NOT NULL,
	`revoked_by_user_id` text,
	`revoke_reason` text,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`revoked_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `revoked_certificate_codes_code_unique` ON `revoked_certificate_codes` (`code`);--> statement-breakpoint
CREATE INDEX `revoked_certificate_codes_certificate_idx` ON `revoked_certificate_codes` (`certificate_id`);--> statement-breakpoint
CREATE INDEX `revoked_certificate_codes_revoked_by_idx` ON `revoked_certificate_codes` (`revoked_by_user_id`);