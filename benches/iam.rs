//! Decisions per second of the IAM engine: a realistic AssumeRole check (a
//! 10-statement identity policy and a trust policy with a condition) and a
//! 100-statement policy set. `cargo bench --bench iam`.

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]
#![allow(
    clippy::expect_used,
    reason = "a benchmark fails loudly on bad fixtures"
)]

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use xacct::iam::{Caller, Context, Policy, parse};
use xacct::iam::{NamedPolicy, Policies, Request, evaluate};

fn identity_policy(statements: usize) -> Policy {
    let list: Vec<_> = (0..statements)
        .map(|i| match i % 5 {
            0 => json!({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}),
            1 => json!({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}),
            2 => json!({"Effect": "Deny", "Action": "iam:*", "Resource": format!("arn:aws:iam::111111111111:role/admin-{i}")}),
            3 => json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::bucket-{i}/${{aws:username}}/*")}),
            _ => json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": format!("arn:aws:sqs:*:111111111111:queue-{i}"),
                        "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}),
        })
        .chain(std::iter::once(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/s3-viewer"})))
        .collect();
    parse(&json!({"Version": "2012-10-17", "Statement": list})).expect("valid policy")
}

fn trust_policy() -> Policy {
    parse(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "partner-7f3a"}, "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/*"}}
        }]
    }))
    .expect("valid policy")
}

fn bench(c: &mut Criterion) {
    let caller = Caller::parse("arn:aws:iam::111111111111:user/homes").expect("caller");
    let mut context = Context::new();
    context.set("sts:ExternalId", "partner-7f3a");
    context.fill_from(
        &caller,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
    );
    let request = Request {
        caller: &caller,
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::222222222222:role/s3-viewer",
        resource_account: None,
        context: &context,
    };
    let trust = trust_policy();

    let mut group = c.benchmark_group("assume-role decision");
    group.throughput(Throughput::Elements(1));
    let identity = identity_policy(9);
    let policies = Policies {
        scps: Vec::new(),
        rcps: Vec::new(),
        identity: vec![NamedPolicy {
            name: "identity",
            policy: &identity,
        }],
        resource: Some(NamedPolicy {
            name: "trust",
            policy: &trust,
        }),
        ..Policies::default()
    };
    group.bench_function("10-statement identity + trust with conditions", |b| {
        b.iter(|| evaluate(black_box(&request), black_box(&policies)))
    });
    let large: Vec<Policy> = (0..10).map(|_| identity_policy(9)).collect();
    let policies = Policies {
        scps: Vec::new(),
        rcps: Vec::new(),
        identity: large
            .iter()
            .map(|policy| NamedPolicy {
                name: "identity",
                policy,
            })
            .collect(),
        resource: Some(NamedPolicy {
            name: "trust",
            policy: &trust,
        }),
        ..Policies::default()
    };
    group.bench_function("100-statement policy set", |b| {
        b.iter(|| evaluate(black_box(&request), black_box(&policies)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
