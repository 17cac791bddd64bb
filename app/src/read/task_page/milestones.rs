//! The task page's milestones, each with its itemised money, deliveries and open dispute.

use super::MINUTE;
use crate::{
    domain::{
        fees::{CommissionRate, PayoutSplit},
        lifecycle::{MilestoneStatus, Party},
        money::Money,
    },
    views::tasks::{DeliveryView, FileView, MilestoneView, OpenDispute},
};
use sqlx::{types::Json, PgConnection};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    id: Uuid,
    position: i16,
    title: String,
    amount_fen: i64,
    status: String,
    change_rounds_used: i16,
    paid_commission_bps: Option<i32>,
    dispute_by_merchant: Option<bool>,
    dispute_answered: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    milestone_id: Uuid,
    message: String,
    links: Vec<String>,
    files: Json<Vec<FileView>>,
    created_at: String,
}

/// The milestones in order. Unpaid ones are itemised at `rate`; a paid one at the rate it was
/// actually paid at. Deliveries only for the parties (`with_deliveries`).
pub(super) async fn of_task(
    conn: &mut PgConnection,
    task: Uuid,
    rate: CommissionRate,
    with_deliveries: bool,
) -> Result<Vec<MilestoneView>, sqlx::Error> {
    let milestones: Vec<MilestoneRow> = sqlx::query_as(
        "SELECT m.id, m.position, m.title, m.amount_fen, m.status, m.change_rounds_used, m.paid_commission_bps,
                od.opened_by = t.merchant_id AS dispute_by_merchant, od.response IS NOT NULL AS dispute_answered
         FROM milestones m JOIN tasks t ON t.id = m.task_id
         LEFT JOIN LATERAL (SELECT d.opened_by, d.response FROM disputes d
                            WHERE d.milestone_id = m.id AND d.settled_at IS NULL
                            ORDER BY d.opened_at DESC LIMIT 1) od ON true
         WHERE m.task_id = $1 ORDER BY m.position",
    )
    .bind(task)
    .fetch_all(&mut *conn)
    .await?;
    let deliveries: Vec<DeliveryRow> = if with_deliveries {
        sqlx::query_as(&format!(
            "SELECT d.milestone_id, d.message, d.links,
                    COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size_bytes', f.size_bytes)
                                              ORDER BY f.id)
                              FROM delivery_files f WHERE f.delivery_id = d.id), '[]'::json) AS files,
                    to_char(china_time(d.created_at), {MINUTE}) AS created_at
             FROM deliveries d JOIN milestones m ON m.id = d.milestone_id
             WHERE m.task_id = $1 ORDER BY d.created_at"
        ))
        .bind(task)
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    Ok(milestones
        .into_iter()
        .filter_map(|m| {
            let rate = m.paid_commission_bps.and_then(|bps| CommissionRate::from_bps(bps as u32)).unwrap_or(rate);
            Some(MilestoneView {
                id: m.id,
                position: m.position,
                title: m.title,
                status: MilestoneStatus::parse(&m.status)?,
                split: PayoutSplit::of(Money::from_fen(m.amount_fen), rate),
                rounds_used: m.change_rounds_used,
                deliveries: deliveries
                    .iter()
                    .filter(|d| d.milestone_id == m.id)
                    .map(|d| DeliveryView {
                        message: d.message.clone(),
                        links: d.links.clone(),
                        files: d.files.0.clone(),
                        created_at: d.created_at.clone(),
                    })
                    .collect(),
                open_dispute: m.dispute_by_merchant.map(|by_merchant| OpenDispute {
                    opened_by: if by_merchant { Party::Merchant } else { Party::Developer },
                    answered: m.dispute_answered.unwrap_or(false),
                }),
            })
        })
        .collect())
}
