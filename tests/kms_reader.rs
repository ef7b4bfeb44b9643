//! The live import's KMS reader under aws-smithy-mocks: customer managed,
//! enabled keys come back with their key policies; AWS managed and
//! disabled keys are passed over; a refused ListKeys is a note, not a
//! failure.

use aws_sdk_kms::operation::describe_key::DescribeKeyOutput;
use aws_sdk_kms::operation::get_key_policy::GetKeyPolicyOutput;
use aws_sdk_kms::operation::list_keys::{ListKeysError, ListKeysOutput};
use aws_sdk_kms::types::{KeyListEntry, KeyManagerType, KeyMetadata, KeyState};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use xacct::cloud::aws::read_kms_keys;

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:Decrypt","Resource":"*"}]}"#;

fn metadata(id: &str, manager: KeyManagerType, state: KeyState) -> DescribeKeyOutput {
    DescribeKeyOutput::builder()
        .key_metadata(
            KeyMetadata::builder()
                .key_id(id)
                .key_manager(manager)
                .key_state(state)
                .build()
                .expect("metadata"),
        )
        .build()
}

#[tokio::test]
async fn customer_managed_enabled_keys_come_back_with_their_policies() {
    let list = mock!(aws_sdk_kms::Client::list_keys).then_output(|| {
        ListKeysOutput::builder()
            .set_keys(Some(
                ["reports", "aws-s3", "retired"]
                    .iter()
                    .map(|id| KeyListEntry::builder().key_id(*id).build())
                    .collect(),
            ))
            .build()
    });
    let describe = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|r| r.key_id() == Some("reports"))
        .then_output(|| metadata("reports", KeyManagerType::Customer, KeyState::Enabled));
    let describe_aws = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|r| r.key_id() == Some("aws-s3"))
        .then_output(|| metadata("aws-s3", KeyManagerType::Aws, KeyState::Enabled));
    let describe_retired = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|r| r.key_id() == Some("retired"))
        .then_output(|| metadata("retired", KeyManagerType::Customer, KeyState::Disabled));
    let policy = mock!(aws_sdk_kms::Client::get_key_policy)
        .match_requests(|r| r.key_id() == Some("reports") && r.policy_name() == Some("default"))
        .then_output(|| GetKeyPolicyOutput::builder().policy(POLICY).build());
    let client = mock_client!(
        aws_sdk_kms,
        RuleMode::MatchAny,
        [&list, &describe, &describe_aws, &describe_retired, &policy]
    );
    let (keys, notes) = read_kms_keys(&client).await;
    assert_eq!(keys.keys().collect::<Vec<_>>(), ["reports"]);
    assert_eq!(
        keys["reports"]["Statement"][0]["Action"],
        serde_json::json!("kms:Decrypt")
    );
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        policy.num_calls(),
        1,
        "only the customer managed key's policy is read"
    );
}

#[tokio::test]
async fn a_refused_list_is_a_note() {
    let list = mock!(aws_sdk_kms::Client::list_keys).then_error(|| {
        ListKeysError::generic(
            aws_smithy_types::error::ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("User is not authorized to perform: kms:ListKeys")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_kms, [&list]);
    let (keys, notes) = read_kms_keys(&client).await;
    assert!(keys.is_empty());
    assert!(
        notes.len() == 1
            && notes[0].contains("AccessDeniedException")
            && notes[0].contains("kms:ListKeys"),
        "{notes:?}"
    );
}
