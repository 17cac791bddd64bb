//! Commission, through the real server functions and PostgreSQL: what a developer's level takes
//! off it, and the per-category rates an admin sets from a chosen day.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app, TestApp};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn a_higher_level_developer_pays_less_commission_and_sees_it_itemised(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "1000").await;
    // Applying already made the developer's growth row (the application is a challenge event).
    sqlx::query("UPDATE developer_growth SET level = 'S' WHERE developer_id = $1")
        .bind(developer_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let detail = app.call("/api/task", &[("id", &task.to_string())], Some(&developer)).await.json();
    assert_eq!(detail["split"]["commission"], 7_000, "S: 10% less 3 points, shown before payout");
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    assert_eq!(available(&app, developer_id).await, 93_000);
    assert_eq!(commission_total(&app).await, 7_000);
    let detail = app.call("/api/task", &[("id", &task.to_string())], Some(&merchant)).await.json();
    assert_eq!(detail["milestones"][0]["split"]["developer_receives"], 93_000, "the payout shows what was paid");
    assert_ledger_sound(&app).await;
}

async fn funded_rate(app: &TestApp, task: Uuid) -> Option<i32> {
    sqlx::query_scalar("SELECT commission_bps FROM tasks WHERE id = $1").bind(task).fetch_one(&app.pool).await.unwrap()
}

async fn create_task_in(app: &TestApp, merchant: &str, category: &str) -> Uuid {
    let mut form = task_form("1000");
    form["form"]["category"] = json!(category);
    let reply = app.call_json("/api/task/create", form, Some(merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "create: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[sqlx::test(migrations = false)]
async fn commission_is_set_per_category_from_a_chosen_day_and_funded_tasks_keep_their_rate(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let admin = app.logged_in_as("admin").await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "5000").await;
    let funded_before = create_task_in(&app, &merchant, "data").await;
    publish(&app, &merchant, funded_before).await;
    let data_draft = create_task_in(&app, &merchant, "data").await;

    // Data & AI drops to 8% today; backend rises to 12% from tomorrow.
    let tomorrow: String =
        sqlx::query_scalar("SELECT to_char(china_date(now()) + 1, 'YYYY-MM-DD')").fetch_one(&app.pool).await.unwrap();
    let set = |category: &'static str, percent: &'static str, from: String| {
        let (app, admin) = (&app, admin.clone());
        async move {
            app.call(
                "/api/admin/commission/set",
                &[("category", category), ("percent", percent), ("from", &from)],
                Some(&admin),
            )
            .await
        }
    };
    ok(&set("data", "8", String::new()).await, "data rate");
    ok(&set("backend", "12.5%", tomorrow).await, "backend rate");

    // Out-of-band rates, unknown categories and past days are field errors, and nothing is written.
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM commission_rates").fetch_one(&app.pool).await.unwrap()
    };
    let before = rows().await;
    for (category, percent, from, field) in [
        ("data", "16", "", "rate"),
        ("data", "4.99", "", "rate"),
        ("blockchain", "8", "", "category"),
        ("data", "8", "2000-01-01", "effective_from"),
    ] {
        let reply = set(category, percent, from.to_string()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{category} {percent} {from}");
        assert_eq!(reply.json()["fields"][0]["field"], field);
    }
    assert_eq!(rows().await, before);
    let merchant_try = app
        .call("/api/admin/commission/set", &[("category", "data"), ("percent", "5"), ("from", "")], Some(&merchant))
        .await;
    assert_eq!(merchant_try.status, StatusCode::FORBIDDEN);

    // The merchant's form and the task page itemise at the category's rate.
    let options = app.call("/api/task/form_options", &[], Some(&merchant)).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let draft_page = app.call("/api/task", &[("id", &data_draft.to_string())], Some(&merchant)).await;
    assert_eq!(draft_page.json()["split"]["commission"], 8_000);
    assert_eq!(draft_page.json()["category"], "data");

    publish(&app, &merchant, data_draft).await;
    assert_eq!(funded_rate(&app, data_draft).await, Some(800));
    assert_eq!(funded_rate(&app, funded_before).await, Some(1_000), "funded before the change: keeps 10%");
    let backend_today = create_task_in(&app, &merchant, "backend").await;
    publish(&app, &merchant, backend_today).await;
    assert_eq!(funded_rate(&app, backend_today).await, Some(1_000), "12.5% is not in effect yet");

    let schedule = app.call("/api/admin/commission", &[], Some(&admin)).await.json();
    let rate_of = |schedule: &serde_json::Value, category: &str| {
        schedule["current"].as_array().unwrap().iter().find(|pair| pair[0] == category).map(|pair| pair[1].clone())
    };
    assert_eq!(rate_of(&schedule, "data"), Some(json!(800)));
    assert_eq!(rate_of(&schedule, "design"), Some(json!(1_000)), "no own rate: the default");
    assert_eq!(schedule["upcoming"][0]["category"], "backend");
    assert_eq!(schedule["upcoming"][0]["rate"], 1_250);

    // Tomorrow comes: backend tasks funded from now on pay 12.5%; the earlier ones keep 10%.
    sqlx::query("UPDATE commission_rates SET effective_from = now() - interval '1 second' WHERE bps = 1250")
        .execute(&app.pool)
        .await
        .unwrap();
    let backend_tomorrow = create_task_in(&app, &merchant, "backend").await;
    publish(&app, &merchant, backend_tomorrow).await;
    assert_eq!(funded_rate(&app, backend_tomorrow).await, Some(1_250));
    assert_eq!(funded_rate(&app, backend_today).await, Some(1_000));
    let page = app.call("/api/task", &[("id", &backend_today.to_string())], None).await;
    assert_eq!(page.json()["split"]["commission"], 10_000);
    assert_ledger_sound(&app).await;
}
