//! A bucket's ListMultipartUploads over REST (`GET /BUCKET?uploads`): the
//! listing asked for, decoded into the world's [`UploadListing`], and its
//! page answered as S3's `ListMultipartUploadsResult` (S3 API Reference,
//! ListMultipartUploads).

use super::request::param;
use super::wire;
use xacct_sim::{UploadListing, UploadPage};

/// What a ListMultipartUploads answer echoes: the bucket, the listing
/// asked for, and `encoding-type=url`.
#[derive(Debug, Clone)]
pub(super) struct UploadsEcho {
    /// The bucket.
    pub bucket: String,
    /// The listing asked for.
    pub listing: UploadListing,
    /// `encoding-type=url`.
    pub url: bool,
}

impl UploadsEcho {
    /// The listing a `GET /BUCKET?uploads` asks for.
    pub(super) fn of(bucket: &str, params: &[(String, String)]) -> Self {
        let text = |name: &str| param(params, name).map(str::to_owned);
        Self {
            bucket: bucket.to_owned(),
            listing: UploadListing {
                prefix: text("prefix"),
                delimiter: text("delimiter"),
                max_uploads: text("max-uploads"),
                key_marker: text("key-marker"),
                upload_id_marker: text("upload-id-marker"),
            },
            url: param(params, "encoding-type") == Some("url"),
        }
    }
}

/// The `ListMultipartUploadsResult` of one page, in the order S3 answers
/// it (a response observed from S3 in versity/versitygw#2156; the S3 API
/// Reference's examples for `Delimiter` and `Prefix`): the markers echoed,
/// `NextKeyMarker` and `NextUploadIdMarker` always (the last upload taken
/// in, empty on a page of none: versity/versitygw#2144), `Delimiter` and
/// `Prefix` only when asked. Under
/// `encoding-type=url` the names S3 encodes are encoded (`Delimiter`,
/// `KeyMarker`, `Prefix`, `NextKeyMarker`, `Key`, and the common
/// prefixes); the IDs alone, as in ListParts.
pub(super) fn list_uploads(echo: &UploadsEcho, page: &UploadPage) -> String {
    let name = |text: &str| wire::listed_name(text, echo.url);
    let asked = &echo.listing;
    let (next_key, next_id) = page
        .last
        .as_ref()
        .map_or(("", ""), |(key, id)| (key.as_str(), id.as_str()));
    let uploads: String = page
        .uploads
        .iter()
        .map(|u| {
            format!(
                "<Upload>{}{}<Initiator>{}</Initiator><Owner>{}</Owner><StorageClass>STANDARD</StorageClass>{}</Upload>",
                wire::element("Key", &name(&u.key)),
                wire::element("UploadId", &u.upload_id),
                wire::element("ID", &u.initiator),
                wire::element("ID", &u.owner),
                wire::element("Initiated", &xacct_aws::timestamp::millis(u.initiated)),
            )
        })
        .collect();
    let common = wire::common_prefixes(&page.common_prefixes, echo.url);
    let asked_for = |element: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| wire::element(element, &name(v)))
            .unwrap_or_default()
    };
    let delimiter = asked_for("Delimiter", &asked.delimiter);
    let prefix = asked_for("Prefix", &asked.prefix);
    let encoding = if echo.url {
        "<EncodingType>url</EncodingType>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult xmlns=\"{}\">{}{}{}{}{}{delimiter}{prefix}<MaxUploads>{}</MaxUploads>{encoding}<IsTruncated>{}</IsTruncated>{uploads}{common}</ListMultipartUploadsResult>",
        wire::S3_NS,
        wire::element("Bucket", &echo.bucket),
        wire::element(
            "KeyMarker",
            &name(asked.key_marker.as_deref().unwrap_or_default())
        ),
        wire::element(
            "UploadIdMarker",
            asked.upload_id_marker.as_deref().unwrap_or_default()
        ),
        wire::element("NextKeyMarker", &name(next_key)),
        wire::element("NextUploadIdMarker", next_id),
        page.max_uploads,
        page.truncated,
    )
}
