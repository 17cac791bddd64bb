//! Drives the real router (every middleware included) in-process against a fresh database that
//! `#[sqlx::test]` creates per test.

pub mod flow;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use sqlx::PgPool;
use std::net::SocketAddr;
use tower::ServiceExt;

pub const HOST: &str = "127.0.0.1:3000";
pub const ORIGIN: &str = "http://127.0.0.1:3000";
pub const PASSWORD: &str = "s3cret-pass";

#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    pub state: app::state::AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent, for binary replies (PDF, ZIP).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The field errors of a refused call, as (field, problem kind) pairs.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.json()["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("no field errors in {}", self.body))
            .iter()
            .map(|f| (f["field"].as_str().unwrap().to_string(), f["problem"]["kind"].as_str().unwrap().to_string()))
            .collect()
    }

    /// The session cookie the server set, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("codelink_session="))
            .map(|v| v.split(';').next().unwrap().to_string())
    }
}

pub struct EnrolledFactor {
    /// The base32 key an authenticator app holds.
    pub secret: String,
    /// As shown: `abcd-efgh-jkmn`.
    pub recovery_codes: Vec<String>,
}

/// The code an authenticator app with `secret` shows now, or `steps` of 30 s later (a code for the
/// next step is still accepted, and is the one to type when this step's code was just used).
pub fn totp_code(secret: &str, steps: i64) -> String {
    let now = app::second_factor::unix_now() as i64;
    app::second_factor::code_at(secret, (now + steps * 30) as u64).expect("a valid key")
}

pub struct FinishedTaskFixture {
    pub developer: uuid::Uuid,
    pub developer_cookie: String,
    pub task: uuid::Uuid,
    pub handle: String,
}

pub const TEST_PAYMENT_SECRET: &str = "test-payment-secret";

/// The app as `scripts/start` runs it: demo mode, listening on Leptos.toml's address (HOST).
pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, app::state::Mode::Demo, |_| {}).await
}

/// The app in `mode`, with demo settings changed by `adjust` (trusted proxies, public URL, ...).
pub async fn spawn_app_with(
    pool: PgPool,
    mode: app::state::Mode,
    adjust: impl FnOnce(&mut server::startup::Settings),
) -> TestApp {
    spawn(pool, None, mode, adjust).await
}

/// The demo app reading what may lag from `replica` (`AppState::lagging_reads`).
pub async fn spawn_app_with_replica(pool: PgPool, replica: PgPool) -> TestApp {
    spawn(pool, Some(replica), app::state::Mode::Demo, |_| {}).await
}

async fn spawn(
    pool: PgPool,
    replica: Option<PgPool>,
    mode: app::state::Mode,
    adjust: impl FnOnce(&mut server::startup::Settings),
) -> TestApp {
    server::startup::migrate(&pool).await.expect("migrations");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../Leptos.toml");
    let options = leptos::config::get_configuration(Some(config)).unwrap().leptos_options;
    let mut settings = server::startup::Settings::demo(options.site_addr);
    settings.payment_secret = TEST_PAYMENT_SECRET.into();
    settings.demo = mode == app::state::Mode::Demo;
    adjust(&mut settings);
    let (mut state, callbacks) = app::state::AppState::new(pool.clone(), TEST_PAYMENT_SECRET.as_bytes(), mode);
    if let Some(replica) = replica {
        state = state.with_replica(replica);
    }
    server::startup::spawn_payment_callbacks(state.clone(), callbacks);
    let router = server::startup::app_router(state.clone(), options, &settings);
    TestApp { router, pool, state }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let mut request = request;
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    /// Calls a server function the way the hydrated client does: a same-origin form POST.
    pub async fn call(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.call_from(path, form, cookie, Some(ORIGIN)).await
    }

    pub async fn call_from(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let body = form_urlencoded(form);
        let mut builder = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Calls a server function whose input is JSON (forms that carry lists, like the task form).
    pub async fn call_json(&self, path: &str, body: serde_json::Value, cookie: Option<&str>) -> Reply {
        let mut builder = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body.to_string())).unwrap()).await
    }

    /// Calls a server function whose input is multipart form data (the delivery form with files),
    /// the way the browser's FormData encodes it.
    pub async fn call_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
        cookie: Option<&str>,
    ) -> Reply {
        const BOUNDARY: &str = "----codelink-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut builder = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>, language: Option<&str>) -> Reply {
        let mut builder = Request::get(path).header(header::HOST, HOST).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(language) = language {
            builder = builder.header(header::ACCEPT_LANGUAGE, language);
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    /// Registers through the public server function and returns the session cookie.
    pub async fn register(&self, email: &str, role: &str, merchant_kind: Option<&str>) -> String {
        let mut form = vec![
            ("email", email),
            ("password", PASSWORD),
            ("display_name", "测试用户"),
            ("role", role),
            ("consent", "on"),
        ];
        if let Some(kind) = merchant_kind {
            form.push(("merchant_kind", kind));
        }
        let reply = self.call("/api/register", &form, None).await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "register failed: {} {}",
            reply.status,
            reply.body
        );
        reply.session_cookie().expect("register sets a session cookie")
    }

    /// Signs up a developer the way a person does from this test's one address: answering the
    /// challenge when the form shows one.
    pub async fn register_answering(&self, email: &str) -> Reply {
        let asked = self.call("/api/register/challenge", &[], None).await;
        let cookie = asked.session_cookie();
        let answer = asked.json().as_str().map(solve_challenge);
        let mut form = vec![
            ("email", email),
            ("password", PASSWORD),
            ("display_name", "批量"),
            ("role", "developer"),
            ("consent", "on"),
        ];
        if let Some(answer) = &answer {
            form.push(("challenge", answer));
        }
        self.call("/api/register", &form, cookie.as_deref()).await
    }

    pub async fn login(&self, email: &str, password: &str, cookie: Option<&str>) -> Reply {
        self.call("/api/login", &[("email", email), ("password", password)], cookie).await
    }

    /// An account with the given role, created directly (admins cannot register) and logged in.
    pub async fn logged_in_as(&self, role: &str) -> String {
        self.logged_in_user(role).await.1
    }

    /// Like `logged_in_as`, also returning the user's id.
    /// An admin is enrolled in two-step verification in that session, as the admin console requires.
    pub async fn logged_in_user(&self, role: &str) -> (uuid::Uuid, String) {
        let (id, email) = self.create_account(role).await;
        let reply = self.login(&email, PASSWORD, None).await;
        assert!(!reply.status.is_client_error() && !reply.status.is_server_error(), "login failed: {}", reply.body);
        let cookie = reply.session_cookie().expect("login sets a session cookie");
        if role == "admin" {
            self.enrol_second_factor(&cookie).await;
        }
        (id, cookie)
    }

    /// Switches on two-step verification from the security page's forms, as a person does with an
    /// authenticator app: start, read the key, type the app's code. Returns the key and the
    /// recovery codes shown once.
    pub async fn enrol_second_factor(&self, cookie: &str) -> EnrolledFactor {
        let started = self.call("/api/security/totp/start", &[], Some(cookie)).await;
        assert!(!started.status.is_client_error() && !started.status.is_server_error(), "start: {}", started.body);
        let status = self.call("/api/security/totp", &[], Some(cookie)).await.json();
        let secret = status["state"]["Enrolling"]["secret"].as_str().expect("a key to enter").to_string();
        let code = totp_code(&secret, 0);
        let confirmed = self.call("/api/security/totp/confirm", &[("code", &code)], Some(cookie)).await;
        assert!(
            !confirmed.status.is_client_error() && !confirmed.status.is_server_error(),
            "confirm: {}",
            confirmed.body
        );
        let status = self.call("/api/security/totp", &[], Some(cookie)).await.json();
        let recovery_codes = status["outcome"]["Enabled"]["recovery_codes"]
            .as_array()
            .expect("recovery codes shown once")
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        EnrolledFactor { secret, recovery_codes }
    }

    /// An account with the given role, written straight into the table (admins cannot register);
    /// returns its id and email. Its password is `PASSWORD`.
    pub async fn create_account(&self, role: &str) -> (uuid::Uuid, String) {
        let id = uuid::Uuid::now_v7();
        let email = format!("{role}-{}@test.cn", id.simple());
        let hash = password_auth::generate_hash(PASSWORD);
        let kind = (role == "merchant").then_some("company");
        sqlx::query("INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind) VALUES ($1, $2, 'T', $3, $4, $5)")
            .bind(id)
            .bind(&email)
            .bind(hash)
            .bind(role)
            .bind(kind)
            .execute(&self.pool)
            .await
            .unwrap();
        self.accept_current_terms(id).await;
        (id, email)
    }

    /// Records that `user` accepted the terms and privacy policy in force, as sign-up does (an
    /// account written straight into the table would otherwise be sent to the consent page).
    pub async fn accept_current_terms(&self, user: uuid::Uuid) {
        let mut conn = self.pool.acquire().await.unwrap();
        app::db::legal::accept(&mut conn, user, &app::domain::legal::Document::CONSENTED).await.unwrap();
    }

    /// What the server's growth worker does after a payout: awards the growth finished tasks are owed.
    pub async fn drain_growth(&self) -> u64 {
        app::db::growth::drain_outbox(&self.pool).await.expect("the growth outbox drains")
    }

    /// A developer's record with one finished task, written straight into the tables the growth
    /// engine and the task lifecycle fill: merchant 星辰科技 rated it 5★ "准时交付", it carried the
    /// skills Rust and 数据分析, and it earned the seeded `first-task` badge. `finished_at` is an SQL
    /// timestamptz expression.
    pub async fn finished_task(&self, finished_at: &str) -> FinishedTaskFixture {
        let (developer, developer_cookie) = self.logged_in_user("developer").await;
        let (merchant, _) = self.logged_in_user("merchant").await;
        let task = uuid::Uuid::now_v7();
        let script = format!(
            "UPDATE users SET display_name = '星辰科技' WHERE id = '{merchant}';
             UPDATE users SET display_name = '李雷', headline = 'Rust 后端' WHERE id = '{developer}';
             INSERT INTO skill_tags (slug, name_zh, name_en) VALUES ('rust', 'Rust', 'Rust'), ('data', '数据分析', 'Data analysis')
                 ON CONFLICT DO NOTHING;
             INSERT INTO tasks (id, merchant_id, developer_id, title, description, difficulty, reward_fen, deadline,
                                status, commission_bps, category, created_at)
                 VALUES ('{task}', '{merchant}', '{developer}', '订单数据分析看板', '三个图表', 3, 80000, now() + interval '7 days',
                         'completed', 1000, 'backend', {finished_at} - interval '5 days');
             INSERT INTO task_tags (task_id, tag_id) SELECT '{task}', id FROM skill_tags WHERE slug IN ('rust', 'data');
             INSERT INTO task_events (task_id, kind, note, created_at) VALUES ('{task}', 'completed', '', {finished_at});
             INSERT INTO task_ratings (task_id, merchant_id, developer_id, stars, comment, created_at)
                 VALUES ('{task}', '{merchant}', '{developer}', 5, '准时交付', {finished_at});
             INSERT INTO growth_events (developer_id, idempotency_key, kind, task_id, xp, created_at)
                 VALUES ('{developer}', 'fixture:{task}', 'task_completed', '{task}', 120, {finished_at});
             INSERT INTO skill_point_entries (event_id, tag_id, points)
                 SELECT e.id, s.id, CASE s.slug WHEN 'data' THEN 90 ELSE 30 END
                 FROM growth_events e, skill_tags s WHERE e.idempotency_key = 'fixture:{task}' AND s.slug IN ('rust', 'data');
             INSERT INTO developer_skills (developer_id, tag_id, points)
                 SELECT '{developer}', id, CASE slug WHEN 'data' THEN 90 ELSE 30 END FROM skill_tags WHERE slug IN ('rust', 'data');
             INSERT INTO developer_growth (developer_id, xp, finished_tasks, rating_sum, rating_count, level)
                 VALUES ('{developer}', 120, 1, 5, 1, 'B');
             INSERT INTO developer_badges (developer_id, badge_id, event_id, earned_at)
                 SELECT '{developer}', b.id, e.id, {finished_at} FROM badges b, growth_events e
                 WHERE b.slug = 'first-task' AND e.idempotency_key = 'fixture:{task}';"
        );
        sqlx::raw_sql(&script).execute(&self.pool).await.expect("the finished-task fixture");
        let handle = sqlx::query_scalar("SELECT handle FROM users WHERE id = $1")
            .bind(developer)
            .fetch_one(&self.pool)
            .await
            .unwrap();
        FinishedTaskFixture { developer, developer_cookie, task, handle }
    }

    /// The newest text the sandbox phone got at `e164`, and the six digits in it, if any.
    pub async fn last_text(&self, e164: &str) -> (String, Option<String>) {
        let body: String =
            sqlx::query_scalar("SELECT body FROM sms_outbox WHERE to_phone = $1 ORDER BY id DESC LIMIT 1")
                .bind(e164)
                .fetch_one(&self.pool)
                .await
                .expect("a text was sent");
        let code = body.split("验证码 ").nth(1).map(|rest| rest.chars().take(6).collect::<String>());
        (body, code)
    }

    pub async fn user_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&self.pool).await.unwrap()
    }
}

fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The registration challenge's answer, worked out as a person would from "a + b = ?".
pub fn solve_challenge(question: &str) -> String {
    let numbers: Vec<u32> = question.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    (numbers[0] + numbers[1]).to_string()
}
