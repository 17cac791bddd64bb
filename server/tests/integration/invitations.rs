//! Invitations to apply (邀请投递) and withdrawn applications, through the real server functions
//! and PostgreSQL: who may be invited where, the notice and its answer, the rate limit and the
//! per-task cap (also under a race), and withdrawing before the merchant chooses (also racing a
//! choice).

mod pages;
mod withdrawal;

use crate::common;

use app::db;
use axum::http::StatusCode;
use common::{flow::*, spawn_app, Reply, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

/// An open, funded task of a fresh merchant and a fresh developer to invite to it.
struct Invitable {
    merchant_id: Uuid,
    merchant: String,
    developer_id: Uuid,
    developer: String,
    handle: String,
    task: Uuid,
}

async fn invitable(app: &TestApp) -> Invitable {
    seed_tags(app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(app, &merchant, "1000").await;
    let task = create_task(app, &merchant, "300").await;
    publish(app, &merchant, task).await;
    let handle = handle_of(app, developer_id).await;
    Invitable { merchant_id, merchant, developer_id, developer, handle, task }
}

async fn handle_of(app: &TestApp, user: Uuid) -> String {
    sqlx::query_scalar("SELECT handle FROM users WHERE id = $1").bind(user).fetch_one(&app.pool).await.unwrap()
}

async fn invite(app: &TestApp, merchant: &str, task: Uuid, handle: &str, note: &str) -> Reply {
    let task = task.to_string();
    app.call("/api/invitations/send", &[("task", &task), ("developer", handle), ("note", note)], Some(merchant)).await
}

/// The refusal's (field, reason) from a 422 answer.
fn refusal(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let field = &reply.json()["fields"][0];
    (field["field"].as_str().unwrap().into(), field["problem"]["reason"].as_str().unwrap_or("").into())
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// The developer's invitation notices about `task`: (how many, how many are done).
async fn invitation_notices(app: &TestApp, developer: Uuid, task: Uuid) -> (i64, i64) {
    sqlx::query_as(
        "SELECT count(*), count(done_at) FROM notifications WHERE user_id = $1 AND task_id = $2 AND kind = 'invitation'",
    )
    .bind(developer)
    .bind(task)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn invitation_status(app: &TestApp, task: Uuid, developer: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM task_invitations WHERE task_id = $1 AND developer_id = $2")
        .bind(task)
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn application_of(app: &TestApp, task: Uuid) -> Uuid {
    sqlx::query_scalar("SELECT id FROM applications WHERE task_id = $1 ORDER BY created_at LIMIT 1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn apply(app: &TestApp, developer: &str, task: Uuid) -> Reply {
    app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(developer)).await
}

#[sqlx::test(migrations = false)]
async fn an_invited_developer_is_told_applies_in_one_click_and_gets_the_48_hour_answer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    let note = "看了你的履历，很适合这个接口任务。加我微信 codelink_boss 或打 13812345678 详聊";
    ok(&invite(&app, &f.merchant, f.task, &f.handle.to_uppercase(), note).await, "invite");

    // Contact details are masked as in the conversation; the developer is told, and it waits.
    let stored: String = sqlx::query_scalar("SELECT note FROM task_invitations WHERE task_id = $1")
        .bind(f.task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.contains("***") && !stored.contains("13812345678") && !stored.contains("codelink_boss"), "{stored}");
    assert_eq!(invitation_notices(&app, f.developer_id, f.task).await, (1, 0));
    let bell = app.call("/api/notifications", &[], Some(&f.developer)).await.json();
    assert_eq!(bell["notices"][0]["kind"], "Invitation");
    assert_eq!(bell["notices"][0]["pending"], true);
    let preferences = app.call("/api/notifications/email", &[], Some(&f.developer)).await.json();
    assert!(preferences.as_array().unwrap().iter().any(|p| p[0] == "Invitation"), "e-mail can carry it: {preferences}");

    // The developer sees it on their list and on the task page, answerable.
    let list = app.call("/api/invitations", &[], Some(&f.developer)).await.json();
    assert_eq!((list[0]["status"].clone(), list[0]["answerable"].clone()), ("invited".into(), true.into()));
    let page = app.call("/api/task", &[("id", &f.task.to_string())], Some(&f.developer)).await.json();
    assert_eq!(page["my_invitation"]["status"], "invited");
    let merchant_page = app.call("/api/task", &[("id", &f.task.to_string())], Some(&f.merchant)).await.json();
    assert!(merchant_page["my_invitation"].is_null());

    // Applying is the usual application; it answers the invitation in the same transaction.
    ok(&apply(&app, &f.developer, f.task).await, "apply");
    assert_eq!(invitation_status(&app, f.task, f.developer_id).await, "applied");
    assert_eq!(invitation_notices(&app, f.developer_id, f.task).await, (1, 1), "done, not pending");
    let list = app.call("/api/invitations", &[], Some(&f.developer)).await.json();
    assert_eq!((list[0]["status"].clone(), list[0]["answerable"].clone()), ("applied".into(), false.into()));

    // The 48-hour answer guarantee holds for it as for every application.
    let hours: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM respond_by - created_at)::float8 / 3600 FROM applications WHERE task_id = $1",
    )
    .bind(f.task)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!((hours - 48.0).abs() < 0.01, "{hours}");
    sqlx::query("UPDATE applications SET respond_by = now() - interval '1 minute' WHERE task_id = $1")
        .bind(f.task)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(db::lifecycle::expire_applications(&app.pool).await.unwrap(), 1);
    let expired = format!(
        "SELECT count(*) FROM notifications WHERE user_id = '{}' AND kind = 'application_expired'",
        f.developer_id
    );
    assert_eq!(count(&app, &expired).await, 1);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn declining_answers_the_invitation_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    ok(&invite(&app, &f.merchant, f.task, &f.handle, "").await, "invite");
    let id = app.call("/api/invitations", &[], Some(&f.developer)).await.json()[0]["id"].as_str().unwrap().to_string();

    let stranger = app.logged_in_as("developer").await;
    let refused = app.call("/api/invitations/decline", &[("invitation", &id)], Some(&stranger)).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "someone else's invitation");
    let refused = app.call("/api/invitations/decline", &[("invitation", &id)], Some(&f.merchant)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    ok(&app.call("/api/invitations/decline", &[("invitation", &id)], Some(&f.developer)).await, "decline");
    assert_eq!(invitation_status(&app, f.task, f.developer_id).await, "declined");
    assert_eq!(invitation_notices(&app, f.developer_id, f.task).await, (1, 1));
    let again = app.call("/api/invitations/decline", &[("invitation", &id)], Some(&f.developer)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["reason"], "wrong_state");
    let page = app.call("/api/task", &[("id", &f.task.to_string())], Some(&f.developer)).await.json();
    assert_eq!(
        (page["my_invitation"]["status"].clone(), page["my_invitation"]["answerable"].clone()),
        ("declined".into(), false.into())
    );
}

#[sqlx::test(migrations = false)]
async fn every_refused_invitation_is_a_field_message_and_writes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    let (other_merchant_id, other_merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &other_merchant, "500").await;
    let others_task = create_task(&app, &other_merchant, "300").await;
    publish(&app, &other_merchant, others_task).await;
    let draft = create_task(&app, &f.merchant, "300").await;
    let applicant = app.logged_in_user("developer").await;
    ok(&apply(&app, &applicant.1, f.task).await, "apply");

    let cases = [
        (invite(&app, &f.merchant, others_task, &f.handle, "").await, "invitation_task", "not_your_task"),
        (invite(&app, &f.merchant, Uuid::now_v7(), &f.handle, "").await, "invitation_task", "not_your_task"),
        (invite(&app, &f.merchant, draft, &f.handle, "").await, "invitation_task", "task_not_open"),
        (
            invite(&app, &f.merchant, f.task, &handle_of(&app, f.merchant_id).await, "").await,
            "invitee",
            "cannot_invite_yourself",
        ),
        (
            invite(&app, &f.merchant, f.task, &handle_of(&app, other_merchant_id).await, "").await,
            "invitee",
            "not_a_developer",
        ),
        (
            invite(&app, &f.merchant, f.task, &handle_of(&app, applicant.0).await, "").await,
            "invitee",
            "already_applied",
        ),
        (invite(&app, &f.merchant, f.task, &f.handle, &"长".repeat(501)).await, "invitation_note", ""),
    ];
    for (reply, field, reason) in cases {
        assert_eq!(refusal(&reply), (field.to_string(), reason.to_string()), "{}", reply.body);
    }
    let too_long = invite(&app, &f.merchant, f.task, &f.handle, &"长".repeat(501)).await;
    assert_eq!(too_long.json()["fields"][0]["problem"]["kind"], "too_long");
    let no_task = app.call("/api/invitations/send", &[("developer", &f.handle), ("note", "")], Some(&f.merchant)).await;
    assert_eq!(refusal(&no_task).0, "invitation_task");
    let huge = invite(&app, &f.merchant, f.task, &f.handle, &"x".repeat(10 * 1024 * 1024)).await;
    assert!(huge.status.is_client_error(), "a 10 MB note: {}", huge.status);
    let unknown = invite(&app, &f.merchant, f.task, "no-such-person", "").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let as_developer = invite(&app, &f.developer, f.task, &f.handle, "").await;
    assert_eq!(as_developer.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT count(*) FROM task_invitations").await, 0, "nothing written");
    assert_eq!(count(&app, "SELECT count(*) FROM notifications WHERE kind = 'invitation'").await, 0);

    // Inviting twice: the second is refused the same way.
    ok(&invite(&app, &f.merchant, f.task, &f.handle, "").await, "invite");
    let twice = invite(&app, &f.merchant, f.task, &f.handle, "再邀请一次").await;
    assert_eq!(refusal(&twice), ("invitee".into(), "already_invited".into()));
    assert_eq!(count(&app, "SELECT count(*) FROM task_invitations").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM notifications WHERE kind = 'invitation'").await, 1);
}

#[sqlx::test(migrations = false)]
async fn a_merchant_sends_twenty_invitations_a_day_then_is_slowed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    ok(&invite(&app, &f.merchant, f.task, &f.handle, "").await, "invite");
    // Every attempt spends the merchant's allowance, refused or not: pasting one note at a crowd
    // is what the limit is for.
    for _ in 1..20 {
        assert_eq!(invite(&app, &f.merchant, f.task, &f.handle, "").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = invite(&app, &f.merchant, f.task, &f.handle, "").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    // Another merchant is not affected.
    let other = invitable(&app).await;
    ok(&invite(&app, &other.merchant, other.task, &other.handle, "").await, "another merchant");
}

#[sqlx::test(migrations = false)]
async fn a_task_sends_at_most_thirty_invitations_even_when_two_race(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    // Twenty-nine sent earlier (past the day's rate limit, which refills), written as they stand.
    sqlx::raw_sql(&format!(
        "INSERT INTO users (id, email, display_name, password_hash, role)
             SELECT gen_random_uuid(), 'invited' || n || '@test.cn', '受邀', 'not-a-login', 'developer'
             FROM generate_series(1, 31) n;
         INSERT INTO task_invitations (id, task_id, developer_id, merchant_id)
             SELECT gen_random_uuid(), '{}', id, '{}' FROM users WHERE email LIKE 'invited%' AND email NOT IN
                 ('invited30@test.cn', 'invited31@test.cn');",
        f.task, f.merchant_id
    ))
    .execute(&app.pool)
    .await
    .unwrap();
    let handles: Vec<String> = sqlx::query_scalar(
        "SELECT handle FROM users WHERE email IN ('invited30@test.cn', 'invited31@test.cn') ORDER BY email",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let racing = handles.into_iter().map(|handle| {
        let (app, merchant, task) = (app.clone(), f.merchant.clone(), f.task);
        tokio::spawn(async move { invite(&app, &merchant, task, &handle, "").await })
    });
    let replies = futures_join(racing).await;
    let sent = replies.iter().filter(|r| r.status.is_success() || r.status.is_redirection()).count();
    assert_eq!(sent, 1, "{:?}", replies.iter().map(|r| &r.body).collect::<Vec<_>>());
    let full = replies.iter().find(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY).expect("one refused");
    assert_eq!(refusal(full), ("invitation_task".into(), "task_full".into()));
    assert_eq!(count(&app, "SELECT count(*) FROM task_invitations").await, 30);
    let late = invite(&app, &f.merchant, f.task, &f.handle, "").await;
    assert_eq!(refusal(&late).1, "task_full");
}

#[sqlx::test(migrations = false)]
async fn choosing_a_developer_closes_the_other_invitations(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    ok(&invite(&app, &f.merchant, f.task, &f.handle, "").await, "invite");
    let chosen = app.logged_in_as("developer").await;
    ok(&apply(&app, &chosen, f.task).await, "apply");
    let application = application_of(&app, f.task).await.to_string();
    ok(&app.call("/api/task/accept_application", &[("application", &application)], Some(&f.merchant)).await, "choose");

    assert_eq!(invitation_status(&app, f.task, f.developer_id).await, "closed");
    assert_eq!(invitation_notices(&app, f.developer_id, f.task).await, (1, 1), "nothing asked any more");
    let list = app.call("/api/invitations", &[], Some(&f.developer)).await.json();
    assert_eq!((list[0]["status"].clone(), list[0]["answerable"].clone()), ("closed".into(), false.into()));
    let id = list[0]["id"].as_str().unwrap().to_string();
    let late = app.call("/api/invitations/decline", &[("invitation", &id)], Some(&f.developer)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn the_demo_sends_its_invitations_through_the_rules_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 10).await.unwrap();
    server::demo::load_history(&app.pool).await.unwrap();
    for _ in 0..2 {
        server::demo::load_invitations(&app.pool).await.unwrap();
    }
    assert_eq!(count(&app, "SELECT count(*) FROM task_invitations").await, 3);
    assert_eq!(count(&app, "SELECT count(*) FROM task_invitations WHERE status = 'declined'").await, 1);
    assert_eq!(
        count(&app, "SELECT count(*) FROM notifications WHERE kind = 'invitation' AND done_at IS NULL").await,
        2
    );
    assert_ledger_sound(&app).await;
}
