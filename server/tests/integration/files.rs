//! Files delivered with a milestone, through the real server functions and PostgreSQL: kept byte
//! for byte, served only to the two parties and admins, and refused whole when too big or too many.

use crate::common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{flow::*, spawn_app};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

#[sqlx::test(migrations = false)]
async fn delivered_files_are_kept_and_only_the_two_parties_and_admins_download_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, task, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    let design: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let files: [(&str, &[u8]); 2] = [("设计稿 v2.pdf", &design), ("C:\\work\\readme.txt", b"hello")];
    let reply = app
        .call_multipart(
            "/api/task/deliver",
            &[("milestone", &m), ("message", "附上设计稿"), ("links", "")],
            &files,
            Some(&developer),
        )
        .await;
    ok(&reply, "deliver with files");

    // The merchant sees both files on the task, under their cleaned names.
    let detail = app.call("/api/task", &[("id", &task.to_string())], Some(&merchant)).await.json();
    let listed = detail["milestones"][0]["deliveries"][0]["files"].as_array().unwrap().clone();
    let names: Vec<&str> = listed.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["设计稿 v2.pdf", "readme.txt"]);
    assert_eq!(listed[0]["size_bytes"], 300_000);
    let file_id = listed[0]["id"].as_str().unwrap().to_string();

    // A fresh router over the same database (a restarted server) still serves it, byte for byte.
    let restarted = spawn_app(app.pool.clone()).await;
    let download = |cookie: Option<String>| {
        let app = restarted.clone();
        let path = format!("/files/{file_id}");
        async move {
            let mut request = Request::get(path).header(header::HOST, common::HOST);
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let response = app.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
        }
    };
    let (status, headers, bytes) = download(Some(merchant.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, design, "the merchant gets the exact bytes");
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("UTF-8''%E8%AE%BE%E8%AE%A1%E7%A8%BF%20v2.pdf"));
    assert_eq!(download(Some(developer.clone())).await.0, StatusCode::OK);
    assert_eq!(download(Some(app.logged_in_as("admin").await)).await.0, StatusCode::OK);
    assert_eq!(
        download(Some(app.logged_in_as("developer").await)).await.0,
        StatusCode::NOT_FOUND,
        "a stranger learns nothing"
    );
    assert_eq!(download(Some(app.logged_in_as("merchant").await)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(None).await.0, StatusCode::UNAUTHORIZED);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn an_oversized_or_overfull_upload_is_refused_whole(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, _, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    let fields = [("milestone", m.as_str()), ("message", "交付"), ("links", "")];

    let big = vec![7u8; 10 * 1024 * 1024 + 1];
    let reply = app.call_multipart("/api/task/deliver", &fields, &[("big.zip", &big)], Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.json()["fields"][0]["field"], "files");
    assert_eq!(reply.json()["fields"][0]["problem"]["kind"], "file_too_large");

    let small: &[u8] = b"x";
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("a.txt", small)).collect();
    let reply = app.call_multipart("/api/task/deliver", &fields, &six, Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"][0]["problem"]["kind"], "too_many");

    // A good file with a bad link: the file is not kept either.
    let bad_link = [("milestone", m.as_str()), ("message", "交付"), ("links", "ftp://x")];
    let reply = app.call_multipart("/api/task/deliver", &bad_link, &[("a.txt", small)], Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    let deliveries: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries").fetch_one(&app.pool).await.unwrap();
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM delivery_files").fetch_one(&app.pool).await.unwrap();
    assert_eq!((deliveries, files), (0, 0), "nothing half-written");
    let status: String = sqlx::query_scalar("SELECT status FROM milestones WHERE id = $1")
        .bind(milestone)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "working");
}
