//! The merchant's applicant cards on the task page: each applicant's evidence from a seeded
//! history (rating, finished work, on-time share, response time, reviews, badges, credit), the
//! order by fit, rating or time, the comparison of up to three, who may see it, and links to
//! public pages only where the page is public.

use crate::common;

use app::domain::{
    credit::{credit_score, Record},
    growth::Level,
};
use common::{flow::*, spawn_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// A finished task of `developer` for `merchant` with one tag, completed `days_ago` days ago,
/// before its deadline or after it.
async fn finished(app: &TestApp, merchant: Uuid, developer: Uuid, tag: &str, days_ago: i32, on_time: bool) -> Uuid {
    let task = Uuid::now_v7();
    let deadline_shift = if on_time { "+ interval '1 day'" } else { "- interval '1 day'" };
    let script = format!(
        "INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                            status, commission_bps, category, created_at)
             VALUES ('{task}', '{merchant}', '{developer}', '历史任务', '已完成', 3, 50000,
                     now() - interval '{days_ago} days' {deadline_shift}, 'completed', 1000, 'backend',
                     now() - interval '{days_ago} days' - interval '10 days');
         INSERT INTO task_tags (task_id, tag_id) SELECT '{task}', id FROM skill_tags WHERE slug = '{tag}';
         INSERT INTO task_events (task_id, kind, note, created_at)
             VALUES ('{task}', 'completed', '', now() - interval '{days_ago} days');"
    );
    sqlx::raw_sql(&script).execute(&app.pool).await.expect("a finished task");
    task
}

/// The merchant's review of the developer on `task`, revealed `revealed_days_ago` days ago (None:
/// still hidden).
async fn reviewed(
    app: &TestApp,
    task: Uuid,
    merchant: Uuid,
    developer: Uuid,
    stars: i16,
    body: &str,
    revealed_days_ago: Option<i32>,
) {
    let revealed = revealed_days_ago.map_or("NULL".to_string(), |days| format!("now() - interval '{days} days'"));
    sqlx::query(&format!(
        "INSERT INTO reviews (task_id, author_id, subject_id, subject, scores, overall, body, reveal_due, revealed_at)
         VALUES ($1, $2, $3, 'developer', ARRAY[$4, $4, $4]::int2[], $4, $5, now() + interval '14 days', {revealed})"
    ))
    .bind(task)
    .bind(merchant)
    .bind(developer)
    .bind(stars)
    .bind(body)
    .execute(&app.pool)
    .await
    .unwrap();
}

/// In `task`'s conversation the merchant writes first, `asked_days_ago` days ago, and the developer
/// answers `minutes` later.
async fn conversation(app: &TestApp, task: Uuid, merchant: Uuid, developer: Uuid, asked_days_ago: i32, minutes: i32) {
    let script = format!(
        "INSERT INTO task_messages (task_id, developer_id, author_id, body, created_at) VALUES
             ('{task}', '{developer}', '{merchant}', '在吗？', now() - interval '{asked_days_ago} days'),
             ('{task}', '{developer}', '{merchant}', '还有一个问题', now() - interval '{asked_days_ago} days' + interval '1 minute'),
             ('{task}', '{developer}', '{developer}', '在的', now() - interval '{asked_days_ago} days' + interval '{minutes} minutes');"
    );
    sqlx::raw_sql(&script).execute(&app.pool).await.expect("a conversation");
}

/// Growth as the engine keeps it, skill points, and badges by slug.
async fn growth(
    app: &TestApp,
    developer: Uuid,
    level: &str,
    finished: i32,
    rating: (i32, i32),
    rust_points: i64,
    badges: &[&str],
) {
    let script = format!(
        "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
             VALUES ('{developer}', 500, {finished}, {sum}, {count}, '{level}');
         INSERT INTO developer_skills (developer_id, tag_id, points)
             SELECT '{developer}', id, {rust_points} FROM skill_tags WHERE slug = 'rust' AND {rust_points} > 0;",
        sum = rating.0,
        count = rating.1,
    );
    sqlx::raw_sql(&script).execute(&app.pool).await.expect("growth");
    for slug in badges {
        sqlx::raw_sql(&format!(
            "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp) VALUES ('{developer}', 'badge:{slug}:{developer}', 'badge_earned', 0);
             INSERT INTO developer_badges (developer_id, badge_id, event_id)
                 SELECT '{developer}', b.id, e.id FROM badges b, growth_events e
                 WHERE b.slug = '{slug}' AND e.idempotency_key = 'badge:{slug}:{developer}';"
        ))
        .execute(&app.pool)
        .await
        .expect("a badge");
    }
}

async fn set_user(app: &TestApp, user: Uuid, assignments: &str) {
    sqlx::query(&format!("UPDATE users SET {assignments} WHERE id = $1")).bind(user).execute(&app.pool).await.unwrap();
}

async fn handle_of(app: &TestApp, user: Uuid) -> String {
    sqlx::query_scalar("SELECT handle FROM users WHERE id = $1").bind(user).fetch_one(&app.pool).await.unwrap()
}

struct Scene {
    owner: String,
    owner_id: Uuid,
    history_merchant: Uuid,
    task: Uuid,
    /// Seasoned (甲, public card, a history), hidden (乙, no history, card hidden) and plain (丁);
    /// 丙 declared Rust on their profile. They applied in the order 乙, 丙, 甲, 丁.
    seasoned: (Uuid, String),
    hidden: (Uuid, String),
    plain: (Uuid, String),
}

/// An open Rust task (difficulty 3) with four applicants, one of whom has a history: four tasks
/// finished (three on time, two of them Rust), three revealed reviews (5, 5, 4) and one hidden,
/// three conversations answered in 10 minutes, 2 hours and 30 hours.
async fn scene(app: &TestApp) -> Scene {
    seed_tags(app).await;
    let (owner_id, owner) = app.logged_in_user("merchant").await;
    let (history_merchant, _) = app.create_account("merchant").await;
    set_user(app, history_merchant, "display_name = '星辰科技'").await;
    let seasoned = app.logged_in_user("developer").await;
    let hidden = app.logged_in_user("developer").await;
    let declared = app.logged_in_user("developer").await;
    let plain = app.logged_in_user("developer").await;
    for (user, name) in [(seasoned.0, "甲同学"), (hidden.0, "乙同学"), (declared.0, "丙同学"), (plain.0, "丁同学")]
    {
        set_user(app, user, &format!("display_name = '{name}'")).await;
    }
    set_user(app, hidden.0, "card_public = false").await;
    sqlx::query("INSERT INTO user_skills (user_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = 'rust'")
        .bind(declared.0)
        .execute(&app.pool)
        .await
        .unwrap();

    let (m, dev) = (history_merchant, seasoned.0);
    let first = finished(app, m, dev, "rust", 30, true).await;
    let second = finished(app, m, dev, "vue", 20, true).await;
    let third = finished(app, m, dev, "rust", 10, false).await;
    let fourth = finished(app, m, dev, "vue", 2, true).await;
    reviewed(app, first, m, dev, 5, "第一单，很专业", Some(29)).await;
    reviewed(app, second, m, dev, 5, "沟通顺畅", Some(19)).await;
    reviewed(app, third, m, dev, 4, "稍有延期", Some(9)).await;
    reviewed(app, fourth, m, dev, 1, "尚未揭晓的评价", None).await;
    conversation(app, first, m, dev, 35, 10).await;
    conversation(app, second, m, dev, 25, 120).await;
    conversation(app, third, m, dev, 15, 30 * 60).await;
    growth(app, dev, "B", 4, (14, 3), 120, &["first-task", "check-in-7"]).await;

    top_up(app, &owner, "500").await;
    let task = create_task(app, &owner, "500").await;
    publish(app, &owner, task).await;
    for (_, cookie) in [&hidden, &declared, &seasoned, &plain] {
        ok(&app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(cookie)).await, "apply");
    }
    Scene { owner, owner_id, history_merchant, task, seasoned, hidden, plain }
}

async fn detail(app: &TestApp, task: Uuid, cookie: &str) -> Value {
    app.call("/api/task", &[("id", &task.to_string())], Some(cookie)).await.json()
}

fn application_of<'a>(detail: &'a Value, name: &str) -> &'a Value {
    detail["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["developer_name"] == name)
        .unwrap_or_else(|| panic!("{name} applied: {detail}"))
}

/// The applicants' names in the order the owner's page lists them.
async fn listed(app: &TestApp, scene: &Scene, query: &str) -> Vec<&'static str> {
    let page = app.get(&format!("/tasks/{}{query}", scene.task), Some(&scene.owner), Some("zh-CN")).await;
    assert!(page.status.is_success(), "{}", page.status);
    let names = ["甲同学", "乙同学", "丙同学", "丁同学"];
    page.body
        .split("data-testid=\"application\"")
        .skip(1)
        .map(|item| *names.iter().min_by_key(|name| item.find(*name).unwrap_or(usize::MAX)).unwrap())
        .collect()
}

#[sqlx::test(migrations = false)]
async fn the_owner_sees_each_applicants_record_as_seeded(pool: PgPool) {
    let app = spawn_app(pool).await;
    let scene = scene(&app).await;
    let page = detail(&app, scene.task, &scene.owner).await;

    let evidence = &application_of(&page, "甲同学")["evidence"];
    assert_eq!(evidence["level"], serde_json::to_value(Level::B).unwrap());
    assert_eq!(evidence["average_rating_x100"], 466, "14 stars over 3 ratings");
    assert_eq!(evidence["rating_count"], 3);
    assert_eq!(evidence["finished_tasks"], 4);
    assert_eq!(evidence["finished_in_tags"], 2, "two of them were Rust, like this task");
    assert_eq!(evidence["on_time_share"], 75, "three of four by their deadline");
    assert_eq!(evidence["response_time"], json!({ "unit": "hours", "count": 2 }), "median of 10 min, 2 h, 30 h");
    let handle = handle_of(&app, scene.seasoned.0).await;
    assert_eq!(evidence["page"], format!("/u/{handle}"));
    let merchant_page = format!("/merchants/{}", scene.history_merchant);
    let reviews: Vec<(&Value, &Value, &Value)> =
        evidence["reviews"].as_array().unwrap().iter().map(|r| (&r["stars"], &r["body"], &r["author_page"])).collect();
    assert_eq!(
        reviews,
        [
            (&json!(4), &json!("稍有延期"), &json!(merchant_page)),
            (&json!(5), &json!("沟通顺畅"), &json!(merchant_page)),
            (&json!(5), &json!("第一单，很专业"), &json!(merchant_page)),
        ],
        "the revealed ones, newest first; the hidden one is not shown"
    );
    let badges: Vec<&Value> = evidence["badges"].as_array().unwrap().iter().map(|b| &b["slug"]).collect();
    assert_eq!(badges, [&json!("first-task")], "finished work matters, check-ins do not");
    assert_eq!(evidence["fit"]["matched"][0]["slug"], "rust");

    // The credit score is the credit page's: the same record, the same rule.
    let record = Record { reviews: 3, review_stars: 14, completed: 4, response_rate: Some(66), ..Record::default() };
    let expected = credit_score(record);
    assert_eq!(evidence["credit"]["score"], expected.score, "{evidence}");
    assert_eq!(app::db::credit::score(&app.pool, scene.seasoned.0).await.unwrap(), expected);

    // Nothing to go on: no figures invented.
    let newcomer = &application_of(&page, "乙同学")["evidence"];
    assert_eq!(newcomer["average_rating_x100"], Value::Null);
    assert_eq!(newcomer["finished_tasks"], 0);
    assert_eq!(newcomer["on_time_share"], Value::Null);
    assert_eq!(newcomer["response_time"], Value::Null);
    assert_eq!(newcomer["reviews"], json!([]));
    assert_eq!(newcomer["fit"], Value::Null);

    // The page says it in words: one decimal, the matched skills, "—" for no replies yet.
    let html = app.get(&format!("/tasks/{}", scene.task), Some(&scene.owner), Some("zh-CN")).await.body;
    assert!(html.contains("4.7★ · 3 次评分"), "rating with one decimal");
    assert!(html.contains("匹配: Rust"));
    assert!(html.contains("按时交付 75%"));
    assert!(html.contains("回复时长 2 小时"));
    assert!(html.contains("回复时长 —"));

    // A developer who keeps their clients private does not have them named on the card either.
    set_user(&app, scene.seasoned.0, "card_hide_merchants = true").await;
    let page = detail(&app, scene.task, &scene.owner).await;
    let review = &application_of(&page, "甲同学")["evidence"]["reviews"][0];
    assert_eq!((&review["author_name"], &review["author_page"]), (&Value::Null, &Value::Null));
}

#[sqlx::test(migrations = false)]
async fn applicants_are_listed_by_fit_rating_or_time_as_the_url_says(pool: PgPool) {
    let app = spawn_app(pool).await;
    let scene = scene(&app).await;
    assert_eq!(listed(&app, &scene, "").await, ["乙同学", "丙同学", "甲同学", "丁同学"], "as they applied");
    assert_eq!(listed(&app, &scene, "?sort=time").await, ["乙同学", "丙同学", "甲同学", "丁同学"]);
    // 甲 earned Rust points (30 + 12) at level B (+20); 丙 only declared it (20) at level C (+10);
    // 乙 and 丁 share no skill with the task and come last, in the order they applied.
    assert_eq!(listed(&app, &scene, "?sort=fit").await, ["甲同学", "丙同学", "乙同学", "丁同学"]);
    assert_eq!(listed(&app, &scene, "?sort=rating").await, ["甲同学", "乙同学", "丙同学", "丁同学"]);
    let page = app.get(&format!("/tasks/{}?sort=rating", scene.task), Some(&scene.owner), Some("zh-CN")).await.body;
    assert!(
        page.contains("data-testid=\"sort-rating\" aria-current=\"true\"")
            || page.contains("aria-current=\"true\" data-testid=\"sort-rating\"")
    );
}

#[sqlx::test(migrations = false)]
async fn up_to_three_applicants_are_compared_and_a_fourth_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let scene = scene(&app).await;
    let page = detail(&app, scene.task, &scene.owner).await;
    let ids: Vec<String> = ["甲同学", "乙同学", "丙同学", "丁同学"]
        .iter()
        .map(|name| application_of(&page, name)["id"].as_str().unwrap().to_string())
        .collect();
    let compare = |n: usize| format!("/tasks/{}?sort=fit&compare={}", scene.task, ids[..n].join(","));

    let two = app.get(&compare(2), Some(&scene.owner), Some("zh-CN")).await.body;
    assert_eq!(two.matches("data-testid=\"compare-column\"").count(), 2);
    assert!(!two.contains("compare-refused"));
    assert!(two.contains("data-testid=\"compare-row-credit\""));

    let three = app.get(&compare(3), Some(&scene.owner), Some("zh-CN")).await.body;
    assert_eq!(three.matches("data-testid=\"compare-column\"").count(), 3);

    let four = app.get(&compare(4), Some(&scene.owner), Some("zh-CN")).await;
    assert!(four.status.is_success());
    assert_eq!(four.body.matches("data-testid=\"compare-column\"").count(), 3, "the fourth is not added");
    assert!(four.body.contains("data-testid=\"compare-refused\""));
    assert!(four.body.contains("最多同时对比 3 位申请者"), "and the page says why");
    let english = app.get(&compare(4), Some(&scene.owner), Some("en")).await.body;
    assert!(english.contains("You can compare at most 3 applicants"));

    // Ids that are not this task's applications compare nothing.
    let stranger =
        app.get(&format!("/tasks/{}?compare={}", scene.task, Uuid::now_v7()), Some(&scene.owner), None).await;
    assert_eq!(stranger.body.matches("data-testid=\"compare-column\"").count(), 0);
}

#[sqlx::test(migrations = false)]
async fn developers_see_no_one_elses_evidence(pool: PgPool) {
    let app = spawn_app(pool).await;
    let scene = scene(&app).await;
    let (_, outsider) = app.logged_in_user("developer").await;
    for cookie in [&scene.seasoned.1, &scene.plain.1, &outsider] {
        let page = detail(&app, scene.task, cookie).await;
        assert_eq!(page["applications"], json!([]), "{page}");
        assert_eq!(page["my_application"]["evidence"], Value::Null);
        let html =
            app.get(&format!("/tasks/{}?sort=fit&compare=x", scene.task), Some(cookie), Some("zh-CN")).await.body;
        assert!(!html.contains("applicant-evidence") && !html.contains("applicant-sort"));
        assert!(!html.contains("甲同学") || cookie == &scene.seasoned.1, "others' names stay private");
    }
    let anonymous = app.call("/api/task", &[("id", &scene.task.to_string())], None).await.json();
    assert_eq!(anonymous["applications"], json!([]));
}

#[sqlx::test(migrations = false)]
async fn names_link_to_public_pages_and_hidden_cards_to_none(pool: PgPool) {
    let app = spawn_app(pool).await;
    let scene = scene(&app).await;
    let (public, hidden) = (handle_of(&app, scene.seasoned.0).await, handle_of(&app, scene.hidden.0).await);

    let page = detail(&app, scene.task, &scene.owner).await;
    assert_eq!(application_of(&page, "乙同学")["evidence"]["page"], Value::Null);
    let html = app.get(&format!("/tasks/{}", scene.task), Some(&scene.owner), Some("zh-CN")).await.body;
    assert!(html.contains(&format!("href=\"/u/{public}\"")), "the public card is linked");
    assert!(!html.contains(&format!("/u/{hidden}")), "the hidden one is not");
    assert!(html.contains(&format!("href=\"/merchants/{}\"", scene.owner_id)));

    // The leaderboard: the same rule.
    sqlx::query("INSERT INTO developer_growth (developer_id, xp) VALUES ($1, 50) ON CONFLICT (developer_id) DO UPDATE SET xp = 50")
        .bind(scene.hidden.0)
        .execute(&app.pool)
        .await
        .unwrap();
    let board = app.get("/leaderboard?period=all", None, Some("zh-CN")).await.body;
    assert!(board.contains(&format!("href=\"/u/{public}\"")), "{board}");
    assert!(board.contains("乙同学") && !board.contains(&format!("/u/{hidden}")));

    // The hall's cards link the merchant's record.
    let hall = app.get("/", None, Some("zh-CN")).await.body;
    assert!(hall.contains(&format!("href=\"/merchants/{}\"", scene.owner_id)));

    // Review authors: on a finished task's page and on the resume card, the merchant who rated the work.
    let merchant_page = format!("href=\"/merchants/{}\"", scene.history_merchant);
    let rated: Uuid =
        sqlx::query_scalar("SELECT task_id FROM reviews WHERE body = '沟通顺畅'").fetch_one(&app.pool).await.unwrap();
    let finished_page = app.get(&format!("/tasks/{rated}"), None, Some("zh-CN")).await.body;
    assert!(finished_page.contains(&merchant_page), "the review's author is linked");
    let card = app.get(&format!("/u/{public}"), None, Some("zh-CN")).await;
    assert!(card.status.is_success() && card.body.contains(&merchant_page));
}
