//! The TOTP second factor: enrolling it on `/security`, switching it off, and the second step of
//! logging in (`/login/2fa`). Admin functions refuse a session that has not proven one
//! (`api::access::check_access`).

#[cfg(feature = "ssr")]
use crate::views::second_factor::{TotpOutcome, TotpState};
use crate::{error::AppError, views::second_factor::TotpStatus};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const OUTCOME_TO_SHOW: &str = "totp_outcome";

#[cfg(feature = "ssr")]
fn code_problem(problem: crate::domain::validation::Problem) -> AppError {
    use crate::domain::validation::{Field, FieldError};
    AppError::field(FieldError::new(Field::Code, problem))
}

/// Checks a code typed for `user`'s second factor: the app's current code (once per time step) or
/// an unused recovery code (used up by this). Wrong codes cost login attempts, like wrong passwords
/// (the login limiter's account bucket, keyed by the user id; right ones give theirs back).
#[cfg(feature = "ssr")]
async fn verify_code(user: uuid::Uuid, typed: &str) -> Result<(), AppError> {
    use crate::{
        api::access::client_ip,
        db,
        domain::{
            second_factor::{parse_typed_code, TypedCode},
            validation::Problem,
        },
        second_factor::{accept_code, unix_now},
        state::app_state,
    };
    let typed = parse_typed_code(typed).map_err(code_problem)?;
    let state = app_state()?;
    let account = user.to_string();
    if !crate::rate_limit::AttemptLimiter::LOGINS.admit_attempt(&state.pool, &account, client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    let Some(factor) = db::second_factor::factor_of(&state.pool, user).await? else {
        return Err(code_problem(Problem::WrongSecondFactorCode));
    };
    let accepted = match typed {
        TypedCode::Totp(code) => {
            let last_used = factor.last_used_step.map(|step| step as u64);
            match accept_code(&factor.totp_secret, &code, unix_now(), last_used) {
                Some(step) => db::second_factor::use_step(&state.pool, user, step).await?,
                None => false,
            }
        }
        TypedCode::Recovery(code) => db::second_factor::use_recovery_code(&state.pool, user, &code).await?,
    };
    if accepted {
        crate::rate_limit::AttemptLimiter::LOGINS.succeeded(&state.pool, &account).await?;
        Ok(())
    } else {
        Err(code_problem(Problem::WrongSecondFactorCode))
    }
}

/// Called by every way of logging in once its first factor is right. With a second factor on,
/// the login waits in the session (whose id is renewed) for five minutes, the browser goes to
/// `/login/2fa`, and true is returned: the caller must not start the session.
#[cfg(feature = "ssr")]
pub async fn defer_to_second_step(auth: &mut crate::auth::AuthSession, user: uuid::Uuid) -> Result<bool, AppError> {
    use crate::{db, error::internal, second_factor::set_pending_login, state::app_state};
    if !db::second_factor::is_enabled(&app_state()?.pool, user).await? {
        return Ok(false);
    }
    auth.session.cycle_id().await.map_err(internal)?;
    set_pending_login(&auth.session, user).await.map_err(internal)?;
    leptos_axum::redirect("/login/2fa");
    Ok(true)
}

/// The second step of logging in: a code from the app, or a recovery code, for the login waiting
/// in this session. Only now does the session start, marked as having passed a second factor.
#[server(name = LoginSecondStepFn, endpoint = "login/second_factor")]
pub async fn login_second_step(code: String) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize, client_ip},
        auth::start_session,
        db,
        domain::{second_factor::pending_login_alive, validation::Problem},
        error::internal,
        second_factor::{end_pending_login, mark_passed, pending_login, unix_now},
        state::app_state,
    };
    use axum_login::AuthnBackend;
    authorize::<LoginSecondStepFn>().await?;
    let mut auth = auth_session().await?;
    let pending = pending_login(&auth.session).await.map_err(internal)?;
    let Some(pending) = pending.filter(|p| pending_login_alive(p.since, unix_now() as i64)) else {
        return Err(code_problem(Problem::SecondStepExpired));
    };
    verify_code(pending.user, &code).await?;
    end_pending_login(&auth.session).await.map_err(internal)?;
    let user = auth.backend.get_user(&pending.user).await.map_err(internal)?.ok_or(AppError::Internal)?;
    start_session(&mut auth, &user).await?;
    mark_passed(&auth.session, user.id).await.map_err(internal)?;
    db::abuse::record_address(&app_state()?.pool, user.id, client_ip().await).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The security page's authenticator section, with what just happened (shown once).
#[server(name = TotpStatusFn, endpoint = "security/totp")]
pub async fn totp_status() -> Result<TotpStatus, AppError> {
    use crate::{
        api::access::{auth_session, authorize_user, take_shown_once},
        db,
        error::internal,
        second_factor::{enrolment, otpauth_url, qr_svg},
        state::app_state,
    };
    let user = authorize_user::<TotpStatusFn>().await?;
    let pool = &app_state()?.pool;
    let outcome = take_shown_once(OUTCOME_TO_SHOW).await?;
    let state = if db::second_factor::is_enabled(pool, user.id).await? {
        TotpState::On { recovery_codes_left: db::second_factor::recovery_codes_left(pool, user.id).await? }
    } else if let Some(secret) = enrolment(&auth_session().await?.session).await.map_err(internal)? {
        let email = db::second_factor::email_of(pool, user.id).await?;
        let qr_svg = otpauth_url(&secret, &email).and_then(|url| qr_svg(&url)).ok_or(AppError::Internal)?;
        TotpState::Enrolling { secret, qr_svg }
    } else {
        TotpState::Off
    };
    Ok(TotpStatus { state, outcome })
}

/// Makes a new secret for the app to scan; it waits in the session until a code confirms it.
#[server(name = StartTotpFn, endpoint = "security/totp/start")]
pub async fn start_totp() -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize_user},
        db,
        error::internal,
        second_factor::{new_secret, set_enrolment},
        state::app_state,
    };
    let user = authorize_user::<StartTotpFn>().await?;
    if !db::second_factor::is_enabled(&app_state()?.pool, user.id).await? {
        let secret = new_secret().map_err(internal)?;
        set_enrolment(&auth_session().await?.session, &secret).await.map_err(internal)?;
    }
    leptos_axum::redirect("/security#totp");
    Ok(())
}

/// Switches the factor on once a code from the app proves it holds the secret. The recovery codes
/// are shown once; this session counts as having passed a second factor.
#[server(name = ConfirmTotpFn, endpoint = "security/totp/confirm")]
pub async fn confirm_totp(code: String) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize_user, show_once},
        db,
        domain::{
            second_factor::{display_recovery_code, parse_typed_code, TypedCode},
            validation::Problem,
        },
        error::internal,
        second_factor::{accept_code, end_enrolment, enrolment, mark_passed, new_recovery_codes, unix_now},
        state::app_state,
    };
    let user = authorize_user::<ConfirmTotpFn>().await?;
    let Ok(TypedCode::Totp(code)) = parse_typed_code(&code) else {
        return Err(code_problem(Problem::InvalidCode));
    };
    let session = auth_session().await?.session;
    let Some(secret) = enrolment(&session).await.map_err(internal)? else {
        return Err(code_problem(Problem::SecondStepExpired));
    };
    // No attempt limit here: whoever holds this session already sees the secret.
    let Some(step) = accept_code(&secret, &code, unix_now(), None) else {
        return Err(code_problem(Problem::WrongSecondFactorCode));
    };
    let recovery = new_recovery_codes().map_err(internal)?;
    let enabled = db::second_factor::enable(&app_state()?.pool, user.id, &secret, step, &recovery).await?;
    end_enrolment(&session).await.map_err(internal)?;
    // Another session switched a factor on first: this secret is not the account's, so a code from
    // it proves nothing (else a session opened with a stolen password before the owner enrolled
    // could pass as verified with a secret of its own making).
    if enabled {
        let recovery_codes = recovery.iter().map(|r| display_recovery_code(&r.code)).collect();
        show_once(OUTCOME_TO_SHOW, &TotpOutcome::Enabled { recovery_codes }).await?;
        mark_passed(&session, user.id).await.map_err(internal)?;
    }
    leptos_axum::redirect("/security#totp");
    Ok(())
}

/// Switches the factor off, once the password and a current code (or a recovery code) are given.
/// An admin's session stops counting as verified at once.
#[server(name = DisableTotpFn, endpoint = "security/totp/disable")]
pub async fn disable_totp(
    #[server(default)] password: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize_user, show_once},
        auth::confirm_password,
        db,
        error::internal,
        second_factor::forget_passed,
        state::app_state,
    };
    let user = authorize_user::<DisableTotpFn>().await?;
    confirm_password(user.id, password).await?;
    verify_code(user.id, &code).await?;
    db::second_factor::disable(&app_state()?.pool, user.id).await?;
    forget_passed(&auth_session().await?.session).await.map_err(internal)?;
    show_once(OUTCOME_TO_SHOW, &TotpOutcome::Disabled).await?;
    leptos_axum::redirect("/security#totp");
    Ok(())
}
