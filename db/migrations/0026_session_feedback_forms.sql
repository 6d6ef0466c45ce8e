-- Session feedback forms. Edited by hand after drizzle-kit generate (re-apply if regenerated):
-- - drizzle-kit writes the new column's reference without its ON DELETE clause: a session's form
--   goes with the session (the model refuses to delete a session whose form has answers);
-- - the rebuilt feedback_answers stays a WITHOUT ROWID table (see 0020): no rowid counting the
--   order in which answers came. Its rows are copied unchanged (only two columns become nullable);
-- - dropping the old table dropped its trigger (0022) that gives a row added without a cell key
--   its random one: created again, the same.
DROP INDEX `feedback_forms_event_unique`;--> statement-breakpoint
ALTER TABLE `feedback_forms` ADD `session_id` integer REFERENCES event_sessions(id) ON DELETE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_forms_session_unique` ON `feedback_forms` (`session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_forms_event_unique` ON `feedback_forms` (`event_id`) WHERE session_id IS NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_feedback_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` integer NOT NULL,
	`rating_overall` integer,
	`rating_content` integer NOT NULL,
	`rating_facilitators` integer NOT NULL,
	`rating_relevance` integer NOT NULL,
	`rating_confidence` integer,
	`comment` text,
	`cell_key` integer,
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "feedback_answers_overall_check" CHECK(rating_overall BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_content_check" CHECK(rating_content BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_facilitators_check" CHECK(rating_facilitators BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_relevance_check" CHECK(rating_relevance BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_confidence_check" CHECK(rating_confidence BETWEEN 1 AND 5)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_feedback_answers`("id", "form_id", "rating_overall", "rating_content", "rating_facilitators", "rating_relevance", "rating_confidence", "comment", "cell_key") SELECT "id", "form_id", "rating_overall", "rating_content", "rating_facilitators", "rating_relevance", "rating_confidence", "comment", "cell_key" FROM `feedback_answers`;--> statement-breakpoint
DROP TABLE `feedback_answers`;--> statement-breakpoint
ALTER TABLE `__new_feedback_answers` RENAME TO `feedback_answers`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `feedback_answers_form_idx` ON `feedback_answers` (`form_id`,`id`);--> statement-breakpoint
CREATE TRIGGER `feedback_answers_cell_key_insert` AFTER INSERT ON `feedback_answers` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `feedback_answers` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;