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
    };
    assert_eq!(
        code(world.call(&ops, Request::Object(ObjectCall::Put(put("taken", "k"))))),
        "ok"
    );
    let copy = |to: &str| {
        Request::Object(ObjectCall::Copy(xacct::cloud::ObjectCopy {
            from: at("taken", "k"),
            to: put(to, "copy"),
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
