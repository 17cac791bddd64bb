//! Withdrawing an application before the merchant chooses: it frees the developer's
//! open-application cap and the merchant's notice, the merchant sees it as withdrawn, an answered
//! application stays answered, and a withdrawal racing a choice ends one way or the other.

use super::{application_of, apply, count};
use crate::common::{flow::*, spawn_app, Reply, TestApp};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

async fn withdraw(app: &TestApp, developer: &str, task: Uuid) -> Reply {
    app.call("/api/task/withdraw_application", &[("task", &task.to_string())], Some(developer)).await
}

/// `count` open tasks of a fresh merchant, written directly (applying and withdrawing touch no money).
async fn open_tasks(app: &TestApp, count: usize) -> (Uuid, String, Vec<Uuid>) {
    let (merchant, cookie) = app.logged_in_user("merchant").await;
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
    (merchant, cookie, tasks)
}

/// The merchant's "new application" notices about `task` that still wait.
async fn waiting_notices(app: &TestApp, merchant: Uuid, task: Uuid) -> i64 {
    let sql = format!(
        "SELECT count(*) FROM notifications WHERE user_id = '{merchant}' AND task_id = '{task}'
           AND kind = 'new_application' AND done_at IS NULL"
    );
    count(app, &sql).await
}

#[sqlx::test(migrations = false)]
async fn withdrawing_frees_the_cap_and_the_merchants_notice_once_nobody_else_waits(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    let other = app.logged_in_as("developer").await;
    let (merchant, merchant_cookie, tasks) = open_tasks(&app, 6).await;
    for task in &tasks[..5] {
        ok(&apply(&app, &developer, *task).await, "apply");
    }
    ok(&apply(&app, &other, tasks[1]).await, "another applicant");
    assert_eq!(apply(&app, &developer, tasks[5]).await.status, StatusCode::CONFLICT, "five wait: the cap");

    ok(&withdraw(&app, &developer, tasks[0]).await, "withdraw");
    assert_eq!(waiting_notices(&app, merchant, tasks[0]).await, 0, "nobody else waits on this task");
    ok(&apply(&app, &developer, tasks[5]).await, "the freed place");

    // Another applicant still waits on this one: the merchant's notices (one per application) stay.
    ok(&withdraw(&app, &developer, tasks[1]).await, "withdraw");
    assert_eq!(waiting_notices(&app, merchant, tasks[1]).await, 2);

    // The merchant sees it as withdrawn; it does not count as an applicant, nor against their
    // 48-hour response rate.
    let page = app.call("/api/task", &[("id", &tasks[0].to_string())], Some(&merchant_cookie)).await.json();
    assert_eq!(page["applications"][0]["status"], "withdrawn");
    assert_eq!(page["applicant_count"], 0);
    assert!(page["merchant_response_rate"].is_null(), "{}", page["merchant_response_rate"]);
    let mine = app.call("/api/task", &[("id", &tasks[0].to_string())], Some(&developer)).await.json();
    assert_eq!(mine["my_application"]["status"], "withdrawn");
    let withdrawn =
        format!("SELECT count(*) FROM applications WHERE developer_id = '{developer_id}' AND status = 'withdrawn'");
    assert_eq!(count(&app, &withdrawn).await, 2);
}

#[sqlx::test(migrations = false)]
async fn an_answered_application_cannot_be_withdrawn(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, _) = task_in_progress(&app, "100").await;
    let refused = withdraw(&app, &developer, task).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["reason"], "not_withdrawable", "chosen");

    // Declined, expired or withdrawn already: the same clear refusal; nothing changes.
    let declined = create_task(&app, &merchant, "50").await;
    top_up(&app, &merchant, "50").await;
    publish(&app, &merchant, declined).await;
    ok(&apply(&app, &developer, declined).await, "apply");
    let application = application_of(&app, declined).await.to_string();
    let form = [("application", application.as_str()), ("reason", "预算有变")];
    ok(&app.call("/api/task/decline_application", &form, Some(&merchant)).await, "decline");
    assert_eq!(withdraw(&app, &developer, declined).await.json()["reason"], "not_withdrawable");
    let status: Vec<String> =
        sqlx::query_scalar("SELECT status FROM applications WHERE developer_id = $1 ORDER BY created_at")
            .bind(developer_id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, ["accepted", "declined"]);

    let stranger = app.logged_in_as("developer").await;
    assert_eq!(withdraw(&app, &stranger, declined).await.status, StatusCode::NOT_FOUND, "no application");
    assert_eq!(withdraw(&app, &merchant, declined).await.status, StatusCode::FORBIDDEN);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_withdrawal_and_a_choice_at_once_end_one_way_or_the_other(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (_, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "500").await;
    for _ in 0..4 {
        let task = create_task(&app, &merchant, "100").await;
        publish(&app, &merchant, task).await;
        ok(&apply(&app, &developer, task).await, "apply");
        let application = application_of(&app, task).await.to_string();
        let choose = {
            let (app, merchant, application) = (app.clone(), merchant.clone(), application.clone());
            tokio::spawn(async move {
                app.call("/api/task/accept_application", &[("application", &application)], Some(&merchant)).await
            })
        };
        let take_back = {
            let (app, developer) = (app.clone(), developer.clone());
            tokio::spawn(async move { withdraw(&app, &developer, task).await })
        };
        let (chose, withdrew) = (choose.await.unwrap(), take_back.await.unwrap());
        let succeeded = |r: &Reply| r.status.is_success() || r.status.is_redirection();
        assert!(succeeded(&chose) != succeeded(&withdrew), "exactly one: {} / {}", chose.body, withdrew.body);
        let (task_status, application_status): (String, String) = sqlx::query_as(
            "SELECT t.status, a.status FROM tasks t JOIN applications a ON a.task_id = t.id WHERE t.id = $1",
        )
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if succeeded(&chose) {
            assert_eq!((task_status.as_str(), application_status.as_str()), ("in_progress", "accepted"));
            assert_eq!(withdrew.json()["reason"], "not_withdrawable");
        } else {
            assert_eq!((task_status.as_str(), application_status.as_str()), ("open", "withdrawn"));
            assert_eq!(chose.json()["reason"], "wrong_state");
        }
    }
    assert_ledger_sound(&app).await;
}
