-- Custom migration (hand-written; re-apply after regenerating the feedback migration).
-- Anonymous feedback answers keep no hidden insertion order: a WITHOUT ROWID table has no rowid
-- (which counts up as rows are inserted and would sit beside the respondents' order); its rows are
-- stored in the order of their random primary key. The table is new and empty here.
DROP TABLE `feedback_answers`;--> statement-breakpoint
CREATE TABLE `feedback_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` integer NOT NULL,
	`rating_overall` integer NOT NULL,
	`rating_content` integer NOT NULL,
	`rating_facilitators` integer NOT NULL,
	`rating_relevance` integer NOT NULL,
	`rating_confidence` integer NOT NULL,
	`comment` text,
	FOREIGN KEY (`form_id`) REFERENCES `feedback_forms`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "feedback_answers_overall_check" CHECK(rating_overall BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_content_check" CHECK(rating_content BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_facilitators_check" CHECK(rating_facilitators BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_relevance_check" CHECK(rating_relevance BETWEEN 1 AND 5),
	CONSTRAINT "feedback_answers_confidence_check" CHECK(rating_confidence BETWEEN 1 AND 5)
) WITHOUT ROWID;--> statement-breakpoint
CREATE INDEX `feedback_answers_form_idx` ON `feedback_answers` (`form_id`,`id`);
