//! `xacct run` and `xacct import` from a role profile: the profile's
//! `role_arn` chain is walked through the command's own `--endpoint-url`,
//! as `xacct creds
//! --profile` walks it, and never left to the SDK's profile provider, whose
//! STS client ignores the endpoint (and, over an `http://` endpoint, cannot
//! reach `https://` at all).

use crate::creds::{ALICE, DEPLOY, HUB, Setup, text};

/// alice's keys, and `hub`: a role profile on top of them; `locked`: a
/// role alice may not assume.
fn profiles(setup: &Setup) {
    let config = format!(
        "[profile alice]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile hub]\nrole_arn = {HUB}\nsource_profile = alice\nrole_session_name = alice\n\n\
         [profile locked]\nrole_arn = {DEPLOY}\nsource_profile = alice\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
}

/// The AssumeRole calls alice's keys made that the served world allowed,
/// once its log (read by another thread) shows `expected` of them, or
/// after five seconds.
fn alices_assume_roles(setup: &Setup, expected: usize) -> usize {
    let count = |log: &[String]| {
        log.iter()
            .filter(|l| l.contains(&format!("sts:AssumeRole {ALICE} -> 200")))
            .count()
    };
    count(&setup.server.log_when(|log| count(log) >= expected))
}

/// `xacct creds --no-cache --endpoint-url URL --role-arn DEPLOY ARGS`
/// with no keys in the environment and `AWS_PROFILE=hub`.
fn implied_creds(setup: &Setup, args: &[&str]) -> std::process::Output {
    let url = setup.url();
    let mut all = vec![
        "creds",
        "--no-cache",
        "--endpoint-url",
        url.as_str(),
        "--role-arn",
        DEPLOY,
    ];
    all.extend_from_slice(args);
    setup
        .xacct(&all)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_PROFILE", "hub")
        .output()
        .expect("xacct runs")
}

/// `xacct run --endpoint-url URL --role-arn DEPLOY --output json ARGS`.
fn run(
    setup: &Setup,
    args: &[&str],
    env: &[(&str, Option<&str>)],
) -> (Option<i32>, serde_json::Value, String) {
    let url = setup.url();
    let mut all = vec!["run", "--endpoint-url", url.as_str(), "--role-arn", DEPLOY];
    all.extend_from_slice(args);
    all.extend(["--session-name", "run", "--output", "json"]);
    let mut command = setup.xacct(&all);
    for (key, value) in env {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let out = command.output().expect("xacct runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code(), json, text(&out.stderr))
}

#[test]
fn a_role_profile_is_walked_through_the_runs_own_endpoint() {
    let setup = Setup::new();
    profiles(&setup);
    let hub_session = "arn:aws:sts::222222222222:assumed-role/hub/alice";
    // Named with --profile (the environment's keys are not used), or by
    // AWS_PROFILE when the environment holds no keys.
    let no_keys = [
        ("AWS_ACCESS_KEY_ID", None),
        ("AWS_SECRET_ACCESS_KEY", None),
        ("AWS_PROFILE", Some("hub")),
    ];
    for (args, env) in [
        (&["--profile", "hub"][..], &[][..]),
        (&[][..], &no_keys[..]),
    ] {
        let (_, json, stderr) = run(&setup, args, env);
        assert_eq!(
            json["source"]["identity"]["arn"], hub_session,
            "{args:?} {env:?}: {json}{stderr}"
        );
        assert_eq!(
            json["assume_role"]["assumed_role_arn"],
            "arn:aws:sts::333333333333:assumed-role/deploy/run",
            "{json}"
        );
    }
    // The profile's hop went to the served world, made with alice's keys.
    assert_eq!(alices_assume_roles(&setup, 2), 2);
    // With keys in the environment and no --profile, the keys come first,
    // as in the SDK's default chain: AWS_PROFILE is not used.
    let (_, json, stderr) = run(&setup, &[], &[("AWS_PROFILE", Some("hub"))]);
    assert_eq!(json["source"]["identity"]["arn"], ALICE, "{json}{stderr}");
}

#[test]
fn a_profile_hop_refused_says_which_hop_and_exits_as_denied() {
    let setup = Setup::new();
    profiles(&setup);
    let (code, json, _) = run(&setup, &["--profile", "locked"], &[]);
    assert_eq!(code, Some(2), "{json}");
    assert_eq!(json["ok"], false);
    assert_eq!(json["hop"]["number"], 1, "{json}");
    assert_eq!(json["hop"]["role_arn"], DEPLOY, "{json}");
    assert_eq!(json["error"]["code"], "AccessDenied", "{json}");
    // In text, the hop, who called and AWS's answer.
    let url = setup.url();
    let out = setup
        .xacct(&[
            "run",
            "--endpoint-url",
            &url,
            "--role-arn",
            DEPLOY,
            "--profile",
            "locked",
        ])
        .output()
        .expect("xacct runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("hop 1 of 1 failed"), "{stderr}");
    assert!(stderr.contains(ALICE), "{stderr}");
    // A profile that is not there is named, with the ones that are.
    let (code, json, _) = run(&setup, &["--profile", "nowhere"], &[]);
    assert_eq!(code, Some(3), "{json}");
    let rule = json["input_errors"][0]["rule"].as_str().unwrap_or_default();
    assert!(rule.contains("no profile `nowhere`"), "{json}");
    assert!(rule.contains("alice, hub, locked"), "{json}");
}

#[test]
fn import_reads_a_role_profiles_account_with_its_session() {
    let setup = Setup::new();
    profiles(&setup);
    let url = setup.url();
    let out = setup
        .xacct(&["import", "--profile", "hub", "--endpoint-url", &url])
        .output()
        .expect("xacct runs");
    // The hub role may not read IAM in this world: the refusal names the
    // hub session as the caller, so the hop was made through the endpoint.
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("assumed-role/hub/alice is not authorized to perform: iam:GetAccountAuthorizationDetails"),
        "{stderr}"
    );
    assert_eq!(alices_assume_roles(&setup, 1), 1);
}

#[test]
fn creds_walks_the_role_profile_aws_profile_names_when_the_environment_holds_no_keys() {
    let setup = Setup::new();
    profiles(&setup);
    let out = implied_creds(&setup, &["--format", "json"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // Two hops, both through the endpoint: the profile's, then the flag's.
    let hops: Vec<&str> = json["Hops"]
        .as_array()
        .map(|hops| hops.iter().filter_map(|h| h["RoleArn"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(hops, [HUB, DEPLOY], "{json}");
}

#[test]
fn a_profile_that_assumes_its_role_with_its_own_keys_calls_the_endpoint_once() {
    let setup = Setup::new();
    // aws-config's "self referential profile": its keys assume its role.
    let config = format!(
        "[profile own]\naws_access_key_id = {}\naws_secret_access_key = {}\nrole_arn = {HUB}\nsource_profile = own\nrole_session_name = alice\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
    let (_, json, stderr) = run(&setup, &["--profile", "own"], &[]);
    assert_eq!(
        json["source"]["identity"]["arn"], "arn:aws:sts::222222222222:assumed-role/hub/alice",
        "{json}{stderr}"
    );
    assert_eq!(alices_assume_roles(&setup, 1), 1);
}

#[test]
fn an_implied_profiles_flags_of_the_first_hop_go_to_the_first_role_arn() {
    let setup = Setup::new();
    profiles(&setup);
    // A managed policy the world does not have: the hop that carries it
    // is the one AWS refuses.
    let out = implied_creds(
        &setup,
        &["--policy-arn", "arn:aws:iam::333333333333:policy/absent"],
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("hop 2 of 2 failed") && stderr.contains("MalformedPolicyDocument"),
        "{stderr}"
    );
}

#[test]
fn run_from_an_mfa_profile_without_a_terminal_says_how_else_to_give_the_code() {
    let setup = Setup::new();
    crate::creds::mfa_profiles(&setup);
    let url = setup.url();
    // setsid: no controlling terminal, as under cron.
    let out = setup
        .wrapped("setsid")
        .arg("--wait")
        .arg(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "run",
            "--profile",
            "prod",
            "--endpoint-url",
            &url,
            "--role-arn",
            DEPLOY,
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no terminal"), "{stderr}");
    assert!(
        stderr.contains("xacct exec --profile prod --mfa-code CODE"),
        "{stderr}"
    );
}

#[test]
fn a_role_profiles_endpoint_url_serves_its_chain_too() {
    let setup = Setup::new();
    // The endpoint named in the profile itself, not on the command line.
    let config = format!(
        "[profile alice]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile hub]\nrole_arn = {HUB}\nsource_profile = alice\nrole_session_name = alice\nendpoint_url = {}\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose(),
        setup.url()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
    let out = setup
        .xacct(&[
            "run",
            "--profile",
            "hub",
            "--role-arn",
            DEPLOY,
            "--output",
            "json",
        ])
        .output()
        .expect("xacct runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(
        json["source"]["identity"]["arn"],
        "arn:aws:sts::222222222222:assumed-role/hub/alice",
        "{json}{}",
        text(&out.stderr)
    );
}
