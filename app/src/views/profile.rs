//! The wire types of `api::profile`: what its server functions return, as data (no I/O).

use crate::domain::{
    profile::{CardSettings, ProfileForm},
    tasks::Category,
};
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
    /// The form saved just before this page was shown (its post came back here).
    pub saved: Option<SavedForm>,
    /// The mobile number bound for logging in by SMS code, masked (`138****5678`).
    pub phone: Option<String>,
    /// What the post that came back here did to the number.
    pub phone_change: Option<crate::views::phone::PhoneChange>,
}

/// The page's two forms, to say which one was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SavedForm {
    Profile,
    Card,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillChoice {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub branch: Category,
}
