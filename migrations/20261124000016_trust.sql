-- Trust between strangers: mutual double-blind reviews, restrictions, task conversations, e-mail
-- notifications through an outbox, and the addresses the anti-farming check compares.

-- Each side reviews the other once per task, on the subject's three dimensions (stored in
-- domain::reviews::Subject::dimensions order). `revealed_at` is set on both rows at once, when the
-- second review arrives or the window closes; until then only the author reads a row.
CREATE TABLE reviews (
    task_id     UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id   UUID NOT NULL REFERENCES users (id),
    subject_id  UUID NOT NULL REFERENCES users (id),
    subject     TEXT NOT NULL CHECK (subject IN ('developer', 'merchant')),
    scores      SMALLINT[] NOT NULL CHECK (array_length(scores, 1) = 3 AND 1 <= ALL (scores) AND 5 >= ALL (scores)),
    overall     SMALLINT NOT NULL CHECK (overall BETWEEN 1 AND 5),
    body        TEXT NOT NULL DEFAULT '',
    written_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- When the window closes: the task's completion plus domain::reviews::REVEAL_AFTER_DAYS.
    reveal_due  TIMESTAMPTZ NOT NULL,
    revealed_at TIMESTAMPTZ,
    reply       TEXT,
    replied_at  TIMESTAMPTZ,
    PRIMARY KEY (task_id, author_id),
    CHECK (author_id <> subject_id)
);
CREATE INDEX reviews_subject ON reviews (subject_id, revealed_at DESC) WHERE revealed_at IS NOT NULL;
CREATE INDEX reviews_due ON reviews (reveal_due) WHERE revealed_at IS NULL;

-- A user restricted by domain::credit::restriction: a developer may not apply, a merchant may not
-- publish, until `ends_at` or until an admin lifts it. One standing restriction per user.
CREATE TABLE restrictions (
    id         BIGSERIAL PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL CHECK (reason IN ('bad_reviews', 'disputes_lost')),
    count      INTEGER NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    ends_at    TIMESTAMPTZ NOT NULL,
    lifted_at  TIMESTAMPTZ,
    lifted_by  UUID REFERENCES users (id)
);
CREATE INDEX restrictions_user ON restrictions (user_id, starts_at DESC);

-- A task's conversations: one per (task, developer) pair, between that applicant or developer and
-- the merchant. Bodies are stored as shown: contact details were masked before writing.
CREATE TABLE task_messages (
    id           BIGSERIAL PRIMARY KEY,
    task_id      UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    developer_id UUID NOT NULL REFERENCES users (id),
    author_id    UUID NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,
    masked       BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX task_messages_conversation ON task_messages (task_id, developer_id, id);

CREATE TABLE message_files (
    id           UUID PRIMARY KEY,
    message_id   BIGINT NOT NULL UNIQUE REFERENCES task_messages (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes BETWEEN 0 AND 5242880),
    bytes        BYTEA NOT NULL
);
ALTER TABLE message_files ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- Which notification kinds a user also wants by e-mail (none by default).
CREATE TABLE email_preferences (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Notifications still to be e-mailed are found by this; `emailed_at` marks them done (or skipped).
ALTER TABLE notifications ADD COLUMN emailed_at TIMESTAMPTZ;
UPDATE notifications SET emailed_at = created_at;
CREATE INDEX notifications_to_email ON notifications (id) WHERE emailed_at IS NULL;

-- What the mail transport sent. The local transport the demo uses stops here (the admin page
-- shows it); an SMTP transport would record its relay's message id.
CREATE TABLE email_outbox (
    id              BIGSERIAL PRIMARY KEY,
    notification_id BIGINT UNIQUE REFERENCES notifications (id) ON DELETE SET NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    transport       TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Where each account was used from (registration and logins), for the anti-farming check.
CREATE TABLE user_addresses (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address    INET NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, address)
);
CREATE INDEX user_addresses_address ON user_addresses (address);

-- The payer's account at the payment provider, from its signed callback.
ALTER TABLE payment_orders ADD COLUMN payer_account TEXT;
CREATE INDEX payment_orders_payer ON payment_orders (payer_account) WHERE payer_account IS NOT NULL;

-- A finished task whose merchant and developer look like one person (shared address or payment
-- account): its growth rewards are held back and an admin decides.
CREATE TABLE abuse_flags (
    task_id     UUID PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('shared_address', 'shared_payment_account')),
    evidence    TEXT NOT NULL,
    flagged_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    resolved_by UUID REFERENCES users (id),
    -- true: the rewards were released after review; false: withheld for good.
    released    BOOLEAN
);
CREATE INDEX abuse_flags_open ON abuse_flags (flagged_at) WHERE resolved_at IS NULL;

-- Merchant reviews written before this migration were public at once; they stay so. Each becomes
-- a revealed review with its single rating as all three scores.
INSERT INTO reviews (task_id, author_id, subject_id, subject, scores, overall, body, written_at, reveal_due, revealed_at)
SELECT task_id, merchant_id, developer_id, 'developer', ARRAY[stars, stars, stars], stars, comment, created_at, created_at, created_at
FROM task_ratings;
