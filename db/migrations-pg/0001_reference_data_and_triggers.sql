-- PostgreSQL's counterpart of what the SQLite migrations 0001, 0007, 0008, 0011, 0012 and 0014 do
-- with data and triggers: the same reference data, the same stored counts and data versions, the
-- same append-only audit log and cell keys, kept by the database whatever code writes.
-- The 23 objectives of the Global Compact for Migration (reference data).
INSERT INTO "gcm_objectives" ("id", "title") VALUES
  (1, 'Collect and utilize accurate and disaggregated data as a basis for evidence-based policies'),
  (2, 'Minimize the adverse drivers and structural factors that compel people to leave their country of origin'),
  (3, 'Provide accurate and timely information at all stages of migration'),
  (4, 'Ensure that all migrants have proof of legal identity and adequate documentation'),
  (5, 'Enhance availability and flexibility of pathways for regular migration'),
  (6, 'Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work'),
  (7, 'Address and reduce vulnerabilities in migration'),
  (8, 'Save lives and establish coordinated international efforts on missing migrants'),
  (9, 'Strengthen the transnational response to smuggling of migrants'),
  (10, 'Prevent, combat and eradicate trafficking in persons in the context of international migration'),
  (11, 'Manage borders in an integrated, secure and coordinated manner'),
  (12, 'Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral'),
  (13, 'Use migration detention only as a measure of last resort and work towards alternatives'),
  (14, 'Enhance consular protection, assistance and cooperation throughout the migration cycle'),
  (15, 'Provide access to basic services for migrants'),
  (16, 'Empower migrants and societies to realize full inclusion and social cohesion'),
  (17, 'Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration'),
  (18, 'Invest in skills development and facilitate mutual recognition of skills, qualifications and competences'),
  (19, 'Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries'),
  (20, 'Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants'),
  (21, 'Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration'),
  (22, 'Establish mechanisms for the portability of social security entitlements and earned benefits'),
  (23, 'Strengthen international cooperation and global partnerships for safe, orderly and regular migration')
ON CONFLICT ("id") DO UPDATE SET "title" = excluded."title";
--> statement-breakpoint
INSERT INTO "data_versions" ("name", "n") VALUES ('reports', 0), ('action_plans', 0) ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
-- The audit log is append-only: the database itself refuses to change or delete an entry.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
-- Stored attendance counts (THE definition in app/models/completion.server.ts): a session counts
-- unless it is a break; attended = marked present or late; excused = marked excused.
CREATE FUNCTION "attendance_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') AND (SELECT "kind" FROM "event_sessions" WHERE "id" = OLD."session_id") <> 'break' THEN
    UPDATE "registrations" SET "attended_sessions" = "attended_sessions" - (OLD."status" IN ('present', 'late'))::int,
                               "excused_sessions" = "excused_sessions" - (OLD."status" = 'excused')::int
    -- not when the marks go because the event does (its registrations go too; updating one would
    -- re-check its reference to the event already deleted)
    WHERE "id" = OLD."registration_id" AND EXISTS (SELECT 1 FROM "events" e WHERE e."id" = "registrations"."event_id");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (SELECT "kind" FROM "event_sessions" WHERE "id" = NEW."session_id") <> 'break' THEN
    UPDATE "registrations" SET "attended_sessions" = "attended_sessions" + (NEW."status" IN ('present', 'late'))::int,
                               "excused_sessions" = "excused_sessions" + (NEW."status" = 'excused')::int
    WHERE "id" = NEW."registration_id";
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "attendance_counts_insert" AFTER INSERT ON "attendance" FOR EACH ROW EXECUTE FUNCTION "attendance_counts"();
--> statement-breakpoint
CREATE TRIGGER "attendance_counts_delete" AFTER DELETE ON "attendance" FOR EACH ROW EXECUTE FUNCTION "attendance_counts"();
--> statement-breakpoint
CREATE TRIGGER "attendance_counts_update" AFTER UPDATE OF "status", "session_id", "registration_id" ON "attendance" FOR EACH ROW EXECUTE FUNCTION "attendance_counts"();
--> statement-breakpoint
-- a session's marks go before the session does (the cascade would run after the session row is
-- gone, when its kind can no longer be read)
CREATE FUNCTION "event_sessions_marks_first"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "attendance" WHERE "session_id" = OLD."id";
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "event_sessions_counts_before_delete" BEFORE DELETE ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "event_sessions_marks_first"();
--> statement-breakpoint
CREATE FUNCTION "event_sessions_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was integer := 0;
  now_counted integer := 0;
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN was := (OLD."kind" <> 'break')::int; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN now_counted := (NEW."kind" <> 'break')::int; END IF;
  IF TG_OP = 'UPDATE' AND was = now_counted AND OLD."event_id" = NEW."event_id" THEN RETURN NULL; END IF;
  IF was <> 0 THEN
    UPDATE "events" SET "counted_sessions" = "counted_sessions" - 1 WHERE "id" = OLD."event_id";
  END IF;
  IF now_counted <> 0 THEN
    UPDATE "events" SET "counted_sessions" = "counted_sessions" + 1 WHERE "id" = NEW."event_id";
  END IF;
  IF TG_OP = 'UPDATE' AND was <> now_counted THEN
    UPDATE "registrations" r SET
      "attended_sessions" = r."attended_sessions" + (now_counted - was) *
        (SELECT count(*) FROM "attendance" a WHERE a."registration_id" = r."id" AND a."session_id" = NEW."id" AND a."status" IN ('present', 'late')),
      "excused_sessions" = r."excused_sessions" + (now_counted - was) *
        (SELECT count(*) FROM "attendance" a WHERE a."registration_id" = r."id" AND a."session_id" = NEW."id" AND a."status" = 'excused')
    WHERE r."id" IN (SELECT "registration_id" FROM "attendance" WHERE "session_id" = NEW."id");
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "event_sessions_counts_insert" AFTER INSERT ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "event_sessions_counts"();
--> statement-breakpoint
CREATE TRIGGER "event_sessions_counts_delete" AFTER DELETE ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "event_sessions_counts"();
--> statement-breakpoint
CREATE TRIGGER "event_sessions_counts_update" AFTER UPDATE OF "kind", "event_id" ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "event_sessions_counts"();
--> statement-breakpoint
-- Data versions: a counter moved by every change to the data a cached computation reads (the
-- 'reports' summaries, the every-agency 'action_plans' figures); the name is the trigger's argument.
CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_versions" SET "n" = "n" + 1 WHERE "name" = TG_ARGV[0];
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "events_reports_version_insert" AFTER INSERT ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "events_reports_version_update" AFTER UPDATE ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "events_reports_version_delete" AFTER DELETE ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "registrations_reports_version_insert" AFTER INSERT ON "registrations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "registrations_reports_version_update" AFTER UPDATE ON "registrations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "registrations_reports_version_delete" AFTER DELETE ON "registrations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "people_reports_version_insert" AFTER INSERT ON "people" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "people_reports_version_update" AFTER UPDATE ON "people" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "people_reports_version_delete" AFTER DELETE ON "people" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "organisations_reports_version_insert" AFTER INSERT ON "organisations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "organisations_reports_version_update" AFTER UPDATE ON "organisations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "organisations_reports_version_delete" AFTER DELETE ON "organisations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "certificates_reports_version_insert" AFTER INSERT ON "certificates" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "certificates_reports_version_update" AFTER UPDATE ON "certificates" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "certificates_reports_version_delete" AFTER DELETE ON "certificates" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plans_reports_version_insert" AFTER INSERT ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plans_reports_version_update" AFTER UPDATE ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plans_reports_version_delete" AFTER DELETE ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_reports_version_insert" AFTER INSERT ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_reports_version_update" AFTER UPDATE ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_reports_version_delete" AFTER DELETE ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "follow_up_requests_reports_version_insert" AFTER INSERT ON "follow_up_requests" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "follow_up_requests_reports_version_update" AFTER UPDATE ON "follow_up_requests" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "follow_up_requests_reports_version_delete" AFTER DELETE ON "follow_up_requests" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_partners_reports_version_insert" AFTER INSERT ON "event_partners" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_partners_reports_version_update" AFTER UPDATE ON "event_partners" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_partners_reports_version_delete" AFTER DELETE ON "event_partners" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_gcm_objectives_reports_version_insert" AFTER INSERT ON "event_gcm_objectives" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_gcm_objectives_reports_version_update" AFTER UPDATE ON "event_gcm_objectives" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "event_gcm_objectives_reports_version_delete" AFTER DELETE ON "event_gcm_objectives" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programme_funding_reports_version_insert" AFTER INSERT ON "programme_funding" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programme_funding_reports_version_update" AFTER UPDATE ON "programme_funding" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programme_funding_reports_version_delete" AFTER DELETE ON "programme_funding" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programmes_reports_version_insert" AFTER INSERT ON "programmes" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programmes_reports_version_update" AFTER UPDATE OF "name" ON "programmes" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "programmes_reports_version_delete" AFTER DELETE ON "programmes" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('reports');
--> statement-breakpoint
CREATE TRIGGER "action_plans_plans_version_insert" AFTER INSERT ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plans_plans_version_update" AFTER UPDATE ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plans_plans_version_delete" AFTER DELETE ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_plans_version_insert" AFTER INSERT ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_plans_version_update" AFTER UPDATE ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_plans_version_delete" AFTER DELETE ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_members_plans_version_insert" AFTER INSERT ON "action_plan_members" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_members_plans_version_update" AFTER UPDATE ON "action_plan_members" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "action_plan_members_plans_version_delete" AFTER DELETE ON "action_plan_members" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "people_plans_version_update" AFTER UPDATE OF "organisation_id" ON "people" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "people_plans_version_delete" AFTER DELETE ON "people" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "organisations_plans_version_update" AFTER UPDATE OF "name", "country" ON "organisations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "organisations_plans_version_delete" AFTER DELETE ON "organisations" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "events_plans_version_update" AFTER UPDATE OF "time_zone" ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
CREATE TRIGGER "events_plans_version_delete" AFTER DELETE ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_data_version"('action_plans');
--> statement-breakpoint
-- Every unit a donor's figures count carries a random key from 0 to 99, given once at insert
-- (app/models/disclosure.server.ts), whatever code inserts it.
CREATE FUNCTION "give_cell_key"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."cell_key" IS NULL THEN NEW."cell_key" := floor(random() * 100)::int; END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "people_cell_key_insert" BEFORE INSERT ON "people" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
--> statement-breakpoint
CREATE TRIGGER "registrations_cell_key_insert" BEFORE INSERT ON "registrations" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
--> statement-breakpoint
CREATE TRIGGER "action_plans_cell_key_insert" BEFORE INSERT ON "action_plans" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
--> statement-breakpoint
CREATE TRIGGER "action_plan_items_cell_key_insert" BEFORE INSERT ON "action_plan_items" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
--> statement-breakpoint
CREATE TRIGGER "follow_up_requests_cell_key_insert" BEFORE INSERT ON "follow_up_requests" FOR EACH ROW EXECUTE FUNCTION "give_cell_key"();
