//! UploadPartCopy through the real aws-sdk-s3 against `xacct serve` (S3
//! API Reference, UploadPartCopy): parts copied from an object, whole or
//! by `x-amz-copy-source-range`, joined by CompleteMultipartUpload into
//! the same bytes; the source read as GetObject reads it, the part written
//! as UploadPart writes it; a range of another form or past the object
//! refused with the words S3 sends.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};

use crate::serve_s3_wire::{WORLD, client, client_as, code, serve_world};

/// [`WORLD`] with a user `writer` of the same account, allowed to write
/// `home` but not to read it.
fn world() -> String {
    WORLD.replace(
        "    buckets:\n",
        "      writer:\n        policies:\n          p: { Version: \"2012-10-17\", Statement: [ { Effect: Allow, Action: [\"s3:PutObject\", \"s3:AbortMultipartUpload\"], Resource: \"*\" } ] }\n    buckets:\n",
    )
}

/// The id of a new upload of `home/KEY`.
async fn started(s3: &aws_sdk_s3::Client, key: &str) -> String {
    s3.create_multipart_upload()
        .bucket("home")
        .key(key)
        .send()
        .await
        .expect("an upload starts")
        .upload_id()
        .expect("id")
        .to_owned()
}

fn md5_etag(bytes: &[u8]) -> String {
    use md5::Digest as _;
    format!("\"{}\"", hex::encode(md5::Md5::digest(bytes)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parts_copied_from_an_object_join_into_the_same_bytes() {
    let (loaded, server) = serve_world(&world(), None).await;
    let url = format!("http://{}", server.addr);
    let s3 = client(&loaded, &url, "us-east-1").await;
    let source: Vec<u8> = (0..(5 * 1024 * 1024 + 1000))
        .map(|i| (i % 251) as u8)
        .collect();
    s3.put_object()
        .bucket("home")
        .key("src/big.bin")
        .body(ByteStream::from(source.clone()))
        .send()
        .await
        .expect("put");
    let upload = started(&s3, "copy.bin").await;
    let split = 5 * 1024 * 1024;
    let mut parts = Vec::new();
    for (number, range) in [
        (1, format!("bytes=0-{}", split - 1)),
        (2, format!("bytes={split}-{}", source.len() - 1)),
    ] {
        let out = s3
            .upload_part_copy()
            .bucket("home")
            .key("copy.bin")
            .upload_id(&upload)
            .part_number(number)
            .copy_source("home/src%2Fbig.bin")
            .copy_source_range(range)
            .send()
            .await
            .expect("part copied");
        let result = out.copy_part_result().expect("CopyPartResult");
        let etag = result.e_tag().expect("ETag").to_owned();
        let bytes = if number == 1 {
            &source[..split]
        } else {
            &source[split..]
        };
        assert_eq!(etag, md5_etag(bytes), "part {number}");
        assert!(result.last_modified().is_some());
        parts.push(
            CompletedPart::builder()
                .part_number(number)
                .e_tag(etag)
                .build(),
        );
    }
    let done = s3
        .complete_multipart_upload()
        .bucket("home")
        .key("copy.bin")
        .upload_id(&upload)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(parts))
                .build(),
        )
        .send()
        .await
        .expect("complete");
    assert!(
        done.e_tag().is_some_and(|e| e.ends_with("-2\"")),
        "{done:?}"
    );
    let back = s3
        .get_object()
        .bucket("home")
        .key("copy.bin")
        .send()
        .await
        .expect("get")
        .body
        .collect()
        .await
        .expect("body")
        .into_bytes();
    assert!(back.as_ref() == source.as_slice(), "the copy differs");

    // A whole object, without a range, is one part.
    let whole = s3
        .upload_part_copy()
        .bucket("home")
        .key("copy.bin")
        .upload_id(started(&s3, "copy.bin").await)
        .part_number(1)
        .copy_source("/home/src/big.bin")
        .send()
        .await
        .expect("whole");
    assert_eq!(
        whole.copy_part_result().and_then(|r| r.e_tag()),
        Some(md5_etag(&source).as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_copy_is_refused_as_s3_refuses_it() {
    let (loaded, server) = serve_world(&world(), None).await;
    let url = format!("http://{}", server.addr);
    let s3 = client(&loaded, &url, "us-east-1").await;
    s3.put_object()
        .bucket("home")
        .key("ten")
        .body(ByteStream::from_static(b"0123456789"))
        .send()
        .await
        .expect("put");
    let upload = started(&s3, "dst").await;
    let copy = |source: &str, range: Option<&str>, number: i32| {
        s3.upload_part_copy()
            .bucket("home")
            .key("dst")
            .upload_id(&upload)
            .part_number(number)
            .copy_source(source)
            .set_copy_source_range(range.map(str::to_owned))
            .send()
    };
    let message = |result: Result<_, aws_sdk_s3::error::SdkError<_, _>>| match result {
        Ok(ok) => format!("ok: {ok:?}"),
        Err(e) => {
            let e: aws_sdk_s3::error::SdkError<
                aws_sdk_s3::operation::upload_part_copy::UploadPartCopyError,
                _,
            > = e;
            use aws_sdk_s3::error::ProvideErrorMetadata as _;
            format!(
                "{}: {}",
                e.code().unwrap_or_default(),
                e.message().unwrap_or_default()
            )
        }
    };
    assert_eq!(
        message(copy("home/ten", Some("bytes=0-10"), 1).await),
        "InvalidArgument: Range specified is not valid for source object of size: 10"
    );
    assert_eq!(
        message(copy("home/ten", Some("0-4"), 1).await),
        "InvalidArgument: The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"
    );
    assert_eq!(code(copy("home/none", None, 1).await), "NoSuchKey");
    assert_eq!(code(copy("home/ten", None, 0).await), "InvalidArgument");
    assert_eq!(code(copy("nowhere/ten", None, 1).await), "NoSuchBucket");
    assert_eq!(
        code(copy("home", None, 1).await),
        "InvalidArgument",
        "a source without a key"
    );
    assert!(copy("home/ten", Some("bytes=2-4"), 1).await.is_ok());
    // A missing upload is named before the source is read.
    let gone = s3
        .upload_part_copy()
        .bucket("home")
        .key("dst")
        .upload_id("no-such-upload")
        .part_number(1)
        .copy_source("home/none")
        .send()
        .await;
    assert_eq!(code(gone), "NoSuchUpload");

    // The writer may write the upload's object but not read the source.
    let writer_keys = xacct::sim::credentials_for(
        &loaded,
        &xacct::sim::Starter {
            arn: "arn:aws:iam::111111111111:user/writer",
            ..Default::default()
        },
    )
    .expect("creds");
    let writer = client_as(&loaded, &url, "us-east-1", writer_keys).await;
    let own = started(&writer, "mine").await;
    let refused = writer
        .upload_part_copy()
        .bucket("home")
        .key("mine")
        .upload_id(&own)
        .part_number(1)
        .copy_source("home/ten")
        .send()
        .await;
    assert_eq!(code(refused), "AccessDenied");
}
