//! The explain key of a running `xacct serve`: a random secret drawn each
//! time it starts on loopback, that reads every decision it keeps
//! (`GET /_xacct/why/ID` with the `x-xacct-explain-key` header). The
//! server keeps it in a private file named for its address and port (mode 0600 in a
//! directory of mode 0700 beside xacct's cache directory, kept as cached
//! credentials are), so `xacct creds --explain` run by the same user finds
//! it, and no other user can.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::cache_dir::{CacheError, default_dir, open_dir, read_private, write_private};

/// A server's explain key.
#[derive(Clone, PartialEq, Eq)]
pub struct ExplainKey(String);

impl std::fmt::Debug for ExplainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExplainKey(** redacted **)")
    }
}

impl ExplainKey {
    /// A fresh random key (64 hex digits).
    pub fn random() -> Result<Self, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            format!("the operating system gave no randomness for the explain key ({e})")
        })?;
        Ok(Self(hex::encode(bytes)))
    }

    /// The key, for the header and the ready file.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The file of the server listening on `addr`: `xacct-explain/IP-PORT`
/// beside xacct's cache directory (`~/.cache/xacct-explain/127.0.0.1-4580`
/// on Linux), apart from the cached credentials. The address is part of
/// the name: another user's server on another loopback address with the
/// same port must never be sent this key.
fn file(addr: SocketAddr) -> Result<PathBuf, CacheError> {
    Ok(default_dir()?.with_file_name("xacct-explain").join(format!(
        "{}-{}",
        addr.ip(),
        addr.port()
    )))
}

/// Keeps `key` for the server listening on `addr`.
pub fn publish(addr: SocketAddr, key: &ExplainKey) -> Result<(), CacheError> {
    let path = file(addr)?;
    if let Some(dir) = path.parent() {
        open_dir(dir)?;
    }
    write_private(&path, key.0.as_bytes())
}

/// The key of the server listening on `addr`, when this user started it.
pub(super) fn published(addr: SocketAddr) -> Option<ExplainKey> {
    let bytes = read_private(&file(addr).ok()?).ok()?;
    let key = String::from_utf8(bytes).ok()?;
    (key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit())).then_some(ExplainKey(key))
}

/// Removes the key of the server on `addr`, if it is still `key` (a later
/// server on the same address keeps its own).
pub fn withdraw(addr: SocketAddr, key: &ExplainKey) {
    if published(addr).as_ref() == Some(key)
        && let Ok(path) = file(addr)
    {
        let _ = std::fs::remove_file(path);
    }
}
