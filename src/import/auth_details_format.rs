//! The wire format of `aws iam get-account-authorization-details` (the
//! raw API's and the AWS CLI's alike), as serde reads it, and the decoding
//! of its URL-encoded policy documents.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
pub(super) struct Details {
    pub(super) user_detail_list: Vec<UserDetail>,
    pub(super) group_detail_list: Vec<GroupDetail>,
    pub(super) role_detail_list: Vec<RoleDetail>,
    pub(super) policies: Vec<ManagedPolicy>,
    pub(super) is_truncated: bool,
}

/// What a user's and a role's detail share: where it lives, its ARN
/// (which names the account), its managed policies, boundary and tags.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct EntityDetail {
    #[serde(default)]
    pub(super) path: Option<String>,
    pub(super) arn: String,
    #[serde(default)]
    pub(super) attached_managed_policies: Vec<Attached>,
    #[serde(default)]
    pub(super) permissions_boundary: Option<Boundary>,
    #[serde(default)]
    pub(super) tags: Vec<TagPair>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct UserDetail {
    pub(super) user_name: String,
    #[serde(flatten)]
    pub(super) entity: EntityDetail,
    #[serde(default)]
    pub(super) user_policy_list: Vec<InlinePolicy>,
    #[serde(default)]
    pub(super) group_list: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GroupDetail {
    pub(super) group_name: String,
    #[serde(default)]
    pub(super) arn: String,
    #[serde(default)]
    pub(super) group_policy_list: Vec<InlinePolicy>,
    #[serde(default)]
    pub(super) attached_managed_policies: Vec<Attached>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RoleDetail {
    pub(super) role_name: String,
    #[serde(flatten)]
    pub(super) entity: EntityDetail,
    pub(super) assume_role_policy_document: Value,
    #[serde(default)]
    pub(super) role_policy_list: Vec<InlinePolicy>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct InlinePolicy {
    pub(super) policy_name: String,
    pub(super) policy_document: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TagPair {
    pub(super) key: String,
    #[serde(default)]
    pub(super) value: String,
}

pub(super) fn tag_map(tags: &[TagPair]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Attached {
    pub(super) policy_name: String,
    pub(super) policy_arn: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Boundary {
    pub(super) permissions_boundary_arn: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ManagedPolicy {
    pub(super) arn: String,
    #[serde(default)]
    pub(super) default_version_id: Option<String>,
    #[serde(default)]
    pub(super) policy_version_list: Vec<PolicyVersion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyVersion {
    pub(super) document: Value,
    #[serde(default)]
    pub(super) version_id: Option<String>,
    #[serde(default)]
    pub(super) is_default_version: bool,
}

/// A policy document as JSON: decoded from the raw API's URL-encoded text,
/// or taken as the AWS CLI printed it.
pub(super) fn document(value: &Value, at: &str) -> Result<Value, String> {
    match value {
        Value::Object(_) => Ok(value.clone()),
        Value::String(text) => {
            let decoded = percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map_err(|_| format!("{at}: the URL-encoded policy document is not UTF-8"))?;
            serde_json::from_str::<crate::iam::Document>(&decoded)
                .map(|d| d.0)
                .map_err(|e| format!("{at}: not a policy document: {e}"))
        }
        _ => Err(format!(
            "{at}: a policy document is a JSON object or its URL-encoded text"
        )),
    }
}
