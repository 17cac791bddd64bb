//! The applicant cards' evidence: each applicant's level, ratings, credit score, finished work,
//! punctuality, response time, reviews, badges and fit to the task. Four statements for the whole
//! task, however many applied (the figures, the badges, the credit records and the reviews), so
//! the owner's page stays fast with fifty applicants. The rules are the domain's: the credit score
//! (`domain::credit`), the fit (`domain::matching`), the on-time share, response time and badge
//! relevance (`domain::applicants`), the public page (`domain::public_page`).

use crate::{
    db::tasks::COMPLETED_AT,
    domain::{
        account::Role,
        applicants::{badge_matters, on_time_share, ResponseTime},
        badges::BadgeRule,
        credit::credit_score,
        growth::Level,
        matching::{fit, DeveloperFit, TaskFit},
        public_page::public_page,
    },
    views::{
        applicants::{ApplicantEvidence, BadgeLabel, EvidenceReview, FitReason},
        hall::TagLabel,
        tasks::ApplicationView,
    },
};
use sqlx::{types::Json, PgConnection};
use std::collections::HashMap;
use uuid::Uuid;

/// Reviews quoted on each card.
const REVIEWS_PER_APPLICANT: i64 = 3;

/// What the fit and the tag counts read of the task.
pub(super) struct TaskFacts<'a> {
    pub id: Uuid,
    pub tags: &'a [TagLabel],
    pub difficulty: i16,
    pub min_level: Option<Level>,
}

#[derive(sqlx::FromRow)]
struct FiguresRow {
    application_id: Uuid,
    developer_id: Uuid,
    handle: String,
    card_public: bool,
    card_hide_merchants: bool,
    level: Option<String>,
    rating_sum: i64,
    rating_count: i64,
    finished_tasks: i64,
    declared: Vec<String>,
    earned_slugs: Vec<String>,
    earned_points: Vec<i64>,
    completed: i64,
    on_time: i64,
    in_tags: i64,
    median_reply_seconds: Option<i64>,
}

/// The figures of every applicant to the task, one row each. A conversation's first reply is the
/// applicant's first message after the merchant's first one.
fn figures_sql() -> String {
    format!(
        "SELECT a.id AS application_id, a.developer_id, u.handle, u.card_public, u.card_hide_merchants, g.level,
                coalesce(g.rating_sum, 0)::int8 AS rating_sum, coalesce(g.rating_count, 0)::int8 AS rating_count,
                coalesce(g.finished_tasks, 0)::int8 AS finished_tasks,
                ARRAY(SELECT s.slug FROM user_skills us JOIN skill_tags s ON s.id = us.tag_id
                      WHERE us.user_id = a.developer_id) AS declared,
                ARRAY(SELECT s.slug FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = a.developer_id AND d.points > 0 ORDER BY s.slug) AS earned_slugs,
                ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = a.developer_id AND d.points > 0 ORDER BY s.slug) AS earned_points,
                work.completed, work.on_time, work.in_tags, response.median_reply_seconds
         FROM applications a
         JOIN users u ON u.id = a.developer_id
         LEFT JOIN developer_growth g ON g.developer_id = a.developer_id
         CROSS JOIN LATERAL (
             SELECT count(*) AS completed,
                    count(*) FILTER (WHERE done.at <= t.deadline) AS on_time,
                    count(*) FILTER (WHERE EXISTS (
                        SELECT 1 FROM task_tags tt JOIN task_tags mine ON mine.tag_id = tt.tag_id AND mine.task_id = $1
                        WHERE tt.task_id = t.id)) AS in_tags
             FROM tasks t {COMPLETED_AT}
             WHERE t.developer_id = a.developer_id AND t.status = 'completed') work
         CROSS JOIN LATERAL (
             SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reply.at - asked.at)))::int8
                        AS median_reply_seconds
             FROM (SELECT DISTINCT ON (m.task_id) m.task_id, m.created_at AS at
                   FROM task_messages m
                   WHERE m.developer_id = a.developer_id AND m.author_id <> a.developer_id
                   ORDER BY m.task_id, m.created_at) asked
             CROSS JOIN LATERAL (
                 SELECT min(r.created_at) AS at FROM task_messages r
                 WHERE r.task_id = asked.task_id AND r.developer_id = a.developer_id
                   AND r.author_id = a.developer_id AND r.created_at > asked.at) reply
             WHERE reply.at IS NOT NULL) response
         WHERE a.task_id = $1"
    )
}

#[derive(sqlx::FromRow)]
struct BadgeRow {
    developer_id: Uuid,
    slug: String,
    name_zh: String,
    name_en: String,
    rule: Json<serde_json::Value>,
}

/// Fills in `evidence` on each of the task's applications.
pub(super) async fn attach(
    conn: &mut PgConnection,
    task: &TaskFacts<'_>,
    applications: &mut [ApplicationView],
) -> Result<(), sqlx::Error> {
    if applications.is_empty() {
        return Ok(());
    }
    let figures: Vec<FiguresRow> = sqlx::query_as(&figures_sql()).bind(task.id).fetch_all(&mut *conn).await?;
    let developers: Vec<Uuid> = figures.iter().map(|row| row.developer_id).collect();
    let badges: Vec<BadgeRow> = sqlx::query_as(
        "SELECT d.developer_id, b.slug, b.name_zh, b.name_en, b.rule
         FROM developer_badges d JOIN badges b ON b.id = d.badge_id
         WHERE d.developer_id = ANY($1) ORDER BY d.earned_at DESC, b.slug",
    )
    .bind(&developers)
    .fetch_all(&mut *conn)
    .await?;
    let mut credit: HashMap<Uuid, _> = crate::db::credit::records(conn, &developers).await?.into_iter().collect();
    let reviews = crate::db::reviews::latest_received_as_developer(conn, &developers, REVIEWS_PER_APPLICANT).await?;
    let slugs: Vec<String> = task.tags.iter().map(|tag| tag.slug.clone()).collect();
    let task_fit = TaskFit { tags: slugs.clone(), difficulty: task.difficulty, min_level: task.min_level };
    let mut by_application: HashMap<Uuid, ApplicantEvidence> = HashMap::new();
    for row in figures {
        let developer = row.developer_id;
        let average_rating_x100 = (row.rating_count > 0).then(|| row.rating_sum * 100 / row.rating_count);
        let level = row.level.as_deref().and_then(Level::parse).unwrap_or(Level::C);
        let profile = DeveloperFit {
            declared: row.declared,
            earned: row.earned_slugs.into_iter().zip(row.earned_points).collect(),
            level: Some(level),
            average_rating_x100,
        };
        let fit = fit(&task_fit, &profile).map(|fit| FitReason {
            score: fit.score,
            matched: task.tags.iter().filter(|tag| fit.matched.contains(&tag.slug)).cloned().collect(),
        });
        let nda = row.card_hide_merchants;
        let evidence = ApplicantEvidence {
            page: public_page(Role::Developer, developer, &row.handle, row.card_public),
            level,
            average_rating_x100,
            rating_count: row.rating_count,
            credit: credit_score(credit.remove(&developer).unwrap_or_default()),
            finished_tasks: row.finished_tasks,
            finished_in_tags: row.in_tags,
            on_time_share: on_time_share(row.on_time, row.completed),
            response_time: row.median_reply_seconds.map(ResponseTime::of_seconds),
            reviews: reviews
                .iter()
                .filter(|review| review.subject_id == developer)
                .map(|review| EvidenceReview {
                    stars: review.overall,
                    body: review.body.clone(),
                    written_on: review.written_on.clone(),
                    // A developer who keeps their clients private does not have them named here either.
                    author_name: (!nda).then(|| review.author_name.clone()),
                    author_page: review.author_page.clone().filter(|_| !nda),
                })
                .collect(),
            badges: badges
                .iter()
                .filter(|badge| badge.developer_id == developer)
                .filter(|badge| {
                    serde_json::from_value::<BadgeRule>(badge.rule.0.clone())
                        .is_ok_and(|rule| badge_matters(&rule, &badge.slug, &slugs))
                })
                .map(|badge| BadgeLabel {
                    slug: badge.slug.clone(),
                    name_zh: badge.name_zh.clone(),
                    name_en: badge.name_en.clone(),
                })
                .collect(),
            fit,
        };
        by_application.insert(row.application_id, evidence);
    }
    for application in applications {
        application.evidence = by_application.remove(&application.id);
    }
    Ok(())
}
