-- The owner's choices for their public record: the whole card may be hidden (card_public, migration
-- 13), and merchants' names may be withheld under an NDA. Ratings and comments stay: the record is
-- the record.
ALTER TABLE users ADD COLUMN card_hide_merchants BOOLEAN NOT NULL DEFAULT false;

-- The platform's Ed25519 keys for Open Badges credentials. The active one (made on first use unless
-- CODELINK_SIGNING_KEY supplies the key) signs; every key here stays published and accepted, so
-- credentials signed before a key change still verify. `key_id` is derived from the public key.
CREATE TABLE signing_keys (
    key_id     TEXT PRIMARY KEY,
    secret     BYTEA NOT NULL CHECK (length(secret) = 32),
    active     BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (active) WHERE active;

-- Every Open Badges 3.0 credential CodeLink signed, as issued. One standing credential per developer
-- and achievement (a badge, or a level reached), so downloading twice gives the same credential.
-- Revoking keeps the row: the checker must be able to say "revoked", not "unknown"; a revoked one
-- (say, superseded when the owner turns on NDA) may be followed by a fresh one.
CREATE TABLE credentials (
    id             UUID PRIMARY KEY,
    developer_id   UUID NOT NULL REFERENCES users (id),
    achievement    TEXT NOT NULL CHECK (achievement ~ '^(badge|level):[a-zA-Z0-9_-]+$'),
    document       JSONB NOT NULL,
    issued_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ,
    revoked_reason TEXT,
    revoked_by     UUID REFERENCES users (id),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE UNIQUE INDEX credentials_standing ON credentials (developer_id, achievement) WHERE revoked_at IS NULL;

-- A badge's event now names the finished task whose completion or rating earned it (its evidence).
-- Badges earned before: the developer's last task completed by then, for the rules about tasks.
UPDATE growth_events e
SET task_id = (SELECT te.task_id FROM task_events te JOIN tasks t ON t.id = te.task_id
               WHERE te.kind = 'completed' AND t.developer_id = e.developer_id AND te.created_at <= e.created_at
               ORDER BY te.created_at DESC LIMIT 1)
FROM developer_badges d JOIN badges b ON b.id = d.badge_id
WHERE d.event_id = e.id AND e.kind = 'badge_earned' AND e.task_id IS NULL
  AND b.rule ->> 'kind' IN ('finished_tasks', 'average_rating', 'skill_breadth');

-- A generated monthly growth report is kept: the same month downloads the same file again.
CREATE TABLE growth_reports (
    developer_id UUID NOT NULL REFERENCES users (id),
    month        DATE NOT NULL CHECK (extract(day FROM month) = 1),
    language     TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    pdf          BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (developer_id, month, language)
);

-- An admin's export of one month's reports as a ZIP, built in the background; `done` of `total`
-- is the progress the admin watches.
CREATE TABLE report_exports (
    id           UUID PRIMARY KEY,
    requested_by UUID NOT NULL REFERENCES users (id),
    month        DATE NOT NULL,
    language     TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    total        INTEGER NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    zip          BYTEA,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
