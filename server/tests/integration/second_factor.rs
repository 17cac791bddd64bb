//! Two-step verification (TOTP) through the real HTTP stack: enrolling on /security, the second
//! step of logging in, recovery codes, switching it off, and the admin console's requirement.

use crate::common::{spawn_app, totp_code, Reply, TestApp, PASSWORD};

use axum::http::StatusCode;
use sqlx::PgPool;

fn ok(reply: &Reply) -> bool {
    reply.status.is_success() || reply.status.is_redirection()
}

/// The (field, problem) of a refused form.
fn problem(reply: &Reply) -> (String, String) {
    let field = &reply.json()["fields"][0];
    (field["field"].as_str().unwrap_or_default().into(), field["problem"]["kind"].as_str().unwrap_or_default().into())
}

async fn email_of(app: &TestApp, user: uuid::Uuid) -> String {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user).fetch_one(&app.pool).await.unwrap()
}

/// Who the session belongs to (None: nobody is logged in).
async fn current_role(app: &TestApp, cookie: &str) -> Option<String> {
    let me = app.call("/api/current_user", &[], Some(cookie)).await.json();
    me["role"].as_str().map(str::to_string)
}

/// The first step: the password is right, and the login now waits for its second factor.
async fn password_step(app: &TestApp, email: &str) -> String {
    let reply = app.login(email, PASSWORD, None).await;
    assert!(ok(&reply), "{}", reply.body);
    let cookie = reply.session_cookie().expect("the waiting login has a session");
    assert_eq!(current_role(app, &cookie).await, None, "not logged in before the second step");
    cookie
}

async fn second_step(app: &TestApp, cookie: &str, code: &str) -> Reply {
    app.call("/api/login/second_factor", &[("code", code)], Some(cookie)).await
}

/// A six-digit code the app shows at none of the steps the server accepts now.
fn wrong_code(secret: &str) -> String {
    let accepted: Vec<String> = (-2..=2).map(|steps| totp_code(secret, steps)).collect();
    (0..).map(|n| format!("{:06}", 123_456 + n)).find(|code| !accepted.contains(code)).unwrap()
}

#[sqlx::test(migrations = false)]
async fn enrolling_makes_login_ask_for_the_code_and_each_recovery_code_works_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let email = email_of(&app, developer).await;
    let enrolled = app.enrol_second_factor(&cookie).await;
    assert_eq!(enrolled.recovery_codes.len(), 10);
    let status = app.call("/api/security/totp", &[], Some(&cookie)).await.json();
    assert_eq!(status["state"]["On"]["recovery_codes_left"], 10);
    assert!(status["outcome"].is_null(), "the recovery codes are shown once: {status}");
    let stored: String =
        sqlx::query_scalar("SELECT code_mac::text FROM recovery_codes LIMIT 1").fetch_one(&app.pool).await.unwrap();
    assert!(!stored.contains(&enrolled.recovery_codes[0].replace('-', "")), "only MACs are stored");

    // The password alone no longer logs in; a wrong code is refused under its field.
    let waiting = password_step(&app, &email).await;
    let wrong = second_step(&app, &waiting, &wrong_code(&enrolled.secret)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert_eq!(problem(&wrong), ("code".into(), "wrong_second_factor_code".into()));
    assert_eq!(current_role(&app, &waiting).await, None);

    // This step's code confirmed the enrolment, so the app's next one is what works now.
    let code = totp_code(&enrolled.secret, 1);
    let right = second_step(&app, &waiting, &code).await;
    assert!(ok(&right), "{}", right.body);
    let session = right.session_cookie().expect("a fresh session id at login");
    assert_ne!(session, waiting);
    assert_eq!(current_role(&app, &session).await.as_deref(), Some("developer"));

    // The same code, at once, in another login: refused.
    let again = password_step(&app, &email).await;
    let replayed = second_step(&app, &again, &code).await;
    assert_eq!(problem(&replayed), ("code".into(), "wrong_second_factor_code".into()), "a code is good once");

    // A recovery code instead, as shown; then the same one again, typed in capitals without hyphens.
    let recovery = &enrolled.recovery_codes[0];
    assert!(ok(&second_step(&app, &again, recovery).await));
    let third = password_step(&app, &email).await;
    let reused = second_step(&app, &third, &recovery.replace('-', "").to_uppercase()).await;
    assert_eq!(problem(&reused), ("code".into(), "wrong_second_factor_code".into()), "a recovery code is good once");
    let other = second_step(&app, &third, &enrolled.recovery_codes[1]).await;
    assert!(ok(&other), "{}", other.body);
    let status = app.call("/api/security/totp", &[], Some(&other.session_cookie().unwrap())).await.json();
    assert_eq!(status["state"]["On"]["recovery_codes_left"], 8);
}

#[sqlx::test(migrations = false)]
async fn the_security_page_shows_the_qr_code_and_the_key_until_a_code_confirms_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cookie = app.logged_in_as("merchant").await;
    let page = app.get("/security", Some(&cookie), None).await;
    assert!(page.body.contains("data-testid=\"totp-start\""), "{}", page.body);

    assert!(ok(&app.call("/api/security/totp/start", &[], Some(&cookie)).await));
    let status = app.call("/api/security/totp", &[], Some(&cookie)).await.json();
    let secret = status["state"]["Enrolling"]["secret"].as_str().unwrap().to_string();
    let page = app.get("/security", Some(&cookie), None).await;
    assert!(page.body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "an inline QR code");
    assert!(page.body.contains(&secret[..4]), "the key for typing in");
    assert!(!page.body.contains("<?xml"));

    let wrong = app.call("/api/security/totp/confirm", &[("code", &wrong_code(&secret))], Some(&cookie)).await;
    assert_eq!(problem(&wrong), ("code".into(), "wrong_second_factor_code".into()));
    let not_digits = app.call("/api/security/totp/confirm", &[("code", "abc")], Some(&cookie)).await;
    assert_eq!(problem(&not_digits), ("code".into(), "invalid_code".into()));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM second_factors").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0, "nothing is switched on before a right code");

    let right = app.call("/api/security/totp/confirm", &[("code", &totp_code(&secret, 0))], Some(&cookie)).await;
    assert!(ok(&right), "{}", right.body);
    let page = app.get("/security", Some(&cookie), None).await;
    assert!(page.body.contains("data-testid=\"recovery-codes\""), "the codes are shown once");
    let page = app.get("/security", Some(&cookie), None).await;
    assert!(!page.body.contains("data-testid=\"recovery-codes\""), "and only once");
    assert!(page.body.contains("data-testid=\"totp-on\""));
}

#[sqlx::test(migrations = false)]
async fn an_admin_without_a_second_factor_is_refused_admin_functions_until_enrolling(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = app.create_account("admin").await;
    let login = app.login(&email, PASSWORD, None).await;
    let cookie = login.session_cookie().expect("logged in with the password alone");
    assert_eq!(current_role(&app, &cookie).await.as_deref(), Some("admin"));

    let refused = app.call("/api/admin/dashboard", &[], Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["code"], "second_factor_required");
    let page = app.get("/admin", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("data-testid=\"second-factor-required\""), "{}", page.body);
    assert!(page.body.contains("href=\"/security#totp\""));
    assert!(page.body.contains("管理功能需要先开启两步验证"));
    assert!(!page.body.contains("用户总数"));
    let english = app.get("/admin", Some(&cookie), Some("en")).await;
    assert!(english.body.contains("Admin functions need two-step verification first"));

    // Enrolling in this session counts as passing the second factor.
    let enrolled = app.enrol_second_factor(&cookie).await;
    let answered = app.call("/api/admin/dashboard", &[], Some(&cookie)).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert!(app.get("/admin", Some(&cookie), None).await.body.contains("用户总数"));

    // The next login asks for the code before anything admin answers.
    let waiting = password_step(&app, &email).await;
    assert_eq!(app.call("/api/admin/dashboard", &[], Some(&waiting)).await.status, StatusCode::UNAUTHORIZED);
    let passed = second_step(&app, &waiting, &totp_code(&enrolled.secret, 1)).await;
    let session = passed.session_cookie().unwrap();
    assert_eq!(app.call("/api/admin/dashboard", &[], Some(&session)).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn switching_off_asks_for_the_password_and_a_code_and_an_admin_loses_the_console(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (admin, cookie) = app.logged_in_user("admin").await;
    let secret: String = sqlx::query_scalar("SELECT totp_secret FROM second_factors WHERE user_id = $1")
        .bind(admin)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.call("/api/admin/dashboard", &[], Some(&cookie)).await.status, StatusCode::OK);

    let code = totp_code(&secret, 1);
    let wrong_password =
        app.call("/api/security/totp/disable", &[("password", "not-it"), ("code", &code)], Some(&cookie)).await;
    assert_eq!(problem(&wrong_password), ("password".into(), "wrong_password".into()));
    let wrong_code = app
        .call("/api/security/totp/disable", &[("password", PASSWORD), ("code", &wrong_code(&secret))], Some(&cookie))
        .await;
    assert_eq!(problem(&wrong_code), ("code".into(), "wrong_second_factor_code".into()));

    let off = app.call("/api/security/totp/disable", &[("password", PASSWORD), ("code", &code)], Some(&cookie)).await;
    assert!(ok(&off), "{}", off.body);
    assert_eq!(app.call("/api/security/totp", &[], Some(&cookie)).await.json()["state"], "Off");
    let refused = app.call("/api/admin/dashboard", &[], Some(&cookie)).await;
    assert_eq!(refused.json()["code"], "second_factor_required", "the session no longer counts as verified");
    let codes: i64 = sqlx::query_scalar("SELECT count(*) FROM recovery_codes").fetch_one(&app.pool).await.unwrap();
    assert_eq!(codes, 0);
}

#[sqlx::test(migrations = false)]
async fn wrong_codes_spend_login_attempts_and_a_second_step_needs_a_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let enrolled = app.enrol_second_factor(&cookie).await;
    let waiting = password_step(&app, &email_of(&app, developer).await).await;
    let wrong = wrong_code(&enrolled.secret);
    let mut tries = 0;
    while second_step(&app, &waiting, &wrong).await.status != StatusCode::TOO_MANY_REQUESTS {
        tries += 1;
        assert!(tries <= 6, "wrong codes are limited like wrong passwords");
    }
    let right = second_step(&app, &waiting, &totp_code(&enrolled.secret, 1)).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "a right code is refused while limited, too");

    let no_password = second_step(&app, &app.logged_in_as("merchant").await, "123456").await;
    assert_eq!(problem(&no_password), ("code".into(), "second_step_expired".into()));
    let anonymous = app.call("/api/login/second_factor", &[("code", "123456")], None).await;
    assert_eq!(problem(&anonymous), ("code".into(), "second_step_expired".into()));
}

#[sqlx::test(migrations = false)]
async fn an_sms_code_login_also_waits_for_the_second_factor(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let enrolled = app.enrol_second_factor(&cookie).await;
    sqlx::query("UPDATE users SET phone = '+8613800138000' WHERE id = $1")
        .bind(developer)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(ok(&app.call("/api/phone/send", &[("phone", "13800138000"), ("purpose", "login")], None).await));
    let body: String =
        sqlx::query_scalar("SELECT body FROM sms_outbox ORDER BY id DESC LIMIT 1").fetch_one(&app.pool).await.unwrap();
    let sms_code: String = body.split("验证码 ").nth(1).unwrap().chars().take(6).collect();

    let login = app.call("/api/login/phone", &[("phone", "13800138000"), ("code", &sms_code)], None).await;
    assert!(ok(&login), "{}", login.body);
    let waiting = login.session_cookie().unwrap();
    assert_eq!(current_role(&app, &waiting).await, None);
    let passed = second_step(&app, &waiting, &enrolled.recovery_codes[0]).await;
    assert_eq!(current_role(&app, &passed.session_cookie().unwrap()).await.as_deref(), Some("developer"));
}

#[sqlx::test(migrations = false)]
async fn the_demo_admin_logs_in_with_the_published_key(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 1).await.unwrap();
    let login = app.login(server::demo::ADMIN.email, server::demo::DEMO_PASSWORD, None).await;
    let waiting = login.session_cookie().expect("the waiting login has a session");
    assert_eq!(current_role(&app, &waiting).await, None, "the password alone is not enough");
    let passed = second_step(&app, &waiting, &totp_code(server::demo::ADMIN_TOTP_SECRET, 0)).await;
    assert!(ok(&passed), "{}", passed.body);
    let session = passed.session_cookie().unwrap();
    assert_eq!(app.call("/api/admin/dashboard", &[], Some(&session)).await.status, StatusCode::OK);
}

/// A session opened with the password before the owner enrolled (a stolen password, say) starts an
/// enrolment of its own; the owner then enrols in theirs. A code from the secret the first session
/// made must not count as passing the account's second factor.
#[sqlx::test(migrations = false)]
async fn a_secret_made_in_another_session_does_not_verify_it_once_the_owner_enrolled(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = app.create_account("admin").await;
    let intruder = app.login(&email, PASSWORD, None).await.session_cookie().unwrap();
    assert!(ok(&app.call("/api/security/totp/start", &[], Some(&intruder)).await));
    let status = app.call("/api/security/totp", &[], Some(&intruder)).await.json();
    let own_secret = status["state"]["Enrolling"]["secret"].as_str().unwrap().to_string();

    let owner = app.login(&email, PASSWORD, None).await.session_cookie().unwrap();
    app.enrol_second_factor(&owner).await;

    app.call("/api/security/totp/confirm", &[("code", &totp_code(&own_secret, 0))], Some(&intruder)).await;
    let refused = app.call("/api/admin/dashboard", &[], Some(&intruder)).await;
    assert_eq!(refused.json()["code"], "second_factor_required", "{}", refused.body);
}

/// The admin routes outside the server functions (exports, any developer's report, disputed
/// conversations' files) need the second factor as the server functions do.
#[sqlx::test(migrations = false)]
async fn admin_downloads_also_need_a_second_factor(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, email) = app.create_account("admin").await;
    let cookie = app.login(&email, PASSWORD, None).await.session_cookie().unwrap();
    let export = format!("/admin/exports/{}", uuid::Uuid::nil());
    let report = "/growth/reports/2026-10.pdf?developer=nobody-here";
    let message_file = format!("/messages/files/{}", uuid::Uuid::nil());
    for path in [export.as_str(), report, message_file.as_str()] {
        assert_eq!(app.get(path, Some(&cookie), None).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    app.enrol_second_factor(&cookie).await;
    for path in [export.as_str(), report, message_file.as_str()] {
        assert_eq!(app.get(path, Some(&cookie), None).await.status, StatusCode::NOT_FOUND, "{path}: asked, not there");
    }
}

/// Two logins sending the same code at the same moment: one passes, the other is refused.
#[sqlx::test(migrations = false)]
async fn one_code_sent_twice_at_once_passes_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (developer, cookie) = app.logged_in_user("developer").await;
    let enrolled = app.enrol_second_factor(&cookie).await;
    let email = email_of(&app, developer).await;
    let (first, second) = (password_step(&app, &email).await, password_step(&app, &email).await);
    let code = totp_code(&enrolled.secret, 1);
    let (a, b) = tokio::join!(second_step(&app, &first, &code), second_step(&app, &second, &code));
    assert_eq!([ok(&a), ok(&b)].iter().filter(|passed| **passed).count(), 1, "{} / {}", a.body, b.body);

    let recovery = &enrolled.recovery_codes[0];
    let (first, second) = (password_step(&app, &email).await, password_step(&app, &email).await);
    let (a, b) = tokio::join!(second_step(&app, &first, recovery), second_step(&app, &second, recovery));
    assert_eq!([ok(&a), ok(&b)].iter().filter(|passed| **passed).count(), 1, "{} / {}", a.body, b.body);
}
