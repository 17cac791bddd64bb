//! `/developers`' read: the developers a `TalentQuery` finds, ranked by `domain::talent::rank`, one
//! page of them with their evidence. Only developers with a public resume card and no restriction
//! in force (a suspension or the credit rule's) are ever found.
//!
//! Two statements and the credit scores of the page: the candidates (at most `TALENT_CANDIDATES`,
//! strongest standing first, through the search index or the standing index) with what the ranking
//! needs, then the page's cards.

use crate::{
    db::credit,
    domain::{
        credit::credit_score,
        growth::Level,
        money::Money,
        paging::{page_count, PageNumber},
        talent::{
            rank, talent_tsquery, words_tsquery, Availability, AvailabilityStatus, TalentFacts, TalentQuery,
            TALENT_CANDIDATES,
        },
    },
    views::{
        hall::TagLabel,
        talent::{SkillPoints, TalentPage, TalentResult},
    },
};
use sqlx::{types::Json, PgPool, Postgres, QueryBuilder};
use std::collections::HashMap;
use uuid::Uuid;

/// One page of developers for `query`, whose words were cut into `terms`. The filter panel's tags
/// are left empty (the caller adds them).
pub async fn search(
    pool: &PgPool,
    query: &TalentQuery,
    terms: Vec<String>,
    page_size: i64,
) -> Result<TalentPage, sqlx::Error> {
    // Planned for these very words and filters each time: after five runs PostgreSQL may keep one
    // generic plan for the statement, and one planned without knowing how many developers a word
    // matches ran a rating filter at 50 ms instead of 7 (the bench's p95 went from 34 ms to 27).
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan").execute(&mut *tx).await?;
    let mut sql = candidates_sql("", query, &terms);
    let candidates: Vec<CandidateRow> = sql.build_query_as().fetch_all(&mut *tx).await?;
    let today = candidates.first().map(|c| c.today.clone()).unwrap_or_default();
    let total = candidates.len() as i64;
    let mut availability = HashMap::new();
    let facts: Vec<(Uuid, TalentFacts)> = candidates
        .into_iter()
        .map(|row| {
            let now = Availability::from_parts(&row.availability, row.until).on(&today);
            let facts = TalentFacts {
                words_rank: row.words_rank,
                earned: row.earned.0,
                declared: row.declared,
                standing: row.standing,
                availability: now.status(),
            };
            availability.insert(row.id, now);
            (row.id, facts)
        })
        .collect();
    let page = PageNumber::new(query.page);
    let ranked: Vec<_> =
        rank(facts, &query.tags).into_iter().skip(page.offset(page_size) as usize).take(page_size as usize).collect();
    let ids: Vec<Uuid> = ranked.iter().map(|(id, _)| *id).collect();
    let mut cards: HashMap<Uuid, CardRow> = sqlx::query_as::<_, CardRow>(CARDS)
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|card| (card.id, card))
        .collect();
    // Each page's credit records and portfolio highlights are read for all its developers at once.
    let mut credit: HashMap<Uuid, _> = credit::records(&mut tx, &ids).await?.into_iter().collect();
    let mut portfolios = crate::db::portfolio::portfolio_summary(&mut tx, &ids).await?;
    let mut results = Vec::with_capacity(ranked.len());
    for (id, fit) in ranked {
        let Some(card) = cards.remove(&id) else { continue };
        let credit_score = credit_score(credit.remove(&id).unwrap_or_default()).score;
        results.push(TalentResult {
            id,
            handle: card.handle,
            name: card.display_name,
            headline: card.headline,
            level: Level::parse(&card.level).unwrap_or(Level::C),
            average_rating_x100: (card.rating_count > 0).then(|| card.rating_sum * 100 / card.rating_count),
            rating_count: card.rating_count,
            credit_score,
            finished_tasks: card.finished_tasks,
            availability: availability.remove(&id).unwrap_or_default(),
            expected_rate: card.expected_rate_fen.map(Money::from_fen),
            skills: card.skills.0.into_iter().map(SkillRow::into_points).collect(),
            matched: fit.matched,
            portfolio: portfolios.remove(&id).unwrap_or_default(),
        });
    }
    Ok(TalentPage {
        results,
        page: page.get(),
        pages: page_count(total, page_size),
        total,
        capped: total >= TALENT_CANDIDATES,
        terms,
        tags: Vec::new(),
    })
}

/// The plan PostgreSQL runs the candidates statement with (`EXPLAIN ANALYZE`), for the benchmark's
/// report of slow shapes and for tests that check which index a search uses.
pub async fn explain(pool: &PgPool, query: &TalentQuery, terms: &[String]) -> Result<String, sqlx::Error> {
    let mut sql = candidates_sql("EXPLAIN (ANALYZE, COSTS OFF) ", query, terms);
    let lines: Vec<String> = sql.build_query_scalar().fetch_all(pool).await?;
    Ok(lines.join("\n"))
}

/// What the ranking needs of one candidate.
#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    standing: i32,
    words_rank: f32,
    availability: String,
    until: Option<String>,
    earned: Json<Vec<(String, i64)>>,
    declared: Vec<String>,
    today: String,
}

/// The candidates: developers with a public card, unrestricted, matching every filter; at most
/// `TALENT_CANDIDATES` of them, strongest standing first. Words and tags are one lookup of the
/// search index (`talent_tsquery`); without them the standing index is read in order and the
/// filters checked on the way.
fn candidates_sql<'a>(prefix: &str, query: &'a TalentQuery, terms: &[String]) -> QueryBuilder<'a, Postgres> {
    let mut sql = QueryBuilder::<Postgres>::new(prefix);
    sql.push(
        "WITH matches AS MATERIALIZED (
             SELECT u.id, u.talent_standing FROM users u",
    );
    let growth_filter = query.level_min.is_some() || query.rating_min_x10.is_some();
    if growth_filter {
        sql.push(" LEFT JOIN developer_growth g ON g.developer_id = u.id");
    }
    sql.push(" WHERE u.role = 'developer' AND u.card_public");
    if let Some(tsquery) = talent_tsquery(terms, &query.tags, query.all_tags) {
        sql.push(" AND u.search_tsv @@ ").push_bind(tsquery).push("::tsquery");
    }
    if let Some(min) = query.level_min {
        let levels: Vec<&str> = Level::ALL.into_iter().filter(|level| *level >= min).map(Level::as_str).collect();
        sql.push(" AND COALESCE(g.level, 'C') = ANY(").push_bind(levels).push(")");
    }
    if let Some(min_x10) = query.rating_min_x10 {
        // average = sum / count ≥ min_x10 / 10, in integers.
        sql.push(" AND g.rating_count > 0 AND g.rating_sum * 10 >= g.rating_count * ").push_bind(min_x10 as i32);
    }
    // The SQL form of `Availability::on`: an until-day already over counts as available.
    match query.availability {
        None => {}
        Some(AvailabilityStatus::Available) => {
            sql.push(" AND (u.availability = 'available' OR u.available_until < china_date(app_now()))");
        }
        Some(status) => {
            sql.push(" AND u.availability = ")
                .push_bind(status.as_str())
                .push(" AND (u.available_until IS NULL OR u.available_until >= china_date(app_now()))");
        }
    }
    if let Some(max) = query.rate_max_fen {
        sql.push(" AND u.expected_rate_fen <= ").push_bind(max);
    }
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM restrictions r
                          WHERE r.user_id = u.id AND r.lifted_at IS NULL AND r.ends_at > app_now())
         ORDER BY u.talent_standing DESC, u.id LIMIT ",
    )
    .push_bind(TALENT_CANDIDATES)
    .push(") SELECT m.id, m.talent_standing AS standing, ");
    // ts_rank reads each candidate's vector: only with words, and only the words (tag lexemes do
    // not make a developer fit the words better).
    match words_tsquery(terms) {
        Some(words) => sql.push("ts_rank(u.search_tsv, ").push_bind(words).push("::tsquery) AS words_rank, "),
        None => sql.push("0::real AS words_rank, "),
    };
    sql.push(
        "u.availability, to_char(u.available_until, 'YYYY-MM-DD') AS until, china_text(app_now(), 'YYYY-MM-DD') AS today, ",
    );
    if query.tags.is_empty() {
        sql.push("'[]'::json AS earned, ARRAY[]::text[] AS declared");
    } else {
        sql.push(
            "COALESCE((SELECT json_agg(json_build_array(s.slug, d.points))
                       FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                       WHERE d.developer_id = m.id AND d.points > 0 AND s.slug = ANY(",
        )
        .push_bind(query.tags.clone())
        .push(
            ")), '[]'::json) AS earned,
             ARRAY(SELECT s.slug FROM user_skills k JOIN skill_tags s ON s.id = k.tag_id
                   WHERE k.user_id = m.id AND s.slug = ANY(",
        )
        .push_bind(query.tags.clone())
        .push(")) AS declared");
    }
    sql.push(" FROM matches m JOIN users u ON u.id = m.id");
    sql
}

/// A result's card, by id: the developer, their growth record and their top five skills (earned
/// points first, then skills only declared).
const CARDS: &str = "
    SELECT u.id, u.handle, u.display_name, u.headline, COALESCE(g.level, 'C') AS level,
           COALESCE(g.rating_sum, 0)::int8 AS rating_sum, COALESCE(g.rating_count, 0)::int8 AS rating_count,
           COALESCE(g.finished_tasks, 0)::int8 AS finished_tasks, u.expected_rate_fen,
           COALESCE((SELECT json_agg(x ORDER BY x.points DESC, x.slug) FROM (
                         SELECT s.slug, s.name_zh, s.name_en, COALESCE(max(d.points), 0)::int8 AS points
                         FROM skill_tags s
                         LEFT JOIN developer_skills d ON d.tag_id = s.id AND d.developer_id = u.id AND d.points > 0
                         LEFT JOIN user_skills k ON k.tag_id = s.id AND k.user_id = u.id
                         WHERE d.developer_id IS NOT NULL OR k.user_id IS NOT NULL
                         GROUP BY s.slug, s.name_zh, s.name_en
                         ORDER BY points DESC, s.slug LIMIT 5) x), '[]'::json) AS skills
    FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
    WHERE u.id = ANY($1)";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: Uuid,
    handle: String,
    display_name: String,
    headline: String,
    level: String,
    rating_sum: i64,
    rating_count: i64,
    finished_tasks: i64,
    expected_rate_fen: Option<i64>,
    skills: Json<Vec<SkillRow>>,
}

#[derive(serde::Deserialize)]
struct SkillRow {
    slug: String,
    name_zh: String,
    name_en: String,
    points: i64,
}

impl SkillRow {
    fn into_points(self) -> SkillPoints {
        SkillPoints {
            tag: TagLabel { slug: self.slug, name_zh: self.name_zh, name_en: self.name_en },
            points: self.points,
        }
    }
}
