//! What a session carries besides its role: session tags (with the keys
//! later sessions of a chain inherit), the source identity, and the managed
//! session policies it was opened with; and AWS's rules for passing them,
//! as the IAM User Guide states them ("Pass session tags in AWS STS",
//! "Monitor and control actions taken with assumed roles") and as AWS was
//! observed to answer (mahitotsu/gekko_08, experiments/multi-hop-propagation,
//! 2026-09-30, ap-northeast-1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::aws_error::{AwsError, broken_violations};
use xacct_aws::cloud::AssumeRoleRequest;
use xacct_aws::cloud::session_rules::{SessionBreach, cross_list_breaches, model_breaches};

/// The session context a temporary credential carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionContext {
    /// Session tags: those passed, then those inherited, in that order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// The keys (as passed) that later sessions of a chain inherit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitive: Vec<String>,
    /// The source identity, once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// Managed session policies (ARNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_arns: Vec<String>,
}

impl SessionContext {
    /// Whether it carries nothing.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The tags a chained session inherits: the transitive ones.
    fn inherited(&self) -> Vec<(String, String)> {
        self.tags
            .iter()
            .filter(|(k, _)| self.transitive.iter().any(|t| same_key(t, k)))
            .cloned()
            .collect()
    }

    /// One line for explanations: tags, transitive keys, source identity.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            parts.push(format!("session tags {}", tags.join(", ")));
        }
        if !self.transitive.is_empty() {
            parts.push(format!("transitive {}", self.transitive.join(", ")));
        }
        if let Some(id) = &self.source_identity {
            parts.push(format!("source identity {id}"));
        }
        if !self.policy_arns.is_empty() {
            parts.push(format!("session policies {}", self.policy_arns.join(", ")));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Whether two tag keys are the same key: IAM compares them without
/// regard to case (Unicode lower case, as the duplicate check does).
pub(super) fn same_key(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// A principal's tags: its IAM tags, overridden (whatever the case of the
/// key) by its session tags.
pub(super) fn principal_tags(
    iam: &BTreeMap<String, String>,
    session: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = iam
        .iter()
        .filter(|(k, _)| !session.iter().any(|(s, _)| same_key(s, k)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.extend(session.iter().cloned());
    out
}

/// The STS model's constraints on `Tags`, `TransitiveTagKeys`, `PolicyArns`
/// and `SourceIdentity`, in AWS's words (1-based member indexes).
pub(super) fn violations(request: &AssumeRoleRequest) -> Vec<String> {
    model_breaches(request)
        .into_iter()
        .flat_map(|breach| match breach {
            SessionBreach::TooMany { list, .. } => vec![format!(
                "Value at '{}' failed to satisfy constraint: Member must have length less than or equal to {}",
                list.member(),
                list.max()
            )],
            SessionBreach::Value {
                param,
                value,
                member,
                broken,
                ..
            } => broken_violations(param, value, &member, broken),
            SessionBreach::SameKey { .. }
            | SessionBreach::TransitiveNotTag { .. } => Vec::new(),
        })
        .collect()
}

/// What a new role session will carry, what its request adds to the
/// request context, and which permissions-only actions it needs.
#[derive(Debug, Clone, Default)]
pub(super) struct Planned {
    /// The new session's context.
    pub context: SessionContext,
    /// `aws:RequestTag/KEY`, `aws:TagKeys`, `sts:TransitiveTagKeys` and
    /// `sts:SourceIdentity`, for this request only.
    pub request_keys: Vec<(String, String)>,
}

impl Planned {
    /// Whether the request passes session tags (its own or inherited
    /// transitive ones): then `sts:TagSession` must be allowed.
    pub(super) fn tags_session(&self) -> bool {
        !self.context.tags.is_empty()
    }

    /// Whether the session will carry a source identity (passed, or kept
    /// from the caller's session): then `sts:SetSourceIdentity` must be allowed.
    pub(super) fn sets_source_identity(&self) -> bool {
        self.context.source_identity.is_some()
    }
}

/// The new session's context from the request and the caller's session
/// (when the caller is one): AWS's rules for tags and source identity in a
/// chain, each refused in AWS's words.
pub(super) fn plan(
    request: &AssumeRoleRequest,
    caller: Option<&SessionContext>,
) -> Result<Planned, AwsError> {
    for breach in cross_list_breaches(request) {
        match breach {
            SessionBreach::SameKey { .. } => return Err(AwsError::duplicate_tag_keys()),
            SessionBreach::TransitiveNotTag { .. } => {
                return Err(AwsError::transitive_key_not_a_tag());
            }
            _ => {}
        }
    }
    let inherited = caller.map(SessionContext::inherited).unwrap_or_default();
    if inherited
        .iter()
        .any(|(k, _)| request.tags.iter().any(|t| same_key(&t.key, k)))
    {
        return Err(AwsError::transitive_tag_conflict());
    }
    let kept = caller.and_then(|c| c.source_identity.clone());
    if let (Some(kept), Some(asked)) = (&kept, &request.source_identity)
        && kept != asked
    {
        return Err(AwsError::source_identity_already_set());
    }
    let mut tags: Vec<(String, String)> = request
        .tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    tags.extend(inherited.iter().cloned());
    let mut transitive: Vec<String> = request.transitive_tag_keys.clone();
    transitive.extend(inherited.iter().map(|(k, _)| k.clone()));
    let source_identity = kept.or_else(|| request.source_identity.clone());
    let mut request_keys = Vec::new();
    for (k, v) in &tags {
        request_keys.push((format!("aws:RequestTag/{k}"), v.clone()));
        request_keys.push(("aws:TagKeys".to_owned(), k.clone()));
    }
    for t in &transitive {
        request_keys.push(("sts:TransitiveTagKeys".to_owned(), t.clone()));
    }
    if let Some(id) = &source_identity {
        request_keys.push(("sts:SourceIdentity".to_owned(), id.clone()));
    }
    Ok(Planned {
        context: SessionContext {
            tags,
            transitive,
            source_identity,
            policy_arns: request.policy_arns.clone(),
        },
        request_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use xacct_aws::cloud::Tag;

    fn request(
        tags: &[(&str, &str)],
        transitive: &[&str],
        source: Option<&str>,
    ) -> AssumeRoleRequest {
        AssumeRoleRequest {
            tags: tags.iter().map(|(k, v)| Tag::new(*k, *v)).collect(),
            transitive_tag_keys: transitive.iter().map(|t| (*t).to_owned()).collect(),
            source_identity: source.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn transitive_tags_and_the_source_identity_follow_the_chain() {
        let first = plan(
            &request(
                &[("Project", "apollo"), ("team", "data")],
                &["Project"],
                Some("alice"),
            ),
            None,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(first.tags_session() && first.sets_source_identity());
        // A later hop passing nothing inherits Project (not team) and alice.
        let second = plan(&request(&[], &[], None), Some(&first.context))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            second.context.tags,
            vec![("Project".to_owned(), "apollo".to_owned())]
        );
        assert_eq!(second.context.transitive, vec!["Project"]);
        assert_eq!(second.context.source_identity.as_deref(), Some("alice"));
        assert!(
            second.tags_session(),
            "inherited tags need sts:TagSession (observed)"
        );
        // Overriding it, in any case, is refused; the same source identity is not.
        let err = plan(
            &request(&[("project", "other")], &[], None),
            Some(&first.context),
        );
        assert_eq!(
            err.map(|_| ()).map_err(|e| e.code),
            Err("InvalidParameterValue".to_owned())
        );
        assert!(plan(&request(&[], &[], Some("alice")), Some(&first.context)).is_ok());
        let err = plan(&request(&[], &[], Some("bob")), Some(&first.context));
        assert_eq!(
            err.map(|_| ()).map_err(|e| e.code),
            Err("ValidationError".to_owned())
        );
    }

    #[test]
    fn tag_rules_are_refused_in_aws_words() {
        let dup = plan(&request(&[("Team", "a"), ("team", "b")], &[], None), None);
        assert!(dup.is_err_and(|e| e.message.contains("case insensitive")));
        let stray = plan(&request(&[("team", "a")], &["project"], None), None);
        assert!(stray.is_err_and(|e| e.message.contains("must be included")));
        let long = request(&[(&"k".repeat(129), "v")], &[], None);
        assert_eq!(
            violations(&long),
            vec![format!(
                "Value '{}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
                "k".repeat(129)
            )]
        );
    }

    #[test]
    fn session_tags_override_iam_tags_whatever_the_case() {
        let iam = BTreeMap::from([
            ("Team".to_owned(), "audit".to_owned()),
            ("cost".to_owned(), "1".to_owned()),
        ]);
        let tags = principal_tags(&iam, &[("team".to_owned(), "data".to_owned())]);
        assert_eq!(
            tags,
            vec![
                ("cost".to_owned(), "1".to_owned()),
                ("team".to_owned(), "data".to_owned())
            ]
        );
    }
}
