//! A scenario ready to run: read, checked (every run's principal and
//! expectations, every fault, the clock), and its world built.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::keys::KeySeed;
use super::model::Model;
use super::scenario::{
    self, AsSpec, AssumeExpect, RunSpec, Scenario, ScenarioError, WebIdentitySpec,
};
use super::world::World;
use xacct_aws::clock::{Clock, ManualClock, SystemClock};
use xacct_aws::timestamp;
use xacct_iam::{Caller, CallerKind, PolicyKind, parse_as};

/// The longest session STS issues (GetFederationToken and GetSessionToken:
/// 36 hours); a scenario's clock must leave room for it before year 10000.
const LONGEST_SESSION: Duration = Duration::from_secs(129_600);

/// The calls a fault may be scripted for.
const FAULT_CALLS: [&str; 21] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetCallerIdentity",
    "sts:GetSessionToken",
    "sts:GetFederationToken",
    "sts:GetAccessKeyInfo",
    "s3:ListBuckets",
    "s3:ListObjectsV2",
    "s3:GetObject",
    "s3:HeadObject",
    "s3:PutObject",
    "s3:DeleteObject",
    // Served by `xacct serve`; in-process, a run across the organization
    // makes one `organizations:ListAccounts` call for the whole tree.
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
    "organizations:ListParents",
    "organizations:ListPoliciesForTarget",
    "organizations:DescribePolicy",
    "organizations:ListTargetsForPolicy",
];

/// A scenario ready to run.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario as written, but for its `accounts`, which live on in
    /// the world (a large world's policy documents are not kept twice).
    pub scenario: Scenario,
    /// Whether the scenario spells out an access key (rather than deriving
    /// every key from the key seed).
    pub written_keys: bool,
    /// The file it came from.
    pub file: String,
    /// The world it describes.
    pub world: Arc<World>,
    /// The world's clock.
    pub clock: Arc<ManualClock>,
    /// The clock's starting point (each run starts there).
    pub start: SystemTime,
}

/// Reads, checks and builds a scenario file, with secrets that follow from
/// the scenario alone.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    load_seeded(path, &KeySeed::default())
}

/// Reads, checks and builds a scenario file, deriving secrets with `seed`.
pub fn load_seeded(path: &Path, seed: &KeySeed) -> Result<Loaded, ScenarioError> {
    let scenario = scenario::load(path)?;
    build_seeded(scenario, &path.display().to_string(), seed)
}

/// Checks and builds a parsed scenario.
pub fn build(scenario: Scenario, file: &str) -> Result<Loaded, ScenarioError> {
    build_seeded(scenario, file, &KeySeed::default())
}

fn build_seeded(scenario: Scenario, file: &str, seed: &KeySeed) -> Result<Loaded, ScenarioError> {
    let err = |message: String| ScenarioError {
        file: file.to_owned(),
        message,
    };
    let written_keys = scenario.accounts.values().any(|a| {
        a.users.values().any(|u| u.access_key.is_some())
            || a.root.as_ref().is_some_and(|r| r.access_key.is_some())
    });
    let had_accounts = !scenario.accounts.is_empty();
    let mut scenario = scenario;
    let model = Model::build(&mut scenario, file, seed)?;
    let start = match &scenario.clock {
        Some(text) => timestamp::parse(text).ok_or_else(|| {
            err(format!(
                "clock: `{text}` is not an RFC 3339 time (2026-01-01T00:00:00Z)"
            ))
        })?,
        None => SystemClock.now(),
    };
    if start + LONGEST_SESSION > timestamp::latest() {
        return Err(err(format!(
            "clock: `{}` is too late: sessions issued then would end after {}, the latest time AWS can write; use a clock before 9999-12-30",
            scenario.clock.as_deref().unwrap_or_default(),
            timestamp::rfc3339(timestamp::latest())
        )));
    }
    for (i, run) in scenario.runs.iter().enumerate() {
        check_run(&model, run, &format!("runs[{i}]")).map_err(err)?;
    }
    for (i, fault) in scenario.faults.iter().enumerate() {
        if !FAULT_CALLS.contains(&fault.call.as_str()) {
            return Err(err(format!(
                "faults[{i}].call: `{}` is not one of {}",
                fault.call,
                FAULT_CALLS.join(", ")
            )));
        }
    }
    if !had_accounts {
        return Err(err(
            "accounts: a scenario needs at least one account (or `world: FILE` to use another file's)".to_owned(),
        ));
    }
    // A world may have no runs: it serves, graphs and demos as it is
    // (`xacct sim` then has nothing of its own to check and says so).
    let clock = Arc::new(ManualClock::new(start));
    let world = Arc::new(World::new(model, clock.clone()).map_err(|e| err(e.to_string()))?);
    super::name_check::check_names(&scenario, &world).map_err(err)?;
    Ok(Loaded {
        scenario,
        written_keys,
        file: file.to_owned(),
        world,
        clock,
        start,
    })
}

fn check_web_identity(spec: &WebIdentitySpec, run: &RunSpec, at: &str) -> Result<(), String> {
    let at_w = format!("{at}.as.web_identity");
    if spec.provider.contains("://") || spec.provider.is_empty() {
        return Err(format!(
            "{at_w}.provider: `{}` must be the issuer without `https://` (token.actions.githubusercontent.com)",
            spec.provider
        ));
    }
    if let Some(sig) = spec
        .signature
        .as_deref()
        .filter(|s| *s != "invalid" && *s != "valid")
    {
        return Err(format!(
            "{at_w}.signature: `{sig}` must be `invalid` (signed with a key the issuer does not have) or `valid`"
        ));
    }
    if let Some(t) = &spec.expires {
        let expires = timestamp::parse(t)
            .ok_or_else(|| format!("{at_w}.expires: `{t}` is not an RFC 3339 time"))?;
        if expires > timestamp::latest() {
            return Err(format!(
                "{at_w}.expires: `{t}` is after 9999-12-31T23:59:59Z, the latest time AWS can write"
            ));
        }
    }
    let not_for_web = [
        ("federated_by", run.federated_by.is_some()),
        ("session_policy", run.session_policy.is_some()),
        ("session_expires", run.session_expires.is_some()),
        ("external_id", run.external_id.is_some()),
        ("mfa", run.mfa.is_some()),
        ("tags", !run.tags.is_empty()),
        ("transitive_tag_keys", !run.transitive_tag_keys.is_empty()),
        ("source_identity", run.source_identity.is_some()),
        ("expect.source_buckets", run.expect.source_buckets.is_some()),
        (
            "expect.source_identity",
            run.expect.source_identity.is_some(),
        ),
    ];
    if let Some((key, _)) = not_for_web.iter().find(|(_, set)| *set) {
        return Err(format!(
            "{at}.{key}: a web identity run has no base credentials and AssumeRoleWithWebIdentity takes no ExternalId, MFA, Tags or SourceIdentity (session tags and a source identity come from the token's claims); remove it"
        ));
    }
    Ok(())
}

fn check_run(model: &Model, run: &RunSpec, at: &str) -> Result<(), String> {
    let arn = match &run.as_principal {
        AsSpec::Arn(arn) => arn,
        AsSpec::Session(session) => {
            if !session.session.starts_with("arn:aws:sts::")
                || !session.session.contains(":assumed-role/")
            {
                return Err(format!(
                    "{at}.as.session: `{}` must be an assumed-role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION): only role sessions carry tags and a source identity into a chain",
                    session.session
                ));
            }
            &session.session
        }
        AsSpec::WebIdentity(w) => {
            check_web_identity(&w.web_identity, run, at)?;
            return check_expect(run, at);
        }
    };
    let caller = Caller::parse(arn).map_err(|e| format!("{at}.as: {e}"))?;
    let account = &caller.account;
    let missing = |what: String| {
        let names: Vec<String> = model
            .accounts
            .values()
            .flat_map(|a| {
                a.users.values().map(super::model::User::arn).chain(
                    a.roles
                        .values()
                        .map(|r| format!("arn:aws:sts::{}:assumed-role/{}/SESSION", a.id, r.name)),
                )
            })
            .collect();
        let hint = super::names::nearest(arn, names.iter().map(String::as_str))
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        format!("{at}.as: {what} is not in the scenario{hint}; add it under accounts.\"{account}\"")
    };
    match &caller.kind {
        CallerKind::User { name, .. } if model.user(account, name).is_none() => {
            return Err(missing(format!("user `{name}`")));
        }
        CallerKind::Root if !model.accounts.contains_key(account) => {
            return Err(missing(format!("account {account}")));
        }
        CallerKind::RoleSession {
            role_name,
            session: Some(_),
            ..
        } if model.role(account, role_name).is_none() => {
            return Err(missing(format!("role `{role_name}`")));
        }
        CallerKind::WebIdentity { .. } => {
            return Err(format!(
                "{at}.as: an OIDC provider cannot start a flow; start from one of its tokens: as: {{ web_identity: {{ provider, claims }} }}"
            ));
        }
        CallerKind::RoleSession { session: None, .. } => {
            return Err(format!(
                "{at}.as: a role ARN cannot start a flow; use its session, arn:aws:sts::{account}:assumed-role/ROLE/SESSION"
            ));
        }
        CallerKind::FederatedUser { .. } => match &run.federated_by {
            None => {
                return Err(format!(
                    "{at}.federated_by: a federated-user `as` needs the IAM user who called GetFederationToken"
                ));
            }
            Some(user) if model.user(account, user).is_none() => {
                return Err(format!(
                    "{at}.federated_by: user `{user}` is not in account {account}"
                ));
            }
            Some(_) => {}
        },
        _ => {}
    }
    if let Some(policy) = &run.session_policy {
        parse_as(&policy.0, PolicyKind::Session)
            .map_err(|e| format!("{at}.session_policy: at {}: {}", e.path, e.message))?;
    }
    if let Some(t) = &run.session_expires {
        let expires = timestamp::parse(t)
            .ok_or_else(|| format!("{at}.session_expires: `{t}` is not an RFC 3339 time"))?;
        if expires > timestamp::latest() {
            return Err(format!(
                "{at}.session_expires: `{t}` is after 9999-12-31T23:59:59Z, the latest time AWS can write"
            ));
        }
    }
    check_expect(run, at)
}

fn check_expect(run: &RunSpec, at: &str) -> Result<(), String> {
    if let Some(AssumeExpect::Word(word)) = &run.expect.assume_role
        && word != "allowed"
    {
        return Err(format!(
            "{at}.expect.assume_role: `{word}` must be `allowed` or an error map {{error: CODE}}"
        ));
    }
    if matches!(run.expect.assume_role, Some(AssumeExpect::Error(_)))
        && run.expect.target_buckets.is_some()
    {
        return Err(format!(
            "{at}.expect.target_buckets: AssumeRole is expected to fail, so the flow stops before listing the target; remove target_buckets"
        ));
    }
    if run.expect.bucket_objects.is_some() && run.read_bucket.is_none() {
        return Err(format!(
            "{at}.expect.bucket_objects: the run reads no bucket; add read_bucket: NAME"
        ));
    }
    if run.role_arn.is_none() {
        if run.as_principal.web_identity().is_some() {
            return Err(format!(
                "{at}.role_arn: a web identity token is exchanged for a role's session; add role_arn"
            ));
        }
        let role_keys = [
            ("assume_role", run.expect.assume_role.is_some()),
            ("assumed_role_arn", run.expect.assumed_role_arn.is_some()),
            ("target_buckets", run.expect.target_buckets.is_some()),
        ];
        if let Some((key, _)) = role_keys.iter().find(|(_, given)| *given) {
            return Err(format!(
                "{at}.expect.{key}: the run has no role_arn, so it assumes no role; add role_arn or remove {key}"
            ));
        }
    }
    for (i, step) in run.steps.iter().enumerate() {
        step.check(&format!("{at}.steps[{i}].{}", step.name()))?;
    }
    Ok(())
}
