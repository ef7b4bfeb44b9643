//! Diagnostic logs on stderr (`-v`, `-vv`), with the SDK's secret-bearing
//! targets capped: at TRACE, the SigV4 signer logs the canonical request,
//! session token included, and the orchestrator logs whole requests.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Targets that log secrets (or floods) at their most verbose levels, with
/// the most verbose level that is still safe; applied from `-vv` on.
const CAPPED: &[&str] = &[
    "aws_sigv4=info",
    "aws_smithy_runtime=debug",
    "aws_smithy_runtime_api=debug",
    "aws_smithy_http_client=debug",
    "hyper=info",
    "hyper_util=info",
    "h2=info",
];

/// The filter for a verbosity (the number of `-v`); `None` logs nothing.
pub fn filter(verbosity: u8) -> Option<EnvFilter> {
    let directives = match verbosity {
        0 => return None,
        1 => "warn,xacct=debug,aws_config=info".to_owned(),
        _ => std::iter::once("debug,xacct=trace")
            .chain(CAPPED.iter().copied())
            .collect::<Vec<_>>()
            .join(","),
    };
    Some(EnvFilter::new(directives))
}

/// A subscriber writing to `writer`, or `None` for verbosity 0.
pub fn subscriber<W>(verbosity: u8, writer: W) -> Option<impl tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    filter(verbosity).map(|filter| {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(writer)
            .with_ansi(false)
            .with_target(true)
            .finish()
    })
}

/// Installs the subscriber for the process (stderr); does nothing at verbosity 0.
pub fn init(verbosity: u8) {
    if let Some(subscriber) = subscriber(verbosity, std::io::stderr) {
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
}
