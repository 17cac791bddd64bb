//! Second factors at rest (see migrations/…_second_factor.sql for what protects the secrets): the
//! account's TOTP secret with the last time step used, and its recovery codes' MACs. Using a code
//! is one conditional UPDATE, so two requests with the same code cannot both pass.

use crate::second_factor::{recovery_code_matches, NewRecoveryCode};
use sqlx::PgPool;
use uuid::Uuid;

/// An account's TOTP secret and the last time step a code was accepted for.
#[derive(sqlx::FromRow)]
pub struct StoredFactor {
    pub totp_secret: String,
    pub last_used_step: Option<i64>,
}

pub async fn factor_of(pool: &PgPool, user: Uuid) -> Result<Option<StoredFactor>, sqlx::Error> {
    sqlx::query_as("SELECT totp_secret, last_used_step FROM second_factors WHERE user_id = $1")
        .bind(user)
        .fetch_optional(pool)
        .await
}

pub async fn is_enabled(pool: &PgPool, user: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM second_factors WHERE user_id = $1)")
        .bind(user)
        .fetch_one(pool)
        .await
}

/// Switches the factor on with a confirmed secret (its confirming code's step counts as used) and
/// replaces any recovery codes. False when the account already had one (nothing changes then).
pub async fn enable(
    pool: &PgPool,
    user: Uuid,
    secret: &str,
    confirmed_step: u64,
    recovery: &[NewRecoveryCode],
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO second_factors (user_id, totp_secret, last_used_step) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .bind(secret)
    .bind(confirmed_step as i64)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !inserted {
        return Ok(false);
    }
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO recovery_codes (user_id, code_salt, code_mac)
         SELECT $1, salt, mac FROM UNNEST($2::bytea[], $3::bytea[]) AS r(salt, mac)",
    )
    .bind(user)
    .bind(recovery.iter().map(|r| r.salt.clone()).collect::<Vec<_>>())
    .bind(recovery.iter().map(|r| r.mac.clone()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Switches the factor off and forgets its recovery codes.
pub async fn disable(pool: &PgPool, user: Uuid) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM second_factors WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
    tx.commit().await
}

/// Records that a code for `step` was used; false if that step (or a later one) already was.
pub async fn use_step(pool: &PgPool, user: Uuid, step: u64) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE second_factors SET last_used_step = $2
         WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2)",
    )
    .bind(user)
    .bind(step as i64)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Uses up the recovery code `code` (normalised) if it is one of the account's unused ones.
pub async fn use_recovery_code(pool: &PgPool, user: Uuid, code: &str) -> Result<bool, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        code_salt: Vec<u8>,
        code_mac: Vec<u8>,
    }
    let unused: Vec<Row> =
        sqlx::query_as("SELECT id, code_salt, code_mac FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user)
            .fetch_all(pool)
            .await?;
    let Some(found) = unused.iter().find(|row| recovery_code_matches(&row.code_salt, &row.code_mac, code)) else {
        return Ok(false);
    };
    let used = sqlx::query("UPDATE recovery_codes SET used_at = app_now() WHERE id = $1 AND used_at IS NULL")
        .bind(found.id)
        .execute(pool)
        .await?;
    Ok(used.rows_affected() == 1)
}

pub async fn recovery_codes_left(pool: &PgPool, user: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .fetch_one(pool)
        .await
}

/// The address an authenticator app lists the account under.
pub async fn email_of(pool: &PgPool, user: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user).fetch_one(pool).await
}
