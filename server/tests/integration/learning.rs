//! Learning content through the real server functions: free for registered readers, finishing a
//! course counts once for challenges, and admins publish and edit courses on the record.

use crate::common::{flow::ok, spawn_app};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn registered_readers_get_the_course_and_finishing_it_completes_a_challenge_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let list: Value = app.call("/api/learn", &[], None).await.json();
    assert_eq!(list.as_array().unwrap().len(), 3, "the platform's first content is there");
    let slug = "first-task-playbook";
    let visitor: Value = app.call("/api/learn/course", &[("slug", slug)], None).await.json();
    assert!(visitor["body_html"].is_null(), "the body is for registered readers");
    assert_eq!(visitor["can_finish"], false);

    sqlx::query(
        "INSERT INTO challenges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points)
         VALUES ('weekly-learner', '每周学一课', 'Weekly lesson', '学完一门课', 'Finish a course',
                 '{\"cadence\": {\"kind\": \"weekly\"}, \"goals\": [{\"activity\": \"course_finished\", \"count\": 1}], \"any_of\": false}',
                 10)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (developer, cookie) = app.logged_in_user("developer").await;
    let reader: Value = app.call("/api/learn/course", &[("slug", slug)], Some(&cookie)).await.json();
    assert!(reader["body_html"].as_str().unwrap().contains("<h2>"), "{reader}");
    for _ in 0..2 {
        ok(&app.call("/api/learn/finish", &[("slug", slug)], Some(&cookie)).await, "finish");
    }
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM growth_events WHERE developer_id = $1 AND kind = 'course_finished'),
                (SELECT count(*) FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id
                 WHERE c.slug = 'weekly-learner' AND d.developer_id = $1)",
    )
    .bind(developer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 1));
    let list: Value = app.call("/api/learn", &[], Some(&cookie)).await.json();
    let mine = list.as_array().unwrap().iter().find(|c| c["slug"] == slug).unwrap();
    assert_eq!(mine["finished"], true);
    assert_eq!(
        app.call("/api/learn/finish", &[("slug", "no-such-course")], Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn admins_publish_and_edit_courses_with_field_errors_and_an_audit_trail(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.logged_in_as("admin").await;
    let developer = app.logged_in_as("developer").await;
    let form = |slug: &'static str, title: &'static str, published: &'static str| {
        vec![
            ("form[slug]", slug),
            ("form[kind]", "article"),
            ("form[title]", title),
            ("form[summary]", "一次真实的性能优化复盘"),
            ("form[body]", "## 背景\n\n接口 p99 从 800ms 降到 60ms 的过程。"),
            ("form[minutes]", "15"),
            ("form[published]", published),
        ]
    };
    let refused =
        app.call("/api/admin/learn/save", &form("perf-notes", "性能优化复盘", "true"), Some(&developer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app.call("/api/admin/learn/save", &form("Bad Slug!", "短", "true"), Some(&admin)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<String> =
        bad.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["slug", "title"]);

    ok(&app.call("/api/admin/learn/save", &form("perf-notes", "性能优化复盘", "true"), Some(&admin)).await, "publish");
    ok(
        &app.call("/api/admin/learn/save", &form("perf-notes", "性能优化复盘（草稿）", "false"), Some(&admin)).await,
        "edit",
    );
    let list: Value = app.call("/api/learn", &[], None).await.json();
    assert!(list.as_array().unwrap().iter().all(|c| c["slug"] != "perf-notes"), "a draft is not listed");
    assert_eq!(app.call("/api/learn/course", &[("slug", "perf-notes")], None).await.status, StatusCode::NOT_FOUND);
    let draft: Value = app.call("/api/learn/course", &[("slug", "perf-notes")], Some(&admin)).await.json();
    assert_eq!(draft["course"]["title"], "性能优化复盘（草稿）");
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM admin_audit WHERE subject = 'course:perf-notes' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(actions, ["course.create", "course.edit"]);
}
