//! Importing what decides access to data: a Terraform plan
//! (`aws_s3_bucket_policy`, `aws_s3_bucket_ownership_controls`,
//! `aws_s3_bucket_public_access_block`, `aws_kms_key`,
//! `aws_s3_bucket_server_side_encryption_configuration` referring to the
//! key) and a CloudFormation template (`AWS::S3::BucketPolicy`,
//! `AWS::KMS::Key`, the bucket's own properties) of the same setup import
//! to worlds where the partner's account reads the bucket through both
//! policies, and the analysis finds it.

use std::path::Path;

use xacct::sim::{self, DataAccess, Loaded};

use crate::import::import;

fn imported(args: &[&str], dir: &Path) -> (Loaded, String) {
    let out_path = dir.join("world.yaml");
    let mut all = args.to_vec();
    all.extend(["-o", out_path.to_str().expect("path")]);
    let out = import(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_path).expect("written");
    (
        sim::load(&out_path).unwrap_or_else(|e| panic!("{e}\n{text}")),
        text,
    )
}

fn partner_reads(loaded: &Loaded) {
    let edges = loaded.world.data_edges();
    let reads: Vec<(&str, &str)> = edges
        .iter()
        .filter(|e| e.access == DataAccess::Read && e.bucket == "shared-reports")
        .map(|e| (e.from.as_str(), e.why.as_str()))
        .collect();
    assert!(
        reads
            .iter()
            .any(|(from, why)| *from == "arn:aws:iam::111111111111:root"
                && why.contains("kms:Decrypt on arn:aws:kms:us-east-1:222222222222:key/")),
        "{reads:?}"
    );
    let findings = loaded.world.data_findings(&edges);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "kms-key-open-to-other-accounts"),
        "{findings:?}"
    );
}

#[test]
fn a_terraform_plan_s_bucket_settings_and_key_import() {
    let dir = tempfile::tempdir().expect("tmp");
    let (loaded, text) = imported(&["tests/import/terraform-data-plan.json"], dir.path());
    for wanted in [
        "ownership: BucketOwnerEnforced",
        "restrict_public_buckets: true",
        "kms_key: arn:aws:kms:us-east-1:222222222222:key/reports",
        "kms_keys:",
        "Sid: PartnerReads",
        "Sid: PartnerDecrypts",
    ] {
        assert!(text.contains(wanted), "{wanted} missing from\n{text}");
    }
    partner_reads(&loaded);
}

#[test]
fn a_cloudformation_template_s_bucket_policy_and_key_import() {
    let dir = tempfile::tempdir().expect("tmp");
    let (loaded, text) = imported(
        &["tests/import/cfn-data.yaml", "--account", "222222222222"],
        dir.path(),
    );
    for wanted in [
        "ownership: BucketOwnerEnforced",
        "kms_key: arn:aws:kms:us-east-1:222222222222:key/ReportsKey",
        "ReportsKey:",
        "Sid: PartnerReads",
    ] {
        assert!(text.contains(wanted), "{wanted} missing from\n{text}");
    }
    partner_reads(&loaded);
}

#[test]
fn a_default_key_that_was_not_imported_is_left_out_and_said_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let template = dir.path().join("t.yaml");
    std::fs::write(
        &template,
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms, KMSMasterKeyID: arn:aws:kms:us-east-1:222222222222:key/elsewhere }\n",
    )
    .expect("written");
    let out_path = dir.path().join("w.yaml");
    let out = import(&[
        template.to_str().expect("path"),
        "--account",
        "222222222222",
        "-o",
        out_path.to_str().expect("path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("is not among the imported keys") && stderr.contains("decided as SSE-S3"),
        "{stderr}"
    );
}

/// A file planted beside the output (the name a predictable temporary once
/// had, a symbolic link to a victim) is never written through.
#[cfg(unix)]
#[test]
fn import_o_never_writes_through_a_planted_link() {
    let dir = tempfile::tempdir().expect("tmp");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    let out_path = dir.path().join("world.yaml");
    std::os::unix::fs::symlink(&victim, dir.path().join("world.yaml.partial")).expect("link");
    let out = import(&[
        "tests/import/cfn-data.yaml",
        "--account",
        "222222222222",
        "-o",
        out_path.to_str().expect("path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    assert!(
        std::fs::read_to_string(&out_path)
            .expect("world")
            .contains("shared-reports")
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_terraform_plan_with_a_key_twice_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = std::fs::read_to_string("tests/import/terraform-data-plan.json").expect("the plan");
    // A second `terraform_version` in the top object: a reader that keeps
    // the last of two keys would import whatever the second one says.
    let twice = plan.replacen(
        "\"terraform_version\": \"1.9.5\",",
        "\"terraform_version\": \"1.9.5\", \"terraform_version\": \"1.9.6\",",
        1,
    );
    assert_ne!(twice, plan);
    let path = dir.path().join("plan.json");
    std::fs::write(&path, twice).expect("written");
    let out_path = dir.path().join("world.yaml");
    let out = import(&[
        path.to_str().expect("utf-8"),
        "--account",
        "111111111111",
        "-o",
        out_path.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("the key `terraform_version` appears twice"),
        "{stderr}"
    );
    assert!(!out_path.exists(), "nothing is written");
}
