//! Inviting a developer to apply (邀请投递), answering an invitation, and withdrawing an application.
//! Applying to an invited task is the usual `api::tasks::apply_to_task`.

use crate::{
    error::AppError,
    views::invitations::{InvitableTask, InvitationView},
};
use leptos::prelude::*;
use uuid::Uuid;

/// The signed-in merchant's open tasks: what the invite form for the developer with handle
/// `developer` offers, marking the ones they were invited to already.
#[server(name = InvitableTasksFn, endpoint = "invitations/tasks")]
pub async fn invitable_tasks(developer: String) -> Result<Vec<InvitableTask>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<InvitableTasksFn>().await?;
    Ok(db::invitations::invitable_tasks(&app_state()?.pool, user.id, &developer).await?)
}

/// The merchant invites the developer with handle `developer` to apply to `task`, with a note.
/// Bad input and every refusal come back as field errors; nothing is written then.
#[server(name = InviteFn, endpoint = "invitations/send")]
pub async fn invite(task: Option<String>, developer: String, note: String) -> Result<(), AppError> {
    use crate::{
        api::access::{authorize_user, client_ip},
        db,
        domain::{
            invitations::check_note,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let user = authorize_user::<InviteFn>().await?;
    // A select whose every task was invited to already sends no task at all.
    let task = Uuid::parse_str(task.unwrap_or_default().trim())
        .map_err(|_| FieldError::new(Field::InvitationTask, Problem::Required));
    let note = check_note(&note);
    let (task, note) = match (task, note) {
        (Ok(task), Ok(note)) => (task, note),
        (task, note) => {
            return Err(AppError::Invalid { fields: [task.err(), note.err()].into_iter().flatten().collect() })
        }
    };
    let state = app_state()?;
    if !crate::rate_limit::AttemptLimiter::INVITATIONS
        .admit(&state.pool, &user.id.to_string(), client_ip().await)
        .await?
    {
        return Err(AppError::RateLimited);
    }
    db::invitations::invite(&state.pool, user.id, task, &developer, note).await?;
    // The form is a plain post: the page it came back to says it went out (`InviteForm` reads it).
    let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.map_err(crate::error::internal)?;
    if let Some(referer) = headers.get(axum::http::header::REFERER).and_then(|v| v.to_str().ok()) {
        leptos_axum::redirect(&crate::domain::url_query::back_with(referer, INVITED_KEY, &developer));
    }
    Ok(())
}

/// The query key of the page an invitation was sent from; its value is the invited developer's handle.
pub const INVITED_KEY: &str = "invited";

/// The signed-in developer's invitations, newest first.
#[server(name = MyInvitationsFn, endpoint = "invitations")]
pub async fn my_invitations() -> Result<Vec<InvitationView>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyInvitationsFn>().await?;
    Ok(db::invitations::of_developer(&app_state()?.pool, user.id).await?)
}

/// The invited developer declines (婉拒).
#[server(name = DeclineInvitationFn, endpoint = "invitations/decline")]
pub async fn decline_invitation(invitation: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<DeclineInvitationFn>().await?;
    db::invitations::decline(&app_state()?.pool, user.id, invitation).await
}

/// The developer withdraws their application to `task` while the merchant has not answered it.
#[server(name = WithdrawApplicationFn, endpoint = "task/withdraw_application")]
pub async fn withdraw_application(task: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<WithdrawApplicationFn>().await?;
    db::lifecycle::withdraw_application(&app_state()?.pool, user.id, task).await
}
