//! `xacct serve SCENARIO`: the scenario's world as a local STS and S3
//! endpoint for any AWS SDK or the AWS CLI.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::clock::{Clock, SystemClock};
use crate::creds;
use crate::exit::Exit;
use crate::render;
use crate::serve::{Endpoint, Limits, LogLine, Logger, start};
use crate::serve_state::StateDir;
use crate::sim::{self, KeySeed, Loaded, Starter, World};

/// Arguments of `xacct serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The scenario whose world to serve.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The address to listen on (beyond loopback, secrets are seeded for the run).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port (0 picks a free one, printed at start).
    #[arg(long, default_value_t = 4580)]
    pub port: u16,
    /// Print `export` lines for one principal's long-term keys and exit.
    #[arg(long, value_name = "PRINCIPAL_ARN")]
    pub print_env: Option<String>,
    /// The key seed.
    #[command(flatten)]
    pub seed: super::seed_args::SeedArgs,
    /// Use the scenario's `clock` as "now" instead of the real time (clients must sign with that time).
    #[arg(long)]
    pub scenario_clock: bool,
    /// Seconds a client has to send a request's headers; also how long an idle connection stays open.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub header_timeout: f64,
    /// Seconds a client has to send a request's body; also how long an answer may wait for the client to read it before the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub body_timeout: f64,
    /// Connections served at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub max_connections: u32,
    /// Seconds a stop waits for requests in flight before closing them.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = seconds)]
    pub shutdown_grace: f64,
    /// The most bytes of objects and multipart uploads kept in memory (their bytes, keys, headers and 256 bytes of bookkeeping each); a write past it gets a 507 error saying so.
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = super::byte_size::bytes)]
    pub max_store: u64,
    /// Bytes of request log a second, for all clients together (8 seconds of it at once); past it, one line says requests go unlogged, and the next line logged counts them.
    #[arg(long, value_name = "SIZE", default_value = "2MiB", value_parser = super::byte_size::bytes)]
    pub log_rate: u64,
    /// Once listening, write {"endpoint", "port", "region", "scenario", "pid"} as JSON to FILE (for tools and test fixtures; with --port 0 it is how they learn the port).
    #[arg(long, value_name = "FILE")]
    pub ready_file: Option<PathBuf>,
    /// Keep the buckets, objects and uploads in progress in DIR: restored at start, written when the server stops (Ctrl-C, SIGTERM).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Do not log requests.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A number of seconds between a millisecond and a day.
fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.001..=86_400.0).contains(&s) => Ok(s),
        _ => Err(format!(
            "`{text}` is not a number of seconds between 0.001 and 86400"
        )),
    }
}

impl ServeArgs {
    fn limits(&self) -> Limits {
        Limits {
            header_timeout: Duration::from_secs_f64(self.header_timeout),
            body_timeout: Duration::from_secs_f64(self.body_timeout),
            max_connections: self.max_connections as usize,
            shutdown_grace: Duration::from_secs_f64(self.shutdown_grace),
            log_rate: self.log_rate,
            ..Limits::default()
        }
    }

    fn url(&self, port: u16) -> String {
        match self.host {
            IpAddr::V6(ip) => format!("http://[{ip}]:{port}"),
            IpAddr::V4(ip) => format!("http://{ip}:{port}"),
        }
    }
}

fn print_env(loaded: &Loaded, args: &ServeArgs, arn: &str) -> Exit {
    if arn.contains(":role/") {
        return super::serve_role_env::role_env(loaded, arn, &args.url(args.port));
    }
    if arn.contains(":sts::") {
        super::eprint(&format!(
            "error: `{arn}` is a temporary principal; its credentials come from the running endpoint: export a user's keys, then `aws sts assume-role` (or get-federation-token) against it\n"
        ));
        return Exit::InvalidInput;
    }
    let starter = Starter {
        arn,
        ..Default::default()
    };
    match sim::credentials_for(loaded, &starter) {
        Ok(creds) => {
            super::print(&render::serve::exports(
                &creds,
                loaded.world.region(),
                &args.url(args.port),
            ));
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            Exit::InvalidInput
        }
    }
}

async fn stopped() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The key seed: the operator's, or a random one for a server that listens
/// beyond loopback, or none.
fn key_seed(args: &ServeArgs) -> Result<KeySeed, (Exit, String)> {
    let local = args.host.is_loopback() || args.print_env.is_some();
    match args.seed.given().map_err(|e| (Exit::InvalidInput, e))? {
        Some(seed) if seed.is_empty() && !local => Err((
            Exit::InvalidInput,
            format!(
                "invalid --key-seed ``: an empty seed on {} (beyond loopback) would bring back the public secrets anyone can derive from the scenario; give a seed, or none for a random one",
                args.host
            ),
        )),
        Some(seed) => Ok(KeySeed::new(seed)),
        None if local => Ok(KeySeed::default()),
        None => KeySeed::random().map_err(|e| (Exit::Unexpected, e.to_string())),
    }
}

/// The `--state` directory, with the world's buckets, objects and uploads
/// in progress restored from it when it holds a state.
fn restore_state(
    args: &ServeArgs,
    loaded: &Loaded,
    world: &World,
) -> Result<Option<StateDir>, String> {
    let Some(dir) = &args.state else {
        return Ok(None);
    };
    let bytes = std::fs::read(&args.scenario)
        .map_err(|e| format!("cannot read {}: {e}", args.scenario.display()))?;
    let state = StateDir::new(dir, &loaded.scenario.name, &bytes);
    if let Some(kept) = state.load(world)? {
        super::eprint(&format!(
            "state: {} restored from {}\n",
            kept.said(),
            dir.display()
        ));
    }
    Ok(Some(state))
}

/// Runs `xacct serve`.
pub(super) fn execute(args: &ServeArgs) -> Exit {
    let seed = match key_seed(args) {
        Ok(seed) => seed,
        Err((exit, message)) => {
            super::eprint(&format!("error: {message}\n"));
            return exit;
        }
    };
    let loaded = match sim::load_seeded(&args.scenario, &seed) {
        Ok(loaded) => loaded,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    if let Some(arn) = &args.print_env {
        return print_env(&loaded, args, arn);
    }
    let world = if args.scenario_clock {
        loaded.world.clone()
    } else {
        match loaded.world.with_clock(Arc::new(SystemClock)) {
            Ok(world) => Arc::new(world),
            Err(e) => {
                super::eprint(&format!("error: {e}\n"));
                return Exit::Unexpected;
            }
        }
    };
    if let Err(message) = sim::prepare_issuer_keys(&world) {
        super::eprint(&format!("error: {message}\n"));
        return Exit::Unexpected;
    }
    world.cap_stored_bytes(args.max_store);
    let state = match restore_state(args, &loaded, &world) {
        Ok(state) => state,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::InvalidInput;
        }
    };
    if world.stored_bytes() > args.max_store {
        super::eprint(&format!(
            "warning: the world holds {} bytes of objects and uploads in progress (keys, headers and bookkeeping counted), more than --max-store {}: every write will be refused until objects are deleted or uploads aborted; start with a larger --max-store\n",
            world.stored_bytes(),
            args.max_store
        ));
    }
    let mut endpoint = Endpoint::new(world.clone());
    // Clients' --explain reads the decisions back: only on loopback, each
    // to its own caller or to whoever holds this run's explain key.
    let explain_key = if args.host.is_loopback() {
        match creds::ExplainKey::random() {
            Ok(key) => Some(key),
            Err(message) => {
                super::eprint(&format!("error: {message}\n"));
                return Exit::Unexpected;
            }
        }
    } else {
        None
    };
    if let Some(key) = &explain_key {
        endpoint = endpoint.with_explanations(key.expose().to_owned());
    }
    let endpoint = Arc::new(endpoint);
    let runtime = match super::runtime(true) {
        Ok(rt) => rt,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    let quiet = args.quiet;
    let logger: Logger = Arc::new(move |line: &LogLine| {
        if !quiet {
            super::eprint(&format!(
                "{}\n",
                render::serve::log_line(line, SystemClock.now())
            ));
        }
    });
    runtime.block_on(async {
        let addr = SocketAddr::new(args.host, args.port);
        let running = match start(endpoint, addr, logger, args.limits()).await {
            Ok(running) => running,
            Err(e) => {
                super::eprint(&format!("error: cannot listen on {}:{} ({e}); pick another --port, or --port 0 for a free one\n", args.host, args.port));
                return Exit::Unavailable;
            }
        };
        if !args.host.is_loopback() {
            super::eprint(&format!(
                "warning: listening on {} beyond loopback: anyone who can reach this port can call it. Long-term secrets are derived with the key seed printed below, so only those who know it can sign{}.\n",
                args.host,
                if loaded.written_keys {
                    "; keys spelled out in the scenario file are known to anyone who has the file"
                } else {
                    ""
                }
            ));
        }
        let running_addr = running.addr;
        let url = args.url(running_addr.port());
        if let Some(key) = &explain_key
            && let Err(e) = creds::publish_explain_key(running.addr, key)
        {
            super::eprint(&format!(
                "warning: the explain key was not kept ({e}); `xacct creds --explain` cannot read this server's decisions (a caller still reads its own, by signing)\n"
            ));
        }
        if let Some(path) = &args.ready_file {
            let ready = render::serve::ready(&render::serve::Ready {
                endpoint: &url,
                port: running.addr.port(),
                region: world.region(),
                scenario: &loaded.scenario.name,
                pid: std::process::id(),
                explain_key: explain_key.as_ref().map(creds::ExplainKey::expose),
            });
            // Written whole (see `atomic_file`): a reader polling for the
            // file never sees half of it.
            let written = crate::atomic_file::write_private(path, ready.as_bytes());
            if let Err(e) = written {
                super::eprint(&format!(
                    "error: cannot write the ready file {}: {e}\n",
                    path.display()
                ));
                running.stop().await;
                if let Some(key) = &explain_key {
                    creds::withdraw_explain_key(running_addr, key);
                }
                return Exit::InvalidInput;
            }
        }
        let principals = world.principals();
        let file = args.scenario.display().to_string();
        super::print(&render::serve::banner(&render::serve::Banner {
            scenario: &loaded.scenario.name,
            file: &file,
            region: world.region(),
            url: &url,
            port: running.addr.port(),
            principals: &principals,
            role_arn: loaded.scenario.runs.first().and_then(|r| r.role_arn.as_deref()),
            key_seed: (!seed.is_empty()).then_some(seed.expose()),
            issuers: &world.issuers_named(),
            web_identity_role: world.web_identity_role().as_deref(),
            scenario_clock: args.scenario_clock,
        }));
        stopped().await;
        running.stop().await;
        if let Some(key) = &explain_key {
            creds::withdraw_explain_key(running_addr, key);
        }
        super::eprint("stopped\n");
        match &state {
            Some(state) => match state.save(&world) {
                Ok(kept) => {
                    super::eprint(&format!(
                        "state: {} written to {}\n",
                        kept.said(),
                        args.state.as_deref().unwrap_or(Path::new(".")).display()
                    ));
                    Exit::Ok
                }
                Err(message) => {
                    super::eprint(&format!("error: the state was not written: {message}\n"));
                    Exit::Unexpected
                }
            },
            None => Exit::Ok,
        }
    })
}
