//! Teaching narration of a scenario: the world and who trusts whom, then
//! each run step by step (the call, who makes it, the decision and why with
//! the deciding policy statement, the result), then the linter's findings.
//! Plain text that fits the terminal's width, or 80 columns when not on a
//! terminal (a word too long for a line, such as an ARN or a policy
//! excerpt, stands whole on its own, and a JSON string is never split);
//! colour only when asked for.

use crate::iam::{Effect, Finding, PrincipalName, Principals, parse_text};
use crate::sim::{CallRecord, Loaded, RunOutcome};

/// Text styles (all empty when colour is off) and the width to wrap to.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    bold: &'static str,
    green: &'static str,
    red: &'static str,
    dim: &'static str,
    reset: &'static str,
    width: usize,
}

impl Style {
    /// ANSI colours, or none.
    pub fn new(colour: bool) -> Self {
        if colour {
            Self {
                bold: "\x1b[1m",
                green: "\x1b[32m",
                red: "\x1b[31m",
                dim: "\x1b[2m",
                reset: "\x1b[0m",
                width: WIDTH,
            }
        } else {
            Self {
                bold: "",
                green: "",
                red: "",
                dim: "",
                reset: "",
                width: WIDTH,
            }
        }
    }

    /// `text` wrapped to this style's width (see [`wrap`]).
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        super::wrap::wrap(text, indent, self.width)
    }

    /// The same style wrapping to `columns` (a terminal's width), at least
    /// [`MIN_WIDTH`].
    pub fn width(self, columns: usize) -> Self {
        Self {
            width: columns.max(MIN_WIDTH),
            ..self
        }
    }
}

/// The width narration wraps to when not on a terminal.
pub const WIDTH: usize = 80;

/// The narrowest width narration wraps to, however narrow the terminal.
pub const MIN_WIDTH: usize = 40;

fn short(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts[..] {
        [_, _, _, _, account, resource] if !account.is_empty() => format!("{resource} ({account})"),
        _ => arn.to_owned(),
    }
}

/// "policies: a, b", or `none` when there are none.
fn names(policies: &[(String, String)], none: &str) -> String {
    if policies.is_empty() {
        none.to_owned()
    } else {
        let names: Vec<&str> = policies.iter().map(|(n, _)| n.as_str()).collect();
        format!("policies: {}", names.join(", "))
    }
}

/// The world and who trusts whom.
pub fn world(loaded: &Loaded, s: Style) -> String {
    let mut out = format!(
        "{}THE WORLD{} (region {})\n",
        s.bold,
        s.reset,
        loaded.world.region()
    );
    let inventory = loaded.world.inventory();
    for account in &inventory.accounts {
        let alias = account
            .alias
            .as_ref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        out.push_str(&format!("  account {}{alias}\n", account.id));
        for provider in &account.oidc_providers {
            out.push_str(&s.wrap(
                &format!(
                    "OIDC provider {}  (audiences: {})",
                    provider.url,
                    provider.client_ids.join(", ")
                ),
                4,
            ));
        }
        for user in &account.users {
            let mfa = if account.mfa_devices.iter().any(|d| d.user == user.name) {
                ", MFA device"
            } else {
                ""
            };
            let list = names(&user.inline, "no policies");
            out.push_str(&s.wrap(&format!("user {}  ({list}{mfa})", user.name), 4));
        }
        for role in &account.roles {
            let list = names(&role.inline, "no permission policies");
            out.push_str(&s.wrap(
                &format!(
                    "role {}  ({list}; sessions up to {}s)",
                    role.name, role.max_session_duration
                ),
                4,
            ));
        }
        for bucket in &account.buckets {
            out.push_str(&format!("    bucket {bucket}\n"));
        }
    }
    out.push_str(&format!(
        "\n{}WHO MAY ASSUME WHICH ROLE{} (trust policies)\n",
        s.bold, s.reset
    ));
    for account in &inventory.accounts {
        for role in &account.roles {
            // The world wrote this document from a parsed policy.
            let Ok(trust) = parse_text(&role.trust) else {
                continue;
            };
            for statement in trust
                .statements
                .iter()
                .filter(|st| st.effect == Effect::Allow)
            {
                let conditions = if statement.conditions.is_empty() {
                    String::new()
                } else {
                    let keys: Vec<String> = statement
                        .conditions
                        .iter()
                        .map(|c| format!("{} {}", c.operator_name, c.key))
                        .collect();
                    format!("  if {}", keys.join(" and "))
                };
                let who: Vec<String> = match &statement.principals {
                    Some(Principals::Only(values)) => values
                        .iter()
                        .map(|v| match &v.name {
                            PrincipalName::Anyone => "ANYONE (*)".to_owned(),
                            PrincipalName::AnyAccount => "every account".to_owned(),
                            PrincipalName::Account(a) => {
                                format!("any principal of {a} allowed by its own policies")
                            }
                            _ => short(&v.raw),
                        })
                        .collect(),
                    Some(Principals::AllBut(values)) => vec![format!(
                        "everyone except {}",
                        values
                            .iter()
                            .map(|v| short(&v.raw))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )],
                    None => Vec::new(),
                };
                for w in who {
                    out.push_str(&s.wrap(
                        &format!(
                            "{w} --may assume--> role/{} ({}){conditions}",
                            role.name, account.id
                        ),
                        2,
                    ));
                }
            }
        }
    }
    out
}

fn call(i: usize, record: &CallRecord, s: Style) -> String {
    let target = record
        .target
        .as_ref()
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    let mut out = s.wrap(
        &format!("{}{}. {}{target}{}", s.bold, i, record.operation, s.reset),
        2,
    );
    out.push_str(&s.wrap(&format!("as {}", record.caller), 5));
    let (verdict, colour) = match &record.outcome {
        Ok(_) => ("ALLOWED", s.green),
        Err(_) => ("REFUSED", s.red),
    };
    if let Some(why) = &record.why {
        out.push_str(&s.wrap(&format!("{colour}{verdict}{}: {}", s.reset, why.summary), 5));
        for detail in &why.details() {
            out.push_str(&s.wrap(&format!("{}{detail}{}", s.dim, s.reset), 7));
        }
    } else {
        out.push_str(&s.wrap(&format!("{colour}{verdict}{}", s.reset), 5));
    }
    match &record.outcome {
        Ok(result) => out.push_str(&s.wrap(&format!("-> {result}"), 5)),
        Err(e) => out.push_str(&s.wrap(
            &format!("-> {} (HTTP {}): {}", e.code, e.status, e.message),
            5,
        )),
    }
    out
}

/// The calls of a log, step by step (GetCallerIdentity left out: it is
/// always allowed and only names the caller).
pub fn calls(log: &[CallRecord], s: Style) -> String {
    log.iter()
        .filter(|r| r.operation != "sts:GetCallerIdentity")
        .enumerate()
        .map(|(i, record)| call(i + 1, record, s))
        .collect()
}

/// One run, step by step.
pub fn run(index: usize, outcome: &RunOutcome, s: Style) -> String {
    let mut out = format!(
        "\n{}RUN {}: {}{}\n",
        s.bold,
        index + 1,
        outcome.run,
        s.reset
    );
    let steps = outcome
        .log
        .iter()
        .filter(|r| r.operation != "sts:GetCallerIdentity");
    for (i, record) in steps.enumerate() {
        out.push_str(&call(i + 1, record, s));
    }
    if outcome.mismatches.is_empty() {
        out.push_str(&format!(
            "  {}as the scenario expects{}\n",
            s.green, s.reset
        ));
    } else {
        for m in &outcome.mismatches {
            out.push_str(&s.wrap(
                &format!(
                    "{}NOT as expected{}: {} expected {}, got {}",
                    s.red, s.reset, m.field, m.expected, m.got
                ),
                2,
            ));
        }
    }
    out
}

/// The linter's findings.
pub fn findings(findings: &[Finding], s: Style) -> String {
    let mut out = format!("\n{}WHAT THE LINTER SAYS{}\n", s.bold, s.reset);
    if findings.is_empty() {
        out.push_str("  no findings\n");
    }
    for f in findings {
        out.push_str(&s.wrap(&format!("{} {} at {}", f.severity, f.rule, f.policy), 2));
        out.push_str(&s.wrap(&f.message, 4));
    }
    out
}

/// A whole scenario: title, description, the world, each run, the linter's
/// findings; and whether every run went as the scenario expects.
pub fn scenario(
    loaded: &Loaded,
    outcomes: &[RunOutcome],
    findings_found: &[Finding],
    graph: (&crate::sim::Graph, &[crate::sim::GraphFinding]),
    style: Style,
) -> (String, bool) {
    let s = &loaded.scenario;
    let title = format!("xacct demo: {}", s.name);
    let mut out = format!("{}\n{}\n", title, "=".repeat(title.len()));
    if let Some(d) = &s.description {
        out.push_str(&style.wrap(d, 0));
    }
    out.push('\n');
    out.push_str(&world(loaded, style));
    for (i, o) in outcomes.iter().enumerate() {
        out.push_str(&run(i, o, style));
    }
    out.push_str(&findings(findings_found, style));
    out.push_str(&format!(
        "\n{}WHO CAN ASSUME WHAT{}\n",
        style.bold, style.reset
    ));
    out.push_str(&style.wrap(
        "Each edge decided by the IAM engine; `xacct graph --format svg` draws it.",
        2,
    ));
    for line in super::graph::text(graph.0, graph.1).lines() {
        out.push_str(&style.wrap(line, 2));
    }
    (out, outcomes.iter().all(|o| o.mismatches.is_empty()))
}
