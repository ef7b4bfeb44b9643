//! How much one connection may write to the request log: a client that
//! sends request after request of junk would otherwise fill the disk of
//! whoever keeps the log (one wrote 371 MiB in 5 s). Past [`PER_CONNECTION`]
//! bytes, one line says the connection's further requests go unlogged, and
//! when it closes, one more says how many did. Within it, the server's own
//! rate ([`LogRate`]) still applies, so reconnecting does not escape.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::log_line::LogLine;
use super::log_rate::{Admit, LogRate};

/// The most log bytes one connection may cause (about 5,000 ordinary
/// lines; an SDK's keep-alive connection of a test run stays far below).
pub(super) const PER_CONNECTION: usize = 1 << 20;

/// Where log lines go (the server's logger).
pub(super) type Log = dyn Fn(&LogLine) + Send + Sync;

/// One connection's spending on the log.
#[derive(Debug)]
pub(super) struct LogBudget {
    spent: AtomicUsize,
    unlogged: AtomicUsize,
    server: Arc<LogRate>,
}

/// A line the log writes about itself.
fn about_the_log(line: &LogLine, outcome: &str, reason: String) -> LogLine {
    LogLine {
        operation: "xacct:log".to_owned(),
        caller: line.caller.clone(),
        account: line.account.clone(),
        status: line.status,
        outcome: outcome.to_owned(),
        reason: Some(reason),
    }
}

impl LogBudget {
    /// A connection's budget, within the server's rate.
    pub(super) fn new(server: Arc<LogRate>) -> Self {
        Self {
            spent: AtomicUsize::new(0),
            unlogged: AtomicUsize::new(0),
            server,
        }
    }

    /// Logs `line`, unless the connection has spent its budget or the
    /// server its rate; the line that crosses either is replaced by one
    /// that says so.
    pub(super) fn log(&self, log: &Log, line: &LogLine) {
        let size = line.printed_size();
        let before = self.spent.fetch_add(size, Ordering::SeqCst);
        if before + size <= PER_CONNECTION {
            match self.server.admit(size) {
                Admit::Yes { resumed } => {
                    if resumed > 0 {
                        log(&about_the_log(
                            line,
                            "Resumed",
                            format!(
                                "{resumed} requests to the server were answered but not logged while it wrote more than {} bytes of log a second",
                                self.server.per_second
                            ),
                        ));
                    }
                    log(line);
                }
                Admit::Spent => log(&about_the_log(
                    line,
                    "Suppressed",
                    format!(
                        "the server has written its log as fast as it may ({} bytes a second after {} at once, --log-rate); further requests are answered but not logged until the rate allows",
                        self.server.per_second, self.server.burst
                    ),
                )),
                Admit::No => {}
            }
        } else {
            if before <= PER_CONNECTION {
                log(&about_the_log(
                    line,
                    "Suppressed",
                    format!(
                        "this connection has caused {PER_CONNECTION} bytes of log; its further requests are answered but not logged"
                    ),
                ));
            }
            self.unlogged.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// At the connection's close: one line for the requests left unlogged.
    pub(super) fn close(&self, log: &Log) {
        let unlogged = self.unlogged.load(Ordering::SeqCst);
        if unlogged > 0 {
            log(&LogLine {
                operation: "xacct:log".to_owned(),
                caller: "-".to_owned(),
                account: None,
                status: 0,
                outcome: "Closed".to_owned(),
                reason: Some(format!(
                    "the connection closed; {unlogged} of its requests were answered but not logged"
                )),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn past_the_budget_one_line_says_so_and_the_close_counts_the_rest() {
        let lines = Arc::new(Mutex::new(Vec::<LogLine>::new()));
        let sink = lines.clone();
        let log: Arc<Log> = Arc::new(move |l: &LogLine| {
            if let Ok(mut v) = sink.lock() {
                v.push(l.clone());
            }
        });
        let line = LogLine {
            operation: "sts:GetCallerIdentity".to_owned(),
            caller: "x".repeat(5000),
            account: None,
            status: 403,
            outcome: "InvalidClientTokenId".to_owned(),
            reason: None,
        };
        let budget = LogBudget::new(Arc::new(LogRate::new(u64::MAX)));
        let each = line.printed_size();
        let fit = PER_CONNECTION / each;
        for _ in 0..fit + 100 {
            budget.log(log.as_ref(), &line);
        }
        budget.close(log.as_ref());
        let lines = lines.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(lines.len(), fit + 2);
        assert_eq!(lines[fit].outcome, "Suppressed");
        let last = lines
            .last()
            .and_then(|l| l.reason.clone())
            .unwrap_or_default();
        assert!(last.contains("; 100 of its requests"), "{last}");
    }
}
