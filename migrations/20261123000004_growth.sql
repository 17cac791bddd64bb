-- Growth (points, never money): the merchant's rating of a finished task, an append-only ledger of
-- growth events (one per cause, by idempotency key) with the skill points each carried, and
-- per-developer summaries written in the same transaction as the events, so boards and panels read
-- one row instead of scanning every event.
CREATE TABLE task_ratings (
    task_id      UUID PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    merchant_id  UUID NOT NULL REFERENCES users (id),
    developer_id UUID NOT NULL REFERENCES users (id),
    stars        SMALLINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE growth_events (
    id              BIGSERIAL PRIMARY KEY,
    developer_id    UUID NOT NULL REFERENCES users (id),
    -- "completed:<task>", "rated:<task>": replaying a cause awards nothing twice.
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('task_completed', 'task_rated')),
    task_id         UUID REFERENCES tasks (id),
    xp              INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX growth_events_by_developer ON growth_events (developer_id, created_at);

CREATE TABLE skill_point_entries (
    event_id BIGINT NOT NULL REFERENCES growth_events (id),
    tag_id   INTEGER NOT NULL REFERENCES skill_tags (id),
    points   INTEGER NOT NULL,
    PRIMARY KEY (event_id, tag_id)
);

CREATE TABLE developer_growth (
    developer_id   UUID PRIMARY KEY REFERENCES users (id),
    xp             BIGINT NOT NULL DEFAULT 0,
    finished_tasks INTEGER NOT NULL DEFAULT 0,
    rating_sum     INTEGER NOT NULL DEFAULT 0,
    rating_count   INTEGER NOT NULL DEFAULT 0,
    level          TEXT NOT NULL DEFAULT 'C' CHECK (level IN ('C', 'B', 'A', 'S')),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX developer_growth_by_xp ON developer_growth (xp DESC, developer_id);

CREATE TABLE developer_skills (
    developer_id UUID NOT NULL REFERENCES users (id),
    tag_id       INTEGER NOT NULL REFERENCES skill_tags (id),
    points       BIGINT NOT NULL,
    PRIMARY KEY (developer_id, tag_id)
);
CREATE INDEX developer_skills_board ON developer_skills (tag_id, points DESC);

-- The commission rate a milestone was actually paid at: the task's rate less the developer's level
-- discount at that moment. Shown on the payout, so a later level change never rewrites history.
ALTER TABLE milestones ADD COLUMN paid_commission_bps INTEGER CHECK (paid_commission_bps BETWEEN 500 AND 1500);
