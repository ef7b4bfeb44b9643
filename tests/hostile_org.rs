//! An Organizations endpoint that never ends its listing (a NextToken that
//! cycles, pages without end, an OU listed under itself, more accounts
//! than the cap) is stopped with a clear error and exit 5, in bounded time
//! and calls, instead of paging forever; a bucket listing that cycles
//! fails its account with the reason; and Ctrl-C ends a listing that hangs
//! at once (exit 130).

use std::time::Duration;

use crate::hostile::Hostile;

/// `xacct run --org --role-name Audit ARGS` against the endpoint: the exit
/// code, and stdout then stderr.
async fn run_org(hostile: &Hostile, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["run", "--org", "--role-name", "Audit"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = hostile.run(&all).await;
    (code, format!("{stdout}{stderr}"))
}

const ACCOUNT: &str = r#"{"Id":"222222222222","Name":"a","Status":"ACTIVE"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_token_that_cycles_ends_the_listing_with_exit_5() {
    let hostile = Hostile::start().await;
    // A -> B -> A -> ...: no page ever ends the listing.
    let page = |next: &str| format!(r#"{{"Accounts":[{ACCOUNT}],"NextToken":"{next}"}}"#);
    hostile
        .org(
            "ListAccountsForParent",
            Some(r#""NextToken":"A""#),
            &page("B"),
        )
        .await;
    hostile
        .org(
            "ListAccountsForParent",
            Some(r#""NextToken":"B""#),
            &page("A"),
        )
        .await;
    hostile
        .org_otherwise("ListAccountsForParent", &page("A"))
        .await;
    let (code, stderr) = run_org(&hostile, &[]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("repeated a page token"), "{stderr}");
    assert!(hostile.calls().await < 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_past_the_page_cap_ends_with_exit_5_naming_the_flag() {
    let hostile = Hostile::start().await;
    // A fresh token on every page: only the cap ends it.
    for n in 0..10 {
        let when = format!(r#""NextToken":"t{n}""#);
        let body = format!(r#"{{"Accounts":[{ACCOUNT}],"NextToken":"t{}"}}"#, n + 1);
        hostile
            .org("ListAccountsForParent", Some(&when), &body)
            .await;
    }
    hostile
        .org_otherwise(
            "ListAccountsForParent",
            &format!(r#"{{"Accounts":[{ACCOUNT}],"NextToken":"t0"}}"#),
        )
        .await;
    let (code, stderr) = run_org(&hostile, &["--max-pages", "5"]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("went past 5 pages"), "{stderr}");
    assert!(stderr.contains("raise --max-pages"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_accounts_than_the_cap_end_the_listing_with_exit_5() {
    let hostile = Hostile::start().await;
    let accounts: Vec<String> = (1..=5)
        .map(|n| format!(r#"{{"Id":"33333333333{n}","Name":"n{n}","Status":"ACTIVE"}}"#))
        .collect();
    hostile
        .org(
            "ListAccountsForParent",
            None,
            &format!(r#"{{"Accounts":[{}]}}"#, accounts.join(",")),
        )
        .await;
    let (code, stderr) = run_org(&hostile, &["--max-accounts", "3"]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(
        stderr.contains("listed more than 3 accounts") && stderr.contains("raise --max-accounts"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ou_listed_under_itself_ends_the_listing_with_exit_5() {
    let hostile = Hostile::start().await;
    hostile
        .org(
            "ListOrganizationalUnitsForParent",
            None,
            r#"{"OrganizationalUnits":[{"Id":"ou-ab12-loop0001","Name":"Loop"}]}"#,
        )
        .await;
    let (code, stderr) = run_org(&hostile, &[]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(
        stderr.contains("gave OU \"ou-ab12-loop0001\" a second time"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_ends_a_listing_that_hangs_at_once_with_exit_130() {
    let hostile = Hostile::start().await;
    // Each page takes ten minutes: only Ctrl-C can end the run in time.
    hostile
        .org_slow(
            "ListAccountsForParent",
            Duration::from_secs(600),
            r#"{"Accounts":[]}"#,
        )
        .await;
    let mut child = hostile
        .xacct(&["run", "--org", "--role-name", "Audit"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xacct starts");
    // Once the listing is under way (the slow call was made), Ctrl-C.
    for _ in 0..200 {
        let listed = hostile
            .server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .any(|r| {
                r.headers
                    .get("x-amz-target")
                    .is_some_and(|t| t.as_bytes().ends_with(b"ListAccountsForParent"))
            });
        if listed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = child.id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status();
    let out = tokio::task::spawn_blocking(move || {
        for _ in 0..400 {
            if let Ok(Some(_)) = child.try_wait() {
                return child.wait_with_output().ok();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        None
    })
    .await
    .expect("joined")
    .expect("xacct ended within 20 s of Ctrl-C");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted before any account was entered"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_listing_whose_token_cycles_fails_its_account_not_the_run() {
    let hostile = Hostile::start().await;
    let page = |next: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><Buckets><Bucket><Name>b-{next}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets><ContinuationToken>{next}</ContinuationToken></ListAllMyBucketsResult>"#
        )
    };
    hostile.s3_buckets(None, &page("A")).await;
    hostile.s3_buckets(Some("A"), &page("B")).await;
    hostile.s3_buckets(Some("B"), &page("A")).await;
    let (code, stderr) = run_org(&hostile, &["--output", "json"]).await;
    // The one account entered fails with the reason; the run reports it.
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("ListBuckets repeated a page token"),
        "{stderr}"
    );
    assert!(hostile.calls().await < 30);
}
