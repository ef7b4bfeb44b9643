//! `xacct serve` as its own process, for what only a process shows: its
//! memory, its CPU time, its file-descriptor limit, how it answers signals,
//! and what it writes to its request log.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `xacct serve`.
pub(crate) struct Spawned {
    child: Child,
    /// Where it listens (on loopback).
    pub addr: SocketAddr,
    /// What it printed on stdout before it was ready (the banner).
    pub banner: String,
    log: Arc<Mutex<Vec<String>>>,
    /// Its cache home (where it keeps its explain key), when the test
    /// gave none.
    _cache: Option<tempfile::TempDir>,
}

/// The path of a scenario in `scenarios/`.
pub(crate) fn scenario(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

/// The long-term keys `xacct serve SCENARIO --print-env ARN EXTRA...` exports.
pub(crate) fn print_env(
    scenario_file: &str,
    arn: &str,
    extra: &[&str],
) -> xacct::cloud::Credentials {
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", scenario_file, "--print-env", arn])
        .args(extra)
        .output()
        .expect("xacct runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let get = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("export {name}=")))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    xacct::cloud::Credentials::long_term(get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"))
}

impl Spawned {
    /// `xacct serve SCENARIO --port 0 ARGS...`, its cache home a fresh
    /// directory.
    pub(crate) fn serve(scenario_file: &str, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xacct"));
        command
            .args(["serve", scenario_file, "--port", "0"])
            .args(args);
        Self::start(command)
    }

    /// `xacct serve SCENARIO --port 0 ARGS...` with `XDG_CACHE_HOME` set
    /// (so an `xacct creds` with the same finds its explain key).
    pub(crate) fn serve_in(cache_home: &Path, scenario_file: &str, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xacct"));
        command
            .args(["serve", scenario_file, "--port", "0"])
            .args(args)
            .env("XDG_CACHE_HOME", cache_home);
        Self::start(command)
    }

    /// `xacct serve ...` with at most `files` open file descriptors.
    pub(crate) fn serve_with_fd_limit(files: u32, scenario_file: &str, args: &[&str]) -> Self {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_xacct"))
            .args(["serve", scenario_file, "--port", "0"])
            .args(args);
        Self::start(command)
    }

    fn start(mut command: Command) -> Self {
        let given = command.get_envs().any(|(k, _)| k == "XDG_CACHE_HOME");
        let cache = (!given).then(|| tempfile::tempdir().expect("a cache home"));
        if let Some(dir) = &cache {
            command.env("XDG_CACHE_HOME", dir.path());
        }
        command
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("xacct serve starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("log").push(line);
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        let mut addr = None;
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap_or(0) > 0 {
            banner.push_str(&line);
            if let Some(url) = line.trim().strip_prefix("endpoint: ") {
                let port = url.rsplit(':').next().expect("a port");
                addr = Some(format!("127.0.0.1:{port}").parse().expect("an address"));
            }
            if line.starts_with("Ctrl-C stops the server") {
                break;
            }
            line.clear();
        }
        let addr = addr.unwrap_or_else(|| {
            let _ = child.kill();
            panic!(
                "xacct serve printed no endpoint: {banner}{}",
                log.lock().expect("log").join("\n")
            )
        });
        std::thread::spawn(move || {
            let mut rest = String::new();
            while stdout.read_line(&mut rest).unwrap_or(0) > 0 {
                rest.clear();
            }
        });
        Self {
            child,
            addr,
            banner,
            log,
            _cache: cache,
        }
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it wrote to stderr so far, a line each.
    pub(crate) fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// The log once `done` holds for it (stderr is read by another thread,
    /// so a line may arrive a moment after the event), or after 5 seconds.
    pub(crate) fn log_when(&self, done: impl Fn(&[String]) -> bool) -> Vec<String> {
        for _ in 0..250 {
            let log = self.log();
            if done(&log) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.log()
    }

    /// Its resident memory, in KiB.
    pub(crate) fn rss_kib(&self) -> u64 {
        rss_kib_of(self.pid())
    }

    /// The CPU time it has used, in clock ticks (user + system).
    pub(crate) fn cpu_ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).expect("/proc stat");
        let after_name = stat.rsplit_once(')').map(|(_, r)| r).expect("stat");
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime")
    }

    /// Sends SIGTERM.
    pub(crate) fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `limit`.
    #[expect(
        clippy::disallowed_methods,
        reason = "a test's own deadline on the wall clock"
    )]
    pub(crate) fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

/// The resident memory of a process, in KiB (0 once it has exited).
pub(crate) fn rss_kib_of(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
