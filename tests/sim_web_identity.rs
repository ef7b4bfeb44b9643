//! The simulated AssumeRoleWithWebIdentity against tokens a client could
//! forge or mangle: an altered claim under the issuer's own `kid`, `alg`
//! `none` or HMAC, a token of the same issuer from another world (another
//! key seed, as a real issuer's token would be), a token with no `exp`;
//! each refused with AWS's code before any policy, and never with
//! credentials.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use xacct::cloud::AssumeRoleRequest;
use xacct::sim::{self, KeySeed, Loaded, TokenSpec};

const GITHUB: &str = "token.actions.githubusercontent.com";

fn loaded(seed: &KeySeed) -> Loaded {
    sim::load_seeded(
        std::path::Path::new("scenarios/github-actions-deploy.yaml"),
        seed,
    )
    .expect("scenario loads")
}

fn request() -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/deployer".to_owned(),
        session_name: "test".to_owned(),
        ..Default::default()
    }
}

fn mint(loaded: &Loaded, sub: &str) -> String {
    let mut claims = loaded.world.preset_claims(GITHUB);
    claims.insert("sub".into(), sub.into());
    loaded
        .world
        .mint_token(&TokenSpec {
            issuer: GITHUB.to_owned(),
            claims,
            expires: None,
            forged: false,
        })
        .expect("minted")
        .expose()
        .to_owned()
}

/// The unsigned request presenting `token`.
fn web_identity(token: &str) -> xacct::sim::WebIdentityRequest {
    xacct::sim::WebIdentityRequest {
        token: xacct::secret::Secret::new(token),
        request: request(),
    }
}

/// The answer's error code and message, or `allowed`.
fn answer(loaded: &Loaded, token: &str) -> (String, String) {
    match loaded
        .world
        .call_unsigned(xacct::sim::UnsignedRequest::AssumeRoleWithWebIdentity(
            web_identity(token),
        ))
        .result
    {
        Ok(_) => ("allowed".to_owned(), String::new()),
        Err(e) => (e.code, e.message),
    }
}

fn part(token: &str, i: usize) -> &str {
    token.split('.').nth(i).expect("three parts")
}

fn json_part(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[test]
fn a_minted_token_works_and_every_mangled_one_is_refused() {
    let loaded = loaded(&KeySeed::default());
    let good = mint(&loaded, "repo:acme/app:ref:refs/heads/main");
    assert_eq!(answer(&loaded, &good).0, "allowed");

    // The pull request's own token is denied by the trust policy; swapping
    // its claims for main's under the same signature breaks the signature.
    let pr = mint(&loaded, "repo:acme/app:pull_request");
    assert_eq!(answer(&loaded, &pr).0, "AccessDenied");
    let altered = format!("{}.{}.{}", part(&pr, 0), part(&good, 1), part(&pr, 2));
    assert_eq!(
        answer(&loaded, &altered),
        (
            "InvalidIdentityToken".to_owned(),
            "The web identity token provided could not be validated".to_owned()
        )
    );

    for alg in ["none", "HS256", "ES256"] {
        let header = json_part(&serde_json::json!({ "alg": alg, "typ": "JWT" }));
        let token = format!("{header}.{}.{}", part(&good, 1), part(&good, 2));
        let (code, message) = answer(&loaded, &token);
        assert_eq!(code, "InvalidIdentityToken", "{alg}");
        assert!(
            message.starts_with("The ID Token provided is not a valid JWT"),
            "{alg}: {message}"
        );
    }
    for garbage in ["abcd", "a.b.c", "not a token at all"] {
        assert_eq!(
            answer(&loaded, garbage).0,
            "InvalidIdentityToken",
            "{garbage}"
        );
    }
    let mut no_exp = loaded.world.preset_claims(GITHUB);
    no_exp.insert("exp".into(), serde_json::Value::Null);
    let token = loaded
        .world
        .mint_token(&TokenSpec {
            issuer: GITHUB.to_owned(),
            claims: no_exp,
            expires: None,
            forged: false,
        })
        .expect("minted");
    assert_eq!(
        answer(&loaded, token.expose()),
        (
            "InvalidIdentityToken".to_owned(),
            "Missing a required claim: exp".to_owned()
        )
    );
}

#[test]
fn a_token_of_the_same_issuer_from_elsewhere_is_refused_as_aws_refuses_a_foreign_key() {
    let here = loaded(&KeySeed::default());
    let elsewhere = loaded(&KeySeed::new("another issuer's key"));
    let foreign = mint(&elsewhere, "repo:acme/app:ref:refs/heads/main");
    assert_eq!(answer(&elsewhere, &foreign).0, "allowed");
    assert_eq!(
        answer(&here, &foreign),
        (
            "InvalidIdentityToken".to_owned(),
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements".to_owned()
        )
    );
}

#[test]
fn the_validation_message_never_quotes_the_token() {
    let loaded = loaded(&KeySeed::default());
    let (code, message) = answer(&loaded, "abc");
    assert_eq!(code, "ValidationError");
    assert_eq!(
        message,
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"
    );
}

/// The claims of a good token, as JSON, with `edit` applied.
fn claims_of(
    token: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> String {
    let bytes = URL_SAFE_NO_PAD.decode(part(token, 1)).expect("base64url");
    let mut claims: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).expect("claims");
    edit(&mut claims);
    serde_json::Value::Object(claims).to_string()
}

/// Tokens an adversarial pass got credentials with, each signed with the
/// issuer's own key: refused with AWS's error, and the explanation names
/// the rule.
#[test]
fn tokens_no_honest_issuer_writes_are_refused_and_say_why() {
    let loaded = loaded(&KeySeed::default());
    let good = mint(&loaded, "repo:acme/app:ref:refs/heads/main");
    let key = loaded.world.issuer_key(GITHUB).expect("the issuer's key");
    let header = format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{}"}}"#, key.kid());
    let now = 1_767_225_600_i64; // the scenario's clock, 2026-01-01T00:00:00Z
    let set = |k: &str, v: serde_json::Value| {
        claims_of(&good, |c| {
            c.insert(k.to_owned(), v);
        })
    };
    let good_claims = claims_of(&good, |_| {});
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "nbf a day ahead",
            key.sign_parts(&header, &set("nbf", (now + 86_400).into())),
            "InvalidIdentityToken",
            "`nbf`",
        ),
        (
            "iat a year ahead",
            key.sign_parts(&header, &set("iat", (now + 31_536_000).into())),
            "InvalidIdentityToken",
            "`iat`",
        ),
        (
            "exp in the year 3000",
            key.sign_parts(&header, &set("exp", 32_503_680_000_i64.into())),
            "InvalidIdentityToken",
            "more than 86400 seconds",
        ),
        (
            "exp 1e300",
            key.sign_parts(
                &header,
                &good_claims.replacen(r#""exp":"#, r#""exp":1e300,"x":"#, 1),
            ),
            "InvalidIdentityToken",
            "not an integer",
        ),
        (
            "alg none then RS256",
            key.sign_parts(
                &format!(r#"{{"alg":"none","alg":"RS256","kid":"{}"}}"#, key.kid()),
                &good_claims,
            ),
            "InvalidIdentityToken",
            "the header names the member `alg` twice",
        ),
        (
            "sub twice",
            key.sign_parts(
                &header,
                &good_claims.replacen('{', r#"{"sub":"repo:acme/app:ref:refs/heads/main","#, 1),
            ),
            "InvalidIdentityToken",
            "names the member `sub` twice",
        ),
        (
            "sub as a list",
            key.sign_parts(
                &header,
                &set(
                    "sub",
                    serde_json::json!(["repo:evil/x", "repo:acme/app:ref:refs/heads/main"]),
                ),
            ),
            "InvalidIdentityToken",
            "is not a string",
        ),
        (
            "padded signature",
            format!("{good}=="),
            "InvalidIdentityToken",
            "padding",
        ),
        (
            "a crit header",
            key.sign_parts(
                &format!(
                    r#"{{"alg":"RS256","kid":"{}","crit":["x"],"x":1}}"#,
                    key.kid()
                ),
                &good_claims,
            ),
            "InvalidIdentityToken",
            "crit",
        ),
        (
            "an issuer without https://",
            key.sign_parts(&header, &set("iss", GITHUB.into())),
            "InvalidIdentityToken",
            "does not begin with https://",
        ),
    ];
    for (name, token, code, why) in cases {
        let answer =
            loaded
                .world
                .call_unsigned(xacct::sim::UnsignedRequest::AssumeRoleWithWebIdentity(
                    web_identity(&token),
                ));
        let error = answer
            .result
            .as_ref()
            .err()
            .unwrap_or_else(|| panic!("{name}: credentials"));
        assert_eq!(error.code, code, "{name}: {}", error.message);
        let reason = answer.why.map(|w| w.summary).unwrap_or_default();
        assert!(
            reason.contains(why),
            "{name}: the explanation says {reason:?}"
        );
    }
}
