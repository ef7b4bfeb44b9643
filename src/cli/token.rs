//! `xacct token`: a web identity token of one of a scenario's OIDC issuers,
//! signed with the key `xacct serve` of the same scenario (and key seed)
//! verifies, so any client can call AssumeRoleWithWebIdentity against it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::render;
use crate::sim::{self, KeySeed, TokenRequest};

/// Arguments of `xacct token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The scenario whose issuer signs the token.
    pub scenario: PathBuf,
    /// The issuer, host[/path] as in the provider's ARN (token.actions.githubusercontent.com).
    #[arg(long, value_name = "HOST")]
    pub provider: String,
    /// A claim, KEY=VALUE (repeatable); it replaces the preset's. `iat`, `nbf` and `exp` take seconds since the epoch.
    #[arg(long = "claim", value_name = "KEY=VALUE")]
    pub claims: Vec<String>,
    /// Seconds until the token expires (negative: already expired).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 3600,
        allow_negative_numbers = true
    )]
    pub expires_in: i64,
    /// Sign with a key the issuer does not have (AWS refuses such a token).
    #[arg(long)]
    pub forged: bool,
    /// The key seed the server was started with (`xacct serve` prints it
    /// when it picks one).
    #[command(flatten)]
    pub seed: super::seed_args::SeedArgs,
    /// Date the token by the scenario's `clock` (for `xacct serve --scenario-clock`).
    #[arg(long)]
    pub scenario_clock: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = TokenOutput::Jwt)]
    pub output: TokenOutput,
    /// Write the token to FILE (owner-only, no trailing newline) instead of stdout.
    #[arg(short = 'o', long = "out-file", value_name = "FILE")]
    pub out_file: Option<std::path::PathBuf>,
}

/// Writes `text` to `path`, readable by its owner only: a token is a
/// credential.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// The output of `xacct token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenOutput {
    /// The compact token alone, for `--web-identity-token` or a token file.
    Jwt,
    /// The token with its issuer and decoded claims.
    Json,
}

/// Runs `xacct token`.
pub(super) fn execute(args: &TokenArgs) -> Exit {
    let seed = match args.seed.given() {
        Ok(seed) => seed.map(KeySeed::new).unwrap_or_default(),
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::InvalidInput;
        }
    };
    let request = TokenRequest {
        provider: args.provider.clone(),
        claims: args.claims.clone(),
        expires_in: args.expires_in,
        forged: args.forged,
        scenario_clock: args.scenario_clock,
    };
    match sim::token_for_scenario(&args.scenario, &seed, &request) {
        Ok(token) => {
            let text = match args.output {
                TokenOutput::Jwt => token.expose().to_owned(),
                TokenOutput::Json => render::token::json(token.expose()),
            };
            if let Some(path) = &args.out_file {
                return match write_private(path, &text) {
                    Ok(()) => Exit::Ok,
                    Err(e) => {
                        super::eprint(&format!(
                            "error: cannot write the token to {}: {e}\n",
                            path.display()
                        ));
                        Exit::InvalidInput
                    }
                };
            }
            // A token file, `$(...)` and `> t.jwt` take it as it is: no
            // trailing newline unless a person reads it on a terminal
            // (AWS_WEB_IDENTITY_TOKEN_FILE does not trim one).
            use std::io::IsTerminal as _;
            let newline = args.output == TokenOutput::Jwt && std::io::stdout().is_terminal();
            super::print(&if newline { format!("{text}\n") } else { text });
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            if e.bad_input {
                Exit::InvalidInput
            } else {
                Exit::Unexpected
            }
        }
    }
}
