//! S3 ListBuckets over REST-XML, with `max-buckets`, `continuation-token`,
//! `prefix` and `bucket-region` as AWS pages them.

use std::time::SystemTime;

use super::auth::verify;
use super::handler::{Endpoint, Incoming, LogLine, Outgoing, form, s3_request_id};
use super::{sigv4, wire};
use crate::cloud::Credentials;
use crate::sim::aws_error::{AwsError, Service};
use crate::sim::s3;
use crate::sim::world::World;

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub(super) fn s3_request(
    endpoint: &Endpoint,
    req: &Incoming,
    line: &mut LogLine,
) -> Result<Outgoing, AwsError> {
    line.operation = "s3:ListBuckets".to_owned();
    let params = form(&req.query);
    let creds = verify(endpoint, req, Service::S3)?;
    line.caller = creds.access_key_id.clone();
    if req.method != "GET" || req.path != "/" {
        line.operation = format!("s3:{} {}", req.method, req.path);
        return Err(AwsError::new(
            "NotImplemented",
            501,
            "A header you provided implies functionality that is not implemented",
        ));
    }
    if let Some(err) = endpoint.faults.take("s3:ListBuckets") {
        return Err(err);
    }
    let max = match param(&params, "max-buckets") {
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
    let token = param(&params, "continuation-token");
    let prefix = param(&params, "prefix");
    let region_filter = param(&params, "bucket-region");
    let paginated = max.is_some() || token.is_some() || prefix.is_some() || region_filter.is_some();
    let world = &endpoint.world;
    let mut buckets = s3::list_buckets(world, &creds)?;
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    let region = world.model.region.clone();
    let start_after = token.map(decode_token);
    let selected: Vec<_> = buckets
        .into_iter()
        .filter(|b| prefix.is_none_or(|p| b.name.starts_with(p)))
        .filter(|_| region_filter.is_none_or(|r| r == region))
        .filter(|b| {
            start_after
                .as_ref()
                .is_none_or(|after| b.name.as_str() > after.as_str())
        })
        .collect();
    let page = if paginated {
        max.unwrap_or(10000)
    } else {
        usize::MAX
    };
    let more = selected.len() > page;
    let shown = &selected[..selected.len().min(page)];
    let items: String = shown
        .iter()
        .map(|b| {
            wire::bucket(
                &b.name,
                b.created.unwrap_or(SystemTime::UNIX_EPOCH),
                paginated.then_some(region.as_str()),
            )
        })
        .collect();
    let next = if more {
        shown
            .last()
            .map(|b| wire::element("ContinuationToken", &encode_token(&b.name)))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let prefix_echo = prefix
        .map(|p| wire::element("Prefix", p))
        .unwrap_or_default();
    let caller_account = owner_account(world, &creds).unwrap_or_default();
    let owner = sigv4::sha256_hex(format!("canonical-user:{caller_account}").as_bytes());
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{}\"><Owner><ID>{owner}</ID></Owner><Buckets>{items}</Buckets>{next}{prefix_echo}</ListAllMyBucketsResult>",
        wire::S3_NS
    );
    let id = s3_request_id(world);
    Ok(Outgoing {
        status: 200,
        headers: vec![
            ("content-type", "application/xml".to_owned()),
            ("x-amz-request-id", id.clone()),
            ("x-amz-id-2", format!("{id}{id}")),
            ("server", "AmazonS3".to_owned()),
        ],
        body,
    })
}

fn owner_account(world: &World, creds: &Credentials) -> Option<String> {
    crate::sim::identity::authenticate(world, creds, Service::S3)
        .ok()
        .map(|i| i.account().to_owned())
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
