-- Programme names appear in the summaries' filter options (kept with the data version, like the
-- summaries themselves): adding, renaming or removing a programme moves the version too.
CREATE TRIGGER `programmes_reports_version_insert` AFTER INSERT ON `programmes`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `programmes_reports_version_update` AFTER UPDATE OF `name` ON `programmes`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `programmes_reports_version_delete` AFTER DELETE ON `programmes`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
