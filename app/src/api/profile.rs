//! The logged-in user's own profile: name, headline, introduction and skills.

use crate::{
    domain::{
        profile::{CardSettings, ProfileForm},
        task::Category,
    },
    error::AppError,
};
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfilePage {
    /// The profile as saved, in the form's shape.
    pub form: ProfileForm,
    /// Every skill to choose from, by branch of the skill tree.
    pub tags: Vec<SkillChoice>,
    /// The personal invite link is /register?invite=<code>.
    pub invite_code: String,
    /// A developer's public-record choices (merchants and admins have no card).
    pub card: Option<CardSettings>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillChoice {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub branch: Category,
}

#[server(name = MyProfileFn, endpoint = "profile")]
pub async fn my_profile() -> Result<ProfilePage, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyProfileFn>().await?;
    Ok(db::users::profile(&app_state()?.pool, user.id).await?)
}

/// Saves the profile; every field is required, and all problems come back at once.
#[server(name = SaveProfileFn, endpoint = "profile/save", input = Json)]
pub async fn save_profile(form: ProfileForm) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SaveProfileFn>().await?;
    let profile = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    db::users::save_profile(&app_state()?.pool, user.id, user.role, &profile).await
}

/// Saves a developer's handle and what their public card shows.
#[server(name = SaveCardSettingsFn, endpoint = "profile/card", input = Json)]
pub async fn save_card_settings(settings: CardSettings) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SaveCardSettingsFn>().await?;
    let settings = settings.validate().map_err(AppError::field)?;
    db::users::save_card_settings(&app_state()?.pool, user.id, &settings).await
}
