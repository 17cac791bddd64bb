//! Monthly growth reports: which months a developer can download (the PDF itself is a plain file
//! at `/growth/reports/{month}.pdf`), and admins' export of a month's reports as one ZIP.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many past months the growth panel offers.
pub const OFFERED_MONTHS: usize = 12;

/// The months that are over since the developer joined, most recent first ("2026-10").
#[server(name = ReportMonthsFn, endpoint = "growth/report_months")]
pub async fn report_months() -> Result<Vec<String>, AppError> {
    use crate::{api::access::authorize_user, db, domain::reports::ReportMonth, state::app_state};
    let user = authorize_user::<ReportMonthsFn>().await?;
    let pool = &app_state()?.pool;
    let current = db::reports::current_month(pool).await?;
    let joined = db::users::joined_month(pool, user.id).await?;
    Ok(ReportMonth::recent(current, OFFERED_MONTHS)
        .into_iter()
        .filter(|month| *month >= joined)
        .map(|month| month.to_string())
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportExport {
    pub id: Uuid,
    pub month: String,
    pub done: i32,
    pub total: i32,
    pub finished: bool,
    pub failed: bool,
}

/// Starts building `month`'s reports (in `language`, "zh" or "en") for the developers whose
/// handles are listed (separated by commas, spaces or lines; every developer with growth by then
/// when empty).
#[server(name = StartReportExportFn, endpoint = "admin/reports/export")]
pub async fn start_report_export(month: String, language: String, handles: String) -> Result<ReportExport, AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            reports::ReportMonth,
            validation::{Field, FieldError, Problem},
        },
        report_pdf::ReportLanguage,
        state::app_state,
    };
    let admin = authorize_user::<StartReportExportFn>().await?;
    let state = app_state()?;
    let month =
        ReportMonth::parse(&month).ok_or(AppError::field(FieldError::new(Field::Month, Problem::InvalidDate)))?;
    if !month.is_over(db::reports::current_month(&state.pool).await?) {
        return Err(AppError::field(FieldError::new(Field::Month, Problem::MonthNotOver)));
    }
    let language = if language == "en" { ReportLanguage::En } else { ReportLanguage::Zh };
    let handles: Vec<String> = handles
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    let id = db::reports::start_export(&state, admin.id, month, language, &handles).await?;
    export_progress(id).await
}

#[server(name = ReportExportFn, endpoint = "admin/reports/export_status")]
pub async fn report_export(id: Uuid) -> Result<ReportExport, AppError> {
    use crate::api::access::authorize_user;
    authorize_user::<ReportExportFn>().await?;
    export_progress(id).await
}

#[cfg(feature = "ssr")]
async fn export_progress(id: Uuid) -> Result<ReportExport, AppError> {
    use crate::{db, state::app_state};
    let (month, done, total, finished, failed) =
        db::reports::export_progress(&app_state()?.pool, id).await?.ok_or(AppError::NotFound)?;
    Ok(ReportExport { id, month, done, total, finished, failed })
}
