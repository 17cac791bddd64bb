//! A merchant's public page: their record as an employer, open to anyone (developers check it
//! before applying).

use crate::{
    api::hall::TaskSummary,
    domain::{account::MerchantKind, money::Money},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MerchantProfile {
    pub id: Uuid,
    pub name: String,
    pub kind: MerchantKind,
    pub member_since: String,
    /// Published (not drafts).
    pub tasks_posted: i64,
    pub tasks_completed: i64,
    pub tasks_cancelled: i64,
    /// Accepted milestones, before commission: what the merchant actually paid out.
    pub paid_to_developers: Money,
    /// Share of applications answered within 48 hours; None before any was due.
    pub response_rate: Option<u8>,
    /// Up to 20, newest first.
    pub open_tasks: Vec<TaskSummary>,
    pub credit: crate::domain::credit::CreditScore,
    /// Developers' revealed reviews of this merchant, newest first.
    pub reviews: Vec<crate::api::reviews::ReviewView>,
}

#[server(name = MerchantProfileFn, endpoint = "merchant")]
pub async fn merchant_profile(id: Uuid) -> Result<MerchantProfile, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<MerchantProfileFn>().await?;
    db::tasks::merchant_profile(&app_state()?.pool, id).await?.ok_or(AppError::NotFound)
}
