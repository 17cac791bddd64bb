//! Growth through the real server functions and PostgreSQL: the XP and skill points a finished task
//! earns (once, even when completions race), the tasks a level opens, and challenges, profiles and
//! invitations: the week-one welcome challenge, the weekly growth challenge by invitation, and what
//! a challenge awards (once, even when the events that complete it race).

use crate::common;

use app::db;
use axum::http::StatusCode;
use common::{
    flow::{
        self, assert_ledger_sound, create_task, deliver, futures_join, milestone_of, ok, publish, review, task_form,
        task_in_progress, top_up,
    },
    spawn_app, Reply, TestApp,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn seed_tags(app: &TestApp) {
    sqlx::query(
        "INSERT INTO skill_tags (slug, name_zh, name_en, branch)
         VALUES ('rust', 'Rust', 'Rust', 'backend'), ('vue', 'Vue', 'Vue', 'frontend') ON CONFLICT DO NOTHING",
    )
    .execute(&app.pool)
    .await
    .unwrap();
}

fn challenge<'a>(panel: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    panel["challenges"].as_array().unwrap().iter().find(|c| c["slug"] == slug).unwrap_or_else(|| panic!("{slug}"))
}

/// Saves the profile form as the browser posts it: each chosen skill is one `form[skills][]` checkbox.
async fn save_profile(app: &TestApp, bio: &str, skills: &[&str], cookie: &str) -> Reply {
    let mut form = vec![("form[display_name]", "韩梅梅"), ("form[headline]", "Vue 前端工程师"), ("form[bio]", bio)];
    form.extend(skills.iter().map(|skill| ("form[skills][]", *skill)));
    app.call("/api/profile/save", &form, Some(cookie)).await
}

#[sqlx::test(migrations = false)]
async fn the_welcome_challenge_gives_its_badge_and_100_points_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let developer = app.register("meimei@test.cn", "developer", None).await;

    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    let welcome = challenge(&panel, "welcome");
    assert_eq!((welcome["done"].clone(), welcome["days_left"].clone()), (json!(false), json!(7)));
    assert_eq!(welcome["goals"][0], json!({ "activity": "profile_completed", "have": 0, "need": 1 }));

    // An incomplete profile is refused field by field, and writes nothing.
    let reply = save_profile(&app, "短", &[], &developer).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.json();
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["bio", "tags"]);
    let unknown = save_profile(&app, "三年 Vue 经验，做过电商后台。", &["cobol"], &developer).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown skill: {}", unknown.body);
    let saved = app.call("/api/profile", &[], Some(&developer)).await.json();
    assert_eq!((saved["form"]["headline"].clone(), saved["form"]["skills"].clone()), (json!(""), json!([])));

    let reply = save_profile(&app, "三年 Vue 经验，做过电商后台。", &["vue", "rust"], &developer).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let saved = app.call("/api/profile", &[], Some(&developer)).await.json();
    assert_eq!(saved["form"]["skills"], json!(["rust", "vue"]));
    assert_eq!(saved["saved"], "Profile", "the page the form returns to says so, once");
    assert_eq!(app.call("/api/profile", &[], Some(&developer)).await.json()["saved"], json!(null));
    // The page the form leaves may read itself again for a live region (the bell) while the post
    // is under way; that read only peeks, and the page the form returns to still says "saved".
    save_profile(&app, "三年 Vue 经验，做过电商后台。", &["vue", "rust"], &developer).await;
    let region_read = app
        .send(
            axum::http::Request::get("/profile")
                .header(axum::http::header::HOST, common::HOST)
                .header(axum::http::header::COOKIE, &developer)
                .header(app::views::live::REGION_REFRESH_HEADER, "bell-count")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(region_read.status, StatusCode::OK);
    assert!(app.get("/profile", Some(&developer), None).await.body.contains("data-testid=\"profile-saved\""));
    assert!(!app.get("/profile", Some(&developer), None).await.body.contains("data-testid=\"profile-saved\""));
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(challenge(&panel, "welcome")["goals"][0]["have"], 1);
    assert_eq!(panel["growth_points"], 0, "half a challenge earns nothing");

    // Eight simultaneous hall visits finish it once: 100 points and the badge, never twice.
    let visits: Vec<_> = (0..8)
        .map(|_| {
            let (app, developer) = (app.clone(), developer.clone());
            tokio::spawn(async move { app.call("/api/hall", &[("query[page]", "1")], Some(&developer)).await.status })
        })
        .collect();
    for visit in visits {
        assert_eq!(visit.await.unwrap(), StatusCode::OK);
    }
    // Saving the profile again is not a second completion either.
    save_profile(&app, "三年 Vue 经验，做过电商后台。", &["vue"], &developer).await;
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(challenge(&panel, "welcome")["done"], true);
    assert_eq!(panel["growth_points"], 100);
    let badge = panel["badges"].as_array().unwrap().iter().find(|b| b["slug"] == "welcome").unwrap();
    assert!(badge["earned_at"].is_string(), "{badge}");
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM growth_events e JOIN users u ON u.id = e.developer_id
         WHERE u.email = 'meimei@test.cn' AND e.kind IN ('hall_browsed', 'profile_completed', 'challenge_completed')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(events, 3, "one visit today, one profile, one completion");

    // The panel page renders the challenge done, before any JavaScript runs.
    let page = app.get("/growth", Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains(r#"data-testid="challenge-welcome" data-done="true""#), "{}", page.body);
    assert!(page.body.contains("新人见面礼"));
}

#[sqlx::test(migrations = false)]
async fn an_invited_registration_counts_for_the_inviter_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let inviter = app.register("inviter@test.cn", "developer", None).await;
    let code =
        app.call("/api/growth/me", &[], Some(&inviter)).await.json()["invite_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);

    let page = app.get(&format!("/register?invite={code}"), None, Some("zh-CN")).await;
    assert!(page.body.contains(&format!(r#"name="invite" value="{code}""#)), "the form carries the code");

    let form = [
        ("email", "friend@test.cn"),
        ("password", common::PASSWORD),
        ("display_name", "朋友"),
        ("role", "developer"),
        ("invite", code.as_str()),
        ("consent", "on"),
    ];
    let reply = app.call("/api/register", &form, None).await;
    assert!(reply.status.is_redirection() || reply.status.is_success(), "{}", reply.body);
    // An unknown code never stops anyone from joining, and counts for nobody.
    let stranger = [
        ("email", "stranger@test.cn"),
        ("password", common::PASSWORD),
        ("display_name", "路人"),
        ("role", "merchant"),
        ("merchant_kind", "team"),
        ("invite", "no-such-code"),
        ("consent", "on"),
    ];
    let reply = app.call("/api/register", &stranger, None).await;
    assert!(reply.status.is_redirection() || reply.status.is_success(), "{}", reply.body);

    let panel = app.call("/api/growth/me", &[], Some(&inviter)).await.json();
    assert_eq!(panel["invited"], 1);
    let weekly = challenge(&panel, "weekly-growth");
    assert_eq!(weekly["done"], true);
    assert_eq!(weekly["any_of"], true);
    assert_eq!(panel["growth_points"], 30);
    assert_eq!(panel["lottery_entries"], 1);
}

#[sqlx::test(migrations = false)]
async fn onboarding_challenges_close_after_their_days(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (id, developer) = app.logged_in_user("developer").await;
    sqlx::query("UPDATE users SET created_at = now() - interval '8 days' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    let open: Vec<&str> = panel["challenges"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert!(!open.contains(&"welcome"), "the welcome week is over: {open:?}");
    assert!(open.contains(&"first-application") && open.contains(&"daily-visit"), "{open:?}");
}

#[sqlx::test(migrations = false)]
async fn the_growth_rules_are_public_in_both_languages(pool: PgPool) {
    let app = spawn_app(pool).await;
    let zh = app.get("/help/growth", None, Some("zh-CN")).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains(r#"data-testid="level-rules""#));
    assert!(zh.body.contains("完成 30 个任务"), "S needs 30 finished tasks: {}", zh.body);
    assert!(zh.body.contains("入驻见面礼"));
    let en = app.get("/help/growth", None, Some("en")).await;
    assert!(en.body.contains("30 finished tasks") && en.body.contains("How growth works"));
}

fn rules_form<'a>(b_tasks: &'a str, a_rating: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[skill_points_per_difficulty]", "15"),
        ("form[xp_per_difficulty]", "40"),
        ("form[check_in_points]", "8"),
        ("form[b][finished_tasks]", b_tasks),
        ("form[b][average_rating]", "3.8"),
        ("form[b][skill_breadth]", "2"),
        ("form[a][finished_tasks]", "12"),
        ("form[a][average_rating]", a_rating),
        ("form[a][skill_breadth]", "4"),
        ("form[s][finished_tasks]", "30"),
        ("form[s][average_rating]", "4.6"),
        ("form[s][skill_breadth]", "6"),
    ]
}

#[sqlx::test(migrations = false)]
async fn admins_tune_the_growth_rules_and_every_level_follows_at_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    seed_tags(&app).await;
    let admin = app.logged_in_as("admin").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    // A B record under the launch rules: 3 finished tasks at 4.0★ over two skills.
    sqlx::query(
        "WITH g AS (INSERT INTO developer_growth (developer_id, finished_tasks, rating_sum, rating_count, level)
                    VALUES ($1, 3, 12, 3, 'B'))
         INSERT INTO developer_skills (developer_id, tag_id, points) SELECT $1, id, 30 FROM skill_tags",
    )
    .bind(developer_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let saved_rules = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM growth_rules").fetch_one(&app.pool).await.unwrap()
    };

    // Out of range, not a number, or a level asking less than the one below: field errors, nothing saved.
    let reply = app.call("/api/admin/growth_rules/save", &rules_form("abc", "9"), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let fields: Vec<_> = reply.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].clone()).collect();
    assert_eq!(fields, [json!("level_b"), json!("level_a")]);
    let reply = app.call("/api/admin/growth_rules/save", &rules_form("13", "4.3"), Some(&admin)).await;
    assert_eq!(reply.json()["fields"][0], json!({ "field": "level_a", "problem": { "kind": "levels_out_of_order" } }));
    let reply = app.call("/api/admin/growth_rules/save", &rules_form("5", "4.3"), Some(&developer)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(saved_rules().await, 0);

    // B now needs 5 tasks: the developer is C again at once, and the panel says what is missing.
    let reply = app.call("/api/admin/growth_rules/save", &rules_form("5", "4.3"), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["changed"], json!(1), "one developer changed level");
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["level"], "C");
    assert_eq!(panel["next"][1]["finished_tasks"], 2);
    assert_eq!(panel["rules"]["xp_per_difficulty"], 40);
    let stored: String = sqlx::query_scalar("SELECT level FROM developer_growth WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, "C", "the stored level (commission, task locks) follows too");

    // The new weights apply from the next event on: today's check-in is worth 8.
    assert_eq!(app.call("/api/growth/check_in", &[], Some(&developer)).await.body, "true");
    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["growth_points"], 8);

    // Everyone reads the rules in force; the help page prints them.
    let public = app.call("/api/growth/rules", &[], None).await.json();
    assert_eq!(public["levels"][0]["finished_tasks"], 5);
    let help = app.get("/help/growth", None, Some("zh-CN")).await;
    assert!(help.body.contains("完成 5 个任务") && help.body.contains("难度×40 经验值"), "{}", help.body);

    // Putting B back restores the level; each save is kept as history.
    let reply = app.call("/api/admin/growth_rules/save", &rules_form("3", "4.3"), Some(&admin)).await;
    assert_eq!(reply.json()["changed"], json!(1));
    assert_eq!(app.call("/api/growth/me", &[], Some(&developer)).await.json()["level"], "B");
    assert_eq!(saved_rules().await, 2);
}

// What a finished task earns the developer (points, never money), and what a level opens.

async fn growth_row(app: &TestApp, developer: Uuid) -> (i64, i32, i32, String) {
    sqlx::query_as("SELECT xp, finished_tasks, rating_count, level FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn skill_points(app: &TestApp, developer: Uuid, slug: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT s.points FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id WHERE s.developer_id = $1 AND t.slug = $2",
    )
    .bind(developer)
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_finished_and_rated_task_grows_the_developer_exactly_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant, developer_id, developer, task, milestone) = task_in_progress(&app, "500").await;
    let m = milestone.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    // The payout commits the growth it owes, and the growth worker awards it after.
    assert_eq!(growth_row(&app, developer_id).await, (0, 0, 0, "C".into()), "not awarded inside the payout");
    assert_eq!(app.drain_growth().await, 1);
    // Difficulty 3, one tag: 3×20 XP and 3×10 points for Rust.
    assert_eq!(growth_row(&app, developer_id).await, (60, 1, 0, "C".into()));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 30);

    // Replaying the completion (a retried job, a second server) awards nothing.
    assert_eq!(app.drain_growth().await, 0, "the outbox row is gone");
    let mut tx = app.pool.begin().await.unwrap();
    let difficulty = app::domain::tasks::Difficulty::new(3).unwrap();
    db::growth::award_completion(&mut tx, task, developer_id, difficulty).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(growth_row(&app, developer_id).await.0, 60);

    let bad = review(&app, &merchant, task, ["6", "5", "5"], "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"][0]["field"], "rating");
    let stranger = app.logged_in_as("merchant").await;
    assert_eq!(review(&app, &stranger, task, ["5", "5", "5"], "").await.status, StatusCode::FORBIDDEN);

    ok(&review(&app, &merchant, task, ["5", "5", "5"], "交付干净利落").await, "merchant's review");
    // Hidden until the developer has written theirs: their points would give the rating away.
    assert_eq!(growth_row(&app, developer_id).await, (60, 1, 0, "C".into()));
    ok(&review(&app, &developer, task, ["5", "4", "5"], "需求清楚").await, "developer's review");
    // 5★ is 150 %: +30 XP and +15 points on top of the base.
    assert_eq!(growth_row(&app, developer_id).await, (90, 1, 1, "C".into()));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 45);
    let again = review(&app, &merchant, task, ["1", "1", "1"], "").await;
    assert_eq!(again.json()["reason"], "wrong_state", "fixed once revealed");
    assert_eq!(growth_row(&app, developer_id).await.0, 90);

    // Every point traces to its event.
    let traced: i64 = sqlx::query_scalar("SELECT sum(xp)::int8 FROM growth_events WHERE developer_id = $1")
        .bind(developer_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(traced, 90);

    let panel = app.call("/api/growth/me", &[], Some(&developer)).await.json();
    assert_eq!(panel["xp"], 90);
    assert_eq!(panel["level"], "C");
    assert_eq!(panel["skills"][0]["slug"], "rust");
    assert_eq!(panel["next"][1]["finished_tasks"], 2, "two more tasks for B");
    assert_eq!(panel["rank"], 1);
    assert_eq!(app.call("/api/growth/me", &[], Some(&merchant)).await.status, StatusCode::FORBIDDEN);
    let page = app.get("/growth", Some(&developer), Some("zh-CN")).await;
    assert!(page.body.contains("技能图谱") && page.body.contains("skill-radar"), "the panel renders on the server");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn thirty_two_simultaneous_completions_for_one_developer_add_up_exactly(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    let (developer_id, developer) = app.logged_in_user("developer").await;
    top_up(&app, &merchant, "3200").await;
    let mut milestones = Vec::new();
    for _ in 0..32 {
        let task = create_task(&app, &merchant, "100").await;
        // 32 applications in a few seconds is what the application rate limit stops, and this
        // test is about the completions: its setup applies through the database layer.
        publish(&app, &merchant, task).await;
        let application = app::db::lifecycle::apply(&app.pool, developer_id, task, "").await.unwrap();
        let reply = app
            .call("/api/task/accept_application", &[("application", &application.to_string())], Some(&merchant))
            .await;
        ok(&reply, "choose");
        let m = milestone_of(&app, task).await.to_string();
        deliver(&app, &developer, &m, "完成").await;
        milestones.push(m);
    }
    let accepts = milestones.into_iter().map(|m| {
        let (app, merchant) = (app.clone(), merchant.clone());
        tokio::spawn(async move {
            app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await.status
        })
    });
    for status in futures_join(accepts).await {
        assert!(status.is_success(), "{status}");
    }
    // Two growth workers (two server processes) drain the 32 owed awards together, each once.
    let (a, b) = tokio::join!(app.drain_growth(), app.drain_growth());
    assert_eq!(a + b, 32);
    let (xp, finished, _, _) = growth_row(&app, developer_id).await;
    assert_eq!((xp, finished), (32 * 60, 32));
    assert_eq!(skill_points(&app, developer_id, "rust").await, 32 * 30);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_task_that_needs_a_level_refuses_lower_developers_and_the_hall_says_so(pool: PgPool) {
    let app = spawn_app(pool).await;
    flow::seed_tags(&app).await;
    let (_, merchant) = app.logged_in_user("merchant").await;
    top_up(&app, &merchant, "1000").await;
    let mut form = task_form("800");
    form["form"]["min_level"] = json!("A");
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    publish(&app, &merchant, task).await;
    let mut bad = task_form("800");
    bad["form"]["min_level"] = json!("Z");
    let reply = app.call_json("/api/task/create", bad, Some(&merchant)).await;
    assert_eq!(reply.json()["fields"][0]["field"], "min_level");

    let (beginner_id, beginner) = app.logged_in_user("developer").await;
    let hall = app.call("/api/hall", &[("query[page]", "1")], Some(&beginner)).await.json();
    assert_eq!((hall["tasks"][0]["min_level"].clone(), hall["viewer_level"].clone()), (json!("A"), json!("C")));
    let reply = app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&beginner)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.json()["reason"], "level_too_low");
    let page = app.get(&format!("/tasks/{task}"), Some(&beginner), Some("zh-CN")).await;
    assert!(page.body.contains(r#"data-testid="level-locked""#), "the page explains instead of offering apply");

    let (expert_id, expert) = app.logged_in_user("developer").await;
    sqlx::query("INSERT INTO developer_growth (developer_id, level) VALUES ($1, 'A')")
        .bind(expert_id)
        .execute(&app.pool)
        .await
        .unwrap();
    ok(&app.call("/api/task/apply", &[("task", &task.to_string()), ("pitch", "")], Some(&expert)).await, "apply");
    let applications: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1")
        .bind(beginner_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(applications, 0, "the refusal wrote nothing");
    assert_ledger_sound(&app).await;
}
