-- A developer may withdraw an application the merchant has not answered yet. A withdrawn
-- application no longer waits for an answer: it leaves the open-application cap and the merchant's
-- 48-hour response rate.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn'));

-- A merchant invites a developer to apply to one of the merchant's open tasks (邀请投递). One
-- invitation per developer per task; it is answered by applying or declining, and closes by itself
-- when the task stops taking applications. The per-task cap is counted under the task's row lock
-- (see db::invitations::invite), so it holds however many servers send invitations at once.
CREATE TABLE task_invitations (
    id           UUID PRIMARY KEY,
    task_id      UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    developer_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    merchant_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The merchant's words, contact details masked as in task conversations.
    note         TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    status       TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'applied', 'declined', 'closed')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT app_now(),
    answered_at  TIMESTAMPTZ,
    UNIQUE (task_id, developer_id)
);
CREATE INDEX task_invitations_developer ON task_invitations (developer_id, created_at DESC);
CREATE INDEX task_invitations_merchant ON task_invitations (merchant_id, created_at DESC);
