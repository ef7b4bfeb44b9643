//! Web identity end to end, with processes as users run them: `xacct
//! token` mints a token that a separately started `xacct serve` accepts;
//! the Rust SDK's own web-identity credential provider (inside `xacct run`'s
//! default chain, from AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
//! AWS_ROLE_SESSION_NAME) gets the role session; `xacct run
//! --web-identity-token-file` and `--github-actions` (against a local
//! stand-in of GitHub's token endpoint) start the flow from a token.

use std::process::{Command, Output};

use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::spawned::{Spawned, scenario};

const GITHUB: &str = "token.actions.githubusercontent.com";

fn xacct(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xacct"));
    command.args(args);
    for (k, _) in
        std::env::vars().filter(|(k, _)| k.starts_with("AWS_") || k.starts_with("ACTIONS_"))
    {
        command.env_remove(k);
    }
    let home = tempfile::tempdir().expect("home");
    command
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("xacct runs")
}

const DEPLOYER: &str = "arn:aws:iam::222222222222:role/deployer";

/// `xacct run` against the endpoint at `url` for `role`, with more flags and env.
fn run_live(url: &str, role: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec![
        "run",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
        "--role-arn",
        role,
    ];
    args.extend(extra);
    xacct(&args, env)
}

fn token(file: &str, extra: &[&str]) -> String {
    let mut args = vec!["token", file, "--provider", GITHUB];
    args.extend(extra);
    let out = xacct(&args, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The web identity chaining world served, and a token of its prod
/// environment's CI job in a file.
struct Chaining {
    file: String,
    server: Spawned,
    url: String,
    dir: tempfile::TempDir,
    token_file: std::path::PathBuf,
}

impl Chaining {
    fn serve() -> Self {
        let file = scenario("web-identity-chaining.yaml");
        let server = Spawned::serve(&file, &[]);
        let url = format!("http://{}", server.addr);
        let dir = tempfile::tempdir().expect("dir");
        let token_file = dir.path().join("token");
        std::fs::write(
            &token_file,
            token(&file, &["--claim", "sub=repo:acme/app:environment:prod"]),
        )
        .expect("token written");
        Self {
            file,
            server,
            url,
            dir,
            token_file,
        }
    }
}

#[test]
fn the_rust_sdk_web_identity_provider_gets_a_session_from_files_and_env_vars() {
    let Chaining {
        server,
        url,
        token_file,
        dir: _dir,
        ..
    } = Chaining::serve();
    // No keys anywhere: the SDK's default chain finds the web identity
    // variables and calls AssumeRoleWithWebIdentity on the endpoint.
    let out = run_live(
        &url,
        "arn:aws:iam::333333333333:role/deploy",
        &["--session-name", "deploy", "--output", "json"],
        &[
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token_file.to_str().expect("path"),
            ),
            ("AWS_ROLE_ARN", "arn:aws:iam::222222222222:role/ci"),
            ("AWS_ROLE_SESSION_NAME", "rust-sdk"),
            ("AWS_ENDPOINT_URL", &url),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["source"]["identity"]["arn"],
        "arn:aws:sts::222222222222:assumed-role/ci/rust-sdk"
    );
    assert_eq!(report["source"]["buckets"][0]["name"], "ci-cache");
    assert_eq!(report["target"]["buckets"][0]["name"], "prod-site");
    let logged = |log: &[String]| {
        log.iter()
            .any(|l| l.contains("sts:AssumeRoleWithWebIdentity") && l.contains("allowed"))
    };
    let log = server.log_when(logged);
    assert!(logged(&log), "{log:?}");
}

/// A profile with `role_arn` and `web_identity_token_file` (AWS CLI User
/// Guide, "Assume role with web identity"): `run` and `creds` exchange the
/// token at the endpoint, as the first hop of the profile's chain.
#[test]
fn a_web_identity_profile_starts_run_and_creds_at_the_endpoint() {
    let Chaining {
        file,
        server: _served,
        url,
        dir,
        token_file,
    } = Chaining::serve();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile ci]\nrole_arn = arn:aws:iam::222222222222:role/ci\nweb_identity_token_file = {}\nrole_session_name = profile-ci\n",
            token_file.display()
        ),
    )
    .expect("config written");
    let env = [("AWS_CONFIG_FILE", config.to_str().expect("path"))];
    let out = run_live(
        &url,
        "arn:aws:iam::333333333333:role/deploy",
        &["--profile", "ci", "--output", "json"],
        &env,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["source"]["identity"]["arn"],
        "arn:aws:sts::222222222222:assumed-role/ci/profile-ci"
    );
    assert_eq!(report["target"]["buckets"][0]["name"], "prod-site");
    let creds = xacct(
        &[
            "creds",
            "--profile",
            "ci",
            "--endpoint-url",
            &url,
            "--no-cache",
            "--format",
            "json",
        ],
        &env,
    );
    assert_eq!(creds.status.code(), Some(0), "{}", text(&creds));
    let session: serde_json::Value = serde_json::from_slice(&creds.stdout).expect("JSON");
    assert_eq!(
        session["Arn"],
        "arn:aws:sts::222222222222:assumed-role/ci/profile-ci"
    );
    // AssumeRoleWithWebIdentity takes no tags: refused before any call.
    let tagged = xacct(
        &[
            "creds",
            "--profile",
            "ci",
            "--endpoint-url",
            &url,
            "--no-cache",
            "--tag",
            "team=web",
        ],
        &env,
    );
    assert_eq!(tagged.status.code(), Some(3), "{}", text(&tagged));
    assert!(
        text(&tagged).contains("AssumeRoleWithWebIdentity"),
        "{}",
        text(&tagged)
    );
    // The cache keys a session by the token, not its file: another
    // token in the same file is another caller.
    let cache = dir.path().join("cache");
    let cache_env = [env[0], ("XDG_CACHE_HOME", cache.to_str().expect("path"))];
    let cached = |expected: bool| {
        let out = xacct(
            &[
                "creds",
                "--profile",
                "ci",
                "--endpoint-url",
                &url,
                "--format",
                "json",
            ],
            &cache_env,
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(json["FromCache"], expected, "{json}");
    };
    cached(false);
    cached(true);
    std::fs::write(
        &token_file,
        token(
            &file,
            &[
                "--claim",
                "sub=repo:acme/app:environment:prod",
                "--claim",
                "jti=another",
            ],
        ),
    )
    .expect("token rewritten");
    cached(false);
    // A token file that is not there is named, before any call.
    std::fs::remove_file(&token_file).expect("removed");
    let missing = run_live(
        &url,
        "arn:aws:iam::333333333333:role/deploy",
        &["--profile", "ci"],
        &env,
    );
    assert_eq!(missing.status.code(), Some(3), "{}", text(&missing));
    assert!(
        text(&missing).contains("web_identity_token_file"),
        "{}",
        text(&missing)
    );
}

#[test]
fn run_from_a_token_file_reports_no_source_and_lists_the_role_account() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    let url = format!("http://{}", server.addr);
    let dir = tempfile::tempdir().expect("dir");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{}\n", token(&file, &[]))).expect("token written");
    let token_path = token_file.to_str().expect("path");
    let run = |extra: &[&str]| {
        let mut args = vec!["--web-identity-token-file", token_path];
        args.extend(extra);
        run_live(&url, DEPLOYER, &args, &[])
    };
    let out = run(&["--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["start"], "web_identity");
    assert!(report["source"].is_null(), "{report}");
    assert_eq!(
        report["assume_role"]["web_identity"]["subject"],
        "repo:acme/app:ref:refs/heads/main"
    );
    assert_eq!(
        report["assume_role"]["web_identity"]["provider"],
        format!("arn:aws:iam::222222222222:oidc-provider/{GITHUB}")
    );
    assert_eq!(
        report["assume_role"]["web_identity"]["audience"],
        "sts.amazonaws.com"
    );
    assert_eq!(report["target"]["buckets"][0]["name"], "deploy-artifacts");
    let shown = text(&run(&[]));
    assert!(
        shown.contains("Assume Role With Web Identity") && shown.contains("no base credentials"),
        "{shown}"
    );
    assert!(
        !shown.contains(&token(&file, &[])[..40]),
        "the token is never printed"
    );

    std::fs::write(
        &token_file,
        token(&file, &["--claim", "sub=repo:acme/app:pull_request"]),
    )
    .expect("written");
    let denied = run(&[]);
    assert_eq!(denied.status.code(), Some(2), "{}", text(&denied));
    assert!(text(&denied).contains("Not authorized to perform sts:AssumeRoleWithWebIdentity"));
}

#[test]
fn serve_answers_each_token_failure_as_aws_does() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    let url = format!("http://{}", server.addr);
    let dir = tempfile::tempdir().expect("dir");
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["--claim", "aud=https://github.com/acme"],
            4,
            "InvalidIdentityToken (HTTP 400): Incorrect token audience",
        ),
        (
            &["--expires-in", "-3600"],
            4,
            "ExpiredTokenException (HTTP 400): Token expired: current date/time ",
        ),
        (
            &["--forged"],
            4,
            "InvalidIdentityToken (HTTP 400): Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        ),
        (
            &["--claim", "sub=repo:mallory/app:ref:refs/heads/main"],
            2,
            "AccessDenied (HTTP 403): Not authorized to perform sts:AssumeRoleWithWebIdentity",
        ),
    ];
    for (i, (extra, code, wanted)) in cases.iter().enumerate() {
        let token_file = dir.path().join(format!("token-{i}"));
        std::fs::write(&token_file, token(&file, extra)).expect("written");
        let out = run_live(
            &url,
            DEPLOYER,
            &[
                "--web-identity-token-file",
                token_file.to_str().expect("path"),
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(*code), "{extra:?}: {}", text(&out));
        assert!(
            text(&out).contains(wanted),
            "{extra:?}: wanted {wanted:?} in {}",
            text(&out)
        );
    }
}

#[test]
fn serve_refuses_a_token_whose_claims_were_altered_under_the_issuer_s_key() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    let url = format!("http://{}", server.addr);
    let main = token(&file, &[]);
    let pr = token(&file, &["--claim", "sub=repo:acme/app:pull_request"]);
    let part = |t: &str, i: usize| t.split('.').nth(i).expect("part").to_owned();
    let altered = format!("{}.{}.{}", part(&pr, 0), part(&main, 1), part(&pr, 2));
    let dir = tempfile::tempdir().expect("dir");
    let token_file = dir.path().join("altered");
    std::fs::write(&token_file, altered).expect("written");
    let out = run_live(
        &url,
        DEPLOYER,
        &[
            "--web-identity-token-file",
            token_file.to_str().expect("path"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        text(&out).contains(
            "InvalidIdentityToken (HTTP 400): The web identity token provided could not be validated"
        ),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_github_actions_fetches_the_job_token_from_the_actions_endpoint() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    let url = format!("http://{}", server.addr);
    let actions = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/idtoken"))
        .and(query_param("api-version", "2.0"))
        .and(query_param("audience", "sts.amazonaws.com"))
        .and(header("authorization", "bearer actions-request-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "value": token(&file, &[]) })),
        )
        .expect(1)
        .mount(&actions)
        .await;
    let request_url = format!("{}/idtoken?api-version=2.0", actions.uri());
    let out = tokio::task::spawn_blocking(move || {
        run_live(
            &url,
            DEPLOYER,
            &["--github-actions"],
            &[
                ("ACTIONS_ID_TOKEN_REQUEST_URL", &request_url),
                ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "actions-request-token"),
            ],
        )
    })
    .await
    .expect("joined");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("deploy-artifacts"), "{}", text(&out));
    assert!(
        !text(&out).contains("actions-request-token"),
        "the request token is never printed"
    );

    let missing = xacct(
        &[
            "run",
            "--github-actions",
            "--role-arn",
            "arn:aws:iam::222222222222:role/deployer",
        ],
        &[],
    );
    assert_eq!(missing.status.code(), Some(4), "{}", text(&missing));
    assert!(
        text(&missing).contains("ACTIONS_ID_TOKEN_REQUEST_URL is not set"),
        "{}",
        text(&missing)
    );
}

#[test]
fn token_refuses_an_unknown_provider_and_a_bad_claim() {
    let file = scenario("github-actions-deploy.yaml");
    let out = xacct(&["token", &file, "--provider", "gitlab.com"], &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out).contains("use one of: token.actions.githubusercontent.com"),
        "{}",
        text(&out)
    );
    let out = xacct(
        &["token", &file, "--provider", GITHUB, "--claim", "nothing"],
        &[],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out).contains("is not KEY=VALUE"), "{}", text(&out));
    let out = xacct(
        &["token", &file, "--provider", GITHUB, "--output", "json"],
        &[],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["claims"]["iss"], format!("https://{GITHUB}"));
    assert_eq!(
        json["claims"]["repository"], "acme/app",
        "the preset names the scenario's repository"
    );
    assert_eq!(json["header"]["alg"], "RS256");
}

#[test]
fn a_simulated_run_from_a_token_explains_the_claim_that_did_not_match() {
    let file = scenario("github-actions-deploy.yaml");
    let dir = tempfile::tempdir().expect("dir");
    let token_file = dir.path().join("token");
    std::fs::write(
        &token_file,
        token(
            &file,
            &[
                "--claim",
                "sub=repo:acme/app:pull_request",
                "--scenario-clock",
            ],
        ),
    )
    .expect("written");
    let out = xacct(
        &[
            "run",
            "--scenario",
            &file,
            "--web-identity-token-file",
            token_file.to_str().expect("path"),
            "--role-arn",
            "arn:aws:iam::222222222222:role/deployer",
            "--explain",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let shown = text(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains(
            "claim `sub` = `repo:acme/app:pull_request` does not match StringLike `repo:acme/app:ref:refs/heads/main`"
        ),
        "{shown}"
    );
    let neither = xacct(
        &[
            "run",
            "--scenario",
            &file,
            "--role-arn",
            "arn:aws:iam::222222222222:role/deployer",
        ],
        &[],
    );
    assert_eq!(neither.status.code(), Some(3));
    assert!(
        text(&neither).contains("--web-identity-token-file"),
        "{}",
        text(&neither)
    );
}

#[test]
fn the_serve_banner_shows_how_to_get_a_token() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    assert!(
        server.banner.contains("sts assume-role-with-web-identity")
            && server.banner.contains("xacct token ")
            && server
                .banner
                .contains("--provider token.actions.githubusercontent.com"),
        "{}",
        server.banner
    );
}

/// Through `xacct serve`, tokens no honest issuer writes are refused as the
/// simulator refuses them (the full list is in `sim_web_identity`).
#[test]
fn serve_refuses_tokens_no_honest_issuer_writes() {
    let file = scenario("github-actions-deploy.yaml");
    let server = Spawned::serve(&file, &[]);
    let url = format!("http://{}", server.addr);
    let dir = tempfile::tempdir().expect("dir");
    let good = token(&file, &[]);
    let cases = [
        ("padded", format!("{good}==")),
        (
            "no https",
            token(
                &file,
                &["--claim", "iss=token.actions.githubusercontent.com"],
            ),
        ),
        ("nbf in 2030", token(&file, &["--claim", "nbf=1896528684"])),
    ];
    for (name, bad) in cases {
        let token_file = dir.path().join(name.replace(' ', "-"));
        std::fs::write(&token_file, bad).expect("written");
        let out = run_live(
            &url,
            DEPLOYER,
            &[
                "--web-identity-token-file",
                token_file.to_str().expect("path"),
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(4), "{name}: {}", text(&out));
        assert!(
            text(&out).contains("InvalidIdentityToken (HTTP 400)"),
            "{name}: {}",
            text(&out)
        );
    }
}

#[test]
fn a_token_piped_or_written_to_a_file_has_no_trailing_newline() {
    let file = scenario("web-identity-chaining.yaml");
    // stdout is a pipe here, as in `xacct token ... > t.jwt`.
    let out = xacct(&["token", &file, "--provider", GITHUB], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!out.stdout.ends_with(b"\n") && out.stdout.split(|b| *b == b'.').count() == 3);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.jwt");
    let out = xacct(
        &[
            "token",
            &file,
            "--provider",
            GITHUB,
            "-o",
            path.to_str().expect("path"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read(&path).expect("written");
    assert!(!written.ends_with(b"\n") && written.split(|b| *b == b'.').count() == 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a token file is its owner's only");
    }
}

#[test]
fn an_expiry_beyond_any_token_s_is_refused_not_a_panic() {
    let file = scenario("web-identity-chaining.yaml");
    for far in ["9223372036854775807", "-9223372036854775808", "316224001"] {
        let out = xacct(
            &["token", &file, "--provider", GITHUB, "--expires-in", far],
            &[],
        );
        assert_eq!(out.status.code(), Some(3), "{far}: {}", text(&out));
        assert!(
            text(&out).contains("at most 316224000 seconds"),
            "{}",
            text(&out)
        );
    }
}
