-- The time every statement of the application reads. app_now() is the transaction's start time,
-- like now(), unless the session has set `codelink.clock`: only the demo loader does, to drive the
-- real rules through past days so the demo's histories are dated as they happened (deposits before
-- the escrows they fund, notices with their events, weekly totals in their weeks).
CREATE FUNCTION app_now() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('codelink.clock', true), '')::timestamptz, now()) $$;

-- Every column that defaulted to now() defaults to app_now().
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT table_name, column_name, column_default FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_default LIKE '%now()%'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s', c.table_name, c.column_name,
                       replace(c.column_default, 'now()', 'app_now()'));
    END LOOP;
END $$;

-- A notice that asks for something (an application to answer, a delivery to check) is done once
-- that is answered; the list stops marking it 待处理 then, read or not.
ALTER TABLE notifications ADD COLUMN done_at TIMESTAMPTZ;
CREATE INDEX notifications_open_by_task ON notifications (task_id) WHERE done_at IS NULL AND task_id IS NOT NULL;
