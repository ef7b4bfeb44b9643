//! `xacct token`: a web identity token of one of a scenario's OIDC issuers,
//! signed with the key `xacct serve` of the same scenario (and key seed)
//! verifies, so any client can call AssumeRoleWithWebIdentity against it.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use crate::clock::SystemClock;
use crate::exit::Exit;
use crate::render;
use crate::sim::{self, KeySeed, TokenSpec, World};

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
    /// The key seed the server was started with (`xacct serve` prints it when it picks one).
    #[arg(long, value_name = "SEED")]
    pub key_seed: Option<String>,
    /// Date the token by the scenario's `clock` (for `xacct serve --scenario-clock`).
    #[arg(long)]
    pub scenario_clock: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = TokenOutput::Jwt)]
    pub output: TokenOutput,
}

/// The output of `xacct token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenOutput {
    /// The compact token alone, for `--web-identity-token` or a token file.
    Jwt,
    /// The token with its issuer and decoded claims.
    Json,
}

fn fail(message: &str) -> Exit {
    super::eprint(&format!("error: {message}\n"));
    Exit::InvalidInput
}

/// Runs `xacct token`.
pub fn execute(args: &TokenArgs) -> Exit {
    let seed = args.key_seed.clone().map(KeySeed::new).unwrap_or_default();
    let loaded = match sim::load_seeded(&args.scenario, &seed) {
        Ok(loaded) => loaded,
        Err(e) => return fail(&e.to_string()),
    };
    let world = if args.scenario_clock {
        loaded.world.clone()
    } else {
        match World::new(loaded.world.model().clone(), Arc::new(SystemClock)) {
            Ok(world) => Arc::new(world),
            Err(e) => return fail(&e.to_string()),
        }
    };
    let issuer = args.provider.trim_start_matches("https://");
    if !world.has_issuer(issuer) {
        let known = world.issuers_named();
        return fail(&format!(
            "--provider `{}`: no account of {} has an OIDC provider for it; {}",
            args.provider,
            args.scenario.display(),
            if known.is_empty() {
                "add one under accounts.ACCOUNT.oidc_providers".to_owned()
            } else {
                format!("use one of: {}", known.join(", "))
            }
        ));
    }
    let mut claims = world.preset_claims(issuer);
    for pair in &args.claims {
        let Some((key, value)) = pair.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return fail(&format!(
                "--claim `{pair}` is not KEY=VALUE; write for example --claim sub=repo:acme/app:ref:refs/heads/main"
            ));
        };
        let value = if matches!(key, "iat" | "nbf" | "exp") {
            match value.parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => {
                    return fail(&format!(
                        "--claim {key}=`{value}`: {key} is a time in seconds since the epoch (a whole number)"
                    ));
                }
            }
        } else {
            serde_json::Value::from(value)
        };
        claims.insert(key.to_owned(), value);
    }
    let spec = TokenSpec {
        issuer: issuer.to_owned(),
        claims,
        expires: Some(sim::expires_in(world.now(), args.expires_in)),
        forged: args.forged,
    };
    match world.mint_token(&spec) {
        Ok(token) => {
            super::print(&match args.output {
                TokenOutput::Jwt => format!("{}\n", token.expose()),
                TokenOutput::Json => render::token::json(token.expose(), issuer),
            });
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            Exit::Unexpected
        }
    }
}
