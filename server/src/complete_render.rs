//! Pages are rendered to the end whether or not the visitor waits for them.
//!
//! A visitor who left mid-load used to make the server panic: dropping a Leptos page's body stream
//! part-way disposes of its reactive owner while tasks the render spawned still read from it
//! ("Tried to access a reactive value that has already been disposed", "no Arena is active",
//! `use_resolved_path` outside a `<Router>`: 32–53 panics per 10 s of wrk at 32 connections, all on
//! abandoned requests). Here each request runs on a task of its own, and an HTML body is read to
//! its end on that task before it is handed to the connection: a visitor who leaves drops only the
//! finished bytes. Other bodies (live streams, files) pass through as streams.
//!
//! What it costs: nothing in time to the first byte, since every route renders in
//! `SsrMode::Async` (the whole page at once) already; an abandoned page is rendered to its end
//! rather than to the point it was dropped.

use axum::{
    body::Body,
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn render_to_the_end(request: Request, next: Next) -> Response {
    use tracing::Instrument;
    // In the request's span, so the render's log lines carry its id.
    let rendered = tokio::spawn(
        async move {
            let response = next.run(request).await;
            if !is_html(&response) {
                return response;
            }
            let (parts, body) = response.into_parts();
            match axum::body::to_bytes(body, usize::MAX).await {
                Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
                Err(error) => {
                    tracing::error!(%error, "a page's body failed while it rendered");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        .in_current_span(),
    );
    match rendered.await {
        Ok(response) => response,
        // The panic itself was logged by the hook; the catch-panic layer above sees only this.
        Err(_) => crate::guard::error_response(app::error::AppError::Internal),
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{routing::get, Router};
    use std::sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    };
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_page_abandoned_after_its_first_bytes_still_renders_to_the_end() {
        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let page = move || {
            let done = done.clone();
            async move {
                let chunks = futures::stream::unfold(0, move |n| {
                    let done = done.clone();
                    async move {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        if n == 5 {
                            done.store(true, Ordering::SeqCst);
                            return None;
                        }
                        Some((Ok::<_, std::convert::Infallible>(format!("<p>{n}</p>")), n + 1))
                    }
                });
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from_stream(chunks))
            }
        };
        let router: Router = Router::new().route("/", get(page)).layer(axum::middleware::from_fn(render_to_the_end));
        let request = axum::http::Request::get("/").body(Body::empty()).unwrap();
        // The visitor gives up before the page is ready.
        let waited = tokio::time::timeout(std::time::Duration::from_millis(30), router.clone().oneshot(request)).await;
        assert!(waited.is_err(), "the page was not ready yet");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(finished.load(Ordering::SeqCst), "the render ran to its end on its own task");

        let request = axum::http::Request::get("/").body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"<p>0</p><p>1</p><p>2</p><p>3</p><p>4</p>");
    }
}
