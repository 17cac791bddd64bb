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
