//! The public pages the sitemaps list, a file's worth at a time: open tasks, public resume cards
//! (a hidden card never), visible community posts and published courses, each with when it last
//! changed. The same rules as the pages themselves: what a guest may open is what is listed.

use crate::domain::sitemap::{page_window, SitemapEntry, SitemapKind, FIXED_PAGES};
use sqlx::PgPool;

/// W3C datetime, UTC, as the sitemap protocol's `lastmod` takes it.
macro_rules! lastmod {
    ($column:expr) => {
        concat!("to_char((", $column, ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
    };
}

/// Every listed page of a kind, in a stable order: (count query, page query with $1 offset, $2 limit).
fn queries(kind: SitemapKind) -> Option<(&'static str, &'static str)> {
    match kind {
        SitemapKind::Pages => None,
        SitemapKind::Tasks => Some((
            "SELECT count(*) FROM tasks WHERE status = 'open'",
            concat!(
                "SELECT '/tasks/' || id AS path, ",
                lastmod!("greatest(updated_at, coalesce(published_at, created_at))"),
                " AS lastmod FROM tasks WHERE status = 'open' ORDER BY created_at, id OFFSET $1 LIMIT $2"
            ),
        )),
        SitemapKind::Cards => Some((
            "SELECT count(*) FROM users WHERE role = 'developer' AND card_public",
            concat!(
                "SELECT '/u/' || u.handle AS path, ",
                lastmod!("greatest(u.created_at, g.updated_at)"),
                " AS lastmod FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
                 WHERE u.role = 'developer' AND u.card_public ORDER BY u.created_at, u.id OFFSET $1 LIMIT $2"
            ),
        )),
        SitemapKind::Posts => Some((
            "SELECT count(*) FROM posts WHERE status = 'visible'",
            concat!(
                "SELECT '/community/' || p.id AS path, ",
                lastmod!(
                    "greatest(p.created_at, (SELECT max(r.created_at) FROM post_replies r WHERE r.post_id = p.id))"
                ),
                " AS lastmod FROM posts p WHERE p.status = 'visible' ORDER BY p.created_at, p.id OFFSET $1 LIMIT $2"
            ),
        )),
        SitemapKind::Courses => Some((
            "SELECT count(*) FROM courses WHERE published",
            concat!(
                "SELECT '/learn/' || slug AS path, ",
                lastmod!("updated_at"),
                " AS lastmod FROM courses WHERE published ORDER BY created_at, id OFFSET $1 LIMIT $2"
            ),
        )),
    }
}

/// How many pages of `kind` are listed.
pub async fn count(pool: &PgPool, kind: SitemapKind) -> Result<i64, sqlx::Error> {
    match queries(kind) {
        None => Ok(FIXED_PAGES.len() as i64),
        Some((count, _)) => sqlx::query_scalar(count).fetch_one(pool).await,
    }
}

/// The pages of `kind` in sitemap file `page` (from 1); empty past the last file.
pub async fn entries(pool: &PgPool, kind: SitemapKind, page: i64) -> Result<Vec<SitemapEntry>, sqlx::Error> {
    let Some((offset, limit)) = page_window(page) else { return Ok(Vec::new()) };
    let Some((_, select)) = queries(kind) else {
        let fixed = FIXED_PAGES.iter().map(|path| SitemapEntry { path: path.to_string(), lastmod: None });
        return Ok(if page == 1 { fixed.collect() } else { Vec::new() });
    };
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(select).bind(offset).bind(limit).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(path, lastmod)| SitemapEntry { path, lastmod }).collect())
}
