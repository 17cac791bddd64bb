//! What merchants find in `/developers`: each demo developer's headline, introduction and declared
//! skills (only where their profile is still empty, so edits made in the demo are kept), their
//! availability and expected hourly rate (saved through `db::talent::save_work_terms`, only where
//! none is stated yet), and their entry in the talent search index. Idempotent.

use super::developer_email;
use app::{
    db::talent,
    domain::{
        money::Money,
        talent::{Availability, WorkTerms},
    },
};
use sqlx::PgPool;
use uuid::Uuid;

/// (headline, introduction, declared skills, yuan per hour) for dev01 … dev20.
const PROFILES: [(&str, &str, &[&str], i64); 20] = [
    (
        "Rust 后端工程师，擅长高并发",
        "八年后端经验，做过支付清结算和高并发接口，熟悉 PostgreSQL 调优。",
        &["rust", "backend", "postgresql"],
        400,
    ),
    (
        "Python 数据分析，擅长自动化报表",
        "三年数据分析经验，做过零售门店的周报自动化和销售看板。",
        &["python", "data-analysis", "visualization"],
        200,
    ),
    (
        "Go 微服务与会员系统",
        "做过电商会员积分、优惠券和秒杀接口，MySQL 与 Redis 用得熟。",
        &["go", "backend", "mysql", "redis"],
        300,
    ),
    (
        "Vue 前端，官网与管理后台",
        "五年前端开发，官网改版、管理后台和响应式适配都做过。",
        &["vue", "frontend", "javascript"],
        180,
    ),
    (
        "微信小程序全流程开发",
        "独立交付过十几个小程序：点单、预约、会员，含微信支付接入。",
        &["miniprogram", "wechat", "javascript"],
        220,
    ),
    (
        "机器学习与自然语言处理",
        "做过评论情感分析和文本分类，熟悉模型训练到上线的流程。",
        &["machine-learning", "nlp", "python"],
        450,
    ),
    (
        "运维部署，Docker 与 CI/CD",
        "把老系统容器化、写自动部署流水线和监控告警，也写运维文档。",
        &["devops", "docker", "kubernetes"],
        260,
    ),
    ("UI 设计，App 与小程序界面", "为二十多个产品做过界面设计，交付 Figma 源文件和设计规范。", &["ui-design"], 150),
    (
        "Java 后端与数据库",
        "银行外包项目出身，熟悉 Spring 与 MySQL，擅长老系统重构。",
        &["java", "backend", "mysql"],
        250,
    ),
    ("爬虫与数据清洗", "礼貌抓取公开数据，清洗入库，出每日报表。", &["scraping", "python", "postgresql"], 160),
    (
        "React and TypeScript front-end developer",
        "Six years building admin dashboards and design systems with React and TypeScript.",
        &["react", "typescript", "frontend"],
        350,
    ),
    (
        "Full-stack Node.js developer",
        "APIs in Node.js and PostgreSQL, small React front ends, deployed with Docker.",
        &["nodejs", "postgresql", "docker"],
        300,
    ),
    (
        "Flutter mobile apps for iOS and Android",
        "Booking and loyalty apps in Flutter, published to both stores.",
        &["flutter", "ios", "android"],
        380,
    ),
    (
        "Test automation engineer",
        "End-to-end suites with Playwright, flaky-test hunting and CI pipelines.",
        &["testing", "typescript"],
        280,
    ),
    (
        "Kubernetes and cloud infrastructure",
        "Moves services from VMs to Kubernetes with Helm charts and autoscaling.",
        &["kubernetes", "docker", "devops"],
        500,
    ),
    ("网络安全与渗透测试", "做过等保测评准备和 Web 渗透测试，输出整改报告。", &["security", "testing"], 420),
    ("嵌入式与物联网", "单片机与传感器数据采集，做过智能门锁和环境监测。", &["embedded"], 320),
    ("PHP 与老系统维护", "维护过多个 PHP 商城系统，擅长修 bug 和性能优化。", &["php", "mysql"], 120),
    (
        "Data visualisation and Excel automation",
        "Turns spreadsheets into dashboards and automates monthly Excel reports.",
        &["excel", "visualization", "data-analysis"],
        200,
    ),
    ("区块链与智能合约", "写过 Solidity 合约和链上数据看板，熟悉安全审计要点。", &["blockchain", "security"], 600),
];

pub async fn load_talent(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    let today_plus = |days: i32| {
        sqlx::query_scalar::<_, String>("SELECT to_char(china_date(app_now()) + $1, 'YYYY-MM-DD')").bind(days)
    };
    let busy_until = today_plus(12).fetch_one(pool).await?;
    let paused_until = today_plus(30).fetch_one(pool).await?;
    let mut ids = Vec::new();
    for (n, (headline, bio, skills, yuan)) in PROFILES.iter().enumerate() {
        let Some(id) = sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1 AND role = 'developer'")
            .bind(developer_email(n))
            .fetch_optional(pool)
            .await?
        else {
            continue;
        };
        let mut tx = pool.begin().await?;
        let empty =
            sqlx::query("UPDATE users SET headline = $2, bio = $3 WHERE id = $1 AND headline = '' AND bio = ''")
                .bind(id)
                .bind(headline)
                .bind(bio)
                .execute(&mut *tx)
                .await?;
        if empty.rows_affected() == 1 {
            sqlx::query(
                "INSERT INTO user_skills (user_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = ANY($2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(skills.to_vec())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let unstated: bool = sqlx::query_scalar("SELECT expected_rate_fen IS NULL FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
        if unstated {
            // Most take work; a few are busy for a while or away for a month, as a real list is.
            let availability = match n {
                2 | 9 => Availability::Busy { until: Some(busy_until.clone()) },
                14 => Availability::Busy { until: None },
                11 => Availability::Paused { until: Some(paused_until.clone()) },
                _ => Availability::Available,
            };
            let terms = WorkTerms { availability, expected_rate: Some(Money::from_fen(yuan * 100)) };
            talent::save_work_terms(pool, id, &terms).await?;
        }
        ids.push(id);
    }
    talent::index_developers(&mut *pool.acquire().await?, &ids).await?;
    // Developers added some other way (registered in the demo) are indexed too.
    talent::backfill(pool).await?;
    Ok(())
}
