//! The search index of the hall and the community board: each task's (or post's) words, cut in
//! Rust (`crate::search`) and stored as weighted lexemes in `search_tsv` (title A, tags B, body D).

use crate::{domain::hall::tag_lexeme, search::index_terms};
use sqlx::{PgConnection, PgPool};
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
    let rows: Vec<(Uuid, String, String, Vec<String>, String)> = sqlx::query_as(
        "SELECT t.id, t.title,
                COALESCE((SELECT string_agg(s.slug || ' ' || s.name_zh || ' ' || s.name_en, ' ')
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id), ''),
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id),
                t.description
         FROM tasks t WHERE t.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut columns: (Vec<Uuid>, Vec<String>, Vec<String>, Vec<String>, Vec<String>) = Default::default();
    for (id, title, tags, slugs, description) in rows {
        columns.0.push(id);
        columns.1.push(joined(&title));
        columns.2.push(joined(&tags));
        columns.3.push(joined(&description));
        columns.4.push(slugs.iter().map(|slug| tag_lexeme(slug)).collect::<Vec<_>>().join(" "));
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
    let (title, tags, body): (String, String, String) = sqlx::query_as(
        "SELECT p.title,
                COALESCE((SELECT string_agg(s.slug || ' ' || s.name_zh || ' ' || s.name_en, ' ')
                          FROM skill_tags s WHERE s.slug = ANY(p.tags)), ''),
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
    .bind(joined(&title))
    .bind(joined(&tags))
    .bind(joined(&body))
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
