//! A profile of `~/.aws/config` as a chain of hops: `role_arn`,
//! `source_profile` (followed to the profile that holds the keys),
//! `credential_source`, `web_identity_token_file`, `external_id`, `mfa_serial`, `duration_seconds`
//! and `role_session_name`. The files are read with aws-config's own parser
//! (the one the SDKs use), so xacct reads them exactly as the SDK does.
//!
//! What differs from the SDK's own provider: aws-config's assume-role
//! provider walks the same chain inside one credentials call and reports
//! only the last error; it ignores `mfa_serial` (a profile that needs MFA
//! fails with AccessDenied) and `duration_seconds` (every hop asks for
//! AWS's default hour). xacct walks the chain itself so that every hop is
//! reported and explained, prompts for the MFA code, and passes each
//! profile's duration.

use std::borrow::Cow;
use std::collections::HashSet;

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
use aws_types::os_shim_internal::{Env, Fs};

use super::plan::{Hop, HopOrigin, Plan};
use crate::cloud::aws::{CredentialSource, no_such_profile};
use crate::cloud::{AssumeRoleRequest, Credentials};
use crate::secret::Secret;
use crate::validate::InputError;

/// The hops `profile` stands for, its source profiles first.
pub(super) async fn profile_plan(
    profile: &str,
    default_session_name: &str,
) -> Result<Plan, InputError> {
    walk(&profile_set(profile).await?, profile, default_session_name)
}

/// The config and credentials files as aws-config reads them for `profile`.
async fn profile_set(profile: &str) -> Result<ProfileSet, InputError> {
    aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &ProfileFiles::default(),
        Some(Cow::Owned(profile.to_owned())),
    )
    .await
    .map_err(|e| {
        bad(
            profile,
            format!("the AWS config files could not be read: {e}"),
        )
    })
}

/// The role profile the SDK's default chain would take its credentials
/// from when no profile is named, with its plan: `AWS_PROFILE` (else
/// `default`) when the environment holds no keys and that profile has a
/// `role_arn`. A profile that cannot be read is left to the chain, which
/// goes on to its other sources.
pub(super) async fn implied_role_profile(default_session_name: &str) -> Option<(String, Plan)> {
    // The SDK's environment provider answers when both keys are set and
    // not empty.
    let set = |name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
        return None;
    }
    let name = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".to_owned());
    let plan = profile_plan(&name, default_session_name).await.ok()?;
    (!plan.hops.is_empty()).then_some((name, plan))
}

/// The static keys `profile` holds itself (`aws_access_key_id`,
/// `aws_secret_access_key`, `aws_session_token`); `None` when it holds no
/// key.
fn static_keys(set: &ProfileSet, profile: &str) -> Option<Result<Credentials, InputError>> {
    let p = set.get_profile(profile)?;
    let id = p.get("aws_access_key_id")?;
    let Some(secret) = p.get("aws_secret_access_key") else {
        return Some(Err(bad(
            profile,
            format!("profile `{profile}` has aws_access_key_id but no aws_secret_access_key"),
        )));
    };
    let mut keys = Credentials::long_term(id, secret);
    keys.session_token = p.get("aws_session_token").map(Secret::new);
    Some(Ok(keys))
}

/// The chain from `profile` down to the profile (or credential source)
/// that holds the first caller's credentials.
pub(super) fn walk(
    set: &ProfileSet,
    profile: &str,
    default_session_name: &str,
) -> Result<Plan, InputError> {
    let mut hops = Vec::new();
    let mut seen = HashSet::new();
    let mut current = profile.to_owned();
    let base = loop {
        if !seen.insert(current.clone()) {
            return Err(bad(
                profile,
                format!("its source_profile chain loops back to `{current}`"),
            ));
        }
        let Some(p) = set.get_profile(&current) else {
            let mut known: Vec<String> = set.profiles().map(str::to_owned).collect();
            known.sort_unstable();
            let mut error = bad(profile, no_such_profile(&current, &known));
            if current == profile {
                "add it, or pass one of those".clone_into(&mut error.fix);
            }
            return Err(error);
        };
        // After the named profile, a source with keys of its own is where
        // the chain starts, even if it also has a role_arn (aws-config's
        // profile provider: "after the first item in the chain, we will
        // prioritize static credentials"; botocore alike).
        let keys = p.get("aws_access_key_id").is_some();
        if keys && current != profile {
            break Base::Profile(current);
        }
        let Some(role_arn) = p.get("role_arn") else {
            break Base::Profile(current);
        };
        let duration_seconds = match p.get("duration_seconds") {
            None => None,
            Some(text) => Some(text.trim().parse::<i32>().map_err(|_| {
                bad(
                    profile,
                    format!("profile `{current}` has duration_seconds = `{text}`, which is not a whole number of seconds"),
                )
            })?),
        };
        hops.push(Hop {
            request: AssumeRoleRequest {
                role_arn: role_arn.to_owned(),
                session_name: p
                    .get("role_session_name")
                    .unwrap_or(default_session_name)
                    .to_owned(),
                duration_seconds,
                external_id: p.get("external_id").map(str::to_owned),
                ..AssumeRoleRequest::default()
            },
            mfa_serial: p.get("mfa_serial").map(str::to_owned),
            named: p.get("role_session_name").is_some(),
            origin: HopOrigin::Profile(current.clone()),
        });
        // A role assumed with a web identity token needs no other source
        // (AWS CLI User Guide, "Assume role with web identity"); aws-config
        // takes the token before a source_profile, and a credential_source
        // before the token.
        if let (Some(file), None) = (p.get("web_identity_token_file"), p.get("credential_source")) {
            break Base::WebIdentity(file.to_owned());
        }
        match (p.get("source_profile"), p.get("credential_source")) {
            // Its own keys assume its own role (aws-config reads this
            // "self referential profile" so).
            (Some(source), None) if source == current && keys => break Base::Profile(current),
            (Some(source), None) if source == current => {
                return Err(bad(
                    profile,
                    format!(
                        "profile `{current}` names itself as source_profile but holds no keys; give it aws_access_key_id and aws_secret_access_key, or name the profile that holds them"
                    ),
                ));
            }
            (Some(source), None) => current = source.to_owned(),
            (None, Some(source)) => match CredentialSource::parse(source) {
                Some(source) => break Base::Source(source),
                None => {
                    return Err(bad(
                        profile,
                        format!(
                            "profile `{current}` has credential_source = `{source}`, which is none of {} (as AWS spells them)",
                            CredentialSource::NAMES.join(", ")
                        ),
                    ));
                }
            },
            (Some(_), Some(_)) => {
                return Err(bad(
                    profile,
                    format!(
                        "profile `{current}` has both source_profile and credential_source; keep one"
                    ),
                ));
            }
            (None, None) => {
                return Err(bad(
                    profile,
                    format!(
                        "profile `{current}` has role_arn but neither source_profile nor credential_source, so nothing can assume its role"
                    ),
                ));
            }
        }
    };
    hops.reverse();
    let region = set
        .get_profile(profile)
        .and_then(|p| p.get("region"))
        .map(str::to_owned);
    let (base_profile, credential_source, web_identity_token_file) = match base {
        Base::Profile(name) => (Some(name), None, None),
        Base::Source(source) => (None, Some(source), None),
        Base::WebIdentity(file) => (None, None, Some(file.into())),
    };
    let base_keys = base_profile
        .as_deref()
        .and_then(|name| static_keys(set, name));
    Ok(Plan {
        hops,
        base_profile,
        credential_source,
        region,
        web_identity_token_file,
        base_keys,
    })
}

/// Where a walk ends: a profile with the keys (or SSO, or a process), or a
/// `credential_source`.
enum Base {
    Profile(String),
    Source(CredentialSource),
    /// The profile's role is assumed with the OIDC token in this file.
    WebIdentity(String),
}

fn bad(profile: &str, rule: String) -> InputError {
    InputError {
        field: "--profile",
        value: profile.to_owned(),
        rule,
        fix: "fix the profile in ~/.aws/config (role_arn with source_profile or credential_source), or pass the roles with --role-arn".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn set_of(config: &str) -> ProfileSet {
        let fs = Fs::from_slice(&[("/cfg", config)]);
        let env = Env::from_slice(&[("AWS_CONFIG_FILE", "/cfg"), ("HOME", "/home")]);
        let loaded = aws_config::profile::load(&fs, &env, &ProfileFiles::default(), None).await;
        loaded.unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn a_profile_chain_is_walked_from_its_keys_to_its_last_role() {
        let set = set_of(
            "[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n\
             [profile hub]\nrole_arn = arn:aws:iam::222222222222:role/hub\nsource_profile = keys\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\nduration_seconds = 7200\n\
             [profile prod]\nrole_arn = arn:aws:iam::333333333333:role/deploy\nsource_profile = hub\nexternal_id = ext-1\nrole_session_name = alice\n",
        )
        .await;
        let plan = walk(&set, "prod", "xacct-1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.base_profile.as_deref(), Some("keys"));
        let arns: Vec<&str> = plan
            .hops
            .iter()
            .map(|h| h.request.role_arn.as_str())
            .collect();
        assert_eq!(
            arns,
            [
                "arn:aws:iam::222222222222:role/hub",
                "arn:aws:iam::333333333333:role/deploy"
            ]
        );
        assert_eq!(plan.hops[0].request.duration_seconds, Some(7200));
        assert!(plan.hops[0].mfa_serial.is_some());
        assert_eq!(plan.hops[1].request.external_id.as_deref(), Some("ext-1"));
        assert_eq!(plan.hops[1].request.session_name, "alice");
        assert!(plan.hops[1].named && !plan.hops[0].named);
    }

    #[tokio::test]
    async fn a_source_with_keys_starts_the_chain_and_a_profile_may_use_its_own_keys() {
        let set = set_of(
            "[profile mid]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\nrole_arn = arn:aws:iam::222222222222:role/mid\nsource_profile = hub\n\
             [profile hub]\nrole_arn = arn:aws:iam::222222222222:role/hub\nsource_profile = mid\n\
             [profile own]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\nrole_arn = arn:aws:iam::222222222222:role/own\nsource_profile = own\n\
             [profile bare]\nrole_arn = arn:aws:iam::222222222222:role/bare\nsource_profile = bare\n\
             [profile half]\naws_access_key_id = AKIAHALF\n\
             [profile uses-half]\nrole_arn = arn:aws:iam::222222222222:role/u\nsource_profile = half\n",
        )
        .await;
        let key_id = |plan: &Plan| match &plan.base_keys {
            Some(Ok(keys)) => Some(keys.access_key_id.clone()),
            Some(Err(e)) => Some(format!("error: {}", e.rule)),
            None => None,
        };
        // `mid` has keys: after the named profile they win over its role_arn.
        let plan = walk(&set, "hub", "s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.base_profile.as_deref(), Some("mid"));
        assert_eq!(plan.hops.len(), 1);
        assert_eq!(key_id(&plan).as_deref(), Some("AKIAEXAMPLE"));
        // Keys half there are an error only when a chain starts from them:
        // the plan itself is made.
        let plan = walk(&set, "uses-half", "s").unwrap_or_else(|e| panic!("{e}"));
        let half = key_id(&plan).unwrap_or_default();
        assert!(half.contains("no aws_secret_access_key"), "{half}");
        // A profile that names itself as its source assumes its own role
        // with its own keys.
        let plan = walk(&set, "own", "s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.base_profile.as_deref(), Some("own"));
        assert_eq!(plan.target(), Some("arn:aws:iam::222222222222:role/own"));
        let bare = walk(&set, "bare", "s")
            .err()
            .map(|e| e.rule)
            .unwrap_or_default();
        assert!(bare.contains("holds no keys"), "{bare}");
    }

    #[tokio::test]
    async fn a_web_identity_profile_is_the_chains_first_hop_with_no_base() {
        let set = set_of(
            "[profile ci]\nrole_arn = arn:aws:iam::222222222222:role/ci\nweb_identity_token_file = /run/token\n\
             [profile deploy]\nrole_arn = arn:aws:iam::333333333333:role/deploy\nsource_profile = ci\n",
        )
        .await;
        let plan = walk(&set, "deploy", "s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            plan.web_identity_token_file.as_deref(),
            Some(std::path::Path::new("/run/token"))
        );
        assert_eq!((plan.base_profile, plan.credential_source), (None, None));
        let roles: Vec<&str> = plan
            .hops
            .iter()
            .map(|h| h.request.role_arn.as_str())
            .collect();
        assert_eq!(
            roles,
            [
                "arn:aws:iam::222222222222:role/ci",
                "arn:aws:iam::333333333333:role/deploy"
            ]
        );
    }

    #[tokio::test]
    async fn credential_source_names_the_one_source_and_a_misspelt_one_is_refused() {
        let set = set_of(
            "[profile ec2]\nrole_arn = arn:aws:iam::222222222222:role/a\ncredential_source = Ec2InstanceMetadata\n\
             [profile typo]\nrole_arn = arn:aws:iam::222222222222:role/a\ncredential_source = Ec2InstanceMetdata\n",
        )
        .await;
        let plan = walk(&set, "ec2", "s").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.base_profile, None);
        assert_eq!(
            plan.credential_source,
            Some(CredentialSource::Ec2InstanceMetadata)
        );
        let typo = walk(&set, "typo", "s")
            .err()
            .map(|e| e.rule)
            .unwrap_or_default();
        assert!(
            typo.contains("`Ec2InstanceMetdata`")
                && typo.contains("Environment, Ec2InstanceMetadata, EcsContainer"),
            "{typo}"
        );
    }

    #[tokio::test]
    async fn loops_and_missing_sources_are_named() {
        let set = set_of(
            "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/a\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = a\n\
             [profile c]\nrole_arn = arn:aws:iam::222222222222:role/c\nsource_profile = nowhere\n",
        )
        .await;
        let looped = walk(&set, "a", "s")
            .err()
            .map(|e| e.rule)
            .unwrap_or_default();
        assert!(looped.contains("loops back to `a`"), "{looped}");
        let missing = walk(&set, "c", "s")
            .err()
            .map(|e| e.rule)
            .unwrap_or_default();
        assert!(missing.contains("no profile `nowhere`"), "{missing}");
    }
}
