//! What a developer's public resume card shows, read by handle.

use crate::db::tasks::COMPLETED_AT;
use crate::{
    domain::{
        growth::Level,
        resume_card::{CardFacts, CardTheme},
    },
    views::{
        hall::TagLabel,
        resume::{BadgeVerification, EarnedBadge, FinishedTask, Recommendation, ResumeCard, TaskVerification},
    },
};
use sqlx::PgPool;
use uuid::Uuid;

/// The card's facts for a developer whose card is public, skill names in `language`. None for an
/// unknown handle, a hidden card, or an account that is not a developer's.
pub async fn card_facts(
    pool: &PgPool,
    handle: &str,
    language: crate::i18n::Locale,
) -> Result<Option<(CardFacts, CardTheme)>, sqlx::Error> {
    type Row = (String, Option<String>, i64, i64, i64, Option<i64>, Vec<String>, Vec<i64>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.display_name, g.level, coalesce(g.xp, 0), coalesce(g.finished_tasks, 0)::int8,
                (SELECT count(*) FROM developer_badges b WHERE b.developer_id = u.id),
                (g.rating_sum * 100 / NULLIF(g.rating_count, 0))::int8,
                ARRAY(SELECT CASE WHEN $2 THEN s.name_en ELSE s.name_zh END
                      FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3),
                ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3),
                u.card_theme
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .bind(language == crate::i18n::Locale::en)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(name, level, xp, finished_tasks, badges, average_rating_x100, skills, points, theme)| {
        let facts = CardFacts {
            name,
            level: level.as_deref().and_then(Level::parse).unwrap_or(Level::C),
            xp,
            finished_tasks,
            badges,
            average_rating_x100,
            top_skills: skills.into_iter().zip(points).collect(),
        };
        (facts, CardTheme::chosen(theme.as_deref()))
    }))
}

/// The public resume card of the developer with `handle`; None when unknown, hidden, or not a
/// developer. Finished tasks are those completed with this developer, dated by their completion
/// event, with the merchant's rating when there is one.
pub async fn resume(pool: &PgPool, handle: &str) -> Result<Option<ResumeCard>, sqlx::Error> {
    type Head =
        (Uuid, String, String, String, String, Option<String>, i64, i64, i64, i64, String, bool, Option<String>);
    let head: Option<Head> = sqlx::query_as(
        "SELECT u.id, u.handle, u.display_name, u.headline, u.bio, g.level, coalesce(g.xp, 0),
                coalesce(g.finished_tasks, 0)::int8, coalesce(g.rating_sum, 0)::int8, coalesce(g.rating_count, 0)::int8,
                china_text(u.created_at, 'YYYY-MM'), u.card_hide_merchants, u.card_theme
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .fetch_optional(pool)
    .await?;
    let Some((
        id,
        handle,
        name,
        headline,
        bio,
        level,
        xp,
        finished_tasks,
        rating_sum,
        rating_count,
        member_since,
        nda,
        theme,
    )) = head
    else {
        return Ok(None);
    };
    let skills = super::growth_panel::skills_of(&mut *pool.acquire().await?, id).await?;
    let badges: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.description_zh, b.description_en,
                china_text(d.earned_at, 'YYYY-MM-DD')
         FROM developer_badges d JOIN badges b ON b.id = d.badge_id
         WHERE d.developer_id = $1 ORDER BY d.earned_at DESC, b.slug",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    type Finished = (Uuid, String, Vec<String>, Vec<String>, Vec<String>, String, Option<i16>, Option<String>, String);
    let finished: Vec<Finished> = sqlx::query_as(&format!(
        "SELECT t.id, t.title,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug),
                ARRAY(SELECT s.name_zh FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug),
                ARRAY(SELECT s.name_en FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug),
                m.display_name, r.stars, r.comment,
                china_text(done.at, 'YYYY-MM-DD')
         FROM tasks t
         JOIN users m ON m.id = t.merchant_id
         {COMPLETED_AT}
         LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.developer_id = $1 AND t.status = 'completed'
         ORDER BY done.at DESC LIMIT 50"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    let recommendations = crate::db::contests::recommendations(pool, id).await?;
    Ok(Some(ResumeCard {
        theme: CardTheme::chosen(theme.as_deref()),
        handle,
        name,
        headline,
        bio,
        level: level.as_deref().and_then(Level::parse).unwrap_or(Level::C),
        xp,
        finished_tasks,
        average_rating_x100: (rating_count > 0).then(|| rating_sum * 100 / rating_count),
        rating_count,
        member_since,
        skills,
        badges: badges
            .into_iter()
            .map(|(slug, name_zh, name_en, description_zh, description_en, earned_at)| EarnedBadge {
                slug,
                name_zh,
                name_en,
                description_zh,
                description_en,
                earned_at,
            })
            .collect(),
        finished: finished
            .into_iter()
            .map(|(task_id, title, slugs, names_zh, names_en, merchant, stars, comment, finished_at)| FinishedTask {
                task_id,
                title,
                tags: tag_labels(slugs, names_zh, names_en),
                merchant: (!nda).then_some(merchant),
                stars,
                comment: comment.unwrap_or_default(),
                finished_at,
            })
            .collect(),
        recommendations: recommendations
            .into_iter()
            .map(|(challenge, mentor, text, date)| Recommendation { challenge, mentor, text, date })
            .collect(),
    }))
}

/// A finished task of a developer whose card is public, as its verification page shows it.
pub async fn verify_task(pool: &PgPool, id: Uuid) -> Result<Option<TaskVerification>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
        Option<i16>,
        Option<String>,
        Vec<String>,
        Vec<String>,
        Vec<String>,
    );
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT t.title, d.display_name, d.handle, m.display_name, d.card_hide_merchants,
                china_text(t.created_at, 'YYYY-MM-DD'),
                china_text(done.at, 'YYYY-MM-DD'), r.stars, r.comment,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug),
                ARRAY(SELECT s.name_zh FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug),
                ARRAY(SELECT s.name_en FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug)
         FROM tasks t {COMPLETED_AT}
         JOIN users d ON d.id = t.developer_id
         JOIN users m ON m.id = t.merchant_id
         LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.id = $1 AND t.status = 'completed' AND d.card_public"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(
            title,
            developer,
            handle,
            merchant,
            nda,
            posted_on,
            accepted_on,
            stars,
            comment,
            slugs,
            names_zh,
            names_en,
        )| {
            TaskVerification {
                task_id: id,
                title,
                developer,
                handle,
                merchant: (!nda).then_some(merchant),
                posted_on,
                accepted_on,
                stars,
                comment: comment.unwrap_or_default(),
                tags: tag_labels(slugs, names_zh, names_en),
            }
        },
    ))
}

/// A badge a developer with a public card earned, and the finished task that earned it.
pub async fn verify_badge(pool: &PgPool, handle: &str, slug: &str) -> Result<Option<BadgeVerification>, sqlx::Error> {
    type Row = (String, String, String, String, String, String, String, String, Option<Uuid>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.description_zh, b.description_en,
                china_text(d.earned_at, 'YYYY-MM-DD'), u.display_name, u.handle,
                t.id, t.title
         FROM users u
         JOIN developer_badges d ON d.developer_id = u.id
         JOIN badges b ON b.id = d.badge_id
         JOIN growth_events e ON e.id = d.event_id
         LEFT JOIN tasks t ON t.id = e.task_id AND t.status = 'completed'
         WHERE u.handle = $1 AND b.slug = $2 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(
            slug,
            name_zh,
            name_en,
            description_zh,
            description_en,
            earned_at,
            developer,
            handle,
            task_id,
            task_title,
        )| {
            BadgeVerification {
                badge: EarnedBadge { slug, name_zh, name_en, description_zh, description_en, earned_at },
                developer,
                handle,
                evidence: task_id.zip(task_title),
            }
        },
    ))
}

fn tag_labels(slugs: Vec<String>, names_zh: Vec<String>, names_en: Vec<String>) -> Vec<TagLabel> {
    slugs
        .into_iter()
        .zip(names_zh)
        .zip(names_en)
        .map(|((slug, name_zh), name_en)| TagLabel { slug, name_zh, name_en })
        .collect()
}
