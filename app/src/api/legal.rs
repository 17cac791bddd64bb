//! Consent to the legal documents (`domain::legal`), and the help centre's contact form with the
//! admins' queue and replies (`domain::support`).

use crate::{
    error::AppError,
    views::legal::{ConsentStatus, HelpDesk, SupportQueue},
};
use leptos::prelude::*;

/// The session key holding that a contact message was just filed, until the help page shows it.
#[cfg(feature = "ssr")]
const SENT_TO_SHOW: &str = "support_sent";

/// Which documents the caller still has to accept (empty: nothing is due).
#[server(name = ConsentStatusFn, endpoint = "legal/consent/status")]
pub async fn consent_status() -> Result<ConsentStatus, AppError> {
    use crate::{api::access::authorize_user, db, domain::legal::consent_due, state::app_state};
    let user = authorize_user::<ConsentStatusFn>().await?;
    let accepted = db::legal::accepted(&app_state()?.pool, user.id).await?;
    Ok(ConsentStatus { due: consent_due(&accepted), accepted_before: !accepted.is_empty() })
}

/// The caller accepts the current versions of the terms and the privacy policy (the box `agree`
/// must be ticked), then goes on to `next` (a path on this site) or the hall.
#[server(name = AcceptConsentFn, endpoint = "legal/consent")]
pub async fn accept_consent(
    #[server(default)] agree: Option<String>,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            legal::Document,
            validation::{local_location, Field, FieldError, Problem},
        },
        state::app_state,
    };
    let user = authorize_user::<AcceptConsentFn>().await?;
    if agree.as_deref().is_none_or(str::is_empty) {
        return Err(AppError::field(FieldError::new(Field::Consent, Problem::Required)));
    }
    let mut conn = app_state()?.pool.acquire().await?;
    db::legal::accept(&mut conn, user.id, &Document::CONSENTED).await?;
    leptos_axum::redirect(&local_location(next.as_deref().unwrap_or("/")));
    Ok(())
}

/// The help centre's contact form, for visitors and signed-in users alike. Limited per account
/// (or, for a visitor, per address) with the other form limiters.
#[server(name = ContactSupportFn, endpoint = "help/contact")]
pub async fn contact_support(
    topic: String,
    message: String,
    #[server(default)] email: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize, client_ip, show_once},
        db,
        domain::support::ContactForm,
        state::app_state,
    };
    let user = authorize::<ContactSupportFn>().await?;
    let contact = ContactForm { topic, message, email }
        .validate(user.is_some())
        .map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    let address = client_ip().await;
    let admitted = match &user {
        Some(user) => {
            crate::rate_limit::AttemptLimiter::SUPPORT_MESSAGES
                .admit(&state.pool, &user.id.to_string(), address)
                .await?
        }
        None => crate::rate_limit::AttemptLimiter::SUPPORT_MESSAGES.admit_address(&state.pool, address).await?,
    };
    if !admitted {
        return Err(AppError::RateLimited);
    }
    db::support::file(&state.pool, user.map(|u| u.id), &contact).await?;
    show_once(SENT_TO_SHOW, &true).await
}

/// The caller's own messages with their replies (none for a visitor), and whether one was just sent.
#[server(name = MySupportRequestsFn, endpoint = "help/mine")]
pub async fn my_support_requests() -> Result<HelpDesk, AppError> {
    use crate::{
        api::access::{authorize, take_shown_once},
        db,
        state::app_state,
    };
    let user = authorize::<MySupportRequestsFn>().await?;
    let just_sent = take_shown_once::<bool>(SENT_TO_SHOW).await?.unwrap_or(false);
    let mine = match &user {
        Some(user) => db::support::mine(&app_state()?.pool, user.id).await?,
        None => Vec::new(),
    };
    Ok(HelpDesk { signed_in: user.is_some(), mine, just_sent })
}

#[server(name = SupportQueueFn, endpoint = "admin/support")]
pub async fn support_queue() -> Result<SupportQueue, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    authorize_user::<SupportQueueFn>().await?;
    Ok(db::support::queue(&app_state()?.pool).await?)
}

/// An admin answers a contact message once; a signed-in sender gets the reply as a notice.
#[server(name = ReplySupportFn, endpoint = "admin/support/reply")]
pub async fn reply_support(id: i64, reply: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::support::parse_reply, state::app_state};
    let admin = authorize_user::<ReplySupportFn>().await?;
    let reply = parse_reply(&reply).map_err(AppError::field)?;
    db::support::reply(&app_state()?.pool, admin.id, id, &reply).await
}
