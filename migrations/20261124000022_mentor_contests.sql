-- Mentor challenges (导师特训挑战): a mentor (a level-S developer, or an expert an admin invited)
-- posts a challenge with a cash prize held in the ledger; participants with a verified real name
-- join and submit; the mentor picks a winner, who receives the prize, a written review and a
-- recommendation letter shown on their resume card.

ALTER TABLE users
    ADD COLUMN real_name TEXT CHECK (real_name IS NULL OR char_length(real_name) BETWEEN 2 AND 20),
    -- Only the last four characters of the resident ID are kept, for display; the number itself
    -- is checked and forgotten.
    ADD COLUMN id_number_tail TEXT CHECK (id_number_tail IS NULL OR char_length(id_number_tail) = 4),
    ADD COLUMN identity_verified_at TIMESTAMPTZ,
    ADD COLUMN invited_mentor BOOLEAN NOT NULL DEFAULT false;

-- The prize waits in its own account ('prize:<contest>') between funding and award or refund.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('available', 'withdrawing', 'escrow', 'prize', 'commission', 'sales', 'world'));
ALTER TABLE ledger_movements DROP CONSTRAINT ledger_movements_kind_check;
ALTER TABLE ledger_movements ADD CONSTRAINT ledger_movements_kind_check CHECK (kind IN (
    'deposit', 'escrow_fund', 'escrow_release', 'escrow_refund', 'dispute_split',
    'withdrawal_hold', 'withdrawal_paid', 'withdrawal_returned', 'purchase', 'purchase_refund',
    'prize_fund', 'prize_award', 'prize_refund'));

CREATE TABLE contests (
    id             UUID PRIMARY KEY,
    mentor_id      UUID NOT NULL REFERENCES users (id),
    title          TEXT NOT NULL CHECK (char_length(title) BETWEEN 4 AND 80),
    brief          TEXT NOT NULL CHECK (char_length(brief) BETWEEN 10 AND 5000),
    prize_fen      BIGINT NOT NULL CHECK (prize_fen BETWEEN 10000 AND 5000000),
    -- 进阶: only growth-pass holders may join.
    advanced       BOOLEAN NOT NULL DEFAULT false,
    submit_by      TIMESTAMPTZ NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'awarded', 'cancelled')),
    winner_id      UUID REFERENCES users (id),
    review         TEXT,
    recommendation TEXT,
    awarded_at     TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((status = 'awarded') = (winner_id IS NOT NULL AND review IS NOT NULL AND recommendation IS NOT NULL))
);
CREATE INDEX contests_recent ON contests (created_at DESC);

CREATE TABLE contest_entries (
    contest_id   UUID NOT NULL REFERENCES contests (id),
    developer_id UUID NOT NULL REFERENCES users (id),
    joined_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    submission   TEXT CHECK (submission IS NULL OR char_length(submission) BETWEEN 10 AND 5000),
    link         TEXT NOT NULL DEFAULT '',
    submitted_at TIMESTAMPTZ,
    PRIMARY KEY (contest_id, developer_id)
);
CREATE INDEX contest_entries_developer ON contest_entries (developer_id);
