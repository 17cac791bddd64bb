//! Against mass, copy-paste applying and batch registration, through the real router and
//! PostgreSQL: the open-application cap that grows with level (also under a race), and the rate
//! limits on applying and registering.

use crate::common;

use axum::http::StatusCode;
use common::{spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

/// `count` open tasks of a fresh merchant, written directly (applying touches no money).
async fn open_tasks(app: &TestApp, count: usize) -> Vec<Uuid> {
    let (merchant, _) = app.logged_in_user("merchant").await;
    let mut tasks = Vec::new();
    for n in 0..count {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline, status,
                                commission_bps, category)
             VALUES ($1, $2, $3, '整理销售数据并生成周报', 2, 50000, now() + interval '10 days', 'open', 1000, 'data')",
        )
        .bind(id)
        .bind(merchant)
        .bind(format!("数据周报 {n}"))
        .execute(&app.pool)
        .await
        .unwrap();
        tasks.push(id);
    }
    tasks
}

async fn apply(app: &TestApp, cookie: &str, task: Uuid) -> common::Reply {
    app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(cookie)).await
}

#[sqlx::test(migrations = false)]
async fn a_new_developer_may_have_five_applications_waiting_and_more_as_answers_come(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let tasks = open_tasks(&app, 7).await;
    for task in &tasks[..5] {
        assert_eq!(apply(&app, &cookie, *task).await.status, StatusCode::OK);
    }
    let sixth = apply(&app, &cookie, tasks[5]).await;
    assert_eq!(sixth.status.as_u16(), 409, "{}", sixth.body);
    assert!(sixth.body.contains("too_many_open_applications"), "{}", sixth.body);
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(written, 5, "the refused one left nothing behind");

    // An answer frees a place; a level up raises the cap.
    sqlx::query("UPDATE applications SET status = 'declined' WHERE task_id = $1")
        .bind(tasks[0])
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(apply(&app, &cookie, tasks[5]).await.status, StatusCode::OK);
    assert_eq!(apply(&app, &cookie, tasks[6]).await.status.as_u16(), 409);
    sqlx::query("UPDATE developer_growth SET level = 'B' WHERE developer_id = $1")
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(apply(&app, &cookie, tasks[6]).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn applications_sent_at_once_cannot_overrun_the_cap(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, _) = app.logged_in_user("developer").await;
    let tasks = open_tasks(&app, 12).await;
    // Straight to the database layer, as many requests in flight at once would reach it.
    let racing = tasks.iter().map(|task| {
        let pool = app.pool.clone();
        let task = *task;
        tokio::spawn(async move { app::db::lifecycle::apply(&pool, developer, task, "").await.is_ok() })
    });
    let accepted = futures_count(racing).await;
    assert_eq!(accepted, 5, "exactly the cap, whatever the interleaving");
}

async fn futures_count(handles: impl Iterator<Item = tokio::task::JoinHandle<bool>>) -> usize {
    let mut accepted = 0;
    for handle in handles.collect::<Vec<_>>() {
        accepted += usize::from(handle.await.unwrap());
    }
    accepted
}

#[sqlx::test(migrations = false)]
async fn rapid_applying_and_bulk_registration_are_rate_limited(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, cookie) = app.logged_in_user("developer").await;
    let tasks = open_tasks(&app, 11).await;
    for task in &tasks[..10] {
        assert_ne!(apply(&app, &cookie, *task).await.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let limited = apply(&app, &cookie, tasks[10]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);

    // Past the third, each sign-up answers the challenge; the address's bucket still runs out.
    for n in 0..20 {
        let reply = app.register_answering(&format!("batch{n}@test.cn")).await;
        assert!(reply.status.is_success() || reply.status.is_redirection(), "{n}: {}", reply.body);
    }
    let before = app.user_count().await;
    let refused = app.register_answering("batch21@test.cn").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert_eq!(app.user_count().await, before, "a refused registration writes nothing");
}
