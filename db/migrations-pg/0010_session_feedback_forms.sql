DROP INDEX "feedback_forms_event_unique";--> statement-breakpoint
ALTER TABLE "feedback_answers" ALTER COLUMN "rating_overall" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_answers" ALTER COLUMN "rating_confidence" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD COLUMN "session_id" integer;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_session_id_event_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_forms_session_unique" ON "feedback_forms" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_forms_event_unique" ON "feedback_forms" USING btree ("event_id") WHERE session_id IS NULL;