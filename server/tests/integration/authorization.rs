//! Walks every server function the app registers (the list comes from the app itself, so a new one
//! cannot be missed) and checks the gate in front of it.

use crate::common;

use app::{
    api::access::{access_for, ENDPOINTS},
    domain::{access::Access, account::Role},
};
use axum::http::{Method, StatusCode};
use common::spawn_app;
use sqlx::PgPool;

fn registered() -> Vec<(&'static str, Method)> {
    let mut fns: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    fns.sort_by_key(|(path, _)| *path);
    fns
}

#[sqlx::test(migrations = false)]
async fn every_server_function_has_a_rule_and_only_post(pool: PgPool) {
    let _app = spawn_app(pool).await; // links the router, and with it every server function
    let fns = registered();
    assert!(fns.len() >= ENDPOINTS.len(), "registry looks empty: {fns:?}");
    for (path, method) in &fns {
        assert!(access_for(path).is_some(), "{path} has no entry in api::access::ENDPOINTS");
        assert_eq!(*method, Method::POST, "{path} must accept only POST (no GET encodings)");
    }
    for (path, _) in ENDPOINTS {
        assert!(fns.iter().any(|(p, _)| p == path), "ENDPOINTS lists {path}, which is not registered");
    }
}

#[sqlx::test(migrations = false)]
async fn cross_origin_posts_are_refused_everywhere(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (path, _) in registered() {
        for origin in [Some("https://evil.example"), Some("null"), None] {
            let reply = app.call_from(path, &[], None, origin).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} from {origin:?}");
            assert_eq!(reply.json()["code"], "cross_origin", "{path}");
        }
    }
}

#[sqlx::test(migrations = false)]
async fn anonymous_callers_get_401_and_wrong_roles_get_403(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut sessions = Vec::new();
    for role in [Role::Developer, Role::Merchant, Role::Admin] {
        sessions.push((role, app.logged_in_as(role.as_str()).await));
    }
    let mut checked_roles = 0;
    for (path, _) in registered() {
        let access = access_for(path).unwrap();
        if access == Access::Public {
            continue;
        }
        let reply = app.call(path, &[], None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path} anonymous: {}", reply.body);
        assert_eq!(reply.json()["code"], "unauthorized");
        if let Access::Role(required) = access {
            for (role, cookie) in &sessions {
                if *role != required {
                    let reply = app.call(path, &[], Some(cookie)).await;
                    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} as {role:?}");
                    assert_eq!(reply.json()["code"], "forbidden");
                    checked_roles += 1;
                }
            }
        }
    }
    assert!(checked_roles > 0, "no role-restricted function was exercised");
}

/// Pages render on the server by calling server functions in-process, past the HTTP gate; the
/// function's own `authorize` call must still refuse.
#[sqlx::test(migrations = false)]
async fn server_rendered_admin_page_does_not_leak_to_other_roles(pool: PgPool) {
    let app = spawn_app(pool).await;
    let developer = app.logged_in_as("developer").await;
    let page = app.get("/admin", Some(&developer), None).await;
    assert!(page.body.contains("当前账号没有权限执行此操作"), "{}", page.body);
    assert!(!page.body.contains("用户总数"));

    let admin = app.logged_in_as("admin").await;
    let page = app.get("/admin", Some(&admin), None).await;
    assert!(page.body.contains("用户总数"), "admin sees the figures");
}
