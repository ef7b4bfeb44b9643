//! Scenario files (`docs/reference/scenario-format.md` is the contract):
//! the serde model, with unknown keys refused, and the checks that run after
//! parsing, each naming the file, the key path and what was expected.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use xacct_iam::Document as Json;

pub use super::error_expect::ErrorExpect;
pub(super) use super::scenario_account::{AccountSpec, KeySpec, MfaSpec};
pub use super::scenario_as::{AsSpec, WebIdentitySpec};
use xacct_aws::input::{FileKind, read_text};

/// A scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The scenario's name; matches the file name.
    pub name: String,
    /// What it shows, for `xacct demo`.
    #[serde(default)]
    pub description: Option<String>,
    /// The region (default `us-east-1`).
    #[serde(default)]
    pub region: Option<String>,
    /// The simulated "now" (RFC 3339); the real time when absent.
    #[serde(default)]
    pub clock: Option<String>,
    /// For a world written by `xacct import`: the files it was built from.
    /// Such a world may have no runs.
    #[serde(default)]
    pub imported: Option<Vec<String>>,
    /// Another scenario or imported world whose accounts this file uses
    /// (relative to this file); then `accounts` stays empty.
    #[serde(default)]
    pub world: Option<String>,
    /// The accounts, by 12-digit id.
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountSpec>,
    /// The AWS Organization the accounts belong to, if any.
    #[serde(default)]
    pub organization: Option<super::organization_spec::OrganizationSpec>,
    /// The runs of the flow.
    #[serde(default)]
    pub runs: Vec<RunSpec>,
    /// What the linter must and must not find.
    #[serde(default)]
    pub lint: Option<LintSpec>,
    /// Access facts `xacct sim` checks.
    #[serde(default, rename = "assert")]
    pub assertions: Vec<super::assert_spec::AssertSpec>,
    /// Scripted failures, replayed in order within each run.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
}

/// One run of the cross-account flow.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// A label.
    #[serde(default)]
    pub name: Option<String>,
    /// Who starts the flow: a user, root, assumed-role or federated-user
    /// ARN, or a web identity.
    #[serde(rename = "as")]
    pub as_principal: AsSpec,
    /// For a federated-user `as`: the IAM user who called GetFederationToken.
    #[serde(default)]
    pub federated_by: Option<String>,
    /// For a federated-user `as`: the session policy passed to GetFederationToken.
    #[serde(default)]
    pub session_policy: Option<Json>,
    /// For a temporary `as` (assumed-role, federated-user): when its
    /// credentials expire (RFC 3339); default one hour after the clock.
    #[serde(default)]
    pub session_expires: Option<String>,
    /// The role to assume; without it the run uses its base credentials only.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// A `role_arn` that is wrong on purpose, to show AWS's answer:
    /// `missing` (well formed, but no role of the world) or `malformed`
    /// (not a role ARN). Without it such a `role_arn` is refused at load,
    /// so a typo never passes as an expected AccessDenied.
    #[serde(default)]
    pub role_arn_is: Option<RoleArnIs>,
    /// `RoleSessionName`; default derived from the clock.
    #[serde(default)]
    pub session_name: Option<String>,
    /// `DurationSeconds`.
    #[serde(default)]
    pub duration_seconds: Option<i64>,
    /// `ExternalId`.
    #[serde(default)]
    pub external_id: Option<String>,
    /// `SerialNumber` and `TokenCode`.
    #[serde(default)]
    pub mfa: Option<MfaSpec>,
    /// `Tags`: session tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// `TransitiveTagKeys`.
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    /// `SourceIdentity`.
    #[serde(default)]
    pub source_identity: Option<String>,
    /// `PolicyArns`: managed session policies.
    #[serde(default)]
    pub policy_arns: Vec<String>,
    /// After the flow: list this bucket's objects (ListObjectsV2) with the
    /// role session's credentials.
    #[serde(default)]
    pub read_bucket: Option<String>,
    /// Object calls after the flow, in order, as the run's last identity.
    #[serde(default)]
    pub steps: Vec<super::step_spec::StepSpec>,
    /// What AWS would answer.
    #[serde(default)]
    pub expect: ExpectSpec,
}

/// Expectations of a run; a key left out is not checked.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExpectSpec {
    /// The source account's buckets, or an error.
    pub source_buckets: Option<BucketsExpect>,
    /// `allowed`, or an error.
    pub assume_role: Option<AssumeExpect>,
    /// The assumed-role ARN.
    pub assumed_role_arn: Option<String>,
    /// The target account's buckets, or an error.
    pub target_buckets: Option<BucketsExpect>,
    /// The ARN GetCallerIdentity returns for the base credentials.
    pub source_identity: Option<String>,
    /// The object keys of `read_bucket`, or an error.
    pub bucket_objects: Option<BucketsExpect>,
}

/// A bucket list or an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum BucketsExpect {
    /// The exact set of names.
    Names(Vec<String>),
    /// An error.
    Error(ErrorExpect),
}

/// `allowed` or an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AssumeExpect {
    /// `allowed`.
    Word(String),
    /// An error.
    Error(ErrorExpect),
}

/// The `lint` section.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LintSpec {
    /// Findings that must be reported.
    pub present: Vec<LintExpect>,
    /// Findings that must not be reported.
    pub absent: Vec<LintExpect>,
}

/// A finding by rule id, optionally located at a role or user ARN.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintExpect {
    /// The rule id.
    pub rule: String,
    /// The role or user ARN it is located at.
    #[serde(default)]
    pub at: Option<String>,
}

/// How a run's `role_arn` is wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleArnIs {
    /// Well formed, but no role of the world.
    Missing,
    /// Not a role ARN at all.
    Malformed,
}

/// A scripted failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The operation, as `service:Name` (`sts:AssumeRole`, `s3:ListBuckets`, ...).
    pub call: String,
    /// How many matching calls fail (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// The error to answer with.
    pub error: FaultError,
}

fn one() -> u32 {
    1
}

/// The error of a fault.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultError {
    /// The AWS error code.
    pub code: String,
    /// The HTTP status.
    pub status: u16,
    /// The message.
    pub message: String,
}

/// A scenario file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ScenarioError {
    /// The file.
    pub file: String,
    /// Where and what: a line and column or a key path, and what was expected.
    pub message: String,
}

/// Parses scenario text; `file` names it in errors. The parser's event,
/// node and scalar budgets grow with the text (an imported world of 50,000
/// roles has millions of nodes), while its alias and anchor budgets, which
/// are what stop a YAML bomb, stay at their defaults.
pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = budget.max_events.max(text.len());
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options::<Scenario>(text, options).map_err(|e| ScenarioError {
        file: file.to_owned(),
        // The parser calls its input `<input>`: name the file instead.
        message: xacct_iam::yaml_message(&e.to_string()).replace("<input>", file),
    })
}

/// Takes the accounts (and region) of the world file `world` names.
fn adopt_world(
    scenario: &mut Scenario,
    path: &Path,
    world: &str,
    file: &str,
) -> Result<(), ScenarioError> {
    if !scenario.accounts.is_empty() || scenario.organization.is_some() {
        return Err(ScenarioError {
            file: file.to_owned(),
            message:
                "world: a file with `world:` takes its accounts and organization from that world; remove `accounts:` and `organization:`"
                    .to_owned(),
        });
    }
    let other = path.parent().unwrap_or(Path::new(".")).join(world);
    let source = load(&other).map_err(|e| ScenarioError {
        file: file.to_owned(),
        message: format!("world: `{world}`: {e}"),
    })?;
    scenario.accounts = source.accounts;
    scenario.organization = source.organization;
    if scenario.region.is_none() {
        scenario.region = source.region;
    }
    Ok(())
}

/// Reads a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let text = read_text(path, FileKind::Scenario).map_err(|e| ScenarioError {
        file: file.clone(),
        message: e.message,
    })?;
    let mut scenario = parse(&text, &file)?;
    if let Some(world) = scenario.world.clone() {
        adopt_world(&mut scenario, path, &world, &file)?;
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if scenario.name != stem {
        return Err(ScenarioError {
            file,
            message: format!(
                "name: `{}` must match the file name `{stem}` (rename one of them)",
                scenario.name
            ),
        });
    }
    Ok(scenario)
}
