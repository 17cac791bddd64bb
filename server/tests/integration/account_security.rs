//! Account security through the real HTTP stack: changing the password, resetting it by e-mailed
//! link or SMS code, the devices list and its log-outs, the new-device notice, and the login
//! limiter counting only failures. The local mail outbox and SMS inbox stand in for the user's
//! mailbox and phone.

use crate::common::{self, spawn_app, Reply, TestApp, PASSWORD};

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

const CHROME_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const NEW_PASSWORD: &str = "a-much-better-passphrase";

fn ok(reply: &Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

/// The first field problem of a 422 answer, as (field, kind).
fn problem(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let field = &reply.json()["fields"][0];
    (field["field"].as_str().unwrap_or_default().into(), field["problem"]["kind"].as_str().unwrap_or_default().into())
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A merchant account (not logged in anywhere yet) and its e-mail address.
async fn account(app: &TestApp) -> (Uuid, String) {
    let id = Uuid::now_v7();
    let email = format!("sec-{}@test.cn", id.simple());
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind)
         VALUES ($1, $2, '安全测试', $3, 'merchant', 'company')",
    )
    .bind(id)
    .bind(&email)
    .bind(password_auth::generate_hash(PASSWORD))
    .execute(&app.pool)
    .await
    .unwrap();
    app.accept_current_terms(id).await;
    (id, email)
}

/// Logs in from a browser that sends `agent` as its User-Agent.
async fn login_from(app: &TestApp, email: &str, password: &str, agent: &str) -> Reply {
    let request = Request::post("/api/login")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::USER_AGENT, agent)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(format!("email={}&password={}", encode(email), encode(password))))
        .unwrap();
    app.send(request).await
}

async fn session_from(app: &TestApp, email: &str, agent: &str) -> String {
    let reply = login_from(app, email, PASSWORD, agent).await;
    assert!(ok(&reply), "login failed: {} {}", reply.status, reply.body);
    reply.session_cookie().expect("login sets a session cookie")
}

/// Whether `cookie` is a logged-in session (its request is not anonymous).
async fn logged_in(app: &TestApp, cookie: &str) -> bool {
    !app.call("/api/current_user", &[], Some(cookie)).await.json().is_null()
}

/// The newest mail the local outbox kept for `to`, waiting for the background sender.
async fn mail_to(app: &TestApp, to: &str) -> Option<String> {
    for _ in 0..50 {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM email_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1")
                .bind(to)
                .fetch_optional(&app.pool)
                .await
                .unwrap();
        if body.is_some() {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

async fn reset_token(app: &TestApp, email: &str) -> String {
    let body = mail_to(app, email).await.expect("a reset mail was sent");
    let token = body.split("token=").nth(1).expect("the mail carries a link");
    token.chars().take(64).collect()
}

async fn reset_with_link(app: &TestApp, token: &str, password: &str) -> Reply {
    app.call("/api/password_reset/link", &[("token", token), ("new_password", password)], None).await
}

#[sqlx::test(migrations = false)]
async fn changing_the_password_needs_the_current_one_and_ends_every_other_session(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = account(&app).await;
    let here = session_from(&app, &email, CHROME_WINDOWS).await;
    let elsewhere = session_from(&app, &email, FIREFOX_LINUX).await;
    let change = |current: &'static str, new: &'static str| {
        let (app, here) = (app.clone(), here.clone());
        async move {
            app.call("/api/security/password", &[("current_password", current), ("new_password", new)], Some(&here))
                .await
        }
    };

    assert_eq!(problem(&change("not-my-password", NEW_PASSWORD).await), ("password".into(), "wrong_password".into()));
    assert_eq!(problem(&change(PASSWORD, "short").await), ("new_password".into(), "too_short".into()));
    assert!(logged_in(&app, &elsewhere).await, "refused changes end nothing");

    let changed = change(PASSWORD, NEW_PASSWORD).await;
    assert!(ok(&changed), "{} {}", changed.status, changed.body);
    let here = changed.session_cookie().unwrap_or(here);
    assert!(logged_in(&app, &here).await, "the session that changed it stays logged in");
    assert!(!logged_in(&app, &elsewhere).await, "every other session ends");
    assert_eq!(login_from(&app, &email, PASSWORD, CHROME_WINDOWS).await.status, StatusCode::UNAUTHORIZED);
    assert!(ok(&login_from(&app, &email, NEW_PASSWORD, CHROME_WINDOWS).await));
}

#[sqlx::test(migrations = false)]
async fn a_reset_link_works_once_and_not_after_it_expires(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, email) = account(&app).await;
    let session = session_from(&app, &email, CHROME_WINDOWS).await;

    assert!(ok(&app.call("/api/password_reset/email", &[("email", &email.to_uppercase())], None).await));
    let token = reset_token(&app, &email).await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets WHERE user_id = $1 AND token_hash = $2")
        .bind(user)
        .bind(token.as_bytes())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "only a hash of the token is kept");

    assert_eq!(problem(&reset_with_link(&app, &token, "short").await), ("new_password".into(), "too_short".into()));
    let reset = reset_with_link(&app, &token, NEW_PASSWORD).await;
    assert!(ok(&reset), "{} {}", reset.status, reset.body);
    assert!(!logged_in(&app, &session).await, "a reset ends every session");
    assert!(ok(&login_from(&app, &email, NEW_PASSWORD, CHROME_WINDOWS).await));
    assert_eq!(
        problem(&reset_with_link(&app, &token, "yet-another-password").await),
        ("token".into(), "reset_link_invalid".into())
    );

    sqlx::query("DELETE FROM email_outbox").execute(&app.pool).await.unwrap();
    assert!(ok(&app.call("/api/password_reset/email", &[("email", &email)], None).await));
    let late = reset_token(&app, &email).await;
    sqlx::query("UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1")
        .bind(user)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        problem(&reset_with_link(&app, &late, "yet-another-password").await),
        ("token".into(), "reset_link_invalid".into())
    );
    assert_eq!(problem(&reset_with_link(&app, &"0".repeat(64), NEW_PASSWORD).await).1, "reset_link_invalid");
    assert!(ok(&login_from(&app, &email, NEW_PASSWORD, CHROME_WINDOWS).await), "refused links change nothing");
}

/// Two uses of one link at the same moment: one sets its password, the other is told the link is dead.
#[sqlx::test(migrations = false)]
async fn a_reset_link_used_twice_at_once_works_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = account(&app).await;
    assert!(ok(&app.call("/api/password_reset/email", &[("email", &email)], None).await));
    let token = reset_token(&app, &email).await;
    let (a, b) = tokio::join!(
        reset_with_link(&app, &token, NEW_PASSWORD),
        reset_with_link(&app, &token, "the-other-new-password")
    );
    assert_eq!([ok(&a), ok(&b)].iter().filter(|worked| **worked).count(), 1, "{} / {}", a.body, b.body);
    let refused = if ok(&a) { &b } else { &a };
    assert_eq!(problem(refused), ("token".into(), "reset_link_invalid".into()));
    let winner = if ok(&a) { NEW_PASSWORD } else { "the-other-new-password" };
    assert!(ok(&login_from(&app, &email, winner, CHROME_WINDOWS).await));
}

#[sqlx::test(migrations = false)]
async fn an_unknown_address_gets_the_same_answer_and_no_mail(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = account(&app).await;
    let known = app.call("/api/password_reset/email", &[("email", &email)], None).await;
    let unknown = app.call("/api/password_reset/email", &[("email", "nobody-here@test.cn")], None).await;
    assert!(ok(&known), "{} {}", known.status, known.body);
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    assert_eq!(known.headers.get(header::LOCATION), unknown.headers.get(header::LOCATION));
    assert!(mail_to(&app, &email).await.is_some());
    let mails: i64 = sqlx::query_scalar("SELECT count(*) FROM email_outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(mails, 1, "nothing is sent for an address nobody has");
}

async fn reset_with_code(app: &TestApp, code: &str, password: &str) -> Reply {
    app.call("/api/password_reset/code", &[("phone", "13800138011"), ("code", code), ("new_password", password)], None)
        .await
}

#[sqlx::test(migrations = false)]
async fn an_sms_reset_code_works_once_and_not_after_it_expires(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, email) = account(&app).await;
    sqlx::query("UPDATE users SET phone = '+8613800138011' WHERE id = $1").bind(user).execute(&app.pool).await.unwrap();
    let session = session_from(&app, &email, CHROME_WINDOWS).await;
    let ask = |phone: &'static str| {
        let app = app.clone();
        async move { app.call("/api/phone/send", &[("phone", phone), ("purpose", "reset")], None).await }
    };

    let known = ask("13800138011").await;
    let unknown = ask("13800138012").await;
    assert!(ok(&known), "{} {}", known.status, known.body);
    assert_eq!(known.status, unknown.status, "a number nobody has is answered alike");
    let (body, code) = app.last_text("+8613800138011").await;
    assert!(body.contains("重置"), "{body}");
    assert!(app.last_text("+8613800138012").await.1.is_none(), "no code for a number nobody has");

    let code = code.unwrap();
    let reset = reset_with_code(&app, &code, NEW_PASSWORD).await;
    assert!(ok(&reset), "{} {}", reset.status, reset.body);
    assert!(!logged_in(&app, &session).await, "a reset ends every session");
    assert!(ok(&login_from(&app, &email, NEW_PASSWORD, CHROME_WINDOWS).await));
    assert_eq!(
        problem(&reset_with_code(&app, &code, "yet-another-password").await),
        ("code".into(), "code_expired".into())
    );

    sqlx::query("UPDATE phone_codes SET sent_at = sent_at - interval '61 seconds'").execute(&app.pool).await.unwrap();
    assert!(ok(&ask("13800138011").await));
    let late = app.last_text("+8613800138011").await.1.unwrap();
    sqlx::query("UPDATE phone_codes SET sent_at = now() - interval '5 minutes 1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        problem(&reset_with_code(&app, &late, "yet-another-password").await),
        ("code".into(), "code_expired".into())
    );

    // A login code proves the number, not the right to a new password.
    sqlx::query("UPDATE phone_codes SET sent_at = sent_at - interval '61 seconds'").execute(&app.pool).await.unwrap();
    assert!(ok(&app.call("/api/phone/send", &[("phone", "13800138011"), ("purpose", "login")], None).await));
    let login_code = app.last_text("+8613800138011").await.1.unwrap();
    assert_eq!(problem(&reset_with_code(&app, &login_code, "yet-another-password").await).0, "code");
    assert!(ok(&login_from(&app, &email, NEW_PASSWORD, CHROME_WINDOWS).await), "the password is still the new one");
}

async fn devices(app: &TestApp, cookie: &str) -> Vec<serde_json::Value> {
    let reply = app.call("/api/security", &[], Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["devices"].as_array().unwrap().clone()
}

fn device_named<'a>(list: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    list.iter().find(|d| d["name"] == name).unwrap_or_else(|| panic!("no {name} in {list:?}"))
}

#[sqlx::test(migrations = false)]
async fn the_devices_list_shows_each_login_and_logs_out_one_or_all_others(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, email) = account(&app).await;
    let here = session_from(&app, &email, CHROME_WINDOWS).await;
    let laptop = session_from(&app, &email, FIREFOX_LINUX).await;
    let mac = session_from(&app, &email, SAFARI_MAC).await;

    let list = devices(&app, &here).await;
    assert_eq!(list.len(), 3, "{list:?}");
    let this_one = device_named(&list, "Chrome · Windows");
    assert_eq!(this_one["current"], true);
    assert_eq!(this_one["address"], "127.0.0.1");
    assert!(this_one["signed_in_at"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(device_named(&list, "Firefox · Linux")["current"], false);
    let page = app.get("/security", Some(&here), Some("zh-CN")).await;
    assert!(page.body.contains("Safari · macOS") && page.body.contains("当前设备"), "the page lists them");

    let laptop_id = device_named(&list, "Firefox · Linux")["id"].as_str().unwrap().to_string();
    let out = app.call("/api/security/devices/log_out", &[("device", &laptop_id)], Some(&here)).await;
    assert!(ok(&out), "{} {}", out.status, out.body);
    assert!(!logged_in(&app, &laptop).await, "that device's next request is anonymous");
    assert!(logged_in(&app, &mac).await && logged_in(&app, &here).await, "the others stay");
    assert_eq!(devices(&app, &here).await.len(), 2);

    let others = app.call("/api/security/devices/log_out_others", &[], Some(&here)).await;
    assert!(ok(&others), "{} {}", others.status, others.body);
    assert!(!logged_in(&app, &mac).await);
    assert!(logged_in(&app, &here).await, "this device stays");
    assert_eq!(devices(&app, &here).await.len(), 1);

    // Another account's device cannot be logged out from here.
    let (_, stranger_email) = account(&app).await;
    let stranger = session_from(&app, &stranger_email, CHROME_WINDOWS).await;
    let stranger_id = devices(&app, &stranger).await[0]["id"].as_str().unwrap().to_string();
    let refused = app.call("/api/security/devices/log_out", &[("device", &stranger_id)], Some(&here)).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(logged_in(&app, &stranger).await);

    // A session whose device row is gone is logged out too.
    sqlx::query("DELETE FROM account_devices WHERE user_id = (SELECT id FROM users WHERE email = $1)")
        .bind(&stranger_email)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(!logged_in(&app, &stranger).await);

    // Logging out removes the device.
    assert!(ok(&app.call("/api/logout", &[], Some(&here)).await));
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM account_devices WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(rows, 0);
}

async fn new_device_notices(app: &TestApp, user: Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT note FROM notifications WHERE user_id = $1 AND kind = 'new_device' ORDER BY id")
        .bind(user)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_new_device_notice_is_written_for_a_new_device_only(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (user, email) = account(&app).await;
    session_from(&app, &email, CHROME_WINDOWS).await;
    assert!(new_device_notices(&app, user).await.is_empty(), "the account's first login is not news");
    session_from(&app, &email, CHROME_WINDOWS).await;
    assert!(new_device_notices(&app, user).await.is_empty(), "a device seen before");
    session_from(&app, &email, FIREFOX_LINUX).await;
    assert_eq!(new_device_notices(&app, user).await, ["Firefox · Linux · 127.0.0.1"]);
    session_from(&app, &email, FIREFOX_LINUX).await;
    assert_eq!(new_device_notices(&app, user).await.len(), 1, "once per device");

    // Mailed to whoever asked for that kind by e-mail, naming the device.
    app::db::email::set_preference(&app.pool, user, app::domain::notifications::NoticeKind::NewDevice, true)
        .await
        .unwrap();
    session_from(&app, &email, SAFARI_MAC).await;
    app::db::email::send_due(&app.pool, &app::mail::LocalOutbox, common::ORIGIN).await.unwrap();
    let mail = mail_to(&app, &email).await.expect("the new-device notice is mailed");
    assert!(mail.contains("新设备登录") && mail.contains("Safari · macOS · 127.0.0.1"), "{mail}");
    assert!(mail.contains("/security"), "{mail}");
}

#[sqlx::test(migrations = false)]
async fn successful_logins_do_not_spend_the_account_limiter_but_wrong_passwords_do(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = account(&app).await;
    for n in 1..=6 {
        let reply = login_from(&app, &email, PASSWORD, CHROME_WINDOWS).await;
        assert!(ok(&reply), "successful login {n}: {} {}", reply.status, reply.body);
    }
    for n in 1..=5 {
        let reply = login_from(&app, &email, "wrong-password", CHROME_WINDOWS).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "wrong password {n}");
    }
    let limited = login_from(&app, &email, "wrong-password", CHROME_WINDOWS).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let right_but_limited = login_from(&app, &email, PASSWORD, CHROME_WINDOWS).await;
    assert_eq!(right_but_limited.status, StatusCode::TOO_MANY_REQUESTS, "a guess while limited is refused too");
}

#[sqlx::test(migrations = false)]
async fn the_reset_and_security_pages_render_each_step(pool: PgPool) {
    let app = spawn_app(pool).await;
    let login = app.get("/login", None, Some("zh-CN")).await;
    assert!(login.body.contains("忘记密码") && login.body.contains("href=\"/reset-password\""), "{}", login.body);
    let ask = app.get("/reset-password", None, Some("en")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("reset-email-form") && ask.body.contains("Send reset link"));
    let sent = app.get("/reset-password?sent=email", None, Some("zh-CN")).await;
    assert!(sent.body.contains("30 分钟内有效"), "{}", sent.body);
    let by_link = app.get(&format!("/reset-password?token={}", "a".repeat(64)), None, None).await;
    assert!(by_link.body.contains("reset-link-form") && by_link.body.contains("name=\"new_password\""));
    let by_phone = app.get("/reset-password?by=phone", None, None).await;
    assert!(by_phone.body.contains("send-code-form") && by_phone.body.contains("value=\"reset\""));
    let done = app.get("/login?reset=done", None, Some("en")).await;
    assert!(done.body.contains("password-reset-done"));

    let (_, email) = account(&app).await;
    let session = session_from(&app, &email, CHROME_WINDOWS).await;
    let changed = app
        .call(
            "/api/security/password",
            &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD)],
            Some(&session),
        )
        .await;
    assert!(ok(&changed), "{}", changed.body);
    let page = app.get("/security", Some(&session), Some("en")).await;
    assert!(page.body.contains("Password changed"), "the outcome is shown");
    assert!(page.body.contains("Chrome · Windows") && page.body.contains("This device"));
    let again = app.get("/security", Some(&session), Some("en")).await;
    assert!(!again.body.contains("Password changed"), "once");
}
