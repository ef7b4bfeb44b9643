//! A profile named with `--profile` gives the base credentials, and keys in
//! the environment are then not used, as `aws --profile NAME` does not use
//! them (botocore's credential resolver: "an explicitly provided profile
//! will negate an EnvProvider"). Without `--profile`, the environment's
//! keys come first, as in the SDK's default chain.

use crate::hostile::Hostile;
use crate::support::BASE_KEY_ID;

/// The key id of the profile `keys` in the credentials file.
const PROFILE_KEY_ID: &str = "AKIAPROFILEKEYEXAMPLE";

/// The access key ids that signed the requests the endpoint received.
async fn signers(hostile: &Hostile) -> Vec<String> {
    let received = hostile.server.received_requests().await.unwrap_or_default();
    received
        .iter()
        .filter_map(|r| {
            r.headers
                .get("authorization")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .filter_map(|auth| {
            let credential = auth.split("Credential=").nth(1)?;
            Some(credential.split('/').next()?.to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_profile_signs_even_with_keys_in_the_environment() {
    let home = tempfile::tempdir().expect("temp dir");
    let credentials = home.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[keys]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = profileSecretExampleKey/0123456789abcdef\n"
        ),
    )
    .expect("credentials file");
    for (profile, expected) in [(Some("keys"), PROFILE_KEY_ID), (None, BASE_KEY_ID)] {
        let hostile = Hostile::start().await;
        let mut args = vec![
            "run",
            "--role-arn",
            "arn:aws:iam::222222222222:role/s3-viewer",
        ];
        if let Some(profile) = profile {
            args.extend(["--profile", profile]);
        }
        let mut command = hostile.xacct(&args);
        command
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .env("AWS_CONFIG_FILE", home.path().join("config"));
        let out = tokio::task::spawn_blocking(move || command.output().expect("xacct runs"))
            .await
            .expect("joined");
        assert!(
            out.status.success(),
            "{profile:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // The base calls (the first listing and AssumeRole) are signed with
        // the base key; the second listing with the role's session.
        let signed = signers(&hostile).await;
        let base: Vec<&String> = signed.iter().filter(|k| k.starts_with("AKIA")).collect();
        assert!(!base.is_empty(), "{profile:?}: {signed:?}");
        assert!(
            base.iter().all(|k| *k == expected),
            "{profile:?} should sign with {expected}: {signed:?}"
        );
    }
}
