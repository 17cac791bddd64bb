//! Public leaderboards: this week, this month and all time, overall (XP) or per skill (points).

#[cfg(feature = "ssr")]
use crate::domain::growth::Period;
use crate::{error::AppError, views::leaderboard::Leaderboard};
use leptos::prelude::*;

#[server(name = LeaderboardFn, endpoint = "leaderboard")]
pub async fn leaderboard(period: String, skill: Option<String>) -> Result<Leaderboard, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<LeaderboardFn>().await?;
    let period = Period::parse(Some(&period));
    let skill = skill.filter(|s| !s.is_empty() && s.len() <= 64);
    let state = app_state()?;
    Ok(db::leaderboard::leaderboard(
        state.lagging_reads(crate::api::access::reads_may_lag().await).1,
        period,
        skill.as_deref(),
    )
    .await?)
}
