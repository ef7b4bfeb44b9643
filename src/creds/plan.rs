//! A chain of roles to assume, hop by hop, and the checks made on it before
//! any call: AWS's parameter rules on every hop, and the one-hour cap on
//! every hop made with another role's session (role chaining).

use crate::cloud::aws::CredentialSource;
use crate::cloud::{AssumeRoleRequest, Credentials};
use crate::validate::{self, InputError};

/// The longest session AWS gives a chained hop: "When you use role
/// chaining, the session duration is limited to one hour, regardless of the
/// maximum session duration setting configured for individual roles" (IAM
/// User Guide, "Roles terms and concepts", role chaining); asking for more
/// gets `ValidationError: The requested DurationSeconds exceeds the 1 hour
/// session limit for roles assumed by role chaining.`
pub const CHAINED_MAX_SECONDS: i32 = 3600;

/// Where a hop was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HopOrigin {
    /// A `--role-arn` flag.
    Flag,
    /// A profile of `~/.aws/config` with `role_arn`.
    Profile(String),
}

/// One AssumeRole of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The request, without an MFA code (asked for once per chain, later).
    pub request: AssumeRoleRequest,
    /// The MFA device this hop must name (`mfa_serial`).
    pub mfa_serial: Option<String>,
    /// Whether the session name was given (a default one changes per run
    /// and is left out of the cache key).
    pub named: bool,
    /// Where it came from.
    pub origin: HopOrigin,
}

/// Every hop of a chain, and where its first caller's credentials come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The hops, first to last.
    pub hops: Vec<Hop>,
    /// The profile whose credentials make the first hop (`None`: the
    /// default chain, or `credential_source`).
    pub base_profile: Option<String>,
    /// Where the first hop's credentials come from instead, when the
    /// chain ends in a profile's `credential_source`.
    pub credential_source: Option<CredentialSource>,
    /// The region of the profile named with `--profile`, if it sets one.
    pub region: Option<String>,
    /// The `web_identity_token_file` of the profile at the chain's root:
    /// its first hop is AssumeRoleWithWebIdentity with that token, made
    /// with no credentials at all.
    pub web_identity_token_file: Option<std::path::PathBuf>,
    /// The keys `base_profile` holds itself (`aws_access_key_id` and the
    /// rest), read with the files: a chain that starts from a profile's
    /// keys starts from them alone, where the SDK's provider for that
    /// profile would also assume its `role_arn` (it prefers keys only past
    /// the first profile of its own chain). An error when they are half
    /// there, raised only when a live chain is to start from them.
    pub base_keys: Option<Result<Credentials, InputError>>,
}

impl Plan {
    /// The role the chain ends in.
    pub fn target(&self) -> Option<&str> {
        self.hops.last().map(|h| h.request.role_arn.as_str())
    }

    /// Whether any hop needs an MFA code.
    pub fn needs_mfa(&self) -> bool {
        self.hops.iter().any(|h| h.mfa_serial.is_some())
    }

    /// Every hop checked against AWS's parameter rules, and every chained
    /// hop (the second onwards) against the one-hour cap; every problem is
    /// returned, naming its hop.
    pub fn check(&self) -> Result<(), Vec<InputError>> {
        let mut errors = Vec::new();
        if let (Some(file), Some(first)) = (&self.web_identity_token_file, self.hops.first()) {
            let request = &first.request;
            let dropped: Vec<&str> = [
                ("tags", !request.tags.is_empty()),
                (
                    "transitive tag keys",
                    !request.transitive_tag_keys.is_empty(),
                ),
                ("a source identity", request.source_identity.is_some()),
                ("an external id", request.external_id.is_some()),
                ("an MFA device", first.mfa_serial.is_some()),
            ]
            .into_iter()
            .filter_map(|(what, asked)| asked.then_some(what))
            .collect();
            if !dropped.is_empty() {
                errors.push(InputError {
                    field: "--profile",
                    value: match &first.origin {
                        HopOrigin::Profile(name) => name.clone(),
                        HopOrigin::Flag => String::new(),
                    },
                    rule: format!(
                        "the chain starts with AssumeRoleWithWebIdentity (web_identity_token_file = {}), which takes no tags, source identity, external id or MFA, and its first hop asks for {}",
                        file.display(),
                        dropped.join(", ")
                    ),
                    fix: "leave them out (the token's claims carry the session's tags), or set them on a profile further down the chain".to_owned(),
                });
            }
        }
        for (i, hop) in self.hops.iter().enumerate() {
            let mut request = hop.request.clone();
            request.mfa = None;
            let named = |e| in_hop(from_profile(e, &hop.origin), i, self.hops.len());
            if let Err(more) = validate::assume_role_request(&request) {
                errors.extend(more.into_iter().map(named));
            }
            if let Some(serial) = &hop.mfa_serial
                && let Err(e) = validate::mfa_serial(serial)
            {
                errors.push(named(e));
            }
            if let Some(asked) = hop.request.duration_seconds
                && i > 0
                && asked > CHAINED_MAX_SECONDS
            {
                errors.push(from_profile(InputError {
                    field: "--duration-seconds",
                    value: asked.to_string(),
                    rule: format!(
                        "hop {} of {} ({}) is made with the previous role's session, and AWS caps a chained role session at 3600 seconds whatever the role's MaxSessionDuration (it would answer ValidationError \"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.\")",
                        i + 1,
                        self.hops.len(),
                        hop.request.role_arn
                    ),
                    fix: "ask for at most 3600 seconds, or give the role a trust policy that admits your base identity directly and assume it in one hop".to_owned(),
                }, &hop.origin));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An input error about a value a profile gave (its `role_session_name`,
/// not a `--session-name` the user never passed): it names the profile
/// and the key, and says to fix the profile.
fn from_profile(mut e: InputError, origin: &HopOrigin) -> InputError {
    let HopOrigin::Profile(profile) = origin else {
        return e;
    };
    let key = match e.field {
        "--role-arn" => "role_arn",
        "--session-name" => "role_session_name",
        "--external-id" => "external_id",
        "--duration-seconds" => "duration_seconds",
        "--mfa-serial" => "mfa_serial",
        _ => return e,
    };
    e.rule = format!("profile `{profile}` has {key} = `{}`: {}", e.value, e.rule);
    e.fix = format!(
        "fix {key} in the profile `{profile}` of ~/.aws/config ({})",
        e.fix
    );
    e.field = "--profile";
    e.value.clone_from(profile);
    e
}

/// An input error that names the hop it is about.
fn in_hop(mut e: InputError, index: usize, of: usize) -> InputError {
    if of > 1 {
        e.rule = format!("hop {} of {of}: {}", index + 1, e.rule);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(arn: &str, duration: Option<i32>) -> Hop {
        Hop {
            request: AssumeRoleRequest {
                role_arn: arn.to_owned(),
                session_name: "s-1".to_owned(),
                duration_seconds: duration,
                ..AssumeRoleRequest::default()
            },
            mfa_serial: None,
            named: true,
            origin: HopOrigin::Flag,
        }
    }

    #[test]
    fn a_chained_hop_over_an_hour_is_refused_and_the_first_hop_is_not() {
        let first = "arn:aws:iam::111111111111:role/a";
        let second = "arn:aws:iam::222222222222:role/b";
        let one = Plan {
            hops: vec![hop(first, Some(7200))],
            ..Plan::default()
        };
        assert_eq!(one.check(), Ok(()));
        let two = Plan {
            hops: vec![hop(first, Some(7200)), hop(second, Some(7200))],
            ..Plan::default()
        };
        let errors = two.check().err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].rule.contains("hop 2 of 2"), "{}", errors[0].rule);
        assert!(errors[0].rule.contains(second));
        let capped = Plan {
            hops: vec![hop(first, Some(7200)), hop(second, Some(3600))],
            ..Plan::default()
        };
        assert_eq!(capped.check(), Ok(()));
    }
}
