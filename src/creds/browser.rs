//! Opening a sign-in URL in the browser without putting it in any
//! process's arguments (where `ps` shows it to every user): the URL goes
//! into a page of mode 0600 in xacct's private cache directory that sends
//! the browser on, and the browser is given the page's path. Pages older
//! than the URL's 15 minutes are removed on the next call.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::cache_dir::{CacheError, open_dir, write_private};
use crate::secret::Secret;

/// How long a sign-in URL works, after which its page is useless.
const URL_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Writes the redirect page for `url` in `dir` and opens it in the
/// default browser; returns the page's path.
pub fn open_signin(url: &Secret, dir: &Path, now: SystemTime) -> Result<PathBuf, CacheError> {
    open_dir(dir)?;
    remove_stale(dir, now);
    let mut name = [0u8; 8];
    getrandom::fill(&mut name).map_err(|e| CacheError {
        message: format!("no randomness for a file name: {e}"),
    })?;
    let page = dir.join(format!("signin-{}.html", hex::encode(name)));
    let escaped = url
        .expose()
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let body = Secret::new(format!(
        "<!doctype html><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">\
<meta http-equiv=\"refresh\" content=\"0;url={escaped}\"><title>Signing in</title>\
<a href=\"{escaped}\">Continue to the AWS console</a>\n"
    ));
    write_private(&page, body.expose().as_bytes())?;
    open::that_detached(&page).map_err(|e| CacheError {
        message: format!(
            "could not open a browser ({e}); run again with --print and open the URL yourself"
        ),
    })?;
    Ok(page)
}

/// Removes sign-in pages whose URL has expired.
fn remove_stale(dir: &Path, now: SystemTime) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let is_page = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("signin-") && n.ends_with(".html"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| at + URL_LIFETIME < now);
        if is_page && old {
            let _ = fs::remove_file(path);
        }
    }
}
