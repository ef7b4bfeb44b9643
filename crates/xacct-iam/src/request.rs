//! One request to decide: who calls, the action, the resource and the
//! condition keys.

use super::caller::Caller;
use super::context::Context;

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who is calling.
    pub caller: &'a Caller,
    /// The action, `service:Name` (any case).
    pub action: &'a str,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: &'a str,
    /// The account that owns the resource, when its ARN does not say
    /// (S3 bucket ARNs carry no account); `None` means the ARN's account, or
    /// the caller's own when the ARN has none.
    pub resource_account: Option<&'a str>,
    /// The condition keys of the request.
    pub context: &'a Context,
}
