//! A developer's portfolio (issue 28, item 6): items made, changed, reordered and deleted through
//! the profile page's server functions; the twelve-item limit; images checked by content and size;
//! links checked; finished tasks pinned by their developer only, once; the resume card showing it
//! all (and nothing once the card is hidden), its images served as images, and user text inert.

use crate::common::{flow, spawn_app, Reply, TestApp};

use axum::http::{header, StatusCode};
use sqlx::PgPool;
use uuid::Uuid;

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";

async fn save(app: &TestApp, cookie: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Reply {
    app.call_multipart("/api/portfolio/save", fields, files, Some(cookie)).await
}

/// A new item titled `title`, with a role, a Markdown description, a link and the tag `rust`.
async fn add(app: &TestApp, cookie: &str, title: &str, files: &[(&str, &[u8])]) -> Reply {
    let fields = [
        ("item", ""),
        ("title", title),
        ("role", "独立开发"),
        ("description", "**点单**与支付"),
        ("link", "https://example.cn/coffee"),
        ("tags", "rust"),
    ];
    save(app, cookie, &fields, files).await
}

/// (id, title) of `developer`'s items in their order.
async fn items(app: &TestApp, developer: Uuid) -> Vec<(Uuid, String)> {
    sqlx::query_as("SELECT id, title FROM portfolio_items WHERE developer_id = $1 ORDER BY position, id")
        .bind(developer)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn images_of(app: &TestApp, item: Uuid) -> Vec<Uuid> {
    sqlx::query_scalar("SELECT id FROM portfolio_images WHERE item_id = $1 ORDER BY id")
        .bind(item)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn image_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM portfolio_images").fetch_one(&app.pool).await.unwrap()
}

fn refused(reply: &Reply, field: &str, problem: &str) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.field_errors(), vec![(field.to_string(), problem.to_string())], "{}", reply.body);
}

async fn move_item(app: &TestApp, cookie: &str, item: Uuid, direction: &str) -> Reply {
    app.call("/api/portfolio/move", &[("item", &item.to_string()), ("direction", direction)], Some(cookie)).await
}

#[sqlx::test(migrations = false)]
async fn items_are_created_edited_reordered_and_deleted(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    for title in ["咖啡店小程序", "销售看板", "官网改版"] {
        flow::ok(&add(&app, &cookie, title, &[("shot.png", PNG)]).await, "add");
    }
    let listed = items(&app, developer).await;
    let titles: Vec<&str> = listed.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles, ["咖啡店小程序", "销售看板", "官网改版"]);
    let (first, second, third) = (listed[0].0, listed[1].0, listed[2].0);
    let old_image = images_of(&app, first).await[0];

    // Edit: new text and tags, one image removed, two added.
    let (id, old) = (first.to_string(), old_image.to_string());
    let fields = [
        ("item", id.as_str()),
        ("title", "咖啡店小程序 2.0"),
        ("role", "后端负责人"),
        ("description", ""),
        ("link", ""),
        ("tags", "vue"),
        ("tags", "rust"),
        ("remove_images", old.as_str()),
    ];
    flow::ok(&save(&app, &cookie, &fields, &[("a.gif", GIF), ("b.png", PNG)]).await, "edit");
    let (title, role, link): (String, String, Option<String>) =
        sqlx::query_as("SELECT title, role, link FROM portfolio_items WHERE id = $1")
            .bind(first)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((title.as_str(), role.as_str(), link), ("咖啡店小程序 2.0", "后端负责人", None));
    let kept = images_of(&app, first).await;
    assert_eq!(kept.len(), 2);
    assert!(!kept.contains(&old_image), "the removed image is gone");
    let types: Vec<String> =
        sqlx::query_scalar("SELECT content_type FROM portfolio_images WHERE item_id = $1 ORDER BY id")
            .bind(first)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(types, ["image/gif", "image/png"], "stored as what the content is");

    // Up and down, and nothing past either end.
    flow::ok(&move_item(&app, &cookie, third, "up").await, "move up");
    flow::ok(&move_item(&app, &cookie, first, "up").await, "move the first up");
    let order: Vec<Uuid> = items(&app, developer).await.into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, [first, third, second]);
    flow::ok(&move_item(&app, &cookie, first, "down").await, "move down");
    let order: Vec<Uuid> = items(&app, developer).await.into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, [third, first, second]);
    refused(&move_item(&app, &cookie, first, "sideways").await, "portfolio", "not_allowed");

    // Another developer can neither change, move nor delete these.
    let (_, stranger) = app.logged_in_user("developer").await;
    let hijack = [("item", id.as_str()), ("title", "偷来的"), ("role", ""), ("description", ""), ("link", "")];
    assert_eq!(save(&app, &stranger, &hijack, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(move_item(&app, &stranger, first, "up").await.status, StatusCode::NOT_FOUND);
    let stolen = app.call("/api/portfolio/delete", &[("item", &id)], Some(&stranger)).await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);
    let merchant = app.logged_in_as("merchant").await;
    assert_eq!(add(&app, &merchant, "商家的作品", &[]).await.status, StatusCode::FORBIDDEN);

    flow::ok(&app.call("/api/portfolio/delete", &[("item", &second.to_string())], Some(&cookie)).await, "delete");
    let order: Vec<Uuid> = items(&app, developer).await.into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, [third, first]);
    assert_eq!(image_count(&app).await, 3, "the deleted item's image went with it");

    // The owner's page lists them, and `?edit=` opens one item's form with what it holds.
    let page = app.get(&format!("/profile?edit={first}"), Some(&cookie), Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-testid="portfolio-section""#));
    assert!(page.body.contains(r#"value="咖啡店小程序 2.0""#), "the edited item's form");
    assert!(page.body.contains(&format!(r#"value="{first}""#)), "the form names its item");
}

#[sqlx::test(migrations = false)]
async fn the_thirteenth_item_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let fixture = app.finished_task("now() - interval '3 days'").await;
    let cookie = &fixture.developer_cookie;
    for n in 1..=12 {
        flow::ok(&add(&app, cookie, &format!("作品 {n}"), &[]).await, "add");
    }
    refused(&add(&app, cookie, "第十三项", &[("x.png", PNG)]).await, "portfolio", "too_many");
    let pin = app.call("/api/portfolio/pin", &[("task", &fixture.task.to_string())], Some(cookie)).await;
    refused(&pin, "portfolio", "too_many");
    assert_eq!(items(&app, fixture.developer).await.len(), 12);
    assert_eq!(image_count(&app).await, 0, "the refused item's image was not kept");
    let page = app.get("/profile", Some(cookie), Some("en")).await;
    assert!(page.body.contains(r#"data-testid="portfolio-full""#), "the page says the portfolio is full");
}

#[sqlx::test(migrations = false)]
async fn images_are_checked_by_content_and_size(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;

    // A text file named like an image, and an SVG (which could carry script), are not images.
    refused(&add(&app, &cookie, "假图片", &[("photo.png", b"just some text, honest")]).await, "files", "not_an_image");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    refused(&add(&app, &cookie, "矢量图", &[("logo.svg", svg)]).await, "files", "not_an_image");
    // A real PNG header followed by more than 5 MB.
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    refused(&add(&app, &cookie, "大图", &[("big.png", &big)]).await, "files", "file_too_large");
    let four = [("1.png", PNG), ("2.png", PNG), ("3.png", PNG), ("4.png", PNG)];
    refused(&add(&app, &cookie, "四张图", &four).await, "files", "too_many");
    assert!(items(&app, developer).await.is_empty(), "no item was written");
    assert_eq!(image_count(&app).await, 0);

    // An item with three images takes no fourth on edit, and a refused edit changes nothing.
    flow::ok(&add(&app, &cookie, "三张图", &[("1.png", PNG), ("2.png", PNG), ("3.png", PNG)]).await, "add");
    let item = items(&app, developer).await[0].0.to_string();
    let edit = [("item", item.as_str()), ("title", "改了标题"), ("role", ""), ("description", ""), ("link", "")];
    refused(&save(&app, &cookie, &edit, &[("4.png", PNG)]).await, "files", "too_many");
    refused(&save(&app, &cookie, &edit, &[("fake.jpg", b"MZ\x90\x00 not a jpeg")]).await, "files", "not_an_image");
    assert_eq!(items(&app, developer).await[0].1, "三张图", "the refused edit wrote nothing");
    assert_eq!(image_count(&app).await, 3);
}

#[sqlx::test(migrations = false)]
async fn bad_links_and_text_bounds_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    for link in
        ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.cn/a", "//evil.example"]
    {
        let fields = [("item", ""), ("title", "带链接的作品"), ("link", link)];
        refused(&save(&app, &cookie, &fields, &[]).await, "link", "not_allowed");
    }
    refused(&save(&app, &cookie, &[("item", ""), ("title", "")], &[]).await, "title", "required");
    let long_role = "长".repeat(31);
    let fields = [("item", ""), ("title", "作品"), ("role", long_role.as_str())];
    refused(&save(&app, &cookie, &fields, &[]).await, "role", "too_long");
    let fields = [("item", ""), ("title", "作品"), ("tags", "no-such-tag")];
    refused(&save(&app, &cookie, &fields, &[]).await, "tags", "not_allowed");
    assert!(items(&app, developer).await.is_empty());
}

#[sqlx::test(migrations = false)]
async fn a_finished_task_is_pinned_once_and_only_by_its_developer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let fixture = app.finished_task("now() - interval '3 days'").await;
    let task = fixture.task.to_string();
    let pin = |cookie: String, task: String| {
        let app = app.clone();
        async move { app.call("/api/portfolio/pin", &[("task", &task)], Some(&cookie)).await }
    };

    let (_, other) = app.logged_in_user("developer").await;
    refused(&pin(other.clone(), task.clone()).await, "pinned_task", "not_your_finished_task");
    refused(&pin(other, Uuid::now_v7().to_string()).await, "pinned_task", "not_your_finished_task");

    flow::ok(&pin(fixture.developer_cookie.clone(), task.clone()).await, "pin");
    let (title, task_id, tags): (String, Option<Uuid>, Vec<String>) = sqlx::query_as(
        "SELECT i.title, i.task_id, ARRAY(SELECT s.slug FROM portfolio_item_tags t JOIN skill_tags s ON s.id = t.tag_id
                                         WHERE t.item_id = i.id ORDER BY s.slug)
         FROM portfolio_items i WHERE i.developer_id = $1",
    )
    .bind(fixture.developer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), task_id, tags),
        ("订单数据分析看板", Some(fixture.task), vec!["data".into(), "rust".into()])
    );
    refused(&pin(fixture.developer_cookie.clone(), task).await, "pinned_task", "already_pinned");
    assert_eq!(items(&app, fixture.developer).await.len(), 1);

    // A task still in progress is not finished work yet.
    let (_, developer, developer_cookie, unfinished, _) = flow::task_in_progress(&app, "800").await;
    refused(&pin(developer_cookie, unfinished.to_string()).await, "pinned_task", "not_your_finished_task");
    assert!(items(&app, developer).await.is_empty());
}

#[sqlx::test(migrations = false)]
async fn the_card_shows_the_portfolio_and_hides_it_with_the_card(pool: PgPool) {
    let app = spawn_app(pool).await;
    let fixture = app.finished_task("now() - interval '3 days'").await;
    let cookie = &fixture.developer_cookie;
    let pinned = app.call("/api/portfolio/pin", &[("task", &fixture.task.to_string())], Some(cookie)).await;
    flow::ok(&pinned, "pin");
    flow::ok(&add(&app, cookie, "连锁咖啡店小程序", &[("shot.png", PNG)]).await, "add");
    let item = items(&app, fixture.developer).await[1].0;
    let image = images_of(&app, item).await[0];

    let card = app.get(&format!("/u/{}", fixture.handle), None, Some("zh-CN")).await;
    assert_eq!(card.status, StatusCode::OK);
    let html = &card.body;
    assert!(html.contains(r#"data-testid="resume-portfolio""#));
    assert!(html.contains("连锁咖啡店小程序") && html.contains("独立开发"));
    assert!(html.contains("<strong>点单</strong>"), "the description is rendered Markdown");
    assert!(html.contains("平台验证"), "the pinned task carries the verified mark");
    assert!(html.contains(&format!(r#"href="/verify/task/{}""#, fixture.task)));
    assert!(html.contains(&format!(r#"src="/portfolio/images/{image}""#)), "the image as a thumbnail");
    assert!(html.contains(r#"href="https://example.cn/coffee""#));
    let english = app.get(&format!("/u/{}", fixture.handle), None, Some("en")).await;
    assert!(english.body.contains("Verified on CodeLink"));

    let served = app.get(&format!("/portfolio/images/{image}"), None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(served.bytes, PNG);

    // Hidden card: no card, no images for anyone but the owner.
    let hide = [("settings[handle]", fixture.handle.as_str())];
    flow::ok(&app.call("/api/profile/card", &hide, Some(cookie)).await, "hide the card");
    assert_eq!(app.get(&format!("/u/{}", fixture.handle), None, Some("zh-CN")).await.status, StatusCode::NOT_FOUND);
    let hidden = app.get(&format!("/portfolio/images/{image}"), None, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let stranger = app.logged_in_as("merchant").await;
    let hidden = app.get(&format!("/portfolio/images/{image}"), Some(&stranger), None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let own = app.get(&format!("/portfolio/images/{image}"), Some(cookie), None).await;
    assert_eq!(own.status, StatusCode::OK, "the owner still sees their own images on /profile");
    assert_eq!(
        app.get(&format!("/portfolio/images/{}", Uuid::now_v7()), None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn a_summary_gives_two_items_of_each_public_developer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let fixture = app.finished_task("now() - interval '3 days'").await;
    let cookie = &fixture.developer_cookie;
    flow::ok(&app.call("/api/portfolio/pin", &[("task", &fixture.task.to_string())], Some(cookie)).await, "pin");
    flow::ok(&add(&app, cookie, "第二项", &[("shot.png", PNG)]).await, "add");
    flow::ok(&add(&app, cookie, "第三项", &[]).await, "add");
    let (hidden, hidden_cookie) = app.logged_in_user("developer").await;
    flow::ok(&add(&app, &hidden_cookie, "看不见的作品", &[]).await, "add");
    sqlx::query("UPDATE users SET card_public = false WHERE id = $1").bind(hidden).execute(&app.pool).await.unwrap();
    let (empty, _) = app.logged_in_user("developer").await;

    let mut conn = app.pool.acquire().await.unwrap();
    let summary = app::db::portfolio::portfolio_summary(&mut conn, &[fixture.developer, hidden, empty]).await.unwrap();
    assert_eq!(summary.len(), 1, "only the public developer with items: {summary:?}");
    let glimpse = &summary[&fixture.developer];
    assert_eq!(glimpse.len(), 2);
    assert_eq!(
        (glimpse[0].title.as_str(), glimpse[0].verified, glimpse[0].image_url.is_none()),
        ("订单数据分析看板", true, true)
    );
    assert_eq!(glimpse[1].title, "第二项");
    assert!(!glimpse[1].verified);
    assert!(glimpse[1].image_url.as_deref().is_some_and(|url| url.starts_with("/portfolio/images/")));
}

/// User text stays text on the card (as `inert_text.rs` checks for names): the title in a
/// heading and an image's alt text, the role, and the Markdown description through the cleaner.
#[sqlx::test(migrations = false)]
async fn a_hostile_portfolio_stays_text_on_the_card(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let text = [
        ("item", ""),
        ("title", "</title><svg onload=alert(1)>"),
        ("role", "\"><script>alert(2)</script>"),
        ("description", "正文<script>alert(3)</script><img src=x onerror=alert(4)>[x](javascript:alert(5))</textarea>"),
    ];
    let breakout = [&text[..], &[("link", "https://example.cn/\"><script>alert(6)</script>")]].concat();
    refused(&save(&app, &cookie, &breakout, &[]).await, "link", "not_allowed");
    let fields = [&text[..], &[("link", "https://example.cn/hostile")]].concat();
    flow::ok(&save(&app, &cookie, &fields, &[("shot.png", PNG)]).await, "save the hostile item");
    let handle: String = sqlx::query_scalar("SELECT handle FROM users WHERE id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    for language in ["zh-CN", "en"] {
        let page = app.get(&format!("/u/{handle}"), None, Some(language)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("&lt;/title&gt;&lt;svg onload=alert(1)&gt;"), "the title is shown as text");
        for live in ["<svg onload", "<script>alert(2)", "<script>alert(3)", "onerror=alert(4)", "javascript:alert(5)"] {
            assert!(!page.body.contains(live), "{live} reached the {language} card as markup");
        }
    }
    let form =
        app.get(&format!("/profile?edit={}", items(&app, developer).await[0].0), Some(&cookie), Some("zh-CN")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("&lt;/textarea&gt;"), "the description is text in its box");
    assert!(!form.body.contains("<img src=x onerror"), "the description closed its textarea");
}

/// Without JavaScript the form posts itself: a refused image comes back to the form (the error in
/// the address), and the field's message is shown under it in the reader's language.
#[sqlx::test(migrations = false)]
async fn a_refused_upload_comes_back_to_the_form_with_its_message(pool: PgPool) {
    use axum::{body::Body, http::Request};
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    const BOUNDARY: &str = "----portfolio-form";
    let mut body = Vec::new();
    for (name, value) in [("item", ""), ("title", "截图")] {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"shot.png\"\r\nContent-Type: image/png\r\n\r\nnot a picture\r\n--{BOUNDARY}--\r\n")
            .bytes(),
    );
    for (language, message) in
        [("zh-CN", "只能上传 PNG、JPEG、WebP 或 GIF 图片"), ("en", "Only PNG, JPEG, WebP or GIF images")]
    {
        let request = Request::post("/api/portfolio/save")
            .header(header::HOST, crate::common::HOST)
            .header(header::ORIGIN, crate::common::ORIGIN)
            .header(header::REFERER, format!("{}/profile", crate::common::ORIGIN))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(body.clone()))
            .unwrap();
        let posted = app.send(request).await;
        assert!(posted.status.is_redirection(), "{} {}", posted.status, posted.body);
        let back =
            posted.headers[header::LOCATION].to_str().unwrap().trim_start_matches(crate::common::ORIGIN).to_string();
        assert!(back.starts_with("/profile?") && back.contains("__err="), "{back}");
        let page = app.get(&back, Some(&cookie), Some(language)).await;
        assert!(page.body.contains(message), "{language}: the message is under the form");
    }
    assert!(items(&app, developer).await.is_empty());
}
