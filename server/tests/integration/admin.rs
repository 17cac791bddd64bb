//! The admin console through the real server functions: the review queue and block list,
//! suspensions, dispute settlement by percentage, challenges created by admins, growth rules from a
//! chosen day, accounting exports and the append-only audit log.

use crate::common;

use axum::http::StatusCode;
use common::{flow::*, spawn_app, TestApp};
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

async fn audit_actions(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM admin_audit ORDER BY id").fetch_all(&app.pool).await.unwrap()
}

fn earned(panel: &serde_json::Value, slug: &str) -> bool {
    panel["badges"]
        .as_array()
        .is_some_and(|badges| badges.iter().any(|b| b["slug"] == slug && !b["earned_at"].is_null()))
}

async fn moderate(app: &TestApp, admin: &str, task: Uuid, action: &str, reason: &str) -> common::Reply {
    app.call(
        "/api/admin/moderation/task",
        &[("task", &task.to_string()), ("action", action), ("reason", reason)],
        Some(admin),
    )
    .await
}

#[sqlx::test(migrations = false)]
async fn a_new_merchants_first_tasks_and_blocked_words_wait_for_review(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let admin = app.logged_in_as("admin").await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let developer = app.logged_in_as("developer").await;
    top_up(&app, &merchant, "1000").await;

    // The first task waits: funded, told, in the queue, not in the hall, not open to applicants.
    let first = create_task(&app, &merchant, "100").await;
    ok(&app.call("/api/task/publish", &[("id", &first.to_string())], Some(&merchant)).await, "publish");
    assert_eq!(task_status(&app, first).await, "pending_review");
    assert_eq!(available(&app, merchant_id).await, 90_000, "the reward is in escrow while it waits");
    let queue = app.call("/api/admin/moderation", &[], Some(&admin)).await.json();
    assert_eq!(queue["tasks"][0]["hold"], json!({ "kind": "new_merchant" }));
    let hall = app.get("/", None, Some("zh-CN")).await;
    assert!(!hall.body.contains("Rust 后端接口开发"), "a task waiting for review is not in the hall");
    let refused = app.call("/api/task/apply", &[("task", &first.to_string()), ("pitch", "")], Some(&developer)).await;
    assert_eq!(refused.json()["reason"], "wrong_state");
    assert_eq!(app.call("/api/admin/moderation", &[], Some(&developer)).await.status, StatusCode::FORBIDDEN);

    // Rejecting needs a reason; with one, the escrow returns and the merchant reads why.
    assert_eq!(moderate(&app, &admin, first, "reject", "").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    ok(&moderate(&app, &admin, first, "reject", "描述含糊，请补充验收标准").await, "reject");
    assert_eq!(task_status(&app, first).await, "rejected");
    assert_eq!(available(&app, merchant_id).await, 100_000);
    let note: String =
        sqlx::query_scalar("SELECT note FROM notifications WHERE user_id = $1 AND kind = 'task_rejected'")
            .bind(merchant_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(note, "描述含糊，请补充验收标准");

    // Two approved tasks later, the merchant publishes directly...
    for _ in 0..2 {
        let task = create_task(&app, &merchant, "100").await;
        ok(&app.call("/api/task/publish", &[("id", &task.to_string())], Some(&merchant)).await, "publish");
        ok(&moderate(&app, &admin, task, "approve", "").await, "approve");
        assert_eq!(task_status(&app, task).await, "open");
    }
    let direct = create_task(&app, &merchant, "100").await;
    ok(&app.call("/api/task/publish", &[("id", &direct.to_string())], Some(&merchant)).await, "publish");
    assert_eq!(task_status(&app, direct).await, "open");

    // ...unless the text has a blocked word (found inside Chinese text, whatever its case).
    ok(
        &app.call("/api/admin/moderation/blocklist", &[("word", " 刷单 "), ("blocked", "true")], Some(&admin)).await,
        "block",
    );
    let mut form = task_form("100");
    form["form"]["description"] = json!("招人刷单返现，日结，为订单系统写三个接口。");
    let flagged: Uuid =
        serde_json::from_str(&app.call_json("/api/task/create", form, Some(&merchant)).await.body).unwrap();
    ok(&app.call("/api/task/publish", &[("id", &flagged.to_string())], Some(&merchant)).await, "publish");
    assert_eq!(task_status(&app, flagged).await, "pending_review");
    let queue = app.call("/api/admin/moderation", &[], Some(&admin)).await.json();
    assert_eq!(queue["tasks"][0]["hold"], json!({ "kind": "blocked_words", "words": ["刷单"] }));
    assert_eq!(queue["blocked_words"], json!(["刷单"]));

    // A developer reports the open task; the admin hides it and closes the report.
    ok(
        &app.call("/api/report", &[("task", &direct.to_string()), ("reason", "疑似外包转包")], Some(&developer)).await,
        "report",
    );
    ok(
        &app.call("/api/report", &[("task", &direct.to_string()), ("reason", "再点一次")], Some(&developer)).await,
        "again",
    );
    let queue = app.call("/api/admin/moderation", &[], Some(&admin)).await.json();
    assert_eq!(queue["reports"].as_array().unwrap().len(), 1, "a second click does not queue it twice");
    ok(&moderate(&app, &admin, direct, "hide", "疑似外包转包").await, "hide");
    assert_eq!(task_status(&app, direct).await, "hidden");
    let report = queue["reports"][0]["id"].to_string();
    ok(
        &app.call("/api/admin/moderation/report/resolve", &[("report", &report), ("outcome", "hidden")], Some(&admin))
            .await,
        "resolve",
    );
    ok(&moderate(&app, &admin, direct, "restore", "").await, "restore");
    assert_eq!(task_status(&app, direct).await, "open");

    assert_eq!(
        audit_actions(&app).await,
        [
            "task.rejected",
            "task.approved",
            "task.approved",
            "blocklist.add",
            "task.hidden",
            "report.resolve",
            "task.restored"
        ]
    );
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_suspended_user_can_log_in_and_withdraw_but_not_post_or_apply(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let admin = app.logged_in_as("admin").await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "500").await;
    let open = create_task(&app, &merchant, "100").await;
    publish(&app, &merchant, open).await;

    // Bad input: field errors, nothing written.
    let reply = app
        .call(
            "/api/admin/moderation/suspend",
            &[("user", &developer_id.to_string()), ("days", "0"), ("reason", "")],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = reply.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].clone()).collect();
    assert_eq!(fields, [json!("reason")], "days are checked once the reason is there");
    let reply = app
        .call(
            "/api/admin/moderation/suspend",
            &[("user", &developer_id.to_string()), ("days", "400"), ("reason", "批量复制申请")],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.json()["fields"][0]["field"], "days");

    for user in [developer_id, merchant_id] {
        let reply = app
            .call(
                "/api/admin/moderation/suspend",
                &[("user", &user.to_string()), ("days", "7"), ("reason", "批量复制申请")],
                Some(&admin),
            )
            .await;
        ok(&reply, "suspend");
    }
    // The task page says why instead of offering 一键投递 the server would refuse (issue 33).
    let page = app.get(&format!("/tasks/{open}"), Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains("data-testid=\"apply-restricted\""), "the restriction is shown");
    assert!(!page.body.contains("data-testid=\"apply\""), "no apply button for a suspended developer");
    let refused = app.call("/api/task/apply", &[("task", &open.to_string()), ("pitch", "")], Some(&developer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["reason"], json!({ "kind": "suspended", "days": 7 }));
    let draft = create_task(&app, &merchant, "100").await;
    let refused = app.call("/api/task/publish", &[("id", &draft.to_string())], Some(&merchant)).await;
    assert_eq!(refused.json()["code"], "restricted");
    assert_eq!(task_status(&app, draft).await, "draft");

    // Logging in and withdrawing still work.
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(merchant_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let login = app.login(&email, common::PASSWORD, None).await;
    let again = login.session_cookie().expect("a suspended user still logs in");
    let key = uuid::Uuid::now_v7().to_string();
    let reply = app.call("/api/wallet/withdraw", &[("amount", "100"), ("key", &key)], Some(&again)).await;
    ok(&reply, "withdraw while suspended");
    assert_eq!(available(&app, merchant_id).await, 30_000);
    assert_eq!(audit_actions(&app).await, ["task.approved", "user.suspend", "user.suspend"]);
}

#[sqlx::test(migrations = false)]
async fn an_admin_settles_a_dispute_seventy_thirty_and_the_ledger_moves_exactly_that(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "1000").await;
    let merchant_id: Uuid = sqlx::query_scalar("SELECT merchant_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let admin = app.logged_in_as("admin").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "全部完成").await;
    ok(
        &app.call("/api/task/dispute", &[("milestone", &m), ("reason", "只完成了一部分")], Some(&merchant)).await,
        "dispute",
    );
    ok(
        &app.call(
            "/api/task/dispute/respond",
            &[("milestone", &m), ("response", "主要功能都交付了")],
            Some(&developer),
        )
        .await,
        "respond",
    );
    let again =
        app.call("/api/task/dispute/respond", &[("milestone", &m), ("response", "再说一次")], Some(&developer)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one answer");

    let case = app.call("/api/admin/dispute", &[("milestone", &m)], Some(&admin)).await.json();
    assert_eq!(case["statement"], "只完成了一部分");
    assert_eq!(case["response"], "主要功能都交付了");
    assert_eq!(case["deliveries"][0]["message"], "全部完成");
    assert!(case["timeline"].as_array().unwrap().iter().any(|e| e["kind"] == "dispute_opened"));
    assert_eq!(app.call("/api/admin/disputes", &[], Some(&admin)).await.json()[0]["milestone"], json!(milestone));

    let settle = |share: &'static str| {
        let m = m.clone();
        let admin = admin.clone();
        let app = app.clone();
        async move {
            app.call(
                "/api/admin/settle_dispute",
                &[("milestone", &m), ("split", "percent"), ("developer_share", share), ("decision", "完成约七成")],
                Some(&admin),
            )
            .await
        }
    };
    assert_eq!(settle("120").await.json()["fields"][0]["field"], "amount", "over 100% is a field error");
    // Two admins clicking at once settle once.
    let (a, b) = tokio::join!(settle("70%"), settle("70%"));
    assert!(a.status.is_success() != b.status.is_success(), "{} / {}", a.status, b.status);

    // ¥700 less 10% commission to the developer, ¥300 back to the merchant.
    assert_eq!(available(&app, developer_id).await, 63_000);
    assert_eq!(available(&app, merchant_id).await, 30_000);
    assert_eq!(commission_total(&app).await, 7_000);
    assert_ledger_sound(&app).await;
    let (before, after): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("SELECT before, after FROM admin_audit WHERE action = 'dispute.settle'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before["escrow_fen"], 100_000);
    assert_eq!(after, json!({ "developer_fen": 70_000, "merchant_fen": 30_000 }));
}

#[sqlx::test(migrations = false)]
async fn an_admins_weekly_challenge_with_a_badge_is_earned_by_finishing_a_task(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let admin = app.logged_in_as("admin").await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    let form = |slug: &'static str, cadence: &'static str| {
        vec![
            ("form[slug]", slug),
            ("form[name_zh]", "每周冲刺"),
            ("form[name_en]", "Weekly sprint"),
            ("form[description_zh]", "本周完成 1 个任务"),
            ("form[description_en]", "Finish a task this week"),
            ("form[cadence]", cadence),
            ("form[activity]", "task_finished"),
            ("form[count]", "1"),
            ("form[growth_points]", "50"),
            ("form[with_badge]", "true"),
        ]
    };
    let reply = app.call("/api/admin/challenges/create", &form("Bad Slug", "monthly"), Some(&admin)).await;
    let fields: Vec<_> =
        reply.json()["fields"].as_array().expect(&reply.body).iter().map(|f| f["field"].clone()).collect();
    assert_eq!(fields, [json!("slug"), json!("cadence")]);
    ok(&app.call("/api/admin/challenges/create", &form("weekly-sprint", "weekly"), Some(&admin)).await, "create");
    let taken = app.call("/api/admin/challenges/create", &form("weekly-sprint", "weekly"), Some(&admin)).await;
    assert_eq!(taken.json()["fields"][0], json!({ "field": "slug", "problem": { "kind": "taken" } }));

    top_up(&app, &merchant, "300").await;
    finish_task(&app, &merchant, &developer, "300").await;
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert!(earned(&panel, "weekly-sprint"), "{panel}");
    let challenges = app.call("/api/admin/challenges", &[], Some(&admin)).await.json();
    let sprint = challenges.as_array().unwrap().iter().find(|c| c["slug"] == "weekly-sprint").unwrap().clone();
    assert_eq!(sprint["completions"], 1);

    // Stricter rules from tomorrow change nothing today; the badge and points stay whatever rules say.
    let points_before = panel["growth_points"].clone();
    let tomorrow: String =
        sqlx::query_scalar("SELECT to_char(china_date(now()) + 1, 'YYYY-MM-DD')").fetch_one(&app.pool).await.unwrap();
    let strict = [
        ("form[skill_points_per_difficulty]", "10"),
        ("form[xp_per_difficulty]", "40"),
        ("form[check_in_points]", "5"),
        ("form[b][finished_tasks]", "50"),
        ("form[b][average_rating]", "4.0"),
        ("form[b][skill_breadth]", "2"),
        ("form[a][finished_tasks]", "60"),
        ("form[a][average_rating]", "4.5"),
        ("form[a][skill_breadth]", "4"),
        ("form[s][finished_tasks]", "70"),
        ("form[s][average_rating]", "4.8"),
        ("form[s][skill_breadth]", "6"),
    ];
    let mut scheduled = strict.to_vec();
    scheduled.push(("from", &tomorrow));
    let reply = app.call("/api/admin/growth_rules/save", &scheduled, Some(&admin)).await.json();
    assert_eq!(reply["saved"], true);
    assert_eq!(reply["changed"], 0, "not in force before its day");
    assert_eq!(app.call("/api/growth/rules", &[], None).await.json()["levels"][0]["finished_tasks"], 3);
    // When its time comes (moved to the past here), the housekeeping run applies it.
    sqlx::query("UPDATE growth_rules SET effective_from = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    app::db::growth::apply_due_rules(&app.pool).await.unwrap();
    assert_eq!(app.call("/api/growth/rules", &[], None).await.json()["levels"][0]["finished_tasks"], 50);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["growth_points"], points_before);
    assert!(earned(&panel, "weekly-sprint"), "an earned badge stays: {panel}");

    // A preview saves nothing and says who would move.
    let mut preview = strict.to_vec();
    preview[3] = ("form[b][finished_tasks]", "1");
    preview.push(("preview", "true"));
    let reply = app.call("/api/admin/growth_rules/save", &preview, Some(&admin)).await.json();
    assert_eq!(reply["saved"], false);
    assert_eq!(reply["shift"]["before"][0], 1);
    let saved: i64 = sqlx::query_scalar("SELECT count(*) FROM growth_rules").fetch_one(&app.pool).await.unwrap();
    assert_eq!(saved, 1);
    // The form comes back to the editor, which shows the outcome once, filled with the numbers
    // previewed; after that it shows the rules in force again.
    let editor = app.call("/api/admin/growth_rules", &[], Some(&admin)).await.json();
    assert_eq!((&editor["outcome"]["saved"], &editor["form"]["b"]["finished_tasks"]), (&json!(false), &json!("1")));
    let editor = app.call("/api/admin/growth_rules", &[], Some(&admin)).await.json();
    assert_eq!((&editor["outcome"], &editor["form"]["b"]["finished_tasks"]), (&json!(null), &json!("50")));

    // Admins adjust growth points with a reason, never below zero.
    let adjust = |points: &'static str| {
        let (app, admin) = (app.clone(), admin.clone());
        async move {
            app.call(
                "/api/admin/users/adjust_points",
                &[("user", &developer_id.to_string()), ("points", points), ("reason", "社区贡献奖励")],
                Some(&admin),
            )
            .await
        }
    };
    ok(&adjust("25").await, "adjust");
    assert_eq!(adjust("-100000").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let merchant_adjust = app
        .call(
            "/api/admin/users/adjust_points",
            &[("user", &merchant_id.to_string()), ("points", "5"), ("reason", "不可")],
            Some(&admin),
        )
        .await;
    assert_eq!(merchant_adjust.status, StatusCode::UNPROCESSABLE_ENTITY);
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["growth_points"].as_i64().unwrap(), points_before.as_i64().unwrap() + 25);
    assert_eq!(audit_actions(&app).await, ["challenge.create", "task.approved", "growth_rules.save", "growth.adjust"]);
}

#[sqlx::test(migrations = false)]
async fn the_audit_log_is_append_only_and_searchable_and_exports_build_with_progress(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, _, milestone) = task_in_progress(&app, "200").await;
    let admin = app.logged_in_as("admin").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");

    let month: String = sqlx::query_scalar("SELECT china_text(now(), 'YYYY-MM')").fetch_one(&app.pool).await.unwrap();
    for kind in ["tasks", "payouts", "commission"] {
        let started = app.call("/api/admin/exports/start", &[("kind", kind), ("month", &month)], Some(&admin)).await;
        ok(&started, "start export");
        let id = started.json()["id"].as_str().unwrap().to_string();
        let mut finished = false;
        for _ in 0..100 {
            let progress = app.call("/api/admin/reports/export_status", &[("id", &id)], Some(&admin)).await.json();
            if progress["finished"] == true {
                assert_eq!(progress["failed"], false);
                assert_eq!(progress["done"], progress["total"]);
                finished = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(finished, "{kind} export finished");
        let file = app.get(&format!("/admin/exports/{id}"), Some(&admin), None).await;
        assert_eq!(file.status, StatusCode::OK);
        let lines: Vec<&str> = file.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2, "{kind}: header and one row: {}", file.body);
        match kind {
            "tasks" => assert!(lines[1].contains("Rust 后端接口开发") && lines[1].contains(",200.00,10.00,")),
            "payouts" => assert!(lines[1].ends_with(",180.00,20.00"), "{}", lines[1]),
            _ => assert!(lines[1].ends_with(",backend,10.00,20.00"), "{}", lines[1]),
        }
        let stranger = app.get(&format!("/admin/exports/{id}"), Some(&developer), None).await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    }

    let page = app.call("/api/admin/audit", &[("query", "payouts"), ("page", "1")], Some(&admin)).await.json();
    assert_eq!(page["total"], 1);
    assert_eq!(page["entries"][0]["action"], "export.csv");
    let everything = app.call("/api/admin/audit", &[("query", ""), ("page", "1")], Some(&admin)).await.json();
    assert_eq!(everything["total"], 4, "the approval of the first task and three exports");

    // Not even the database owner can rewrite history.
    for statement in ["UPDATE admin_audit SET reason = 'edited'", "DELETE FROM admin_audit", "TRUNCATE admin_audit"] {
        let refused = sqlx::query(statement).execute(&app.pool).await;
        assert!(refused.unwrap_err().to_string().contains("append-only"), "{statement}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_audit").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 4);
}

#[sqlx::test(migrations = false)]
async fn the_dashboard_counts_todays_money_and_work(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, _, developer, _, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    let admin = app.logged_in_as("admin").await;
    let dashboard = app.call("/api/admin/dashboard", &[], Some(&admin)).await.json();
    let today = &dashboard["today"];
    assert_eq!(today["tasks_posted"], 1);
    assert_eq!(today["tasks_funded"], 1);
    assert_eq!(today["tasks_completed"], 1);
    assert_eq!(today["gmv"], 50_000);
    assert_eq!(today["commission"], 5_000);
    assert!(today["new_users"].as_i64().unwrap() >= 3);
    assert_eq!(dashboard["days"].as_array().unwrap().len(), 30);
    assert_eq!(app.call("/api/admin/dashboard", &[], Some(&merchant)).await.status, StatusCode::FORBIDDEN);
}
