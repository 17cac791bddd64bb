//! The monthly growth report: its facts read from the growth and ledger records, rendered once
//! (`crate::report_pdf`) and stored, so the same month downloads the same file again. Also the
//! admins' export of one month's reports as a ZIP, built in the background with its progress
//! in `report_exports`.

use super::tasks::COMPLETED_AT;
use crate::{
    domain::{
        growth::{GrowthRules, Level, Record},
        reports::ReportMonth,
    },
    error::AppError,
    i18n::Locale,
    report_pdf::{render_report_pdf, MonthlyReport, ReportTask, SkillGrowth, Suggestion},
    state::AppState,
};
use sqlx::{types::Json, PgPool};
use std::{collections::HashMap, io::Write};
use uuid::Uuid;

/// Skills shown in the report's chart.
const CHARTED_SKILLS: i64 = 8;
/// Suggestions: in-demand skills the developer has fewer points in than this.
const THIN_SKILL_POINTS: i64 = 100;
const SUGGESTIONS: i64 = 3;

/// A report's file name, in admins' ZIP and as a download: `codelink-2026-10-dev01-zh.pdf`.
pub fn report_file_name(month: ReportMonth, handle: &str, language: Locale) -> String {
    format!("codelink-{month}-{handle}-{}.pdf", language_code(language))
}

pub fn language_code(language: Locale) -> &'static str {
    match language {
        Locale::zh_CN => "zh",
        Locale::en => "en",
    }
}

/// The first instant of the month whose first day is the DATE parameter `param` (e.g. "$2"), in
/// China time, as SQL.
fn month_start(param: &str) -> String {
    format!("(china_instant({param}::date::timestamp))")
}

/// The first instant after that month, as SQL.
fn month_end(param: &str) -> String {
    format!("(china_instant(({param}::date + interval '1 month')::timestamp))")
}

/// The month it is now in China, which is what "a past month" is measured against.
pub async fn current_month(pool: &PgPool) -> Result<ReportMonth, sqlx::Error> {
    let (year, month): (i32, i32) = sqlx::query_as(
        "SELECT extract(year FROM china_time(app_now()))::int4,
                extract(month FROM china_time(app_now()))::int4",
    )
    .fetch_one(pool)
    .await?;
    Ok(ReportMonth::new(year, month as u8).expect("PostgreSQL's calendar"))
}

/// How many past months the growth panel offers.
const OFFERED_MONTHS: usize = 12;

/// The months with a report for `user`: over, and not before they joined; newest first.
pub async fn offered_months(pool: &PgPool, user: Uuid) -> Result<Vec<String>, sqlx::Error> {
    let current = current_month(pool).await?;
    let joined = super::users::joined_month(pool, user).await?;
    Ok(ReportMonth::recent(current, OFFERED_MONTHS)
        .into_iter()
        .filter(|month| *month >= joined)
        .map(|month| month.to_string())
        .collect())
}

/// Every developer's XP leaderboard position at the end of a month and of the month before: one
/// pass over the growth events up to then, shared by all the reports of an export.
pub struct MonthRanks {
    positions: HashMap<Uuid, (Option<i64>, Option<i64>)>,
    /// Developers with XP at the month's end.
    ranked: i64,
}

impl MonthRanks {
    pub async fn load(pool: &PgPool, month: ReportMonth) -> Result<Self, sqlx::Error> {
        // rank() is 1 + those strictly ahead; developers without XP at a month end are unranked.
        let (start, end) = (month_start("$1"), month_end("$1"));
        let rows: Vec<(Uuid, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
            "WITH totals AS (
                 SELECT developer_id, sum(xp) FILTER (WHERE created_at < {start}) AS before, sum(xp) AS after
                 FROM growth_events WHERE created_at < {end} GROUP BY developer_id)
             SELECT developer_id,
                    CASE WHEN before > 0 THEN rank() OVER (ORDER BY before DESC NULLS LAST) END,
                    CASE WHEN after > 0 THEN rank() OVER (ORDER BY after DESC NULLS LAST) END
             FROM totals"
        ))
        .bind(month.first_day())
        .fetch_all(pool)
        .await?;
        let ranked = rows.iter().filter(|(_, _, after)| after.is_some()).count() as i64;
        Ok(MonthRanks {
            positions: rows.into_iter().map(|(id, before, after)| (id, (before, after))).collect(),
            ranked,
        })
    }

    fn of(&self, developer: Uuid) -> (Option<i64>, Option<i64>) {
        self.positions.get(&developer).copied().unwrap_or((None, None))
    }
}

/// The stored report of `developer` for `month`, made now if it was not before. None when the
/// user is not a developer. The caller checks that the month is over. `ranks`, when given, are the
/// month's already computed positions (an export computes them once for every report).
pub async fn report_pdf(
    state: &AppState,
    developer: Uuid,
    month: ReportMonth,
    language: Locale,
    ranks: Option<&MonthRanks>,
) -> Result<Option<Vec<u8>>, AppError> {
    let pool = &state.pool;
    if let Some(pdf) = stored(pool, developer, month, language).await? {
        return Ok(Some(pdf));
    }
    let loaded;
    let ranks = match ranks {
        Some(ranks) => ranks,
        None => {
            loaded = MonthRanks::load(pool, month).await?;
            &loaded
        }
    };
    let Some(report) = monthly_report(pool, developer, month, language, ranks).await? else { return Ok(None) };
    let fonts = state.report_fonts().await?;
    let pdf = tokio::task::spawn_blocking(move || render_report_pdf(&report, &fonts))
        .await
        .map_err(|error| {
            tracing::error!(%error, "report rendering panicked");
            AppError::Internal
        })?
        .map_err(|error| {
            tracing::error!(%error, "rendering a growth report");
            AppError::Internal
        })?;
    // Two first downloads at once: one insert wins, and both return what was stored.
    sqlx::query(
        "INSERT INTO growth_reports (developer_id, month, language, pdf) VALUES ($1, $2::date, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(developer)
    .bind(month.first_day())
    .bind(language_code(language))
    .bind(&pdf)
    .execute(pool)
    .await?;
    Ok(stored(pool, developer, month, language).await?)
}

async fn stored(
    pool: &PgPool,
    developer: Uuid,
    month: ReportMonth,
    language: Locale,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT pdf FROM growth_reports WHERE developer_id = $1 AND month = $2::date AND language = $3")
        .bind(developer)
        .bind(month.first_day())
        .bind(language_code(language))
        .fetch_optional(pool)
        .await
}

/// What the report for `developer` and `month` says. None when the user is not a developer.
pub async fn monthly_report(
    pool: &PgPool,
    developer: Uuid,
    month: ReportMonth,
    language: Locale,
    ranks: &MonthRanks,
) -> Result<Option<MonthlyReport>, sqlx::Error> {
    let english = matches!(language, Locale::en);
    let start = month.first_day();
    // The month's bounds in China time, from its first day bound as `$2`.
    let (bounds, end) = (month_start("$2"), month_end("$2"));

    type Head = (String, String, i64, i64, i64);
    let head: Option<Head> = sqlx::query_as(&format!(
        "SELECT u.display_name, u.handle,
                (SELECT coalesce(sum(e.xp), 0)::int8 FROM growth_events e WHERE e.developer_id = u.id AND e.created_at < {end}),
                (SELECT coalesce(sum(e.xp), 0)::int8 FROM growth_events e
                  WHERE e.developer_id = u.id AND e.created_at >= {bounds} AND e.created_at < {end}),
                (SELECT coalesce(sum(le.amount_fen), 0)::int8
                   FROM ledger_entries le JOIN ledger_accounts a ON a.id = le.account_id
                   JOIN ledger_movements m ON m.id = le.movement_id
                  WHERE a.user_id = u.id AND a.kind = 'available' AND le.amount_fen > 0
                    AND m.kind IN ('escrow_release', 'dispute_split')
                    AND m.created_at >= {bounds} AND m.created_at < {end})
         FROM users u
         WHERE u.id = $1 AND u.role = 'developer'"
    ))
    .bind(developer)
    .bind(&start)
    .fetch_optional(pool)
    .await?;
    let Some((developer_name, handle, xp_total, xp_gained, earnings_cents)) = head else { return Ok(None) };
    let level = level_at_month_end(pool, developer, &start).await?;

    type Task = (String, String, i64, String, Option<i16>, Option<String>, Vec<String>);
    let tasks: Vec<Task> = sqlx::query_as(&format!(
        "SELECT t.title, china_text(done.at, 'YYYY-MM-DD'),
                (SELECT coalesce(sum(le.amount_fen), 0)::int8
                   FROM ledger_movements m JOIN ledger_entries le ON le.movement_id = m.id
                   JOIN ledger_accounts a ON a.id = le.account_id
                  WHERE m.task_id = t.id AND m.kind IN ('escrow_release', 'dispute_split')
                    AND a.user_id = $1 AND a.kind = 'available' AND le.amount_fen > 0),
                m.display_name, r.stars, r.comment,
                ARRAY(SELECT CASE WHEN $3 THEN s.name_en ELSE s.name_zh END
                      FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug)
         FROM tasks t {COMPLETED_AT}
         JOIN users m ON m.id = t.merchant_id
         LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.developer_id = $1 AND t.status = 'completed' AND done.at >= {bounds} AND done.at < {end}
         ORDER BY done.at, t.id"
    ))
    .bind(developer)
    .bind(&start)
    .bind(english)
    .fetch_all(pool)
    .await?;
    let rated: Vec<i64> = tasks.iter().filter_map(|t| t.4.map(i64::from)).collect();
    let average_rating_x100 = (!rated.is_empty()).then(|| rated.iter().sum::<i64>() * 100 / rated.len() as i64);

    let skills: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT CASE WHEN $3 THEN s.name_en ELSE s.name_zh END,
                coalesce(sum(p.points) FILTER (WHERE e.created_at < {bounds}), 0)::int8 AS before,
                coalesce(sum(p.points), 0)::int8 AS after
         FROM skill_point_entries p JOIN growth_events e ON e.id = p.event_id JOIN skill_tags s ON s.id = p.tag_id
         WHERE e.developer_id = $1 AND e.created_at < {end}
         GROUP BY s.id HAVING sum(p.points) > 0
         ORDER BY after DESC, s.slug LIMIT $4"
    ))
    .bind(developer)
    .bind(&start)
    .bind(english)
    .bind(CHARTED_SKILLS)
    .fetch_all(pool)
    .await?;

    let (badges, challenges): (Vec<String>, Vec<String>) = sqlx::query_as(&format!(
        "SELECT ARRAY(SELECT CASE WHEN $3 THEN b.name_en ELSE b.name_zh END
                      FROM developer_badges d JOIN badges b ON b.id = d.badge_id
                      WHERE d.developer_id = $1 AND d.earned_at >= {bounds} AND d.earned_at < {end}
                      ORDER BY d.earned_at),
                ARRAY(SELECT CASE WHEN $3 THEN c.name_en ELSE c.name_zh END
                      FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id
                      WHERE d.developer_id = $1 AND d.completed_at >= {bounds} AND d.completed_at < {end}
                      ORDER BY d.completed_at)"
    ))
    .bind(developer)
    .bind(&start)
    .bind(english)
    .fetch_one(pool)
    .await?;

    let (rank_before, rank_after) = ranks.of(developer);
    let ranked_developers = ranks.ranked;

    // In demand now: the open tasks' most wanted skills that this developer is thin in.
    let suggestions: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT CASE WHEN $2 THEN s.name_en ELSE s.name_zh END, count(*)::int8,
                coalesce((SELECT d.points FROM developer_skills d WHERE d.developer_id = $1 AND d.tag_id = s.id), 0)::int8 AS mine
         FROM tasks t JOIN task_tags tt ON tt.task_id = t.id JOIN skill_tags s ON s.id = tt.tag_id
         WHERE t.status = 'open'
         GROUP BY s.id
         HAVING coalesce((SELECT d.points FROM developer_skills d WHERE d.developer_id = $1 AND d.tag_id = s.id), 0) < $3
         ORDER BY count(*) DESC, s.slug LIMIT $4",
    )
    .bind(developer)
    .bind(english)
    .bind(THIN_SKILL_POINTS)
    .bind(SUGGESTIONS)
    .fetch_all(pool)
    .await?;

    Ok(Some(MonthlyReport {
        lang: language,
        developer_name,
        handle,
        year: month.year,
        month: month.month,
        level: level.as_str().to_string(),
        xp_total,
        xp_gained,
        earnings_cents,
        average_rating_x100,
        tasks: tasks
            .into_iter()
            .map(|(title, finished_on, payout_cents, merchant, stars, comment, skills)| ReportTask {
                title,
                finished_on,
                payout_cents,
                merchant,
                stars: stars.map(|s| s.clamp(1, 5) as u8),
                comment: comment.unwrap_or_default(),
                skills,
            })
            .collect(),
        skills: skills.into_iter().map(|(skill, before, after)| SkillGrowth { skill, before, after }).collect(),
        badges,
        challenges,
        rank_before,
        rank_after,
        ranked_developers,
        suggestions: suggestions
            .into_iter()
            .map(|(skill, open_tasks, your_points)| Suggestion { skill, open_tasks, your_points })
            .collect(),
    }))
}

/// The level the developer held when the month ended: their record as of then (finished tasks,
/// ratings, skill breadth) under the growth rules in force then. Levels are not stored with a
/// history, so the report, which is kept for good, must not print whatever level it is today.
async fn level_at_month_end(pool: &PgPool, developer: Uuid, first_day: &str) -> Result<Level, sqlx::Error> {
    let end = month_end("$2");
    let (finished_tasks, rating_sum, rating_count, skill_breadth, rules): (i64, i64, i64, i64, Option<Json<GrowthRules>>) =
        sqlx::query_as(&format!(
            "SELECT (SELECT count(*) FROM growth_events WHERE developer_id = $1 AND kind = 'task_completed' AND created_at < {end}),
                    (SELECT coalesce(sum(stars), 0)::int8 FROM task_ratings WHERE developer_id = $1 AND created_at < {end}),
                    (SELECT count(*) FROM task_ratings WHERE developer_id = $1 AND created_at < {end}),
                    (SELECT count(*) FROM (SELECT p.tag_id FROM skill_point_entries p JOIN growth_events e ON e.id = p.event_id
                                           WHERE e.developer_id = $1 AND e.created_at < {end}
                                           GROUP BY p.tag_id HAVING sum(p.points) > 0) tags),
                    (SELECT rules FROM growth_rules WHERE set_at < {end} ORDER BY id DESC LIMIT 1)"
        ))
        .bind(developer)
        .bind(first_day)
        .fetch_one(pool)
        .await?;
    let rules = rules.map(|json| json.0).unwrap_or_default();
    Ok(rules.level_of(&Record { finished_tasks, rating_sum, rating_count, skill_breadth }))
}

/// Starts an export of `month`'s reports for the developers with `handles` (every developer who
/// finished a task or earned XP by the month's end when empty) and returns its id; the ZIP is
/// built in the background.
pub async fn start_export(
    state: &AppState,
    admin: Uuid,
    month: ReportMonth,
    language: Locale,
    handles: &[String],
) -> Result<Uuid, AppError> {
    let developers: Vec<(Uuid, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.handle FROM users u
         WHERE u.role = 'developer'
           AND (cardinality($1::text[]) > 0 AND u.handle = ANY($1)
                OR cardinality($1::text[]) = 0 AND EXISTS (
                    SELECT 1 FROM growth_events e WHERE e.developer_id = u.id AND e.created_at < {}))
         ORDER BY u.handle",
        month_end("$2")
    ))
    .bind(handles)
    .bind(month.first_day())
    .fetch_all(&state.pool)
    .await?;
    let id = Uuid::now_v7();
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "INSERT INTO report_exports (id, requested_by, month, language, total) VALUES ($1, $2, $3::date, $4, $5)",
    )
    .bind(id)
    .bind(admin)
    .bind(month.first_day())
    .bind(language_code(language))
    .bind(developers.len() as i32)
    .execute(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "export.growth_reports",
            subject: format!("export:{id}"),
            before: None,
            after: Some(serde_json::json!({ "month": month.to_string(), "developers": developers.len() })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = build_export(&state, id, month, language, developers).await {
            tracing::error!(?error, %id, "report export failed");
            let _ = sqlx::query("UPDATE report_exports SET error = 'failed', finished_at = app_now() WHERE id = $1")
                .bind(id)
                .execute(&state.pool)
                .await;
        }
    });
    Ok(id)
}

async fn build_export(
    state: &AppState,
    id: Uuid,
    month: ReportMonth,
    language: Locale,
    developers: Vec<(Uuid, String)>,
) -> Result<(), AppError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // PDFs are compressed already; storing them keeps the export fast.
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let ranks = MonthRanks::load(&state.pool, month).await?;
    for (done, (developer, handle)) in developers.into_iter().enumerate() {
        if let Some(pdf) = report_pdf(state, developer, month, language, Some(&ranks)).await? {
            let name = report_file_name(month, &handle, language);
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(&pdf).map_err(|e| zip_error(e.into()))?;
        }
        sqlx::query("UPDATE report_exports SET done = $2, progressed_at = now() WHERE id = $1")
            .bind(id)
            .bind(done as i32 + 1)
            .execute(&state.pool)
            .await?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    sqlx::query("UPDATE report_exports SET file = $2, finished_at = app_now() WHERE id = $1")
        .bind(id)
        .bind(bytes)
        .execute(&state.pool)
        .await?;
    Ok(())
}

/// How long an unfinished export may go without progress before it counts as abandoned by a
/// process that stopped: one developer's report takes well under a second.
const EXPORT_SILENCE_SECS: i64 = 120;

/// Exports whose process stopped mid-way fail, so no admin watches a progress bar that will never
/// move. Any instance may call it (at startup and in housekeeping): an export another instance is
/// still building keeps moving and is left alone.
pub async fn fail_interrupted_exports(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let failed = sqlx::query(
        "UPDATE report_exports SET error = 'interrupted by a restart', finished_at = app_now()
          WHERE finished_at IS NULL AND progressed_at < now() - $1 * interval '1 second'",
    )
    .bind(EXPORT_SILENCE_SECS)
    .execute(pool)
    .await?;
    Ok(failed.rows_affected())
}

fn zip_error(error: zip::result::ZipError) -> AppError {
    tracing::error!(%error, "writing a report ZIP");
    AppError::Internal
}

/// An export's progress: (month, done, total, finished, failed).
pub async fn export_progress(pool: &PgPool, id: Uuid) -> Result<Option<(String, i32, i32, bool, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT to_char(month, 'YYYY-MM'), done, total, finished_at IS NOT NULL, error IS NOT NULL
         FROM report_exports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}
