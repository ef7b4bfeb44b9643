//! Giving memory back after a burst of connections. glibc's allocator keeps
//! what a thread freed in that thread's arena, so a server that held a
//! thousand connections' buffers would stay at that size long after they
//! closed. When the last connection of a burst is gone, the server asks
//! glibc to return its free pages; other allocators need no such call (the
//! `xacct` binary allocates with mimalloc, which returns freed pages on its
//! own; the trim serves programs that embed the endpoint on glibc's
//! allocator, such as the test binary).

/// Connections that make a burst worth a trim.
const BURST: usize = 64;

/// Watches the number of open connections and trims once a burst is over.
#[derive(Debug, Default)]
pub(super) struct Burst {
    peak: usize,
}

impl Burst {
    /// Notes how many connections are open now; when none are left after
    /// at least [`BURST`] were, returns freed memory.
    pub(super) fn observe(&mut self, open: usize) {
        self.peak = self.peak.max(open);
        if open == 0 && self.peak >= BURST {
            self.peak = 0;
            release_freed_memory();
        }
    }
}

/// Returns freed heap pages to the operating system (glibc's `malloc_trim`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(
    unsafe_code,
    reason = "malloc_trim is glibc's own call to return freed pages; it takes no pointers and glibc serialises it with every other allocator call"
)]
fn release_freed_memory() {
    // SAFETY: no arguments point anywhere; the call only walks glibc's own arenas.
    let released = unsafe { libc::malloc_trim(0) } != 0;
    tracing::debug!(
        released,
        "returned freed memory after a burst of connections"
    );
}

/// Other allocators return memory themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}
