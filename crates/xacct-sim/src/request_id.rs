//! The id AWS gives each request, drawn once per call from the world's
//! serial: STS, IAM and Organizations show it in a UUID's shape, S3 as 16
//! upper-case hex digits (and twice that as `x-amz-id-2`'s host id).

/// One request's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId(u64);

impl RequestId {
    /// The id numbered `n`.
    pub(crate) fn new(n: u64) -> Self {
        Self(n)
    }

    /// As STS, IAM and Organizations give it: AWS's UUID shape.
    pub fn query(self) -> String {
        let n = self.0;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            n,
            n & 0xffff,
            (n >> 4) & 0xfff,
            n & 0xfff,
            n.wrapping_mul(0x9e37_79b9)
        )
    }

    /// As S3 gives it: 16 upper-case hex digits.
    pub fn s3(self) -> String {
        format!("{:016X}", self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn each_service_s_shape() {
        let id = RequestId::new(7);
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
        assert_ne!(RequestId::new(8).query(), query);
    }
}
