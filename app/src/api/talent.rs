//! Talent search (`/developers`) and a developer's work terms on `/profile`: availability
//! (接单中 / 忙碌 / 暂停接单, optionally until a day) and an expected hourly rate.

use crate::{
    domain::talent::{AvailabilityForm, TalentQuery},
    error::AppError,
    views::talent::{TalentPage, WorkTermsPage},
};
use leptos::prelude::*;

/// The session key holding "the work terms were just saved", until `/profile` shows it.
#[cfg(feature = "ssr")]
const SAVED_TO_SHOW: &str = "work_terms_saved";

/// One page of developers for a search. Public, like the hall and the resume cards it links to:
/// only developers whose card is public are found.
#[server(name = TalentSearchFn, endpoint = "developers")]
pub async fn talent_search(query: TalentQuery) -> Result<TalentPage, AppError> {
    use crate::{db, domain::talent::TALENT_PAGE_SIZE, read, search::query_terms, state::app_state};
    crate::api::access::authorize::<TalentSearchFn>().await?;
    // A hand-made request gets the same lenient clean-up as the URL.
    let query = query.normalized();
    let (_, pool) = crate::api::access::lagging_reads(&app_state()?).await;
    let (page, tags) = tokio::try_join!(
        read::talent::search(&pool, &query, query_terms(&query.q), TALENT_PAGE_SIZE),
        db::users::skill_tree(&pool),
    )?;
    Ok(TalentPage { tags, ..page })
}

/// The logged-in developer's work terms as a form; None for other accounts (they have none).
#[server(name = MyWorkTermsFn, endpoint = "profile/availability")]
pub async fn my_work_terms() -> Result<Option<WorkTermsPage>, AppError> {
    use crate::{
        db,
        domain::{account::Role, talent::latest_until},
        state::app_state,
    };
    let user = crate::api::access::authorize_user::<MyWorkTermsFn>().await?;
    if user.role != Role::Developer {
        return Ok(None);
    }
    let pool = app_state()?.pool;
    let terms = db::talent::work_terms(&mut *pool.acquire().await?, user.id).await?;
    let today = db::periods::today(&pool).await?;
    Ok(Some(WorkTermsPage {
        form: AvailabilityForm::of(&terms),
        saved: crate::api::access::take_shown_once::<bool>(SAVED_TO_SHOW).await?.unwrap_or(false),
        latest: latest_until(&today).unwrap_or_default(),
        today,
    }))
}

/// Saves the developer's availability and expected rate; every problem comes back at once, and
/// nothing is written unless all is well.
#[server(name = SaveWorkTermsFn, endpoint = "profile/availability/save")]
pub async fn save_work_terms(form: AvailabilityForm) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let user = crate::api::access::authorize_user::<SaveWorkTermsFn>().await?;
    let state = app_state()?;
    let pool = state.pool.clone();
    let today = db::periods::today(&pool).await?;
    let terms = form.validate(&today).map_err(|fields| AppError::Invalid { fields })?;
    db::talent::save_work_terms(&pool, user.id, &terms).await?;
    state.public_pages_changed();
    crate::api::access::show_once(SAVED_TO_SHOW, &true).await
}
