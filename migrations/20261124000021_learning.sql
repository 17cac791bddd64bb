-- Learning content (实战课程, 项目经验): courses and articles admins publish, free for registered
-- users; finishing one is a growth event that challenges can count.

CREATE TABLE courses (
    id          UUID PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9_-]{2,40}$'),
    kind        TEXT NOT NULL CHECK (kind IN ('course', 'article')),
    title       TEXT NOT NULL CHECK (char_length(title) BETWEEN 4 AND 80),
    summary     TEXT NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 200),
    -- Markdown, rendered and sanitised on the server.
    body        TEXT NOT NULL CHECK (char_length(body) BETWEEN 10 AND 50000),
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    published   BOOLEAN NOT NULL DEFAULT true,
    created_by  UUID REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX courses_published ON courses (created_at DESC) WHERE published;

CREATE TABLE course_completions (
    user_id      UUID NOT NULL REFERENCES users (id),
    course_id    UUID NOT NULL REFERENCES courses (id),
    completed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, course_id)
);

ALTER TABLE growth_events DROP CONSTRAINT growth_events_kind_check;
ALTER TABLE growth_events ADD CONSTRAINT growth_events_kind_check CHECK (kind IN (
    'task_completed', 'task_rated', 'badge_earned', 'checked_in', 'profile_completed',
    'hall_browsed', 'applied', 'invited', 'challenge_completed', 'admin_adjustment', 'community_post',
    'course_finished'));

-- The platform's first content, so the section is not empty on day one.
INSERT INTO courses (id, slug, kind, title, summary, body, minutes) VALUES
('01937b0e-0000-7000-8000-00000000c001', 'first-task-playbook', 'course', '接第一单：从申请到验收的实战流程',
 '如何写一份让商家愿意选你的申请，如何拆里程碑、按时交付、拿到五星评价。',
 E'## 1. 读懂需求\n\n先看**验收标准**和截止日期，不清楚的地方在任务对话里问清楚，再申请。\n\n## 2. 写申请\n\n- 说明你做过的相似项目\n- 给出里程碑和时间\n- 不要复制粘贴\n\n## 3. 交付\n\n按里程碑交付，附上说明和演示链接。被要求修改时，逐条回应。\n\n## 4. 评价\n\n完成后互评是双盲的：认真写，对方也看不到你的评价，直到双方都写完。',
 20),
('01937b0e-0000-7000-8000-00000000c002', 'miniprogram-payment', 'article', '项目经验：小程序支付回调的三个坑',
 '验签、幂等和超时重试：一个真实的小程序商城项目复盘。',
 E'## 验签\n\n支付回调必须验签，否则任何人都能伪造“已支付”。\n\n## 幂等\n\n同一笔回调可能来两次：用订单号做幂等键，只入账一次。\n\n## 超时重试\n\n回调处理超时，支付平台会重试：处理要快，耗时的工作放到后台任务。',
 12),
('01937b0e-0000-7000-8000-00000000c003', 'rust-axum-api', 'course', 'Rust 实战：用 axum 写一个可测试的 REST 接口',
 '从路由、提取器到集成测试：写出商家放心验收的后端接口。',
 E'## 路由与提取器\n\n用 `Router::new().route(...)` 组织接口，用提取器拿到参数和状态。\n\n## 错误处理\n\n为接口定义自己的错误类型，给用户清楚的提示，不要返回 500。\n\n## 测试\n\n用真实数据库跑集成测试，每个测试一个全新的库。',
 45);
