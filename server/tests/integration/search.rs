//! The hall's search and filters on the real database, over a fixed set of Chinese, English and
//! mixed tasks: which tasks each query finds first, how filters combine, what the tag counts follow,
//! and that a broad query reads a bounded set of candidates.

use crate::common;

use app::{
    db::{ledger, lifecycle},
    domain::{
        ledger::Movement,
        money::Money,
        tasks::{Category, Difficulty, NewMilestone, NewTask},
    },
};
use axum::http::StatusCode;
use common::{flow::approve_if_held, spawn_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

struct Fixture {
    title: &'static str,
    description: &'static str,
    tag: &'static str,
    difficulty: i16,
    reward_yuan: i64,
    due_in_days: i32,
    kind: &'static str,
}

const TASKS: [Fixture; 6] = [
    Fixture {
        title: "门店销售看板",
        description: "做一个数据分析看板，展示各门店的销售趋势",
        tag: "python",
        difficulty: 2,
        reward_yuan: 800,
        due_in_days: 10,
        kind: "company",
    },
    Fixture {
        title: "微信小程序开发",
        description: "开发一个点餐系统，支持会员积分",
        tag: "miniprogram",
        difficulty: 3,
        reward_yuan: 3000,
        due_in_days: 30,
        kind: "team",
    },
    Fixture {
        title: "React admin dashboard",
        description: "Build an admin panel with charts and role-based access",
        tag: "react",
        difficulty: 3,
        reward_yuan: 2000,
        due_in_days: 5,
        kind: "individual",
    },
    Fixture {
        title: "Rust 后端服务",
        description: "用 Rust 编写高并发 API，接入 PostgreSQL",
        tag: "rust",
        difficulty: 4,
        reward_yuan: 5000,
        due_in_days: 20,
        kind: "company",
    },
    Fixture {
        title: "Vue 前端重构",
        description: "把旧页面迁移到 Vue 3 和 TypeScript",
        tag: "vue",
        difficulty: 2,
        reward_yuan: 1200,
        due_in_days: 60,
        kind: "team",
    },
    Fixture {
        title: "Python 爬虫",
        description: "抓取公开数据并清洗成表格",
        tag: "python",
        difficulty: 1,
        reward_yuan: 300,
        due_in_days: 3,
        kind: "individual",
    },
];

async fn seed(app: &TestApp) {
    sqlx::query(
        "INSERT INTO skill_tags (slug, name_zh, name_en, branch) VALUES
           ('python', 'Python', 'Python', 'backend'), ('rust', 'Rust', 'Rust', 'backend'),
           ('vue', 'Vue', 'Vue', 'frontend'), ('react', 'React', 'React', 'frontend'),
           ('miniprogram', '小程序', 'Mini program', 'mobile')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for (n, task) in TASKS.iter().enumerate() {
        let merchant = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
             VALUES ($1, $2, $3, 'x', 'merchant', $4)",
        )
        .bind(merchant)
        .bind(format!("m{n}@search.test"))
        .bind(format!("商家{n}"))
        .bind(task.kind)
        .execute(&app.pool)
        .await
        .unwrap();
        let reward = Money::from_fen(task.reward_yuan * 100);
        let mut tx = app.pool.begin().await.unwrap();
        ledger::post(&mut tx, &Movement::deposit(Uuid::now_v7(), merchant, reward)).await.unwrap();
        tx.commit().await.unwrap();
        let deadline: String =
            sqlx::query_scalar("SELECT to_char(china_time(now()) + make_interval(days => $1), 'YYYY-MM-DD')")
                .bind(task.due_in_days)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        let new = NewTask {
            title: task.title.into(),
            category: Category::Other,
            description: task.description.into(),
            tags: vec![task.tag.into()],
            difficulty: Difficulty::new(task.difficulty).unwrap(),
            deadline,
            change_rounds: 2,
            milestones: vec![NewMilestone { title: String::new(), amount: reward }],
            min_level: None,
        };
        let id = lifecycle::create_task(&app.pool, merchant, &new).await.unwrap();
        lifecycle::publish(&app.pool, merchant, id).await.unwrap();
        approve_if_held(app, id).await;
    }
}

async fn hall(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let reply = app.call("/api/hall", form, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{form:?}: {}", reply.body);
    reply.json()
}

fn titles(hall: &Value) -> Vec<String> {
    hall["tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_string()).collect()
}

/// Titles (sorted) a search for `q` finds among tasks carrying any of `tags`.
async fn words_and_tags(app: &TestApp, q: &str, tags: &[&str]) -> Vec<String> {
    let names: Vec<String> = (0..tags.len()).map(|n| format!("query[tags][{n}]")).collect();
    let mut form = vec![("query[q]", q)];
    form.extend(names.iter().map(String::as_str).zip(tags.iter().copied()));
    let mut found = titles(&hall(app, &form).await);
    found.sort();
    found
}

#[sqlx::test(migrations = false)]
async fn chinese_english_and_mixed_queries_find_their_tasks_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed(&app).await;
    let search = |q: &'static str| {
        let app = app.clone();
        async move { hall(&app, &[("query[q]", q)]).await }
    };

    // Found in the description, not the title: a word inside a longer phrase.
    let found = search("数据分析").await;
    assert_eq!(titles(&found), ["门店销售看板"]);
    assert_eq!(found["terms"], json!(["数据分析"]));
    // A tag's Chinese name finds the task; so does a word of a title, in any case.
    assert_eq!(titles(&search("小程序").await), ["微信小程序开发"]);
    assert_eq!(titles(&search("react").await), ["React admin dashboard"]);
    assert_eq!(titles(&search("REACT").await), ["React admin dashboard"]);
    // Mixed: every word must match.
    assert_eq!(titles(&search("Rust 后端").await), ["Rust 后端服务"]);
    let none = search("Rust 前端").await;
    assert_eq!(none["total"], 0);
    assert_eq!(titles(&none), Vec::<String>::new());
    // A title match ranks above a description match.
    let python = search("python").await;
    assert_eq!(titles(&python)[0], "Python 爬虫", "title words weigh most");

    // Long, SQL-looking and HTML-looking queries are text.
    let hostile = "'; DROP TABLE tasks; -- <script>alert(1)</script> & | ! :* ".repeat(40);
    let reply = app.call("/api/hall", &[("query[q]", hostile.as_str())], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 6);

    // The page renders the search on the server, with the words highlighted.
    let page = app.get("/?q=%E5%B0%8F%E7%A8%8B%E5%BA%8F", None, Some("zh-CN")).await;
    assert!(page.body.contains("找到 1 个匹配的任务"), "{}", page.body);
    assert!(
        page.body.contains(r#"<mark data-testid="hit""#) && page.body.contains("小程序<!></mark>"),
        "highlighted: {}",
        page.body
    );
    let nothing = app.get("/?q=Rust+%E5%89%8D%E7%AB%AF", None, Some("zh-CN")).await;
    assert!(nothing.body.contains("没有匹配的任务") && nothing.body.contains("去掉一些筛选条件"));
}

#[sqlx::test(migrations = false)]
async fn filters_combine_and_tag_counts_follow_the_other_filters(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed(&app).await;

    // Several tags are any-of.
    let mut two_tags = titles(&hall(&app, &[("query[tags][0]", "rust"), ("query[tags][1]", "vue")]).await);
    two_tags.sort();
    assert_eq!(two_tags, ["Rust 后端服务", "Vue 前端重构"]);
    // With words, the tags still narrow any-of (they are read from the search index then).
    assert_eq!(words_and_tags(&app, "数据", &["python", "react"]).await, ["Python 爬虫", "门店销售看板"]);
    assert_eq!(words_and_tags(&app, "数据", &["react", "vue"]).await, Vec::<String>::new());
    assert_eq!(words_and_tags(&app, "rust", &["vue", "rust"]).await, ["Rust 后端服务"]);

    // Difficulty 2–3 and ¥1,000–3,000, highest reward first.
    let ranged = hall(
        &app,
        &[
            ("query[difficulty_min]", "2"),
            ("query[difficulty_max]", "3"),
            ("query[reward_min_fen]", "100000"),
            ("query[reward_max_fen]", "300000"),
            ("query[sort]", "reward"),
        ],
    )
    .await;
    assert_eq!(titles(&ranged), ["微信小程序开发", "React admin dashboard", "Vue 前端重构"]);

    // Due within 7 days, soonest first.
    let due = hall(&app, &[("query[due_within_days]", "7"), ("query[sort]", "deadline")]).await;
    assert_eq!(titles(&due), ["Python 爬虫", "React admin dashboard"]);

    // Posted by teams, with a search on top.
    let teams = hall(&app, &[("query[merchant_kind]", "team")]).await;
    assert_eq!(teams["total"], 2);
    let counts: Vec<(String, i64)> = teams["tag_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["tag"]["slug"].as_str().unwrap().to_string(), c["tasks"].as_i64().unwrap()))
        .collect();
    assert_eq!(counts, [("miniprogram".to_string(), 1), ("vue".to_string(), 1)]);
    assert_eq!(titles(&hall(&app, &[("query[merchant_kind]", "team"), ("query[q]", "Vue")]).await), ["Vue 前端重构"]);

    // Picking a tag keeps the others countable.
    let picked = hall(&app, &[("query[tags][0]", "rust")]).await;
    assert_eq!(picked["total"], 1);
    assert_eq!(picked["tag_counts"].as_array().unwrap().len(), 5);
    let python = picked["tag_counts"].as_array().unwrap().iter().find(|c| c["tag"]["slug"] == "python").unwrap();
    assert_eq!(python["tasks"], 2);

    // The same filters from the URL, server-rendered: the form shows them and the results match.
    let page = app.get("/?tag=rust&tag=vue&sort=reward", None, Some("zh-CN")).await;
    assert!(page.body.contains("找到 2 个匹配的任务"), "{}", page.body);
    assert!(page.body.find("Rust 后端服务").unwrap() < page.body.find("Vue 前端重构").unwrap());
}

#[sqlx::test(migrations = false)]
async fn a_broad_query_reads_a_bounded_set_of_candidates(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 3_000).await.unwrap();
    let indexed: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks WHERE search_tsv IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(indexed, 3_000, "the bulk-loaded demo tasks are indexed");
    sqlx::query("ANALYZE tasks").execute(&app.pool).await.unwrap();
    // The most common word of the demo's descriptions matches most tasks.
    let (term, matching): (String, i64) = sqlx::query_as(
        "SELECT word, ndoc::int8 FROM ts_stat('SELECT search_tsv FROM tasks') ORDER BY ndoc DESC, word LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(matching > app::db::search::SEARCH_CANDIDATES, "{term} matches {matching}");
    let query = app::domain::hall::HallQuery { q: term.clone(), page: 1, ..Default::default() };
    let plan = app::read::hall::explain_search(&app.pool, &query, &[term.clone()]).await.unwrap();
    // Every scan of tasks under the search returns at most the candidate bound.
    let scans: Vec<i64> = plan
        .lines()
        .filter(|line| line.contains(" on tasks t "))
        .filter_map(|line| line.split("rows=").nth(1)?.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(!scans.is_empty(), "{plan}");
    assert!(scans.iter().all(|rows| *rows <= app::db::search::SEARCH_CANDIDATES), "{plan}");
    let found = hall(&app, &[("query[q]", term.as_str())]).await;
    assert_eq!(found["total"], app::db::search::SEARCH_CANDIDATES, "counted among the candidates only");
}

#[sqlx::test(migrations = false)]
async fn a_developer_is_recommended_tasks_that_fit_their_skills_with_the_reason(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed(&app).await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    // Rust declared on the profile; Python earned on finished work.
    sqlx::query(
        "WITH declared AS (INSERT INTO user_skills (user_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = 'rust')
         INSERT INTO developer_skills (developer_id, tag_id, points) SELECT $1, id, 100 FROM skill_tags WHERE slug = 'python'",
    )
    .bind(developer_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let picks = |cookie: Option<String>| {
        let app = app.clone();
        async move { app.call("/api/hall/for_you", &[], cookie.as_deref()).await.json() }
    };
    let titles = |picks: &Value| -> Vec<String> {
        picks.as_array().unwrap().iter().map(|p| p["task"]["title"].as_str().unwrap().to_string()).collect()
    };

    // Earned Python at an easy difficulty first (the newer of two equal fits), the declared Rust
    // task at difficulty 4 last; nothing without a shared skill.
    let first = picks(Some(developer.clone())).await;
    assert_eq!(titles(&first), ["Python 爬虫", "门店销售看板", "Rust 后端服务"]);
    assert_eq!(first[0]["matched"], json!([{ "slug": "python", "name_zh": "Python", "name_en": "Python" }]));
    let page = app.get("/", Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains("为你推荐") && page.body.contains("匹配：Python"), "{}", page.body);

    // Applied to: no longer recommended. Visitors get no recommendations and no error.
    let task = first[0]["task"]["id"].as_str().unwrap();
    let reply = app.call("/api/task/apply", &[("task", task), ("pitch", "")], Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(titles(&picks(Some(developer)).await), ["门店销售看板", "Rust 后端服务"]);
    assert_eq!(picks(None).await, json!([]));
    assert!(!app.get("/", None, Some("zh-CN")).await.body.contains("为你推荐"));
}

#[sqlx::test(migrations = false)]
async fn a_saved_search_announces_each_new_matching_task_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed(&app).await;
    let (_, developer) = app.logged_in_user("developer").await;
    let save = |form: Vec<(&'static str, &'static str)>| {
        let (app, developer) = (app.clone(), developer.clone());
        async move { app.call("/api/hall/saved/add", &form, Some(&developer)).await }
    };
    // The plain hall is not a search; a search with a tag is, and saving it twice keeps one.
    let reply = save(vec![("query[page]", "1")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"][0]["field"], "search");
    for _ in 0..2 {
        let reply = save(vec![("query[q]", "后端"), ("query[tags][0]", "rust")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let list = app.call("/api/hall/saved", &[], Some(&developer)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["url"], "q=%E5%90%8E%E7%AB%AF&tag=rust");
    assert_eq!(list[0]["new_tasks"], 0, "tasks published before saving are not news");
    let merchant = app.logged_in_as("merchant").await;
    assert_eq!(
        app.call("/api/hall/saved/add", &[("query[q]", "rust")], Some(&merchant)).await.status,
        StatusCode::FORBIDDEN
    );

    // A matching and a non-matching task are published; two servers run the job at once.
    let (merchant_id, _) = app.logged_in_user("merchant").await;
    for (title, tag) in [("Rust 后端网关", "rust"), ("Vue 后台页面", "vue")] {
        let mut tx = app.pool.begin().await.unwrap();
        ledger::post(&mut tx, &Movement::deposit(Uuid::now_v7(), merchant_id, Money::from_fen(100_000))).await.unwrap();
        tx.commit().await.unwrap();
        let task = NewTask {
            title: title.into(),
            category: Category::Backend,
            description: "新的后端需求".into(),
            tags: vec![tag.into()],
            difficulty: Difficulty::new(3).unwrap(),
            deadline: "2099-12-31".into(),
            change_rounds: 2,
            milestones: vec![NewMilestone { title: String::new(), amount: Money::from_fen(100_000) }],
            min_level: None,
        };
        let id = lifecycle::create_task(&app.pool, merchant_id, &task).await.unwrap();
        lifecycle::publish(&app.pool, merchant_id, id).await.unwrap();
        approve_if_held(&app, id).await;
    }
    let (a, b) = tokio::join!(app::db::saved_searches::notify(&app.pool), app::db::saved_searches::notify(&app.pool));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one task matched, told once");
    assert_eq!(app::db::saved_searches::notify(&app.pool).await.unwrap(), 0, "and never again");
    let list = app.call("/api/hall/saved", &[], Some(&developer)).await.json();
    assert_eq!(list[0]["new_tasks"], 1);
    let page = app.get("/", Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains("我的订阅搜索") && page.body.contains("1 个新任务"), "{}", page.body);

    // Opening the saved search reads the news; deleting it is only for its owner.
    let opened = app.call("/api/hall", &[("query[q]", "后端"), ("query[tags][0]", "rust")], Some(&developer)).await;
    assert_eq!(opened.json()["total"], 2);
    let list = app.call("/api/hall/saved", &[], Some(&developer)).await.json();
    assert_eq!(list[0]["new_tasks"], 0);
    let id = list[0]["id"].to_string();
    let (_, stranger) = app.logged_in_user("developer").await;
    assert_eq!(app.call("/api/hall/saved/delete", &[("id", &id)], Some(&stranger)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call("/api/hall/saved/delete", &[("id", &id)], Some(&developer)).await.status, StatusCode::OK);
    assert_eq!(app.call("/api/hall/saved", &[], Some(&developer)).await.json(), json!([]));
}
