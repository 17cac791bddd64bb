//! What a developer's public resume card shows, read by handle.

use crate::domain::{
    growth::Level,
    resume_card::{CardFacts, CardLanguage},
};
use sqlx::PgPool;

/// The card's facts for a developer whose card is public, skill names in `language`. None for an
/// unknown handle, a hidden card, or an account that is not a developer's.
pub async fn card_facts(
    pool: &PgPool,
    handle: &str,
    language: CardLanguage,
) -> Result<Option<CardFacts>, sqlx::Error> {
    type Row = (String, Option<String>, i64, i64, i64, Option<i64>, Vec<String>, Vec<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.display_name, g.level, coalesce(g.xp, 0), coalesce(g.finished_tasks, 0)::int8,
                (SELECT count(*) FROM developer_badges b WHERE b.developer_id = u.id),
                (g.rating_sum * 100 / NULLIF(g.rating_count, 0))::int8,
                ARRAY(SELECT CASE WHEN $2 THEN s.name_en ELSE s.name_zh END
                      FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3),
                ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3)
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .bind(language == CardLanguage::En)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(name, level, xp, finished_tasks, badges, average_rating_x100, skills, points)| CardFacts {
        name,
        level: level.as_deref().and_then(Level::parse).unwrap_or(Level::C),
        xp,
        finished_tasks,
        badges,
        average_rating_x100,
        top_skills: skills.into_iter().zip(points).collect(),
    }))
}
