-- Every unit a donor's figures count (a person, a registration, an action plan, an item, a
-- follow-up request) carries a random key from 0 to 99, given once: a figure shown to a donor is
-- perturbed by the sum of its units' keys (app/models/disclosure.server.ts), so the same people
-- always give the same figure and two figures that differ by one person get independent offsets.
-- Existing rows get theirs here; new rows from a trigger, whatever code inserts them.
ALTER TABLE `people` ADD `cell_key` integer;--> statement-breakpoint
ALTER TABLE `follow_up_requests` ADD `cell_key` integer;--> statement-breakpoint
ALTER TABLE `registrations` ADD `cell_key` integer;--> statement-breakpoint
ALTER TABLE `action_plan_items` ADD `cell_key` integer;--> statement-breakpoint
ALTER TABLE `action_plans` ADD `cell_key` integer;
--> statement-breakpoint
UPDATE `people` SET `cell_key` = abs(random()) % 100 WHERE `cell_key` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `people_cell_key_insert` AFTER INSERT ON `people` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `people` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
UPDATE `registrations` SET `cell_key` = abs(random()) % 100 WHERE `cell_key` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `registrations_cell_key_insert` AFTER INSERT ON `registrations` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `registrations` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
UPDATE `action_plans` SET `cell_key` = abs(random()) % 100 WHERE `cell_key` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `action_plans_cell_key_insert` AFTER INSERT ON `action_plans` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `action_plans` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
UPDATE `action_plan_items` SET `cell_key` = abs(random()) % 100 WHERE `cell_key` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `action_plan_items_cell_key_insert` AFTER INSERT ON `action_plan_items` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `action_plan_items` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
--> statement-breakpoint
UPDATE `follow_up_requests` SET `cell_key` = abs(random()) % 100 WHERE `cell_key` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `follow_up_requests_cell_key_insert` AFTER INSERT ON `follow_up_requests` WHEN NEW.`cell_key` IS NULL
BEGIN UPDATE `follow_up_requests` SET `cell_key` = abs(random()) % 100 WHERE `id` = NEW.`id`; END;
