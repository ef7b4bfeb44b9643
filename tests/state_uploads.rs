//! Uploads in progress kept by a snapshot (what `serve --state` writes)
//! come back listed in the same order, with their parts and the bytes the
//! store cap counts, or not at all when the snapshot does not hold
//! together (a bucket not kept, a body changed, a part number out of
//! range), the error naming the upload and the part. A snapshot without
//! uploads is written, and read, as before uploads were kept.

use xacct::cloud::ObjectKey;
use xacct::sim::{self, MultipartCall, StoreSnapshot};

use crate::upload_list_props::{listed, start, world};

#[test]
fn uploads_kept_by_a_snapshot_come_back_in_order_with_their_parts() {
    let (loaded, who) = world();
    for key in ["k", "k", "j"] {
        start(&loaded, &who, key);
    }
    let before = listed(&loaded, &who);
    let (k, id) = before[1].clone();
    let part = MultipartCall::UploadPart {
        upload: sim::UploadRef {
            at: ObjectKey {
                bucket: "home".to_owned(),
                key: k,
            },
            upload_id: id,
        },
        part_number: "1".to_owned(),
        body: b"part".to_vec().into(),
    };
    loaded
        .world
        .call(&who, sim::Request::Multipart(part))
        .result
        .expect("a part");
    let (snapshot, bodies) = loaded.world.snapshot();
    assert_eq!(snapshot.uploads.len(), 3);
    let body = |digest: &str| {
        bodies
            .iter()
            .find(|(d, _)| d == digest)
            .map(|(_, b)| b.to_vec())
            .ok_or_else(|| format!("no body {digest}"))
    };

    let (again, who_again) = world();
    again.world.restore(&snapshot, body).expect("restored");
    assert_eq!(
        listed(&again, &who_again),
        before,
        "the same uploads, in the same order"
    );
    assert_eq!(
        again.world.stored_bytes(),
        loaded.world.stored_bytes(),
        "the cap counts them alike"
    );
    let (kept, _) = again.world.snapshot();
    assert_eq!(kept, snapshot, "the parts too");
    // One started after the restore comes after those of its key.
    start(&again, &who_again, "k");
    let after = listed(&again, &who_again);
    assert_eq!(after[..3], before[..]);
    assert_eq!(after[3].0, "k");

    // An upload whose bucket is not kept is refused, naming it; nothing changes.
    let mut orphan = snapshot.clone();
    orphan.buckets.clear();
    let (third, who_third) = world();
    let error = third.world.restore(&orphan, body).expect_err("refused");
    assert!(
        error.contains("its bucket is not kept") && error.contains("s3://home/"),
        "{error}"
    );
    assert!(listed(&third, &who_third).is_empty());
    // A part whose body changed is refused, naming the part.
    let changed = |digest: &str| {
        body(digest).map(|mut b| {
            b.push(b'!');
            b
        })
    };
    let error = third
        .world
        .restore(&snapshot, changed)
        .expect_err("refused");
    assert!(
        error.contains("part 1: its body does not have the SHA-256"),
        "{error}"
    );
    let mut numbered = snapshot.clone();
    if let Some(upload) = numbered.uploads.iter_mut().find(|u| !u.parts.is_empty()) {
        upload.parts[0].number = 10_001;
    }
    let error = third.world.restore(&numbered, body).expect_err("refused");
    assert!(
        error.contains("part 10001: no part number (1-10000)"),
        "{error}"
    );
    assert!(listed(&third, &who_third).is_empty());
}

#[test]
fn a_snapshot_without_uploads_is_written_and_read_as_before() {
    let (loaded, _) = world();
    let (snapshot, _) = loaded.world.snapshot();
    assert!(snapshot.uploads.is_empty());
    let text = serde_json::to_string(&snapshot).expect("encodes");
    assert!(!text.contains("uploads"), "{text}");
    // A snapshot written before uploads were kept has no such key.
    let read: StoreSnapshot = serde_json::from_str(r#"{"buckets": []}"#).expect("reads");
    assert!(read.uploads.is_empty() && read.buckets.is_empty());
}
