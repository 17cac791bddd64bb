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
    let (_, reads) = crate::api::access::lagging_reads(&app_state()?).await;
    Ok(db::leaderboard::leaderboard(&reads, period, skill.as_deref()).await?)
}
