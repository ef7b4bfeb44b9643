//! S3 Object Ownership and canned object ACLs: who owns an object a
//! principal writes, and whom its ACL lets read it ("Controlling ownership
//! of objects and disabling ACLs for your bucket", S3 User Guide).

/// A bucket's Object Ownership setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ownership {
    /// ACLs work; the writing account owns what it writes.
    ObjectWriter,
    /// ACLs work; a write with `bucket-owner-full-control` hands the
    /// object to the bucket owner.
    BucketOwnerPreferred,
    /// ACLs are disabled; the bucket owner owns every object.
    BucketOwnerEnforced,
}

/// The canned ACLs S3 accepts (S3 User Guide, "Canned ACL").
pub(crate) const CANNED_ACLS: [&str; 7] = [
    "private",
    "public-read",
    "public-read-write",
    "authenticated-read",
    "aws-exec-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
];

impl Ownership {
    /// The setting AWS names `name`.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "ObjectWriter" => Some(Self::ObjectWriter),
            "BucketOwnerPreferred" => Some(Self::BucketOwnerPreferred),
            "BucketOwnerEnforced" => Some(Self::BucketOwnerEnforced),
            _ => None,
        }
    }

    /// Its name as AWS writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ObjectWriter => "ObjectWriter",
            Self::BucketOwnerPreferred => "BucketOwnerPreferred",
            Self::BucketOwnerEnforced => "BucketOwnerEnforced",
        }
    }

    /// Whether a write may set `acl`: with ACLs disabled only
    /// `bucket-owner-full-control` (or `private`, which grants the owner
    /// alone) is accepted ("Troubleshooting", Object Ownership:
    /// `AccessControlListNotSupported`).
    pub(crate) fn accepts(self, acl: Option<&str>) -> bool {
        self != Self::BucketOwnerEnforced
            || matches!(acl, None | Some("bucket-owner-full-control" | "private"))
    }

    /// The account that owns an object `writer` writes with `acl` to a
    /// bucket `bucket_owner` owns.
    pub(crate) fn owner<'a>(self, bucket_owner: &'a str, writer: &'a str, acl: &str) -> &'a str {
        match self {
            Self::BucketOwnerEnforced => bucket_owner,
            Self::BucketOwnerPreferred if acl == "bucket-owner-full-control" => bucket_owner,
            _ => writer,
        }
    }
}

/// Whether an object's canned ACL grants `account` read access: its owner
/// always has full control; `bucket-owner-read` and
/// `bucket-owner-full-control` also grant the bucket owner. (Public ACLs
/// grant nobody here: Block Public Access's `ignore_public_acls` is on by
/// default, and a world that turns it off is refused at load.)
pub(crate) fn acl_grants(acl: &str, object_owner: &str, bucket_owner: &str, account: &str) -> bool {
    account == object_owner
        || (account == bucket_owner
            && matches!(acl, "bucket-owner-read" | "bucket-owner-full-control"))
}

/// Whether `acl` grants the public (S3 User Guide, "Blocking public
/// access": a public ACL grants `AllUsers` or `AuthenticatedUsers`).
pub(crate) fn is_public_acl(acl: &str) -> bool {
    matches!(
        acl,
        "public-read" | "public-read-write" | "authenticated-read"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_follows_the_setting_and_the_acl() {
        let o = Ownership::ObjectWriter;
        assert_eq!(o.owner("B", "W", "bucket-owner-full-control"), "W");
        let p = Ownership::BucketOwnerPreferred;
        assert_eq!(p.owner("B", "W", "bucket-owner-full-control"), "B");
        assert_eq!(p.owner("B", "W", "private"), "W");
        let e = Ownership::BucketOwnerEnforced;
        assert_eq!(e.owner("B", "W", "private"), "B");
        assert!(!e.accepts(Some("public-read")));
        assert!(e.accepts(Some("bucket-owner-full-control")));
        assert!(o.accepts(Some("public-read")));
    }

    #[test]
    fn a_private_acl_grants_its_owner_only() {
        assert!(acl_grants("private", "W", "B", "W"));
        assert!(!acl_grants("private", "W", "B", "B"));
        assert!(acl_grants("bucket-owner-read", "W", "B", "B"));
        assert!(!acl_grants("bucket-owner-full-control", "W", "B", "C"));
    }
}
