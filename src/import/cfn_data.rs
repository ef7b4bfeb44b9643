//! The data settings of a CloudFormation template: `AWS::KMS::Key` (its
//! `KeyPolicy`, under its logical id: the key id is generated at deploy),
//! `AWS::S3::BucketPolicy` (`Bucket`, `PolicyDocument`), and an
//! `AWS::S3::Bucket`'s `OwnershipControls`,
//! `PublicAccessBlockConfiguration` and `BucketEncryption` (its default
//! SSE-KMS key), as the CloudFormation resource reference defines them.

use serde_json::{Map, Value};

use super::auth_details::AccountImport;
use super::cfn_resolve::Resolver;

/// The resolved value at `path` under `props` (each list its first item).
fn at_path(
    props: &Map<String, Value>,
    path: &[&str],
    r: &mut Resolver<'_>,
    at: &str,
) -> Option<Value> {
    let (first, rest) = path.split_first()?;
    let mut value = r.resolve(props.get(*first)?, &format!("{at}.{first}"))?;
    for field in rest {
        if let Some(item) = value.as_array().and_then(|a| a.first()).cloned() {
            value = item;
        }
        value = value.get(*field)?.clone();
    }
    if let Some(item) = value.as_array().and_then(|a| a.first()).cloned() {
        value = item;
    }
    Some(value)
}

/// Reads the data settings of the kept resources into `out`.
pub(super) fn read_data(
    kept: &[(&String, &str, Map<String, Value>)],
    r: &mut Resolver<'_>,
    out: &mut AccountImport,
    file: &str,
) {
    for (logical, kind, props) in kept {
        let at = format!("{file}: Resources.{logical}.Properties");
        match *kind {
            "AWS::KMS::Key" => match props.get("KeyPolicy").and_then(|p| r.resolve(p, &format!("{at}.KeyPolicy"))) {
                Some(doc @ Value::Object(_)) => {
                    out.kms_keys.insert((*logical).clone(), doc);
                }
                _ => r.notes.push(format!(
                    "{at}.KeyPolicy: no key policy CloudFormation can read (left out: a bucket encrypted with it is decided as SSE-S3)"
                )),
            },
            "AWS::S3::Bucket" => {
                let name = r.names[*logical].1.clone();
                let ownership = at_path(props, &["OwnershipControls", "Rules", "ObjectOwnership"], r, &at);
                let block = props.contains_key("PublicAccessBlockConfiguration").then(|| {
                    let mut flag = |f: &str| {
                        at_path(props, &["PublicAccessBlockConfiguration", f], r, &at)
                            .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"))
                    };
                    [
                        flag("BlockPublicAcls"),
                        flag("IgnorePublicAcls"),
                        flag("BlockPublicPolicy"),
                        flag("RestrictPublicBuckets"),
                    ]
                });
                let default = ["BucketEncryption", "ServerSideEncryptionConfiguration", "ServerSideEncryptionByDefault"];
                let algorithm = at_path(props, &[default[0], default[1], default[2], "SSEAlgorithm"], r, &at);
                let key = at_path(props, &[default[0], default[1], default[2], "KMSMasterKeyID"], r, &at);
                let Some(facts) = out.buckets.iter_mut().find(|b| b.name == name) else {
                    continue;
                };
                facts.ownership = ownership.and_then(|v| v.as_str().map(str::to_owned));
                facts.public_access_block = block;
                if algorithm.as_ref().and_then(Value::as_str) == Some("aws:kms") {
                    facts.kms_key = Some(
                        key.and_then(|k| k.as_str().map(str::to_owned))
                            .unwrap_or_else(|| "alias/aws/s3".to_owned()),
                    );
                }
            }
            "AWS::S3::BucketPolicy" => {
                let bucket = props.get("Bucket").and_then(|b| r.resolve(b, &format!("{at}.Bucket")));
                let doc = props.get("PolicyDocument").and_then(|d| r.resolve(d, &format!("{at}.PolicyDocument")));
                let (Some(Value::String(bucket)), Some(doc @ Value::Object(_))) = (bucket, doc) else {
                    r.notes.push(format!(
                        "{at}: its Bucket or PolicyDocument is known only once deployed (left out)"
                    ));
                    continue;
                };
                match out.buckets.iter_mut().find(|b| b.name == bucket) {
                    Some(facts) => facts.policy = Some(doc),
                    None => r.notes.push(format!(
                        "{at}.Bucket: `{bucket}` is not defined in {file} (left out)"
                    )),
                }
            }
            _ => {}
        }
    }
}
