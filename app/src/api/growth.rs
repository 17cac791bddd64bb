//! The developer's skill-growth panel: level, XP, skills and weekly progress.

use crate::{domain::growth::GrowthRules, error::AppError, views::growth::GrowthPanel};
use leptos::prelude::*;

#[server(name = MyGrowthFn, endpoint = "growth/me")]
pub async fn my_growth() -> Result<GrowthPanel, AppError> {
    use crate::{api::access::authorize_user, db, read, state::app_state};
    let user = authorize_user::<MyGrowthFn>().await?;
    let pool = &app_state()?.pool;
    let mut panel = read::growth_panel::panel(pool, user.id).await?;
    panel.report_months = db::reports::offered_months(pool, user.id).await?;
    Ok(panel)
}

/// Checks in for today (growth points once a day, and a step in the check-in streak).
#[server(name = CheckInFn, endpoint = "growth/check_in")]
pub async fn check_in() -> Result<bool, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CheckInFn>().await?;
    db::growth::check_in(&app_state()?.pool, user.id).await
}

/// The growth rules in force, for anyone: the help page and the level tables print them.
#[server(name = GrowthRulesFn, endpoint = "growth/rules")]
pub async fn growth_rules() -> Result<GrowthRules, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<GrowthRulesFn>().await?;
    let mut conn = app_state()?.pool.acquire().await?;
    Ok(db::growth::rules(&mut conn).await?)
}
