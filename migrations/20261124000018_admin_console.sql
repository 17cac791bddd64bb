-- The admin console: an append-only audit log of every admin action, task moderation (review
-- queue, block list, reports), suspensions, dated challenges, scheduled growth rules and CSV exports.

-- Who did what to which record, the state before and after, and why. Rows are only ever added:
-- the triggers below refuse UPDATE, DELETE and TRUNCATE for every role, the app's own included.
CREATE TABLE admin_audit (
    id       BIGSERIAL PRIMARY KEY,
    admin_id UUID NOT NULL REFERENCES users (id),
    action   TEXT NOT NULL,
    -- "task:<uuid>", "user:<uuid>", "commission:web", "challenge:weekly-sprint", ...
    subject  TEXT NOT NULL,
    before   JSONB,
    after    JSONB,
    reason   TEXT NOT NULL DEFAULT '',
    at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_newest ON admin_audit (at DESC, id DESC);
CREATE INDEX admin_audit_subject ON admin_audit (subject);

CREATE FUNCTION admin_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION admin_audit_is_append_only();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_is_append_only();

-- Moderation. A funded task that needs an admin's look waits in 'pending_review' (its reward is
-- already in escrow, so approving it cannot fail for money); 'rejected' returned the escrow;
-- 'hidden' is off the hall with its escrow kept until an admin restores it or the merchant cancels.
ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
-- ('delivered' and 'disputed' stay allowed, as the first migration allowed them.)
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN (
    'draft', 'pending_review', 'open', 'in_progress', 'delivered', 'completed', 'cancelled', 'disputed',
    'rejected', 'hidden'));
-- Why the task waits (first tasks of a new merchant, or the blocked words it contains), or why an
-- admin rejected or hid it; shown to the merchant.
ALTER TABLE tasks ADD COLUMN moderation_note TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_pending_review ON tasks (published_at) WHERE status = 'pending_review';

CREATE TABLE blocked_words (
    word     TEXT PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 40),
    added_by UUID NOT NULL REFERENCES users (id),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A user's report of a task or another user, waiting for an admin.
CREATE TABLE reports (
    id          BIGSERIAL PRIMARY KEY,
    reporter_id UUID NOT NULL REFERENCES users (id),
    task_id     UUID REFERENCES tasks (id) ON DELETE CASCADE,
    user_id     UUID REFERENCES users (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_by UUID REFERENCES users (id),
    resolved_at TIMESTAMPTZ,
    outcome     TEXT CHECK (outcome IN ('dismissed', 'hidden', 'suspended')),
    CHECK ((task_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX reports_open ON reports (created_at) WHERE resolved_at IS NULL;
-- One open report per reporter and subject: a second click does not queue it twice.
CREATE UNIQUE INDEX reports_one_open ON reports (reporter_id, coalesce(task_id, user_id)) WHERE resolved_at IS NULL;

-- An admin's suspension is a restriction like the credit rule's, with the admin's words kept.
ALTER TABLE restrictions DROP CONSTRAINT restrictions_reason_check;
ALTER TABLE restrictions ADD CONSTRAINT restrictions_reason_check
    CHECK (reason IN ('bad_reviews', 'disputes_lost', 'suspended'));
ALTER TABLE restrictions ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- Growth rules saved for a later time wait for it; `applied_at` marks when every level was
-- re-evaluated under them.
ALTER TABLE growth_rules ADD COLUMN effective_from TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE growth_rules ADD COLUMN applied_at TIMESTAMPTZ;
UPDATE growth_rules SET applied_at = set_at;
CREATE INDEX growth_rules_in_force ON growth_rules (effective_from DESC, id DESC);

-- Admins' adjustments of a developer's growth points, with the reason, are growth events too.
ALTER TABLE growth_events DROP CONSTRAINT growth_events_kind_check;
ALTER TABLE growth_events ADD CONSTRAINT growth_events_kind_check CHECK (kind IN (
    'task_completed', 'task_rated', 'badge_earned', 'checked_in', 'profile_completed',
    'hall_browsed', 'applied', 'invited', 'challenge_completed', 'admin_adjustment'));

-- Exports: the growth-report ZIP and the accounting CSVs share the progress the admin watches.
ALTER TABLE report_exports RENAME COLUMN zip TO file;
ALTER TABLE report_exports ADD COLUMN kind TEXT NOT NULL DEFAULT 'growth_reports'
    CHECK (kind IN ('growth_reports', 'tasks', 'payouts', 'commission'));

-- A dispute's other side answers the opener's statement; the admin reads both before deciding.
ALTER TABLE disputes ADD COLUMN response TEXT, ADD COLUMN responded_at TIMESTAMPTZ;
