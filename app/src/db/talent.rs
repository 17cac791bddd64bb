//! A developer's work terms (availability, expected rate) and their entry in the talent search
//! index: `users.search_tsv`, the developer's words cut in Rust (`crate::search`) and weighted
//! (name and skills A, headline B, finished task titles C, introduction D), and
//! `users.talent_standing` (`domain::talent::standing`). The index is rewritten when a profile is
//! saved, when a task is finished and when growth is awarded; `backfill` catches up the rest.

use crate::{
    domain::{
        growth::Level,
        hall::tag_lexeme,
        money::Money,
        talent::{standing, Availability, Standing, WorkTerms},
    },
    error::AppError,
    search::index_terms,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// What `developer` said about new work, as set (`Availability::on` tells how it stands on a day).
/// An unknown user or an account that is not a developer's reads as available.
pub async fn availability_of(conn: &mut PgConnection, developer: Uuid) -> Result<Availability, sqlx::Error> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT availability, to_char(available_until, 'YYYY-MM-DD') FROM users WHERE id = $1 AND role = 'developer'",
    )
    .bind(developer)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(status, until)| Availability::from_parts(&status, until)).unwrap_or_default())
}

/// A developer's availability and expected hourly rate, as saved.
pub async fn work_terms(conn: &mut PgConnection, developer: Uuid) -> Result<WorkTerms, sqlx::Error> {
    let rate: Option<Option<i64>> = sqlx::query_scalar("SELECT expected_rate_fen FROM users WHERE id = $1")
        .bind(developer)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(WorkTerms {
        availability: availability_of(conn, developer).await?,
        expected_rate: rate.flatten().map(Money::from_fen),
    })
}

/// Saves a developer's validated work terms; other accounts have none to save.
pub async fn save_work_terms(pool: &PgPool, developer: Uuid, terms: &WorkTerms) -> Result<(), AppError> {
    let saved = sqlx::query(
        "UPDATE users SET availability = $2, available_until = $3::date, expected_rate_fen = $4
         WHERE id = $1 AND role = 'developer'",
    )
    .bind(developer)
    .bind(terms.availability.status().as_str())
    .bind(terms.availability.until())
    .bind(terms.expected_rate.map(Money::fen))
    .execute(pool)
    .await?;
    if saved.rows_affected() == 0 {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// (Re)indexes the given developers from their current profile, skills (declared, or earned on
/// finished work), finished tasks and growth record, in two statements. Other accounts are skipped.
pub async fn index_developers(conn: &mut PgConnection, ids: &[Uuid]) -> Result<(), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        display_name: String,
        headline: String,
        bio: String,
        skill_names: String,
        slugs: Vec<String>,
        titles: String,
        level: String,
        rating_sum: i64,
        rating_count: i64,
        finished_tasks: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "WITH skills AS (
             SELECT x.developer_id, s.slug, s.name_zh, s.name_en
             FROM (SELECT user_id AS developer_id, tag_id FROM user_skills WHERE user_id = ANY($1)
                   UNION
                   SELECT developer_id, tag_id FROM developer_skills WHERE developer_id = ANY($1) AND points > 0) x
             JOIN skill_tags s ON s.id = x.tag_id)
         SELECT u.id, u.display_name, u.headline, u.bio,
                COALESCE((SELECT string_agg(k.slug || ' ' || k.name_zh || ' ' || k.name_en, ' ')
                          FROM skills k WHERE k.developer_id = u.id), '') AS skill_names,
                ARRAY(SELECT k.slug FROM skills k WHERE k.developer_id = u.id) AS slugs,
                COALESCE((SELECT string_agg(t.title, ' ') FROM (
                              SELECT title FROM tasks WHERE developer_id = u.id AND status = 'completed'
                              ORDER BY updated_at DESC LIMIT 50) t), '') AS titles,
                COALESCE(g.level, 'C') AS level, COALESCE(g.rating_sum, 0)::int8 AS rating_sum,
                COALESCE(g.rating_count, 0)::int8 AS rating_count,
                COALESCE(g.finished_tasks, 0)::int8 AS finished_tasks
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.id = ANY($1) AND u.role = 'developer'",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut columns: (Vec<Uuid>, Vec<String>, Vec<i32>) = Default::default();
    for row in rows {
        let name_and_skills = format!("{} {}", row.display_name, row.skill_names);
        let tags: Vec<String> = row.slugs.iter().map(|slug| tag_lexeme(slug)).collect();
        let vector = tsvector_literal(&[
            ('A', index_terms(&name_and_skills)),
            ('B', index_terms(&row.headline)),
            ('C', index_terms(&row.titles)),
            ('D', index_terms(&row.bio)),
            ('D', tags),
        ]);
        let of = Standing {
            level: Level::parse(&row.level).unwrap_or(Level::C),
            rating_sum: row.rating_sum,
            rating_count: row.rating_count,
            finished_tasks: row.finished_tasks,
        };
        columns.0.push(row.id);
        columns.1.push(vector);
        columns.2.push(standing(&of));
    }
    sqlx::query(
        "UPDATE users u SET search_tsv = i.tsv::tsvector, talent_standing = i.standing
         FROM unnest($1::uuid[], $2::text[], $3::int4[]) AS i (id, tsv, standing)
         WHERE u.id = i.id",
    )
    .bind(&columns.0)
    .bind(&columns.1)
    .bind(&columns.2)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Indexes every developer not indexed yet (registered before the index existed, or written in
/// bulk), 500 at a time; returns how many.
pub async fn backfill(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut indexed = 0;
    loop {
        let mut conn = pool.acquire().await?;
        let ids: Vec<Uuid> =
            sqlx::query_scalar("SELECT id FROM users WHERE role = 'developer' AND search_tsv IS NULL LIMIT 500")
                .fetch_all(&mut *conn)
                .await?;
        if ids.is_empty() {
            return Ok(indexed);
        }
        index_developers(&mut conn, &ids).await?;
        indexed += ids.len() as u64;
    }
}

/// The longest lexeme kept (PostgreSQL refuses lexemes over 2,047 bytes; nobody searches for one).
const MAX_LEXEME_BYTES: usize = 100;
/// Positions run up to 16,383; beyond it the rest of a long text is not indexed.
const MAX_POSITION: usize = 16_383;

/// A `tsvector` in its text form, each section's terms at their own positions with the section's
/// weight. `setweight` has nothing to mark on lexemes without positions (the weight lives on the
/// position), so the positions are written here. Quotes and backslashes inside a term are escaped;
/// the text is bound as a parameter and cast, never spliced into SQL.
fn tsvector_literal(sections: &[(char, Vec<String>)]) -> String {
    let mut out = String::new();
    let mut position = 0;
    for (weight, terms) in sections {
        for term in terms.iter().filter(|term| !term.is_empty() && term.len() <= MAX_LEXEME_BYTES) {
            position += 1;
            if position > MAX_POSITION {
                return out;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push('\'');
            out.push_str(&term.replace('\\', "\\\\").replace('\'', "''"));
            out.push_str(&format!("':{position}{weight}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_quoted_positioned_and_weighted() {
        let literal = tsvector_literal(&[
            ('A', vec!["李雷".into(), "rust".into()]),
            ('B', vec!["o'neil".into(), "a\\b".into(), String::new(), "x".repeat(101)]),
            ('D', vec!["tag:rust".into()]),
        ]);
        assert_eq!(literal, "'李雷':1A 'rust':2A 'o''neil':3B 'a\\\\b':4B 'tag:rust':5D");
        assert_eq!(tsvector_literal(&[]), "");
    }
}
