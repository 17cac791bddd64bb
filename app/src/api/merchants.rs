//! A merchant's public page: their record as an employer, open to anyone (developers check it
//! before applying).

use crate::{error::AppError, views::merchants::MerchantProfile};
use leptos::prelude::*;
use uuid::Uuid;

#[server(name = MerchantProfileFn, endpoint = "merchant")]
pub async fn merchant_profile(id: Uuid) -> Result<MerchantProfile, AppError> {
    use crate::{api::access::authorize, read, state::app_state};
    authorize::<MerchantProfileFn>().await?;
    read::merchant_profile::merchant_profile(&app_state()?.pool, id).await?.ok_or(AppError::NotFound)
}
