//! What makes a resume card trustworthy outside CodeLink, through the real router and PostgreSQL:
//! verification pages for finished tasks and badges, signed Open Badges credentials and their
//! checker (genuine, edited, revoked), and the owner's choices (handle, hidden card, NDA).

use crate::common;

use axum::http::{header, StatusCode};
use common::{spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

const RECENTLY: &str = "now() - interval '3 days'";

async fn check(app: &TestApp, document: &str) -> Value {
    let reply = app.call_multipart("/api/credentials/check", &[("document", document), ("link", "")], &[], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

#[sqlx::test(migrations = false)]
async fn finished_tasks_and_badges_have_public_verification_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    let record = app.finished_task(RECENTLY).await;

    let task = app.call("/api/verify/task", &[("id", &record.task.to_string())], None).await.json();
    assert_eq!(task["title"], "订单数据分析看板");
    assert_eq!(task["developer"], "李雷");
    assert_eq!(task["merchant"], "星辰科技");
    assert_eq!(task["stars"], 5);
    let page = app.get(&format!("/verify/task/{}", record.task), None, Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in
        ["CodeLink 已核实", "订单数据分析看板", "星辰科技", "准时交付", &format!("href=\"/u/{}\"", record.handle)]
    {
        assert!(page.body.contains(shown), "the verification page lacks {shown}");
    }

    let badge = app.call("/api/verify/badge", &[("handle", &record.handle), ("slug", "first-task")], None).await.json();
    assert_eq!(badge["developer"], "李雷");
    assert_eq!(badge["evidence"][0], record.task.to_string(), "the task that earned it");
    let page = app.get(&format!("/verify/badge/{}/first-task", record.handle), None, Some("en")).await;
    assert!(
        page.body.contains("Confirmed by CodeLink") && page.body.contains(&format!("/verify/task/{}", record.task))
    );

    // The card links every task and badge to its confirmation.
    let card = app.get(&format!("/u/{}", record.handle), None, Some("zh-CN")).await;
    assert!(card.body.contains(&format!("href=\"/verify/task/{}\"", record.task)));
    assert!(card.body.contains(&format!("href=\"/verify/badge/{}/first-task\"", record.handle)));

    // Unknown tasks, unfinished ones and unearned badges are not confirmed.
    let unknown = app.call("/api/verify/task", &[("id", &uuid::Uuid::now_v7().to_string())], None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    sqlx::query("UPDATE tasks SET status = 'disputed' WHERE id = $1")
        .bind(record.task)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call("/api/verify/task", &[("id", &record.task.to_string())], None).await.status,
        StatusCode::NOT_FOUND
    );
    let unearned = app.call("/api/verify/badge", &[("handle", &record.handle), ("slug", "five-star")], None).await;
    assert_eq!(unearned.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn credentials_are_signed_once_and_the_checker_tells_genuine_edited_and_revoked_apart(pool: PgPool) {
    let app = spawn_app(pool).await;
    let record = app.finished_task(RECENTLY).await;
    let path = format!("/u/{}/credentials/badge/first-task", record.handle);

    let download = app.get(&path, None, None).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/vc+ld+json");
    assert!(download.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    let credential = download.json();
    assert_eq!(credential["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(credential["credentialSubject"]["name"], "李雷");
    assert_eq!(credential["credentialSubject"]["achievement"]["name"], "首单完成 · First task");
    assert!(credential["evidence"][0]["id"].as_str().unwrap().ends_with(&format!("/verify/task/{}", record.task)));
    assert!(credential["evidence"][0]["description"].as_str().unwrap().contains("星辰科技"));
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(app.get(&path, None, None).await.body, download.body, "the same credential every time");

    // The issuer profile publishes the key the proof names.
    let issuer = app.get("/issuer", None, None).await.json();
    assert_eq!(issuer["verificationMethod"][0]["id"], credential["proof"]["verificationMethod"]);
    assert!(issuer["verificationMethod"][0]["publicKeyMultibase"].as_str().unwrap().starts_with("z6Mk"));

    let genuine = check(&app, &download.body).await;
    assert_eq!(genuine["Genuine"]["subject"], "李雷");
    assert_eq!(genuine["Genuine"]["handle"], record.handle);
    // Pretty-printed or re-ordered, it is the same credential.
    let reformatted = serde_json::to_string_pretty(&credential).unwrap();
    assert!(check(&app, &reformatted).await.get("Genuine").is_some());
    // The linked form: the credential's own id.
    let link = credential["id"].as_str().unwrap();
    let linked = app.call_multipart("/api/credentials/check", &[("document", ""), ("link", link)], &[], None).await;
    assert!(linked.json().get("Genuine").is_some(), "{}", linked.body);

    let mut edited = credential.clone();
    edited["credentialSubject"]["name"] = "王五".into();
    assert_eq!(check(&app, &edited.to_string()).await, "Tampered");
    assert_eq!(check(&app, "{ not json").await, "Malformed");
    // A second copy of a key: a reader keeping the first would see "伪造"; it is not a credential.
    let doubled = format!("{{\"name\": \"伪造\", {}", &download.body[1..]);
    assert_eq!(check(&app, &doubled).await, "Malformed");
    assert_eq!(check(&app, r#"{"@context": [], "name": "no proof"}"#).await, "Malformed");
    let empty = app.call_multipart("/api/credentials/check", &[("document", " "), ("link", "")], &[], None).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = app
        .call_multipart("/api/credentials/check", &[("document", ""), ("link", "https://evil.example/x")], &[], None)
        .await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY, "other sites' links are not fetched");

    // Only admins revoke, and a revoked credential says so (and why) instead of "unknown".
    let id = link.rsplit('/').next().unwrap();
    let developer_try =
        app.call("/api/admin/credentials/revoke", &[("id", id), ("reason", "x")], Some(&record.developer_cookie)).await;
    assert_eq!(developer_try.status, StatusCode::FORBIDDEN);
    let admin = app.logged_in_as("admin").await;
    let blank = app.call("/api/admin/credentials/revoke", &[("id", id), ("reason", "  ")], Some(&admin)).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let revoked =
        app.call("/api/admin/credentials/revoke", &[("id", id), ("reason", "争议裁定后撤销")], Some(&admin)).await;
    assert_eq!(revoked.json(), true);
    let verdict = check(&app, &download.body).await;
    assert_eq!(verdict["Revoked"]["reason"], "争议裁定后撤销");

    // A level credential exists for the level reached, not for others.
    let level = app.get(&format!("/u/{}/credentials/level/B", record.handle), None, None).await;
    assert_eq!(level.status, StatusCode::OK);
    assert!(check(&app, &level.body).await.get("Genuine").is_some());
    assert_eq!(
        app.get(&format!("/u/{}/credentials/level/S", record.handle), None, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/u/{}/credentials/badge/five-star", record.handle), None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn the_owner_picks_a_handle_hides_the_card_or_withholds_merchant_names(pool: PgPool) {
    let app = spawn_app(pool).await;
    let record = app.finished_task(RECENTLY).await;
    let cookie = record.developer_cookie.as_str();
    // As the browser posts the form: a checkbox is sent only when it is ticked.
    let save = |handle: &str, public: bool, hide_merchants: bool| {
        let mut form = vec![("settings[handle]", handle)];
        form.extend(public.then_some(("settings[public]", "true")));
        form.extend(hide_merchants.then_some(("settings[hide_merchants]", "true")));
        let form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let app = app.clone();
        let cookie = cookie.to_string();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call("/api/profile/card", &form, Some(&cookie)).await
        }
    };

    assert_eq!(save(" Li-Lei ", true, false).await.status, StatusCode::OK);
    assert_eq!(app.call("/api/resume", &[("handle", "li-lei")], None).await.json()["name"], "李雷");
    assert_eq!(
        app.call("/api/resume", &[("handle", &record.handle)], None).await.status,
        StatusCode::NOT_FOUND,
        "the old address is gone"
    );

    let bad = save("李雷-lei", true, false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("invalid_handle"), "{}", bad.body);
    // Another developer cannot take it.
    let (_, other) = app.logged_in_user("developer").await;
    let taken = app
        .call("/api/profile/card", &[("settings[handle]", "li-lei"), ("settings[public]", "true")], Some(&other))
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("taken"), "{}", taken.body);
    let merchant = app.logged_in_as("merchant").await;
    let refused = app
        .call("/api/profile/card", &[("settings[handle]", "acme"), ("settings[public]", "true")], Some(&merchant))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // NDA: the merchant's name leaves the card, the verification page, the task page and
    // credentials (one issued before is withdrawn, saying why); the rating and comment stay.
    let before_nda = app.get("/u/li-lei/credentials/badge/first-task", None, None).await;
    assert!(before_nda.body.contains("星辰科技"));
    assert_eq!(save("li-lei", true, true).await.status, StatusCode::OK);
    let withdrawn =
        app.call_multipart("/api/credentials/check", &[("document", &before_nda.body), ("link", "")], &[], None).await;
    assert!(withdrawn.json()["Revoked"]["reason"].as_str().unwrap().contains("NDA"), "{}", withdrawn.body);
    let task_page = app.call("/api/task", &[("id", &record.task.to_string())], None).await;
    assert_eq!(task_page.status, StatusCode::NOT_FOUND, "outsiders cannot reach the merchant through the task page");
    let for_the_developer = app.call("/api/task", &[("id", &record.task.to_string())], Some(cookie)).await;
    assert_eq!(for_the_developer.status, StatusCode::OK, "the parties still see their task");
    let card = app.call("/api/resume", &[("handle", "li-lei")], None).await.json();
    assert_eq!(card["finished"][0]["merchant"], Value::Null);
    assert_eq!(card["finished"][0]["comment"], "准时交付");
    let task = app.call("/api/verify/task", &[("id", &record.task.to_string())], None).await.json();
    assert_eq!(task["merchant"], Value::Null);
    let page = app.get("/u/li-lei", None, Some("zh-CN")).await;
    assert!(!page.body.contains("星辰科技") && page.body.contains("保密"), "no merchant name on the page");
    let credential = app.get("/u/li-lei/credentials/badge/first-task", None, None).await;
    assert!(!credential.body.contains("星辰科技") && credential.body.contains("under NDA"));

    // Hidden: nothing public answers any more.
    assert_eq!(save("li-lei", false, true).await.status, StatusCode::OK);
    assert_eq!(app.call("/api/resume", &[("handle", "li-lei")], None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call("/api/verify/task", &[("id", &record.task.to_string())], None).await.status,
        StatusCode::NOT_FOUND
    );
    let badge = app.call("/api/verify/badge", &[("handle", "li-lei"), ("slug", "first-task")], None).await;
    assert_eq!(badge.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/u/li-lei/card.svg", None, None).await.status, StatusCode::NOT_FOUND);
    let credential_id = credential.json()["id"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let hidden_credential = app.get(&format!("/credentials/{credential_id}"), None, None).await;
    assert_eq!(hidden_credential.status, StatusCode::NOT_FOUND);
    let verdict =
        app.call_multipart("/api/credentials/check", &[("document", &credential.body), ("link", "")], &[], None).await;
    assert_eq!(verdict.json()["Genuine"]["handle"], Value::Null, "a hidden card's address is not given away");
    let profile = app.call("/api/profile", &[], Some(cookie)).await.json();
    assert_eq!(profile["card"], serde_json::json!({ "handle": "li-lei", "public": false, "hide_merchants": true }));
}
