//! The rules STS holds a request's session context to, once, as data: the
//! STS model's limits on `Tags`, `TransitiveTagKeys`, `PolicyArns` and
//! `SourceIdentity`, then the rules across them (tag keys unique in any
//! case, each transitive key one of the tags). The simulator words each
//! breach as AWS does; the CLI words it for its flags.

use super::AssumeRoleRequest;
use super::params::{
    Broken, MAX_POLICY_ARNS, MAX_SESSION_TAGS, POLICY_ARN, SOURCE_IDENTITY, TAG_KEY, TAG_VALUE,
    TextParam,
};

/// A list of a session context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionList {
    /// `Tags`.
    Tags,
    /// `TransitiveTagKeys`.
    TransitiveTagKeys,
    /// `PolicyArns`.
    PolicyArns,
}

impl SessionList {
    /// Its member name in the STS model, as AWS's messages name it.
    pub fn member(self) -> &'static str {
        match self {
            Self::Tags => "tags",
            Self::TransitiveTagKeys => "transitiveTagKeys",
            Self::PolicyArns => "policyArns",
        }
    }

    /// The flag that fills it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Tags => TAG_KEY.flag,
            Self::TransitiveTagKeys => "--transitive-tag-key",
            Self::PolicyArns => POLICY_ARN.flag,
        }
    }

    /// What its members are, for a sentence.
    pub fn what(self) -> &'static str {
        match self {
            Self::Tags => "session tags",
            Self::TransitiveTagKeys => "transitive tag keys",
            Self::PolicyArns => "managed session policies",
        }
    }

    /// The most members STS takes.
    pub fn max(self) -> usize {
        match self {
            Self::Tags | Self::TransitiveTagKeys => MAX_SESSION_TAGS,
            Self::PolicyArns => MAX_POLICY_ARNS,
        }
    }
}

/// One rule a request's session context breaks.
#[derive(Debug, Clone)]
pub enum SessionBreach<'a> {
    /// More members than STS takes.
    TooMany {
        /// Which list.
        list: SessionList,
        /// How many were given.
        given: usize,
    },
    /// A value outside its parameter's constraints.
    Value {
        /// The parameter's constraints.
        param: &'static TextParam,
        /// The value.
        value: &'a str,
        /// Its place in the STS model: `tags.1.member.key`, `sourceIdentity`.
        member: String,
        /// The flag that carried it.
        flag: &'static str,
        /// What it breaks.
        broken: Vec<Broken>,
    },
    /// A tag whose key another tag has, in any case.
    SameKey {
        /// The second key.
        key: &'a str,
    },
    /// A transitive key that is no tag's key.
    TransitiveNotTag {
        /// The key.
        key: &'a str,
    },
}

/// Every rule `request`'s session context breaks: [`model_breaches`], then
/// [`cross_list_breaches`].
pub fn session_breaches(request: &AssumeRoleRequest) -> Vec<SessionBreach<'_>> {
    let mut out = model_breaches(request);
    out.extend(cross_list_breaches(request));
    out
}

/// The STS model's limits `request` breaks, in the model's order: the
/// lists' lengths, each member, the source identity (`ValidationError`).
pub fn model_breaches(request: &AssumeRoleRequest) -> Vec<SessionBreach<'_>> {
    let mut out = Vec::new();
    let lists = [
        (SessionList::Tags, request.tags.len()),
        (
            SessionList::TransitiveTagKeys,
            request.transitive_tag_keys.len(),
        ),
        (SessionList::PolicyArns, request.policy_arns.len()),
    ];
    for (list, given) in lists {
        if given > list.max() {
            out.push(SessionBreach::TooMany { list, given });
        }
    }
    let tags = SessionList::Tags.flag();
    for (i, tag) in request.tags.iter().enumerate() {
        let n = i + 1;
        out.extend(value(
            &TAG_KEY,
            &tag.key,
            || format!("tags.{n}.member.key"),
            tags,
        ));
        out.extend(value(
            &TAG_VALUE,
            &tag.value,
            || format!("tags.{n}.member.value"),
            tags,
        ));
    }
    for (i, key) in request.transitive_tag_keys.iter().enumerate() {
        out.extend(value(
            &TAG_KEY,
            key,
            || format!("transitiveTagKeys.{}.member", i + 1),
            SessionList::TransitiveTagKeys.flag(),
        ));
    }
    for (i, arn) in request.policy_arns.iter().enumerate() {
        out.extend(value(
            &POLICY_ARN,
            arn,
            || format!("policyArns.{}.member.arn", i + 1),
            POLICY_ARN.flag,
        ));
    }
    if let Some(id) = &request.source_identity {
        // The prefix `aws:`, which AWS reserves, is outside the pattern.
        out.extend(value(
            &SOURCE_IDENTITY,
            id,
            || SOURCE_IDENTITY.field.to_owned(),
            SOURCE_IDENTITY.flag,
        ));
    }
    out
}

/// The rules across the lists `request` breaks (`InvalidParameterValue`):
/// a tag key given twice in any case, a transitive key that is no tag's.
pub fn cross_list_breaches(request: &AssumeRoleRequest) -> Vec<SessionBreach<'_>> {
    let mut out = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for tag in &request.tags {
        let lower = tag.key.to_lowercase();
        if keys.contains(&lower) {
            out.push(SessionBreach::SameKey { key: &tag.key });
        }
        keys.push(lower);
    }
    for key in &request.transitive_tag_keys {
        if !keys.contains(&key.to_lowercase()) {
            out.push(SessionBreach::TransitiveNotTag { key });
        }
    }
    out
}

/// The breach of `param` by `value`, if any; `member` names its place.
fn value<'a>(
    param: &'static TextParam,
    value: &'a str,
    member: impl FnOnce() -> String,
    flag: &'static str,
) -> Option<SessionBreach<'a>> {
    let broken = param.check(value);
    (!broken.is_empty()).then(|| SessionBreach::Value {
        param,
        value,
        member: member(),
        flag,
        broken,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::Tag;

    #[test]
    fn every_rule_is_found_in_the_model_s_order_then_the_rules_across_lists() {
        let request = AssumeRoleRequest {
            tags: vec![
                Tag::new("team", "a"),
                Tag::new("Team", "b"),
                Tag::new("bad key!", ""),
            ],
            transitive_tag_keys: vec!["project".into()],
            policy_arns: vec!["short".into(); 11],
            source_identity: Some("aws:me".into()),
            ..Default::default()
        };
        let found: Vec<String> = session_breaches(&request)
            .iter()
            .map(|b| match b {
                SessionBreach::TooMany { list, given } => format!("{} {given}", list.member()),
                SessionBreach::Value { member, .. } => member.clone(),
                SessionBreach::SameKey { key } => format!("same {key}"),
                SessionBreach::TransitiveNotTag { key } => format!("not a tag {key}"),
            })
            .collect();
        let mut expected = vec!["policyArns 11".to_owned(), "tags.3.member.key".into()];
        expected.extend((1..=11).map(|n| format!("policyArns.{n}.member.arn")));
        expected.extend([
            "sourceIdentity".into(),
            "same Team".into(),
            "not a tag project".into(),
        ]);
        assert_eq!(found, expected);
    }

    #[test]
    fn a_request_within_every_rule_breaks_none() {
        let request = AssumeRoleRequest {
            tags: vec![Tag::new("team", "data")],
            transitive_tag_keys: vec!["TEAM".into()],
            policy_arns: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
            source_identity: Some("alice".into()),
            ..Default::default()
        };
        assert!(session_breaches(&request).is_empty());
    }
}
