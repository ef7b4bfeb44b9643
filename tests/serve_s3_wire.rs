//! The real aws-sdk-s3 against `xacct serve` for what a test suite writing
//! to S3 needs: a multipart upload (and S3's refusals of bad ones),
//! virtual-hosted addressing as the SDK sends it to `http://localhost`,
//! a request signed for another region (accepted, and redirected for a
//! bucket elsewhere, as S3 does), the SDK's checksums and `Content-MD5`
//! checked, and the store's size cap.

use std::sync::Arc;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_smithy_async::time::StaticTimeSource;
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns};
use xacct::serve::{Endpoint, Limits, Logger, Running, start};
use xacct::sim::{self, Loaded, Starter};

/// One account with a user `ops` allowed all of S3, and buckets `home`
/// (the world's region) and `faraway` (eu-west-1).
pub(crate) const WORLD: &str = r#"
name: s3-wire
clock: "2026-01-01T00:00:00Z"
region: us-east-1
accounts:
  "111111111111":
    users:
      ops:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
    buckets:
      - name: home
      - name: faraway
        region: eu-west-1
runs:
  - as: arn:aws:iam::111111111111:user/ops
"#;

async fn serve(cap: Option<u64>) -> (Loaded, Running) {
    serve_world(WORLD, cap).await
}

pub(crate) async fn serve_world(yaml: &str, cap: Option<u64>) -> (Loaded, Running) {
    let loaded = sim::build(
        sim::parse(yaml, "s3-wire.yaml").expect("parses"),
        "s3-wire.yaml",
    )
    .expect("builds");
    if let Some(cap) = cap {
        loaded.world.cap_stored_bytes(cap);
    }
    let quiet: Logger = Arc::new(|_| {});
    let running = start(
        Arc::new(Endpoint::new(loaded.world.clone())),
        "127.0.0.1:0".parse().expect("addr"),
        quiet,
        Limits::default(),
    )
    .await
    .expect("listens");
    (loaded, running)
}

/// Every name resolves to loopback, as `*.localhost` does on most
/// desktops (the SDK puts the bucket in the host for `http://localhost`).
#[derive(Debug, Clone)]
struct Loopback;

impl ResolveDns for Loopback {
    fn resolve_dns<'a>(&'a self, _name: &'a str) -> DnsFuture<'a> {
        DnsFuture::ready(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]))
    }
}

/// The keys of the world's user `ops`.
pub(crate) fn ops_keys(loaded: &Loaded) -> xacct::cloud::Credentials {
    sim::credentials_for(
        loaded,
        &Starter {
            arn: "arn:aws:iam::111111111111:user/ops",
            ..Default::default()
        },
    )
    .expect("creds")
}

/// An S3 client signing as the world's user `ops`
/// (`arn:aws:iam::111111111111:user/ops`) for `region`, at `url`.
pub(crate) async fn client(loaded: &Loaded, url: &str, region: &str) -> aws_sdk_s3::Client {
    client_as(loaded, url, region, ops_keys(loaded)).await
}

/// An S3 client signing with `creds` for `region`, at `url`.
pub(crate) async fn client_as(
    loaded: &Loaded,
    url: &str,
    region: &str,
    creds: xacct::cloud::Credentials,
) -> aws_sdk_s3::Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_with_resolver(Loopback);
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(url)
        .http_client(http)
        .credentials_provider(aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose(),
            None,
            None,
            "t",
        ))
        .time_source(StaticTimeSource::new(loaded.start))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    aws_sdk_s3::Client::new(&config)
}

pub(crate) fn code<E: aws_sdk_s3::error::ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<
        impl std::fmt::Debug,
        aws_sdk_s3::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
    >,
) -> String {
    match result {
        Ok(ok) => format!("ok: {ok:?}"),
        Err(e) => e
            .as_service_error()
            .and_then(|s| s.code().map(str::to_owned))
            .or_else(|| e.raw_response().map(|r| r.status().as_u16().to_string()))
            .unwrap_or_else(|| format!("{e:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_upload_joins_its_parts_as_s3_does() {
    // A key a URL must escape: the completed upload's Location carries it
    // form encoded, as S3 writes it (aws/aws-sdk-go#1385).
    const KEY: &str = "big/my file+1.bin";
    let (loaded, server) = serve(None).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let created = s3
        .create_multipart_upload()
        .bucket("home")
        .key(KEY)
        .send()
        .await
        .expect("created");
    let id = created.upload_id().expect("an upload id").to_owned();
    let first = vec![b'a'; 5 * 1024 * 1024];
    let second = b"the tail".to_vec();
    let mut parts = Vec::new();
    for (n, body) in [(1, first.clone()), (2, second.clone())] {
        let part = s3
            .upload_part()
            .bucket("home")
            .key(KEY)
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from(body))
            .send()
            .await
            .expect("part stored");
        parts.push(
            CompletedPart::builder()
                .part_number(n)
                .e_tag(part.e_tag().expect("etag"))
                .build(),
        );
    }
    let listed = s3
        .list_parts()
        .bucket("home")
        .key(KEY)
        .upload_id(&id)
        .send()
        .await
        .expect("listed");
    let sizes: Vec<i64> = listed.parts().iter().filter_map(|p| p.size()).collect();
    assert_eq!(sizes, [5 * 1024 * 1024, 8]);
    // The initiator is the IAM user's ARN, the owner its account's
    // canonical id, as ListBuckets gives it (S3 API Reference, ListParts,
    // Initiator and Owner).
    assert_eq!(
        listed.initiator().and_then(|i| i.id()),
        Some("arn:aws:iam::111111111111:user/ops")
    );
    let account = s3.list_buckets().send().await.expect("buckets");
    assert_eq!(
        listed.owner().and_then(|o| o.id()),
        account.owner().and_then(|o| o.id())
    );
    assert!(listed.owner().and_then(|o| o.id()).is_some());
    // Paged as S3 pages it: max-parts, then part-number-marker.
    let page = |marker: Option<&str>| {
        s3.list_parts()
            .bucket("home")
            .key(KEY)
            .upload_id(&id)
            .max_parts(1)
            .set_part_number_marker(marker.map(str::to_owned))
            .send()
    };
    let first_page = page(None).await.expect("first page");
    let numbers = |out: &aws_sdk_s3::operation::list_parts::ListPartsOutput| -> Vec<i32> {
        out.parts().iter().filter_map(|p| p.part_number()).collect()
    };
    assert_eq!(numbers(&first_page), [1]);
    assert_eq!(first_page.is_truncated(), Some(true));
    assert_eq!(first_page.next_part_number_marker(), Some("1"));
    let second_page = page(Some("1")).await.expect("second page");
    assert_eq!(numbers(&second_page), [2]);
    assert_eq!(second_page.is_truncated(), Some(false));
    assert_eq!(second_page.part_number_marker(), Some("1"));
    let out_of_order = s3
        .complete_multipart_upload()
        .bucket("home")
        .key(KEY)
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts.iter().rev().cloned().collect()))
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(out_of_order), "InvalidPartOrder");
    let done = s3
        .complete_multipart_upload()
        .bucket("home")
        .key(KEY)
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
        .send()
        .await
        .expect("completed");
    assert!(
        done.e_tag().is_some_and(|e| e.ends_with("-2\"")),
        "{done:?}"
    );
    assert!(
        done.location()
            .is_some_and(|l| l.ends_with("/home/big%2Fmy+file%2B1.bin")),
        "{done:?}"
    );
    let got = s3
        .get_object()
        .bucket("home")
        .key(KEY)
        .send()
        .await
        .expect("read back");
    let body = got.body.collect().await.expect("body").into_bytes();
    assert_eq!(body.len(), first.len() + second.len());
    assert!(body.ends_with(b"the tail"));
    let again = s3
        .list_parts()
        .bucket("home")
        .key(KEY)
        .upload_id(&id)
        .send()
        .await;
    assert_eq!(code(again), "NoSuchUpload", "a completed upload is gone");
    let with_object = loaded.world.stored_bytes();
    // A small part before the last is refused, and an aborted upload is gone.
    let small = s3
        .create_multipart_upload()
        .bucket("home")
        .key("small")
        .send()
        .await
        .expect("created");
    let small_id = small.upload_id().expect("id").to_owned();
    let mut small_parts = Vec::new();
    for n in [1, 2] {
        let part = s3
            .upload_part()
            .bucket("home")
            .key("small")
            .upload_id(&small_id)
            .part_number(n)
            .body(ByteStream::from_static(b"tiny"))
            .send()
            .await
            .expect("part");
        small_parts.push(
            CompletedPart::builder()
                .part_number(n)
                .e_tag(part.e_tag().expect("etag"))
                .build(),
        );
    }
    let too_small = s3
        .complete_multipart_upload()
        .bucket("home")
        .key("small")
        .upload_id(&small_id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(small_parts))
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(too_small), "EntityTooSmall");
    s3.abort_multipart_upload()
        .bucket("home")
        .key("small")
        .upload_id(&small_id)
        .send()
        .await
        .expect("aborted");
    let gone = s3
        .upload_part()
        .bucket("home")
        .key("small")
        .upload_id(&small_id)
        .part_number(3)
        .body(ByteStream::from_static(b"late"))
        .send()
        .await;
    assert_eq!(code(gone), "NoSuchUpload");
    assert_eq!(
        loaded.world.stored_bytes(),
        with_object,
        "the aborted upload and its parts are freed; the object alone is held"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn virtual_hosted_requests_reach_the_same_buckets() {
    let (loaded, server) = serve(None).await;
    // `http://localhost:PORT`: the SDK sends `Host: home.localhost:PORT`.
    let url = format!("http://localhost:{}", server.addr.port());
    let s3 = client(&loaded, &url, "us-east-1").await;
    s3.put_object()
        .bucket("home")
        .key("v/hello.txt")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect("stored through the virtual host");
    let listed = s3
        .list_objects_v2()
        .bucket("home")
        .prefix("v/")
        .send()
        .await
        .expect("listed");
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["v/hello.txt"]);
    let path_style = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let got = path_style
        .get_object()
        .bucket("home")
        .key("v/hello.txt")
        .send()
        .await
        .expect("read path-style");
    assert_eq!(
        &got.body.collect().await.expect("body").into_bytes()[..],
        b"hello"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_region_signs_and_a_bucket_elsewhere_is_redirected_as_s3_does() {
    let (loaded, server) = serve(None).await;
    let url = format!("http://{}", server.addr);
    // A client in eu-central-1 lists the account's buckets: accepted.
    let central = client(&loaded, &url, "eu-central-1").await;
    let names: Vec<String> = central
        .list_buckets()
        .send()
        .await
        .expect("listed from any region")
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["faraway", "home"]);
    // Signed for us-east-1 (the global endpoint), a bucket in eu-west-1 is
    // a 301 PermanentRedirect; signed for another region, a 400
    // AuthorizationHeaderMalformed naming the bucket's region. Both carry
    // `x-amz-bucket-region`, which SDKs follow.
    let east = client(&loaded, &url, "us-east-1").await;
    let moved = east.list_objects_v2().bucket("faraway").send().await;
    let raw = moved.as_ref().err().and_then(|e| e.raw_response());
    assert_eq!(raw.map(|r| r.status().as_u16()), Some(301));
    assert_eq!(
        raw.and_then(|r| r.headers().get("x-amz-bucket-region")),
        Some("eu-west-1")
    );
    assert_eq!(code(moved), "PermanentRedirect");
    let wrong = central.list_objects_v2().bucket("faraway").send().await;
    let raw = wrong.as_ref().err().and_then(|e| e.raw_response());
    assert_eq!(raw.map(|r| r.status().as_u16()), Some(400));
    assert_eq!(code(wrong), "AuthorizationHeaderMalformed");
    let west = client(&loaded, &url, "eu-west-1").await;
    west.list_objects_v2()
        .bucket("faraway")
        .send()
        .await
        .expect("signed for the bucket's region");
    let head = west
        .head_bucket()
        .bucket("faraway")
        .send()
        .await
        .expect("head");
    assert_eq!(head.bucket_region(), Some("eu-west-1"));
    // A name that is no region is refused, naming it.
    let odd = client(&loaded, &url, "moon-base").await;
    let refused = odd.list_buckets().send().await;
    let message = refused
        .as_ref()
        .err()
        .and_then(|e| e.as_service_error())
        .and_then(|e| aws_sdk_s3::error::ProvideErrorMetadata::message(e).map(str::to_owned));
    assert!(message.is_some_and(|m| m.contains("'moon-base' is wrong")));
    server.stop().await;
}

/// The redirect is the world's, decided by its one front door before a
/// scripted fault: a request signed for another region than its bucket's
/// leaves the fault armed, the request signed for the bucket's region
/// meets it, and a caller whose request carried no signature (the
/// in-process face) is not sent anywhere.
#[test]
fn the_world_sends_a_misdirected_request_back_before_its_fault() {
    let yaml = WORLD.replace(
        "runs:",
        "faults:\n  - call: s3:ListObjectsV2\n    times: 1\n    error: { code: SlowDown, status: 503, message: Please reduce your request rate. }\nruns:",
    );
    let loaded = sim::build(
        sim::parse(&yaml, "s3-wire.yaml").expect("parses"),
        "s3-wire.yaml",
    )
    .expect("builds");
    let creds = ops_keys(&loaded);
    let world = &loaded.world;
    let ops = world
        .signer(&creds.access_key_id, None, sim::Service::S3)
        .expect("a key of the world")
        .principal;
    let list = || sim::Request::ListObjects {
        bucket: "faraway".to_owned(),
        listing: sim::ObjectListing::under(None),
    };
    let code = |answer: sim::Answer<sim::Response>| answer.result.err().map(|e| e.code);
    let east = ops.clone().signed_for("us-east-1");
    assert_eq!(
        code(world.call(&east, list())).as_deref(),
        Some("PermanentRedirect")
    );
    let west = ops.clone().signed_for("eu-west-1");
    assert_eq!(code(world.call(&west, list())).as_deref(), Some("SlowDown"));
    assert_eq!(code(world.call(&west, list())), None);
    assert_eq!(
        code(world.call(&ops, list())),
        None,
        "no signature, no region to be wrong"
    );
}

/// `Last-Modified` is when the object was written: an object of the
/// scenario when its bucket was created, a PutObject at the world's clock;
/// HeadObject, GetObject and ListObjectsV2 agree (S3 API Reference,
/// HeadObject and ListObjectsV2: `LastModified`, "the date and time the
/// object was last modified").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_modified_is_when_the_object_was_written() {
    let yaml = WORLD.replace(
        "      - name: home\n",
        "      - name: home\n        created: \"2024-05-01T00:00:00Z\"\n        objects: [ old.txt ]\n",
    );
    let (loaded, server) = serve_world(&yaml, None).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let seconds = |t: Option<&aws_sdk_s3::primitives::DateTime>| t.map(|t| t.secs());
    let created = 1_714_521_600; // 2024-05-01T00:00:00Z
    let clock = 1_767_225_600; // 2026-01-01T00:00:00Z, the world's clock
    let old = s3.head_object().bucket("home").key("old.txt").send().await;
    assert_eq!(seconds(old.expect("head").last_modified()), Some(created));
    s3.put_object()
        .bucket("home")
        .key("new.txt")
        .body(ByteStream::from_static(b"new"))
        .send()
        .await
        .expect("put");
    let new = s3.get_object().bucket("home").key("new.txt").send().await;
    let new = seconds(new.expect("get").last_modified()).expect("Last-Modified");
    assert!((clock..clock + 3600).contains(&new), "{new}");
    let listed = s3
        .list_objects_v2()
        .bucket("home")
        .send()
        .await
        .expect("listed");
    let times: Vec<(Option<&str>, Option<i64>)> = listed
        .contents()
        .iter()
        .map(|o| (o.key(), seconds(o.last_modified())))
        .collect();
    assert_eq!(
        times,
        [
            (Some("new.txt"), Some(new)),
            (Some("old.txt"), Some(created))
        ]
    );
    // S3 keeps whole seconds, so the listing's time is the HEAD's to the
    // nanosecond (jeanbmar/s3-sync-client#53).
    let fractions: Vec<u32> = listed
        .contents()
        .iter()
        .filter_map(|o| o.last_modified().map(|t| t.subsec_nanos()))
        .collect();
    assert_eq!(fractions, [0, 0]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checksums_and_content_md5_are_checked() {
    let (loaded, server) = serve(None).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    // The SDK's own checksums pass, whichever algorithm it is asked for.
    for algorithm in [
        aws_sdk_s3::types::ChecksumAlgorithm::Crc32,
        aws_sdk_s3::types::ChecksumAlgorithm::Crc32C,
        aws_sdk_s3::types::ChecksumAlgorithm::Crc64Nvme,
        aws_sdk_s3::types::ChecksumAlgorithm::Sha256,
    ] {
        s3.put_object()
            .bucket("home")
            .key("checked")
            .checksum_algorithm(algorithm.clone())
            .body(ByteStream::from_static(b"hello"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{algorithm:?}: {e:?}"));
    }
    // A wrong CRC32 or Content-MD5 is S3's BadDigest; a malformed MD5 InvalidDigest.
    let bad_crc = s3
        .put_object()
        .bucket("home")
        .key("checked")
        .checksum_crc32("AAAAAA==")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await;
    assert_eq!(code(bad_crc), "BadDigest");
    let bad_md5 = s3
        .put_object()
        .bucket("home")
        .key("checked")
        .content_md5("XUFAKrxLKna5cZ2REBfFkA==")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await;
    assert_eq!(code(bad_md5), "BadDigest");
    let invalid = s3
        .put_object()
        .bucket("home")
        .key("checked")
        .content_md5("not-md5")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await;
    assert_eq!(code(invalid), "InvalidDigest");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_cap_refuses_a_write_past_it_and_says_so() {
    let (loaded, server) = serve(Some(2000)).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let put = |key: &'static str, size: usize| {
        s3.put_object()
            .bucket("home")
            .key(key)
            .body(ByteStream::from(vec![0u8; size]))
            .send()
    };
    put("fits", 600).await.expect("fits");
    let full = put("too-much", 1200).await;
    let error = full.as_ref().err().and_then(|e| e.as_service_error());
    let message = error
        .and_then(|e| aws_sdk_s3::error::ProvideErrorMetadata::message(e).map(str::to_owned))
        .unwrap_or_default();
    assert!(message.contains("--max-store"), "{message}");
    assert_eq!(code(full), "XacctStoreFull");
    // Replacing an object counts only the difference.
    let before = loaded.world.stored_bytes();
    put("fits", 1500)
        .await
        .expect("a replacement within the cap");
    assert_eq!(loaded.world.stored_bytes(), before + 900);
    // Objects of no bytes still count (their keys and bookkeeping): a
    // client cannot grow the store past the cap with empty writes.
    put("fits", 0).await.expect("shrunk");
    let mut stored = 0;
    for key in ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"] {
        match put(key, 0).await {
            Ok(_) => stored += 1,
            Err(e) => {
                assert_eq!(code(Err::<(), _>(e)), "XacctStoreFull");
                break;
            }
        }
    }
    assert!(stored < 10, "{stored} empty objects and no refusal");
    // An upload begun counts too.
    let begun = s3
        .create_multipart_upload()
        .bucket("home")
        .key("more")
        .send()
        .await;
    assert_eq!(code(begun), "XacctStoreFull");
    assert!(loaded.world.stored_bytes() <= 2000);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_holds_room_until_it_ends_or_its_bucket_goes() {
    let (loaded, server) = serve(None).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let before = loaded.world.stored_bytes();
    s3.create_bucket()
        .bucket("scratch")
        .send()
        .await
        .expect("created");
    let id = s3
        .create_multipart_upload()
        .bucket("scratch")
        .key("k")
        .send()
        .await
        .expect("begun")
        .upload_id()
        .expect("an id")
        .to_owned();
    let begun = loaded.world.stored_bytes();
    assert!(begun > before, "an upload begun counts");
    s3.upload_part()
        .bucket("scratch")
        .key("k")
        .upload_id(&id)
        .part_number(1)
        .body(ByteStream::from_static(b""))
        .send()
        .await
        .expect("an empty part");
    assert!(
        loaded.world.stored_bytes() > begun,
        "a part of no bytes counts"
    );
    // max-parts=0: an empty page, not truncated (a paginator would loop).
    let empty = s3
        .list_parts()
        .bucket("scratch")
        .key("k")
        .upload_id(&id)
        .max_parts(0)
        .send()
        .await
        .expect("listed");
    assert!(empty.parts().is_empty());
    assert_eq!(empty.is_truncated(), Some(false));
    // S3 deletes a bucket with uploads in progress (observed, ceph/ceph#15630,
    // scality/cloudserver#1591); they go with it.
    s3.delete_bucket()
        .bucket("scratch")
        .send()
        .await
        .expect("deleted");
    assert_eq!(loaded.world.stored_bytes(), before);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_upload_is_taken_whole() {
    let (loaded, server) = serve(None).await;
    let s3 = client(&loaded, &format!("http://{}", server.addr), "us-east-1").await;
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("big.bin");
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &data).expect("written");
    let body = ByteStream::from_path(&file).await.expect("a streamed body");
    s3.put_object()
        .bucket("home")
        .key("streamed.bin")
        .body(body)
        .send()
        .await
        .expect("stored");
    let got = s3
        .get_object()
        .bucket("home")
        .key("streamed.bin")
        .send()
        .await
        .expect("read back");
    assert_eq!(
        got.body
            .collect()
            .await
            .expect("body")
            .into_bytes()
            .to_vec(),
        data
    );
    server.stop().await;
}
