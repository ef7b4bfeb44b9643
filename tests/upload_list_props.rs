//! ListMultipartUploads paging as a property: for random uploads in
//! progress (keys with `/` in them, several uploads of one key), any page
//! size, with or without a delimiter and a prefix, walking the pages from
//! `NextKeyMarker` and `NextUploadIdMarker` while `IsTruncated` gives
//! exactly the unpaged listing: every upload and common prefix once, in
//! order (S3 API Reference, ListMultipartUploads).

use proptest::prelude::*;
use xacct::cloud::ObjectKey;
use xacct::sim::{
    self, MultipartAnswer, MultipartCall, Service, Starter, UploadListing, UploadPage,
};

/// Keys from a small alphabet, so that keys repeat and share prefixes.
fn key() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just("a"), Just("b"), Just("/"), Just("é")],
        1..5,
    )
    .prop_map(|parts| parts.concat())
}

type Walked = (Vec<(String, String)>, Vec<String>);

fn walk(list: &dyn Fn(&UploadListing) -> UploadPage, asked: &UploadListing, size: usize) -> Walked {
    let (mut uploads, mut prefixes) = (Vec::new(), Vec::new());
    let mut listing = UploadListing {
        max_uploads: Some(size.to_string()),
        ..asked.clone()
    };
    for _ in 0..100 {
        let page = list(&listing);
        uploads.extend(
            page.uploads
                .iter()
                .map(|u| (u.key.clone(), u.upload_id.clone())),
        );
        prefixes.extend(page.common_prefixes.iter().cloned());
        if !page.truncated {
            return (uploads, prefixes);
        }
        let (key, id) = page
            .last
            .clone()
            .expect("a truncated page names its last upload");
        listing.key_marker = Some(key);
        listing.upload_id_marker = Some(id);
    }
    panic!("the pages never ended");
}

/// The world of the S3 wire tests (a user `ops` allowed all of S3, a
/// bucket `home`), with `ops` authenticated for S3.
pub(crate) fn world() -> (sim::Loaded, sim::Principal) {
    let loaded = sim::build(
        sim::parse(crate::serve_s3_wire::WORLD, "uploads.yaml").expect("parses"),
        "uploads.yaml",
    )
    .expect("builds");
    let creds = sim::credentials_for(
        &loaded,
        &Starter {
            arn: "arn:aws:iam::111111111111:user/ops",
            ..Default::default()
        },
    )
    .expect("ops");
    let who = loaded
        .world
        .authenticate(&creds, Service::S3)
        .expect("authenticated");
    (loaded, who)
}

/// A new upload of `home/KEY`.
pub(crate) fn start(loaded: &sim::Loaded, who: &sim::Principal, key: &str) -> sim::Response {
    let create = MultipartCall::Create {
        at: ObjectKey {
            bucket: "home".to_owned(),
            key: key.to_owned(),
        },
        acl: None,
        kms_key: None,
        headers: Default::default(),
    };
    loaded
        .world
        .call(who, sim::Request::Multipart(create))
        .result
        .expect("started")
}

/// Every upload of `home`, as (key, upload id), in the listing's order.
pub(crate) fn listed(loaded: &sim::Loaded, who: &sim::Principal) -> Vec<(String, String)> {
    let request = sim::Request::ListUploads {
        bucket: "home".to_owned(),
        listing: UploadListing::default(),
    };
    match loaded.world.call(who, request).result {
        Ok(sim::Response::Uploads(page)) => page
            .uploads
            .into_iter()
            .map(|u| (u.key, u.upload_id))
            .collect(),
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_page_size_walks_the_unpaged_listing(
        keys in prop::collection::vec(key(), 0..12),
        size in 1usize..5,
        delimiter in prop_oneof![Just(None), Just(Some("/".to_owned()))],
        prefix in prop_oneof![Just(None), Just(Some("a".to_owned())), Just(Some("a/".to_owned()))],
    ) {
        let (loaded, who) = world();
        for key in &keys {
            let created = start(&loaded, &who, key);
            let started = matches!(created, sim::Response::Multipart(MultipartAnswer::Created { .. }));
            prop_assert!(started, "{:?}", created);
        }
        let list = |listing: &UploadListing| {
            let request = sim::Request::ListUploads { bucket: "home".to_owned(), listing: listing.clone() };
            match loaded.world.call(&who, request).result {
                Ok(sim::Response::Uploads(page)) => page,
                other => panic!("{other:?}"),
            }
        };
        let asked = UploadListing { prefix: prefix.clone(), delimiter: delimiter.clone(), ..UploadListing::default() };
        let whole = list(&asked);
        prop_assert!(!whole.truncated);
        let unpaged: Walked = (
            whole.uploads.iter().map(|u| (u.key.clone(), u.upload_id.clone())).collect(),
            whole.common_prefixes.clone(),
        );
        // Every upload under the prefix is listed or rolled up, by key.
        let under = keys.iter().filter(|k| k.starts_with(prefix.as_deref().unwrap_or_default())).count();
        let rolled = keys.iter().filter(|k| {
            let p = prefix.as_deref().unwrap_or_default();
            k.starts_with(p) && delimiter.is_some() && k[p.len()..].contains('/')
        }).count();
        prop_assert_eq!(unpaged.0.len(), under - rolled);
        prop_assert!(unpaged.0.windows(2).all(|w| w[0].0 <= w[1].0));
        prop_assert_eq!(walk(&list, &asked, size), unpaged);
    }
}
