//! User-written text stays text (issue 26): a hostile display name in the resume card's `<title>`
//! and Open Graph tags, names made of hidden characters, reserved handles, a pitch carrying a phone
//! number, remote images in Markdown, and the statuses of pages a visitor may not see.

use crate::common::{self, flow, spawn_app, TestApp};

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn save_profile(app: &TestApp, cookie: &str, name: &str, headline: &str, bio: &str) -> common::Reply {
    let form =
        [("form[display_name]", name), ("form[headline]", headline), ("form[bio]", bio), ("form[skills][]", "rust")];
    app.call("/api/profile/save", &form, Some(cookie)).await
}

/// The `<title>…</title>` of a page.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("the page has a title") + "<title>".len();
    &html[start..start + html[start..].find("</title>").expect("the title is closed")]
}

#[sqlx::test(migrations = false)]
async fn a_hostile_name_stays_text_in_the_title_and_meta_tags(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let name = "</title><svg onload=alert(1)>";
    let headline = "\"><script>alert(2)</script>";
    let reply = save_profile(&app, &cookie, name, headline, "我写 Rust。</textarea><img src=x onerror=alert(3)>").await;
    flow::ok(&reply, "save profile");
    let handle: String = sqlx::query_scalar("UPDATE users SET card_public = true WHERE id = $1 RETURNING handle")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    for language in ["zh-CN", "en"] {
        let page = app.get(&format!("/u/{handle}"), None, Some(language)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.body;
        assert!(title_of(html).contains("&lt;/title&gt;&lt;svg onload=alert(1)&gt;"), "{}", title_of(html));
        for live in ["<svg onload", "<script>alert(2)", "<img src=x onerror"] {
            assert!(!html.contains(live), "{live} reached the {language} page as markup");
        }
        assert!(
            html.contains(r#"content="&lt;/title&gt;"#) || html.contains(r#"content="</title>"#),
            "og:title kept the name as an attribute value"
        );
        assert!(!html.contains(r#"content=""><script>"#), "a quote in the headline broke out of an attribute");
    }
    // The owner's own form shows the introduction in a textarea, whose content Leptos writes raw.
    let form = app.get("/profile", Some(&cookie), Some("zh-CN")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(3)&gt;"),
        "the introduction is text in its box"
    );
    assert!(!form.body.contains("<img src=x onerror"), "the introduction closed its textarea");
}

#[sqlx::test(migrations = false)]
async fn names_of_hidden_characters_and_reserved_handles_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (name, problem) in [
        ("\u{200B}\u{200B}\u{200B}", "hidden_characters"),
        ("\u{3164}\u{3164}", "hidden_characters"),
        ("李\u{202E}雷gnp.exe", "hidden_characters"),
        (&"长".repeat(33), "too_long"),
    ] {
        let form = [
            ("email", "hidden@test.cn"),
            ("password", common::PASSWORD),
            ("display_name", name),
            ("role", "developer"),
            ("consent", "on"),
        ];
        let reply = app.call("/api/register", &form, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {}", reply.body);
        assert_eq!(reply.field_errors(), vec![("display_name".to_string(), problem.to_string())], "{name:?}");
    }
    assert_eq!(app.user_count().await, 0, "no account was created by a refused sign-up");

    flow::seed_tags(&app).await;
    let cookie = app.logged_in_as("developer").await;
    let reply = save_profile(&app, &cookie, "李雷", "Rust\u{2066}工程师", "五年后端经验，写过支付和对账系统。").await;
    assert_eq!(reply.field_errors(), vec![("headline".to_string(), "hidden_characters".to_string())]);

    for handle in ["admin", "Api", "codelink-support"] {
        let form = [("settings[handle]", handle), ("settings[public]", "true")];
        let reply = app.call("/api/profile/card", &form, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{handle}: {}", reply.body);
        assert_eq!(reply.field_errors(), vec![("handle".to_string(), "reserved".to_string())], "{handle}");
    }
}

#[sqlx::test(migrations = false)]
async fn a_pitch_reaches_the_merchant_with_contacts_masked(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let developer = app.logged_in_as("developer").await;
    flow::top_up(&app, &merchant, "800").await;
    let task = flow::create_task(&app, &merchant, "800").await;
    flow::publish(&app, &merchant, task).await;
    let pitch = "做过三个类似项目，加我微信：lilei_2024 或打 138 1234 5678 细聊";
    flow::ok(
        &app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", pitch)], Some(&developer)).await,
        "apply",
    );

    let page = app.get(&format!("/tasks/{task}"), Some(&merchant), Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("做过三个类似项目"), "the pitch is shown");
    for contact in ["lilei_2024", "138 1234 5678"] {
        assert!(!page.body.contains(contact), "{contact} reached the merchant before a choice");
    }
}

#[sqlx::test(migrations = false)]
async fn remote_images_in_a_task_description_become_links(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    flow::top_up(&app, &merchant, "800").await;
    let mut form = flow::task_form("800");
    form["form"]["description"] =
        json!("按设计稿实现页面：![设计稿](https://tracker.example/pixel.png)\n\n<img src=\"https://tracker.example/raw.gif\">");
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    flow::publish(&app, &merchant, task).await;

    let page = app.get(&format!("/tasks/{task}"), None, Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"href="https://tracker.example/pixel.png""#), "the image is offered as a link");
    assert!(!page.body.contains(r#"src="https://tracker.example"#), "no remote image is embedded");
}

#[sqlx::test(migrations = false)]
async fn pages_a_visitor_may_not_see_answer_403_and_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    let developer = app.logged_in_as("developer").await;
    let admin_page = app.get("/admin", Some(&developer), Some("zh-CN")).await;
    assert_eq!(admin_page.status, StatusCode::FORBIDDEN);
    assert!(admin_page.body.contains("role=\"alert\""), "the friendly panel is still shown");

    let missing = app.get(&format!("/tasks/{}", Uuid::now_v7()), None, Some("zh-CN")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let unknown_card = app.get("/u/nobody-here", None, Some("en")).await;
    assert_eq!(unknown_card.status, StatusCode::NOT_FOUND);
}
