-- The learning section of the activity summaries (see the SQLite migration 0022): a cell key on
-- each anonymous feedback answer, and the data version moved by test scores and feedback forms.
ALTER TABLE "feedback_answers" ADD COLUMN "cell_key" integer;--> statement-breakpoint
UPDATE "feedback_answers" SET "cell_key" = floor(random() * 100)::integer;--> statement-breakpoint
CREATE TRIGGER "feedback_answers_cell_key_insert" BEFORE INSERT ON "feedback_answers" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
--> statement-breakpoint
CREATE TRIGGER "knowledge_test_attempts_reports_version_insert" AFTER INSERT ON "knowledge_test_attempts" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "knowledge_test_attempts_reports_version_update" AFTER UPDATE OF "correct", "total", "submitted_at", "registration_id", "phase" ON "knowledge_test_attempts" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "knowledge_test_attempts_reports_version_delete" AFTER DELETE ON "knowledge_test_attempts" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "feedback_forms_reports_version_insert" AFTER INSERT ON "feedback_forms" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "feedback_forms_reports_version_update" AFTER UPDATE OF "closed_at", "event_id" ON "feedback_forms" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "feedback_forms_reports_version_delete" AFTER DELETE ON "feedback_forms" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
