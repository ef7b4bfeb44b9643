//! Reading the files a user names (policies, scenarios): only regular files,
//! and never more than a cap that depends on what the file holds, so
//! `/dev/zero`, a FIFO or a runaway file is refused at once instead of
//! filling memory or blocking forever.

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use crate::secret::Secret;

/// What a file is expected to hold, which sets its size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An IAM policy document. AWS's largest policies are KMS key policies
    /// (32 KB); the cap doubles that.
    Policy,
    /// A scenario file: a generous cap for large imported worlds.
    Scenario,
    /// A web identity token: STS takes at most 20,000 characters; the cap
    /// leaves room for a trailing newline and more.
    Token,
    /// A list of account ids (`xacct run --accounts-file`): 5,000 accounts
    /// take 65 KB; the cap leaves room for comments.
    AccountList,
    /// AWS's own output for `xacct import` (authorization details of large
    /// accounts run to hundreds of megabytes).
    Import,
    /// A file to upload with one PutObject (`xacct run --put`): S3 takes at
    /// most 5 GiB in one request.
    Upload,
}

impl FileKind {
    /// The most bytes a file of this kind may have.
    pub fn cap(self) -> u64 {
        match self {
            Self::Policy => 64 * 1024,
            Self::Scenario => 512 * 1024 * 1024,
            Self::Token => 32 * 1024,
            Self::AccountList => 4 * 1024 * 1024,
            Self::Import => 1024 * 1024 * 1024,
            Self::Upload => 5 * 1024 * 1024 * 1024,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Policy => "a policy",
            Self::Scenario => "a scenario",
            Self::Token => "a web identity token",
            Self::AccountList => "an account list",
            Self::Import => "an import input",
            Self::Upload => "an upload",
        }
    }
}

/// A file that cannot be used, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What went wrong and what to do.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Human size: `64 KiB`, `32 MiB`.
fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a regular file of at most `kind.cap()` bytes as UTF-8 text.
pub fn read_text(path: &Path, kind: FileKind) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(path, kind)?).map_err(|e| ReadError {
        message: format!(
            "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The OIDC token a token file holds, white space around it removed
/// (files written by tools often end with a newline), kept a [`Secret`].
pub fn read_token(path: &Path) -> Result<Secret, ReadError> {
    read_text(path, FileKind::Token).map(|text| Secret::new(text.trim()))
}

/// Reads a regular file of at most `kind.cap()` bytes.
pub fn read_bytes(path: &Path, kind: FileKind) -> Result<Vec<u8>, ReadError> {
    let fail = |message: String| ReadError { message };
    let what = kind.describe();
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(format!(
            "cannot read the file ({e}); pass the path of {what} file"
        ))
    })?;
    if !meta.is_file() {
        let found = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(fail(format!("is {found}; pass the path of {what} file")));
    }
    let cap = kind.cap();
    if meta.len() > cap {
        return Err(fail(format!(
            "is {} bytes, over the {} limit for {what} file; pass a smaller file",
            meta.len(),
            size(cap)
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| {
        fail(format!(
            "cannot read the file ({e}); pass the path of {what} file"
        ))
    })?;
    // The file may grow between the check and the read: read one byte past
    // the cap at most.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file ({e})")))?;
    if bytes.len() as u64 > cap {
        return Err(fail(format!(
            "grew past the {} limit for {what} file while being read",
            size(cap)
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_at_once() {
        let err = read_text(Path::new("/dev/zero"), FileKind::Policy)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(err.contains("not a regular file"), "{err}");
        let err = read_text(Path::new("/"), FileKind::Scenario)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(err.contains("directory"), "{err}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(64 * 1024), "64 KiB");
        assert_eq!(size(32 * 1024 * 1024), "32 MiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
