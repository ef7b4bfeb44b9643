//! Where cached credentials live, and the rule they live by: a directory
//! of mode 0700 and files of mode 0600, owned by the user, created so (the
//! mode is given to the call that creates them; nothing is chmod-ed after).
//! A directory or file that others may read, or that is a link, or that
//! another user owns, is refused, as ssh refuses a private key others can
//! read.

use std::fs;
use std::io::{self, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

/// Why the cache cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CacheError {
    /// What went wrong and what to do, naming the path.
    pub message: String,
}

/// The cache directory: `$XDG_CACHE_HOME/xacct`, else the platform's cache
/// directory (`~/.cache` on Linux, `~/Library/Caches` on macOS) + `xacct`.
pub fn default_dir() -> Result<PathBuf, CacheError> {
    match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir).join("xacct")),
        None => dirs::cache_dir()
            .map(|d| d.join("xacct"))
            .ok_or_else(|| CacheError {
                message: "no cache directory: set XDG_CACHE_HOME (or HOME), or pass --no-cache"
                    .to_owned(),
            }),
    }
}

/// The effective user id, as the kernel reports it for this process.
fn my_uid() -> Option<u32> {
    fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Checks a path's owner and mode: a directory must be 0700 at most, a file
/// 0600 at most; neither may be a symbolic link or belong to someone else.
pub(super) fn check(path: &Path, dir: bool) -> Result<(), CacheError> {
    let meta = fs::symlink_metadata(path).map_err(|e| CacheError {
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    check_meta(path, &meta, dir)
}

/// Reads a cache file through one handle: opened without following a
/// link, then checked by the handle's own metadata, so the file checked is
/// the file read (no swap between a check and a read).
pub(super) fn read_private(path: &Path) -> Result<Vec<u8>, CacheError> {
    use std::io::Read as _;
    let fail = |e: io::Error| CacheError {
        message: format!(
            "cannot read the cache file {} ({e}); a link is never followed: remove it (`xacct cache clear`) and run again, or pass --no-cache",
            path.display()
        ),
    };
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    check_meta(path, &meta, false)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(fail)?;
    Ok(bytes)
}

fn check_meta(path: &Path, meta: &fs::Metadata, dir: bool) -> Result<(), CacheError> {
    let what = if dir { "directory" } else { "file" };
    let fix = if dir {
        format!(
            "remove it (`rm -r {}`) and let xacct create it again, or pass --no-cache",
            path.display()
        )
    } else {
        format!(
            "remove it (`xacct cache clear`, or `rm {}`) and run again, or pass --no-cache",
            path.display()
        )
    };
    let kind_ok = if dir {
        meta.file_type().is_dir()
    } else {
        meta.file_type().is_file()
    };
    if !kind_ok {
        return Err(CacheError {
            message: format!(
                "the cache {what} {} is not a plain {what} (a link or something else); xacct keeps credentials only in its own {what}s: {fix}",
                path.display()
            ),
        });
    }
    if let Some(uid) = my_uid()
        && meta.uid() != uid
    {
        return Err(CacheError {
            message: format!(
                "the cache {what} {} belongs to user id {}, not to you ({uid}); xacct does not trust credentials another user could have written: {fix}",
                path.display(),
                meta.uid()
            ),
        });
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        let limit = if dir { "0700" } else { "0600" };
        return Err(CacheError {
            message: format!(
                "permissions {mode:04o} for the cache {what} {} are too open: others could read the credentials in it. xacct keeps them only in files of mode 0600 inside a directory of mode 0700 (at most {limit} here): {fix}",
                path.display()
            ),
        });
    }
    Ok(())
}

/// The cache directory, created with mode 0700 if it is missing (its
/// parents with the usual mode), then checked.
pub(super) fn open_dir(dir: &Path) -> Result<(), CacheError> {
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(|e| CacheError {
            message: format!("cannot create {}: {e}", parent.display()),
        })?;
    }
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(CacheError {
                message: format!("cannot create the cache directory {}: {e}", dir.display()),
            });
        }
    }
    check(dir, true)
}

/// Writes `bytes` to `path` through a new file of mode 0600 in the same
/// directory, renamed over `path`, so a reader never sees half a file and
/// the file never exists with a wider mode.
pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let fail = |e: io::Error| CacheError {
        message: format!("cannot write the cache file {}: {e}", path.display()),
    };
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| CacheError {
        message: format!("no randomness for a temporary file name: {e}"),
    })?;
    let temp = path.with_extension(format!("tmp-{}", hex::encode(suffix)));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .map_err(fail)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written.and_then(|()| fs::rename(&temp, path)) {
        let _ = fs::remove_file(&temp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn created_private_and_wider_modes_refused() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = root.path().join("xacct");
        assert_eq!(open_dir(&dir), Ok(()));
        let mode = fs::metadata(&dir).map(|m| m.mode() & 0o777).unwrap_or(0);
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        let file = dir.join("e.json");
        assert_eq!(write_private(&file, b"{}"), Ok(()));
        assert_eq!(check(&file, false), Ok(()));
        let _ = fs::set_permissions(&file, fs::Permissions::from_mode(0o644));
        let refused = check(&file, false)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(refused.contains("permissions 0644"), "{refused}");
        let elsewhere = root.path().join("planted.json");
        assert_eq!(write_private(&elsewhere, b"{}"), Ok(()));
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap_or_else(|e| panic!("{e}"));
        let refused = read_private(&link)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(refused.contains("a link is never followed"), "{refused}");
        assert_eq!(read_private(&elsewhere), Ok(b"{}".to_vec()));
        let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o755));
        let refused = open_dir(&dir).err().map(|e| e.message).unwrap_or_default();
        assert!(refused.contains("too open"), "{refused}");
    }
}
