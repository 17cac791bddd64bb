//! Mentor challenges (导师特训挑战): mentors post a challenge with a prize held in the ledger,
//! participants with a verified real name join and submit, the mentor awards the winner a prize,
//! a review and a recommendation letter shown on their resume card.

use crate::{
    domain::contests::ContestForm,
    error::AppError,
    views::contests::{ContestDetail, ContestsPage},
};
use leptos::prelude::*;
use uuid::Uuid;

#[server(name = ContestsFn, endpoint = "contests")]
pub async fn contests_page() -> Result<ContestsPage, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    let viewer = authorize::<ContestsFn>().await?;
    db::contests::page(&app_state()?.pool, viewer.map(|u| (u.id, u.role))).await
}

#[server(name = ContestFn, endpoint = "contests/detail")]
pub async fn contest(id: Uuid) -> Result<ContestDetail, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    let viewer = authorize::<ContestFn>().await?;
    db::contests::detail(&app_state()?.pool, id, viewer.map(|u| (u.id, u.role))).await?.ok_or(AppError::NotFound)
}

/// A mentor posts a challenge; the prize moves from their balance into the challenge's account.
#[server(name = CreateContestFn, endpoint = "contests/create")]
pub async fn create_contest(form: ContestForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CreateContestFn>().await?;
    let state = app_state()?;
    let pool = &state.pool;
    let today = db::periods::today(pool).await?;
    let contest = form.validate(&today).map_err(|fields| AppError::Invalid { fields })?;
    let id = db::contests::create(pool, user.id, &contest).await?;
    state.public_pages_changed();
    leptos_axum::redirect(&format!("/contests/{id}"));
    Ok(())
}

/// Real-name registration: the name and resident ID number are checked by the identity provider;
/// only the name and the number's last four characters are kept.
#[server(name = VerifyIdentityFn, endpoint = "contests/verify_identity")]
pub async fn verify_identity(real_name: String, id_number: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            contests::check_identity,
            validation::{Field, FieldError, Problem},
        },
        identity::{IdentityVerifier, LocalVerifier},
        state::app_state,
    };
    let user = authorize_user::<VerifyIdentityFn>().await?;
    let (name, number) = check_identity(&real_name, &id_number).map_err(|fields| AppError::Invalid { fields })?;
    // The provider answers whether the name and number belong together (the local one can only
    // check the number itself).
    if LocalVerifier.verify(&name, &number).is_err() {
        return Err(AppError::field(FieldError::new(Field::IdNumber, Problem::NotAllowed)));
    }
    db::contests::record_identity(&app_state()?.pool, user.id, &name, &number).await
}

#[server(name = JoinContestFn, endpoint = "contests/join")]
pub async fn join_contest(contest: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<JoinContestFn>().await?;
    db::contests::join(&app_state()?.pool, user.id, contest).await
}

#[server(name = SubmitEntryFn, endpoint = "contests/submit")]
pub async fn submit_entry(contest: Uuid, submission: String, link: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::contests::check_entry, state::app_state};
    let user = authorize_user::<SubmitEntryFn>().await?;
    let (submission, link) = check_entry(&submission, &link).map_err(|fields| AppError::Invalid { fields })?;
    db::contests::submit(&app_state()?.pool, user.id, contest, &submission, &link).await
}

/// The mentor picks the winner among those who submitted, with a review and a recommendation.
#[server(name = AwardContestFn, endpoint = "contests/award")]
pub async fn award_contest(
    contest: Uuid,
    winner: Uuid,
    review: String,
    recommendation: String,
) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::contests::check_award, state::app_state};
    let user = authorize_user::<AwardContestFn>().await?;
    let (review, recommendation) =
        check_award(&review, &recommendation).map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    db::contests::award(&state.pool, user.id, contest, winner, &review, &recommendation).await?;
    state.public_pages_changed();
    Ok(())
}

/// Called off before anyone submitted: the prize returns to the mentor.
#[server(name = CancelContestFn, endpoint = "contests/cancel")]
pub async fn cancel_contest(contest: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CancelContestFn>().await?;
    let state = app_state()?;
    db::contests::cancel(&state.pool, user.id, contest).await?;
    state.public_pages_changed();
    Ok(())
}

/// An admin invites an expert to run mentor challenges (or withdraws the invitation).
#[server(name = InviteMentorFn, endpoint = "admin/mentors/invite")]
pub async fn invite_mentor(user: Uuid, invited: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let admin = authorize_user::<InviteMentorFn>().await?;
    db::contests::invite_mentor(&app_state()?.pool, admin.id, user, invited).await
}
