-- Accounts, the managed skill-tag list, and tasks (first cut: what the hall shows).
-- Enumerations are TEXT with CHECK constraints rather than PostgreSQL enums: adding a value later is a
-- one-line constraint change instead of an ALTER TYPE that cannot run inside a transaction.

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('developer', 'merchant', 'admin')),
    -- Only merchants say what kind of organisation they are.
    merchant_kind TEXT CHECK (merchant_kind IN ('company', 'team', 'individual')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT merchant_kind_iff_merchant CHECK ((role = 'merchant') = (merchant_kind IS NOT NULL))
);
-- Emails are compared case-insensitively: "A@x.cn" and "a@x.cn" are one account.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE skill_tags (
    id      SERIAL PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE tasks (
    id          UUID PRIMARY KEY,
    merchant_id UUID NOT NULL REFERENCES users (id),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description TEXT NOT NULL,
    difficulty  SMALLINT NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    -- Money is integer fen (1/100 yuan), never floating point.
    reward_fen  BIGINT NOT NULL CHECK (reward_fen > 0),
    deadline    TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('draft', 'open', 'in_progress', 'delivered', 'completed', 'cancelled', 'disputed')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The hall pages through open tasks newest first; (created_at, id) gives a stable total order.
CREATE INDEX tasks_open_newest ON tasks (created_at DESC, id DESC) WHERE status = 'open';
CREATE INDEX tasks_merchant ON tasks (merchant_id);

CREATE TABLE task_tags (
    task_id UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES skill_tags (id),
    PRIMARY KEY (task_id, tag_id)
);
CREATE INDEX task_tags_tag ON task_tags (tag_id);
