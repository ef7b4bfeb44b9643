//! The shared AWS vocabulary of xacct, without the SDK: the STS/S3 seam
//! ([`cloud`]: its traits, types, errors and parameter constraints), the
//! classic cross-account [`flow`] over it, secrets, time, access key ids,
//! OIDC tokens, and the checks of user input. The simulator, the endpoint
//! and the application all speak it; it depends on nothing of theirs.

pub mod clock;
pub mod cloud;
pub mod flow;
pub mod input;
pub mod key_id;
pub mod oidc;
pub mod secret;
pub mod timestamp;
pub mod validate;
