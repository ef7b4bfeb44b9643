//! What a hostile endpoint says reaches the terminal escaped: bucket names
//! and AWS's error message in `xacct run`'s text report, and the same
//! message on stderr. A name or message carrying ESC sequences (clear the
//! screen, retitle the window, colour a forged line) or a line break is
//! shown as escapes, so it can neither act on the terminal nor forge a
//! line of the report.

use wiremock::Mock;
use wiremock::matchers::{body_string_contains, method};

use crate::hostile::Hostile;
use crate::support::sts;

/// A bucket name and an AccessDenied message, each with terminal
/// control sequences and a line that pretends to be the report's, as
/// character references (the SDK's XML reader resolves them).
const EVIL_BUCKET: &str = "evil&#x1b;[2Jbucket&#13;FAKE BUCKET";
const EVIL_MESSAGE: &str = "denied&#10;&#x1b;]0;PWNED&#7;&#x1b;[31mFAKE LINE: all ok";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_strings_reach_the_terminal_escaped_in_the_report_and_on_stderr() {
    let hostile = Hostile::start().await;
    hostile
        .s3_buckets(
            None,
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><Buckets><Bucket><Name>{EVIL_BUCKET}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>"#
            ),
        )
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRole&"))
        .respond_with(sts(
            403,
            &format!(
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{EVIL_MESSAGE}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"#
            ),
        ))
        .mount(&hostile.server)
        .await;
    let (code, stdout, stderr) = hostile
        .run(&[
            "run",
            "--role-arn",
            "arn:aws:iam::222222222222:role/s3-viewer",
        ])
        .await;
    assert_eq!(code, Some(2), "AccessDenied: {stdout}{stderr}");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\r']),
            "{name} carries a raw control character: {text:?}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("FAKE")),
            "{name} has a forged line: {text}"
        );
    }
    assert!(
        stdout.contains(r"evil\u{1b}[2Jbucket\rFAKE BUCKET"),
        "the name is shown, escaped: {stdout}"
    );
    assert!(
        stdout.contains(r"denied\n\u{1b}]0;PWNED\u{7}\u{1b}[31mFAKE LINE: all ok"),
        "AWS's message is shown, escaped: {stdout}"
    );

    // `xacct creds` says the same refusal on stderr, where every error goes.
    let (code, stdout, stderr) = hostile
        .run(&[
            "creds",
            "--no-cache",
            "--role-arn",
            "arn:aws:iam::222222222222:role/s3-viewer",
        ])
        .await;
    assert_eq!(code, Some(2), "AccessDenied: {stdout}{stderr}");
    assert!(
        !stderr.contains(['\u{1b}', '\u{7}']) && !stderr.lines().any(|l| l.starts_with("FAKE")),
        "stderr: {stderr:?}"
    );
    assert!(stderr.contains(r"\u{1b}]0;PWNED\u{7}"), "escaped: {stderr}");
}
