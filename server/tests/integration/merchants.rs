//! The merchant page, through the real server functions and PostgreSQL: a merchant's record and
//! open tasks, readable by anyone.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app};
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn the_merchant_page_shows_their_record_and_open_tasks(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = task_in_progress(&app, "800").await;
    let merchant_id: Uuid = sqlx::query_scalar("SELECT merchant_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    top_up(&app, &merchant, "300").await;
    let open = create_task(&app, &merchant, "300").await;
    publish(&app, &merchant, open).await;

    // Anyone, logged in or not, can read it.
    let profile = app.call("/api/merchant", &[("id", &merchant_id.to_string())], None).await.json();
    assert_eq!(profile["tasks_posted"], 2);
    assert_eq!(profile["tasks_completed"], 1);
    assert_eq!(profile["paid_to_developers"], 80_000);
    assert_eq!(profile["response_rate"], 100, "the one application was answered in time");
    assert_eq!(profile["open_tasks"].as_array().unwrap().len(), 1);

    let page = app.get(&format!("/merchants/{merchant_id}"), None, Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("48 小时响应率") && page.body.contains("100%"), "rendered on the server");
    // A developer's id is not a merchant page.
    let developer_id: Uuid = sqlx::query_scalar("SELECT developer_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let reply = app.call("/api/merchant", &[("id", &developer_id.to_string())], None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
