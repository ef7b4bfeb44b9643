//! How many accounts are in flight: at most the `--concurrency` asked for,
//! halved when AWS keeps throttling after the SDK's own retries, and grown
//! back by one for each window's worth of calls that go through (additive
//! increase, multiplicative decrease, as TCP and the SDKs' adaptive retry
//! mode do). It counts calls rather than reading a clock, so its behaviour
//! is the same on every machine and testable without waiting.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

#[derive(Debug)]
struct State {
    window: usize,
    /// Calls ended since the window last changed.
    since_change: usize,
    throttled: u64,
    lowest: usize,
}

/// The adaptive bound on accounts in flight.
#[derive(Debug)]
pub struct Limiter {
    max: usize,
    state: Mutex<State>,
}

/// What the limiter went through, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimiterStats {
    /// Calls that were still throttled after the SDK's retries.
    pub throttled: u64,
    /// The smallest window reached.
    pub lowest_window: usize,
    /// The window asked for.
    pub max_window: usize,
}

impl Limiter {
    /// At most `max` accounts in flight (at least one).
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        Self {
            max,
            state: Mutex::new(State {
                window: max,
                since_change: usize::MAX,
                throttled: 0,
                lowest: max,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Every update leaves the state whole, so a poisoned lock still
        // guards a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many accounts may be in flight now.
    pub fn window(&self) -> usize {
        self.state().window
    }

    /// A call went through: after a window's worth of them, one more slot.
    pub fn succeeded(&self) {
        let mut s = self.state();
        s.since_change = s.since_change.saturating_add(1);
        if s.window < self.max && s.since_change >= s.window {
            s.window += 1;
            s.since_change = 0;
        }
    }

    /// A call was throttled after the SDK's retries: halve the window, at
    /// most once per window's worth of calls (the calls already in flight
    /// were sent under the old window and say nothing new).
    pub fn throttled(&self) {
        let mut s = self.state();
        s.throttled += 1;
        if s.since_change >= s.window {
            s.window = (s.window / 2).max(1);
            s.since_change = 0;
            s.lowest = s.lowest.min(s.window);
        } else {
            s.since_change += 1;
        }
    }

    /// What happened so far.
    pub fn stats(&self) -> LimiterStats {
        let s = self.state();
        LimiterStats {
            throttled: s.throttled,
            lowest_window: s.lowest,
            max_window: self.max,
        }
    }
}

/// Jittered exponential backoff between an account's attempts once the
/// SDK's own retries were throttled too ("full jitter": a random wait up to
/// `base * 2^attempt`, at most `cap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Attempts per call, the first included.
    pub attempts: u32,
    /// The first wait's upper bound.
    pub base: Duration,
    /// The largest wait.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            attempts: 6,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(10),
        }
    }
}

impl Backoff {
    /// The wait after failed attempt `attempt` (1-based), given a random
    /// number.
    pub fn delay(&self, attempt: u32, random: u64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.cap);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(random % millis.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_halves_once_per_window_and_success_grows_it_back() {
        let limiter = Limiter::new(16);
        limiter.throttled();
        assert_eq!(limiter.window(), 8);
        // The other calls sent under the old window do not halve it again.
        for _ in 0..8 {
            limiter.throttled();
        }
        assert_eq!(limiter.window(), 8);
        limiter.throttled();
        assert_eq!(limiter.window(), 4);
        for _ in 0..4 {
            limiter.succeeded();
        }
        assert_eq!(limiter.window(), 5);
        for _ in 0..1000 {
            limiter.succeeded();
        }
        assert_eq!(limiter.window(), 16);
        let stats = limiter.stats();
        assert_eq!((stats.throttled, stats.lowest_window), (10, 4));
    }

    #[test]
    fn the_window_never_drops_below_one() {
        let limiter = Limiter::new(2);
        for _ in 0..50 {
            limiter.throttled();
        }
        assert_eq!(limiter.window(), 1);
        assert_eq!(Limiter::new(0).window(), 1);
    }

    #[test]
    fn backoff_grows_to_its_cap_and_stays_within_it() {
        let b = Backoff::default();
        assert!(b.delay(1, u64::MAX - 1) <= Duration::from_millis(200));
        assert_eq!(b.delay(1, 200), Duration::from_millis(200));
        assert_eq!(b.delay(3, 800), Duration::from_millis(800));
        assert_eq!(b.delay(30, 10_000), Duration::from_secs(10));
        assert_eq!(b.delay(30, 10_001), Duration::ZERO);
    }
}
