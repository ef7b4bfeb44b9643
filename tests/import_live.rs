//! `xacct import --profile` against `xacct serve`: every scenario's world,
//! served over IAM's, STS's and S3's wire protocols and read back through
//! the AWS SDK, gives a world in which the scenario's own runs, lint
//! expectations and assertions still hold.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::spawned::Spawned;

fn xacct(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("xacct runs")
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable");
    serde_saphyr::from_str(&text).expect("YAML")
}

/// Profiles `acct-ID` with each account's root keys, as the endpoint derives
/// them on loopback.
fn write_profiles(home: &Path, scenario: &Path, accounts: &[String], region: &str) {
    let loaded = xacct::sim::load(scenario).expect("the scenario loads");
    let (mut config, mut credentials) = (String::new(), String::new());
    for id in accounts {
        let starter = xacct::sim::Starter {
            arn: &format!("arn:aws:iam::{id}:root"),
            ..Default::default()
        };
        let keys = xacct::sim::credentials_for(&loaded, &starter).expect("root keys");
        config.push_str(&format!("[profile acct-{id}]\nregion = {region}\n\n"));
        credentials.push_str(&format!(
            "[acct-{id}]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n",
            keys.access_key_id,
            keys.secret_access_key.expose()
        ));
    }
    std::fs::write(home.join("config"), config).expect("config written");
    std::fs::write(home.join("credentials"), credentials).expect("credentials written");
}

/// The MFA codes of the original world, which no API returns, put back on
/// the imported devices (the one thing a user adds by hand).
fn restore_mfa_codes(original: &Value, imported: &mut Value) {
    let Some(accounts) = original["accounts"].as_object() else {
        return;
    };
    for (id, account) in accounts {
        let Some(users) = account["users"].as_object() else {
            continue;
        };
        for (name, user) in users {
            if let Some(code) = user["mfa"].get("code") {
                imported["accounts"][id]["users"][name]["mfa"]["code"] = code.clone();
            }
        }
    }
}

/// What a live import of `xacct serve` cannot read, taken back from the
/// original: objects (an import reads settings, not contents), default
/// encryption (the endpoint does not serve GetBucketEncryption) and KMS
/// keys (it does not serve KMS). Before that, the settings it does read
/// must have come back: each bucket's region, Object Ownership and Block
/// Public Access as the original's, its policy present when the original
/// has one.
fn restore_bucket_details(original: &Value, imported: &mut Value) {
    let Some(accounts) = original["accounts"].as_object() else {
        return;
    };
    for (id, account) in accounts {
        for bucket in account["buckets"].as_array().into_iter().flatten() {
            let Some(name) = bucket["name"].as_str() else {
                continue;
            };
            let back = imported["accounts"][id]["buckets"]
                .as_array()
                .and_then(|list| list.iter().find(|b| b["name"].as_str() == Some(name)))
                .cloned()
                .unwrap_or_else(|| panic!("bucket {name} of {id} did not come back"));
            if let Some(ownership) = bucket.get("ownership") {
                assert_eq!(
                    back.get("ownership"),
                    Some(ownership),
                    "{id} {name}: ownership"
                );
            }
            if let Some(block) = bucket.get("public_access_block") {
                assert_eq!(
                    back.get("public_access_block"),
                    Some(block),
                    "{id} {name}: BPA"
                );
            }
            assert_eq!(
                back.get("policy").is_some(),
                bucket.get("policy").is_some(),
                "{id} {name}: policy"
            );
        }
        if let Some(keys) = account.get("kms_keys") {
            imported["accounts"][id]["kms_keys"] = keys.clone();
        }
        let Some(buckets) = account["buckets"].as_array() else {
            continue;
        };
        if buckets.iter().any(Value::is_object) {
            imported["accounts"][id]["buckets"] = Value::Array(buckets.clone());
        }
    }
}

fn round_trip(file: &Path) {
    let home = tempfile::tempdir().expect("tempdir");
    let original = yaml(file);
    let loaded = xacct::sim::load(file).expect("loads");
    let inventory = loaded.world.inventory();
    let mut accounts: Vec<String> = inventory.accounts.iter().map(|a| a.id.clone()).collect();
    // The organization is read through the management account: first.
    let management = inventory
        .organization
        .as_ref()
        .map(|o| o.description.management.clone());
    if let Some(m) = &management {
        accounts.sort_by_key(|a| a != m);
    }
    let region = loaded.world.region().to_owned();
    write_profiles(home.path(), file, &accounts, &region);
    let served = Spawned::serve(&file.display().to_string(), &[]);
    let url = format!("http://{}", served.addr);
    let out_file = home.path().join("imported.yaml");
    let mut args = vec!["import", "--endpoint-url", &url];
    if management.is_some() {
        args.push("--org");
    }
    let profiles: Vec<String> = accounts.iter().map(|id| format!("acct-{id}")).collect();
    for p in &profiles {
        args.extend(["--profile", p.as_str()]);
    }
    let out_path = out_file.display().to_string();
    args.extend(["-o", out_path.as_str()]);
    let out = xacct(&args, home.path());
    assert!(
        out.status.success(),
        "{}: import failed: {}\nserve log: {:?}",
        file.display(),
        String::from_utf8_lossy(&out.stderr),
        served.log()
    );
    let back = xacct::sim::load(&out_file).expect("the imported world loads");
    let back_inventory = back.world.inventory();
    let organization = |i: &xacct::sim::Inventory| {
        i.organization
            .as_ref()
            .map(|o| (o.description.clone(), o.accounts.clone()))
    };
    assert_eq!(
        organization(&back_inventory),
        organization(&inventory),
        "{}: the organization",
        file.display()
    );
    for account in &inventory.accounts {
        let id = &account.id;
        let got = back_inventory.account(id).expect("the account came back");
        let names = |a: &xacct::sim::AccountView| {
            (
                a.users.iter().map(|u| u.name.clone()).collect::<Vec<_>>(),
                a.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
                // S3 lists buckets by name.
                a.buckets
                    .iter()
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>(),
                a.oidc_providers
                    .iter()
                    .map(|p| p.url.clone())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            names(got),
            names(account),
            "{}: account {id}",
            file.display()
        );
        for role in &account.roles {
            assert_eq!(
                got.role(&role.name).map(|r| r.max_session_duration),
                Some(role.max_session_duration),
                "{}: {}",
                file.display(),
                role.name
            );
        }
    }
    let mut imported = yaml(&out_file);
    restore_mfa_codes(&original, &mut imported);
    restore_bucket_details(&original, &mut imported);
    let mut merged = original.clone();
    let object = merged.as_object_mut().expect("a map");
    object.remove("world");
    object.remove("organization");
    object.insert("accounts".into(), imported["accounts"].clone());
    if let Some(org) = imported.get("organization") {
        object.insert("organization".into(), org.clone());
    }
    let name = original["name"].as_str().expect("a name");
    let merged_file = home.path().join(format!("{name}.yaml"));
    std::fs::write(
        &merged_file,
        serde_saphyr::to_string(&merged).expect("YAML"),
    )
    .expect("written");
    let sim = xacct(&["sim", &merged_file.display().to_string()], home.path());
    assert!(
        sim.status.success(),
        "{}: the imported world does not decide as the original:\n{}{}",
        file.display(),
        String::from_utf8_lossy(&sim.stdout),
        String::from_utf8_lossy(&sim.stderr)
    );
}

#[test]
fn every_scenario_served_and_imported_live_decides_as_the_original() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the scenarios are there");
    for file in &files {
        round_trip(file);
    }
}
