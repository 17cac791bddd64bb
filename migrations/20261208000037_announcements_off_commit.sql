-- NOTIFY takes a database-wide lock at commit and holds it through the commit's flush to disk, so
-- every transaction that announced something (each payout tells its developer they were paid)
-- committed one at a time behind the others. The triggers now queue the announcement in an
-- unlogged table, in the writer's transaction as before (a rolled-back write announces nothing);
-- each server's relay (server/src/live.rs) moves queued announcements to NOTIFY in batches, on
-- short transactions of its own. Unlogged: an announcement is a hint to refresh a page, and a
-- crash that loses one loses nothing a reconnecting page does not read again.
CREATE UNLOGGED TABLE live_announcements (
    id bigserial PRIMARY KEY,
    channel text NOT NULL,
    payload text NOT NULL
);

CREATE OR REPLACE FUNCTION announce_task_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_announcements (channel, payload)
    VALUES ('task_messages', NEW.task_id || ':' || NEW.developer_id || ':' || NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION announce_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_announcements (channel, payload) VALUES ('notifications', NEW.user_id::text);
    RETURN NULL;
END $$;
