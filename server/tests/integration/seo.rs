//! What search engines, link previews and the installed app fetch (issue 29): robots.txt, the
//! sitemaps (an open task listed, a draft and a hidden card not; absolute addresses; paging), the
//! description, canonical address and JSON-LD of public pages with hostile text, the card's PNG
//! preview with its ETag, the manifest, the service worker and the offline page; every one with
//! the security headers.

use crate::common::{flow, spawn_app, Reply, TestApp, ORIGIN};

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use sqlx::PgPool;
use uuid::Uuid;

async fn fetch(app: &TestApp, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut request = Request::get(path).header(header::HOST, crate::common::HOST);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn assert_security_headers(reply: &Reply, what: &str) {
    for name in ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"] {
        assert!(reply.headers.contains_key(name), "{what} lacks {name}");
    }
}

fn content_type(reply: &Reply) -> &str {
    reply.headers[header::CONTENT_TYPE].to_str().unwrap()
}

/// The `content` of `<meta name=…>` / `<meta property=…>`, or the `href` of `<link rel=…>`.
fn attribute_after<'a>(html: &'a str, marker: &str, attribute: &str) -> Option<&'a str> {
    let at = html.find(marker)?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let value_start = tag.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    Some(&tag[value_start..value_start + tag[value_start..].find('"')?])
}

/// The page's JSON-LD block: its text has no `<` at all (so nothing in it can close the script),
/// and it parses.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find(r#"<script type="application/ld+json""#).expect("a JSON-LD block");
    let body_start = start + html[start..].find('>').unwrap() + 1;
    let body = &html[body_start..body_start + html[body_start..].find("</script>").unwrap()];
    assert!(!body.contains('<'), "{body}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON-LD ({e}): {body}"))
}

#[sqlx::test(migrations = false)]
async fn robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(pool: PgPool) {
    let app = spawn_app(pool).await;
    let robots = fetch(&app, "/robots.txt", &[]).await;
    assert_eq!(robots.status, StatusCode::OK);
    assert_eq!(content_type(&robots), "text/plain; charset=utf-8");
    for rule in [
        "User-agent: *",
        "Disallow: /admin",
        "Disallow: /api/",
        "Disallow: /me$",
        "Disallow: /wallet",
        "Disallow: /profile",
        "Disallow: /security",
        "Disallow: /sandbox",
    ] {
        assert!(robots.body.contains(&format!("{rule}\n")), "missing {rule}: {}", robots.body);
    }
    assert!(robots.body.contains(&format!("Sitemap: {ORIGIN}/sitemap.xml\n")), "{}", robots.body);
    assert_security_headers(&robots, "robots.txt");
}

#[sqlx::test(migrations = false)]
async fn the_sitemap_lists_open_tasks_and_public_cards_only_with_absolute_addresses(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    flow::top_up(&app, &merchant, "800").await;
    let open = flow::create_task(&app, &merchant, "300").await;
    flow::publish(&app, &merchant, open).await;
    let draft = flow::create_task(&app, &merchant, "300").await;
    let (shown, _) = app.create_account("developer").await;
    let (hidden, _) = app.create_account("developer").await;
    sqlx::query("UPDATE users SET card_public = (id = $1) WHERE id IN ($1, $2)")
        .bind(shown)
        .bind(hidden)
        .execute(&app.pool)
        .await
        .unwrap();
    let handle = |id: Uuid| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT handle FROM users WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (shown_handle, hidden_handle) = (handle(shown).await, handle(hidden).await);

    let index = fetch(&app, "/sitemap.xml", &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(content_type(&index), "application/xml; charset=utf-8");
    assert!(index.body.starts_with("<?xml") && index.body.contains("<sitemapindex"), "{}", index.body);
    for kind in ["pages", "tasks", "cards", "posts", "courses"] {
        assert!(index.body.contains(&format!("<loc>{ORIGIN}/sitemaps/{kind}-1.xml</loc>")), "{kind}: {}", index.body);
    }
    assert!(!index.body.contains("tasks-2.xml"), "one file holds 50,000 addresses");
    assert_security_headers(&index, "sitemap.xml");

    let tasks = fetch(&app, "/sitemaps/tasks-1.xml", &[]).await;
    assert_eq!(tasks.status, StatusCode::OK);
    assert!(tasks.body.contains(&format!("<url><loc>{ORIGIN}/tasks/{open}</loc><lastmod>")), "{}", tasks.body);
    assert!(!tasks.body.contains(&draft.to_string()), "a draft is not public");
    let cards = fetch(&app, "/sitemaps/cards-1.xml", &[]).await;
    assert!(cards.body.contains(&format!("<loc>{ORIGIN}/u/{shown_handle}</loc>")), "{}", cards.body);
    assert!(!cards.body.contains(&format!("/u/{hidden_handle}<")), "a hidden card is never listed");
    let pages = fetch(&app, "/sitemaps/pages-1.xml", &[]).await;
    assert!(
        pages.body.contains(&format!("<loc>{ORIGIN}/</loc>"))
            && pages.body.contains(&format!("<loc>{ORIGIN}/community</loc>"))
    );
    // Past the last file, and names that are not files.
    for missing in ["/sitemaps/tasks-2.xml", "/sitemaps/tasks-0.xml", "/sitemaps/users-1.xml"] {
        assert_eq!(fetch(&app, missing, &[]).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[sqlx::test(migrations = false)]
async fn a_hostile_task_title_stays_text_in_the_description_canonical_and_json_ld(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    flow::top_up(&app, &merchant, "300").await;
    let task = flow::create_task(&app, &merchant, "300").await;
    flow::publish(&app, &merchant, task).await;
    let hostile = "</script><script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    sqlx::query("UPDATE tasks SET title = $2, description = $3 WHERE id = $1")
        .bind(task)
        .bind(hostile)
        .bind(format!("说明 {hostile}"))
        .execute(&app.pool)
        .await
        .unwrap();

    for language in ["zh-CN", "en"] {
        let page = app.get(&format!("/tasks/{task}"), None, Some(language)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.body;
        for live in ["<script>alert(1)", "<img src=x onerror"] {
            assert!(!html.contains(live), "{live} reached the {language} task page as markup");
        }
        assert_eq!(
            attribute_after(html, r#"rel="canonical""#, "href"),
            Some(format!("{ORIGIN}/tasks/{task}").as_str())
        );
        assert_eq!(
            attribute_after(html, r#"property="og:url""#, "content"),
            Some(format!("{ORIGIN}/tasks/{task}").as_str())
        );
        let description = attribute_after(html, r#"name="description""#, "content").expect("a description");
        assert!(description.starts_with("说明 "), "{description}");
        // The JSON-LD parses back to the title, which could not close its script.
        let posting = json_ld(html);
        assert_eq!(posting["@type"], "JobPosting");
        assert_eq!(posting["title"], hostile);
        assert_eq!(posting["url"], format!("{ORIGIN}/tasks/{task}"));
        assert_eq!(posting["baseSalary"]["currency"], "CNY");
        assert_eq!(posting["baseSalary"]["value"]["value"], 300.0);
        assert!(posting["datePosted"].as_str().is_some_and(|d| d.len() == 10), "{posting}");
        // The title goes through the root's escaping too.
        assert!(
            html.contains("<title>CodeLink · &lt;/script&gt;")
                || html.contains("&lt;/script&gt;&lt;script&gt;alert(1)")
        );
    }
}

#[sqlx::test(migrations = false)]
async fn a_public_card_is_a_profile_page_with_an_absolute_preview_in_the_readers_language(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (developer, _) = app.create_account("developer").await;
    let handle: String = sqlx::query_scalar(
        "UPDATE users SET display_name = '</script><b>x</b>', card_public = true WHERE id = $1 RETURNING handle",
    )
    .bind(developer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let english = app.get(&format!("/u/{handle}"), None, Some("en")).await;
    assert_eq!(english.status, StatusCode::OK);
    let html = &english.body;
    let page = format!("{ORIGIN}/u/{handle}");
    assert_eq!(attribute_after(html, r#"rel="canonical""#, "href"), Some(page.as_str()));
    assert_eq!(
        attribute_after(html, r#"property="og:image""#, "content"),
        Some(format!("{page}/card.png?lang=en").as_str())
    );
    let profile = json_ld(html);
    assert_eq!(profile["@type"], "ProfilePage");
    assert_eq!(profile["mainEntity"]["name"], "</script><b>x</b>");
    assert_eq!(profile["url"], page);
    assert!(html.contains(r#""name":"\u003c/script\u003e\u003cb\u003ex\u003c/b\u003e""#));
    // The embed snippets: absolute, and a link to the page.
    let text = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    assert!(text.contains(&format!("[![CodeLink]({page}/card.svg)]({page})")), "the Markdown snippet");
    assert!(text.contains(&format!("<a href=\"{page}\"><img src=\"{page}/card.svg\"")), "the HTML snippet");
    let chinese = app.get(&format!("/u/{handle}"), None, Some("zh-CN")).await;
    assert_eq!(
        attribute_after(&chinese.body, r#"property="og:image""#, "content"),
        Some(format!("{page}/card.png?lang=zh").as_str())
    );

    // A hidden card says nothing.
    sqlx::query("UPDATE users SET card_public = false WHERE id = $1").bind(developer).execute(&app.pool).await.unwrap();
    assert_eq!(fetch(&app, &format!("/u/{handle}/card.png"), &[]).await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn the_card_png_is_an_image_cached_by_its_etag(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, _) = app.create_account("developer").await;
    let handle: String = sqlx::query_scalar("UPDATE users SET card_public = true WHERE id = $1 RETURNING handle")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path = format!("/u/{handle}/card.png?lang=en");
    let png = fetch(&app, &path, &[]).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(content_type(&png), "image/png");
    assert_eq!(&png.bytes[1..4], b"PNG");
    assert!(png.headers[header::CACHE_CONTROL].to_str().unwrap().starts_with("public"));
    assert_security_headers(&png, "card.png");
    let etag = png.headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(fetch(&app, &path, &[(header::IF_NONE_MATCH, &etag)]).await.status, StatusCode::NOT_MODIFIED);
    let svg = fetch(&app, &format!("/u/{handle}/card.svg?lang=en"), &[]).await;
    assert_ne!(svg.headers[header::ETAG].to_str().unwrap(), etag, "the SVG and the PNG are two files");
}

#[sqlx::test(migrations = false)]
async fn the_app_installs_from_its_manifest_worker_and_offline_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let manifest = fetch(&app, "/manifest.webmanifest", &[]).await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(content_type(&manifest), "application/manifest+json; charset=utf-8");
    let zh = manifest.json();
    assert_eq!(zh["lang"], "zh-CN");
    assert_eq!(zh["display"], "standalone");
    assert_eq!(zh["start_url"].as_str().map(|s| s.starts_with('/')), Some(true));
    for field in ["name", "short_name", "theme_color", "background_color"] {
        assert!(zh[field].as_str().is_some_and(|v| !v.is_empty()), "{field}");
    }
    let icons = zh["icons"].as_array().unwrap();
    for (size, purpose) in [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")] {
        let icon = icons.iter().find(|i| i["sizes"] == size && i["purpose"] == purpose).expect("an icon");
        // The build copies public/ to the site root the server serves files from.
        let file = format!("{}/../public{}", env!("CARGO_MANIFEST_DIR"), icon["src"].as_str().unwrap());
        assert!(std::path::Path::new(&file).exists(), "{file}");
    }
    assert_security_headers(&manifest, "the manifest");
    let en = fetch(&app, "/manifest.webmanifest?lang=en", &[]).await.json();
    assert_eq!(en["lang"], "en");
    assert_ne!(en["name"], zh["name"]);
    let by_cookie = fetch(&app, "/manifest.webmanifest", &[(header::COOKIE, "i18n_pref_locale=en")]).await.json();
    assert_eq!(by_cookie["lang"], "en");

    let worker = fetch(&app, "/sw.js", &[]).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert_eq!(content_type(&worker), "text/javascript; charset=utf-8");
    assert!(worker.body.contains("caches.match(\"/offline\")") && worker.body.contains("/api/"));
    assert_security_headers(&worker, "sw.js");

    let offline = fetch(&app, "/offline", &[]).await;
    assert_eq!(offline.status, StatusCode::OK);
    assert!(content_type(&offline).starts_with("text/html"));
    assert!(offline.body.contains("暂时无法连接") && offline.body.contains("You are offline"));
    assert!(!offline.body.contains("<script"), "the offline page runs nothing");
    assert_security_headers(&offline, "the offline page");

    // Every page links the manifest in its language and registers the worker with the nonce.
    let hall = app.get("/", None, Some("en")).await;
    assert_eq!(attribute_after(&hall.body, r#"rel="manifest""#, "href"), Some("/manifest.webmanifest?lang=en"));
    let policy = hall.headers["content-security-policy"].to_str().unwrap();
    let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(
        hall.body.contains(&format!("<script nonce=\"{nonce}\">if('serviceWorker' in navigator)")),
        "registration script"
    );
    assert_eq!(attribute_after(&hall.body, r#"rel="canonical""#, "href"), Some(format!("{ORIGIN}/").as_str()));
}
