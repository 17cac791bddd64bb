-- Paid memberships and task promotion, paid through the ledger like everything else.

-- The platform's revenue from purchases, beside its commission. Like 'commission' it keeps no
-- running balance (see app/src/db/ledger.rs).
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('available', 'withdrawing', 'escrow', 'commission', 'sales', 'world'));
INSERT INTO ledger_accounts (code, kind) VALUES ('sales', 'sales');

ALTER TABLE ledger_movements DROP CONSTRAINT ledger_movements_kind_check;
ALTER TABLE ledger_movements ADD CONSTRAINT ledger_movements_kind_check CHECK (kind IN (
    'deposit', 'escrow_fund', 'escrow_release', 'escrow_refund', 'dispute_split',
    'withdrawal_hold', 'withdrawal_paid', 'withdrawal_returned', 'purchase', 'purchase_refund'));

-- Prices and benefit numbers, edited by admins (`domain::membership` holds the rules over them).
CREATE TABLE membership_plans (
    plan                    TEXT PRIMARY KEY CHECK (plan IN ('growth_pass', 'premium', 'enterprise')),
    monthly_price_fen       BIGINT NOT NULL CHECK (monthly_price_fen BETWEEN 100 AND 100000),
    daily_applications      INTEGER NOT NULL DEFAULT 0 CHECK (daily_applications BETWEEN 0 AND 1000),
    open_tasks              INTEGER NOT NULL DEFAULT 0 CHECK (open_tasks BETWEEN 0 AND 10000),
    commission_discount_bps INTEGER NOT NULL DEFAULT 0 CHECK (commission_discount_bps BETWEEN 0 AND 500),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by              UUID REFERENCES users (id)
);
INSERT INTO membership_plans (plan, monthly_price_fen, daily_applications, open_tasks, commission_discount_bps) VALUES
    ('growth_pass', 4900, 0, 0, 0),
    ('premium', 1990, 60, 0, 0),
    ('enterprise', 19900, 0, 1000, 300);

-- One row per bought period. Periods of one plan stack end to start; the price is the one paid.
CREATE TABLE memberships (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id),
    plan          TEXT NOT NULL REFERENCES membership_plans (plan),
    months        INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12),
    price_fen     BIGINT NOT NULL CHECK (price_fen > 0),
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    -- Renewed for a month by the background job when it ends, while the balance covers it.
    auto_renew    BOOLEAN NOT NULL DEFAULT false,
    -- The buyer's form carries this key: a double-click or a retried request buys once.
    purchase_key  TEXT NOT NULL UNIQUE,
    cancelled_at  TIMESTAMPTZ,
    refunded_fen  BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= price_fen),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX memberships_user ON memberships (user_id, plan, ends_at DESC);
CREATE INDEX memberships_ending ON memberships (ends_at) WHERE cancelled_at IS NULL AND auto_renew;

-- Pins (the promoted strip above the hall's results) and urgent labels bought for open tasks.
CREATE TABLE task_promotions (
    id            UUID PRIMARY KEY,
    task_id       UUID NOT NULL REFERENCES tasks (id),
    merchant_id   UUID NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('pin', 'urgent')),
    days          INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    price_fen     BIGINT NOT NULL CHECK (price_fen > 0),
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    purchase_key  TEXT NOT NULL UNIQUE,
    -- Set when the task stops being open before the promotion ends; unused whole days are refunded.
    ended_at      TIMESTAMPTZ,
    refunded_fen  BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= price_fen),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX task_promotions_task ON task_promotions (task_id, kind, ends_at DESC);
CREATE INDEX task_promotions_running ON task_promotions (ends_at) WHERE ended_at IS NULL;

-- Challenges only growth-pass holders can take on (进阶挑战).
ALTER TABLE challenges ADD COLUMN advanced BOOLEAN NOT NULL DEFAULT false;
