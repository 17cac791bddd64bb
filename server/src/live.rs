//! Live updates: a server-sent event stream per task conversation and one per user for the bell,
//! and the one database listener that feeds them all. PostgreSQL announces new messages and
//! notifications (triggers, migration 17) when their transaction commits, so whatever server process
//! wrote them, every stream hears of them, and only once they are stored.
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
use sqlx::postgres::PgListener;
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

/// Listens for the life of the server: new messages and notifications, fanned out to the open
/// streams, and changes to the public pages announced by other processes, which empty this one's
/// (`server::page_cache`). Reconnects (with a pause) whenever the connection drops.
pub fn spawn_message_listener(state: AppState) {
    tokio::spawn(async move {
        loop {
            match listen(&state).await {
                Ok(()) => {}
                Err(error) => tracing::warn!(%error, "message listener lost its connection; reconnecting"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(state: &AppState) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(&state.pool).await?;
    listener.listen_all([messages::CHANNEL, notifications::CHANNEL, public_pages::CHANNEL]).await?;
    // Whatever changed while this process was not listening is forgotten too.
    state.forget_public_pages();
    loop {
        let announced = listener.recv().await?;
        // No open stream is not an error: sends to nobody are ignored.
        if announced.channel() == public_pages::CHANNEL {
            if announced.payload() != state.instance.to_string() {
                state.forget_public_pages();
            }
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
    let live = stream::unfold(events, move |mut events| async move {
        loop {
            match events.recv().await {
                Ok(event) if event.task == task && event.developer == developer => {
                    return Some((announce(event.id), events));
                }
                Ok(_) => continue,
                // Fell behind: tell the page to read whatever is new.
                Err(RecvError::Lagged(_)) => return Some((announce(0), events)),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    sse(backlog.chain(live)).into_response()
}

/// The signed-in user's bell: one event per new notification for them.
async fn live_notifications(auth: AuthSession, State(state): State<AppState>) -> Response {
    let Some(user) = auth.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let events = state.notice_events.subscribe();
    let live = stream::unfold(events, move |mut events| async move {
        loop {
            match events.recv().await {
                Ok(to) if to == user.id => return Some((Ok(Event::default().event("message").data("notice")), events)),
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("message").data("notice")), events))
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    sse(live).into_response()
}

fn announce(id: i64) -> Result<Event, Infallible> {
    let event = Event::default().event("message").data(id.to_string());
    Ok(if id > 0 { event.id(id.to_string()) } else { event })
}

fn sse(
    events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
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
