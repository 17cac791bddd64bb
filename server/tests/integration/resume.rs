//! The public resume card image, `/u/{handle}/card.svg`, through the real router and PostgreSQL:
//! what it shows, its languages and themes, and its caching (ETag, 304, a new tag when the record
//! changes); hidden cards and non-developers are not found.

use crate::common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

async fn handle_of(app: &TestApp, user: Uuid) -> String {
    sqlx::query_scalar("SELECT handle FROM users WHERE id = $1").bind(user).fetch_one(&app.pool).await.unwrap()
}

async fn card(app: &TestApp, path: &str, etag: Option<&str>) -> common::Reply {
    let mut request = Request::get(path);
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

#[sqlx::test(migrations = false)]
async fn the_card_image_shows_the_record_and_is_cached_until_it_changes(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, _) = app.logged_in_user("developer").await;
    sqlx::query(
        "INSERT INTO skill_tags (slug, name_zh, name_en) VALUES ('rust', 'Rust', 'Rust'), ('data', '数据分析', 'Data analysis');
         ",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
         VALUES ($1, 640, 7, 34, 7, 'B');
         ",
    )
    .bind(developer)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO developer_skills (developer_id, tag_id, points)
         SELECT $1, id, CASE slug WHEN 'rust' THEN 120 ELSE 60 END FROM skill_tags",
    )
    .bind(developer)
    .execute(&app.pool)
    .await
    .unwrap();
    let path = format!("/u/{}/card.svg", handle_of(&app, developer).await);

    let zh = card(&app, &path, None).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert_eq!(zh.headers[header::CONTENT_TYPE], "image/svg+xml; charset=utf-8");
    assert!(zh.headers[header::CACHE_CONTROL].to_str().unwrap().starts_with("public"));
    assert!(zh.body.starts_with("<svg") && zh.body.ends_with("</svg>"));
    for shown in [">B</text>", ">7</text>", "4.9★", "完成任务", "数据分析", "Rust"] {
        assert!(zh.body.contains(shown), "missing {shown}: {}", zh.body);
    }
    let etag = zh.headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(card(&app, &path, Some(&etag)).await.status, StatusCode::NOT_MODIFIED);

    let en = card(&app, &format!("{path}?lang=en&theme=dark"), None).await;
    assert!(en.body.contains("Tasks done") && en.body.contains("Data analysis"), "{}", en.body);
    assert_ne!(en.headers[header::ETAG].to_str().unwrap(), etag, "another language is another image");

    // A finished task changes the record, so the old copy is no longer current.
    sqlx::query("UPDATE developer_growth SET finished_tasks = 8 WHERE developer_id = $1")
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    let changed = card(&app, &path, Some(&etag)).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains(">8</text>"));

    // Hidden cards, merchants and unknown handles are not found.
    sqlx::query("UPDATE users SET card_public = false WHERE id = $1").bind(developer).execute(&app.pool).await.unwrap();
    assert_eq!(card(&app, &path, None).await.status, StatusCode::NOT_FOUND);
    let (merchant, _) = app.logged_in_user("merchant").await;
    let merchant_path = format!("/u/{}/card.svg", handle_of(&app, merchant).await);
    assert_eq!(card(&app, &merchant_path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(card(&app, "/u/nobody-here/card.svg", None).await.status, StatusCode::NOT_FOUND);
}

/// The public page: no account needed, rendered on the server with its preview tags, in the
/// visitor's language, each finished task with the merchant's rating and a link that confirms it.
#[sqlx::test(migrations = false)]
async fn the_public_record_lists_finished_tasks_with_ratings_and_needs_no_account(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, _) = app.logged_in_user("developer").await;
    let (merchant, _) = app.logged_in_user("merchant").await;
    let task = Uuid::now_v7();
    sqlx::query("UPDATE users SET display_name = '星辰科技' WHERE id = $1")
        .bind(merchant)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET display_name = '李雷', headline = 'Rust 后端' WHERE id = $1")
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                            status, commission_bps, category)
         VALUES ($1, $2, $3, '订单系统接口开发', '三个 REST 接口', 3, 80000, now() + interval '7 days',
                 'completed', 1000, 'backend')",
    )
    .bind(task)
    .bind(merchant)
    .bind(developer)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO task_events (task_id, kind, note) VALUES ($1, 'completed', '')")
        .bind(task)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO task_ratings (task_id, merchant_id, developer_id, stars, comment) VALUES ($1, $2, $3, 5, '准时交付')")
        .bind(task)
        .bind(merchant)
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level) VALUES ($1, 90, 1, 5, 1, 'C')")
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    let handle = handle_of(&app, developer).await;

    let card = app.call("/api/resume", &[("handle", &handle)], None).await.json();
    assert_eq!(card["name"], "李雷");
    assert_eq!(card["finished_tasks"], 1);
    assert_eq!(card["average_rating_x100"], 500);
    let finished = &card["finished"][0];
    assert_eq!(finished["title"], "订单系统接口开发");
    assert_eq!(finished["merchant"], "星辰科技");
    assert_eq!(finished["stars"], 5);
    assert_eq!(finished["comment"], "准时交付");
    assert_eq!(finished["task_id"], task.to_string());

    let zh = app.get(&format!("/u/{handle}"), None, Some("zh-CN")).await;
    assert_eq!(zh.status, StatusCode::OK);
    for shown in [
        "李雷 的技能履历",
        "property=\"og:title\"",
        "name=\"twitter:card\"",
        "订单系统接口开发",
        "准时交付",
        "完成的任务",
    ] {
        assert!(zh.body.contains(shown), "the server-rendered page lacks {shown}");
    }
    assert!(zh.body.contains(&format!("href=\"/verify/task/{task}\"")), "each task links to where it is confirmed");
    let en = app.get(&format!("/u/{handle}"), None, Some("en")).await;
    assert!(en.body.contains("Finished tasks") && en.body.contains("skill record"), "the visitor's language");

    sqlx::query("UPDATE users SET card_public = false WHERE id = $1").bind(developer).execute(&app.pool).await.unwrap();
    assert_eq!(app.call("/api/resume", &[("handle", &handle)], None).await.status, StatusCode::NOT_FOUND);
}
