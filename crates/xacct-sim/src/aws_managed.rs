//! A catalogue of the AWS managed policies people attach most, from their
//! published documents, so `arn:aws:iam::aws:policy/NAME` resolves in a
//! world. Each file under `aws_managed/` is the default version as
//! `aws iam get-policy-version` returns it (`VersionId`, `CreateDate`,
//! `Document`), taken from the z0ph/MAMIP mirror of AWS's managed policies
//! at commit de4971a44b36762f50d87c2baf65ebbec0e93b39 (2025-02-22).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use xacct_iam::{Policy, PolicyKind, parse_as};

/// The documents, by policy ARN (the job-function policies live under
/// the `job-function/` path, as AWS publishes them).
const DOCUMENTS: [(&str, &str); 7] = [
    (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        include_str!("aws_managed/AdministratorAccess.json"),
    ),
    (
        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        include_str!("aws_managed/AmazonS3FullAccess.json"),
    ),
    (
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        include_str!("aws_managed/AmazonS3ReadOnlyAccess.json"),
    ),
    (
        "arn:aws:iam::aws:policy/PowerUserAccess",
        include_str!("aws_managed/PowerUserAccess.json"),
    ),
    (
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        include_str!("aws_managed/ReadOnlyAccess.json"),
    ),
    (
        "arn:aws:iam::aws:policy/SecurityAudit",
        include_str!("aws_managed/SecurityAudit.json"),
    ),
    (
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        include_str!("aws_managed/ViewOnlyAccess.json"),
    ),
];

/// An AWS managed policy of the catalogue.
#[derive(Debug, Clone)]
pub struct AwsManaged {
    /// The policy name.
    pub name: &'static str,
    /// The policy's ARN (with its path).
    pub arn: &'static str,
    /// The default version's id (`v128`).
    pub version: String,
    /// When that version was created.
    pub created: String,
    /// The document, compiled.
    pub policy: Policy,
    /// The document as published.
    pub document: serde_json::Value,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VersionFile {
    version_id: String,
    create_date: String,
    document: serde_json::Value,
}

static CATALOGUE: LazyLock<BTreeMap<&'static str, AwsManaged>> = LazyLock::new(|| {
    DOCUMENTS
        .iter()
        .filter_map(|(arn, text)| {
            let file: VersionFile = serde_json::from_str(text).ok()?;
            let policy = parse_as(&file.document, PolicyKind::Identity).ok()?;
            let document = file.document;
            Some((
                *arn,
                AwsManaged {
                    name: arn.rsplit('/').next().unwrap_or(arn),
                    arn,
                    version: file.version_id,
                    created: file.create_date,
                    policy,
                    document,
                },
            ))
        })
        .collect()
});

/// The AWS managed policy an ARN names (`arn:aws:iam::aws:policy/PATH/NAME`,
/// its path included, as IAM resolves it), if the catalogue has it.
pub fn aws_managed(arn: &str) -> Option<&'static AwsManaged> {
    CATALOGUE.get(arn)
}

/// The ARNs the catalogue holds.
pub fn aws_managed_names() -> Vec<&'static str> {
    DOCUMENTS.iter().map(|(arn, _)| *arn).collect()
}

/// The note an import leaves when it takes an AWS managed policy's document
/// from the catalogue.
pub fn catalogue_note(at: &str, aws: &AwsManaged) -> String {
    format!(
        "{at}: the AWS managed policy {} is taken from xacct's catalogue (version {}, {}), which may differ from the version the account sees",
        aws.name, aws.version, aws.created
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_of_the_catalogue_compiles() {
        assert_eq!(CATALOGUE.len(), DOCUMENTS.len(), "a document did not parse");
        let read_only = aws_managed("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .unwrap_or_else(|| panic!("ReadOnlyAccess is in the catalogue"));
        assert_eq!(read_only.version, "v128");
        assert!(!read_only.policy.statements.is_empty());
        assert!(aws_managed("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
        assert!(aws_managed("arn:aws:iam::111111111111:policy/ReadOnlyAccess").is_none());
        // The path is part of the ARN.
        assert!(aws_managed("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").is_some());
        assert!(aws_managed("arn:aws:iam::aws:policy/ViewOnlyAccess").is_none());
    }
}
