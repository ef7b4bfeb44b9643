//! The HTTP/1.1 server: hyper on tokio, one task per connection, bodies
//! limited, a log line per request, and a clean stop.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming as Body};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::handler::{BODY_LIMIT, Endpoint, Incoming, LogLine, Outgoing, handle, route};
use crate::sim::aws_error::{AwsError, Service};

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
    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

fn to_response(out: Outgoing) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(out.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(out.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in out.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

async fn serve_one(
    endpoint: Arc<Endpoint>,
    log: Logger,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let mut incoming = Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: Vec::new(),
    };
    if !incoming.headers.iter().any(|(k, _)| k == "host")
        && let Some(authority) = parts.uri.authority()
    {
        incoming
            .headers
            .push(("host".to_owned(), authority.as_str().to_owned()));
    }
    match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => incoming.body = collected.to_bytes().to_vec(),
        Err(_) => {
            let err = AwsError::new(
                "RequestEntityTooLarge",
                413,
                format!(
                    "The request body is larger than the {BODY_LIMIT} bytes this endpoint accepts."
                ),
            );
            let service = route(&incoming);
            let id = endpoint.world.request_id();
            let body = match service {
                Service::Sts => super::wire::sts_error(&err, &id),
                Service::S3 => super::wire::s3_error(&err, &id, &id),
            };
            return Ok(to_response(Outgoing {
                status: 413,
                headers: vec![("content-type", "text/xml".to_owned())],
                body,
            }));
        }
    }
    let (out, line) = handle(&endpoint, &incoming);
    log(&line);
    Ok(to_response(out))
}

/// Starts serving the endpoint on `addr` (port 0 picks a free one).
pub async fn start(
    endpoint: Arc<Endpoint>,
    addr: SocketAddr,
    log: Logger,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let endpoint = endpoint.clone();
                    let log = log.clone();
                    let mut conn_stop = stopped.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |req| serve_one(endpoint.clone(), log.clone(), req));
                        let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = conn_stop.changed() => {
                                conn.as_mut().graceful_shutdown();
                                let _ = conn.await;
                            }
                        }
                    });
                }
                _ = stopped.changed() => break,
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        while connections.join_next().await.is_some() {}
    });
    Ok(Running { addr, stop, task })
}
