ALTER TABLE `events` ADD `counted_sessions` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `attended_sessions` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `excused_sessions` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Stored attendance counts (THE definition in app/models/completion.server.ts): a session counts
-- unless it is a break; attended = marked present or late; excused = marked excused. Kept by the
-- triggers below on every write, whatever code path makes it; filled here from the existing rows.
UPDATE `events` SET `counted_sessions` = (SELECT count(*) FROM `event_sessions` s WHERE s.`event_id` = `events`.`id` AND s.`kind` <> 'break');
--> statement-breakpoint
UPDATE `registrations` SET `attended_sessions` = c.att, `excused_sessions` = c.exc
FROM (SELECT a.`registration_id` AS rid, sum(a.`status` IN ('present', 'late')) AS att, sum(a.`status` = 'excused') AS exc
      FROM `attendance` a JOIN `event_sessions` s ON s.`id` = a.`session_id` WHERE s.`kind` <> 'break' GROUP BY a.`registration_id`) AS c
WHERE c.rid = `registrations`.`id`;
--> statement-breakpoint
CREATE TRIGGER `attendance_counts_insert` AFTER INSERT ON `attendance`
WHEN (SELECT `kind` FROM `event_sessions` WHERE `id` = new.`session_id`) <> 'break'
BEGIN
  UPDATE `registrations` SET `attended_sessions` = `attended_sessions` + (new.`status` IN ('present', 'late')),
                             `excused_sessions` = `excused_sessions` + (new.`status` = 'excused')
  WHERE `id` = new.`registration_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `attendance_counts_delete` AFTER DELETE ON `attendance`
WHEN (SELECT `kind` FROM `event_sessions` WHERE `id` = old.`session_id`) <> 'break'
BEGIN
  UPDATE `registrations` SET `attended_sessions` = `attended_sessions` - (old.`status` IN ('present', 'late')),
                             `excused_sessions` = `excused_sessions` - (old.`status` = 'excused')
  WHERE `id` = old.`registration_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `attendance_counts_update` AFTER UPDATE OF `status`, `session_id`, `registration_id` ON `attendance`
BEGIN
  UPDATE `registrations` SET `attended_sessions` = `attended_sessions` - (old.`status` IN ('present', 'late')),
                             `excused_sessions` = `excused_sessions` - (old.`status` = 'excused')
  WHERE `id` = old.`registration_id` AND (SELECT `kind` FROM `event_sessions` WHERE `id` = old.`session_id`) <> 'break';
  UPDATE `registrations` SET `attended_sessions` = `attended_sessions` + (new.`status` IN ('present', 'late')),
                             `excused_sessions` = `excused_sessions` + (new.`status` = 'excused')
  WHERE `id` = new.`registration_id` AND (SELECT `kind` FROM `event_sessions` WHERE `id` = new.`session_id`) <> 'break';
END;
--> statement-breakpoint
-- a session's marks go before the session does (the cascade would run after the session row is
-- gone, when its kind can no longer be read)
CREATE TRIGGER `event_sessions_counts_before_delete` BEFORE DELETE ON `event_sessions`
BEGIN
  DELETE FROM `attendance` WHERE `session_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_sessions_counts_delete` AFTER DELETE ON `event_sessions`
WHEN old.`kind` <> 'break'
BEGIN
  UPDATE `events` SET `counted_sessions` = `counted_sessions` - 1 WHERE `id` = old.`event_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_sessions_counts_insert` AFTER INSERT ON `event_sessions`
WHEN new.`kind` <> 'break'
BEGIN
  UPDATE `events` SET `counted_sessions` = `counted_sessions` + 1 WHERE `id` = new.`event_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `event_sessions_counts_update` AFTER UPDATE OF `kind`, `event_id` ON `event_sessions`
WHEN (old.`kind` <> 'break') IS NOT (new.`kind` <> 'break') OR old.`event_id` IS NOT new.`event_id`
BEGIN
  UPDATE `events` SET `counted_sessions` = `counted_sessions` - (old.`kind` <> 'break') WHERE `id` = old.`event_id`;
  UPDATE `events` SET `counted_sessions` = `counted_sessions` + (new.`kind` <> 'break') WHERE `id` = new.`event_id`;
  UPDATE `registrations` SET
    `attended_sessions` = `attended_sessions` + ((new.`kind` <> 'break') - (old.`kind` <> 'break')) *
      (SELECT count(*) FROM `attendance` a WHERE a.`registration_id` = `registrations`.`id` AND a.`session_id` = new.`id` AND a.`status` IN ('present', 'late')),
    `excused_sessions` = `excused_sessions` + ((new.`kind` <> 'break') - (old.`kind` <> 'break')) *
      (SELECT count(*) FROM `attendance` a WHERE a.`registration_id` = `registrations`.`id` AND a.`session_id` = new.`id` AND a.`status` = 'excused')
  WHERE `id` IN (SELECT `registration_id` FROM `attendance` WHERE `session_id` = new.`id`);
END;
