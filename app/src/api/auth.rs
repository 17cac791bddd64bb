//! Register, log in, log out, and who is logged in.

use crate::{error::AppError, views::auth::CurrentUser};
use leptos::prelude::*;

#[server(name = CurrentUserFn, endpoint = "current_user")]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let user = crate::api::access::authorize::<CurrentUserFn>().await?;
    Ok(user.map(|u| CurrentUser { display_name: u.display_name, role: u.role }))
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize, client_ip},
        auth::{start_session, Credentials},
        domain::{
            account::{Email, PASSWORD_MAX_CHARS},
            validation::{Field, FieldError, Problem},
        },
        error::internal,
        state::app_state,
    };
    authorize::<Login>().await?;
    let state = app_state()?;
    let email = Email::parse(&email).map_err(AppError::field)?;
    if password.is_empty() {
        return Err(AppError::field(FieldError::new(Field::Password, Problem::Required)));
    }
    // Every attempt spends the address's bucket; only a failure spends the account's.
    if !crate::rate_limit::AttemptLimiter::LOGINS.admit_attempt(&state.pool, email.as_str(), client_ip().await).await? {
        return Err(AppError::RateLimited);
    }
    // No stored password is this long, so do not spend an argon2 run proving it.
    if password.chars().count() > PASSWORD_MAX_CHARS as usize {
        return Err(AppError::WrongCredentials);
    }
    let mut auth = auth_session().await?;
    let user = auth
        .authenticate(Credentials { email: email.clone(), password })
        .await
        .map_err(internal)?
        .ok_or(AppError::WrongCredentials)?;
    crate::rate_limit::AttemptLimiter::LOGINS.succeeded(&state.pool, email.as_str()).await?;
    if crate::api::second_factor::defer_to_second_step(&mut auth, user.id).await? {
        return Ok(());
    }
    start_session(&mut auth, &user).await?;
    crate::db::abuse::record_address(&state.pool, user.id, client_ip().await).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The session key holding the answer to the registration challenge last shown.
#[cfg(feature = "ssr")]
const CHALLENGE_ANSWER: &str = "registration_challenge";

/// The question the register form must show, when this address has signed up several accounts
/// within the hour (`RecentRegistrations::FREE_PER_HOUR`); its answer waits in the session.
#[server(name = RegistrationChallengeFn, endpoint = "register/challenge")]
pub async fn registration_challenge() -> Result<Option<String>, AppError> {
    use crate::{
        api::access::{auth_session, authorize, client_ip},
        error::internal,
        state::app_state,
    };
    authorize::<RegistrationChallengeFn>().await?;
    if !crate::rate_limit::RecentRegistrations::challenge_due(&app_state()?.pool, client_ip().await).await? {
        return Ok(None);
    }
    let mut seed = [0u8; 2];
    getrandom::fill(&mut seed).map_err(internal)?;
    let (a, b) = (seed[0] % 40 + 10, seed[1] % 9 + 1);
    auth_session().await?.session.insert(CHALLENGE_ANSWER, a + b).await.map_err(internal)?;
    Ok(Some(format!("{a} + {b} = ?")))
}

#[server(endpoint = "register")]
pub async fn register(
    email: String,
    password: String,
    display_name: String,
    role: String,
    merchant_kind: Option<String>,
    #[server(default)] invite: Option<String>,
    #[server(default)] challenge: Option<String>,
    #[server(default)] consent: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        api::access::{auth_session, authorize, client_ip},
        auth::{hash_password, start_session, Credentials},
        db::users::{self, InsertUserError},
        domain::{
            account::RegistrationForm,
            validation::{Field, FieldError, Problem},
        },
        error::internal,
        state::app_state,
    };
    authorize::<Register>().await?;
    // The consent box posts "on" when ticked and nothing when not.
    let consent = consent.is_some_and(|value| !value.is_empty());
    let form = RegistrationForm { email, password, display_name, role, merchant_kind, invite, consent };
    let account = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    let address = client_ip().await;
    if crate::rate_limit::RecentRegistrations::challenge_due(&state.pool, address).await? {
        // Each answer is good once: taken out of the session whether right or wrong.
        let session = auth_session().await?.session;
        let expected: Option<u8> = session.remove(CHALLENGE_ANSWER).await.map_err(internal)?;
        let given = challenge.as_deref().map(str::trim).unwrap_or_default();
        let problem = match (expected, given) {
            (_, "") => Some(Problem::Required),
            (Some(answer), given) if given.parse::<u8>().ok() == Some(answer) => None,
            _ => Some(Problem::WrongAnswer),
        };
        if let Some(problem) = problem {
            return Err(AppError::field(FieldError::new(Field::Challenge, problem)));
        }
    }
    if !crate::rate_limit::AttemptLimiter::REGISTRATIONS.admit(&state.pool, account.email.as_str(), address).await? {
        return Err(AppError::RateLimited);
    }
    let hash = hash_password(account.password.clone()).await.map_err(internal)?;
    match users::insert(&state.pool, &account, &hash).await {
        Ok(_) => {}
        Err(InsertUserError::EmailTaken) => {
            return Err(AppError::field(FieldError::new(Field::Email, Problem::EmailTaken)))
        }
        Err(InsertUserError::Database(e)) => return Err(e.into()),
        Err(InsertUserError::Growth(e)) => return Err(e),
    }
    let mut auth = auth_session().await?;
    let user = auth
        .authenticate(Credentials { email: account.email, password: account.password })
        .await
        .map_err(internal)?
        .ok_or(AppError::Internal)?;
    start_session(&mut auth, &user).await?;
    crate::rate_limit::RecentRegistrations::record(&state.pool, address).await?;
    crate::db::abuse::record_address(&state.pool, user.id, address).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::api::access::auth_session;
    crate::api::access::authorize_user::<Logout>().await?;
    let mut auth = auth_session().await?;
    // Deletes the session row (and the device's), not only the cookie: a copied cookie is dead after logout.
    crate::auth::end_session(&mut auth).await?;
    leptos_axum::redirect("/");
    Ok(())
}
