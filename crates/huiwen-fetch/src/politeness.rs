//! Per-host politeness: how many requests may be in flight to a host, how
//! far apart their starts must be, and what the host's robots.txt says.
//!
//! A "host" here is an origin (`scheme://host:port`), the unit robots.txt
//! applies to. The table only grows; huiwen polls a configured set of
//! sources, so it stays as small as that set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

/// The longest robots.txt `Crawl-delay` honoured. A site asking for more
/// (some say 86400) would otherwise be polled once a day at best; past a
/// minute between requests we are a negligible load on any server.
pub(crate) const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct Hosts {
    table: Mutex<HashMap<String, Arc<HostState>>>,
    concurrency: usize,
    min_interval: Duration,
}

impl Hosts {
    pub(crate) fn new(concurrency: usize, min_interval: Duration) -> Self {
        Hosts {
            table: Mutex::new(HashMap::new()),
            concurrency,
            min_interval,
        }
    }

    pub(crate) fn get(&self, url: &url::Url) -> Arc<HostState> {
        let origin = url.origin().ascii_serialization();
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table
            .entry(origin)
            .or_insert_with(|| {
                Arc::new(HostState {
                    permits: Semaphore::new(self.concurrency),
                    schedule: Mutex::new(Schedule::default()),
                    min_interval: self.min_interval,
                    robots: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }
}

#[derive(Debug, Default)]
struct Schedule {
    /// When the latest request was allowed to start (possibly in the future:
    /// a slot is reserved before its caller sleeps until it).
    last_start: Option<Instant>,
    crawl_delay: Option<Duration>,
}

#[derive(Debug)]
pub(crate) struct HostState {
    permits: Semaphore,
    schedule: Mutex<Schedule>,
    min_interval: Duration,
    /// Held across a robots.txt fetch, so concurrent fetches to a host whose
    /// robots.txt is unknown or stale wait for one download.
    pub(crate) robots: tokio::sync::Mutex<Option<RobotsEntry>>,
}

#[derive(Debug)]
pub(crate) struct RobotsEntry {
    /// `None`: everything is allowed (no robots.txt, or it could not be had).
    pub(crate) rules: Option<texting_robots::Robot>,
    pub(crate) expires: Instant,
}

impl HostState {
    /// Waits for this host's turn: first a concurrency permit, then the
    /// reserved start slot. The permit is taken first so that two callers
    /// released by the semaphore at once still start an interval apart.
    /// Returns the permit, to be held until the request is done (`None` only
    /// if the semaphore were closed, which never happens).
    pub(crate) async fn turn(&self) -> Option<SemaphorePermit<'_>> {
        let permit = self.permits.acquire().await.ok();
        let start = {
            let mut schedule = self.schedule.lock().unwrap_or_else(PoisonError::into_inner);
            let interval = schedule
                .crawl_delay
                .map_or(self.min_interval, |delay| delay.max(self.min_interval));
            let now = Instant::now();
            let start = match schedule.last_start {
                Some(last) => (last + interval).max(now),
                None => now,
            };
            schedule.last_start = Some(start);
            start
        };
        tokio::time::sleep_until(start).await;
        permit
    }

    /// Applies a robots.txt `Crawl-delay` (seconds) to every later request.
    pub(crate) fn set_crawl_delay(&self, seconds: Option<f32>) {
        let delay = seconds
            .filter(|s| s.is_finite() && *s > 0.0)
            // Clamped before converting: from_secs_f32 panics on huge values.
            .map(|s| Duration::from_secs_f32(s.min(MAX_CRAWL_DELAY.as_secs_f32())));
        self.schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .crawl_delay = delay;
    }
}
