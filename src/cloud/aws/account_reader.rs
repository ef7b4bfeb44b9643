//! Reading one account's IAM through the SDK for `xacct import --profile`:
//! GetAccountAuthorizationDetails (every page), ListRoles for each role's
//! MaxSessionDuration (which the details omit), each user's MFA devices,
//! the OIDC providers, the account alias and the buckets. The SDK pages
//! and retries; the details come back in the AWS CLI's JSON shape, policy
//! documents still URL-encoded as IAM sends them, so the file importer
//! reads them.

use std::collections::BTreeMap;

use aws_sdk_iam as iam;
use serde_json::{Value, json};

use super::AwsCloud;
use super::convert::sdk_credentials;
use super::errors::from_sdk;
use super::page_guard::Pages;
use crate::cloud::{AccountSnapshot, CloudError, Credentials, ListingCaps, Operation, S3, Sts};

fn policy_details(list: &[iam::types::PolicyDetail]) -> Value {
    Value::Array(
        list.iter()
            .map(|p| json!({"PolicyName": p.policy_name(), "PolicyDocument": p.policy_document()}))
            .collect(),
    )
}

fn attached(list: &[iam::types::AttachedPolicy]) -> Value {
    Value::Array(
        list.iter()
            .map(|p| json!({"PolicyName": p.policy_name(), "PolicyArn": p.policy_arn()}))
            .collect(),
    )
}

fn boundary(b: Option<&iam::types::AttachedPermissionsBoundary>) -> Value {
    b.and_then(|b| b.permissions_boundary_arn())
        .map_or(Value::Null, |arn| json!({"PermissionsBoundaryArn": arn}))
}

/// One page of GetAccountAuthorizationDetails as the AWS CLI prints it.
fn details_json(
    out: &iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput,
) -> [Vec<Value>; 4] {
    let users = out
        .user_detail_list()
        .iter()
        .map(|u| {
            json!({
                "Path": u.path(), "UserName": u.user_name(), "Arn": u.arn(),
                "UserPolicyList": policy_details(u.user_policy_list()),
                "GroupList": u.group_list(),
                "AttachedManagedPolicies": attached(u.attached_managed_policies()),
                "PermissionsBoundary": boundary(u.permissions_boundary()),
                "Tags": u.tags().iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let groups = out
        .group_detail_list()
        .iter()
        .map(|g| {
            json!({
                "GroupName": g.group_name(),
                "GroupPolicyList": policy_details(g.group_policy_list()),
                "AttachedManagedPolicies": attached(g.attached_managed_policies()),
            })
        })
        .collect();
    let roles = out
        .role_detail_list()
        .iter()
        .map(|r| {
            json!({
                "Path": r.path(), "RoleName": r.role_name(), "Arn": r.arn(),
                "AssumeRolePolicyDocument": r.assume_role_policy_document(),
                "RolePolicyList": policy_details(r.role_policy_list()),
                "AttachedManagedPolicies": attached(r.attached_managed_policies()),
                "PermissionsBoundary": boundary(r.permissions_boundary()),
                "Tags": r.tags().iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let policies = out
        .policies()
        .iter()
        .map(|p| {
            let versions: Vec<Value> = p
                .policy_version_list()
                .iter()
                .map(|v| {
                    json!({"Document": v.document(), "VersionId": v.version_id(), "IsDefaultVersion": v.is_default_version()})
                })
                .collect();
            json!({"Arn": p.arn(), "DefaultVersionId": p.default_version_id(), "PolicyVersionList": versions})
        })
        .collect();
    [users, groups, roles, policies]
}

/// Reads the account `caller` belongs to; `step` is told what is being read.
pub async fn read_account(
    cloud: &AwsCloud,
    config: &aws_types::SdkConfig,
    caller: &Credentials,
    step: &(dyn Fn(&str) + Sync),
) -> Result<AccountSnapshot, CloudError> {
    let me = cloud.get_caller_identity(caller).await?;
    let client = iam::Client::from_conf(
        iam::config::Builder::from(config)
            .credentials_provider(sdk_credentials(caller))
            .build(),
    );
    step(&format!("{}: authorization details", me.account));
    let mut lists: [Vec<Value>; 4] = Default::default();
    let mut pages = client
        .get_account_authorization_details()
        .into_paginator()
        .send();
    let mut guard = Pages::new(
        Operation::GetAccountAuthorizationDetails,
        "GetAccountAuthorizationDetails".to_owned(),
        ListingCaps::default(),
    );
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_sdk(Operation::GetAccountAuthorizationDetails, e))?;
        guard.next(page.marker())?;
        for (all, more) in lists.iter_mut().zip(details_json(&page)) {
            all.extend(more);
        }
    }
    let [users, groups, roles, policies] = lists;
    let user_names: Vec<String> = users
        .iter()
        .filter_map(|u| u["UserName"].as_str().map(str::to_owned))
        .collect();
    let details = json!({
        "UserDetailList": users, "GroupDetailList": groups,
        "RoleDetailList": roles, "Policies": policies,
    });
    step(&format!("{}: roles", me.account));
    let mut max_session_durations = BTreeMap::new();
    let mut pages = client.list_roles().into_paginator().send();
    let mut guard = Pages::new(
        Operation::ListRoles,
        "ListRoles".to_owned(),
        ListingCaps::default(),
    );
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_sdk(Operation::ListRoles, e))?;
        guard.next(page.marker())?;
        for role in page.roles() {
            if let Some(d) = role
                .max_session_duration()
                .and_then(|d| u32::try_from(d).ok())
            {
                max_session_durations.insert(role.role_name().to_owned(), d);
            }
        }
    }
    let mut mfa_serials = BTreeMap::new();
    for name in &user_names {
        step(&format!("{}: MFA devices of {name}", me.account));
        let mut pages = client
            .list_mfa_devices()
            .user_name(name)
            .into_paginator()
            .items()
            .send();
        if let Some(device) = pages.next().await {
            let device = device.map_err(|e| from_sdk(Operation::ListMfaDevices, e))?;
            mfa_serials.insert(name.clone(), device.serial_number().to_owned());
        }
    }
    step(&format!("{}: OIDC providers", me.account));
    let listed = client
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(|e| from_sdk(Operation::ListOpenIdConnectProviders, e))?;
    let mut oidc_providers = BTreeMap::new();
    for arn in listed
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
    {
        let provider = client
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
            .map_err(|e| from_sdk(Operation::GetOpenIdConnectProvider, e))?;
        if let Some(url) = provider.url() {
            let issuer = url.trim_start_matches("https://").to_owned();
            oidc_providers.insert(issuer, provider.client_id_list().to_vec());
        }
    }
    let alias = client
        .list_account_aliases()
        .send()
        .await
        .map_err(|e| from_sdk(Operation::ListAccountAliases, e))?
        .account_aliases()
        .first()
        .cloned();
    step(&format!("{}: buckets", me.account));
    let mut buckets: Vec<crate::cloud::BucketFacts> = cloud
        .list_buckets(caller)
        .await?
        .into_iter()
        .map(|b| crate::cloud::BucketFacts {
            created: b.created.map(crate::timestamp::rfc3339),
            ..crate::cloud::BucketFacts::named(b.name)
        })
        .collect();
    let mut notes = Vec::new();
    for facts in &mut buckets {
        step(&format!("{}: bucket {}", me.account, facts.name));
        super::bucket_reader::read_bucket(cloud, caller, facts, &mut notes).await;
    }
    step(&format!("{}: KMS keys", me.account));
    let kms = aws_sdk_kms::Client::from_conf(
        aws_sdk_kms::config::Builder::from(config)
            .credentials_provider(sdk_credentials(caller))
            .build(),
    );
    let (kms_keys, kms_notes) = super::kms_reader::read_kms_keys(&kms).await;
    notes.extend(kms_notes);
    Ok(AccountSnapshot {
        account: me.account,
        authorization_details: details,
        max_session_durations,
        mfa_serials,
        oidc_providers,
        alias,
        buckets,
        kms_keys,
        notes,
    })
}
