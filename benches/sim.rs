//! Scenario throughput: a generated scenario of 1,000 runs in a world of 100
//! accounts with 50 roles each, run through the flow's own code against the
//! simulated world. `cargo bench --bench sim`.

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]
#![allow(
    clippy::expect_used,
    reason = "a benchmark fails loudly on bad fixtures"
)]

use std::fmt::Write as _;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xacct::sim;

const ACCOUNTS: usize = 100;
const ROLES: usize = 50;
const RUNS: usize = 1000;

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000 + i)
}

/// A world of `ACCOUNTS` accounts × `ROLES` roles; user `dev` of each
/// account may assume roles of the next account, whose trust policies name
/// that user (even roles), the whole account (odd roles, with an external id
/// condition), and a run for each (account, role) pair up to `RUNS`.
fn scenario_text() -> String {
    let mut out = String::from("name: generated\nclock: \"2026-01-01T00:00:00Z\"\naccounts:\n");
    for a in 0..ACCOUNTS {
        let prev = account((a + ACCOUNTS - 1) % ACCOUNTS);
        let _ = write!(
            out,
            "  \"{id}\":\n    users:\n      dev:\n        policies:\n          p:\n            Version: \"2012-10-17\"\n            Statement:\n              - {{ Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::*:role/app-*\" }}\n              - {{ Effect: Allow, Action: [\"s3:Get*\", \"s3:List*\"], Resource: \"*\" }}\n              - {{ Effect: Deny, Action: \"iam:*\", Resource: \"*\" }}\n    roles:\n",
            id = account(a)
        );
        for r in 0..ROLES {
            let principal = if r % 2 == 0 {
                format!("arn:aws:iam::{prev}:user/dev")
            } else {
                prev.clone()
            };
            let condition = if r % 2 == 0 {
                String::new()
            } else {
                ", Condition: { StringEquals: { \"sts:ExternalId\": \"ext-1\" } }".to_owned()
            };
            let _ = write!(
                out,
                "      app-{r}:\n        trust_policy: {{ Version: \"2012-10-17\", Statement: [ {{ Effect: Allow, Principal: {{ AWS: \"{principal}\" }}, Action: sts:AssumeRole{condition} }} ] }}\n        policies:\n          read: {{ Version: \"2012-10-17\", Statement: [ {{ Effect: Allow, Action: \"s3:List*\", Resource: \"*\" }} ] }}\n"
            );
        }
        let _ = writeln!(out, "    buckets: [bucket-{a}-1, bucket-{a}-2]");
    }
    out.push_str("runs:\n");
    for i in 0..RUNS {
        let a = i % ACCOUNTS;
        let r = (i / ACCOUNTS) % ROLES;
        let _ = writeln!(
            out,
            "  - {{ as: \"arn:aws:iam::{}:user/dev\", role_arn: \"arn:aws:iam::{}:role/app-{r}\", session_name: run-{i}{} }}",
            account(a),
            account((a + 1) % ACCOUNTS),
            if r % 2 == 1 {
                ", external_id: ext-1"
            } else {
                ""
            }
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = scenario_text();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    group.bench_function("parse and build 100 accounts x 50 roles", |b| {
        b.iter(|| {
            sim::build(
                sim::parse(&text, "generated.yaml").expect("parses"),
                "generated.yaml",
            )
            .expect("builds")
        })
    });
    let loaded = sim::build(
        sim::parse(&text, "generated.yaml").expect("parses"),
        "generated.yaml",
    )
    .expect("builds");
    let outcomes = sim::run_all(&loaded, &rt, 3).expect("runs");
    assert!(
        outcomes.iter().all(|o| o.report.first_error().is_none()),
        "every generated run succeeds"
    );
    group.throughput(Throughput::Elements(RUNS as u64));
    group.bench_function("1000 runs", |b| {
        b.iter(|| sim::run_all(&loaded, &rt, 3).expect("runs"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
