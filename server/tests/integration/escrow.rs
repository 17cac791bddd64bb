//! The task lifecycle and its money, through the real server functions and a real PostgreSQL:
//! the whole loop, refusals, races that must not double-spend, callbacks that must credit once,
//! and the deadline jobs. Every test ends with the ledger's invariant check.

use crate::common;

use app::{
    db,
    domain::money::Money,
    payments::{Notification, NotificationKind, SandboxProvider},
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{flow::*, spawn_app, TestApp};
use http_body_util::BodyExt;
use serde_json::json;
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn the_whole_loop_pays_the_developer_minus_an_itemised_commission(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "1000.00").await;
    let m = milestone.to_string();

    ok(
        &app.call_multipart(
            "/api/task/deliver",
            &[("milestone", &m), ("message", "第一版"), ("links", "https://git.example.cn/x")],
            &[],
            Some(&developer),
        )
        .await,
        "deliver",
    );
    ok(
        &app.call("/api/task/request_changes", &[("milestone", &m), ("note", "请补充测试")], Some(&merchant)).await,
        "changes",
    );
    // The one allowed round is used: a second request for changes is refused, with the reason.
    deliver(&app, &developer, &m, "补充了测试").await;
    let refused =
        app.call("/api/task/request_changes", &[("milestone", &m), ("note", "再改改")], Some(&merchant)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["reason"], "no_change_rounds_left");

    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    assert_eq!(available(&app, developer_id).await, 90_000, "¥1000 minus 10% commission, at once");
    assert_eq!(commission_total(&app).await, 10_000);
    assert_eq!(task_status(&app, task).await, "completed");

    // The developer's wallet shows the payout line; the task page shows the itemised split to both.
    let wallet = app.call("/api/wallet", &[], Some(&developer)).await;
    assert_eq!(wallet.json()["available"], 90_000);
    assert_eq!(wallet.json()["lines"][0]["kind"], "escrow_release");
    let page = app.call("/api/task", &[("id", &task.to_string())], Some(&developer)).await;
    let split = &page.json()["split"];
    assert_eq!(
        (split["reward"].as_i64(), split["commission"].as_i64(), split["developer_receives"].as_i64()),
        (Some(100_000), Some(10_000), Some(90_000))
    );
    let kinds: Vec<String> =
        page.json()["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "published",
            "approved",
            "developer_chosen",
            "delivered",
            "changes_requested",
            "delivered",
            "accepted",
            "completed"
        ]
    );
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn publishing_without_enough_balance_says_how_much_is_missing_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "500").await;
    let reply = app.call("/api/task/publish", &[("id", &task.to_string())], Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.json()["code"], "insufficient_funds");
    assert_eq!(reply.json()["shortfall"], 20_000);
    assert_eq!(task_status(&app, task).await, "draft");
    assert_eq!(available(&app, merchant_id).await, 30_000);
    top_up(&app, &merchant, "200").await;
    ok(&app.call("/api/task/publish", &[("id", &task.to_string())], Some(&merchant)).await, "publish after top-up");
    assert_eq!(available(&app, merchant_id).await, 0);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn bad_task_forms_get_field_errors_and_write_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let merchant = app.logged_in_as("merchant").await;
    let huge = "很".repeat(3_000_000);
    let body = json!({ "form": { "title": huge, "description": "", "tags": ["no-such-tag"], "difficulty": "0",
        "reward": "abc", "deadline": "2000-01-01", "change_rounds": "x", "milestones": [] }});
    let reply = app.call_json("/api/task/create", body, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let fields: Vec<String> =
        reply.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["title", "description", "category", "difficulty", "reward", "deadline", "change_rounds"]);
    // A tag that is not on the managed list is refused, and the draft is rolled back with it.
    let mut form = task_form("100");
    form["form"]["tags"] = json!(["no-such-tag"]);
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"][0]["field"], "tags");
    let tasks: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks").fetch_one(&app.pool).await.unwrap();
    assert_eq!(tasks, 0);
}

#[sqlx::test(migrations = false)]
async fn only_the_parties_can_act_and_only_in_turn(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = task_in_progress(&app, "100").await;
    let stranger = app.logged_in_as("developer").await;
    let m = milestone.to_string();
    // Another developer cannot deliver; the merchant cannot accept before a delivery.
    let reply = app
        .call_multipart(
            "/api/task/deliver",
            &[("milestone", &m), ("message", "x"), ("links", "")],
            &[],
            Some(&stranger),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await;
    assert_eq!(reply.json()["reason"], "wrong_state");
    // Cancelling during work needs the developer.
    let reply = app.call("/api/task/cancel", &[("id", &task.to_string())], Some(&merchant)).await;
    assert_eq!(reply.json()["reason"], "needs_developer_consent");
    // A javascript: link is not a delivery link.
    let reply = app
        .call_multipart(
            "/api/task/deliver",
            &[("milestone", &m), ("message", "x"), ("links", "javascript:alert(1)")],
            &[],
            Some(&developer),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Applying twice is refused.
    let other_task = {
        top_up(&app, &merchant, "100").await;
        let t = create_task(&app, &merchant, "100").await;
        publish(&app, &merchant, t).await;
        t
    };
    ok(
        &app.call("/api/task/apply", &[("task", &other_task.to_string()), ("pitch", "hi")], Some(&stranger)).await,
        "apply",
    );
    let again =
        app.call("/api/task/apply", &[("task", &other_task.to_string()), ("pitch", "hi")], Some(&stranger)).await;
    assert_eq!(again.json()["reason"], "already_applied");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn sixty_four_simultaneous_accepts_release_exactly_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "640").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "done").await;
    let calls = (0..64).map(|_| {
        let (app, merchant, m) = (app.clone(), merchant.clone(), m.clone());
        tokio::spawn(async move {
            app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await.status
        })
    });
    let statuses: Vec<StatusCode> = futures_join(calls).await;
    assert_eq!(statuses.iter().filter(|s| s.is_success()).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| s.is_success() || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(available(&app, developer_id).await, 57_600);
    let releases: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_movements WHERE kind = 'escrow_release'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(releases, 1);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn sixty_four_simultaneous_withdrawals_never_overdraw(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &cookie, "1000").await;
    let calls = (0..64).map(|_| {
        let (app, cookie) = (app.clone(), cookie.clone());
        tokio::spawn(async move {
            let key = Uuid::now_v7().to_string();
            app.call("/api/wallet/withdraw", &[("amount", "600"), ("key", &key)], Some(&cookie)).await.status
        })
    });
    let statuses = futures_join(calls).await;
    assert_eq!(statuses.iter().filter(|s| s.is_success()).count(), 1, "{statuses:?}");
    assert_eq!(available(&app, user).await, 40_000);
    // The sandbox confirms the payout by its own signed callback, shortly after.
    for _ in 0..50 {
        let status: String = sqlx::query_scalar("SELECT status FROM withdrawals").fetch_one(&app.pool).await.unwrap();
        if status == "paid" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut conn = app.pool.acquire().await.unwrap();
    let balances = db::ledger::balances(&mut conn, user).await.unwrap();
    assert_eq!((balances.available.fen(), balances.withdrawing.fen()), (40_000, 0));
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_failed_payout_returns_the_money(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &cookie, "100").await;
    let withdrawal = db::payments::request_withdrawal(&app.pool, user, Money::from_fen(6_000), "test").await.unwrap();
    assert_eq!(available(&app, user).await, 4_000);
    let failed = Notification {
        kind: NotificationKind::Payout,
        reference: withdrawal,
        amount_fen: 6_000,
        succeeded: false,
        provider_txn: "f".into(),
        payer_account: None,
    };
    let (body, signature) = signed(&failed);
    assert_eq!(post_callback(&app, body.clone(), &signature).await, StatusCode::OK);
    assert_eq!(post_callback(&app, body, &signature).await, StatusCode::OK, "a retried callback is acknowledged");
    assert_eq!(available(&app, user).await, 10_000);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn publish_racing_cancel_leaves_a_funded_task_or_a_refund_never_both(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "2000").await;
    for _ in 0..20 {
        let task = create_task(&app, &merchant, "100").await.to_string();
        let publish = {
            let (app, merchant, task) = (app.clone(), merchant.clone(), task.clone());
            tokio::spawn(async move { app.call("/api/task/publish", &[("id", &task)], Some(&merchant)).await.status })
        };
        let cancel = {
            let (app, merchant, task) = (app.clone(), merchant.clone(), task.clone());
            tokio::spawn(async move { app.call("/api/task/cancel", &[("id", &task)], Some(&merchant)).await.status })
        };
        let (publish, cancel) = (publish.await.unwrap(), cancel.await.unwrap());
        assert!(cancel.is_success(), "cancel always wins eventually: {cancel}");
        let _ = publish;
    }
    // Every task ended cancelled, and every published one was refunded in full.
    assert_eq!(available(&app, merchant_id).await, 200_000);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_callback_delivered_ten_times_credits_once_and_forgeries_credit_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("merchant").await;
    let reply = app.call("/api/wallet/deposit", &[("amount", "88.80")], Some(&cookie)).await;
    let order: Uuid =
        reply.headers[header::LOCATION].to_str().unwrap().trim_start_matches("/sandbox/pay/").parse().unwrap();
    let paid = Notification {
        kind: NotificationKind::Payment,
        reference: order,
        amount_fen: 8_880,
        succeeded: true,
        provider_txn: "x".into(),
        payer_account: None,
    };

    // Forged: wrong key, altered amount.
    let (forger, _rx) = SandboxProvider::new(b"not-the-key");
    let (body, signature) = forger.sign(&paid);
    assert_eq!(post_callback(&app, body, &signature).await, StatusCode::FORBIDDEN);
    let inflated = Notification { amount_fen: 888_000, ..paid.clone() };
    let (body, signature) = signed(&inflated);
    assert_eq!(post_callback(&app, body, &signature).await, StatusCode::FORBIDDEN, "amount must match the order");
    assert_eq!(available(&app, user).await, 0);

    let (body, signature) = signed(&paid);
    let deliveries = (0..10).map(|_| {
        let (app, body, signature) = (app.clone(), body.clone(), signature.clone());
        tokio::spawn(async move { post_callback(&app, body, &signature).await })
    });
    let statuses = futures_join(deliveries).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    assert_eq!(available(&app, user).await, 8_880);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn unanswered_applications_expire_once_and_lower_the_response_rate(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let merchant = app.logged_in_as("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "100").await;
    let task = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, task).await;
    ok(&app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&developer)).await, "apply");
    assert_eq!(db::lifecycle::expire_applications(&app.pool).await.unwrap(), 0, "not due yet");
    sqlx::query("UPDATE applications SET respond_by = now() - interval '1 minute'").execute(&app.pool).await.unwrap();
    let (a, b) =
        tokio::join!(db::lifecycle::expire_applications(&app.pool), db::lifecycle::expire_applications(&app.pool));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "two servers running the job expire it once");
    let told: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'application_expired'")
            .bind(developer_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(told, 1);
    let page = app.call("/api/task", &[("id", &task.to_string())], None).await;
    assert_eq!(page.json()["merchant_response_rate"], 0);
}

#[sqlx::test(migrations = false)]
async fn silence_for_seven_days_accepts_a_delivery_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, developer_id, developer, task, milestone) = task_in_progress(&app, "100").await;
    ok(
        &app.call_multipart(
            "/api/task/deliver",
            &[("milestone", &milestone.to_string()), ("message", "done"), ("links", "")],
            &[],
            Some(&developer),
        )
        .await,
        "deliver",
    );
    assert_eq!(db::lifecycle::auto_accept_deliveries(&app.pool).await.unwrap(), 0, "not due yet");
    sqlx::query("UPDATE milestones SET delivered_at = now() - interval '8 days'").execute(&app.pool).await.unwrap();
    let (a, b) = tokio::join!(
        db::lifecycle::auto_accept_deliveries(&app.pool),
        db::lifecycle::auto_accept_deliveries(&app.pool)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(available(&app, developer_id).await, 9_000);
    assert_eq!(task_status(&app, task).await, "completed");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_dispute_freezes_its_milestone_until_an_admin_splits_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    let admin = app.logged_in_as("admin").await;
    top_up(&app, &merchant, "1000").await;
    let mut form = task_form("1000");
    form["form"]["milestones"] = json!([{ "title": "定金", "amount": "300" }, { "title": "尾款", "amount": "700" }]);
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    publish(&app, &merchant, task).await;
    ok(&app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&developer)).await, "apply");
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications").fetch_one(&app.pool).await.unwrap();
    ok(
        &app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant)).await,
        "choose",
    );
    let milestones: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM milestones WHERE task_id = $1 ORDER BY position")
        .bind(task)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let (first, second) = (milestones[0].to_string(), milestones[1].to_string());

    // The first milestone is paid normally; the second goes to a dispute.
    deliver(&app, &developer, &first, "定金阶段").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &first)], Some(&merchant)).await, "accept 1");
    deliver(&app, &developer, &second, "全部").await;
    ok(
        &app.call("/api/task/dispute", &[("milestone", &second), ("reason", "功能不完整")], Some(&merchant)).await,
        "dispute",
    );
    let reply = app.call("/api/task/accept_delivery", &[("milestone", &second)], Some(&merchant)).await;
    assert_eq!(reply.json()["reason"], "wrong_state", "a disputed milestone is frozen");
    // Developers cannot settle; admins can, 70/30.
    let reply = app
        .call(
            "/api/admin/settle_dispute",
            &[("milestone", &second), ("split", "amount"), ("developer_share", "490"), ("decision", "完成七成")],
            Some(&developer),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    ok(
        &app.call(
            "/api/admin/settle_dispute",
            &[("milestone", &second), ("split", "amount"), ("developer_share", "490"), ("decision", "完成七成")],
            Some(&admin),
        )
        .await,
        "settle",
    );

    assert_eq!(available(&app, developer_id).await, 27_000 + 44_100, "90% of 300 plus 90% of 490");
    assert_eq!(available(&app, merchant_id).await, 21_000, "the 210 not awarded comes back");
    assert_eq!(commission_total(&app).await, 3_000 + 4_900);
    assert_eq!(task_status(&app, task).await, "completed");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn cancelling_during_work_takes_both_sides_and_refunds_only_unpaid_milestones(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "1000").await;
    let mut form = task_form("1000");
    form["form"]["milestones"] = json!([{ "title": "定金", "amount": "400" }, { "title": "尾款", "amount": "600" }]);
    let task: Uuid =
        serde_json::from_str(&app.call_json("/api/task/create", form, Some(&merchant)).await.body).unwrap();
    let t = task.to_string();
    publish(&app, &merchant, task).await;
    ok(&app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(&developer)).await, "apply");
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications").fetch_one(&app.pool).await.unwrap();
    ok(
        &app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant)).await,
        "choose",
    );
    let first = milestone_of(&app, task).await.to_string();
    deliver(&app, &developer, &first, "定金阶段").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &first)], Some(&merchant)).await, "accept");

    // Nobody can agree to a cancellation nobody proposed, nor to their own proposal.
    let reply = app.call("/api/task/agree_cancel", &[("id", &t)], Some(&developer)).await;
    assert_eq!(reply.json()["reason"], "wrong_state");
    ok(&app.call("/api/task/propose_cancel", &[("id", &t), ("reason", "需求变更")], Some(&merchant)).await, "propose");
    let reply = app.call("/api/task/agree_cancel", &[("id", &t)], Some(&merchant)).await;
    assert_eq!(reply.json()["reason"], "not_your_turn");
    let stranger = app.logged_in_as("developer").await;
    assert_eq!(app.call("/api/task/agree_cancel", &[("id", &t)], Some(&stranger)).await.status, StatusCode::FORBIDDEN);

    ok(&app.call("/api/task/agree_cancel", &[("id", &t)], Some(&developer)).await, "agree");
    assert_eq!(task_status(&app, task).await, "cancelled");
    assert_eq!(available(&app, developer_id).await, 36_000, "the paid milestone stays paid");
    assert_eq!(available(&app, merchant_id).await, 60_000, "the unpaid ¥600 comes back in full");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn delivered_files_are_kept_and_only_the_two_parties_and_admins_download_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    let design: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let files: [(&str, &[u8]); 2] = [("设计稿 v2.pdf", &design), ("C:\\work\\readme.txt", b"hello")];
    let reply = app
        .call_multipart(
            "/api/task/deliver",
            &[("milestone", &m), ("message", "附上设计稿"), ("links", "")],
            &files,
            Some(&developer),
        )
        .await;
    ok(&reply, "deliver with files");

    // The merchant sees both files on the task, under their cleaned names.
    let detail = app.call("/api/task", &[("id", &task.to_string())], Some(&merchant)).await.json();
    let listed = detail["milestones"][0]["deliveries"][0]["files"].as_array().unwrap().clone();
    let names: Vec<&str> = listed.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["设计稿 v2.pdf", "readme.txt"]);
    assert_eq!(listed[0]["size_bytes"], 300_000);
    let file_id = listed[0]["id"].as_str().unwrap().to_string();

    // A fresh router over the same database (a restarted server) still serves it, byte for byte.
    let restarted = spawn_app(app.pool.clone()).await;
    let download = |cookie: Option<String>| {
        let app = restarted.clone();
        let path = format!("/files/{file_id}");
        async move {
            let mut request = Request::get(path).header(header::HOST, common::HOST);
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let response = app.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
        }
    };
    let (status, headers, bytes) = download(Some(merchant.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, design, "the merchant gets the exact bytes");
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("UTF-8''%E8%AE%BE%E8%AE%A1%E7%A8%BF%20v2.pdf"));
    assert_eq!(download(Some(developer.clone())).await.0, StatusCode::OK);
    assert_eq!(download(Some(app.logged_in_as("admin").await)).await.0, StatusCode::OK);
    assert_eq!(
        download(Some(app.logged_in_as("developer").await)).await.0,
        StatusCode::NOT_FOUND,
        "a stranger learns nothing"
    );
    assert_eq!(download(Some(app.logged_in_as("merchant").await)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(None).await.0, StatusCode::UNAUTHORIZED);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn an_oversized_or_overfull_upload_is_refused_whole(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, _, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    let fields = [("milestone", m.as_str()), ("message", "交付"), ("links", "")];

    let big = vec![7u8; 10 * 1024 * 1024 + 1];
    let reply = app.call_multipart("/api/task/deliver", &fields, &[("big.zip", &big)], Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.json()["fields"][0]["field"], "files");
    assert_eq!(reply.json()["fields"][0]["problem"]["kind"], "file_too_large");

    let small: &[u8] = b"x";
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("a.txt", small)).collect();
    let reply = app.call_multipart("/api/task/deliver", &fields, &six, Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"][0]["problem"]["kind"], "too_many");

    // A good file with a bad link: the file is not kept either.
    let bad_link = [("milestone", m.as_str()), ("message", "交付"), ("links", "ftp://x")];
    let reply = app.call_multipart("/api/task/deliver", &bad_link, &[("a.txt", small)], Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    let deliveries: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries").fetch_one(&app.pool).await.unwrap();
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM delivery_files").fetch_one(&app.pool).await.unwrap();
    assert_eq!((deliveries, files), (0, 0), "nothing half-written");
    let status: String = sqlx::query_scalar("SELECT status FROM milestones WHERE id = $1")
        .bind(milestone)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "working");
}

#[sqlx::test(migrations = false)]
async fn a_published_reward_can_be_raised_from_the_balance_but_never_lowered(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "700").await;
    let task = create_task(&app, &merchant, "500").await;
    publish(&app, &merchant, task).await;
    let m = milestone_of(&app, task).await.to_string();
    assert_eq!(available(&app, merchant_id).await, 20_000);

    // 16 concurrent identical raises (a double-clicked button, a retried request) move money once.
    let raises = (0..16).map(|_| {
        let (app, merchant, m) = (app.clone(), merchant.clone(), m.clone());
        tokio::spawn(async move {
            app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "650")], Some(&merchant)).await.status
        })
    });
    for status in futures_join(raises).await {
        assert!(status.is_success(), "{status}");
    }
    assert_eq!(available(&app, merchant_id).await, 5_000, "¥150 more went into escrow, once");
    let reward: i64 =
        sqlx::query_scalar("SELECT reward_fen FROM tasks WHERE id = $1").bind(task).fetch_one(&app.pool).await.unwrap();
    assert_eq!(reward, 65_000);

    let lower = app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "600")], Some(&merchant)).await;
    assert_eq!(lower.json()["reason"], "reward_lowered");
    let short = app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "800")], Some(&merchant)).await;
    assert_eq!(short.status, StatusCode::CONFLICT);
    assert_eq!(short.json()["shortfall"], 10_000, "told exactly how much to top up");
    let garbage = app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "一百")], Some(&merchant)).await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stranger = app.logged_in_as("merchant").await;
    let reply = app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "900")], Some(&stranger)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(available(&app, merchant_id).await, 5_000, "refusals moved nothing");

    let timeline = app.call("/api/task", &[("id", &task.to_string())], Some(&merchant)).await.json();
    let raised = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reward_raised")
        .expect("on the timeline")
        .clone();
    assert_eq!(raised["note"], "¥500.00 → ¥650.00");
    assert_ledger_sound(&app).await;
}

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

// Growth: what a finished task earns the developer (points, never money), and what a level saves.

async fn growth_row(app: &TestApp, developer: Uuid) -> (i64, i32, i32, String) {
    sqlx::query_as("SELECT xp, finished_tasks, rating_count, level FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn skill_points(app: &TestApp, developer: Uuid, slug: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT s.points FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id WHERE s.developer_id = $1 AND t.slug = $2",
    )
    .bind(developer)
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_finished_and_rated_task_grows_the_developer_exactly_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    // The payout commits the growth it owes, and the growth worker awards it after.
    assert_eq!(growth_row(&app, developer_id).await, (0, 0, 0, "C".into()), "not awarded inside the payout");
    assert_eq!(app.drain_growth().await, 1);
    // Difficulty 3, one tag: 3×20 XP and 3×10 points for Rust.
    assert_eq!(growth_row(&app, developer_id).await, (60, 1, 0, "C".into()));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 30);

    // Replaying the completion (a retried job, a second server) awards nothing.
    assert_eq!(app.drain_growth().await, 0, "the outbox row is gone");
    let mut tx = app.pool.begin().await.unwrap();
    let difficulty = app::domain::task::Difficulty::new(3).unwrap();
    db::growth::award_completion(&mut tx, task, developer_id, difficulty).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(growth_row(&app, developer_id).await.0, 60);

    let bad = review(&app, &merchant, task, ["6", "5", "5"], "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"][0]["field"], "rating");
    let stranger = app.logged_in_as("merchant").await;
    assert_eq!(review(&app, &stranger, task, ["5", "5", "5"], "").await.status, StatusCode::FORBIDDEN);

    ok(&review(&app, &merchant, task, ["5", "5", "5"], "交付干净利落").await, "merchant's review");
    // Hidden until the developer has written theirs: their points would give the rating away.
    assert_eq!(growth_row(&app, developer_id).await, (60, 1, 0, "C".into()));
    ok(&review(&app, &developer, task, ["5", "4", "5"], "需求清楚").await, "developer's review");
    // 5★ is 150 %: +30 XP and +15 points on top of the base.
    assert_eq!(growth_row(&app, developer_id).await, (90, 1, 1, "C".into()));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 45);
    let again = review(&app, &merchant, task, ["1", "1", "1"], "").await;
    assert_eq!(again.json()["reason"], "wrong_state", "fixed once revealed");
    assert_eq!(growth_row(&app, developer_id).await.0, 90);

    // Every point traces to its event.
    let traced: i64 = sqlx::query_scalar("SELECT sum(xp)::int8 FROM growth_events WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(traced, 90);

    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["xp"], 90);
    assert_eq!(panel["level"], "C");
    assert_eq!(panel["skills"][0]["slug"], "rust");
    assert_eq!(panel["next"][1]["finished_tasks"], 2, "two more tasks for B");
    assert_eq!(panel["rank"], 1);
    assert_eq!(app.call("/api/growth/me", &[], Some(&merchant)).await.status, StatusCode::FORBIDDEN);
    let page = app.get("/growth", Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains("技能图谱") && page.body.contains("skill-radar"), "the panel renders on the server");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn thirty_two_simultaneous_completions_for_one_developer_add_up_exactly(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "3200").await;
    let mut milestones = Vec::new();
    for _ in 0..32 {
        let task = create_task(&app, &merchant, "100").await;
        // 32 applications in a few seconds is what the application rate limit stops, and this
        // test is about the completions: its setup applies through the database layer.
        publish(&app, &merchant, task).await;
        let application = app::db::lifecycle::apply(&app.pool, developer_id, task, "").await.unwrap();
        let reply = app
            .call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant))
            .await;
        ok(&reply, "choose");
        let m = milestone_of(&app, task).await.to_string();
        deliver(&app, &developer, &m, "完成").await;
        milestones.push(m);
    }
    let accepts = milestones.into_iter().map(|m| {
        let (app, merchant) = (app.clone(), merchant.clone());
        tokio::spawn(async move {
            app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await.status
        })
    });
    for status in futures_join(accepts).await {
        assert!(status.is_success(), "{status}");
    }
    // Two growth workers (two server processes) drain the 32 owed awards together, each once.
    let (a, b) = tokio::join!(app.drain_growth(), app.drain_growth());
    assert_eq!(a + b, 32);
    let (xp, finished, _, _) = growth_row(&app, developer_id).await;
    assert_eq!((xp, finished), (32 * 60, 32));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 32 * 30);
    assert_ledger_sound(&app).await;
}

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

#[sqlx::test(migrations = false)]
async fn leaderboards_rank_by_period_and_skill_with_ties_in_a_fixed_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "400").await;
    let (first, first_cookie) = app.logged_in_user("developer").await;
    let (tie_a, tie_a_cookie) = app.logged_in_user("developer").await;
    let (tie_b, tie_b_cookie) = app.logged_in_user("developer").await;
    finish_task(&app, &merchant, &first_cookie, "100").await;
    finish_task(&app, &merchant, &first_cookie, "100").await;
    // The later registrant finishes first: ties still list by id, not by who got there first.
    finish_task(&app, &merchant, &tie_b_cookie, "100").await;
    finish_task(&app, &merchant, &tie_a_cookie, "100").await;

    let ids = |board: &serde_json::Value| -> Vec<String> {
        board["rows"].as_array().unwrap().iter().map(|r| r["developer_id"].as_str().unwrap().to_string()).collect()
    };
    let (lower, higher) = if tie_a < tie_b { (tie_a, tie_b) } else { (tie_b, tie_a) };
    let expected = vec![first.to_string(), lower.to_string(), higher.to_string()];
    for period in ["week", "month", "all"] {
        let board = app.call("/api/leaderboard", &[("period", period)], None).await.json();
        assert_eq!(ids(&board), expected, "{period}");
        assert_eq!(board["rows"][0]["score"], 120);
        assert_eq!(board["rows"][0]["rank"], 1);
        let by_skill = app.call("/api/leaderboard", &[("period", period), ("skill", "rust")], None).await.json();
        assert_eq!(ids(&by_skill), expected, "{period} rust");
        assert_eq!(by_skill["rows"][0]["score"], 60);
        assert_eq!(by_skill["skill"]["slug"], "rust");
    }
    let nobody = app.call("/api/leaderboard", &[("period", "week"), ("skill", "vue")], None).await.json();
    assert_eq!(nobody["rows"].as_array().unwrap().len(), 0);
    let unknown = app.call("/api/leaderboard", &[("period", "<script>"), ("skill", "no-such-skill")], None).await;
    assert_eq!(unknown.status, StatusCode::OK, "bad URL input is a quiet default, not an error");

    let page = app.get("/leaderboard?period=all&skill=rust", None, Some("zh-CN")).await;
    assert!(page.body.contains("成长排行榜") && page.body.contains("board-row"), "rendered on the server");
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
        sqlx::query_scalar("SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 'YYYY-MM-DD')")
            .fetch_one(&app.pool)
            .await
            .unwrap();
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

/// Growth points from the challenges a first task completes on the way: 投递挑战 (the developer's
/// first application) and 每周成长挑战 (a task finished this week).
const FIRST_APPLICATION: i64 = 20;
const WEEKLY_GROWTH: i64 = 30;

async fn growth_points(app: &TestApp, developer: Uuid) -> i64 {
    sqlx::query_scalar("SELECT growth_points FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn badge<'a>(panel: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    panel["badges"].as_array().unwrap().iter().find(|b| b["slug"] == slug).unwrap()
}

#[sqlx::test(migrations = false)]
async fn badges_are_earned_once_with_their_points_and_check_ins_count_once_a_day(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;

    // The first finished task earns 首单完成 (+20); 挑战者 needs three hard tasks and shows 0/3.
    let challenges = FIRST_APPLICATION + WEEKLY_GROWTH;
    assert_eq!(growth_points(&app, developer_id).await, 20 + challenges);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert!(badge(&panel, "first-task")["earned_at"].is_string());
    let told: Vec<String> =
        sqlx::query_scalar("SELECT note FROM notifications WHERE user_id = $1 AND kind = 'badge_earned'")
            .bind(developer_id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(told.iter().any(|note| note == "首单完成 · First task"), "the developer is told: {told:?}");
    assert_eq!(badge(&panel, "challenger")["progress"], json!({ "have": 0, "need": 3, "earned": false }));
    assert_eq!(panel["growth_points"], 20 + challenges);

    // Six earlier days of check-ins; eight simultaneous check-ins today count once, complete the
    // seven-day streak, and earn 连续打卡 (+5 for the day, +50 for the badge) exactly once.
    sqlx::query(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, created_at)
         SELECT $1, 'past-check-in:' || d, 'checked_in', 0, now() - make_interval(days => d) FROM generate_series(1, 6) d",
    )
    .bind(developer_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let answers = futures_join((0..8).map(|_| {
        let (app, developer) = (app.clone(), developer.clone());
        tokio::spawn(async move { app.call("/api/growth/check_in", &[], Some(&developer)).await.body })
    }))
    .await;
    assert_eq!(answers.iter().filter(|a| a.as_str() == "true").count(), 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.as_str() == "false").count(), 7);
    assert_eq!(growth_points(&app, developer_id).await, 20 + challenges + 5 + 50);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert!(badge(&panel, "check-in-7")["earned_at"].is_string());
    assert_eq!((panel["checked_in_today"].clone(), panel["check_in_streak"].clone()), (json!(true), json!(7)));
    let badges: i64 = sqlx::query_scalar("SELECT count(*) FROM developer_badges WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(badges, 2);
    // Every growth point traces to its event.
    let traced: i64 = sqlx::query_scalar("SELECT sum(growth_points)::int8 FROM growth_events WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(traced, 75 + challenges);
    assert_eq!(app.call("/api/growth/check_in", &[], Some(&merchant)).await.status, StatusCode::FORBIDDEN);
}

fn badge_form<'a>(slug: &'a str, kind: &'a str, count: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[slug]", slug),
        ("form[name_zh]", "Rust 新星"),
        ("form[name_en]", "Rust rising"),
        ("form[description_zh]", "在一项技能上获得积分。"),
        ("form[description_en]", "Earn points in one skill."),
        ("form[kind]", kind),
        ("form[count]", count),
        ("form[threshold]", ""),
        ("form[growth_points]", "15"),
    ]
}

#[sqlx::test(migrations = false)]
async fn an_admin_makes_a_badge_from_a_rule_kind_and_the_next_event_awards_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.logged_in_as("admin").await;
    let badges =
        || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM badges").fetch_one(&app.pool).await.unwrap() };
    let before = badges().await;
    for (slug, kind, count, field, problem) in [
        ("rising", "skill_breadth", "0", "rule", "not_allowed"),
        ("rising", "lottery", "1", "rule", "not_allowed"),
        ("first-task", "skill_breadth", "1", "slug", "taken"),
    ] {
        let reply = app.call("/api/admin/badges/create", &badge_form(slug, kind, count), Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{slug} {kind} {count}: {}", reply.body);
        assert_eq!(reply.json()["fields"][0]["field"], field);
        assert_eq!(reply.json()["fields"][0]["problem"]["kind"], problem);
    }
    assert_eq!(badges().await, before, "refused forms write nothing");
    let developer = app.logged_in_as("developer").await;
    let reply =
        app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    ok(
        &app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&admin)).await,
        "create",
    );

    // The developer's first finished task gives points in one skill: both 首单完成 and the new badge.
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    assert_eq!(growth_points(&app, developer_id).await, 20 + 15 + FIRST_APPLICATION + WEEKLY_GROWTH);
    let list = app.call("/api/admin/badges", &[], Some(&admin)).await.json();
    let rising = list.as_array().unwrap().iter().find(|b| b["slug"] == "rising").unwrap();
    assert_eq!(rising["holders"], 1);
    assert_eq!(rising["rule"], json!({ "kind": "skill_breadth", "count": 1 }));
}

#[sqlx::test(migrations = false)]
async fn a_new_badge_reaches_developers_who_already_qualify(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    let before = growth_points(&app, developer_id).await;

    // Made after the task was finished: the back-fill gives it without waiting for a new event.
    let admin = app.logged_in_as("admin").await;
    ok(
        &app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&admin)).await,
        "create",
    );
    let mut holders = json!(0);
    for _ in 0..50 {
        let list = app.call("/api/admin/badges", &[], Some(&admin)).await.json();
        holders = list.as_array().unwrap().iter().find(|b| b["slug"] == "rising").unwrap()["holders"].clone();
        if holders == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(holders, 1);
    assert_eq!(growth_points(&app, developer_id).await, before + 15);
    // Running it again gives nothing twice.
    assert_eq!(db::growth::backfill_badges(&app.pool).await.unwrap(), 0);
    assert_eq!(growth_points(&app, developer_id).await, before + 15);
}

#[sqlx::test(migrations = false)]
async fn a_task_that_needs_a_level_refuses_lower_developers_and_the_hall_says_so(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "1000").await;
    let mut form = task_form("800");
    form["form"]["min_level"] = json!("A");
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    publish(&app, &merchant, task).await;
    let mut bad = task_form("800");
    bad["form"]["min_level"] = json!("Z");
    let reply = app.call_json("/api/task/create", bad, Some(&merchant)).await;
    assert_eq!(reply.json()["fields"][0]["field"], "min_level");

    let (beginner_id, beginner) = app.logged_in_user("developer").await;
    let hall = app.call("/api/hall", &[("query[page]", "1")], Some(&beginner)).await.json();
    assert_eq!((hall["tasks"][0]["min_level"].clone(), hall["viewer_level"].clone()), (json!("A"), json!("C")));
    let reply = app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&beginner)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.json()["reason"], "level_too_low");
    let page = app.get(&format!("/tasks/{task}"), Some(&beginner), Some("zh-CN")).await;
    assert!(page.body.contains(r#"data-testid="level-locked""#), "the page explains instead of offering apply");

    let (expert_id, expert) = app.logged_in_user("developer").await;
    sqlx::query("INSERT INTO developer_growth (developer_id, level) VALUES ($1, 'A')")
        .bind(expert_id)
        .execute(&app.pool)
        .await
        .unwrap();
    ok(&app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&expert)).await, "apply");
    let applications: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1")
        .bind(beginner_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(applications, 0, "the refusal wrote nothing");
    assert_ledger_sound(&app).await;
}

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
