//! Commission rates per task category: the rates in effect now (read when a task is funded) and the
//! admins' schedule of changes. Rates are append-only rows; the rule choosing among them is
//! `fees::RateBook`.

use crate::{
    domain::{
        fees::{CommissionRate, MerchantRates, RateBook},
        tasks::Category,
    },
    views::admin::{CommissionSchedule, ScheduledRate},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The rates in effect now, newest first.
pub async fn rates_in_effect(conn: &mut PgConnection) -> Result<RateBook, sqlx::Error> {
    let rows: Vec<(String, i32)> = sqlx::query_as(
        "SELECT category, bps FROM commission_rates WHERE effective_from <= app_now()
         ORDER BY effective_from DESC, set_at DESC",
    )
    .fetch_all(conn)
    .await?;
    Ok(RateBook(
        rows.into_iter()
            .filter_map(|(category, bps)| {
                let rate = CommissionRate::from_bps(bps as u32)?;
                match category.as_str() {
                    "default" => Some((None, rate)),
                    slug => Some((Some(Category::from_slug(slug)?), rate)),
                }
            })
            .collect(),
    ))
}

/// The rates `merchant`'s tasks are funded at now, membership discount included.
pub async fn rates_for_merchant(conn: &mut PgConnection, merchant: Uuid) -> Result<MerchantRates, sqlx::Error> {
    let book = rates_in_effect(&mut *conn).await?;
    let discount_bps = super::membership::benefits(&mut *conn, merchant).await?.commission_discount_bps;
    Ok(MerchantRates { book, discount_bps })
}

pub async fn schedule(pool: &PgPool) -> Result<CommissionSchedule, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let book = rates_in_effect(&mut conn).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        category: String,
        bps: i32,
        effective_on: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT category, bps, china_text(effective_from, 'YYYY-MM-DD') AS effective_on
         FROM commission_rates WHERE effective_from > app_now() ORDER BY effective_from, category",
    )
    .fetch_all(&mut *conn)
    .await?;
    let upcoming = rows
        .into_iter()
        .filter_map(|row| {
            Some(ScheduledRate {
                category: Category::from_slug(&row.category)?,
                rate: CommissionRate::from_bps(row.bps as u32)?,
                from: row.effective_on,
            })
        })
        .collect();
    Ok(CommissionSchedule { current: Category::ALL.map(|c| (c, book.rate_for(c))).to_vec(), upcoming })
}

/// Schedules `category`'s rate from the start of `from` ("YYYY-MM-DD", China Standard Time), or
/// from now when that day is today. Tasks funded before then keep the rate they were funded with.
pub async fn set_rate(
    pool: &PgPool,
    admin: Uuid,
    category: Category,
    rate: CommissionRate,
    from: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let before = rates_in_effect(&mut tx).await?.rate_for(category);
    sqlx::query(
        "INSERT INTO commission_rates (category, bps, effective_from, set_by)
         VALUES ($1, $2, greatest(app_now(), china_instant(($3::date)::timestamp)), $4)",
    )
    .bind(category.slug())
    .bind(rate.bps() as i32)
    .bind(from)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "commission.set",
            subject: format!("commission:{}", category.slug()),
            before: Some(serde_json::json!({ "bps": before.bps() })),
            after: Some(serde_json::json!({ "bps": rate.bps(), "from": from })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await
}
