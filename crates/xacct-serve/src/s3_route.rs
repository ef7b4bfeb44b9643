//! Which S3 operation a request is, read once from its method, host, path
//! and query, and decoded into the world's [`Request`]: path-style
//! (`/BUCKET/KEY`, what botocore and the AWS CLI send to a custom
//! endpoint) or virtual-hosted (`BUCKET.localhost:PORT/KEY`, what the Rust
//! and JavaScript SDKs send to `http://localhost:PORT`, whose endpoint
//! rules put the bucket in the host unless the endpoint is an IP address).
//! The decoding's error is kept and answered only after the signature
//! verifies, as S3 checks who asks before what is asked.

use super::request::{Incoming, form, param};
use super::s3_refusals::{not_implemented, object_subresource, unknown_encoding};
use super::wire::ListEcho;
use xacct_aws::cloud::ObjectKey;
use xacct_sim::{AwsError, BucketListing, ObjectListing, Request};

/// How the world's answer is encoded.
#[derive(Debug, Clone)]
pub(super) enum Encode {
    /// ListBuckets's page.
    Buckets,
    /// ListObjectsV2's page, echoing the listing asked for.
    Objects(ListEcho),
    /// ListObjects (V1)'s page, echoing the listing asked for (its
    /// `marker` as `start_after`).
    ObjectsV1(ListEcho),
    /// An object call's answer.
    Object,
    /// A multipart call's answer, for this object.
    Multipart(ObjectKey),
    /// ListMultipartUploads's page, echoing the listing asked for.
    Uploads(super::s3_upload_list::UploadsEcho),
    /// DeleteObjects's result, quiet or not.
    Deleted(bool),
    /// CreateBucket's `Location`.
    Created(String),
    /// A bucket call's answer.
    Bucket,
}

/// A request decoded: the operation's name, and the world's request with
/// how to encode its answer (or S3's error).
#[derive(Debug)]
pub(super) struct S3Route {
    /// The operation as AWS names it (`s3:PutObject`), for the log.
    pub name: String,
    /// The request, or why it cannot be made, and why in words.
    pub call: Result<(Request, Encode), (AwsError, &'static str)>,
}

/// The bucket and the percent-encoded key a request addresses.
fn addressed(req: &Incoming) -> (String, String) {
    let path = req.path.strip_prefix('/').unwrap_or(&req.path);
    if let Some(host) = req.header("host")
        && let Some(bucket) = super::s3_host::virtual_bucket(&host)
    {
        return (bucket.to_owned(), path.to_owned());
    }
    match path.split_once('/') {
        Some((bucket, key)) => (bucket.to_owned(), key.to_owned()),
        None => (path.to_owned(), String::new()),
    }
}

impl S3Route {
    /// The route of `req`.
    pub(super) fn of(req: &Incoming) -> Self {
        let (bucket, key) = addressed(req);
        let params = form(req.query.as_bytes());
        let named = |name: &str, call| Self {
            name: name.to_owned(),
            call,
        };
        if bucket.is_empty() {
            if req.method != "GET" {
                return named(
                    &format!("s3:{} /", req.method),
                    Err(not_implemented(
                        "no S3 operation of this endpoint takes this method on /",
                    )),
                );
            }
            let text = |name: &str| param(&params, name).map(str::to_owned);
            let listing = BucketListing {
                max_buckets: text("max-buckets"),
                continuation_token: text("continuation-token"),
                prefix: text("prefix"),
                bucket_region: text("bucket-region"),
            };
            return named(
                "s3:ListBuckets",
                Ok((Request::ListBuckets(listing), Encode::Buckets)),
            );
        }
        if !key.is_empty() {
            let Ok(key) = percent_encoding::percent_decode_str(&key).decode_utf8() else {
                return named(
                    &format!("s3:{} object", req.method),
                    Err((
                        AwsError::new("InvalidURI", 400, "Couldn't parse the specified URI."),
                        "the object key is not UTF-8 once percent-decoded",
                    )),
                );
            };
            let at = ObjectKey {
                bucket: bucket.clone(),
                key: key.into_owned(),
            };
            return Self::object(req, at, &params);
        }
        Self::bucket(req, bucket, &params)
    }

    fn object(req: &Incoming, at: ObjectKey, params: &[(String, String)]) -> Self {
        if let Some(operation) = object_subresource(&req.method, params) {
            return Self {
                name: format!("s3:{operation}"),
                call: Err(not_implemented(
                    "this endpoint does not serve this object operation (see the README's served S3 operations)",
                )),
            };
        }
        if let Some(call) = super::s3_multipart::decode(req, &at, params) {
            let name = match &call {
                Ok(call) => call.name().to_owned(),
                Err(_) => format!("s3:{} multipart", req.method),
            };
            return Self {
                name,
                call: call
                    .map(|c| (Request::Multipart(c), Encode::Multipart(at)))
                    .map_err(|e| (e, "the multipart request could not be read")),
            };
        }
        let call = super::s3_objects::decode(req, at);
        let name = match &call {
            Ok(call) => call.operation().name().to_owned(),
            Err(_) => format!("s3:{} object", req.method),
        };
        Self {
            name,
            call: call
                .map(|c| (Request::Object(c), Encode::Object))
                .map_err(|e| (e, "the object request could not be read")),
        }
    }

    fn bucket(req: &Incoming, bucket: String, params: &[(String, String)]) -> Self {
        /// ListObjects (V1)'s parameters.
        const V1: [&str; 6] = [
            "prefix",
            "delimiter",
            "marker",
            "max-keys",
            "encoding-type",
            "x-id",
        ];
        let route = |name: &str, call| Self {
            name: name.to_owned(),
            call,
        };
        if let Some(asked) = super::s3_buckets::delete_objects(req, params) {
            let call = asked
                .map(|(keys, quiet)| {
                    let request = Request::DeleteObjects {
                        bucket: bucket.clone(),
                        keys,
                    };
                    (request, Encode::Deleted(quiet))
                })
                .map_err(|e| (e, "the DeleteObjects body could not be read"));
            return route("s3:DeleteObjects", call);
        }
        if let Some(region) = super::s3_buckets::create(req, params) {
            let request = Request::CreateBucket {
                bucket: bucket.clone(),
                region,
            };
            return route(
                "s3:CreateBucket",
                Ok((request, Encode::Created(bucket.clone()))),
            );
        }
        if let Some(call) = super::s3_buckets::decode(req, params) {
            let name = match &call {
                Ok(call) => call.name().to_owned(),
                Err(_) => format!("s3:{} bucket", req.method),
            };
            let call = call
                .map(|call| {
                    let request = Request::Bucket {
                        bucket: bucket.clone(),
                        call,
                    };
                    (request, Encode::Bucket)
                })
                .map_err(|e| (e, "the bucket request could not be read"));
            return route(&name, call);
        }
        let listing = req.method == "GET"
            && (param(params, "uploads").is_some()
                || param(params, "list-type") == Some("2")
                || params.iter().all(|(k, _)| V1.contains(&k.as_str())));
        if listing && let Some(refused) = unknown_encoding(params) {
            let name = if param(params, "uploads").is_some() {
                "s3:ListMultipartUploads"
            } else if param(params, "list-type") == Some("2") {
                "s3:ListObjectsV2"
            } else {
                "s3:ListObjects"
            };
            return route(name, Err(refused));
        }
        if req.method == "GET" && param(params, "uploads").is_some() {
            let echo = super::s3_upload_list::UploadsEcho::of(&bucket, params);
            let request = Request::ListUploads {
                bucket: bucket.clone(),
                listing: echo.listing.clone(),
            };
            return route(
                "s3:ListMultipartUploads",
                Ok((request, Encode::Uploads(echo))),
            );
        }
        // ListObjectsV2 (`list-type=2`), or ListObjects (V1): a GET of the
        // bucket with V1's parameters and no others, so that an unserved
        // subresource (`?versioning`) is never taken for a listing.
        let v2 = param(params, "list-type") == Some("2");
        if req.method == "GET" && (v2 || params.iter().all(|(k, _)| V1.contains(&k.as_str()))) {
            let text = |name: &str| param(params, name).map(str::to_owned);
            let (name, token, after) = if v2 {
                (
                    "s3:ListObjectsV2",
                    text("continuation-token"),
                    text("start-after"),
                )
            } else {
                ("s3:ListObjects", None, text("marker"))
            };
            let listing = ObjectListing {
                prefix: text("prefix"),
                delimiter: text("delimiter"),
                max_keys: text("max-keys"),
                continuation_token: token,
                start_after: after,
            };
            let request = Request::ListObjects {
                bucket: bucket.clone(),
                listing: listing.clone(),
            };
            let echo = ListEcho {
                bucket: bucket.clone(),
                listing,
                url: param(params, "encoding-type") == Some("url"),
                owner: !v2 || param(params, "fetch-owner") == Some("true"),
            };
            let encode = if v2 {
                Encode::Objects(echo)
            } else {
                Encode::ObjectsV1(echo)
            };
            return route(name, Ok((request, encode)));
        }
        route(
            &format!("s3:{} bucket", req.method),
            Err(not_implemented(
                "this endpoint does not serve this bucket operation (see the README's served S3 operations)",
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, host: &str, path: &str, query: &str) -> Incoming {
        Incoming::new(
            method.to_owned(),
            path.to_owned(),
            query.to_owned(),
            vec![("host".to_owned(), host.as_bytes().to_vec())],
            Vec::new(),
        )
    }

    #[test]
    fn path_style_and_virtual_hosted_requests_name_the_same_operation() {
        for (host, path) in [
            ("127.0.0.1:9000", "/reports/q1%20summary.csv"),
            ("reports.localhost:9000", "/q1%20summary.csv"),
            ("reports.s3.localhost", "/q1%20summary.csv"),
            ("reports.s3.eu-west-1.amazonaws.com", "/q1%20summary.csv"),
        ] {
            let route = S3Route::of(&req("GET", host, path, ""));
            assert_eq!(route.name, "s3:GetObject", "{host}{path}");
            match route.call {
                Ok((Request::Object(call), _)) => {
                    assert_eq!(call.at().bucket, "reports", "{host}{path}");
                    assert_eq!(call.at().key, "q1 summary.csv");
                }
                other => panic!("{host}: {other:?}"),
            }
        }
        let listing = S3Route::of(&req("GET", "reports.localhost:1", "/", "list-type=2"));
        assert_eq!(listing.name, "s3:ListObjectsV2");
        assert_eq!(
            S3Route::of(&req("GET", "localhost:1", "/", "")).name,
            "s3:ListBuckets"
        );
        assert_eq!(
            S3Route::of(&req("POST", "localhost:1", "/b/k", "uploads")).name,
            "s3:CreateMultipartUpload"
        );
        assert_eq!(
            S3Route::of(&req("DELETE", "b.localhost", "/k", "uploadId=x")).name,
            "s3:AbortMultipartUpload"
        );
        assert_eq!(
            S3Route::of(&req("PUT", "b.localhost", "/", "")).name,
            "s3:CreateBucket"
        );
    }

    #[test]
    fn a_get_of_the_bucket_lists_it_with_v1_s_parameters_and_no_others() {
        for query in [
            "",
            "prefix=a%2F&delimiter=%2F",
            "marker=k&max-keys=2&encoding-type=url",
        ] {
            let route = S3Route::of(&req("GET", "127.0.0.1:1", "/b", query));
            assert_eq!(route.name, "s3:ListObjects", "?{query}");
            assert!(
                matches!(route.call, Ok((_, Encode::ObjectsV1(_)))),
                "?{query}"
            );
        }
        // An encoding other than `url` is refused for every listing.
        for (query, name) in [
            ("encoding-type=base64", "s3:ListObjects"),
            ("list-type=2&encoding-type=x", "s3:ListObjectsV2"),
            ("uploads&encoding-type=URL", "s3:ListMultipartUploads"),
        ] {
            let route = S3Route::of(&req("GET", "127.0.0.1:1", "/b", query));
            assert_eq!(route.name, name, "?{query}");
            match route.call {
                Err((error, _)) => assert_eq!(
                    (error.code.as_str(), error.message.as_str()),
                    (
                        "InvalidArgument",
                        "Invalid Encoding Method specified in Request"
                    ),
                    "?{query}"
                ),
                Ok(call) => panic!("?{query} was decoded as {call:?}"),
            }
        }
        let url = S3Route::of(&req(
            "GET",
            "127.0.0.1:1",
            "/b",
            "uploads&encoding-type=url",
        ));
        assert!(url.call.is_ok(), "{:?}", url.call);
        // An unserved subresource stays unserved, never a listing.
        let versioning = S3Route::of(&req("GET", "127.0.0.1:1", "/b", "versioning"));
        assert!(versioning.call.is_err(), "{:?}", versioning.call);
    }

    #[test]
    fn an_object_subresource_is_its_own_operation_never_the_plain_object_call() {
        for (method, query, operation) in [
            ("PUT", "tagging", "s3:PutObjectTagging"),
            ("DELETE", "tagging", "s3:DeleteObjectTagging"),
            ("GET", "tagging", "s3:GetObjectTagging"),
            ("PUT", "acl", "s3:PutObjectAcl"),
            ("GET", "acl=", "s3:GetObjectAcl"),
            ("GET", "attributes", "s3:GetObjectAttributes"),
            ("POST", "restore", "s3:RestoreObject"),
            ("POST", "select&select-type=2", "s3:SelectObjectContent"),
        ] {
            let route = S3Route::of(&req(method, "127.0.0.1:1", "/b/k", query));
            assert_eq!(route.name, operation, "{method} ?{query}");
            match route.call {
                Err((error, _)) => {
                    assert_eq!((error.code.as_str(), error.status), ("NotImplemented", 501))
                }
                Ok(call) => panic!("{method} ?{query} was decoded as {call:?}"),
            }
        }
        // Parameters that are not subresources leave the object call as it is.
        let get = S3Route::of(&req(
            "GET",
            "127.0.0.1:1",
            "/b/k",
            "x-id=GetObject&response-content-type=text%2Fplain",
        ));
        assert_eq!(get.name, "s3:GetObject");
        assert!(get.call.is_ok());
    }
}
