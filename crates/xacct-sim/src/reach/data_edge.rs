//! One "can read" or "can write" edge of the analysis: a principal (or a
//! stand-in for principals outside the world) and a bucket's objects.

use xacct_iam::Verdict;

use super::edge::Conditions;

/// What a data edge lets the principal do with a bucket's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataAccess {
    /// `s3:GetObject` (and, for an SSE-KMS object, `kms:Decrypt`).
    Read,
    /// `s3:PutObject` (and, with a default SSE-KMS key, `kms:GenerateDataKey`).
    Write,
}

impl DataAccess {
    /// `read` or `write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// One edge: `from` can read (or write) some object of `bucket`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataEdge {
    /// The principal's ARN (`*` for anyone; an account's root for any of
    /// its principals).
    pub from: String,
    /// The bucket's name.
    pub bucket: String,
    /// The account that owns the bucket.
    pub owner: String,
    /// Read or write.
    pub access: DataAccess,
    /// `Always` or `Conditional` (a `Never` pair is no edge).
    pub verdict: Verdict,
    /// What a conditional edge needs.
    pub conditions: Option<Box<Conditions>>,
    /// Why, in a phrase: what lets it in and what else it needs.
    pub why: String,
    /// Whether the principal is in another account than the bucket.
    pub crosses_account: bool,
    /// Whether the principal is outside the organization (without one,
    /// outside the world's accounts).
    pub outside: bool,
}

impl DataEdge {
    /// `s3://BUCKET`.
    pub fn url(&self) -> String {
        format!("s3://{}", self.bucket)
    }

    /// What it needs (`needs ...; unless ...`), empty when it always holds.
    pub fn needs(&self) -> String {
        self.conditions
            .as_ref()
            .map(|c| c.describe())
            .unwrap_or_default()
    }
}
