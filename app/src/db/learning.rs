//! Learning content in the database: the published list, a course as its reader may see it,
//! marking one finished (a growth event challenges count, once per reader and course) and admins'
//! edits, in the audit log.

use super::{
    audit::{self, Action},
    challenges::record_activity,
};
use crate::{
    domain::{
        account::Role,
        challenges::Activity,
        learning::{CourseKind, NewCourse},
    },
    error::AppError,
    views::learning::{CourseDetail, CourseSummary},
};
use sqlx::PgPool;
use uuid::Uuid;

/// A course as lists show it, with whether the viewer finished it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    slug: String,
    kind: String,
    title: String,
    summary: String,
    minutes: i32,
    published: bool,
    finished: bool,
}

fn summary(row: SummaryRow) -> Option<CourseSummary> {
    Some(CourseSummary {
        slug: row.slug,
        kind: CourseKind::parse(&row.kind)?,
        title: row.title,
        summary: row.summary,
        minutes: row.minutes,
        published: row.published,
        finished: row.finished,
    })
}

/// Published courses newest first (admins also see drafts), with whether `viewer` finished each.
pub async fn list(pool: &PgPool, viewer: Option<(Uuid, Role)>) -> Result<Vec<CourseSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT c.slug, c.kind, c.title, c.summary, c.minutes, c.published,
                EXISTS (SELECT 1 FROM course_completions f WHERE f.course_id = c.id AND f.user_id = $1) AS finished
         FROM courses c WHERE c.published OR $2
         ORDER BY c.created_at DESC, c.slug",
    )
    .bind(viewer.map(|(user, _)| user))
    .bind(matches!(viewer, Some((_, Role::Admin))))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(summary).collect())
}

/// A course by its slug. The body is for registered readers only (free, but behind sign-in, as
/// the plan has it); drafts are for admins.
pub async fn course(pool: &PgPool, slug: &str, viewer: Option<(Uuid, Role)>) -> Result<Option<CourseDetail>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        summary: SummaryRow,
        body: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.slug, c.kind, c.title, c.summary, c.minutes, c.published,
                EXISTS (SELECT 1 FROM course_completions f WHERE f.course_id = c.id AND f.user_id = $2) AS finished,
                c.body
         FROM courses c WHERE c.slug = $1",
    )
    .bind(slug)
    .bind(viewer.map(|(user, _)| user))
    .fetch_optional(pool)
    .await?;
    let Some(Row { summary: row, body }) = row else { return Ok(None) };
    let is_admin = matches!(viewer, Some((_, Role::Admin)));
    let Some(course) = summary(row) else { return Err(AppError::Internal) };
    if !course.published && !is_admin {
        return Ok(None);
    }
    Ok(Some(CourseDetail {
        body_html: viewer.is_some().then(|| crate::markdown::render(&body)),
        body_markdown: is_admin.then_some(body),
        can_finish: matches!(viewer, Some((_, Role::Developer | Role::Merchant))) && course.published,
        course,
    }))
}

/// Marks a published course finished for `user`; a developer's first finish is a growth event.
/// Finishing again changes nothing.
pub async fn finish(pool: &PgPool, user: Uuid, role: Role, slug: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1 AND published")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let inserted =
        sqlx::query("INSERT INTO course_completions (user_id, course_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if inserted.rows_affected() == 1 && role == Role::Developer {
        record_activity(&mut tx, user, Activity::CourseFinished, &format!("course:{id}:{user}")).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Creates a course, or edits the one with this slug; in the audit log either way.
pub async fn save(pool: &PgPool, admin: Uuid, course: &NewCourse) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let before: Option<(String, bool)> =
        sqlx::query_as("SELECT title, published FROM courses WHERE slug = $1 FOR UPDATE")
            .bind(&course.slug)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO courses (id, slug, kind, title, summary, body, minutes, published, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (slug) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, summary = EXCLUDED.summary,
             body = EXCLUDED.body, minutes = EXCLUDED.minutes, published = EXCLUDED.published, updated_at = app_now()",
    )
    .bind(Uuid::now_v7())
    .bind(&course.slug)
    .bind(course.kind.as_str())
    .bind(&course.title)
    .bind(&course.summary)
    .bind(&course.body)
    .bind(course.minutes)
    .bind(course.published)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Action {
            admin,
            action: if before.is_some() { "course.edit" } else { "course.create" },
            subject: format!("course:{}", course.slug),
            before: before.map(|(title, published)| serde_json::json!({ "title": title, "published": published })),
            after: Some(serde_json::json!({ "title": course.title, "published": course.published })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
