//! Trust pages: consent to the terms at sign-up and again when a version changes, the help
//! centre's contact form through the admin queue to the user's notice, the footer's ICP number,
//! the rules page's figures, and e-mail preferences per role.

use crate::common::{self, spawn_app, spawn_app_with, TestApp, PASSWORD};
use app::domain::{
    credit, fees::percent_label, fees::CommissionRate, legal::Document, lifecycle, notifications::NoticeKind, tasks,
};
use axum::http::{header, StatusCode};
use sqlx::PgPool;

fn ok(reply: &common::Reply, what: &str) {
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{what}: {} {}", reply.status, reply.body);
}

async fn consents(app: &TestApp, email: &str) -> Vec<(String, i32)> {
    sqlx::query_as(
        "SELECT c.document, c.version FROM legal_consents c JOIN users u ON u.id = c.user_id
         WHERE u.email = $1 AND c.accepted_at IS NOT NULL ORDER BY c.document, c.version",
    )
    .bind(email)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn location(reply: &common::Reply) -> String {
    reply.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[sqlx::test(migrations = false)]
async fn sign_up_needs_consent_and_records_the_versions_accepted(pool: PgPool) {
    let app = spawn_app(pool).await;
    let form = [("email", "new@test.cn"), ("password", PASSWORD), ("display_name", "新人"), ("role", "developer")];
    let refused = app.call("/api/register", &form, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.field_errors(), vec![("consent".to_string(), "required".to_string())]);
    assert_eq!(app.user_count().await, 0, "no account without consent");

    // The form has the box, linking both documents.
    let page = app.get("/register", None, Some("zh-CN")).await;
    assert!(
        page.body.contains(r#"name="consent""#)
            && page.body.contains("/legal/terms")
            && page.body.contains("/legal/privacy")
    );

    let cookie = app.register("new@test.cn", "developer", None).await;
    let expected: Vec<(String, i32)> = [Document::Privacy, Document::Terms]
        .into_iter()
        .map(|d| (d.as_str().to_string(), d.version() as i32))
        .collect();
    assert_eq!(consents(&app, "new@test.cn").await, expected);
    let home = app.get("/wallet", Some(&cookie), Some("zh-CN")).await;
    assert_eq!(home.status, StatusCode::OK, "a fresh account opens its pages");
}

#[sqlx::test(migrations = false)]
async fn a_newer_version_is_asked_for_before_any_other_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cookie = app.register("old@test.cn", "merchant", Some("company")).await;
    // The terms changed since: what the user accepted is now an older version.
    sqlx::query(
        "UPDATE legal_consents SET version = version - 1
         WHERE document = 'terms' AND user_id = (SELECT id FROM users WHERE email = 'old@test.cn')",
    )
    .execute(&app.pool)
    .await
    .unwrap();

    let sent = app.get("/wallet?tab=statement", Some(&cookie), Some("zh-CN")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), "/legal/consent?next=%2Fwallet%3Ftab%3Dstatement");
    // A new login is sent there too.
    let login = app.login("old@test.cn", PASSWORD, None).await;
    let fresh = login.session_cookie().unwrap();
    assert_eq!(location(&app.get("/", Some(&fresh), None).await), "/legal/consent?next=%2F");

    // The consent page, the documents, help, and the server functions still work.
    let consent = app.get("/legal/consent?next=/wallet", Some(&cookie), Some("zh-CN")).await;
    assert_eq!(consent.status, StatusCode::OK);
    assert!(
        consent.body.contains("以下文件已更新") && consent.body.contains("/legal/terms"),
        "an update, naming the terms"
    );
    for open in ["/legal/terms", "/legal/privacy", "/legal/rules", "/help"] {
        assert_eq!(app.get(open, Some(&cookie), None).await.status, StatusCode::OK, "{open}");
    }
    ok(&app.call("/api/current_user", &[], Some(&cookie)).await, "who am I");
    let status = app.call("/api/legal/consent/status", &[], Some(&cookie)).await.json();
    assert_eq!(status["due"], serde_json::json!(["Terms"]));
    assert_eq!(status["accepted_before"], true);

    let unticked = app.call("/api/legal/consent", &[("next", "/wallet")], Some(&cookie)).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unticked.field_errors(), vec![("consent".to_string(), "required".to_string())]);
    let accepted = app.call("/api/legal/consent", &[("agree", "on"), ("next", "/wallet")], Some(&cookie)).await;
    ok(&accepted, "accept");
    let terms: Vec<i32> =
        consents(&app, "old@test.cn").await.into_iter().filter(|(d, _)| d == "terms").map(|(_, v)| v).collect();
    assert_eq!(
        terms,
        vec![Document::Terms.version() as i32 - 1, Document::Terms.version() as i32],
        "the history is kept"
    );
    assert_eq!(app.get("/wallet", Some(&cookie), Some("zh-CN")).await.status, StatusCode::OK);
    assert!(app.call("/api/legal/consent/status", &[], Some(&cookie)).await.json()["due"]
        .as_array()
        .unwrap()
        .is_empty());

    // Never asked at all (an account from before consent existed): both documents are due.
    let (id, email) = app.create_account("developer").await;
    sqlx::query("DELETE FROM legal_consents WHERE user_id = $1").bind(id).execute(&app.pool).await.unwrap();
    let cookie = app.login(&email, PASSWORD, None).await.session_cookie().unwrap();
    let status = app.call("/api/legal/consent/status", &[], Some(&cookie)).await.json();
    assert_eq!(status["due"], serde_json::json!(["Terms", "Privacy"]));
    // A hostile way back is never followed off the site.
    ok(&app.call("/api/legal/consent", &[("agree", "on"), ("next", "//evil.example")], Some(&cookie)).await, "accept");
    assert_eq!(app.get("/me", Some(&cookie), None).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn a_contact_message_reaches_the_admin_queue_and_the_reply_reaches_the_user(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, developer) = app.logged_in_user("developer").await;
    let (_, admin) = app.logged_in_user("admin").await;
    let question = "托管的钱什么时候到账？<script>alert(1)</script>";

    let short = app.call("/api/help/contact", &[("topic", "escrow"), ("message", "太短")], Some(&developer)).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.field_errors(), vec![("message".to_string(), "too_short".to_string())]);
    ok(&app.call("/api/help/contact", &[("topic", "escrow"), ("message", question)], Some(&developer)).await, "send");
    let help = app.get("/help", Some(&developer), Some("zh-CN")).await;
    assert!(help.body.contains("已收到你的留言") && help.body.contains("等待答复"), "sent, and waiting");

    // A visitor may leave an address; a bad one is a field error.
    let bad = app
        .call("/api/help/contact", &[("topic", "other"), ("message", "我想了解企业会员。"), ("email", "nope")], None)
        .await;
    assert_eq!(bad.field_errors(), vec![("email".to_string(), "invalid_email".to_string())]);
    ok(
        &app.call(
            "/api/help/contact",
            &[("topic", "other"), ("message", "我想了解企业会员。"), ("email", "guest@test.cn")],
            None,
        )
        .await,
        "visitor",
    );

    let queue = app.call("/api/admin/support", &[], Some(&admin)).await.json();
    let waiting = queue["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!((waiting[0]["message"].as_str(), waiting[0]["topic"].as_str()), (Some(question), Some("Escrow")));
    assert_eq!(waiting[0]["signed_in"], true);
    assert_eq!(waiting[1]["from"], "guest@test.cn");
    let screen = app.get("/admin/support", Some(&admin), Some("zh-CN")).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(
        screen.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !screen.body.contains("<script>alert(1)"),
        "inert"
    );

    let id = waiting[0]["id"].as_i64().unwrap().to_string();
    let empty = app.call("/api/admin/support/reply", &[("id", &id), ("reply", " ")], Some(&admin)).await;
    assert_eq!(empty.field_errors(), vec![("reply".to_string(), "required".to_string())]);
    let answer = "已核实，款项会在验收后立即结算。";
    ok(&app.call("/api/admin/support/reply", &[("id", &id), ("reply", answer)], Some(&admin)).await, "reply");
    let twice = app.call("/api/admin/support/reply", &[("id", &id), ("reply", answer)], Some(&admin)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "answered once");
    let missing = app.call("/api/admin/support/reply", &[("id", "999999"), ("reply", answer)], Some(&admin)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let bell = app.call("/api/notifications", &[], Some(&developer)).await.json();
    assert_eq!(bell["notices"][0]["kind"], "SupportReply");
    assert_eq!(bell["notices"][0]["note"], answer);
    assert_eq!(bell["notices"][0]["href"], "/help");
    let mine = app.call("/api/help/mine", &[], Some(&developer)).await.json();
    assert_eq!(mine["mine"][0]["reply"], answer);
    let queue = app.call("/api/admin/support", &[], Some(&admin)).await.json();
    assert_eq!(queue["waiting"].as_array().unwrap().len(), 1);
    assert_eq!(queue["answered"][0]["reply"], answer);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_audit WHERE action = 'support.reply'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = false)]
async fn the_contact_form_is_rate_limited(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cookie = app.logged_in_as("merchant").await;
    let send = |cookie: Option<String>| {
        let app = app.clone();
        async move {
            app.call("/api/help/contact", &[("topic", "fees"), ("message", "佣金是怎么计算的？")], cookie.as_deref())
                .await
        }
    };
    for n in 0..3 {
        ok(&send(Some(cookie.clone())).await, &format!("message {n}"));
    }
    assert_eq!(send(Some(cookie.clone())).await.status, StatusCode::TOO_MANY_REQUESTS, "per account");
    // The address's bucket had four taken; a visitor from it gets one more.
    ok(&send(None).await, "visitor");
    assert_eq!(send(None).await.status, StatusCode::TOO_MANY_REQUESTS, "per address");
    let filed: i64 = sqlx::query_scalar("SELECT count(*) FROM support_requests").fetch_one(&app.pool).await.unwrap();
    assert_eq!(filed, 4);
}

#[sqlx::test(migrations = false)]
async fn the_new_server_functions_admit_only_their_callers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let developer = app.logged_in_as("developer").await;
    let merchant = app.logged_in_as("merchant").await;
    for path in ["/api/legal/consent/status", "/api/legal/consent"] {
        assert_eq!(app.call(path, &[], None).await.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in ["/api/admin/support", "/api/admin/support/reply"] {
        assert_eq!(
            app.call(path, &[("id", "1"), ("reply", "好的")], None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for cookie in [&developer, &merchant] {
            let reply = app.call(path, &[("id", "1"), ("reply", "好的")], Some(cookie)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    let mine = app.call("/api/help/mine", &[], None).await.json();
    assert_eq!((mine["signed_in"].clone(), mine["mine"].clone()), (false.into(), serde_json::json!([])));
    assert_eq!(app.get("/help", None, Some("en")).await.status, StatusCode::OK, "help is open to visitors");
}

#[sqlx::test(migrations = false)]
async fn the_footer_names_the_company_and_shows_the_icp_number_only_when_configured(pool: PgPool) {
    let icp = "京ICP备2026000001号-1";
    let plain = spawn_app(pool.clone()).await;
    let page = plain.get("/legal/terms", None, Some("zh-CN")).await;
    assert_eq!(page.status, StatusCode::OK);
    for link in [
        "/legal/terms",
        "/legal/privacy",
        "/legal/rules",
        "/help",
        "mailto:support@codelink.dev",
        "码联网络科技有限公司",
    ] {
        assert!(page.body.contains(link), "footer: {link}");
    }
    assert!(!page.body.contains("icp-number"), "no ICP line without the setting");
    let configured = spawn_app_with(pool, app::state::Mode::Demo, |s| s.icp_number = Some(icp.into())).await;
    let page = configured.get("/", None, Some("en")).await;
    assert!(page.body.contains(icp) && page.body.contains("icp-number"), "shown when set");
    assert!(page.body.contains("CodeLink Network Technology Co., Ltd."));
}

#[sqlx::test(migrations = false)]
async fn the_rules_page_shows_the_figures_the_server_applies(pool: PgPool) {
    let app = spawn_app(pool).await;
    let zh = app.get("/legal/rules", None, Some("zh-CN")).await.body;
    for figure in [
        format!("{} 小时内答复", lifecycle::ANSWER_WITHIN_HOURS),
        format!(
            "{} 至 {} 之间，默认 {}",
            percent_label(CommissionRate::MIN_BPS),
            percent_label(CommissionRate::MAX_BPS),
            CommissionRate::DEFAULT.percent_label()
        ),
        format!("默认 {} 轮，最多 {} 轮", tasks::DEFAULT_CHANGE_ROUNDS, tasks::MAX_CHANGE_ROUNDS),
        format!("{} 天内商家", lifecycle::AUTO_ACCEPT_AFTER_DAYS),
        format!("以 {} 分为基础", credit::BASE),
        format!("版本 {}", Document::Rules.version()),
    ] {
        assert!(zh.contains(&figure), "{figure}");
    }
    let en = app.get("/legal/privacy", None, Some("en")).await.body;
    assert!(en.contains("Privacy Policy") && en.contains("support@codelink.dev"));
}

#[sqlx::test(migrations = false)]
async fn e_mail_preferences_offer_only_what_the_role_receives(pool: PgPool) {
    let app = spawn_app(pool).await;
    let developer = app.logged_in_as("developer").await;
    let merchant = app.logged_in_as("merchant").await;
    let kinds = |prefs: serde_json::Value| -> Vec<String> {
        prefs.as_array().unwrap().iter().map(|p| p[0].as_str().unwrap().to_string()).collect()
    };
    let of_developer = kinds(app.call("/api/notifications/email", &[], Some(&developer)).await.json());
    let of_merchant = kinds(app.call("/api/notifications/email", &[], Some(&merchant)).await.json());
    let names = |role| -> Vec<String> { NoticeKind::for_role(role).into_iter().map(|k| format!("{k:?}")).collect() };
    assert_eq!(of_developer, names(app::domain::account::Role::Developer));
    assert_eq!(of_merchant, names(app::domain::account::Role::Merchant));
    assert!(of_developer.contains(&"Paid".to_string()) && !of_developer.contains(&"NewApplication".to_string()));
    assert!(of_merchant.contains(&"NewApplication".to_string()) && !of_merchant.contains(&"BadgeEarned".to_string()));
    let refused = app
        .call("/api/notifications/email/set", &[("kind", "badge_earned"), ("enabled", "true")], Some(&merchant))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "a kind the role never receives cannot be chosen");
    ok(
        &app.call("/api/notifications/email/set", &[("kind", "new_application"), ("enabled", "true")], Some(&merchant))
            .await,
        "set",
    );

    // The page lists them by short names, not notification sentences.
    let page = app.get("/notifications", Some(&merchant), Some("zh-CN")).await.body;
    assert!(page.contains("新的投递") && page.contains("客服回复"), "short names");
    assert!(!page.contains("获得徽章"), "a developer's kind is not offered to a merchant");
}
