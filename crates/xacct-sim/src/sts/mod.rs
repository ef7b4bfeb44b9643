//! The simulated STS: AssumeRole, GetAccessKeyInfo, GetCallerIdentity,
//! GetFederationToken and GetSessionToken as operations of the world, answering as AWS does.

mod access_key_info;
mod assume_role;
mod caller_identity;
mod federation_token;
mod long_term;
mod role_session;
mod session_policy;
mod session_token;
mod web_identity;
mod web_token_check;

pub use federation_token::FederationToken;
