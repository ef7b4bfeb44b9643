//! `xacct policy eval`: one request, the policies that apply, the decision
//! and its explanation.

use std::path::PathBuf;

use clap::Args;

use super::read_policy;
use crate::cli::Output;
use crate::clock::{Clock, SystemClock};
use crate::exit::Exit;
use crate::iam::{
    Caller, CallerKind, Context, Decision, Level, NamedPolicy, Policies, Policy, PolicyKind,
    Request, evaluate, is_trust_action, issuers,
};
use crate::render;

/// Arguments of `xacct policy eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The caller: a user, root, role, assumed-role session or federated-user ARN, or an OIDC
    /// provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER) for a web identity.
    #[arg(long, value_name = "ARN")]
    pub principal: String,
    /// The action, e.g. sts:AssumeRole.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// The resource ARN (`*` for actions without a resource, such as s3:ListAllMyBuckets).
    #[arg(long, value_name = "ARN")]
    pub resource: String,
    /// An identity policy of the caller (repeatable).
    #[arg(long = "identity-policy", value_name = "FILE")]
    pub identity_policies: Vec<PathBuf>,
    /// The resource's policy; for sts:AssumeRole on a role, its trust policy.
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,
    /// The caller's permissions boundary.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// The session policy of the caller's session.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// A service control policy of the caller's account, one per level from the
    /// organization root down (repeatable; each level must allow).
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<PathBuf>,
    /// A resource control policy of the resource's account, one per level (repeatable).
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<PathBuf>,
    /// A condition key of the request, KEY=VALUE (repeat a key for several values).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// With an OIDC provider --principal: a claim of the token, KEY=VALUE (repeat a key for a
    /// list); AWS's condition keys ISSUER:sub, ISSUER:aud, ... are filled from them.
    #[arg(long = "claim", value_name = "KEY=VALUE")]
    pub claims: Vec<String>,
    /// The account owning the resource, for ARNs without one (S3 buckets).
    #[arg(long, value_name = "ID")]
    pub resource_account: Option<String>,
    /// For a federated-user caller: the IAM user who called GetFederationToken.
    #[arg(long, value_name = "USER")]
    pub federated_by: Option<String>,
    /// The caller's unique id (AIDA..., AROA...), to match unique-id principals.
    #[arg(long, value_name = "ID")]
    pub principal_id: Option<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

struct Loaded {
    identity: Vec<(String, Policy)>,
    resource: Option<(String, Policy, PolicyKind)>,
    boundary: Option<(String, Policy)>,
    session: Option<(String, Policy)>,
    scps: Vec<(String, Policy)>,
    rcps: Vec<(String, Policy)>,
}

fn bad_input(errors: &[String], output: Output) -> Exit {
    let text = render::eval::input_errors(errors, output == Output::Json);
    match output {
        Output::Text => crate::cli::eprint(&text),
        Output::Json => crate::cli::print(&text),
    }
    Exit::InvalidInput
}

fn load(args: &EvalArgs, errors: &mut Vec<String>) -> Loaded {
    let mut read = |path: &PathBuf, kind: PolicyKind| match read_policy(path, Some(kind)) {
        Ok(policy) => Some((path.display().to_string(), policy)),
        Err(e) => {
            errors.push(e.to_string());
            None
        }
    };
    let resource_kind = if is_trust_action(&args.action) && args.resource.contains(":role/") {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    };
    Loaded {
        identity: args
            .identity_policies
            .iter()
            .filter_map(|p| read(p, PolicyKind::Identity))
            .collect(),
        resource: args
            .resource_policy
            .as_ref()
            .and_then(|p| read(p, resource_kind))
            .map(|(n, p)| (n, p, resource_kind)),
        boundary: args
            .boundary
            .as_ref()
            .and_then(|p| read(p, PolicyKind::Boundary)),
        session: args
            .session_policy
            .as_ref()
            .and_then(|p| read(p, PolicyKind::Session)),
        scps: args
            .scps
            .iter()
            .filter_map(|p| read(p, PolicyKind::Scp))
            .collect(),
        rcps: args
            .rcps
            .iter()
            .filter_map(|p| read(p, PolicyKind::Rcp))
            .collect(),
    }
}

/// One level per file, named for its place: `level 1 (FILE)`.
fn levels(files: &[(String, Policy)]) -> Vec<Level<'_>> {
    files
        .iter()
        .map(|(name, policy)| Level {
            node: name,
            policies: vec![NamedPolicy { name, policy }],
        })
        .collect()
}

fn context(args: &EvalArgs, errors: &mut Vec<String>) -> Context {
    let mut context = Context::new();
    for pair in &args.context {
        match pair.split_once('=') {
            Some((key, value)) if key.contains(':') => {
                context.push(key, value);
            }
            _ => errors.push(format!(
                "--context `{pair}` is not KEY=VALUE with a prefixed key; write e.g. --context sts:ExternalId=partner-123"
            )),
        }
    }
    context
}

/// The token's claims as condition keys, for a web identity caller.
fn claims(
    args: &EvalArgs,
    caller: Option<&Caller>,
    context: &mut Context,
    errors: &mut Vec<String>,
) {
    let issuer = match caller.map(|c| &c.kind) {
        Some(CallerKind::WebIdentity { issuer }) => issuer,
        _ => {
            if !args.claims.is_empty() {
                errors.push("--claim applies to a web identity: pass --principal arn:aws:iam::ACCOUNT:oidc-provider/ISSUER".to_owned());
            }
            return;
        }
    };
    let mut pairs = Vec::new();
    for pair in &args.claims {
        match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => pairs.push((key.to_owned(), value.to_owned())),
            _ => errors.push(format!(
                "--claim `{pair}` is not KEY=VALUE; write e.g. --claim sub=repo:acme/app:ref:refs/heads/main"
            )),
        }
    }
    for (key, value) in issuers::claim_keys(issuer, &pairs, None) {
        context.push(&key, value);
    }
}

fn named((name, policy): &(String, Policy)) -> NamedPolicy<'_> {
    NamedPolicy { name, policy }
}

/// Runs `xacct policy eval`.
pub(super) fn execute(args: &EvalArgs) -> Exit {
    let mut errors = Vec::new();
    let caller = match Caller::parse(&args.principal) {
        Ok(mut caller) => {
            if let CallerKind::FederatedUser { federated_by, .. } = &mut caller.kind {
                federated_by.clone_from(&args.federated_by);
            }
            caller.unique_id.clone_from(&args.principal_id);
            Some(caller)
        }
        Err(e) => {
            errors.push(format!("--principal {e}"));
            None
        }
    };
    if !args.action.contains(':') && args.action != "*" {
        errors.push(format!(
            "--action `{}` is not service:ActionName; write e.g. sts:AssumeRole",
            args.action
        ));
    }
    if args.resource != "*" && !args.resource.starts_with("arn:") {
        errors.push(format!("--resource `{}` is not an ARN or `*`; write e.g. arn:aws:iam::222222222222:role/s3-viewer", args.resource));
    }
    let mut context = context(args, &mut errors);
    claims(args, caller.as_ref(), &mut context, &mut errors);
    let loaded = load(args, &mut errors);
    let Some(caller) = caller.filter(|_| errors.is_empty()) else {
        return bad_input(&errors, args.output);
    };
    context.fill_from(&caller, SystemClock.now());
    let request = Request {
        caller: &caller,
        action: &args.action,
        resource: &args.resource,
        resource_account: args.resource_account.as_deref(),
        context: &context,
    };
    let policies = Policies {
        identity: loaded.identity.iter().map(named).collect(),
        resource: loaded
            .resource
            .as_ref()
            .map(|(name, policy, _)| NamedPolicy { name, policy }),
        boundary: loaded.boundary.as_ref().map(named),
        session: loaded.session.as_ref().map(named),
        scps: levels(&loaded.scps),
        rcps: levels(&loaded.rcps),
    };
    let evaluation = evaluate(&request, &policies);
    crate::cli::print(&match args.output {
        Output::Text => render::eval::text(&evaluation, &request),
        Output::Json => render::eval::json(&evaluation, &request),
    });
    match evaluation.decision {
        Decision::Allow => Exit::Ok,
        Decision::ExplicitDeny | Decision::ImplicitDeny | Decision::Refused => Exit::Denied,
    }
}
