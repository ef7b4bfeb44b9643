//! The arguments `xacct creds`, `exec` and `console` share: the chain of
//! roles, where the calls go, and the cache; and how their failures print.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::clock::Clock;
use crate::creds::{self, Backend, Cache, CacheUse, ChainSpec, CredsError, Failed, Got};
use crate::exit::Exit;
use crate::render;
use crate::validate::InputError;

/// Which roles to assume, from where, and how.
#[derive(Debug, Args)]
pub struct ChainArgs {
    /// A role to assume; repeat for a chain (each hop uses the previous
    /// hop's session), after the roles of --profile.
    #[arg(long, value_name = "ARN")]
    pub role_arn: Vec<String>,
    /// A profile of ~/.aws/config: its role_arn/source_profile chain is
    /// walked hop by hop (external_id, mfa_serial, duration_seconds and
    /// role_session_name apply), and its root gives the base credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The external id for every --role-arn hop.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The MFA device of the first hop (the base user's); without
    /// --mfa-code the code is asked for on the terminal, once per chain.
    #[arg(long, value_name = "SERIAL")]
    pub mfa_serial: Option<String>,
    /// The six-digit MFA code, for every hop that names a device.
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// The session length of every --role-arn hop, 900-43200 seconds; a
    /// chained hop (the second onwards) may ask for 3600 at most.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub duration_seconds: Option<i64>,
    /// The role session name of every --role-arn hop (default xacct-<unix time>).
    #[arg(long, value_name = "NAME")]
    pub session_name: Option<String>,
    /// Session tags, source identity and managed session policies of the
    /// first hop (AWS keeps the source identity and transitive tags through
    /// the chain).
    #[command(flatten)]
    pub session: super::session_args::SessionArgs,
    /// Neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Refresh a cached session this many seconds before it expires.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=43_200))]
    pub refresh_window: u64,
    /// The region, the endpoint and the time limits.
    #[command(flatten)]
    pub(crate) connection: super::connection_args::ConnectionArgs,
    /// Walk the chain in this scenario's simulated AWS instead (no cache).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "region", "endpoint_url"])]
    pub scenario: Option<PathBuf>,
    /// With --scenario: who starts the chain (a user, root or assumed-role ARN).
    #[arg(long = "as", value_name = "ARN", requires = "scenario")]
    pub as_principal: Option<String>,
    /// Show each call's decision and the statements that decided it (on
    /// stderr): with --scenario, or --endpoint-url of `xacct serve`.
    #[arg(long)]
    pub explain: bool,
}

impl ChainArgs {
    fn spec(&self) -> ChainSpec {
        ChainSpec {
            role_arns: self.role_arn.clone(),
            profile: self.profile.clone(),
            external_id: self.external_id.clone(),
            mfa_serial: self.mfa_serial.clone(),
            mfa_code: self.mfa_code.clone(),
            duration_seconds: self.duration_seconds,
            session_name: self.session_name.clone(),
            source_identity: self.session.source_identity.clone(),
            tags: self.session.tags.clone(),
            transitive_tag_keys: self.session.transitive_tag_keys.clone(),
            policy_arns: self.session.policy_arns.clone(),
            profile_implied: false,
            no_code_flag: false,
        }
    }

    fn backend(&self) -> Backend {
        match &self.scenario {
            Some(path) => Backend::Scenario {
                path: path.clone(),
                as_principal: self.as_principal.clone().unwrap_or_default(),
            },
            None => self.connection.backend(),
        }
    }

    /// The chain's last session, or the failure printed (with the
    /// explanation when asked) and its exit code.
    pub fn obtain(&self, clock: &dyn Clock) -> Result<Got, Exit> {
        if self.explain && self.scenario.is_none() && self.connection.endpoint_url.is_none() {
            return Err(fail(&CredsError::Input(vec![InputError {
                field: "--explain",
                value: "true".to_owned(),
                rule: "only a simulated AWS can say which statements decided a call".to_owned(),
                fix: "add --scenario FILE --as ARN, or --endpoint-url of `xacct serve`".to_owned(),
            }])));
        }
        let cache = if self.no_cache || self.scenario.is_some() {
            None
        } else {
            match creds::default_dir() {
                Ok(dir) => Some(CacheUse {
                    cache: Cache::new(dir),
                    window: Duration::from_secs(self.refresh_window),
                }),
                Err(e) => return Err(fail(&CredsError::Cache(e))),
            }
        };
        let runtime = super::runtime(false).map_err(|message| {
            super::eprint(&format!("error: {message}\n"));
            Exit::Unexpected
        })?;
        match runtime.block_on(creds::obtain(
            &self.spec(),
            &self.backend(),
            cache.as_ref(),
            clock,
        )) {
            Ok(got) => {
                if let Some(e) = &got.not_cached {
                    super::eprint(&format!(
                        "warning: the session was not cached ({e}); the next call will assume the roles again\n"
                    ));
                }
                if got.obtained.from_cache && self.explain {
                    super::eprint(
                        "===== Why =====\nthe session came from the cache: no call was made (pass --no-cache to see the decisions)\n",
                    );
                }
                let ids = got
                    .obtained
                    .hops
                    .iter()
                    .filter_map(|h| h.request_id.clone());
                self.explain_calls(&runtime, &got.calls, ids.collect());
                tracing::info!(
                    "{}",
                    render::creds::obtained_note(&got, clock.now()).trim_end()
                );
                Ok(got)
            }
            Err(Failed { error, calls }) => {
                let ids = match &error {
                    CredsError::Hop(f) => f
                        .done
                        .iter()
                        .filter_map(|h| h.request_id.clone())
                        .chain(f.error.request_id.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                self.explain_calls(&runtime, &calls, ids);
                Err(fail(&error))
            }
        }
    }

    /// The decisions behind the calls: narrated from the simulated calls,
    /// or read back from `xacct serve` by request id.
    fn explain_calls(
        &self,
        runtime: &tokio::runtime::Runtime,
        calls: &[crate::sim::CallRecord],
        request_ids: Vec<String>,
    ) {
        if !self.explain {
            return;
        }
        if !calls.is_empty() {
            let style = render::narrate::Style::new(false);
            super::eprint(&format!(
                "===== Why =====\n{}",
                render::narrate::calls(calls, style)
            ));
        } else if let Some(url) = &self.connection.endpoint_url
            && !request_ids.is_empty()
        {
            let timeout = self.connection.call_timeout();
            let decisions = runtime.block_on(creds::remote_decisions(url, &request_ids, timeout));
            super::eprint(&render::creds::remote_why(&decisions));
        }
    }
}

/// Prints why no credentials were had, and returns the exit code.
fn fail(err: &CredsError) -> Exit {
    super::eprint(&render::creds::error(err));
    exit_of(err)
}

/// The exit code of a failure: 3 for anything refused before a call.
pub(super) fn exit_of(err: &CredsError) -> Exit {
    match err {
        CredsError::Input(_)
        | CredsError::Scenario(_)
        | CredsError::Cache(_)
        | CredsError::Prompt(_) => Exit::InvalidInput,
        CredsError::Base(e) => Exit::from(e.class),
        CredsError::Hop(f) => Exit::from(f.error.class),
    }
}
