//! The HTTP/1.1 server: hyper on tokio, one task per connection, under the
//! endpoint's [`Limits`]: header, body and idle timeouts, a cap on
//! connections served at once (at the cap, the connection idle the
//! longest makes room for a new one), answers a client must read within
//! the body timeout, a bounded read buffer, an accept loop that
//! backs off when the process runs out of file descriptors, and a stop that
//! closes the listener at once and drains requests in flight for a grace
//! period before closing what remains.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming as Body};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::body;
use super::endpoint::Endpoint;
use super::handler::{LogLine, finish, handle, operation, route};
use super::idle::Idle;
use super::limits::Limits;
use super::log_budget::LogBudget;
use super::log_rate::LogRate;
use super::memory::Burst;
use super::request::{Incoming, Outgoing};
use super::write_deadline::WriteDeadline;
use xacct_sim::{Answer, Who, Why};

/// Connections the kernel holds for the accept loop (Linux caps it at
/// `net.core.somaxconn`).
const LISTEN_BACKLOG: u32 = 4096;

/// Where request log lines go.
pub type Logger = Arc<dyn Fn(&LogLine) + Send + Sync>;

/// A running server.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting at once, lets requests in flight finish within the
    /// grace period, closes the rest, and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

fn to_response(out: Outgoing) -> Response<Full<Bytes>> {
    let body = match out.bytes {
        Some(bytes) => bytes,
        None => Bytes::from(out.body),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        hyper::StatusCode::from_u16(out.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in out.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    for (name, value) in out.user_headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

async fn serve_one(
    endpoint: Arc<Endpoint>,
    log: (Logger, Arc<LogBudget>),
    limits: Limits,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let mut incoming = Incoming::new(
        parts.method.as_str().to_owned(),
        parts.uri.path().to_owned(),
        parts.uri.query().unwrap_or_default().to_owned(),
        parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect(),
        Vec::new(),
    );
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = if parts.method == hyper::Method::PUT {
        limits.max_object
    } else {
        limits.max_body
    };
    let (out, line) = match body::read(body, declared, limit, limits.body_timeout).await {
        Ok(bytes) => {
            incoming.body = bytes;
            handle(&endpoint, &incoming)
        }
        Err(problem) => {
            let service = route(&incoming);
            let key = match incoming.auth() {
                Some(Ok(auth)) => auth.access_key_id.clone(),
                _ => "anonymous".to_owned(),
            };
            let answer = Answer::refused(
                endpoint.world.request_id(),
                Who::key(&key),
                problem.aws(service, limit),
                Why::rule("the request body could not be read within the endpoint's limits"),
            );
            let (mut out, line) = finish(
                &endpoint,
                &incoming,
                service,
                operation(service, &incoming),
                answer,
            );
            out.headers.push(("connection", "close".to_owned()));
            (out, line)
        }
    };
    log.1.log(log.0.as_ref(), &line);
    Ok(to_response(out))
}

/// Whether an accept error means the process or system is out of a
/// resource (file descriptors, memory), so accepting again at once would spin.
fn exhausted(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(23 | 24 | 105 | 12)) // ENFILE, EMFILE, ENOBUFS, ENOMEM
}

async fn connection(
    stream: TcpStream,
    endpoint: Arc<Endpoint>,
    log: Logger,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
    (idle, rate): (Arc<Idle>, Arc<LogRate>),
) {
    let (id, state) = idle.register();
    let budget = Arc::new(LogBudget::new(rate));
    {
        let (log, budget) = (log.clone(), budget.clone());
        let _ = stream.set_nodelay(true);
        let (tracked, registry) = (state.clone(), idle.clone());
        let service = service_fn(move |req| {
            let (endpoint, log, state, registry) = (
                endpoint.clone(),
                (log.clone(), budget.clone()),
                tracked.clone(),
                registry.clone(),
            );
            state.start();
            async move {
                let answer = serve_one(endpoint, log, limits, req).await;
                registry.end(&state);
                answer
            }
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(limits.max_header_bytes.max(8192));
        // A client that stops reading answers loses the connection after
        // the body timeout, instead of holding its slot forever.
        let stream = WriteDeadline::new(stream, limits.body_timeout);
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => {}
            () = until_stopped(&mut stopped) => {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
            () = state.evicted() => {
                // Idle the longest at the cap: closed to make room.
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
    }
    idle.remove(id);
    budget.close(log.as_ref());
}

/// Starts serving the endpoint on `addr` (port 0 picks a free one).
pub async fn start(
    endpoint: Arc<Endpoint>,
    addr: SocketAddr,
    log: Logger,
    limits: Limits,
) -> io::Result<Running> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // Connections beyond the cap wait here until a slot frees.
    let listener = socket.listen(LISTEN_BACKLOG)?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, endpoint, log, limits, stopped));
    Ok(Running { addr, stop, task })
}

/// Resolves once a stop is asked for (the guard of `wait_for` is dropped
/// inside, so the future stays `Send`).
async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

async fn accept_loop(
    listener: TcpListener,
    endpoint: Arc<Endpoint>,
    log: Logger,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let idle = Arc::new(Idle::default());
    let rate = Arc::new(LogRate::new(limits.log_rate));
    let mut connections = JoinSet::new();
    let mut backoff = Duration::from_millis(5);
    let mut burst = Burst::default();
    loop {
        burst.observe(connections.len());
        // At the cap, a new connection is accepted and waits for a slot
        // while the connection idle the longest is closed to make room (a
        // new client never waits for idle keep-alive connections to time
        // out); when every connection is busy, it waits for one to finish.
        // Finished connections are reaped meanwhile, so they free their
        // memory.
        let mut early = None;
        let slot = loop {
            tokio::select! {
                biased;
                () = until_stopped(&mut stopped) => break None,
                slot = slots.clone().acquire_owned() => break Some(slot),
                Some(_) = connections.join_next(), if !connections.is_empty() => {
                    burst.observe(connections.len());
                }
                accepted = listener.accept(), if early.is_none() => {
                    idle.evict_longest();
                    early = Some(accepted);
                }
            }
        };
        let Some(Ok(slot)) = slot else { break };
        let accepted = match early {
            Some(accepted) => Some(accepted),
            None => loop {
                tokio::select! {
                    accepted = listener.accept() => break Some(accepted),
                    Some(_) = connections.join_next(), if !connections.is_empty() => {
                        burst.observe(connections.len());
                    }
                    () = until_stopped(&mut stopped) => break None,
                }
            },
        };
        let Some(accepted) = accepted else { break };
        match accepted {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(5);
                let serve = connection(
                    stream,
                    endpoint.clone(),
                    log.clone(),
                    limits,
                    stopped.clone(),
                    (idle.clone(), rate.clone()),
                );
                connections.spawn(async move {
                    serve.await;
                    drop(slot);
                });
            }
            Err(err) if exhausted(&err) => {
                // Out of descriptors: wait for connections to close instead
                // of spinning on accept.
                tracing::warn!(error = %err, backoff_ms = backoff.as_millis(), "accept failed; backing off");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    () = until_stopped(&mut stopped) => break,
                }
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
            Err(_) => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}
