//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{
    credentials::Issuer,
    domain::hall::HallQuery,
    error::AppError,
    payments::{PaymentProvider, SandboxProvider, SignedCallback},
    rate_limit::{AttemptLimiter, RecentRegistrations},
    report_pdf::ReportFonts,
    sms::{LocalSmsInbox, SmsGateway},
    views::hall::{HallPage, TagCount},
};
use sqlx::PgPool;
use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};
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

/// Values that are expensive to compute and may be a little stale, by key: each is recomputed at
/// most once per `ttl`. A value up to one `ttl` past its time is returned at once while a spawned
/// task refreshes it, so under steady traffic no request waits for a refresh (under 32
/// connections, the requests that waited for their own refresh were the hall's p99: 200 ms for
/// searches whose query alone takes 8 ms). A missing value, or one older than twice `ttl` (nobody
/// asked for a while), is computed by the caller, so nothing served is ever older than that.
/// At most `capacity` keys are kept; a full cache first drops expired entries, then everything.
/// (A few dozen lines did not justify a caching crate's dependency tree on this 2-core build.)
pub struct TtlCache<K, V> {
    ttl: Duration,
    capacity: usize,
    inner: Mutex<Entries<K, V>>,
    /// One refresh at a time: keys filled together expire together, and 140 searches refreshed at
    /// once took both cores from the pages being served for a moment every five seconds.
    refreshing: Arc<tokio::sync::Semaphore>,
}

struct Entries<K, V> {
    values: HashMap<K, Entry<V>>,
    /// Bumped by `clear`: a refresh that started before a clear must not put back what the clear removed.
    generation: u64,
}

struct Entry<V> {
    value: V,
    computed_at: Instant,
    /// When a background refresh of this value was started, if one was.
    refresh_started: Option<Instant>,
}

impl<K, V> TtlCache<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlCache {
            ttl,
            capacity,
            inner: Mutex::new(Entries { values: HashMap::new(), generation: 0 }),
            refreshing: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries<K, V>> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value for `key`, computed by `compute` when there is none (or it is too old); a value
    /// just past its time is returned as it is and refreshed by `compute` on a spawned task (so its
    /// future must own its inputs).
    pub async fn get<F, Fut>(self: &Arc<Self>, key: K, compute: F) -> Result<V, sqlx::Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, sqlx::Error>> + Send + 'static,
    {
        let generation = {
            let mut entries = self.entries();
            let generation = entries.generation;
            if let Some(entry) = entries.values.get_mut(&key) {
                let age = entry.computed_at.elapsed();
                if age < self.ttl {
                    return Ok(entry.value.clone());
                }
                if age < 2 * self.ttl {
                    // One refresh per expiry (a refresh that failed is retried a `ttl` later).
                    if entry.refresh_started.is_none_or(|started| started.elapsed() >= self.ttl) {
                        entry.refresh_started = Some(Instant::now());
                        let (cache, key, refresh) = (Arc::clone(self), key.clone(), compute());
                        tokio::spawn(async move {
                            let Ok(_turn) = cache.refreshing.acquire().await else { return };
                            match refresh.await {
                                Ok(value) => cache.insert(key, value, generation),
                                Err(error) => tracing::warn!(%error, "cache refresh failed; the previous value stays"),
                            }
                        });
                    }
                    return Ok(entry.value.clone());
                }
            }
            generation
        };
        let value = compute().await?;
        self.insert(key, value.clone(), generation);
        Ok(value)
    }

    fn insert(&self, key: K, value: V, computed_in: u64) {
        let mut entries = self.entries();
        if entries.generation != computed_in {
            return;
        }
        if entries.values.len() >= self.capacity {
            entries.values.retain(|_, entry| entry.computed_at.elapsed() < self.ttl);
            if entries.values.len() >= self.capacity {
                entries.values.clear();
            }
        }
        entries.values.insert(key, Entry { value, computed_at: Instant::now(), refresh_started: None });
    }

    /// Forgets every value, for a change that must show at once.
    pub fn clear(&self) {
        let mut entries = self.entries();
        entries.values.clear();
        entries.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_are_reused_until_they_expire_then_refreshed_behind_the_previous_value() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(200), 8));
        assert_eq!(cache.get(1, || async { Ok(10) }).await.unwrap(), 10);
        assert_eq!(cache.get(1, || async { Ok(11) }).await.unwrap(), 10, "fresh: not recomputed");
        assert_eq!(cache.get(2, || async { Ok(20) }).await.unwrap(), 20, "keys are separate");
        // Past its time, well inside the window where it is still served (a loaded machine oversleeps).
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(cache.get(1, || async { Ok(12) }).await.unwrap(), 10, "expired: the previous value, at once");
        assert_eq!(cache.get(1, || async { Ok(99) }).await.unwrap(), 10, "one refresh only");
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(cache.get(1, || async { Ok(13) }).await.unwrap(), 12, "the refreshed value");
    }

    #[tokio::test]
    async fn a_value_nobody_asked_for_in_two_ttls_is_computed_by_the_caller() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(30), 8));
        cache.get(1, || async { Ok(10) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(70)).await;
        assert_eq!(cache.get(1, || async { Ok(11) }).await.unwrap(), 11, "too old to serve");
    }

    #[tokio::test]
    async fn a_refresh_started_before_a_clear_does_not_bring_back_the_old_value() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(200), 8));
        cache.get(1, || async { Ok(10) }).await.unwrap();
        // Past its time, well inside the window where it is still served (a loaded machine oversleeps).
        tokio::time::sleep(Duration::from_millis(250)).await;
        let release = Arc::new(tokio::sync::Notify::new());
        let gate = Arc::clone(&release);
        cache
            .get(1, move || async move {
                gate.notified().await;
                Ok(11)
            })
            .await
            .unwrap();
        cache.clear();
        release.notify_one();
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(cache.get(1, || async { Ok(12) }).await.unwrap(), 12, "computed after the clear");
    }

    #[tokio::test]
    async fn errors_are_not_cached_and_capacity_is_bounded() {
        let cache = Arc::new(TtlCache::new(Duration::from_secs(60), 3));
        assert!(cache.get(0, || async { Err(sqlx::Error::RowNotFound) }).await.is_err());
        assert_eq!(cache.get(0, || async { Ok(1) }).await.unwrap(), 1);
        for key in 1..10 {
            cache.get(key, || async move { Ok(key) }).await.unwrap();
        }
        assert!(cache.entries().values.len() <= 3);
    }
}
