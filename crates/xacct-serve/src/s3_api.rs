//! S3 over REST-XML: the request routed and decoded once
//! ([`super::s3_route`]), then the world's answer encoded (the world sends
//! a request back to its bucket's region when it was signed for another):
//! ListBuckets (paged as S3 pages), ListObjectsV2, the object operations
//! ([`super::s3_objects`]), multipart uploads ([`super::s3_multipart`])
//! and their listing ([`super::s3_upload_list`]),
//! the bucket calls ([`super::s3_buckets`]).

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing};
use super::s3_route::{Encode, S3Route};
use super::{reply, wire};
use xacct_sim::{Answer, BucketPage, Principal, Response, Service};

/// The world's answer to an authenticated S3 request.
pub(super) fn answer(
    endpoint: &Endpoint,
    req: &Incoming,
    who: &Principal,
    route: S3Route,
) -> Answer<Outgoing> {
    let world = &endpoint.world;
    let (request, encode) = match route.call {
        Ok(call) => call,
        Err((error, why)) => return endpoint.refuse(who, error, why),
    };
    let operation = route.name;
    world
        .call(who, request)
        .map_with_id(|response, id| match (encode, response) {
            (Encode::Buckets, Response::Buckets(page)) => reply::s3(id, listing_xml(&page)),
            (Encode::Objects(echo), Response::Objects(page)) => {
                reply::s3(id, wire::list_objects_v2(&echo, &page))
            }
            (Encode::ObjectsV1(echo), Response::Objects(page)) => {
                reply::s3(id, wire::list_objects_v1(&echo, &page))
            }
            (Encode::Object, Response::Object(answer)) => super::s3_objects::encode(&id, answer),
            (Encode::Multipart(at), Response::Multipart(answer)) => {
                super::s3_multipart::encode(req, &id, &at, answer)
            }
            (Encode::Uploads(echo), Response::Uploads(page)) => {
                reply::s3(id, super::s3_upload_list::list_uploads(&echo, &page))
            }
            (Encode::Deleted(quiet), Response::DeletedObjects(answers)) => {
                super::s3_buckets::deleted(&id, &answers, quiet)
            }
            (Encode::Created(bucket), Response::Bucket(_)) => {
                super::s3_buckets::created(&id, &bucket)
            }
            (Encode::Bucket, Response::Bucket(answer)) => super::s3_buckets::encode(&id, answer),
            (_, other) => reply::mismatched(id, Service::S3, &operation, &other),
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
