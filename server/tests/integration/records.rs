//! Records that agree with themselves (issue 33): one rounding rule for averages wherever they are
//! shown.

use crate::common::spawn_app;

use sqlx::PgPool;

/// One rounding rule for averages (issue 33): 28 stars over 6 ratings (4.666…) read 4.7 on the
/// resume card, its image and the growth panel; it read 4.6 on the card and 4.66★ on the panel.
#[sqlx::test(migrations = false)]
async fn an_average_rating_reads_the_same_everywhere(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    sqlx::query(
        "INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
         VALUES ($1, 300, 6, 28, 6, 'C')",
    )
    .bind(developer)
    .execute(&app.pool)
    .await
    .unwrap();
    let handle: String = sqlx::query_scalar("UPDATE users SET card_public = true WHERE id = $1 RETURNING handle")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let page = app.get(&format!("/u/{handle}"), None, Some("zh-CN")).await;
    assert!(page.body.contains(">4.7<"), "the resume card shows 4.7");
    let image = app.get(&format!("/u/{handle}/card.svg"), None, None).await;
    assert!(image.body.contains("4.7★"), "the card image shows 4.7★");
    let growth = app.get("/growth", Some(&cookie), Some("zh-CN")).await;
    assert!(growth.body.contains("4.7★"), "the growth panel shows 4.7★");
    // (The growth panel also lists level thresholds such as 4.6★, so only the card is checked for 4.6.)
    assert!(!page.body.contains(">4.6<") && !image.body.contains("4.6★"), "the card does not truncate");
    assert!(!growth.body.contains("4.66"), "the panel does not show two decimals");
}

/// The refund a member is quoted right after buying is what cancelling refunds (issue 33): the page
/// quoted the whole price in the purchase's own second and refunded 29/30 of it a second later.
#[sqlx::test(migrations = false)]
async fn the_refund_quoted_after_buying_is_the_refund_paid(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cookie = app.logged_in_as("developer").await;
    crate::common::flow::top_up(&app, &cookie, "200").await;
    let form = [("plan", "premium"), ("months", "1"), ("key", "01937b0e-0000-7000-8000-0000000000aa")];
    crate::common::flow::ok(&app.call("/api/membership/buy", &form, Some(&cookie)).await, "buy");
    // Both read in the purchase's own second, where the two used to disagree.
    sqlx::query("UPDATE memberships SET starts_at = date_trunc('second', now()), ends_at = date_trunc('second', now()) + interval '30 days'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.call("/api/membership", &[], Some(&cookie)).await.json();
    let offer = page["offers"].as_array().unwrap().iter().find(|o| o["terms"]["plan"] == "premium").unwrap().clone();
    let quoted = offer["refund_now"].as_i64().unwrap_or_else(|| panic!("refund_now in fen: {offer}"));
    let refunded = app.call("/api/membership/cancel", &[("plan", "premium")], Some(&cookie)).await;
    assert_eq!(refunded.body.trim(), quoted.to_string(), "the quote is what was refunded");
    assert!(quoted < 1_990, "the first day has begun, so not the whole price: {quoted}");
}

/// The task page offers the dispute's answer only to the side that may give it (issue 33): the
/// merchant who opened a dispute was offered the form the server then refused.
#[sqlx::test(migrations = false)]
async fn only_the_side_that_did_not_open_a_dispute_is_offered_the_answer(pool: PgPool) {
    use crate::common::flow;
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = flow::task_in_progress(&app, "800").await;
    let m = milestone.to_string();
    flow::deliver(&app, &developer, &m, "完成").await;
    let opened = app.call("/api/task/dispute", &[("milestone", &m), ("reason", "功能不完整")], Some(&merchant)).await;
    flow::ok(&opened, "open a dispute");

    let page = |cookie: String| {
        let app = app.clone();
        async move { app.get(&format!("/tasks/{task}"), Some(&cookie), Some("zh-CN")).await.body }
    };
    assert!(
        !page(merchant.clone()).await.contains("data-testid=\"respond-to-dispute\""),
        "the opener is offered no answer"
    );
    assert!(page(developer.clone()).await.contains("data-testid=\"respond-to-dispute\""), "the other side is");

    let refused =
        app.call("/api/task/dispute/respond", &[("milestone", &m), ("response", "我自己回答")], Some(&merchant)).await;
    assert_eq!(refused.status, axum::http::StatusCode::CONFLICT, "{}", refused.body);
    let answered = app
        .call("/api/task/dispute/respond", &[("milestone", &m), ("response", "三个图表都已交付")], Some(&developer))
        .await;
    flow::ok(&answered, "answer");
    assert!(!page(developer).await.contains("data-testid=\"respond-to-dispute\""), "answered once");
}
