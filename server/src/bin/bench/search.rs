//! `bench search [TASKS]`: the hall's search at scale, printed as `name: value unit`. Loads
//! the demo's Chinese and English tasks up to TASKS (default 100,000), then times 1,000 varied
//! searches, with and without filters, through `read::hall::search`, the code the hall runs
//! (the page, its count and the tag counts), and prints p50 and p95.

use crate::timing::{millis, percentile, report_slowest_shapes};
use app::{
    db::search::SEARCH_CANDIDATES,
    domain::{
        account::MerchantKind,
        hall::{HallQuery, HallSort},
        paging::HALL_PAGE_SIZE,
    },
    read::hall::search as hall_search,
    search::query_terms,
};
use server::demo;
use sqlx::PgPool;
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

const QUERIES: usize = 1_000;

/// Words people search the hall for, Chinese, English and mixed.
const WORDS: [&str; 20] = [
    "数据分析",
    "小程序",
    "Rust",
    "react",
    "后端",
    "Python 爬虫",
    "Vue 官网",
    "Kubernetes",
    "机器学习",
    "Docker 部署",
    "接口",
    "flutter app",
    "安全",
    "Excel",
    "区块链",
    "admin dashboard",
    "Go 会员",
    "嵌入式",
    "测试",
    "UI 设计",
];

/// The filters `filtered` combines a search with, in turn, as the slowest-shapes report names them.
const FILTERS: [&str; 7] =
    ["no filter", "tags python|backend", "difficulty 2-4", "reward 1k-10k", "due in 30 days", "company", "by reward"];

/// A search for `q` with the filters `FILTERS[filter]` names.
fn filtered(filter: usize, q: &str) -> HallQuery {
    let mut query = HallQuery { q: q.to_string(), page: 1, ..HallQuery::default() };
    match filter {
        0 => {}
        1 => query.tags = vec!["python".into(), "backend".into()],
        2 => (query.difficulty_min, query.difficulty_max) = (Some(2), Some(4)),
        3 => (query.reward_min_fen, query.reward_max_fen) = (Some(100_000), Some(1_000_000)),
        4 => query.due_within_days = Some(30),
        5 => query.merchant_kind = Some(MerchantKind::Company),
        _ => query.sort = Some(HallSort::Reward),
    }
    query
}

pub async fn run(pool: PgPool, tasks: i64) -> Result<(), Box<dyn std::error::Error>> {
    let have: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks").fetch_one(&pool).await?;
    if have < tasks {
        let started = Instant::now();
        demo::load(&pool, tasks as usize).await?;
        eprintln!("loaded {tasks} tasks in {:.1}s", started.elapsed().as_secs_f64());
    }
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks WHERE status = 'open'").fetch_one(&pool).await?;
    // One round to warm the caches, then the timed queries.
    for word in WORDS {
        hall_search(&pool, &filtered(0, word), query_terms(word), HALL_PAGE_SIZE).await?;
    }
    let mut times = Vec::with_capacity(QUERIES);
    let mut by_shape: HashMap<(&str, &str), Vec<Duration>> = HashMap::new();
    let mut found = 0;
    for n in 0..QUERIES {
        // Every word once, then the next filter.
        let (word, filter) = (WORDS[n % WORDS.len()], n / WORDS.len() % FILTERS.len());
        let query = filtered(filter, word);
        let start = Instant::now();
        let page = hall_search(&pool, &query, query_terms(word), HALL_PAGE_SIZE).await?;
        let took = start.elapsed();
        times.push(took);
        by_shape.entry((word, FILTERS[filter])).or_default().push(took);
        found += page.total.min(SEARCH_CANDIDATES);
    }
    report_slowest_shapes(by_shape);
    println!("search_open_tasks: {open} tasks");
    println!("search_queries: {QUERIES} queries");
    println!("search_mean_matches: {} tasks", found / QUERIES as i64);
    println!("search_p50: {:.2} ms", millis(percentile(&mut times, 50)));
    println!("search_p95: {:.2} ms", millis(percentile(&mut times, 95)));
    println!("search_max: {:.2} ms", millis(*times.last().expect("1,000 queries")));
    Ok(())
}
