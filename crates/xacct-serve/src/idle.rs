//! Which connections are between requests, and since when, so that at the
//! connection cap a new client is not left waiting behind idle keep-alive
//! connections: the one idle the longest is closed to make room. "Since
//! when" is an order, not a time: each request that ends takes the next
//! number, so the smallest number is the oldest idleness (no clock read).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

/// One connection's state.
#[derive(Debug, Default)]
pub(super) struct Conn {
    /// Requests in flight on it.
    busy: AtomicUsize,
    /// When it last fell idle, as an order number.
    idle_since: AtomicU64,
    /// Told to close (gracefully) to make room.
    evict: Notify,
}

impl Conn {
    /// A request starts.
    pub(super) fn start(&self) {
        self.busy.fetch_add(1, Ordering::SeqCst);
    }

    /// Resolves when the connection is asked to close.
    pub(super) async fn evicted(&self) {
        self.evict.notified().await;
    }
}

/// Every open connection of a server.
#[derive(Debug, Default)]
pub(super) struct Idle {
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// Order numbers, for ids and idleness alike.
    order: AtomicU64,
}

impl Idle {
    fn next(&self) -> u64 {
        self.order.fetch_add(1, Ordering::SeqCst)
    }

    /// A new connection, idle from now (it has sent no request yet).
    pub(super) fn register(&self) -> (u64, Arc<Conn>) {
        let id = self.next();
        let conn = Arc::new(Conn::default());
        conn.idle_since.store(id, Ordering::SeqCst);
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, conn.clone());
        (id, conn)
    }

    /// A request on `conn` ends: idle from now if none is left in flight.
    pub(super) fn end(&self, conn: &Conn) {
        conn.idle_since.store(self.next(), Ordering::SeqCst);
        conn.busy.fetch_sub(1, Ordering::SeqCst);
    }

    /// The connection `id` is closed.
    pub(super) fn remove(&self, id: u64) {
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Asks the connection idle the longest to close; false when every
    /// connection has a request in flight.
    pub(super) fn evict_longest(&self) -> bool {
        let conns = self.conns.lock().unwrap_or_else(PoisonError::into_inner);
        let oldest = conns
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0)
            .min_by_key(|c| c.idle_since.load(Ordering::SeqCst));
        match oldest {
            Some(conn) => {
                conn.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_idle_connection_is_chosen_and_a_busy_one_never() {
        let idle = Idle::default();
        let (_, first) = idle.register();
        let (_, second) = idle.register();
        let (third_id, third) = idle.register();
        // The first is busy; the second served a request after the third
        // arrived, so the third is idle the longest.
        first.start();
        second.start();
        idle.end(&second);
        assert!(idle.evict_longest());
        assert_eq!(Arc::strong_count(&third), 2);
        let told = futures_now(third.evicted());
        assert!(told, "the third is told to close");
        idle.remove(third_id);
        assert!(idle.evict_longest());
        assert!(futures_now(second.evicted()), "then the second");
        // Only the busy one is left after the second goes.
        idle.remove(1);
        assert!(!idle.evict_longest());
    }

    /// Whether a future is ready at once.
    fn futures_now(f: impl std::future::Future<Output = ()>) -> bool {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        f.as_mut().poll(&mut cx).is_ready()
    }
}
