-- New task messages and notifications are announced with pg_notify when their transaction
-- commits, so every server's listener (server/src/live.rs) can push them to open pages. Triggers,
-- not calls in each writer: notifications are written from many flows, and a writer cannot forget.
CREATE FUNCTION announce_task_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('task_messages', NEW.task_id || ':' || NEW.developer_id || ':' || NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER task_messages_announce AFTER INSERT ON task_messages
    FOR EACH ROW EXECUTE FUNCTION announce_task_message();

CREATE FUNCTION announce_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('notifications', NEW.user_id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_announce AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION announce_notification();
