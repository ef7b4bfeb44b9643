//! The seam between the cross-account flow and whatever answers STS and S3
//! calls: its types and traits are `xacct-aws`'s (re-exported here), and
//! [`aws`] is the implementation over the AWS SDK.

pub use xacct_aws::cloud::*;

pub mod aws;
