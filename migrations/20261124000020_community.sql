-- The community board: posts in Markdown (rendered and sanitised on the server), replies and likes;
-- searched with the hall's index (words cut in Rust, `app::search`), moderated by admins.

CREATE TABLE posts (
    id             UUID PRIMARY KEY,
    author_id      UUID NOT NULL REFERENCES users (id),
    title          TEXT NOT NULL CHECK (char_length(title) BETWEEN 4 AND 80),
    body           TEXT NOT NULL CHECK (char_length(body) BETWEEN 10 AND 10000),
    -- Skill-tag slugs, as the hall names them.
    tags           TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 5),
    search_tsv     tsvector,
    status         TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
    moderation_note TEXT NOT NULL DEFAULT '',
    like_count     INTEGER NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    reply_count    INTEGER NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX posts_visible ON posts (created_at DESC, id DESC) WHERE status = 'visible';
CREATE INDEX posts_search ON posts USING gin (search_tsv);
CREATE INDEX posts_tags ON posts USING gin (tags);
CREATE INDEX posts_author ON posts (author_id, created_at DESC);

CREATE TABLE post_replies (
    id         UUID PRIMARY KEY,
    post_id    UUID NOT NULL REFERENCES posts (id),
    author_id  UUID NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX post_replies_post ON post_replies (post_id, created_at);

CREATE TABLE post_likes (
    post_id    UUID NOT NULL REFERENCES posts (id),
    user_id    UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id)
);

-- A developer's posts count for challenges (the weekly growth challenge's "write a post").
ALTER TABLE growth_events DROP CONSTRAINT growth_events_kind_check;
ALTER TABLE growth_events ADD CONSTRAINT growth_events_kind_check CHECK (kind IN (
    'task_completed', 'task_rated', 'badge_earned', 'checked_in', 'profile_completed',
    'hall_browsed', 'applied', 'invited', 'challenge_completed', 'admin_adjustment', 'community_post'));
