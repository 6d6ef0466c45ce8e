CREATE TABLE `gcm_objectives` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`acronym` text,
	`kind` text NOT NULL,
	`country` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "organisations_kind_check" CHECK(kind IN ('donor', 'government_partner', 'implementing_office', 'media', 'other'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_name_unique` ON `organisations` (`name`);--> statement-breakpoint
CREATE INDEX `organisations_kind_idx` ON `organisations` (`kind`);--> statement-breakpoint
CREATE INDEX `organisations_country_idx` ON `organisations` (`country`);--> statement-breakpoint
CREATE TABLE `programme_funding` (
	`programme_id` integer NOT NULL,
	`donor_organisation_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`programme_id`, `donor_organisation_id`),
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`donor_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `programme_funding_donor_idx` ON `programme_funding` (`donor_organisation_id`);--> statement-breakpoint
CREATE TABLE `programmes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`code` text,
	`description` text,
	`start_date` text,
	`end_date` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "programmes_dates_check" CHECK(start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programmes_name_unique` ON `programmes` (`name`);--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`absolute_expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `auth_sessions_user_idx` ON `auth_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `password_reset_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "password_reset_tokens_purpose_check" CHECK(purpose IN ('reset', 'invite'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_reset_tokens_hash_unique` ON `password_reset_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_reset_tokens_user_idx` ON `password_reset_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`role` text NOT NULL,
	`organisation_id` integer,
	`locale` text,
	`email_reminders_off` integer DEFAULT false NOT NULL,
	`disabled_at` integer,
	`last_login_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "users_role_check" CHECK(role IN ('admin', 'coordinator', 'facilitator', 'participant', 'partner', 'donor'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_organisation_idx` ON `users` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `users_role_idx` ON `users` (`role`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`given_name` text NOT NULL,
	`family_name` text NOT NULL,
	`email` text,
	`phone` text,
	`sex` text,
	`organisation_id` integer,
	`position` text,
	`role_category` text,
	`nationality` text,
	`dietary_needs` text,
	`accessibility_needs` text,
	`user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "people_sex_check" CHECK(sex IS NULL OR sex IN ('female', 'male', 'other', 'undisclosed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `people_user_unique` ON `people` (`user_id`);--> statement-breakpoint
CREATE INDEX `people_organisation_idx` ON `people` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `people_name_idx` ON `people` (`family_name`,`given_name`);--> statement-breakpoint
CREATE TABLE `event_gcm_objectives` (
	`event_id` integer NOT NULL,
	`objective_id` integer NOT NULL,
	PRIMARY KEY(`event_id`, `objective_id`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`objective_id`) REFERENCES `gcm_objectives`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `event_gcm_objectives_objective_idx` ON `event_gcm_objectives` (`objective_id`);--> statement-breakpoint
CREATE TABLE `event_partners` (
	`event_id` integer NOT NULL,
	`organisation_id` integer NOT NULL,
	PRIMARY KEY(`event_id`, `organisation_id`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `event_partners_organisation_idx` ON `event_partners` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `event_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`title` text NOT NULL,
	`kind` text DEFAULT 'presentation' NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`room` text,
	`description` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "event_sessions_kind_check" CHECK(kind IN ('presentation', 'exercise', 'group_work', 'discussion', 'field_visit', 'opening', 'break', 'other')),
	CONSTRAINT "event_sessions_order_check" CHECK(ends_at > starts_at)
);
--> statement-breakpoint
CREATE INDEX `event_sessions_event_starts_idx` ON `event_sessions` (`event_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`type` text NOT NULL,
	`description` text,
	`programme_id` integer,
	`country` text NOT NULL,
	`locality` text,
	`venue` text,
	`time_zone` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`capacity` integer,
	`target_roles` text DEFAULT '[]' NOT NULL,
	`topics` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`registration_opens_at` integer,
	`registration_closes_at` integer,
	`completion_threshold` integer DEFAULT 80 NOT NULL,
	`requires_approval` integer DEFAULT false NOT NULL,
	`consent_text` text,
	`check_in_days` text DEFAULT '[30,60,90]' NOT NULL,
	`origin_follow_up_request_id` integer,
	`created_by_user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`origin_follow_up_request_id`) REFERENCES `follow_up_requests`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "events_type_check" CHECK(type IN ('training', 'workshop', 'seminar', 'media_training', 'other')),
	CONSTRAINT "events_status_check" CHECK(status IN ('draft', 'open', 'in_progress', 'completed', 'reported', 'cancelled')),
	CONSTRAINT "events_dates_check" CHECK(start_date <= end_date),
	CONSTRAINT "events_capacity_check" CHECK(capacity IS NULL OR capacity > 0),
	CONSTRAINT "events_threshold_check" CHECK(completion_threshold BETWEEN 0 AND 100),
	CONSTRAINT "events_registration_window_check" CHECK(registration_opens_at IS NULL OR registration_closes_at IS NULL OR registration_opens_at <= registration_closes_at)
);
--> statement-breakpoint
CREATE INDEX `events_programme_idx` ON `events` (`programme_id`);--> statement-breakpoint
CREATE INDEX `events_country_idx` ON `events` (`country`);--> statement-breakpoint
CREATE INDEX `events_status_idx` ON `events` (`status`);--> statement-breakpoint
CREATE INDEX `events_start_date_idx` ON `events` (`start_date`);--> statement-breakpoint
CREATE INDEX `events_origin_follow_up_idx` ON `events` (`origin_follow_up_request_id`);--> statement-breakpoint
CREATE INDEX `events_created_by_idx` ON `events` (`created_by_user_id`);--> statement-breakpoint
CREATE TABLE `follow_up_request_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`author_user_id` text,
	`from_status` text,
	`to_status` text,
	`comment` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `follow_up_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `follow_up_request_entries_request_idx` ON `follow_up_request_entries` (`request_id`);--> statement-breakpoint
CREATE INDEX `follow_up_request_entries_author_idx` ON `follow_up_request_entries` (`author_user_id`);--> statement-breakpoint
CREATE TABLE `follow_up_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`country` text NOT NULL,
	`localities` text DEFAULT '[]' NOT NULL,
	`target_audience` text,
	`role_categories` text DEFAULT '[]' NOT NULL,
	`estimated_participants` integer,
	`desired_from` text,
	`desired_to` text,
	`priority` text DEFAULT 'normal' NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`requesting_organisation_id` integer,
	`origin_event_id` integer,
	`created_by_user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`requesting_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`origin_event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "follow_up_requests_status_check" CHECK(status IN ('received', 'under_review', 'accepted', 'scheduled', 'declined')),
	CONSTRAINT "follow_up_requests_priority_check" CHECK(priority IN ('low', 'normal', 'high')),
	CONSTRAINT "follow_up_requests_period_check" CHECK(desired_from IS NULL OR desired_to IS NULL OR desired_from <= desired_to),
	CONSTRAINT "follow_up_requests_estimate_check" CHECK(estimated_participants IS NULL OR estimated_participants > 0)
);
--> statement-breakpoint
CREATE INDEX `follow_up_requests_status_idx` ON `follow_up_requests` (`status`);--> statement-breakpoint
CREATE INDEX `follow_up_requests_org_idx` ON `follow_up_requests` (`requesting_organisation_id`);--> statement-breakpoint
CREATE INDEX `follow_up_requests_origin_event_idx` ON `follow_up_requests` (`origin_event_id`);--> statement-breakpoint
CREATE INDEX `follow_up_requests_created_by_idx` ON `follow_up_requests` (`created_by_user_id`);--> statement-breakpoint
CREATE TABLE `session_facilitators` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`user_id` text,
	`person_id` integer,
	FOREIGN KEY (`session_id`) REFERENCES `event_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "session_facilitators_who_check" CHECK((user_id IS NULL) <> (person_id IS NULL))
);
--> statement-breakpoint
CREATE INDEX `session_facilitators_session_idx` ON `session_facilitators` (`session_id`);--> statement-breakpoint
CREATE INDEX `session_facilitators_user_idx` ON `session_facilitators` (`user_id`);--> statement-breakpoint
CREATE INDEX `session_facilitators_person_idx` ON `session_facilitators` (`person_id`);--> statement-breakpoint
CREATE TABLE `attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`registration_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`status` text NOT NULL,
	`method` text DEFAULT 'manual' NOT NULL,
	`recorded_by_user_id` text,
	`recorded_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `event_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "attendance_status_check" CHECK(status IN ('present', 'late', 'absent', 'excused')),
	CONSTRAINT "attendance_method_check" CHECK(method IN ('manual', 'qr', 'code', 'import'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_registration_session_unique` ON `attendance` (`registration_id`,`session_id`);--> statement-breakpoint
CREATE INDEX `attendance_session_idx` ON `attendance` (`session_id`);--> statement-breakpoint
CREATE INDEX `attendance_recorded_by_idx` ON `attendance` (`recorded_by_user_id`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`registration_id` integer NOT NULL,
	`code` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by_user_id` text,
	`revoked_at` integer,
	`revoked_by_user_id` text,
	`revoke_reason` text,
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`issued_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_registration_unique` ON `certificates` (`registration_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_unique` ON `certificates` (`code`);--> statement-breakpoint
CREATE INDEX `certificates_issued_by_idx` ON `certificates` (`issued_by_user_id`);--> statement-breakpoint
CREATE INDEX `certificates_revoked_by_idx` ON `certificates` (`revoked_by_user_id`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`event_id` integer,
	`wording` text NOT NULL,
	`given_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `consents_person_idx` ON `consents` (`person_id`);--> statement-breakpoint
CREATE INDEX `consents_event_idx` ON `consents` (`event_id`);--> statement-breakpoint
CREATE TABLE `registrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`event_role` text DEFAULT 'participant' NOT NULL,
	`status` text NOT NULL,
	`nominated_by_user_id` text,
	`status_changed_at` integer NOT NULL,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`nominated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "registrations_role_check" CHECK(event_role IN ('participant', 'facilitator', 'observer', 'organiser')),
	CONSTRAINT "registrations_status_check" CHECK(status IN ('nominated', 'applied', 'confirmed', 'waitlisted', 'declined', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_event_person_unique` ON `registrations` (`event_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `registrations_person_idx` ON `registrations` (`person_id`);--> statement-breakpoint
CREATE INDEX `registrations_event_status_idx` ON `registrations` (`event_id`,`status`);--> statement-breakpoint
CREATE INDEX `registrations_nominated_by_idx` ON `registrations` (`nominated_by_user_id`);--> statement-breakpoint
CREATE TABLE `action_plan_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`author_user_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `action_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `action_plan_comments_plan_idx` ON `action_plan_comments` (`plan_id`);--> statement-breakpoint
CREATE INDEX `action_plan_comments_author_idx` ON `action_plan_comments` (`author_user_id`);--> statement-breakpoint
CREATE TABLE `action_plan_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`action` text NOT NULL,
	`target_date` text,
	`responsible` text,
	`indicator` text,
	`status` text DEFAULT 'planned' NOT NULL,
	`validated_at` integer,
	`validated_by_user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `action_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`validated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "action_plan_items_status_check" CHECK(status IN ('planned', 'in_progress', 'done', 'blocked'))
);
--> statement-breakpoint
CREATE INDEX `action_plan_items_plan_idx` ON `action_plan_items` (`plan_id`,`position`);--> statement-breakpoint
CREATE INDEX `action_plan_items_status_idx` ON `action_plan_items` (`status`);--> statement-breakpoint
CREATE INDEX `action_plan_items_validated_by_idx` ON `action_plan_items` (`validated_by_user_id`);--> statement-breakpoint
CREATE TABLE `action_plan_members` (
	`plan_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `person_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `action_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `action_plan_members_person_idx` ON `action_plan_members` (`person_id`);--> statement-breakpoint
CREATE TABLE `action_plan_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`author_user_id` text,
	`note` text NOT NULL,
	`status_after` text,
	`attachment_name` text,
	`attachment_path` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `action_plan_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `action_plan_updates_item_idx` ON `action_plan_updates` (`item_id`);--> statement-breakpoint
CREATE INDEX `action_plan_updates_author_idx` ON `action_plan_updates` (`author_user_id`);--> statement-breakpoint
CREATE TABLE `action_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`is_template` integer DEFAULT false NOT NULL,
	`submitted_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "action_plans_status_check" CHECK(status IN ('draft', 'submitted'))
);
--> statement-breakpoint
CREATE INDEX `action_plans_event_idx` ON `action_plans` (`event_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity_type` text,
	`entity_id` text,
	`details` text,
	`ip` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user_idx` ON `audit_log` (`user_id`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`);--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`message_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`user_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "email_outbox_status_check" CHECK(status IN ('pending', 'sending', 'sent', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_message_id_unique` ON `email_outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `email_outbox_status_next_idx` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_user_idx` ON `email_outbox` (`user_id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
