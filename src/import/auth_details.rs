//! `aws iam get-account-authorization-details` output, as the IAM API
//! Reference's `GetAccountAuthorizationDetails` response shape defines it
//! (`UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`),
//! read into one account's users and roles with every policy that applies
//! to them: their inline policies, their groups' inline and attached
//! policies (group membership counts as the member's), their attached
//! managed policies (the default version's document) and their permissions
//! boundary. Policy documents come URL-encoded from the raw API and decoded
//! from the AWS CLI; both are read.

use std::collections::BTreeMap;

use serde_json::Value;

use super::auth_details_format::{
    Attached, Details, EntityDetail, InlinePolicy, document, tag_map,
};

/// One account's principals as the import builds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountImport {
    /// The 12-digit account id (from the entities' ARNs).
    pub account: String,
    /// Users by name: path, policies by name, boundary.
    pub users: BTreeMap<String, Principal>,
    /// Roles by name: path, trust policy, policies by name, boundary.
    pub roles: BTreeMap<String, Principal>,
    /// IAM OIDC providers: issuer (host[/path]) and client ids.
    pub oidc_providers: BTreeMap<String, Vec<String>>,
    /// Buckets with what the input tells of their data settings.
    pub buckets: Vec<crate::cloud::BucketFacts>,
    /// Customer managed KMS keys: key id and key policy.
    pub kms_keys: BTreeMap<String, Value>,
    /// The account alias.
    pub alias: Option<String>,
    /// Customer managed policies by name (their default version), so a
    /// session's `PolicyArns` resolve; attachments are folded into their
    /// principals (`managed/NAME`).
    pub managed_policies: BTreeMap<String, Value>,
    /// What could not be carried over, one sentence each.
    pub notes: Vec<String>,
}

/// A user or role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Principal {
    /// The IAM path.
    pub path: String,
    /// The trust policy (roles only).
    pub trust: Option<Value>,
    /// Every identity policy that applies, by a name saying where it came
    /// from: `NAME` (inline), `group/GROUP/NAME`, `managed/NAME`.
    pub policies: BTreeMap<String, Value>,
    /// The permissions boundary's document.
    pub boundary: Option<Value>,
    /// A role's `MaxSessionDuration` (not in the authorization details;
    /// a live import reads it from ListRoles).
    pub max_session_duration: Option<u32>,
    /// A user's MFA device serial (a live import reads ListMFADevices).
    pub mfa_serial: Option<String>,
    /// IAM tags (`Tags` of the user or role detail).
    pub tags: BTreeMap<String, String>,
}

/// The account an IAM ARN names.
fn account_of(arn: &str) -> Option<String> {
    let arn: crate::iam::Arn = arn.parse().ok()?;
    (arn.service == "iam" && crate::iam::is_account_id(&arn.account)).then_some(arn.account)
}

/// Reads one `get-account-authorization-details` file's text; `file`
/// names it in errors; `known` is the account when the caller knows it
/// (a live import), so an account without users and roles reads too.
pub fn read_auth_details(
    text: &str,
    file: &str,
    known: Option<&str>,
) -> Result<AccountImport, String> {
    let details = parse_details(text, file)?;
    let mut account: Option<String> = known.map(str::to_owned);
    for arn in entity_arns(&details) {
        let found = account_of(arn).ok_or_else(|| not_an_account_arn(file, arn))?;
        match account {
            Some(ref a) if *a != found => {
                return Err(format!(
                    "{file}: it mixes accounts {a} and {found}; import one file per account"
                ));
            }
            _ => account = Some(found),
        }
    }
    let account = account.ok_or_else(|| {
        format!("{file}: it names no user and no role, so its account is unknown")
    })?;
    read_account(&details, account, file)
}

/// The error for an entity whose `Arn` names no account: AWS writes
/// none, so the file was edited or written by hand.
fn not_an_account_arn(file: &str, arn: &str) -> String {
    format!(
        "{file}: `{arn}` is not an IAM ARN of an account (`arn:aws:iam::ACCOUNT:user/NAME` or `role/NAME`, ACCOUNT 12 digits); AWS writes none, so the file was edited: fix that entity's `Arn` or remove the entity, then import again"
    )
}

/// Reads a file that may hold several accounts' details (AWS writes one
/// account per file, but files are joined): each user, group, role and
/// customer managed policy lands in the account its ARN names.
pub(super) fn read_auth_details_all(text: &str, file: &str) -> Result<Vec<AccountImport>, String> {
    let details = parse_details(text, file)?;
    let mut accounts = std::collections::BTreeSet::new();
    for arn in entity_arns(&details) {
        accounts.insert(account_of(arn).ok_or_else(|| not_an_account_arn(file, arn))?);
    }
    if accounts.is_empty() {
        return Err(format!(
            "{file}: it names no user and no role, so its account is unknown"
        ));
    }
    let several = accounts.len() > 1;
    let list: Vec<String> = accounts.iter().cloned().collect();
    let mut out = Vec::new();
    for account in accounts {
        let mine = |arn: &str| account_of(arn).is_none_or(|a| a == account);
        let part = Details {
            user_detail_list: details
                .user_detail_list
                .iter()
                .filter(|u| mine(&u.entity.arn))
                .cloned()
                .collect(),
            group_detail_list: details
                .group_detail_list
                .iter()
                .filter(|g| mine(&g.arn))
                .cloned()
                .collect(),
            role_detail_list: details
                .role_detail_list
                .iter()
                .filter(|r| mine(&r.entity.arn))
                .cloned()
                .collect(),
            policies: details
                .policies
                .iter()
                .filter(|p| mine(&p.arn))
                .cloned()
                .collect(),
            is_truncated: false,
        };
        let mut read = read_account(&part, account, file)?;
        if several && out.is_empty() {
            read.notes.insert(
                0,
                format!(
                    "{file}: it holds the details of accounts {} (AWS writes one per file); each entity is imported into the account its ARN names",
                    list.join(", ")
                ),
            );
        }
        out.push(read);
    }
    Ok(out)
}

fn parse_details(text: &str, file: &str) -> Result<Details, String> {
    let details: Details = serde_json::from_str(text).map_err(|e| {
        format!("{file}: not `aws iam get-account-authorization-details` output ({e})")
    })?;
    if details.is_truncated {
        return Err(format!(
            "{file}: IsTruncated is true, so this is one page of the answer; let the AWS CLI page it (`aws iam get-account-authorization-details > {file}`) or join the pages"
        ));
    }
    Ok(details)
}

/// The ARNs of the users and roles, which name the account(s).
fn entity_arns(details: &Details) -> impl Iterator<Item = &str> {
    details
        .user_detail_list
        .iter()
        .map(|u| u.entity.arn.as_str())
        .chain(
            details
                .role_detail_list
                .iter()
                .map(|r| r.entity.arn.as_str()),
        )
}

/// One account's details.
fn read_account(details: &Details, account: String, file: &str) -> Result<AccountImport, String> {
    let mut out = AccountImport {
        account,
        ..AccountImport::default()
    };
    // A managed policy's document: from the file, else xacct's catalogue.
    // As a permissions policy, one that neither holds may allow anything
    // (a placeholder); as a boundary, it is left off, which limits nothing.
    let managed = |arn: &str,
                   at: &str,
                   notes: &mut Vec<String>,
                   boundary: bool|
     -> Result<Option<Value>, String> {
        let Some(policy) = details.policies.iter().find(|p| p.arn == arn) else {
            if let Some(aws) = crate::sim::aws_managed(arn) {
                notes.push(crate::sim::catalogue_note(at, aws));
                return Ok(Some(aws.document.clone()));
            }
            if boundary {
                notes.push(format!(
                    "{at}: the permissions boundary {arn} has no document in {file} (left off: the analysis takes the principal as unbounded)"
                ));
                return Ok(None);
            }
            notes.push(super::unknown_policy::unknown_managed_note(at, arn));
            return Ok(Some(super::unknown_policy::unknown_policy(&format!(
                "managed policy {arn}"
            ))));
        };
        let version = policy
            .policy_version_list
            .iter()
            .find(|v| v.is_default_version)
            .or_else(|| {
                policy
                    .policy_version_list
                    .iter()
                    .find(|v| v.version_id.is_some() && v.version_id == policy.default_version_id)
            });
        match version {
            Some(v) => document(&v.document, &format!("{file}: Policies[{arn}]")).map(Some),
            None => {
                notes.push(format!(
                    "{at}: the managed policy {arn} lists no default version in {file} (left out)"
                ));
                Ok(None)
            }
        }
    };
    // A principal's (or its group's) inline and attached policies, named
    // with `prefix`; `list` names the inline list in errors.
    let take = |p: &mut Principal,
                prefix: &str,
                (list, inline): (&str, &[InlinePolicy]),
                attached: &[Attached],
                at: &str,
                notes: &mut Vec<String>|
     -> Result<(), String> {
        for ip in inline {
            let doc = document(
                &ip.policy_document,
                &format!("{at}.{list}[{}]", ip.policy_name),
            )?;
            p.policies
                .insert(format!("{prefix}{}", ip.policy_name), doc);
        }
        for a in attached {
            if let Some(doc) = managed(&a.policy_arn, at, notes, false)? {
                p.policies
                    .insert(format!("{prefix}managed/{}", a.policy_name), doc);
            }
        }
        Ok(())
    };
    // A user or role: its path, tags, own inline (`list` names them in
    // errors) and attached policies, and its boundary.
    let entity = |e: &EntityDetail,
                  inline: (&str, &[InlinePolicy]),
                  at: &str,
                  notes: &mut Vec<String>|
     -> Result<Principal, String> {
        let mut p = Principal {
            path: e.path.clone().unwrap_or_else(|| "/".to_owned()),
            tags: tag_map(&e.tags),
            ..Principal::default()
        };
        take(&mut p, "", inline, &e.attached_managed_policies, at, notes)?;
        if let Some(b) = &e.permissions_boundary {
            p.boundary = managed(&b.permissions_boundary_arn, at, notes, true)?;
        }
        Ok(p)
    };
    let mut notes = Vec::new();
    for (i, r) in details.role_detail_list.iter().enumerate() {
        let at = format!("{file}: RoleDetailList[{i}] ({})", r.role_name);
        let inline = ("RolePolicyList", r.role_policy_list.as_slice());
        let mut role = entity(&r.entity, inline, &at, &mut notes)?;
        role.trust = Some(document(
            &r.assume_role_policy_document,
            &format!("{at}.AssumeRolePolicyDocument"),
        )?);
        out.roles.insert(r.role_name.clone(), role);
    }
    for (i, u) in details.user_detail_list.iter().enumerate() {
        let at = format!("{file}: UserDetailList[{i}] ({})", u.user_name);
        let inline = ("UserPolicyList", u.user_policy_list.as_slice());
        let mut user = entity(&u.entity, inline, &at, &mut notes)?;
        for group in &u.group_list {
            let Some(g) = details
                .group_detail_list
                .iter()
                .find(|g| &g.group_name == group)
            else {
                notes.push(format!(
                    "{at}: the group {group} is not in GroupDetailList (its policies are left out)"
                ));
                continue;
            };
            let group_at = format!("{file}: GroupDetailList[{group}]");
            let inline = ("GroupPolicyList", g.group_policy_list.as_slice());
            let prefix = format!("group/{group}/");
            take(
                &mut user,
                &prefix,
                inline,
                &g.attached_managed_policies,
                &group_at,
                &mut notes,
            )?;
        }
        out.users.insert(u.user_name.clone(), user);
    }
    let own = format!("arn:aws:iam::{}:policy/", out.account);
    for policy in &details.policies {
        let Some(rest) = policy.arn.strip_prefix(&own) else {
            continue;
        };
        if rest.starts_with("xacct-boundary/") {
            continue;
        }
        let name = rest.rsplit('/').next().unwrap_or(rest).to_owned();
        if let Some(doc) = managed(&policy.arn, &format!("{file}: Policies"), &mut notes, false)? {
            out.managed_policies.insert(name, doc);
        }
    }
    out.notes = notes;
    Ok(out)
}
