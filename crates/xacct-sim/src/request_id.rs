//! The id AWS gives each request, drawn once per call: STS, IAM and
//! Organizations show it in a UUID's shape (version 4, as AWS's are), S3 as
//! 16 upper-case hex digits (and twice that as `x-amz-id-2`'s host id). The
//! 16 bytes are the world's keyed MAC of the call's serial, so no one can
//! guess another caller's id from their own (`xacct serve` answers what
//! decided a request by its id).

/// One request's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId([u8; 16]);

impl RequestId {
    /// The id made of these bytes.
    pub(crate) fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// As STS, IAM and Organizations give it: a version-4 UUID.
    pub fn query(self) -> String {
        let mut b = self.0;
        b[6] = 0x40 | (b[6] & 0x0f);
        b[8] = 0x80 | (b[8] & 0x3f);
        let hex = hex::encode(b);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }

    /// As S3 gives it: 16 upper-case hex digits.
    pub fn s3(self) -> String {
        hex::encode_upper(&self.0[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn each_service_s_shape() {
        let id = RequestId::new([7; 16]);
        let query = id.query();
        let parts: Vec<usize> = query.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{query}");
        assert!(query.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        let s3 = id.s3();
        assert_eq!(s3.len(), 16);
        assert!(
            s3.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_eq!(&query[14..15], "4", "{query}");
        assert!("89ab".contains(&query[19..20]), "{query}");
        assert_ne!(RequestId::new([8; 16]).query(), query);
    }
}
