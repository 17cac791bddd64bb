//! Reads and actions behind the admin console: challenges, users and their growth-point
//! adjustments, and the dispute case file (the dashboard is `read::dashboard`). Every change is audited in its own
//! transaction.

use super::audit::{self, Action};
use crate::{
    domain::{
        badges::{BadgeRule, NewBadge},
        challenges::NewChallenge,
        credit::RestrictionReason,
        money::Money,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::console::{AdminChallenge, AdminUser, CaseDelivery, CaseEvent, CaseMessage, DisputeCase, DisputeSummary},
};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn challenges(pool: &PgPool) -> Result<Vec<AdminChallenge>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name_zh: String,
        name_en: String,
        rule: sqlx::types::Json<crate::domain::challenges::ChallengeRule>,
        growth_points: i32,
        badge_slug: Option<String>,
        active: bool,
        completions: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.slug, c.name_zh, c.name_en, c.rule, c.growth_points, c.badge_slug, c.active,
                (SELECT count(*) FROM developer_challenges d WHERE d.challenge_id = c.id) AS completions
         FROM challenges c ORDER BY c.active DESC, c.created_at DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AdminChallenge {
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
            rule: row.rule.0,
            growth_points: row.growth_points,
            badge: row.badge_slug,
            active: row.active,
            completions: row.completions,
        })
        .collect())
}

/// Creates a challenge, and with it a badge of the same slug and names when asked, in one
/// transaction: a slug already taken by either is a field error and nothing is written.
pub async fn create_challenge(pool: &PgPool, admin: Uuid, challenge: &NewChallenge) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if challenge.with_badge {
        let badge = NewBadge {
            slug: challenge.slug.clone(),
            name_zh: challenge.name_zh.clone(),
            name_en: challenge.name_en.clone(),
            description_zh: challenge.description_zh.clone(),
            description_en: challenge.description_en.clone(),
            rule: BadgeRule::ByChallenge,
            growth_points: 0,
        };
        super::growth::insert_badge(&mut tx, admin, &badge).await?;
    }
    let id: Option<i32> = sqlx::query_scalar(
        "INSERT INTO challenges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points, badge_slug,
                                 advanced)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&challenge.slug)
    .bind(&challenge.name_zh)
    .bind(&challenge.name_en)
    .bind(&challenge.description_zh)
    .bind(&challenge.description_en)
    .bind(sqlx::types::Json(&challenge.rule))
    .bind(challenge.growth_points)
    .bind(challenge.with_badge.then_some(&challenge.slug))
    .bind(challenge.advanced)
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_none() {
        return Err(AppError::field(FieldError::new(Field::Slug, Problem::Taken)));
    }
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "challenge.create",
            subject: format!("challenge:{}", challenge.slug),
            before: None,
            after: Some(serde_json::json!({
                "rule": challenge.rule,
                "growth_points": challenge.growth_points,
                "badge": challenge.with_badge,
                "advanced": challenge.advanced,
            })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_challenge_active(pool: &PgPool, admin: Uuid, slug: &str, active: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query("UPDATE challenges SET active = $2 WHERE slug = $1 AND active <> $2")
        .bind(slug)
        .bind(active)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed > 0 {
        audit::record(
            &mut tx,
            Action {
                admin,
                action: if active { "challenge.activate" } else { "challenge.deactivate" },
                subject: format!("challenge:{slug}"),
                before: Some(serde_json::json!({ "active": !active })),
                after: Some(serde_json::json!({ "active": active })),
                reason: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn users(pool: &PgPool, query: &str) -> Result<Vec<AdminUser>, sqlx::Error> {
    let pattern = super::contains_pattern(query);
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        display_name: String,
        email: String,
        role: String,
        handle: Option<String>,
        joined: String,
        level: Option<String>,
        growth_points: i64,
        available_fen: i64,
        reason: Option<String>,
        count: Option<i32>,
        restricted_until: Option<String>,
        invited_mentor: bool,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, u.handle,
                china_text(u.created_at, 'YYYY-MM-DD') AS joined,
                g.level, coalesce(g.growth_points, 0) AS growth_points,
                coalesce((SELECT balance_fen FROM ledger_accounts WHERE code = 'available:' || u.id), 0) AS available_fen,
                r.reason, r.count, china_text(r.ends_at, 'YYYY-MM-DD') AS restricted_until, u.invited_mentor
         FROM users u
         LEFT JOIN developer_growth g ON g.developer_id = u.id
         LEFT JOIN LATERAL (SELECT reason, count, ends_at FROM restrictions
                            WHERE user_id = u.id AND lifted_at IS NULL AND ends_at > app_now()
                            ORDER BY starts_at DESC LIMIT 1) r ON true
         WHERE $1 = '%%' OR u.display_name ILIKE $1 OR u.email ILIKE $1 OR u.handle ILIKE $1
         ORDER BY u.created_at DESC LIMIT 50",
    )
    .bind(&pattern)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let restriction = match (row.reason, row.count, row.restricted_until) {
                (Some(reason), Some(count), Some(until)) => RestrictionReason::from_parts(&reason, count as u32)
                    .map(|reason| crate::views::trust::ActiveRestriction { reason, until }),
                _ => None,
            };
            AdminUser {
                id: row.id,
                display_name: row.display_name,
                email: row.email,
                role: row.role,
                handle: row.handle,
                joined: row.joined,
                level: row.level,
                growth_points: row.growth_points,
                available: Money::from_fen(row.available_fen),
                restriction,
                invited_mentor: row.invited_mentor,
            }
        })
        .collect())
}

/// Adds `points` (negative: removes) to a developer's growth points as an event with the admin's
/// reason; the developer is told. Never below zero in total.
pub async fn adjust_points(
    pool: &PgPool,
    admin: Uuid,
    developer: Uuid,
    points: i32,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let is_developer: Option<bool> = sqlx::query_scalar("SELECT role = 'developer' FROM users WHERE id = $1")
        .bind(developer)
        .fetch_optional(&mut *tx)
        .await?;
    match is_developer {
        None => return Err(AppError::NotFound),
        Some(false) => return Err(AppError::field(FieldError::new(Field::Points, Problem::NotAllowed))),
        Some(true) => {}
    }
    sqlx::query("INSERT INTO developer_growth (developer_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    let before: i64 =
        sqlx::query_scalar("SELECT growth_points FROM developer_growth WHERE developer_id = $1 FOR UPDATE")
            .bind(developer)
            .fetch_one(&mut *tx)
            .await?;
    let after = before + points as i64;
    if after < 0 {
        return Err(AppError::field(FieldError::new(Field::Points, Problem::NotAllowed)));
    }
    sqlx::query("UPDATE developer_growth SET growth_points = $2, updated_at = app_now() WHERE developer_id = $1")
        .bind(developer)
        .bind(after)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, growth_points)
         VALUES ($1, 'admin-adjustment:' || $2, 'admin_adjustment', 0, $3)",
    )
    .bind(developer)
    .bind(Uuid::now_v7().to_string())
    .bind(points)
    .execute(&mut *tx)
    .await?;
    super::notifications::notify(&mut tx, developer, "growth_adjusted", None, &format!("{points:+} · {reason}"))
        .await?;
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "growth.adjust",
            subject: format!("user:{developer}"),
            before: Some(serde_json::json!({ "growth_points": before })),
            after: Some(serde_json::json!({ "growth_points": after })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const DISPUTE_SUMMARY: &str = "SELECT ms.id AS milestone_id, t.id AS task_id, t.title, m.display_name AS merchant,
            coalesce(dev.display_name, '') AS developer, ms.amount_fen,
            d.opened_by = t.merchant_id AS opened_by_merchant, china_text(d.opened_at, 'YYYY-MM-DD HH24:MI') AS opened
     FROM disputes d
     JOIN milestones ms ON ms.id = d.milestone_id
     JOIN tasks t ON t.id = ms.task_id
     JOIN users m ON m.id = t.merchant_id
     LEFT JOIN users dev ON dev.id = t.developer_id";

/// A row of `DISPUTE_SUMMARY`.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    milestone_id: Uuid,
    task_id: Uuid,
    title: String,
    merchant: String,
    developer: String,
    amount_fen: i64,
    opened_by_merchant: bool,
    opened: String,
}

fn summary(row: SummaryRow) -> DisputeSummary {
    DisputeSummary {
        milestone: row.milestone_id,
        task: row.task_id,
        title: row.title,
        merchant: row.merchant,
        developer: row.developer,
        amount: Money::from_fen(row.amount_fen),
        opened_by_merchant: row.opened_by_merchant,
        opened: row.opened,
    }
}

pub async fn open_disputes(pool: &PgPool) -> Result<Vec<DisputeSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> =
        sqlx::query_as(&format!("{DISPUTE_SUMMARY} WHERE d.settled_at IS NULL ORDER BY d.opened_at LIMIT 100"))
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// The newest dispute on `milestone`, with the task's whole timeline, the milestone's deliveries and
/// the conversation between the merchant and the developer.
pub async fn dispute_case(pool: &PgPool, milestone: Uuid) -> Result<Option<DisputeCase>, sqlx::Error> {
    let head: Option<SummaryRow> =
        sqlx::query_as(&format!("{DISPUTE_SUMMARY} WHERE d.milestone_id = $1 ORDER BY d.opened_at DESC LIMIT 1"))
            .bind(milestone)
            .fetch_optional(pool)
            .await?;
    let Some(head) = head else { return Ok(None) };
    let summary = summary(head);
    #[derive(sqlx::FromRow)]
    struct DisputeRow {
        reason: String,
        response: Option<String>,
        decision: Option<String>,
        commission_bps: i32,
    }
    #[derive(sqlx::FromRow)]
    struct EventRow {
        at: String,
        display_name: Option<String>,
        kind: String,
        note: String,
    }
    #[derive(sqlx::FromRow)]
    struct DeliveryRow {
        id: Uuid,
        at: String,
        message: String,
        links: Vec<String>,
    }
    #[derive(sqlx::FromRow)]
    struct FileRow {
        delivery_id: Uuid,
        id: Uuid,
        name: String,
    }
    #[derive(sqlx::FromRow)]
    struct MessageRow {
        at: String,
        display_name: String,
        from_merchant: bool,
        body: String,
    }
    let dispute: DisputeRow = sqlx::query_as(
        "SELECT d.reason, d.response, d.decision, coalesce(t.commission_bps, 0) AS commission_bps
         FROM disputes d JOIN milestones ms ON ms.id = d.milestone_id JOIN tasks t ON t.id = ms.task_id
         WHERE d.milestone_id = $1 ORDER BY d.opened_at DESC LIMIT 1",
    )
    .bind(milestone)
    .fetch_one(pool)
    .await?;
    let timeline: Vec<EventRow> = sqlx::query_as(
        "SELECT china_text(e.created_at, 'YYYY-MM-DD HH24:MI') AS at, u.display_name, e.kind, e.note
         FROM task_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.task_id = $1 ORDER BY e.id",
    )
    .bind(summary.task)
    .fetch_all(pool)
    .await?;
    let deliveries: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT id, china_text(created_at, 'YYYY-MM-DD HH24:MI') AS at, message, links
         FROM deliveries WHERE milestone_id = $1 ORDER BY created_at",
    )
    .bind(milestone)
    .fetch_all(pool)
    .await?;
    let files: Vec<FileRow> = sqlx::query_as(
        "SELECT f.delivery_id, f.id, f.name FROM delivery_files f JOIN deliveries d ON d.id = f.delivery_id
         WHERE d.milestone_id = $1 ORDER BY f.created_at",
    )
    .bind(milestone)
    .fetch_all(pool)
    .await?;
    let messages: Vec<MessageRow> = sqlx::query_as(
        "SELECT china_text(m.created_at, 'YYYY-MM-DD HH24:MI') AS at, u.display_name,
                m.author_id = t.merchant_id AS from_merchant, m.body
         FROM task_messages m JOIN tasks t ON t.id = m.task_id JOIN users u ON u.id = m.author_id
         WHERE m.task_id = $1 AND m.developer_id = t.developer_id ORDER BY m.id",
    )
    .bind(summary.task)
    .fetch_all(pool)
    .await?;
    Ok(Some(DisputeCase {
        summary,
        statement: dispute.reason,
        response: dispute.response,
        commission_bps: dispute.commission_bps,
        timeline: timeline
            .into_iter()
            .map(|row| CaseEvent { at: row.at, actor: row.display_name, kind: row.kind, note: row.note })
            .collect(),
        deliveries: deliveries
            .into_iter()
            .map(|row| CaseDelivery {
                at: row.at,
                message: row.message,
                links: row.links,
                files: files
                    .iter()
                    .filter(|file| file.delivery_id == row.id)
                    .map(|file| (file.id, file.name.clone()))
                    .collect(),
            })
            .collect(),
        messages: messages
            .into_iter()
            .map(|row| CaseMessage {
                at: row.at,
                author: row.display_name,
                from_merchant: row.from_merchant,
                body: row.body,
            })
            .collect(),
        decision: dispute.decision,
    }))
}
