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
