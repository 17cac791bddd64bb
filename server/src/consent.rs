//! Sends a signed-in user whose consent is due (`domain::legal::consent_due`: a newer version of the
//! terms or the privacy policy, or never asked) to the consent page before any other page. Only page
//! loads are redirected: the consent page's own form, logging out, the header's islands and every
//! other server function keep working, and so do the documents the consent page links to.

use app::{
    auth::AuthSession,
    domain::legal::{open_while_consent_due, CONSENT_PATH},
};
use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;

pub async fn consent_gate(State(pool): State<PgPool>, auth: AuthSession, request: Request, next: Next) -> Response {
    let Some(user) = auth.user.as_ref() else { return next.run(request).await };
    let path = request.uri().path();
    let page_load = request.method() == Method::GET
        && request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !page_load || open_while_consent_due(path) {
        return next.run(request).await;
    }
    match app::db::legal::due(&pool, user.id).await {
        Ok(due) if due.is_empty() => next.run(request).await,
        Ok(_) => {
            let back = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
            let to = format!("{CONSENT_PATH}?next={}", query_encoded(back));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not read the user's consents");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `value` as one query parameter's value: unreserved characters and `/` as they are, the rest
/// percent-encoded byte by byte.
fn query_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::query_encoded;

    #[test]
    fn the_way_back_is_one_query_value() {
        assert_eq!(query_encoded("/tasks/1?tab=a&b=c"), "/tasks/1%3Ftab%3Da%26b%3Dc");
        assert_eq!(query_encoded("/?q=数据"), "/%3Fq%3D%E6%95%B0%E6%8D%AE");
    }
}
