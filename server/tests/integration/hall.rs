//! The task hall, server-rendered from the database, and the health check.

use crate::common;

use axum::http::StatusCode;
use common::spawn_app;
use sqlx::PgPool;
use std::collections::HashSet;

#[sqlx::test(migrations = false)]
async fn hall_pages_are_newest_first_and_stable(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 45).await.unwrap();
    let mut seen = HashSet::new();
    let mut previous_titles = Vec::new();
    for page in 1..=3 {
        let reply = app.call("/api/hall", &[("query[page]", &page.to_string())], None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let json = reply.json();
        assert_eq!(json["total"], 45);
        assert_eq!(json["pages"], 3);
        let tasks = json["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), if page < 3 { 20 } else { 5 });
        for task in tasks {
            assert!(seen.insert(task["id"].as_str().unwrap().to_string()), "a task appeared on two pages");
            assert!(task["reward"].is_i64(), "money travels as integer fen");
            previous_titles.push(task["title"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(seen.len(), 45);
    // Demo task n is posted n*47 minutes ago, so newest first means generation order.
    let expected: Vec<String> = (0..45).map(|n| server::demo::generate_task(n).title).collect();
    assert_eq!(previous_titles, expected);

    let beyond = app.call("/api/hall", &[("query[page]", "999")], None).await.json();
    assert_eq!(beyond["tasks"].as_array().unwrap().len(), 0);
    let garbage = app.call("/api/hall", &[("query[page]", "-5")], None).await.json();
    assert_eq!(garbage["page"], 1);
}

#[sqlx::test(migrations = false)]
async fn hall_renders_complete_on_the_server_in_the_visitors_language(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 30).await.unwrap();
    let first = server::demo::generate_task(0);

    let zh = app.get("/", None, Some("zh-CN,zh;q=0.9")).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains(r#"<html lang="zh-CN""#));
    assert!(zh.body.contains(&first.title), "task titles are in the HTML itself, no JS needed");
    let reward = app::domain::money::Money::from_fen(first.reward_fen).display_yuan();
    assert!(zh.body.contains(&reward), "reward {reward} shown with two decimals");
    assert!(zh.body.contains("任务大厅") && zh.body.contains("第 1 / 2 页"));

    let en = app.get("/?page=2", None, Some("en-US,en;q=0.9")).await;
    assert!(en.body.contains(r#"<html lang="en""#));
    assert!(en.body.contains("Page 2 of 2"));
    assert!(en.body.contains(&server::demo::generate_task(20).title));
    assert!(!en.body.contains(&first.title), "page 2 does not repeat page 1");

    // The cookie written by the language switch beats Accept-Language.
    let chosen = app.get("/", Some("i18n_pref_locale=en"), Some("zh-CN")).await;
    assert!(chosen.body.contains(r#"<html lang="en""#));
}

#[sqlx::test(migrations = false)]
async fn empty_hall_says_so(pool: PgPool) {
    let app = spawn_app(pool).await;
    let page = app.get("/", None, None).await;
    assert!(page.body.contains("暂时没有开放的任务"));
}

#[sqlx::test(migrations = false)]
async fn healthz_checks_the_database(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let reply = app.get("/healthz", None, None).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "ok"));
    pool.close().await;
    let reply = app.get("/healthz", None, None).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrations = false)]
async fn unknown_pages_are_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    let reply = app.get("/no/such/page", None, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("页面不存在"));
}

#[sqlx::test(migrations = false)]
async fn the_demo_history_is_real_paid_and_rated_work_loaded_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 20).await.unwrap();
    for _ in 0..2 {
        server::demo::load_history(&app.pool).await.unwrap();
    }
    let count = |sql: &'static str| async { sqlx::query_scalar::<_, i64>(sql).fetch_one(&app.pool).await.unwrap() };
    assert_eq!(count("SELECT count(*) FROM tasks WHERE status = 'completed'").await, 42);
    assert_eq!(count("SELECT count(*) FROM task_ratings").await, 42);
    assert_eq!(count("SELECT count(*) FROM developer_growth WHERE xp > 0").await, 12);
    let report = app::db::ledger::check_invariants(&app.pool).await.unwrap();
    assert_eq!(report.violations(), 0, "{report:?}");
    // The public board has a full top ten, and the hall still lists only open tasks.
    let board = app.call("/api/leaderboard", &[("period", "all")], None).await.json();
    assert_eq!(board["rows"].as_array().unwrap().len(), 10);
    assert_eq!(app.call("/api/hall", &[("query[page]", "1")], None).await.json()["total"], 20);
}
