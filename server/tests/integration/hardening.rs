//! The server's edges (issue 26): security headers on every response with the page's script nonce,
//! bad bodies answered with the app's JSON error, the origin check against the configured public
//! URL, client addresses from trusted proxies only, and the sandbox only in demo mode.

use crate::common::{spawn_app, spawn_app_with, Reply, TestApp, HOST, ORIGIN};
use app::state::Mode;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use server::guard::SiteOrigin;
use sqlx::PgPool;
use tower::ServiceExt;

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The headers issue 26 asks for, on any response.
fn assert_hardened(reply: &Reply, what: &str) {
    let policy = header(reply, "content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'nonce-",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
    ] {
        assert!(policy.contains(part), "{what}: CSP lacks {part}: {policy:?}");
    }
    let scripts = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).unwrap_or_default();
    assert!(!scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"), "{what}: {policy}");
    // Scripts by nonce, plus the build's own directory (for leptos's modulepreload link), not 'self'.
    assert!(scripts.ends_with(" http://127.0.0.1:3000/pkg/ http://localhost:3000/pkg/"), "{what}: {policy}");
    assert!(!scripts.contains("'self'"), "{what}: {policy}");
    assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(reply, "referrer-policy"), "strict-origin-when-cross-origin", "{what}");
    assert_eq!(header(reply, "x-frame-options"), "DENY", "{what}");
    assert!(header(reply, "permissions-policy").contains("camera=()"), "{what}");
    assert!(reply.headers.get("strict-transport-security").is_none(), "{what}: no HSTS over http");
}

/// The nonce a response's policy allows scripts with.
fn policy_nonce(reply: &Reply) -> String {
    let policy = header(reply, "content-security-policy");
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_string()
}

#[sqlx::test]
async fn every_kind_of_response_carries_the_security_headers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let page = app.get("/login", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_hardened(&page, "a page");
    assert_hardened(&app.call("/api/current_user", &[], None).await, "a server function");
    let refused = app.call("/api/wallet", &[], None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_hardened(&refused, "a server function's error");
    let missing = app.get("/no/such/page", None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_hardened(&missing, "the 404 page");

    // The card image stays embeddable as an <img> on other sites: no same-origin resource policy.
    let record = app.finished_task("now()").await;
    let card = app.get(&format!("/u/{}/card.svg", record.handle), None, None).await;
    assert_eq!(card.status, StatusCode::OK);
    assert_hardened(&card, "card.svg");
    assert!(card.headers.get("cross-origin-resource-policy").is_none());

    // An event stream: its headers arrive before any event (the stream itself never ends).
    let request = Request::get("/notifications/live")
        .header(header::HOST, HOST)
        .header(header::COOKIE, &record.developer_cookie)
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))))
        .body(Body::empty())
        .unwrap();
    let stream = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(stream.headers()[header::CONTENT_TYPE], "text/event-stream");
    assert!(stream.headers().contains_key("content-security-policy"));
    assert_eq!(stream.headers()["x-content-type-options"], "nosniff");
}

#[sqlx::test]
async fn the_pages_scripts_carry_the_nonce_its_policy_names(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in ["/login", "/", "/no/such/page"] {
        let page = app.get(path, None, None).await;
        let nonce = policy_nonce(&page);
        assert!(nonce.len() >= 16, "{path}: a nonce of 128 bits: {nonce:?}");
        // Every script that can run carries it. leptos_i18n leaves an empty `<script></script>` as
        // a placeholder: a browser never runs (or reports) a script with no source text.
        let scripts: Vec<&str> =
            page.body.split("<script").skip(1).filter(|tag| !tag.starts_with("></script>")).collect();
        assert!(!scripts.is_empty(), "{path}: the islands loader is on the page");
        for script in scripts {
            let tag = script.split('>').next().unwrap();
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: <script{tag}> lacks the nonce {nonce}");
        }
        assert!(!page.body.contains(" onclick=") && !page.body.contains(" onload="), "{path}: no inline handlers");
    }
    let (first, second) = (app.get("/login", None, None).await, app.get("/login", None, None).await);
    assert_ne!(policy_nonce(&first), policy_nonce(&second), "a fresh nonce per response");
}

/// A server function call with a raw body and content type.
async fn post_raw(app: &TestApp, path: &str, content_type: Option<&str>, body: Body, cookie: Option<&str>) -> Reply {
    let mut builder = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT, "application/json");
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    app.send(builder.body(body).unwrap()).await
}

fn assert_json_error(reply: &Reply, status: StatusCode, code: &str, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert_eq!(header(reply, "content-type"), "application/json", "{what}");
    assert_eq!(reply.json()["code"], code, "{what}: {}", reply.body);
}

#[sqlx::test]
async fn malformed_bodies_get_the_apps_json_error(pool: PgPool) {
    let app = spawn_app(pool).await;
    let developer = app.logged_in_as("developer").await;
    let body = || Body::from("--x\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\n{}\r\n--x--\r\n");
    // Multipart without a boundary: leptos's decoder would panic and drop the connection.
    for (path, cookie) in [
        ("/api/credentials/check", None),
        ("/api/task/deliver", Some(developer.as_str())),
        ("/api/task/messages/send", Some(developer.as_str())),
    ] {
        let reply = post_raw(&app, path, Some("multipart/form-data"), body(), cookie).await;
        assert_json_error(&reply, StatusCode::BAD_REQUEST, "request", &format!("{path} without a boundary"));
        let reply =
            post_raw(&app, path, Some("application/x-www-form-urlencoded"), Body::from("document=%7B%7D"), cookie)
                .await;
        assert_json_error(&reply, StatusCode::BAD_REQUEST, "request", &format!("{path} as a form"));
    }
    for content_type in [Some("text/plain"), Some("application/xml"), None] {
        let reply = post_raw(&app, "/api/current_user", content_type, Body::from("x"), None).await;
        assert_json_error(&reply, StatusCode::BAD_REQUEST, "request", &format!("{content_type:?}"));
    }
    // A body within the limit with a good boundary still works.
    let good = post_raw(&app, "/api/credentials/check", Some("multipart/form-data; boundary=x"), body(), None).await;
    assert!(good.status.is_success(), "{}", good.body);

    // Too large, declared: refused before it is read, on server functions and plain routes alike.
    let too_large = vec![b'a'; server::guard::MAX_REQUEST_BODY + 1];
    for path in ["/api/credentials/check", "/payments/notify"] {
        let request = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .header(header::CONTENT_LENGTH, too_large.len())
            .body(Body::from(too_large.clone()))
            .unwrap();
        assert_json_error(&app.send(request).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large", path);
    }
    // Too large, streamed without a length: cut while it streams, the same answer.
    let head = b"--x\r\nContent-Disposition: form-data; name=\"ignored\"\r\n\r\n".to_vec();
    let chunks = std::iter::once(head).chain((0..17).map(|_| vec![b'a'; 1024 * 1024])).map(Ok::<_, std::io::Error>);
    let streamed = post_raw(
        &app,
        "/api/credentials/check",
        Some("multipart/form-data; boundary=x"),
        Body::from_stream(futures::stream::iter(chunks)),
        None,
    )
    .await;
    assert_json_error(&streamed, StatusCode::PAYLOAD_TOO_LARGE, "too_large", "a streamed multipart body");
    let chunks = (0..17).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 1024 * 1024]));
    let body = Body::from_stream(futures::stream::iter(chunks));
    let streamed = post_raw(&app, "/api/current_user", Some("application/x-www-form-urlencoded"), body, None).await;
    assert_json_error(&streamed, StatusCode::PAYLOAD_TOO_LARGE, "too_large", "a streamed form");
}

#[sqlx::test]
async fn server_functions_answer_only_calls_from_the_public_origin(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let call = |origin: &'static str| {
        let app = app.clone();
        async move { app.call_from("/api/current_user", &[], None, Some(origin)).await.status }
    };
    assert_eq!(call("http://127.0.0.1:3000").await, StatusCode::OK);
    assert_eq!(call("http://localhost:3000").await, StatusCode::OK, "the demo opened as localhost");
    assert_eq!(call("https://127.0.0.1:3000").await, StatusCode::FORBIDDEN, "wrong scheme");
    assert_eq!(call("http://127.0.0.1:3001").await, StatusCode::FORBIDDEN, "wrong port");
    assert_eq!(call("http://evil.example").await, StatusCode::FORBIDDEN);

    // A deployment at its https address: the Host header does not make another origin ours.
    let deployed = spawn_app_with(pool, Mode::Deployed, |settings| {
        settings.origins = vec![SiteOrigin::parse("https://codelink.example").unwrap()];
        settings.secure_cookies = true;
    })
    .await;
    let page = deployed.get("/login", None, None).await;
    assert_eq!(header(&page, "strict-transport-security"), "max-age=31536000", "HSTS when the public URL is https");
    let status = |origin| {
        let app = deployed.clone();
        async move { app.call_from("/api/current_user", &[], None, Some(origin)).await.status }
    };
    assert_eq!(status("https://codelink.example").await, StatusCode::OK);
    assert_eq!(status("http://codelink.example").await, StatusCode::FORBIDDEN);
    assert_eq!(status(ORIGIN).await, StatusCode::FORBIDDEN, "the request's Host is not the public URL");
}

/// Registers a developer from `forwarded_for`, as a proxy in front of the app reports it.
async fn register_via_proxy(app: &TestApp, email: &str, forwarded_for: &str) -> Reply {
    let body = format!(
        "email={}&password=s3cret-pass&display_name=proxy&role=developer&consent=on",
        email.replace('@', "%40")
    );
    let request = Request::post("/api/register")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn challenge_for(app: &TestApp, forwarded_for: &str) -> serde_json::Value {
    let request = Request::post("/api/register/challenge")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(Body::empty())
        .unwrap();
    app.send(request).await.json()
}

#[sqlx::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client(pool: PgPool) {
    // The test client's peer is 127.0.0.1: here it is the trusted proxy.
    let app = spawn_app_with(pool.clone(), Mode::Demo, |settings| {
        settings.trusted_proxies = app::domain::forwarded::TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    for n in 0..3 {
        // Whatever the client wrote itself (left of the proxy's entry) is ignored.
        let reply = register_via_proxy(&app, &format!("proxied{n}@test.cn"), &format!("10.9.9.{n}, 203.0.113.7")).await;
        assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    }
    assert!(challenge_for(&app, "203.0.113.7").await.is_string(), "the fourth sign-up from that address is challenged");
    assert!(challenge_for(&app, "198.51.100.1").await.is_null(), "another client behind the same proxy is not");

    // Without trusted proxies the header is anyone's to write, so it is ignored: all from the peer.
    let direct = spawn_app(pool).await;
    for n in 0..3 {
        let reply = register_via_proxy(&direct, &format!("direct{n}@test.cn"), &format!("203.0.113.{n}")).await;
        assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    }
    assert!(challenge_for(&direct, "198.51.100.1").await.is_string(), "counted against the peer, not the header");
}

#[sqlx::test]
async fn sandbox_routes_do_not_exist_outside_demo_mode(pool: PgPool) {
    let demo = spawn_app(pool.clone()).await;
    assert_eq!(demo.get("/sandbox/sms?phone=13800000001", None, None).await.status, StatusCode::OK);

    let deployed = spawn_app_with(pool, Mode::Deployed, |_| {}).await;
    let cookie = deployed.logged_in_as("developer").await;
    let order = uuid::Uuid::now_v7().to_string();
    for path in ["/sandbox/sms?phone=13800000001".to_string(), format!("/sandbox/pay/{order}")] {
        let page = deployed.get(&path, Some(&cookie), None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("data-testid=\"sandbox-confirm\""), "{path}");
    }
    let sms = deployed.call("/api/sandbox/sms", &[("phone", "13800000001")], None).await;
    assert_json_error(&sms, StatusCode::NOT_FOUND, "not_found", "/api/sandbox/sms");
    for path in ["/api/sandbox/order", "/api/sandbox/pay"] {
        let reply = deployed.call(path, &[("order", &order), ("confirm", "true")], Some(&cookie)).await;
        assert_json_error(&reply, StatusCode::NOT_FOUND, "not_found", path);
    }
}

/// Runs the built server binary with `env`, outside demo mode, and returns its exit status and
/// everything it printed. It must stop on its own (the test kills it after 60 s).
fn serve_with(env: &[(&str, &str)]) -> (std::process::ExitStatus, String) {
    use std::{
        process::Command,
        time::{Duration, Instant},
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.arg("serve").current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (name, _) in std::env::vars() {
        if name.starts_with("CODELINK_") {
            command.env_remove(name);
        }
    }
    // Nothing listens here: if it got as far as the database, it would fail there instead.
    command.env("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none").env("LEPTOS_SITE_ADDR", "127.0.0.1:0");
    command.envs(env.iter().copied());
    let output_file = std::env::temp_dir().join(format!("codelink-serve-{}.log", uuid::Uuid::now_v7()));
    let log = std::fs::File::create(&output_file).unwrap();
    let mut child = command.stdout(log.try_clone().unwrap()).stderr(log).spawn().expect("the server binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the server did not stop: {}", std::fs::read_to_string(&output_file).unwrap());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = std::fs::read_to_string(&output_file).unwrap();
    let _ = std::fs::remove_file(output_file);
    (status, output)
}

#[test]
fn serve_outside_demo_mode_refuses_to_start_naming_what_is_missing() {
    let (status, output) = serve_with(&[]);
    assert!(!status.success(), "{output}");
    for setting in [
        "CODELINK_PUBLIC_URL",
        "CODELINK_PAYMENT_SECRET",
        "CODELINK_PAYMENT_GATEWAY_URL",
        "CODELINK_SMS_GATEWAY_URL",
        "CODELINK_IDENTITY_GATEWAY_URL",
    ] {
        assert!(output.contains(&format!("{setting} is not set")), "{setting}: {output}");
    }
    assert!(output.contains("CODELINK_DEMO=1"), "{output}");

    let (status, output) =
        serve_with(&[("CODELINK_PUBLIC_URL", "https://codelink.example"), ("CODELINK_PAYMENT_SECRET", "k")]);
    assert!(!status.success(), "{output}");
    assert!(output.contains("CODELINK_PAYMENT_GATEWAY_URL is not set: real payments need a provider"), "{output}");
    assert!(!output.contains("CODELINK_PUBLIC_URL is not set"), "only what is missing: {output}");

    let gateways = [
        ("CODELINK_PUBLIC_URL", "https://codelink.example"),
        ("CODELINK_PAYMENT_SECRET", "k"),
        ("CODELINK_PAYMENT_GATEWAY_URL", "https://pay.example"),
        ("CODELINK_SMS_GATEWAY_URL", "https://sms.example"),
        ("CODELINK_IDENTITY_GATEWAY_URL", "https://id.example"),
    ];
    let (status, output) = serve_with(&gateways);
    assert!(!status.success(), "{output}");
    assert!(output.contains("only for the local providers"), "this build cannot talk to real ones: {output}");

    let (status, output) =
        serve_with(&[("CODELINK_DEMO", "1"), ("CODELINK_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")]);
    assert!(!status.success() && output.contains("\"proxy.internal\""), "{output}");
}

/// The header's language switch is a plain link: the server stores the choice and sends the reader
/// back to the page they were on, never to another site; it works without JavaScript.
#[sqlx::test(migrations = false)]
async fn the_language_switch_stores_the_choice_and_goes_back_only_to_this_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    let page = app.get("/leaderboard", None, Some("zh-CN")).await;
    assert!(page.body.contains("href=\"/language/en?back=%2Fleaderboard\""), "the switch links to English");

    let reply = app.get("/language/en?back=%2Fleaderboard%3Fperiod%3Dmonth", None, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(header(&reply, "location"), "/leaderboard?period=month");
    assert!(header(&reply, "set-cookie").starts_with("i18n_pref_locale=en;"));
    let cookie = "i18n_pref_locale=en";
    let english = app.get("/leaderboard", Some(cookie), Some("zh-CN")).await;
    assert!(english.body.contains("lang=\"en\""), "the cookie decides the language");

    for foreign in ["%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
        let reply = app.get(&format!("/language/zh-CN?back={foreign}"), None, None).await;
        assert_eq!(header(&reply, "location"), "/", "{foreign}");
    }
    let chinese_search = app.get("/language/zh-CN?back=%2F%3Fq%3D%E6%95%B0%E6%8D%AE", None, None).await;
    assert_eq!(header(&chinese_search, "location"), "/?q=%E6%95%B0%E6%8D%AE");
    assert_eq!(app.get("/language/fr", None, None).await.status, StatusCode::NOT_FOUND);
}
