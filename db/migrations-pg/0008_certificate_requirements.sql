CREATE TABLE "certificate_requirements" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"post_test_required" boolean DEFAULT false NOT NULL,
	"post_test_min_score" integer,
	"feedback_required" boolean DEFAULT false NOT NULL,
	"updated_by_user_id" text,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000))::bigint NOT NULL,
	"updated_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000))::bigint NOT NULL,
	CONSTRAINT "certificate_requirements_min_score_check" CHECK (post_test_min_score IS NULL OR (post_test_min_score BETWEEN 0 AND 100)),
	CONSTRAINT "certificate_requirements_min_needs_test_check" CHECK (post_test_min_score IS NULL OR post_test_required)
);
--> statement-breakpoint
ALTER TABLE "certificate_requirements" ADD CONSTRAINT "certificate_requirements_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_requirements" ADD CONSTRAINT "certificate_requirements_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificate_requirements_updated_by_idx" ON "certificate_requirements" USING btree ("updated_by_user_id");