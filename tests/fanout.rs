//! `xacct run --org` / `--accounts` across the 50-account organization of
//! `tests/fanout/org-fanout-50.yaml` (written by
//! `benches/fanout/make_org.py 50 --faults`): through `xacct serve` with
//! the SDK, and in-process against the same world. The expected split is
//! computed here from the rules the generator documents, not copied from a
//! run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::spawned::Spawned;

const ROLE: &str = "OrganizationAccountAccessRole";
const OPERATOR: &str = "arn:aws:iam::100000000000:user/operator";

fn world() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fanout/org-fanout-50.yaml")
        .display()
        .to_string()
}

/// What each account of the world should end as (make_org.py's rules).
fn expected() -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::from([("100000000000".to_owned(), "not-attempted")]);
    for i in 1..50u32 {
        let status = if i == 1 {
            "not-attempted"
        } else if i % 10 == 3 || i % 10 == 7 || i % 17 == 5 {
            "assume-denied"
        } else if i % 25 == 11 {
            "failed"
        } else {
            "ok"
        };
        out.insert(format!("2{i:011}"), status);
    }
    out
}

fn xacct(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xacct"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("NO_COLOR", "1");
    cmd
}

/// `xacct run` as the operator against the served world.
fn run_served(server: &Spawned, home: &Path, args: &[&str]) -> Output {
    let keys = crate::spawned::print_env(&world(), OPERATOR, &[]);
    xacct(home)
        .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", keys.secret_access_key.expose())
        .args(["run", "--endpoint-url", &format!("http://{}", server.addr)])
        .args(["--role-name", ROLE])
        .args(args)
        .output()
        .expect("xacct runs")
}

/// `xacct run --scenario` in-process as the operator.
fn run_simulated(home: &Path, args: &[&str]) -> Output {
    xacct(home)
        .args([
            "run",
            "--scenario",
            &world(),
            "--as",
            OPERATOR,
            "--role-name",
            ROLE,
        ])
        .args(args)
        .output()
        .expect("xacct runs")
}

fn statuses(accounts: &[Value]) -> BTreeMap<String, &'static str> {
    accounts
        .iter()
        .map(|a| {
            let status = match a["status"].as_str().unwrap() {
                "ok" => "ok",
                "assume-denied" => "assume-denied",
                "failed" => "failed",
                "not-attempted" => "not-attempted",
                other => panic!("unknown status {other}"),
            };
            (a["account_id"].as_str().unwrap().to_owned(), status)
        })
        .collect()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_split_through_serve_is_exact_in_every_format_and_the_bursts_are_absorbed() {
    let server = Spawned::serve(&world(), &[]);
    let home = tempfile::tempdir().unwrap();
    let want = expected();

    let out = run_served(&server, home.path(), &["--org", "--output", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = report["accounts"].as_array().unwrap();
    assert_eq!(statuses(accounts), want);
    let summary = &report["summary"];
    assert_eq!(
        [
            &summary["ok"],
            &summary["assume_denied"],
            &summary["failed"],
            &summary["not_attempted"]
        ],
        [33, 13, 2, 2]
    );
    let by_id = |id: &str| accounts.iter().find(|a| a["account_id"] == id).unwrap();
    // A missing role and a trust policy that names another account answer
    // alike (AccessDenied, 403); the cause says both.
    for id in ["200000000003", "200000000007"] {
        let a = by_id(id);
        assert_eq!(a["assume_role"]["error"]["code"], "AccessDenied");
        assert_eq!(a["denial_cause"]["kind"], "unstated");
    }
    let ok = by_id("200000000002");
    assert_eq!(ok["account_name"], "acct-0002");
    assert_eq!(ok["ou_path"], "Root/Workloads/Prod/US");
    assert_eq!(ok["target"]["buckets"][0]["name"], "bucket-0002");
    assert_eq!(
        ok["assume_role"]["assumed_role_arn"],
        "arn:aws:sts::200000000002:assumed-role/OrganizationAccountAccessRole/".to_owned()
            + ok["assume_role"]["assumed_role_arn"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
    );
    assert_eq!(
        by_id("200000000011")["target"]["error"]["code"],
        "AccessDenied"
    );
    assert_eq!(by_id("200000000001")["not_attempted"], "inactive");
    assert_eq!(by_id("100000000000")["not_attempted"], "management");
    // The scripted bursts were answered, and absorbed by the retries.
    let log = server.log_when(|l| {
        l.iter().filter(|l| l.contains("Throttling")).count() >= 12
            && l.iter()
                .filter(|l| l.contains("TooManyRequestsException"))
                .count()
                >= 5
    });
    assert_eq!(
        log.iter()
            .filter(|l| l.contains("TooManyRequestsException"))
            .count(),
        5
    );
    assert_eq!(log.iter().filter(|l| l.contains("Throttling")).count(), 12);

    let out = run_served(&server, home.path(), &["--org", "--output", "jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(statuses(&lines), want);

    let out = run_served(&server, home.path(), &["--org", "--output", "junit"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(
        xml.contains(r#"tests="50" failures="13" errors="2" skipped="2""#),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 50);
    for (id, status) in &want {
        let case = xml
            .split("<testcase ")
            .find(|c| c.contains(&format!("name=\"{id}")))
            .unwrap();
        let tag = match *status {
            "ok" => None,
            "assume-denied" => Some("<failure"),
            "failed" => Some("<error"),
            _ => Some("<skipped"),
        };
        let case = case.split("</testcase>").next().unwrap();
        for t in ["<failure", "<error", "<skipped"] {
            assert_eq!(case.contains(t), tag == Some(t), "{id}: {case}");
        }
    }

    let out = run_served(&server, home.path(), &["--org"]);
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    assert!(
        t.contains("50 accounts: 33 ok, 13 assume-denied, 2 failed, 2 not attempted"),
        "{t}"
    );
    assert!(
        t.contains("200000000003: sts:AssumeRole failed: AccessDenied (HTTP 403)"),
        "{t}"
    );
}

#[test]
fn ou_exclude_and_account_lists_select_and_set_the_exit_code() {
    let home = tempfile::tempdir().unwrap();
    // Security holds accounts 6, 12, ..., 48; account 36's role may not list.
    let out = run_simulated(
        home.path(),
        &["--org", "--ou", "Security", "--output", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    let security: Vec<String> = (1..50)
        .filter(|i| i % 6 == 0)
        .map(|i| format!("2{i:011}"))
        .collect();
    assert_eq!(ids, security);

    let out = run_simulated(
        home.path(),
        &["--org", "--ou", "Security", "--exclude", "200000000036"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let out = run_simulated(
        home.path(),
        &[
            "--accounts",
            "200000000002,200000000004",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["ok"], 2);

    let list = home.path().join("accounts.txt");
    std::fs::write(
        &list,
        "# two members\n200000000002\n200000000003  # no role\n",
    )
    .unwrap();
    let out = run_simulated(home.path(), &["--accounts-file", list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    // An OU or an exclusion that matches nothing is refused, both named.
    let out = run_simulated(
        home.path(),
        &[
            "--org",
            "--ou",
            "r-nothing",
            "--exclude",
            "999999999999",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields: Vec<&str> = report["input_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["r-nothing", "999999999999"]);

    for (bad, says) in [
        (&["--accounts", "12345"][..], "an account id is 12 digits"),
        (
            &["--accounts", "200000000002", "--exclude", "200000000003"],
            "not one of the accounts of --accounts",
        ),
    ] {
        let out = run_simulated(home.path(), bad);
        assert_eq!(out.status.code(), Some(3), "{bad:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{bad:?}: {}", text(&out));
    }
    let out = xacct(home.path())
        .args(["run", "--org", "--scenario", &world(), "--as", OPERATOR])
        .args(["--role-name", "arn:aws:iam::1:role/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("invalid --role-name"), "{}", text(&out));
    // Flags of a run across accounts are refused without --org/--accounts,
    // rather than ignored by a single run.
    for flags in [
        &["--exec", "--", "true"][..],
        &["--exclude", "200000000002"],
    ] {
        let out = xacct(home.path())
            .args(["run", "--role-arn", "arn:aws:iam::222222222222:role/r"])
            .args(flags)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{flags:?}: {}", text(&out));
    }
    let out = xacct(home.path())
        .args([
            "run",
            "--role-arn",
            "arn:aws:iam::222222222222:role/r",
            "--output",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
}

#[test]
fn a_member_account_cannot_list_the_organization_and_is_told_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let world = home.path().join("org-member.yaml");
    let text_of = std::fs::read_to_string(self::world())
        .unwrap()
        .replace("name: org-fanout-50", "name: org-member");
    std::fs::write(&world, text_of).unwrap();
    let out = xacct(home.path())
        .args(["run", "--org", "--scenario", world.to_str().unwrap()])
        .args([
            "--as",
            "arn:aws:iam::200000000002:root",
            "--role-name",
            ROLE,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("AccessDeniedException"), "{t}");
    assert!(t.contains("management account"), "{t}");

    // Registered as a delegated administrator, the same account lists the
    // organization; the roles trust only the management account, so every
    // AssumeRole is refused.
    let delegated = std::fs::read_to_string(&world).unwrap().replace(
        "  management_account: \"100000000000\"\n",
        "  management_account: \"100000000000\"\n  delegated_administrators: [\"200000000002\"]\n",
    );
    std::fs::write(&world, delegated).unwrap();
    let out = xacct(home.path())
        .args([
            "run",
            "--org",
            "--scenario",
            world.to_str().unwrap(),
            "--output",
            "json",
        ])
        .args([
            "--as",
            "arn:aws:iam::200000000002:root",
            "--role-name",
            ROLE,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["accounts"], 50);
    assert_eq!(report["summary"]["ok"], 0);
}

#[test]
fn exec_runs_once_per_account_with_its_own_credentials_and_keeps_the_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let out = run_simulated(
        home.path(),
        &[
            "--accounts",
            "200000000002,200000000004,200000000006",
            "--output",
            "json",
            "--exec",
            "--",
            "sh",
            "-c",
            "echo \"$XACCT_ACCOUNT_ID $XACCT_ACCOUNT_NAME ${AWS_ACCESS_KEY_ID%%????????????????}\"; \
             test -n \"$AWS_SECRET_ACCESS_KEY\" && test -n \"$AWS_SESSION_TOKEN\" && test -z \"$AWS_PROFILE\" || exit 9; \
             test \"$XACCT_ACCOUNT_ID\" != 200000000006",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = report["accounts"].as_array().unwrap();
    for a in accounts {
        let id = a["account_id"].as_str().unwrap();
        // Listed accounts carry no name; the command sees the id instead.
        assert_eq!(a["exec"]["stdout"], format!("{id} {id} ASIA\n"), "{a}");
    }
    assert_eq!(accounts[0]["status"], "ok");
    assert_eq!(accounts[2]["status"], "failed");
    assert_eq!(accounts[2]["exec"]["exit_code"], 1);
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(
        !raw.contains("SecretAccessKey") && !raw.contains("session_token"),
        "{raw}"
    );

    // The session's secrets reach the command's environment and nothing
    // xacct prints, in any format.
    let secrets = home.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    for output in ["text", "json", "jsonl", "junit"] {
        let out = run_simulated(
            home.path(),
            &[
                "--accounts",
                "200000000002,200000000004",
                "--output",
                output,
                "--exec",
                "--",
                "sh",
                "-c",
                "printf '%s\\n%s' \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\" > \"$HOME/secrets/$XACCT_ACCOUNT_ID\"",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let printed = text(&out);
        assert_eq!(std::fs::read_dir(&secrets).unwrap().count(), 2);
        for file in std::fs::read_dir(&secrets).unwrap() {
            let written = std::fs::read_to_string(file.unwrap().path()).unwrap();
            for secret in written.lines() {
                assert!(secret.len() >= 40, "{secret}");
                assert!(!printed.contains(secret), "{output} printed a secret");
            }
        }
    }

    // A command that prints its environment does not put the secrets in
    // the report.
    let out = run_simulated(
        home.path(),
        &[
            "--accounts",
            "200000000002",
            "--output",
            "json",
            "--exec",
            "--",
            "env",
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stdout = report["accounts"][0]["exec"]["stdout"].as_str().unwrap();
    assert!(
        stdout.contains("AWS_SECRET_ACCESS_KEY=** redacted **"),
        "{stdout}"
    );
    assert!(
        stdout.contains("AWS_SESSION_TOKEN=** redacted **"),
        "{stdout}"
    );

    let missing = run_simulated(
        home.path(),
        &[
            "--accounts",
            "200000000002",
            "--exec",
            "--",
            "no-such-command-xacct",
        ],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing).contains("could not start `no-such-command-xacct`"),
        "{}",
        text(&missing)
    );
}

#[test]
fn ctrl_c_lets_accounts_in_flight_finish_and_reports_the_rest_as_interrupted() {
    // The same world without the scripted throttling, so the first
    // accounts end within the wait.
    let home = tempfile::tempdir().unwrap();
    let calm = home.path().join("org-fanout-50.yaml");
    let full = std::fs::read_to_string(world()).unwrap();
    std::fs::write(&calm, full.split("\nfaults:").next().unwrap()).unwrap();
    let calm = calm.display().to_string();
    let server = Spawned::serve(&calm, &["--quiet"]);
    let keys = crate::spawned::print_env(&calm, OPERATOR, &[]);
    // Two accounts at a time, each sleeping `secs` under --exec.
    let sleeping = |secs: &str| {
        xacct(home.path())
            .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", keys.secret_access_key.expose())
            .args(["run", "--endpoint-url", &format!("http://{}", server.addr)])
            .args(["--role-name", ROLE, "--org", "--concurrency", "2"])
            .args(["--output", "json", "--exec", "--", "sleep", secs])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let child = sleeping("1");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let pid = i32::try_from(child.id()).unwrap();
    // SIGINT to xacct alone: the commands in flight keep running, and it waits for them.
    assert_eq!(unsafe_free_kill(pid), 0);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = report["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 50);
    let interrupted = accounts
        .iter()
        .filter(|a| a["not_attempted"] == "interrupted")
        .count();
    let done = accounts
        .iter()
        .filter(|a| a["assume_role"].is_object())
        .count();
    assert!(
        interrupted > 20 && done >= 2,
        "{interrupted} interrupted, {done} done"
    );
    assert_eq!(report["summary"]["interrupted"], true);

    // A second Ctrl-C abandons the accounts in flight and kills their commands.
    let child = sleeping("60");
    let pid = i32::try_from(child.id()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(unsafe_free_kill(pid), 0);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(unsafe_free_kill(pid), 0);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = report["accounts"].as_array().unwrap();
    let abandoned = accounts
        .iter()
        .filter(|a| a["not_attempted"] == "abandoned")
        .count();
    assert_eq!(abandoned, 2, "{report}");
}

/// `kill -INT PID` through the shell's kill (no unsafe code in tests).
fn unsafe_free_kill(pid: i32) -> i32 {
    Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .map(|s| s.code().unwrap_or(1))
        .unwrap_or(1)
}

/// The generator's output is the committed fixture (so the rules above
/// describe the world the tests use).
#[test]
fn the_fixture_is_what_the_generator_writes() {
    let script: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fanout/make_org.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(["50", "--faults"])
        .output()
        .expect("python3 runs (CI installs it)");
    let committed = std::fs::read_to_string(world()).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        committed.trim_end()
    );
}
