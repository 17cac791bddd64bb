//! The admin console's settings: commission, badges, growth rules, and dispute settlement.

#[cfg(feature = "ssr")]
use crate::domain::{fees::CommissionRate, tasks::Category};
use crate::{
    domain::{badges::BadgeForm, growth::GrowthRulesForm},
    error::AppError,
    views::admin::{AdminBadge, CommissionSchedule, GrowthRulesEditor, GrowthRulesOutcome},
};
use leptos::prelude::*;

/// Settles a disputed milestone: the developer's share, as a percentage of the escrow (`split` =
/// "percent") or in yuan ("amount"), goes to the developer less commission on that share; the rest
/// returns to the merchant. The written decision is shown to both sides.
#[server(name = SettleDisputeFn, endpoint = "admin/settle_dispute")]
pub async fn settle_dispute(
    milestone: uuid::Uuid,
    split: String,
    developer_share: String,
    decision: String,
) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            moderation::SplitBy,
            validation::{check_length, Field},
        },
        state::app_state,
    };
    let admin = authorize_user::<SettleDisputeFn>().await?;
    let split = if split == "amount" { SplitBy::Amount } else { SplitBy::Percent };
    let decision = decision.trim();
    check_length(Field::Reason, decision, 2, 2_000).map_err(AppError::field)?;
    let state = app_state()?;
    db::lifecycle::settle_dispute(&state.pool, admin.id, milestone, split, &developer_share, decision).await?;
    state.public_pages_changed();
    Ok(())
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
            tasks::is_calendar_date,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = authorize_user::<SetCommissionRateFn>().await?;
    let state = app_state()?;
    let today = db::periods::today(&state.pool).await?;
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

/// The session key holding the last save's or preview's outcome, with the form it previewed.
#[cfg(feature = "ssr")]
const OUTCOME_TO_SHOW: &str = "growth_rules_outcome";

#[server(name = GrowthRulesEditorFn, endpoint = "admin/growth_rules")]
pub async fn growth_rules_editor() -> Result<GrowthRulesEditor, AppError> {
    use crate::{api::access::take_shown_once, db, state::app_state};
    crate::api::access::authorize_user::<GrowthRulesEditorFn>().await?;
    let shown: Option<(GrowthRulesOutcome, Option<GrowthRulesForm>)> = take_shown_once(OUTCOME_TO_SHOW).await?;
    let (outcome, previewed) = shown.map_or((None, None), |(outcome, form)| (Some(outcome), form));
    let form = match previewed {
        Some(form) => form,
        None => GrowthRulesForm::of(&db::growth::rules(&mut *app_state()?.pool.acquire().await?).await?),
    };
    Ok(GrowthRulesEditor { form, outcome })
}

/// Saves new growth rules (weights and level thresholds), in force from `from` ("YYYY-MM-DD";
/// empty or today: at once, re-evaluating every level). With `preview` nothing is saved: the
/// admin sees how levels would move first. Points, XP and badges already earned are never taken back.
#[server(name = SaveGrowthRulesFn, endpoint = "admin/growth_rules/save")]
pub async fn save_growth_rules(
    form: GrowthRulesForm,
    #[server(default)] from: String,
    #[server(default)] preview: bool,
) -> Result<GrowthRulesOutcome, AppError> {
    use crate::{
        db,
        domain::{
            tasks::is_calendar_date,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = crate::api::access::authorize_user::<SaveGrowthRulesFn>().await?;
    let pool = &app_state()?.pool;
    let mut errors = Vec::new();
    let from = from.trim();
    let today = db::periods::today(pool).await?;
    if !from.is_empty() && !is_calendar_date(from) {
        errors.push(FieldError::new(Field::EffectiveFrom, Problem::InvalidDate));
    } else if !from.is_empty() && from < today.as_str() {
        errors.push(FieldError::new(Field::EffectiveFrom, Problem::DateInPast));
    }
    let rules = form.validate().map_err(|fields| errors.extend(fields)).ok();
    let Some(rules) = rules.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid { fields: errors });
    };
    let shift = db::growth::preview_rules(pool, &rules).await?;
    let (outcome, previewed) = if preview {
        (GrowthRulesOutcome { shift, saved: false, changed: 0 }, Some(form))
    } else {
        let changed = db::growth::save_rules(pool, admin.id, &rules, (!from.is_empty()).then_some(from)).await?;
        (GrowthRulesOutcome { shift, saved: true, changed }, None)
    };
    crate::api::access::show_once(OUTCOME_TO_SHOW, &(&outcome, previewed)).await?;
    Ok(outcome)
}
