//! Diagnostic logs on stderr (`-v`, `-vv`), with the SDK's secret-bearing
//! targets capped: at TRACE, the SigV4 signer logs the canonical request,
//! session token included, and the orchestrator logs whole requests.

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;

/// Targets that log secrets (or floods) at their most verbose levels, with
/// the most verbose level that is still safe; applied from `-vv` on.
const CAPPED: &[(&str, Level)] = &[
    ("aws_sigv4", Level::INFO),
    ("aws_smithy_runtime", Level::DEBUG),
    ("aws_smithy_runtime_api", Level::DEBUG),
    ("aws_smithy_http_client", Level::DEBUG),
    ("hyper", Level::INFO),
    ("hyper_util", Level::INFO),
    ("h2", Level::INFO),
];

/// The filter for a verbosity (the number of `-v`); `None` logs nothing.
pub(crate) fn filter(verbosity: u8) -> Option<Targets> {
    match verbosity {
        0 => None,
        1 => Some(
            Targets::new()
                .with_default(Level::WARN)
                .with_target("xacct", Level::DEBUG)
                .with_target("aws_config", Level::INFO),
        ),
        _ => Some(
            CAPPED.iter().fold(
                Targets::new()
                    .with_default(Level::DEBUG)
                    .with_target("xacct", Level::TRACE),
                |targets, (target, level)| targets.with_target(*target, *level),
            ),
        ),
    }
}

/// A subscriber writing to `writer`, or `None` for verbosity 0.
pub(crate) fn subscriber<W>(
    verbosity: u8,
    writer: W,
) -> Option<impl tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    filter(verbosity).map(|filter| {
        tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .with_target(true)
            .with_max_level(Level::TRACE)
            .finish()
            .with(filter)
    })
}

/// Installs the subscriber for the process (stderr); does nothing at verbosity 0.
pub(crate) fn init(verbosity: u8) {
    if let Some(subscriber) = subscriber(verbosity, std::io::stderr) {
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
}
