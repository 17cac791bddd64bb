//! Memberships (成长通行证, 高级会员, 企业会员) and task promotion (置顶, 加急): the offers, buying
//! and cancelling through the ledger, and the admins' price list.

#[cfg(feature = "ssr")]
use crate::domain::{account::Role, membership::PromotionKind};
use crate::{
    domain::{membership::PlanTerms, money::Money},
    error::AppError,
    views::membership::MembershipPage,
};
use leptos::prelude::*;
use uuid::Uuid;

/// The session key holding a cancellation's refund (in fen) until the membership page shows it.
#[cfg(feature = "ssr")]
const REFUND_TO_SHOW: &str = "membership_refund_fen";

#[server(name = MembershipPageFn, endpoint = "membership")]
pub async fn membership_page() -> Result<MembershipPage, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MembershipPageFn>().await?;
    if user.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    let refunded: Option<i64> = crate::api::access::take_shown_once(REFUND_TO_SHOW).await?;
    let pool = &app_state()?.pool;
    let mut conn = pool.acquire().await?;
    let benefits = db::membership::benefits(&mut conn, user.id).await?;
    let balance = db::ledger::balances(&mut conn, user.id).await?.available;
    drop(conn);
    Ok(MembershipPage {
        role: user.role,
        offers: db::membership::offers(pool, user.id, user.role).await?,
        benefits,
        balance,
        purchase_key: Uuid::now_v7(),
        refunded: refunded.map(Money::from_fen),
    })
}

#[cfg(feature = "ssr")]
fn parse_plan(plan: &str) -> Result<crate::domain::membership::Plan, AppError> {
    crate::domain::membership::Plan::parse(plan).ok_or(AppError::NotFound)
}

/// Buys `months` of `plan` from the balance; `key` comes from the page that offered it.
#[server(name = BuyMembershipFn, endpoint = "membership/buy")]
pub async fn buy_membership(plan: String, months: u8, auto_renew: Option<String>, key: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<BuyMembershipFn>().await?;
    let plan = parse_plan(&plan)?;
    let key = format!("membership-buy:{key}:{}", plan.as_str());
    db::membership::buy(&app_state()?.pool, user.id, user.role, plan, months, auto_renew.is_some(), &key).await?;
    Ok(())
}

/// Ends `plan` now and refunds its unused whole days; returns the refund.
#[server(name = CancelMembershipFn, endpoint = "membership/cancel")]
pub async fn cancel_membership(plan: String) -> Result<Money, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CancelMembershipFn>().await?;
    let refund = db::membership::cancel(&app_state()?.pool, user.id, parse_plan(&plan)?).await?;
    crate::api::access::show_once(REFUND_TO_SHOW, &refund.fen()).await?;
    Ok(refund)
}

#[server(name = SetAutoRenewFn, endpoint = "membership/auto_renew")]
pub async fn set_auto_renew(plan: String, on: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SetAutoRenewFn>().await?;
    db::membership::set_auto_renew(&app_state()?.pool, user.id, parse_plan(&plan)?, on).await
}

/// Buys a promotion (`offer` is "pin:7", "urgent:7", ...) for the merchant's open task.
#[server(name = PromoteTaskFn, endpoint = "task/promote")]
pub async fn promote_task(task: Uuid, offer: String, key: Uuid) -> Result<(), AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::validation::{Field, FieldError, Problem},
        state::app_state,
    };
    let user = authorize_user::<PromoteTaskFn>().await?;
    let invalid = || AppError::field(FieldError::new(Field::Promotion, Problem::Required));
    let (kind, days) = offer.split_once(':').ok_or_else(invalid)?;
    let kind = PromotionKind::parse(kind).ok_or_else(invalid)?;
    let days: u8 = days.parse().map_err(|_| invalid())?;
    let key = format!("promotion-buy:{key}");
    let state = app_state()?;
    db::membership::promote(&state.pool, user.id, task, kind, days, &key).await?;
    // The hall and its searches show the pin now, not when their cached pages expire.
    state.public_pages_changed();
    Ok(())
}

/// Every plan's terms, for the admins' price list.
#[server(name = AdminPlansFn, endpoint = "admin/plans")]
pub async fn admin_plans() -> Result<Vec<PlanTerms>, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<AdminPlansFn>().await?;
    Ok(db::membership::plans(&mut *app_state()?.pool.acquire().await?).await?)
}

/// An admin sets a plan's monthly price (yuan) and its benefit numbers, with a reason for the log.
#[server(name = SavePlanFn, endpoint = "admin/plans/save")]
pub async fn save_plan(
    plan: String,
    price: String,
    daily_applications: String,
    open_tasks: String,
    discount_percent: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::validation::Field, state::app_state};
    let admin = authorize_user::<SavePlanFn>().await?;
    let plan = parse_plan(&plan)?;
    let form = crate::domain::membership::PlanForm { price, daily_applications, open_tasks, discount_percent };
    let reason = reason.trim();
    match (form.parse(plan), crate::domain::validation::check_length(Field::Reason, reason, 1, 500)) {
        (Ok(terms), Ok(())) => db::membership::save_terms(&app_state()?.pool, admin.id, terms, reason).await,
        (parsed, reason_check) => {
            let mut fields = parsed.err().unwrap_or_default();
            fields.extend(reason_check.err());
            Err(AppError::Invalid { fields })
        }
    }
}
