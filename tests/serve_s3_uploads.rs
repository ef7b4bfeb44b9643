//! ListMultipartUploads through the real aws-sdk-s3 against `xacct serve`
//! (S3 API Reference, ListMultipartUploads): the uploads in progress by
//! key, then by when each was initiated, each named with its initiator
//! and owner; paged by `key-marker` and `upload-id-marker` so that a page
//! of one walks every upload once; rolled up by a delimiter; refused
//! without `s3:ListBucketMultipartUploads`, as S3 refuses it.

use crate::serve_s3_wire::{WORLD, client, client_as, code, serve_world};

/// [`WORLD`] with a user `lister` of the same account, allowed to list
/// the bucket but not its uploads.
fn world() -> String {
    WORLD.replace(
        "    buckets:\n",
        "      lister:\n        policies:\n          p: { Version: \"2012-10-17\", Statement: [ { Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\" } ] }\n    buckets:\n",
    )
}

type Listed = Vec<(String, String)>;

fn listed(
    out: &aws_sdk_s3::operation::list_multipart_uploads::ListMultipartUploadsOutput,
) -> Listed {
    out.uploads()
        .iter()
        .map(|u| {
            (
                u.key().unwrap_or_default().to_owned(),
                u.upload_id().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_in_progress_are_listed_paged_and_rolled_up_as_s3_does() {
    let (loaded, server) = serve_world(&world(), None).await;
    let url = format!("http://{}", server.addr);
    let s3 = client(&loaded, &url, "us-east-1").await;
    let mut started = Vec::new();
    for key in ["logs/b", "logs/a", "top", "logs/a"] {
        let out = s3
            .create_multipart_upload()
            .bucket("home")
            .key(key)
            .send()
            .await
            .expect("create");
        started.push((key.to_owned(), out.upload_id().expect("id").to_owned()));
    }

    let all = s3
        .list_multipart_uploads()
        .bucket("home")
        .send()
        .await
        .expect("list");
    let keys: Vec<&str> = all.uploads().iter().filter_map(|u| u.key()).collect();
    assert_eq!(keys, ["logs/a", "logs/a", "logs/b", "top"]);
    let mut expected = started.clone();
    expected.sort();
    let mut got = listed(&all);
    got.sort();
    assert_eq!(got, expected, "each upload once, with its id");
    let first = &all.uploads()[0];
    assert_eq!(
        first.initiator().and_then(|i| i.id()),
        Some("arn:aws:iam::111111111111:user/ops")
    );
    assert_eq!(first.owner().and_then(|o| o.id()).map(str::len), Some(64));
    assert_eq!(first.owner().and_then(|o| o.display_name()), None);
    assert_eq!(first.storage_class().map(|c| c.as_str()), Some("STANDARD"));
    // S3 keeps `Initiated` to the second.
    assert_eq!(first.initiated().map(|t| t.subsec_nanos()), Some(0));
    // No `Prefix` was asked, and none is echoed.
    assert_eq!(all.prefix(), None);
    assert_eq!(
        (all.is_truncated(), all.max_uploads()),
        (Some(false), Some(1000))
    );
    // The last upload taken in, though nothing follows (as S3 answers).
    let last = listed(&all).pop().expect("one");
    assert_eq!(all.next_key_marker(), Some(last.0.as_str()));
    assert_eq!(all.next_upload_id_marker(), Some(last.1.as_str()));

    // A page of one at a time, each going on from the last.
    let mut walked = Vec::new();
    let (mut key_marker, mut id_marker) = (None::<String>, None::<String>);
    loop {
        let page = s3
            .list_multipart_uploads()
            .bucket("home")
            .max_uploads(1)
            .set_key_marker(key_marker.clone())
            .set_upload_id_marker(id_marker.clone())
            .send()
            .await
            .expect("page");
        walked.extend(listed(&page));
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        id_marker = page.next_upload_id_marker().map(str::to_owned);
        assert!(walked.len() <= 4, "{walked:?}");
    }
    assert_eq!(walked, listed(&all), "every upload once, in order");

    // A key marker alone goes on after every upload of that key; one
    // that names no upload's key works as well.
    let after_a = s3
        .list_multipart_uploads()
        .bucket("home")
        .key_marker("logs/a")
        .send()
        .await
        .expect("after");
    let keys: Vec<&str> = after_a.uploads().iter().filter_map(|u| u.key()).collect();
    assert_eq!(keys, ["logs/b", "top"]);
    let from_m = s3
        .list_multipart_uploads()
        .bucket("home")
        .key_marker("m")
        .send()
        .await
        .expect("after m");
    assert_eq!(listed(&from_m).len(), 1);

    let rolled = s3
        .list_multipart_uploads()
        .bucket("home")
        .delimiter("/")
        .send()
        .await
        .expect("rolled");
    let prefixes: Vec<&str> = rolled
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(prefixes, ["logs/"]);
    assert_eq!(
        rolled
            .uploads()
            .iter()
            .filter_map(|u| u.key())
            .collect::<Vec<_>>(),
        ["top"]
    );
    assert_eq!(rolled.delimiter(), Some("/"));
    let under = s3
        .list_multipart_uploads()
        .bucket("home")
        .prefix("logs/")
        .send()
        .await
        .expect("under logs/");
    assert_eq!(under.prefix(), Some("logs/"));
    assert_eq!(listed(&under).len(), 3);

    // Aborted, an upload leaves the listing.
    let (key, id) = &started[2];
    s3.abort_multipart_upload()
        .bucket("home")
        .key(key)
        .upload_id(id)
        .send()
        .await
        .expect("abort");
    let after_abort = s3
        .list_multipart_uploads()
        .bucket("home")
        .send()
        .await
        .expect("list");
    assert!(!listed(&after_abort).contains(&started[2]));
    assert_eq!(listed(&after_abort).len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_uploads_needs_its_own_permission_and_a_bucket() {
    let (loaded, server) = serve_world(&world(), None).await;
    let url = format!("http://{}", server.addr);
    let lister_keys = xacct::sim::credentials_for(
        &loaded,
        &xacct::sim::Starter {
            arn: "arn:aws:iam::111111111111:user/lister",
            ..Default::default()
        },
    )
    .expect("creds");
    let lister = client_as(&loaded, &url, "us-east-1", lister_keys).await;
    // s3:ListBucket lists the objects, not the uploads in progress.
    assert!(lister.list_objects_v2().bucket("home").send().await.is_ok());
    assert_eq!(
        code(lister.list_multipart_uploads().bucket("home").send().await),
        "AccessDenied"
    );
    let ops = client(&loaded, &url, "us-east-1").await;
    assert_eq!(
        code(ops.list_multipart_uploads().bucket("nowhere").send().await),
        "NoSuchBucket"
    );
    let empty = ops
        .list_multipart_uploads()
        .bucket("home")
        .send()
        .await
        .expect("empty");
    assert!(empty.uploads().is_empty());
    assert_eq!(empty.is_truncated(), Some(false));
}
