//! A listed object's `Owner` (S3 API Reference, ListObjects and
//! ListObjectsV2): ListObjects (V1) lists each object's owner, ListObjectsV2
//! only under `fetch-owner=true` ("The Owner field is not present in
//! ListObjectsV2 by default"). The ID is the owning account's canonical user
//! id, the one ListBuckets gives that account; no `DisplayName`, which S3
//! stopped sending in October 2025.

use aws_sdk_s3::primitives::ByteStream;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listed_objects_name_their_owner_as_list_buckets_names_the_account() {
    let yaml = crate::serve_s3_wire::WORLD.replace(
        "      - name: home\n",
        "      - name: home\n        objects: [ a.txt ]\n",
    );
    let (loaded, server) = crate::serve_s3_wire::serve_world(&yaml, None).await;
    let s3 = crate::serve_s3_wire::client(&loaded, &format!("http://{}", server.addr), "us-east-1")
        .await;
    s3.put_object()
        .bucket("home")
        .key("b.txt")
        .body(ByteStream::from_static(b"b"))
        .send()
        .await
        .expect("put");
    let account = s3.list_buckets().send().await.expect("buckets");
    let id = account
        .owner()
        .and_then(|o| o.id())
        .expect("Owner.ID")
        .to_owned();
    assert_eq!(id.len(), 64, "{id}");

    let v1 = s3.list_objects().bucket("home").send().await.expect("v1");
    let owners: Vec<(Option<&str>, Option<&str>, Option<&str>)> = v1
        .contents()
        .iter()
        .map(|o| {
            let owner = o.owner();
            (
                o.key(),
                owner.and_then(|o| o.id()),
                owner.and_then(|o| o.display_name()),
            )
        })
        .collect();
    assert_eq!(
        owners,
        [
            (Some("a.txt"), Some(id.as_str()), None),
            (Some("b.txt"), Some(id.as_str()), None)
        ]
    );

    let plain = s3
        .list_objects_v2()
        .bucket("home")
        .send()
        .await
        .expect("v2");
    assert_eq!(plain.contents().len(), 2);
    assert!(plain.contents().iter().all(|o| o.owner().is_none()));
    let fetched = s3
        .list_objects_v2()
        .bucket("home")
        .fetch_owner(true)
        .send()
        .await
        .expect("v2 fetch-owner");
    let ids: Vec<Option<&str>> = fetched
        .contents()
        .iter()
        .map(|o| o.owner().and_then(|o| o.id()))
        .collect();
    assert_eq!(ids, [Some(id.as_str()), Some(id.as_str())]);
    server.stop().await;
}

/// An upload's `Initiator` is its creator's ARN, or an account root's
/// canonical id ("If the principal is an AWS account, it provides the
/// Canonical User ID. If the principal is an IAM User, it provides a user
/// ARN value", S3 API Reference, Initiator).
#[test]
fn an_uploads_initiator_is_a_users_arn_or_a_roots_canonical_id() {
    use xacct::sim::{self, MultipartAnswer, MultipartCall, PartsPage, Starter, UploadRef};
    let loaded = sim::build(
        sim::parse(crate::serve_s3_wire::WORLD, "owner.yaml").expect("parses"),
        "owner.yaml",
    )
    .expect("builds");
    let initiator = |arn: &str| {
        let creds = sim::credentials_for(
            &loaded,
            &Starter {
                arn,
                ..Default::default()
            },
        )
        .expect("creds");
        let who = loaded
            .world
            .authenticate(&creds, sim::Service::S3)
            .expect("authenticated");
        let at = xacct::cloud::ObjectKey {
            bucket: "home".to_owned(),
            key: "big".to_owned(),
        };
        let create = MultipartCall::Create {
            at: at.clone(),
            acl: None,
            kms_key: None,
            headers: xacct::cloud::ObjectHeaders::default(),
        };
        let upload_id = match loaded
            .world
            .call(&who, sim::Request::Multipart(create))
            .result
        {
            Ok(sim::Response::Multipart(MultipartAnswer::Created { upload_id, .. })) => upload_id,
            other => panic!("{:?}", other.err().map(|e| e.code)),
        };
        let list = MultipartCall::ListParts(UploadRef { at, upload_id }, PartsPage::default());
        match loaded
            .world
            .call(&who, sim::Request::Multipart(list))
            .result
        {
            Ok(sim::Response::Multipart(MultipartAnswer::Parts(list))) => {
                (list.initiator, list.owner)
            }
            other => panic!("{:?}", other.err().map(|e| e.code)),
        }
    };
    let (by_user, owner) = initiator("arn:aws:iam::111111111111:user/ops");
    assert_eq!(by_user, "arn:aws:iam::111111111111:user/ops");
    let (by_root, root_owner) = initiator("arn:aws:iam::111111111111:root");
    assert_eq!(by_root, owner, "the root's canonical id is its account's");
    assert_eq!(root_owner, owner);
    assert_eq!(owner.len(), 64);
}
