//! Growth rules: the versions an admin saves (each from a date), the one in force, a preview of what
//! a change would do to levels, and relevelling everyone when a new version starts.

use super::RecordRow;
use crate::{
    domain::growth::{GrowthRules, Record},
    error::AppError,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The growth rules in force: the newest an admin saved, or the launch rules.
pub async fn rules(conn: &mut PgConnection) -> Result<GrowthRules, sqlx::Error> {
    let saved: Option<sqlx::types::Json<GrowthRules>> = sqlx::query_scalar(
        "SELECT rules FROM growth_rules WHERE effective_from <= app_now() ORDER BY effective_from DESC, id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(saved.map(|json| json.0).unwrap_or_default())
}

/// Saves an admin's growth rules (a new version; the old ones stay as history), in force from
/// `from` ("YYYY-MM-DD", China time; today or empty means now). Rules in force now re-evaluate every
/// level at once and return how many changed; later ones wait for `apply_due_rules`. Points, XP
/// and badges already earned are never taken back.
/// (The save commits before the re-evaluation: if that fails half-way, the rules are in force and
/// the next housekeeping run finishes it; every award in between already uses the new rules.)
pub async fn save_rules(pool: &PgPool, admin: Uuid, rules: &GrowthRules, from: Option<&str>) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let before = self::rules(&mut tx).await?;
    let effective_now: bool = sqlx::query_scalar(
        "INSERT INTO growth_rules (rules, set_by, effective_from)
         VALUES ($1, $2, greatest(app_now(), coalesce(china_instant(($3::date)::timestamp), app_now())))
         RETURNING effective_from <= app_now()",
    )
    .bind(sqlx::types::Json(rules))
    .bind(admin)
    .bind(from)
    .fetch_one(&mut *tx)
    .await?;
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Action {
            admin,
            action: "growth_rules.save",
            subject: "growth_rules".into(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!({ "rules": rules, "from": from })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    if effective_now {
        apply_due_rules(pool).await
    } else {
        Ok(0)
    }
}

/// Re-evaluates every level when saved rules have reached their time and were not applied yet.
pub async fn apply_due_rules(pool: &PgPool) -> Result<u64, AppError> {
    let due: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM growth_rules WHERE applied_at IS NULL AND effective_from <= app_now()")
            .fetch_all(pool)
            .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let changed = relevel_all(pool).await?;
    sqlx::query("UPDATE growth_rules SET applied_at = app_now() WHERE id = ANY($1)").bind(&due).execute(pool).await?;
    Ok(changed)
}

/// How `proposed` would move today's developers, for the admin to see before saving.
pub async fn preview_rules(
    pool: &PgPool,
    proposed: &GrowthRules,
) -> Result<crate::domain::growth::LevelShift, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let now = rules(&mut conn).await?;
    let rows: Vec<RecordRow> = sqlx::query_as(
        "SELECT g.finished_tasks, g.rating_sum, g.rating_count,
                (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0)
                    AS skill_breadth
         FROM developer_growth g",
    )
    .fetch_all(&mut *conn)
    .await?;
    let records: Vec<Record> = rows.into_iter().map(RecordRow::into_record).collect();
    Ok(crate::domain::growth::level_shift(&now, proposed, &records))
}

/// Recomputes every developer's level under the rules in force, 500 developers per transaction,
/// each batch under the developers' growth locks (taken in id order; an award holds only its own
/// developer's lock, so the two cannot deadlock). Returns how many levels changed.
pub async fn relevel_all(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut changed = 0;
    let mut after_id = Uuid::nil();
    loop {
        let mut tx = pool.begin().await?;
        let rules = rules(&mut tx).await?;
        // Lock first, then read in a statement of its own: one statement would count skills from
        // before an award it had to wait for.
        let locked: Vec<Uuid> = sqlx::query_scalar(
            "SELECT developer_id FROM developer_growth WHERE developer_id > $1 ORDER BY developer_id LIMIT 500 FOR UPDATE",
        )
        .bind(after_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = locked.last() else { return Ok(changed) };
        after_id = *last;
        #[derive(sqlx::FromRow)]
        struct Row {
            developer_id: Uuid,
            #[sqlx(flatten)]
            record: RecordRow,
            level: String,
        }
        let batch: Vec<Row> = sqlx::query_as(
            "SELECT g.developer_id, g.finished_tasks, g.rating_sum, g.rating_count,
                    (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0)
                        AS skill_breadth,
                    g.level
             FROM developer_growth g WHERE g.developer_id = ANY($1)",
        )
        .bind(&locked)
        .fetch_all(&mut *tx)
        .await?;
        let (ids, levels): (Vec<Uuid>, Vec<&'static str>) = batch
            .into_iter()
            .filter_map(|row| {
                let level = rules.level_of(&row.record.into_record()).as_str();
                (level != row.level).then_some((row.developer_id, level))
            })
            .unzip();
        if !ids.is_empty() {
            sqlx::query(
                "UPDATE developer_growth g SET level = l.level, updated_at = app_now()
                 FROM unnest($1::uuid[], $2::text[]) AS l (developer_id, level) WHERE g.developer_id = l.developer_id",
            )
            .bind(&ids)
            .bind(&levels)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        changed += ids.len() as u64;
    }
}
