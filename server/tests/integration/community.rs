//! The community board through the real server functions and PostgreSQL: posts found in Chinese
//! and English by the hall's search, a developer's post completing the weekly growth challenge,
//! sanitised Markdown, replies, likes that count once, and admins' moderation.

use crate::common::{self, flow::*, spawn_app, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn write(app: &TestApp, cookie: &str, title: &str, body: &str, tags: &str) -> common::Reply {
    app.call(
        "/api/community/create",
        &[("form[title]", title), ("form[body]", body), ("form[tags]", tags)],
        Some(cookie),
    )
    .await
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let page: Value = app.call("/api/community", &[("q", q)], None).await.json();
    page["posts"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap().to_string()).collect()
}

async fn post_id(app: &TestApp, title: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM posts WHERE title = $1").bind(title).fetch_one(&app.pool).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn posts_are_found_in_chinese_and_english_and_a_developers_post_completes_the_weekly_challenge(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    sqlx::query("INSERT INTO skill_tags (slug, name_zh, name_en) VALUES ('miniprogram', '小程序', 'Mini program')")
        .execute(&app.pool)
        .await
        .unwrap();
    let (developer, cookie) = app.logged_in_user("developer").await;
    let merchant = app.logged_in_as("merchant").await;
    let reply = write(
        &app,
        &cookie,
        "微信小程序支付踩坑记录",
        "**结论**：回调要验签。<script>alert(1)</script>\n\n做一个数据分析看板时也用得上。",
        "小程序, Rust",
    )
    .await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    ok(
        &write(
            &app,
            &merchant,
            "Hiring notes for Rust backends",
            "What we look for when we hire Rust developers.",
            "rust",
        )
        .await,
        "post",
    );

    assert_eq!(search(&app, "小程序").await, ["微信小程序支付踩坑记录"]);
    assert_eq!(search(&app, "数据分析").await, ["微信小程序支付踩坑记录"], "found by its body");
    assert_eq!(search(&app, "mini program").await, ["微信小程序支付踩坑记录"], "found by its tag's English name");
    let mut rust = search(&app, "RUST").await;
    rust.sort();
    assert_eq!(rust, ["Hiring notes for Rust backends", "微信小程序支付踩坑记录"]);
    assert!(search(&app, "区块链").await.is_empty());
    // Hostile or oversized queries are text, not errors.
    assert!(search(&app, "'; DROP TABLE posts; --").await.is_empty());
    assert!(search(&app, &"长".repeat(2_000)).await.is_empty());
    let by_tag: Value = app.call("/api/community", &[("tag", "miniprogram")], None).await.json();
    assert_eq!(by_tag["total"], 1);
    assert_eq!(by_tag["tag"]["name_zh"], "小程序");

    // The weekly growth challenge ("finish a task, write a post or invite a friend") is done.
    let done: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id
         WHERE c.slug = 'weekly-growth' AND d.developer_id = $1",
    )
    .bind(developer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(done, 1);

    // Markdown is rendered and sanitised.
    let id = post_id(&app, "微信小程序支付踩坑记录").await;
    let post: Value = app.call("/api/community/post", &[("id", &id.to_string())], None).await.json();
    let html = post["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>结论</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(post["tags"].as_array().unwrap().len(), 2);
}

#[sqlx::test(migrations = false)]
async fn bad_posts_get_field_errors_and_write_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let cookie = app.logged_in_as("developer").await;
    let reply = write(&app, &cookie, "短", "太短", "").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let fields: Vec<String> =
        reply.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["title", "description"]);
    let reply = write(&app, &cookie, "一个不存在的标签", "标签写错了应该提示出来。", "no-such-skill").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.json()["fields"][0]["field"], "tags");
    let posts: i64 = sqlx::query_scalar("SELECT count(*) FROM posts").fetch_one(&app.pool).await.unwrap();
    assert_eq!(posts, 0);
}

#[sqlx::test(migrations = false)]
async fn replies_and_likes_count_once_and_admins_hide_posts_on_the_record(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let author = app.logged_in_as("developer").await;
    let reader = app.logged_in_as("merchant").await;
    let admin = app.logged_in_as("admin").await;
    ok(&write(&app, &author, "Vue 组件怎么拆分", "大家的 Vue 组件一般拆到多细？", "vue").await, "post");
    let id = post_id(&app, "Vue 组件怎么拆分").await.to_string();

    ok(&app.call("/api/community/reply", &[("post", &id), ("body", "按职责拆")], Some(&reader)).await, "reply");
    let empty = app.call("/api/community/reply", &[("post", &id), ("body", "   ")], Some(&reader)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Two likes at once from one reader count once; un-liking takes it back.
    let likes = (0..2).map(|_| {
        let (app, reader, id) = (app.clone(), reader.clone(), id.clone());
        tokio::spawn(async move {
            app.call("/api/community/like", &[("post", &id), ("like", "true")], Some(&reader)).await.status
        })
    });
    for status in futures_join(likes).await {
        assert_eq!(status, StatusCode::OK);
    }
    let post: Value = app.call("/api/community/post", &[("id", &id)], Some(&reader)).await.json();
    assert_eq!((post["like_count"].clone(), post["liked"].clone()), (json!(1), json!(true)));
    assert_eq!(post["replies"][0]["body"], "按职责拆");
    ok(&app.call("/api/community/like", &[("post", &id), ("like", "false")], Some(&reader)).await, "unlike");
    let post: Value = app.call("/api/community/post", &[("id", &id)], None).await.json();
    assert_eq!(post["like_count"], 0);

    // A developer cannot moderate; an admin hides with a reason, in the audit log.
    let refused = app
        .call("/api/admin/community/moderate", &[("post", &id), ("hide", "true"), ("reason", "x")], Some(&author))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    ok(
        &app.call(
            "/api/admin/community/moderate",
            &[("post", &id), ("hide", "true"), ("reason", "广告")],
            Some(&admin),
        )
        .await,
        "hide",
    );
    assert_eq!(app.call("/api/community/post", &[("id", &id)], None).await.status, StatusCode::NOT_FOUND);
    let own: Value = app.call("/api/community/post", &[("id", &id)], Some(&author)).await.json();
    assert_eq!((own["hidden"].clone(), own["moderation_note"].clone()), (json!(true), json!("广告")));
    let list: Value = app.call("/api/community", &[], None).await.json();
    assert_eq!(list["total"], 0);
    let late = app.call("/api/community/reply", &[("post", &id), ("body", "还在吗")], Some(&reader)).await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_audit WHERE action = 'post.hide'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = false)]
async fn a_post_with_blocked_words_waits_hidden_for_an_admin(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let (admin, _) = app.logged_in_user("admin").await;
    sqlx::query("INSERT INTO blocked_words (word, added_by) VALUES ('刷单', $1)")
        .bind(admin)
        .execute(&app.pool)
        .await
        .unwrap();
    ok(&write(&app, &cookie, "招人刷单日结", "刷单兼职，日结工资，私聊。", "").await, "post");
    let list: Value = app.call("/api/community", &[], None).await.json();
    assert_eq!(list["total"], 0);
    let counted: i64 =
        sqlx::query_scalar("SELECT count(*) FROM growth_events WHERE developer_id = $1 AND kind = 'community_post'")
            .bind(developer)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(counted, 0, "a held post counts for nothing");
}
