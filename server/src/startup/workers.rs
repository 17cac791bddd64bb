//! The background workers every server process runs: payment callbacks, payouts and their
//! reconciliation, growth awards, mail, search backfill and housekeeping. Those that send, pay or
//! award claim their rows with locks, so two processes never do one twice.

use app::{payments::SignedCallback, state::AppState};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tower_sessions_sqlx_store::PostgresStore;

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
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::db::payouts::dispatch(&worker.pool, &*worker.payments, None, 100).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "payout requests sent"),
                Err(error) => tracing::warn!(%error, "payout worker could not send"),
            }
        }
    });
    let period =
        app::domain::payouts::reconciliation_period_secs(std::env::var("CODELINK_RECONCILE_SECS").ok().as_deref());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(period));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
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
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
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
    tokio::spawn(async move {
        let base_url = app::state::public_url();
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::db::email::send_due(&state.pool, &app::mail::LocalOutbox, &base_url).await {
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

/// Drops idle login-limiter buckets and expired sessions in the background.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let store = PostgresStore::new(state.pool.clone());
        // Deadlines are data (respond_by, delivered_at), so a restart loses nothing: the next tick
        // finds whatever fell due while the server was down.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        for round in 0u64.. {
            tick.tick().await;
            match app::db::lifecycle::expire_applications(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "applications expired after 48 hours"),
                Err(error) => tracing::warn!(%error, "could not expire applications"),
            }
            match app::db::saved_searches::notify(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "developers told about tasks matching their saved searches"),
                Err(error) => tracing::warn!(%error, "could not check saved searches"),
            }
            match app::db::lifecycle::remind_deadlines(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "developers reminded of deadlines within 48 hours"),
                Err(error) => tracing::warn!(%error, "could not send deadline reminders"),
            }
            match app::db::reviews::reveal_due(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "reviews revealed after 14 days"),
                Err(error) => tracing::warn!(?error, "could not reveal due reviews"),
            }
            match app::db::growth::apply_due_rules(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "levels re-evaluated under growth rules that came into force"),
                Err(error) => tracing::warn!(?error, "could not apply scheduled growth rules"),
            }
            match app::db::membership::renew_due(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "memberships renewed or ended"),
                Err(error) => tracing::warn!(?error, "could not renew memberships"),
            }
            match app::db::membership::end_promotions_of_closed_tasks(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "promotions of tasks that left the hall ended and refunded"),
                Err(error) => tracing::warn!(?error, "could not end promotions"),
            }
            match app::db::lifecycle::auto_accept_deliveries(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "deliveries accepted after 7 days of silence"),
                Err(error) => tracing::warn!(?error, "could not auto-accept deliveries"),
            }
            if round % 10 == 0 {
                state.login_limiter.forget_idle();
                state.registration_limiter.forget_idle();
                state.application_limiter.forget_idle();
                state.invitation_limiter.forget_idle();
                state.sms_limiter.forget_idle();
                state.reset_limiter.forget_idle();
                state.support_limiter.forget_idle();
                state.recent_registrations.forget_idle();
                if let Err(error) = tower_sessions::ExpiredDeletion::delete_expired(&store).await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
            }
        }
    });
}

/// How often at most this process announces changes to the public pages: a burst of changes (a
/// payout storm moving tasks along) is one announcement, and the other processes forget their
/// pages within this much of the change.
const ANNOUNCE_EVERY: Duration = Duration::from_millis(200);

/// Tells the other server processes that the public pages changed (`AppState::public_pages_changed`
/// wakes it), through PostgreSQL's `NOTIFY` on its own short transaction, never on the
/// transaction that made the change: a change's commit does not wait for the notification queue.
pub fn spawn_public_page_announcer(state: AppState) {
    tokio::spawn(async move {
        let instance = state.instance.to_string();
        loop {
            state.public_changes.notified().await;
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(app::public_pages::CHANNEL)
                .bind(&instance)
                .execute(&state.pool)
                .await;
            if let Err(error) = sent {
                tracing::warn!(%error, "could not announce a change to the public pages");
            }
            tokio::time::sleep(ANNOUNCE_EVERY).await;
        }
    });
}
