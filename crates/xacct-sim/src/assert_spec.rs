//! `assert:` in a scenario, as written: the access facts `xacct sim`
//! checks against the who-can-assume graph.
//!
//! ```yaml
//! assert:
//!   - can_assume: { role: arn:aws:iam::222222222222:role/prod-deployer, only: [arn:aws:iam::111111111111:role/ci] }
//!   - cannot_reach: { from: arn:aws:iam::111111111111:user/intern, role: arn:aws:iam::222222222222:role/admin }
//! ```

use serde::Deserialize;

/// One access fact.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AssertSpec {
    /// Exactly these principals can assume the role (directly).
    CanAssume(CanAssume),
    /// No chain of role assumptions leads from the principal to the role.
    CannotReach(CannotReach),
    /// No principal outside the organization reaches a matching role.
    NotReachableFromOutsideOrg(NotReachable),
    /// Exactly these principals can read the bucket's objects (directly).
    CanRead(CanRead),
    /// No principal, by its own access or through the roles it can reach,
    /// reads the bucket's objects from `from`.
    CannotRead(CannotRead),
    /// No principal outside the organization reads a matching bucket's
    /// objects, directly or through the roles it can reach.
    NotReadableFromOutsideOrg(NotReadable),
}

/// `can_read: { bucket, only, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanRead {
    /// The bucket's name.
    pub bucket: String,
    /// The principals (ARNs, `*` patterns allowed; `*` alone for anyone)
    /// that may read some of its objects, under any conditions that can
    /// be met.
    pub only: Vec<String>,
    /// Condition keys accepted as a guard (see [`CannotReach::unless`]).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// `cannot_read: { from, bucket, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CannotRead {
    /// The principal.
    pub from: String,
    /// The bucket's name.
    pub bucket: String,
    /// Condition keys accepted as a guard (see [`CannotReach::unless`]).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// `not_readable_from_outside_org: { bucket, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotReadable {
    /// The bucket's name; `*` and `?` match as in IAM.
    pub bucket: String,
    /// Condition keys accepted as a guard (see [`CannotReach::unless`]).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// `not_reachable_from_outside_org: { role, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotReachable {
    /// The role ARN; `*` and `?` match as in IAM.
    pub role: String,
    /// Condition keys accepted as a guard (see [`CannotReach::unless`]).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// `can_assume: { role, only, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanAssume {
    /// The role ARN.
    pub role: String,
    /// The principals (user, role or OIDC provider ARNs) that may assume
    /// it, under any conditions that can be met.
    pub only: Vec<String>,
    /// Condition keys accepted as a guard (see [`CannotReach::unless`]).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// `cannot_reach: { from, role, unless }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CannotReach {
    /// The principal the chains start from.
    pub from: String,
    /// The role no chain may reach.
    pub role: String,
    /// Condition keys accepted as a guard: a hop whose every way in needs
    /// a positive test of one of them (`aws:MultiFactorAuthPresent`,
    /// `aws:SourceIp`, ...) does not count. Without it, a hop counts
    /// whatever it needs, since some request can meet it.
    #[serde(default)]
    pub unless: Vec<String>,
}

impl AssertSpec {
    /// A label for the result line.
    pub fn label(&self) -> String {
        let unless = |keys: &[String]| {
            if keys.is_empty() {
                String::new()
            } else {
                format!(" unless {}", keys.join(", "))
            }
        };
        match self {
            Self::CanAssume(c) => format!("assert can_assume {}{}", c.role, unless(&c.unless)),
            Self::CannotReach(c) => format!(
                "assert cannot_reach {} -> {}{}",
                c.from,
                c.role,
                unless(&c.unless)
            ),
            Self::NotReachableFromOutsideOrg(c) => {
                format!(
                    "assert not_reachable_from_outside_org {}{}",
                    c.role,
                    unless(&c.unless)
                )
            }
            Self::CanRead(c) => format!("assert can_read s3://{}{}", c.bucket, unless(&c.unless)),
            Self::CannotRead(c) => format!(
                "assert cannot_read {} -> s3://{}{}",
                c.from,
                c.bucket,
                unless(&c.unless)
            ),
            Self::NotReadableFromOutsideOrg(c) => format!(
                "assert not_readable_from_outside_org s3://{}{}",
                c.bucket,
                unless(&c.unless)
            ),
        }
    }
}
