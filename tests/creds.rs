//! `xacct creds`, `exec`, `console` and `cache` against `xacct serve` of
//! `scenarios/daily-chain.yaml`: alice (account 111111111111) assumes
//! `hub` (222222222222), whose session assumes `deploy` (333333333333).
//! What a call did is read from the server's request log.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use xacct::cloud::{Credentials, S3 as _, Sts as _};
use xacct::secret::Secret;

use crate::spawned::{Spawned, print_env, scenario};

pub(crate) const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
pub(crate) const HUB: &str = "arn:aws:iam::222222222222:role/hub";
const HUB_MFA: &str = "arn:aws:iam::222222222222:role/hub-mfa";
pub(crate) const DEPLOY: &str = "arn:aws:iam::333333333333:role/deploy";
const SERIAL: &str = "arn:aws:iam::111111111111:mfa/alice";

/// A served world, alice's keys, and a home with its own cache directory.
pub(crate) struct Setup {
    pub server: Spawned,
    pub keys: Credentials,
    pub home: tempfile::TempDir,
}

impl Setup {
    pub(crate) fn new() -> Self {
        let world = scenario("daily-chain.yaml");
        let home = tempfile::tempdir().expect("a temporary directory");
        Self {
            server: Spawned::serve_in(&home.path().join("cache"), &world, &[]),
            keys: print_env(&world, ALICE, &[]),
            home,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    fn cache_dir(&self) -> PathBuf {
        self.home.path().join("cache/xacct")
    }

    /// `xacct ARGS` as alice, with nothing of the machine's AWS set-up.
    pub(crate) fn xacct(&self, args: &[&str]) -> Command {
        let home = self.home.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xacct"));
        cmd.env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", home.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
            .env("AWS_ACCESS_KEY_ID", &self.keys.access_key_id)
            .env(
                "AWS_SECRET_ACCESS_KEY",
                self.keys.secret_access_key.expose(),
            )
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    /// `program` (which runs xacct) with the environment `xacct` gets.
    pub(crate) fn wrapped(&self, program: &str) -> Command {
        let envs: Vec<_> = self
            .xacct(&[])
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        let mut cmd = Command::new(program);
        cmd.env_clear().envs(envs);
        cmd
    }

    /// `xacct creds --endpoint-url URL ARGS`.
    pub(crate) fn creds(&self, args: &[&str]) -> Output {
        let url = self.url();
        let mut all = vec!["creds", "--endpoint-url", url.as_str()];
        all.extend_from_slice(args);
        self.xacct(&all).output().expect("xacct runs")
    }

    /// The AssumeRole calls the server has answered so far.
    fn assume_role_calls(&self) -> usize {
        count(&self.server.log(), "sts:AssumeRole ")
    }

    /// Waits until the server has logged `n` AssumeRole calls (its log is
    /// read by another thread), and returns how many it logged.
    pub(crate) fn assume_role_calls_reach(&self, n: usize) -> usize {
        count(
            &self
                .server
                .log_when(|log| count(log, "sts:AssumeRole ") >= n),
            "sts:AssumeRole ",
        )
    }
}

fn count(log: &[String], what: &str) -> usize {
    log.iter().filter(|l| l.contains(what)).count()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The three values a format printed, found by the names it uses.
fn parse(format: &str, out: &str) -> Credentials {
    let value = |names: [&str; 2]| -> String {
        if format == "json" || format == "credential-process" {
            let doc: serde_json::Value = serde_json::from_str(out).expect("JSON");
            return doc[names[1]].as_str().expect(names[1]).to_owned();
        }
        out.lines()
            .find_map(|line| {
                let line = line.strip_prefix("export ").unwrap_or(line);
                let (name, v) = line.split_once('=')?;
                (name.trim() == names[0] || name.trim() == names[0].to_lowercase())
                    .then(|| v.trim().trim_matches(['\'', '"']).to_owned())
            })
            .unwrap_or_else(|| panic!("no {} in {format} output:\n{out}", names[0]))
    };
    Credentials {
        access_key_id: value(["AWS_ACCESS_KEY_ID", "AccessKeyId"]),
        secret_access_key: Secret::new(value(["AWS_SECRET_ACCESS_KEY", "SecretAccessKey"])),
        session_token: Some(Secret::new(value(["AWS_SESSION_TOKEN", "SessionToken"]))),
        expiration: None,
    }
}

/// Who `creds` are at the endpoint, and the buckets they list.
fn use_credentials(url: &str, creds: &Credentials) -> (String, Vec<String>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let cloud = crate::support::cloud_at(url).await;
        let who = cloud.get_caller_identity(creds).await.expect("identity");
        let buckets = cloud.list_buckets(creds).await.expect("buckets");
        (who.arn, buckets.into_iter().map(|b| b.name).collect())
    })
}

#[test]
fn a_two_hop_chain_across_three_accounts_works_in_every_format() {
    let setup = Setup::new();
    for format in [
        "env",
        "export",
        "json",
        "credential-process",
        "ini",
        "dotenv",
    ] {
        let out = setup.creds(&[
            "--no-cache",
            "--role-arn",
            HUB,
            "--role-arn",
            DEPLOY,
            "--session-name",
            "alice",
            "--format",
            format,
        ]);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        let creds = parse(format, &stdout);
        assert!(
            creds.access_key_id.starts_with("ASIA"),
            "{format}: {stdout}"
        );
        let (arn, buckets) = use_credentials(&setup.url(), &creds);
        assert_eq!(
            arn, "arn:aws:sts::333333333333:assumed-role/deploy/alice",
            "{format}"
        );
        assert_eq!(buckets, ["prod-artifacts", "prod-releases"], "{format}");
    }
    // credential_process reads exactly this shape (AWS CLI User Guide,
    // "Sourcing credentials with an external process").
    let out = setup.creds(&[
        "--no-cache",
        "--role-arn",
        HUB,
        "--format",
        "credential-process",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken",
            "Version"
        ]
    );
    assert_eq!(doc["Version"], 1);
    assert_eq!(
        setup.assume_role_calls_reach(13),
        13,
        "two hops per format, one more"
    );
}

#[test]
fn a_second_call_within_the_refresh_window_makes_no_sts_call_and_one_past_it_does() {
    let setup = Setup::new();
    let chain = ["--role-arn", HUB, "--role-arn", DEPLOY, "--format", "json"];
    let first = setup.creds(&chain);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(setup.assume_role_calls_reach(2), 2);
    let second = setup.creds(&chain);
    assert!(second.status.success(), "{}", text(&second.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&second.stdout).expect("JSON");
    assert_eq!(doc["FromCache"], true);
    assert_eq!(
        doc["AccessKeyId"],
        serde_json::from_slice::<serde_json::Value>(&first.stdout).expect("JSON")["AccessKeyId"]
    );
    // A third call may not reach the server, so wait for a line that would.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(setup.assume_role_calls(), 2, "the cached session was used");
    // The session lasts an hour: with a window of an hour it is due.
    let mut past = chain.to_vec();
    past.extend(["--refresh-window", "3600"]);
    let third = setup.creds(&past);
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert_eq!(
        setup.assume_role_calls_reach(4),
        4,
        "refreshed past the window"
    );

    let files: Vec<PathBuf> = std::fs::read_dir(setup.cache_dir())
        .expect("the cache directory")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&setup.cache_dir()), 0o700);
    assert_eq!(mode(&files[0]), 0o600);

    let listed = setup.xacct(&["cache", "list"]).output().expect("runs");
    let shown = text(&listed.stdout);
    assert!(
        shown.contains(&format!("chain:    {HUB} -> {DEPLOY}")),
        "{shown}"
    );
    assert!(shown.contains(&setup.keys.access_key_id), "{shown}");
    let secret = doc["SecretAccessKey"].as_str().expect("secret");
    let token = doc["SessionToken"].as_str().expect("token");
    assert!(!shown.contains(secret) && !shown.contains(token), "{shown}");

    let cleared = setup
        .xacct(&[
            "cache",
            "clear",
            "--role-arn",
            "arn:aws:iam::333333333333:role/other",
        ])
        .output()
        .expect("runs");
    assert!(text(&cleared.stdout).contains("deleted 0"));
    let cleared = setup
        .xacct(&["cache", "clear", "--role-arn", DEPLOY])
        .output()
        .expect("runs");
    assert!(
        text(&cleared.stdout).contains("deleted 1"),
        "{}",
        text(&cleared.stdout)
    );
}

#[test]
fn a_cache_file_or_directory_others_can_read_is_refused() {
    let setup = Setup::new();
    let chain = ["--role-arn", HUB, "--format", "json"];
    assert!(setup.creds(&chain).status.success());
    let entry = std::fs::read_dir(setup.cache_dir())
        .expect("the cache directory")
        .next()
        .expect("an entry")
        .expect("entry")
        .path();
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let refused = setup.creds(&chain);
    assert_eq!(refused.status.code(), Some(3));
    let message = text(&refused.stderr);
    assert!(message.contains("permissions 0644"), "{message}");
    assert!(message.contains(&entry.display().to_string()), "{message}");
    assert!(message.contains("xacct cache clear"), "{message}");
    assert!(refused.stdout.is_empty());
    let listed = text(
        &setup
            .xacct(&["cache", "list"])
            .output()
            .expect("runs")
            .stdout,
    );
    assert!(listed.contains("refused: permissions 0644"), "{listed}");
    assert!(
        setup
            .xacct(&["cache", "clear"])
            .status()
            .expect("runs")
            .success()
    );
    assert!(setup.creds(&chain).status.success(), "repaired by clearing");

    std::fs::set_permissions(setup.cache_dir(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    let refused = setup.creds(&chain);
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        text(&refused.stderr).contains("are too open"),
        "{}",
        text(&refused.stderr)
    );
    // --no-cache does not read the cache at all.
    assert!(
        setup
            .creds(&["--no-cache", "--role-arn", HUB])
            .status
            .success()
    );
}

#[test]
fn a_chained_hop_asking_for_two_hours_is_refused_before_any_call() {
    let setup = Setup::new();
    let out = setup.creds(&[
        "--role-arn",
        HUB,
        "--role-arn",
        DEPLOY,
        "--duration-seconds",
        "7200",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let message = text(&out.stderr);
    assert!(message.contains("hop 2 of 2"), "{message}");
    assert!(message.contains(DEPLOY), "{message}");
    assert!(message.contains("3600"), "{message}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(setup.assume_role_calls(), 0, "{:?}", setup.server.log());
    // One hop of two hours is not chained, and goes through.
    let one = setup.creds(&["--role-arn", HUB, "--duration-seconds", "7200"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
}

/// A config file where `prod` chains alice's keys -> hub-mfa (MFA) -> deploy.
pub(crate) fn mfa_profiles(setup: &Setup) {
    let config = format!(
        "[profile alice]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile hub-mfa]\nrole_arn = {HUB_MFA}\nsource_profile = alice\nmfa_serial = {SERIAL}\nrole_session_name = alice\n\n\
         [profile prod]\nrole_arn = {DEPLOY}\nsource_profile = hub-mfa\nrole_session_name = alice\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
}

#[test]
fn an_mfa_profile_chain_prompts_once_on_the_terminal_even_with_stdout_redirected() {
    let setup = Setup::new();
    mfa_profiles(&setup);
    let output_file = setup.home.path().join("creds.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/creds/pty_mfa.py");
    let url = setup.url();
    let mut run = setup.wrapped("python3");
    run.arg(&script)
        .arg(&output_file)
        .arg("123456")
        .arg(env!("CARGO_BIN_EXE_xacct"))
        .args([
            "creds",
            "--profile",
            "prod",
            "--endpoint-url",
            &url,
            "--format",
            "json",
        ]);
    let out = run.output().expect("python3 runs (the tests need it)");
    let terminal = text(&out.stdout);
    assert!(out.status.success(), "{terminal}{}", text(&out.stderr));
    assert_eq!(terminal.matches("MFA code for").count(), 1, "{terminal}");
    assert!(terminal.contains(SERIAL), "{terminal}");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&output_file).expect("stdout file")).expect("JSON");
    assert_eq!(
        doc["Arn"],
        "arn:aws:sts::333333333333:assumed-role/deploy/alice"
    );
    assert_eq!(doc["Hops"][0]["RoleArn"], HUB_MFA);
    assert!(!terminal.contains(doc["SecretAccessKey"].as_str().expect("secret")));
    assert_eq!(setup.assume_role_calls_reach(2), 2);
}

#[test]
fn an_mfa_chain_without_a_terminal_fails_at_once_saying_how_to_pass_the_code() {
    let setup = Setup::new();
    mfa_profiles(&setup);
    let url = setup.url();
    // setsid: a new session with no controlling terminal, so /dev/tty
    // cannot be opened, as under cron or a CI runner.
    let mut cmd = setup.wrapped("setsid");
    cmd.arg("--wait")
        .arg(env!("CARGO_BIN_EXE_xacct"))
        .args(["creds", "--profile", "prod", "--endpoint-url", &url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("setsid runs");
    let mut status = None;
    for _ in 0..300 {
        if let Some(s) = child.try_wait().expect("waits") {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("xacct creds waited for an MFA code with no terminal to ask on");
    };
    let out = child.wait_with_output().expect("output");
    assert_eq!(status.code(), Some(3));
    let message = text(&out.stderr);
    assert!(message.contains("no terminal"), "{message}");
    assert!(message.contains("--mfa-code"), "{message}");
    assert_eq!(setup.assume_role_calls(), 0);
    // With the code on the command line it goes through.
    let ok = setup.creds(&["--profile", "prod", "--mfa-code", "123456", "--no-cache"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
}

#[test]
fn a_session_that_cannot_be_cached_is_still_printed_with_a_warning() {
    let setup = Setup::new();
    // The cache's parent is a plain file, so no directory can be made.
    let blocked = setup.home.path().join("blocked");
    std::fs::write(&blocked, "not a directory").expect("written");
    let url = setup.url();
    let out = setup
        .xacct(&[
            "creds",
            "--endpoint-url",
            &url,
            "--role-arn",
            HUB,
            "--format",
            "json",
        ])
        .env("XDG_CACHE_HOME", &blocked)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        doc["AccessKeyId"]
            .as_str()
            .is_some_and(|k| k.starts_with("ASIA"))
    );
    let warning = text(&out.stderr);
    assert!(
        warning.contains("warning: the session was not cached"),
        "{warning}"
    );
}

#[test]
fn the_region_is_the_flag_then_aws_region_then_the_named_profiles() {
    let setup = Setup::new();
    let config = format!(
        "[profile alice]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile hub]\nrole_arn = {HUB}\nsource_profile = alice\nregion = eu-west-1\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
    let url = setup.url();
    let region = |flag: Option<&str>, env: Option<&str>| {
        let mut args = vec!["creds", "--endpoint-url", url.as_str(), "--no-cache"];
        args.extend(["--profile", "hub", "--format", "json"]);
        if let Some(flag) = flag {
            args.extend(["--region", flag]);
        }
        let mut command = setup.xacct(&args);
        if let Some(env) = env {
            command.env("AWS_REGION", env);
        }
        let out = command.output().expect("xacct runs");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["Region"].as_str().unwrap_or_default().to_owned()
    };
    // The AWS CLI's order: the flag, the environment, the profile
    // (AWS CLI User Guide, "Environment variables to configure the AWS CLI").
    assert_eq!(region(Some("ap-south-1"), Some("us-west-2")), "ap-south-1");
    assert_eq!(region(None, Some("us-west-2")), "us-west-2");
    assert_eq!(region(None, None), "eu-west-1");
}

#[test]
fn an_ini_section_the_credentials_file_would_read_back_otherwise_is_refused_before_any_call() {
    let setup = Setup::new();
    for section in ["", "a]b", " padded", "x;y", "new\nline"] {
        let out = setup.creds(&[
            "--no-cache",
            "--role-arn",
            HUB,
            "--format",
            "ini",
            "--ini-section",
            section,
        ]);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{section:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("--ini-section"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(setup.assume_role_calls(), 0, "refused before any call");
}

#[test]
fn credential_source_takes_the_credentials_from_that_source_alone() {
    let setup = Setup::new();
    let config = format!(
        "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile from-env]\nrole_arn = {HUB}\ncredential_source = Environment\n\n\
         [profile from-ec2]\nrole_arn = {HUB}\ncredential_source = Ec2InstanceMetadata\n\n\
         [profile typo]\nrole_arn = {HUB}\ncredential_source = Ec2InstanceMetdata\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
    // The environment holds alice's keys (`Setup::xacct`): Environment uses them.
    let out = setup.creds(&["--no-cache", "--profile", "from-env", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(setup.assume_role_calls_reach(1), 1);
    // Instance metadata is off on this machine, so that source has nothing,
    // and neither the environment's keys nor [default]'s stand in for it
    // (as the AWS CLI reads credential_source).
    let out = setup.creds(&["--no-cache", "--profile", "from-ec2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert_eq!(
        setup.assume_role_calls(),
        1,
        "no AssumeRole without the source's credentials"
    );
    let out = setup.creds(&["--no-cache", "--profile", "typo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Ec2InstanceMetdata"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_mfa_code_with_no_device_in_the_chain_is_refused_before_any_call() {
    let setup = Setup::new();
    let out = setup.creds(&["--no-cache", "--role-arn", HUB, "--mfa-code", "123456"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--mfa-code") && text(&out.stderr).contains("--mfa-serial"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(setup.assume_role_calls(), 0, "refused before any call");
}

#[test]
fn a_bad_value_in_a_profile_names_the_profile_and_its_key_not_a_flag() {
    let setup = Setup::new();
    let config = format!(
        "[profile alice]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
         [profile deploy]\nrole_arn = {DEPLOY}\nsource_profile = alice\nrole_session_name = alice smith\nexternal_id = x\n",
        setup.keys.access_key_id,
        setup.keys.secret_access_key.expose()
    );
    std::fs::write(setup.home.path().join("config"), config).expect("config written");
    let out = setup.creds(&["--no-cache", "--profile", "deploy"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for said in [
        "profile `deploy` has role_session_name = `alice smith`",
        "profile `deploy` has external_id = `x`",
        "fix role_session_name in the profile `deploy`",
    ] {
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
    assert!(
        !stderr.contains("--session-name") && !stderr.contains("--external-id"),
        "{stderr}"
    );
    assert_eq!(setup.assume_role_calls(), 0, "refused before any call");
}
