//! The task hall's reads: a page of open tasks (plain or searched), the tag counts of the filter
//! panel and the pinned strip. Cards are decorated (merchant, tags, urgency) only for the rows on
//! the page.

use crate::{
    db::search::{push_matches, MatchUse},
    domain::{
        account::MerchantKind,
        growth::Level,
        hall::{tsquery_of, HallQuery, HallSort},
        money::Money,
        paging::{page_count, PageNumber},
        tasks::Difficulty,
    },
    views::hall::{HallPage, TagCount, TagLabel, TaskSummary},
};
use sqlx::{types::Json, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// A card's columns, read as a row or, inside a search's one-row answer, as a JSON object.
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(super) struct TaskSummaryRow {
    id: Uuid,
    title: String,
    difficulty: i16,
    reward_fen: i64,
    deadline: String,
    merchant_id: Uuid,
    merchant_name: String,
    merchant_kind: Option<String>,
    tags: Json<Vec<TagLabel>>,
    min_level: Option<String>,
    urgent: bool,
}

impl TaskSummaryRow {
    /// Rows come from CHECK-constrained columns, so a value outside the domain is a broken database;
    /// it is logged and the row skipped rather than crashing the whole page.
    fn into_summary(self) -> Option<TaskSummary> {
        let summary = TaskSummary {
            id: self.id,
            title: self.title,
            difficulty: Difficulty::new(self.difficulty)?,
            reward: Money::from_fen(self.reward_fen),
            deadline: self.deadline,
            merchant_id: self.merchant_id,
            merchant_name: self.merchant_name,
            merchant_kind: self.merchant_kind.as_deref().and_then(MerchantKind::parse)?,
            tags: self.tags.0,
            min_level: match self.min_level {
                Some(level) => Some(Level::parse(&level)?),
                None => None,
            },
            urgent: self.urgent,
            promoted: false,
        };
        Some(summary)
    }
}

pub async fn count_open(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM tasks WHERE status = 'open'").fetch_one(pool).await
}

/// One page of open tasks, newest first, out of `total` open tasks. (created_at, id) is a total
/// order, so paging is stable even when many tasks share a timestamp. Deadlines are shown as dates in
/// China Standard Time.
pub async fn open_tasks_page(
    pool: &PgPool,
    page: PageNumber,
    page_size: i64,
    total: i64,
) -> Result<HallPage, sqlx::Error> {
    // The page is chosen first (an index scan over the open tasks), and only its rows get the merchant
    // and tags: decorating before LIMIT/OFFSET would build tag lists for every skipped row.
    let sql = format!(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at, min_level
             FROM tasks WHERE status = 'open'
             ORDER BY created_at DESC, id DESC
             LIMIT $1 OFFSET $2)
         {DECORATE_PAGE} {NEWEST_FIRST}"
    );
    let plain = HallQuery::default();
    let (rows, pinned) = tokio::try_join!(
        sqlx::query_as::<_, TaskSummaryRow>(&sql).bind(page_size).bind(page.offset(page_size)).fetch_all(pool),
        pinned(pool, page, &plain, None),
    )?;
    Ok(HallPage {
        tasks: into_summaries(rows),
        page: page.get(),
        pages: page_count(total, page_size),
        total,
        viewer_level: None,
        terms: Vec::new(),
        tag_counts: Vec::new(),
        pinned,
    })
}

/// Open tasks per skill tag, most first, for the plain hall's filter panel. (A search's tag counts
/// come with its results, from `search_sql`.)
pub async fn open_tag_counts(pool: &PgPool) -> Result<Vec<TagCount>, sqlx::Error> {
    let mut sql = QueryBuilder::<Postgres>::new("WITH matches AS (");
    push_matches(&mut sql, &HallQuery::default(), None, MatchUse::TagCounts);
    sql.push(") ").push(TAG_COUNTS_OF).push(" matches m ").push(TAG_COUNTS_GROUPED);
    let rows: Vec<TagCountRow> = sql.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(TagCountRow::into_count).collect())
}

/// One page of the hall for a query: search words (already cut into `terms`), filters and order.
/// With words, at most `SEARCH_CANDIDATES` matches are ranked and counted.
pub async fn search(
    pool: &PgPool,
    query: &HallQuery,
    terms: Vec<String>,
    page_size: i64,
) -> Result<HallPage, sqlx::Error> {
    let tsquery = tsquery_of(&terms);
    let page = PageNumber::new(query.page);
    let mut sql = search_sql("", query, tsquery.as_deref(), page_size);
    // The pins are a different, tiny read (by key); run it beside the search.
    let (found, pinned) = tokio::try_join!(
        sql.build_query_as::<SearchAnswer>().fetch_one(pool),
        pinned(pool, page, query, tsquery.as_deref()),
    )?;
    Ok(HallPage {
        tasks: into_summaries(found.tasks.0),
        page: page.get(),
        pages: page_count(found.total, page_size),
        total: found.total,
        viewer_level: None,
        tag_counts: found.tag_counts.0.into_iter().map(TagCountRow::into_count).collect(),
        pinned,
        terms,
    })
}

/// A search's answer in one row: the count, the page's cards and the tag counts.
#[derive(sqlx::FromRow)]
struct SearchAnswer {
    total: i64,
    tasks: Json<Vec<TaskSummaryRow>>,
    tag_counts: Json<Vec<TagCountRow>>,
}

/// One tag's count, read as a row or, inside a search's one-row answer, as a JSON object.
#[derive(sqlx::FromRow, serde::Deserialize)]
struct TagCountRow {
    slug: String,
    name_zh: String,
    name_en: String,
    tasks: i64,
}

impl TagCountRow {
    fn into_count(self) -> TagCount {
        TagCount { tag: TagLabel { slug: self.slug, name_zh: self.name_zh, name_en: self.name_en }, tasks: self.tasks }
    }
}

/// The one statement a search runs, after `prefix` (empty, or an `EXPLAIN`). The matches are read
/// once (one index scan, at most `SEARCH_CANDIDATES` rows) and give the count, the page and the
/// tag counts; only a tag filter needs a second read, since the counts ignore the tags picked.
/// One statement instead of three side by side: on two cores the three scans of the same rows
/// competed for the CPU.
fn search_sql<'a>(
    prefix: &str,
    query: &'a HallQuery,
    tsquery: Option<&str>,
    page_size: i64,
) -> QueryBuilder<'a, Postgres> {
    let order = match query.effective_sort() {
        HallSort::Newest => NEWEST_FIRST,
        HallSort::Reward => "ORDER BY t.reward_fen DESC, t.id",
        HallSort::Deadline => "ORDER BY t.deadline, t.id",
        HallSort::Relevance => "ORDER BY t.rank DESC, t.created_at DESC, t.id",
    };
    // Words bound the matches (`SEARCH_CANDIDATES`), so they are read once and reused. Filters alone
    // can match every open task: then each use is planned on its own (the page by an ordered index).
    let reuse = if tsquery.is_some() { "MATERIALIZED" } else { "NOT MATERIALIZED" };
    let page = PageNumber::new(query.page);
    let mut sql = QueryBuilder::<Postgres>::new(prefix);
    sql.push(format!("WITH matches AS {reuse} ("));
    push_matches(&mut sql, query, tsquery, MatchUse::Page);
    sql.push("), ");
    let tag_scope = if query.tags.is_empty() {
        "matches"
    } else {
        sql.push(format!("tag_scope AS {reuse} ("));
        push_matches(&mut sql, query, tsquery, MatchUse::TagCounts);
        sql.push("), ");
        "tag_scope"
    };
    sql.push("page AS (SELECT t.*, row_number() OVER (").push(order).push(") AS position FROM matches t ");
    sql.push(order).push(" LIMIT ").push_bind(page_size).push(" OFFSET ").push_bind(page.offset(page_size));
    sql.push("), cards AS (").push(DECORATE_PAGE).push(") ");
    sql.push(format!(
        "SELECT (SELECT count(*) FROM matches) AS total,
                COALESCE((SELECT json_agg(c ORDER BY p.position) FROM cards c JOIN page p ON p.id = c.id),
                         '[]') AS tasks,
                COALESCE((SELECT json_agg(x ORDER BY x.tasks DESC, x.slug) FROM ({TAG_COUNTS_OF} {tag_scope} m {TAG_COUNTS_GROUPED}) x),
                         '[]') AS tag_counts"
    ));
    sql
}

/// The plan PostgreSQL runs a hall search with (`EXPLAIN ANALYZE`), for tests and benchmarks that
/// check a broad query never reads more than `SEARCH_CANDIDATES` matches.
pub async fn explain_search(pool: &PgPool, query: &HallQuery, terms: &[String]) -> Result<String, sqlx::Error> {
    let tsquery = tsquery_of(terms);
    let mut sql = search_sql("EXPLAIN (ANALYZE, COSTS OFF) ", query, tsquery.as_deref(), 20);
    let lines: Vec<String> = sql.build_query_scalar().fetch_all(pool).await?;
    Ok(lines.join("\n"))
}

/// Pinned tasks that match the query (every filter and the words), for the promoted strip above
/// the first page of results (none on later pages): at most `PINNED_SHOWN`, drawn at random when
/// more are running, so every paid pin gets its share of views. Read with the page it sits on, so
/// it is cached with it.
async fn pinned(
    pool: &PgPool,
    page: PageNumber,
    query: &HallQuery,
    tsquery: Option<&str>,
) -> Result<Vec<TaskSummary>, sqlx::Error> {
    use crate::domain::membership::PINNED_SHOWN;
    if page.get() != 1 {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Postgres>::new("WITH page AS (SELECT * FROM (");
    push_matches(&mut sql, query, tsquery, MatchUse::Pinned);
    sql.push(") m ORDER BY random() LIMIT ").push_bind(PINNED_SHOWN).push(") ");
    sql.push(DECORATE_PAGE).push(" ORDER BY t.created_at");
    let rows: Vec<TaskSummaryRow> = sql.build_query_as().fetch_all(pool).await?;
    Ok(into_summaries(rows).into_iter().map(|task| TaskSummary { promoted: true, ..task }).collect())
}

/// Tag counts over a set of matches: `TAG_COUNTS_OF <matches> m TAG_COUNTS_GROUPED`, the 40 most used.
const TAG_COUNTS_OF: &str = "SELECT s.slug, s.name_zh, s.name_en, count(*) AS tasks FROM";

const TAG_COUNTS_GROUPED: &str = "JOIN task_tags tt ON tt.task_id = m.id JOIN skill_tags s ON s.id = tt.tag_id
     GROUP BY s.slug, s.name_zh, s.name_en ORDER BY tasks DESC, s.slug LIMIT 40";

/// Turns the rows of a CTE named `page` (task columns) into cards: merchant and tags are joined
/// only for the rows on the page. The caller appends the order.
pub(super) const DECORATE_PAGE: &str = "
    SELECT t.id, t.title, t.difficulty, t.reward_fen, t.min_level,
           china_text(t.deadline, 'YYYY-MM-DD') AS deadline,
           t.merchant_id, u.display_name AS merchant_name, u.merchant_kind,
           COALESCE((SELECT json_agg(json_build_object(
                              'slug', s.slug, 'name_zh', s.name_zh, 'name_en', s.name_en)
                              ORDER BY s.slug)
                     FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
                     WHERE tt.task_id = t.id), '[]'::json) AS tags,
           EXISTS (SELECT 1 FROM task_promotions p
                   WHERE p.task_id = t.id AND p.kind = 'urgent' AND p.ended_at IS NULL
                     AND p.starts_at <= app_now() AND p.ends_at > app_now()) AS urgent
    FROM page t JOIN users u ON u.id = t.merchant_id";

/// The newest-first order of `DECORATE_PAGE`'s rows.
pub(super) const NEWEST_FIRST: &str = "ORDER BY t.created_at DESC, t.id DESC";

pub(super) fn into_summaries(rows: Vec<TaskSummaryRow>) -> Vec<TaskSummary> {
    rows.into_iter()
        .filter_map(|row| {
            let id = row.id;
            let summary = row.into_summary();
            if summary.is_none() {
                tracing::error!(%id, "task row violates the domain; skipped");
            }
            summary
        })
        .collect()
}
