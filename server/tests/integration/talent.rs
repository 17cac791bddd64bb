//! Talent search (`/developers`) and developers' work terms on the real database: Chinese, English
//! and mixed words find the right developers, tags any / all, the filters, the ranking order,
//! hidden cards and suspended accounts never appear, availability round-trips and bad input is
//! refused with field messages, and the page's URL round-trips.

use crate::common;

use app::{
    db::talent::{availability_of, index_developers},
    domain::talent::Availability,
};
use axum::http::StatusCode;
use common::{
    flow::{finish_task, ok, top_up},
    spawn_app, TestApp,
};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

async fn seed_tags(app: &TestApp) {
    sqlx::query(
        "INSERT INTO skill_tags (slug, name_zh, name_en, branch) VALUES
           ('rust', 'Rust', 'Rust', 'backend'), ('postgresql', 'PostgreSQL', 'PostgreSQL', 'backend'),
           ('python', 'Python', 'Python', 'backend'), ('vue', 'Vue', 'Vue', 'frontend'),
           ('react', 'React', 'React', 'frontend'), ('miniprogram', '小程序', 'Mini program', 'mobile'),
           ('data-analysis', '数据分析', 'Data analysis', 'data')
         ON CONFLICT (slug) DO NOTHING",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

/// A developer who saved their profile through the profile form: (id, session cookie).
async fn developer(app: &TestApp, name: &str, headline: &str, bio: &str, skills: &[&str]) -> (Uuid, String) {
    let (id, cookie) = app.logged_in_user("developer").await;
    let mut form = vec![("form[display_name]", name), ("form[headline]", headline), ("form[bio]", bio)];
    form.extend(skills.iter().map(|skill| ("form[skills][]", *skill)));
    ok(&app.call("/api/profile/save", &form, Some(&cookie)).await, "save profile");
    (id, cookie)
}

/// A search through the server function, as the page calls it; `form` holds `query[…]` fields.
async fn search(app: &TestApp, form: &[(&str, &str)]) -> Value {
    // An empty query still names the argument, as the page's form always sends a page.
    let form: Vec<(&str, &str)> = form.iter().copied().chain([("query[page]", "1")]).collect();
    let reply = app.call("/api/developers", &form, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{form:?}: {}", reply.body);
    reply.json()
}

/// The names a search finds, best first.
async fn names(app: &TestApp, form: &[(&str, &str)]) -> Vec<String> {
    search(app, form).await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

async fn words(app: &TestApp, q: &str) -> Vec<String> {
    names(app, &[("query[q]", q)]).await
}

/// Sets a developer's growth record as the growth engine keeps it, and reindexes them.
async fn record(app: &TestApp, id: Uuid, level: &str, ratings: (i32, i32), finished: i32) {
    sqlx::query(
        "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
         VALUES ($1, 100, $4, $2, $3, $5)
         ON CONFLICT (developer_id) DO UPDATE SET finished_tasks = $4, rating_sum = $2, rating_count = $3, level = $5",
    )
    .bind(id)
    .bind(ratings.0)
    .bind(ratings.1)
    .bind(finished)
    .bind(level)
    .execute(&app.pool)
    .await
    .unwrap();
    index_developers(&mut app.pool.acquire().await.unwrap(), &[id]).await.unwrap();
}

async fn save_terms(app: &TestApp, cookie: &str, status: &str, until: &str, rate: &str) -> common::Reply {
    let form = [("form[status]", status), ("form[until]", until), ("form[rate]", rate)];
    app.call("/api/profile/availability/save", &form, Some(cookie)).await
}

/// China's date `days` from today, as the form takes it.
async fn day(app: &TestApp, days: i32) -> String {
    sqlx::query_scalar("SELECT to_char(china_date(app_now()) + $1, 'YYYY-MM-DD')")
        .bind(days)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn chinese_english_and_mixed_words_find_the_right_developers(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    developer(&app, "李雷", "Rust 后端工程师", "做过支付和高并发系统，熟悉数据库调优。", &["rust", "postgresql"]).await;
    developer(&app, "韩梅梅", "Vue 前端工程师", "五年前端，做过官网改版和管理后台。", &["vue", "miniprogram"]).await;
    developer(&app, "Alex Chen", "React developer", "Admin dashboards in React and TypeScript.", &["react"]).await;
    let (wang, wang_cookie) =
        developer(&app, "王芳", "零售报表自动化", "做过门店周报和销售看板，也写爬虫。", &["python", "data-analysis"])
            .await;

    // A skill's Chinese name, a headline word, an English word in any case, a name.
    assert_eq!(words(&app, "小程序").await, ["韩梅梅"]);
    assert_eq!(words(&app, "数据分析").await, ["王芳"]);
    assert_eq!(words(&app, "前端").await, ["韩梅梅"]);
    assert_eq!(words(&app, "REACT").await, ["Alex Chen"]);
    assert_eq!(words(&app, "dashboards").await, ["Alex Chen"]);
    assert_eq!(words(&app, "李雷").await, ["李雷"]);
    // Mixed: every word must match somewhere.
    assert_eq!(words(&app, "Rust 后端").await, ["李雷"]);
    assert!(words(&app, "Rust 前端").await.is_empty());
    // A finished task's title joins the words of the developer who did it.
    let merchant = app.logged_in_as("merchant").await;
    top_up(&app, &merchant, "500").await;
    finish_task(&app, &merchant, &wang_cookie, "500").await;
    assert_eq!(words(&app, "接口").await, ["王芳"], "from the title 'Rust 后端接口开发'");
    // …and the skill earned on it counts as theirs.
    let found = search(&app, &[("query[tags][0]", "rust")]).await;
    let rust: Vec<&str> = found["results"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(rust, ["王芳", "李雷"], "earned on finished work ranks above declared");
    let earned = &found["results"][0];
    assert_eq!(earned["matched"], serde_json::json!(["rust"]));
    assert!(earned["skills"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["tag"]["slug"] == "rust" && s["points"].as_i64() > Some(0)));
    assert_eq!(earned["finished_tasks"], 1);
    let _ = wang;

    // Hostile words are text.
    let hostile = "'; DROP TABLE users; -- <script>alert(1)</script> & | ! :* ".repeat(20);
    let reply = app.call("/api/developers", &[("query[q]", hostile.as_str())], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[sqlx::test(migrations = false)]
async fn tags_match_any_or_all_and_filters_narrow(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (lei, _) = developer(&app, "李雷", "后端", "做过支付和高并发系统。", &["rust", "postgresql"]).await;
    let (mei, mei_cookie) = developer(&app, "韩梅梅", "前端", "做过官网改版和管理后台。", &["vue"]).await;
    let (tom, tom_cookie) = developer(&app, "Tom", "Systems", "Low-level services in Rust.", &["rust"]).await;
    let mut any = names(&app, &[("query[tags][0]", "rust"), ("query[tags][1]", "vue")]).await;
    any.sort();
    assert_eq!(any, ["Tom", "李雷", "韩梅梅"]);
    let all = [("query[tags][0]", "rust"), ("query[tags][1]", "postgresql"), ("query[all_tags]", "true")];
    assert_eq!(names(&app, &all).await, ["李雷"]);

    // Level and rating come from the growth record.
    record(&app, lei, "A", (45, 10), 10).await;
    record(&app, mei, "B", (40, 10), 10).await;
    record(&app, tom, "C", (0, 0), 0).await;
    let mut b_or_better = names(&app, &[("query[level_min]", "B")]).await;
    b_or_better.sort();
    assert_eq!(b_or_better, ["李雷", "韩梅梅"]);
    assert_eq!(names(&app, &[("query[level_min]", "A")]).await, ["李雷"]);
    assert_eq!(names(&app, &[("query[rating_min_x10]", "45")]).await, ["李雷"], "4.5★ exactly counts");
    assert_eq!(names(&app, &[("query[rating_min_x10]", "41")]).await, ["李雷"]);

    // Availability on today, and the highest rate.
    ok(&save_terms(&app, &mei_cookie, "busy", "", "300").await, "busy");
    let until = day(&app, 5).await;
    ok(&save_terms(&app, &tom_cookie, "paused", &until, "150").await, "paused");
    let mut available = names(&app, &[("query[availability]", "available")]).await;
    available.sort();
    assert_eq!(available, ["李雷"]);
    assert_eq!(names(&app, &[("query[availability]", "busy")]).await, ["韩梅梅"]);
    assert_eq!(names(&app, &[("query[availability]", "paused")]).await, ["Tom"]);
    assert_eq!(names(&app, &[("query[rate_max_fen]", "20000")]).await, ["Tom"], "no stated rate is no match");
    let mut within = names(&app, &[("query[rate_max_fen]", "30000")]).await;
    within.sort();
    assert_eq!(within, ["Tom", "韩梅梅"]);
    // Combined.
    let combined = [("query[tags][0]", "rust"), ("query[level_min]", "A"), ("query[availability]", "available")];
    assert_eq!(names(&app, &combined).await, ["李雷"]);
}

#[sqlx::test(migrations = false)]
async fn developers_are_ranked_by_fit_then_standing(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    // Rust as a skill (weighted most) beats Rust only in the introduction, whatever the record.
    let (skilled, _) = developer(&app, "甲一", "后端工程师", "做过支付和清结算系统。", &["rust"]).await;
    let (mentions, _) = developer(&app, "乙二", "全栈工程师", "业余时间学习 Rust 和 Go。", &["vue"]).await;
    record(&app, mentions, "S", (50, 10), 20).await;
    assert_eq!(words(&app, "rust").await, ["甲一", "乙二"]);
    // The same fit: the stronger record first; a paused developer last.
    let (strong, _) = developer(&app, "丙三", "后端工程师", "做过支付和清结算系统。", &["rust"]).await;
    record(&app, strong, "A", (48, 10), 12).await;
    let (_, away) = developer(&app, "丁四", "后端工程师", "做过支付和清结算系统。", &["rust"]).await;
    let until = day(&app, 3).await;
    ok(&save_terms(&app, &away, "paused", &until, "").await, "paused");
    assert_eq!(names(&app, &[("query[tags][0]", "rust")]).await, ["丙三", "甲一", "丁四"]);
    let _ = skilled;
    // Without words or tags: standing first.
    assert_eq!(names(&app, &[]).await[..2], ["乙二".to_string(), "丙三".to_string()]);
}

#[sqlx::test(migrations = false)]
async fn hidden_cards_suspended_accounts_and_merchants_never_appear(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, hidden) = developer(&app, "隐身者", "Rust 后端", "不想被找到的开发者。", &["rust"]).await;
    let handle = format!("hidden{}", &Uuid::now_v7().simple().to_string()[..8]);
    let form = [("settings[handle]", handle.as_str())];
    ok(&app.call("/api/profile/card", &form, Some(&hidden)).await, "hide the card");
    let (suspended, _) = developer(&app, "停用者", "Rust 后端", "被管理员停用的开发者。", &["rust"]).await;
    let admin = app.logged_in_user("admin").await.0;
    app::db::moderation::suspend(&app.pool, admin, suspended, 7, "刷单").await.unwrap();
    let (_, merchant) = app.logged_in_user("merchant").await;
    let merchant_profile = [
        ("form[display_name]", "Rust 商家"),
        ("form[headline]", "Rust 后端"),
        ("form[bio]", "招 Rust 后端工程师。"),
        ("form[skills][]", "rust"),
    ];
    ok(&app.call("/api/profile/save", &merchant_profile, Some(&merchant)).await, "merchant profile");
    let (_, visible) = developer(&app, "可见者", "Rust 后端", "简历公开、可以被找到的开发者。", &["rust"]).await;
    let _ = visible;

    for form in [
        vec![("query[q]", "rust")],
        vec![("query[tags][0]", "rust")],
        vec![("query[q]", "隐身者")],
        vec![("query[q]", "停用者")],
        vec![],
    ] {
        let found = names(&app, &form).await;
        assert!(found.iter().all(|name| name == "可见者"), "{form:?}: {found:?}");
    }
    assert_eq!(words(&app, "Rust 后端").await, ["可见者"]);
    let page = app.get("/developers?q=rust", None, Some("zh-CN")).await;
    assert!(!page.body.contains("隐身者") && !page.body.contains("停用者") && !page.body.contains("Rust 商家"));
}

#[sqlx::test(migrations = false)]
async fn work_terms_round_trip_and_bad_input_writes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (id, cookie) = developer(&app, "李雷", "Rust 后端", "做过支付和高并发系统。", &["rust"]).await;
    let empty = app.call("/api/profile/availability", &[], Some(&cookie)).await.json();
    assert_eq!(empty["form"], serde_json::json!({ "status": "available", "until": "", "rate": "" }));

    let until = day(&app, 10).await;
    ok(&save_terms(&app, &cookie, "paused", &until, "350.5").await, "save");
    let saved = app.call("/api/profile/availability", &[], Some(&cookie)).await.json();
    assert_eq!(saved["form"], serde_json::json!({ "status": "paused", "until": until, "rate": "350.5" }));
    assert_eq!(saved["saved"], true);
    let today = day(&app, 0).await;
    let availability = availability_of(&mut app.pool.acquire().await.unwrap(), id).await.unwrap();
    assert_eq!(availability, Availability::Paused { until: Some(until.clone()) });
    assert!(!availability.accepts_invitations(&today));
    let result = &search(&app, &[("query[q]", "李雷")]).await["results"][0];
    assert_eq!(result["availability"], serde_json::json!({ "paused": { "until": until } }));
    assert_eq!(result["expected_rate"], 35_050);

    // Each bad field comes back with its problem, in one 4xx answer, and nothing changes.
    let yesterday = day(&app, -1).await;
    let too_far = day(&app, 366).await;
    for (form, expected) in [
        (("holiday", "", "abc"), vec![("availability", "not_allowed"), ("expected_rate", "invalid_amount")]),
        (("busy", yesterday.as_str(), ""), vec![("available_until", "date_in_past")]),
        (("busy", too_far.as_str(), ""), vec![("available_until", "date_too_far")]),
        (("busy", "2026-02-30", ""), vec![("available_until", "invalid_date")]),
        (("available", "", "9"), vec![("expected_rate", "amount_out_of_range")]),
        (("available", "", "5000.01"), vec![("expected_rate", "amount_out_of_range")]),
    ] {
        let reply = save_terms(&app, &cookie, form.0, form.1, form.2).await;
        assert!(reply.status.is_client_error(), "{form:?}: {} {}", reply.status, reply.body);
        let expected: Vec<(String, String)> = expected.iter().map(|(f, p)| (f.to_string(), p.to_string())).collect();
        assert_eq!(reply.field_errors(), expected, "{form:?}");
    }
    let unchanged = app.call("/api/profile/availability", &[], Some(&cookie)).await.json();
    assert_eq!(unchanged["form"]["status"], "paused");
    assert_eq!(unchanged["form"]["rate"], "350.5");
    // The profile page shows the messages in the reader's language.
    let html = app.get("/profile", Some(&cookie), Some("zh-CN")).await.body;
    assert!(html.contains("data-testid=\"work-terms\"") && html.contains("暂停接单"), "{html}");

    // Once the until-day is over, the developer counts as available again.
    sqlx::query("UPDATE users SET available_until = china_date(app_now()) - 1 WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let availability = availability_of(&mut app.pool.acquire().await.unwrap(), id).await.unwrap();
    assert!(availability.accepts_invitations(&today));
    assert_eq!(names(&app, &[("query[availability]", "available")]).await, ["李雷"]);
    assert_eq!(search(&app, &[]).await["results"][0]["availability"], "available");

    // Other accounts have no work terms.
    let merchant = app.logged_in_as("merchant").await;
    assert_eq!(app.call("/api/profile/availability", &[], Some(&merchant)).await.json(), Value::Null);
    let refused = save_terms(&app, &merchant, "busy", "", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(app.call("/api/profile/availability", &[], None).await.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn the_page_renders_from_its_url_and_writes_the_same_url_back(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    for n in 0..23 {
        let name = format!("开发者{n:02}");
        developer(&app, &name, "Rust 后端工程师", "做过支付和高并发系统。", &["rust", "postgresql"]).await;
    }
    let url = "/developers?q=Rust%20%E5%90%8E%E7%AB%AF&tag=rust&tag=postgresql&match=all&level=&rating=&avail=available&rate=";
    let page = app.get(url, None, Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("找到 23 位开发者"), "{html}");
    assert_eq!(html.matches("data-testid=\"talent-result\"").count(), 20);
    assert!(html.contains(r#"value="Rust 后端""#), "the words are typed back");
    assert!(html.contains(r#"value="all" selected"#), "the tag mode is chosen again");
    assert!(html.contains(r#"value="available" selected"#), "the availability is chosen again");
    // The next page carries the same search, written the way `TalentQuery` writes it.
    let next = "/developers?q=Rust%20%E5%90%8E%E7%AB%AF&amp;tag=rust&amp;tag=postgresql&amp;match=all&amp;avail=available&amp;page=2";
    assert!(html.contains(next), "{html}");
    let second = app.get(&next.replace("&amp;", "&"), None, Some("zh-CN")).await;
    assert_eq!(second.body.matches("data-testid=\"talent-result\"").count(), 3);
    assert!(second.body.contains("第 2 / 2 页"));
    // Each result links to the resume card; the words are highlighted; English pages too.
    assert!(html.contains("href=\"/u/"));
    let english = app.get("/developers?q=nobody-matches-this", None, Some("en-US")).await;
    assert!(english.body.contains("No developer matches"), "{}", english.body);
    // Anonymous visitors and merchants see the header link; developers do not.
    assert!(page.body.contains("data-testid=\"nav-developers\""));
    let merchant = app.logged_in_as("merchant").await;
    assert!(app.get("/", Some(&merchant), None).await.body.contains("data-testid=\"nav-developers\""));
    let developer = app.logged_in_as("developer").await;
    assert!(!app.get("/", Some(&developer), None).await.body.contains("data-testid=\"nav-developers\""));
}
