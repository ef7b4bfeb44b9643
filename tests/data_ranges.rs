//! Ranged GetObject and HeadObject: the world decides which bytes a `Range`
//! selects and whether it selects any, so a run in process, the product's
//! SDK client through `xacct serve`, and a plain reading of RFC 9110
//! (14.1.1 and 14.1.2) agree on every range; and a range that selects
//! nothing is S3's `InvalidRange` with its details (S3 API Reference,
//! GetObject, "Range"; the details as S3 sends them, observed and reported
//! in versity/versitygw#2069), except a suffix of an empty object, which
//! S3 reads whole (apache/arrow-rs-object-store#846). HeadObject answers the same part's length
//! and `Content-Range`, 206 (S3 API Reference, HeadObject, "Range"; the
//! status as S3 sends it, versity/versitygw#2057).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use xacct::cloud::{
    ByteRange, ContentRange, Credentials, ObjectAnswer, ObjectCall, ObjectGet, ObjectKey,
    ObjectPut, S3Objects,
};
use xacct::serve::Running;
use xacct::sim::{self, Loaded, Service};

/// A read's outcome: the bytes (none for HeadObject) and the part S3 said
/// it selected, or the error code.
type Read = Result<(Vec<u8>, Option<(u64, u64, u64)>), String>;

fn at(key: &str) -> ObjectKey {
    ObjectKey {
        bucket: "home".to_owned(),
        key: key.to_owned(),
    }
}

fn read(answer: Result<ObjectAnswer, String>) -> Read {
    match answer {
        Ok(ObjectAnswer::Body(body, meta)) => Ok((
            body.to_vec(),
            meta.range.map(|r: ContentRange| (r.first, r.last, r.size)),
        )),
        Ok(ObjectAnswer::Meta(meta)) => Ok((
            Vec::new(),
            meta.range.map(|r: ContentRange| (r.first, r.last, r.size)),
        )),
        Ok(other) => Err(format!("{other:?}")),
        Err(code) => Err(code),
    }
}

/// What RFC 9110 says a range selects of `body`, written plainly.
fn reference(body: &[u8], range: ByteRange) -> Read {
    let len = body.len() as u64;
    let (first, last) = match range {
        ByteRange::From { first, .. } if first >= len => return Err("InvalidRange".to_owned()),
        ByteRange::From { first, last } => (first, last.unwrap_or(len - 1).min(len - 1)),
        ByteRange::Suffix(0) => return Err("InvalidRange".to_owned()),
        // S3 reads an empty object whole for a suffix, 200 with no
        // Content-Range (observed: apache/arrow-rs-object-store#846).
        ByteRange::Suffix(_) if len == 0 => return Ok((Vec::new(), None)),
        ByteRange::Suffix(n) => (len - n.min(len), len - 1),
    };
    Ok((
        body[first as usize..=last as usize].to_vec(),
        Some((first, last, len)),
    ))
}

/// PutObject of `body` at `home/KEY`, in process.
fn put(loaded: &Loaded, who: &sim::Principal, key: &str, body: Vec<u8>) {
    let put = ObjectCall::Put(ObjectPut {
        at: at(key),
        body: body.into(),
        acl: None,
        kms_key: None,
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    });
    let answer = loaded.world.call(who, sim::Request::Object(put));
    assert!(answer.result.is_ok(), "{:?}", answer.result.err());
}

/// One object call of `who` in process: its answer, or its error code.
pub(crate) fn in_process(
    loaded: &Loaded,
    who: &sim::Principal,
    call: ObjectCall,
) -> Result<ObjectAnswer, String> {
    match loaded.world.call(who, sim::Request::Object(call)).result {
        Ok(sim::Response::Object(answer)) => Ok(answer),
        Ok(other) => Err(other.shown()),
        Err(e) => Err(e.code),
    }
}

/// The S3 wire tests' world, and its user `ops`'s keys.
pub(crate) fn world() -> (Loaded, Credentials) {
    let loaded = sim::build(
        sim::parse(crate::serve_s3_wire::WORLD, "ranges.yaml").expect("parses"),
        "ranges.yaml",
    )
    .expect("builds");
    let creds = crate::serve_s3_wire::ops_keys(&loaded);
    (loaded, creds)
}

fn range() -> impl Strategy<Value = ByteRange> {
    prop_oneof![
        (0u64..30, proptest::option::of(0u64..30)).prop_filter_map(
            "last before first",
            |(first, last)| {
                match last {
                    Some(last) if last < first => None,
                    _ => Some(ByteRange::From { first, last }),
                }
            }
        ),
        (0u64..30).prop_map(ByteRange::Suffix),
    ]
}

#[test]
fn ranged_reads_agree_in_process_over_http_and_with_rfc_9110() {
    let (loaded, creds) = world();
    let who = loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (server, cloud) = runtime.block_on(crate::support::served_cloud(&loaded));
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    let cases = (proptest::collection::vec(any::<u8>(), 0..24), range());
    let outcome = runner.run(&cases, |(body, range)| {
        put(&loaded, &who, "o", body.clone());
        let get = ObjectCall::Get(ObjectGet {
            at: at("o"),
            range: Some(range),
            when: xacct::cloud::Preconditions::default(),
        });
        // HeadObject answers the same part's metadata, without the bytes
        // (S3 API Reference, HeadObject, "Range").
        let head = ObjectCall::Head(ObjectGet {
            at: at("o"),
            range: Some(range),
            when: xacct::cloud::Preconditions::default(),
        });
        let expected = reference(&body, range);
        let expected_head = expected.clone().map(|(_, part)| (Vec::new(), part));
        for (call, expected) in [(get, expected), (head, expected_head)] {
            let in_process = read(in_process(&loaded, &who, call.clone()));
            let over_http = read(
                runtime
                    .block_on(cloud.object(&creds, &call))
                    .map_err(|e| e.code.unwrap_or_default()),
            );
            let what = format!("{:?} of {} bytes", call.operation(), body.len());
            prop_assert_eq!(&in_process, &expected, "{} {}", range, what);
            prop_assert_eq!(&over_http, &expected, "{} {} over HTTP", range, what);
        }
        Ok(())
    });
    runtime.block_on(server.stop());
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// A suffix of an empty object reads it whole, 200 with no `Content-Range`
/// (observed on AWS S3: apache/arrow-rs-object-store#846), in process and
/// over HTTP; `bytes=0-` and `bytes=-0` of it are still InvalidRange.
#[test]
fn a_suffix_of_an_empty_object_reads_it_whole() {
    let (loaded, creds) = world();
    let who = loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated");
    put(&loaded, &who, "empty", Vec::new());
    let get = |range: &str| {
        ObjectCall::Get(ObjectGet {
            at: at("empty"),
            range: ByteRange::parse(range),
            when: xacct::cloud::Preconditions::default(),
        })
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (server, cloud) = runtime.block_on(crate::support::served_cloud(&loaded));
    for (range, expected) in [
        ("bytes=-5", Ok((Vec::new(), None))),
        ("bytes=-0", Err("InvalidRange".to_owned())),
        ("bytes=0-", Err("InvalidRange".to_owned())),
    ] {
        let over_http = read(
            runtime
                .block_on(cloud.object(&creds, &get(range)))
                .map_err(|e| e.code.unwrap_or_default()),
        );
        assert_eq!(
            read(in_process(&loaded, &who, get(range))),
            expected,
            "{range}"
        );
        assert_eq!(over_http, expected, "{range} over HTTP");
    }
    runtime.block_on(server.stop());
}

/// A range that selects nothing is refused after the read was allowed: the
/// world's reason says both, and S3's error names the range and the size.
/// A header that is not one range is ignored: the whole object, 200.
#[test]
fn a_range_that_selects_nothing_is_invalid_range_and_a_malformed_one_is_ignored() {
    let (loaded, creds) = world();
    let who = loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated");
    put(&loaded, &who, "hello", b"hello world".to_vec());
    let get = ObjectCall::Get(ObjectGet {
        at: at("hello"),
        range: ByteRange::parse("bytes=20-"),
        when: xacct::cloud::Preconditions::default(),
    });
    let answer = loaded.world.call(&who, sim::Request::Object(get));
    let error = answer.result.as_ref().expect_err("refused");
    assert_eq!((error.code.as_str(), error.status), ("InvalidRange", 416));
    assert_eq!(error.message, "The requested range is not satisfiable");
    // RFC 9110 15.5.17: a 416 says the size in `Content-Range: bytes */SIZE`
    // (S3 sends it: chimera-nas/chimera#704).
    assert_eq!(
        error.headers,
        vec![("content-range", "bytes */11".to_owned())]
    );
    let why = answer
        .why
        .as_ref()
        .map(|w| w.details().join("\n"))
        .unwrap_or_default();
    assert!(
        why.contains("bytes=20-") && why.contains("11-byte"),
        "{why}"
    );
    assert_eq!(
        answer.why.as_ref().and_then(|w| w.decision),
        Some(xacct_iam::Decision::Allow),
        "the read itself was allowed"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (server, _) = crate::support::served_cloud(&loaded).await;
        let http = sdk_get(&server, &loaded, "bytes=20-").await;
        assert_eq!(http.0, 416, "{}", http.1);
        assert_eq!(http.2.as_deref(), Some("bytes */11"), "Content-Range");
        assert!(
            http.1.contains("<Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message><RangeRequested>bytes=20-</RangeRequested><ActualObjectSize>11</ActualObjectSize>"),
            "{}",
            http.1
        );
        let url = format!("http://{}", server.addr);
        let s3 = crate::serve_s3_wire::client(&loaded, &url, "us-east-1").await;
        let head = s3
            .head_object()
            .bucket("home")
            .key("hello")
            .range("bytes=20-")
            .send()
            .await
            .expect_err("HEAD past the end");
        let raw = head.raw_response().expect("a response");
        assert_eq!(raw.status().as_u16(), 416);
        assert_eq!(raw.headers().get("content-range"), Some("bytes */11"));
        let whole = sdk_get(&server, &loaded, "bytes=5-1").await;
        assert_eq!(whole, (200, "hello world".to_owned(), None));
        server.stop().await;
    });
}

/// GetObject of `home/hello` with `range`, sent by the SDK's S3 client
/// signing as the world's `ops`: the status (206 when S3 said which part it
/// sent), the body as text, and the `Content-Range` S3 sent.
async fn sdk_get(server: &Running, loaded: &Loaded, range: &str) -> (u16, String, Option<String>) {
    let url = format!("http://{}", server.addr);
    let s3 = crate::serve_s3_wire::client(loaded, &url, "us-east-1").await;
    match s3
        .get_object()
        .bucket("home")
        .key("hello")
        .range(range)
        .send()
        .await
    {
        Ok(out) => {
            let status = if out.content_range().is_some() {
                206
            } else {
                200
            };
            let content_range = out.content_range().map(str::to_owned);
            let body = out.body.collect().await.expect("body").into_bytes();
            (
                status,
                String::from_utf8_lossy(&body).into_owned(),
                content_range,
            )
        }
        Err(e) => {
            let raw = e.raw_response().expect("a response");
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned());
            let content_range = raw.headers().get("content-range").map(str::to_owned);
            (
                raw.status().as_u16(),
                body.unwrap_or_default(),
                content_range,
            )
        }
    }
}
