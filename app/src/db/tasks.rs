use crate::{
    domain::{
        account::{MerchantKind, Role},
        fees::{CommissionRate, PayoutSplit},
        growth::Level,
        hall::{tsquery_of, with_any_tag, HallQuery, HallSort},
        lifecycle::{ApplicationStatus, MilestoneStatus, Party, Refusal, TaskStatus},
        matching::{fit, DeveloperFit, Fit, TaskFit},
        money::Money,
        paging::{page_count, PageNumber},
        task::{Category, Difficulty, MilestoneForm, TaskForm},
    },
    error::AppError,
    views::{
        hall::{HallPage, Recommendation, SavedSearch, TagCount, TagLabel, TaskSummary},
        merchants::MerchantProfile,
        tasks::{
            ApplicationView, DeliveryView, EventView, FileView, MilestoneView, MyTaskRow, OpenDispute, TaskDetail,
            Viewer,
        },
    },
};
use sqlx::{types::Json, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// A card's columns, read as a row or, inside a search's one-row answer, as a JSON object.
#[derive(sqlx::FromRow, serde::Deserialize)]
struct TaskSummaryRow {
    id: Uuid,
    title: String,
    difficulty: i16,
    reward_fen: i64,
    deadline: String,
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

/// Search results are ranked among at most this many matches, so a one-letter or very broad query
/// costs the same as a precise one (the first matches by the index, not every match).
pub const SEARCH_CANDIDATES: i64 = 1_000;

/// One page of the hall for a query: search words (already cut into `terms`), filters and order.
/// With words, at most `SEARCH_CANDIDATES` matches are ranked and counted.
pub async fn hall_search(
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
pub async fn explain_hall_search(pool: &PgPool, query: &HallQuery, terms: &[String]) -> Result<String, sqlx::Error> {
    let tsquery = tsquery_of(terms);
    let mut sql = search_sql("EXPLAIN (ANALYZE, COSTS OFF) ", query, tsquery.as_deref(), 20);
    let lines: Vec<String> = sql.build_query_scalar().fetch_all(pool).await?;
    Ok(lines.join("\n"))
}

/// "为你推荐": up to `limit` open tasks that share a skill with the developer (declared or earned),
/// that they have not applied to and their level unlocks, best fit first (`domain::matching`),
/// each with the skills that matched. Scores the newest 200 such tasks.
pub async fn for_you(pool: &PgPool, developer: Uuid, limit: usize) -> Result<Vec<Recommendation>, sqlx::Error> {
    let (declared, earned, level, rating): (Vec<String>, Vec<(String, i64)>, Option<String>, Option<i64>) = {
        let row: (Vec<String>, Vec<String>, Vec<i64>, Option<String>, Option<i64>) = sqlx::query_as(
            "SELECT ARRAY(SELECT s.slug FROM user_skills u JOIN skill_tags s ON s.id = u.tag_id WHERE u.user_id = $1),
                    ARRAY(SELECT s.slug FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                          WHERE d.developer_id = $1 AND d.points > 0 ORDER BY s.slug),
                    ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                          WHERE d.developer_id = $1 AND d.points > 0 ORDER BY s.slug),
                    (SELECT level FROM developer_growth WHERE developer_id = $1),
                    (SELECT (rating_sum * 100 / NULLIF(rating_count, 0))::int8 FROM developer_growth WHERE developer_id = $1)",
        )
        .bind(developer)
        .fetch_one(pool)
        .await?;
        (row.0, row.1.into_iter().zip(row.2).collect(), row.3, row.4)
    };
    let profile =
        DeveloperFit { declared, earned, level: level.as_deref().and_then(Level::parse), average_rating_x100: rating };
    let skills: Vec<&str> = profile
        .declared
        .iter()
        .map(String::as_str)
        .chain(profile.earned.iter().map(|(slug, _)| slug.as_str()))
        .collect();
    if skills.is_empty() {
        return Ok(Vec::new());
    }
    let candidates: Vec<(Uuid, i16, Option<String>, Vec<String>)> = sqlx::query_as(
        "SELECT t.id, t.difficulty, t.min_level,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id)
         FROM tasks t
         WHERE t.status = 'open' AND t.merchant_id <> $1
           AND EXISTS (SELECT 1 FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
                       WHERE tt.task_id = t.id AND s.slug = ANY($2))
           AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.task_id = t.id AND a.developer_id = $1)
         ORDER BY t.created_at DESC, t.id DESC LIMIT 200",
    )
    .bind(developer)
    .bind(&skills)
    .fetch_all(pool)
    .await?;
    let mut fits: Vec<(Uuid, Fit)> = candidates
        .into_iter()
        .filter_map(|(id, difficulty, min_level, tags)| {
            let task = TaskFit { tags, difficulty, min_level: min_level.as_deref().and_then(Level::parse) };
            fit(&task, &profile).map(|fit| (id, fit))
        })
        .collect();
    // Best fit first; among equals the newer task (candidates came newest first; the sort is stable).
    fits.sort_by_key(|(_, fit)| std::cmp::Reverse(fit.score));
    fits.truncate(limit);
    let ids: Vec<Uuid> = fits.iter().map(|(id, _)| *id).collect();
    let sql = format!(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at, min_level
             FROM tasks WHERE id = ANY($1))
         {DECORATE_PAGE}"
    );
    let rows: Vec<TaskSummaryRow> = sqlx::query_as(&sql).bind(&ids).fetch_all(pool).await?;
    let mut summaries = into_summaries(rows);
    Ok(fits
        .into_iter()
        .filter_map(|(id, fit)| {
            let at = summaries.iter().position(|task| task.id == id)?;
            let task = summaries.swap_remove(at);
            let matched = task.tags.iter().filter(|tag| fit.matched.contains(&tag.slug)).cloned().collect();
            Some(Recommendation { task, matched })
        })
        .collect())
}

/// What a `push_matches` select is for: only the page needs the rank, and the tag counts follow
/// every filter but the tags.
#[derive(Clone, Copy)]
enum MatchUse {
    Page,
    TagCounts,
    /// Tasks published after the first time and up to the second (saved-search announcements).
    PublishedBetween(time::OffsetDateTime, time::OffsetDateTime),
    /// Tasks with a pin running now (the promoted strip above the results).
    Pinned,
}

/// `SELECT` of the open tasks a query matches (with a `rank` column), for use inside a CTE.
fn push_matches(sql: &mut QueryBuilder<'_, Postgres>, query: &HallQuery, tsquery: Option<&str>, purpose: MatchUse) {
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
const DECORATE_PAGE: &str = "
    SELECT t.id, t.title, t.difficulty, t.reward_fen, t.min_level,
           china_text(t.deadline, 'YYYY-MM-DD') AS deadline,
           u.display_name AS merchant_name, u.merchant_kind,
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
const NEWEST_FIRST: &str = "ORDER BY t.created_at DESC, t.id DESC";

fn into_summaries(rows: Vec<TaskSummaryRow>) -> Vec<TaskSummary> {
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

/// A merchant's public record: what developers check before applying (the seeds' 难缠的客户).
/// None for an unknown id or an account that is not a merchant.
pub async fn merchant_profile(pool: &PgPool, id: Uuid) -> Result<Option<MerchantProfile>, sqlx::Error> {
    let row: Option<(String, Option<String>, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT u.display_name, u.merchant_kind, china_text(u.created_at, 'YYYY-MM-DD'),
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status <> 'draft'),
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status = 'completed'),
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status = 'cancelled'),
                (SELECT COALESCE(sum(m.amount_fen), 0)::int8 FROM milestones m JOIN tasks t ON t.id = m.task_id
                 WHERE t.merchant_id = u.id AND m.status = 'released')
         FROM users u WHERE u.id = $1 AND u.role = 'merchant'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some((name, kind, member_since, posted, completed, cancelled, paid_fen)) = row else {
        return Ok(None);
    };
    let Some(kind) = kind.as_deref().and_then(MerchantKind::parse) else {
        return Ok(None);
    };
    let mut conn = pool.acquire().await?;
    let response_rate = response_rate(&mut conn, id).await?;
    let sql = format!(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at, min_level
             FROM tasks WHERE status = 'open' AND merchant_id = $1
             ORDER BY created_at DESC, id DESC LIMIT 20)
         {DECORATE_PAGE} {NEWEST_FIRST}"
    );
    let rows: Vec<TaskSummaryRow> = sqlx::query_as(&sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(Some(MerchantProfile {
        id,
        name,
        kind,
        member_since,
        tasks_posted: posted,
        tasks_completed: completed,
        tasks_cancelled: cancelled,
        paid_to_developers: Money::from_fen(paid_fen),
        response_rate,
        open_tasks: into_summaries(rows),
        credit: super::credit::score(pool, id).await?,
        reviews: super::reviews::received(pool, id, 10).await?,
    }))
}

#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct TaskCounts {
    pub open: i64,
    pub total: i64,
}

pub async fn counts(pool: &PgPool) -> Result<TaskCounts, sqlx::Error> {
    sqlx::query_as("SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) AS total FROM tasks")
        .fetch_one(pool)
        .await
}

/// Today's date in China Standard Time ("2026-11-23"), from the database clock so that every server
/// agrees on it.
pub async fn today(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT china_text(app_now(), 'YYYY-MM-DD')").fetch_one(pool).await
}

/// A draft's content as its form, for editing: only for its author, only while it is a draft.
pub async fn draft_form(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<TaskForm, AppError> {
    type Row = (Uuid, String, String, String, String, i16, String, i16, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT merchant_id, status, title, category, description, difficulty,
                china_text(deadline, 'YYYY-MM-DD'), change_rounds, min_level
         FROM tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some((owner, status, title, category, description, difficulty, deadline, change_rounds, min_level)) = row
    else {
        return Err(AppError::NotFound);
    };
    if owner != merchant {
        return Err(AppError::Forbidden);
    }
    if status != TaskStatus::Draft.as_str() {
        return Err(AppError::Refused { reason: Refusal::WrongState });
    }
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = $1 ORDER BY s.slug",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let milestones: Vec<(String, i64)> =
        sqlx::query_as("SELECT title, amount_fen FROM milestones WHERE task_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let reward = Money::from_fen(milestones.iter().map(|(_, fen)| fen).sum());
    // A task paid in one piece has one untitled milestone, which the form shows as no rows.
    let rows = match milestones.as_slice() {
        [(title, _)] if title.is_empty() => Vec::new(),
        rows => rows
            .iter()
            .map(|(title, fen)| MilestoneForm { title: title.clone(), amount: Money::from_fen(*fen).plain_yuan() })
            .collect(),
    };
    Ok(TaskForm {
        title,
        category,
        description,
        tags,
        difficulty: difficulty.to_string(),
        reward: reward.plain_yuan(),
        deadline,
        change_rounds: change_rounds.to_string(),
        milestones: rows,
        min_level: min_level.unwrap_or_default(),
    })
}

pub async fn all_tags(pool: &PgPool) -> Result<Vec<TagLabel>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT slug, name_zh, name_en FROM skill_tags ORDER BY slug").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(slug, name_zh, name_en)| TagLabel { slug, name_zh, name_en }).collect())
}

#[derive(sqlx::FromRow)]
struct TaskDetailRow {
    id: Uuid,
    merchant_id: Uuid,
    developer_id: Option<Uuid>,
    title: String,
    description: String,
    difficulty: i16,
    status: String,
    reward_fen: i64,
    deadline: String,
    change_rounds: i16,
    commission_bps: Option<i32>,
    cancel_proposed_by: Option<String>,
    category: String,
    merchant_name: String,
    merchant_kind: Option<String>,
    tags: Json<Vec<TagLabel>>,
    applicant_count: i64,
    min_level: Option<String>,
}

const CST: &str = "'YYYY-MM-DD HH24:MI'";

/// The task page's data, shaped for `viewer` (their user id and role): the owner sees applications,
/// the two parties and admins see deliveries and the timeline, everyone sees the itemised money.
pub async fn task_detail(
    pool: &PgPool,
    id: Uuid,
    viewer: Option<(Uuid, Role)>,
) -> Result<Option<TaskDetail>, AppError> {
    let row: Option<TaskDetailRow> = sqlx::query_as(
        "SELECT t.id, t.merchant_id, t.developer_id, t.title, t.description, t.difficulty, t.status,
                t.reward_fen, china_text(t.deadline, 'YYYY-MM-DD') AS deadline,
                t.change_rounds, t.commission_bps, t.cancel_proposed_by, t.category, t.min_level,
                u.display_name AS merchant_name,
                u.merchant_kind,
                COALESCE((SELECT json_agg(json_build_object('slug', s.slug, 'name_zh', s.name_zh,
                                                            'name_en', s.name_en) ORDER BY s.slug)
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id),
                         '[]'::json) AS tags,
                (SELECT count(*) FROM applications a WHERE a.task_id = t.id) AS applicant_count
         FROM tasks t JOIN users u ON u.id = t.merchant_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status = TaskStatus::parse(&row.status).ok_or(AppError::Internal)?;
    let viewer_kind = match viewer {
        None => Viewer::Anonymous,
        Some((_, Role::Admin)) => Viewer::Admin,
        Some((user, _)) if user == row.merchant_id => Viewer::Owner,
        Some((user, _)) if Some(user) == row.developer_id => Viewer::Developer,
        Some((_, Role::Developer)) => Viewer::OtherDeveloper,
        Some((_, _)) => Viewer::OtherMerchant,
    };
    // Drafts are private to their author (and admins).
    if status == TaskStatus::Draft && !matches!(viewer_kind, Viewer::Owner | Viewer::Admin) {
        return Ok(None);
    }
    let party = matches!(viewer_kind, Viewer::Owner | Viewer::Developer | Viewer::Admin);
    // A developer who keeps their clients private (NDA on their public card) would otherwise be
    // undone by the task page the card's verification links lead to: outsiders get no page.
    if !party && status != TaskStatus::Open {
        if let Some(developer) = row.developer_id {
            let under_nda: bool = sqlx::query_scalar("SELECT card_hide_merchants FROM users WHERE id = $1")
                .bind(developer)
                .fetch_one(pool)
                .await?;
            if under_nda {
                return Ok(None);
            }
        }
    }
    let mut conn = pool.acquire().await?;
    let category = Category::from_slug(&row.category).ok_or(AppError::Internal)?;
    // Funded tasks keep the rate they were funded at; a draft shows the rate it would get now
    // (with the merchant's 企业会员 discount, as `lifecycle::publish` applies it).
    let task_rate = match row.commission_bps.and_then(|b| CommissionRate::from_bps(b as u32)) {
        Some(rate) => rate,
        None => super::commission::rates_for_merchant(&mut conn, row.merchant_id).await?.rate_for(Some(category)),
    };
    // Unpaid amounts are itemised at the rate the developer who would be paid gets: the chosen
    // developer's, or the viewing developer's own before they apply (higher levels pay less).
    let payee = row.developer_id.or(match viewer {
        Some((user, Role::Developer)) => Some(user),
        _ => None,
    });
    let payee_level = match payee {
        Some(developer) => Some(crate::db::growth::level_of(&mut conn, developer).await?),
        None => None,
    };
    let rate = match payee_level {
        Some(level) => task_rate.discounted(level.commission_discount_bps()),
        None => task_rate,
    };
    // What `lifecycle::apply` would refuse a developer for, said before they try.
    let viewer_restriction = match viewer {
        Some((user, _)) if viewer_kind == Viewer::OtherDeveloper && status == TaskStatus::Open => {
            super::credit::active_restriction(&mut conn, user).await?
        }
        _ => None,
    };

    type MilestoneRow = (Uuid, i16, String, i64, String, i16, Option<i32>, Option<bool>, Option<bool>);
    let milestone_rows: Vec<MilestoneRow> = sqlx::query_as(
        "SELECT m.id, m.position, m.title, m.amount_fen, m.status, m.change_rounds_used, m.paid_commission_bps,
                od.opened_by = t.merchant_id, od.response IS NOT NULL
         FROM milestones m JOIN tasks t ON t.id = m.task_id
         LEFT JOIN LATERAL (SELECT d.opened_by, d.response FROM disputes d
                            WHERE d.milestone_id = m.id AND d.settled_at IS NULL
                            ORDER BY d.opened_at DESC LIMIT 1) od ON true
         WHERE m.task_id = $1 ORDER BY m.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let deliveries: Vec<(Uuid, String, Vec<String>, Json<Vec<FileView>>, String)> = if party {
        sqlx::query_as(&format!(
            "SELECT d.milestone_id, d.message, d.links,
                    COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size_bytes', f.size_bytes)
                                              ORDER BY f.id)
                              FROM delivery_files f WHERE f.delivery_id = d.id), '[]'::json),
                    to_char(china_time(d.created_at), {CST})
             FROM deliveries d JOIN milestones m ON m.id = d.milestone_id
             WHERE m.task_id = $1 ORDER BY d.created_at"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let milestones = milestone_rows
        .into_iter()
        .filter_map(|(mid, position, title, amount, status, rounds_used, paid_bps, by_merchant, answered)| {
            // A paid milestone shows the rate it was actually paid at.
            let rate = paid_bps.and_then(|bps| CommissionRate::from_bps(bps as u32)).unwrap_or(rate);
            Some(MilestoneView {
                id: mid,
                position,
                title,
                status: MilestoneStatus::parse(&status)?,
                split: PayoutSplit::of(Money::from_fen(amount), rate),
                rounds_used,
                deliveries: deliveries
                    .iter()
                    .filter(|(m, ..)| *m == mid)
                    .map(|(_, message, links, files, created_at)| DeliveryView {
                        message: message.clone(),
                        links: links.clone(),
                        files: files.0.clone(),
                        created_at: created_at.clone(),
                    })
                    .collect(),
                open_dispute: by_merchant.map(|by_merchant| OpenDispute {
                    opened_by: if by_merchant { Party::Merchant } else { Party::Developer },
                    answered: answered.unwrap_or(false),
                }),
            })
        })
        .collect();

    let premium = super::membership::holds_plan_sql("a.developer_id", "'premium'");
    let applications_sql = format!(
        "SELECT a.id, u.display_name, a.pitch, a.status, a.decline_reason,
                to_char(china_time(a.created_at), {CST}),
                to_char(china_time(a.respond_by), {CST}),
                {premium}
         FROM applications a JOIN users u ON u.id = a.developer_id
         WHERE a.task_id = $1 AND ($2::uuid IS NULL OR a.developer_id = $2)
         ORDER BY a.created_at"
    );
    let load_applications = |only: Option<Uuid>| {
        let sql = applications_sql.clone();
        async move {
            let rows: Vec<(Uuid, String, String, String, Option<String>, String, String, bool)> =
                sqlx::query_as(&sql).bind(id).bind(only).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>(
                rows.into_iter()
                    .filter_map(
                        |(id, developer_name, pitch, status, decline_reason, created_at, respond_by, highlighted)| {
                            Some(ApplicationView {
                                id,
                                developer_name,
                                pitch,
                                status: ApplicationStatus::parse(&status)?,
                                decline_reason,
                                created_at,
                                respond_by,
                                highlighted,
                            })
                        },
                    )
                    .collect::<Vec<_>>(),
            )
        }
    };
    let applications = match viewer_kind {
        Viewer::Owner | Viewer::Admin => load_applications(None).await?,
        _ => Vec::new(),
    };
    let my_application = match viewer {
        Some((user, Role::Developer)) => load_applications(Some(user)).await?.into_iter().next(),
        _ => None,
    };

    let timeline = if party {
        let rows: Vec<(String, Option<String>, String, Option<i16>, String)> = sqlx::query_as(&format!(
            "SELECT e.kind, u.display_name, e.note, m.position,
                    to_char(china_time(e.created_at), {CST})
             FROM task_events e LEFT JOIN users u ON u.id = e.actor_id
             LEFT JOIN milestones m ON m.id = e.milestone_id
             WHERE e.task_id = $1 ORDER BY e.id"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|(kind, actor_name, note, milestone_position, created_at)| EventView {
                kind,
                actor_name,
                note,
                milestone_position,
                created_at,
            })
            .collect()
    } else {
        Vec::new()
    };

    let merchant_response_rate = response_rate(&mut conn, row.merchant_id).await?;
    let rating: Option<i16> = sqlx::query_scalar("SELECT stars FROM task_ratings WHERE task_id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    drop(conn);
    let reviews = if status == TaskStatus::Completed {
        super::reviews::for_task(pool, id, viewer.map(|(user, _)| user)).await?
    } else {
        Default::default()
    };
    let (promotions, promotion_key) = match viewer_kind {
        Viewer::Owner => {
            (super::membership::task_promotions(pool, id).await?, (status == TaskStatus::Open).then(Uuid::now_v7))
        }
        _ => (Vec::new(), None),
    };
    Ok(Some(TaskDetail {
        id: row.id,
        title: row.title,
        category,
        description_html: crate::markdown::render(&row.description),
        difficulty: Difficulty::new(row.difficulty).ok_or(AppError::Internal)?,
        status,
        deadline: row.deadline,
        merchant_id: row.merchant_id,
        merchant_name: row.merchant_name,
        merchant_kind: row.merchant_kind.as_deref().and_then(MerchantKind::parse).ok_or(AppError::Internal)?,
        merchant_response_rate,
        tags: row.tags.0,
        change_rounds: row.change_rounds,
        split: PayoutSplit::of(Money::from_fen(row.reward_fen), rate),
        milestones,
        applicant_count: row.applicant_count,
        viewer: viewer_kind,
        cancel_proposed_by: match (status, row.cancel_proposed_by.as_deref()) {
            (TaskStatus::InProgress, Some("merchant")) => Some(Party::Merchant),
            (TaskStatus::InProgress, Some("developer")) => Some(Party::Developer),
            _ => None,
        },
        my_application,
        applications,
        timeline,
        rating: rating.map(|stars| stars as u8),
        reviews,
        min_level: row.min_level.as_deref().and_then(Level::parse),
        viewer_level: if viewer_kind == Viewer::OtherDeveloper { payee_level } else { None },
        viewer_restriction,
        promotions,
        promotion_key,
    }))
}

/// The share (percent) of a merchant's applications answered within their 48 hours, counting only
/// applications whose answer is in (answered, or expired unanswered). None before any.
pub async fn response_rate(conn: &mut sqlx::PgConnection, merchant: Uuid) -> Result<Option<u8>, sqlx::Error> {
    let (on_time, due): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE a.status IN ('accepted', 'declined') AND a.answered_at <= a.respond_by),
                count(*) FILTER (WHERE a.status <> 'pending')
         FROM applications a JOIN tasks t ON t.id = a.task_id
         WHERE t.merchant_id = $1",
    )
    .bind(merchant)
    .fetch_one(conn)
    .await?;
    Ok((due > 0).then(|| (on_time * 100 / due) as u8))
}

pub async fn my_tasks(pool: &PgPool, user: Uuid, role: Role) -> Result<Vec<MyTaskRow>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, i64, String, Option<i64>, Option<String>)> = match role {
        Role::Developer => {
            sqlx::query_as(
                "SELECT t.id, t.title, t.status, t.reward_fen,
                        china_text(t.deadline, 'YYYY-MM-DD'), NULL::int8, a.status
                 FROM applications a JOIN tasks t ON t.id = a.task_id
                 WHERE a.developer_id = $1 ORDER BY a.created_at DESC LIMIT 200",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        }
        _ => {
            sqlx::query_as(
                "SELECT t.id, t.title, t.status, t.reward_fen,
                        china_text(t.deadline, 'YYYY-MM-DD'),
                        (SELECT count(*) FROM applications a WHERE a.task_id = t.id AND a.status = 'pending'),
                        NULL::text
                 FROM tasks t WHERE t.merchant_id = $1 ORDER BY t.updated_at DESC LIMIT 200",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|(id, title, status, reward, deadline, pending, application)| {
            Some(MyTaskRow {
                id,
                title,
                status: TaskStatus::parse(&status)?,
                reward: Money::from_fen(reward),
                deadline,
                pending_applications: pending,
                application: application.as_deref().and_then(ApplicationStatus::parse),
            })
        })
        .collect())
}

/// Most saved searches a developer keeps.
pub const MAX_SAVED_SEARCHES: i64 = 10;

/// Saves a developer's search (the same search twice is one), at most `MAX_SAVED_SEARCHES`.
pub async fn save_search(pool: &PgPool, developer: Uuid, query: &HallQuery) -> Result<(), AppError> {
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

pub async fn delete_saved_search(pool: &PgPool, developer: Uuid, id: i64) -> Result<(), AppError> {
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
pub async fn saved_searches(pool: &PgPool, developer: Uuid) -> Result<Vec<SavedSearch>, sqlx::Error> {
    let rows: Vec<(i64, Json<HallQuery>, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.query, s.url,
                (SELECT count(*) FROM notifications n
                 WHERE n.user_id = s.developer_id AND n.kind = 'saved_search_match' AND n.note = s.url AND n.read_at IS NULL)
         FROM saved_searches s WHERE s.developer_id = $1 ORDER BY s.id DESC",
    )
    .bind(developer)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, Json(query), url, new_tasks)| SavedSearch { id, query, url, new_tasks }).collect())
}

/// Opening a saved search reads its notifications.
pub async fn mark_saved_search_seen(pool: &PgPool, developer: Uuid, query: &HallQuery) -> Result<(), sqlx::Error> {
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
pub async fn notify_saved_searches(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut told = 0;
    let mut after_id = 0_i64;
    loop {
        let mut tx = pool.begin().await?;
        let claimed: Option<(i64, Uuid, Json<HallQuery>, String, time::OffsetDateTime, time::OffsetDateTime)> =
            sqlx::query_as(
                "SELECT id, developer_id, query, url, checked_at, app_now() FROM saved_searches
                 WHERE id > $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            )
            .bind(after_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id, developer, Json(query), url, checked_at, now)) = claimed else { return Ok(told) };
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
