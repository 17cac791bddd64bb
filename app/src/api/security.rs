//! Account security: change the password, reset a forgotten one by e-mailed link or SMS code, and
//! the devices the account is logged in on (`/security`, `/reset-password`). The rules are in
//! `domain::account_security`, the storage in `db::account_security`.

#[cfg(feature = "ssr")]
use crate::views::security::{Device, SecurityChange};
use crate::{error::AppError, views::security::SecurityOverview};
use leptos::prelude::*;
use uuid::Uuid;

/// The session key holding what the security page shows once.
#[cfg(feature = "ssr")]
const CHANGE_TO_SHOW: &str = "security_changed";

/// Keeps what changed for the page to say once, and sends the browser back to the section of
/// `/security` whose form it was.
#[cfg(feature = "ssr")]
async fn back_to_section(change: SecurityChange, section: &str) -> Result<(), AppError> {
    crate::api::access::show_once(CHANGE_TO_SHOW, &change).await?;
    leptos_axum::redirect(&format!("/security#{section}"));
    Ok(())
}

/// The logged-in session's device id.
#[cfg(feature = "ssr")]
async fn current_device() -> Result<Option<Uuid>, AppError> {
    use crate::{api::access::auth_session, error::internal};
    auth_session().await?.session.get(crate::auth::DEVICE_KEY).await.map_err(internal)
}

/// The security page's data: the account's active devices, and what the last form changed.
#[server(name = SecurityOverviewFn, endpoint = "security")]
pub async fn security_overview() -> Result<SecurityOverview, AppError> {
    use crate::{
        api::access::{authorize_user, take_shown_once},
        db,
        domain::account_security::device_summary,
        state::app_state,
    };
    let user = authorize_user::<SecurityOverviewFn>().await?;
    let current = current_device().await?;
    let rows = db::account_security::active(&app_state()?.pool, user.id).await?;
    let devices = rows
        .into_iter()
        .map(|row| Device {
            name: device_summary(&row.user_agent),
            current: Some(row.id) == current,
            id: row.id,
            address: row.address,
            signed_in_at: row.signed_in_at,
            last_seen_at: row.last_seen_at,
        })
        .collect();
    Ok(SecurityOverview { devices, change: take_shown_once(CHANGE_TO_SHOW).await? })
}

/// Changes the password once the current one is given. Every other login ends; this one is
/// re-established under the new password (sessions are bound to the password hash).
#[server(name = ChangePasswordFn, endpoint = "security/password")]
pub async fn change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize_user},
        auth::hash_password,
        db,
        domain::{
            account_security::check_new_password,
            validation::{Field, FieldError, Problem},
        },
        error::internal,
        state::app_state,
    };
    use axum_login::AuthnBackend;
    let user = authorize_user::<ChangePasswordFn>().await?;
    let mut fields = Vec::new();
    if current_password.is_empty() {
        fields.push(FieldError::new(Field::Password, Problem::Required));
    }
    fields.extend(check_new_password(&new_password).err());
    if !fields.is_empty() {
        return Err(AppError::Invalid { fields });
    }
    // Guessing the current password is a login attempt: only failures count against the account.
    crate::auth::confirm_password(user.id, current_password).await?;
    let state = app_state()?;
    let hash = hash_password(new_password).await.map_err(internal)?;
    let device = current_device().await?;
    db::account_security::set_password(&state.pool, user.id, &hash, device).await?;
    let mut auth = auth_session().await?;
    let renewed = auth.backend.get_user(&user.id).await.map_err(internal)?.ok_or(AppError::Internal)?;
    auth.login(&renewed).await.map_err(internal)?;
    back_to_section(SecurityChange::PasswordChanged, "password").await
}

/// Logs one of the account's devices out (its next request is anonymous). Choosing the device in
/// hand is logging out.
#[server(name = LogOutDeviceFn, endpoint = "security/devices/log_out")]
pub async fn log_out_device(device: Uuid) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize_user},
        db,
        state::app_state,
    };
    let user = authorize_user::<LogOutDeviceFn>().await?;
    if current_device().await? == Some(device) {
        crate::auth::end_session(&mut auth_session().await?).await?;
        leptos_axum::redirect("/login");
        return Ok(());
    }
    if !db::account_security::revoke(&app_state()?.pool, user.id, device).await? {
        return Err(AppError::NotFound);
    }
    back_to_section(SecurityChange::DeviceLoggedOut, "devices").await
}

/// Logs out every device of the account but this one.
#[server(name = LogOutOtherDevicesFn, endpoint = "security/devices/log_out_others")]
pub async fn log_out_other_devices() -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<LogOutOtherDevicesFn>().await?;
    let current = current_device().await?;
    let mut conn = app_state()?.pool.acquire().await?;
    let count = db::account_security::revoke_others(&mut conn, user.id, current).await?;
    back_to_section(SecurityChange::OthersLoggedOut { count: count as u32 }, "devices").await
}

/// Mails a reset link to the account with this address. The answer is the same whether or not an
/// account has it, and comes before any lookup: the lookup and the mail happen after the answer,
/// so neither its words nor its timing tell who is registered.
#[server(name = RequestPasswordResetFn, endpoint = "password_reset/email")]
pub async fn request_password_reset(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize, client_ip},
        domain::account::Email,
        mail::LocalOutbox,
        state::{app_state, public_url},
    };
    authorize::<RequestPasswordResetFn>().await?;
    let email = Email::parse(&email).map_err(AppError::field)?;
    let state = app_state()?;
    if !crate::rate_limit::AttemptLimiter::PASSWORD_RESETS.admit(&state.pool, email.as_str(), client_ip().await).await?
    {
        return Err(AppError::RateLimited);
    }
    let pool = state.pool.clone();
    tokio::spawn(async move {
        if let Err(error) =
            crate::db::account_security::send_reset_link(&pool, &LocalOutbox, &email, &public_url()).await
        {
            tracing::warn!(?error, "could not send a password-reset link");
        }
    });
    leptos_axum::redirect("/reset-password?sent=email");
    Ok(())
}

/// What both ways of resetting check before their proof (a link or an SMS code) is looked at: the
/// new password's rules, then one attempt of the client address. A link's token is 256 random bits
/// and each code counts its own wrong tries (`domain::phone`), so guessing is hopeless; the address
/// pays anyway, since each proof that works costs an argon2 run.
#[cfg(feature = "ssr")]
async fn admit_reset(new_password: &str) -> Result<crate::state::AppState, AppError> {
    use crate::{api::access::client_ip, domain::account_security::check_new_password, state::app_state};
    check_new_password(new_password).map_err(AppError::field)?;
    let state = app_state()?;
    if !crate::rate_limit::AttemptLimiter::LOGINS.admit_address(&state.pool, client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    Ok(state)
}

/// Sets a new password with the token of an e-mailed reset link; the link then stops working, as
/// do every other link and every login of the account.
#[server(name = ResetPasswordWithLinkFn, endpoint = "password_reset/link")]
pub async fn reset_password_with_link(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    use crate::{
        api::access::authorize,
        auth::hash_password,
        db,
        domain::{
            account_security::is_reset_token,
            validation::{Field, FieldError, Problem},
        },
        error::internal,
    };
    authorize::<ResetPasswordWithLinkFn>().await?;
    let dead_link = || AppError::field(FieldError::new(Field::Token, Problem::ResetLinkInvalid));
    let token = token.trim().to_ascii_lowercase();
    if !is_reset_token(&token) {
        return Err(dead_link());
    }
    let state = admit_reset(&new_password).await?;
    if !db::account_security::reset_link_works(&state.pool, &token).await? {
        return Err(dead_link());
    }
    let hash = hash_password(new_password).await.map_err(internal)?;
    db::account_security::reset_with_link(&state.pool, &token, &hash).await?.ok_or_else(dead_link)?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}

/// Sets a new password with the SMS code just sent to the account's bound number (asked for
/// through `phone/send` with the `reset` purpose). Every login of the account ends.
#[server(name = ResetPasswordWithCodeFn, endpoint = "password_reset/code")]
pub async fn reset_password_with_code(
    #[server(default)] phone: String,
    #[server(default)] code: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    use crate::{
        api::{
            access::authorize,
            phone::{parse_code, parse_phone},
        },
        auth::hash_password,
        db,
        domain::phone::CodePurpose,
        error::internal,
    };
    authorize::<ResetPasswordWithCodeFn>().await?;
    let phone = parse_phone(&phone)?;
    let code = parse_code(&code)?;
    let state = admit_reset(&new_password).await?;
    let account = db::phone::redeem(&state.pool, &phone, CodePurpose::Reset, &code, None).await?;
    let hash = hash_password(new_password).await.map_err(internal)?;
    db::account_security::set_password(&state.pool, account, &hash, None).await?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}
