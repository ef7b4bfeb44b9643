//! S3 ListBuckets over REST-XML, with `max-buckets`, `continuation-token`,
//! `prefix` and `bucket-region` decoded for the world (which pages as S3
//! does) and its page encoded; ListObjectsV2 of a bucket (path-style,
//! every key under `prefix` in one page); the object operations
//! ([`super::s3_objects`]).

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, form, param};
use super::{reply, wire};
use xacct_sim::{
    Answer, AwsError, BucketListing, BucketPage, ObjectListing, Principal, Request, Response,
    Service,
};

/// The world's answer to an authenticated S3 request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let refuse = |error: AwsError, why: &str| endpoint.refuse(who, error, why);
    let params = form(req.query.as_bytes());
    // Path-style: `/BUCKET` (the AWS CLI) or `/BUCKET/` (the Rust SDK).
    let bucket = req.path.strip_prefix('/').unwrap_or_default();
    let bucket = bucket.strip_suffix('/').unwrap_or(bucket);
    let world = &endpoint.world;
    if let Some(at) = super::s3_objects::object_path(&req.path) {
        let call = match super::s3_objects::decode(req, at) {
            Ok(call) => call,
            Err(error) => return refuse(error, "the object request could not be read"),
        };
        let operation = call.operation().name();
        return world
            .call(who, Request::Object(call))
            .map_with_id(|response, id| match response {
                Response::Object(answer) => {
                    super::s3_objects::encode(req, &id, answer, world.now())
                        .unwrap_or_else(|error| reply::error(id, Service::S3, &error))
                }
                other => reply::mismatched(id, Service::S3, operation, &other),
            });
    }
    if !bucket.is_empty()
        && !bucket.contains('/')
        && let Some(asked) = super::s3_buckets::delete_objects(req, &params)
    {
        let (keys, quiet) = match asked {
            Ok(asked) => asked,
            Err(error) => return refuse(error, "the DeleteObjects body could not be read"),
        };
        let request = Request::DeleteObjects {
            bucket: bucket.to_owned(),
            keys,
        };
        return world
            .call(who, request)
            .map_with_id(|response, id| match response {
                Response::DeletedObjects(answers) => {
                    super::s3_buckets::deleted(&id, &answers, quiet)
                }
                other => reply::mismatched(id, Service::S3, "s3:DeleteObjects", &other),
            });
    }
    if !bucket.is_empty()
        && !bucket.contains('/')
        && let Some(region) = super::s3_buckets::create(req, &params)
    {
        let request = Request::CreateBucket {
            bucket: bucket.to_owned(),
            region,
        };
        return world
            .call(who, request)
            .map_with_id(|response, id| match response {
                Response::Bucket(_) => super::s3_buckets::created(&id, bucket),
                other => reply::mismatched(id, Service::S3, "s3:CreateBucket", &other),
            });
    }
    if !bucket.is_empty()
        && !bucket.contains('/')
        && let Some(call) = super::s3_buckets::decode(req, &params)
    {
        let call = match call {
            Ok(call) => call,
            Err(error) => return refuse(error, "the bucket request could not be read"),
        };
        let operation = call.name();
        let request = Request::Bucket {
            bucket: bucket.to_owned(),
            call,
        };
        return world
            .call(who, request)
            .map_with_id(|response, id| match response {
                Response::Bucket(answer) => super::s3_buckets::encode(&id, answer),
                other => reply::mismatched(id, Service::S3, operation, &other),
            });
    }
    if req.method == "GET"
        && !bucket.is_empty()
        && !bucket.contains('/')
        && param(&params, "list-type") == Some("2")
    {
        let text = |name: &str| param(&params, name).map(str::to_owned);
        let listing = ObjectListing {
            prefix: text("prefix"),
            delimiter: text("delimiter"),
            max_keys: text("max-keys"),
            continuation_token: text("continuation-token"),
            start_after: text("start-after"),
        };
        let request = Request::ListObjects {
            bucket: bucket.to_owned(),
            listing: listing.clone(),
        };
        return world
            .call(who, request)
            .map_with_id(|response, id| match response {
                Response::Objects(page) => reply::s3(
                    id,
                    wire::list_objects_v2(bucket, &listing, &page, world.now()),
                ),
                other => reply::mismatched(id, Service::S3, "s3:ListObjectsV2", &other),
            });
    }
    if req.method != "GET" || req.path != "/" {
        return refuse(
            AwsError::new(
                "NotImplemented",
                501,
                "A header you provided implies functionality that is not implemented",
            ),
            "this endpoint speaks S3's ListBuckets and ListObjectsV2 (list-type=2, path-style) only",
        );
    }
    let text = |name: &str| param(&params, name).map(str::to_owned);
    let listing = BucketListing {
        max_buckets: text("max-buckets"),
        continuation_token: text("continuation-token"),
        prefix: text("prefix"),
        bucket_region: text("bucket-region"),
    };
    world
        .call(who, Request::ListBuckets(listing))
        .map_with_id(|response, id| match response {
            Response::Buckets(page) => reply::s3(id, listing_xml(&page)),
            other => reply::mismatched(id, Service::S3, "s3:ListBuckets", &other),
        })
}

/// The `ListAllMyBucketsResult` body of one page.
fn listing_xml(page: &BucketPage) -> String {
    let items: String = page
        .buckets
        .iter()
        .map(|b| {
            wire::bucket(
                &b.name,
                b.created.unwrap_or(std::time::SystemTime::UNIX_EPOCH),
                page.region.as_deref(),
            )
        })
        .collect();
    let next = page
        .next
        .as_ref()
        .map(|token| wire::element("ContinuationToken", token))
        .unwrap_or_default();
    let prefix_echo = page
        .prefix
        .as_ref()
        .map(|p| wire::element("Prefix", p))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{}\"><Owner><ID>{}</ID></Owner><Buckets>{items}</Buckets>{next}{prefix_echo}</ListAllMyBucketsResult>",
        wire::S3_NS,
        page.owner
    )
}
