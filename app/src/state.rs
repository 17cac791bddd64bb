//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{
    credentials::Issuer,
    domain::hall::HallQuery,
    domain::public_page::SHARED_PAGE_LIFETIME_SECS,
    error::AppError,
    payments::{PaymentProvider, SandboxProvider, SignedCallback},
    public_pages::{Announcement, CachedPage, PublicPages, DEVELOPERS_PER_ANNOUNCEMENT, PUBLIC_PAGES_MAX_BYTES},
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
    /// The primary: every write, every lock, and every read that must be current.
    pub pool: PgPool,
    /// A streaming replica for reads that may lag a moment (`DATABASE_REPLICA_URL`); see
    /// `lagging_reads`.
    pub replica: Option<PgPool>,
    /// Until when (milliseconds since the Unix epoch) this process reads only the primary: set
    /// for `REPLICA_CATCH_UP` whenever it forgets its public pages.
    primary_only_until: Arc<std::sync::atomic::AtomicU64>,
    /// Where one-time codes are texted from (the local inbox in the demo and the tests).
    pub sms: Arc<dyn SmsGateway>,
    /// New task messages as the database announced them (`db::messages::CHANNEL`), fanned out to
    /// every open live stream; each stream keeps the ones for its own conversation.
    pub message_events: tokio::sync::broadcast::Sender<MessageEvent>,
    /// Users who just got a notification (`db::notifications::CHANNEL`), for the bells' live streams.
    pub notice_events: tokio::sync::broadcast::Sender<uuid::Uuid>,
    /// The payment provider every deposit and withdrawal goes through.
    pub payments: Arc<dyn PaymentProvider>,
    /// "共 N 个开放任务" for the hall. Counting 10,000 open tasks was the largest single cost of a
    /// hall render (1.7 ms of PostgreSQL CPU out of ~3 ms); a figure up to two seconds old is fine.
    /// Kept apart by where they were read (`true`: the replica), as are the hall's other caches.
    pub open_task_count: Arc<TtlCache<bool, i64>>,
    /// The hall's pages, by page number, for one second: every visitor sees the same list, and under
    /// load PostgreSQL spent a third as much CPU as the renderer producing it again and again. A new
    /// task shows up at most a second late.
    pub hall_pages: Arc<TtlCache<(bool, i64), HallPage>>,
    /// Searched and filtered hall pages, by query, for five seconds. People search for the same
    /// few things (the seeds' 小程序, 数据分析, Python): without it 32 visitors searching at once kept
    /// PostgreSQL re-ranking the same matches (94 pages/s, p99 462 ms on 46,000 tasks). Emptied
    /// when a task is published, so a new task is found at once.
    pub hall_searches: Arc<TtlCache<(bool, HallQuery), HallPage>>,
    /// Open tasks per tag for the plain hall's filter panel (a grouping over every open task).
    pub hall_tag_counts: Arc<TtlCache<bool, Vec<TagCount>>>,
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
    /// What this process forgot and has yet to tell the others (`public_pages_changed`,
    /// `recommendations_changed`); the announcer (`server::startup::spawn_cache_announcer`) takes it.
    pub unannounced: Arc<Unannounced>,
    /// Draining and stopping this process (`server::lifecycle`).
    pub lifecycle: Lifecycle,
    /// The same provider's sandbox side (its checkout page): present exactly in demo mode.
    pub sandbox: Option<Arc<SandboxProvider>>,
    /// Demo mode (`CODELINK_DEMO=1`): the sandbox pages exist. Outside it they answer 404.
    pub mode: Mode,
    /// The platform as credential issuer, its key read (or made) on first use.
    issuer: Arc<tokio::sync::OnceCell<Issuer>>,
    /// The CJK fonts growth reports embed, read on first use (tens of milliseconds, 40 MB).
    report_fonts: Arc<tokio::sync::OnceCell<Arc<ReportFonts>>>,
}

/// A process's way out. On SIGTERM it drains: readiness fails so the load balancer sends no more,
/// live streams end with a hint to reconnect (to another instance), and the background workers
/// finish the row in hand and stop; the process waits for them before it exits.
#[derive(Clone, Default)]
pub struct Lifecycle {
    /// Cancelled when the process starts to drain.
    pub draining: tokio_util::sync::CancellationToken,
    /// The background workers, waited for before the process exits.
    pub workers: tokio_util::task::TaskTracker,
}

/// How long after a change visitors see a process reads only the primary: far longer than a
/// streaming replica on a healthy network lags (milliseconds).
pub const REPLICA_CATCH_UP: Duration = Duration::from_secs(2);

fn unix_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Changes forgotten here that the other processes have not been told of yet.
#[derive(Default)]
pub struct Unannounced {
    pages: std::sync::atomic::AtomicBool,
    developers: std::sync::Mutex<std::collections::HashSet<uuid::Uuid>>,
    /// Wakes the announcer.
    pub wake: tokio::sync::Notify,
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
            replica: None,
            primary_only_until: Arc::default(),
            sms: Arc::new(LocalSmsInbox),
            message_events: tokio::sync::broadcast::channel(1024).0,
            notice_events: tokio::sync::broadcast::channel(1024).0,
            payments: sandbox.clone(),
            open_task_count: Arc::new(TtlCache::new(Duration::from_secs(2), 2)),
            hall_pages: Arc::new(TtlCache::new(Duration::from_secs(1), 64)),
            hall_searches: Arc::new(TtlCache::new(Duration::from_secs(5), 512)),
            hall_tag_counts: Arc::new(TtlCache::new(Duration::from_secs(10), 2)),
            recommendations: Arc::new(TtlCache::new(Duration::from_secs(30), 10_000)),
            public_pages: Arc::new(TtlCache::weighted(
                Duration::from_secs(SHARED_PAGE_LIFETIME_SECS),
                PUBLIC_PAGES_MAX_BYTES,
                CachedPage::weight,
            )),
            instance: uuid::Uuid::now_v7(),
            unannounced: Arc::default(),
            lifecycle: Lifecycle::default(),
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

    /// The same state reading from a replica where reads may lag (`lagging_reads`).
    pub fn with_replica(mut self, replica: PgPool) -> Self {
        self.replica = Some(replica);
        self
    }

    /// Where a read that may lag a moment goes (the hall and its searches, talent search, public
    /// cards, leaderboards): the replica when `may_lag` (`api::access::lagging_reads`: this
    /// browser wrote nothing in the last seconds), else the primary, so an author always reads
    /// back what they just changed. Without a replica, the primary. The flag says which was
    /// chosen, for caches that must keep the two apart.
    pub fn lagging_reads(&self, may_lag: bool) -> (bool, &PgPool) {
        let caught_up = unix_millis() >= self.primary_only_until.load(std::sync::atomic::Ordering::Acquire);
        match &self.replica {
            Some(replica) if may_lag && caught_up => (true, replica),
            _ => (false, &self.pool),
        }
    }

    /// A change visitors see (a task published, promoted, moderated, taken or closed; a card or
    /// profile edited): this process forgets its public pages and hall searches now, and the
    /// others within a second, through the database (`public_pages::CHANNEL`).
    pub fn public_pages_changed(&self) {
        self.forget_public_pages();
        self.unannounced.pages.store(true, std::sync::atomic::Ordering::Release);
        self.unannounced.wake.notify_one();
    }

    /// A developer applied or changed their skills: "为你推荐" is worked out again for them, on
    /// this process now and on the others within a second.
    pub async fn recommendations_changed(&self, developer: uuid::Uuid) {
        self.recommendations.forget(&developer).await;
        self.unannounced.developers.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(developer);
        self.unannounced.wake.notify_one();
    }

    /// What is due to be announced, emptied; `None` when nothing is.
    pub fn take_announcement(&self) -> Option<Announcement> {
        let pages = self.unannounced.pages.swap(false, std::sync::atomic::Ordering::AcqRel);
        let developers: Vec<uuid::Uuid> = {
            let mut waiting = self.unannounced.developers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let taken: Vec<_> = waiting.iter().copied().take(DEVELOPERS_PER_ANNOUNCEMENT).collect();
            for developer in &taken {
                waiting.remove(developer);
            }
            if !waiting.is_empty() {
                self.unannounced.wake.notify_one();
            }
            taken
        };
        (pages || !developers.is_empty()).then_some(Announcement { sender: self.instance, pages, developers })
    }

    /// Forgets what another process announced; whatever cannot be read, entirely.
    pub async fn hear(&self, payload: &str) {
        match Announcement::parse(payload) {
            Some(heard) if heard.sender == self.instance => {}
            Some(heard) => {
                if heard.pages {
                    self.forget_public_pages();
                }
                for developer in heard.developers {
                    self.recommendations.forget(&developer).await;
                }
            }
            None => {
                self.forget_public_pages();
                self.recommendations.clear();
            }
        }
    }

    /// Forgets what this process keeps of the public pages (another process announced a change).
    /// For `REPLICA_CATCH_UP` afterwards every read comes from the primary: the change is there at
    /// once, on a replica a moment later, and the emptied caches must not refill from a replica
    /// that has not replayed it yet.
    pub fn forget_public_pages(&self) {
        let until = unix_millis() + REPLICA_CATCH_UP.as_millis() as u64;
        self.primary_only_until.fetch_max(until, std::sync::atomic::Ordering::AcqRel);
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
