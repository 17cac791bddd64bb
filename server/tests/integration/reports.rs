//! The monthly growth report PDF through the real router, PostgreSQL and the Noto CJK font: it
//! renders the month's record (checked with poppler's `pdftotext`, `pdfinfo` and `pdftoppm`), is
//! stored so the same month downloads the same file, exists only for months that are over, is
//! private to its developer (and admins), and admins export a month as one ZIP.

use crate::common;

use axum::http::{header, StatusCode};
use common::{spawn_app, TestApp};
use sqlx::PgPool;
use std::{path::Path, process::Command};

/// Ten days before this month began, China time: inside last month whatever today is.
const LAST_MONTH: &str = "china_instant(date_trunc('month', china_time(now())) - interval '10 days')";

async fn month_text(pool: &PgPool, months_ago: i32) -> String {
    sqlx::query_scalar(
        "SELECT to_char(date_trunc('month', china_time(now())) - make_interval(months => $1), 'YYYY-MM')",
    )
    .bind(months_ago)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is missing ({e}): scripts/test installs poppler-utils"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[sqlx::test(migrations = false)]
async fn a_past_month_renders_to_a_pdf_with_the_record_in_chinese_and_downloads_the_same_again(pool: PgPool) {
    let app = spawn_app(pool).await;
    let record = app.finished_task(LAST_MONTH).await;
    let month = month_text(&app.pool, 1).await;
    let path = format!("/growth/reports/{month}.pdf?lang=zh");
    // Someone who joined this month has no report to offer yet.
    let months = |app: TestApp, cookie: String| async move {
        app.call("/api/growth/me", &[], Some(&cookie)).await.json()["report_months"].clone()
    };
    assert_eq!(months(app.clone(), record.developer_cookie.clone()).await, serde_json::json!([]));
    assert_eq!(app.get(&path, Some(&record.developer_cookie), None).await.status, StatusCode::NOT_FOUND);
    sqlx::query(&format!("UPDATE users SET created_at = {LAST_MONTH} WHERE id = $1"))
        .bind(record.developer)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(months(app.clone(), record.developer_cookie.clone()).await, serde_json::json!([month]));

    let first = app.get(&path, Some(&record.developer_cookie), None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(first.bytes.starts_with(b"%PDF"));
    assert!(first.bytes.len() < 1024 * 1024, "{} bytes", first.bytes.len());

    let dir = std::env::temp_dir().join(format!("codelink-report-{}", record.task));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("report.pdf");
    std::fs::write(&pdf, &first.bytes).unwrap();
    let pdf = pdf.to_str().unwrap();
    let text = poppler("pdftotext", &["-layout", pdf, "-"]);
    for shown in ["李雷", "数据分析", "订单数据分析看板", "星辰科技", "准时交付", "成长月报", &record.handle]
    {
        assert!(text.contains(shown), "the report lacks {shown}:\n{text}");
    }
    let info = poppler("pdfinfo", &[pdf]);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 1")), "{info}");
    // Rendered, the page is not blank: a fair share of its pixels are not white.
    let png_prefix = dir.join("page");
    poppler("pdftoppm", &["-png", "-r", "40", "-f", "1", "-l", "1", pdf, png_prefix.to_str().unwrap()]);
    let png = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("pdftoppm wrote page 1");
    assert_not_blank(&png);

    // The level printed is the one held at the month's end (one finished task: C under the launch
    // rules), not today's (the fixture's summary row says B).
    let month_value = app::domain::reports::ReportMonth::parse(&month).unwrap();
    let ranks = app::db::reports::MonthRanks::load(&app.pool, month_value).await.unwrap();
    let zh = app::i18n::Locale::zh_CN;
    let facts =
        app::db::reports::monthly_report(&app.pool, record.developer, month_value, zh, &ranks).await.unwrap().unwrap();
    assert_eq!(facts.level, "C");
    assert_eq!((facts.tasks.len(), facts.xp_gained), (1, 120));
    assert_eq!(facts.badges, ["首单完成"], "the badge earned that month");
    assert_eq!(
        (facts.rank_before, facts.rank_after, facts.ranked_developers),
        (None, Some(1), 1),
        "first on the board"
    );

    let again = app.get(&path, Some(&record.developer_cookie), None).await;
    assert_eq!(again.bytes, first.bytes, "a month's report is stored, not remade");
    let english = app.get(&format!("/growth/reports/{month}.pdf?lang=en"), Some(&record.developer_cookie), None).await;
    // Named with the month, the handle and the language, like the files in admins' ZIP.
    let named = |reply: &crate::common::Reply| reply.headers["content-disposition"].to_str().unwrap().to_string();
    assert!(named(&english).contains(&format!("codelink-{month}-{}-en.pdf", record.handle)), "{}", named(&english));
    assert!(named(&again).contains(&format!("codelink-{month}-{}-zh.pdf", record.handle)), "{}", named(&again));
    std::fs::write(dir.join("en.pdf"), &english.bytes).unwrap();
    let text = poppler("pdftotext", &[dir.join("en.pdf").to_str().unwrap(), "-"]);
    assert!(text.contains("Monthly growth report") && text.contains("Data analysis"), "{text}");

    // This month is not over; other people's reports are not yours; admins may read any.
    let this_month = month_text(&app.pool, 0).await;
    let current = app.get(&format!("/growth/reports/{this_month}.pdf"), Some(&record.developer_cookie), None).await;
    assert_eq!(current.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, None, None).await.status, StatusCode::UNAUTHORIZED);
    let other = app.logged_in_as("developer").await;
    let someone_else = app.get(&format!("{path}&developer={}", record.handle), Some(&other), None).await;
    assert_eq!(someone_else.status, StatusCode::FORBIDDEN);
    let admin = app.logged_in_as("admin").await;
    let by_admin = app.get(&format!("{path}&developer={}", record.handle), Some(&admin), None).await;
    assert_eq!(by_admin.bytes, first.bytes);
    let ancient = app.get("/growth/reports/2001-01.pdf", Some(&record.developer_cookie), None).await;
    assert_eq!(ancient.status, StatusCode::NOT_FOUND, "only the months offered");
    std::fs::remove_dir_all(&dir).ok();
}

fn assert_not_blank(png: &Path) {
    // A PNG of a blank page compresses to almost nothing; a page of text and charts does not.
    let size = std::fs::metadata(png).unwrap().len();
    assert!(size > 10_000, "page 1 looks blank ({size} bytes of PNG)");
}

#[sqlx::test(migrations = false)]
async fn admins_export_a_month_as_one_zip_and_watch_it_progress(pool: PgPool) {
    let app = spawn_app(pool).await;
    let record = app.finished_task(LAST_MONTH).await;
    let month = month_text(&app.pool, 1).await;
    let admin = app.logged_in_as("admin").await;

    let developer_try = app
        .call(
            "/api/admin/reports/export",
            &[("month", &month), ("language", "zh"), ("handles", "")],
            Some(&record.developer_cookie),
        )
        .await;
    assert_eq!(developer_try.status, StatusCode::FORBIDDEN);
    let this_month = month_text(&app.pool, 0).await;
    let unfinished = app
        .call("/api/admin/reports/export", &[("month", &this_month), ("language", "zh"), ("handles", "")], Some(&admin))
        .await;
    assert_eq!(unfinished.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unfinished.body.contains("month_not_over"), "{}", unfinished.body);

    let started = app
        .call("/api/admin/reports/export", &[("month", &month), ("language", "zh"), ("handles", "")], Some(&admin))
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let export = started.json();
    assert_eq!(export["total"], 1, "every developer with growth by then: the fixture's one");
    let id = export["id"].as_str().unwrap().to_string();
    let mut progress = export;
    for _ in 0..100 {
        if progress["finished"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        progress = app.call("/api/admin/reports/export_status", &[("id", &id)], Some(&admin)).await.json();
    }
    assert_eq!(progress["done"], 1);
    assert_eq!(progress["failed"], false);

    let zip = app.get(&format!("/admin/exports/{id}"), Some(&admin), None).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    assert!(zip.bytes.starts_with(b"PK\x03\x04"), "a ZIP archive");
    let name = format!("codelink-{month}-{}-zh.pdf", record.handle);
    assert!(zip.bytes.windows(name.len()).any(|w| w == name.as_bytes()), "the ZIP holds {name}");
    assert_eq!(
        app.get(&format!("/admin/exports/{id}"), Some(&record.developer_cookie), None).await.status,
        StatusCode::FORBIDDEN
    );
}
