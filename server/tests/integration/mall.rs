//! The points mall through the real HTTP stack: growth points buy resume card themes and draw
//! tickets, once per purchase key, never more than the points there are.

use crate::common::{self, spawn_app, TestApp};

use axum::http::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// A developer who has earned `points` growth points; returns their id, cookie and card handle.
async fn developer_with_points(app: &TestApp, points: i64) -> (Uuid, String, String) {
    let (id, cookie) = app.logged_in_user("developer").await;
    sqlx::query("INSERT INTO developer_growth (developer_id, growth_points) VALUES ($1, $2)")
        .bind(id)
        .bind(points)
        .execute(&app.pool)
        .await
        .unwrap();
    let handle: String =
        sqlx::query_scalar("SELECT handle FROM users WHERE id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    (id, cookie, handle)
}

async fn buy(app: &TestApp, cookie: &str, item: &str, key: Uuid) -> common::Reply {
    app.call("/api/mall/buy", &[("item", item), ("key", &key.to_string())], Some(cookie)).await
}

fn ok(reply: &common::Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

fn problem(reply: &common::Reply) -> serde_json::Value {
    reply.json()["fields"][0]["problem"].clone()
}

async fn points(app: &TestApp, developer: Uuid) -> (i64, i64) {
    sqlx::query_as("SELECT growth_points, points_spent FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn points_buy_a_theme_once_and_the_card_wears_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie, handle) = developer_with_points(&app, 200).await;
    let mall = app.call("/api/mall", &[], Some(&cookie)).await.json();
    assert_eq!(mall["balance"], 200);

    let key = Uuid::now_v7();
    assert!(ok(&buy(&app, &cookie, "theme-ink", key).await));
    assert!(ok(&buy(&app, &cookie, "theme-ink", key).await), "a retry with the same key succeeds");
    assert_eq!(points(&app, developer).await, (200, 120), "paid once; the points earned stay 200");
    let mall = app.call("/api/mall", &[], Some(&cookie)).await.json();
    assert_eq!(mall["balance"], 80);

    let again = buy(&app, &cookie, "theme-ink", Uuid::now_v7()).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&again)["kind"], "already_owned");
    let dear = buy(&app, &cookie, "theme-aurora", Uuid::now_v7()).await;
    assert_eq!(problem(&dear), serde_json::json!({ "kind": "not_enough_points", "short": 70 }));
    assert_eq!(points(&app, developer).await, (200, 120), "refusals spend nothing");

    let not_owned = app.call("/api/mall/theme", &[("theme", "aurora")], Some(&cookie)).await;
    assert_eq!(problem(&not_owned)["kind"], "not_allowed");
    assert!(ok(&app.call("/api/mall/theme", &[("theme", "ink")], Some(&cookie)).await));

    let card = app.get(&format!("/u/{handle}/card.svg"), None, None).await;
    assert!(card.body.contains("fill=\"#1c1917\""), "the card wears ink: {}", &card.body[..300.min(card.body.len())]);
    let embedded = app.get(&format!("/u/{handle}/card.svg?theme=dark"), None, None).await;
    assert!(
        embedded.body.contains("fill=\"#0f172a\"") && !embedded.body.contains("#1c1917"),
        "an embedder's free choice wins"
    );
    let page = app.get(&format!("/u/{handle}"), None, None).await;
    assert!(page.body.contains("data-theme=\"ink\""), "the public page wears it too");

    assert!(
        ok(&app.call("/api/mall/theme", &[("theme", "light")], Some(&cookie)).await),
        "a free theme needs no purchase"
    );
    let card = app.get(&format!("/u/{handle}/card.svg"), None, None).await;
    assert!(!card.body.contains("#1c1917"));
}

#[sqlx::test(migrations = false)]
async fn two_purchases_at_once_cannot_spend_the_same_points(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie, _) = developer_with_points(&app, 150).await;
    let (a, b) = tokio::join!(
        buy(&app, &cookie, "theme-aurora", Uuid::now_v7()),
        buy(&app, &cookie, "theme-jade", Uuid::now_v7())
    );
    assert_eq!([ok(&a), ok(&b)].iter().filter(|done| **done).count(), 1, "{} / {}", a.body, b.body);
    let refused = if ok(&a) { &b } else { &a };
    assert_eq!(problem(refused), serde_json::json!({ "kind": "not_enough_points", "short": 150 }));
    assert_eq!(points(&app, developer).await, (150, 150));
    let bought: i64 = sqlx::query_scalar("SELECT count(*) FROM point_purchases").fetch_one(&app.pool).await.unwrap();
    assert_eq!(bought, 1);
}

#[sqlx::test(migrations = false)]
async fn draw_tickets_stop_at_five_a_month_and_join_the_draw(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie, _) = developer_with_points(&app, 1_000).await;
    for _ in 0..5 {
        assert!(ok(&buy(&app, &cookie, "draw-ticket", Uuid::now_v7()).await));
    }
    let sixth = buy(&app, &cookie, "draw-ticket", Uuid::now_v7()).await;
    assert_eq!(problem(&sixth), serde_json::json!({ "kind": "too_many", "max": 5 }));
    assert_eq!(points(&app, developer).await, (1_000, 150));
    let panel = app.call("/api/growth/me", &[], Some(&cookie)).await.json();
    assert_eq!(panel["lottery_entries"], 5, "the tickets are this month's draw entries");
}

#[sqlx::test(migrations = false)]
async fn unknown_items_and_themes_are_field_errors_and_write_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, cookie, _) = developer_with_points(&app, 1_000).await;
    for item in ["cash", "theme-light", "", &"x".repeat(100_000)] {
        let reply = buy(&app, &cookie, item, Uuid::now_v7()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &item[..item.len().min(20)]);
        assert_eq!(reply.json()["fields"][0]["field"], "item");
    }
    let reply = app.call("/api/mall/theme", &[("theme", "gold")], Some(&cookie)).await;
    assert_eq!(reply.json()["fields"][0]["field"], "theme");
    let merchant = app.logged_in_as("merchant").await;
    assert_eq!(buy(&app, &merchant, "draw-ticket", Uuid::now_v7()).await.status, StatusCode::FORBIDDEN);
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM point_purchases").fetch_one(&app.pool).await.unwrap();
    assert_eq!(written, 0);
}

#[sqlx::test(migrations = false)]
async fn admins_price_items_and_take_them_off_sale(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.logged_in_as("admin").await;
    let (developer, cookie, _) = developer_with_points(&app, 100).await;
    let set = |item: &'static str, price: &'static str, on_sale: bool| {
        let mut form = vec![("item", item), ("price", price), ("reason", "双十二活动")];
        if on_sale {
            form.push(("on_sale", "true"));
        }
        let (app, admin) = (app.clone(), admin.clone());
        async move { app.call("/api/admin/mall/set", &form, Some(&admin)).await }
    };
    assert!(ok(&set("theme-ink", "80", true).await));
    assert!(ok(&set("theme-aurora", "150", false).await));
    let bad = set("theme-jade", "0", true).await;
    assert_eq!(bad.json()["fields"][0]["field"], "points");
    assert_eq!(problem(&bad), serde_json::json!({ "kind": "number_out_of_range", "min": 1, "max": 100000 }));

    let mall = app.call("/api/mall", &[], Some(&cookie)).await.json();
    let offer =
        |slug: &str| mall["offers"].as_array().unwrap().iter().find(|o| o["item"]["Theme"] == slug).cloned().unwrap();
    assert_eq!((offer("ink")["price"].clone(), offer("aurora")["on_sale"].clone()), (80.into(), false.into()));
    let off_sale = buy(&app, &cookie, "theme-aurora", Uuid::now_v7()).await;
    assert_eq!(problem(&off_sale)["kind"], "not_allowed");
    assert!(ok(&buy(&app, &cookie, "theme-ink", Uuid::now_v7()).await), "100 points buy ink at the admin's 80");
    assert_eq!(points(&app, developer).await, (100, 80));

    let logged: Vec<(String, String)> =
        sqlx::query_as("SELECT subject, reason FROM admin_audit WHERE action = 'mall.price' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        logged,
        [("mall:theme-ink".into(), "双十二活动".into()), ("mall:theme-aurora".into(), "双十二活动".into())]
    );
    let page = app.get("/admin/growth", Some(&admin), None).await;
    assert!(page.body.contains("积分商城定价") && page.body.contains("data-testid=\"mall-price-theme-ink\""));
}
