//! Sends a signed-in user whose consent is due (`domain::legal::consent_due`: a newer version of the
//! terms or the privacy policy, or never asked) to the consent page before any other page. Only page
//! loads are redirected: the consent page's own form, logging out, the header's islands and every
//! other server function keep working, and so do the documents the consent page links to.

use app::{
    auth::AuthSession,
    domain::{
        legal::{consent_stamp, open_while_consent_due, CONSENT_PATH},
        url_query::encode,
    },
};
use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;

/// The session key of the consent versions found current for the session's user.
const CONSENT_STAMP: &str = "consent_stamp";

pub async fn consent_gate(State(pool): State<PgPool>, auth: AuthSession, request: Request, next: Next) -> Response {
    let Some(user) = auth.user.as_ref() else { return next.run(request).await };
    let path = request.uri().path();
    let page_load = request.method() == Method::GET
        && request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !page_load || open_while_consent_due(path) {
        return next.run(request).await;
    }
    // Once found current, the session remembers it (sessions live in PostgreSQL, so every instance
    // sees it): one lookup per session and version, not one per page.
    let stamp = consent_stamp();
    if auth.session.get::<String>(CONSENT_STAMP).await.ok().flatten().as_deref() == Some(stamp.as_str()) {
        return next.run(request).await;
    }
    match app::db::legal::due(&pool, user.id).await {
        Ok(due) if due.is_empty() => {
            if let Err(error) = auth.session.insert(CONSENT_STAMP, stamp).await {
                tracing::warn!(%error, "could not remember the consent in the session");
            }
            next.run(request).await
        }
        Ok(_) => {
            let back = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
            let to = format!("{CONSENT_PATH}?next={}", encode(back));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not read the user's consents");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
