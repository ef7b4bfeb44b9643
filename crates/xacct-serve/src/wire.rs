//! The bytes on the wire: STS query-protocol and S3 REST-XML responses and
//! error envelopes, element for element as AWS sends them
//! (`aws-wire-reference.md` §2, §3.1, §4, §5.2, §5.3).

use std::time::SystemTime;

use xacct_aws::timestamp;
use xacct_sim::AwsError;

/// The STS XML namespace.
pub(super) const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// The IAM XML namespace.
pub(super) const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
/// The S3 XML namespace.
pub(super) const S3_NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Escapes text for XML element content and attributes. Characters XML 1.0
/// cannot carry at all (control characters other than tab and line breaks,
/// even as references) become U+FFFD, so a body stays well formed whatever
/// a client sent.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fffd}'
            | '\u{10000}'.. => {
                out.push(c);
            }
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// `<Name>text</Name>`.
pub(super) fn element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", xml(text))
}

/// A query-protocol (STS, IAM) success body in namespace `ns`:
/// `<OpResponse><OpResult>...</OpResult><ResponseMetadata>`.
pub(super) fn query_success(ns: &str, operation: &str, result: &str, request_id: &str) -> String {
    format!(
        "<{operation}Response xmlns=\"{ns}\">\n  <{operation}Result>\n{result}  </{operation}Result>\n  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</{operation}Response>\n",
        xml(request_id)
    )
}

/// A query-protocol (STS, IAM) error body in namespace `ns`:
/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
pub(super) fn query_error(ns: &str, err: &AwsError, request_id: &str) -> String {
    let kind = if err.status >= 500 {
        "Receiver"
    } else {
        "Sender"
    };
    format!(
        "<ErrorResponse xmlns=\"{ns}\">\n  <Error>\n    <Type>{kind}</Type>\n    {}\n    {}\n  </Error>\n  {}\n</ErrorResponse>\n",
        element("Code", &err.code),
        element("Message", &err.message),
        element("RequestId", request_id)
    )
}

/// An S3 error body: `<Error><Code/><Message/>...<RequestId/><HostId/></Error>`.
pub(super) fn s3_error(err: &AwsError, request_id: &str, host_id: &str) -> String {
    let details: String = err
        .details
        .iter()
        .map(|(name, value)| element(name, value))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>{}{}{details}{}{}</Error>",
        element("Code", &err.code),
        element("Message", &err.message),
        element("RequestId", request_id),
        element("HostId", host_id)
    )
}

/// `Credentials` of an STS result.
pub(super) fn credentials(creds: &xacct_aws::cloud::Credentials) -> String {
    format!(
        "    <Credentials>\n      {}\n      {}\n      {}\n      {}\n    </Credentials>\n",
        element("AccessKeyId", &creds.access_key_id),
        element("SecretAccessKey", creds.secret_access_key.expose()),
        element(
            "SessionToken",
            creds
                .session_token
                .as_ref()
                .map(|t| t.expose())
                .unwrap_or_default()
        ),
        element(
            "Expiration",
            &creds.expiration.map(timestamp::rfc3339).unwrap_or_default()
        )
    )
}

/// One bucket of `ListAllMyBucketsResult`.
pub(super) fn bucket(name: &str, created: SystemTime, region: Option<&str>) -> String {
    format!(
        "<Bucket>{}{}{}</Bucket>",
        element("Name", name),
        element("CreationDate", &timestamp::millis(created)),
        region
            .map(|r| element("BucketRegion", r))
            .unwrap_or_default()
    )
}

/// What a listing's answer echoes: the bucket, the listing asked for, and
/// whether the client asked for `encoding-type=url`.
#[derive(Debug, Clone)]
pub(super) struct ListEcho {
    /// The bucket.
    pub bucket: String,
    /// The listing asked for (ListObjects' `marker` as `start_after`).
    pub listing: xacct_sim::ObjectListing,
    /// `encoding-type=url`.
    pub url: bool,
    /// Whether each object's `Owner` is listed: always in ListObjects, in
    /// ListObjectsV2 with `fetch-owner=true` (S3 API Reference,
    /// ListObjectsV2, "fetch-owner": "The Owner field is not present in
    /// ListObjectsV2 by default").
    pub owner: bool,
}

/// What `encoding-type=url` leaves as it is: the unreserved characters
/// and `/`; a space becomes `+` after (botocore reads the names back with
/// `unquote_plus`, so a `+` must be `%2B`).
const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// What a completed upload's `Location` leaves of its key: the
/// unreserved characters.
const FORM_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A key as S3 writes it into a completed upload's `Location`: form
/// encoded, `/` as `%2F` and a space as `+`
/// (`https://BUCKET.s3.amazonaws.com/with+space%2Flarge.jpg`, as reported
/// from S3 in aws/aws-sdk-go#1385 and aws/aws-sdk-js#1707).
pub(super) fn location_key(key: &str) -> String {
    percent_encoding::utf8_percent_encode(key, FORM_KEEP)
        .to_string()
        .replace("%20", "+")
}

/// A name as a listing's answer carries it: percent-encoded under
/// `encoding-type=url` (`url`), so that a key with characters XML cannot
/// carry (`\u{1}`) comes back exact.
pub(super) fn listed_name(text: &str, url: bool) -> String {
    if url {
        percent_encoding::utf8_percent_encode(text, KEEP)
            .to_string()
            .replace("%20", "+")
    } else {
        text.to_owned()
    }
}

/// A listing's `CommonPrefixes`, each name as [`listed_name`] writes it.
pub(super) fn common_prefixes(prefixes: &[String], url: bool) -> String {
    prefixes
        .iter()
        .map(|p| {
            format!(
                "<CommonPrefixes>{}</CommonPrefixes>",
                element("Prefix", &listed_name(p, url))
            )
        })
        .collect()
}

impl ListEcho {
    /// A name as the answer carries it ([`listed_name`]).
    fn name(&self, text: &str) -> String {
        listed_name(text, self.url)
    }

    /// `<NAME>value</NAME>`, the value a name, when there is one.
    fn echo(&self, element_name: &str, value: &Option<String>) -> String {
        value
            .as_deref()
            .map(|v| element(element_name, &self.name(v)))
            .unwrap_or_default()
    }

    /// `<EncodingType>url</EncodingType>`, when asked.
    fn encoding(&self) -> &'static str {
        if self.url {
            "<EncodingType>url</EncodingType>"
        } else {
            ""
        }
    }

    /// A page's `Contents` and `CommonPrefixes`, as both listings write them.
    fn listed(&self, page: &xacct_sim::ObjectPage) -> (String, String) {
        let contents: String = page
            .objects
            .iter()
            .map(|(key, meta)| {
                // After `StorageClass`, as the S3 API Reference's
                // ListObjects example has it; the ID alone, as S3 stopped
                // sending `DisplayName` on 1 October 2025 (the SDK for
                // .NET v4's ListBucketsRequest notes it).
                let owner = match (&meta.owner, self.owner) {
                    (Some(id), true) => format!("<Owner>{}</Owner>", element("ID", id)),
                    _ => String::new(),
                };
                format!(
                    "<Contents>{}{}{}<Size>{}</Size><StorageClass>STANDARD</StorageClass>{owner}</Contents>",
                    element("Key", &self.name(key)),
                    element("LastModified", &timestamp::millis(last_modified(meta))),
                    element("ETag", &meta.etag),
                    meta.size,
                )
            })
            .collect();
        (contents, common_prefixes(&page.common_prefixes, self.url))
    }
}

/// The `ListBucketResult` of one ListObjects (V1) page (S3 API Reference,
/// ListObjects, response syntax): `Marker` echoed, and `NextMarker` while
/// more remain when a delimiter was given (without one, a client goes on
/// from the last key, which is the same key). Under `encoding-type=url`
/// the names botocore decodes are encoded (`Delimiter`, `Marker`,
/// `NextMarker`, the keys and common prefixes), the `Prefix` not.
pub(super) fn list_objects_v1(echo: &ListEcho, page: &xacct_sim::ObjectPage) -> String {
    let asked = &echo.listing;
    let (contents, common) = echo.listed(page);
    let next = if asked.delimiter.is_some() {
        echo.echo("NextMarker", &page.next_marker)
    } else {
        String::new()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{S3_NS}\">{}{}{}<MaxKeys>{}</MaxKeys>{}{}<IsTruncated>{}</IsTruncated>{next}{contents}{common}</ListBucketResult>",
        element("Name", &echo.bucket),
        element("Prefix", asked.prefix.as_deref().unwrap_or_default()),
        element(
            "Marker",
            &echo.name(asked.start_after.as_deref().unwrap_or_default())
        ),
        page.max_keys,
        echo.echo("Delimiter", &asked.delimiter),
        echo.encoding(),
        page.next.is_some(),
    )
}

/// The `ListBucketResult` of one ListObjectsV2 page (S3 API Reference,
/// ListObjectsV2, response syntax): what was asked echoed, the objects,
/// the common prefixes, and the token of the next page while more remain.
/// Under `encoding-type=url` the names botocore decodes are encoded
/// (`Delimiter`, `Prefix`, `StartAfter`, the keys and common prefixes).
pub(super) fn list_objects_v2(echo: &ListEcho, page: &xacct_sim::ObjectPage) -> String {
    let asked = &echo.listing;
    let (contents, common) = echo.listed(page);
    let plain = |name: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| element(name, v))
            .unwrap_or_default()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{S3_NS}\">{}{}{}<KeyCount>{}</KeyCount><MaxKeys>{}</MaxKeys>{}{}<IsTruncated>{}</IsTruncated>{}{}{contents}{common}</ListBucketResult>",
        element("Name", &echo.bucket),
        element(
            "Prefix",
            &echo.name(asked.prefix.as_deref().unwrap_or_default())
        ),
        echo.echo("Delimiter", &asked.delimiter),
        page.objects.len() + page.common_prefixes.len(),
        page.max_keys,
        echo.encoding(),
        plain("ContinuationToken", &asked.continuation_token),
        page.next.is_some(),
        plain("NextContinuationToken", &page.next),
        echo.echo("StartAfter", &asked.start_after),
    )
}

/// When an object was written, as the world keeps it (every object of the
/// world has the time; an answer without one would be the Unix epoch).
pub(super) fn last_modified(meta: &xacct_aws::cloud::ObjectMeta) -> SystemTime {
    meta.last_modified.unwrap_or(SystemTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_type_url_encodes_names_as_botocore_reads_them_back() {
        let echo = |url| ListEcho {
            bucket: "b".to_owned(),
            listing: xacct_sim::ObjectListing::default(),
            url,
            owner: false,
        };
        // unquote_plus("a+b%2Bc/%01%25%C3%A9") == "a b+c/\u{1}%é"
        assert_eq!(echo(true).name("a b+c/\u{1}%é"), "a+b%2Bc/%01%25%C3%A9");
        assert_eq!(echo(false).name("a b+c"), "a b+c");
    }

    #[test]
    fn control_characters_cannot_break_the_xml() {
        assert_eq!(
            xml("a\u{1}b\u{1b}[2J<&>\n"),
            "a\u{fffd}b\u{fffd}[2J&lt;&amp;&gt;\n"
        );
        let err = AwsError::new(
            "ValidationError",
            400,
            "Value 'x\u{0}' at 'roleSessionName'",
        );
        assert!(!query_error(STS_NS, &err, "id").contains('\u{0}'));
    }
}
