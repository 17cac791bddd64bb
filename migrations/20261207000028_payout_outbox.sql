-- Money that never hangs (issue 33). A withdrawal's payout request is a row written in the
-- withdrawal's own transaction (an outbox); a worker sends it with the withdrawal id as the
-- provider's idempotency key (out_biz_no), and reconciliation settles what the provider knows.

-- The request key the wallet form carries: a double-click or a retried post makes one withdrawal.
ALTER TABLE withdrawals ADD COLUMN request_key UUID;
CREATE UNIQUE INDEX withdrawals_request_key ON withdrawals (user_id, request_key);

-- One payout request per withdrawal. `withdrawal_id` is our out_biz_no at the provider.
-- pending: not yet acknowledged by the provider (new, or retrying after an error);
-- sent: acknowledged, its result comes by callback or by query; paid / failed: settled.
CREATE TABLE payout_requests (
    withdrawal_id   UUID PRIMARY KEY REFERENCES withdrawals (id),
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'paid', 'failed')),
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    provider_txn    TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payout_requests_due ON payout_requests (next_attempt_at) WHERE state = 'pending';

-- Withdrawals written before the outbox existed and still waiting: reconciliation finds them too.
INSERT INTO payout_requests (withdrawal_id, amount_fen, state)
SELECT id, amount_fen, 'sent' FROM withdrawals WHERE status = 'pending';

CREATE INDEX withdrawals_pending ON withdrawals (created_at) WHERE status = 'pending';
CREATE INDEX payment_orders_created ON payment_orders (created_at) WHERE status = 'created';

-- What the provider told us about an order or a withdrawal that settled it or contradicted it
-- (duplicates of what we already know are not kept).
CREATE TABLE payment_events (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('payment', 'payout')),
    reference    UUID NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    amount_fen   BIGINT NOT NULL,
    provider_txn TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('callback', 'query')),
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_events_reference ON payment_events (reference, id);

-- The admins' reconciliation list: a provider event that contradicts a settled order or withdrawal
-- (a "paid" after a "failed"). `credited`: the provider's query confirmed the money arrived and the
-- deposit was credited; `open`: a person must look.
CREATE TABLE payment_discrepancies (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'payout')),
    reference   UUID NOT NULL,
    user_id     UUID NOT NULL REFERENCES users (id),
    amount_fen  BIGINT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'credited')),
    provider_answer TEXT,
    opened_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    UNIQUE (kind, reference)
);

-- The sandbox provider's own books. It stands in for an outside bank, so what it accepted must
-- outlive our process: its answers to "query a transfer / an order" come from here.
CREATE TABLE sandbox_bank (
    kind          TEXT NOT NULL CHECK (kind IN ('payment', 'transfer')),
    reference     UUID NOT NULL,
    amount_fen    BIGINT NOT NULL,
    succeeded     BOOLEAN NOT NULL,
    provider_txn  TEXT NOT NULL,
    payer_account TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, reference)
);
