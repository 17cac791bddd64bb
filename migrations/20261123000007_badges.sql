-- Badges are rules stored as data (a domain::badges::BadgeRule as JSON), so admins add new ones
-- without a code change. Earning one is a growth event like any other: it carries the badge's growth
-- points (成长积分, never money), and its idempotency key makes it once per developer.
CREATE TABLE badges (
    id             SERIAL PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9_-]{2,40}$'),
    name_zh        TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 20),
    name_en        TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 40),
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    rule           JSONB NOT NULL,
    growth_points  INTEGER NOT NULL CHECK (growth_points BETWEEN 0 AND 10000),
    created_by     UUID REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE growth_events DROP CONSTRAINT growth_events_kind_check;
ALTER TABLE growth_events ADD CONSTRAINT growth_events_kind_check
    CHECK (kind IN ('task_completed', 'task_rated', 'badge_earned', 'checked_in'));
ALTER TABLE growth_events ADD COLUMN growth_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE developer_growth ADD COLUMN growth_points BIGINT NOT NULL DEFAULT 0;

CREATE TABLE developer_badges (
    developer_id UUID NOT NULL REFERENCES users (id),
    badge_id     INTEGER NOT NULL REFERENCES badges (id),
    event_id     BIGINT NOT NULL REFERENCES growth_events (id),
    earned_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (developer_id, badge_id)
);

-- A developer's daily check-ins (连续打卡) are growth events keyed by the day; this finds them fast.
CREATE INDEX growth_events_check_ins ON growth_events (developer_id, created_at) WHERE kind = 'checked_in';

INSERT INTO badges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points) VALUES
('first-task', '首单完成', 'First task', '完成第一个任务并拿到报酬。', 'Finish your first task and get paid.',
 '{"kind": "finished_tasks", "count": 1, "min_difficulty": 1}', 20),
('challenger', '挑战者', 'Challenger', '完成 3 个难度为“高级”或“专家”的任务。', 'Finish 3 tasks rated Advanced or Expert.',
 '{"kind": "finished_tasks", "count": 3, "min_difficulty": 4}', 100),
('steady', '稳定输出者', 'Steady output', '连续 4 周每周至少完成 1 个任务。', 'Finish at least one task a week, 4 weeks in a row.',
 '{"kind": "weekly_streak", "weeks": 4}', 100),
('top-rated', '高分达人', 'Top rated', '最近 5 个被评分的任务平均 4.8 星以上。', 'Average 4.8★ or more over your last 5 rated tasks.',
 '{"kind": "average_rating", "min_stars_x100": 480, "over_last": 5}', 100),
('check-in-7', '连续打卡', 'Check-in streak', '连续 7 天每日打卡。', 'Check in 7 days in a row.',
 '{"kind": "daily_streak", "days": 7}', 50);
