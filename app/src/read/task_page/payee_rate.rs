//! The commission rate the task page itemises amounts at.

use super::TaskRow;
use crate::{
    domain::{account::Role, fees::CommissionRate, growth::Level, tasks::Category},
    error::AppError,
};
use sqlx::PgConnection;
use uuid::Uuid;

pub(super) struct PayeeRate {
    /// The task's own rate, before any developer's level discount.
    pub task_rate: CommissionRate,
    pub rate: CommissionRate,
    /// The level of the developer who would be paid, when there is one.
    pub payee_level: Option<Level>,
}

/// Funded tasks keep the rate they were funded at; a draft shows the rate it would get now (with
/// the merchant's 企业会员 discount, as `lifecycle::publish` applies it). Unpaid amounts are
/// itemised at the rate the developer who would be paid gets: the chosen developer's, or the
/// viewing developer's own before they apply (higher levels pay less).
pub(super) async fn rate(
    conn: &mut PgConnection,
    task: &TaskRow,
    category: Category,
    viewer: Option<(Uuid, Role)>,
) -> Result<PayeeRate, AppError> {
    let task_rate = match task.commission_bps.and_then(|b| CommissionRate::from_bps(b as u32)) {
        Some(rate) => rate,
        None => crate::db::commission::rates_for_merchant(conn, task.merchant_id).await?.rate_for(Some(category)),
    };
    let payee = task.developer_id.or(match viewer {
        Some((user, Role::Developer)) => Some(user),
        _ => None,
    });
    let payee_level = match payee {
        Some(developer) => Some(crate::db::growth::level_of(conn, developer).await?),
        None => None,
    };
    let rate = match payee_level {
        Some(level) => task_rate.for_payee(level),
        None => task_rate,
    };
    Ok(PayeeRate { task_rate, rate, payee_level })
}
