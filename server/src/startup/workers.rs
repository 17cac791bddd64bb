//! The background workers every server process runs: payment callbacks, payouts and their
//! reconciliation, growth awards, mail, search backfill and housekeeping. Those that send, pay or
//! award claim their rows with locks, so two processes never do one twice. Each stops when the
//! process drains, after the round in hand (`AppState::lifecycle`).

use app::{payments::SignedCallback, state::AppState};
use std::{future::Future, time::Duration};
use tokio::sync::mpsc::UnboundedReceiver;
use tower_sessions_sqlx_store::PostgresStore;

/// Runs `round` every `period` (a late tick waits, never bunches up) until the process drains; a
/// round under way finishes first. The process waits for it before exiting. Each round is counted
/// and timed under `name` (`server::metrics`).
fn every<Round, Work>(state: &AppState, name: &'static str, period: Duration, mut round: Round)
where
    Round: FnMut() -> Work + Send + 'static,
    Work: Future<Output = ()> + Send,
{
    let draining = state.lifecycle.draining.clone();
    state.lifecycle.workers.spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = draining.cancelled() => break,
                _ = tick.tick() => {
                    let started = std::time::Instant::now();
                    round().await;
                    crate::metrics::worker_round(name, started.elapsed());
                }
            }
        }
    });
}

/// Feeds the sandbox's own callbacks (payout results) through the same path as an HTTP callback.
pub fn spawn_payment_callbacks(state: AppState, mut callbacks: UnboundedReceiver<SignedCallback>) {
    tokio::spawn(async move {
        while let Some((body, signature)) = callbacks.recv().await {
            if let Err(error) = app::db::payouts::receive_signed(&state, &body, &signature).await {
                tracing::error!(?error, "sandbox callback failed");
            }
        }
    });
}

/// The payout worker (every second: send due payout requests from the outbox) and reconciliation
/// (every `CODELINK_RECONCILE_SECS`, default 180: settle what waited longer than that from the
/// provider's answer). Both read only rows, so a restart or a second server loses and doubles nothing.
pub fn spawn_payout_jobs(state: AppState) {
    let worker = state.clone();
    every(&state, "payouts", Duration::from_secs(1), move || {
        let state = worker.clone();
        async move {
            match app::db::payouts::dispatch(&state.pool, &*state.payments, None, 100).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "payout requests sent"),
                Err(error) => tracing::warn!(%error, "payout worker could not send"),
            }
        }
    });
    let period =
        app::domain::payouts::reconciliation_period_secs(std::env::var("CODELINK_RECONCILE_SECS").ok().as_deref());
    let reconciler = state.clone();
    every(&state, "reconciliation", Duration::from_secs(period), move || {
        let state = reconciler.clone();
        async move {
            match app::db::payouts::reconcile(&state.pool, &*state.payments, period as i64).await {
                Ok(done) if done == Default::default() => {}
                Ok(done) => tracing::info!(?done, "payments reconciled with the provider"),
                Err(error) => tracing::warn!(?error, "could not reconcile payments"),
            }
        }
    });
}

/// How many growth workers drain the outbox side by side (rows are claimed with SKIP LOCKED). One
/// worker is bound by round trips, not CPU; a few in parallel keep up with the payout rate.
pub const GROWTH_WORKERS: usize = 4;

/// The growth workers: award what finished tasks are owed (see `db::growth::drain_outbox`). A
/// payout commits first and the award follows within a tick; polling an empty, indexed table four
/// times a second costs next to nothing, and needs no wake-up from the many places a task can
/// finish (acceptance, the 7-day rule, a settled dispute) nor from other server processes.
pub fn spawn_growth_workers(state: AppState) {
    for _ in 0..GROWTH_WORKERS {
        let pool = state.pool.clone();
        every(&state, "growth", Duration::from_millis(250), move || {
            let pool = pool.clone();
            async move {
                match app::db::growth::drain_outbox(&pool).await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(n, "growth awarded for finished tasks"),
                    Err(error) => tracing::warn!(%error, "growth worker could not drain the outbox"),
                }
            }
        });
    }
}

/// Sends notification e-mails users asked for, through the local outbox transport, a few seconds
/// after the notification is written.
pub fn spawn_mail_sender(state: AppState) {
    let pool = state.pool.clone();
    let base_url = app::state::public_url();
    every(&state, "mail", Duration::from_secs(2), move || {
        let (pool, base_url) = (pool.clone(), base_url.clone());
        async move {
            match app::db::email::send_due(&pool, &app::mail::LocalOutbox, &base_url).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "notification e-mails sent"),
                Err(error) => tracing::warn!(%error, "could not send notification e-mails"),
            }
        }
    });
}

/// Loads the segmentation dictionary and indexes any task, and any developer for talent search,
/// written without a search index (by an older version, or in bulk), in the background so the
/// server answers meanwhile.
pub fn spawn_search_backfill(state: AppState) {
    tokio::spawn(async move {
        if let Err(error) = tokio::task::spawn_blocking(app::search::warm_up).await {
            tracing::warn!(%error, "could not load the segmentation dictionary");
        }
        match app::db::search::backfill(&state.pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "tasks added to the search index"),
            Err(error) => tracing::warn!(%error, "could not back-fill the search index"),
        }
        match app::db::talent::backfill(&state.pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "developers added to the talent search index"),
            Err(error) => tracing::warn!(%error, "could not back-fill the talent search index"),
        }
    });
}

/// Logs what one housekeeping job did: how many rows it moved, or why it could not.
fn report<E: std::fmt::Debug>(done: Result<u64, E>, what: &str) {
    match done {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "{what}"),
        Err(error) => tracing::warn!(?error, "housekeeping failed: {what}"),
    }
}

/// Runs what falls due with time (deadlines, reveals, renewals) and drops refilled attempt buckets
/// and expired sessions, every minute. Deadlines are data (respond_by, delivered_at), so a restart
/// loses nothing: the next round finds whatever fell due while the server was down.
pub fn spawn_housekeeping(state: AppState) {
    let pool = state.pool.clone();
    let mut round = 0u64;
    every(&state, "housekeeping", Duration::from_secs(60), move || {
        let pool = pool.clone();
        round += 1;
        let sweep = round % 10 == 1;
        async move {
            use app::db::{growth, lifecycle, membership, reviews, saved_searches};
            report(lifecycle::expire_applications(&pool).await, "applications expired after 48 hours");
            report(saved_searches::notify(&pool).await, "developers told about tasks matching their saved searches");
            report(lifecycle::remind_deadlines(&pool).await, "developers reminded of deadlines within 48 hours");
            report(reviews::reveal_due(&pool).await, "reviews revealed after 14 days");
            report(growth::apply_due_rules(&pool).await, "levels re-evaluated under growth rules that came into force");
            report(membership::renew_due(&pool).await, "memberships renewed or ended");
            report(
                membership::end_promotions_of_closed_tasks(&pool).await,
                "promotions of tasks that left the hall ended and refunded",
            );
            report(lifecycle::auto_accept_deliveries(&pool).await, "deliveries accepted after 7 days of silence");
            report(
                app::db::reports::fail_interrupted_exports(&pool).await,
                "report exports whose process stopped marked failed",
            );
            if sweep {
                if let Err(error) = app::rate_limit::forget_idle(&pool).await {
                    tracing::warn!(%error, "could not forget refilled attempt buckets");
                }
                let store = PostgresStore::new(pool.clone());
                if let Err(error) = tower_sessions::ExpiredDeletion::delete_expired(&store).await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
            }
        }
    });
}

/// How often at most this process announces what it forgot: a burst of changes (a payout storm
/// moving tasks along) is one announcement, and the other processes forget the same within this
/// much of the change.
const ANNOUNCE_EVERY: Duration = Duration::from_millis(200);

/// Tells the other server processes what this one forgot (`AppState::public_pages_changed`,
/// `recommendations_changed`), through PostgreSQL's `NOTIFY` on its own short transaction, never
/// on the transaction that made the change: a change's commit does not wait for the notification
/// queue.
pub fn spawn_cache_announcer(state: AppState) {
    tokio::spawn(async move {
        loop {
            state.unannounced.wake.notified().await;
            let Some(announcement) = state.take_announcement() else { continue };
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(app::public_pages::CHANNEL)
                .bind(announcement.payload())
                .execute(&state.pool)
                .await;
            if let Err(error) = sent {
                tracing::warn!(%error, "could not announce a change to the kept pages");
            }
            tokio::time::sleep(ANNOUNCE_EVERY).await;
        }
    });
}
