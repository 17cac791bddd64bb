//! The task flow as users drive it through the real server functions: money in through a signed
//! payment callback, a task created, published, applied to, chosen, delivered and accepted.
#![allow(dead_code)]

use super::{Reply, TestApp, TEST_PAYMENT_SECRET};
use app::{
    db::{self, ledger::check_invariants},
    domain::money::Money,
    payments::{Notification, NotificationKind, SandboxProvider, SIGNATURE_HEADER},
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use serde_json::json;
use uuid::Uuid;

pub async fn seed_tags(app: &TestApp) {
    sqlx::query(
        "INSERT INTO skill_tags (slug, name_zh, name_en) VALUES ('rust', 'Rust', 'Rust'), ('vue', 'Vue', 'Vue')
         ON CONFLICT DO NOTHING",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

pub fn signed(notification: &Notification) -> (Vec<u8>, String) {
    let (sandbox, _rx) = SandboxProvider::new(TEST_PAYMENT_SECRET.as_bytes());
    sandbox.sign(notification)
}

pub async fn post_callback(app: &TestApp, body: Vec<u8>, signature: &str) -> StatusCode {
    let request = Request::post("/payments/notify")
        .header(header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await.status
}

/// Tops up through the real flow: a payment order from the wallet, then the provider's signed callback.
pub async fn top_up(app: &TestApp, cookie: &str, yuan: &str) -> Uuid {
    let reply = app.call("/api/wallet/deposit", &[("amount", yuan)], Some(cookie)).await;
    assert!(!reply.status.is_client_error() && !reply.status.is_server_error(), "deposit: {}", reply.body);
    let location = reply.headers.get(header::LOCATION).expect("deposit redirects to the checkout").to_str().unwrap();
    let order: Uuid = location.trim_start_matches("/sandbox/pay/").parse().unwrap();
    let amount = Money::parse_yuan(yuan).unwrap();
    let (body, signature) = signed(&Notification {
        kind: NotificationKind::Payment,
        reference: order,
        amount_fen: amount.fen(),
        succeeded: true,
        provider_txn: "t-1".into(),
        payer_account: None,
    });
    assert_eq!(post_callback(app, body, &signature).await, StatusCode::OK);
    order
}

pub async fn available(app: &TestApp, user: Uuid) -> i64 {
    let mut conn = app.pool.acquire().await.unwrap();
    db::ledger::balances(&mut conn, user).await.unwrap().available.fen()
}

pub async fn commission_total(app: &TestApp) -> i64 {
    db::ledger::system_balance(&app.pool, app::domain::ledger::Account::Commission).await.unwrap().fen()
}

/// The ledger's invariants and the records' (`db::record_invariants`): both hold after every flow.
pub async fn assert_ledger_sound(app: &TestApp) {
    let report = check_invariants(&app.pool).await.unwrap();
    assert_eq!(report.violations(), 0, "{report:?}");
    let records = app::db::record_invariants::check(&app.pool).await.unwrap();
    assert_eq!(records.violations(), 0, "{records:?}");
}

pub fn task_form(reward: &str) -> serde_json::Value {
    json!({ "form": {
        "title": "Rust 后端接口开发",
        "category": "backend",
        "description": "为订单系统写三个 REST 接口，带测试和文档，使用 axum 与 PostgreSQL。",
        "tags": ["rust"],
        "difficulty": "3",
        "reward": reward,
        "deadline": "2099-12-31",
        "change_rounds": "1",
        "milestones": []
    }})
}

pub async fn create_task(app: &TestApp, merchant: &str, reward: &str) -> Uuid {
    let reply = app.call_json("/api/task/create", task_form(reward), Some(merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "create: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

pub async fn milestone_of(app: &TestApp, task: Uuid) -> Uuid {
    sqlx::query_scalar("SELECT id FROM milestones WHERE task_id = $1 ORDER BY position LIMIT 1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Publishes `task`, has `developer` apply and the merchant choose them; returns its first milestone.
pub async fn start_work(app: &TestApp, merchant: &str, developer: &str, task: Uuid) -> Uuid {
    let t = task.to_string();
    publish(app, merchant, task).await;
    ok(&app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(developer)).await, "apply");
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications WHERE task_id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let reply =
        app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(merchant)).await;
    ok(&reply, "choose");
    milestone_of(app, task).await
}

pub async fn task_status(app: &TestApp, task: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1").bind(task).fetch_one(&app.pool).await.unwrap()
}

/// The developer delivers `milestone` with a message, no links and no files.
pub async fn deliver(app: &TestApp, developer: &str, milestone: &str, message: &str) {
    let fields = [("milestone", milestone), ("message", message), ("links", "")];
    ok(&app.call_multipart("/api/task/deliver", &fields, &[], Some(developer)).await, "deliver");
}

pub fn ok(reply: &Reply, what: &str) {
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{what}: {} {}", reply.status, reply.body);
}

/// A task published, applied to and started: (merchant cookie, developer id, developer cookie, task, milestone).
pub async fn task_in_progress(app: &TestApp, reward: &str) -> (String, Uuid, String, Uuid, Uuid) {
    seed_tags(app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(app, &merchant, reward).await;
    let task = create_task(app, &merchant, reward).await;
    let milestone = start_work(app, &merchant, &developer, task).await;
    (merchant, developer_id, developer, task, milestone)
}

/// A task taken from creation to an accepted delivery by `developer`; the merchant must have the funds.
pub async fn finish_task(app: &TestApp, merchant: &str, developer: &str, reward: &str) -> Uuid {
    let task = create_task(app, merchant, reward).await;
    let m = start_work(app, merchant, developer, task).await.to_string();
    deliver(app, developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(merchant)).await, "accept");
    app.drain_growth().await;
    task
}

/// `cookie`'s side reviews the other side of `task` with three scores and a text.
pub async fn review(app: &TestApp, cookie: &str, task: Uuid, scores: [&str; 3], body: &str) -> Reply {
    let t = task.to_string();
    let form =
        [("task", t.as_str()), ("first", scores[0]), ("second", scores[1]), ("third", scores[2]), ("body", body)];
    app.call("/api/task/review", &form, Some(cookie)).await
}

/// Publishes `task` and, when it is held for review (a new merchant's first tasks are), has an
/// admin approve it, so it is open in the hall either way.
pub async fn publish(app: &TestApp, merchant: &str, task: Uuid) {
    ok(&app.call("/api/task/publish", &[("id", &task.to_string())], Some(merchant)).await, "publish");
    approve_if_held(app, task).await;
}

/// An admin approves `task` if it waits for review (the approval screen itself is tested in
/// `admin.rs`); afterwards it is open.
pub async fn approve_if_held(app: &TestApp, task: Uuid) {
    if task_status(app, task).await == "pending_review" {
        let admin: Uuid = sqlx::query_scalar(
            "WITH found AS (SELECT id FROM users WHERE email = 'moderator@test.cn'),
                  made AS (INSERT INTO users (id, email, display_name, password_hash, role)
                           SELECT $1, 'moderator@test.cn', '审核员', 'not-a-login', 'admin'
                           WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
             SELECT id FROM found UNION ALL SELECT id FROM made",
        )
        .bind(Uuid::now_v7())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        db::lifecycle::moderate(&app.pool, admin, task, app::domain::lifecycle::TaskAction::Approve, "").await.unwrap();
    }
    assert_eq!(task_status(app, task).await, "open");
}

/// Awaits spawned requests (started together, so they race) and returns their results in order.
pub async fn futures_join<T: Send + 'static>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}
