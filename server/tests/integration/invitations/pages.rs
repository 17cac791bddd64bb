//! The pages of invitations and withdrawals as the server renders them (they work before any
//! script loads): the invite form on a resume card for merchants only, the banner on the task page,
//! the list at `/invitations`, and the withdraw button on the task page and on "my tasks".

use super::{apply, invitable};
use crate::common::{flow::ok, spawn_app, HOST, ORIGIN};
use axum::{
    body::Body,
    http::{header, Request},
};
use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn merchants_get_the_invite_form_and_the_invited_developer_the_banner_and_the_list(pool: PgPool) {
    let app = spawn_app(pool).await;
    let f = invitable(&app).await;
    let card = format!("/u/{}", f.handle);

    let page = app.get(&card, Some(&f.merchant), None).await;
    assert!(page.body.contains(r#"data-testid="invite-form""#), "{}", page.body);
    assert!(page.body.contains("Rust 后端接口开发") && page.body.contains("邀请投递"));
    let english = app.get(&card, Some(&f.merchant), Some("en")).await;
    assert!(english.body.contains("Invite to apply"));
    for viewer in [None, Some(f.developer.as_str())] {
        let page = app.get(&card, viewer, None).await;
        assert!(page.status.is_success() && !page.body.contains(r#"data-testid="invite""#), "{viewer:?}");
    }
    // A merchant without an open task is told to post one.
    let newcomer = app.logged_in_as("merchant").await;
    assert!(app.get(&card, Some(&newcomer), None).await.body.contains(r#"data-testid="invite-no-tasks""#));

    // Sent as the page's plain form posts it: back to the card, which says the invitation went out.
    let task = f.task.to_string();
    let form =
        format!("task={task}&developer={}&note=%E6%9C%9F%E5%BE%85%E4%BD%A0%E7%9A%84%E6%8A%95%E9%80%92", f.handle);
    let posted = app
        .send(
            Request::post("/api/invitations/send")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, ORIGIN)
                .header(header::REFERER, format!("{ORIGIN}{card}"))
                .header(header::ACCEPT, "text/html")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &f.merchant)
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert!(posted.status.is_redirection(), "{} {}", posted.status, posted.body);
    let back = posted.headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(back, format!("{card}?invited={}", f.handle));
    let page = app.get(&back, Some(&f.merchant), None).await;
    assert!(page.body.contains(r#"data-testid="invitation-sent""#), "the card says it went out");
    assert!(page.body.contains("（已邀请）"), "the form shows where they were invited");
    let elsewhere = app.get(&format!("{card}?invited=someone-else"), Some(&f.merchant), None).await;
    assert!(!elsewhere.body.contains(r#"data-testid="invitation-sent""#), "only for the developer invited");

    let task_page = format!("/tasks/{}", f.task);
    let page = app.get(&task_page, Some(&f.developer), None).await;
    assert!(page.body.contains(r#"data-testid="invitation-banner""#) && page.body.contains("期待你的投递"));
    assert!(
        page.body.contains(r#"data-testid="invitation-apply""#)
            && page.body.contains(r#"data-testid="invitation-decline""#)
    );
    let list = app.get("/invitations", Some(&f.developer), None).await;
    assert!(list.status.is_success() && list.body.contains(r#"data-testid="invitation""#), "{}", list.body);
    assert!(list.body.contains("待回复"));
    assert!(app.get("/me", Some(&f.developer), None).await.body.contains(r#"data-testid="my-invitations""#));
    let refused = app.get("/invitations", Some(&f.merchant), None).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);

    // Applied: the banner gives way to the application, which may be withdrawn here and on /me.
    ok(&apply(&app, &f.developer, f.task).await, "apply");
    let page = app.get(&task_page, Some(&f.developer), None).await;
    assert!(!page.body.contains(r#"data-testid="invitation-banner""#));
    assert!(page.body.contains(r#"data-testid="withdraw-application""#));
    assert!(app.get("/me", Some(&f.developer), None).await.body.contains(r#"data-testid="withdraw-application""#));
    let other = app.logged_in_as("developer").await;
    let stranger_page = app.get(&task_page, Some(&other), None).await;
    assert!(!stranger_page.body.contains(r#"data-testid="withdraw-application""#));
}
