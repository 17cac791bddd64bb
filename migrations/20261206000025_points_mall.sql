-- The points mall (积分商城): growth points buy resume card themes and draw tickets. Spending is
-- kept apart from earning: `growth_points` (earned) never goes down, so boards and levels do not
-- move; what may be spent is growth_points - points_spent.
ALTER TABLE developer_growth ADD COLUMN points_spent BIGINT NOT NULL DEFAULT 0 CHECK (points_spent >= 0);

CREATE TABLE point_purchases (
    id           BIGSERIAL PRIMARY KEY,
    developer_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- "theme-ink", "draw-ticket" (domain::mall::MallItem::slug).
    item         TEXT NOT NULL,
    points       INTEGER NOT NULL CHECK (points > 0),
    -- The purchase key the mall page was rendered with: a double-click or a retry buys once.
    purchase_key TEXT NOT NULL UNIQUE,
    bought_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A theme is owned once, whatever races.
CREATE UNIQUE INDEX point_purchases_theme_once ON point_purchases (developer_id, item) WHERE item LIKE 'theme-%';
CREATE INDEX point_purchases_by_developer ON point_purchases (developer_id, bought_at);

-- The resume card's look, chosen by its owner from the themes they bought (NULL: the free light one).
ALTER TABLE users ADD COLUMN card_theme TEXT;

-- Admins' changes to the catalogue (domain::mall's launch prices apply to items without a row):
-- the price in points, and whether the item is on sale. Bought themes stay worn either way.
CREATE TABLE mall_prices (
    item       TEXT PRIMARY KEY,
    points     INTEGER NOT NULL CHECK (points BETWEEN 1 AND 100000),
    on_sale    BOOLEAN NOT NULL DEFAULT true,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
