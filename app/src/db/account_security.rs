//! Account security storage: the devices an account is logged in on (one row per login, checked
//! on every request), the user agent + address pairs it has logged in from, password changes, and
//! reset links. The rules (lifetimes, summaries, when to announce) are in `domain::account_security`.

use crate::{
    domain::{
        account::Email,
        account_security::{
            device_summary, new_device_notice_due, DEVICE_IDLE_DAYS, LAST_SEEN_EVERY_SECS, RESET_LINK_LIFETIME_SECS,
            RESET_TOKEN_BYTES,
        },
        notifications::NoticeKind,
    },
    mail::{compose_password_reset, MailTransport},
};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One active login, as the devices page lists it (times in China time).
#[derive(Debug, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: Uuid,
    pub user_agent: String,
    pub address: String,
    pub signed_in_at: String,
    pub last_seen_at: String,
}

/// A new login: its device row (dropping the one this session had before, and rows whose sessions
/// cannot be alive any more), and the "new device" notice when its user agent + address pair is new
/// for an account that has logged in before. One transaction.
pub async fn record_login(
    pool: &PgPool,
    user: Uuid,
    device: Uuid,
    replaces: Option<Uuid>,
    user_agent: &str,
    address: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "DELETE FROM account_devices
         WHERE id = $1 OR (user_id = $2 AND (revoked_at IS NOT NULL OR last_seen_at < app_now() - make_interval(days => $3)))",
    )
    .bind(replaces)
    .bind(user)
    .bind(DEVICE_IDLE_DAYS as i32)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO account_devices (id, user_id, user_agent, address) VALUES ($1, $2, $3, $4)")
        .bind(device)
        .bind(user)
        .bind(user_agent)
        .bind(address)
        .execute(&mut *tx)
        .await?;
    let known_before: i64 = sqlx::query_scalar("SELECT count(*) FROM known_devices WHERE user_id = $1")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    let fingerprint = Sha256::new().chain_update(user_agent).chain_update([0u8]).chain_update(address).finalize();
    let is_new = sqlx::query("INSERT INTO known_devices (user_id, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(user)
        .bind(fingerprint.as_slice())
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if new_device_notice_due(known_before, is_new) {
        let device_name = device_summary(user_agent).unwrap_or_else(|| user_agent.chars().take(60).collect());
        let note = format!("{device_name} · {address}");
        crate::db::notifications::notify(&mut tx, user, NoticeKind::NewDevice.as_str(), None, &note).await?;
    }
    tx.commit().await
}

/// Whether `device` is a live login of `user` (not revoked, not removed). Refreshes its last-seen
/// time when that is over a minute old. One primary-key lookup, plus that write once a minute.
pub async fn touch(pool: &PgPool, device: Uuid, user: Uuid) -> Result<bool, sqlx::Error> {
    let live: Option<bool> = sqlx::query_scalar(
        "WITH device AS (
             SELECT id, revoked_at IS NULL AS live, last_seen_at < app_now() - make_interval(secs => $3) AS stale
             FROM account_devices WHERE id = $1 AND user_id = $2
         ), seen AS (
             UPDATE account_devices SET last_seen_at = app_now() WHERE id = (SELECT id FROM device WHERE live AND stale)
         )
         SELECT live FROM device",
    )
    .bind(device)
    .bind(user)
    .bind(LAST_SEEN_EVERY_SECS as f64)
    .fetch_optional(pool)
    .await?;
    Ok(live == Some(true))
}

/// The account's logins that may still be in use, most recently seen first.
pub async fn active(pool: &PgPool, user: Uuid) -> Result<Vec<DeviceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_agent, address,
                china_text(created_at, 'YYYY-MM-DD HH24:MI') AS signed_in_at,
                china_text(last_seen_at, 'YYYY-MM-DD HH24:MI') AS last_seen_at
         FROM account_devices
         WHERE user_id = $1 AND revoked_at IS NULL AND last_seen_at > app_now() - make_interval(days => $2)
         ORDER BY last_seen_at DESC, created_at DESC LIMIT 100",
    )
    .bind(user)
    .bind(DEVICE_IDLE_DAYS as i32)
    .fetch_all(pool)
    .await
}

/// Ends one of `user`'s logins; its session is logged out on its next request. False when the
/// device is not one of theirs (or already ended).
pub async fn revoke(pool: &PgPool, user: Uuid, device: Uuid) -> Result<bool, sqlx::Error> {
    let revoked = sqlx::query(
        "UPDATE account_devices SET revoked_at = app_now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(device)
    .bind(user)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(revoked == 1)
}

/// Ends every login of `user` except `keep` (all of them when `keep` is `None`).
pub async fn revoke_others(conn: &mut PgConnection, user: Uuid, keep: Option<Uuid>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE account_devices SET revoked_at = app_now()
         WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2",
    )
    .bind(user)
    .bind(keep)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Forgets a login that logged out.
pub async fn remove(pool: &PgPool, device: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_devices WHERE id = $1").bind(device).execute(pool).await?;
    Ok(())
}

/// Stores a new password hash and ends every other login (all of them when `keep` is `None`), with
/// every reset link still outstanding. Sessions are also bound to the hash (`SessionUser`), so
/// even a session this misses cannot survive the change.
pub async fn set_password(pool: &PgPool, user: Uuid, hash: &str, keep: Option<Uuid>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    set_password_in(&mut tx, user, hash, keep).await?;
    tx.commit().await
}

async fn set_password_in(
    conn: &mut PgConnection,
    user: Uuid,
    hash: &str,
    keep: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user).execute(&mut *conn).await?;
    sqlx::query("UPDATE password_resets SET used_at = app_now() WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    revoke_others(conn, user, keep).await?;
    Ok(())
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Mails a reset link to the account registered with `email`, if there is one; for an address
/// nobody has, nothing is sent (the caller answers the same either way). The link's token is 32
/// random bytes, of which only a hash is stored; the mail goes out in the transaction that stores
/// it, so a link exists only if its mail was accepted.
pub async fn send_reset_link(
    pool: &PgPool,
    transport: &impl MailTransport,
    email: &Email,
    base_url: &str,
) -> Result<bool, crate::error::AppError> {
    let mut tx = pool.begin().await?;
    let account: Option<(Uuid, String)> = sqlx::query_as("SELECT id, email FROM users WHERE lower(email) = $1")
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let Some((user, address)) = account else { return Ok(false) };
    let mut random = [0u8; RESET_TOKEN_BYTES];
    getrandom::fill(&mut random).map_err(crate::error::internal)?;
    let token = hex::encode(random);
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, app_now() + make_interval(secs => $3))",
    )
    .bind(user)
    .bind(token_hash(&token))
    .bind(RESET_LINK_LIFETIME_SECS as f64)
    .execute(&mut *tx)
    .await?;
    let link = format!("{base_url}/reset-password?token={token}");
    let mail = compose_password_reset(&address, &link, RESET_LINK_LIFETIME_SECS / 60);
    if let Err(error) = transport.send(&mut tx, &mail).await {
        tracing::warn!(%error, transport = transport.name(), "the mail transport did not take a reset link");
        return Err(crate::error::AppError::Internal);
    }
    tx.commit().await?;
    Ok(true)
}

/// Whether `token` is a reset link that still works (unused, not expired), without using it: asked
/// before the new password is hashed, so a bad link costs no hashing.
pub async fn reset_link_works(pool: &PgPool, token: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > app_now())",
    )
    .bind(token_hash(token))
    .fetch_one(pool)
    .await
}

/// Uses the reset link `token` to set the password hash `hash`, ending every login of the account.
/// Returns the account, or `None` when the link was used, is too old, or never existed; the link's
/// row is locked, so two uses at once cannot both succeed.
pub async fn reset_with_link(pool: &PgPool, token: &str, hash: &str) -> Result<Option<Uuid>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let user: Option<Uuid> = sqlx::query_scalar(
        "UPDATE password_resets SET used_at = app_now()
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > app_now() RETURNING user_id",
    )
    .bind(token_hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else { return Ok(None) };
    set_password_in(&mut tx, user, hash, None).await?;
    tx.commit().await?;
    Ok(Some(user))
}
