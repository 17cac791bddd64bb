//! Login sessions (server only): axum-login over tower-sessions, with users in PostgreSQL and
//! passwords hashed by argon2id (password-auth's defaults: m=19 MiB, t=2, p=1, OWASP's minimum).

use crate::domain::account::{Email, Role};
use axum_login::{AuthUser, AuthnBackend, UserId};
use sqlx::PgPool;
use std::sync::LazyLock;
use uuid::Uuid;

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The logged-in user as the session knows it.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub id: Uuid,
    pub display_name: String,
    pub role: Role,
    password_hash: String,
}

impl AuthUser for SessionUser {
    type Id = Uuid;

    fn id(&self) -> Uuid {
        self.id
    }

    /// Sessions are bound to the password hash: changing the password ends every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

pub struct Credentials {
    pub email: Email,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Hashing(#[from] tokio::task::JoinError),
}

#[derive(Clone)]
pub struct Backend {
    pool: PgPool,
}

impl Backend {
    pub fn new(pool: PgPool) -> Self {
        Backend { pool }
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    display_name: String,
    role: String,
    password_hash: String,
}

impl UserRow {
    fn into_session_user(self) -> Option<SessionUser> {
        Some(SessionUser {
            id: self.id,
            display_name: self.display_name,
            role: Role::parse(&self.role)?,
            password_hash: self.password_hash,
        })
    }
}

/// Verified against when the email is unknown, so a wrong email costs as long as a wrong password and
/// response times do not reveal which accounts exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| password_auth::generate_hash("codelink-timing-equaliser"));

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, AuthError> {
        let row: Option<UserRow> =
            sqlx::query_as("SELECT id, display_name, role, password_hash FROM users WHERE lower(email) = $1")
                .bind(creds.email.as_str())
                .fetch_optional(&self.pool)
                .await?;
        let hash = row.as_ref().map_or_else(|| DUMMY_HASH.clone(), |r| r.password_hash.clone());
        let matches = verify_off_workers(creds.password, hash).await?;
        Ok(row.filter(|_| matches).and_then(UserRow::into_session_user))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, AuthError> {
        let row: Option<UserRow> =
            sqlx::query_as("SELECT id, display_name, role, password_hash FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(UserRow::into_session_user))
    }
}

/// Whether `password` is the account's current one (asked again before a sensitive change, such
/// as binding the number that can log in by SMS). Verified off the async workers.
pub async fn password_matches(pool: &PgPool, user: Uuid, password: String) -> Result<bool, AuthError> {
    let hash: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user).fetch_optional(pool).await?;
    let Some(hash) = hash else { return Ok(false) };
    verify_off_workers(password, hash).await
}

/// Checks a password against its argon2 hash. That takes tens of milliseconds of CPU: keep it off
/// the async workers.
async fn verify_off_workers(password: String, hash: String) -> Result<bool, AuthError> {
    Ok(tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok()).await?)
}

/// Hashes a new password off the async workers.
pub async fn hash_password(password: String) -> Result<String, AuthError> {
    Ok(tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?)
}

/// Logs the user in under a fresh session id, so an id planted before login is worthless.
pub async fn start_session(auth: &mut AuthSession, user: &SessionUser) -> Result<(), crate::error::AppError> {
    use crate::api::access::internal;
    auth.session.cycle_id().await.map_err(internal)?;
    auth.login(user).await.map_err(internal)
}
