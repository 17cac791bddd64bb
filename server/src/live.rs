//! Live updates: a server-sent event stream per task conversation and one per user for the bell,
//! and the one database listener that feeds them all. New messages and notifications queue an
//! announcement in their own transaction (triggers, migrations 17 and 37), which a relay sends as
//! PostgreSQL `NOTIFY` once they are committed, so whatever server process wrote them, every
//! stream hears of them, and only once they are stored.
//!
//! A stream only says "something arrived"; the page then reads what is new through its server
//! function, which applies the same access rule as everything else. On reconnect the browser sends
//! `Last-Event-ID`, and a conversation's stream first announces anything newer that was stored while
//! it was away (a server restart loses nothing).

use app::{
    auth::AuthSession,
    db::{messages, notifications},
    public_pages,
    state::{AppState, MessageEvent},
};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    routing::get,
    Router,
};
use futures::stream::{self, Stream, StreamExt};
use sqlx::{postgres::PgListener, PgPool};
use std::{convert::Infallible, time::Duration};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/tasks/{task}/messages/live", get(live_messages))
        .route("/notifications/live", get(live_notifications))
        .route("/messages/files/{id}", get(message_file))
        .with_state(state)
}

/// Starts, for the life of the server, the relay that turns queued announcements into `NOTIFY`
/// (`relay_announcements`) and the listener: new messages and notifications, fanned out to the
/// open streams, and changes to the public pages announced by other processes, which empty this
/// one's (`server::page_cache`). The listener reconnects (with a pause) whenever its connection drops.
pub fn spawn_live_announcements(state: AppState) {
    tokio::spawn(relay_announcements(state.pool.clone()));
    tokio::spawn(async move {
        loop {
            match listen(&state).await {
                Ok(()) => {}
                Err(error) => tracing::warn!(%error, "live listener lost its connection; reconnecting"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

/// How often the relay looks for queued announcements: the most a live page waits for one.
const RELAY_EVERY: Duration = Duration::from_millis(20);
/// Announcements relayed per transaction at most; a full batch is followed by the next at once.
const RELAY_BATCH: i64 = 1_000;

/// Writers queue their announcements in `live_announcements` (migration 37's triggers) instead of
/// calling `NOTIFY` themselves: `NOTIFY` takes a database-wide lock at commit, held through the
/// commit's flush, which made every payout (it notifies its developer) commit one at a time. Here
/// each batch is taken (`SKIP LOCKED`, so two servers never announce one twice) and announced on
/// one short transaction; the listeners of every server hear it as before.
async fn relay_announcements(pool: PgPool) {
    let mut tick = tokio::time::interval(RELAY_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        loop {
            match relay_batch(&pool).await {
                Ok(relayed) if relayed == RELAY_BATCH => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "could not relay live announcements");
                    break;
                }
            }
        }
    }
}

async fn relay_batch(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "WITH taken AS (
             DELETE FROM live_announcements WHERE id IN (
                 SELECT id FROM live_announcements ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING id, channel, payload)
         SELECT count(pg_notify(channel, payload)) FROM (SELECT channel, payload FROM taken ORDER BY id) queued",
    )
    .bind(RELAY_BATCH)
    .fetch_one(pool)
    .await
}

async fn listen(state: &AppState) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(&state.pool).await?;
    listener.listen_all([messages::CHANNEL, notifications::CHANNEL, public_pages::CHANNEL]).await?;
    // Whatever changed while this process was not listening is forgotten too.
    state.forget_public_pages();
    state.recommendations.clear();
    loop {
        let announced = listener.recv().await?;
        // No open stream is not an error: sends to nobody are ignored.
        if announced.channel() == public_pages::CHANNEL {
            state.hear(announced.payload()).await;
        } else if announced.channel() == messages::CHANNEL {
            if let Some(event) = MessageEvent::parse(announced.payload()) {
                let _ = state.message_events.send(event);
            }
        } else if let Ok(user) = Uuid::parse_str(announced.payload()) {
            let _ = state.notice_events.send(user);
        }
    }
}

#[derive(serde::Deserialize)]
struct Conversation {
    developer: Option<Uuid>,
}

async fn live_messages(
    auth: AuthSession,
    State(state): State<AppState>,
    Path(task): Path<Uuid>,
    Query(conversation): Query<Conversation>,
    headers: HeaderMap,
) -> Response {
    let Some(user) = auth.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let developer = match (user.role, conversation.developer) {
        (app::domain::account::Role::Developer, _) => user.id,
        (_, Some(developer)) => developer,
        (_, None) => return StatusCode::NOT_FOUND.into_response(),
    };
    let last_seen: i64 =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(i64::MAX);
    // Subscribe before reading what was missed, so nothing falls between the two.
    let events = state.message_events.subscribe();
    let missed =
        match messages::conversation(&state.pool, (user.id, user.role), task, developer, last_seen.min(i64::MAX - 1))
            .await
        {
            Ok(missed) if last_seen != i64::MAX => missed.last().map(|m| m.id),
            Ok(_) => None,
            Err(_) => return StatusCode::FORBIDDEN.into_response(),
        };
    let backlog = stream::iter(missed.map(announce));
    let open = crate::metrics::OpenStream::new("messages");
    let live = stream::unfold((events, open), move |(mut events, open)| async move {
        loop {
            match events.recv().await {
                Ok(event) if event.task == task && event.developer == developer => {
                    return Some((announce(event.id), (events, open)));
                }
                Ok(_) => continue,
                // Fell behind: tell the page to read whatever is new.
                Err(RecvError::Lagged(_)) => return Some((announce(0), (events, open))),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    sse(&state, backlog.chain(live)).into_response()
}

/// The signed-in user's bell: one event per new notification for them.
async fn live_notifications(auth: AuthSession, State(state): State<AppState>) -> Response {
    let Some(user) = auth.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let events = state.notice_events.subscribe();
    let open = crate::metrics::OpenStream::new("notifications");
    let live = stream::unfold((events, open), move |(mut events, open)| async move {
        loop {
            match events.recv().await {
                Ok(to) if to == user.id => {
                    return Some((Ok(Event::default().event("message").data("notice")), (events, open)))
                }
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("message").data("notice")), (events, open)))
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    sse(&state, live).into_response()
}

fn announce(id: i64) -> Result<Event, Infallible> {
    let event = Event::default().event("message").data(id.to_string());
    Ok(if id > 0 { event.id(id.to_string()) } else { event })
}

/// How soon a browser whose stream ended because its server is draining reconnects (through the
/// load balancer, to another instance).
const RECONNECT_AFTER_DRAIN: Duration = Duration::from_millis(500);

/// The stream as sent: kept open through proxies, and ended when the process drains, with a hint
/// to reconnect soon (what was missed meanwhile is read again on reconnect, by `Last-Event-ID` or
/// the page's own read).
fn sse(
    state: &AppState,
    events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let draining = state.lifecycle.draining.clone().cancelled_owned();
    let farewell = stream::once(async { Ok(Event::default().retry(RECONNECT_AFTER_DRAIN).comment("draining")) });
    let events = events.take_until(draining).chain(farewell);
    // Proxies drop connections that stay silent; a comment every 15 s keeps it open.
    Sse::new(events.boxed()).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn message_file(auth: AuthSession, State(state): State<AppState>, Path(id): Path<Uuid>) -> Response {
    let Some(user) = auth.user.clone() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // An admin reads a disputed conversation's files as an admin function: only once their
    // session passed a second factor (admins are never a party to a task).
    if user.role == app::domain::account::Role::Admin {
        match app::api::access::is_verified_admin(&auth).await {
            Ok(true) => {}
            Ok(false) => return StatusCode::FORBIDDEN.into_response(),
            Err(error) => {
                tracing::error!(?error, "reading the session's second factor");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    match messages::attachment(&state.pool, (user.id, user.role), id).await {
        Ok(Some((name, bytes))) => crate::startup::attachment(&name, bytes),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(?error, "reading a message file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
