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

/// The answer's error code and message, or `allowed`.
fn answer(loaded: &Loaded, token: &str) -> (String, String) {
    match loaded
        .world
        .assume_role_with_web_identity(token, &request())
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
