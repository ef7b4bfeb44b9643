//! An Organizations endpoint that never ends its listing (a NextToken that
//! cycles, an OU listed under itself) is stopped with a clear error and
//! exit 5, in bounded time and calls, instead of paging forever.

use std::process::{Command, Stdio};

use wiremock::matchers::{body_string_contains, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{BASE_KEY_ID, BASE_SECRET, STS_IDENTITY_USER, sts};

fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body)
}

async fn answer(server: &MockServer, target: &str, extra: Option<&str>, body: &str) {
    let mut mock = Mock::given(method("POST")).and(header(
        "x-amz-target",
        format!("AWSOrganizationsV20161128.{target}").as_str(),
    ));
    if let Some(text) = extra {
        mock = mock.and(body_string_contains(text));
    }
    mock.respond_with(json(body)).mount(server).await;
}

async fn organization(server: &MockServer) {
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .respond_with(sts(200, STS_IDENTITY_USER))
        .mount(server)
        .await;
    answer(
        server,
        "DescribeOrganization",
        None,
        r#"{"Organization":{"Id":"o-a1b2c3d4e5","MasterAccountId":"111111111111"}}"#,
    )
    .await;
    answer(
        server,
        "ListRoots",
        None,
        r#"{"Roots":[{"Id":"r-ab12","Name":"Root"}]}"#,
    )
    .await;
}

async fn run_org(server: &MockServer) -> (Option<i32>, String) {
    let url = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_xacct"))
            .args([
                "run",
                "--org",
                "--role-name",
                "Audit",
                "--endpoint-url",
                &url,
                "--region",
                "us-east-1",
            ])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", "/nonexistent")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", BASE_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", BASE_SECRET)
            .stdin(Stdio::null())
            .output()
            .expect("xacct runs")
    })
    .await
    .expect("joined");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_token_that_cycles_ends_the_listing_with_exit_5() {
    let server = MockServer::start().await;
    organization(&server).await;
    answer(
        &server,
        "ListOrganizationalUnitsForParent",
        None,
        r#"{"OrganizationalUnits":[]}"#,
    )
    .await;
    let account = r#"{"Id":"222222222222","Name":"a","Status":"ACTIVE"}"#;
    // A -> B -> A -> ...: no page ever ends the listing.
    answer(
        &server,
        "ListAccountsForParent",
        Some(r#""NextToken":"A""#),
        &format!(r#"{{"Accounts":[{account}],"NextToken":"B"}}"#),
    )
    .await;
    answer(
        &server,
        "ListAccountsForParent",
        Some(r#""NextToken":"B""#),
        &format!(r#"{{"Accounts":[{account}],"NextToken":"A"}}"#),
    )
    .await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSOrganizationsV20161128.ListAccountsForParent",
        ))
        .respond_with(json(&format!(
            r#"{{"Accounts":[{account}],"NextToken":"A"}}"#
        )))
        .with_priority(10)
        .mount(&server)
        .await;
    let (code, stderr) = run_org(&server).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("repeated a page token"), "{stderr}");
    let calls = server.received_requests().await.unwrap_or_default().len();
    assert!(calls < 20, "{calls} calls");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ou_listed_under_itself_ends_the_listing_with_exit_5() {
    let server = MockServer::start().await;
    organization(&server).await;
    answer(&server, "ListAccountsForParent", None, r#"{"Accounts":[]}"#).await;
    answer(
        &server,
        "ListOrganizationalUnitsForParent",
        None,
        r#"{"OrganizationalUnits":[{"Id":"ou-ab12-loop0001","Name":"Loop"}]}"#,
    )
    .await;
    let (code, stderr) = run_org(&server).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(
        stderr.contains("gave OU \"ou-ab12-loop0001\" a second time"),
        "{stderr}"
    );
}
