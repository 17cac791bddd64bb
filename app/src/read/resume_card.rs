//! What a developer's public resume card shows, read by handle.

use crate::db::tasks::COMPLETED_AT;
use crate::{
    domain::{
        growth::Level,
        public_page::merchant_page,
        resume_card::{CardFacts, CardTheme},
    },
    views::{
        hall::TagLabel,
        resume::{BadgeVerification, EarnedBadge, FinishedTask, ResumeCard, TaskVerification},
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
    #[derive(sqlx::FromRow)]
    struct Row {
        display_name: String,
        level: Option<String>,
        xp: i64,
        finished_tasks: i64,
        badges: i64,
        average_rating_x100: Option<i64>,
        skills: Vec<String>,
        points: Vec<i64>,
        card_theme: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.display_name, g.level, coalesce(g.xp, 0) AS xp, coalesce(g.finished_tasks, 0)::int8 AS finished_tasks,
                (SELECT count(*) FROM developer_badges b WHERE b.developer_id = u.id) AS badges,
                (g.rating_sum * 100 / NULLIF(g.rating_count, 0))::int8 AS average_rating_x100,
                ARRAY(SELECT CASE WHEN $2 THEN s.name_en ELSE s.name_zh END
                      FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3) AS skills,
                ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = u.id AND d.points > 0 ORDER BY d.points DESC, s.slug LIMIT 3) AS points,
                u.card_theme
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .bind(language == crate::i18n::Locale::en)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| {
        let facts = CardFacts {
            name: row.display_name,
            level: row.level.as_deref().and_then(Level::parse).unwrap_or(Level::C),
            xp: row.xp,
            finished_tasks: row.finished_tasks,
            badges: row.badges,
            average_rating_x100: row.average_rating_x100,
            top_skills: row.skills.into_iter().zip(row.points).collect(),
        };
        (facts, CardTheme::chosen(row.card_theme.as_deref()))
    }))
}

/// The public resume card of the developer with `handle`; None when unknown, hidden, or not a
/// developer. Finished tasks are those completed with this developer, dated by their completion
/// event, with the merchant's rating when there is one.
pub async fn resume(pool: &PgPool, handle: &str) -> Result<Option<ResumeCard>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Head {
        id: Uuid,
        handle: String,
        display_name: String,
        headline: String,
        bio: String,
        level: Option<String>,
        xp: i64,
        finished_tasks: i64,
        rating_sum: i64,
        rating_count: i64,
        member_since: String,
        card_hide_merchants: bool,
        card_theme: Option<String>,
    }
    let head: Option<Head> = sqlx::query_as(
        "SELECT u.id, u.handle, u.display_name, u.headline, u.bio, g.level, coalesce(g.xp, 0) AS xp,
                coalesce(g.finished_tasks, 0)::int8 AS finished_tasks, coalesce(g.rating_sum, 0)::int8 AS rating_sum,
                coalesce(g.rating_count, 0)::int8 AS rating_count,
                china_text(u.created_at, 'YYYY-MM') AS member_since, u.card_hide_merchants, u.card_theme
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .fetch_optional(pool)
    .await?;
    let Some(head) = head else {
        return Ok(None);
    };
    let skills = super::growth_panel::skills_of(&mut *pool.acquire().await?, head.id).await?;
    let badges: Vec<BadgeRow> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.description_zh, b.description_en,
                china_text(d.earned_at, 'YYYY-MM-DD') AS earned_at
         FROM developer_badges d JOIN badges b ON b.id = d.badge_id
         WHERE d.developer_id = $1 ORDER BY d.earned_at DESC, b.slug",
    )
    .bind(head.id)
    .fetch_all(pool)
    .await?;
    #[derive(sqlx::FromRow)]
    struct Finished {
        id: Uuid,
        merchant_id: Uuid,
        title: String,
        slugs: Vec<String>,
        names_zh: Vec<String>,
        names_en: Vec<String>,
        merchant: String,
        stars: Option<i16>,
        comment: Option<String>,
        finished_at: String,
    }
    let finished: Vec<Finished> = sqlx::query_as(&format!(
        "SELECT t.id, t.merchant_id, t.title,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS slugs,
                ARRAY(SELECT s.name_zh FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS names_zh,
                ARRAY(SELECT s.name_en FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS names_en,
                m.display_name AS merchant, r.stars, r.comment,
                china_text(done.at, 'YYYY-MM-DD') AS finished_at
         FROM tasks t
         JOIN users m ON m.id = t.merchant_id
         {COMPLETED_AT}
         LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.developer_id = $1 AND t.status = 'completed'
         ORDER BY done.at DESC LIMIT 50"
    ))
    .bind(head.id)
    .fetch_all(pool)
    .await?;
    let recommendations = crate::db::contests::recommendations(pool, head.id).await?;
    let portfolio = crate::db::portfolio::items_of(pool, head.id).await?;
    let nda = head.card_hide_merchants;
    Ok(Some(ResumeCard {
        theme: CardTheme::chosen(head.card_theme.as_deref()),
        handle: head.handle,
        name: head.display_name,
        headline: head.headline,
        bio: head.bio,
        level: head.level.as_deref().and_then(Level::parse).unwrap_or(Level::C),
        xp: head.xp,
        finished_tasks: head.finished_tasks,
        average_rating_x100: (head.rating_count > 0).then(|| head.rating_sum * 100 / head.rating_count),
        rating_count: head.rating_count,
        member_since: head.member_since,
        skills,
        badges: badges.into_iter().map(BadgeRow::into_badge).collect(),
        finished: finished
            .into_iter()
            .map(|row| FinishedTask {
                task_id: row.id,
                title: row.title,
                tags: tag_labels(row.slugs, row.names_zh, row.names_en),
                merchant: (!nda).then_some(row.merchant),
                merchant_page: (!nda).then(|| merchant_page(row.merchant_id)),
                stars: row.stars,
                comment: row.comment.unwrap_or_default(),
                finished_at: row.finished_at,
            })
            .collect(),
        recommendations,
        portfolio,
    }))
}

/// A badge a developer earned, with the day it was earned.
#[derive(sqlx::FromRow)]
struct BadgeRow {
    slug: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    earned_at: String,
}

impl BadgeRow {
    fn into_badge(self) -> EarnedBadge {
        EarnedBadge {
            slug: self.slug,
            name_zh: self.name_zh,
            name_en: self.name_en,
            description_zh: self.description_zh,
            description_en: self.description_en,
            earned_at: self.earned_at,
        }
    }
}

/// A finished task of a developer whose card is public, as its verification page shows it.
pub async fn verify_task(pool: &PgPool, id: Uuid) -> Result<Option<TaskVerification>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        developer: String,
        handle: String,
        merchant: String,
        card_hide_merchants: bool,
        posted_on: String,
        accepted_on: String,
        stars: Option<i16>,
        comment: Option<String>,
        slugs: Vec<String>,
        names_zh: Vec<String>,
        names_en: Vec<String>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT t.title, d.display_name AS developer, d.handle, m.display_name AS merchant, d.card_hide_merchants,
                china_text(t.created_at, 'YYYY-MM-DD') AS posted_on,
                china_text(done.at, 'YYYY-MM-DD') AS accepted_on, r.stars, r.comment,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS slugs,
                ARRAY(SELECT s.name_zh FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS names_zh,
                ARRAY(SELECT s.name_en FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id ORDER BY s.slug) AS names_en
         FROM tasks t {COMPLETED_AT}
         JOIN users d ON d.id = t.developer_id
         JOIN users m ON m.id = t.merchant_id
         LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.id = $1 AND t.status = 'completed' AND d.card_public"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| TaskVerification {
        task_id: id,
        title: row.title,
        developer: row.developer,
        handle: row.handle,
        merchant: (!row.card_hide_merchants).then_some(row.merchant),
        posted_on: row.posted_on,
        accepted_on: row.accepted_on,
        stars: row.stars,
        comment: row.comment.unwrap_or_default(),
        tags: tag_labels(row.slugs, row.names_zh, row.names_en),
    }))
}

/// A badge a developer with a public card earned, and the finished task that earned it.
pub async fn verify_badge(pool: &PgPool, handle: &str, slug: &str) -> Result<Option<BadgeVerification>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        badge: BadgeRow,
        display_name: String,
        handle: String,
        task_id: Option<Uuid>,
        task_title: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.description_zh, b.description_en,
                china_text(d.earned_at, 'YYYY-MM-DD') AS earned_at, u.display_name, u.handle,
                t.id AS task_id, t.title AS task_title
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
    Ok(row.map(|row| BadgeVerification {
        badge: row.badge.into_badge(),
        developer: row.display_name,
        handle: row.handle,
        evidence: row.task_id.zip(row.task_title),
    }))
}

fn tag_labels(slugs: Vec<String>, names_zh: Vec<String>, names_en: Vec<String>) -> Vec<TagLabel> {
    slugs
        .into_iter()
        .zip(names_zh)
        .zip(names_en)
        .map(|((slug, name_zh), name_en)| TagLabel { slug, name_zh, name_en })
        .collect()
}
