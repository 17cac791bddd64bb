//! The notification centre, through the real server functions and PostgreSQL.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app};
use sqlx::PgPool;

/// The notification centre: each side is told what the other did, the list links to the task,
/// opening the task or "mark all read" clears the bell, and nobody sees anyone else's.
#[sqlx::test(migrations = false)]
async fn each_step_notifies_the_other_side_and_reading_clears_the_bell(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "300").await;
    let unread = |cookie: Option<String>| {
        let app = &app;
        async move { app.call("/api/notifications/unread", &[], cookie.as_deref()).await.json().as_i64().unwrap() }
    };
    assert_eq!(unread(None).await, 0, "a guest has no notifications");
    assert_eq!(app.call("/api/notifications", &[], None).await.status, StatusCode::UNAUTHORIZED);
    // A new merchant's first task was held for review and approved before anyone applied.
    assert_eq!(unread(Some(merchant.clone())).await, 3, "held, approved, then the application");
    assert_eq!(unread(Some(developer.clone())).await, 1, "being chosen");

    let page = app.call("/api/notifications", &[], Some(&developer)).await.json();
    let notices = page["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "only the developer's own: {page}");
    assert_eq!(notices[0]["kind"], "ApplicationAccepted");
    assert_eq!(notices[0]["href"], format!("/tasks/{task}"));
    assert_eq!(notices[0]["task_title"], "Rust 后端接口开发");
    assert_eq!(notices[0]["unread"], true);

    deliver(&app, &developer, &milestone.to_string(), "done").await;
    let page = app.call("/api/notifications", &[], Some(&merchant)).await.json();
    assert_eq!(page["unread"], 4);
    assert_eq!(page["notices"][0]["kind"], "Delivered", "newest first: {page}");
    // Opening the task (its page sends this once shown) reads everything said about it.
    let read = app.call("/api/notifications/read_task", &[("task", &task.to_string())], Some(&merchant)).await;
    assert_eq!(read.json(), 4);
    assert_eq!(unread(Some(merchant.clone())).await, 0);
    let page = app.call("/api/notifications", &[], Some(&merchant)).await.json();
    assert_eq!(page["notices"][0]["unread"], false, "kept, but read: {page}");

    // Thirty-five more for the developer: pages of thirty, the second reached by its cursor.
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, note) SELECT $1, 'withdrawal_failed', '¥' || n || '.00'
         FROM generate_series(1, 35) AS n",
    )
    .bind(developer_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let first = app.call("/api/notifications", &[], Some(&developer)).await.json();
    assert_eq!(first["notices"].as_array().unwrap().len(), 30);
    assert_eq!(first["notices"][0]["note"], "¥35.00");
    assert_eq!(first["notices"][0]["href"], "/wallet");
    let older = first["older"].as_i64().expect("a second page").to_string();
    let second = app.call("/api/notifications", &[("before", &older)], Some(&developer)).await.json();
    let rest: Vec<&serde_json::Value> = second["notices"].as_array().unwrap().iter().collect();
    assert_eq!(rest.len(), 6, "five withdrawals and being chosen: {second}");
    assert_eq!(rest[0]["note"], "¥5.00");
    assert!(second["older"].is_null());

    assert_eq!(app.call("/api/notifications/read_all", &[], Some(&developer)).await.json(), 36);
    assert_eq!(unread(Some(developer)).await, 0);
    assert_eq!(unread(Some(merchant)).await, 0, "the merchant's are untouched and already read");
}
