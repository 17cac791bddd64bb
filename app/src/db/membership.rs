//! Memberships and task promotion through the ledger: buying, cancelling, renewing, ending
//! promotions early, and the benefits in force. Every purchase is one transaction in which the
//! period (or promotion) row and its ledger movement commit together. The purchase key the buyer's
//! form carries is unique, so a double-click or a retried request buys once.

use super::{ledger, notifications::notify};
use crate::{
    domain::{
        account::Role,
        ledger::Movement,
        lifecycle::Refusal,
        membership::{
            period, price_of, promotion_offer, refund, Benefits, Plan, PlanTerms, PromotionKind, MONTH_CHOICES,
        },
        money::Money,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::membership::{PlanOffer, PromotionView},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A row of `TERMS_COLUMNS`.
#[derive(sqlx::FromRow)]
struct TermsRow {
    plan: String,
    monthly_price_fen: i64,
    daily_applications: i32,
    open_tasks: i32,
    commission_discount_bps: i32,
}

fn terms_of(row: TermsRow) -> Option<PlanTerms> {
    Some(PlanTerms {
        plan: Plan::parse(&row.plan)?,
        monthly_price: Money::from_fen(row.monthly_price_fen),
        daily_applications: row.daily_applications.max(0) as u32,
        open_tasks: row.open_tasks.max(0) as u32,
        commission_discount_bps: row.commission_discount_bps.max(0) as u32,
    })
}

/// SQL for "`user` holds `plan` now" (both SQL expressions): a period covering this moment that
/// was not cancelled. The one definition every query about a member's benefits uses.
pub fn holds_plan_sql(user: &str, plan: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = {user} AND m.plan = {plan}
                   AND m.cancelled_at IS NULL AND m.starts_at <= app_now() AND m.ends_at > app_now())"
    )
}

const TERMS_COLUMNS: &str = "plan, monthly_price_fen, daily_applications, open_tasks, commission_discount_bps";

/// Every plan's current price and benefit numbers.
pub async fn plans(conn: &mut PgConnection) -> Result<Vec<PlanTerms>, sqlx::Error> {
    let rows: Vec<TermsRow> =
        sqlx::query_as(&format!("SELECT {TERMS_COLUMNS} FROM membership_plans ORDER BY monthly_price_fen"))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().filter_map(terms_of).collect())
}

/// What `user` may do now, from the plans whose periods cover this moment.
pub async fn benefits(conn: &mut PgConnection, user: Uuid) -> Result<Benefits, sqlx::Error> {
    let rows: Vec<TermsRow> = sqlx::query_as(&format!(
        "SELECT {TERMS_COLUMNS} FROM membership_plans p WHERE {}",
        holds_plan_sql("$1", "p.plan")
    ))
    .bind(user)
    .fetch_all(conn)
    .await?;
    Ok(Benefits::of(&rows.into_iter().filter_map(terms_of).collect::<Vec<_>>()))
}

/// Applying beyond the day's allowance (China time) is refused; 高级会员 raises it. A soft quota
/// like the rate limits, checked before the application's own transaction.
pub async fn ensure_daily_applications_left(pool: &PgPool, developer: Uuid) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let allowance = benefits(&mut conn, developer).await?.daily_applications;
    let today: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM applications WHERE developer_id = $1
           AND created_at >= china_instant(date_trunc('day', china_time(app_now())))",
    )
    .bind(developer)
    .fetch_one(&mut *conn)
    .await?;
    if today >= i64::from(allowance) {
        return Err(Refusal::DailyApplicationLimit.into());
    }
    Ok(())
}

/// Publishing beyond the open-task allowance is refused; 企业会员 raises it.
pub async fn ensure_open_tasks_left(pool: &PgPool, merchant: Uuid) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let allowance = benefits(&mut conn, merchant).await?.open_tasks;
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tasks WHERE merchant_id = $1 AND status IN ('pending_review', 'open', 'hidden')",
    )
    .bind(merchant)
    .fetch_one(&mut *conn)
    .await?;
    if open >= i64::from(allowance) {
        return Err(Refusal::TooManyOpenTasks.into());
    }
    Ok(())
}

/// The plans `role` can buy, with the caller's running period of each and what cancelling now
/// would refund.
pub async fn offers(pool: &PgPool, user: Uuid, role: Role) -> Result<Vec<PlanOffer>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let plans = plans(&mut conn).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        plan: String,
        active_until: String,
        auto_renew: bool,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT plan, china_text(max(ends_at), 'YYYY-MM-DD HH24:MI') AS active_until, bool_or(auto_renew) AS auto_renew
         FROM memberships WHERE user_id = $1 AND cancelled_at IS NULL AND ends_at > app_now()
         GROUP BY plan",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let periods = running_periods(&mut conn, user, None).await?;
    Ok(plans
        .into_iter()
        .filter(|terms| terms.plan.audience() == role)
        .map(|terms| {
            let running = rows.iter().find(|row| row.plan == terms.plan.as_str());
            let refund_now = periods
                .iter()
                .filter(|p| p.plan == terms.plan)
                .map(|p| refund(p.price, p.start, p.end, p.now).fen())
                .sum();
            PlanOffer {
                terms,
                active_until: running.map(|row| row.active_until.clone()),
                auto_renew: running.is_some_and(|row| row.auto_renew),
                refund_now: Money::from_fen(refund_now),
            }
        })
        .collect())
}

struct RunningPeriod {
    id: Uuid,
    plan: Plan,
    price: Money,
    start: i64,
    end: i64,
    now: i64,
}

/// The caller's periods that are not over and not cancelled (of one plan, or all), locked when
/// inside a purchase or cancellation transaction.
async fn running_periods(
    conn: &mut PgConnection,
    user: Uuid,
    plan: Option<Plan>,
) -> Result<Vec<RunningPeriod>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        plan: String,
        price_fen: i64,
        start: i64,
        end: i64,
        now: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, plan, price_fen, floor(extract(epoch FROM starts_at))::int8 AS start,
                floor(extract(epoch FROM ends_at))::int8 AS end, floor(extract(epoch FROM app_now()))::int8 AS now
         FROM memberships
         WHERE user_id = $1 AND ($2::text IS NULL OR plan = $2) AND cancelled_at IS NULL AND ends_at > app_now()
         ORDER BY starts_at",
    )
    .bind(user)
    .bind(plan.map(Plan::as_str))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(RunningPeriod {
                id: row.id,
                plan: Plan::parse(&row.plan)?,
                price: Money::from_fen(row.price_fen),
                start: row.start,
                end: row.end,
                now: row.now,
            })
        })
        .collect())
}

/// Serialises purchases and cancellations of one user's plan, so two at once cannot both stack
/// onto the same running period.
async fn lock_plan(conn: &mut PgConnection, user: Uuid, plan: Plan) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('membership:' || $1::text || ':' || $2, 0))")
        .bind(user)
        .bind(plan.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Buys `months` of `plan`, starting when the running period ends (or now), paid from the buyer's
/// balance. The same `key` again returns the first purchase and charges nothing.
pub async fn buy(
    pool: &PgPool,
    user: Uuid,
    role: Role,
    plan: Plan,
    months: u8,
    auto_renew: bool,
    key: &str,
) -> Result<Uuid, AppError> {
    if plan.audience() != role {
        return Err(AppError::Forbidden);
    }
    if !MONTH_CHOICES.contains(&months) {
        return Err(AppError::field(FieldError::new(Field::Months, Problem::NotAllowed)));
    }
    let mut tx = pool.begin().await?;
    lock_plan(&mut tx, user, plan).await?;
    let id = charge_period(&mut tx, user, plan, months, auto_renew, key).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes one period and its payment inside the caller's transaction (which holds the plan lock).
async fn charge_period(
    conn: &mut PgConnection,
    user: Uuid,
    plan: Plan,
    months: u8,
    auto_renew: bool,
    key: &str,
) -> Result<Uuid, AppError> {
    let existing: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM memberships WHERE purchase_key = $1 AND user_id = $2")
            .bind(key)
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let terms = plans(&mut *conn).await?.into_iter().find(|t| t.plan == plan).ok_or(AppError::NotFound)?;
    let running = running_periods(&mut *conn, user, Some(plan)).await?;
    let now: i64 =
        sqlx::query_scalar("SELECT floor(extract(epoch FROM app_now()))::int8").fetch_one(&mut *conn).await?;
    let (start, end) = period(now, running.iter().map(|p| p.end).max(), months);
    let price = price_of(terms.monthly_price, months);
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO memberships (id, user_id, plan, months, price_fen, starts_at, ends_at, auto_renew, purchase_key)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6), to_timestamp($7), $8, $9)",
    )
    .bind(id)
    .bind(user)
    .bind(plan.as_str())
    .bind(i32::from(months))
    .bind(price.fen())
    .bind(start as f64)
    .bind(end as f64)
    .bind(auto_renew)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    // Renewal follows the latest choice, for every period of the plan.
    sqlx::query("UPDATE memberships SET auto_renew = $3 WHERE user_id = $1 AND plan = $2 AND cancelled_at IS NULL")
        .bind(user)
        .bind(plan.as_str())
        .bind(auto_renew)
        .execute(&mut *conn)
        .await?;
    ledger::post(conn, &Movement::purchase(format!("membership:{id}"), user, price)).await?;
    Ok(id)
}

/// Ends `plan` now: periods not started are refunded in full, the running one for its whole days
/// not yet begun (`membership::refund`). Returns what went back to the balance.
pub async fn cancel(pool: &PgPool, user: Uuid, plan: Plan) -> Result<Money, AppError> {
    let mut tx = pool.begin().await?;
    lock_plan(&mut tx, user, plan).await?;
    let periods = running_periods(&mut tx, user, Some(plan)).await?;
    if periods.is_empty() {
        return Err(Refusal::WrongState.into());
    }
    let mut total = 0;
    for p in &periods {
        let back = refund(p.price, p.start, p.end, p.now);
        sqlx::query(
            "UPDATE memberships SET cancelled_at = app_now(), refunded_fen = $2, auto_renew = false WHERE id = $1",
        )
        .bind(p.id)
        .bind(back.fen())
        .execute(&mut *tx)
        .await?;
        if back.fen() > 0 {
            ledger::post(&mut tx, &Movement::purchase_refund(format!("membership-refund:{}", p.id), user, back))
                .await?;
        }
        total += back.fen();
    }
    tx.commit().await?;
    Ok(Money::from_fen(total))
}

/// Turns automatic renewal of `plan` on or off.
pub async fn set_auto_renew(pool: &PgPool, user: Uuid, plan: Plan, on: bool) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE memberships SET auto_renew = $3
         WHERE user_id = $1 AND plan = $2 AND cancelled_at IS NULL AND ends_at > app_now()",
    )
    .bind(user)
    .bind(plan.as_str())
    .bind(on)
    .execute(pool)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(Refusal::WrongState.into());
    }
    Ok(())
}

/// The background job: a plan with renewal on whose last period ends within the hour is bought
/// for one more month (keyed by that period, so it renews once); when the balance cannot cover it,
/// renewal stops and the member is told. Returns how many periods it handled.
pub async fn renew_due(pool: &PgPool) -> Result<u64, AppError> {
    #[derive(sqlx::FromRow)]
    struct Due {
        id: Uuid,
        user_id: Uuid,
        plan: String,
    }
    let due: Vec<Due> = sqlx::query_as(
        "SELECT m.id, m.user_id, m.plan FROM memberships m
         WHERE m.auto_renew AND m.cancelled_at IS NULL AND m.ends_at <= app_now() + interval '1 hour'
           AND m.ends_at > app_now() - interval '7 days'
           AND NOT EXISTS (SELECT 1 FROM memberships later WHERE later.user_id = m.user_id AND later.plan = m.plan
                             AND later.cancelled_at IS NULL AND later.ends_at > m.ends_at)
         LIMIT 200",
    )
    .fetch_all(pool)
    .await?;
    let mut handled = 0;
    for Due { id: period, user_id: user, plan } in due {
        let Some(plan) = Plan::parse(&plan) else { continue };
        let mut tx = pool.begin().await?;
        lock_plan(&mut tx, user, plan).await?;
        match charge_period(&mut tx, user, plan, 1, true, &format!("renew:{period}")).await {
            Ok(_) => {
                notify(&mut tx, user, "membership_renewed", None, plan.as_str()).await?;
                tx.commit().await?;
            }
            Err(AppError::InsufficientFunds { .. }) => {
                tx.rollback().await?;
                let mut tx = pool.begin().await?;
                sqlx::query("UPDATE memberships SET auto_renew = false WHERE user_id = $1 AND plan = $2")
                    .bind(user)
                    .bind(plan.as_str())
                    .execute(&mut *tx)
                    .await?;
                notify(&mut tx, user, "membership_ended", None, plan.as_str()).await?;
                tx.commit().await?;
            }
            Err(error) => return Err(error),
        }
        handled += 1;
    }
    Ok(handled)
}

/// Admins set a plan's price and benefit numbers; the change is in the audit log. Periods already
/// bought keep the price they were bought at.
pub async fn save_terms(pool: &PgPool, admin: Uuid, terms: PlanTerms, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let before = plans(&mut tx).await?.into_iter().find(|t| t.plan == terms.plan);
    sqlx::query(
        "UPDATE membership_plans SET monthly_price_fen = $2, daily_applications = $3, open_tasks = $4,
                commission_discount_bps = $5, updated_at = app_now(), updated_by = $6
         WHERE plan = $1",
    )
    .bind(terms.plan.as_str())
    .bind(terms.monthly_price.fen())
    .bind(terms.daily_applications as i32)
    .bind(terms.open_tasks as i32)
    .bind(terms.commission_discount_bps as i32)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "membership.terms",
            subject: format!("plan:{}", terms.plan.as_str()),
            before: before.map(|t| serde_json::json!(t)),
            after: Some(serde_json::json!(terms)),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Buys a promotion for the merchant's open task: it starts now, or when the same kind running on
/// the task ends. The same `key` again returns the first purchase and charges nothing.
pub async fn promote(
    pool: &PgPool,
    merchant: Uuid,
    task: Uuid,
    kind: PromotionKind,
    days: u8,
    key: &str,
) -> Result<Uuid, AppError> {
    let offer = promotion_offer(kind, days)
        .ok_or_else(|| AppError::field(FieldError::new(Field::Promotion, Problem::NotAllowed)))?;
    let mut tx = pool.begin().await?;
    let owner: Option<(Uuid, String)> =
        sqlx::query_as("SELECT merchant_id, status FROM tasks WHERE id = $1 FOR UPDATE")
            .bind(task)
            .fetch_optional(&mut *tx)
            .await?;
    let (owner, status) = owner.ok_or(AppError::NotFound)?;
    if owner != merchant {
        return Err(AppError::Forbidden);
    }
    let existing: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM task_promotions WHERE purchase_key = $1 AND merchant_id = $2")
            .bind(key)
            .bind(merchant)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    if status != "open" {
        return Err(Refusal::WrongState.into());
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO task_promotions (id, task_id, merchant_id, kind, days, price_fen, starts_at, ends_at, purchase_key)
         SELECT $1, $2, $3, $4, $5, $6, s.at, s.at + make_interval(days => $5), $7
         FROM (SELECT greatest(app_now(), (SELECT max(ends_at) FROM task_promotions
                                       WHERE task_id = $2 AND kind = $4 AND ended_at IS NULL)) AS at) s",
    )
    .bind(id)
    .bind(task)
    .bind(merchant)
    .bind(kind.as_str())
    .bind(i32::from(days))
    .bind(offer.price.fen())
    .bind(key)
    .execute(&mut *tx)
    .await?;
    ledger::post(&mut tx, &Movement::purchase(format!("promotion:{id}"), merchant, offer.price)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The promotions of a task that are not over, for its owner's panel.
pub async fn task_promotions(pool: &PgPool, task: Uuid) -> Result<Vec<PromotionView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        days: i32,
        price_fen: i64,
        starts: String,
        ends: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT kind, days, price_fen,
                china_text(starts_at, 'YYYY-MM-DD HH24:MI') AS starts,
                china_text(ends_at, 'YYYY-MM-DD HH24:MI') AS ends
         FROM task_promotions WHERE task_id = $1 AND ended_at IS NULL AND ends_at > app_now()
         ORDER BY starts_at",
    )
    .bind(task)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(PromotionView {
                kind: PromotionKind::parse(&row.kind)?,
                days: row.days as u8,
                price: Money::from_fen(row.price_fen),
                starts_at: row.starts,
                ends_at: row.ends,
            })
        })
        .collect())
}

/// The background job: promotions of tasks that left the hall (a developer was chosen, or the task
/// was cancelled, hidden or rejected) end now and refund their whole days not yet begun.
pub async fn end_promotions_of_closed_tasks(pool: &PgPool) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    #[derive(sqlx::FromRow)]
    struct Ended {
        id: Uuid,
        task_id: Uuid,
        merchant_id: Uuid,
        price_fen: i64,
        start: i64,
        end: i64,
        now: i64,
    }
    let ended: Vec<Ended> = sqlx::query_as(
        "SELECT p.id, p.task_id, p.merchant_id, p.price_fen, floor(extract(epoch FROM p.starts_at))::int8 AS start,
                floor(extract(epoch FROM p.ends_at))::int8 AS end, floor(extract(epoch FROM app_now()))::int8 AS now
         FROM task_promotions p JOIN tasks t ON t.id = p.task_id
         WHERE p.ended_at IS NULL AND p.ends_at > app_now() AND t.status <> 'open'
         ORDER BY p.id LIMIT 200
         FOR UPDATE OF p SKIP LOCKED",
    )
    .fetch_all(&mut *tx)
    .await?;
    for promotion in &ended {
        let (id, task, merchant) = (promotion.id, promotion.task_id, promotion.merchant_id);
        let back = refund(Money::from_fen(promotion.price_fen), promotion.start, promotion.end, promotion.now);
        sqlx::query("UPDATE task_promotions SET ended_at = app_now(), refunded_fen = $2 WHERE id = $1")
            .bind(id)
            .bind(back.fen())
            .execute(&mut *tx)
            .await?;
        if back.fen() > 0 {
            ledger::post(&mut tx, &Movement::purchase_refund(format!("promotion-refund:{id}"), merchant, back)).await?;
            notify(&mut tx, merchant, "promotion_refunded", Some(task), &back.display_yuan()).await?;
        }
    }
    tx.commit().await?;
    Ok(ended.len() as u64)
}
