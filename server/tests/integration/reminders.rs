//! The 48-hour deadline reminder through the real background job and notification list: sent once,
//! only for work in progress that is due soon.

use crate::common;

use common::spawn_app;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn a_developer_is_reminded_once_when_a_deadline_is_within_48_hours(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let (merchant, _) = app.logged_in_user("merchant").await;
    let mut tasks = Vec::new();
    for (status, due_in) in [("in_progress", "20 hours"), ("in_progress", "5 days"), ("delivered", "10 hours")] {
        let id = Uuid::now_v7();
        sqlx::query(&format!(
            "INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                                status, commission_bps, category)
             VALUES ($1, $2, $3, '接口联调', '联调三个接口', 2, 50000, now() + interval '{due_in}', '{status}', 1000, 'backend')"
        ))
        .bind(id)
        .bind(merchant)
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
        tasks.push(id);
    }

    assert_eq!(app::db::lifecycle::remind_deadlines(&app.pool).await.unwrap(), 1, "only the task in progress due soon");
    assert_eq!(app::db::lifecycle::remind_deadlines(&app.pool).await.unwrap(), 0, "once");
    let list = app.call("/api/notifications", &[], Some(&cookie)).await.json();
    let notices = list["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{list}");
    assert_eq!(notices[0]["kind"], "DeadlineSoon");
    assert_eq!(notices[0]["href"], format!("/tasks/{}", tasks[0]));
    assert_eq!(notices[0]["task_title"], "接口联调");
    assert_eq!(app.call("/api/notifications/unread", &[], Some(&cookie)).await.json(), 1);
}
