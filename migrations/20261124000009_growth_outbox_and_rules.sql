-- Growth owed for a finished, paid task. The payout writes the row in its own transaction (so the
-- award can never be lost or given for unpaid work); a worker awards it after commit, so paying a
-- developer does not wait on the growth engine. The award itself is keyed by its cause
-- ("completed:<task>"), so a row drained twice still awards once.
CREATE TABLE growth_outbox (
    task_id uuid PRIMARY KEY REFERENCES tasks (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- A failing award is retried later instead of blocking the rows behind it.
    attempts integer NOT NULL DEFAULT 0,
    not_before timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX growth_outbox_due ON growth_outbox (not_before);

-- The growth engine's numbers as admins set them (domain::growth::GrowthRules, as JSON). Every
-- change is a new row, so the history of who changed what and when is kept; the newest row is in
-- force, and with no row the launch rules apply.
CREATE TABLE growth_rules (
    id bigserial PRIMARY KEY,
    rules jsonb NOT NULL,
    set_by uuid NOT NULL REFERENCES users (id),
    set_at timestamptz NOT NULL DEFAULT now()
);
