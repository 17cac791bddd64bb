//! The admin console's screens beyond configuration: the dashboard, challenges, users, disputes
//! and accounting exports. Every function here is admin-only (see `access::ENDPOINTS`).

use crate::{
    domain::challenges::ChallengeForm,
    error::AppError,
    views::{
        console::{AdminChallenge, AdminUser, Dashboard, DisputeCase, DisputeSummary},
        reports::ReportExport,
    },
};
use leptos::prelude::*;
use uuid::Uuid;

#[server(name = DashboardFn, endpoint = "admin/dashboard")]
pub async fn dashboard() -> Result<Dashboard, AppError> {
    use crate::{read, state::app_state};
    crate::api::access::authorize_user::<DashboardFn>().await?;
    Ok(read::dashboard::dashboard(&app_state()?.pool).await?)
}

#[server(name = AdminChallengesFn, endpoint = "admin/challenges")]
pub async fn admin_challenges() -> Result<Vec<AdminChallenge>, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminChallengesFn>().await?;
    Ok(db::console::challenges(&app_state()?.pool).await?)
}

/// Creates a challenge (and, when asked, the badge it awards). It counts from now on: activity
/// before it existed inside the current window counts too, as the developer's panel shows.
#[server(name = CreateChallengeFn, endpoint = "admin/challenges/create")]
pub async fn create_challenge(form: ChallengeForm) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<CreateChallengeFn>().await?;
    let challenge = form.validate().map_err(|fields| AppError::Invalid { fields })?;
    db::console::create_challenge(&app_state()?.pool, admin.id, &challenge).await
}

/// Switches a challenge on or off; completions already earned stay.
#[server(name = SetChallengeActiveFn, endpoint = "admin/challenges/active")]
pub async fn set_challenge_active(slug: String, active: bool) -> Result<(), AppError> {
    use crate::{db, state::app_state};
    let admin = crate::api::access::authorize_user::<SetChallengeActiveFn>().await?;
    db::console::set_challenge_active(&app_state()?.pool, admin.id, &slug, active).await
}

/// Users whose name, e-mail or handle contains `query` (newest first; everyone when empty).
#[server(name = AdminUsersFn, endpoint = "admin/users")]
pub async fn admin_users(query: String) -> Result<Vec<AdminUser>, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminUsersFn>().await?;
    let query: String = query.trim().chars().take(100).collect();
    Ok(db::console::users(&app_state()?.pool, &query).await?)
}

/// Adds (or with a minus sign removes) growth points, with a reason the developer is shown. Never
/// money: money moves only through the ledger's own flows.
#[server(name = AdjustPointsFn, endpoint = "admin/users/adjust_points")]
pub async fn adjust_points(user: Uuid, points: String, reason: String) -> Result<(), AppError> {
    use crate::{
        db,
        domain::validation::{check_length, Field, FieldError, Problem},
        state::app_state,
    };
    let admin = crate::api::access::authorize_user::<AdjustPointsFn>().await?;
    let mut errors = Vec::new();
    let points = points.trim().parse::<i32>().ok().filter(|p| *p != 0 && (-10_000..=10_000).contains(p));
    if points.is_none() {
        errors.push(FieldError::new(Field::Points, Problem::NotAllowed));
    }
    let reason = reason.trim();
    if let Err(error) = check_length(Field::Reason, reason, 2, 500) {
        errors.push(error);
    }
    match points {
        Some(points) if errors.is_empty() => {
            db::console::adjust_points(&app_state()?.pool, admin.id, user, points, reason).await
        }
        _ => Err(AppError::Invalid { fields: errors }),
    }
}

#[server(name = AdminDisputesFn, endpoint = "admin/disputes")]
pub async fn admin_disputes() -> Result<Vec<DisputeSummary>, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminDisputesFn>().await?;
    Ok(db::console::open_disputes(&app_state()?.pool).await?)
}

#[server(name = AdminDisputeFn, endpoint = "admin/dispute")]
pub async fn admin_dispute(milestone: Uuid) -> Result<DisputeCase, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminDisputeFn>().await?;
    db::console::dispute_case(&app_state()?.pool, milestone).await?.ok_or(AppError::NotFound)
}

/// Starts a CSV export for accounting: `kind` is "tasks", "payouts" or "commission", `month`
/// "YYYY-MM". Progress is read with `admin/reports/export_status`, like the growth-report ZIP.
/// The address parameter that names a CSV export just started (see `REPORT_EXPORT_STARTED`).
pub const CSV_EXPORT_STARTED: &str = "csv_export";

#[server(name = StartCsvExportFn, endpoint = "admin/exports/start")]
pub async fn start_csv_export(kind: String, month: String) -> Result<ReportExport, AppError> {
    use crate::{
        db,
        domain::{
            reports::ReportMonth,
            validation::{Field, FieldError, Problem},
        },
        state::app_state,
    };
    let admin = crate::api::access::authorize_user::<StartCsvExportFn>().await?;
    let kind =
        db::exports::CsvKind::parse(&kind).ok_or(AppError::field(FieldError::new(Field::Rule, Problem::Required)))?;
    let month =
        ReportMonth::parse(&month).ok_or(AppError::field(FieldError::new(Field::Month, Problem::InvalidDate)))?;
    let state = app_state()?;
    let id = db::exports::start(&state.pool, admin.id, kind, month).await?;
    crate::api::reports::show_export_progress(CSV_EXPORT_STARTED, id).await
}
