//! Which versions of the legal documents each account accepted (migration 36's `legal_consents`).

use crate::domain::legal::{consent_due, Document};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Records that `user` accepts the current version of each of `documents`, now, inside the
/// caller's transaction (sign-up records it with the account). Accepting again is a no-op.
pub async fn accept(conn: &mut PgConnection, user: Uuid, documents: &[Document]) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = documents.iter().map(|d| d.as_str()).collect();
    let versions: Vec<i32> = documents.iter().map(|d| d.version() as i32).collect();
    sqlx::query(
        "INSERT INTO legal_consents (user_id, document, version)
         SELECT $1, d, v FROM unnest($2::text[], $3::int[]) AS x (d, v)
         ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .bind(&names)
    .bind(&versions)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every (document, version) `user` has accepted.
pub async fn accepted(pool: &PgPool, user: Uuid) -> Result<Vec<(Document, u32)>, sqlx::Error> {
    let rows: Vec<(String, i32)> = sqlx::query_as("SELECT document, version FROM legal_consents WHERE user_id = $1")
        .bind(user)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().filter_map(|(d, v)| Some((Document::parse(&d)?, u32::try_from(v).ok()?))).collect())
}

/// The documents `user` still has to accept (`domain::legal::consent_due`).
pub async fn due(pool: &PgPool, user: Uuid) -> Result<Vec<Document>, sqlx::Error> {
    Ok(consent_due(&accepted(pool, user).await?))
}
