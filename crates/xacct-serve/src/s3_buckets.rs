//! S3's bucket configuration calls over REST (path-style `/BUCKET?SUB`):
//! `?policy`, `?ownershipControls` and `?publicAccessBlock` read, written
//! and (the policy) deleted, `?location`, and `HEAD /BUCKET`, decoded into
//! the world's [`BucketCall`] and answered in S3's shapes (S3 API
//! Reference, each operation's request and response syntax).

use super::request::{Incoming, Outgoing};
use super::xml_read::{content, elements, malformed_xml, tag, unescape};
use super::{reply, wire};
use xacct_sim::{AwsError, BucketAnswer, BucketCall, RequestId};

/// The bucket call a request on a bucket makes; `None` when it names no
/// call of these (a listing, or an operation not served).
pub(super) fn decode(
    req: &Incoming,
    params: &[(String, String)],
) -> Option<Result<BucketCall, AwsError>> {
    let has = |name: &str| params.iter().any(|(k, _)| k == name);
    let body = || String::from_utf8(req.body.to_vec()).map_err(|_| malformed_xml());
    let call = match (req.method.as_str(), ()) {
        ("HEAD", ()) if params.is_empty() => Ok(BucketCall::Head),
        ("DELETE", ()) if params.is_empty() => Ok(BucketCall::Delete),
        ("GET", ()) if has("location") => Ok(BucketCall::GetLocation),
        ("GET", ()) if has("policy") => Ok(BucketCall::GetPolicy),
        ("PUT", ()) if has("policy") => body().map(BucketCall::PutPolicy),
        ("DELETE", ()) if has("policy") => Ok(BucketCall::DeletePolicy),
        ("GET", ()) if has("ownershipControls") => Ok(BucketCall::GetOwnership),
        ("PUT", ()) if has("ownershipControls") => body().and_then(|xml| {
            tag(&xml, "ObjectOwnership")
                .map(|o| BucketCall::PutOwnership(o.to_owned()))
                .ok_or_else(malformed_xml)
        }),
        ("GET", ()) if has("publicAccessBlock") => Ok(BucketCall::GetPublicAccessBlock),
        ("PUT", ()) if has("publicAccessBlock") => body().and_then(|xml| {
            let setting = |name: &str| match tag(&xml, name) {
                None | Some("false") => Ok(false),
                Some("true") => Ok(true),
                Some(_) => Err(malformed_xml()),
            };
            Ok(BucketCall::PutPublicAccessBlock([
                setting("BlockPublicAcls")?,
                setting("IgnorePublicAcls")?,
                setting("BlockPublicPolicy")?,
                setting("RestrictPublicBuckets")?,
            ]))
        }),
        _ => return None,
    };
    Some(call)
}

/// A DeleteObjects request (`POST /BUCKET?delete`): its keys and whether
/// it asked for the quiet answer.
pub(super) fn delete_objects(
    req: &Incoming,
    params: &[(String, String)],
) -> Option<Result<(Vec<String>, bool), AwsError>> {
    if req.method != "POST" || !params.iter().any(|(k, _)| k == "delete") {
        return None;
    }
    // The SDKs send the body's Content-MD5 or x-amz-checksum-*, which S3
    // checks as it checks a PutObject's (BadDigest when it differs).
    let body = match super::s3_payload::payload(req) {
        Ok(body) => body,
        Err(e) => return Some(Err(e)),
    };
    let Ok(xml) = String::from_utf8(body.to_vec()) else {
        return Some(Err(malformed_xml()));
    };
    let keys: Option<Vec<String>> = elements(&xml, "Object")
        .map(|object| object.and_then(|o| content(o, "Key").map(unescape)))
        .collect();
    let Some(keys) = keys else {
        return Some(Err(malformed_xml()));
    };
    if keys.is_empty() || keys.len() > 1000 {
        return Some(Err(malformed_xml()));
    }
    Some(Ok((keys, tag(&xml, "Quiet") == Some("true"))))
}

/// DeleteObjects's `DeleteResult`: each key deleted (unless quiet) or its error.
pub(super) fn deleted(
    id: &RequestId,
    answers: &[(String, Result<(), AwsError>)],
    quiet: bool,
) -> Outgoing {
    let entries: String = answers
        .iter()
        .map(|(key, result)| match result {
            Ok(()) if quiet => String::new(),
            Ok(()) => format!("<Deleted>{}</Deleted>", wire::element("Key", key)),
            Err(e) => format!(
                "<Error>{}{}{}</Error>",
                wire::element("Key", key),
                wire::element("Code", &e.code),
                wire::element("Message", &e.message)
            ),
        })
        .collect();
    reply::s3(
        *id,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult xmlns=\"{}\">{entries}</DeleteResult>",
            wire::S3_NS
        ),
    )
}

/// A CreateBucket request (`PUT /BUCKET` with no subresource): its
/// `LocationConstraint`, when the body gives one.
pub(super) fn create(req: &Incoming, params: &[(String, String)]) -> Option<Option<String>> {
    if req.method != "PUT" || !params.is_empty() {
        return None;
    }
    let body = String::from_utf8_lossy(&req.body);
    Some(
        tag(&body, "LocationConstraint")
            .filter(|r| !r.is_empty())
            .map(str::to_owned),
    )
}

/// CreateBucket's answer: 200 with the new bucket's `Location`.
pub(super) fn created(id: &RequestId, bucket: &str) -> Outgoing {
    reply::s3_headers_only(id, vec![("location", format!("/{bucket}"))])
}

/// The response to a bucket call's answer.
pub(super) fn encode(id: &RequestId, answer: BucketAnswer) -> Outgoing {
    let xml = |body: String| reply::s3(*id, body);
    match answer {
        BucketAnswer::Policy(json) => {
            let mut out = reply::s3(*id, json);
            out.headers.retain(|(name, _)| *name != "content-type");
            out.headers
                .push(("content-type", "application/json".to_owned()));
            out
        }
        BucketAnswer::Ownership(setting) => xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OwnershipControls xmlns=\"{}\"><Rule>{}</Rule></OwnershipControls>",
            wire::S3_NS,
            wire::element("ObjectOwnership", &setting)
        )),
        BucketAnswer::PublicAccessBlock([acls, ignore, policy, restrict]) => xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PublicAccessBlockConfiguration xmlns=\"{}\"><BlockPublicAcls>{acls}</BlockPublicAcls><IgnorePublicAcls>{ignore}</IgnorePublicAcls><BlockPublicPolicy>{policy}</BlockPublicPolicy><RestrictPublicBuckets>{restrict}</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
            wire::S3_NS
        )),
        // S3 answers us-east-1 as an empty constraint.
        BucketAnswer::Location(region) => xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"{}\">{}</LocationConstraint>",
            wire::S3_NS,
            if region == "us-east-1" {
                String::new()
            } else {
                wire::xml(&region)
            }
        )),
        // HeadBucket: 200 with the bucket's region and ARN (S3 API
        // Reference, HeadBucket, response headers).
        BucketAnswer::Found(region) => reply::s3_headers_only(
            id,
            vec![
                ("x-amz-bucket-region", region),
                ("x-amz-access-point-alias", "false".to_owned()),
            ],
        ),
        BucketAnswer::Done => reply::s3_no_content(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, body: &str) -> Incoming {
        Incoming::new(
            method.to_owned(),
            "/b".to_owned(),
            String::new(),
            Vec::new(),
            body.as_bytes().to_vec(),
        )
    }

    #[test]
    fn delete_objects_reads_escaped_keys() {
        let params = vec![("delete".to_owned(), String::new())];
        let body = "<Delete><Object><Key>a&amp;b</Key></Object><Object><Key>c&#x2F;d</Key></Object><Quiet>true</Quiet></Delete>";
        let got = delete_objects(&req("POST", body), &params).and_then(Result::ok);
        assert_eq!(got, Some((vec!["a&b".to_owned(), "c/d".to_owned()], true)));
        assert!(delete_objects(&req("POST", "<Delete/>"), &params).is_some_and(|r| r.is_err()));
        // The body's digest is checked as a PutObject's is.
        let mut signed = req("POST", body);
        signed.headers = vec![("x-amz-checksum-crc32".to_owned(), b"AAAAAA==".to_vec())];
        let refused = delete_objects(&signed, &params).and_then(Result::err);
        assert_eq!(refused.map(|e| e.code), Some("BadDigest".to_owned()));
    }

    #[test]
    fn configuration_bodies_are_read() {
        let params = vec![("publicAccessBlock".to_owned(), String::new())];
        let body = "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>false</BlockPublicPolicy></PublicAccessBlockConfiguration>";
        assert_eq!(
            decode(&req("PUT", body), &params).and_then(Result::ok),
            Some(BucketCall::PutPublicAccessBlock([
                true, false, false, false
            ]))
        );
        let params = vec![("ownershipControls".to_owned(), String::new())];
        let body = "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>";
        assert_eq!(
            decode(&req("PUT", body), &params).and_then(Result::ok),
            Some(BucketCall::PutOwnership("BucketOwnerEnforced".to_owned()))
        );
        assert!(decode(&req("PUT", "<x/>"), &params).is_some_and(|r| r.is_err()));
        assert!(decode(&req("GET", ""), &[]).is_none());
    }
}
