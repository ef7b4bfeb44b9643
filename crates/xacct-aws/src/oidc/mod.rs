//! OpenID Connect identity tokens as web identity federation uses them:
//! compact JWTs signed with RS256 ([`jwt`]), the signing keys of the
//! simulated issuers ([`IssuerKey`], derived from a seed so that `xacct
//! token` and a separately started `xacct serve` agree), and the claims the
//! two common issuers put in their tokens ([`presets`]).

mod issuer_key;
pub mod jwt;
pub mod presets;

pub use issuer_key::{IssuerKey, Verdict};
pub use jwt::{Claims, Jwt, JwtError};
