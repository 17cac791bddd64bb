//! The admin console's first figures.

use crate::{
    domain::{
        badges::{BadgeForm, BadgeRule},
        fees::CommissionRate,
        growth::GrowthRulesForm,
        task::Category,
    },
    error::AppError,
};
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

/// A rate change that has not taken effect yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduledRate {
    pub category: Category,
    pub rate: CommissionRate,
    /// "YYYY-MM-DD" (China Standard Time), the first day it applies.
    pub from: String,
}

/// Every category's rate now, and the changes waiting for their day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionSchedule {
    pub current: Vec<(Category, CommissionRate)>,
    pub upcoming: Vec<ScheduledRate>,
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

/// Every category's commission rate now and the changes scheduled for later days.
#[server(name = CommissionScheduleFn, endpoint = "admin/commission")]
pub async fn commission_schedule() -> Result<CommissionSchedule, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<CommissionScheduleFn>().await?;
    Ok(db::commission::schedule(&app_state()?.pool).await?)
}

/// Sets a category's commission (`percent`, 5–15) from the start of `from` ("YYYY-MM-DD", China
/// Standard Time; today means at once). Tasks already funded keep the rate they were funded with.
#[server(name = SetCommissionRateFn, endpoint = "admin/commission/set")]
pub async fn set_commission_rate(category: String, percent: String, from: String) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            task::is_calendar_date,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = authorize_user::<SetCommissionRateFn>().await?;
    let state = app_state()?;
    let today = db::tasks::today(&state.pool).await?;
    let mut errors = Vec::new();
    let category = Category::from_slug(category.trim());
    if category.is_none() {
        errors.push(FieldError::new(Field::Category, Problem::Required));
    }
    let rate = CommissionRate::parse_percent(&percent).map_err(|e| errors.push(e)).ok();
    let from = match from.trim() {
        "" => today.clone(),
        day => day.to_string(),
    };
    if !is_calendar_date(&from) {
        errors.push(FieldError::new(Field::EffectiveFrom, Problem::InvalidDate));
    } else if from < today {
        errors.push(FieldError::new(Field::EffectiveFrom, Problem::DateInPast));
    }
    match (category, rate) {
        (Some(category), Some(rate)) if errors.is_empty() => {
            Ok(db::commission::set_rate(&state.pool, admin.id, category, rate, &from).await?)
        }
        _ => Err(AppError::Invalid { fields: errors }),
    }
}

/// A badge as the admin console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminBadge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub rule: BadgeRule,
    pub growth_points: i32,
    /// Developers who have earned it.
    pub holders: i64,
}

#[server(name = AdminBadgesFn, endpoint = "admin/badges")]
pub async fn admin_badges() -> Result<Vec<AdminBadge>, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminBadgesFn>().await?;
    Ok(db::growth::all_badges(&app_state()?.pool).await?)
}

/// Creates a badge from one of the rule kinds; no code change, no deploy.
#[server(name = CreateBadgeFn, endpoint = "admin/badges/create")]
pub async fn create_badge(form: BadgeForm) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<CreateBadgeFn>().await?;
    let badge = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    let pool = app_state()?.pool.clone();
    db::growth::create_badge(&pool, admin.id, &badge).await?;
    // Developers who already meet the rule get it now, in the background: with tens of thousands
    // of developers this takes longer than a request should.
    tokio::spawn(async move {
        match db::growth::backfill_badges(&pool).await {
            Ok(given) => tracing::info!(given, "badges back-filled"),
            Err(error) => tracing::error!(?error, "badge back-fill failed"),
        }
    });
    Ok(())
}

/// Saves new growth rules (weights and level thresholds) and re-evaluates every developer's level
/// under them; returns how many levels changed. Points already awarded keep the value they were
/// earned with.
#[server(name = SaveGrowthRulesFn, endpoint = "admin/growth_rules/save")]
pub async fn save_growth_rules(form: GrowthRulesForm) -> Result<u64, AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<SaveGrowthRulesFn>().await?;
    let rules = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    db::growth::save_rules(&app_state()?.pool, admin.id, &rules).await
}
