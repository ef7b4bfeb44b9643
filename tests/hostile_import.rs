//! `xacct import` reading live from a hostile endpoint: IAM and
//! Organizations listings whose page tokens cycle, an OU under itself and
//! an account id that is a path end the read with an error naming them,
//! in bounded calls; the endpoint's honest answers import.

use crate::hostile::Hostile;

/// `xacct import --live ARGS` against the endpoint: exit code, stdout, stderr.
async fn import(hostile: &Hostile, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["import", "--live"];
    all.extend_from_slice(args);
    hostile.run(&all).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_honest_answers_import() {
    let hostile = Hostile::start().await;
    let (code, world, stderr) = import(&hostile, &["--org"]).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(world.contains("111111111111"), "{world}");
    assert!(world.contains("o-a1b2c3d4e5"), "{world}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_authorization_details_whose_marker_cycles_end_the_read() {
    let hostile = Hostile::start().await;
    let page = |marker: &str| {
        format!(
            "<IsTruncated>true</IsTruncated><Marker>{marker}</Marker><UserDetailList/><GroupDetailList/><RoleDetailList/><Policies/>"
        )
    };
    hostile
        .iam(
            "GetAccountAuthorizationDetails",
            Some("Marker=A"),
            &page("B"),
        )
        .await;
    hostile
        .iam(
            "GetAccountAuthorizationDetails",
            Some("Marker=B"),
            &page("A"),
        )
        .await;
    hostile
        .iam_otherwise("GetAccountAuthorizationDetails", &page("A"))
        .await;
    let (code, _, stderr) = import(&hostile, &[]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(
        stderr.contains("GetAccountAuthorizationDetails repeated a page token"),
        "{stderr}"
    );
    assert!(hostile.calls().await < 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_that_loops_or_names_a_path_is_refused() {
    let hostile = Hostile::start().await;
    hostile
        .org(
            "ListOrganizationalUnitsForParent",
            None,
            r#"{"OrganizationalUnits":[{"Id":"ou-ab12-loop0001","Name":"Loop"}]}"#,
        )
        .await;
    let (code, _, stderr) = import(&hostile, &["--org"]).await;
    assert_eq!(code, Some(5), "{stderr}");
    assert!(
        stderr.contains("gave \"ou-ab12-loop0001\" a second time"),
        "{stderr}"
    );

    let hostile = Hostile::start().await;
    hostile
        .org(
            "ListAccountsForParent",
            None,
            r#"{"Accounts":[{"Id":"../../etc\u001b[2J","Name":"x","Status":"ACTIVE"}]}"#,
        )
        .await;
    let (code, world, stderr) = import(&hostile, &["--org"]).await;
    assert_eq!(code, Some(6), "an answer AWS never gives: {stderr}");
    assert!(stderr.contains("which is not 12 digits"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "the escape is shown escaped: {stderr}"
    );
    assert!(world.is_empty());
}
