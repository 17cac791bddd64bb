//! `bench task_page [APPLICANTS]`: one open task with APPLICANTS (default 50) applicants, each with
//! a history the applicant cards read: finished tasks (some late), revealed merchants' reviews,
//! answered conversations, growth, skills and a badge. Prints where the page is and how its owner
//! logs in, so `bench/run` can load it as the merchant under 32 connections, and times the task
//! page's read model in-process (`read::task_page::task_detail`, what the page's server function
//! runs) as `name: value unit` lines.
//!
//! The open task goes through the ledger (deposit and escrow) like the demo's; the history is
//! written straight into the tables the lifecycle, reviews and growth fill, like the leaderboard
//! bench's. Every run adds a new task, merchant and applicants (keyed by a fresh run id).

use crate::timing::{millis, percentile};
use app::{
    db::ledger,
    domain::{account::Role, ledger::Movement, money::Money},
};
use sqlx::PgPool;
use std::time::Instant;
use uuid::Uuid;

/// The bench merchant's password (the bench database only).
const PASSWORD: &str = "bench-task-page";
const ROUNDS: usize = 200;
const REWARD_FEN: i64 = 300_000;

pub async fn run(pool: PgPool, applicants: i64) -> Result<(), Box<dyn std::error::Error>> {
    let run = Uuid::now_v7().simple().to_string();
    let hash = tokio::task::spawn_blocking(|| password_auth::generate_hash(PASSWORD)).await?;
    let merchant = Uuid::now_v7();
    let email = format!("bench-task-page-{run}@bench.codelink.cn");
    let task = Uuid::now_v7();
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    for (slug, zh, en) in [("rust", "Rust", "Rust"), ("postgresql", "PostgreSQL", "PostgreSQL"), ("vue", "Vue", "Vue")]
    {
        sqlx::query(
            "INSERT INTO skill_tags (slug, name_zh, name_en) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(zh)
        .bind(en)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
         VALUES ($1, $2, '压测商家', $3, 'merchant', 'company')",
    )
    .bind(merchant)
    .bind(&email)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    // The page is read signed in as this merchant: accepted terms, so it is not the consent page.
    app::db::legal::accept(&mut tx, merchant, &app::domain::legal::Document::CONSENTED).await?;
    // The open task, funded like a real one: a deposit, then the reward into escrow.
    sqlx::query(
        "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline, created_at,
                            status, commission_bps, published_at, category)
         VALUES ($1, $2, 'Rust + PostgreSQL 订单服务', '五十位申请者的任务页压测。', 3, $3, app_now() + interval '20 days',
                 app_now(), 'open', 1000, app_now(), 'backend')",
    )
    .bind(task)
    .bind(merchant)
    .bind(REWARD_FEN)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO milestones (id, task_id, position, amount_fen) VALUES ($1, $2, 1, $3)")
        .bind(Uuid::now_v7())
        .bind(task)
        .bind(REWARD_FEN)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO task_tags (task_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug IN ('rust', 'postgresql')",
    )
    .bind(task)
    .execute(&mut *tx)
    .await?;
    ledger::post(&mut tx, &Movement::deposit(task, merchant, Money::from_fen(REWARD_FEN))).await?;
    ledger::post(&mut tx, &Movement::fund_escrow(task, merchant, Money::from_fen(REWARD_FEN))).await?;
    tx.commit().await?;
    history(&pool, &run, task, &hash, applicants).await?;
    sqlx::query(
        "VACUUM (ANALYZE) users, applications, tasks, task_tags, task_events, reviews, task_messages,
                          developer_growth, developer_skills, user_skills, developer_badges",
    )
    .execute(&pool)
    .await?;
    eprintln!("seeded {applicants} applicants in {:.1}s", started.elapsed().as_secs_f64());

    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let detail = app::read::task_page::task_detail(&pool, task, Some((merchant, Role::Merchant)))
            .await
            .map_err(|e| format!("{e:?}"))?
            .ok_or("the owner cannot see the task")?;
        times.push(start.elapsed());
        let with_evidence = detail.applications.iter().filter(|a| a.evidence.is_some()).count() as i64;
        if with_evidence != applicants {
            return Err(format!("{with_evidence} of {applicants} applicants have evidence").into());
        }
    }
    println!("task_page_applicants: {applicants} count");
    println!("task_page_read_p50: {:.2} ms", millis(percentile(&mut times, 50)));
    println!("task_page_read_p99: {:.2} ms", millis(percentile(&mut times, 99)));
    // For bench/run (not figures): where the page is and who may see every card.
    println!("task_page_path: /tasks/{task}");
    println!("task_page_login: {email} {PASSWORD}");
    Ok(())
}

/// A bound value of a history statement.
enum Arg<'a> {
    Text(&'a str),
    Count(i64),
    Id(Uuid),
}

/// The applicants and what they did before: developer n finished 1 + n % 6 tasks for a history
/// merchant (every fourth late), was reviewed on each (revealed), answered each conversation after
/// 5 + 7n minutes, declared or earned skills, and applied to `task`. Every seventh keeps their
/// resume card hidden.
async fn history(pool: &PgPool, run: &str, task: Uuid, hash: &str, applicants: i64) -> Result<(), sqlx::Error> {
    use Arg::*;
    let statements: Vec<(&str, Vec<Arg>)> = vec![
        (
            "INSERT INTO users (id, email, display_name, password_hash, role, handle, card_public)
             SELECT gen_random_uuid(), 'bench-applicant-' || $1 || '-' || n || '@bench.codelink.cn', '申请者' || n, $3,
                    'developer', 'b' || left($1, 12) || 'x' || n, n % 7 <> 0
             FROM generate_series(1, $2) AS n",
            vec![Text(run), Count(applicants), Text(hash)],
        ),
        (
            "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
             VALUES (gen_random_uuid(), 'bench-history-' || $1 || '@bench.codelink.cn', '历史商家', $2, 'merchant', 'team')",
            vec![Text(run), Text(hash)],
        ),
        (
            "CREATE TEMP TABLE bench_applicants ON COMMIT DROP AS
             SELECT u.id, split_part(split_part(u.email, '-', 4), '@', 1)::int AS n,
                    (SELECT id FROM users WHERE email = 'bench-history-' || $1 || '@bench.codelink.cn') AS merchant
             FROM users u WHERE u.email LIKE 'bench-applicant-' || $1 || '-%'",
            vec![Text(run)],
        ),
        (
            "CREATE TEMP TABLE bench_history ON COMMIT DROP AS
             SELECT gen_random_uuid() AS task, a.id AS developer, a.merchant, a.n, k
             FROM bench_applicants a, generate_series(1, 6) AS k WHERE k <= 1 + a.n % 6",
            vec![],
        ),
        (
            "INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                                status, commission_bps, category, created_at)
             SELECT h.task, h.merchant, h.developer, '历史任务 ' || h.k, '已完成', 1 + h.k % 5, 50000,
                    app_now() - make_interval(days => 10 * h.k)
                        + CASE WHEN h.k % 4 = 0 THEN interval '-1 day' ELSE interval '1 day' END,
                    'completed', 1000, 'backend', app_now() - make_interval(days => 10 * h.k + 7)
             FROM bench_history h",
            vec![],
        ),
        (
            "INSERT INTO task_tags (task_id, tag_id)
             SELECT h.task, s.id FROM bench_history h
             JOIN skill_tags s ON s.slug = CASE WHEN h.k % 2 = 1 THEN 'rust' ELSE 'vue' END",
            vec![],
        ),
        (
            "INSERT INTO task_events (task_id, kind, note, created_at)
             SELECT h.task, 'completed', '', app_now() - make_interval(days => 10 * h.k) FROM bench_history h",
            vec![],
        ),
        (
            "INSERT INTO reviews (task_id, author_id, subject_id, subject, scores, overall, body, reveal_due, revealed_at)
             SELECT h.task, h.merchant, h.developer, 'developer', ARRAY[s, s, s]::int2[], s, '交付可靠，沟通及时 #' || h.k,
                    app_now(), app_now() - make_interval(days => 10 * h.k - 1)
             FROM bench_history h, LATERAL (SELECT (3 + (h.n + h.k) % 3)::int2 AS s) stars",
            vec![],
        ),
        (
            "INSERT INTO task_messages (task_id, developer_id, author_id, body, created_at)
             SELECT h.task, h.developer, who.author, '进度如何？', app_now() - make_interval(days => 10 * h.k + 3)
                    + CASE WHEN who.author = h.developer THEN make_interval(mins => 5 + 7 * h.n) ELSE interval '0' END
             FROM bench_history h, LATERAL (VALUES (h.merchant), (h.developer)) AS who(author)",
            vec![],
        ),
        (
            "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
             SELECT a.id, 100 * (1 + a.n % 6), 1 + a.n % 6, sum(r.overall), count(r.overall),
                    (ARRAY['C', 'B', 'A', 'S'])[1 + a.n % 4]
             FROM bench_applicants a JOIN reviews r ON r.subject_id = a.id GROUP BY a.id, a.n",
            vec![],
        ),
        (
            "INSERT INTO developer_skills (developer_id, tag_id, points)
             SELECT a.id, s.id, 10 * a.n FROM bench_applicants a JOIN skill_tags s ON s.slug = 'rust' WHERE a.n % 2 = 0",
            vec![],
        ),
        (
            "INSERT INTO user_skills (user_id, tag_id)
             SELECT a.id, s.id FROM bench_applicants a
             JOIN skill_tags s ON s.slug IN ('postgresql', 'vue') WHERE a.n % 3 <> 0",
            vec![],
        ),
        (
            "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp)
             SELECT a.id, 'bench-task-page:badge:' || a.id, 'badge_earned', 0 FROM bench_applicants a",
            vec![],
        ),
        (
            "INSERT INTO developer_badges (developer_id, badge_id, event_id)
             SELECT a.id, b.id, e.id FROM bench_applicants a
             JOIN growth_events e ON e.idempotency_key = 'bench-task-page:badge:' || a.id
             JOIN badges b ON b.slug = 'first-task'",
            vec![],
        ),
        (
            "INSERT INTO applications (id, task_id, developer_id, pitch, created_at, respond_by)
             SELECT gen_random_uuid(), $1, a.id, '我做过 ' || (1 + a.n % 6) || ' 个类似的项目，可以按期交付。',
                    app_now() - make_interval(mins => 100 - a.n), app_now() + interval '48 hours'
             FROM bench_applicants a",
            vec![Id(task)],
        ),
    ];
    let mut tx = pool.begin().await?;
    for (sql, args) in statements {
        let mut query = sqlx::query(sql);
        for arg in args {
            query = match arg {
                Text(text) => query.bind(text),
                Count(n) => query.bind(n),
                Id(id) => query.bind(id),
            };
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await
}
