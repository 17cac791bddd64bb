//! Moderation: the admins' queue of tasks waiting for review and of users' reports, the actions on
//! them (approve, reject with a reason, hide, restore, suspend), the block list, and the report
//! button every signed-in user has.

use crate::{error::AppError, views::moderation::ModerationQueue};
use leptos::prelude::*;
use uuid::Uuid;

#[server(name = ModerationQueueFn, endpoint = "admin/moderation")]
pub async fn moderation_queue() -> Result<ModerationQueue, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<ModerationQueueFn>().await?;
    Ok(db::moderation::queue(&app_state()?.pool).await?)
}

/// `action` is "approve", "reject", "hide" or "restore"; rejecting and hiding need a reason, which
/// the merchant is shown.
#[server(name = ModerateTaskFn, endpoint = "admin/moderation/task")]
pub async fn moderate_task(task: Uuid, action: String, reason: String) -> Result<(), AppError> {
    use crate::{
        db,
        domain::{
            lifecycle::TaskAction,
            validation::{check_length, Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = crate::api::access::authorize_user::<ModerateTaskFn>().await?;
    let action = match action.as_str() {
        "approve" => TaskAction::Approve,
        "reject" => TaskAction::Reject,
        "hide" => TaskAction::Hide,
        "restore" => TaskAction::Restore,
        _ => return Err(AppError::field(FieldError::new(Field::Reason, Problem::NotAllowed))),
    };
    let reason = reason.trim();
    if matches!(action, TaskAction::Reject | TaskAction::Hide) {
        check_length(Field::Reason, reason, 2, 500).map_err(AppError::field)?;
    } else {
        check_length(Field::Reason, reason, 0, 500).map_err(AppError::field)?;
    }
    let state = app_state()?;
    db::lifecycle::moderate(&state.pool, admin.id, task, action, reason).await?;
    state.public_pages_changed();
    Ok(())
}

/// Closes a report: "dismissed" when nothing was wrong, "hidden" or "suspended" after that action.
#[server(name = ResolveReportFn, endpoint = "admin/moderation/report/resolve")]
pub async fn resolve_report(report: i64, outcome: String) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<ResolveReportFn>().await?;
    if !matches!(outcome.as_str(), "dismissed" | "hidden" | "suspended") {
        return Err(AppError::Forbidden);
    }
    db::moderation::resolve_report(&app_state()?.pool, admin.id, report, &outcome).await
}

/// Suspends a developer or merchant for `days` (1–365) with a reason they are shown.
#[server(name = SuspendUserFn, endpoint = "admin/moderation/suspend")]
pub async fn suspend_user(user: Uuid, days: String, reason: String) -> Result<(), AppError> {
    use crate::{
        db,
        domain::validation::{check_length, Field, FieldError, Problem},
        state::app_state,
    };
    let admin = crate::api::access::authorize_user::<SuspendUserFn>().await?;
    let mut errors = Vec::new();
    let days = days.trim().parse::<u32>().ok();
    if days.is_none() {
        errors.push(FieldError::new(Field::Days, Problem::NotAllowed));
    }
    let reason = reason.trim();
    if let Err(error) = check_length(Field::Reason, reason, 2, 500) {
        errors.push(error);
    }
    match days {
        Some(days) if errors.is_empty() => {
            let state = app_state()?;
            db::moderation::suspend(&state.pool, admin.id, user, days, reason).await?;
            // A suspended account's card and tasks leave the public pages now.
            state.public_pages_changed();
            Ok(())
        }
        _ => Err(AppError::Invalid { fields: errors }),
    }
}

/// Adds `word` to the block list (`blocked` true) or takes it off.
#[server(name = SetBlockedWordFn, endpoint = "admin/moderation/blocklist")]
pub async fn set_blocked_word(word: String, blocked: bool) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<SetBlockedWordFn>().await?;
    db::moderation::set_blocked_word(&app_state()?.pool, admin.id, &word, blocked).await
}

/// Any signed-in user reports a task (`task`) or a user (`user`) to the admins.
#[server(name = ReportFn, endpoint = "report")]
pub async fn report(
    #[server(default)] task: Option<Uuid>,
    #[server(default)] user: Option<Uuid>,
    reason: String,
) -> Result<(), AppError> {
    use crate::{
        db,
        domain::validation::{check_length, Field},
        state::app_state,
    };
    let reporter = crate::api::access::authorize_user::<ReportFn>().await?;
    let reason = reason.trim();
    check_length(Field::Reason, reason, 2, 500).map_err(AppError::field)?;
    if task.is_some() == user.is_some() {
        return Err(AppError::Forbidden);
    }
    db::moderation::report(&app_state()?.pool, reporter.id, task, user, reason).await
}
