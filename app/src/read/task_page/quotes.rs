//! The quotes (报价) of the task's applications, itemised at the rate each applicant would be paid at:
//! the task's rate less their level's discount (`CommissionRate::for_payee`), split by
//! `PayoutSplit::of` exactly as the task's own reward and milestones are, so the figures the
//! merchant chooses on are the ones the page shows once the quote is agreed.

use crate::{
    domain::{
        fees::{CommissionRate, PayoutSplit},
        growth::Level,
        money::Money,
    },
    views::{
        quotes::{QuoteView, QuotedMilestone},
        tasks::ApplicationView,
    },
};
use serde::Deserialize;
use sqlx::{types::Json, PgConnection};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct QuoteRow {
    application_id: Uuid,
    deliver_by: Option<String>,
    note: String,
    level: Option<String>,
    milestones: Json<Vec<MilestoneRow>>,
}

#[derive(Deserialize)]
struct MilestoneRow {
    position: i16,
    title: String,
    amount_fen: i64,
    before_fen: i64,
}

/// Fills in the quote of each of `applications` (of `task`, funded at `task_rate`) that has one.
pub(super) async fn attach(
    conn: &mut PgConnection,
    task: Uuid,
    task_rate: CommissionRate,
    applications: &mut [ApplicationView],
) -> Result<(), sqlx::Error> {
    if applications.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = applications.iter().map(|a| a.id).collect();
    // A quote's "before" is the milestone's amount now, or the one it replaced once agreed.
    let rows: Vec<QuoteRow> = sqlx::query_as(
        "SELECT a.id AS application_id, to_char(a.quote_deliver_by, 'YYYY-MM-DD') AS deliver_by,
                a.quote_note AS note, g.level,
                coalesce((SELECT json_agg(json_build_object('position', m.position, 'title', m.title,
                                                            'amount_fen', q.amount_fen,
                                                            'before_fen', coalesce(q.agreed_from_fen, m.amount_fen))
                                          ORDER BY m.position)
                          FROM application_milestone_quotes q JOIN milestones m ON m.id = q.milestone_id
                          WHERE q.application_id = a.id), '[]'::json) AS milestones
         FROM applications a LEFT JOIN developer_growth g ON g.developer_id = a.developer_id
         WHERE a.id = ANY($1)
           AND (a.quote_deliver_by IS NOT NULL
                OR EXISTS (SELECT 1 FROM application_milestone_quotes q WHERE q.application_id = a.id))",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let reward_now: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(amount_fen), 0)::int8 FROM milestones WHERE task_id = $1")
            .bind(task)
            .fetch_one(&mut *conn)
            .await?;
    for row in rows {
        let Some(application) = applications.iter_mut().find(|a| a.id == row.application_id) else { continue };
        let level = row.level.as_deref().and_then(Level::parse).unwrap_or(Level::C);
        application.quote = Some(quote_view(row, task_rate.for_payee(level), reward_now));
    }
    Ok(())
}

fn quote_view(row: QuoteRow, rate: CommissionRate, reward_now: i64) -> QuoteView {
    let milestones: Vec<QuotedMilestone> = row
        .milestones
        .0
        .into_iter()
        .map(|m| QuotedMilestone {
            position: m.position,
            title: m.title,
            before: Money::from_fen(m.before_fen),
            split: PayoutSplit::of(Money::from_fen(m.amount_fen), rate),
        })
        .collect();
    let (quoted, before) = if milestones.is_empty() {
        (None, reward_now)
    } else {
        let sum = |f: fn(&QuotedMilestone) -> i64| milestones.iter().map(f).sum::<i64>();
        (Some(sum(|m| m.split.reward.fen())), sum(|m| m.before.fen()))
    };
    QuoteView {
        split: quoted.map(|fen| PayoutSplit::of(Money::from_fen(fen), rate)),
        reward_before: Money::from_fen(before),
        escrow_change: Money::from_fen(quoted.map_or(0, |fen| fen - before)),
        milestones,
        deliver_by: row.deliver_by,
        note: row.note,
    }
}
