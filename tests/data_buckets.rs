//! Bucket life in the simulated S3: a new bucket gets S3's settings for
//! new buckets and belongs to its creator's account; a taken name is
//! `BucketAlreadyExists` for another account and `BucketAlreadyOwnedByYou`
//! for its own; a bucket with objects cannot be deleted; a run starts again
//! from the scenario's buckets.

use xacct::cloud::{ObjectCall, ObjectKey, ObjectPut};
use xacct::sim::{self, BucketAnswer, BucketCall, Loaded, Request, Response, Service, Starter};

const WORLD: &str = r#"
name: buckets
clock: "2026-01-01T00:00:00Z"
accounts:
  "111111111111":
    users:
      ops:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
    buckets: [taken]
  "222222222222":
    users:
      dev:
        policies:
          p: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
runs:
  - as: arn:aws:iam::111111111111:user/ops
"#;

fn world() -> Loaded {
    sim::build(
        sim::parse(WORLD, "buckets.yaml").expect("parses"),
        "buckets.yaml",
    )
    .expect("builds")
}

fn who(loaded: &Loaded, arn: &str) -> sim::Principal {
    let creds = sim::credentials_for(
        loaded,
        &Starter {
            arn,
            ..Default::default()
        },
    )
    .expect("creds");
    loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated")
}

fn code(answer: sim::Answer<Response>) -> String {
    match answer.result {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code,
    }
}

fn create(name: &str) -> Request {
    Request::CreateBucket {
        bucket: name.to_owned(),
        region: None,
    }
}

#[test]
fn bucket_life_follows_s3() {
    let loaded = world();
    let ops = who(&loaded, "arn:aws:iam::111111111111:user/ops");
    let dev = who(&loaded, "arn:aws:iam::222222222222:user/dev");
    let world = &loaded.world;
    assert_eq!(
        code(world.call(&dev, create("taken"))),
        "BucketAlreadyExists"
    );
    assert_eq!(
        code(world.call(&ops, create("taken"))),
        "BucketAlreadyOwnedByYou"
    );
    assert_eq!(
        code(world.call(&dev, create("Bad_Name"))),
        "InvalidBucketName"
    );
    assert_eq!(code(world.call(&dev, create("dev-bucket"))), "ok");
    let ownership = world.call(
        &dev,
        Request::Bucket {
            bucket: "dev-bucket".to_owned(),
            call: BucketCall::GetOwnership,
        },
    );
    assert!(
        matches!(&ownership.result, Ok(Response::Bucket(BucketAnswer::Ownership(o))) if o == "BucketOwnerEnforced"),
        "{:?}",
        ownership.result
    );
    let put = ObjectCall::Put(ObjectPut {
        at: ObjectKey {
            bucket: "dev-bucket".to_owned(),
            key: "k".to_owned(),
        },
        body: b"v".to_vec().into(),
        acl: Some("public-read".to_owned()),
        kms_key: None,
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    });
    assert_eq!(
        code(world.call(&dev, Request::Object(put))),
        "AccessControlListNotSupported"
    );
    let put = ObjectCall::Put(ObjectPut {
        at: ObjectKey {
            bucket: "dev-bucket".to_owned(),
            key: "k".to_owned(),
        },
        body: b"v".to_vec().into(),
        acl: None,
        kms_key: None,
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    });
    assert_eq!(code(world.call(&dev, Request::Object(put))), "ok");
    let delete = || Request::Bucket {
        bucket: "dev-bucket".to_owned(),
        call: BucketCall::Delete,
    };
    assert_eq!(
        code(world.call(&ops, delete())),
        "AccessDenied",
        "across accounts the bucket policy must allow too"
    );
    assert_eq!(code(world.call(&dev, delete())), "BucketNotEmpty");
    world.reset();
    assert_eq!(
        code(world.call(&dev, delete())),
        "NoSuchBucket",
        "a run starts from the scenario's buckets"
    );
}

#[test]
fn a_copy_needs_the_read_of_its_source_and_the_write_of_its_destination() {
    let loaded = world();
    let ops = who(&loaded, "arn:aws:iam::111111111111:user/ops");
    let dev = who(&loaded, "arn:aws:iam::222222222222:user/dev");
    let world = &loaded.world;
    assert_eq!(code(world.call(&ops, create("ops-bucket"))), "ok");
    let at = |bucket: &str, key: &str| ObjectKey {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    };
    let put = |bucket: &str, key: &str| ObjectPut {
        at: at(bucket, key),
        body: b"v".to_vec().into(),
        acl: None,
        kms_key: None,
        when: xacct::cloud::Preconditions::default(),
        headers: xacct::cloud::ObjectHeaders::default(),
    };
    assert_eq!(
        code(world.call(&ops, Request::Object(ObjectCall::Put(put("taken", "k"))))),
        "ok"
    );
    let copy = |to: &str| {
        Request::Object(ObjectCall::Copy(xacct::cloud::ObjectCopy {
            from: at("taken", "k"),
            to: put(to, "copy"),
            replace_metadata: false,
        }))
    };
    assert_eq!(code(world.call(&ops, copy("ops-bucket"))), "ok");
    let got = world.call(
        &ops,
        Request::Object(ObjectCall::get(at("ops-bucket", "copy"))),
    );
    assert!(
        matches!(&got.result, Ok(Response::Object(xacct::cloud::ObjectAnswer::Body(b, _))) if &b[..] == b"v"),
        "{:?}",
        got.result
    );
    // Across accounts with no bucket policy: neither read nor write.
    assert_eq!(code(world.call(&dev, copy("ops-bucket"))), "AccessDenied");
    // Onto itself, a copy must change something (S3's InvalidRequest, as
    // quoted in iterate-ch/cyberduck#11849); new metadata is a change.
    let onto_itself = |replace_metadata| {
        Request::Object(ObjectCall::Copy(xacct::cloud::ObjectCopy {
            from: at("taken", "k"),
            to: put("taken", "k"),
            replace_metadata,
        }))
    };
    let refused = world.call(&ops, onto_itself(false));
    let error = refused.result.as_ref().expect_err("refused");
    assert_eq!((error.code.as_str(), error.status), ("InvalidRequest", 400));
    assert!(error.message.starts_with(
        "This copy request is illegal because it is trying to copy an object to itself"
    ));
    assert_eq!(code(world.call(&ops, onto_itself(true))), "ok");
}

#[test]
fn a_key_longer_than_1024_bytes_is_key_too_long_and_one_of_1024_is_kept() {
    let loaded = world();
    let ops = who(&loaded, "arn:aws:iam::111111111111:user/ops");
    let put = |key: String| {
        Request::Object(ObjectCall::Put(ObjectPut {
            at: ObjectKey {
                bucket: "taken".to_owned(),
                key,
            },
            body: b"v".to_vec().into(),
            acl: None,
            kms_key: None,
            when: xacct::cloud::Preconditions::default(),
            headers: xacct::cloud::ObjectHeaders::default(),
        }))
    };
    // 1,024 bytes of UTF-8, not characters: 512 two-byte letters fit.
    assert_eq!(code(loaded.world.call(&ops, put("é".repeat(512)))), "ok");
    let refused = loaded
        .world
        .call(&ops, put(format!("{}a", "é".repeat(512))));
    let error = refused.result.as_ref().expect_err("refused");
    // As S3 answers it (captured in basho/riak_cs#1233).
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        ("KeyTooLongError", 400, "Your key is too long")
    );
    assert_eq!(
        error.details,
        vec![
            ("Size", "1025".to_owned()),
            ("MaxSizeAllowed", "1024".to_owned())
        ]
    );
}

#[test]
fn delete_objects_answers_each_key_as_delete_object() {
    let loaded = world();
    let ops = who(&loaded, "arn:aws:iam::111111111111:user/ops");
    let dev = who(&loaded, "arn:aws:iam::222222222222:user/dev");
    let call = |who: &sim::Principal| {
        loaded.world.call(
            who,
            Request::DeleteObjects {
                bucket: "taken".to_owned(),
                keys: vec!["a".to_owned(), "b".to_owned()],
            },
        )
    };
    match call(&ops).result {
        Ok(Response::DeletedObjects(answers)) => {
            assert!(answers.iter().all(|(_, r)| r.is_ok()), "{answers:?}")
        }
        other => panic!("{other:?}"),
    }
    match call(&dev).result {
        Ok(Response::DeletedObjects(answers)) => assert!(
            answers
                .iter()
                .all(|(_, r)| r.as_ref().err().is_some_and(|e| e.code == "AccessDenied")),
            "{answers:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_head_of_a_key_too_long_is_the_same_bodiless_400_in_process_and_over_http() {
    let (loaded, creds) = crate::data_ranges::world();
    let who = loaded
        .world
        .authenticate(&creds, sim::Service::S3)
        .expect("authenticated");
    let head = ObjectCall::head(ObjectKey {
        bucket: "home".to_owned(),
        key: "k".repeat(1025),
    });
    let in_process = crate::data_ranges::in_process(&loaded, &who, head.clone()).err();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let over_http = runtime
        .block_on(crate::support::object_over_http(&loaded, &creds, &head))
        .err();
    assert_eq!(in_process.as_deref(), Some("BadRequest"));
    assert_eq!(over_http, in_process);
}
