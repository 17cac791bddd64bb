//! The money races with the callers spread over two instances of the app, each with its own pool
//! of connections to one database, as two processes behind a load balancer are: a payout is still
//! released exactly once and a balance is never overdrawn.

use crate::common::{flow::*, spawn_app, TestApp};
use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// A second instance: its own state and its own connections to the same database.
async fn second_instance(pool: &PgPool) -> TestApp {
    let own_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect_with((*pool.connect_options()).clone())
        .await
        .expect("a second pool");
    spawn_app(own_pool).await
}

#[sqlx::test(migrations = false)]
async fn accepts_spread_over_two_instances_release_exactly_once(pool: PgPool) {
    let first = spawn_app(pool.clone()).await;
    let second = second_instance(&pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&first, "640").await;
    let m = milestone.to_string();
    deliver(&first, &developer, &m, "done").await;
    let calls = (0..64).map(|n| {
        let (app, merchant, m) = (if n % 2 == 0 { first.clone() } else { second.clone() }, merchant.clone(), m.clone());
        tokio::spawn(async move {
            app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await.status
        })
    });
    let statuses: Vec<StatusCode> = futures_join(calls).await;
    assert_eq!(statuses.iter().filter(|s| s.is_success()).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| s.is_success() || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(available(&first, developer_id).await, 57_600);
    assert_ledger_sound(&first).await;
}

#[sqlx::test(migrations = false)]
async fn withdrawals_spread_over_two_instances_never_overdraw(pool: PgPool) {
    let first = spawn_app(pool.clone()).await;
    let second = second_instance(&pool).await;
    let (user, cookie) = first.logged_in_user("developer").await;
    top_up(&first, &cookie, "1000").await;
    // Half the requests repeat one request key (a double click answered by either instance).
    let repeated = Uuid::now_v7().to_string();
    let calls = (0..64).map(|n| {
        let (app, cookie, repeated) =
            (if n % 2 == 0 { first.clone() } else { second.clone() }, cookie.clone(), repeated.clone());
        tokio::spawn(async move {
            let key = if n % 4 < 2 { repeated } else { Uuid::now_v7().to_string() };
            app.call("/api/wallet/withdraw", &[("amount", "600"), ("key", &key)], Some(&cookie)).await.status
        })
    });
    let statuses = futures_join(calls).await;
    assert!(statuses.iter().any(|s| s.is_success()), "{statuses:?}");
    assert_eq!(available(&first, user).await, 40_000, "one withdrawal of 600 taken, whichever instance took it");
    let withdrawals: i64 = sqlx::query_scalar("SELECT count(*) FROM withdrawals").fetch_one(&first.pool).await.unwrap();
    assert_eq!(withdrawals, 1);
    assert_ledger_sound(&first).await;
}

/// An instance starting (or sweeping) fails only exports whose process went quiet, never one another
/// instance is still building.
#[sqlx::test(migrations = false)]
async fn only_an_export_gone_quiet_counts_as_interrupted(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (admin, _) = app.create_account("admin").await;
    for (id, quiet_for) in [(Uuid::now_v7(), "0 seconds"), (Uuid::now_v7(), "5 minutes")] {
        sqlx::query(
            "INSERT INTO report_exports (id, requested_by, month, language, total, progressed_at)
             VALUES ($1, $2, DATE '2026-11-01', 'zh', 10, now() - $3::interval)",
        )
        .bind(id)
        .bind(admin)
        .bind(quiet_for)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    assert_eq!(app::db::reports::fail_interrupted_exports(&app.pool).await.unwrap(), 1);
    let still_building: i64 = sqlx::query_scalar("SELECT count(*) FROM report_exports WHERE finished_at IS NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(still_building, 1, "the export that is still moving is left to its instance");
}
