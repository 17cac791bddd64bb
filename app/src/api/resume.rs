//! The public resume card, `/u/{handle}`: a developer's record as anyone outside CodeLink sees it.

use crate::{
    error::AppError,
    views::resume::{BadgeVerification, ResumeCard, TaskVerification},
};
use leptos::prelude::*;
use uuid::Uuid;

#[server(name = ResumeFn, endpoint = "resume")]
pub async fn resume(handle: String) -> Result<ResumeCard, AppError> {
    use crate::{api::access::authorize, read, state::app_state};
    authorize::<ResumeFn>().await?;
    let (_, reads) = crate::api::access::lagging_reads(&app_state()?).await;
    read::resume_card::resume(&reads, &handle).await?.ok_or(AppError::NotFound)
}

/// Confirms a finished task of a developer whose card is public; anything else is "not found",
/// so a hidden card cannot be probed through its tasks.
#[server(name = VerifyTaskFn, endpoint = "verify/task")]
pub async fn verify_task(id: Uuid) -> Result<TaskVerification, AppError> {
    use crate::{api::access::authorize, read, state::app_state};
    authorize::<VerifyTaskFn>().await?;
    let (_, reads) = crate::api::access::lagging_reads(&app_state()?).await;
    read::resume_card::verify_task(&reads, id).await?.ok_or(AppError::NotFound)
}

#[server(name = VerifyBadgeFn, endpoint = "verify/badge")]
pub async fn verify_badge(handle: String, slug: String) -> Result<BadgeVerification, AppError> {
    use crate::{api::access::authorize, read, state::app_state};
    authorize::<VerifyBadgeFn>().await?;
    let (_, reads) = crate::api::access::lagging_reads(&app_state()?).await;
    read::resume_card::verify_badge(&reads, &handle, &slug).await?.ok_or(AppError::NotFound)
}
