//! The logged-in user's own profile: name, headline, introduction and skills.

#[cfg(feature = "ssr")]
use crate::views::profile::SavedForm;
use crate::{
    domain::profile::{CardSettings, ProfileForm},
    error::AppError,
    views::profile::ProfilePage,
};
use leptos::prelude::*;

/// The session key holding which form was just saved, until the profile page shows it.
#[cfg(feature = "ssr")]
const SAVED_TO_SHOW: &str = "profile_saved";

#[server(name = MyProfileFn, endpoint = "profile")]
pub async fn my_profile() -> Result<ProfilePage, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyProfileFn>().await?;
    let pool = app_state()?.pool;
    let page = db::users::profile(&pool, user.id).await?;
    Ok(ProfilePage {
        saved: crate::api::access::take_shown_once(SAVED_TO_SHOW).await?,
        phone: db::phone::bound(&pool, user.id).await?.map(|phone| phone.masked()),
        phone_change: crate::api::access::take_shown_once(crate::api::phone::CHANGE_TO_SHOW).await?,
        ..page
    })
}

/// Saves the profile; every field is required, and all problems come back at once.
#[server(name = SaveProfileFn, endpoint = "profile/save")]
pub async fn save_profile(form: ProfileForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SaveProfileFn>().await?;
    let profile = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    db::users::save_profile(&state.pool, user.id, user.role, &profile).await?;
    state.public_pages_changed();
    // New skills, new recommendations.
    state.recommendations_changed(user.id).await;
    crate::api::access::show_once(SAVED_TO_SHOW, &SavedForm::Profile).await
}

/// Saves a developer's handle and what their public card shows.
#[server(name = SaveCardSettingsFn, endpoint = "profile/card")]
pub async fn save_card_settings(settings: CardSettings) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SaveCardSettingsFn>().await?;
    let settings = settings.validate().map_err(AppError::field)?;
    let state = app_state()?;
    db::users::save_card_settings(&state.pool, user.id, &settings).await?;
    state.public_pages_changed();
    crate::api::access::show_once(SAVED_TO_SHOW, &SavedForm::Card).await
}
