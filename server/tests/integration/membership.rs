//! Memberships and task promotion through the real server functions and ledger: every purchase is
//! one balanced movement, a double-click buys once, cancelling and early ends refund the unused
//! whole days, renewal charges once, and what each plan unlocks is enforced on the server.

use crate::common::{self, flow::*, spawn_app, TestApp};
use app::domain::{ledger::Account, membership::FREE_DAILY_APPLICATIONS};
use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn sales(app: &TestApp) -> i64 {
    app::db::ledger::system_balance(&app.pool, Account::Sales).await.unwrap().fen()
}

async fn buy(app: &TestApp, cookie: &str, plan: &str, months: &str, key: &str) -> common::Reply {
    app.call("/api/membership/buy", &[("plan", plan), ("months", months), ("key", key)], Some(cookie)).await
}

async fn periods(app: &TestApp, user: Uuid) -> Vec<(f64, f64, i64)> {
    sqlx::query_as(
        "SELECT extract(epoch FROM starts_at)::float8, extract(epoch FROM ends_at)::float8, price_fen
         FROM memberships WHERE user_id = $1 ORDER BY starts_at",
    )
    .bind(user)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_purchase_is_one_balanced_movement_and_a_double_click_buys_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &cookie, "200").await;
    let key = Uuid::now_v7().to_string();
    // Two submissions of one rendered form, at once.
    let calls = (0..2).map(|_| {
        let (app, cookie, key) = (app.clone(), cookie.clone(), key.clone());
        tokio::spawn(async move { buy(&app, &cookie, "growth_pass", "1", &key).await.status })
    });
    for status in futures_join(calls).await {
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(periods(&app, developer).await.len(), 1, "bought once");
    assert_eq!(available(&app, developer).await, 20_000 - 4_900);
    assert_eq!(sales(&app).await, 4_900);
    let movements: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_movements WHERE kind = 'purchase'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(movements, 1);

    // A new purchase while the first runs starts where it ends; three months cost three.
    ok(&buy(&app, &cookie, "growth_pass", "3", &Uuid::now_v7().to_string()).await, "extend");
    let bought = periods(&app, developer).await;
    assert_eq!(bought.len(), 2);
    assert_eq!(bought[1].0, bought[0].1, "the second period starts where the first ends");
    assert_eq!(bought[1].2, 3 * 4_900);
    assert_eq!(available(&app, developer).await, 20_000 - 4 * 4_900);

    // Not enough money: refused with the shortfall, nothing written.
    let reply = buy(&app, &cookie, "growth_pass", "12", &Uuid::now_v7().to_string()).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.json()["code"], "insufficient_funds");
    assert_eq!(periods(&app, developer).await.len(), 2);

    // A plan is sold to its audience only.
    let reply = buy(&app, &cookie, "enterprise", "1", &Uuid::now_v7().to_string()).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn cancelling_refunds_the_unused_whole_days_and_renewal_charges_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &cookie, "200").await;
    ok(&buy(&app, &cookie, "premium", "1", &Uuid::now_v7().to_string()).await, "buy");
    // Ten days into a thirty-day period.
    sqlx::query(
        "UPDATE memberships SET starts_at = now() - interval '10 days' - interval '1 hour',
                                ends_at = now() + interval '20 days' - interval '1 hour'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let reply = app.call("/api/membership/cancel", &[("plan", "premium")], Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // 19 whole days of 30 not begun: 1990 × 19 / 30 = 1260.33 → 1260 fen.
    assert_eq!(reply.body.trim(), "1260");
    assert_eq!(available(&app, developer).await, 20_000 - 1_990 + 1_260);
    assert_eq!(sales(&app).await, 1_990 - 1_260);
    let again = app.call("/api/membership/cancel", &[("plan", "premium")], Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "nothing left to cancel");

    // Renewal: a period ending within the hour is extended by one month, once.
    let form = [
        ("plan", "growth_pass"),
        ("months", "1"),
        ("auto_renew", "on"),
        ("key", "01937b0e-0000-7000-8000-000000000001"),
    ];
    ok(&app.call("/api/membership/buy", &form, Some(&cookie)).await, "buy with renewal");
    sqlx::query("UPDATE memberships SET ends_at = date_trunc('second', now() + interval '30 minutes') WHERE plan = 'growth_pass'")
        .execute(&app.pool)
        .await
        .unwrap();
    let before = available(&app, developer).await;
    assert_eq!(app::db::membership::renew_due(&app.pool).await.unwrap(), 1);
    assert_eq!(app::db::membership::renew_due(&app.pool).await.unwrap(), 0, "renewed once");
    assert_eq!(available(&app, developer).await, before - 4_900);
    let gp: Vec<(f64, f64, i64)> = periods(&app, developer).await.into_iter().filter(|p| p.2 == 4_900).collect();
    assert_eq!(gp.len(), 2);
    assert_eq!(gp[1].0, gp[0].1);

    // When the balance cannot cover a renewal, it stops and the member is told.
    let (short, short_cookie) = app.logged_in_user("developer").await;
    top_up(&app, &short_cookie, "60").await;
    let form = [
        ("plan", "growth_pass"),
        ("months", "1"),
        ("auto_renew", "on"),
        ("key", "01937b0e-0000-7000-8000-000000000002"),
    ];
    ok(&app.call("/api/membership/buy", &form, Some(&short_cookie)).await, "buy with renewal");
    sqlx::query(
        "UPDATE memberships SET ends_at = date_trunc('second', now() + interval '10 minutes') WHERE user_id = $1",
    )
    .bind(short)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(app::db::membership::renew_due(&app.pool).await.unwrap(), 1);
    assert_eq!(available(&app, short).await, 6_000 - 4_900, "nothing charged");
    let renewing: bool = sqlx::query_scalar("SELECT bool_or(auto_renew) FROM memberships WHERE user_id = $1")
        .bind(short)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!renewing);
    let told: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'membership_ended'")
            .bind(short)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(told, 1);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn plans_raise_the_free_tier_on_the_server(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "2000").await;
    top_up(&app, &cookie, "100").await;

    // 企业会员: the next task is funded at the lower rate (10 % − 3 points).
    ok(&buy(&app, &merchant, "enterprise", "1", &Uuid::now_v7().to_string()).await, "enterprise");
    // The task form's preview quotes the rate publishing will charge (it quoted 10 %, issue 33).
    let options = app.call_json("/api/task/form_options", json!({ "draft": null }), Some(&merchant)).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let rates: app::domain::fees::MerchantRates = serde_json::from_value(options.json()["rates"].clone()).unwrap();
    assert_eq!(rates.rate_for(None).bps(), 700);
    let task = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, task).await;
    let bps: i32 = sqlx::query_scalar("SELECT commission_bps FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(bps, 700);

    // The free tier's applications for today are used up (written directly: the rate limit would
    // otherwise stop twenty applications in a second).
    for _ in 0..FREE_DAILY_APPLICATIONS {
        let other = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline, status, category)
             VALUES ($1, $2, 't', 'd', 1, 100, now() + interval '9 days', 'cancelled', 'backend')",
        )
        .bind(other)
        .bind(merchant_id)
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO applications (id, task_id, developer_id, pitch, respond_by, status)
             VALUES ($1, $2, $3, '', now(), 'declined')",
        )
        .bind(Uuid::now_v7())
        .bind(other)
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let used: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(used, i64::from(FREE_DAILY_APPLICATIONS));
    let t = task.to_string();
    let refused = app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("daily_application_limit"), "{}", refused.body);
    // 高级会员 raises the allowance, and the merchant sees the application highlighted.
    ok(&buy(&app, &cookie, "premium", "1", &Uuid::now_v7().to_string()).await, "premium");
    ok(&app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(&cookie)).await, "apply as premium");
    let detail: Value = app.call("/api/task", &[("id", &t)], Some(&merchant)).await.json();
    assert_eq!(detail["applications"][0]["highlighted"], true, "{detail}");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn an_advanced_challenge_counts_only_with_the_growth_pass(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "300").await;
    top_up(&app, &cookie, "100").await;
    sqlx::query(
        "INSERT INTO challenges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points, advanced)
         VALUES ('pro-apply', '进阶申请', 'Pro apply', '申请一次', 'Apply once',
                 '{\"cadence\": {\"kind\": \"daily\"}, \"goals\": [{\"activity\": \"applied\", \"count\": 1}], \"any_of\": false}',
                 50, true)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let completed = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id
             WHERE c.slug = 'pro-apply' AND d.developer_id = $1",
        )
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let first = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, first).await;
    ok(&app.call("/api/task/apply", &[("task", &first.to_string()), ("pitch", "")], Some(&cookie)).await, "apply");
    assert_eq!(completed().await, 0, "no pass: the advanced challenge counts nothing");
    let board: Value = app.call("/api/growth/me", &[], Some(&cookie)).await.json();
    let card = board["challenges"].as_array().unwrap().iter().find(|c| c["slug"] == "pro-apply").cloned().unwrap();
    assert_eq!(card["locked"], true);

    ok(&buy(&app, &cookie, "growth_pass", "1", &Uuid::now_v7().to_string()).await, "growth pass");
    let second = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, second).await;
    ok(&app.call("/api/task/apply", &[("task", &second.to_string()), ("pitch", "")], Some(&cookie)).await, "apply");
    assert_eq!(completed().await, 1);
}

#[sqlx::test(migrations = false)]
async fn a_pin_is_paid_once_labelled_in_the_hall_and_refunded_when_the_task_leaves_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (_, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, task).await;
    let t = task.to_string();
    let key = Uuid::now_v7().to_string();
    let form = [("task", t.as_str()), ("offer", "pin:3"), ("key", key.as_str())];
    let calls = (0..3).map(|_| {
        let (app, merchant) = (app.clone(), merchant.clone());
        let form: Vec<(String, String)> = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        tokio::spawn(async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call("/api/task/promote", &form, Some(&merchant)).await.status
        })
    });
    for status in futures_join(calls).await {
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(available(&app, merchant_id).await, 30_000 - 10_000 - 3_000, "paid once");

    // Someone else's task cannot be promoted; an offer that does not exist is a field error.
    let (_, other) = app.logged_in_user("merchant").await;
    let reply = app
        .call(
            "/api/task/promote",
            &[("task", &t), ("offer", "pin:3"), ("key", &Uuid::now_v7().to_string())],
            Some(&other),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(
            "/api/task/promote",
            &[("task", &t), ("offer", "pin:99"), ("key", &Uuid::now_v7().to_string())],
            Some(&merchant),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);

    // In the hall: in the promoted strip, labelled, and still in the ordinary results unlabelled.
    let hall: Value = app.call("/api/hall", &[("query[page]", "1")], None).await.json();
    let pinned = hall["pinned"].as_array().unwrap();
    assert_eq!(pinned.len(), 1, "{hall}");
    assert_eq!((pinned[0]["id"].as_str(), &pinned[0]["promoted"]), (Some(t.as_str()), &Value::Bool(true)));
    let listed = hall["tasks"].as_array().unwrap().iter().find(|x| x["id"] == t.as_str()).unwrap();
    assert_eq!(listed["promoted"], false);

    // An hour into the pin a developer is chosen: the task leaves the hall, the pin ends, and its
    // two whole days not begun come back (3000 × 2 / 3).
    sqlx::query(
        "UPDATE task_promotions SET starts_at = starts_at - interval '1 hour', ends_at = ends_at - interval '1 hour'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let application = {
        ok(&app.call("/api/task/apply", &[("task", &t), ("pitch", "")], Some(&developer)).await, "apply");
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM applications WHERE task_id = $1")
            .bind(task)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    ok(
        &app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant)).await,
        "choose",
    );
    assert_eq!(app::db::membership::end_promotions_of_closed_tasks(&app.pool).await.unwrap(), 1);
    assert_eq!(app::db::membership::end_promotions_of_closed_tasks(&app.pool).await.unwrap(), 0, "refunded once");
    assert_eq!(available(&app, merchant_id).await, 30_000 - 10_000 - 3_000 + 2_000);
    // The plain hall's pages (pins included) are cached for a second; skip the wait.
    app.state.hall_pages.clear();
    let hall: Value = app.call("/api/hall", &[("query[page]", "1")], None).await.json();
    assert!(hall["pinned"].as_array().unwrap().is_empty());
    assert_ledger_sound(&app).await;
}
