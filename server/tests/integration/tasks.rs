//! Task drafts, through the real server functions and PostgreSQL: only their author edits them, and
//! only until they are published.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn only_its_author_edits_a_draft_and_only_until_it_is_published(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let other = app.logged_in_as("merchant").await;
    top_up(&app, &merchant, "1000").await;
    let task = create_task(&app, &merchant, "500").await;
    let id = task.to_string();

    // The form comes back as it was saved: one piece, no milestone rows.
    let options = app.call("/api/task/form_options", &[("draft", &id)], Some(&merchant)).await.json();
    assert_eq!(options["draft"]["reward"], "500.00");
    assert_eq!(options["draft"]["category"], "backend");
    assert_eq!(options["draft"]["milestones"], json!([]));
    assert_eq!(app.call("/api/task/form_options", &[("draft", &id)], Some(&other)).await.status, StatusCode::FORBIDDEN);

    let mut form = task_form("800");
    form["form"]["category"] = json!("design");
    form["form"]["milestones"] = json!([{ "title": "定金", "amount": "300" }, { "title": "尾款", "amount": "500" }]);
    form["id"] = json!(id);
    assert_eq!(app.call_json("/api/task/update", form.clone(), Some(&other)).await.status, StatusCode::FORBIDDEN);
    ok(&app.call_json("/api/task/update", form.clone(), Some(&merchant)).await, "update");
    let page = app.call("/api/task", &[("id", &id)], Some(&merchant)).await.json();
    assert_eq!((page["split"]["reward"].clone(), page["category"].clone()), (json!(80_000), json!("design")));
    assert_eq!(page["milestones"].as_array().unwrap().len(), 2);
    let options = app.call("/api/task/form_options", &[("draft", &id)], Some(&merchant)).await.json();
    assert_eq!(options["draft"]["milestones"][1], json!({ "title": "尾款", "amount": "500.00" }));

    // Published, the task is no longer a draft: its content is fixed (the reward may only rise).
    publish(&app, &merchant, task).await;
    let refused = app.call_json("/api/task/update", form, Some(&merchant)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["reason"], "wrong_state");
    let refused = app.call("/api/task/form_options", &[("draft", &id)], Some(&merchant)).await;
    assert_eq!(refused.json()["reason"], "wrong_state");
    assert_ledger_sound(&app).await;
}
