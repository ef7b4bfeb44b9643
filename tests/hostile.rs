//! A hostile endpoint on loopback, shared by the credential, fan-out and
//! import tests: one wiremock server speaking STS, IAM, S3, KMS and
//! Organizations. By default it answers as AWS would for a small account
//! and organization (each answer's shape is AWS's own: the query protocol's
//! XML for STS and IAM, S3's XML, JSON 1.1 for KMS and Organizations, as in
//! `docs/reference/aws-wire-reference.md` and the services' API references).
//! A test then mounts the hostile answer it is about (injected values,
//! page tokens that cycle, an OU under itself, malformed ids, slowness);
//! a test's answer wins over the defaults.

use std::process::{Command, Stdio};
use std::time::Duration;

use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{BASE_KEY_ID, BASE_SECRET, STS_ASSUME_OK, STS_IDENTITY_USER, s3, sts};

/// Where the defaults stand: below every answer a test mounts (wiremock's
/// default priority is 5; 1 wins).
const DEFAULTS: u8 = 200;

/// The Organizations JSON target prefix.
const ORG: &str = "AWSOrganizationsV20161128.";

/// An IAM query-protocol answer for `action` with `result` inside its
/// `...Result` element.
pub(crate) fn iam_body(action: &str, result: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>0d6a1c2b-3e4f-4a5b-8c7d-9e0f1a2b3c4d</RequestId></ResponseMetadata></{action}Response>"#
    )
}

/// A JSON 1.1 answer (Organizations, KMS).
pub(crate) fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body)
}

/// The hostile endpoint.
pub(crate) struct Hostile {
    /// The server (its request log too).
    pub server: MockServer,
}

impl Hostile {
    /// A server answering every call honestly until a test says otherwise.
    pub(crate) async fn start() -> Self {
        let hostile = Self {
            server: MockServer::start().await,
        };
        hostile.defaults().await;
        hostile
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        self.server.uri()
    }

    async fn defaults(&self) {
        let form = |action: &str, answer: ResponseTemplate| {
            Mock::given(method("POST"))
                .and(body_string_contains(format!("Action={action}&").as_str()))
                .respond_with(answer)
                .with_priority(DEFAULTS)
        };
        let iam = |action: &str, result: &str| {
            ResponseTemplate::new(200).set_body_raw(iam_body(action, result), "text/xml")
        };
        for mock in [
            form("GetCallerIdentity", sts(200, STS_IDENTITY_USER)),
            form("AssumeRole", sts(200, STS_ASSUME_OK)),
            form(
                "GetAccountAuthorizationDetails",
                iam(
                    "GetAccountAuthorizationDetails",
                    "<IsTruncated>false</IsTruncated><UserDetailList/><GroupDetailList/><RoleDetailList/><Policies/>",
                ),
            ),
            form(
                "ListRoles",
                iam("ListRoles", "<IsTruncated>false</IsTruncated><Roles/>"),
            ),
            form(
                "ListAccountAliases",
                iam(
                    "ListAccountAliases",
                    "<IsTruncated>false</IsTruncated><AccountAliases/>",
                ),
            ),
            form(
                "ListMFADevices",
                iam(
                    "ListMFADevices",
                    "<IsTruncated>false</IsTruncated><MFADevices/>",
                ),
            ),
            form(
                "ListOpenIDConnectProviders",
                iam("ListOpenIDConnectProviders", "<OpenIDConnectProviderList/>"),
            ),
        ] {
            mock.mount(&self.server).await;
        }
        Mock::given(method("GET"))
            .and(path("/"))
            .respond_with(s3(
                200,
                r#"<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>"#,
            ))
            .with_priority(DEFAULTS)
            .mount(&self.server)
            .await;
        Mock::given(method("POST"))
            .and(header("x-amz-target", "TrentService.ListKeys"))
            .respond_with(json(r#"{"Keys":[],"Truncated":false}"#))
            .with_priority(DEFAULTS)
            .mount(&self.server)
            .await;
        for (target, body) in [
            (
                "DescribeOrganization",
                r#"{"Organization":{"Id":"o-a1b2c3d4e5","MasterAccountId":"111111111111"}}"#,
            ),
            ("ListRoots", r#"{"Roots":[{"Id":"r-ab12","Name":"Root"}]}"#),
            (
                "ListOrganizationalUnitsForParent",
                r#"{"OrganizationalUnits":[]}"#,
            ),
            (
                "ListAccountsForParent",
                r#"{"Accounts":[{"Id":"111111111111","Name":"management","Status":"ACTIVE"},{"Id":"222222222222","Name":"a","Status":"ACTIVE"}]}"#,
            ),
            ("ListPoliciesForTarget", r#"{"Policies":[]}"#),
        ] {
            Mock::given(method("POST"))
                .and(header("x-amz-target", format!("{ORG}{target}").as_str()))
                .respond_with(json(body))
                .with_priority(DEFAULTS)
                .mount(&self.server)
                .await;
        }
    }

    /// Organizations answers `target` (when the request body holds `when`,
    /// if given) with `body`.
    pub(crate) async fn org(&self, target: &str, when: Option<&str>, body: &str) {
        self.org_answer(target, when, json(body)).await;
    }

    /// Organizations answers `target` with `body` when no other answer a
    /// test mounted matches (the first page of a listing, say).
    pub(crate) async fn org_otherwise(&self, target: &str, body: &str) {
        Mock::given(method("POST"))
            .and(header("x-amz-target", format!("{ORG}{target}").as_str()))
            .respond_with(json(body))
            .with_priority(10)
            .mount(&self.server)
            .await;
    }

    /// Organizations answers `target` after `delay`.
    pub(crate) async fn org_slow(&self, target: &str, delay: Duration, body: &str) {
        self.org_answer(target, None, json(body).set_delay(delay))
            .await;
    }

    async fn org_answer(&self, target: &str, when: Option<&str>, answer: ResponseTemplate) {
        let mut mock = Mock::given(method("POST"))
            .and(header("x-amz-target", format!("{ORG}{target}").as_str()));
        if let Some(text) = when {
            mock = mock.and(body_string_contains(text));
        }
        mock.respond_with(answer).mount(&self.server).await;
    }

    /// IAM answers `action` (when the form holds `when`, if given) with
    /// `result` inside its `...Result` element.
    pub(crate) async fn iam(&self, action: &str, when: Option<&str>, result: &str) {
        let mut mock = Mock::given(method("POST"))
            .and(body_string_contains(format!("Action={action}&").as_str()));
        if let Some(text) = when {
            mock = mock.and(body_string_contains(text));
        }
        mock.respond_with(
            ResponseTemplate::new(200).set_body_raw(iam_body(action, result), "text/xml"),
        )
        .mount(&self.server)
        .await;
    }

    /// IAM answers `action` with `result` when no other answer a test
    /// mounted matches (the first page of a listing, say).
    pub(crate) async fn iam_otherwise(&self, action: &str, result: &str) {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("Action={action}&").as_str()))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(iam_body(action, result), "text/xml"),
            )
            .with_priority(10)
            .mount(&self.server)
            .await;
    }

    /// STS answers AssumeRole with `body`.
    pub(crate) async fn assume_role(&self, body: &str) {
        Mock::given(method("POST"))
            .and(body_string_contains("Action=AssumeRole&"))
            .respond_with(sts(200, body))
            .mount(&self.server)
            .await;
    }

    /// STS answers AssumeRole only after `delay`.
    pub(crate) async fn assume_role_slow(&self, delay: Duration) {
        Mock::given(method("POST"))
            .and(body_string_contains("Action=AssumeRole&"))
            .respond_with(sts(200, STS_ASSUME_OK).set_delay(delay))
            .mount(&self.server)
            .await;
    }

    /// S3 answers ListBuckets (when its `continuation-token` is `token`,
    /// else the first page) with `body`.
    pub(crate) async fn s3_buckets(&self, token: Option<&str>, body: &str) {
        let mut mock = Mock::given(method("GET")).and(path("/"));
        match token {
            Some(token) => mock = mock.and(query_param("continuation-token", token)),
            None => mock = mock.and(query_param_is_missing("continuation-token")),
        }
        mock.respond_with(s3(200, body)).mount(&self.server).await;
    }

    /// How many requests it has answered.
    pub(crate) async fn calls(&self) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .len()
    }

    /// Runs [`Hostile::xacct`] off the async runtime (the endpoint answers
    /// meanwhile): the exit code, stdout and stderr.
    pub(crate) async fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut command = self.xacct(args);
        let out = tokio::task::spawn_blocking(move || command.output().expect("xacct runs"))
            .await
            .expect("joined");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `xacct ARGS --endpoint-url URL --region us-east-1`, with the base
    /// keys in the environment and nothing else of the machine's.
    pub(crate) fn xacct(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xacct"));
        command
            .args(args)
            .args(["--endpoint-url", &self.url(), "--region", "us-east-1"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", "/nonexistent")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", BASE_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", BASE_SECRET)
            .stdin(Stdio::null());
        command
    }
}
