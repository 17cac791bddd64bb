//! The database's one translation of `domain::periods` (China time itself is named once, by the
//! SQL functions of migration 30: `china_time`, `china_date`, `china_instant`, `china_text`): the first day (a `date`, China time) of the
//! week or month an instant falls in. `server/tests/integration/records.rs` checks it against the
//! domain's definition at the boundaries (Monday midnight, month and year ends).

use crate::domain::periods::Window;

/// SQL for the first day of the `window` holding the timestamptz expression `instant`.
pub fn window_start(window: Window, instant: &str) -> String {
    format!("date_trunc('{}', china_time({instant}))::date", window.as_str())
}

/// SQL for the China-time day number (days since 1970-01-01) of `instant`, as challenges count days.
pub fn day_number(instant: &str) -> String {
    format!("(china_date({instant}) - DATE '1970-01-01')")
}

/// The current week and month as rows `p (period, starts_on)`, on the application clock.
pub fn current_windows() -> String {
    format!(
        "(VALUES ('week', {week}), ('month', {month})) AS p (period, starts_on)",
        week = window_start(Window::Week, "app_now()"),
        month = window_start(Window::Month, "app_now()"),
    )
}

/// Today's date in China Standard Time ("2026-11-23"), from the database clock so that every server
/// agrees on it.
pub async fn today<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT china_text(app_now(), 'YYYY-MM-DD')").fetch_one(db).await
}
