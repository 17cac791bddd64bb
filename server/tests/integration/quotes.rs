//! Quotes (报价) through the real server functions and PostgreSQL: an application's own amount
//! (50 %–200 %, per milestone) and delivery date with a note, the merchant's itemised view of it,
//! and choosing it: the escrow topped up or refunded in the same transaction, once, or refused
//! whole with the shortfall.

use crate::common;

use app::domain::{
    fees::{CommissionRate, PayoutSplit},
    growth::Level,
    money::Money,
};
use axum::http::StatusCode;
use common::{flow::*, spawn_app, Reply, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// A published task of `milestones` (yuan; one: paid in one piece) due in ten days, funded from a
/// top-up of the reward plus `spare` yuan: (merchant id, merchant cookie, task).
async fn open_task(app: &TestApp, milestones: &[&str], spare: &str) -> (Uuid, String, Uuid) {
    seed_tags(app).await;
    let (merchant_id, merchant) = app.logged_in_user("merchant").await;
    let amounts: Vec<Money> = milestones.iter().map(|a| Money::parse_yuan(a).unwrap()).collect();
    let reward = Money::from_fen(amounts.iter().map(|m| m.fen()).sum());
    let funds = Money::from_fen(reward.fen() + Money::parse_yuan(spare).unwrap().fen());
    if funds.fen() > 0 {
        top_up(app, &merchant, &funds.plain_yuan()).await;
    }
    let mut form = task_form(&reward.plain_yuan());
    form["form"]["deadline"] = json!(in_days(app, 10).await);
    if milestones.len() > 1 {
        let rows: Vec<Value> = milestones
            .iter()
            .enumerate()
            .map(|(i, a)| json!({ "title": format!("阶段{}", i + 1), "amount": a }))
            .collect();
        form["form"]["milestones"] = json!(rows);
    }
    let reply = app.call_json("/api/task/create", form, Some(&merchant)).await;
    assert_eq!(reply.status, StatusCode::OK, "create: {}", reply.body);
    let task: Uuid = serde_json::from_str(&reply.body).unwrap();
    publish(app, &merchant, task).await;
    (merchant_id, merchant, task)
}

/// "YYYY-MM-DD" `days` from today, China time, on the database's clock.
async fn in_days(app: &TestApp, days: i32) -> String {
    sqlx::query_scalar("SELECT to_char(china_date(app_now()) + $1, 'YYYY-MM-DD')")
        .bind(days)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Applies to `task` with the quote fields as the apply form names them.
async fn apply(app: &TestApp, developer: &str, task: Uuid, quote: &[(&str, &str)]) -> Reply {
    let t = task.to_string();
    let mut form = vec![("task", t.as_str()), ("pitch", "做过类似项目")];
    form.extend_from_slice(quote);
    app.call("/api/task/apply", &form, Some(developer)).await
}

/// A new developer applies with a quote of `amount` yuan (one-piece task); their id, cookie and
/// application.
async fn quoted_applicant(app: &TestApp, task: Uuid, amount: &str) -> (Uuid, String, Uuid) {
    let (developer_id, developer) = app.logged_in_user("developer").await;
    ok(&apply(app, &developer, task, &[("quote[amounts][0]", amount)]).await, "apply with a quote");
    (developer_id, developer, application_of(app, task, developer_id).await)
}

async fn application_of(app: &TestApp, task: Uuid, developer: Uuid) -> Uuid {
    sqlx::query_scalar("SELECT id FROM applications WHERE task_id = $1 AND developer_id = $2")
        .bind(task)
        .bind(developer)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn choose(app: &TestApp, merchant: &str, application: Uuid) -> Reply {
    app.call("/api/task/accept_application", &[("application", &application.to_string())], Some(merchant)).await
}

/// The field errors of a refusal as "field problem" strings; a quote amount's field names its
/// milestone ("quote_amount:2").
fn problems(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    reply.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = match &f["field"] {
                Value::String(name) => name.clone(),
                Value::Object(map) => map.iter().map(|(k, v)| format!("{k}:{v}")).collect(),
                other => panic!("field {other}"),
            };
            format!("{field} {}", f["problem"]["kind"].as_str().unwrap())
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

async fn escrow_of(app: &TestApp, task: Uuid) -> i64 {
    sqlx::query_scalar("SELECT coalesce(sum(balance_fen), 0)::int8 FROM ledger_accounts WHERE code = 'escrow:' || $1")
        .bind(task.to_string())
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn amounts_of(app: &TestApp, task: Uuid) -> (i64, Vec<i64>) {
    let reward = sqlx::query_scalar("SELECT reward_fen FROM tasks WHERE id = $1").bind(task).fetch_one(&app.pool);
    let milestones =
        sqlx::query_scalar("SELECT amount_fen FROM milestones WHERE task_id = $1 ORDER BY position").bind(task);
    (reward.await.unwrap(), milestones.fetch_all(&app.pool).await.unwrap())
}

async fn task_json(app: &TestApp, cookie: &str, task: Uuid) -> Value {
    app.call("/api/task", &[("id", &task.to_string())], Some(cookie)).await.json()
}

#[sqlx::test(migrations = false)]
async fn a_quote_lies_within_half_and_double_the_reward(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, _, task) = open_task(&app, &["1000"], "0").await;
    for (amount, accepted) in [("490", false), ("500", true), ("2000", true), ("2010", false)] {
        let (_, developer) = app.logged_in_user("developer").await;
        let reply = apply(&app, &developer, task, &[("quote[amounts][0]", amount)]).await;
        if accepted {
            ok(&reply, amount);
        } else {
            assert_eq!(problems(&reply), ["quote_amount:1 amount_out_of_range"], "{amount}");
            assert_eq!(reply.json()["fields"][0]["problem"]["min_fen"], 50_000);
            assert_eq!(reply.json()["fields"][0]["problem"]["max_fen"], 200_000);
        }
    }
    assert_eq!(count(&app, "SELECT count(*) FROM applications").await, 2, "refused quotes wrote nothing");
    let quoted: Vec<i64> =
        sqlx::query_scalar("SELECT amount_fen FROM application_milestone_quotes ORDER BY amount_fen")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(quoted, [50_000, 200_000]);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn milestone_quotes_are_bounded_and_agreed_milestone_by_milestone(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["300", "700"], "500").await;
    let (_, developer) = app.logged_in_user("developer").await;
    // ¥100 is a tenth of the reward's half but under half of the first milestone's ¥300.
    let refused = apply(&app, &developer, task, &[("quote[amounts][0]", "100"), ("quote[amounts][1]", "1401")]).await;
    assert_eq!(problems(&refused), ["quote_amount:1 amount_out_of_range", "quote_amount:2 amount_out_of_range"]);
    let extra = apply(
        &app,
        &developer,
        task,
        &[("quote[amounts][0]", ""), ("quote[amounts][1]", ""), ("quote[amounts][2]", "100")],
    )
    .await;
    assert_eq!(problems(&extra), ["quote_amount:3 not_allowed"], "a milestone the task does not have");
    assert_eq!(count(&app, "SELECT count(*) FROM applications").await, 0);

    // The first milestone left empty keeps its ¥300; the second is quoted at ¥1,000.
    ok(&apply(&app, &developer, task, &[("quote[amounts][0]", ""), ("quote[amounts][1]", "1000")]).await, "apply");
    let developer_id: Uuid =
        sqlx::query_scalar("SELECT developer_id FROM applications").fetch_one(&app.pool).await.unwrap();
    let application = application_of(&app, task, developer_id).await;
    let page = task_json(&app, &merchant, task).await;
    let quote = &page["applications"][0]["quote"];
    assert_eq!(quote["milestones"].as_array().unwrap().len(), 2);
    assert_eq!(quote["milestones"][0]["split"]["reward"], 30_000);
    assert_eq!(quote["milestones"][1]["split"]["reward"], 100_000);
    assert_eq!(quote["milestones"][1]["before"], 70_000);
    assert_eq!(quote["escrow_change"], 30_000);

    ok(&choose(&app, &merchant, application).await, "choose");
    assert_eq!(amounts_of(&app, task).await, (130_000, vec![30_000, 100_000]));
    assert_eq!(escrow_of(&app, task).await, 130_000);
    assert_eq!(available(&app, merchant_id).await, 20_000, "¥300 of the spare ¥500 topped the escrow up");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_delivery_date_runs_from_today_to_thirty_days_after_the_deadline(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, merchant, task) = open_task(&app, &["1000"], "0").await;
    let (_, developer) = app.logged_in_user("developer").await;
    let date = |days| in_days(&app, days);
    let yesterday = date(-1).await;
    let refused = apply(&app, &developer, task, &[("quote[deliver_by]", &yesterday)]).await;
    assert_eq!(problems(&refused), ["quote_deliver_by date_in_past"]);
    let too_late = date(41).await;
    let refused = apply(&app, &developer, task, &[("quote[deliver_by]", &too_late)]).await;
    assert_eq!(problems(&refused), ["quote_deliver_by date_too_late"]);
    let latest_day = refused.json()["fields"][0]["problem"]["latest_day"].as_i64().unwrap() as i32;
    assert_eq!(app::domain::quotes::date_of(latest_day), date(40).await, "the deadline plus 30 days");
    let garbage = apply(&app, &developer, task, &[("quote[deliver_by]", "2026-02-30")]).await;
    assert_eq!(problems(&garbage), ["quote_deliver_by invalid_date"]);
    assert_eq!(count(&app, "SELECT count(*) FROM applications").await, 0);

    // The last allowed day, with a note: the amount stays, the date becomes the task's deadline.
    let latest = date(40).await;
    ok(
        &apply(&app, &developer, task, &[("quote[deliver_by]", &latest), ("quote[note]", "需要联调支付")]).await,
        "apply",
    );
    let application: Uuid = sqlx::query_scalar("SELECT id FROM applications").fetch_one(&app.pool).await.unwrap();
    ok(&choose(&app, &merchant, application).await, "choose");
    let page = task_json(&app, &merchant, task).await;
    assert_eq!(page["deadline"], latest.as_str());
    assert_eq!(page["split"]["reward"], 100_000, "a date alone keeps the amount");
    let agreed = page["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "terms_agreed").cloned().unwrap();
    assert_eq!(agreed["note"], format!("deadline={}>{latest}", date(10).await));
    assert_eq!(count(&app, "SELECT count(*) FROM ledger_movements WHERE idempotency_key LIKE 'terms:%'").await, 0);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_ten_megabyte_note_is_a_field_error_and_a_note_alone_is_no_quote(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, _, task) = open_task(&app, &["1000"], "0").await;
    let (_, developer) = app.logged_in_user("developer").await;
    let huge = "x".repeat(10 * 1024 * 1024);
    let reply = apply(&app, &developer, task, &[("quote[amounts][0]", "1200"), ("quote[note]", &huge)]).await;
    assert_eq!(problems(&reply), ["quote_note too_long"], "a message under the field, not a dropped connection");
    let alone = apply(&app, &developer, task, &[("quote[note]", "价格可以谈")]).await;
    assert_eq!(problems(&alone), ["quote_note quote_without_terms"]);
    let both =
        apply(&app, &developer, task, &[("quote[amounts][0]", "一千"), ("quote[note]", &"长".repeat(501))]).await;
    assert_eq!(problems(&both), ["quote_amount:1 invalid_amount", "quote_note too_long"], "every problem at once");
    assert_eq!(count(&app, "SELECT count(*) FROM applications").await, 0, "nothing written");

    // Contact details in the note are masked like a pitch's.
    let note = "报价含部署，微信 abc12345678，电话 13812345678";
    ok(&apply(&app, &developer, task, &[("quote[amounts][0]", "1200"), ("quote[note]", note)]).await, "apply");
    let stored: String = sqlx::query_scalar("SELECT quote_note FROM applications").fetch_one(&app.pool).await.unwrap();
    assert!(!stored.contains("13812345678") && stored.contains("***"), "{stored}");
}

#[sqlx::test(migrations = false)]
async fn the_merchant_sees_the_quote_split_by_the_tasks_own_fee_rules(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, merchant, task) = open_task(&app, &["1000"], "500").await;
    let (developer_id, developer, application) = quoted_applicant(&app, task, "1234.56").await;
    sqlx::query("UPDATE developer_growth SET level = 'A' WHERE developer_id = $1")
        .bind(developer_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let funded: i32 = sqlx::query_scalar("SELECT commission_bps FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let rate = CommissionRate::from_bps(funded as u32).unwrap().for_payee(Level::A);
    let expected = serde_json::to_value(PayoutSplit::of(Money::from_fen(123_456), rate)).unwrap();

    let page = task_json(&app, &merchant, task).await;
    let quote = &page["applications"][0]["quote"];
    assert_eq!(quote["split"], expected, "the domain's split at the applicant's rate");
    assert_eq!(quote["reward_before"], 100_000);
    assert_eq!(quote["escrow_change"], 23_456);
    let own = task_json(&app, &developer, task).await;
    assert_eq!(own["my_application"]["quote"]["split"], expected, "the developer sees the same figures");

    ok(&choose(&app, &merchant, application).await, "choose");
    for cookie in [&merchant, &developer] {
        let page = task_json(&app, cookie, task).await;
        assert_eq!(page["split"], expected, "both parties see the agreed amount itemised");
        assert_eq!(page["milestones"][0]["split"], expected);
    }
    // The merchant's page words the quote and the agreed terms in both languages.
    let html = |language: &'static str| {
        let (app, merchant) = (app.clone(), merchant.clone());
        async move { app.get(&format!("/tasks/{task}"), Some(&merchant), Some(language)).await.body }
    };
    let zh = html("zh-CN").await;
    assert!(zh.contains("按报价约定了条款") && zh.contains("报酬 ¥1,000.00 → ¥1,234.56"), "zh timeline");
    assert!(zh.contains("商家共付") && zh.contains("已从商家余额补足 ¥234.56 至托管"), "zh quote");
    let en = html("en").await;
    assert!(en.contains("agreed the quoted terms") && en.contains("Reward ¥1,000.00 → ¥1,234.56"), "en timeline");
    assert!(en.contains("Merchant pays"), "en quote");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn choosing_a_higher_quote_tops_the_escrow_up_and_pays_out_the_agreed_amount(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["1000"], "500").await;
    let (developer_id, developer, application) = quoted_applicant(&app, task, "1200").await;
    let (_, _, other) = quoted_applicant(&app, task, "800").await;
    assert_eq!(available(&app, merchant_id).await, 50_000);

    ok(&choose(&app, &merchant, application).await, "choose");
    assert_eq!(available(&app, merchant_id).await, 30_000, "¥200 more from the balance");
    assert_eq!(escrow_of(&app, task).await, 120_000);
    assert_eq!(amounts_of(&app, task).await, (120_000, vec![120_000]));
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM ledger_movements WHERE idempotency_key = 'terms:' || $1::text")
            .bind(task)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kind, "escrow_fund");
    let other_status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(other)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(other_status, "declined", "the other quote was not chosen and moved nothing");
    assert_ledger_sound(&app).await;

    let m = milestone_of(&app, task).await.to_string();
    deliver(&app, &developer, &m, "完成").await;
    ok(&app.call("/api/task/accept_delivery", &[("milestone", &m)], Some(&merchant)).await, "accept");
    assert_eq!(available(&app, developer_id).await, 108_000, "the agreed ¥1,200 less 10%");
    assert_eq!(escrow_of(&app, task).await, 0);
    app.drain_growth().await;
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn choosing_a_lower_quote_refunds_the_difference(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["1000"], "0").await;
    let (_, _, application) = quoted_applicant(&app, task, "600.50").await;
    assert_eq!(available(&app, merchant_id).await, 0);
    ok(&choose(&app, &merchant, application).await, "choose");
    assert_eq!(available(&app, merchant_id).await, 39_950, "¥399.50 back to the balance");
    assert_eq!(escrow_of(&app, task).await, 60_050);
    assert_eq!(amounts_of(&app, task).await, (60_050, vec![60_050]));
    let page = task_json(&app, &merchant, task).await;
    assert_eq!(page["applications"][0]["quote"]["escrow_change"], -39_950, "the agreement as it was made");
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_merchant_short_of_a_higher_quote_is_told_how_much_to_top_up_and_nothing_moves(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["1000"], "0").await;
    let (_, _, application) = quoted_applicant(&app, task, "1234.56").await;
    let movements = count(&app, "SELECT count(*) FROM ledger_movements").await;

    let refused = choose(&app, &merchant, application).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["code"], "insufficient_funds");
    assert_eq!(refused.json()["shortfall"], 23_456, "exactly what a top-up must add");
    assert_eq!(count(&app, "SELECT count(*) FROM ledger_movements").await, movements, "nothing moved");
    assert_eq!(task_status(&app, task).await, "open");
    assert_eq!(amounts_of(&app, task).await, (100_000, vec![100_000]));
    assert_eq!(count(&app, "SELECT count(*) FROM applications WHERE status = 'pending'").await, 1);
    assert_eq!(
        count(&app, "SELECT count(*) FROM task_events WHERE kind IN ('terms_agreed', 'developer_chosen')").await,
        0
    );
    assert_eq!(available(&app, merchant_id).await, 0);
    assert_ledger_sound(&app).await;

    // The page offers the top-up of exactly the shortfall, then the choice goes through.
    top_up(&app, &merchant, "234.56").await;
    ok(&choose(&app, &merchant, application).await, "choose after the top-up");
    assert_eq!(available(&app, merchant_id).await, 0);
    assert_eq!(escrow_of(&app, task).await, 123_456);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn a_retried_choice_moves_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["1000"], "500").await;
    let (_, _, application) = quoted_applicant(&app, task, "1500").await;
    ok(&choose(&app, &merchant, application).await, "choose");
    let movements = count(&app, "SELECT count(*) FROM ledger_movements").await;
    for _ in 0..3 {
        let again = choose(&app, &merchant, application).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    }
    assert_eq!(count(&app, "SELECT count(*) FROM ledger_movements").await, movements);
    assert_eq!(available(&app, merchant_id).await, 0);
    assert_eq!(escrow_of(&app, task).await, 150_000);
    assert_eq!(count(&app, "SELECT count(*) FROM task_events WHERE kind = 'terms_agreed'").await, 1);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn two_quotes_chosen_at_once_choose_one_developer_and_escrow_their_terms(pool: PgPool) {
    let app = spawn_app(pool).await;
    for round in 0..4i64 {
        let (merchant_id, merchant, task) = open_task(&app, &["1000"], "1000").await;
        let (high_dev, _, high) = quoted_applicant(&app, task, "1800").await;
        let (low_dev, _, low) = quoted_applicant(&app, task, "700").await;
        // Both choices at once, in either order of arrival.
        let order = if round % 2 == 0 { [high, low] } else { [low, high] };
        let calls = order.map(|application| {
            let (app, merchant) = (app.clone(), merchant.clone());
            tokio::spawn(async move { choose(&app, &merchant, application).await })
        });
        let replies = futures_join(calls.into_iter()).await;
        let chosen: Vec<Uuid> =
            replies.iter().zip(order).filter(|(r, _)| r.status.is_success()).map(|(_, a)| a).collect();
        assert_eq!(
            chosen.len(),
            1,
            "exactly one choice wins: {:?}",
            replies.iter().map(|r| &r.body).collect::<Vec<_>>()
        );
        let (developer, agreed) = if chosen[0] == high { (high_dev, 180_000) } else { (low_dev, 70_000) };
        let picked: Option<Uuid> = sqlx::query_scalar("SELECT developer_id FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(picked, Some(developer));
        assert_eq!(escrow_of(&app, task).await, agreed, "the escrow holds the chosen developer's terms");
        assert_eq!(available(&app, merchant_id).await, 200_000 - agreed);
        assert_eq!(count(&app, "SELECT count(*) FROM applications WHERE status = 'accepted'").await, round + 1);
        assert_ledger_sound(&app).await;
    }
}

#[sqlx::test(migrations = false)]
async fn a_raise_after_a_lower_agreed_quote_moves_money_again(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (merchant_id, merchant, task) = open_task(&app, &["1000"], "400").await;
    let m = milestone_of(&app, task).await.to_string();
    ok(&app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "1200")], Some(&merchant)).await, "raise");
    let (_, _, application) = quoted_applicant(&app, task, "1000").await;
    ok(&choose(&app, &merchant, application).await, "choose the lower quote");
    assert_eq!(available(&app, merchant_id).await, 40_000);
    // Back to ¥1,200, an amount the milestone had before the choice: a new movement, not a repeat.
    ok(&app.call("/api/task/raise_reward", &[("milestone", &m), ("amount", "1200")], Some(&merchant)).await, "raise");
    assert_eq!(available(&app, merchant_id).await, 20_000);
    assert_eq!(escrow_of(&app, task).await, 120_000);
    assert_ledger_sound(&app).await;
}

#[sqlx::test(migrations = false)]
async fn the_demo_quote_is_loaded_once_through_the_lifecycle(pool: PgPool) {
    let app = spawn_app(pool).await;
    server::demo::load(&app.pool, 3).await.unwrap();
    server::demo::load_quotes(&app.pool).await.unwrap();
    server::demo::load_quotes(&app.pool).await.unwrap();
    assert_eq!(count(&app, "SELECT count(*) FROM applications WHERE quote_note <> ''").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM application_milestone_quotes").await, 1);
    let (quoted, reward): (i64, i64) = sqlx::query_as(
        "SELECT q.amount_fen, t.reward_fen FROM application_milestone_quotes q
         JOIN applications a ON a.id = q.application_id JOIN tasks t ON t.id = a.task_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(quoted > reward && quoted <= reward * 2, "{quoted} for {reward}");
    assert_ledger_sound(&app).await;
}

/// The apply form posted without JavaScript: the page comes back with the quote section open and
/// each problem under its own field, in the reader's language.
#[sqlx::test(migrations = false)]
async fn a_refused_quote_comes_back_with_messages_under_its_fields(pool: PgPool) {
    use axum::{body::Body, http::header};
    let app = spawn_app(pool).await;
    let (_, _, task) = open_task(&app, &["1000"], "0").await;
    let (_, developer) = app.logged_in_user("developer").await;
    let form = app.get(&format!("/tasks/{task}"), Some(&developer), Some("zh-CN")).await.body;
    assert!(form.contains("data-testid=\"quote-fields\"") && form.contains("报价（可选）"), "the apply form offers it");
    assert!(form.contains("可报 ¥500.00–¥2,000.00"), "with the bounds as a hint");

    let late = in_days(&app, 41).await;
    let body = format!(
        "task={task}&pitch=&quote%5Bamounts%5D%5B0%5D=490&quote%5Bdeliver_by%5D={late}&quote%5Bnote%5D=%E5%8F%AF%E8%B0%88"
    );
    let request = axum::http::Request::post("/api/task/apply")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::REFERER, format!("{}/tasks/{task}", common::ORIGIN))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &developer)
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let back = reply.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    let zh = app.get(&back, Some(&developer), Some("zh-CN")).await.body;
    assert!(zh.contains("金额须在 ¥500.00 到 ¥2,000.00 之间"), "the amount's message");
    assert!(zh.contains(&format!("日期不能晚于 {}", in_days(&app, 40).await)), "the date's message");
    let en = app.get(&back, Some(&developer), Some("en")).await.body;
    assert!(en.contains("The amount must be between ¥500.00 and ¥2,000.00"), "in English too");
    assert_eq!(count(&app, "SELECT count(*) FROM applications").await, 0, "nothing written");
}
