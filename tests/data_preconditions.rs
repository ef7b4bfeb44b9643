//! Conditional requests as S3 answers them (S3 API Reference, GetObject,
//! HeadObject and PutObject; S3 User Guide, "How to prevent object
//! overwrites with conditional writes"; the order of RFC 9110 13.2.2): a
//! write with `If-None-Match: *` stores only where no object is (the lock
//! file of Terraform's S3 backend), one with `If-Match` only over the
//! object that has that ETag; a read's `If-Match` and
//! `If-Unmodified-Since` fail with 412, its `If-None-Match` and
//! `If-Modified-Since` answer 304. The same answers come in process and
//! through `xacct serve` with the SDK's own client.

use std::time::Duration;

use xacct::cloud::{
    ObjectAnswer, ObjectCall, ObjectGet, ObjectKey, ObjectMeta, ObjectPut, Preconditions, S3Objects,
};
use xacct::sim::{self, Service};

fn at(key: &str) -> ObjectKey {
    ObjectKey {
        bucket: "home".to_owned(),
        key: key.to_owned(),
    }
}

fn put(key: &str, body: &str, when: Preconditions) -> ObjectCall {
    ObjectCall::Put(ObjectPut {
        at: at(key),
        body: body.as_bytes().to_vec().into(),
        acl: None,
        kms_key: None,
        when,
        headers: xacct::cloud::ObjectHeaders::default(),
    })
}

/// `If-None-Match: *`: create, never overwrite.
fn create_only() -> Preconditions {
    Preconditions {
        if_none_match: Some("*".to_owned()),
        ..Preconditions::default()
    }
}

fn if_match(etag: &str) -> Preconditions {
    Preconditions {
        if_match: Some(etag.to_owned()),
        ..Preconditions::default()
    }
}

/// "ok" or the error's code.
fn code(answer: Result<ObjectAnswer, String>) -> String {
    answer.map_or_else(|code| code, |_| "ok".to_owned())
}

use crate::data_ranges::{in_process, world};

#[test]
fn conditional_writes_and_reads_answer_as_s3_in_process_and_over_http() {
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
    let http = |call: ObjectCall| {
        runtime
            .block_on(cloud.object(&creds, &call))
            .map_err(|e| e.code.unwrap_or_default())
    };
    let meta = |key: &str| -> ObjectMeta {
        match http(ObjectCall::head(at(key))) {
            Ok(ObjectAnswer::Meta(meta)) => meta,
            other => panic!("{other:?}"),
        }
    };

    // Writes, through the endpoint: a lock is taken once.
    assert_eq!(code(http(put("tf.lock", "held", create_only()))), "ok");
    assert_eq!(
        code(http(put("tf.lock", "mine", create_only()))),
        "PreconditionFailed"
    );
    let held = meta("tf.lock");
    assert_eq!(
        code(http(put("tf.lock", "x", if_match("\"0123\"")))),
        "PreconditionFailed"
    );
    assert_eq!(
        code(http(put("no-such", "x", if_match(&held.etag)))),
        "NoSuchKey"
    );
    assert_eq!(
        code(http(put("tf.lock", "next", if_match(&held.etag)))),
        "ok"
    );
    assert_ne!(meta("tf.lock").etag, held.etag, "If-Match wrote over it");

    // Reads: the same answer in process and over HTTP, GET and HEAD alike.
    let now = meta("tf.lock");
    let written = now.last_modified.expect("Last-Modified");
    let hour = Duration::from_secs(3600);
    let cases = [
        (if_match(&now.etag), "ok"),
        (if_match("\"0123\""), "PreconditionFailed"),
        (
            Preconditions {
                if_none_match: Some(now.etag.clone()),
                ..Preconditions::default()
            },
            "NotModified",
        ),
        (
            Preconditions {
                if_none_match: Some("\"0123\"".to_owned()),
                ..Preconditions::default()
            },
            "ok",
        ),
        (
            Preconditions {
                if_modified_since: Some(written + hour),
                ..Preconditions::default()
            },
            "NotModified",
        ),
        (
            Preconditions {
                if_modified_since: Some(written - hour),
                ..Preconditions::default()
            },
            "ok",
        ),
        (
            Preconditions {
                if_unmodified_since: Some(written - hour),
                ..Preconditions::default()
            },
            "PreconditionFailed",
        ),
        (
            Preconditions {
                if_unmodified_since: Some(written + hour),
                ..Preconditions::default()
            },
            "ok",
        ),
        // If-Match decides instead of If-Unmodified-Since, If-None-Match
        // instead of If-Modified-Since (RFC 9110 13.2.2).
        (
            Preconditions {
                if_match: Some(now.etag.clone()),
                if_unmodified_since: Some(written - hour),
                ..Preconditions::default()
            },
            "ok",
        ),
        (
            Preconditions {
                if_none_match: Some("\"0123\"".to_owned()),
                if_modified_since: Some(written + hour),
                ..Preconditions::default()
            },
            "ok",
        ),
    ];
    for (when, expected) in cases {
        let get = ObjectGet {
            at: at("tf.lock"),
            range: None,
            when: when.clone(),
        };
        for call in [ObjectCall::Get(get.clone()), ObjectCall::Head(get)] {
            assert_eq!(
                code(in_process(&loaded, &who, call.clone())),
                expected,
                "in process: {call:?}"
            );
            assert_eq!(code(http(call.clone())), expected, "over HTTP: {call:?}");
        }
    }
    runtime.block_on(server.stop());
}

#[test]
fn of_writers_racing_for_one_key_with_if_none_match_exactly_one_wins() {
    let (loaded, creds) = world();
    let who = loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated");
    let won = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..8)
            .map(|n| {
                let (world, who) = (&loaded.world, &who);
                scope.spawn(move || {
                    let call = put("race.lock", &format!("writer {n}"), create_only());
                    world.call(who, sim::Request::Object(call)).result.is_ok()
                })
            })
            .collect();
        racers
            .into_iter()
            .map(|racer| racer.join().expect("a writer"))
            .filter(|&won| won)
            .count()
    });
    assert_eq!(won, 1);
}
