//! Records checked like the ledger (issue 33): the demo's history, driven through past days by the
//! real rules, passes every record invariant; windows agree between the domain and the database;
//! a notice stops being 待处理 once what it asked is done.

use crate::common::{
    flow::{assert_ledger_sound, deliver, ok, task_in_progress, task_status},
    spawn_app,
};
use app::{
    db::{periods::window_start, record_invariants},
    domain::periods::{china_day, days_from_civil, Window, CHINA_OFFSET_SECS},
};
use sqlx::PgPool;
use uuid::Uuid;

/// The demo's histories happened over four months, not at load time: the weekly and monthly boards
/// count only their own window (they equalled the all-time board), challenges completed only in
/// their windows, notices are dated with their events, and nothing finished is still 待处理.
#[sqlx::test(migrations = false)]
async fn the_demo_history_passes_every_record_invariant(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 10).await.unwrap();
    server::demo::load_history(&app.pool).await.unwrap();

    let report = record_invariants::check(&app.pool).await.unwrap();
    assert_eq!(report.violations(), 0, "{report:?}");
    assert_ledger_sound(&app).await;

    // The all-time board is not this month's: most of the history is older than a month.
    let all_time: i64 =
        sqlx::query_scalar("SELECT sum(xp)::int8 FROM developer_growth").fetch_one(&app.pool).await.unwrap();
    let this_month: i64 = sqlx::query_scalar(&format!(
        "SELECT coalesce(sum(xp), 0)::int8 FROM growth_period_totals WHERE period = 'month' AND starts_on = {}",
        window_start(Window::Month, "now()")
    ))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(all_time > 0 && this_month < all_time, "month {this_month} of all time {all_time}");

    // Notices carry their events' times: the merchants' "delivered" notices span weeks.
    let (first, last): (f64, f64) = sqlx::query_as(
        "SELECT extract(epoch FROM min(created_at))::float8, extract(epoch FROM max(created_at))::float8
         FROM notifications WHERE kind = 'delivered'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(last - first > 60.0 * 86_400.0, "delivered notices from {first} to {last}");
    // Money arrives before it is held: each history task's deposit precedes its escrow.
    let escrow_before_deposit: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ledger_movements f JOIN ledger_entries e ON e.movement_id = f.id
         JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'available'
         WHERE f.kind = 'escrow_fund' AND NOT EXISTS (
             SELECT 1 FROM ledger_movements d JOIN ledger_entries de ON de.movement_id = d.id
             WHERE d.kind = 'deposit' AND de.account_id = a.id AND d.created_at <= f.created_at)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(escrow_before_deposit, 0);
}

/// The database's windows are the domain's, at the boundaries that matter: Monday midnight China
/// time (Sunday 16:00 UTC), month ends, a leap day, a year end.
#[sqlx::test(migrations = false)]
async fn the_database_counts_in_the_domains_windows(pool: PgPool) {
    let app = spawn_app(pool).await;
    let instants: Vec<i64> = [(2026, 12, 6), (2026, 12, 7), (2027, 1, 1), (2024, 2, 29), (2024, 3, 1), (2026, 1, 31)]
        .into_iter()
        .flat_map(|(y, m, d)| {
            let midnight = days_from_civil(y, m, d) as i64 * 86_400 - CHINA_OFFSET_SECS;
            [midnight - 1, midnight, midnight + 1]
        })
        .collect();
    for instant in instants {
        for window in Window::ALL {
            let sql =
                format!("SELECT ({} - DATE '1970-01-01')::int4", window_start(window, "to_timestamp($1::float8)"));
            let from_db: i32 = sqlx::query_scalar(&sql).bind(instant as f64).fetch_one(&app.pool).await.unwrap();
            assert_eq!(from_db, window.start(china_day(instant)), "{window:?} of {instant}");
        }
    }
}

async fn pending_for(app: &crate::common::TestApp, user: Uuid, task: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT kind FROM notifications WHERE user_id = $1 AND task_id = $2 AND done_at IS NULL
         AND kind IN ('new_application', 'delivered', 'changes_requested') ORDER BY id",
    )
    .bind(user)
    .bind(task)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// 待处理 goes when the thing is done (issue 33: completed tasks still showed 请验收 / 有开发者申请).
#[sqlx::test(migrations = false)]
async fn a_notice_is_no_longer_pending_once_answered(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = task_in_progress(&app, "100").await;
    let merchant_id: Uuid = sqlx::query_scalar("SELECT merchant_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(pending_for(&app, merchant_id, task).await.is_empty(), "choosing answered the application");

    deliver(&app, &developer, &milestone.to_string(), "done").await;
    assert_eq!(pending_for(&app, merchant_id, task).await, ["delivered"]);
    let page = app.get("/notifications", Some(&merchant), Some("zh-CN")).await;
    assert!(page.body.contains("待处理"), "the delivery waits for the merchant");

    let m = milestone.to_string();
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    assert_eq!(task_status(&app, task).await, "completed");
    assert!(pending_for(&app, merchant_id, task).await.is_empty());
    let page = app.get("/notifications", Some(&merchant), Some("zh-CN")).await;
    assert!(!page.body.contains("待处理"), "nothing is left to do");
    let report = record_invariants::check(&app.pool).await.unwrap();
    assert_eq!(report.violations(), 0, "{report:?}");
}
