//! The task lifecycle and its money, through the real server functions and a real PostgreSQL:
//! the whole loop, refusals, races that must not double-spend, callbacks that must credit once,
//! and the deadline jobs. Every test ends with the ledger's invariant check.

use crate::common;

use app::{
    db,
    domain::money::Money,
    payments::{Notification, NotificationKind, SandboxProvider},
};
use axum::http::{header, StatusCode};
use common::{flow::*, spawn_app};
use serde_json::json;
use sqlx::PgPool;
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
