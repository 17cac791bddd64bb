//! The search index of the hall and the community board: each task's (or post's) words, cut in
//! Rust (`crate::search`) and stored as weighted lexemes in `search_tsv` (title A, tags B, body D).

use crate::domain::hall::{with_any_tag, HallQuery};
use crate::{domain::hall::tag_lexeme, search::index_terms};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// The weighted vector from space-joined terms in columns `i.title`, `i.tags` and `i.body`.
const WEIGHTED_TSV: &str = "setweight(array_to_tsvector(array_remove(string_to_array(i.title, ' '), '')), 'A')
     || setweight(array_to_tsvector(array_remove(string_to_array(i.tags, ' '), '')), 'B')
     || array_to_tsvector(array_remove(string_to_array(i.body, ' '), ''))";

/// Terms never contain spaces, so each column's terms travel as one space-joined string.
fn joined(text: &str) -> String {
    index_terms(text).join(" ")
}

/// (Re)indexes the given tasks from their current title, tags and description, in two statements.
/// Each tag is also indexed as its `tag_lexeme`, for searches filtered by tags.
pub async fn index_tasks(conn: &mut PgConnection, ids: &[Uuid]) -> Result<(), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        title: String,
        tags: String,
        slugs: Vec<String>,
        description: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.title,
                COALESCE((SELECT string_agg(s.slug || ' ' || s.name_zh || ' ' || s.name_en, ' ')
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id), '')
                    AS tags,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id)
                    AS slugs,
                t.description
         FROM tasks t WHERE t.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut columns: (Vec<Uuid>, Vec<String>, Vec<String>, Vec<String>, Vec<String>) = Default::default();
    for row in rows {
        columns.0.push(row.id);
        columns.1.push(joined(&row.title));
        columns.2.push(joined(&row.tags));
        columns.3.push(joined(&row.description));
        columns.4.push(row.slugs.iter().map(|slug| tag_lexeme(slug)).collect::<Vec<_>>().join(" "));
    }
    sqlx::query(&format!(
        "UPDATE tasks t SET search_tsv = {WEIGHTED_TSV}
                || array_to_tsvector(array_remove(string_to_array(i.tag_lexemes, ' '), ''))
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
              AS i (id, title, tags, body, tag_lexemes)
         WHERE t.id = i.id"
    ))
    .bind(&columns.0)
    .bind(&columns.1)
    .bind(&columns.2)
    .bind(&columns.3)
    .bind(&columns.4)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// (Re)indexes one community post from its title, tags (names in both languages) and body.
pub async fn index_post(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        tags: String,
        body: String,
    }
    let post: Row = sqlx::query_as(
        "SELECT p.title,
                COALESCE((SELECT string_agg(s.slug || ' ' || s.name_zh || ' ' || s.name_en, ' ')
                          FROM skill_tags s WHERE s.slug = ANY(p.tags)), '') AS tags,
                p.body
         FROM posts p WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "UPDATE posts p SET search_tsv = {WEIGHTED_TSV}
         FROM (SELECT $2::text AS title, $3::text AS tags, $4::text AS body) AS i WHERE p.id = $1"
    ))
    .bind(id)
    .bind(joined(&post.title))
    .bind(joined(&post.tags))
    .bind(joined(&post.body))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Indexes every task not indexed yet (written before the index existed, or in bulk by the demo
/// loader), 500 at a time; returns how many.
pub async fn backfill(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut indexed = 0;
    loop {
        let mut conn = pool.acquire().await?;
        let ids: Vec<Uuid> =
            sqlx::query_scalar("SELECT id FROM tasks WHERE search_tsv IS NULL LIMIT 500").fetch_all(&mut *conn).await?;
        if ids.is_empty() {
            return Ok(indexed);
        }
        index_tasks(&mut conn, &ids).await?;
        indexed += ids.len() as u64;
    }
}

/// Search results are ranked among at most this many matches, so a one-letter or very broad query
/// costs the same as a precise one (the first matches by the index, not every match).
pub const SEARCH_CANDIDATES: i64 = 1_000;

/// What a `push_matches` select is for: only the page needs the rank, and the tag counts follow
/// every filter but the tags.
#[derive(Clone, Copy)]
pub enum MatchUse {
    Page,
    TagCounts,
    /// Tasks published after the first time and up to the second (saved-search announcements).
    PublishedBetween(time::OffsetDateTime, time::OffsetDateTime),
    /// Tasks with a pin running now (the promoted strip above the results).
    Pinned,
}

/// `SELECT` of the open tasks a query matches (with a `rank` column), for use inside a CTE.
pub fn push_matches(sql: &mut QueryBuilder<'_, Postgres>, query: &HallQuery, tsquery: Option<&str>, purpose: MatchUse) {
    sql.push(
        "SELECT t.id, t.merchant_id, t.title, t.difficulty, t.reward_fen, t.deadline, t.created_at, t.min_level, ",
    );
    // ts_rank reads (and detoasts) every candidate's vector: only where the order needs it.
    match (tsquery, purpose) {
        (Some(tsquery), MatchUse::Page) => {
            sql.push("ts_rank(t.search_tsv, ").push_bind(tsquery.to_string()).push("::tsquery) AS rank");
        }
        _ => {
            sql.push("0::real AS rank");
        }
    }
    sql.push(" FROM tasks t WHERE t.status = 'open'");
    // Tag counts ignore the tags picked, so that picking one does not hide the others.
    let tags = if matches!(purpose, MatchUse::TagCounts) { &[] } else { query.tags.as_slice() };
    if let Some(tsquery) = tsquery {
        // With words, the tags picked join them in one lookup of the search index: an EXISTS over
        // task_tags walked every task carrying a popular tag (45,000 of 100,000) to check its words.
        sql.push(" AND t.search_tsv @@ ").push_bind(with_any_tag(tsquery, tags)).push("::tsquery");
    } else if !tags.is_empty() {
        sql.push(
            " AND EXISTS (SELECT 1 FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
                          WHERE tt.task_id = t.id AND s.slug = ANY(",
        )
        .push_bind(tags.to_vec())
        .push("))");
    }
    if let Some(min) = query.difficulty_min {
        sql.push(" AND t.difficulty >= ").push_bind(min);
    }
    if let Some(max) = query.difficulty_max {
        sql.push(" AND t.difficulty <= ").push_bind(max);
    }
    if let Some(min) = query.reward_min_fen {
        sql.push(" AND t.reward_fen >= ").push_bind(min);
    }
    if let Some(max) = query.reward_max_fen {
        sql.push(" AND t.reward_fen <= ").push_bind(max);
    }
    if let Some(days) = query.due_within_days {
        sql.push(" AND t.deadline <= app_now() + make_interval(days => ").push_bind(days).push(")");
    }
    if let Some(kind) = query.merchant_kind {
        sql.push(" AND EXISTS (SELECT 1 FROM users m WHERE m.id = t.merchant_id AND m.merchant_kind = ")
            .push_bind(kind.as_str())
            .push(")");
    }
    if let MatchUse::Pinned = purpose {
        // The running pins are few: read them first (one initplan), then fetch those tasks by key.
        sql.push(
            " AND t.id = ANY(ARRAY(SELECT task_id FROM task_promotions WHERE kind = 'pin' AND ended_at IS NULL
                                   AND starts_at <= app_now() AND ends_at > app_now()))",
        );
    }
    if let MatchUse::PublishedBetween(after, until) = purpose {
        sql.push(" AND t.published_at > ").push_bind(after).push(" AND t.published_at <= ").push_bind(until);
    }
    if tsquery.is_some() {
        sql.push(" LIMIT ").push_bind(SEARCH_CANDIDATES);
    }
}
