//! The full-page cache for visitors who are not signed in (`server::page_cache`): kept pages are
//! the same bytes with the policy their scripts' nonce needs, per language and compression; signed-in
//! visitors and other pages never see it; a change visitors must see empties it on this process at
//! once and on another process sharing the database within a second.

use crate::common::{
    flow::{create_task, publish, seed_tags, top_up},
    spawn_app, TestApp,
};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use sqlx::PgPool;
use std::time::{Duration, Instant};

async fn visit(app: &TestApp, path: &str, language: &str, encoding: Option<&str>) -> crate::common::Reply {
    let mut request =
        Request::get(path).header(header::HOST, crate::common::HOST).header(header::ACCEPT_LANGUAGE, language);
    if let Some(encoding) = encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn source(reply: &crate::common::Reply) -> Option<&str> {
    reply.headers.get("x-page-cache").and_then(|value| value.to_str().ok())
}

fn nonce_of_policy(reply: &crate::common::Reply) -> String {
    let policy = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_string()
}

#[sqlx::test]
async fn a_visitor_gets_the_kept_page_with_the_policy_its_scripts_need(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = visit(&app, "/?q=rust", "zh-CN,zh;q=0.9", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(source(&first), Some("miss"));
    let again = visit(&app, "/?q=rust", "zh-CN,zh;q=0.9", None).await;
    assert_eq!(source(&again), Some("hit"));
    assert_eq!(again.body, first.body, "the same page");
    let nonce = nonce_of_policy(&again);
    assert!(again.body.contains(&format!("nonce=\"{nonce}\"")), "the kept scripts carry the kept policy's nonce");

    // Each language is its own page; the cookie wins over the browser's languages.
    let english = visit(&app, "/?q=rust", "en-US,en;q=0.9", None).await;
    assert_eq!(source(&english), Some("miss"));
    assert!(english.body.contains("lang=\"en\""), "English page");
    let mut by_cookie = Request::get("/?q=rust")
        .header(header::HOST, crate::common::HOST)
        .header(header::ACCEPT_LANGUAGE, "zh-CN")
        .header(header::COOKIE, "i18n_pref_locale=en");
    by_cookie = by_cookie.header(header::ACCEPT_ENCODING, "identity");
    let by_cookie = app.send(by_cookie.body(Body::empty()).unwrap()).await;
    assert_eq!(source(&by_cookie), Some("hit"));
    assert_eq!(by_cookie.body, english.body);

    // Brotli and gzip are the same page.
    let brotli = visit(&app, "/?q=rust", "zh-CN", Some("gzip, deflate, br")).await;
    assert_eq!(brotli.headers[header::CONTENT_ENCODING], "br");
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut std::io::Cursor::new(&brotli.bytes), &mut plain).unwrap();
    assert_eq!(String::from_utf8(plain).unwrap(), first.body);
    let gzip = visit(&app, "/?q=rust", "zh-CN", Some("gzip")).await;
    assert_eq!(gzip.headers[header::CONTENT_ENCODING], "gzip");
    assert!(gzip.bytes.len() < first.bytes.len() / 3, "compressed");
}

#[sqlx::test]
async fn signed_in_visitors_and_pages_of_their_own_are_never_kept(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, developer) = app.logged_in_user("developer").await;
    for _ in 0..2 {
        let hall = app.get("/", Some(&developer), None).await;
        assert_eq!(hall.status, StatusCode::OK);
        assert_eq!(source(&hall), None, "rendered for the signed-in user");
    }
    for path in ["/login", "/u/nobody-here"] {
        for _ in 0..2 {
            let reply = visit(&app, path, "zh-CN", Some("gzip")).await;
            assert_ne!(source(&reply), Some("hit"), "{path} is not kept");
        }
    }
    // A page that is not kept still goes out compressed.
    let missing = visit(&app, "/u/nobody-here", "zh-CN", Some("gzip")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers[header::CONTENT_ENCODING], "gzip");
}

#[sqlx::test]
async fn a_published_task_shows_at_once_here_and_within_a_second_on_another_process(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let other = spawn_app(pool).await;
    server::startup::spawn_cache_announcer(app.state.clone());
    server::live::spawn_live_announcements(other.state.clone());
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "300").await;
    // Both processes keep the hall without the task.
    for process in [&app, &other] {
        visit(process, "/", "zh-CN", None).await;
        assert_eq!(source(&visit(process, "/", "zh-CN", None).await), Some("hit"));
    }
    // Give the listener a moment to be listening before the change it must hear.
    tokio::time::sleep(Duration::from_millis(300)).await;
    publish(&app, &merchant, task).await;
    let link = format!("/tasks/{task}");
    assert!(visit(&app, "/", "zh-CN", None).await.body.contains(&link), "this process shows it at once");
    let published = Instant::now();
    loop {
        if visit(&other, "/", "zh-CN", None).await.body.contains(&link) {
            break;
        }
        assert!(published.elapsed() < Duration::from_secs(1), "the other process still shows the old hall");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[sqlx::test]
async fn a_developers_recommendations_are_worked_out_again_on_every_process(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let other = spawn_app(pool).await;
    server::startup::spawn_cache_announcer(app.state.clone());
    server::live::spawn_live_announcements(other.state.clone());
    let developer = uuid::Uuid::now_v7();
    let worked_out = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let recommend = || {
        let worked_out = worked_out.clone();
        other.state.recommendations.get(developer, move || async move {
            worked_out.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, ()>(vec![])
        })
    };
    recommend().await.unwrap();
    recommend().await.unwrap();
    assert_eq!(worked_out.load(std::sync::atomic::Ordering::SeqCst), 1, "kept on the other process");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The developer applies through the first process.
    app.state.recommendations_changed(developer).await;
    let changed = Instant::now();
    loop {
        recommend().await.unwrap();
        if worked_out.load(std::sync::atomic::Ordering::SeqCst) == 2 {
            break;
        }
        assert!(changed.elapsed() < Duration::from_secs(1), "the other process still recommends the old list");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads that may lag go to the replica unless the browser just wrote. The "replica" here is a
/// second database with the schema and nothing else, so where a page read from shows.
#[sqlx::test]
async fn an_author_reads_their_change_back_while_others_may_read_the_replica(pool: PgPool) {
    let name = format!("replica_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.unwrap();
    let replica = sqlx::postgres::PgPoolOptions::new()
        .connect_with((*pool.connect_options()).clone().database(&name))
        .await
        .unwrap();
    server::startup::migrate(&replica).await.unwrap();
    let app = crate::common::spawn_app_with_replica(pool.clone(), replica.clone()).await;
    seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "300").await;
    let task = create_task(&app, &merchant, "300").await;
    let published = app.call("/api/task/publish", &[("id", &task.to_string())], Some(&merchant)).await;
    let marker = published
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(app::api::access::WROTE_COOKIE));
    let marker = marker.expect("a signed-in write marks the browser").split(';').next().unwrap().to_string();
    crate::common::flow::approve_if_held(&app, task).await;
    let link = format!("/tasks/{task}");
    let author = format!("{merchant}; {marker}");
    assert!(app.get("/", Some(&author), Some("zh-CN")).await.body.contains(&link), "the author reads the primary");
    assert!(
        visit(&app, "/", "zh-CN", None).await.body.contains(&link),
        "right after a change everyone reads the primary, so no cache refills from a replica behind it"
    );
    tokio::time::sleep(app::state::REPLICA_CATCH_UP + Duration::from_millis(100)).await;
    assert!(!visit(&app, "/?page=1", "zh-CN", None).await.body.contains(&link), "then a visitor reads the replica");
    assert!(!app.get("/", Some(&merchant), Some("zh-CN")).await.body.contains(&link), "so does the author, unmarked");
    assert!(app.get("/", Some(&author), Some("zh-CN")).await.body.contains(&link), "while marked, the primary");
    replica.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&pool).await.unwrap();
}
