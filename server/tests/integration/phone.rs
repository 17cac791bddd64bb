//! Binding a mobile number and logging in with an SMS code, through the real HTTP stack, with the
//! local SMS gateway's outbox standing in for the phone.

use crate::common::{self, spawn_app, TestApp, PASSWORD};

use axum::http::StatusCode;
use sqlx::PgPool;

const NUMBER: &str = "+8613800138000";

fn problem(reply: &common::Reply) -> (String, String) {
    let field = &reply.json()["fields"][0];
    (field["field"].as_str().unwrap_or_default().into(), field["problem"]["kind"].as_str().unwrap_or_default().into())
}

async fn send(app: &TestApp, phone: &str, purpose: &str, cookie: Option<&str>) -> common::Reply {
    app.call("/api/phone/send", &[("phone", phone), ("purpose", purpose)], cookie).await
}

fn ok(reply: &common::Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

/// A developer with `NUMBER` bound, as the profile page binds it; returns their session cookie.
async fn developer_with_number(app: &TestApp) -> (uuid::Uuid, String) {
    let (id, cookie) = app.logged_in_user("developer").await;
    assert!(ok(&send(app, "138 0013 8000", "bind", Some(&cookie)).await));
    let (body, code) = app.last_text(NUMBER).await;
    assert!(body.starts_with("【CodeLink】验证码 ") && body.contains("绑定手机号"), "{body}");
    let bound = app
        .call(
            "/api/profile/phone",
            &[("phone", "13800138000"), ("code", &code.unwrap()), ("password", PASSWORD)],
            Some(&cookie),
        )
        .await;
    assert!(ok(&bound), "{}", bound.body);
    (id, cookie)
}

/// Lets the next code go out at once (the wait between codes is tested on its own).
async fn forget_wait(app: &TestApp) {
    sqlx::query("UPDATE phone_codes SET sent_at = sent_at - interval '61 seconds'").execute(&app.pool).await.unwrap();
}

#[sqlx::test(migrations = false)]
async fn a_bound_number_logs_in_with_the_code_sent_to_it_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, _) = developer_with_number(&app).await;
    let bound: Option<String> =
        sqlx::query_scalar("SELECT phone FROM users WHERE id = $1").bind(developer).fetch_one(&app.pool).await.unwrap();
    assert_eq!(bound.as_deref(), Some(NUMBER));

    assert!(ok(&send(&app, "+86 138-0013-8000", "login", None).await));
    let (body, code) = app.last_text(NUMBER).await;
    assert!(body.contains("用于登录"), "{body}");
    let code = code.unwrap();
    let login = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", &code)], None).await;
    assert!(ok(&login), "{}", login.body);
    let cookie = login.session_cookie().expect("a new session");
    let me = app.call("/api/current_user", &[], Some(&cookie)).await;
    assert_eq!(me.json()["role"], "developer", "{}", me.body);

    let again = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", &code)], None).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&again), ("code".into(), "code_expired".into()), "a code is good once");

    // The profile shows the number, masked.
    let profile = app.get("/profile", Some(&cookie), None).await;
    assert!(profile.body.contains("138****8000"), "masked number on the profile");
}

#[sqlx::test(migrations = false)]
async fn wrong_codes_count_down_and_the_fifth_ends_the_code(pool: PgPool) {
    let app = spawn_app(pool).await;
    developer_with_number(&app).await;
    assert!(ok(&send(&app, "13800138000", "login", None).await));
    let code = app.last_text(NUMBER).await.1.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let reply = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", wrong)], None).await;
        assert_eq!(problem(&reply), ("code".into(), "wrong_code".into()));
        assert_eq!(reply.json()["fields"][0]["problem"]["attempts_left"], left);
    }
    let fifth = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", wrong)], None).await;
    assert_eq!(problem(&fifth), ("code".into(), "code_expired".into()));
    let right = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", &code)], None).await;
    assert_eq!(problem(&right), ("code".into(), "code_expired".into()), "the right code after five wrong ones");
    assert!(right.session_cookie().is_none());

    // A new code works again; a code five minutes old does not.
    forget_wait(&app).await;
    assert!(ok(&send(&app, "13800138000", "login", None).await));
    let code = app.last_text(NUMBER).await.1.unwrap();
    sqlx::query("UPDATE phone_codes SET sent_at = sent_at - interval '5 minutes'").execute(&app.pool).await.unwrap();
    let stale = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", &code)], None).await;
    assert_eq!(problem(&stale), ("code".into(), "code_expired".into()));
}

#[sqlx::test(migrations = false)]
async fn codes_wait_a_minute_between_them_and_stop_at_ten_a_day(pool: PgPool) {
    let app = spawn_app(pool).await;
    developer_with_number(&app).await;
    assert!(ok(&send(&app, "13800138000", "login", None).await));
    let soon = send(&app, "13800138000", "login", None).await;
    assert_eq!(soon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(&soon), ("phone".into(), "resend_too_soon".into()));
    let seconds = soon.json()["fields"][0]["problem"]["seconds"].as_u64().unwrap();
    assert!((55..=60).contains(&seconds), "{seconds}");

    // Ten codes today (the bind code and the login code are two of them).
    forget_wait(&app).await;
    sqlx::query(
        "INSERT INTO phone_codes (phone, purpose, code_salt, code_mac, sent_at)
         SELECT $1, 'login', '\\x00', '\\x00', now() - interval '2 minutes' FROM generate_series(1, 8)",
    )
    .bind(NUMBER)
    .execute(&app.pool)
    .await
    .unwrap();
    let texts: i64 = sqlx::query_scalar("SELECT count(*) FROM sms_outbox").fetch_one(&app.pool).await.unwrap();
    let eleventh = send(&app, "13800138000", "login", None).await;
    assert_eq!(problem(&eleventh), ("phone".into(), "too_many".into()), "{}", eleventh.body);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM sms_outbox").fetch_one(&app.pool).await.unwrap();
    assert_eq!(after, texts, "nothing sent");
}

#[sqlx::test(migrations = false)]
async fn a_number_is_bound_to_one_account_and_unknown_numbers_reveal_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    developer_with_number(&app).await;
    let other = app.logged_in_as("merchant").await;
    let taken = send(&app, "13800138000", "bind", Some(&other)).await;
    assert_eq!(problem(&taken), ("phone".into(), "phone_taken".into()));
    let codes: i64 = sqlx::query_scalar("SELECT count(*) FROM phone_codes").fetch_one(&app.pool).await.unwrap();
    assert_eq!(codes, 1, "only the first account's binding code");

    // Asking for a login code to a number nobody has looks the same to the asker...
    let unknown = send(&app, "13900139000", "login", None).await;
    assert!(ok(&unknown), "{}", unknown.body);
    let (body, code) = app.last_text("+8613900139000").await;
    assert!(body.contains("尚未绑定") && code.is_none(), "the owner is told why no code came: {body}");
    let guess = app.call("/api/login/phone", &[("phone", "13900139000"), ("code", "123456")], None).await;
    assert_eq!(problem(&guess), ("code".into(), "wrong_code".into()), "answered like a wrong code");
    assert_eq!(guess.json()["fields"][0]["problem"]["attempts_left"], 4);

    // ...and a binding code cannot log anyone in.
    let stranger = app.logged_in_as("developer").await;
    assert!(ok(&send(&app, "13700137000", "bind", Some(&stranger)).await));
    let code = app.last_text("+8613700137000").await.1.unwrap();
    let login = app.call("/api/login/phone", &[("phone", "13700137000"), ("code", &code)], None).await;
    assert_eq!(problem(&login), ("code".into(), "code_expired".into()));
}

#[sqlx::test(migrations = false)]
async fn two_logins_with_one_code_at_once_start_one_session(pool: PgPool) {
    let app = spawn_app(pool).await;
    developer_with_number(&app).await;
    assert!(ok(&send(&app, "13800138000", "login", None).await));
    let code = app.last_text(NUMBER).await.1.unwrap();
    let form = [("phone", "13800138000"), ("code", code.as_str())];
    let (a, b) = tokio::join!(app.call("/api/login/phone", &form, None), app.call("/api/login/phone", &form, None));
    let sessions = [&a, &b].iter().filter(|r| ok(r) && r.session_cookie().is_some()).count();
    assert_eq!(sessions, 1, "{} / {}", a.body, b.body);
    let refused = if ok(&a) { &b } else { &a };
    assert_eq!(problem(refused), ("code".into(), "code_expired".into()));
}

#[sqlx::test(migrations = false)]
async fn bad_input_gets_field_errors_and_writes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cookie = app.logged_in_as("developer").await;
    for (phone, expected) in [("12345", "invalid_phone"), ("", "required"), ("+1 415 555 0100", "invalid_phone")] {
        let reply = send(&app, phone, "login", None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem(&reply), ("phone".into(), expected.into()), "{phone}");
    }
    let huge = "1".repeat(10 * 1024 * 1024);
    let reply = send(&app, &huge, "bind", Some(&cookie)).await;
    assert_eq!(problem(&reply), ("phone".into(), "invalid_phone".into()));
    let reply = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", "12ab")], None).await;
    assert_eq!(problem(&reply), ("code".into(), "invalid_code".into()));
    let reply = app.call("/api/profile/phone", &[("phone", "13800138000"), ("code", "")], Some(&cookie)).await;
    assert_eq!(problem(&reply), ("code".into(), "required".into()));

    // A binding code needs a login; the sandbox phone reads only numbers.
    let anonymous = send(&app, "13800138000", "bind", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let sandbox = app.call("/api/sandbox/sms", &[("phone", "not a number")], None).await;
    assert_eq!(problem(&sandbox), ("phone".into(), "invalid_phone".into()));

    let written: i64 =
        sqlx::query_scalar("SELECT (SELECT count(*) FROM phone_codes) + (SELECT count(*) FROM sms_outbox)")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(written, 0, "no partial write");
}

#[sqlx::test(migrations = false)]
async fn the_sandbox_phone_and_the_login_page_show_the_code_step(pool: PgPool) {
    let app = spawn_app(pool).await;
    developer_with_number(&app).await;
    let inbox = app.get("/sandbox/sms?phone=13800138000", None, None).await;
    assert!(inbox.body.contains("138****8000") && inbox.body.contains("用于绑定手机号"), "{}", inbox.body);

    let step = app.get("/login?by=phone&phone=13800138000", None, None).await;
    assert!(step.body.contains("验证码已发送至 138****8000"), "code step on the login page");
    assert!(step.body.contains("/sandbox/sms?phone=13800138000"), "the demo links its sandbox phone");
    let english = app.get("/login?by=phone", None, Some("en")).await;
    assert!(english.body.contains("Mobile number") && english.body.contains("Send code"));
}

#[sqlx::test(migrations = false)]
async fn binding_and_unbinding_ask_for_the_password_again(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    assert!(ok(&send(&app, "13800138000", "bind", Some(&cookie)).await));
    let code = app.last_text(NUMBER).await.1.unwrap();
    let bind = |password: &'static str| {
        let (app, cookie, code) = (app.clone(), cookie.clone(), code.clone());
        async move {
            app.call(
                "/api/profile/phone",
                &[("phone", "13800138000"), ("code", &code), ("password", password)],
                Some(&cookie),
            )
            .await
        }
    };
    // Someone holding a stolen session, without the password, cannot add their number.
    let stolen = bind("not-the-password").await;
    assert_eq!(problem(&stolen), ("password".into(), "wrong_password".into()));
    assert_eq!(problem(&bind("").await), ("password".into(), "required".into()));
    let phone: Option<String> =
        sqlx::query_scalar("SELECT phone FROM users WHERE id = $1").bind(developer).fetch_one(&app.pool).await.unwrap();
    assert_eq!(phone, None);
    assert!(ok(&bind(PASSWORD).await), "the code was not spent by the refusals");

    let unbind = app.call("/api/profile/phone/unbind", &[("password", "wrong-password")], Some(&cookie)).await;
    assert_eq!(problem(&unbind), ("password".into(), "wrong_password".into()));
    assert!(ok(&app.call("/api/profile/phone/unbind", &[("password", PASSWORD)], Some(&cookie)).await));
    let phone: Option<String> =
        sqlx::query_scalar("SELECT phone FROM users WHERE id = $1").bind(developer).fetch_one(&app.pool).await.unwrap();
    assert_eq!(phone, None, "unbound");
    assert!(ok(&send(&app, "13800138000", "login", None).await));
    assert!(app.last_text(NUMBER).await.0.contains("尚未绑定"), "the number logs nobody in any more");
}
