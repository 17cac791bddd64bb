//! The task page (`/tasks/{id}`): the task shaped for who is looking. The owner sees the
//! applications, the two parties and admins see deliveries and the timeline, everyone sees the
//! itemised money. Each part is its own query in its own file; this one decides who sees what.

mod applications;
mod evidence;
mod milestones;
mod payee_rate;
mod quotes;
mod timeline;

use crate::{
    domain::{
        account::{MerchantKind, Role},
        fees::PayoutSplit,
        growth::Level,
        lifecycle::{Party, TaskStatus},
        money::Money,
        tasks::{Category, Difficulty},
    },
    error::AppError,
    views::{
        hall::TagLabel,
        tasks::{TaskDetail, Viewer},
    },
};
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

/// Timestamps on the task page, to the minute, China time.
const MINUTE: &str = "'YYYY-MM-DD HH24:MI'";

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: Uuid,
    merchant_id: Uuid,
    developer_id: Option<Uuid>,
    title: String,
    description: String,
    difficulty: i16,
    status: String,
    reward_fen: i64,
    deadline: String,
    change_rounds: i16,
    commission_bps: Option<i32>,
    cancel_proposed_by: Option<String>,
    category: String,
    merchant_name: String,
    merchant_kind: Option<String>,
    tags: Json<Vec<TagLabel>>,
    applicant_count: i64,
    min_level: Option<String>,
    published_on: Option<String>,
}

/// The task page's data for `viewer`, or None where the viewer may not see the task at all.
pub async fn task_detail(
    pool: &PgPool,
    id: Uuid,
    viewer: Option<(Uuid, Role)>,
) -> Result<Option<TaskDetail>, AppError> {
    let row: Option<TaskRow> = sqlx::query_as(
        "SELECT t.id, t.merchant_id, t.developer_id, t.title, t.description, t.difficulty, t.status,
                t.reward_fen, china_text(t.deadline, 'YYYY-MM-DD') AS deadline,
                china_text(t.published_at, 'YYYY-MM-DD') AS published_on,
                t.change_rounds, t.commission_bps, t.cancel_proposed_by, t.category, t.min_level,
                u.display_name AS merchant_name,
                u.merchant_kind,
                COALESCE((SELECT json_agg(json_build_object('slug', s.slug, 'name_zh', s.name_zh,
                                                            'name_en', s.name_en) ORDER BY s.slug)
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id),
                         '[]'::json) AS tags,
                (SELECT count(*) FROM applications a WHERE a.task_id = t.id AND a.status <> 'withdrawn') AS applicant_count
         FROM tasks t JOIN users u ON u.id = t.merchant_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status = TaskStatus::parse(&row.status).ok_or(AppError::Internal)?;
    let viewer_kind = Viewer::of(viewer, row.merchant_id, row.developer_id);
    if !viewer_kind.may_see(status, developer_hides_clients(pool, row.developer_id).await?) {
        return Ok(None);
    }
    let party = viewer_kind.is_party_or_admin();
    let mut conn = pool.acquire().await?;
    let category = Category::from_slug(&row.category).ok_or(AppError::Internal)?;
    let priced = payee_rate::rate(&mut conn, &row, category, viewer).await?;
    // What `lifecycle::apply` would refuse a developer for, said before they try.
    let viewer_restriction = match viewer {
        Some((user, _)) if viewer_kind == Viewer::OtherDeveloper && status == TaskStatus::Open => {
            crate::db::credit::active_restriction(&mut conn, user).await?
        }
        _ => None,
    };
    let milestones = milestones::of_task(&mut conn, id, priced.rate, party).await?;
    let mut applications = match viewer_kind {
        Viewer::Owner | Viewer::Admin => {
            let mut applications = applications::of_task(&mut conn, id, None).await?;
            let task = evidence::TaskFacts {
                id,
                tags: &row.tags.0,
                difficulty: row.difficulty,
                min_level: row.min_level.as_deref().and_then(Level::parse),
            };
            evidence::attach(&mut conn, &task, &mut applications).await?;
            applications
        }
        _ => Vec::new(),
    };
    let mut my_application = match viewer {
        Some((user, Role::Developer)) => applications::of_task(&mut conn, id, Some(user)).await?.into_iter().next(),
        _ => None,
    };
    let my_invitation = match viewer {
        Some((user, Role::Developer)) => crate::db::invitations::for_task(&mut conn, id, user).await?,
        _ => None,
    };
    quotes::attach(&mut conn, id, priced.task_rate, &mut applications).await?;
    quotes::attach(&mut conn, id, priced.task_rate, my_application.as_mut_slice()).await?;
    let timeline = if party { timeline::of_task(&mut conn, id).await? } else { Vec::new() };
    let merchant_response_rate = super::merchant_profile::response_rate(&mut conn, row.merchant_id).await?;
    let rating: Option<i16> = sqlx::query_scalar("SELECT stars FROM task_ratings WHERE task_id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    drop(conn);
    let reviews = if status == TaskStatus::Completed {
        crate::db::reviews::for_task(pool, id, viewer.map(|(user, _)| user)).await?
    } else {
        Default::default()
    };
    let (promotions, promotion_key) = match viewer_kind {
        Viewer::Owner => {
            (crate::db::membership::task_promotions(pool, id).await?, (status == TaskStatus::Open).then(Uuid::now_v7))
        }
        _ => (Vec::new(), None),
    };
    Ok(Some(TaskDetail {
        id: row.id,
        title: row.title,
        category,
        description_html: crate::markdown::render(&row.description),
        difficulty: Difficulty::new(row.difficulty).ok_or(AppError::Internal)?,
        status,
        deadline: row.deadline,
        merchant_id: row.merchant_id,
        merchant_name: row.merchant_name,
        merchant_kind: row.merchant_kind.as_deref().and_then(MerchantKind::parse).ok_or(AppError::Internal)?,
        merchant_response_rate,
        tags: row.tags.0,
        change_rounds: row.change_rounds,
        split: PayoutSplit::of(Money::from_fen(row.reward_fen), priced.rate),
        milestones,
        applicant_count: row.applicant_count,
        viewer: viewer_kind,
        cancel_proposed_by: match (status, row.cancel_proposed_by.as_deref()) {
            (TaskStatus::InProgress, Some("merchant")) => Some(Party::Merchant),
            (TaskStatus::InProgress, Some("developer")) => Some(Party::Developer),
            _ => None,
        },
        my_application,
        applications,
        timeline,
        rating: rating.map(|stars| stars as u8),
        reviews,
        min_level: row.min_level.as_deref().and_then(Level::parse),
        viewer_level: if viewer_kind == Viewer::OtherDeveloper { priced.payee_level } else { None },
        viewer_restriction,
        promotions,
        promotion_key,
        my_invitation,
        published_on: row.published_on,
    }))
}

/// Whether the task's developer keeps their clients private (NDA on their public card).
async fn developer_hides_clients(pool: &PgPool, developer: Option<Uuid>) -> Result<bool, sqlx::Error> {
    let Some(developer) = developer else { return Ok(false) };
    sqlx::query_scalar("SELECT card_hide_merchants FROM users WHERE id = $1").bind(developer).fetch_one(pool).await
}
