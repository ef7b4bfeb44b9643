//! Cached role sessions, one file per (base identity, chain, parameters):
//! the file's name is a hash of those, and it holds the chain's last
//! session with its expiry. An entry is used until `refresh window` before
//! it expires. Listing shows what an entry is for, never its secrets.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::cache_dir::{CacheError, check, open_dir, read_private, write_private};
use crate::cloud::Credentials;
use crate::secret::Secret;
use crate::timestamp;

/// What an entry is for: everything that changes the session, nothing
/// secret (the base identity is its access key id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CacheKey {
    /// The access key id of the base credentials.
    pub base_key_id: String,
    /// The profile named with `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`.
    pub endpoint: Option<String>,
    /// The region the calls went to.
    pub region: Option<String>,
    /// Each hop's parameters.
    pub hops: Vec<KeyHop>,
}

/// One hop's parameters in a cache key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyHop {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`, when it was given (a default one is not kept).
    pub session_name: Option<String>,
    /// `DurationSeconds`.
    pub duration_seconds: Option<i32>,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `SerialNumber` (never the code).
    pub mfa_serial: Option<String>,
    /// `SourceIdentity`.
    pub source_identity: Option<String>,
    /// A SHA-256 of the session policy.
    pub policy_sha256: Option<String>,
    /// `Tags` (key, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// `TransitiveTagKeys`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitive_tag_keys: Vec<String>,
    /// `PolicyArns`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_arns: Vec<String>,
}

impl CacheKey {
    /// The entry's file name: a hash of the key.
    fn file_name(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{}.json", &hex::encode(Sha256::digest(&json))[..32])
    }
}

/// A cached session.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The session's credentials.
    pub credentials: Credentials,
    /// The session's ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    pub arn: String,
}

/// An entry as `xacct cache list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The file.
    pub path: PathBuf,
    /// What the entry is for (`None` when the file could not be read).
    pub key: Option<CacheKey>,
    /// The session's ARN.
    pub arn: Option<String>,
    /// When its credentials expire.
    pub expiration: Option<SystemTime>,
    /// Why it cannot be used (too open, unreadable).
    pub problem: Option<String>,
}

/// The file's contents. Secrets stay in it only as long as it is read.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    key: CacheKey,
    arn: String,
    expiration: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

const VERSION: u32 = 1;

/// The cache in one directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache in `dir` (nothing is created until an entry is stored).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key` if it is still good `window` after `now`. A
    /// directory or file others may read is refused; an entry that is not
    /// this version's or does not parse is a miss.
    pub fn get(
        &self,
        key: &CacheKey,
        now: SystemTime,
        window: Duration,
    ) -> Result<Option<Cached>, CacheError> {
        if !self.dir.exists() {
            return Ok(None);
        }
        check(&self.dir, true)?;
        let path = self.dir.join(key.file_name());
        if fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        let Some(stored) = parse(read_private(&path)?) else {
            return Ok(None);
        };
        if stored.version != VERSION || &stored.key != key {
            return Ok(None);
        }
        let Some(expiration) = timestamp::parse(&stored.expiration) else {
            return Ok(None);
        };
        if now.checked_add(window).is_none_or(|due| expiration <= due) {
            return Ok(None);
        }
        Ok(Some(Cached {
            credentials: Credentials {
                access_key_id: stored.access_key_id,
                secret_access_key: Secret::new(stored.secret_access_key),
                session_token: stored.session_token.map(Secret::new),
                expiration: Some(expiration),
            },
            arn: stored.arn,
        }))
    }

    /// Stores a session under `key` (creating the directory, mode 0700,
    /// and the file, mode 0600).
    pub fn put(&self, key: &CacheKey, session: &Cached) -> Result<(), CacheError> {
        let Some(expiration) = session.credentials.expiration else {
            return Ok(());
        };
        open_dir(&self.dir)?;
        let stored = Stored {
            version: VERSION,
            key: key.clone(),
            arn: session.arn.clone(),
            expiration: timestamp::rfc3339(expiration),
            access_key_id: session.credentials.access_key_id.clone(),
            secret_access_key: session.credentials.secret_access_key.expose().to_owned(),
            session_token: session
                .credentials
                .session_token
                .as_ref()
                .map(|t| t.expose().to_owned()),
        };
        let mut bytes = serde_json::to_vec_pretty(&stored).unwrap_or_default();
        bytes.push(b'\n');
        let written = write_private(&self.dir.join(key.file_name()), &bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        written
    }

    /// Every entry, oldest file name first, without its secrets.
    pub fn list(&self) -> Result<Vec<Listed>, CacheError> {
        let mut out = Vec::new();
        for path in self.files()? {
            let (stored, problem) = match read_private(&path) {
                Ok(bytes) => (parse(bytes), None),
                Err(e) => (None, Some(e.message)),
            };
            let problem = problem.or_else(|| {
                stored
                    .is_none()
                    .then(|| "not an xacct cache entry (it does not parse)".to_owned())
            });
            out.push(Listed {
                path,
                key: stored.as_ref().map(|s| s.key.clone()),
                arn: stored.as_ref().map(|s| s.arn.clone()),
                expiration: stored
                    .as_ref()
                    .and_then(|s| timestamp::parse(&s.expiration)),
                problem,
            });
        }
        Ok(out)
    }

    /// Deletes every entry, or those whose chain passes through `role`;
    /// returns the files deleted. Entries too open to be used are deleted
    /// too: that is how they are repaired.
    pub fn clear(&self, role: Option<&str>) -> Result<Vec<PathBuf>, CacheError> {
        if role.is_none() {
            // Temporary files of an interrupted write, and sign-in pages.
            for path in self.named(is_leftover)? {
                let _ = fs::remove_file(path);
            }
        }
        let mut deleted = Vec::new();
        for path in self.files()? {
            let matches = match role {
                None => true,
                Some(role) => read_private(&path)
                    .ok()
                    .and_then(parse)
                    .is_some_and(|s| s.key.hops.iter().any(|h| h.role_arn == role)),
            };
            if matches {
                fs::remove_file(&path).map_err(|e| CacheError {
                    message: format!("cannot delete {}: {e}", path.display()),
                })?;
                deleted.push(path);
            }
        }
        Ok(deleted)
    }

    /// The entry files (32 hex digits `.json`), sorted; none when there is
    /// no directory. The directory is checked first: a link or a directory
    /// others may write is never listed or cleared.
    fn files(&self) -> Result<Vec<PathBuf>, CacheError> {
        self.named(is_entry_name)
    }

    /// Files of the directory whose names `keep` accepts, sorted.
    fn named(&self, keep: fn(&str) -> bool) -> Result<Vec<PathBuf>, CacheError> {
        if fs::symlink_metadata(&self.dir).is_err() {
            return Ok(Vec::new());
        }
        check(&self.dir, true)?;
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(CacheError {
                    message: format!(
                        "cannot read the cache directory {}: {e}",
                        self.dir.display()
                    ),
                });
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(keep))
            .collect();
        files.sort();
        Ok(files)
    }
}

/// An entry's file name: 32 lower-case hex digits and `.json`.
fn is_entry_name(name: &str) -> bool {
    name.strip_suffix(".json").is_some_and(|h| {
        h.len() == 32
            && h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

/// A temporary file of an interrupted write, or a console sign-in page.
fn is_leftover(name: &str) -> bool {
    (name.contains(".tmp-") && name.len() > 32 && is_entry_name(&format!("{}.json", &name[..32])))
        || (name.starts_with("signin-") && name.ends_with(".html"))
}

/// An entry file's contents, if they parse (wiped once parsed).
fn parse(mut bytes: Vec<u8>) -> Option<Stored> {
    let stored = serde_json::from_slice(&bytes).ok();
    zeroize::Zeroize::zeroize(&mut bytes);
    stored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expiration: SystemTime) -> Cached {
        Cached {
            credentials: Credentials {
                access_key_id: "ASIAEXAMPLE".to_owned(),
                secret_access_key: Secret::new("cached-secret-value"),
                session_token: Some(Secret::new("cached-token-value")),
                expiration: Some(expiration),
            },
            arn: "arn:aws:sts::222222222222:assumed-role/r/s".to_owned(),
        }
    }

    #[test]
    fn an_entry_is_used_until_the_refresh_window_and_listed_without_secrets() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::new(root.path().join("xacct"));
        let key = CacheKey {
            base_key_id: "AKIAEXAMPLE".to_owned(),
            hops: vec![KeyHop {
                role_arn: "arn:aws:iam::222222222222:role/r".to_owned(),
                ..KeyHop::default()
            }],
            ..CacheKey::default()
        };
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let window = Duration::from_secs(300);
        assert!(matches!(cache.get(&key, now, window), Ok(None)));
        let put = cache.put(&key, &session(now + Duration::from_secs(3600)));
        assert_eq!(put, Ok(()));
        let hit = cache.get(&key, now, window).ok().flatten();
        assert_eq!(
            hit.map(|c| c.credentials.access_key_id),
            Some("ASIAEXAMPLE".to_owned())
        );
        let late = now + Duration::from_secs(3600 - 299);
        assert!(matches!(cache.get(&key, late, window), Ok(None)));
        let other = CacheKey {
            profile: Some("other".to_owned()),
            ..key.clone()
        };
        assert!(matches!(cache.get(&other, now, window), Ok(None)));
        let listed = cache.list().unwrap_or_default();
        assert_eq!(listed.len(), 1);
        let shown = format!("{listed:?}");
        assert!(!shown.contains("cached-secret-value") && !shown.contains("cached-token-value"));
        let kept = cache.clear(Some("arn:aws:iam::222222222222:role/other"));
        assert_eq!(kept.map(|d| d.len()), Ok(0));
        assert_eq!(cache.clear(None).map(|d| d.len()), Ok(1));

        // A cache directory that is a link is neither listed nor cleared.
        let elsewhere = root.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(elsewhere.join(key.file_name()), "{}").unwrap_or_else(|e| panic!("{e}"));
        let linked = root.path().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::new(linked);
        assert!(cache.clear(None).is_err());
        assert!(cache.list().is_err());
        assert!(
            elsewhere.join(key.file_name()).exists(),
            "nothing deleted through the link"
        );
    }
}
