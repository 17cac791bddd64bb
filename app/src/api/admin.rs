//! The admin console's first figures.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub users: i64,
    pub developers: i64,
    pub merchants: i64,
    pub open_tasks: i64,
    pub all_tasks: i64,
}

#[server(name = AdminOverviewFn, endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminOverview, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminOverviewFn>().await?;
    let state = app_state()?;
    let users = db::users::counts(&state.pool).await?;
    let tasks = db::tasks::counts(&state.pool).await?;
    Ok(AdminOverview {
        users: users.users,
        developers: users.developers,
        merchants: users.merchants,
        open_tasks: tasks.open,
        all_tasks: tasks.total,
    })
}

/// Settles a disputed milestone: `developer_share` (yuan) to the developer, less commission on that
/// share; the rest back to the merchant. The decision is shown to both sides.
#[server(name = SettleDisputeFn, endpoint = "admin/settle_dispute")]
pub async fn settle_dispute(milestone: uuid::Uuid, developer_share: String, decision: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            money::Money,
            validation::{check_length, Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = authorize_user::<SettleDisputeFn>().await?;
    let share = Money::parse_yuan(&developer_share)
        .ok_or_else(|| AppError::field(FieldError::new(Field::Amount, Problem::InvalidAmount)))?;
    let decision = decision.trim();
    check_length(Field::Reason, decision, 2, 2_000).map_err(AppError::field)?;
    db::lifecycle::settle_dispute(&app_state()?.pool, admin.id, milestone, share, decision).await
}
