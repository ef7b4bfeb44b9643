//! S3 ListBuckets over REST-XML, with `max-buckets`, `continuation-token`,
//! `prefix` and `bucket-region` as AWS pages them; ListObjectsV2 of a
//! bucket (path-style, every key in one page).

use super::endpoint::Endpoint;
use super::request::{Incoming, Outgoing, form, param};
use super::{reply, sigv4, wire};
use xacct_aws::cloud::Bucket;
use xacct_sim::{Answer, AwsError, Principal, Request, Response, Service, Why, World};

/// A ListBuckets page request.
struct Page<'a> {
    max: Option<usize>,
    token: Option<&'a str>,
    prefix: Option<&'a str>,
    region: Option<&'a str>,
}

impl Page<'_> {
    /// Whether the request asks for pages, which also adds `BucketRegion`.
    fn paginated(&self) -> bool {
        self.max.is_some() || self.token.is_some() || self.prefix.is_some() || self.region.is_some()
    }
}

fn page(params: &[(String, String)]) -> Result<Page<'_>, AwsError> {
    let max = match param(params, "max-buckets") {
        None => None,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=10000).contains(&n) => Some(n),
            _ => {
                return Err(AwsError::new(
                    "InvalidArgument",
                    400,
                    "Argument max-buckets must be an integer between 1 and 10000.",
                ));
            }
        },
    };
    Ok(Page {
        max,
        token: param(params, "continuation-token"),
        prefix: param(params, "prefix"),
        region: param(params, "bucket-region"),
    })
}

/// The world's answer to an authenticated S3 request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let refuse =
        |error: AwsError, why: &str| Answer::refused(who.who().clone(), error, Why::rule(why));
    let params = form(req.query.as_bytes());
    // Path-style: `/BUCKET` (the AWS CLI) or `/BUCKET/` (the Rust SDK).
    let bucket = req.path.strip_prefix('/').unwrap_or_default();
    let bucket = bucket.strip_suffix('/').unwrap_or(bucket);
    let world = &endpoint.world;
    if req.method == "GET"
        && !bucket.is_empty()
        && !bucket.contains('/')
        && param(&params, "list-type") == Some("2")
    {
        let request = Request::ListObjects {
            bucket: bucket.to_owned(),
        };
        return world.call(who, request).map(|response| match response {
            Response::Objects(keys) => {
                reply::s3(world, wire::list_objects_v2(bucket, &keys, world.now()))
            }
            other => mismatched(world, &other),
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
    let page = match page(&params) {
        Ok(page) => page,
        Err(error) => return refuse(error, "max-buckets is out of range"),
    };
    let account = who.who().account.clone().unwrap_or_default();
    world
        .call(who, Request::ListBuckets)
        .map(|response| match response {
            Response::Buckets(buckets) => {
                reply::s3(world, listing(buckets, &page, world.region(), &account))
            }
            other => mismatched(world, &other),
        })
}

/// The answer to a request the world answered with another operation's
/// output: the simulator's bug, answered as AWS answers its own.
fn mismatched(world: &World, got: &Response) -> Outgoing {
    let message = format!("the simulator answered an S3 request with {}", got.shown());
    reply::error(
        world,
        Service::S3,
        &AwsError::new("InternalError", 500, message),
    )
}

/// The `ListAllMyBucketsResult` body of one page.
fn listing(mut buckets: Vec<Bucket>, page: &Page<'_>, region: &str, account: &str) -> String {
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    let start_after = page.token.map(decode_token);
    let selected: Vec<_> = buckets
        .into_iter()
        .filter(|b| page.prefix.is_none_or(|p| b.name.starts_with(p)))
        .filter(|_| page.region.is_none_or(|r| r == region))
        .filter(|b| {
            start_after
                .as_ref()
                .is_none_or(|after| b.name.as_str() > after.as_str())
        })
        .collect();
    let paginated = page.paginated();
    let size = if paginated {
        page.max.unwrap_or(10000)
    } else {
        usize::MAX
    };
    let shown = &selected[..selected.len().min(size)];
    let items: String = shown
        .iter()
        .map(|b| {
            wire::bucket(
                &b.name,
                b.created.unwrap_or(std::time::SystemTime::UNIX_EPOCH),
                paginated.then_some(region),
            )
        })
        .collect();
    let next = match shown.last() {
        Some(last) if selected.len() > size => {
            wire::element("ContinuationToken", &encode_token(&last.name))
        }
        _ => String::new(),
    };
    let prefix_echo = page
        .prefix
        .map(|p| wire::element("Prefix", p))
        .unwrap_or_default();
    let owner = sigv4::sha256_hex(format!("canonical-user:{account}").as_bytes());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{}\"><Owner><ID>{owner}</ID></Owner><Buckets>{items}</Buckets>{next}{prefix_echo}</ListAllMyBucketsResult>",
        wire::S3_NS
    )
}

fn encode_token(name: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(name)
}

fn decode_token(token: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
