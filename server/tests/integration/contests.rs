//! Mentor challenges through the real server functions and ledger: who may post one, the prize
//! held and paid in full to the winner once, real-name registration, the growth pass for advanced
//! challenges, calling one off, and the recommendation letter on the winner's resume card.

use crate::common::{self, flow::*, spawn_app, TestApp};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

fn contest_form<'a>(title: &'a str, prize: &'a str, advanced: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[title]", title),
        ("form[brief]", "设计一个每秒一万单的下单接口，说明取舍和压测数据。"),
        ("form[prize]", prize),
        ("form[submit_by]", "2099-12-31"),
        ("form[advanced]", advanced),
    ]
}

async fn contest_id(app: &TestApp, title: &str) -> String {
    let id: Uuid =
        sqlx::query_scalar("SELECT id FROM contests WHERE title = $1").bind(title).fetch_one(&app.pool).await.unwrap();
    id.to_string()
}

async fn verified_developer(app: &TestApp) -> (Uuid, String) {
    let (id, cookie) = app.logged_in_user("developer").await;
    let form = [("real_name", "张三"), ("id_number", "11010519491231002x")];
    ok(&app.call("/api/contests/verify_identity", &form, Some(&cookie)).await, "verify");
    (id, cookie)
}

#[sqlx::test(migrations = false)]
async fn an_invited_mentor_awards_the_prize_in_full_to_a_verified_participant_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (mentor_id, mentor) = app.logged_in_user("developer").await;
    let admin = app.logged_in_as("admin").await;
    top_up(&app, &mentor, "3000").await;

    // A level-C developer is no mentor until an admin invites them.
    let refused =
        app.call("/api/contests/create", &contest_form("高并发下单挑战", "2000", "false"), Some(&mentor)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let invite = [("user", mentor_id.to_string()), ("invited", "true".to_string())];
    let invite: Vec<(&str, &str)> = invite.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok(&app.call("/api/admin/mentors/invite", &invite, Some(&admin)).await, "invite");
    let bad = app.call("/api/contests/create", &contest_form("短", "50", "false"), Some(&mentor)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    ok(
        &app.call("/api/contests/create", &contest_form("高并发下单挑战", "2000", "false"), Some(&mentor)).await,
        "create",
    );
    assert_eq!(available(&app, mentor_id).await, 100_000, "the prize is held");
    let id = contest_id(&app, "高并发下单挑战").await;

    // Entering needs a verified real name; a malformed ID number is a field error.
    let (plain, plain_cookie) = app.logged_in_user("developer").await;
    let reply = app.call("/api/contests/join", &[("contest", &id)], Some(&plain_cookie)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"][0]["field"], "real_name");
    let reply = app
        .call(
            "/api/contests/verify_identity",
            &[("real_name", "李四"), ("id_number", "110105194912310021")],
            Some(&plain_cookie),
        )
        .await;
    assert_eq!(reply.json()["fields"][0]["field"], "id_number");
    let tail: Option<String> = sqlx::query_scalar("SELECT id_number_tail FROM users WHERE id = $1")
        .bind(plain)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(tail, None);

    let list: Value = app.call("/api/contests", &[], Some(&plain_cookie)).await.json();
    assert_eq!((list["can_create"].clone(), list["verified_as"].clone()), (Value::Bool(false), Value::Null));
    let (winner, winner_cookie) = verified_developer(&app).await;
    let list: Value = app.call("/api/contests", &[], Some(&winner_cookie)).await.json();
    assert_eq!(list["verified_as"], "张*");
    let list: Value = app.call("/api/contests", &[], Some(&mentor)).await.json();
    assert_eq!(list["can_create"], true);
    let (_, other_cookie) = verified_developer(&app).await;
    let stored: (String, String) = sqlx::query_as("SELECT real_name, id_number_tail FROM users WHERE id = $1")
        .bind(winner)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, ("张三".to_string(), "002X".to_string()), "only the name and the last four are kept");
    for cookie in [&winner_cookie, &other_cookie] {
        ok(&app.call("/api/contests/join", &[("contest", &id)], Some(cookie)).await, "join");
    }
    let entry = [
        ("contest", id.as_str()),
        ("submission", "分库分表加队列削峰，压测 1.2 万 QPS。"),
        ("link", "https://example.com/demo"),
    ];
    ok(&app.call("/api/contests/submit", &entry, Some(&winner_cookie)).await, "submit");
    let bad_link =
        [("contest", id.as_str()), ("submission", "用 Redis 预扣库存再异步落库。"), ("link", "javascript:alert(1)")];
    assert_eq!(
        app.call("/api/contests/submit", &bad_link, Some(&other_cookie)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Only the mentor awards, only someone who submitted, and only once, even when sent twice at once.
    let award = |who: Uuid| {
        vec![
            ("contest".to_string(), id.clone()),
            ("winner".to_string(), who.to_string()),
            ("review".to_string(), "方案完整，压测数据扎实，取舍讲得清楚。".to_string()),
            ("recommendation".to_string(), "推荐张三承担高并发后端的设计与实现。".to_string()),
        ]
    };
    let as_pairs = |form: &Vec<(String, String)>| form.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let call = |cookie: String, form: Vec<(String, String)>| {
        let app = app.clone();
        tokio::spawn(async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call("/api/contests/award", &form, Some(&cookie)).await.status
        })
    };
    assert_eq!(call(winner_cookie.clone(), as_pairs(&award(winner))).await.unwrap(), StatusCode::FORBIDDEN);
    let (outsider, _) = app.logged_in_user("developer").await;
    assert_eq!(call(mentor.clone(), as_pairs(&award(outsider))).await.unwrap(), StatusCode::CONFLICT);
    let racing =
        futures_join([call(mentor.clone(), award(winner)), call(mentor.clone(), award(winner))].into_iter()).await;
    assert_eq!(racing.iter().filter(|s| s.is_success()).count(), 1, "{racing:?}");
    assert_eq!(available(&app, winner).await, 200_000, "the whole prize, no commission");
    assert_eq!(available(&app, mentor_id).await, 100_000);
    assert_eq!(app.call("/api/contests/cancel", &[("contest", &id)], Some(&mentor)).await.status, StatusCode::CONFLICT);

    // The letter is on the winner's public resume card.
    let handle: String =
        sqlx::query_scalar("UPDATE users SET handle = 'zhangsan', card_public = true WHERE id = $1 RETURNING handle")
            .bind(winner)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let card: Value = app.call("/api/resume", &[("handle", &handle)], None).await.json();
    assert_eq!(card["recommendations"][0]["text"], "推荐张三承担高并发后端的设计与实现。", "{card}");
    let detail: Value = app.call("/api/contests/detail", &[("id", &id)], None).await.json();
    assert_eq!(detail["summary"]["status"], "awarded");
    assert!(detail["entries"].as_array().unwrap().is_empty(), "entries are for the mentor and their authors");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn advanced_challenges_need_the_growth_pass_and_an_unanswered_one_can_be_called_off(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (mentor_id, mentor) = app.logged_in_user("developer").await;
    // Level S by the growth record: a mentor without an invitation.
    sqlx::query("INSERT INTO developer_growth (developer_id, level) VALUES ($1, 'S') ON CONFLICT (developer_id) DO UPDATE SET level = 'S'")
        .bind(mentor_id)
        .execute(&app.pool)
        .await
        .unwrap();
    top_up(&app, &mentor, "500").await;
    ok(&app.call("/api/contests/create", &contest_form("进阶架构挑战", "300", "true"), Some(&mentor)).await, "create");
    let id = contest_id(&app, "进阶架构挑战").await;
    let (_, developer) = verified_developer(&app).await;
    let refused: common::Reply = app.call("/api/contests/join", &[("contest", &id)], Some(&developer)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("needs_growth_pass"), "{}", refused.body);
    top_up(&app, &developer, "100").await;
    let buy = [("plan", "growth_pass"), ("months", "1"), ("key", &Uuid::now_v7().to_string())];
    let buy: Vec<(&str, &str)> = buy.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    ok(&app.call("/api/membership/buy", &buy, Some(&developer)).await, "growth pass");
    ok(&app.call("/api/contests/join", &[("contest", &id)], Some(&developer)).await, "join with the pass");

    // Nobody submitted: the mentor calls it off and the prize comes back, once.
    ok(&app.call("/api/contests/cancel", &[("contest", &id)], Some(&mentor)).await, "cancel");
    assert_eq!(app.call("/api/contests/cancel", &[("contest", &id)], Some(&mentor)).await.status, StatusCode::CONFLICT);
    assert_eq!(available(&app, mentor_id).await, 50_000);
    let listed: Value = app.call("/api/contests", &[], None).await.json();
    assert!(listed["contests"].as_array().unwrap().is_empty(), "a cancelled challenge leaves the list");
    assert_ledger_sound(&app).await;
}
