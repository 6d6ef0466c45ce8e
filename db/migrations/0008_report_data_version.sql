CREATE TABLE `data_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `data_versions` (`name`, `n`) VALUES ('reports', 0);
--> statement-breakpoint
CREATE TRIGGER `events_reports_version_insert` AFTER INSERT ON `events`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `events_reports_version_update` AFTER UPDATE ON `events`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `events_reports_version_delete` AFTER DELETE ON `events`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `registrations_reports_version_insert` AFTER INSERT ON `registrations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `registrations_reports_version_update` AFTER UPDATE ON `registrations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `registrations_reports_version_delete` AFTER DELETE ON `registrations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `people_reports_version_insert` AFTER INSERT ON `people`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `people_reports_version_update` AFTER UPDATE ON `people`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `people_reports_version_delete` AFTER DELETE ON `people`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `organisations_reports_version_insert` AFTER INSERT ON `organisations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `organisations_reports_version_update` AFTER UPDATE ON `organisations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `organisations_reports_version_delete` AFTER DELETE ON `organisations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_reports_version_insert` AFTER INSERT ON `certificates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_reports_version_update` AFTER UPDATE ON `certificates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `certificates_reports_version_delete` AFTER DELETE ON `certificates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plans_reports_version_insert` AFTER INSERT ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plans_reports_version_update` AFTER UPDATE ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plans_reports_version_delete` AFTER DELETE ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_reports_version_insert` AFTER INSERT ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_reports_version_update` AFTER UPDATE ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_reports_version_delete` AFTER DELETE ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `follow_up_requests_reports_version_insert` AFTER INSERT ON `follow_up_requests`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `follow_up_requests_reports_version_update` AFTER UPDATE ON `follow_up_requests`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `follow_up_requests_reports_version_delete` AFTER DELETE ON `follow_up_requests`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_partners_reports_version_insert` AFTER INSERT ON `event_partners`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_partners_reports_version_update` AFTER UPDATE ON `event_partners`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_partners_reports_version_delete` AFTER DELETE ON `event_partners`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_gcm_objectives_reports_version_insert` AFTER INSERT ON `event_gcm_objectives`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_gcm_objectives_reports_version_update` AFTER UPDATE ON `event_gcm_objectives`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `event_gcm_objectives_reports_version_delete` AFTER DELETE ON `event_gcm_objectives`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `programme_funding_reports_version_insert` AFTER INSERT ON `programme_funding`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `programme_funding_reports_version_update` AFTER UPDATE ON `programme_funding`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `programme_funding_reports_version_delete` AFTER DELETE ON `programme_funding`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
