//! Values that are expensive to compute and may be a little stale, by key (server only): the hall's
//! data underneath every render, and whole anonymous pages (`server::page_cache`).
//!
//! Each value is recomputed at most once per `ttl`. A value up to one `ttl` past its time is
//! returned at once while a spawned task refreshes it, so under steady traffic no request waits
//! for a refresh (under 32 connections, the requests that waited for their own refresh were the
//! hall's p99: 200 ms for searches whose query alone takes 8 ms). A missing value, or one older
//! than twice `ttl` (nobody asked for a while), is computed by the caller, so nothing served is
//! ever older than that. Callers that miss together wait for one computation (moka coalesces
//! them), so a cold key under load costs one render, not one per connection.

use moka::future::Cache;
use std::{
    future::Future,
    hash::Hash,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

pub struct TtlCache<K, V> {
    ttl: Duration,
    /// Keyed by the generation a value was computed in as well: `clear` moves to a new generation,
    /// so a computation that started before a clear cannot put back what the clear removed.
    values: Cache<(u64, K), Arc<Entry<V>>>,
    generation: AtomicU64,
    /// One refresh at a time: keys filled together expire together, and 140 searches refreshed at
    /// once took both cores from the pages being served for a moment every five seconds.
    refreshing: Arc<tokio::sync::Semaphore>,
}

struct Entry<V> {
    value: V,
    computed_at: Instant,
    /// Whether a background refresh of this value was started (one per value; a failed refresh is
    /// not retried, the value is computed again by a caller once it is too old to serve).
    refresh_started: AtomicBool,
}

impl<V> Entry<V> {
    fn new(value: V) -> Arc<Self> {
        Arc::new(Entry { value, computed_at: Instant::now(), refresh_started: AtomicBool::new(false) })
    }
}

impl<K, V> TtlCache<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// At most `capacity` keys.
    pub fn new(ttl: Duration, capacity: u64) -> Self {
        Self::with_cache(ttl, Cache::builder().max_capacity(capacity))
    }

    /// At most `max_weight` in all, each value weighing `weigh(value)` (for example its bytes).
    pub fn weighted(ttl: Duration, max_weight: u64, weigh: fn(&V) -> u32) -> Self {
        Self::with_cache(
            ttl,
            Cache::builder().max_capacity(max_weight).weigher(move |_key, entry: &Arc<Entry<V>>| weigh(&entry.value)),
        )
    }

    fn with_cache(
        ttl: Duration,
        builder: moka::future::CacheBuilder<(u64, K), Arc<Entry<V>>, Cache<(u64, K), Arc<Entry<V>>>>,
    ) -> Self {
        TtlCache {
            ttl,
            values: builder.time_to_live(2 * ttl).build(),
            generation: AtomicU64::new(0),
            refreshing: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    /// The value for `key`, computed by `compute` when there is none (or it is too old); a value
    /// just past its time is returned as it is and refreshed by `compute` on a spawned task (so its
    /// future must own its inputs). An error is not kept: every caller that waited for that
    /// computation gets it, and the next caller computes again.
    pub async fn get<F, Fut, E>(self: &Arc<Self>, key: K, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: Clone + std::fmt::Debug + Send + Sync + 'static,
    {
        let slot = (self.generation.load(Ordering::Acquire), key);
        if let Some(entry) = self.values.get(&slot).await {
            let age = entry.computed_at.elapsed();
            if age < self.ttl {
                return Ok(entry.value.clone());
            }
            if age < 2 * self.ttl {
                if !entry.refresh_started.swap(true, Ordering::AcqRel) {
                    let (cache, slot, refresh) = (Arc::clone(self), slot.clone(), compute());
                    tokio::spawn(async move {
                        let Ok(_turn) = cache.refreshing.acquire().await else { return };
                        match refresh.await {
                            Ok(value) => cache.values.insert(slot, Entry::new(value)).await,
                            Err(error) => tracing::warn!(?error, "cache refresh failed; the previous value stays"),
                        }
                    });
                }
                return Ok(entry.value.clone());
            }
            // Too old to serve (moka drops it at 2 × ttl; this is the moment in between).
            self.values.invalidate(&slot).await;
        }
        let computation = compute();
        match self.values.try_get_with(slot, async move { computation.await.map(Entry::new) }).await {
            Ok(entry) => Ok(entry.value.clone()),
            Err(error) => Err(E::clone(&error)),
        }
    }

    /// Forgets the value for `key`, for a change that must show at once to whoever reads it.
    pub async fn forget(&self, key: &K) {
        self.values.invalidate(&(self.generation.load(Ordering::Acquire), key.clone())).await;
    }

    /// Forgets every value, for a change that must show at once.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.values.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Plain = Result<i32, String>;

    #[tokio::test]
    async fn values_are_reused_until_they_expire_then_refreshed_behind_the_previous_value() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(200), 8));
        assert_eq!(cache.get(1, || async { Plain::Ok(10) }).await.unwrap(), 10);
        assert_eq!(cache.get(1, || async { Plain::Ok(11) }).await.unwrap(), 10, "fresh: not recomputed");
        assert_eq!(cache.get(2, || async { Plain::Ok(20) }).await.unwrap(), 20, "keys are separate");
        // Past its time, well inside the window where it is still served (a loaded machine oversleeps).
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(cache.get(1, || async { Plain::Ok(12) }).await.unwrap(), 10, "expired: the previous value, at once");
        assert_eq!(cache.get(1, || async { Plain::Ok(99) }).await.unwrap(), 10, "one refresh only");
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(cache.get(1, || async { Plain::Ok(13) }).await.unwrap(), 12, "the refreshed value");
    }

    #[tokio::test]
    async fn a_value_nobody_asked_for_in_two_ttls_is_computed_by_the_caller() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(30), 8));
        cache.get(1, || async { Plain::Ok(10) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(70)).await;
        assert_eq!(cache.get(1, || async { Plain::Ok(11) }).await.unwrap(), 11, "too old to serve");
    }

    #[tokio::test]
    async fn a_refresh_started_before_a_clear_does_not_bring_back_the_old_value() {
        let cache = Arc::new(TtlCache::new(Duration::from_millis(200), 8));
        cache.get(1, || async { Plain::Ok(10) }).await.unwrap();
        // Past its time, well inside the window where it is still served (a loaded machine oversleeps).
        tokio::time::sleep(Duration::from_millis(250)).await;
        let release = Arc::new(tokio::sync::Notify::new());
        let gate = Arc::clone(&release);
        cache
            .get(1, move || async move {
                gate.notified().await;
                Plain::Ok(11)
            })
            .await
            .unwrap();
        cache.clear();
        release.notify_one();
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(cache.get(1, || async { Plain::Ok(12) }).await.unwrap(), 12, "computed after the clear");
    }

    #[tokio::test]
    async fn callers_that_miss_together_share_one_computation() {
        let cache = Arc::new(TtlCache::new(Duration::from_secs(60), 8));
        let runs = Arc::new(AtomicU64::new(0));
        let ask = || {
            let (cache, runs) = (Arc::clone(&cache), Arc::clone(&runs));
            async move {
                cache
                    .get(1, move || async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Plain::Ok(7)
                    })
                    .await
            }
        };
        let answers = tokio::join!(ask(), ask(), ask());
        assert_eq!(answers, (Ok(7), Ok(7), Ok(7)));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn errors_are_not_cached_and_capacity_is_bounded() {
        let cache = Arc::new(TtlCache::new(Duration::from_secs(60), 3));
        assert!(cache.get(0, || async { Plain::Err("down".into()) }).await.is_err());
        assert_eq!(cache.get(0, || async { Plain::Ok(1) }).await.unwrap(), 1);
        for key in 1..10 {
            cache.get(key, || async move { Plain::Ok(key) }).await.unwrap();
        }
        cache.values.run_pending_tasks().await;
        assert!(cache.values.entry_count() <= 3);
    }
}
