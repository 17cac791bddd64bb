-- The 48-hour deadline reminder is sent once per task; the partial index keeps the job's search to
-- tasks in progress that have not been reminded.
ALTER TABLE tasks ADD COLUMN deadline_reminded BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX tasks_deadline_unreminded ON tasks (deadline) WHERE status = 'in_progress' AND NOT deadline_reminded;
