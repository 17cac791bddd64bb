//! The hall's search index: each task's words, cut in Rust (`crate::search`) and stored as
//! weighted lexemes in `tasks.search_tsv` (title A, tags B, description D).

use crate::search::index_terms;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// (Re)indexes the given tasks from their current title, tags and description, in two statements.
pub async fn index_tasks(conn: &mut PgConnection, ids: &[Uuid]) -> Result<(), sqlx::Error> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT t.id, t.title,
                COALESCE((SELECT string_agg(s.slug || ' ' || s.name_zh || ' ' || s.name_en, ' ')
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id), ''),
                t.description
         FROM tasks t WHERE t.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    // Terms never contain spaces, so each column's terms travel as one space-joined string.
    let joined = |text: &str| index_terms(text).join(" ");
    let mut columns: (Vec<Uuid>, Vec<String>, Vec<String>, Vec<String>) = Default::default();
    for (id, title, tags, description) in rows {
        columns.0.push(id);
        columns.1.push(joined(&title));
        columns.2.push(joined(&tags));
        columns.3.push(joined(&description));
    }
    sqlx::query(
        "UPDATE tasks t SET search_tsv =
             setweight(array_to_tsvector(array_remove(string_to_array(i.title, ' '), '')), 'A')
             || setweight(array_to_tsvector(array_remove(string_to_array(i.tags, ' '), '')), 'B')
             || array_to_tsvector(array_remove(string_to_array(i.description, ' '), ''))
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS i (id, title, tags, description)
         WHERE t.id = i.id",
    )
    .bind(&columns.0)
    .bind(&columns.1)
    .bind(&columns.2)
    .bind(&columns.3)
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
