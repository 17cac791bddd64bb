//! Leaderboards: the top of an indexed summary (never the event log), decorated for display. Ties
//! are broken by developer id, so equal scores always list in the same order.

use crate::{
    db::periods::window_start,
    domain::{
        account::Role,
        growth::{Level, Period},
        public_page::public_page,
    },
    views::{
        hall::TagLabel,
        leaderboard::{BoardRow, Leaderboard},
    },
};
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

pub const BOARD_SIZE: i64 = 10;

/// The `board (developer_id, score)` rows for a period and, optionally, one skill's tag id ($2).
/// $1 is the limit. Each is a range scan of one index.
fn board_sql(period: Period, by_skill: bool) -> String {
    match (period, by_skill) {
        // A growth row exists from a developer's first activity (a check-in, an application); the
        // board lists only those who have earned XP.
        (Period::AllTime, false) => {
            "SELECT developer_id, xp AS score FROM developer_growth WHERE $2::int IS NULL AND xp > 0
             ORDER BY xp DESC, developer_id LIMIT $1"
                .into()
        }
        (Period::AllTime, true) => "SELECT developer_id, points AS score FROM developer_skills WHERE tag_id = $2
             ORDER BY points DESC, developer_id LIMIT $1"
            .into(),
        (period, false) => format!(
            "SELECT developer_id, xp AS score FROM growth_period_totals
             WHERE period = '{kind}' AND starts_on = {start} AND $2::int IS NULL
             ORDER BY xp DESC, developer_id LIMIT $1",
            kind = period.as_str(),
            start = current_start(period),
        ),
        (period, true) => format!(
            "SELECT developer_id, points AS score FROM skill_period_totals
             WHERE period = '{kind}' AND starts_on = {start} AND tag_id = $2
             ORDER BY points DESC, developer_id LIMIT $1",
            kind = period.as_str(),
            start = current_start(period),
        ),
    }
}

/// The first day of `period`'s current window (all time has none: its board is not windowed).
fn current_start(period: Period) -> String {
    period.window().map_or_else(|| "NULL".into(), |window| window_start(window, "app_now()"))
}

#[derive(sqlx::FromRow)]
struct Row {
    developer_id: Uuid,
    display_name: String,
    handle: String,
    card_public: bool,
    level: String,
    score: i64,
    top_skills: Json<Vec<TagLabel>>,
}

/// The top `limit` for `period`, overall or for the skill `slug` (an unknown slug gives an empty board).
pub async fn top(pool: &PgPool, period: Period, slug: Option<&str>, limit: i64) -> Result<Vec<BoardRow>, sqlx::Error> {
    let tag: Option<i32> = match slug {
        Some(slug) => match sqlx::query_scalar("SELECT id FROM skill_tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await?
        {
            Some(id) => Some(id),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let sql = format!(
        "WITH board AS ({board})
         SELECT b.developer_id, u.display_name, u.handle, u.card_public, COALESCE(g.level, 'C') AS level, b.score,
                COALESCE((SELECT json_agg(json_build_object('slug', x.slug, 'name_zh', x.name_zh, 'name_en', x.name_en))
                          FROM (SELECT t.slug, t.name_zh, t.name_en FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id
                                WHERE s.developer_id = b.developer_id AND s.points > 0
                                ORDER BY s.points DESC, t.slug LIMIT 3) x), '[]'::json) AS top_skills
         FROM board b JOIN users u ON u.id = b.developer_id LEFT JOIN developer_growth g ON g.developer_id = b.developer_id
         WHERE b.score > 0
         ORDER BY b.score DESC, b.developer_id",
        board = board_sql(period, tag.is_some()),
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).bind(limit).bind(tag).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| BoardRow {
            rank: i as i64 + 1,
            developer_id: row.developer_id,
            name: row.display_name,
            page: public_page(Role::Developer, row.developer_id, &row.handle, row.card_public),
            level: Level::parse(&row.level).unwrap_or(Level::C),
            score: row.score,
            top_skills: row.top_skills.0,
        })
        .collect())
}

pub async fn leaderboard(pool: &PgPool, period: Period, slug: Option<&str>) -> Result<Leaderboard, sqlx::Error> {
    let rows = top(pool, period, slug, BOARD_SIZE).await?;
    let tags = crate::db::tasks::all_tags(pool).await?;
    let skill = slug.and_then(|slug| tags.iter().find(|t| t.slug == slug).cloned());
    Ok(Leaderboard { period, skill, rows, tags })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_board_reads_the_event_log() {
        for period in Period::ALL {
            for by_skill in [false, true] {
                let sql = board_sql(period, by_skill);
                assert!(!sql.contains("growth_events"), "{period:?} {by_skill}: {sql}");
                assert!(sql.contains("LIMIT $1") && sql.contains("developer_id LIMIT"), "bounded, ties by id");
            }
        }
    }
}
