//! `server bench-reports [REPORTS]`: how long a monthly growth report takes to make, printed as
//! `name: value unit`. Over the demo data (seed it first), it makes REPORTS (default 100) reports
//! for the demo developers' past months in both languages, each from scratch (the stored copy is
//! deleted first): reading the month's records, rendering the PDF with the embedded CJK font, and
//! storing it. Prints p50, p95, and the files' average and largest size.

use crate::timing::{millis, percentile};
use app::{db::reports, domain::reports::ReportMonth, i18n::Locale, state::AppState};
use sqlx::PgPool;
use std::time::Instant;
use uuid::Uuid;

pub async fn run(pool: PgPool, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let developers: Vec<Uuid> =
        sqlx::query_scalar("SELECT DISTINCT developer_id FROM growth_events ORDER BY developer_id")
            .fetch_all(&pool)
            .await?;
    if developers.is_empty() {
        return Err("no developer has a record: run `server seed-demo` first".into());
    }
    let (state, _callbacks) = AppState::with_sandbox(pool.clone(), b"bench");
    // Font loading happens once per process; it is not part of a report's cost.
    state.report_fonts().await.map_err(|e| format!("{e:?}"))?;
    let months = ReportMonth::recent(reports::current_month(&pool).await?, 4);
    let mut times = Vec::with_capacity(count);
    let mut sizes = Vec::with_capacity(count);
    for n in 0..count {
        let developer = developers[n % developers.len()];
        let month = months[(n / developers.len()) % months.len()];
        let language = if n % 2 == 0 { Locale::zh_CN } else { Locale::en };
        sqlx::query("DELETE FROM growth_reports WHERE developer_id = $1 AND month = $2::date AND language = $3")
            .bind(developer)
            .bind(month.first_day())
            .bind(reports::language_code(language))
            .execute(&pool)
            .await?;
        let started = Instant::now();
        let pdf = reports::report_pdf(&state, developer, month, language, None)
            .await
            .map_err(|e| format!("{e:?}"))?
            .ok_or("a demo developer has no report")?;
        times.push(started.elapsed());
        sizes.push(pdf.len());
    }
    println!("report_generation_p50: {:.1} ms", millis(percentile(&mut times, 50)));
    println!("report_generation_p95: {:.1} ms", millis(percentile(&mut times, 95)));
    println!("report_size_avg: {} KB", sizes.iter().sum::<usize>() / sizes.len() / 1024);
    println!("report_size_max: {} KB", sizes.iter().max().unwrap_or(&0) / 1024);
    Ok(())
}
