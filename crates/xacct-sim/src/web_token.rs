//! Web identity tokens of the world's issuers: the token a scenario run
//! starts from (its `web_identity` claims as written, with `iss` and the
//! times filled in), and the token `xacct token` prints (an issuer's
//! preset claims, overridden by the ones given). Both are signed by the
//! issuer's key, or, for a forged token, by a key the issuer does not have.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::world::World;
use xacct_aws::oidc::{Claims, presets};
use xacct_aws::secret::Secret;

/// What a token should say.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    /// The issuer, host[/path].
    pub issuer: String,
    /// The claims; `iss`, `iat`, `nbf` and `exp` are filled in when absent.
    pub claims: Claims,
    /// `exp`; default an hour after the world's "now".
    pub expires: Option<SystemTime>,
    /// Signed by a key the issuer does not have.
    pub forged: bool,
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl World {
    /// Whether the world can issue tokens of `issuer`: an account has an
    /// OIDC provider for it, or it is a provider built into AWS that issues
    /// ID tokens (Google, Cognito) and a trust policy names it.
    pub fn has_issuer(&self, issuer: &str) -> bool {
        let accounts = || self.model().accounts.values();
        accounts().any(|a| a.oidc_providers.contains_key(issuer))
            || (matches!(issuer, "accounts.google.com" | "cognito-identity.amazonaws.com")
                && accounts()
                    .flat_map(|a| a.roles.values())
                    .flat_map(|r| &r.trust.statements)
                    .any(|s| {
                        matches!(&s.principals, Some(xacct_iam::Principals::Only(values))
                            if values.iter().any(|v| v.name == xacct_iam::PrincipalName::BuiltInProvider(issuer.to_owned())))
                    }))
    }

    /// The first role (by account id, then name) whose trust policy names
    /// one of the world's OIDC providers.
    pub fn web_identity_role(&self) -> Option<String> {
        self.model()
            .accounts
            .values()
            .flat_map(|a| a.roles.values())
            .find(|r| {
                r.trust.statements.iter().any(|s| {
                    matches!(&s.principals, Some(xacct_iam::Principals::Only(values))
                        if values.iter().any(|v| matches!(v.name, xacct_iam::PrincipalName::OidcProvider { .. })))
                })
            })
            .map(super::model::Role::arn)
    }

    /// Every issuer some account has a provider for, sorted, once each.
    pub fn issuers_named(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .model()
            .accounts
            .values()
            .flat_map(|a| a.oidc_providers.keys().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// A signed token as `spec` describes it.
    pub fn mint_token(&self, spec: &TokenSpec) -> Result<Secret, String> {
        let now = unix(self.now());
        let exp = spec.expires.map_or(now.saturating_add(3600), unix);
        let mut claims = spec.claims.clone();
        claims
            .entry("iss")
            .or_insert_with(|| Value::from(format!("https://{}", spec.issuer)));
        claims.entry("iat").or_insert_with(|| Value::from(now));
        claims.entry("nbf").or_insert_with(|| Value::from(now));
        claims.entry("exp").or_insert_with(|| Value::from(exp));
        self.issuers()
            .mint(&spec.issuer, &claims, spec.forged)
            .map(Secret::new)
    }

    /// The claims `xacct token` uses for `issuer` when none are given:
    /// GitHub Actions, a push to `main` of the first repository (by account
    /// id, then role name) a trust policy of the world names in a `sub`
    /// condition; EKS, the first service account named so; another issuer, `sub` and the first
    /// client id of its provider as `aud`.
    pub fn preset_claims(&self, issuer: &str) -> Claims {
        let subs = self.sub_values(issuer);
        if issuer == presets::GITHUB {
            let repo = subs
                .iter()
                .find_map(|s| presets::repository_of_sub(s))
                .unwrap_or("example-org/example-repo");
            return presets::github_push(repo);
        }
        if presets::is_eks(issuer) {
            let (ns, sa) = subs
                .iter()
                .find_map(|s| presets::service_account_of_sub(s))
                .unwrap_or(("default", "default"));
            return presets::eks_service_account(ns, sa);
        }
        let mut claims = Claims::new();
        let sub = subs
            .iter()
            .find(|s| !s.contains(['*', '?']))
            .cloned()
            .unwrap_or_else(|| "subject".to_owned());
        claims.insert("sub".into(), Value::from(sub));
        let aud = self
            .model()
            .accounts
            .values()
            .find_map(|a| a.oidc_providers.get(issuer))
            .and_then(|p| p.client_ids.first().cloned())
            // A provider built into AWS has no client ids: the audience a
            // trust policy asks for.
            .or_else(|| {
                self.claim_values(issuer, "aud")
                    .into_iter()
                    .find(|a| !a.contains(['*', '?']))
            })
            .unwrap_or_else(|| presets::STS_AUDIENCE.to_owned());
        claims.insert("aud".into(), Value::from(aud));
        claims
    }

    /// The values of `ISSUER:sub` conditions in the world's trust policies.
    fn sub_values(&self, issuer: &str) -> Vec<String> {
        self.claim_values(issuer, "sub")
    }

    /// The values of `ISSUER:CLAIM` conditions in the world's trust policies.
    fn claim_values(&self, issuer: &str, claim: &str) -> Vec<String> {
        let key = format!("{issuer}:{claim}").to_ascii_lowercase();
        self.model()
            .accounts
            .values()
            .flat_map(|a| a.roles.values())
            .flat_map(|r| r.trust.statements.iter())
            .flat_map(|s| s.conditions.iter())
            .filter(|c| c.key_lower == key)
            .flat_map(|c| c.raw_values.iter().cloned())
            .collect()
    }
}

/// What `xacct token` asks for.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    /// The issuer, host[/path] (`https://` is dropped).
    pub provider: String,
    /// `KEY=VALUE` claims over the issuer's preset; `iat`, `nbf` and `exp`
    /// take whole seconds since the epoch.
    pub claims: Vec<String>,
    /// Seconds from now until `exp` (negative: already expired).
    pub expires_in: i64,
    /// Signed with a key the issuer does not have.
    pub forged: bool,
    /// Date the token by the scenario's clock instead of the real time.
    pub scenario_clock: bool,
}

/// A token request that cannot be served, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    /// What is wrong and what to do.
    pub message: String,
    /// Whether the input was at fault (else the machine: no randomness).
    pub bad_input: bool,
}

fn bad(message: String) -> TokenError {
    TokenError {
        message,
        bad_input: true,
    }
}

/// A token of `request.provider` from the scenario at `path`, signed with
/// the key `xacct serve` of that scenario (and `seed`) verifies.
pub fn token_for_scenario(
    path: &std::path::Path,
    seed: &super::keys::KeySeed,
    request: &TokenRequest,
) -> Result<Secret, TokenError> {
    let loaded = super::loaded::load_seeded(path, seed).map_err(|e| bad(e.to_string()))?;
    let world = if request.scenario_clock {
        loaded.world.clone()
    } else {
        let clock: xacct_aws::clock::SharedClock =
            std::sync::Arc::new(xacct_aws::clock::SystemClock);
        std::sync::Arc::new(loaded.world.with_clock(clock).map_err(|e| TokenError {
            message: e.to_string(),
            bad_input: false,
        })?)
    };
    let issuer = request.provider.trim_start_matches("https://");
    if !world.has_issuer(issuer) {
        let known = world.issuers_named();
        return Err(bad(format!(
            "--provider `{}`: no account of {} has an OIDC provider for it; {}",
            request.provider,
            path.display(),
            if known.is_empty() {
                "add one under accounts.ACCOUNT.oidc_providers".to_owned()
            } else {
                format!("use one of: {}", known.join(", "))
            }
        )));
    }
    let mut claims = world.preset_claims(issuer);
    for pair in &request.claims {
        let Some((key, value)) = pair.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(bad(format!(
                "--claim `{pair}` is not KEY=VALUE; write for example --claim sub=repo:acme/app:ref:refs/heads/main"
            )));
        };
        let value = if matches!(key, "iat" | "nbf" | "exp") {
            value.parse::<i64>().map(Value::from).map_err(|_| {
                bad(format!(
                    "--claim {key}=`{value}`: {key} is a time in seconds since the epoch (a whole number)"
                ))
            })?
        } else {
            Value::from(value)
        };
        claims.insert(key.to_owned(), value);
    }
    let expires = expires_in(world.now(), request.expires_in).ok_or_else(|| {
        bad(format!(
            "--expires-in {}: a token's lifetime is at most {MAX_EXPIRES_IN} seconds (ten years) either way; give a number of seconds in that range (3600 for an hour)",
            request.expires_in
        ))
    })?;
    world
        .mint_token(&TokenSpec {
            issuer: issuer.to_owned(),
            claims,
            expires: Some(expires),
            forged: request.forged,
        })
        .map_err(|message| TokenError {
            message,
            bad_input: false,
        })
}

/// Grows the signing key of every issuer the world's providers trust, so
/// a server pays for the prime search at start, not in its first request.
pub fn prepare_issuer_keys(world: &World) -> Result<(), String> {
    for issuer in world.issuers_named() {
        world.issuers().key(&issuer)?;
    }
    Ok(())
}

/// The longest `--expires-in`: ten years (a token's `exp` is a number of
/// seconds, and a time past year 9999 is none a client reads).
pub(crate) const MAX_EXPIRES_IN: i64 = 10 * 366 * 24 * 3600;

/// `exp` as an offset from now, for `--expires-in`; `None` past
/// [`MAX_EXPIRES_IN`] either way.
pub fn expires_in(now: SystemTime, seconds: i64) -> Option<SystemTime> {
    if !(-MAX_EXPIRES_IN..=MAX_EXPIRES_IN).contains(&seconds) {
        return None;
    }
    let offset = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        now.checked_add(offset)
    } else {
        Some(now.checked_sub(offset).unwrap_or(SystemTime::UNIX_EPOCH))
    }
}
