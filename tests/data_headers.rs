//! The headers S3 keeps with an object (S3 User Guide, "Working with
//! object metadata"): `Content-Type`, `Cache-Control`,
//! `Content-Disposition`, `Content-Encoding` and `Content-Language` as the
//! writer set them, and user-defined metadata (`x-amz-meta-*`, names in
//! lower case, at most 2 KB), sent back by GetObject and HeadObject;
//! `binary/octet-stream` for an object written with no type (the
//! scenario's own); CopyObject keeps the
//! source's unless it replaces them (`x-amz-metadata-directive: REPLACE`,
//! S3 API Reference, CopyObject). Through `xacct serve` with the SDK's
//! own client, so the headers are decoded and encoded as a client sends
//! and reads them.

use xacct::cloud::{
    ObjectAnswer, ObjectCall, ObjectCopy, ObjectHeaders, ObjectKey, ObjectPut, Preconditions,
    S3Objects,
};
use xacct::sim;

fn at(key: &str) -> ObjectKey {
    ObjectKey {
        bucket: "home".to_owned(),
        key: key.to_owned(),
    }
}

fn put(key: &str, headers: ObjectHeaders) -> ObjectPut {
    ObjectPut {
        at: at(key),
        body: b"<p>hi</p>".to_vec().into(),
        acl: None,
        kms_key: None,
        when: Preconditions::default(),
        headers,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_objects_headers_are_kept_sent_back_and_copied_or_replaced() {
    let world = crate::serve_s3_wire::WORLD.replace(
        "      - name: home\n",
        "      - name: home\n        objects: [ kept.bin ]\n",
    );
    let loaded = sim::build(
        sim::parse(&world, "headers.yaml").expect("parses"),
        "headers.yaml",
    )
    .expect("builds");
    let creds = crate::serve_s3_wire::ops_keys(&loaded);
    let (server, cloud) = crate::support::served_cloud(&loaded).await;
    let page = ObjectHeaders {
        content_type: Some("text/html; charset=utf-8".to_owned()),
        cache_control: Some("max-age=60".to_owned()),
        content_disposition: Some("inline; filename=\"page.html\"".to_owned()),
        content_encoding: Some("identity".to_owned()),
        content_language: Some("en".to_owned()),
        expires: None,
        metadata: [("Owner", "alice"), ("build-id", "42")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
    };
    // As S3 keeps user-defined metadata: names in lower case.
    let kept = ObjectHeaders {
        metadata: [("owner", "alice"), ("build-id", "42")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        ..page.clone()
    };
    let (cloud, creds) = (&cloud, &creds);
    let object = |call: ObjectCall| async move {
        match cloud.object(creds, &call).await {
            Ok(ObjectAnswer::Body(_, meta) | ObjectAnswer::Meta(meta)) => *meta.headers,
            other => panic!("{other:?}"),
        }
    };
    cloud
        .object(creds, &ObjectCall::Put(put("page.html", page.clone())))
        .await
        .expect("stored");
    assert_eq!(object(ObjectCall::get(at("page.html"))).await, kept);
    assert_eq!(object(ObjectCall::head(at("page.html"))).await, kept);

    // An object no writer gave a type (one the scenario holds): S3's default.
    let blob = object(ObjectCall::head(at("kept.bin"))).await;
    assert_eq!(blob.content_type.as_deref(), Some("binary/octet-stream"));

    // A copy keeps the source's headers, or takes the request's with REPLACE.
    let plain = ObjectHeaders {
        content_type: Some("text/plain".to_owned()),
        metadata: [("stage", "copied")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        ..ObjectHeaders::default()
    };
    for (replace_metadata, expected) in [(false, &kept), (true, &plain)] {
        let copy = ObjectCopy {
            from: at("page.html"),
            to: put("copy.html", plain.clone()),
            replace_metadata,
        };
        cloud
            .object(creds, &ObjectCall::Copy(copy))
            .await
            .expect("copied");
        assert_eq!(
            &object(ObjectCall::head(at("copy.html"))).await,
            expected,
            "REPLACE: {replace_metadata}"
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_over_two_kilobytes_is_metadata_too_large_and_two_kilobytes_are_kept() {
    let world = crate::serve_s3_wire::WORLD;
    let loaded = sim::build(
        sim::parse(world, "headers.yaml").expect("parses"),
        "headers.yaml",
    )
    .expect("builds");
    let creds = crate::serve_s3_wire::ops_keys(&loaded);
    let (server, cloud) = crate::support::served_cloud(&loaded).await;
    // Names and values together: 4 + 2,044 = 2,048 bytes fit; one more does not.
    let sized = |value_bytes: usize| ObjectHeaders {
        metadata: [("note".to_owned(), "n".repeat(value_bytes))].into(),
        ..ObjectHeaders::default()
    };
    let fits = cloud
        .object(&creds, &ObjectCall::Put(put("fits", sized(2044))))
        .await;
    assert!(fits.is_ok(), "{fits:?}");
    let refused = cloud
        .object(&creds, &ObjectCall::Put(put("too-big", sized(2045))))
        .await
        .expect_err("refused");
    // S3 API Reference, "Error responses": MetadataTooLarge, 400.
    assert_eq!(
        refused.code.as_deref(),
        Some("MetadataTooLarge"),
        "{refused:?}"
    );
    assert_eq!(refused.status, Some(400));
    assert_eq!(
        refused.message,
        "Your metadata headers exceed the maximum allowed metadata size."
    );
    server.stop().await;
}

/// Non-ASCII metadata as S3 keeps it (S3 User Guide, "Working with object
/// metadata"): a header's bytes are read as ISO-8859-1, RFC 2047 encoded
/// words are decoded before storing, and a value outside printable ASCII is
/// answered as one `=?UTF-8?B?…?=` word. The guide's own example: UTF-8
/// bytes of `ÄMÄZÕÑ S3` come back `=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?=`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_metadata_is_read_as_latin_1_and_answered_as_an_encoded_word() {
    let loaded = sim::build(
        sim::parse(crate::serve_s3_wire::WORLD, "headers.yaml").expect("parses"),
        "headers.yaml",
    )
    .expect("builds");
    let creds = crate::serve_s3_wire::ops_keys(&loaded);
    let (server, cloud) = crate::support::served_cloud(&loaded).await;
    let metadata = |pairs: &[(&str, &str)]| ObjectHeaders {
        metadata: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..ObjectHeaders::default()
    };
    let sent = metadata(&[
        ("nonascii", "ÄMÄZÕÑ S3"),
        ("ascii", "AMAZONS3"),
        ("word", "=?UTF-8?B?Y2Fmw6k=?="),
    ]);
    let written = cloud
        .object(&creds, &ObjectCall::Put(put("accents", sent)))
        .await;
    assert!(written.is_ok(), "{written:?}");
    let head = ObjectCall::Head(xacct::cloud::ObjectGet {
        at: at("accents"),
        range: None,
        when: Preconditions::default(),
    });
    let answered = match cloud.object(&creds, &head).await {
        Ok(ObjectAnswer::Meta(meta)) => meta.headers.metadata,
        other => panic!("{other:?}"),
    };
    let expected = [
        ("ascii", "AMAZONS3"),
        ("nonascii", "=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?="),
        ("word", "=?UTF-8?B?Y2Fmw6k=?="),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(answered.into_iter().collect::<Vec<_>>(), expected);
    // In process there are no header bytes: the text is stored as given and
    // answered as one encoded word of its UTF-8.
    let who = loaded
        .world
        .authenticate(&creds, sim::Service::S3)
        .expect("authenticated");
    let put_here = ObjectCall::Put(put("here", metadata(&[("name", "café")])));
    let stored = loaded.world.call(&who, sim::Request::Object(put_here));
    assert!(stored.result.is_ok(), "{:?}", stored.result.err());
    let head_here = ObjectCall::Head(xacct::cloud::ObjectGet {
        at: at("here"),
        range: None,
        when: Preconditions::default(),
    });
    match loaded
        .world
        .call(&who, sim::Request::Object(head_here))
        .result
    {
        Ok(sim::Response::Object(ObjectAnswer::Meta(meta))) => assert_eq!(
            meta.headers.metadata.get("name").map(String::as_str),
            Some("=?UTF-8?B?Y2Fmw6k=?=")
        ),
        Ok(other) => panic!("{}", other.shown()),
        Err(e) => panic!("{}", e.code),
    }
    // A copy keeps what was stored, decoded once: a word that decodes to
    // the text of another word stays that text.
    let nested = "=?UTF-8?Q?=3D=3FUTF-8=3FB=3FYQ=3D=3D=3F=3D?=";
    let put_nested = ObjectCall::Put(put("nested", metadata(&[("w", nested)])));
    let stored = loaded.world.call(&who, sim::Request::Object(put_nested));
    assert!(stored.result.is_ok(), "{:?}", stored.result.err());
    for (from, to) in [("nested", "nested-copy"), ("accents", "accents-copy")] {
        let copy = ObjectCall::Copy(ObjectCopy {
            from: at(from),
            to: put(to, ObjectHeaders::default()),
            replace_metadata: false,
        });
        let copied = loaded.world.call(&who, sim::Request::Object(copy));
        assert!(copied.result.is_ok(), "{:?}", copied.result.err());
    }
    let head = |key: &str| {
        let call = ObjectCall::Head(xacct::cloud::ObjectGet {
            at: at(key),
            range: None,
            when: Preconditions::default(),
        });
        match loaded.world.call(&who, sim::Request::Object(call)).result {
            Ok(sim::Response::Object(ObjectAnswer::Meta(meta))) => meta.headers.metadata,
            other => panic!("{:?}", other.err().map(|e| e.code)),
        }
    };
    assert_eq!(
        head("nested-copy").get("w").map(String::as_str),
        Some("=?UTF-8?B?YQ==?=")
    );
    assert_eq!(head("accents-copy"), head("accents"));
    assert_eq!(
        head("accents-copy").get("nonascii").map(String::as_str),
        Some("=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?=")
    );
    server.stop().await;
}

/// A multipart upload's metadata is decoded once, at CreateMultipartUpload,
/// and the completed object answers it as a PutObject's would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multipart_uploads_non_ascii_metadata_is_answered_as_a_puts() {
    let (loaded, server) =
        crate::serve_s3_wire::serve_world(crate::serve_s3_wire::WORLD, None).await;
    let s3 = crate::serve_s3_wire::client(&loaded, &format!("http://{}", server.addr), "us-east-1")
        .await;
    let created = s3
        .create_multipart_upload()
        .bucket("home")
        .key("joined")
        .metadata("nonascii", "ÄMÄZÕÑ S3")
        .metadata("word", "=?UTF-8?B?Y2Fmw6k=?=")
        .send()
        .await
        .expect("created");
    let id = created.upload_id().expect("upload id").to_owned();
    let part = s3
        .upload_part()
        .bucket("home")
        .key("joined")
        .upload_id(&id)
        .part_number(1)
        .body(aws_sdk_s3::primitives::ByteStream::from_static(
            b"only part",
        ))
        .send()
        .await
        .expect("part");
    let parts = aws_sdk_s3::types::CompletedMultipartUpload::builder()
        .parts(
            aws_sdk_s3::types::CompletedPart::builder()
                .part_number(1)
                .e_tag(part.e_tag().expect("etag"))
                .build(),
        )
        .build();
    s3.complete_multipart_upload()
        .bucket("home")
        .key("joined")
        .upload_id(&id)
        .multipart_upload(parts)
        .send()
        .await
        .expect("completed");
    let head = s3
        .head_object()
        .bucket("home")
        .key("joined")
        .send()
        .await
        .expect("head");
    let metadata = head.metadata().cloned().unwrap_or_default();
    assert_eq!(
        metadata.get("nonascii").map(String::as_str),
        Some("=?UTF-8?B?w4PChE3Dg8KEWsODwpXDg8KRIFMz?=")
    );
    assert_eq!(
        metadata.get("word").map(String::as_str),
        Some("=?UTF-8?B?Y2Fmw6k=?=")
    );
    server.stop().await;
}
