//! How fast the whole server may write its request log. The budget of one
//! connection ([`super::log_budget`]) does not bound a client that opens a
//! new connection for every request of junk; this does: a token bucket of
//! log bytes for every connection together, refilled at the limits'
//! `log_rate` on tokio's clock (which tests pause and advance) and
//! [`BURST_SECONDS`] of it deep. Past it, one line says the server's further
//! requests go unlogged, and the first line logged again says how many were.
//! The default, 2 MiB a second, is about 13,000 ordinary lines a second,
//! more than a test suite's clients send (a benchmark runs with `--quiet`).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How many seconds of its rate the log may write at once.
pub const BURST_SECONDS: u64 = 8;

/// What the rate says of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Admit {
    /// Log it; `resumed` counts the lines left unlogged just before, if any
    /// were, to be said first.
    Yes {
        /// Requests answered but not logged since the rate was last spent.
        resumed: u64,
    },
    /// The rate is spent and this is the first line it refuses: say so.
    Spent,
    /// The rate is spent; the line is counted, not logged.
    No,
}

/// The server's log bucket.
#[derive(Debug)]
pub(super) struct LogRate {
    /// Bytes a second.
    pub(super) per_second: u64,
    /// Bytes at once.
    pub(super) burst: u64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    tokens: u64,
    at: Instant,
    unlogged: u64,
}

impl LogRate {
    /// A full bucket for `per_second` bytes a second.
    pub(super) fn new(per_second: u64) -> Self {
        let burst = per_second.saturating_mul(BURST_SECONDS);
        Self {
            per_second,
            burst,
            state: Mutex::new(State {
                tokens: burst,
                at: Instant::now(),
                unlogged: 0,
            }),
        }
    }

    /// Whether a line of `size` bytes may be logged now.
    pub(super) fn admit(&self, size: usize) -> Admit {
        let Ok(mut state) = self.state.lock() else {
            // A logger that panicked mid-line: log rather than lose lines.
            return Admit::Yes { resumed: 0 };
        };
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(state.at);
        state.at = now;
        state.tokens = state
            .tokens
            .saturating_add(refill(elapsed, self.per_second))
            .min(self.burst);
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if state.tokens >= size {
            state.tokens -= size;
            let resumed = std::mem::take(&mut state.unlogged);
            return Admit::Yes { resumed };
        }
        state.unlogged += 1;
        if state.unlogged == 1 {
            Admit::Spent
        } else {
            Admit::No
        }
    }
}

/// The bytes `elapsed` earns at `per_second`.
fn refill(elapsed: Duration, per_second: u64) -> u64 {
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    micros.saturating_mul(per_second) / 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn past_the_burst_lines_wait_for_the_rate_and_the_count_comes_back() {
        let rate = LogRate::new(2 << 20);
        let line = 1 << 16;
        let fit = usize::try_from(rate.burst).unwrap_or_default() / line;
        for _ in 0..fit {
            assert_eq!(rate.admit(line), Admit::Yes { resumed: 0 });
        }
        assert_eq!(rate.admit(line), Admit::Spent);
        assert_eq!(rate.admit(line), Admit::No);
        assert_eq!(rate.admit(line), Admit::No);
        // At 2 MiB/s, 31 ms earns not quite one 64 KiB line; 32 ms does.
        tokio::time::advance(Duration::from_millis(31)).await;
        assert_eq!(rate.admit(line), Admit::No);
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(rate.admit(line), Admit::Yes { resumed: 4 });
        // A long pause refills the burst, no more.
        tokio::time::advance(Duration::from_secs(3600)).await;
        for _ in 0..fit {
            assert_eq!(rate.admit(line), Admit::Yes { resumed: 0 });
        }
        assert_eq!(rate.admit(line), Admit::Spent);
    }
}
