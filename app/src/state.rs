//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{
    credentials::Issuer,
    domain::hall::HallQuery,
    domain::public_page::SHARED_PAGE_LIFETIME_SECS,
    error::AppError,
    payments::{PaymentProvider, SandboxProvider, SignedCallback},
    public_pages::{CachedPage, PublicPages, PUBLIC_PAGES_MAX_BYTES},
    rate_limit::{AttemptLimiter, RecentRegistrations},
    report_pdf::ReportFonts,
    sms::{LocalSmsInbox, SmsGateway},
    ttl_cache::TtlCache,
    views::hall::{HallPage, Recommendation, TagCount},
};
use sqlx::PgPool;
use std::{sync::Arc, time::Duration};
use tokio::sync::mpsc::UnboundedReceiver;

/// Where `scripts/start` serves the demo.
const DEMO_PUBLIC_URL: &str = "http://127.0.0.1:3000";

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub login_limiter: Arc<AttemptLimiter>,
    pub registration_limiter: Arc<AttemptLimiter>,
    pub application_limiter: Arc<AttemptLimiter>,
    /// Invitations to apply, per merchant and per address (`AttemptLimiter::invitations`).
    pub invitation_limiter: Arc<AttemptLimiter>,
    pub sms_limiter: Arc<AttemptLimiter>,
    /// Password-reset links asked for, per e-mail address typed and per client address.
    pub reset_limiter: Arc<AttemptLimiter>,
    /// Help-centre contact messages, per account and per address (`AttemptLimiter::support_messages`).
    pub support_limiter: Arc<AttemptLimiter>,
    /// Where one-time codes are texted from (the local inbox in the demo and the tests).
    pub sms: Arc<dyn SmsGateway>,
    /// Sign-ups per address in the last hour: past a few, the form asks a challenge question.
    pub recent_registrations: Arc<RecentRegistrations>,
    /// New task messages as the database announced them (`db::messages::CHANNEL`), fanned out to
    /// every open live stream; each stream keeps the ones for its own conversation.
    pub message_events: tokio::sync::broadcast::Sender<MessageEvent>,
    /// Users who just got a notification (`db::notifications::CHANNEL`), for the bells' live streams.
    pub notice_events: tokio::sync::broadcast::Sender<uuid::Uuid>,
    /// The payment provider every deposit and withdrawal goes through.
    pub payments: Arc<dyn PaymentProvider>,
    /// "共 N 个开放任务" for the hall. Counting 10,000 open tasks was the largest single cost of a
    /// hall render (1.7 ms of PostgreSQL CPU out of ~3 ms); a figure up to two seconds old is fine.
    pub open_task_count: Arc<TtlCache<(), i64>>,
    /// The hall's pages, by page number, for one second: every visitor sees the same list, and under
    /// load PostgreSQL spent a third as much CPU as the renderer producing it again and again. A new
    /// task shows up at most a second late.
    pub hall_pages: Arc<TtlCache<i64, HallPage>>,
    /// Searched and filtered hall pages, by query, for five seconds. People search for the same
    /// few things (the seeds' 小程序, 数据分析, Python): without it 32 visitors searching at once kept
    /// PostgreSQL re-ranking the same matches (94 pages/s, p99 462 ms on 46,000 tasks). Emptied
    /// when a task is published, so a new task is found at once.
    pub hall_searches: Arc<TtlCache<HallQuery, HallPage>>,
    /// Open tasks per tag for the plain hall's filter panel (a grouping over every open task).
    pub hall_tag_counts: Arc<TtlCache<(), Vec<TagCount>>>,
    /// "为你推荐" per developer, for half a minute: ranking the open tasks against a developer's
    /// skills took 28 ms of PostgreSQL per hall view over 10,000 open tasks (the signed-in hall
    /// served 71 pages/s). Forgotten for a developer when they apply.
    pub recommendations: Arc<TtlCache<uuid::Uuid, Vec<Recommendation>>>,
    /// Whole pages as visitors who are not signed in get them (`server::page_cache`), for
    /// `SHARED_PAGE_LIFETIME_SECS`.
    pub public_pages: Arc<PublicPages>,
    /// This process, among the instances sharing the database: announcements carry it, so a
    /// process skips its own.
    pub instance: uuid::Uuid,
    /// Woken by `public_pages_changed`; the announcer (`server::startup::spawn_public_page_announcer`)
    /// tells the other processes.
    pub public_changes: Arc<tokio::sync::Notify>,
    /// The same provider's sandbox side (its checkout page): present exactly in demo mode.
    pub sandbox: Option<Arc<SandboxProvider>>,
    /// Demo mode (`CODELINK_DEMO=1`): the sandbox pages exist. Outside it they answer 404.
    pub mode: Mode,
    /// The platform as credential issuer, its key read (or made) on first use.
    issuer: Arc<tokio::sync::OnceCell<Issuer>>,
    /// The CJK fonts growth reports embed, read on first use (tens of milliseconds, 40 MB).
    report_fonts: Arc<tokio::sync::OnceCell<Arc<ReportFonts>>>,
}

/// Whether this server is a demo. This build has only local providers (the sandbox payment
/// provider, the local SMS inbox, the local identity check), so `serve` refuses to start outside
/// demo mode; `Deployed` state exists for the tests of what a deployment must not expose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Demo,
    Deployed,
}

impl AppState {
    /// Demo state: the sandbox payment provider with its checkout page, and the sandbox phone.
    pub fn with_sandbox(pool: PgPool, payment_secret: &[u8]) -> (Self, UnboundedReceiver<SignedCallback>) {
        Self::new(pool, payment_secret, Mode::Demo)
    }

    /// The receiver yields the payment provider's payout callbacks; the server feeds them to
    /// `db::payments::receive` (see `server::startup`).
    pub fn new(pool: PgPool, payment_secret: &[u8], mode: Mode) -> (Self, UnboundedReceiver<SignedCallback>) {
        let (sandbox, callbacks) = SandboxProvider::with_bank(payment_secret, pool.clone());
        let state = AppState {
            pool,
            login_limiter: Arc::new(AttemptLimiter::logins()),
            registration_limiter: Arc::new(AttemptLimiter::registrations()),
            application_limiter: Arc::new(AttemptLimiter::applications()),
            invitation_limiter: Arc::new(AttemptLimiter::invitations()),
            sms_limiter: Arc::new(AttemptLimiter::sms_codes()),
            reset_limiter: Arc::new(AttemptLimiter::password_resets()),
            support_limiter: Arc::new(AttemptLimiter::support_messages()),
            sms: Arc::new(LocalSmsInbox),
            recent_registrations: Arc::default(),
            message_events: tokio::sync::broadcast::channel(1024).0,
            notice_events: tokio::sync::broadcast::channel(1024).0,
            payments: sandbox.clone(),
            open_task_count: Arc::new(TtlCache::new(Duration::from_secs(2), 1)),
            hall_pages: Arc::new(TtlCache::new(Duration::from_secs(1), 64)),
            hall_searches: Arc::new(TtlCache::new(Duration::from_secs(5), 512)),
            hall_tag_counts: Arc::new(TtlCache::new(Duration::from_secs(10), 1)),
            recommendations: Arc::new(TtlCache::new(Duration::from_secs(30), 10_000)),
            public_pages: Arc::new(TtlCache::weighted(
                Duration::from_secs(SHARED_PAGE_LIFETIME_SECS),
                PUBLIC_PAGES_MAX_BYTES,
                CachedPage::weight,
            )),
            instance: uuid::Uuid::now_v7(),
            public_changes: Arc::default(),
            sandbox: (mode == Mode::Demo).then_some(sandbox),
            mode,
            issuer: Arc::default(),
            report_fonts: Arc::default(),
        };
        (state, callbacks)
    }

    /// The credential issuer at `CODELINK_PUBLIC_URL` (the demo's address when unset), signing
    /// with `CODELINK_SIGNING_KEY` (64 hex digits) or else the key kept in the database.
    pub async fn issuer(&self) -> Result<&Issuer, AppError> {
        self.issuer
            .get_or_try_init(|| async {
                let base_url = public_url();
                let (secret, earlier) = crate::db::credentials::signing_keys(&self.pool).await?;
                Ok(Issuer::new(&base_url, secret, &earlier))
            })
            .await
    }

    /// A change visitors see (a task published, promoted, moderated, taken or closed; a card or
    /// profile edited): this process forgets its public pages and hall searches now, and the
    /// others within a second, through the database (`public_pages::CHANNEL`).
    pub fn public_pages_changed(&self) {
        self.forget_public_pages();
        self.public_changes.notify_one();
    }

    /// Forgets what this process keeps of the public pages (another process announced a change).
    pub fn forget_public_pages(&self) {
        // The data under the pages first: a page rendered in between must not keep old data.
        self.hall_searches.clear();
        self.hall_pages.clear();
        self.public_pages.clear();
    }

    pub fn is_demo(&self) -> bool {
        self.mode == Mode::Demo
    }

    pub async fn report_fonts(&self) -> Result<Arc<ReportFonts>, AppError> {
        let fonts = self
            .report_fonts
            .get_or_try_init(|| async {
                match tokio::task::spawn_blocking(ReportFonts::load_system).await {
                    Ok(Ok(fonts)) => Ok(Arc::new(fonts)),
                    Ok(Err(error)) => {
                        tracing::error!(%error, "loading the report fonts");
                        Err(AppError::Internal)
                    }
                    Err(_) => Err(AppError::Internal),
                }
            })
            .await?;
        Ok(fonts.clone())
    }
}

/// The public URL the server resolved at startup (`CODELINK_PUBLIC_URL`, or in demo mode the
/// address it listens on); `public_url` returns it from then on.
static PUBLIC_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Called once by `serve`, before anything reads `public_url`.
pub fn set_public_url(url: &str) {
    let _ = PUBLIC_URL.set(url.trim_end_matches('/').to_string());
}

/// Where the site is reached from outside: what credentials name, e-mails link to and the origin
/// check compares with (`CODELINK_PUBLIC_URL`; the demo's address when unset and not resolved).
pub fn public_url() -> String {
    if let Some(url) = PUBLIC_URL.get() {
        return url.clone();
    }
    match std::env::var("CODELINK_PUBLIC_URL").ok().filter(|url| !url.is_empty()) {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            tracing::warn!("CODELINK_PUBLIC_URL not set: links name {DEMO_PUBLIC_URL}, right for the demo only");
            DEMO_PUBLIC_URL.to_string()
        }
    }
}

/// A stored task message, as announced: enough for a live stream to know whether it is theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageEvent {
    pub task: uuid::Uuid,
    pub developer: uuid::Uuid,
    pub id: i64,
}

impl MessageEvent {
    /// Reads `task:developer:id`, the payload `db::messages::post` sends.
    pub fn parse(payload: &str) -> Option<Self> {
        let mut parts = payload.split(':');
        let task = uuid::Uuid::parse_str(parts.next()?).ok()?;
        let developer = uuid::Uuid::parse_str(parts.next()?).ok()?;
        let id = parts.next()?.parse().ok()?;
        Some(MessageEvent { task, developer, id })
    }
}

/// The state inside a server function; its absence is a wiring bug, reported as an internal error.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}
