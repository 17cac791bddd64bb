//! Trust between strangers, through the real server functions: double-blind reviews, the
//! restriction that follows bad ones, task conversations (masked, live), notification e-mail,
//! the registration challenge and the anti-farming hold.

use crate::common;

use app::{
    db,
    domain::money::Money,
    mail::LocalOutbox,
    payments::{Notification, NotificationKind},
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{flow::*, spawn_app, Reply, TestApp, HOST};
use http_body_util::BodyExt;
use sqlx::PgPool;
use std::time::Duration;
use tower::ServiceExt;
use uuid::Uuid;

/// A completed, paid task: (merchant cookie, developer id, developer cookie, task).
async fn completed_task(app: &TestApp) -> (String, Uuid, String, Uuid) {
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(app, "300").await;
    let m = milestone.to_string();
    deliver(app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    (merchant, developer_id, developer, task)
}

async fn reviews_seen_by(app: &TestApp, cookie: Option<&str>, task: Uuid) -> serde_json::Value {
    app.call("/api/task", &[("id", &task.to_string())], cookie).await.json()["reviews"].clone()
}

async fn rating(app: &TestApp, task: Uuid) -> Option<i16> {
    sqlx::query_scalar("SELECT stars FROM task_ratings WHERE task_id = $1")
        .bind(task)
        .fetch_optional(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn reviews_stay_hidden_until_both_are_written_in_either_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    for merchant_first in [true, false] {
        let (merchant, _, developer, task) = completed_task(&app).await;
        let (first, second) = if merchant_first { (&merchant, &developer) } else { (&developer, &merchant) };
        ok(&review(&app, first, task, ["2", "3", "2"], "第一版").await, "first review");
        // The author may still change it while it is hidden.
        ok(&review(&app, first, task, ["4", "4", "5"], "改过的评价").await, "rewrite");

        let waiting = reviews_seen_by(&app, Some(second), task).await;
        assert_eq!(waiting["awaiting_mine"], true, "the other side knows a review waits");
        assert_eq!(waiting["visible"].as_array().unwrap().len(), 0, "but cannot read it");
        assert_eq!(
            reviews_seen_by(&app, None, task).await["visible"].as_array().unwrap().len(),
            0,
            "nor can the public"
        );
        let own = reviews_seen_by(&app, Some(first), task).await;
        assert_eq!(own["visible"][0]["body"], "改过的评价");
        assert_eq!(own["visible"][0]["revealed"], false);
        assert_eq!(rating(&app, task).await, None, "no rating before the reveal");

        ok(&review(&app, second, task, ["5", "5", "4"], "合作愉快").await, "second review");
        let public = reviews_seen_by(&app, None, task).await;
        let visible = public["visible"].as_array().unwrap();
        assert_eq!(visible.len(), 2, "both appear at once: {public}");
        assert!(visible.iter().all(|r| r["revealed"] == true));
        let of_developer = if merchant_first { 4 } else { 5 }; // (4,4,5) → 4; (5,5,4) → 5
        assert_eq!(rating(&app, task).await, Some(of_developer), "the merchant's review rates the task");
        let late = review(&app, first, task, ["1", "1", "1"], "").await;
        assert_eq!(late.json()["reason"], "wrong_state", "no edits after the reveal");

        // The subject answers once, publicly.
        let t = task.to_string();
        ok(&app.call("/api/task/review/reply", &[("task", &t), ("reply", "谢谢认可")], Some(second)).await, "reply");
        let twice = app.call("/api/task/review/reply", &[("task", &t), ("reply", "再说一次")], Some(second)).await;
        assert_eq!(twice.json()["reason"], "wrong_state");
        let replied = reviews_seen_by(&app, None, task).await;
        assert!(replied["visible"].as_array().unwrap().iter().any(|r| r["reply"] == "谢谢认可"));
    }
}

#[sqlx::test(migrations = false)]
async fn a_lone_review_is_revealed_after_fourteen_days(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task) = completed_task(&app).await;
    ok(&review(&app, &merchant, task, ["5", "5", "5"], "很好").await, "merchant's review");
    assert_eq!(db::reviews::reveal_due(&app.pool).await.unwrap(), 0, "not due yet");
    sqlx::query("UPDATE reviews SET reveal_due = now() - interval '1 minute' WHERE task_id = $1")
        .bind(task)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(db::reviews::reveal_due(&app.pool).await.unwrap(), 1);
    assert_eq!(db::reviews::reveal_due(&app.pool).await.unwrap(), 0, "revealed once");
    assert_eq!(rating(&app, task).await, Some(5));
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notifications WHERE user_id = $1 ORDER BY id")
        .bind(developer_id)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(kinds.contains(&"review_revealed".to_string()), "{kinds:?}");
    let seen = reviews_seen_by(&app, Some(&developer), task).await;
    assert_eq!(seen["visible"][0]["body"], "很好");
    assert_eq!(seen["can_write"], false, "the window has closed for the developer too");
}

#[sqlx::test(migrations = false)]
async fn three_bad_reviews_restrict_applying_until_an_admin_lifts_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task) = completed_task(&app).await;
    ok(&review(&app, &merchant, task, ["1", "2", "1"], "没有交付").await, "bad review");
    ok(&review(&app, &developer, task, ["3", "3", "3"], "").await, "developer's review");
    // Two more bad reviews from other tasks, revealed.
    for _ in 0..2 {
        let merchant2 = app.logged_in_as("merchant").await;
        top_up(&app, &merchant2, "300").await;
        let task = finish_task(&app, &merchant2, &developer, "300").await;
        ok(&review(&app, &merchant2, task, ["2", "1", "2"], "").await, "bad review");
        ok(&review(&app, &developer, task, ["4", "4", "4"], "").await, "developer's review");
    }
    let restricted: i64 =
        sqlx::query_scalar("SELECT count(*) FROM restrictions WHERE user_id = $1 AND lifted_at IS NULL")
            .bind(developer_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(restricted, 1);

    // The server refuses, whatever the page shows, and says why and until when.
    let (_, merchant3) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant3, "300").await;
    let open = create_task(&app, &merchant3, "300").await;
    publish(&app, &merchant3, open).await;
    let refused = app.call("/api/task/apply", &[("task", &open.to_string()), ("pitch", "")], Some(&developer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let body = refused.json();
    assert_eq!(body["code"], "restricted");
    assert_eq!(body["reason"]["kind"], "bad_reviews");
    assert_eq!(body["reason"]["count"], 3);
    assert!(body["until"].as_str().unwrap().len() == 10, "a date: {body}");
    let credit = app.call("/api/credit/me", &[], Some(&developer)).await.json();
    assert_eq!(credit["restriction"]["kind"], "bad_reviews");
    assert!(credit["score"]["score"].as_u64().unwrap() < 70, "bad reviews lower the score: {credit}");

    let admin = app.logged_in_as("admin").await;
    assert_eq!(
        app.call("/api/admin/restrictions/lift", &[("user", &developer_id.to_string())], Some(&developer)).await.status,
        StatusCode::FORBIDDEN
    );
    ok(&app.call("/api/admin/restrictions/lift", &[("user", &developer_id.to_string())], Some(&admin)).await, "lift");
    ok(
        &app.call("/api/task/apply", &[("task", &open.to_string()), ("pitch", "")], Some(&developer)).await,
        "apply after lift",
    );
}

/// Sends a message as multipart, as the page does.
async fn send(app: &TestApp, cookie: &str, task: Uuid, developer: Uuid, body: &str) -> Reply {
    let (t, d) = (task.to_string(), developer.to_string());
    app.call_multipart("/api/task/messages/send", &[("task", &t), ("developer", &d), ("body", body)], &[], Some(cookie))
        .await
}

async fn conversation(app: &TestApp, cookie: &str, task: Uuid, developer: Uuid) -> serde_json::Value {
    let (t, d) = (task.to_string(), developer.to_string());
    app.call("/api/task/messages", &[("task", &t), ("developer", &d)], Some(cookie)).await.json()
}

#[sqlx::test(migrations = false)]
async fn contact_details_are_masked_until_the_developer_is_chosen(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "300").await;
    let t = task.to_string();
    publish(&app, &merchant, task).await;

    // Before applying there is no conversation to write in.
    assert_eq!(send(&app, &developer, task, developer_id, "你好").await.status, StatusCode::FORBIDDEN);
    ok(&app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(&developer)).await, "apply");
    ok(&send(&app, &developer, task, developer_id, "加我微信：dev_wang88，手机 13812345678").await, "message");
    let seen = conversation(&app, &merchant, task, developer_id).await;
    assert_eq!(seen["messages"][0]["body"], "加我***，手机 ***");
    assert_eq!(seen["messages"][0]["masked"], true);
    assert_eq!(seen["masking"], true);
    let stored: String = sqlx::query_scalar("SELECT body FROM task_messages").fetch_one(&app.pool).await.unwrap();
    assert!(!stored.contains("13812345678"), "the number is not kept anywhere");

    // A stranger cannot read it; an admin can only once there is a dispute.
    let stranger = app.logged_in_as("merchant").await;
    let (t2, d2) = (t.clone(), developer_id.to_string());
    let refused = app.call("/api/task/messages", &[("task", &t2), ("developer", &d2)], Some(&stranger)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin = app.logged_in_as("admin").await;
    assert_eq!(
        app.call("/api/task/messages", &[("task", &t2), ("developer", &d2)], Some(&admin)).await.status,
        StatusCode::FORBIDDEN
    );

    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications WHERE task_id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    ok(
        &app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant)).await,
        "choose",
    );
    ok(&send(&app, &merchant, task, developer_id, "我的邮箱 boss@example.com").await, "message after choosing");
    let seen = conversation(&app, &developer, task, developer_id).await;
    assert_eq!(seen["messages"][1]["body"], "我的邮箱 boss@example.com", "the chosen developer sees it whole");
    assert_eq!(seen["masking"], false);
    assert_eq!(seen["messages"][1]["mine"], false);
}

/// Reads the next server-sent event's data from a streaming body, waiting at most two seconds.
async fn next_event(body: &mut Body) -> String {
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(2), body.frame()).await.expect("an event within 2 s");
        let frame = frame.expect("the stream stays open").unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
            if let Some(line) = text.lines().find(|l| l.starts_with("data:")) {
                return line.trim_start_matches("data:").trim().to_string();
            }
        }
    }
}

#[sqlx::test(migrations = false)]
async fn a_message_reaches_the_open_live_stream_and_missed_ones_are_replayed(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::live::spawn_live_announcements(app.state.clone());
    let (merchant, developer_id, developer, task, _) = task_in_progress(&app, "300").await;
    // The listener needs a moment to LISTEN before the first message is sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let open = |cookie: &str, last_seen: Option<i64>| {
        let mut request = Request::get(format!("/tasks/{task}/messages/live?developer={developer_id}"))
            .header(header::HOST, HOST)
            .header(header::COOKIE, cookie);
        if let Some(id) = last_seen {
            request = request.header("last-event-id", id.to_string());
        }
        let mut request = request.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
        app.router.clone().oneshot(request)
    };
    let response = open(&merchant, None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut stream = response.into_body();
    ok(&send(&app, &developer, task, developer_id, "第一版已推送").await, "message");
    let first: i64 = next_event(&mut stream).await.parse().unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT id FROM task_messages").fetch_one(&app.pool).await.unwrap();
    assert_eq!(first, stored);

    // A stream reopened after a gap first announces what it missed.
    drop(stream);
    ok(&send(&app, &developer, task, developer_id, "第二版").await, "message while away");
    let mut reopened = open(&merchant, Some(first)).await.unwrap().into_body();
    let missed: i64 = next_event(&mut reopened).await.parse().unwrap();
    assert!(missed > first);

    let stranger = app.logged_in_as("merchant").await;
    assert_eq!(open(&stranger, None).await.unwrap().status(), StatusCode::FORBIDDEN);

    // The developer's bell hears of the merchant's message (its new_message notification).
    let mut request = Request::get("/notifications/live")
        .header(header::HOST, HOST)
        .header(header::COOKIE, &developer)
        .body(Body::empty())
        .unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
    let mut bell = app.router.clone().oneshot(request).await.unwrap().into_body();
    sqlx::query("UPDATE notifications SET read_at = now()").execute(&app.pool).await.unwrap();
    ok(&send(&app, &merchant, task, developer_id, "收到，明天看").await, "merchant's message");
    assert_eq!(next_event(&mut bell).await, "notice");
}

#[sqlx::test(migrations = false)]
async fn chosen_kinds_of_notification_are_emailed_once_through_the_outbox(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    let set = |kind: &'static str, enabled: &'static str| {
        let developer = developer.clone();
        let app = app.clone();
        async move {
            app.call("/api/notifications/email/set", &[("kind", kind), ("enabled", enabled)], Some(&developer)).await
        }
    };
    ok(&set("application_accepted", "true").await, "turn on");
    assert_eq!(set("no_such_kind", "true").await.status, StatusCode::NOT_FOUND);
    let prefs = app.call("/api/notifications/email", &[], Some(&developer)).await.json();
    assert!(prefs.as_array().unwrap().iter().any(|p| p[0] == "ApplicationAccepted" && p[1] == true), "{prefs}");

    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "300").await;
    start_work(&app, &merchant, &developer, task).await;
    let base = "https://codelink.example";
    assert_eq!(db::email::send_due(&app.pool, &LocalOutbox, base).await.unwrap(), 1);
    assert_eq!(db::email::send_due(&app.pool, &LocalOutbox, base).await.unwrap(), 0, "sent once");
    let (to, subject, body): (String, String, String) =
        sqlx::query_as("SELECT to_address, subject, body FROM email_outbox").fetch_one(&app.pool).await.unwrap();
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(to, email);
    assert!(subject.contains("选中"), "{subject}");
    assert!(body.contains(&format!("{base}/tasks/{task}")), "{body}");
    let outbox = app.call("/api/admin/trust", &[], Some(&app.logged_in_as("admin").await)).await.json();
    assert_eq!(outbox["outbox"].as_array().unwrap().len(), 1);
}

#[sqlx::test(migrations = false)]
async fn the_fourth_sign_up_from_one_address_must_answer_a_challenge(pool: PgPool) {
    let app = spawn_app(pool).await;
    for n in 0..3 {
        app.register(&format!("batch{n}@test.cn"), "developer", None).await;
    }
    let form = |email: &'static str, challenge: Option<&'static str>| {
        let mut form = vec![
            ("email", email),
            ("password", common::PASSWORD),
            ("display_name", "批量"),
            ("role", "developer"),
            ("consent", "on"),
        ];
        if let Some(answer) = challenge {
            form.push(("challenge", answer));
        }
        form
    };
    let unanswered = app.call("/api/register", &form("batch3@test.cn", None), None).await;
    assert_eq!(unanswered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unanswered.json()["fields"][0]["field"], "challenge");

    let asked = app.call("/api/register/challenge", &[], None).await;
    let cookie = asked.session_cookie().expect("the answer waits in a session");
    let question: String = asked.json().as_str().unwrap().to_string();
    let wrong = app.call("/api/register", &form("batch3@test.cn", Some("999")), Some(&cookie)).await;
    assert_eq!(wrong.json()["fields"][0]["problem"]["kind"], "wrong_answer");
    assert_eq!(app.user_count().await, 3);

    // A used challenge is gone; a fresh one answered right lets the sign-up through.
    let asked = app.call("/api/register/challenge", &[], Some(&cookie)).await;
    let answer = common::solve_challenge(asked.json().as_str().unwrap());
    assert_ne!(question, "");
    let answer: &'static str = Box::leak(answer.into_boxed_str());
    let reply = app.call("/api/register", &form("batch3@test.cn", Some(answer)), Some(&cookie)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(app.user_count().await, 4);
}

#[sqlx::test(migrations = false)]
async fn rewards_from_a_task_between_related_accounts_are_held_for_an_admin(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "300").await;
    // Both accounts were used from one public address.
    let merchant_id: Uuid = sqlx::query_scalar("SELECT merchant_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for user in [merchant_id, developer_id] {
        db::abuse::record_address(&app.pool, user, "203.0.113.7".parse().unwrap()).await.unwrap();
    }
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    let xp = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT xp FROM developer_growth WHERE developer_id = $1")
            .bind(developer_id)
            .fetch_optional(&app.pool)
            .await
            .unwrap()
            .flatten()
            .unwrap_or(0)
    };
    assert_eq!(xp().await, 0, "nothing awarded while flagged");
    assert_eq!(available(&app, developer_id).await, 27_000, "the money is paid as usual");
    let admin = app.logged_in_as("admin").await;
    let overview = app.call("/api/admin/trust", &[], Some(&admin)).await.json();
    assert_eq!(overview["flags"][0]["reason"], "shared_address");
    assert_eq!(overview["flags"][0]["evidence"], "203.0.113.7");

    // Both review: the rating is held as well.
    ok(&review(&app, &merchant, task, ["5", "5", "5"], "").await, "review");
    ok(&review(&app, &developer, task, ["5", "5", "5"], "").await, "review");
    assert_eq!(xp().await, 0);
    let t = task.to_string();
    ok(&app.call("/api/admin/flags/resolve", &[("task", &t), ("release", "true")], Some(&admin)).await, "release");
    assert_eq!(xp().await, 90, "completion and rating, once each");
    let again = app.call("/api/admin/flags/resolve", &[("task", &t), ("release", "true")], Some(&admin)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(xp().await, 90);
}

#[sqlx::test(migrations = false)]
async fn a_shared_payment_account_flags_the_task_too(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "300").await;
    // The developer tops up from the merchant's payer account.
    let account: String = "alipay-2088-shared".into();
    sqlx::query("UPDATE payment_orders SET payer_account = $1").bind(&account).execute(&app.pool).await.unwrap();
    let order = Uuid::now_v7();
    sqlx::query("INSERT INTO payment_orders (id, user_id, provider, amount_fen, status) VALUES ($1, $2, 'sandbox', 100, 'created')")
        .bind(order)
        .bind(developer_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let (body, signature) = signed(&Notification {
        kind: NotificationKind::Payment,
        reference: order,
        amount_fen: Money::from_fen(100).fen(),
        succeeded: true,
        provider_txn: "shared".into(),
        payer_account: Some(account.clone()),
    });
    assert_eq!(post_callback(&app, body, &signature).await, StatusCode::OK);
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    let reason: String = sqlx::query_scalar("SELECT reason FROM abuse_flags WHERE task_id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(reason, "shared_payment_account");
}
