//! The bucket a request's `Host` names, when the request is
//! virtual-hosted: read by the router, and by the answers that write the
//! object's address back (a completed upload's `Location`).

/// The bucket a virtual-hosted `Host` names: `BUCKET.localhost`,
/// `BUCKET.s3.localhost`, or AWS's `BUCKET.s3[.-]REGION.amazonaws.com`.
pub(super) fn virtual_bucket(host: &str) -> Option<&str> {
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let bucket = if let Some(before) = host.strip_suffix(".localhost") {
        before.strip_suffix(".s3").unwrap_or(before)
    } else if host.ends_with(".amazonaws.com") {
        let at = host.find(".s3.").or_else(|| host.find(".s3-"))?;
        &host[..at]
    } else {
        return None;
    };
    (!bucket.is_empty()).then_some(bucket)
}
