//! The admin console's screens beyond configuration: the dashboard, challenges, users, disputes
//! and accounting exports. Every function here is admin-only (see `access::ENDPOINTS`).

use crate::{
    api::reports::ReportExport,
    api::trust::ActiveRestriction,
    domain::{challenges::ChallengeForm, money::Money},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One day's figures (China time).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// "MM-DD".
    pub day: String,
    pub new_users: i64,
    pub tasks_posted: i64,
    pub tasks_funded: i64,
    pub tasks_completed: i64,
    /// Rewards funded into escrow that day.
    pub gmv: Money,
    pub commission: Money,
}

/// Totals since launch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub users: i64,
    pub developers: i64,
    pub merchants: i64,
    pub open_tasks: i64,
    pub all_tasks: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub totals: Totals,
    pub today: DayFigures,
    pub open_disputes: i64,
    /// Applications left unanswered past the 48-hour rule (expired today, or still pending).
    pub applications_overdue: i64,
    pub awaiting_review: i64,
    pub open_reports: i64,
    /// The last 30 days, oldest first, today last.
    pub days: Vec<DayFigures>,
}

#[server(name = DashboardFn, endpoint = "admin/dashboard")]
pub async fn dashboard() -> Result<Dashboard, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<DashboardFn>().await?;
    Ok(db::console::dashboard(&app_state()?.pool).await?)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChallenge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub rule: crate::domain::challenges::ChallengeRule,
    pub growth_points: i32,
    pub badge: Option<String>,
    pub active: bool,
    pub completions: i64,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub handle: Option<String>,
    /// "YYYY-MM-DD".
    pub joined: String,
    pub level: Option<String>,
    pub growth_points: i64,
    pub available: Money,
    pub restriction: Option<ActiveRestriction>,
    /// Invited to run mentor challenges (导师) without being level S.
    #[serde(default)]
    pub invited_mentor: bool,
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    pub milestone: Uuid,
    pub task: Uuid,
    pub title: String,
    pub merchant: String,
    pub developer: String,
    pub amount: Money,
    pub opened_by_merchant: bool,
    pub opened: String,
}

#[server(name = AdminDisputesFn, endpoint = "admin/disputes")]
pub async fn admin_disputes() -> Result<Vec<DisputeSummary>, AppError> {
    use crate::{db, state::app_state};
    crate::api::access::authorize_user::<AdminDisputesFn>().await?;
    Ok(db::console::open_disputes(&app_state()?.pool).await?)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: String,
    pub actor: Option<String>,
    pub kind: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDelivery {
    pub at: String,
    pub message: String,
    pub links: Vec<String>,
    /// (file id, name): downloadable by the admin at `/files/{id}`.
    pub files: Vec<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    pub at: String,
    pub author: String,
    pub from_merchant: bool,
    pub body: String,
}

/// Everything an admin needs to decide a dispute, on one page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeCase {
    pub summary: DisputeSummary,
    /// The opener's statement and the other side's answer (None until they answer).
    pub statement: String,
    pub response: Option<String>,
    /// The commission rate fixed when the task was funded, in basis points.
    pub commission_bps: i32,
    pub timeline: Vec<CaseEvent>,
    pub deliveries: Vec<CaseDelivery>,
    pub messages: Vec<CaseMessage>,
    /// The decision, once settled.
    pub decision: Option<String>,
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
