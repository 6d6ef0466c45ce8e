-- The every-agency action-plan figures (/action-plans for coordinators) read plans, their items and
-- members, the officers' organisations and the events' time zones, and nothing else: they are kept
-- with a version of their own, so registrations and attendance (which move the 'reports' version all
-- day long) no longer make the next coordinator count every plan again.
INSERT INTO `data_versions` (`name`, `n`) VALUES ('action_plans', 0);
--> statement-breakpoint
CREATE TRIGGER `action_plans_plans_version_insert` AFTER INSERT ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plans_plans_version_update` AFTER UPDATE ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plans_plans_version_delete` AFTER DELETE ON `action_plans`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_plans_version_insert` AFTER INSERT ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_plans_version_update` AFTER UPDATE ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_plans_version_delete` AFTER DELETE ON `action_plan_items`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_members_plans_version_insert` AFTER INSERT ON `action_plan_members`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_members_plans_version_update` AFTER UPDATE ON `action_plan_members`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_members_plans_version_delete` AFTER DELETE ON `action_plan_members`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `people_plans_version_update` AFTER UPDATE OF `organisation_id` ON `people`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `people_plans_version_delete` AFTER DELETE ON `people`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `organisations_plans_version_update` AFTER UPDATE OF `name`, `country` ON `organisations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `organisations_plans_version_delete` AFTER DELETE ON `organisations`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `events_plans_version_update` AFTER UPDATE OF `time_zone` ON `events`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
--> statement-breakpoint
CREATE TRIGGER `events_plans_version_delete` AFTER DELETE ON `events`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'action_plans'; END;
