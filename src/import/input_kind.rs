//! Which importer a file is for, told from its content: `terraform show
//! -json` names its format and Terraform version, a CloudFormation template
//! has `Resources` of `AWS::...` types, and `get-account-authorization-details`
//! output has its detail lists.

use serde_json::Value;

use super::cloudformation::is_template;
use super::world_file::ImportInputs;

/// The kind of an import input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `terraform show -json` (a plan or a state).
    Terraform,
    /// A CloudFormation template (JSON or YAML).
    CloudFormation,
    /// `aws iam get-account-authorization-details`.
    AuthorizationDetails,
}

impl InputKind {
    /// Puts a file of this kind among `inputs`.
    pub fn add(self, inputs: &mut ImportInputs, file: String, text: String) {
        match self {
            Self::Terraform => inputs.terraform.push((file, text)),
            Self::CloudFormation => inputs.cloudformation.push((file, text)),
            Self::AuthorizationDetails => inputs.auth_details.push((file, text)),
        }
    }
}

/// The importer `text` is for; `None` when it is none of them (a scenario,
/// say).
pub fn input_kind(text: &str) -> Option<InputKind> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if v.get("terraform_version").is_some() || v.get("format_version").is_some() {
            return Some(InputKind::Terraform);
        }
        if [
            "UserDetailList",
            "RoleDetailList",
            "GroupDetailList",
            "Policies",
        ]
        .iter()
        .any(|k| v.get(k).is_some())
        {
            return Some(InputKind::AuthorizationDetails);
        }
    }
    is_template(text).then_some(InputKind::CloudFormation)
}
