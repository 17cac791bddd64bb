//! Money that never hangs (issue 33): a double-submitted withdrawal is one withdrawal; withdrawals
//! and deposits in flight when the server is killed with SIGKILL are settled by the restarted
//! process within a reconciliation period; a "paid" after a "failed" is credited only if the
//! provider really has the money, else it waits on the admins' reconciliation list.

use crate::common::{
    flow::{assert_ledger_sound, available, futures_join, post_callback, signed, top_up},
    spawn_app, TestApp, TEST_PAYMENT_SECRET,
};
use app::{
    db::{self, ledger::check_invariants},
    domain::money::Money,
    payments::{Notification, NotificationKind},
};
use axum::http::{header, StatusCode};
use sqlx::PgPool;
use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn a_double_submitted_withdrawal_makes_one_withdrawal(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("developer").await;
    top_up(&app, &cookie, "100").await;
    let key = Uuid::now_v7().to_string();
    // A double-click: two posts at once with the form's key, then a retry after a dropped connection.
    let clicks = (0..2).map(|_| {
        let (app, cookie, key) = (app.clone(), cookie.clone(), key.clone());
        tokio::spawn(async move {
            app.call("/api/wallet/withdraw", &[("amount", "30"), ("key", &key)], Some(&cookie)).await
        })
    });
    for reply in futures_join(clicks).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let retry = app.call("/api/wallet/withdraw", &[("amount", "30"), ("key", &key)], Some(&cookie)).await;
    assert_eq!(retry.status, StatusCode::OK, "the repeat answers as the first did: {}", retry.body);
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(count("SELECT count(*) FROM withdrawals").await, 1);
    assert_eq!(count("SELECT count(*) FROM ledger_movements WHERE kind = 'withdrawal_hold'").await, 1);
    assert_eq!(count("SELECT count(*) FROM payout_requests").await, 1);
    assert_eq!(available(&app, user).await, 7_000);
    // A new form (a new key) is a new withdrawal.
    let again = Uuid::now_v7().to_string();
    let reply = app.call("/api/wallet/withdraw", &[("amount", "30"), ("key", &again)], Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(count("SELECT count(*) FROM withdrawals").await, 2);
    assert_eq!(available(&app, user).await, 4_000);
    // The wallet page renders the key its form carries.
    let page = app.get("/wallet", Some(&cookie), None).await;
    assert!(page.body.contains(r#"name="key""#), "the withdrawal form carries a request key");
    // Sent at once (no worker runs in this in-process app) and paid by the sandbox's callback.
    wait_until("both payouts paid", Duration::from_secs(10), || {
        let paid = count("SELECT count(*) FROM withdrawals WHERE status = 'paid'");
        async move { paid.await == 2 }
    })
    .await;
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_paid_callback_after_a_failed_one_is_credited_only_when_the_provider_has_the_money(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, cookie) = app.logged_in_user("merchant").await;
    let sandbox = app.state.sandbox.clone().expect("demo mode has the sandbox");

    // 1. Failed, then "paid", but the provider has no such payment: not credited, listed for an admin.
    let forged_late = start_deposit(&app, &cookie, "50").await;
    for succeeded in [false, true] {
        let (body, signature) = signed(&payment(forged_late, 5_000, succeeded));
        assert_eq!(post_callback(&app, body, &signature).await, StatusCode::OK);
    }
    assert_eq!(available(&app, user).await, 0, "a success the provider does not confirm is not credited");
    let state: String = sqlx::query_scalar("SELECT state FROM payment_discrepancies WHERE reference = $1")
        .bind(forged_late)
        .fetch_one(&app.pool)
        .await
        .expect("the late success is on the reconciliation list");
    assert_eq!(state, "open");

    // 2. The payer abandons the order (failed), then pays it after all at the provider: credited once.
    let paid_late = start_deposit(&app, &cookie, "80").await;
    let cancel =
        app.call("/api/sandbox/pay", &[("order", &paid_late.to_string()), ("confirm", "false")], Some(&cookie)).await;
    assert!(!cancel.status.is_server_error() && !cancel.status.is_client_error(), "{}", cancel.body);
    let status: String = sqlx::query_scalar("SELECT status FROM payment_orders WHERE id = $1")
        .bind(paid_late)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    let (body, signature) = sandbox.pay(paid_late, Money::from_fen(8_000), true, "sandbox-late").await.unwrap();
    for _ in 0..3 {
        assert_eq!(post_callback(&app, body.clone(), &signature).await, StatusCode::OK);
    }
    assert_eq!(available(&app, user).await, 8_000, "the late payment the provider confirms is credited, once");

    // Both cases are on /admin/money with both events each.
    let admin = app.logged_in_as("admin").await;
    let list = app.call("/api/admin/reconciliation", &[], Some(&admin)).await.json();
    let items = list.as_array().expect("a list");
    assert_eq!(items.len(), 2, "{list}");
    for item in items {
        let events = item["events"].as_array().unwrap();
        assert!(events.len() >= 2, "the failure and the late success are both shown: {item}");
        assert_eq!(events[0]["succeeded"], false);
        assert!(events.iter().any(|e| e["succeeded"] == true));
    }
    let credited = items.iter().find(|i| i["reference"] == paid_late.to_string()).unwrap();
    assert_eq!(credited["state"], "credited");
    let page = app.get("/admin/money", Some(&admin), None).await;
    assert_eq!(page.body.matches(r#"data-testid="discrepancy""#).count(), 2);
    assert_ledger_sound(&app).await;
}

async fn start_deposit(app: &TestApp, cookie: &str, yuan: &str) -> Uuid {
    let reply = app.call("/api/wallet/deposit", &[("amount", yuan)], Some(cookie)).await;
    reply.headers[header::LOCATION].to_str().unwrap().trim_start_matches("/sandbox/pay/").parse().unwrap()
}

fn payment(order: Uuid, amount_fen: i64, succeeded: bool) -> Notification {
    Notification {
        kind: NotificationKind::Payment,
        reference: order,
        amount_fen,
        succeeded,
        provider_txn: format!("t-{succeeded}"),
        payer_account: None,
    }
}

/// Polls `check` every 50 ms until it holds; fails after `limit` with `what`.
async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The reconciliation period the child server runs with.
const PERIOD_SECS: u64 = 2;

/// The real `server serve` binary on `port`, against this test's database; SIGKILLed when dropped.
struct ServerProcess(Child);

impl ServerProcess {
    fn start(database_url: &str, port: u16) -> Self {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .current_dir(root)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("CODELINK_DEMO", "1")
            .env("CODELINK_PAYMENT_SECRET", TEST_PAYMENT_SECRET)
            .env("CODELINK_RECONCILE_SECS", PERIOD_SECS.to_string())
            .env_remove("CODELINK_PUBLIC_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        ServerProcess(child)
    }

    /// `kill -9`: no shutdown, no flushing, whatever was in memory is gone.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A minimal HTTP/1.1 call to the child (status and raw response), or None when the connection
/// failed, as it does for calls in flight when the server is killed.
async fn http(port: u16, method: &str, path: &str, form: &str, cookie: &str) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nCookie: {cookie}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

async fn wait_for_health(port: u16) {
    wait_until("the server to answer /healthz", Duration::from_secs(60), move || async move {
        matches!(http(port, "GET", "/healthz", "", "").await, Some((200, _)))
    })
    .await;
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// This test's database on the same server as DATABASE_URL.
async fn database_url(pool: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(pool).await.unwrap();
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL names the test server");
    let (server, query) = match base.split_once('?') {
        Some((server, query)) => (server.to_string(), format!("?{query}")),
        None => (base.clone(), String::new()),
    };
    let (server, _) = server.rsplit_once('/').expect("a database URL has a path");
    format!("{server}/{name}{query}")
}

#[sqlx::test(migrations = false)]
async fn withdrawals_and_deposits_in_flight_survive_kill_9(pool: PgPool) {
    let app = spawn_app(pool).await;
    let url = database_url(&app.pool).await;
    let port = free_port();
    let mut users = Vec::new();
    for _ in 0..4 {
        let (id, cookie) = app.logged_in_user("developer").await;
        top_up(&app, &cookie, "60000").await;
        users.push((id, cookie));
    }
    let mut server = ServerProcess::start(&url, port);
    wait_for_health(port).await;

    // A storm through the real server: withdrawals (one per user above the sandbox's limit, so it
    // fails and returns) and deposits paid on the sandbox page.
    let confirmed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut calls = Vec::new();
    for (i, (_, cookie)) in users.iter().enumerate() {
        for n in 0..6 {
            let (cookie, confirmed) = (cookie.clone(), confirmed.clone());
            let amount = if n == 0 { "55000".to_string() } else { format!("{}", 10 + i * 7 + n) };
            calls.push(tokio::spawn(async move {
                let form = format!("amount={amount}&key={}", Uuid::now_v7());
                let reply = http(port, "POST", "/api/wallet/withdraw", &form, &cookie).await;
                if matches!(reply, Some((200, _))) {
                    confirmed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }));
        }
        for n in 0..2 {
            let cookie = cookie.clone();
            calls.push(tokio::spawn(async move {
                let Some((_, reply)) =
                    http(port, "POST", "/api/wallet/deposit", &format!("amount={}", 20 + n), &cookie).await
                else {
                    return;
                };
                let Some(order) = reply
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("location: /sandbox/pay/").map(str::to_string))
                else {
                    return;
                };
                let form = format!("order={}&confirm=true", order.trim());
                let _ = http(port, "POST", "/api/sandbox/pay", &form, &cookie).await;
            }));
        }
    }
    // Killed mid-stream: once some withdrawals are confirmed, with others still in flight.
    wait_until("a few confirmed withdrawals", Duration::from_secs(60), || {
        let confirmed = confirmed.clone();
        async move { confirmed.load(std::sync::atomic::Ordering::SeqCst) >= 6 }
    })
    .await;
    server.kill();
    futures_join(calls.into_iter()).await;

    // What a crash leaves besides: withdrawals committed whose payout request was never sent, and
    // payments the bank booked whose callbacks died with the process.
    let sandbox = app.state.sandbox.clone().unwrap();
    for (id, _) in &users {
        db::payments::request_withdrawal(&app.pool, *id, Money::from_fen(1_234), "sandbox").await.unwrap();
        let order = db::payments::create_order(&app.pool, *id, Money::from_fen(4_321), "sandbox").await.unwrap();
        sandbox.pay(order, Money::from_fen(4_321), true, "sandbox-crash").await.unwrap();
    }
    let (withdrawals, pending, uncredited): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM withdrawals), (SELECT count(*) FROM withdrawals WHERE status = 'pending'),
                (SELECT count(*) FROM sandbox_bank b JOIN payment_orders o ON o.id = b.reference
                 WHERE b.kind = 'payment' AND b.succeeded AND o.status <> 'paid')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    eprintln!(
        "at the kill: {} withdrawals confirmed over HTTP, {withdrawals} in all; {pending} pending and {uncredited} paid \
         deposits uncredited before the restart",
        confirmed.load(std::sync::atomic::Ordering::SeqCst)
    );
    assert!(withdrawals >= 6 + 4 && pending >= 4 && uncredited >= 4, "money in flight at the restart");

    // Restarted: within a reconciliation period everything settles.
    let _server = ServerProcess::start(&url, port);
    wait_for_health(port).await;
    let pool = app.pool.clone();
    let took =
        wait_until("every withdrawal settled and every booked payment credited", Duration::from_secs(60), || {
            let pool = pool.clone();
            async move {
                let open: i64 = sqlx::query_scalar(
                    "SELECT (SELECT count(*) FROM withdrawals WHERE status = 'pending')
                      + (SELECT count(*) FROM sandbox_bank b JOIN payment_orders o ON o.id = b.reference
                         WHERE b.kind = 'payment' AND b.succeeded AND o.status <> 'paid')",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                open == 0
            }
        })
        .await;
    eprintln!("settled {took:?} after the restarted server answered (period {PERIOD_SECS} s)");
    assert!(took <= Duration::from_secs(PERIOD_SECS * 3 + 5), "settled within a reconciliation period or so: {took:?}");

    // Paid exactly when the sandbox paid it; failed ones returned; each payment credited once.
    let wrong: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM withdrawals w LEFT JOIN sandbox_bank b ON b.kind = 'transfer' AND b.reference = w.id
         WHERE (w.status = 'paid') IS DISTINCT FROM coalesce(b.succeeded, false)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(wrong, 0, "every withdrawal's status is the bank's");
    for (id, _) in &users {
        let (deposited, paid_out): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT coalesce(sum(amount_fen), 0)::int8 FROM payment_orders WHERE user_id = $1 AND status = 'paid'),
                    (SELECT coalesce(sum(amount_fen), 0)::int8 FROM withdrawals WHERE user_id = $1 AND status = 'paid')",
        )
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let mut conn = app.pool.acquire().await.unwrap();
        let balances = db::ledger::balances(&mut conn, *id).await.unwrap();
        assert_eq!(balances.withdrawing.fen(), 0, "nothing left withdrawing");
        assert_eq!(
            balances.available.fen(),
            deposited - paid_out,
            "each deposit credited once, each payout taken once"
        );
    }
    let doubles: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT idempotency_key FROM ledger_movements GROUP BY 1 HAVING count(*) > 1) d",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(doubles, 0);
    assert_eq!(check_invariants(&app.pool).await.unwrap().violations(), 0);
}
