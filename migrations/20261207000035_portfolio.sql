-- A developer's portfolio (作品集): up to twelve pieces of work they choose to show on their card,
-- in their own order. An item may carry the platform task it shows (pinned, so verifiable), at most
-- once per task. The bounds repeat domain::portfolio's, so nothing else can write past them; the
-- count (twelve) is checked by db::portfolio with the developer's row locked.
CREATE TABLE portfolio_items (
    id           UUID PRIMARY KEY,
    developer_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
    role         TEXT NOT NULL DEFAULT '' CHECK (char_length(role) <= 30),
    description  TEXT NOT NULL DEFAULT '' CHECK (char_length(description) <= 3000),
    link         TEXT CHECK (link ~ '^https?://' AND char_length(link) <= 500),
    task_id      UUID UNIQUE REFERENCES tasks (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT app_now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT app_now(),
    -- Deferred, so a reorder may rewrite every position in one transaction.
    CONSTRAINT portfolio_items_one_per_place UNIQUE (developer_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE portfolio_item_tags (
    item_id UUID NOT NULL REFERENCES portfolio_items (id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES skill_tags (id),
    PRIMARY KEY (item_id, tag_id)
);

-- Images live in the database beside their item, like delivery files: written in the item's own
-- transaction (a refused upload leaves nothing), deleted with it. Only the types the content was
-- recognised as are stored, and that type is what the image is served with.
CREATE TABLE portfolio_images (
    id           UUID PRIMARY KEY,
    item_id      UUID NOT NULL REFERENCES portfolio_items (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    sha256       TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT app_now()
);
-- Already compressed: stored out of line without a futile second compression.
ALTER TABLE portfolio_images ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX portfolio_images_by_item ON portfolio_images (item_id, id);
