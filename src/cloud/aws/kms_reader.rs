//! Reading an account's customer managed KMS keys for `xacct import
//! --profile`: ListKeys (every page), DescribeKey (customer managed and
//! enabled keys only: AWS managed keys carry the policy AWS gives them,
//! which the world writes itself) and GetKeyPolicy (`default`, the one
//! policy a key has). What cannot be read is said, never fatal: an importer
//! without `kms:` permissions still gets its IAM and buckets.

use std::collections::BTreeMap;

use aws_sdk_kms as kms;
use serde_json::Value;

use super::page_guard::Pages;
use crate::cloud::{ListingCaps, Operation};

/// Key ids with their key policies, and what could not be read.
pub type KmsKeys = (BTreeMap<String, Value>, Vec<String>);

fn refused<E: kms::error::ProvideErrorMetadata>(what: &str, e: &E) -> String {
    format!(
        "KMS keys: {what} was refused ({}: {}); the world has no customer managed keys, and buckets encrypted with one are decided as SSE-S3",
        e.code().unwrap_or("error"),
        e.message().unwrap_or("no message")
    )
}

/// The customer managed keys `client` can read.
pub async fn read_kms_keys(client: &kms::Client) -> KmsKeys {
    let mut keys = BTreeMap::new();
    let mut notes = Vec::new();
    let mut ids = Vec::new();
    let mut pages = client.list_keys().into_paginator().send();
    let mut guard = Pages::new(
        Operation::ListKeys,
        "ListKeys".to_owned(),
        ListingCaps::default(),
    );
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                notes.push(refused("ListKeys", &e));
                break;
            }
        };
        ids.extend(
            page.keys()
                .iter()
                .filter_map(|k| k.key_id().map(str::to_owned)),
        );
        if let Err(e) = guard.next(page.next_marker()) {
            notes.push(format!("KMS keys: {}", e.message));
            break;
        }
    }
    for id in &ids {
        let id = id.as_str();
        let described = match client.describe_key().key_id(id).send().await {
            Ok(described) => described,
            Err(e) => {
                notes.push(refused(&format!("DescribeKey of {id}"), &e));
                continue;
            }
        };
        let Some(meta) = described.key_metadata() else {
            continue;
        };
        let customer = meta.key_manager() == Some(&kms::types::KeyManagerType::Customer);
        let enabled = meta.key_state() == Some(&kms::types::KeyState::Enabled);
        if !customer || !enabled {
            continue;
        }
        let policy = match client
            .get_key_policy()
            .key_id(id)
            .policy_name("default")
            .send()
            .await
        {
            Ok(out) => out.policy().map(str::to_owned),
            Err(e) => {
                notes.push(refused(&format!("GetKeyPolicy of {id}"), &e));
                continue;
            }
        };
        match policy.as_deref().map(serde_json::from_str::<Value>) {
            Some(Ok(doc)) => {
                keys.insert(id.to_owned(), doc);
            }
            _ => notes.push(format!(
                "KMS key {id}: its key policy is not JSON (left out)"
            )),
        }
    }
    (keys, notes)
}
