//! `xacct serve --state DIR`: the world's buckets, objects and uploads in
//! progress kept on disk across restarts. `DIR/xacct-state.json` holds the
//! buckets, their settings, each object's metadata and each upload's with
//! its parts' (and which scenario file they grew from);
//! `DIR/objects/SHA256` holds each distinct body, object or part, once.
//! Every file is written to a temporary name and renamed into place, the
//! manifest last,
//! so a stop at any moment leaves the previous state or the new one, never
//! a mix; bodies no longer named are removed after.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sim::{StoreSnapshot, World};

const MANIFEST: &str = "xacct-state.json";
/// The layout of a state without uploads in progress, the one earlier
/// versions wrote and read.
const FORMAT: u32 = 1;
/// The layout of a state that keeps uploads in progress: an earlier
/// version refuses it rather than drop the uploads and their parts.
const FORMAT_UPLOADS: u32 = 2;

/// The manifest as written.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    /// The layout's version.
    format: u32,
    /// The scenario's name.
    scenario: String,
    /// The hex SHA-256 of the scenario file the world was loaded from.
    scenario_sha256: String,
    /// The buckets, objects and uploads in progress.
    store: StoreSnapshot,
}

/// A state directory for one scenario file.
#[derive(Debug, Clone)]
pub struct StateDir {
    dir: PathBuf,
    scenario: String,
    digest: String,
}

/// What a load or a save found or kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// Buckets.
    pub buckets: usize,
    /// Objects.
    pub objects: usize,
    /// Multipart uploads in progress.
    pub uploads: usize,
}

impl Kept {
    /// `2 buckets and 3 objects`, and the uploads in progress when there
    /// are any.
    pub fn said(&self) -> String {
        let count = |n: usize, one: &str| match n {
            1 => format!("1 {one}"),
            n => format!("{n} {one}s"),
        };
        let uploads = match self.uploads {
            0 => String::new(),
            n => format!(", {} in progress", count(n, "upload")),
        };
        format!(
            "{} and {}{uploads}",
            count(self.buckets, "bucket"),
            count(self.objects, "object")
        )
    }
}

fn counted(store: &StoreSnapshot) -> Kept {
    Kept {
        buckets: store.buckets.len(),
        objects: store.buckets.iter().map(|b| b.objects.len()).sum(),
        uploads: store.uploads.len(),
    }
}

/// Writes `bytes` to `path` whole (see `atomic_file`).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::atomic_file::write(path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

impl StateDir {
    /// The state directory `dir` for the scenario `name` whose file holds
    /// `scenario_bytes`.
    pub fn new(dir: &Path, name: &str, scenario_bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        Self {
            dir: dir.to_owned(),
            scenario: name.to_owned(),
            digest: hex::encode(sha2::Sha256::digest(scenario_bytes)),
        }
    }

    fn objects(&self) -> PathBuf {
        self.dir.join("objects")
    }

    /// Restores the world's buckets, objects and uploads in progress from
    /// the directory; `None` when it
    /// holds no state yet (the world keeps the scenario's). A state written
    /// for another scenario file, or damaged, is an error naming the file
    /// and what to do; the world is left as it was.
    pub fn load(&self, world: &World) -> Result<Option<Kept>, String> {
        let path = self.dir.join(MANIFEST);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not a state xacct wrote ({e}); remove the directory or pass another --state",
                path.display()
            )
        })?;
        if manifest.format != FORMAT && manifest.format != FORMAT_UPLOADS {
            return Err(format!(
                "{} has state format {}, this xacct reads {FORMAT} and {FORMAT_UPLOADS}; remove the directory or pass another --state",
                path.display(),
                manifest.format
            ));
        }
        if manifest.scenario_sha256 != self.digest {
            return Err(format!(
                "{} was written for another version of the scenario `{}` (the file changed since); remove the directory to start from the scenario again, or pass another --state",
                path.display(),
                manifest.scenario
            ));
        }
        let objects = self.objects();
        world
            .restore(&manifest.store, |digest| {
                let valid = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
                if !valid {
                    return Err(format!("`{digest}` is no SHA-256"));
                }
                let file = objects.join(digest);
                fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))
            })
            .map_err(|e| {
                format!(
                    "{}: {e}; remove the directory to start from the scenario again, or pass another --state",
                    path.display()
                )
            })?;
        Ok(Some(counted(&manifest.store)))
    }

    /// Writes the world's buckets, objects and uploads in progress to the
    /// directory.
    pub fn save(&self, world: &World) -> Result<Kept, String> {
        let (store, bodies) = world.snapshot();
        let objects = self.objects();
        fs::create_dir_all(&objects)
            .map_err(|e| format!("cannot create {}: {e}", objects.display()))?;
        for (digest, bytes) in &bodies {
            let file = objects.join(digest);
            if !file.exists() {
                write_atomically(&file, bytes)?;
            }
        }
        let kept = counted(&store);
        let manifest = Manifest {
            format: if store.uploads.is_empty() {
                FORMAT
            } else {
                FORMAT_UPLOADS
            },
            scenario: self.scenario.clone(),
            scenario_sha256: self.digest.clone(),
            store,
        };
        let text = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| format!("cannot encode the state: {e}"))?;
        write_atomically(&self.dir.join(MANIFEST), &text)?;
        // Bodies no object or part names any more (`bodies` is in digest
        // order).
        if let Ok(entries) = fs::read_dir(&objects) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if bodies
                    .binary_search_by(|(digest, _)| digest.as_str().cmp(&name))
                    .is_err()
                {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        Ok(kept)
    }
}
