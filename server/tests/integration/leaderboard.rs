//! The growth leaderboard, through the real server functions and PostgreSQL: ranked by period and
//! skill, ties in a fixed order.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app};
use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn leaderboards_rank_by_period_and_skill_with_ties_in_a_fixed_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "400").await;
    let (first, first_cookie) = app.logged_in_user("developer").await;
    let (tie_a, tie_a_cookie) = app.logged_in_user("developer").await;
    let (tie_b, tie_b_cookie) = app.logged_in_user("developer").await;
    finish_task(&app, &merchant, &first_cookie, "100").await;
    finish_task(&app, &merchant, &first_cookie, "100").await;
    // The later registrant finishes first: ties still list by id, not by who got there first.
    finish_task(&app, &merchant, &tie_b_cookie, "100").await;
    finish_task(&app, &merchant, &tie_a_cookie, "100").await;

    let ids = |board: &serde_json::Value| -> Vec<String> {
        board["rows"].as_array().unwrap().iter().map(|r| r["developer_id"].as_str().unwrap().to_string()).collect()
    };
    let (lower, higher) = if tie_a < tie_b { (tie_a, tie_b) } else { (tie_b, tie_a) };
    let expected = vec![first.to_string(), lower.to_string(), higher.to_string()];
    for period in ["week", "month", "all"] {
        let board = app.call("/api/leaderboard", &[("period", period)], None).await.json();
        assert_eq!(ids(&board), expected, "{period}");
        assert_eq!(board["rows"][0]["score"], 120);
        assert_eq!(board["rows"][0]["rank"], 1);
        let by_skill = app.call("/api/leaderboard", &[("period", period), ("skill", "rust")], None).await.json();
        assert_eq!(ids(&by_skill), expected, "{period} rust");
        assert_eq!(by_skill["rows"][0]["score"], 60);
        assert_eq!(by_skill["skill"]["slug"], "rust");
    }
    let nobody = app.call("/api/leaderboard", &[("period", "week"), ("skill", "vue")], None).await.json();
    assert_eq!(nobody["rows"].as_array().unwrap().len(), 0);
    let unknown = app.call("/api/leaderboard", &[("period", "<script>"), ("skill", "no-such-skill")], None).await;
    assert_eq!(unknown.status, StatusCode::OK, "bad URL input is a quiet default, not an error");

    let page = app.get("/leaderboard?period=all&skill=rust", None, Some("zh-CN")).await;
    assert!(page.body.contains("成长排行榜") && page.body.contains("board-row"), "rendered on the server");
    assert_ledger_sound(&app).await;
}
