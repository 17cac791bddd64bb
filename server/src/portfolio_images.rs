//! The images of developers' portfolios, `/portfolio/images/{id}`: shown inline (they are
//! thumbnails on the resume card), so unlike delivery files they are sent as the image type their
//! content was recognised as when uploaded (`domain::portfolio::ImageKind`), never as what the
//! uploader said, with `nosniff` and a policy that lets nothing in them run. Public while the
//! owner's card is public; otherwise only the owner gets them, and anyone else a 404, as for an
//! image that does not exist.

use app::auth::AuthSession;
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sqlx::PgPool;
use uuid::Uuid;

pub fn routes<S: Clone + Send + Sync + 'static>(pool: PgPool) -> Router<S> {
    Router::new().route("/portfolio/images/{id}", get(portfolio_image)).with_state(pool)
}

async fn portfolio_image(auth: AuthSession, State(pool): State<PgPool>, Path(id): Path<Uuid>) -> Response {
    let viewer = auth.user.as_ref().map(|user| user.id);
    match app::db::portfolio::image(&pool, id, viewer).await {
        Ok(Some(image)) => (
            [
                (header::CONTENT_TYPE, image.content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
                // Opened on its own, the image is a document of this origin: it may run nothing.
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".into()),
                // Browsers only: a shared cache must not keep serving it after the card is hidden.
                (header::CACHE_CONTROL, "private, max-age=300".into()),
            ],
            image.bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "reading a portfolio image");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
