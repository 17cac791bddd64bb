//! Badges and check-ins, through the real server functions and PostgreSQL: earned once with their
//! points, made by admins from a rule kind, and given to developers who already qualify.

use crate::common;

use app::db;
use axum::http::StatusCode;
use common::{flow::*, spawn_app, TestApp};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

/// Growth points from the challenges a first task completes on the way: 投递挑战 (the developer's
/// first application) and 每周成长挑战 (a task finished this week).
const FIRST_APPLICATION: i64 = 20;
const WEEKLY_GROWTH: i64 = 30;

async fn growth_points(app: &TestApp, developer: Uuid) -> i64 {
    sqlx::query_scalar("SELECT growth_points FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn badge<'a>(panel: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    panel["badges"].as_array().unwrap().iter().find(|b| b["slug"] == slug).unwrap()
}

#[sqlx::test(migrations = false)]
async fn badges_are_earned_once_with_their_points_and_check_ins_count_once_a_day(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;

    // The first finished task earns 首单完成 (+20); 挑战者 needs three hard tasks and shows 0/3.
    let challenges = FIRST_APPLICATION + WEEKLY_GROWTH;
    assert_eq!(growth_points(&app, developer_id).await, 20 + challenges);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert!(badge(&panel, "first-task")["earned_at"].is_string());
    let told: Vec<String> =
        sqlx::query_scalar("SELECT note FROM notifications WHERE user_id = $1 AND kind = 'badge_earned'")
            .bind(developer_id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(told.iter().any(|note| note == "首单完成 · First task"), "the developer is told: {told:?}");
    assert_eq!(badge(&panel, "challenger")["progress"], json!({ "have": 0, "need": 3, "earned": false }));
    assert_eq!(panel["growth_points"], 20 + challenges);

    // Six earlier days of check-ins; eight simultaneous check-ins today count once, complete the
    // seven-day streak, and earn 连续打卡 (+5 for the day, +50 for the badge) exactly once.
    sqlx::query(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, created_at)
         SELECT $1, 'past-check-in:' || d, 'checked_in', 0, now() - make_interval(days => d) FROM generate_series(1, 6) d",
    )
    .bind(developer_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let answers = futures_join((0..8).map(|_| {
        let (app, developer) = (app.clone(), developer.clone());
        tokio::spawn(async move { app.call("/api/growth/check_in", &[], Some(&developer)).await.body })
    }))
    .await;
    assert_eq!(answers.iter().filter(|a| a.as_str() == "true").count(), 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.as_str() == "false").count(), 7);
    assert_eq!(growth_points(&app, developer_id).await, 20 + challenges + 5 + 50);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert!(badge(&panel, "check-in-7")["earned_at"].is_string());
    assert_eq!((panel["checked_in_today"].clone(), panel["check_in_streak"].clone()), (json!(true), json!(7)));
    let badges: i64 = sqlx::query_scalar("SELECT count(*) FROM developer_badges WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(badges, 2);
    // Every growth point traces to its event.
    let traced: i64 = sqlx::query_scalar("SELECT sum(growth_points)::int8 FROM growth_events WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(traced, 75 + challenges);
    assert_eq!(app.call("/api/growth/check_in", &[], Some(&merchant)).await.status, StatusCode::FORBIDDEN);
}

fn badge_form<'a>(slug: &'a str, kind: &'a str, count: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[slug]", slug),
        ("form[name_zh]", "Rust 新星"),
        ("form[name_en]", "Rust rising"),
        ("form[description_zh]", "在一项技能上获得积分。"),
        ("form[description_en]", "Earn points in one skill."),
        ("form[kind]", kind),
        ("form[count]", count),
        ("form[threshold]", ""),
        ("form[growth_points]", "15"),
    ]
}

#[sqlx::test(migrations = false)]
async fn an_admin_makes_a_badge_from_a_rule_kind_and_the_next_event_awards_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.logged_in_as("admin").await;
    let badges =
        || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM badges").fetch_one(&app.pool).await.unwrap() };
    let before = badges().await;
    for (slug, kind, count, field, problem) in [
        ("rising", "skill_breadth", "0", "rule", "not_allowed"),
        ("rising", "lottery", "1", "rule", "not_allowed"),
        ("first-task", "skill_breadth", "1", "slug", "taken"),
    ] {
        let reply = app.call("/api/admin/badges/create", &badge_form(slug, kind, count), Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{slug} {kind} {count}: {}", reply.body);
        assert_eq!(reply.json()["fields"][0]["field"], field);
        assert_eq!(reply.json()["fields"][0]["problem"]["kind"], problem);
    }
    assert_eq!(badges().await, before, "refused forms write nothing");
    let developer = app.logged_in_as("developer").await;
    let reply =
        app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    ok(
        &app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&admin)).await,
        "create",
    );

    // The developer's first finished task gives points in one skill: both 首单完成 and the new badge.
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    assert_eq!(growth_points(&app, developer_id).await, 20 + 15 + FIRST_APPLICATION + WEEKLY_GROWTH);
    let list = app.call("/api/admin/badges", &[], Some(&admin)).await.json();
    let rising = list.as_array().unwrap().iter().find(|b| b["slug"] == "rising").unwrap();
    assert_eq!(rising["holders"], 1);
    assert_eq!(rising["rule"], json!({ "kind": "skill_breadth", "count": 1 }));
}

#[sqlx::test(migrations = false)]
async fn a_new_badge_reaches_developers_who_already_qualify(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    app.drain_growth().await;
    let before = growth_points(&app, developer_id).await;

    // Made after the task was finished: the back-fill gives it without waiting for a new event.
    let admin = app.logged_in_as("admin").await;
    ok(
        &app.call("/api/admin/badges/create", &badge_form("rising", "skill_breadth", "1"), Some(&admin)).await,
        "create",
    );
    let mut holders = json!(0);
    for _ in 0..50 {
        let list = app.call("/api/admin/badges", &[], Some(&admin)).await.json();
        holders = list.as_array().unwrap().iter().find(|b| b["slug"] == "rising").unwrap()["holders"].clone();
        if holders == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(holders, 1);
    assert_eq!(growth_points(&app, developer_id).await, before + 15);
    // Running it again gives nothing twice.
    assert_eq!(db::growth::backfill_badges(&app.pool).await.unwrap(), 0);
    assert_eq!(growth_points(&app, developer_id).await, before + 15);
}
