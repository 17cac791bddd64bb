-- A task's category (后端开发, 设计, …) decides the platform's commission on it. Tasks written before
-- categories existed are 'other'; new ones must name theirs.
ALTER TABLE tasks ADD COLUMN category TEXT NOT NULL DEFAULT 'other'
    CHECK (category IN ('backend', 'frontend', 'mobile', 'data', 'design', 'devops', 'other'));
ALTER TABLE tasks ALTER COLUMN category DROP DEFAULT;

-- Who scheduled each rate and when. A rate is never edited or deleted: a change is a new row from
-- its effective time on, and a funded task keeps the rate it was funded with (tasks.commission_bps).
ALTER TABLE commission_rates
    ADD COLUMN set_by UUID REFERENCES users (id),
    ADD COLUMN set_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD CONSTRAINT commission_rates_category
        CHECK (category IN ('default', 'backend', 'frontend', 'mobile', 'data', 'design', 'devops', 'other'));
