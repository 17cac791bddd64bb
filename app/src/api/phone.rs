//! Mobile numbers: bind one to the account with an SMS code, then log in with a code instead of a
//! password (the rules are in `domain::phone`, the storage in `db::phone`).

#[cfg(feature = "ssr")]
use crate::views::phone::PhoneChange;
use crate::{
    domain::phone::CodePurpose,
    error::AppError,
    views::phone::{CodeSent, SandboxMessage},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) fn parse_phone(phone: &str) -> Result<crate::domain::phone::PhoneNumber, AppError> {
    use crate::domain::validation::{Field, FieldError};
    crate::domain::phone::PhoneNumber::parse(phone)
        .map_err(|problem| AppError::field(FieldError::new(Field::Phone, problem)))
}

#[cfg(feature = "ssr")]
pub(crate) fn parse_code(code: &str) -> Result<String, AppError> {
    use crate::domain::validation::{Field, FieldError};
    crate::domain::phone::normalise_code(code).map_err(|problem| AppError::field(FieldError::new(Field::Code, problem)))
}

/// Texts a code to `phone`: a login code (anyone may ask), or a binding code for the logged-in
/// account. Sends the browser on to the page's second step, where the code is typed.
#[server(name = SendPhoneCodeFn, endpoint = "phone/send")]
pub async fn send_phone_code(phone: String, purpose: CodePurpose) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize, client_ip},
        db,
        state::app_state,
    };
    let user = authorize::<SendPhoneCodeFn>().await?;
    if purpose == CodePurpose::Bind && user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let phone = parse_phone(&phone)?;
    let state = app_state()?;
    if !crate::rate_limit::AttemptLimiter::SMS_CODES.admit(&state.pool, phone.e164(), client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    db::phone::send_code(&state.pool, state.sms.as_ref(), &phone, purpose, user.map(|u| u.id)).await?;
    leptos_axum::redirect(&match purpose {
        CodePurpose::Login => format!("/login?by=phone&phone={}", phone.national()),
        CodePurpose::Bind => format!("/profile?phone={}#phone", phone.national()),
        CodePurpose::Reset => format!("/reset-password?by=phone&phone={}", phone.national()),
    });
    Ok(())
}

/// What the code step shows for `phone` (a number that does not parse has no such step).
#[server(name = CodeSentFn, endpoint = "phone/sent")]
pub async fn code_sent(phone: String, purpose: CodePurpose) -> Result<CodeSent, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<CodeSentFn>().await?;
    let phone = parse_phone(&phone)?;
    let state = app_state()?;
    Ok(CodeSent {
        national: phone.national().to_string(),
        masked: phone.masked(),
        resend_in: db::phone::resend_wait(&state.pool, &phone, purpose).await?,
        sandbox: state.is_demo() && state.sms.has_sandbox_inbox(),
    })
}

/// Logs in the account `phone` is bound to, with the code just sent to it. The session id is
/// renewed as for a password login.
#[server(name = LoginWithCodeFn, endpoint = "login/phone")]
pub async fn login_with_code(phone: String, code: String) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize, client_ip},
        auth::start_session,
        db,
        error::internal,
        state::app_state,
    };
    use axum_login::AuthnBackend;
    authorize::<LoginWithCodeFn>().await?;
    let phone = parse_phone(&phone)?;
    let code = parse_code(&code)?;
    let state = app_state()?;
    // Each code counts its own wrong tries (`domain::phone::MAX_FAILED_ATTEMPTS`); the address
    // pays a login attempt for each.
    if !crate::rate_limit::AttemptLimiter::LOGINS.admit_address(&state.pool, client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    let account = db::phone::redeem(&state.pool, &phone, CodePurpose::Login, &code, None).await?;
    let mut auth = auth_session().await?;
    let user = auth.backend.get_user(&account).await.map_err(internal)?.ok_or(AppError::Internal)?;
    if crate::api::second_factor::defer_to_second_step(&mut auth, user.id).await? {
        return Ok(());
    }
    start_session(&mut auth, &user).await?;
    db::abuse::record_address(&state.pool, user.id, client_ip().await).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The session key saying what just happened to the number, until the profile page shows it.
#[cfg(feature = "ssr")]
pub const CHANGE_TO_SHOW: &str = "phone_changed";

/// Binds `phone` to the logged-in account with the code just sent to it (replacing a number
/// bound before), once the account's password is given again.
#[server(name = BindPhoneFn, endpoint = "profile/phone")]
pub async fn bind_phone(phone: String, code: String, #[server(default)] password: String) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize_user, show_once},
        db,
        state::app_state,
    };
    let user = authorize_user::<BindPhoneFn>().await?;
    let phone = parse_phone(&phone)?;
    let code = parse_code(&code)?;
    crate::auth::confirm_password(user.id, password).await?;
    db::phone::redeem(&app_state()?.pool, &phone, CodePurpose::Bind, &code, Some(user.id)).await?;
    show_once(CHANGE_TO_SHOW, &PhoneChange::Bound).await?;
    leptos_axum::redirect("/profile#phone");
    Ok(())
}

/// Takes the number off the logged-in account (logging in by SMS code stops), once the
/// account's password is given again.
#[server(name = UnbindPhoneFn, endpoint = "profile/phone/unbind")]
pub async fn unbind_phone(#[server(default)] password: String) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize_user, show_once},
        db,
        state::app_state,
    };
    let user = authorize_user::<UnbindPhoneFn>().await?;
    crate::auth::confirm_password(user.id, password).await?;
    db::phone::unbind(&app_state()?.pool, user.id).await?;
    show_once(CHANGE_TO_SHOW, &PhoneChange::Unbound).await?;
    leptos_axum::redirect("/profile#phone");
    Ok(())
}

/// The sandbox phone: what the demo's SMS gateway sent to `phone` in the last day. Only while the
/// local gateway is in use; with a real one there is nothing here to read.
#[server(name = SandboxSmsFn, endpoint = "sandbox/sms")]
pub async fn sandbox_sms(phone: String) -> Result<(String, Vec<SandboxMessage>), AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<SandboxSmsFn>().await?;
    let state = app_state()?;
    if !state.is_demo() || !state.sms.has_sandbox_inbox() {
        return Err(AppError::NotFound);
    }
    let phone = parse_phone(&phone)?;
    Ok((phone.masked(), db::phone::sandbox_inbox(&state.pool, &phone).await?))
}
