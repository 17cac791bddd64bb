//! The wallet's statement through the real router and a real PostgreSQL: keyset paging with no gaps
//! or repeats when movements share a timestamp, filters by kind and by China-time day, the running
//! balance (the account's, whatever the filter), the escrow total, itemised payouts, and the CSV
//! download (the caller's lines only, formulas defused, bad dates refused with field errors).

use crate::common;

use app::{
    db,
    domain::{ledger::Movement, money::Money},
};
use axum::http::{header, StatusCode};
use common::{flow::*, spawn_app, Reply, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// One statement page from `/api/wallet`, with `query`'s fields as the URL's keys.
async fn wallet_page(app: &TestApp, cookie: &str, query: &[(&str, String)]) -> Value {
    let form: Vec<(String, String)> =
        query.iter().map(|(key, value)| (format!("query[{key}]"), value.clone())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
    let reply = app.call("/api/wallet", &form, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "wallet: {}", reply.body);
    reply.json()
}

/// The `before`/`after` pair a page's `older`/`newer` link carries.
fn seek_pair(seek: &Value) -> (&'static str, String) {
    if let Some(id) = seek.get("Before") {
        ("before", id.to_string())
    } else if let Some(id) = seek.get("After") {
        ("after", id.to_string())
    } else {
        panic!("a page link names a movement: {seek}")
    }
}

fn ids(page: &Value) -> Vec<i64> {
    page["lines"].as_array().unwrap().iter().map(|line| line["movement_id"].as_i64().unwrap()).collect()
}

fn line_of(page: &Value, movement: i64) -> &Value {
    page["lines"].as_array().unwrap().iter().find(|line| line["movement_id"] == movement).expect("the line is listed")
}

/// Writes `movement` into the ledger as the server does, and returns its id.
async fn post(app: &TestApp, movement: Movement) -> i64 {
    let mut conn = app.pool.acquire().await.unwrap();
    db::ledger::post(&mut conn, &movement).await.expect("posted");
    sqlx::query_scalar("SELECT id FROM ledger_movements WHERE idempotency_key = $1")
        .bind(&movement.idempotency_key)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Dates a movement at `at` (a timestamptz literal).
async fn date(app: &TestApp, movement: i64, at: &str) {
    sqlx::query("UPDATE ledger_movements SET created_at = $2::timestamptz WHERE id = $1")
        .bind(movement)
        .bind(at)
        .execute(&app.pool)
        .await
        .unwrap();
}

async fn csv(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    app.get(path, cookie, None).await
}

#[sqlx::test(migrations = false)]
async fn pages_follow_a_cursor_with_no_gaps_or_repeats_and_carry_the_running_balance(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("developer").await;
    let mut movements = Vec::new();
    for i in 1..=45 {
        movements.push(post(&app, Movement::deposit(Uuid::now_v7(), user, Money::from_fen(i * 100 + i))).await);
    }
    let hold = post(&app, Movement::withdrawal_hold(Uuid::now_v7(), user, Money::from_fen(1_000))).await;
    // Everything at one instant, so only the movement id orders the lines, across page boundaries;
    // the first five deposits a day later, so the time of the movement (not its id) comes first.
    for &id in movements.iter().chain([&hold]) {
        date(&app, id, "2026-03-01 10:00:00+08").await;
    }
    for &id in &movements[..5] {
        date(&app, id, "2026-03-02 10:00:00+08").await;
    }
    let expected: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM ledger_movements WHERE id = ANY($1) ORDER BY created_at DESC, id DESC")
            .bind(movements.iter().chain([&hold]).copied().collect::<Vec<_>>())
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(&expected[..5], &[movements[4], movements[3], movements[2], movements[1], movements[0]]);

    // Older, page by page.
    let mut pages = vec![wallet_page(&app, &cookie, &[]).await];
    assert!(pages[0]["newer"].is_null(), "the newest page has nothing newer");
    while let Some(older) = pages.last().unwrap().get("older").filter(|o| !o.is_null()).cloned() {
        let (key, id) = seek_pair(&older);
        assert_eq!(key, "before");
        pages.push(wallet_page(&app, &cookie, &[(key, id)]).await);
        assert!(pages.len() < 10, "paging ends");
    }
    let sizes: Vec<usize> = pages.iter().map(|p| ids(p).len()).collect();
    assert_eq!(sizes, [20, 20, 6]);
    let listed: Vec<i64> = pages.iter().flat_map(ids).collect();
    assert_eq!(listed, expected, "every movement once, newest first by time then id");

    // And back with the newer links: the same pages, in reverse.
    let mut back = vec![pages.last().unwrap().clone()];
    while let Some(newer) = back.last().unwrap().get("newer").filter(|n| !n.is_null()).cloned() {
        let (key, id) = seek_pair(&newer);
        assert_eq!(key, "after");
        back.push(wallet_page(&app, &cookie, &[(key, id)]).await);
        assert!(back.len() < 10, "paging ends");
    }
    let back_ids: Vec<Vec<i64>> = back.iter().rev().map(ids).collect();
    assert_eq!(back_ids, pages.iter().map(ids).collect::<Vec<_>>());
    assert!(back.last().unwrap()["older"].get("Before").is_some());

    // The running balance: the balance after each movement, oldest to newest.
    let lines: Vec<&Value> = pages.iter().flat_map(|p| p["lines"].as_array().unwrap()).collect();
    let mut balance = 0;
    for line in lines.iter().rev() {
        balance += line["amount"].as_i64().unwrap();
        assert_eq!(line["balance"].as_i64().unwrap(), balance, "{line}");
    }
    let hold_line = lines.iter().find(|l| l["movement_id"] == hold).unwrap();
    assert_eq!((hold_line["kind"].as_str(), hold_line["amount"].as_i64()), (Some("withdrawal_hold"), Some(0)));
    assert_eq!(hold_line["withdrawing"], 1_000, "the request moves money to withdrawing");
    let mut conn = app.pool.acquire().await.unwrap();
    let balances = db::ledger::balances(&mut conn, user).await.unwrap();
    assert!(balances.withdrawing.fen() > 0);
    assert_eq!(
        lines[0]["balance"].as_i64().unwrap(),
        balances.available.fen() + balances.withdrawing.fen(),
        "the newest line ends at available + withdrawing"
    );
    assert_eq!(pages[0]["available"].as_i64(), Some(balances.available.fen()));
    assert_eq!(pages[0]["withdrawing"], 1_000);

    // The page carries the same cursor in its links, so paging works without JavaScript.
    let html = app.get(&format!("/wallet?before={}", expected[19]), Some(&cookie), Some("zh-CN")).await;
    assert_eq!(html.body.matches("data-testid=\"wallet-line\"").count(), 20);
    assert!(html.body.contains(&format!("/wallet?before={}#statement", expected[39])), "older link");
    assert!(html.body.contains(&format!("/wallet?after={}#statement", expected[20])), "newer link");

    // A cursor that is not one of the caller's movements shows nothing of anyone's.
    let (stranger, _) = app.logged_in_user("developer").await;
    let theirs = post(&app, Movement::deposit(Uuid::now_v7(), stranger, Money::from_fen(5))).await;
    let probe = wallet_page(&app, &cookie, &[("before", theirs.to_string())]).await;
    assert!(ids(&probe).is_empty());
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn filters_by_kind_and_china_time_day_keep_the_accounts_balance(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("developer").await;
    let late = post(&app, Movement::deposit(Uuid::now_v7(), user, Money::from_fen(10_000))).await;
    let past_midnight = post(&app, Movement::deposit(Uuid::now_v7(), user, Money::from_fen(20_000))).await;
    let bought =
        post(&app, Movement::purchase(format!("membership:{}", Uuid::now_v7()), user, Money::from_fen(3_000))).await;
    let next_day = post(&app, Movement::deposit(Uuid::now_v7(), user, Money::from_fen(500))).await;
    // 23:30 and 00:10 China time are the same UTC day (15:30 and 16:10 UTC on 1 March).
    date(&app, late, "2026-03-01 23:30:00+08").await;
    date(&app, past_midnight, "2026-03-02 00:10:00+08").await;
    date(&app, bought, "2026-03-02 12:00:00+08").await;
    date(&app, next_day, "2026-03-03 08:00:00+08").await;
    let s = |v: &str| v.to_string();

    let all = wallet_page(&app, &cookie, &[]).await;
    assert_eq!(ids(&all), [next_day, bought, past_midnight, late]);

    let second = wallet_page(&app, &cookie, &[("from", s("2026-03-02")), ("to", s("2026-03-02"))]).await;
    assert_eq!(ids(&second), [bought, past_midnight], "the China-time day, both ends included");
    let first = wallet_page(&app, &cookie, &[("to", s("2026-03-01"))]).await;
    assert_eq!(ids(&first), [late]);
    let deposits = wallet_page(&app, &cookie, &[("kind", s("deposit")), ("from", s("2026-03-02"))]).await;
    assert_eq!(ids(&deposits), [next_day, past_midnight]);
    let purchases = wallet_page(&app, &cookie, &[("kind", s("purchase"))]).await;
    assert_eq!(ids(&purchases), [bought]);
    assert_eq!(line_of(&purchases, bought)["amount"], -3_000);
    let earnings = wallet_page(&app, &cookie, &[("kind", s("income"))]).await;
    assert!(ids(&earnings).is_empty());

    // The balance is the account's after the movement, not a sum of the rows the filter kept.
    for page in [&second, &first, &deposits, &purchases] {
        for line in page["lines"].as_array().unwrap() {
            let id = line["movement_id"].as_i64().unwrap();
            assert_eq!(line["balance"], line_of(&all, id)["balance"], "movement {id}");
        }
    }
    assert_eq!(line_of(&second, past_midnight)["balance"], 30_000);
    assert_eq!(line_of(&purchases, bought)["balance"], 27_000);
    assert_eq!(line_of(&deposits, next_day)["balance"], 27_500);
}

#[sqlx::test(migrations = false)]
async fn escrow_is_totalled_for_the_merchant_and_payouts_are_itemised_for_the_developer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _developer_id, developer, task, milestone) = task_in_progress(&app, "1000.00").await;

    let escrow: i64 = sqlx::query_scalar("SELECT balance_fen FROM ledger_accounts WHERE code = $1")
        .bind(format!("escrow:{task}"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(escrow, 100_000);
    let wallet = wallet_page(&app, &merchant, &[]).await;
    assert_eq!((wallet["in_escrow"].as_i64(), wallet["shows_escrow"].as_bool()), (Some(escrow), Some(true)));
    let funded = &wallet["lines"][0];
    assert_eq!((funded["kind"].as_str(), funded["amount"].as_i64()), (Some("escrow_fund"), Some(-100_000)));
    assert_eq!(funded["balance"], 0);
    assert!(funded["payout"].is_null(), "only payouts are itemised");
    let before = wallet_page(&app, &developer, &[]).await;
    assert_eq!((before["in_escrow"].as_i64(), before["shows_escrow"].as_bool()), (Some(0), Some(false)));

    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");

    let wallet = wallet_page(&app, &developer, &[]).await;
    let paid = &wallet["lines"][0];
    assert_eq!(paid["kind"], "escrow_release");
    let items = &paid["payout"];
    let (gross, commission, received) =
        (items["gross"].as_i64().unwrap(), items["commission"].as_i64().unwrap(), items["received"].as_i64().unwrap());
    assert_eq!(gross, received + commission);
    assert_eq!((gross, commission, received), (100_000, 10_000, 90_000));
    assert_eq!(items["rate_bps"], 1_000);
    assert_eq!(paid["amount"].as_i64(), Some(received));
    assert_eq!(commission, commission_total(&app).await, "the commission the platform booked");
    assert_eq!(wallet_page(&app, &merchant, &[]).await["in_escrow"], 0, "paid out, nothing held");

    // The page itemises it in the reader's language.
    let page = app.get("/wallet", Some(&developer), Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["data-testid=\"payout-items\"", "平台佣金 10%", "¥1,000.00", "-¥100.00", "¥900.00"] {
        assert!(page.body.contains(text), "{text} on the page");
    }
    let page = app.get("/wallet", Some(&developer), Some("en")).await;
    assert!(page.body.contains("Commission 10%"));
    let merchant_page = app.get("/wallet", Some(&merchant), Some("zh-CN")).await;
    assert!(merchant_page.body.contains("data-testid=\"balance-escrow\""));

    // And the file has the same figures.
    let file = csv(&app, "/wallet/statement.csv?kind=income", Some(&developer)).await;
    assert_eq!(file.status, StatusCode::OK);
    let rows: Vec<&str> = file.body.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 2, "{}", file.body);
    assert!(rows[1].ends_with(",900.00,0.00,900.00,1000.00,100.00,10%,900.00"), "{}", rows[1]);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn the_statement_file_is_the_callers_own_with_formulas_defused(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "500").await;
    let mut form = task_form("500");
    form["form"]["title"] = json!("=HYPERLINK(\"http://x\")");
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "create: {}", reply.body);
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    publish(&app, &merchant, task).await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    post(&app, Movement::deposit(Uuid::now_v7(), developer_id, Money::from_fen(50))).await;

    let file = csv(&app, "/wallet/statement.csv", Some(&merchant)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(file.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    assert_eq!(&file.bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark for Excel");
    let text = file.body.trim_start_matches('\u{feff}');
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(rows[0].starts_with("时间（北京时间）,流水号,类型,任务,金额（元）"), "{}", rows[0]);
    assert_eq!(rows.len(), 3, "a top-up and the escrow: {text}");
    assert!(rows[1].contains(",任务报酬托管,\"'=HYPERLINK(\"\"http://x\"\")\",-500.00,0.00,0.00,"), "{}", rows[1]);
    assert!(rows[2].contains(",充值,,500.00,0.00,500.00,"), "{}", rows[2]);
    assert!(
        rows.iter().flat_map(|row| row.split(',')).all(|field| !field.trim_start_matches('"').starts_with('=')),
        "no field starts a formula"
    );
    let english = csv(&app, "/wallet/statement.csv?kind=escrow&lang=en", Some(&merchant)).await;
    let rows: Vec<&str> = english.body.trim_end().split("\r\n").collect();
    assert!(rows[0].trim_start_matches('\u{feff}').starts_with("Time (China),Reference,Type,Task,Amount (CNY)"));
    assert_eq!(rows.len(), 2);
    assert!(rows[1].contains(",Reward into escrow,"), "{}", rows[1]);

    // Another user's file holds only their own line, and nobody else's task.
    let theirs = csv(&app, "/wallet/statement.csv", Some(&developer)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    let rows: Vec<&str> = theirs.body.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 2, "{}", theirs.body);
    assert!(rows[1].contains(",充值,,0.50,0.00,0.50,"), "{}", rows[1]);
    assert!(!theirs.body.contains("HYPERLINK"));

    // Nobody without a login, and no admin before a second factor (as for /api/wallet).
    assert_eq!(csv(&app, "/wallet/statement.csv", None).await.status, StatusCode::UNAUTHORIZED);
    let (_, email) = app.create_account("admin").await;
    let admin = app.login(&email, common::PASSWORD, None).await.session_cookie().unwrap();
    let refused = csv(&app, "/wallet/statement.csv", Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["code"], "second_factor_required");
}

#[sqlx::test(migrations = false)]
async fn bad_dates_are_field_errors_in_the_readers_language(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, cookie) = app.logged_in_user("merchant").await;

    let bad = csv(&app, "/wallet/statement.csv?from=2026-02-30", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field_errors(), [("effective_from".to_string(), "invalid_date".to_string())]);
    let reversed = csv(&app, "/wallet/statement.csv?from=2026-03-02&to=2026-03-01", Some(&cookie)).await;
    assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
    assert_eq!(reversed.field_errors(), [("end_date".to_string(), "not_allowed".to_string())]);
    let api = app.call("/api/wallet", &[("query[to]", "yesterday")], Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.field_errors(), [("end_date".to_string(), "invalid_date".to_string())]);

    // The page keeps the balances and says what is wrong under the date field, answering 422.
    let page = app.get("/wallet?from=2026-02-30", Some(&cookie), Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("请输入有效日期"));
    assert!(page.body.contains("data-testid=\"balance-available\""));
    assert!(!page.body.contains("data-testid=\"wallet-csv\""), "no download of a statement that cannot be read");
    let page = app.get("/wallet?from=2026-03-02&to=2026-03-01", Some(&cookie), Some("zh-CN")).await;
    assert!(page.body.contains("结束日期不能早于开始日期"));
    let page = app.get("/wallet?from=2026-03-02&to=2026-03-01", Some(&cookie), Some("en")).await;
    assert!(page.body.contains("The end date cannot be before the start date"));
    // Good dates: the filter is kept in the form and in the download link.
    let page = app.get("/wallet?kind=refund&from=2026-03-01", Some(&cookie), Some("zh-CN")).await;
    assert!(page.body.contains("/wallet/statement.csv?kind=refund&amp;from=2026-03-01"), "download keeps the filters");
    assert!(page.body.contains("没有符合条件的流水"));
}
