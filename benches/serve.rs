//! Load test and benchmark of `xacct serve` on loopback: signed
//! GetCallerIdentity, AssumeRole and ListBuckets at 1 and 64 concurrent
//! connections (requests per second, p50 and p99 latency), then a mixed load
//! of 20,000 requests at 64 connections that must see zero errors, keep the
//! process's memory growth under a bound, and leave the server answering.
//!
//! `cargo bench --bench serve` runs everything; `-- --load-only` runs just
//! the load test (as CI does). `-- --against HOST:PORT [--requests N]`
//! sends the same signed requests to another endpoint already listening
//! (an `xacct serve` process, moto, LocalStack) and prints only the table:
//! `benches/moto_side_by_side.sh` compares `xacct serve` with moto so.
//! `-- --objects` measures PutObject and GetObject of 4 KiB objects
//! instead (as the admin of `scenarios/data-public-bucket.yaml`, into its
//! bucket `site`, which it creates first on an endpoint that lacks it).

#![allow(missing_docs, reason = "a benchmark binary")]
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its table"
)]
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark fails loudly"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures real elapsed time"
)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use tokio::net::TcpStream;
use xacct::clock::SystemClock;
use xacct::serve::{Endpoint, Limits, start};
use xacct::sim;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/signing.rs"]
mod signing;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Identity,
    Assume,
    List,
    Put,
    Get,
}

/// The objects' size.
const OBJECT: usize = 4096;
/// How many keys the object operations cycle through.
const KEYS: usize = 256;

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Identity => "GetCallerIdentity",
            Op::Assume => "AssumeRole",
            Op::List => "ListBuckets",
            Op::Put => "PutObject",
            Op::Get => "GetObject",
        }
    }
}

/// A request signed ahead of time (the signature stays valid for 15 minutes),
/// so the measurement is of the server, not of the client's signing.
fn signed(
    addr: SocketAddr,
    op: Op,
    n: usize,
    key: &str,
    secret: &str,
    region: &str,
) -> hyper::Request<Full<Bytes>> {
    let host = addr.to_string();
    let signer = |service| signing::Signer {
        key,
        secret,
        token: None,
        region,
        service,
        at: SystemTime::now(),
    };
    let request = match op {
        Op::Identity => signing::sts_post(
            &host,
            "Action=GetCallerIdentity&Version=2011-06-15",
            &signer("sts"),
        ),
        Op::Assume => signing::sts_post(
            &host,
            &format!(
                "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fs3-viewer&RoleSessionName=load-{n}"
            ),
            &signer("sts"),
        ),
        Op::List => s3_request(
            &host,
            "GET",
            "/?x-id=ListBuckets",
            Vec::new(),
            &signer("s3"),
        ),
        Op::Put => s3_request(
            &host,
            "PUT",
            &format!("/site/obj-{}", n % KEYS),
            vec![b'x'; OBJECT],
            &signer("s3"),
        ),
        Op::Get => s3_request(
            &host,
            "GET",
            &format!("/site/obj-{}", n % KEYS),
            Vec::new(),
            &signer("s3"),
        ),
    };
    let (parts, body) = request.into_parts();
    hyper::Request::from_parts(parts, Full::new(Bytes::from(body)))
}

/// An S3 request signed as the SDK signs it (the body's SHA-256 declared).
fn s3_request(
    host: &str,
    method: &str,
    path: &str,
    body: Vec<u8>,
    signer: &signing::Signer<'_>,
) -> http::Request<Vec<u8>> {
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("http://{host}{path}"))
        .header("host", host)
        .header("content-length", body.len())
        .body(body)
        .expect("request");
    signing::sign_request(&mut request, signer);
    request
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

/// Sends `requests` over `connections` keep-alive connections.
async fn drive(
    addr: SocketAddr,
    requests: Vec<hyper::Request<Full<Bytes>>>,
    connections: usize,
) -> Outcome {
    let per = requests.len().div_ceil(connections);
    let mut chunks: Vec<Vec<_>> = Vec::new();
    let mut it = requests.into_iter();
    loop {
        let chunk: Vec<_> = it.by_ref().take(per).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in chunks {
        tasks.spawn(async move {
            let mut sender = connect(addr).await;
            let mut latencies = Vec::with_capacity(chunk.len());
            let mut errors = 0;
            for request in chunk {
                let t = Instant::now();
                // A server that closes after each answer (HTTP/1.0 style,
                // as moto's does) gets a new connection, counted in the time.
                if sender.ready().await.is_err() {
                    sender = connect(addr).await;
                }
                match sender.send_request(request).await {
                    Ok(response) => {
                        let ok = response.status() == 200;
                        let _ = response.into_body().collect().await;
                        if !ok {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
                latencies.push(t.elapsed());
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    while let Some(done) = tasks.join_next().await {
        let (l, e) = done.expect("task");
        latencies.extend(l);
        errors += e;
    }
    Outcome {
        latencies,
        errors,
        elapsed: started.elapsed(),
    }
}

/// A keep-alive HTTP/1.1 connection to `addr`.
async fn connect(addr: SocketAddr) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = TcpStream::connect(addr).await.expect("connects");
    let _ = stream.set_nodelay(true);
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    sender
}

/// The value after `flag` on the command line.
fn arg(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The table: each operation at 1 and 64 connections.
async fn table(
    addr: SocketAddr,
    requests: usize,
    key: &str,
    secret: &str,
    region: &str,
    ops: &[Op],
) {
    println!("\n| operation | connections | requests/s | p50 | p99 |\n|---|---|---|---|---|");
    for &op in ops {
        for connections in [1usize, 64] {
            let count = if connections == 1 {
                (requests * 3).div_ceil(20)
            } else {
                requests
            };
            let requests: Vec<_> = (0..count)
                .map(|n| signed(addr, op, n, key, secret, region))
                .collect();
            let out = drive(addr, requests, connections).await;
            let mut sorted = out.latencies.clone();
            sorted.sort();
            assert_eq!(
                out.errors,
                0,
                "{} at {connections} connections had errors",
                op.name()
            );
            println!(
                "| {} | {connections} | {:.0} | {:.2} ms | {:.2} ms |",
                op.name(),
                count as f64 / out.elapsed.as_secs_f64(),
                percentile(&sorted, 0.5).as_secs_f64() * 1000.0,
                percentile(&sorted, 0.99).as_secs_f64() * 1000.0
            );
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let load_only = std::env::args().any(|a| a == "--load-only");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let objects = std::env::args().any(|a| a == "--objects");
    let (scenario, principal, ops): (&str, &str, &[Op]) = if objects {
        (
            "scenarios/data-public-bucket.yaml",
            "arn:aws:iam::222222222222:user/admin",
            &[Op::Put, Op::Get],
        )
    } else {
        (
            "scenarios/success.yaml",
            "arn:aws:iam::111111111111:user/homes",
            &[Op::Identity, Op::Assume, Op::List],
        )
    };
    runtime.block_on(async {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(scenario);
        let loaded = sim::load(&path).expect("scenario");
        let world = Arc::new(loaded.world.with_clock(Arc::new(SystemClock)).expect("world"));
        let starter = sim::Starter { arn: principal, ..Default::default() };
        let user = sim::credentials_for(&loaded, &starter).expect("the principal");
        let (key, secret) = (user.access_key_id.clone(), user.secret_access_key.expose().to_owned());
        let region = world.region().to_owned();
        if let Some(against) = arg("--against") {
            let addr: SocketAddr = against.parse().expect("--against HOST:PORT");
            let requests = arg("--requests").map_or(20_000, |n| n.parse().expect("--requests N"));
            println!("the endpoint on {addr}; client on 2 worker threads");
            if objects {
                // The bucket, on an endpoint that lacks it (moto); xacct's
                // world has it already (BucketAlreadyOwnedByYou).
                let signer = signing::Signer { key: &key, secret: &secret, token: None, region: &region, service: "s3", at: SystemTime::now() };
                let create = s3_request(&addr.to_string(), "PUT", "/site", Vec::new(), &signer);
                let (parts, body) = create.into_parts();
                let _ = drive(addr, vec![hyper::Request::from_parts(parts, Full::new(Bytes::from(body)))], 1).await;
            }
            table(addr, requests, &key, &secret, &region, ops).await;
            return;
        }
        let endpoint = Arc::new(Endpoint::new(world.clone()));
        let server = start(endpoint, "127.0.0.1:0".parse().expect("addr"), Arc::new(|_| {}), Limits::default()).await.expect("listens");
        let addr = server.addr;
        println!("xacct serve on {addr}; 2 worker threads; client and server share the machine's 2 cores");

        if !load_only {
            table(addr, 20_000, &key, &secret, &region, ops).await;
        }
        if objects {
            server.stop().await;
            return;
        }

        // The load test: 20,000 mixed requests at 64 connections.
        let before = rss_kib();
        let ops = [Op::Identity, Op::Assume, Op::List];
        let requests: Vec<_> = (0..20_000).map(|n| signed(addr, ops[n % 3], n, &key, &secret, &region)).collect();
        let out = drive(addr, requests, 64).await;
        let after = rss_kib();
        let growth_mib = after.saturating_sub(before) / 1024;
        println!(
            "\nload test: 20000 mixed requests at 64 connections in {:.2} s ({:.0}/s), {} errors, memory growth {growth_mib} MiB",
            out.elapsed.as_secs_f64(),
            20000.0 / out.elapsed.as_secs_f64(),
            out.errors
        );
        assert_eq!(out.errors, 0, "the load test saw errors");
        assert!(growth_mib < 256, "memory grew by {growth_mib} MiB");
        let still = drive(addr, vec![signed(addr, Op::Identity, 0, &key, &secret, &region)], 1).await;
        assert_eq!(still.errors, 0, "the server stopped answering after the load");
        println!("the server still answers after the load");
        println!("serve: 3 passed, 0 failed");
        server.stop().await;
    });
}
