//! Demo data: an admin, three merchants (company, team, individual), twenty developers, the skill-tag
//! list, a hall of tasks in Chinese and English, and finished, rated work for twelve developers. Loading is idempotent: every row has a fixed key
//! and is inserted with ON CONFLICT DO NOTHING, so running it twice changes nothing.

mod history;
mod invitations;
mod portfolio;
mod quotes;
mod talent;

pub use history::load_history;
pub use invitations::load_invitations;
pub use portfolio::load_portfolios;
pub use quotes::load_quotes;
pub use talent::load_talent;

use app::{
    db::{ledger, search},
    domain::{ledger::Movement, money::Money},
};
use sqlx::PgPool;
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "codelink-demo";
pub const DEMO_TASKS: usize = 200;

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub merchant_kind: Option<&'static str>,
}

pub const ADMIN: DemoAccount =
    DemoAccount { email: "admin@codelink.dev", name: "平台管理员", role: "admin", merchant_kind: None };

/// The demo admin's TOTP secret (base32). Demo data only, and published in the README so that
/// anyone trying the demo can add it to an authenticator app: admins must pass a second factor.
pub const ADMIN_TOTP_SECRET: &str = "CODELINK2FADEMOADMINSECRETKEY234";

pub const MERCHANTS: [DemoAccount; 3] = [
    DemoAccount { email: "hr@xingchen.tech", name: "星辰科技", role: "merchant", merchant_kind: Some("company") },
    DemoAccount {
        email: "hello@mianbao.studio", name: "面包工作室", role: "merchant", merchant_kind: Some("team")
    },
    DemoAccount { email: "wang.lei@example.cn", name: "王磊", role: "merchant", merchant_kind: Some("individual") },
];

const DEVELOPER_NAMES: [&str; 20] = [
    "李雷",
    "韩梅梅",
    "张伟",
    "陈静",
    "刘洋",
    "赵敏",
    "孙浩",
    "周婷",
    "吴迪",
    "郑爽",
    "Alex Chen",
    "Maria Lopez",
    "Kenji Sato",
    "Priya Nair",
    "Tom Becker",
    "林晓",
    "何军",
    "高远",
    "Sara Kim",
    "徐航",
];

pub fn developer_email(n: usize) -> String {
    format!("dev{:02}@codelink.dev", n + 1)
}

/// (slug, Chinese name, English name)
/// (slug, Chinese, English, branch of the skill tree).
pub const SKILL_TAGS: [(&str, &str, &str, &str); 34] = [
    ("rust", "Rust", "Rust", "backend"),
    ("python", "Python", "Python", "backend"),
    ("go", "Go", "Go", "backend"),
    ("java", "Java", "Java", "backend"),
    ("typescript", "TypeScript", "TypeScript", "frontend"),
    ("javascript", "JavaScript", "JavaScript", "frontend"),
    ("react", "React", "React", "frontend"),
    ("vue", "Vue", "Vue", "frontend"),
    ("miniprogram", "小程序", "Mini program", "mobile"),
    ("wechat", "微信开发", "WeChat development", "mobile"),
    ("flutter", "Flutter", "Flutter", "mobile"),
    ("ios", "iOS", "iOS", "mobile"),
    ("android", "Android", "Android", "mobile"),
    ("nodejs", "Node.js", "Node.js", "backend"),
    ("postgresql", "PostgreSQL", "PostgreSQL", "backend"),
    ("mysql", "MySQL", "MySQL", "backend"),
    ("redis", "Redis", "Redis", "backend"),
    ("data-analysis", "数据分析", "Data analysis", "data"),
    ("machine-learning", "机器学习", "Machine learning", "data"),
    ("scraping", "爬虫", "Web scraping", "data"),
    ("devops", "运维部署", "DevOps", "devops"),
    ("docker", "Docker", "Docker", "devops"),
    ("kubernetes", "Kubernetes", "Kubernetes", "devops"),
    ("ui-design", "UI 设计", "UI design", "design"),
    ("testing", "自动化测试", "Test automation", "devops"),
    ("backend", "后端开发", "Backend", "backend"),
    ("frontend", "前端开发", "Frontend", "frontend"),
    ("blockchain", "区块链", "Blockchain", "other"),
    ("security", "网络安全", "Security", "devops"),
    ("embedded", "嵌入式", "Embedded", "other"),
    ("php", "PHP", "PHP", "backend"),
    ("excel", "Excel 自动化", "Excel automation", "data"),
    ("nlp", "自然语言处理", "NLP", "data"),
    ("visualization", "数据可视化", "Data visualisation", "data"),
];

/// A task shape: title and description with `{}` for the client, tags, difficulty, base reward (yuan).
struct Template {
    category: &'static str,
    title: &'static str,
    description: &'static str,
    tags: &'static [&'static str],
    difficulty: i16,
    base_yuan: i64,
}

const TEMPLATES: [Template; 20] = [
    Template { category: "mobile", title: "为{}开发微信小程序点单功能", description: "需要一个微信小程序开发者，为{}实现菜单浏览、下单和微信支付，后端接口已就绪。", tags: &["miniprogram", "wechat", "javascript"], difficulty: 3, base_yuan: 3000 },
    Template { category: "data", title: "{}销售数据分析看板", description: "用 Python 做一个数据分析看板，整理{}近一年的销售数据，输出周报图表。", tags: &["python", "data-analysis", "visualization"], difficulty: 2, base_yuan: 1500 },
    Template { category: "backend", title: "用 Rust 重写{}的后端服务", description: "把{}现有的 Python 后端迁移到 Rust（axum + sqlx），要求接口兼容、压测报告。", tags: &["rust", "backend", "postgresql"], difficulty: 5, base_yuan: 12000 },
    Template { category: "frontend", title: "Build a React admin dashboard for {}", description: "We need a React + TypeScript admin dashboard for {} with tables, filters and charts. Designs are ready in Figma.", tags: &["react", "typescript", "frontend"], difficulty: 3, base_yuan: 4500 },
    Template { category: "frontend", title: "{}官网 Vue 3 改版", description: "将{}官网从 jQuery 迁移到 Vue 3，响应式适配手机端，SEO 友好。", tags: &["vue", "frontend", "javascript"], difficulty: 2, base_yuan: 2500 },
    Template { category: "data", title: "Scrape public price data for {}", description: "Write a polite web scraper that collects public price listings for {} daily and stores them in PostgreSQL.", tags: &["python", "scraping", "postgresql"], difficulty: 2, base_yuan: 1200 },
    Template { category: "backend", title: "{}会员系统接口开发（Go）", description: "使用 Go 为{}开发会员积分、优惠券接口，MySQL 存储，Redis 缓存热点数据。", tags: &["go", "backend", "mysql", "redis"], difficulty: 4, base_yuan: 6000 },
    Template { category: "mobile", title: "Flutter app for {} bookings", description: "A Flutter app (iOS and Android) for {} customers to book time slots and get reminders.", tags: &["flutter", "ios", "android"], difficulty: 4, base_yuan: 8000 },
    Template { category: "devops", title: "{}服务器 Docker 化与自动部署", description: "把{}的三个服务 Docker 化，配置 CI/CD 自动部署到云服务器，并写运维文档。", tags: &["devops", "docker"], difficulty: 3, base_yuan: 2800 },
    Template { category: "devops", title: "Kubernetes migration for {}", description: "Move {}'s services from VMs to Kubernetes with Helm charts, health checks and autoscaling.", tags: &["kubernetes", "docker", "devops"], difficulty: 5, base_yuan: 15000 },
    Template { category: "design", title: "{} App 界面 UI 设计", description: "为{}设计 App 主要界面（首页、详情、个人中心），交付 Figma 源文件和切图。", tags: &["ui-design"], difficulty: 2, base_yuan: 2000 },
    Template { category: "devops", title: "Automated test suite for {}", description: "Write end-to-end tests for {}'s web app with Playwright, run them in CI and report flaky tests.", tags: &["testing", "typescript"], difficulty: 3, base_yuan: 3500 },
    Template { category: "data", title: "{}客服评论情感分析", description: "用自然语言处理和机器学习对{}的用户评论做情感分析，输出模型和分析报告。", tags: &["nlp", "machine-learning", "python"], difficulty: 4, base_yuan: 7000 },
    Template { category: "data", title: "{}库存表格 Excel 自动化", description: "写 Python 脚本把{}每天的库存 Excel 自动汇总、生成报表并发邮件。", tags: &["excel", "python"], difficulty: 1, base_yuan: 600 },
    Template { category: "backend", title: "Node.js API for {} orders", description: "Build a Node.js REST API for {} orders with authentication, pagination and OpenAPI docs.", tags: &["nodejs", "backend", "postgresql"], difficulty: 3, base_yuan: 4000 },
    Template { category: "devops", title: "{}网站安全检测与加固", description: "对{}网站做一次渗透测试和安全加固，输出漏洞清单和修复建议。", tags: &["security", "php"], difficulty: 4, base_yuan: 5000 },
    Template { category: "other", title: "{}智能设备嵌入式固件开发", description: "为{}的温湿度传感器开发嵌入式固件，支持低功耗和蓝牙上报。", tags: &["embedded", "rust"], difficulty: 5, base_yuan: 10000 },
    Template { category: "backend", title: "Java Spring backend fixes for {}", description: "Fix performance issues in {}'s Java Spring backend and add MySQL indexes where queries are slow.", tags: &["java", "backend", "mysql"], difficulty: 3, base_yuan: 3800 },
    Template { category: "backend", title: "{}积分上链存证（区块链）", description: "为{}的会员积分设计区块链存证方案并实现智能合约原型。", tags: &["blockchain", "backend"], difficulty: 5, base_yuan: 9000 },
    Template { category: "mobile", title: "{}小程序数据可视化报表", description: "在{}小程序里加入数据可视化报表页，展示订单趋势与用户画像数据分析结果。", tags: &["miniprogram", "visualization", "data-analysis"], difficulty: 2, base_yuan: 1800 },
];

/// Clients named in the template's own language, so no title mixes the two mid-sentence.
const CLIENTS_ZH: [&str; 6] = ["连锁咖啡店", "社区团购平台", "健身房", "宠物医院", "培训机构", "独立书店"];
const CLIENTS_EN: [&str; 6] = [
    "a boutique hotel",
    "an online bakery",
    "a language school",
    "a bike rental shop",
    "a dental clinic",
    "a craft brewery",
];

/// A fixed id per generated task, so reloading the demo inserts nothing new.
fn task_id(n: usize) -> Uuid {
    Uuid::from_u128(0x0c0d_e11c_0000_4000_8000_0000_0000_0000 | n as u128)
}

pub struct GeneratedTask {
    pub id: Uuid,
    pub merchant_index: usize,
    pub category: &'static str,
    pub title: String,
    pub description: String,
    pub tags: &'static [&'static str],
    pub difficulty: i16,
    pub reward_fen: i64,
    /// Minutes before now that the task was posted.
    pub age_minutes: i64,
    /// Days after posting that it is due.
    pub due_in_days: i64,
}

/// The n-th demo task. The hall mixes Chinese and English tasks, as a Chinese platform with foreign
/// clients would; each task stays in one language.
pub fn generate_task(n: usize) -> GeneratedTask {
    let template = &TEMPLATES[n % TEMPLATES.len()];
    let clients = if template.title.is_ascii() { CLIENTS_EN } else { CLIENTS_ZH };
    let client = clients[(n / TEMPLATES.len() + n) % clients.len()];
    // Rewards vary by up to +60% in steps, rounded to whole yuan; some end in .50 to show the fen.
    let factor = 100 + ((n * 37) % 7) as i64 * 10;
    let half = if n % 5 == 0 { 50 } else { 0 };
    GeneratedTask {
        id: task_id(n),
        merchant_index: n % MERCHANTS.len(),
        category: template.category,
        title: template.title.replace("{}", client),
        description: template.description.replace("{}", client),
        tags: template.tags,
        difficulty: template.difficulty,
        reward_fen: template.base_yuan * factor + half,
        age_minutes: (n as i64) * 47,
        due_in_days: 7 + ((n * 13) % 40) as i64,
    }
}

pub async fn load(pool: &PgPool, task_count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let hash = {
        let password = DEMO_PASSWORD.to_string();
        tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?
    };
    let mut tx = pool.begin().await?;

    for (slug, zh, en, branch) in SKILL_TAGS {
        sqlx::query(
            "INSERT INTO skill_tags (slug, name_zh, name_en, branch) VALUES ($1, $2, $3, $4)
             ON CONFLICT (slug) DO UPDATE SET branch = EXCLUDED.branch",
        )
        .bind(slug)
        .bind(zh)
        .bind(en)
        .bind(branch)
        .execute(&mut *tx)
        .await?;
    }

    let developers: Vec<(String, &str)> =
        DEVELOPER_NAMES.iter().enumerate().map(|(n, name)| (developer_email(n), *name)).collect();
    let accounts = std::iter::once((ADMIN.email.to_string(), ADMIN.name, ADMIN.role, ADMIN.merchant_kind))
        .chain(MERCHANTS.iter().map(|m| (m.email.to_string(), m.name, m.role, m.merchant_kind)))
        .chain(developers.iter().map(|(email, name)| (email.clone(), *name, "developer", None)));
    let mut emails = Vec::new();
    for (email, name, role, merchant_kind) in accounts {
        emails.push(email.to_lowercase());
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lower(email)) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(&email)
        .bind(name)
        .bind(&hash)
        .bind(role)
        .bind(merchant_kind)
        .execute(&mut *tx)
        .await?;
    }

    // The demo accounts have accepted the terms and privacy policy in force, so logging in as one
    // opens the site rather than the consent page.
    let ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = ANY($1)")
        .bind(&emails)
        .fetch_all(&mut *tx)
        .await?;
    for id in ids {
        app::db::legal::accept(&mut tx, id, &app::domain::legal::Document::CONSENTED).await?;
    }

    sqlx::query(
        "INSERT INTO second_factors (user_id, totp_secret) SELECT id, $2 FROM users WHERE lower(email) = $1
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(ADMIN.email)
    .bind(ADMIN_TOTP_SECRET)
    .execute(&mut *tx)
    .await?;

    // Demo developers' resume cards live at readable addresses: /u/dev01 … /u/dev20.
    sqlx::query("UPDATE users SET handle = split_part(email, '@', 1) WHERE email = ANY($1) AND role = 'developer'")
        .bind(developers.iter().map(|(email, _)| email.clone()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;

    // …and bound mobile numbers for logging in by SMS code: dev01 is 138 0000 0001, dev20 is
    // 138 0000 0020 (their codes arrive on the sandbox phone). A number someone took is left alone.
    sqlx::query(
        "UPDATE users u SET phone = '+86138000000' || right(split_part(u.email, '@', 1), 2)
         WHERE u.email = ANY($1) AND u.role = 'developer' AND u.phone IS NULL
           AND NOT EXISTS (SELECT 1 FROM users o WHERE o.phone = '+86138000000' || right(split_part(u.email, '@', 1), 2))",
    )
    .bind(developers.iter().map(|(email, _)| email.clone()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;

    let merchant_ids: Vec<Uuid> = {
        let emails: Vec<&str> = MERCHANTS.iter().map(|m| m.email).collect();
        let rows: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, email FROM users WHERE email = ANY($1)")
            .bind(&emails)
            .fetch_all(&mut *tx)
            .await?;
        emails
            .iter()
            .map(|e| rows.iter().find(|(_, email)| email == e).map(|(id, _)| *id).ok_or("merchant missing"))
            .collect::<Result<_, _>>()?
    };

    tx.commit().await?;
    // Tasks and their tags go in as arrays, a thousand per statement and per transaction: one
    // transaction for 100,000 tasks would update each merchant's ledger row thousands of times,
    // and every update walks the versions the earlier ones left (quadratic).
    for chunk_start in (0..task_count).step_by(1000) {
        let mut tx = pool.begin().await?;
        let tasks: Vec<GeneratedTask> =
            (chunk_start..(chunk_start + 1000).min(task_count)).map(generate_task).collect();
        // Published tasks, one milestone each, at the default 10% commission.
        let inserted: Vec<Uuid> = sqlx::query_scalar(
            "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline, created_at,
                                status, commission_bps, published_at, category)
             SELECT id, merchant_id, title, description, difficulty, reward_fen,
                    app_now() - make_interval(mins => age) + make_interval(days => due),
                    app_now() - make_interval(mins => age), 'open', 1000, app_now() - make_interval(mins => age), category
             FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int2[], $6::int8[], $7::int4[], $8::int4[],
                         $9::text[])
                  AS t(id, merchant_id, title, description, difficulty, reward_fen, age, due, category)
             ON CONFLICT (id) DO NOTHING
             RETURNING id",
        )
        .bind(tasks.iter().map(|t| t.id).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| merchant_ids[t.merchant_index]).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.title.clone()).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.description.clone()).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.difficulty).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.reward_fen).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.age_minutes as i32).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.due_in_days as i32).collect::<Vec<_>>())
        .bind(tasks.iter().map(|t| t.category).collect::<Vec<_>>())
        .fetch_all(&mut *tx)
        .await?;
        let new_tasks: Vec<&GeneratedTask> = tasks.iter().filter(|t| inserted.contains(&t.id)).collect();
        fund_demo_tasks(&mut tx, &merchant_ids, &new_tasks).await?;
        let (task_ids, slugs): (Vec<Uuid>, Vec<&str>) =
            tasks.iter().flat_map(|t| t.tags.iter().map(move |slug| (t.id, *slug))).unzip();
        sqlx::query(
            "INSERT INTO task_tags (task_id, tag_id)
             SELECT t.task_id, s.id FROM UNNEST($1::uuid[], $2::text[]) AS t(task_id, slug)
             JOIN skill_tags s ON s.slug = t.slug
             ON CONFLICT DO NOTHING",
        )
        .bind(task_ids)
        .bind(slugs)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if (chunk_start / 1000) % 10 == 9 {
            tracing::info!(tasks = chunk_start + 1000, "demo tasks loaded");
        }
    }
    let mut tx = pool.begin().await?;
    // Spending money for the demo merchants, so they can publish new tasks straight away.
    for (n, merchant) in merchant_ids.iter().enumerate() {
        let order = Uuid::from_u128(0x0c0d_e11c_d000_4000_8000_0000_0000_0000 | n as u128);
        ledger::post(&mut tx, &Movement::deposit(order, *merchant, Money::from_fen(DEMO_MERCHANT_BALANCE_FEN))).await?;
    }
    tx.commit().await?;
    // The bulk insert above skips the per-task search indexing; index them all now.
    search::backfill(pool).await?;
    // Fresh statistics and visibility map after a bulk load, so the planner and index-only scans see
    // the real table sizes from the first request on.
    sqlx::query("VACUUM (ANALYZE) tasks, task_tags, milestones, ledger_accounts, ledger_entries").execute(pool).await?;
    Ok(())
}

/// What each demo merchant has available to spend, beyond their published tasks.
pub const DEMO_MERCHANT_BALANCE_FEN: i64 = 5_000_000;

/// Gives every new demo task what a real one has: a milestone and its reward in escrow. The money
/// goes through the ledger like any deposit and publication, so the invariants hold for demo data too.
async fn fund_demo_tasks(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    merchant_ids: &[Uuid],
    tasks: &[&GeneratedTask],
) -> Result<(), Box<dyn std::error::Error>> {
    if tasks.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO milestones (id, task_id, position, amount_fen)
         SELECT gen_random_uuid(), id, 1, amount FROM UNNEST($1::uuid[], $2::int8[]) AS m(id, amount)",
    )
    .bind(tasks.iter().map(|t| t.id).collect::<Vec<_>>())
    .bind(tasks.iter().map(|t| t.reward_fen).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    for task in tasks {
        let merchant = merchant_ids[task.merchant_index];
        let reward = Money::from_fen(task.reward_fen);
        // At the moment the task was published (the application clock, for this transaction only),
        // so the wallet reads deposit, then escrow, when the task appeared.
        sqlx::query("SELECT set_config('codelink.clock', (now() - make_interval(mins => $1))::text, true)")
            .bind(task.age_minutes as i32)
            .execute(&mut **tx)
            .await?;
        // A deposit per task keyed by the task, so a reload never deposits twice.
        ledger::post(tx, &Movement::deposit(task.id, merchant, reward)).await?;
        ledger::post(tx, &Movement::fund_escrow(task.id, merchant, reward)).await?;
    }
    sqlx::query("SELECT set_config('codelink.clock', '', true)").execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tasks_are_valid_and_stable() {
        for n in 0..DEMO_TASKS {
            let task = generate_task(n);
            assert!((1..=5).contains(&task.difficulty));
            assert!(task.reward_fen > 0);
            assert!(!task.title.contains("{}"));
            assert!(task.title.chars().count() <= 120);
            assert!(task.title.is_ascii() == task.description.is_ascii(), "one language per task");
            assert!(task.tags.iter().all(|t| SKILL_TAGS.iter().any(|(slug, ..)| slug == t)));
        }
        assert_eq!(generate_task(7).id, generate_task(7).id);
        assert_ne!(generate_task(7).id, generate_task(8).id);
    }

    #[test]
    fn the_demo_uses_at_least_thirty_tags() {
        let used: std::collections::HashSet<&str> =
            (0..DEMO_TASKS).flat_map(|n| generate_task(n).tags.iter().copied()).collect();
        assert!(used.len() >= 30, "only {} tags used", used.len());
    }
}
