//! Import and graph at organization scale: generates
//! `get-account-authorization-details` files for ACCOUNTS accounts of
//! ROLES roles each (default 1,000 × 50 = 50,000 roles, plus users), then
//! times `import` (files to world text), loading the world, and the graph
//! of every edge, and prints the peak resident memory. `cargo bench --bench
//! scale`; `XACCT_SCALE_ACCOUNTS=100` for a quicker run.
//!
//! The trust policies are the common shapes: a hub account's admin and CI
//! roles trusted everywhere, account roots, roles of the same account, a
//! GitHub OIDC provider with a pinned subject, and a partner outside the
//! organization with an external id.

#![allow(missing_docs, reason = "a benchmark binary")]
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its table"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures real elapsed time"
)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark fails loudly on bad fixtures"
)]

use std::fmt::Write as _;
use std::time::Instant;

use serde_json::{Value, json};
use xacct::import::{ImportInputs, import};

const ROLES: usize = 50;
const USERS: usize = 2;

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000 + i)
}

fn allow(action: &str, resource: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
}

fn trust(principal: Value, condition: Option<Value>) -> Value {
    let mut statement =
        json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if let Some(c) = condition {
        statement["Condition"] = c;
        if statement["Principal"].get("Federated").is_some() {
            statement["Action"] = json!("sts:AssumeRoleWithWebIdentity");
        }
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// One account's authorization details, as the AWS CLI prints them.
fn details(a: usize) -> String {
    let id = account(a);
    let hub = account(0);
    let mut roles = Vec::new();
    for r in 0..ROLES {
        let (name, trust_policy, policy) = match r {
            0 => (
                "OrganizationAccountAccessRole".to_owned(),
                trust(json!({"AWS": format!("arn:aws:iam::{hub}:root")}), None),
                allow("*", "*"),
            ),
            1..=9 => (
                format!("deploy-{r}"),
                trust(json!({"AWS": format!("arn:aws:iam::{hub}:role/ci")}), None),
                allow("s3:*", "*"),
            ),
            10..=29 => (
                format!("app-{r}"),
                trust(json!({"AWS": format!("arn:aws:iam::{id}:root")}), None),
                allow("s3:GetObject", "arn:aws:s3:::*"),
            ),
            30..=39 => (
                format!("job-{r}"),
                trust(
                    json!({"AWS": format!("arn:aws:iam::{id}:role/app-{}", r - 20)}),
                    None,
                ),
                allow("sts:AssumeRole", &format!("arn:aws:iam::{id}:role/app-*")),
            ),
            40..=44 => (
                format!("gha-{r}"),
                trust(
                    json!({"Federated": format!("arn:aws:iam::{id}:oidc-provider/token.actions.githubusercontent.com")}),
                    Some(json!({"StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": format!("repo:acme/app-{a}:ref:refs/heads/main")
                    }})),
                ),
                allow("s3:PutObject", "*"),
            ),
            _ => (
                format!("partner-{r}"),
                trust(
                    json!({"AWS": "arn:aws:iam::999999999999:root"}),
                    Some(json!({"StringEquals": {"sts:ExternalId": format!("ext-{a}-{r}")}})),
                ),
                allow("s3:ListBucket", "*"),
            ),
        };
        let role_name = if a == 0 && r == 1 {
            "ci".to_owned()
        } else {
            name
        };
        roles.push(json!({
            "Path": "/", "RoleName": role_name, "Arn": format!("arn:aws:iam::{id}:role/{role_name}"),
            "AssumeRolePolicyDocument": trust_policy,
            "RolePolicyList": [{"PolicyName": "main", "PolicyDocument": policy}],
            "AttachedManagedPolicies": [],
        }));
    }
    let users: Vec<Value> = (0..USERS)
        .map(|u| {
            json!({
                "Path": "/", "UserName": format!("dev-{u}"), "Arn": format!("arn:aws:iam::{id}:user/dev-{u}"),
                "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": allow("sts:AssumeRole", "*")}],
                "GroupList": [], "AttachedManagedPolicies": [],
            })
        })
        .collect();
    json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []})
        .to_string()
}

/// Starts a new peak-memory measurement (Linux: writing 5 to clear_refs
/// resets VmHWM to the current resident size).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs `xacct ARGS` (the release binary this bench was built with),
/// its output to a file, under GNU time (`/usr/bin/time`, in Debian's
/// `time` package): its wall time, its peak resident memory in kB, and its
/// exit code. (`getrusage` of the children would count the pages this
/// process holds when it forks.)
fn command(args: &[&str], out: &std::path::Path) -> (f64, i64, Option<i32>) {
    let report = out.with_extension("time");
    let status = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .stdout(std::fs::File::create(out).expect("output file"))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("/usr/bin/time runs (apt-get install time)");
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let mut words = text
        .split_whitespace()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev();
    let secs = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or(f64::NAN);
    let kb = words.next().and_then(|w| w.parse().ok()).unwrap_or(-1);
    (secs, kb, status.code())
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not run this.
    let accounts: usize = std::env::var("XACCT_SCALE_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let started = Instant::now();
    let mut inputs = ImportInputs {
        name: "scale".to_owned(),
        ..ImportInputs::default()
    };
    for a in 0..accounts {
        inputs
            .auth_details
            .push((format!("account-{a}.json"), details(a)));
    }
    let generated = started.elapsed();
    reset_peak();
    let started = Instant::now();
    let imported = import(&inputs).expect("the generated inputs import");
    let import_time = started.elapsed();
    let import_peak = peak_rss();
    // The planned world: one account's deploy roles now also trust a
    // partner account, and its app roles get ReadOnlyAccess.
    let last = accounts - 1;
    let mut changed = inputs.clone();
    changed.auth_details[last].1 = details(last)
        .replace(
            &format!("\"arn:aws:iam::{}:role/ci\"", account(0)),
            &format!("[\"arn:aws:iam::{}:role/ci\",\"arn:aws:iam::555555555555:root\"]", account(0)),
        )
        .replace(
            "\"AttachedManagedPolicies\":[]",
            "\"AttachedManagedPolicies\":[{\"PolicyName\":\"ReadOnlyAccess\",\"PolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}]",
        );
    changed.name = "planned".to_owned();
    let planned = import(&changed).expect("the planned inputs import");
    drop(inputs);
    drop(changed);
    let dir = tempfile::tempdir().expect("tempdir");
    // XACCT_SCALE_KEEP=DIR keeps the worlds there, to look at them after.
    let keep = std::env::var_os("XACCT_SCALE_KEEP").map(std::path::PathBuf::from);
    let dir_path = keep.clone().unwrap_or_else(|| dir.path().to_owned());
    let path = dir_path.join("scale.yaml");
    std::fs::write(&path, &imported.text).expect("written");
    let planned_path = dir_path.join("planned.yaml");
    std::fs::write(&planned_path, &planned.text).expect("written");
    drop(planned);
    reset_peak();
    let started = Instant::now();
    let loaded = xacct::sim::load(&path).expect("the world loads");
    let load_time = started.elapsed();
    let started = Instant::now();
    let graph = loaded.world.graph();
    let graph_time = started.elapsed();
    let edges = graph.edges().len();
    let peak = peak_rss();
    drop(graph);
    drop(loaded);
    let (a, u, r) = imported.counts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scale: {a} accounts, {u} users, {r} roles ({} MB of world YAML; inputs generated in {:.1} s)",
        imported.text.len() / 1_000_000,
        generated.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "  import (files to checked world text): {:.1} s, peak memory {import_peak} (inputs included)",
        import_time.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "  load the world:                       {:.1} s",
        load_time.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "  graph of every edge:                  {:.1} s ({edges} edges)",
        graph_time.as_secs_f64(),
    );
    let _ = writeln!(out, "  peak memory of load and graph:        {peak}");
    drop(imported);
    // The commands users run, each a process of its own (load included).
    let world = path.to_str().expect("utf-8");
    let hub_user = format!("arn:aws:iam::{}:user/dev-0", account(0));
    let checks = dir_path.join("checks.yaml");
    std::fs::write(
        &checks,
        format!(
            "name: checks\nworld: scale.yaml\nassert:\n  - cannot_reach: {{ from: \"arn:aws:iam::{a1}:user/dev-1\", role: \"arn:aws:iam::{a2}:role/OrganizationAccountAccessRole\" }}\n  - not_reachable_from_outside_org: {{ role: \"arn:aws:iam::{a2}:role/*\" }}\n  - can_assume: {{ role: \"arn:aws:iam::{a2}:role/deploy-1\", only: [\"arn:aws:iam::{hub}:role/ci\"] }}\n",
            a1 = account(1),
            a2 = account(2),
            hub = account(0),
        ),
    )
    .expect("written");
    let output = dir_path.join("out");
    let runs: [(&str, Vec<&str>); 5] = [
        (
            "graph --format json",
            vec!["graph", world, "--format", "json"],
        ),
        ("graph (text)", vec!["graph", world]),
        (
            "graph --from (the hub's user)",
            vec!["graph", world, "--from", &hub_user],
        ),
        (
            "sim (three assertions)",
            vec!["sim", checks.to_str().expect("utf-8")],
        ),
        (
            "diff (grants summary)",
            vec!["diff", world, planned_path.to_str().expect("utf-8")],
        ),
    ];
    let _ = writeln!(
        out,
        "  commands (release binary, each a process: load included):"
    );
    let mut largest = 0;
    for (label, args) in runs {
        let (secs, kb, code) = command(&args, &output);
        largest = largest.max(kb);
        let bytes = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
        let _ = writeln!(
            out,
            "    {label:<32} {secs:>6.1} s, peak {:>5} MB, exit {}, {} kB of output",
            kb / 1024,
            code.map_or_else(|| "signal".to_owned(), |c| c.to_string()),
            bytes / 1024
        );
    }
    let kb = largest;
    let _ = writeln!(
        out,
        "  largest command peak per account: {} kB (so 5,000 accounts need about {:.1} GiB)",
        kb / a as i64,
        kb as f64 * 5000.0 / a as f64 / 1024.0 / 1024.0
    );
    print!("{out}");
}
