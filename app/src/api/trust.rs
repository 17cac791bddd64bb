//! Trust tools around the task flow: e-mail preferences for notifications, and the admin's view of
//! restrictions, farming flags and the local mail outbox.

use crate::{domain::notifications::NoticeKind, error::AppError, views::trust::TrustOverview};
use leptos::prelude::*;
use uuid::Uuid;

/// Every notification kind the user's role can receive (`NoticeKind::for_role`) and whether the
/// user also gets it by e-mail.
#[server(name = EmailPreferencesFn, endpoint = "notifications/email")]
pub async fn email_preferences() -> Result<Vec<(NoticeKind, bool)>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<EmailPreferencesFn>().await?;
    let chosen = db::email::preferences(&app_state()?.pool, user.id).await?;
    Ok(NoticeKind::for_role(user.role).into_iter().map(|kind| (kind, chosen.contains(&kind))).collect())
}

#[server(name = SetEmailPreferenceFn, endpoint = "notifications/email/set")]
pub async fn set_email_preference(kind: String, enabled: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SetEmailPreferenceFn>().await?;
    // A kind the role never receives is not offered, so it cannot be chosen either.
    let kind = NoticeKind::parse(&kind).filter(|kind| kind.reaches(user.role)).ok_or(AppError::NotFound)?;
    Ok(db::email::set_preference(&app_state()?.pool, user.id, kind, enabled).await?)
}

#[server(name = TrustOverviewFn, endpoint = "admin/trust")]
pub async fn trust_overview() -> Result<TrustOverview, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    authorize_user::<TrustOverviewFn>().await?;
    let pool = &app_state()?.pool;
    Ok(TrustOverview {
        restricted: db::credit::restricted_users(pool).await?,
        flags: db::abuse::open_flags(pool).await?,
        outbox: db::email::outbox(pool, 20).await?,
    })
}

#[server(name = LiftRestrictionFn, endpoint = "admin/restrictions/lift")]
pub async fn lift_restriction(user: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let admin = authorize_user::<LiftRestrictionFn>().await?;
    if db::credit::lift(&app_state()?.pool, admin.id, user).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Releases a flagged task's held rewards (`release`), or withholds them for good.
#[server(name = ResolveFlagFn, endpoint = "admin/flags/resolve")]
pub async fn resolve_flag(task: Uuid, release: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let admin = authorize_user::<ResolveFlagFn>().await?;
    db::growth::resolve_abuse_flag(&app_state()?.pool, admin.id, task, release).await
}
