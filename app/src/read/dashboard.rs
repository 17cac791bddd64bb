//! The admin dashboard (`/admin`): today's figures and the last 30 days', in China time.

use crate::{
    domain::money::Money,
    views::console::{Dashboard, DayFigures, Totals},
};
use sqlx::PgPool;

/// Today's figures and the last 30 days', each day in China time, from one statement per series.
pub async fn dashboard(pool: &PgPool) -> Result<Dashboard, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct DayRow {
        day: String,
        new_users: i64,
        tasks_posted: i64,
        tasks_funded: i64,
        tasks_completed: i64,
        gmv_fen: i64,
        commission_fen: i64,
    }
    let days: Vec<DayRow> = sqlx::query_as(
        "WITH days AS (
             SELECT generate_series(china_date(app_now()) - 29,
                                    china_date(app_now()), interval '1 day')::date AS day),
         since AS (SELECT china_instant((china_date(app_now()) - 29)::timestamp) AS at),
         users_by_day AS (
             SELECT china_date(created_at) AS day, count(*) AS n
             FROM users, since WHERE created_at >= since.at GROUP BY 1),
         posted AS (
             SELECT china_date(created_at) AS day, count(*) AS n
             FROM task_events, since WHERE kind = 'created' AND created_at >= since.at GROUP BY 1),
         funded AS (
             SELECT china_date(m.created_at) AS day, count(*) AS n,
                    sum(e.amount_fen) AS gmv
             FROM ledger_movements m
             JOIN ledger_entries e ON e.movement_id = m.id
             JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'escrow', since
             WHERE m.kind = 'escrow_fund' AND m.created_at >= since.at GROUP BY 1),
         completed AS (
             SELECT china_date(created_at) AS day, count(*) AS n
             FROM task_events, since WHERE kind = 'completed' AND created_at >= since.at GROUP BY 1),
         commission AS (
             SELECT china_date(m.created_at) AS day, sum(e.amount_fen) AS fen
             FROM ledger_movements m
             JOIN ledger_entries e ON e.movement_id = m.id
             JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'commission', since
             WHERE m.created_at >= since.at GROUP BY 1)
         SELECT to_char(d.day, 'MM-DD') AS day, coalesce(u.n, 0) AS new_users, coalesce(p.n, 0) AS tasks_posted,
                coalesce(f.n, 0) AS tasks_funded, coalesce(c.n, 0) AS tasks_completed,
                coalesce(f.gmv, 0)::bigint AS gmv_fen, coalesce(k.fen, 0)::bigint AS commission_fen
         FROM days d
         LEFT JOIN users_by_day u ON u.day = d.day
         LEFT JOIN posted p ON p.day = d.day
         LEFT JOIN funded f ON f.day = d.day
         LEFT JOIN completed c ON c.day = d.day
         LEFT JOIN commission k ON k.day = d.day
         ORDER BY d.day",
    )
    .fetch_all(pool)
    .await?;
    let days: Vec<DayFigures> = days
        .into_iter()
        .map(|row| DayFigures {
            day: row.day,
            new_users: row.new_users,
            tasks_posted: row.tasks_posted,
            tasks_funded: row.tasks_funded,
            tasks_completed: row.tasks_completed,
            gmv: Money::from_fen(row.gmv_fen),
            commission: Money::from_fen(row.commission_fen),
        })
        .collect();
    #[derive(sqlx::FromRow)]
    struct QueueRow {
        open_disputes: i64,
        applications_overdue: i64,
        awaiting_review: i64,
        open_reports: i64,
    }
    let queues: QueueRow = sqlx::query_as(
        "SELECT (SELECT count(*) FROM disputes WHERE settled_at IS NULL) AS open_disputes,
                (SELECT count(*) FROM applications
                  WHERE status = 'pending' AND respond_by < app_now()
                     OR status = 'expired' AND answered_at >= china_instant(china_date(app_now())::timestamp))
                    AS applications_overdue,
                (SELECT count(*) FROM tasks WHERE status = 'pending_review') AS awaiting_review,
                (SELECT count(*) FROM reports WHERE resolved_at IS NULL) AS open_reports",
    )
    .fetch_one(pool)
    .await?;
    let users = crate::db::users::counts(pool).await?;
    let tasks = crate::db::tasks::counts(pool).await?;
    Ok(Dashboard {
        totals: Totals {
            users: users.users,
            developers: users.developers,
            merchants: users.merchants,
            open_tasks: tasks.open,
            all_tasks: tasks.total,
        },
        today: days.last().cloned().unwrap_or_default(),
        open_disputes: queues.open_disputes,
        applications_overdue: queues.applications_overdue,
        awaiting_review: queues.awaiting_review,
        open_reports: queues.open_reports,
        days,
    })
}
