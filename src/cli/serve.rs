//! `xacct serve SCENARIO`: the scenario's world as a local STS and S3
//! endpoint for any AWS SDK or the AWS CLI.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::clock::{Clock, SystemClock};
use crate::exit::Exit;
use crate::serve::{Endpoint, LogLine, start};
use crate::sim::faults::Faults;
use crate::sim::runner::{self, Loaded};
use crate::sim::world::World;

/// Arguments of `xacct serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The scenario whose world to serve.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port (0 picks a free one, printed at start).
    #[arg(long, default_value_t = 4580)]
    pub port: u16,
    /// Print `export` lines for one principal's long-term keys and exit.
    #[arg(long, value_name = "PRINCIPAL_ARN")]
    pub print_env: Option<String>,
    /// Use the scenario's `clock` as "now" instead of the real time (clients must sign with that time).
    #[arg(long)]
    pub scenario_clock: bool,
    /// Do not log requests.
    #[arg(long, short)]
    pub quiet: bool,
}

fn endpoint_url(args: &ServeArgs, port: u16) -> String {
    match args.host {
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}"),
        IpAddr::V4(ip) => format!("http://{ip}:{port}"),
    }
}

/// The long-term principals of a world with their key ids (never secrets).
fn principals(world: &World) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for account in world.model.accounts.values() {
        for user in account.users.values() {
            out.push((user.arn(), user.key.id.clone()));
        }
        out.push((
            format!("arn:aws:iam::{}:root", account.id),
            account.root_key.id.clone(),
        ));
    }
    out
}

fn print_env(loaded: &Loaded, args: &ServeArgs, arn: &str) -> Exit {
    let starter = runner::Starter {
        arn,
        ..Default::default()
    };
    let temporary = arn.contains(":sts::");
    let creds = match runner::credentials_for(loaded, &starter) {
        Ok(c) if !temporary => c,
        Ok(_) => {
            eprintln!(
                "error: `{arn}` is a temporary principal; its credentials come from the running endpoint: export a user's keys, then `aws sts assume-role` (or get-federation-token) against it"
            );
            return Exit::InvalidInput;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::InvalidInput;
        }
    };
    println!("export AWS_ACCESS_KEY_ID={}", creds.access_key_id);
    println!(
        "export AWS_SECRET_ACCESS_KEY={}",
        creds.secret_access_key.expose()
    );
    println!("unset AWS_SESSION_TOKEN");
    println!("export AWS_REGION={}", loaded.world.model.region);
    println!("export AWS_DEFAULT_REGION={}", loaded.world.model.region);
    println!("export AWS_ENDPOINT_URL={}", endpoint_url(args, args.port));
    Exit::Ok
}

fn log_line(line: &LogLine) {
    let reason = line
        .reason
        .as_ref()
        .map(|r| format!(" - {r}"))
        .unwrap_or_default();
    let now = crate::render::timestamp(SystemClock.now());
    eprintln!(
        "{now} {} {} -> {} {}{reason}",
        line.operation, line.caller, line.status, line.outcome
    );
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

/// Runs `xacct serve`.
pub fn execute(args: &ServeArgs) -> Exit {
    let loaded = match runner::load(&args.scenario) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::InvalidInput;
        }
    };
    if let Some(arn) = &args.print_env {
        return print_env(&loaded, args, arn);
    }
    let world = if args.scenario_clock {
        loaded.world.clone()
    } else {
        Arc::new(World::new(
            loaded.world.model.clone(),
            Arc::new(SystemClock),
        ))
    };
    let endpoint = Arc::new(Endpoint::new(
        world.clone(),
        Faults::new(&loaded.scenario.faults),
    ));
    let runtime = match super::runtime(true) {
        Ok(rt) => rt,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Unexpected;
        }
    };
    let quiet = args.quiet;
    let logger: crate::serve::server::Logger = Arc::new(move |line: &LogLine| {
        if !quiet {
            log_line(line);
        }
    });
    runtime.block_on(async {
        let running = match start(endpoint, SocketAddr::new(args.host, args.port), logger).await {
            Ok(running) => running,
            Err(e) => {
                eprintln!("error: cannot listen on {}:{} ({e}); pick another --port, or --port 0 for a free one", args.host, args.port);
                return Exit::Unavailable;
            }
        };
        let url = endpoint_url(args, running.addr.port());
        let scenario = args.scenario.display();
        let mut out = String::new();
        out.push_str(&format!("xacct serve: scenario {} (region {})\n", loaded.scenario.name, world.model.region));
        out.push_str(&format!("endpoint: {url}\n"));
        out.push_str("STS and S3 share the port; every request must carry a valid SigV4 signature.\n\nprincipals (access key ids):\n");
        for (arn, key) in principals(&world) {
            out.push_str(&format!("  {arn:<50} {key}\n"));
        }
        let first = principals(&world).into_iter().next().map(|(arn, _)| arn).unwrap_or_default();
        out.push_str(&format!(
            "\nin another shell:\n  eval \"$(xacct serve {scenario} --port {} --print-env {first})\"\n  aws --endpoint-url {url} sts get-caller-identity\n  aws --endpoint-url {url} s3api list-buckets\n",
            running.addr.port()
        ));
        if let Some(run) = loaded.scenario.runs.first() {
            out.push_str(&format!(
                "  aws --endpoint-url {url} sts assume-role --role-arn {} --role-session-name demo\n  xacct run --endpoint-url {url} --role-arn {}\n",
                run.role_arn, run.role_arn
            ));
        }
        out.push_str("Ctrl-C stops the server.\n");
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.as_bytes());
        let _ = stdout.flush();
        drop(stdout);
        stopped().await;
        running.stop().await;
        eprintln!("stopped");
        Exit::Ok
    })
}
