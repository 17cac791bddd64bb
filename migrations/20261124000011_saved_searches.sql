-- A developer's saved hall searches. The notifier (every minute) looks for tasks published since
-- `checked_at` that match, tells the developer in the site (a `saved_search_match` notification
-- per task) and moves `checked_at` on, so each task is told about once.
CREATE TABLE saved_searches (
    id           BIGSERIAL PRIMARY KEY,
    developer_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- domain::hall::HallQuery as JSON, and its URL query string (what the list links to).
    query        JSONB NOT NULL,
    url          TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    checked_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (developer_id, url)
);
CREATE INDEX notifications_unread_saved_search ON notifications (user_id, note)
    WHERE kind = 'saved_search_match' AND read_at IS NULL;
