//! The connection flags every live command shares (`--region`,
//! `--endpoint-url`) are checked before any call: a value the SDK would
//! refuse only at its first request (a region that is not one DNS label,
//! an endpoint without `http://` or `https://`) exits 3 naming the flag,
//! the value, the rule and the fix, for `run`, `creds`, `exec`, `console`
//! and `import` alike, and nothing reaches the endpoint.

use crate::hostile::Hostile;

const ROLE: &str = "arn:aws:iam::222222222222:role/s3-viewer";

/// Each live command, with the arguments it needs besides the flags.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["run", "--role-arn", ROLE],
        vec!["creds", "--no-cache", "--role-arn", ROLE],
        vec!["exec", "--no-cache", "--role-arn", ROLE, "--", "true"],
        vec!["console", "--no-cache", "--print", "--role-arn", ROLE],
        vec!["import", "--live"],
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_or_endpoint_the_sdk_would_refuse_is_refused_before_any_call() {
    let hostile = Hostile::start().await;
    for command in commands() {
        for (flag, value, rule) in [
            (
                "--region",
                "us east 1",
                "lowercase letters, digits and hyphens",
            ),
            (
                "--region",
                "EU-WEST-1",
                "lowercase letters, digits and hyphens",
            ),
            (
                "--endpoint-url",
                "localhost:4566",
                "http:// or https:// URL with a host",
            ),
            (
                "--endpoint-url",
                "ftp://example.com",
                "http:// or https:// URL with a host",
            ),
        ] {
            // Before `exec`'s `--`, after which all is the command's.
            let mut args = command.clone();
            let at = args.iter().position(|a| *a == "--").unwrap_or(args.len());
            args.splice(at..at, [flag, value]);
            // `Hostile::run` appends its own --endpoint-url and --region;
            // clap takes the first of each here, so the bad value is the one
            // checked.
            let (code, stdout, stderr) = hostile.run(&args).await;
            assert_eq!(code, Some(3), "{args:?}: {stdout}{stderr}");
            assert!(
                stderr.contains(flag) && stderr.contains(value) && stderr.contains(rule),
                "{args:?}: {stderr}"
            );
        }
    }
    assert_eq!(hostile.calls().await, 0, "no call reached the endpoint");
}
