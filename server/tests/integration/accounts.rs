//! Registration, login, sessions and their protections, through the real HTTP stack.

use crate::common;

use axum::http::{header, StatusCode};
use common::{spawn_app, PASSWORD};
use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn bad_registrations_get_field_errors_and_write_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let reply = app
        .call(
            "/api/register",
            &[
                ("email", "not-an-email"),
                ("password", "short"),
                ("display_name", "李雷"),
                ("role", "developer"),
                ("consent", "on"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.field_errors(),
        vec![("email".into(), "invalid_email".into()), ("password".into(), "too_short".into())]
    );

    let huge = "x".repeat(10 * 1024 * 1024);
    let reply = app
        .call(
            "/api/register",
            &[
                ("email", "a@b.cn"),
                ("password", PASSWORD),
                ("display_name", &huge),
                ("role", "developer"),
                ("consent", "on"),
            ],
            None,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a 10 MB field is a field error, not a crash: {}",
        &reply.body[..reply.body.len().min(300)]
    );
    assert_eq!(reply.field_errors(), vec![("display_name".into(), "too_long".into())]);

    let reply = app
        .call(
            "/api/register",
            &[("email", ""), ("password", ""), ("display_name", ""), ("role", ""), ("consent", "on")],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors().len(), 4);

    let reply = app
        .call(
            "/api/register",
            &[
                ("email", "boss@b.cn"),
                ("password", PASSWORD),
                ("display_name", "Boss"),
                ("role", "admin"),
                ("consent", "on"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.field_errors(), vec![("role".into(), "not_allowed".into())]);

    assert_eq!(app.user_count().await, 0, "no partial write");
}

#[sqlx::test(migrations = false)]
async fn duplicate_email_in_any_case_is_a_field_error(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.register("dup@example.cn", "developer", None).await;
    let reply = app
        .call(
            "/api/register",
            &[
                ("email", "DUP@Example.CN"),
                ("password", PASSWORD),
                ("display_name", "Again"),
                ("role", "merchant"),
                ("merchant_kind", "team"),
                ("consent", "on"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), vec![("email".into(), "email_taken".into())]);
    assert_eq!(app.user_count().await, 1);
}

#[sqlx::test(migrations = false)]
async fn passwords_are_stored_as_argon2id_with_owasp_parameters(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.register("hash@example.cn", "merchant", Some("individual")).await;
    let (hash, role, kind): (String, String, Option<String>) =
        sqlx::query_as("SELECT password_hash, role, merchant_kind FROM users").fetch_one(&app.pool).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    assert_eq!((role.as_str(), kind.as_deref()), ("merchant", Some("individual")));
}

#[sqlx::test(migrations = false)]
async fn session_cookie_is_http_only_and_same_site_lax(pool: PgPool) {
    let app = spawn_app(pool).await;
    let reply = app
        .call(
            "/api/register",
            &[
                ("email", "c@example.cn"),
                ("password", PASSWORD),
                ("display_name", "Cookie"),
                ("role", "developer"),
                ("consent", "on"),
            ],
            None,
        )
        .await;
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("codelink_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

#[sqlx::test(migrations = false)]
async fn login_renews_the_session_id_and_logout_destroys_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.register("one@example.cn", "developer", None).await;
    app.register("two@example.cn", "developer", None).await;

    // Logging in while holding an existing session must not keep that session's id.
    let reply = app.login("two@example.cn", PASSWORD, Some(&first)).await;
    let second = reply.session_cookie().expect("a new session cookie");
    assert_ne!(first, second, "session id renewed at login");
    let me = app.call("/api/current_user", &[], Some(&first)).await;
    assert_eq!(me.json(), serde_json::Value::Null, "the old id no longer identifies anyone");
    let me = app.call("/api/current_user", &[], Some(&second)).await;
    assert_eq!(me.json()["role"], "developer");

    let sessions_before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session").fetch_one(&app.pool).await.unwrap();
    let reply = app.call("/api/logout", &[], Some(&second)).await;
    assert!(!reply.status.is_client_error(), "{}", reply.body);
    let sessions_after: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions_after, sessions_before - 1, "logout deletes the session row");
    let me = app.call("/api/current_user", &[], Some(&second)).await;
    assert_eq!(me.json(), serde_json::Value::Null, "a copied cookie is dead after logout");
}

#[sqlx::test(migrations = false)]
async fn wrong_password_then_rate_limit(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.register("victim@example.cn", "developer", None).await;
    let reply = app.login("victim@example.cn", "wrong-password", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["code"], "wrong_credentials");
    let unknown = app.login("nobody@example.cn", "wrong-password", None).await;
    assert_eq!(unknown.json()["code"], "wrong_credentials", "unknown emails look the same");

    for _ in 0..4 {
        app.login("victim@example.cn", "wrong-password", None).await;
    }
    let reply = app.login("victim@example.cn", PASSWORD, None).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits: {}", reply.body);
    assert_eq!(reply.json()["code"], "rate_limited");
}

#[sqlx::test(migrations = false)]
async fn login_validates_its_fields(pool: PgPool) {
    let app = spawn_app(pool).await;
    let reply = app.login("bad", "", None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), vec![("email".into(), "invalid_email".into())]);
    let reply = app.login("ok@example.cn", "", None).await;
    assert_eq!(reply.field_errors(), vec![("password".into(), "required".into())]);
}
