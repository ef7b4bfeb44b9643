//! Amazon Resource Names: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.

use std::fmt;
use std::str::FromStr;

/// A parsed ARN. The resource part may itself contain `:` and `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// `iam`, `sts`, `s3`, ...
    pub service: String,
    /// Empty for global services such as IAM and S3 buckets.
    pub region: String,
    /// The 12-digit account id; empty for S3 buckets.
    pub account: String,
    /// Everything after the fifth colon.
    pub resource: String,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not an ARN: {reason}")]
pub struct ArnError {
    /// The offending text.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let err = |reason| ArnError {
            value: value.to_owned(),
            reason,
        };
        let parts: Vec<&str> = value.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts[..] else {
            return Err(err(
                "an ARN has six colon-separated parts: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
            ));
        };
        if arn != "arn" {
            return Err(err("an ARN starts with `arn:`"));
        }
        if partition.is_empty() || service.is_empty() {
            return Err(err("the partition and the service may not be empty"));
        }
        if resource.is_empty() {
            return Err(err("the resource part may not be empty"));
        }
        Ok(Self {
            partition: partition.to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            resource: resource.to_owned(),
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// Whether a string is a 12-digit account id.
pub fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let arn: Arn = "arn:aws:iam::222222222222:role/path/s3-viewer"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(arn.service, "iam");
        assert_eq!(arn.account, "222222222222");
        assert_eq!(arn.resource, "role/path/s3-viewer");
        assert_eq!(
            arn.to_string(),
            "arn:aws:iam::222222222222:role/path/s3-viewer"
        );
        let logs: Arn = "arn:aws:logs:us-east-1:1:log-group:a:b"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(logs.resource, "log-group:a:b");
        assert!("arn:aws:iam::1".parse::<Arn>().is_err());
        assert!("urn:aws:iam::1:x".parse::<Arn>().is_err());
    }
}
