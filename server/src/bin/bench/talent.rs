//! `bench talent [DEVELOPERS]`: talent search (`/developers`) at scale, printed as `name: value unit`.
//! Loads DEVELOPERS developers (default 50,000) with Chinese, English and mixed profiles, declared
//! and earned skills, growth records, availability, hourly rates, some finished tasks, hidden cards
//! and suspensions, indexes them through `db::talent::backfill`, then times 1,000 typical searches
//! (words in Chinese, English or both; tags any / all; level, rating, availability and rate
//! filters) through `read::talent::search`, the code the page runs (candidates, ranking, the page's
//! cards and their credit scores), and prints p50 and p95.

use crate::timing::{millis, percentile, report_slowest_shapes};
use app::{
    domain::{
        growth::Level,
        talent::{AvailabilityStatus, TalentQuery, TALENT_PAGE_SIZE},
    },
    read::talent::{explain, search},
    search::query_terms,
};
use server::demo::SKILL_TAGS;
use sqlx::PgPool;
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

const QUERIES: usize = 1_000;

/// Words merchants search developers for: Chinese, English and mixed, skills, names and past work.
const WORDS: [&str; 20] = [
    "Rust",
    "小程序",
    "数据分析",
    "react 前端",
    "Python 爬虫",
    "后端",
    "Go 微服务",
    "flutter",
    "机器学习",
    "Docker 部署",
    "admin dashboard",
    "测试",
    "UI 设计",
    "Kubernetes",
    "支付",
    "李",
    "Vue 官网",
    "数据可视化",
    "security",
    "",
];

/// The filters a search is combined with, in turn.
const FILTERS: [&str; 8] = [
    "no filter",
    "tags any python|data-analysis",
    "tags all rust+postgresql",
    "level A+",
    "rating 4.5+",
    "available",
    "rate <= 300",
    "tag vue, level B+, available",
];

fn filtered(filter: usize, q: &str) -> TalentQuery {
    let mut query = TalentQuery { q: q.to_string(), page: 1, ..TalentQuery::default() };
    match filter {
        0 => {}
        1 => query.tags = vec!["python".into(), "data-analysis".into()],
        2 => (query.tags, query.all_tags) = (vec!["rust".into(), "postgresql".into()], true),
        3 => query.level_min = Some(Level::A),
        4 => query.rating_min_x10 = Some(45),
        5 => query.availability = Some(AvailabilityStatus::Available),
        6 => query.rate_max_fen = Some(30_000),
        _ => {
            query.tags = vec!["vue".into()];
            query.level_min = Some(Level::B);
            query.availability = Some(AvailabilityStatus::Available);
        }
    }
    query.normalized()
}

pub async fn run(pool: PgPool, developers: i64) -> Result<(), Box<dyn std::error::Error>> {
    let have: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE email LIKE 'talent-%@bench.codelink.cn'")
        .fetch_one(&pool)
        .await?;
    if have < developers {
        let started = Instant::now();
        load(&pool, developers).await?;
        eprintln!("loaded {developers} developers in {:.1}s", started.elapsed().as_secs_f64());
    }
    let started = Instant::now();
    let indexed = app::db::talent::backfill(&pool).await?;
    if indexed > 0 {
        sqlx::query("VACUUM (ANALYZE) users, developer_growth, developer_skills, user_skills, tasks, restrictions")
            .execute(&pool)
            .await?;
        eprintln!("indexed {indexed} developers in {:.1}s", started.elapsed().as_secs_f64());
    }
    // One round to warm the caches, then the timed queries.
    for word in WORDS {
        search(&pool, &filtered(0, word), query_terms(word), TALENT_PAGE_SIZE).await?;
    }
    let mut times = Vec::with_capacity(QUERIES);
    let mut by_shape: HashMap<(&str, &str), Vec<Duration>> = HashMap::new();
    let mut found = 0;
    for n in 0..QUERIES {
        let (word, filter) = (WORDS[n % WORDS.len()], n / WORDS.len() % FILTERS.len());
        let query = filtered(filter, word);
        let start = Instant::now();
        let page = search(&pool, &query, query_terms(word), TALENT_PAGE_SIZE).await?;
        let took = start.elapsed();
        times.push(took);
        by_shape.entry((word, FILTERS[filter])).or_default().push(took);
        found += page.total;
    }
    let slowest = report_slowest_shapes(by_shape);
    if let Some((word, filter)) = slowest {
        let query = filtered(FILTERS.iter().position(|f| *f == filter).unwrap_or(0), word);
        eprintln!("plan of the slowest shape:\n{}", explain(&pool, &query, &query_terms(word)).await?);
    }
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'developer'").fetch_one(&pool).await?;
    println!("talent_search_developers: {total} developers");
    println!("talent_search_queries: {QUERIES} queries");
    println!("talent_search_mean_matches: {} developers", found / QUERIES as i64);
    println!("talent_search_p50: {:.2} ms", millis(percentile(&mut times, 50)));
    println!("talent_search_p95: {:.2} ms", millis(percentile(&mut times, 95)));
    println!("talent_search_max: {:.2} ms", millis(*times.last().expect("1,000 queries")));
    Ok(())
}

/// Bench developers, written in bulk (the search index is built afterwards by the backfill, as
/// for any developer written without one). Idempotent: keys and ON CONFLICT.
async fn load(pool: &PgPool, developers: i64) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    for (slug, zh, en, branch) in SKILL_TAGS {
        sqlx::query(
            "INSERT INTO skill_tags (slug, name_zh, name_en, branch) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(zh)
        .bind(en)
        .bind(branch)
        .execute(&mut *conn)
        .await?;
    }
    for sql in LOAD {
        let query = sqlx::query(sql);
        let query = if sql.contains("$1") { query.bind(developers) } else { query };
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

const LOAD: [&str; 9] = [
    "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
     VALUES ('00000000-0000-4000-8000-00000000b0b0', 'talent-merchant@bench.codelink.cn', '基准商家',
             'bench-no-login', 'merchant', 'company')
     ON CONFLICT DO NOTHING",
    // Names, headlines and introductions from small Chinese and English sets, combined so that each
    // word is shared by many developers (as skills are) but every developer differs.
    "INSERT INTO users (id, email, display_name, password_hash, role, handle, headline, bio, card_public,
                        availability, available_until, expected_rate_fen)
     SELECT gen_random_uuid(), 'talent-' || i || '@bench.codelink.cn',
            (ARRAY['李','王','张','刘','陈','杨','赵','黄','周','吴','Alex','Maria','Kenji','Priya','Tom','Sara'])[1 + i % 16]
                || (ARRAY['雷','敏','伟','静','洋','浩','婷','迪',' Chen',' Lopez',' Sato',' Nair'])[1 + (i / 16) % 12] || i,
            'bench-no-login', 'developer', 'tb' || i,
            (ARRAY['Rust 后端工程师，擅长高并发', 'Python 数据分析，擅长自动化报表', '微信小程序全流程开发',
                   'Vue 前端，官网与管理后台', 'React and TypeScript front-end developer', 'Go 微服务与会员系统',
                   'Flutter mobile apps for iOS and Android', '机器学习与自然语言处理', '运维部署，Docker 与 CI/CD',
                   'UI 设计，App 与小程序界面', 'Test automation engineer', 'Java 后端与数据库',
                   '爬虫与数据清洗', 'Kubernetes and cloud infrastructure', '网络安全与渗透测试',
                   'Full-stack Node.js developer'])[1 + (i * 7) % 16],
            (ARRAY['八年后端经验，做过支付清结算和高并发接口，熟悉 PostgreSQL 调优。',
                   '三年数据分析经验，做过零售门店的周报自动化和销售看板。',
                   '独立交付过十几个小程序：点单、预约、会员，含微信支付接入。',
                   'Six years building admin dashboards and design systems with React and TypeScript.',
                   'APIs in Node.js and PostgreSQL, small React front ends, deployed with Docker.',
                   '把老系统容器化、写自动部署流水线和监控告警，也写运维文档。',
                   'End-to-end suites with Playwright, flaky-test hunting and CI pipelines.',
                   '做过评论情感分析和文本分类，熟悉模型训练到上线的流程。',
                   '为二十多个产品做过界面设计，交付 Figma 源文件和设计规范。',
                   'Moves services from VMs to Kubernetes with Helm charts and autoscaling.',
                   '礼貌抓取公开数据，清洗入库，出每日报表。'])[1 + (i * 13) % 11],
            i % 37 <> 0,
            (ARRAY['available','available','available','available','available','available','available',
                   'busy','busy','paused'])[1 + i % 10],
            CASE WHEN i % 10 = 8 THEN china_date(app_now()) + ((i % 40) - 10)::int
                 WHEN i % 10 = 9 AND i % 20 = 9 THEN china_date(app_now()) + 30 END,
            CASE WHEN i % 5 = 0 THEN NULL ELSE (80 + (i * 37) % 600) * 100 END
     FROM generate_series(1, $1) AS i ON CONFLICT DO NOTHING",
    "CREATE TEMP TABLE bench_talent AS
     SELECT id, substring(email FROM 'talent-([0-9]+)@')::int AS n FROM users
     WHERE email LIKE 'talent-%@bench.codelink.cn' AND role = 'developer'",
    "CREATE TEMP TABLE bench_tags AS SELECT id, row_number() OVER (ORDER BY slug)::int - 1 AS k FROM skill_tags",
    "INSERT INTO user_skills (user_id, tag_id)
     SELECT d.id, t.id FROM bench_talent d JOIN bench_tags t
         ON t.k IN (d.n % 34, (d.n * 7 + 3) % 34, CASE WHEN d.n % 2 = 0 THEN (d.n * 11 + 5) % 34 END)
     ON CONFLICT DO NOTHING",
    // Levels C (half), B, A and S (one in twenty); ratings between 3★ and 5★.
    "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
     SELECT id, 40 * (n % 15 + n % 3), n % 15 + n % 3, (n % 15) * (3 + n % 3), n % 15,
            (ARRAY['C','C','C','C','C','C','C','C','C','C','B','B','B','B','B','B','A','A','A','S'])[1 + n % 20]
     FROM bench_talent ON CONFLICT DO NOTHING",
    "INSERT INTO developer_skills (developer_id, tag_id, points)
     SELECT s.user_id, s.tag_id, 10 + (d.n * 31 + s.tag_id * 17) % 600
     FROM user_skills s JOIN bench_talent d ON d.id = s.user_id WHERE d.n % 15 + d.n % 3 > 0
     ON CONFLICT DO NOTHING",
    // Finished tasks for a third of them, whose titles join their search words.
    "INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                        status, commission_bps, category, published_at)
     SELECT gen_random_uuid(), '00000000-0000-4000-8000-00000000b0b0', d.id,
            (ARRAY['门店销售数据分析看板', '微信小程序点单功能', 'Build a React admin dashboard',
                   '用 Rust 重写后端服务', '官网 Vue 3 改版', 'Scrape public price data',
                   '会员系统接口开发（Go）', 'Flutter app for bookings', '服务器 Docker 化与自动部署',
                   'App 界面 UI 设计', 'Automated test suite', '客服评论情感分析'])[1 + (d.n + k) % 12],
            'bench', 1 + (d.n + k) % 5, 100000, app_now() - interval '10 days', 'completed', 1000, 'other',
            app_now() - interval '40 days'
     FROM bench_talent d, generate_series(0, 1) AS k WHERE d.n % 3 = 0 AND (k = 0 OR d.n % 2 = 0)
       AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.developer_id = d.id)",
    // One in a hundred and one is suspended: never found.
    "INSERT INTO restrictions (user_id, reason, count, ends_at, note)
     SELECT b.id, 'suspended', 30, app_now() + interval '30 days', 'bench'
     FROM bench_talent b WHERE b.n % 101 = 0 AND NOT EXISTS (SELECT 1 FROM restrictions r WHERE r.user_id = b.id)",
];
