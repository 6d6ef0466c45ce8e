-- The coordinator's needs "plans to review" and "check-ins due" read plans, their items (both move the
-- 'reports' version), the comments on plans, the progress recorded on items and the role of a
-- comment's author: the last three move a version of their own, so that the events with those needs
-- can be kept (app/models/needs.server.ts) until any of it changes.
INSERT OR IGNORE INTO `data_versions` (`name`, `n`) VALUES ('plan_activity', 0);
--> statement-breakpoint
CREATE TRIGGER `action_plan_comments_activity_version_insert` AFTER INSERT ON `action_plan_comments`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_comments_activity_version_update` AFTER UPDATE ON `action_plan_comments`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_comments_activity_version_delete` AFTER DELETE ON `action_plan_comments`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_updates_activity_version_insert` AFTER INSERT ON `action_plan_updates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_updates_activity_version_update` AFTER UPDATE ON `action_plan_updates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `action_plan_updates_activity_version_delete` AFTER DELETE ON `action_plan_updates`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `users_activity_version_update` AFTER UPDATE OF `role` ON `users`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
--> statement-breakpoint
CREATE TRIGGER `users_activity_version_delete` AFTER DELETE ON `users`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'plan_activity'; END;
