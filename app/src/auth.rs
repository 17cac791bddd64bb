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

/// The client's address, as the server resolved it once for this request (the peer, or what
/// trusted proxies forwarded: `domain::forwarded`). Without that middleware (a bench, a tool),
/// the connection's peer.
pub async fn client_ip() -> std::net::IpAddr {
    use crate::domain::forwarded::ClientAddress;
    if let Ok(axum::Extension(ClientAddress(address))) = leptos_axum::extract::<axum::Extension<ClientAddress>>().await
    {
        return address;
    }
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|info| info.0.ip())
        .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into())
}

/// Asks the account's password again: whoever holds a stolen session must not be able to add a
/// way back in (their own number) that outlives a password change. Every try spends a login
/// attempt of the address; only a wrong password spends one of the account.
pub async fn confirm_password(user: uuid::Uuid, password: String) -> Result<(), crate::error::AppError> {
    use crate::{
        domain::validation::{Field, FieldError, Problem},
        error::internal,
        error::AppError,
        state::app_state,
    };
    if password.is_empty() {
        return Err(AppError::field(FieldError::new(Field::Password, Problem::Required)));
    }
    let state = app_state()?;
    let account = user.to_string();
    if !crate::rate_limit::AttemptLimiter::LOGINS.admit_attempt(&state.pool, &account, client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    let too_long = password.chars().count() > crate::domain::account::PASSWORD_MAX_CHARS as usize;
    if too_long || !crate::auth::password_matches(&state.pool, user, password).await.map_err(internal)? {
        return Err(AppError::field(FieldError::new(Field::Password, Problem::WrongPassword)));
    }
    crate::rate_limit::AttemptLimiter::LOGINS.succeeded(&state.pool, &account).await?;
    Ok(())
}

/// The session key holding the login's device id (a row of `account_devices`).
pub const DEVICE_KEY: &str = "device";

/// Logs the user in under a fresh session id, so an id planted before login is worthless, and
/// records the login as a device of the account (announcing a device it never used before).
pub async fn start_session(auth: &mut AuthSession, user: &SessionUser) -> Result<(), crate::error::AppError> {
    use crate::{domain::account_security::stored_user_agent, error::internal, state::app_state};
    let replaces: Option<Uuid> = auth.session.get(DEVICE_KEY).await.map_err(internal)?;
    auth.session.cycle_id().await.map_err(internal)?;
    auth.login(user).await.map_err(internal)?;
    let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.map_err(internal)?;
    let agent = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(internal)?;
    let device = uuid::Builder::from_random_bytes(random).into_uuid();
    let address = client_ip().await.to_string();
    let pool = app_state()?.pool;
    crate::db::account_security::record_login(&pool, user.id, device, replaces, &stored_user_agent(agent), &address)
        .await?;
    auth.session.insert(DEVICE_KEY, device).await.map_err(internal)
}

/// Logs out and forgets the session's device: a copied cookie is dead, and the device leaves the list.
pub async fn end_session(auth: &mut AuthSession) -> Result<(), crate::error::AppError> {
    use crate::error::internal;
    if let Some(device) = auth.session.get::<Uuid>(DEVICE_KEY).await.map_err(internal)? {
        crate::db::account_security::remove(&crate::state::app_state()?.pool, device).await?;
    }
    auth.logout().await.map_err(internal)?;
    Ok(())
}

/// Middleware, inside the auth layer: a logged-in request whose session's device was revoked
/// ("log out this device", a password change elsewhere) or removed is logged out before anything
/// else sees it, and the request goes on anonymous. Its cost per request is one primary-key lookup
/// (`db::account_security::touch`; the session itself is already loaded), and a write at most once
/// a minute. A database failure refuses the request rather than let a revoked session through.
pub async fn end_revoked_sessions(
    axum::extract::State(pool): axum::extract::State<PgPool>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use crate::db::account_security::touch;
    use axum::response::IntoResponse;
    let signed_in = request.extensions().get::<AuthSession>().filter(|auth| auth.user.is_some()).cloned();
    if let Some(mut auth) = signed_in {
        let user = auth.user.as_ref().map(|u| u.id).unwrap_or_default();
        let live = match auth.session.get::<Uuid>(DEVICE_KEY).await {
            Ok(Some(device)) => touch(&pool, device, user).await.map_err(|e| e.to_string()),
            Ok(None) => Ok(false),
            Err(error) => Err(error.to_string()),
        };
        match live {
            Ok(true) => {}
            Ok(false) => {
                if let Err(error) = auth.logout().await {
                    tracing::error!(%error, "could not end a revoked session");
                    return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
                request.extensions_mut().insert(auth);
            }
            Err(error) => {
                tracing::error!(%error, "could not check the session's device");
                return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    next.run(request).await
}
