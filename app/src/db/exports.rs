//! Accounting exports: one month's tasks, payouts or commission as a CSV, built in the background
//! in chunks so the admin sees progress (`report_exports.done` of `total`), and downloaded from
//! `/admin/exports/{id}` like the growth-report ZIP.

use super::audit::{self, Action};
use crate::{domain::reports::ReportMonth, error::AppError};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvKind {
    Tasks,
    Payouts,
    Commission,
}

impl CsvKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "tasks" => Some(CsvKind::Tasks),
            "payouts" => Some(CsvKind::Payouts),
            "commission" => Some(CsvKind::Commission),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CsvKind::Tasks => "tasks",
            CsvKind::Payouts => "payouts",
            CsvKind::Commission => "commission",
        }
    }

    fn header(self) -> &'static str {
        match self {
            CsvKind::Tasks => "task_id,title,merchant,category,status,reward_yuan,commission_percent,published_at",
            CsvKind::Payouts => {
                "movement_id,paid_at,kind,task_id,title,developer,developer_received_yuan,commission_yuan"
            }
            CsvKind::Commission => "movement_id,paid_at,task_id,title,category,commission_percent,commission_yuan",
        }
    }

    /// The month's rows, `CHUNK` at a time from `offset`; every column already as text.
    fn query(self) -> &'static str {
        match self {
            CsvKind::Tasks => {
                "SELECT t.id::text, t.title, u.display_name, t.category, t.status, t.reward_fen::text,
                        coalesce(t.commission_bps, 0)::text,
                        china_text(t.published_at, 'YYYY-MM-DD HH24:MI:SS')
                 FROM tasks t JOIN users u ON u.id = t.merchant_id
                 WHERE t.published_at >= $1 AND t.published_at < $2
                 ORDER BY t.published_at, t.id LIMIT $3 OFFSET $4"
            }
            CsvKind::Payouts | CsvKind::Commission => {
                "SELECT m.id::text, china_text(m.created_at, 'YYYY-MM-DD HH24:MI:SS'),
                        m.kind, t.id::text, t.title, coalesce(dev.display_name, ''), t.category,
                        coalesce(ms.paid_commission_bps, t.commission_bps, 0)::text,
                        coalesce(sum(e.amount_fen) FILTER (WHERE a.kind = 'available' AND a.user_id = t.developer_id), 0)::text,
                        coalesce(sum(e.amount_fen) FILTER (WHERE a.kind = 'commission'), 0)::text
                 FROM ledger_movements m
                 JOIN tasks t ON t.id = m.task_id
                 LEFT JOIN users dev ON dev.id = t.developer_id
                 LEFT JOIN milestones ms ON ms.id = m.milestone_id
                 JOIN ledger_entries e ON e.movement_id = m.id
                 JOIN ledger_accounts a ON a.id = e.account_id
                 WHERE m.kind IN ('escrow_release', 'dispute_split') AND m.created_at >= $1 AND m.created_at < $2
                 GROUP BY m.id, t.id, dev.display_name, ms.paid_commission_bps
                 ORDER BY m.id LIMIT $3 OFFSET $4"
            }
        }
    }

    fn count(self) -> &'static str {
        match self {
            CsvKind::Tasks => "SELECT count(*) FROM tasks WHERE published_at >= $1 AND published_at < $2",
            CsvKind::Payouts | CsvKind::Commission => {
                "SELECT count(*) FROM ledger_movements WHERE kind IN ('escrow_release', 'dispute_split')
                 AND created_at >= $1 AND created_at < $2"
            }
        }
    }

    /// One CSV line from a row of the query.
    fn line(self, row: &[String]) -> String {
        let yuan = |fen: &str| crate::domain::money::Money::from_fen(fen.parse().unwrap_or(0)).plain_yuan();
        let percent = |bps: &str| format!("{:.2}", bps.parse::<f64>().unwrap_or(0.0) / 100.0);
        let fields: Vec<String> = match self {
            CsvKind::Tasks => vec![
                row[0].clone(),
                row[1].clone(),
                row[2].clone(),
                row[3].clone(),
                row[4].clone(),
                yuan(&row[5]),
                percent(&row[6]),
                row[7].clone(),
            ],
            CsvKind::Payouts => vec![
                row[0].clone(),
                row[1].clone(),
                row[2].clone(),
                row[3].clone(),
                row[4].clone(),
                row[5].clone(),
                yuan(&row[8]),
                yuan(&row[9]),
            ],
            CsvKind::Commission => vec![
                row[0].clone(),
                row[1].clone(),
                row[3].clone(),
                row[4].clone(),
                row[6].clone(),
                percent(&row[7]),
                yuan(&row[9]),
            ],
        };
        fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
    }
}

/// Quotes a field when it holds a comma, quote or line break, and defuses spreadsheet formulas
/// (a title starting with "=" must not run in the accountant's Excel; a leading tab or carriage
/// return is refused too, as OWASP advises). Also the wallet statement's (`api::wallet`).
pub(crate) fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

const CHUNK: i64 = 1_000;

/// Starts `kind`'s export for `month` and returns its id; the file is built in the background.
pub async fn start(pool: &PgPool, admin: Uuid, kind: CsvKind, month: ReportMonth) -> Result<Uuid, AppError> {
    let (from, to) = bounds(pool, month).await?;
    let total: i64 = sqlx::query_scalar(kind.count()).bind(from).bind(to).fetch_one(pool).await?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO report_exports (id, requested_by, month, language, total, kind)
         VALUES ($1, $2, $3::date, 'zh', $4, $5)",
    )
    .bind(id)
    .bind(admin)
    .bind(month.first_day())
    .bind(total as i32)
    .bind(kind.as_str())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "export.csv",
            subject: format!("export:{id}"),
            before: None,
            after: Some(serde_json::json!({ "kind": kind.as_str(), "month": month.to_string(), "rows": total })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    let pool = pool.clone();
    tokio::spawn(async move {
        if let Err(error) = build(&pool, id, kind, from, to).await {
            tracing::error!(?error, %id, "CSV export failed");
            let _ = sqlx::query("UPDATE report_exports SET error = 'failed', finished_at = app_now() WHERE id = $1")
                .bind(id)
                .execute(&pool)
                .await;
        }
    });
    Ok(id)
}

type Instant = time::OffsetDateTime;

/// The month's first and next month's first instant, China time.
async fn bounds(pool: &PgPool, month: ReportMonth) -> Result<(Instant, Instant), sqlx::Error> {
    sqlx::query_as(
        "SELECT china_instant(($1::date)::timestamp),
                china_instant((($1::date) + interval '1 month')::timestamp)",
    )
    .bind(month.first_day())
    .fetch_one(pool)
    .await
}

async fn build(pool: &PgPool, id: Uuid, kind: CsvKind, from: Instant, to: Instant) -> Result<(), AppError> {
    // A byte-order mark, so spreadsheet programs read the Chinese text as UTF-8.
    let mut csv = format!("\u{feff}{}\r\n", kind.header());
    let mut offset = 0;
    loop {
        let rows: Vec<sqlx::postgres::PgRow> =
            sqlx::query(kind.query()).bind(from).bind(to).bind(CHUNK).bind(offset).fetch_all(pool).await?;
        for row in &rows {
            use sqlx::Row;
            let fields: Vec<String> = (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i).ok().flatten().unwrap_or_default())
                .collect();
            csv.push_str(&kind.line(&fields));
            csv.push_str("\r\n");
        }
        offset += rows.len() as i64;
        sqlx::query("UPDATE report_exports SET done = $2 WHERE id = $1")
            .bind(id)
            .bind(offset as i32)
            .execute(pool)
            .await?;
        if (rows.len() as i64) < CHUNK {
            break;
        }
    }
    sqlx::query("UPDATE report_exports SET file = $2, finished_at = app_now() WHERE id = $1")
        .bind(id)
        .bind(csv.into_bytes())
        .execute(pool)
        .await?;
    Ok(())
}

/// A finished export: its download name, content type and bytes.
pub async fn file(pool: &PgPool, id: Uuid) -> Result<Option<(String, &'static str, Vec<u8>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        month: String,
        file: Vec<u8>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT kind, to_char(month, 'YYYY-MM') AS month, file FROM report_exports WHERE id = $1 AND file IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|Row { kind, month, file }| match kind.as_str() {
        "growth_reports" => (format!("codelink-growth-reports-{month}.zip"), "application/zip", file),
        kind => (format!("codelink-{kind}-{month}.csv"), "text/csv; charset=utf-8", file),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("数据看板"), "数据看板");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-12.50"), "-12.50", "a negative amount stays a number");
        assert_eq!(csv_field("\t=1+1"), "'\t=1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
    }
}
