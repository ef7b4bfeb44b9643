//! Where `xacct serve` and `xacct token` take the key seed from: the
//! command line, a file (`--key-seed-file`) or `XACCT_KEY_SEED`, so the
//! seed need not stand in the process list for `ps` to show.

use std::path::PathBuf;

use clap::Args;

/// The key seed's sources.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Derive the long-term secrets (and the issuers' token keys) with this
    /// seed; a server beyond loopback picks a random one and prints it.
    /// Also read from XACCT_KEY_SEED
    #[arg(
        long,
        value_name = "SEED",
        env = "XACCT_KEY_SEED",
        hide_env_values = true
    )]
    pub key_seed: Option<String>,
    /// Read the seed from this file (its first line), so it stays out of
    /// the process list.
    #[arg(long, value_name = "FILE", conflicts_with = "key_seed")]
    pub key_seed_file: Option<PathBuf>,
}

impl SeedArgs {
    /// The seed given, if any.
    pub(super) fn given(&self) -> Result<Option<String>, String> {
        let Some(path) = &self.key_seed_file else {
            return Ok(self.key_seed.clone());
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "invalid --key-seed-file `{}`: cannot read it ({e}); name a readable file whose first line is the seed",
                path.display()
            )
        })?;
        let seed = text.lines().next().unwrap_or_default().to_owned();
        if seed.is_empty() {
            return Err(format!(
                "invalid --key-seed-file `{}`: its first line is empty; write the seed on it",
                path.display()
            ));
        }
        Ok(Some(seed))
    }
}
