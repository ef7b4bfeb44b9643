//! Credentials for daily use of a role: a chain of roles assumed hop by
//! hop (from flags or a profile of `~/.aws/config`), the MFA code asked for
//! on the terminal once per chain, sessions cached in private files, the
//! session as environment variables, and the console sign-in URL.
//! `xacct creds`, `exec`, `console` and `cache` are its faces.

mod browser;
mod cache;
mod cache_dir;
mod console;
mod explain_key;
mod mfa_prompt;
mod obtain;
mod plan;
mod profile_base;
mod profile_chain;
mod remote_why;
mod session_env;
mod spec;
mod walk;

pub use browser::open_signin;
pub use cache::{Cache, CacheKey, Cached, KeyHop, Listed};
pub use cache_dir::{CacheError, default_dir};
pub use console::{ConsoleError, ConsoleRequest, check_session_duration, endpoints, signin_url};
pub use explain_key::{
    ExplainKey, publish as publish_explain_key, withdraw as withdraw_explain_key,
};
pub use mfa_prompt::PromptError;
pub use obtain::{Backend, CacheUse, CredsError, Failed, Got, obtain};
pub use plan::{CHAINED_MAX_SECONDS, Hop, HopOrigin, Plan};
pub use profile_base::profile_session;
pub use remote_why::{RemoteDecision, remote_decisions};
pub use session_env::{OVERRIDING, session_env, unset_for};
pub use spec::{ChainSpec, default_session_name};
pub use walk::{HopDone, HopFailure, Obtained};
