//! Admins' export of a month's growth reports as one ZIP. (A developer's own report is a plain file
//! at `/growth/reports/{month}.pdf`; the growth panel lists the months.)

use crate::{error::AppError, views::reports::ReportExport};
use leptos::prelude::*;
use uuid::Uuid;

/// Starts building `month`'s reports (in `language`, "zh" or "en") for the developers whose
/// handles are listed (separated by commas, spaces or lines; every developer with growth by then
/// when empty).
/// The address parameter that names a report export just started: the start form's post comes
/// back to the money page with it, and the page shows that export's progress.
pub const REPORT_EXPORT_STARTED: &str = "report_export";

#[server(name = StartReportExportFn, endpoint = "admin/reports/export")]
pub async fn start_report_export(month: String, language: String, handles: String) -> Result<ReportExport, AppError> {
    use crate::{
        api::access::authorize_user,
        db,
        domain::{
            reports::ReportMonth,
            validation::{Field, FieldError, Problem},
        },
        i18n::Locale,
        state::app_state,
    };
    let admin = authorize_user::<StartReportExportFn>().await?;
    let state = app_state()?;
    let month =
        ReportMonth::parse(&month).ok_or(AppError::field(FieldError::new(Field::Month, Problem::InvalidDate)))?;
    if !month.is_over(db::reports::current_month(&state.pool).await?) {
        return Err(AppError::field(FieldError::new(Field::Month, Problem::MonthNotOver)));
    }
    let language = if language == "en" { Locale::en } else { Locale::zh_CN };
    let handles: Vec<String> = handles
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    let id = db::reports::start_export(&state, admin.id, month, language, &handles).await?;
    show_export_progress(REPORT_EXPORT_STARTED, id).await
}

#[server(name = ReportExportFn, endpoint = "admin/reports/export_status")]
pub async fn report_export(id: Uuid) -> Result<ReportExport, AppError> {
    use crate::api::access::authorize_user;
    authorize_user::<ReportExportFn>().await?;
    export_progress(id).await
}

/// Answers an export's start: its progress, and, for the start form's post, the way back to the
/// money page with the export named under `started_as` in the address.
#[cfg(feature = "ssr")]
pub(crate) async fn show_export_progress(started_as: &str, id: Uuid) -> Result<ReportExport, AppError> {
    leptos_axum::redirect(&format!("/admin/money?{started_as}={id}"));
    export_progress(id).await
}

#[cfg(feature = "ssr")]
async fn export_progress(id: Uuid) -> Result<ReportExport, AppError> {
    use crate::{db, state::app_state};
    let (month, done, total, finished, failed) =
        db::reports::export_progress(&app_state()?.pool, id).await?.ok_or(AppError::NotFound)?;
    Ok(ReportExport { id, month, done, total, finished, failed })
}
