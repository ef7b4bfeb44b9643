//! What the store's cap counts for an object or an upload in progress: its
//! bytes and, beside them, its key, headers and bookkeeping, so that many
//! empty objects or uploads fill the cap as their memory would, and a
//! client cannot grow the store past it with writes of no bytes.

use super::multipart::Upload;
use super::object::Object;
use xacct_aws::cloud::ObjectHeaders;

/// The bookkeeping of one object or upload beyond the text it holds (its
/// map entry, ETag, dates, lengths): a round figure above what it takes.
pub(crate) const ENTRY_BYTES: u64 = 256;

/// The bookkeeping of one uploaded part beyond its bytes (its map entry,
/// MD5 and date), so that parts of no bytes fill the cap too.
pub(crate) const PART_BYTES: u64 = 64;

/// The bytes of the headers a writer set, names and values.
fn headers_bytes(headers: &ObjectHeaders) -> u64 {
    let system: usize = headers
        .pairs()
        .iter()
        .filter_map(|(_, value)| *value)
        .map(str::len)
        .sum();
    let user: usize = headers
        .metadata
        .iter()
        .map(|(name, value)| name.len() + value.len())
        .sum();
    (system + user) as u64
}

impl Object {
    /// What the object under `key` counts against the cap.
    pub(crate) fn footprint(&self, key: &str) -> u64 {
        let text = key.len()
            + self.owner.len()
            + self.acl.len()
            + self.kms_key.as_ref().map_or(0, String::len);
        self.body.len() as u64 + text as u64 + headers_bytes(&self.headers) + ENTRY_BYTES
    }
}

impl Upload {
    /// What the upload counts against the cap besides its parts' bytes.
    pub(crate) fn entry_footprint(&self) -> u64 {
        let text = self.at.bucket.len()
            + self.at.key.len()
            + self.owner.len()
            + self.initiator.len()
            + self.acl.len()
            + self.kms_key.as_ref().map_or(0, String::len);
        text as u64 + headers_bytes(&self.headers) + ENTRY_BYTES
    }

    /// What the upload counts against the cap in all, parts included.
    pub(crate) fn footprint(&self) -> u64 {
        self.entry_footprint()
            + self
                .parts
                .values()
                .map(|p| p.body.len() as u64 + PART_BYTES)
                .sum::<u64>()
    }
}
