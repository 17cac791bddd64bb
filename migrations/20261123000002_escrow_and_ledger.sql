-- The task lifecycle (milestones, applications, deliveries, disputes, timeline) and the money that
-- moves with it: a double-entry ledger, deposits through a payment provider, and withdrawals.

ALTER TABLE tasks
    ADD COLUMN change_rounds  SMALLINT NOT NULL DEFAULT 2 CHECK (change_rounds BETWEEN 0 AND 10),
    -- Fixed when the task is funded: later rate changes never touch a funded task.
    ADD COLUMN commission_bps INTEGER CHECK (commission_bps BETWEEN 500 AND 1500),
    ADD COLUMN developer_id   UUID REFERENCES users (id),
    ADD COLUMN published_at   TIMESTAMPTZ,
    -- During work, a cancellation proposed by one side ('merchant' or 'developer') awaits the other.
    ADD COLUMN cancel_proposed_by TEXT CHECK (cancel_proposed_by IN ('merchant', 'developer')),
    ADD COLUMN updated_at     TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'draft';
CREATE INDEX tasks_developer ON tasks (developer_id) WHERE developer_id IS NOT NULL;

-- The platform's commission, per task category; the newest row in effect applies when a task is funded.
CREATE TABLE commission_rates (
    category       TEXT NOT NULL,
    bps            INTEGER NOT NULL CHECK (bps BETWEEN 500 AND 1500),
    effective_from TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (category, effective_from)
);
INSERT INTO commission_rates (category, bps, effective_from) VALUES ('default', 1000, '2026-01-01');

-- A task is paid in milestones (定金 / 中期 / 尾款); a task without a split has exactly one.
CREATE TABLE milestones (
    id                 UUID PRIMARY KEY,
    task_id            UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position           SMALLINT NOT NULL CHECK (position BETWEEN 1 AND 10),
    -- Empty for a task paid in one piece; the UI then says "全部交付 / Full delivery".
    title              TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 60),
    amount_fen         BIGINT NOT NULL CHECK (amount_fen > 0),
    status             TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN (
                           'waiting', 'working', 'delivered', 'changes_requested',
                           'released', 'refunded', 'disputed', 'settled')),
    change_rounds_used SMALLINT NOT NULL DEFAULT 0,
    delivered_at       TIMESTAMPTZ,
    UNIQUE (task_id, position)
);
-- The background job finds deliveries left unanswered for 7 days through this index.
CREATE INDEX milestones_awaiting_acceptance ON milestones (delivered_at) WHERE status = 'delivered';

CREATE TABLE applications (
    id             UUID PRIMARY KEY,
    task_id        UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    developer_id   UUID NOT NULL REFERENCES users (id),
    pitch          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'accepted', 'declined', 'expired')),
    decline_reason TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The 48-hour answer guarantee; past it, the application expires by itself.
    respond_by     TIMESTAMPTZ NOT NULL,
    answered_at    TIMESTAMPTZ,
    UNIQUE (task_id, developer_id)
);
CREATE INDEX applications_unanswered ON applications (respond_by) WHERE status = 'pending';
CREATE INDEX applications_developer ON applications (developer_id, created_at DESC);

CREATE TABLE deliveries (
    id           UUID PRIMARY KEY,
    milestone_id UUID NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    message      TEXT NOT NULL,
    links        TEXT[] NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_milestone ON deliveries (milestone_id, created_at);

CREATE TABLE disputes (
    id                 UUID PRIMARY KEY,
    milestone_id       UUID NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    opened_by          UUID NOT NULL REFERENCES users (id),
    reason             TEXT NOT NULL,
    opened_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    developer_share_fen BIGINT CHECK (developer_share_fen >= 0),
    decision           TEXT,
    settled_by         UUID REFERENCES users (id),
    settled_at         TIMESTAMPTZ
);
-- At most one open dispute per milestone.
CREATE UNIQUE INDEX disputes_one_open ON disputes (milestone_id) WHERE settled_at IS NULL;

-- Every change of state: who (NULL = the platform's own background job), when, and why.
CREATE TABLE task_events (
    id           BIGSERIAL PRIMARY KEY,
    task_id      UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    milestone_id UUID REFERENCES milestones (id) ON DELETE CASCADE,
    actor_id     UUID REFERENCES users (id),
    kind         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX task_events_task ON task_events (task_id, id);

-- What a user is told (an application expired, another developer was chosen, money arrived...).
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    task_id    UUID REFERENCES tasks (id) ON DELETE CASCADE,
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);

-- ---------------------------------------------------------------------------------------------
-- The ledger. Every balance change is a movement whose entries sum to zero, written in the same
-- transaction as the state change that causes it. `code` names an account stably
-- ('available:<user>', 'withdrawing:<user>', 'escrow:<task>', 'commission', 'world').
CREATE TABLE ledger_accounts (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('available', 'withdrawing', 'escrow', 'commission', 'world')),
    user_id     UUID REFERENCES users (id),
    task_id     UUID REFERENCES tasks (id),
    -- Kept for user and escrow accounts only. The platform's 'commission' and 'world' (banks, payment
    -- providers) accounts take an entry from nearly every movement; their balance is the sum of their
    -- entries, so no payout waits on a lock of theirs (see app/src/db/ledger.rs).
    balance_fen BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT balance_never_negative CHECK (balance_fen >= 0),
    CONSTRAINT owner_matches_kind CHECK (
        CASE kind
            WHEN 'available' THEN user_id IS NOT NULL AND task_id IS NULL
            WHEN 'withdrawing' THEN user_id IS NOT NULL AND task_id IS NULL
            WHEN 'escrow' THEN task_id IS NOT NULL AND user_id IS NULL
            ELSE user_id IS NULL AND task_id IS NULL
        END)
);
INSERT INTO ledger_accounts (code, kind) VALUES ('commission', 'commission'), ('world', 'world');

CREATE TABLE ledger_movements (
    id              BIGSERIAL PRIMARY KEY,
    -- A retried request carries the same key and finds its movement already written.
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN (
                        'deposit', 'escrow_fund', 'escrow_release', 'escrow_refund', 'dispute_split',
                        'withdrawal_hold', 'withdrawal_paid', 'withdrawal_returned')),
    task_id         UUID REFERENCES tasks (id),
    milestone_id    UUID REFERENCES milestones (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_movements_task ON ledger_movements (task_id) WHERE task_id IS NOT NULL;

CREATE TABLE ledger_entries (
    movement_id BIGINT NOT NULL REFERENCES ledger_movements (id),
    account_id  BIGINT NOT NULL REFERENCES ledger_accounts (id),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen <> 0),
    PRIMARY KEY (movement_id, account_id)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, movement_id DESC);

-- The database itself refuses a movement that does not balance: checked at commit, once all of the
-- movement's entries are in.
CREATE FUNCTION ledger_movement_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE movement_id = NEW.movement_id) <> 0 THEN
        RAISE EXCEPTION 'ledger movement % does not sum to zero', NEW.movement_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_movement_balances();

-- Deposits: an order at the payment provider; only its verified callback credits the balance.
CREATE TABLE payment_orders (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    provider     TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
    status       TEXT NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'paid', 'failed')),
    provider_txn TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    settled_at   TIMESTAMPTZ
);
CREATE INDEX payment_orders_user ON payment_orders (user_id, created_at DESC);

-- Withdrawals: held in the user's 'withdrawing' account until the provider confirms or fails them.
CREATE TABLE withdrawals (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    provider     TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    settled_at   TIMESTAMPTZ
);
CREATE INDEX withdrawals_user ON withdrawals (user_id, created_at DESC);
