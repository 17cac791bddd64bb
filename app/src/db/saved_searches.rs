//! Saved hall searches: a developer keeps up to `MAX_SAVED_SEARCHES`, and a job tells them about
//! tasks published since each was last checked.

use super::search::{push_matches, MatchUse};
use crate::{
    domain::{
        hall::{tsquery_of, HallQuery},
        url_query::UrlQuery,
    },
    error::AppError,
    views::hall::SavedSearch,
};
use sqlx::{types::Json, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// Most saved searches a developer keeps.
pub const MAX_SAVED_SEARCHES: i64 = 10;

/// Saves a developer's search (the same search twice is one), at most `MAX_SAVED_SEARCHES`.
pub async fn save(pool: &PgPool, developer: Uuid, query: &HallQuery) -> Result<(), AppError> {
    use crate::domain::validation::{Field, FieldError, Problem};
    let query = query.with_page(1);
    let url = query.to_query_string();
    if query.is_plain() {
        return Err(AppError::field(FieldError::new(Field::Search, Problem::Required)));
    }
    // Counted and written in one statement, so two saves at once cannot pass the limit together
    // (the developer's row is locked first).
    let saved: Option<i64> = sqlx::query_scalar(
        "WITH me AS (SELECT id FROM users WHERE id = $1 FOR UPDATE)
         INSERT INTO saved_searches (developer_id, query, url)
         SELECT $1, $2, $3 FROM me
         WHERE (SELECT count(*) FROM saved_searches WHERE developer_id = $1) < $4
         ON CONFLICT (developer_id, url) DO UPDATE SET url = EXCLUDED.url
         RETURNING id",
    )
    .bind(developer)
    .bind(Json(&query))
    .bind(&url)
    .bind(MAX_SAVED_SEARCHES)
    .fetch_optional(pool)
    .await?;
    match saved {
        Some(_) => Ok(()),
        None => {
            Err(AppError::field(FieldError::new(Field::Search, Problem::TooMany { max: MAX_SAVED_SEARCHES as u32 })))
        }
    }
}

pub async fn delete(pool: &PgPool, developer: Uuid, id: i64) -> Result<(), AppError> {
    let deleted = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND developer_id = $2")
        .bind(id)
        .bind(developer)
        .execute(pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A developer's saved searches, newest first, each with how many matching tasks were published
/// since they last opened it.
pub async fn of_developer(pool: &PgPool, developer: Uuid) -> Result<Vec<SavedSearch>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        query: Json<HallQuery>,
        url: String,
        new_tasks: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.query, s.url,
                (SELECT count(*) FROM notifications n
                 WHERE n.user_id = s.developer_id AND n.kind = 'saved_search_match' AND n.note = s.url AND n.read_at IS NULL)
                    AS new_tasks
         FROM saved_searches s WHERE s.developer_id = $1 ORDER BY s.id DESC",
    )
    .bind(developer)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SavedSearch { id: row.id, query: row.query.0, url: row.url, new_tasks: row.new_tasks })
        .collect())
}

/// Opening a saved search reads its notifications.
pub async fn mark_seen(pool: &PgPool, developer: Uuid, query: &HallQuery) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE notifications SET read_at = app_now()
         WHERE user_id = $1 AND kind = 'saved_search_match' AND note = $2 AND read_at IS NULL",
    )
    .bind(developer)
    .bind(query.with_page(1).to_query_string())
    .execute(pool)
    .await?;
    Ok(())
}

/// Tells developers about tasks published since their saved searches were last checked: one
/// notification per matching task, then the search's `checked_at` moves to the time the check
/// looked up to. One search per transaction, claimed with SKIP LOCKED, so two servers running the
/// job never tell anyone twice. Returns how many notifications it wrote.
pub async fn notify(pool: &PgPool) -> Result<u64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct ClaimedSearch {
        id: i64,
        developer_id: Uuid,
        query: Json<HallQuery>,
        url: String,
        checked_at: time::OffsetDateTime,
        now: time::OffsetDateTime,
    }
    let mut told = 0;
    let mut after_id = 0_i64;
    loop {
        let mut tx = pool.begin().await?;
        let claimed: Option<ClaimedSearch> = sqlx::query_as(
            "SELECT id, developer_id, query, url, checked_at, app_now() AS now FROM saved_searches
             WHERE id > $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
        )
        .bind(after_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(ClaimedSearch { id, developer_id: developer, query: Json(query), url, checked_at, now }) = claimed
        else {
            return Ok(told);
        };
        after_id = id;
        let tsquery = tsquery_of(&crate::search::query_terms(&query.q));
        let mut sql = QueryBuilder::<Postgres>::new("WITH matches AS (");
        push_matches(&mut sql, &query, tsquery.as_deref(), MatchUse::PublishedBetween(checked_at, now));
        sql.push(") INSERT INTO notifications (user_id, kind, task_id, note) SELECT ")
            .push_bind(developer)
            .push(", 'saved_search_match', m.id, ")
            .push_bind(url)
            .push(" FROM matches m WHERE m.merchant_id <> ")
            .push_bind(developer);
        told += sql.build().execute(&mut *tx).await?.rows_affected();
        sqlx::query("UPDATE saved_searches SET checked_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
}
