-- Challenges (daily, weekly, onboarding), the developer's profile, invitations, the skill tree and
-- tasks that need a minimum level.

-- The skill tree: every skill tag hangs under one branch, and the branches are the task categories
-- (后端 → Rust, Python; 前端 → Vue, React). A tag added before the tree is under 'other'.
ALTER TABLE skill_tags ADD COLUMN branch TEXT NOT NULL DEFAULT 'other'
    CHECK (branch IN ('backend', 'frontend', 'mobile', 'data', 'design', 'devops', 'other'));

-- The profile a developer completes in week one, and what they say they can do.
ALTER TABLE users
    ADD COLUMN headline TEXT NOT NULL DEFAULT '',
    ADD COLUMN bio TEXT NOT NULL DEFAULT '',
    -- The personal invite link's code; a registration through it is the inviter's growth event.
    ADD COLUMN invite_code TEXT NOT NULL UNIQUE DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 10),
    ADD COLUMN invited_by UUID REFERENCES users (id);
CREATE TABLE user_skills (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES skill_tags (id),
    PRIMARY KEY (user_id, tag_id)
);

-- A task may require a minimum developer level; the hall shows it and applying below it is refused.
ALTER TABLE tasks ADD COLUMN min_level TEXT CHECK (min_level IN ('B', 'A', 'S'));

-- What a developer does is a growth event too (most carry no points): challenges count them in
-- their window, and each is keyed by its cause so that nothing counts twice.
ALTER TABLE growth_events DROP CONSTRAINT growth_events_kind_check;
ALTER TABLE growth_events ADD CONSTRAINT growth_events_kind_check
    CHECK (kind IN ('task_completed', 'task_rated', 'badge_earned', 'checked_in', 'profile_completed',
                    'hall_browsed', 'applied', 'invited', 'challenge_completed'));

-- Challenges are rules stored as data (a domain::challenges::ChallengeRule as JSON), like badges.
-- Completing one is a growth event keyed by challenge, window and developer, so once per window.
CREATE TABLE challenges (
    id              SERIAL PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9_-]{2,40}$'),
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    description_zh  TEXT NOT NULL,
    description_en  TEXT NOT NULL,
    rule            JSONB NOT NULL,
    growth_points   INTEGER NOT NULL CHECK (growth_points BETWEEN 0 AND 10000),
    badge_slug      TEXT REFERENCES badges (slug),
    title_zh        TEXT,
    title_en        TEXT,
    lottery_entries INTEGER NOT NULL DEFAULT 0 CHECK (lottery_entries BETWEEN 0 AND 10),
    active          BOOLEAN NOT NULL DEFAULT true,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE developer_challenges (
    developer_id UUID NOT NULL REFERENCES users (id),
    challenge_id INTEGER NOT NULL REFERENCES challenges (id),
    -- The window's first day (days since 1970-01-01, China time); an onboarding window starts at
    -- registration.
    window_start INTEGER NOT NULL,
    event_id     BIGINT NOT NULL REFERENCES growth_events (id),
    completed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (developer_id, challenge_id, window_start)
);
CREATE INDEX developer_challenges_recent ON developer_challenges (developer_id, completed_at);

INSERT INTO badges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points) VALUES
('welcome', '新人见面礼', 'Welcome aboard', '入驻第一周完善资料并逛一逛任务大厅。',
 'In your first week, complete your profile and browse the task hall.', '{"kind": "by_challenge"}', 0);

INSERT INTO challenges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points, badge_slug,
                        title_zh, title_en, lottery_entries) VALUES
('welcome', '入驻见面礼', 'Welcome pack', '注册后 7 天内完善个人资料，并浏览一次任务大厅。',
 'Within 7 days of joining, complete your profile and browse the task hall.',
 '{"cadence": {"kind": "onboarding", "until_day": 7}, "goals": [{"activity": "profile_completed", "count": 1}, {"activity": "hall_browsed", "count": 1}], "any_of": false}',
 100, 'welcome', NULL, NULL, 0),
('first-application', '投递挑战', 'First application', '注册后 21 天内投递任意一个任务。',
 'Within 21 days of joining, apply to any task.',
 '{"cadence": {"kind": "onboarding", "until_day": 21}, "goals": [{"activity": "applied", "count": 1}], "any_of": false}',
 20, NULL, '求职者', 'Job seeker', 1),
('first-record', '履历挑战', 'First record', '注册后 28 天内完成第一个任务并获得评分：解锁技能图谱，生成简历卡片。',
 'Within 28 days of joining, finish your first task and get rated: unlocks your skill graph and resume card.',
 '{"cadence": {"kind": "onboarding", "until_day": 28}, "goals": [{"activity": "task_rated", "count": 1}], "any_of": false}',
 50, NULL, '履历新星', 'Rising record', 0),
('weekly-growth', '每周成长挑战', 'Weekly growth', '本周完成 1 个任务、发 1 篇社区帖子或邀请 1 位好友注册，任选其一。',
 'This week, finish a task, write a community post or invite a friend who registers: any one.',
 '{"cadence": {"kind": "weekly"}, "goals": [{"activity": "task_finished", "count": 1}, {"activity": "community_post", "count": 1}, {"activity": "invited", "count": 1}], "any_of": true}',
 30, NULL, NULL, NULL, 1),
('daily-visit', '每日逛大厅', 'Daily visit', '今天签到并浏览一次任务大厅。', 'Check in today and browse the task hall.',
 '{"cadence": {"kind": "daily"}, "goals": [{"activity": "checked_in", "count": 1}, {"activity": "hall_browsed", "count": 1}], "any_of": false}',
 5, NULL, NULL, NULL, 0),
('weekly-rated', '本周双好评', 'Two ratings this week', '本周有 2 个完成的任务获得商家评分。',
 'Get two finished tasks rated by their merchants this week.',
 '{"cadence": {"kind": "weekly"}, "goals": [{"activity": "task_rated", "count": 2}], "any_of": false}',
 40, NULL, NULL, NULL, 0);
