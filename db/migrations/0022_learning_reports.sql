-- The learning section of the activity summaries: satisfaction figures for donors pass through the
-- disclosure control, so each anonymous feedback answer carries a random cell key like the other
-- counted units (migration 0014). Answers given before this migration get theirs below.
ALTER TABLE `feedback_answers` ADD `cell_key` integer;--> statement-breakpoint
UPDATE `feedback_answers` SET `cell_key` = abs(random()) % 100;--> statement-breakpoint
CREATE TRIGGER `feedback_answers_cell_key_insert` AFTER INSERT ON `feedback_answers` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `feedback_answers` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
-- Summaries are kept until the data they read changes (migrations 0008, 0011): they now read test
-- scores and closed feedback forms. A form's answers change only while it is open, and an open
-- form counts in no summary, so the forms' own rows (opening, closing for good, deletion) are what
-- moves the version.
CREATE TRIGGER `knowledge_test_attempts_reports_version_insert` AFTER INSERT ON `knowledge_test_attempts`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_test_attempts_reports_version_update` AFTER UPDATE OF `correct`, `total`, `submitted_at`, `registration_id`, `phase` ON `knowledge_test_attempts`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_test_attempts_reports_version_delete` AFTER DELETE ON `knowledge_test_attempts`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `feedback_forms_reports_version_insert` AFTER INSERT ON `feedback_forms`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `feedback_forms_reports_version_update` AFTER UPDATE OF `closed_at`, `event_id` ON `feedback_forms`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
--> statement-breakpoint
CREATE TRIGGER `feedback_forms_reports_version_delete` AFTER DELETE ON `feedback_forms`
BEGIN UPDATE `data_versions` SET `n` = `n` + 1 WHERE `name` = 'reports'; END;
