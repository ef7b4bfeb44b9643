//! `xacct serve` under hostile clients, as a process: stalled connections are
//! closed by the timeouts and memory falls back, a stop with a stalled
//! client finishes within its grace period, running out of file descriptors
//! does not spin the accept loop, replayed AssumeRoles cost no memory, and
//! clients that never read their answers lose their connection slots.

#![allow(
    clippy::print_stderr,
    reason = "the measurements are shown beside the verdict"
)]

use std::time::Duration;

use tokio::time::Instant;
use xacct::clock::{Clock, SystemClock};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::signing::{Signer, raw, sts_post};
use crate::spawned::{Spawned, print_env, scenario};

/// Raises this process's open-file limit to its hard limit (2,000 client
/// sockets need more than the usual 1,024).
fn enough_files(wanted: u64) {
    let (soft, hard) = rlimit::Resource::NOFILE.get().expect("getrlimit");
    if soft < wanted {
        rlimit::Resource::NOFILE
            .set(hard, hard)
            .expect("setrlimit to the hard limit");
    }
    let (soft, _) = rlimit::Resource::NOFILE.get().expect("getrlimit");
    assert!(
        soft >= wanted,
        "this test needs {wanted} open files; the hard limit is {soft}"
    );
}

/// A signed STS POST of `form` as homes, on the wire as HTTP/1.1.
fn homes_post(addr: std::net::SocketAddr, form: &str, connection: &str) -> Vec<u8> {
    let homes = print_env(
        &scenario("success.yaml"),
        "arn:aws:iam::111111111111:user/homes",
        &[],
    );
    let request = sts_post(
        &addr.to_string(),
        form,
        &Signer {
            key: &homes.access_key_id,
            secret: homes.secret_access_key.expose(),
            token: None,
            region: "us-east-1",
            service: "sts",
            at: SystemClock.now(),
        },
    );
    raw(&request, connection)
}

/// Reads until the server closes the connection (or `limit` passes);
/// returns what it sent and whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (out, closed)
}

/// One signed GetCallerIdentity over a fresh connection: the status line.
async fn caller_identity(addr: std::net::SocketAddr) -> String {
    let bytes = homes_post(addr, "Action=GetCallerIdentity&Version=2011-06-15", "close");
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream.write_all(&bytes).await.expect("writes");
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_connections_are_closed_by_the_header_timeout_and_memory_falls_back() {
    enough_files(2_300);
    let server = Spawned::serve(
        &scenario("success.yaml"),
        &[
            "--quiet",
            "--header-timeout",
            "1",
            "--max-connections",
            "512",
        ],
    );
    let addr = server.addr;
    assert!(caller_identity(addr).await.starts_with("HTTP/1.1 200"));
    let baseline = server.rss_kib();

    // Each client sends 12 KiB of a header and never finishes it.
    let padding = "a".repeat(12 * 1024);
    let started = Instant::now();
    let clients: Vec<_> = (0..2_000)
        .map(|_| {
            let half = format!("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: {padding}");
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.ok()?;
                stream.write_all(half.as_bytes()).await.ok()?;
                let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(60)).await;
                Some(closed)
            })
        })
        .collect();
    let pid = server.pid();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        while !*stopped.borrow() {
            peak = peak.max(crate::spawned::rss_kib_of(pid));
            let _ = tokio::time::timeout(Duration::from_millis(50), stopped.changed()).await;
        }
        peak
    });
    let mut closed = 0;
    for handle in clients {
        if handle.await.expect("client task") == Some(true) {
            closed += 1;
        }
    }
    let took = started.elapsed();
    let _ = stop.send(true);
    let peak = sampler.await.expect("sampler");
    eprintln!(
        "stalled connections: {baseline} KiB before, peak {peak} KiB, all closed after {took:?}"
    );
    assert_eq!(
        closed, 2_000,
        "every stalled connection must be closed by the server"
    );
    assert!(
        took < Duration::from_secs(45),
        "2,000 stalled connections, 512 at a time with a 1 s header timeout, took {took:?}"
    );
    // Memory: at most a bounded buffer per connection served at once
    // (512 x 16 KiB) plus slack, instead of every header sent.
    assert!(
        peak - baseline.min(peak) < 96 * 1024,
        "memory grew from {baseline} KiB to a peak of {peak} KiB"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = server.rss_kib();
    eprintln!("stalled connections: {after} KiB after they left");
    assert!(
        after < baseline + 48 * 1024,
        "memory did not fall back: {baseline} KiB before, {peak} KiB at the peak, {after} KiB after"
    );
    // And the server still serves.
    assert!(caller_identity(addr).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed() {
    let server = Spawned::serve(
        &scenario("success.yaml"),
        &["--quiet", "--header-timeout", "0.5"],
    );
    let request = homes_post(
        server.addr,
        "Action=GetCallerIdentity&Version=2011-06-15",
        "keep-alive",
    );
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    stream.write_all(&request).await.expect("writes");
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    assert!(
        closed,
        "an idle keep-alive connection must be closed by the timeout"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_within_its_grace_period_with_a_stalled_client() {
    let mut server = Spawned::serve(
        &scenario("success.yaml"),
        &[
            "--quiet",
            "--header-timeout",
            "600",
            "--shutdown-grace",
            "1",
        ],
    );
    let mut stalled = TcpStream::connect(server.addr).await.expect("connects");
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Half: ")
        .await
        .expect("writes");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    server.terminate();
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(
        status.is_some_and(|s| s.success()),
        "xacct serve must stop within its 1 s grace period (status {status:?}, after {:?})",
        asked.elapsed()
    );
    let stopped = |log: &[String]| log.iter().any(|l| l == "stopped");
    let log = server.log_when(stopped);
    assert!(stopped(&log), "{log:?}");
    let (_, closed) = read_until_closed(&mut stalled, Duration::from_secs(2)).await;
    assert!(closed, "the stalled connection is closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_out_of_file_descriptors_does_not_spin_and_the_server_recovers() {
    let server = Spawned::serve_with_fd_limit(
        48,
        &scenario("success.yaml"),
        &["--quiet", "--header-timeout", "600"],
    );
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..80 {
        held.push(TcpStream::connect(addr).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.cpu_ticks();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let used = server.cpu_ticks() - before;
    eprintln!("out of file descriptors: {used} CPU ticks in 2 s");
    // A spinning accept loop burns a whole core: about 200 ticks in 2 s.
    assert!(
        used < 40,
        "the server used {used} CPU ticks in 2 s while out of file descriptors"
    );
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = caller_identity(addr).await;
        if status.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not recover: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_assume_roles_keep_memory_flat() {
    let server = Spawned::serve(&scenario("success.yaml"), &["--quiet"]);
    let bytes = homes_post(
        server.addr,
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fs3-viewer&RoleSessionName=replay&DurationSeconds=900",
        "keep-alive",
    );
    // The same signed request, replayed on four keep-alive connections.
    let replay = |count: usize| {
        let bytes = bytes.clone();
        let addr = server.addr;
        async move {
            let tasks: Vec<_> = (0..4)
                .map(|_| {
                    let bytes = bytes.clone();
                    tokio::spawn(async move {
                        let mut stream = TcpStream::connect(addr).await.expect("connects");
                        let mut ok = 0;
                        let mut buf = vec![0u8; 64 * 1024];
                        for _ in 0..count / 4 {
                            stream.write_all(&bytes).await.expect("writes");
                            let mut got = Vec::new();
                            while !ends_response(&got) {
                                let n = stream.read(&mut buf).await.expect("reads");
                                assert!(n > 0, "the server closed the connection");
                                got.extend_from_slice(&buf[..n]);
                            }
                            ok += usize::from(got.starts_with(b"HTTP/1.1 200"));
                        }
                        ok
                    })
                })
                .collect();
            let mut ok = 0;
            for t in tasks {
                ok += t.await.expect("replay task");
            }
            ok
        }
    };
    assert_eq!(replay(4_000).await, 4_000);
    let warm = server.rss_kib();
    assert_eq!(replay(24_000).await, 24_000);
    let after = server.rss_kib();
    eprintln!("replayed AssumeRoles: {warm} KiB after 4,000, {after} KiB after 24,000 more");
    // A stored session costs about 800 bytes: 24,000 of them would add ~19 MiB.
    assert!(
        after < warm + 6 * 1024,
        "24,000 replayed AssumeRoles grew memory from {warm} KiB to {after} KiB"
    );
}

/// Whether `bytes` hold a whole response (headers and the body their
/// `content-length` announces).
fn ends_response(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_at_the_cap_make_room_for_a_new_request() {
    enough_files(2_300);
    // Idle connections would hold their slots for 30 s without eviction.
    let server = Spawned::serve(
        &scenario("success.yaml"),
        &["--quiet", "--header-timeout", "30"],
    );
    let addr = server.addr;
    // 2,000 clients connect and send nothing, twice the cap of 1,024.
    let mut held = Vec::new();
    for _ in 0..2_000 {
        held.push(TcpStream::connect(addr).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let status = tokio::time::timeout(Duration::from_secs(20), caller_identity(addr))
        .await
        .expect("answered before the idle connections time out");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a new request waited {:?} behind idle connections",
        started.elapsed()
    );
    drop(held);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_never_read_their_answers_lose_their_slots() {
    // Both slots taken by clients that send requests and never read the
    // answers: with a header timeout of 2 minutes, nothing else would free
    // them (the finding: legitimate requests waited 5-35 s, or forever).
    let server = Spawned::serve(
        &scenario("success.yaml"),
        &[
            "--quiet",
            "--max-connections",
            "2",
            "--header-timeout",
            "120",
            "--body-timeout",
            "1",
        ],
    );
    let addr = server.addr;
    let pipelined = "GET /?Action=GetCallerIdentity HTTP/1.1\r\nHost: x\r\n\r\n".repeat(20_000);
    let mut hostile = Vec::new();
    for _ in 0..2 {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .set_recv_buffer_size(4096)
            .expect("a small receive buffer");
        let mut stream = socket.connect(addr).await.expect("connects");
        let bytes = pipelined.clone();
        // The writes block once the server stops reading: never awaited.
        hostile.push(tokio::spawn(async move {
            let _ = stream.write_all(bytes.as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(300)).await;
            drop(stream);
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = tokio::time::timeout(Duration::from_secs(20), caller_identity(addr))
        .await
        .expect("answered once the unread connections were closed");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    for task in hostile {
        task.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_writes_at_most_a_mebibyte_of_log() {
    let server = Spawned::serve(&scenario("success.yaml"), &[]);
    let addr = server.addr;
    // 2,000 requests on one connection, each claiming a 3,000-character
    // key id: about 1.4 MB of log lines even with each field capped.
    let key = "A".repeat(3_000);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: AWS4-HMAC-SHA256 Credential={key}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15"
    );
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let (mut reader, mut writer) = stream.split();
    let everything = request.repeat(2_000);
    let (_, read) = tokio::join!(writer.write_all(everything.as_bytes()), async {
        let (mut all, mut got) = (Vec::new(), 0usize);
        let mut buf = vec![0u8; 65536];
        // Every answer comes back: the connection is answered, not cut.
        while got < 2_000 {
            match tokio::time::timeout(Duration::from_secs(20), reader.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => {
                    all.extend_from_slice(&buf[..n]);
                    got = String::from_utf8_lossy(&all)
                        .matches("HTTP/1.1 400 ")
                        .count();
                }
                _ => break,
            }
        }
        got
    });
    assert_eq!(read, 2_000);
    drop(stream);
    let log = server.log_when(|log| {
        log.iter()
            .any(|l| l.contains("xacct:log") && l.contains("Closed"))
    });
    let bytes: usize = log.iter().map(|l| l.len() + 1).sum();
    assert!(bytes < 1_100_000, "{bytes} bytes of log for one connection");
    assert_eq!(log.iter().filter(|l| l.contains("Suppressed")).count(), 1);
    let closed = log
        .iter()
        .find(|l| l.contains("Closed"))
        .expect("a closing line");
    assert!(
        closed.contains("of its requests were answered but not logged"),
        "{closed}"
    );
}

/// A client that opens a new connection for every request of junk does
/// not escape into an unbounded log: the server's `--log-rate` bounds every
/// connection together. Past the burst one line says so, the log then
/// grows at the rate, and the first line logged after a pause counts the
/// requests answered meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_for_every_request_stays_within_the_servers_log_rate() {
    let server = Spawned::serve(&scenario("success.yaml"), &["--log-rate", "1KiB"]);
    let addr = server.addr;
    let key = "A".repeat(3_000);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: AWS4-HMAC-SHA256 Credential={key}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15"
    );
    let once = || async {
        let mut stream = TcpStream::connect(addr).await.expect("connects");
        stream.write_all(request.as_bytes()).await.expect("writes");
        let mut answer = Vec::new();
        let _ =
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
        assert!(
            answer.starts_with(b"HTTP/1.1 400 "),
            "every request is answered: {}",
            String::from_utf8_lossy(&answer)
        );
    };
    let started = Instant::now();
    for _ in 0..200 {
        once().await;
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    once().await;
    let elapsed = started.elapsed().as_secs_f64();
    // The resumed request's own line follows the "Resumed" line: wait for
    // both, or a read between them counts one request too few.
    let log = server.log_when(|log| {
        log.iter()
            .position(|l| l.contains("Resumed"))
            .is_some_and(|at| {
                log[at + 1..]
                    .iter()
                    .any(|l| l.contains("sts:GetCallerIdentity"))
            })
    });
    let requests: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("sts:GetCallerIdentity"))
        .collect();
    let bytes: usize = requests.iter().map(|l| l.len() + 1).sum();
    // 8 KiB at once, then 1 KiB a second (one line's worth of slack).
    let allowed = 8.0 * 1024.0 + 1024.0 * elapsed + 1024.0;
    assert!(
        (bytes as f64) <= allowed && requests.len() < 200,
        "{bytes} bytes in {} lines of log in {elapsed:.1} s",
        requests.len()
    );
    let suppressed: Vec<&String> = log.iter().filter(|l| l.contains("Suppressed")).collect();
    assert_eq!(suppressed.len(), 1, "{suppressed:?}");
    assert!(suppressed[0].contains("--log-rate"), "{}", suppressed[0]);
    let resumed = log
        .iter()
        .find(|l| l.contains("Resumed"))
        .expect("a line when the log resumes");
    let unlogged = 201 - requests.len();
    assert!(
        resumed.contains(&format!(
            "{unlogged} requests to the server were answered but not logged"
        )),
        "{unlogged} unlogged: {resumed}"
    );
}
