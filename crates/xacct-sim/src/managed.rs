//! Managed policies and IAM tags of a scenario's users and roles: customer
//! managed policies compiled per account, attachments resolved to their
//! documents (an AWS managed policy of the catalogue, or a customer managed
//! policy of the same account, as IAM only attaches those), and tags checked
//! against IAM's rules.

use std::collections::BTreeMap;

use super::aws_managed::{aws_managed, aws_managed_names};
use xacct_aws::cloud::params::{MAX_SESSION_TAGS, TAG_KEY, TAG_VALUE};
use xacct_iam::{Document, Policy, PolicyKind, parse_as};

/// The customer managed policies of an account, compiled; `Err` names the
/// key path and what is wrong.
pub(super) fn customer_managed(
    specs: &BTreeMap<String, Document>,
    at: &str,
) -> Result<BTreeMap<String, Policy>, String> {
    specs
        .iter()
        .map(|(name, doc)| {
            parse_as(&doc.0, PolicyKind::Identity)
                .map(|p| (name.clone(), p))
                .map_err(|e| format!("{at}.managed_policies.{name}: at {}: {}", e.path, e.message))
        })
        .collect()
}

/// The documents of the managed policies a user or role of `account`
/// attaches.
pub(super) fn attached(
    arns: &[String],
    account: &str,
    own: &BTreeMap<String, Policy>,
    at: &str,
) -> Result<Vec<(String, Policy)>, String> {
    arns.iter()
        .enumerate()
        .map(|(i, arn)| {
            resolve(arn, account, own)
                .map(|p| (arn.clone(), p.clone()))
                .map_err(|why| format!("{at}.managed_policies[{i}]: `{arn}` {why}"))
        })
        .collect()
}

/// A managed policy ARN of `account`'s view: AWS's, or its own; `Err`
/// says why not.
pub(super) fn resolve<'a>(
    arn: &str,
    account: &str,
    own: &'a BTreeMap<String, Policy>,
) -> Result<&'a Policy, String> {
    if let Some(aws) = aws_managed(arn) {
        return Ok(&aws.policy);
    }
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        return Err(format!(
            "is not in xacct's catalogue of AWS managed policies ({}); write its document as a customer managed policy of the account instead",
            aws_managed_names().join(", ")
        ));
    }
    let prefix = format!("arn:aws:iam::{account}:policy/");
    let Some(rest) = arn.strip_prefix(&prefix) else {
        return Err(format!(
            "is not a managed policy of this account: use arn:aws:iam::aws:policy/NAME or {prefix}NAME (IAM attaches only AWS's and the account's own)"
        ));
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    own.get(name).ok_or_else(|| {
        format!("names no policy of the account's managed_policies (add `{name}` there)")
    })
}

/// IAM's rules for a user's or role's tags: at most 50, keys of 1-128 and
/// values of 0-256 tag characters, no key twice in any case, no `aws:` prefix.
pub(super) fn check_tags(tags: &BTreeMap<String, String>, at: &str) -> Result<(), String> {
    if tags.len() > MAX_SESSION_TAGS {
        return Err(format!(
            "{at}.tags: {} tags; IAM allows at most {MAX_SESSION_TAGS}",
            tags.len()
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (key, value) in tags {
        if !TAG_KEY.check(key).is_empty() {
            return Err(format!("{at}.tags: key `{key}`: {}", TAG_KEY.fix));
        }
        // A value only a deployment knows (an imported template's) is kept
        // as its placeholder, which the analysis takes as unknown.
        if !xacct_iam::is_placeholder(value) && !TAG_VALUE.check(value).is_empty() {
            return Err(format!("{at}.tags.{key}: {}", TAG_VALUE.fix));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(format!(
                "{at}.tags: key `{key}`: the prefix aws: is reserved for AWS"
            ));
        }
        if !seen.insert(key.to_lowercase()) {
            return Err(format!(
                "{at}.tags: key `{key}` differs from another only in case; IAM tag keys are case-insensitive"
            ));
        }
    }
    Ok(())
}
