//! Input validation agrees with AWS's own patterns and lengths (the STS API
//! model, written here as regular expressions), and no input panics the CLI.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use regex::Regex;
use xacct::validate;

/// AWS writes these patterns for Java, where `\w` is ASCII `[A-Za-z0-9_]`.
fn aws(pattern: &str) -> Regex {
    Regex::new(&format!("^(?-u:{pattern})$")).expect("valid pattern")
}

/// Strings mostly of allowed characters, with some disallowed ones mixed in.
fn mostly(allowed: &str, max_len: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = allowed.chars().collect();
    let good = proptest::sample::select(chars);
    let any = proptest::char::any();
    proptest::collection::vec(prop_oneof![20 => good, 1 => any], 0..max_len)
        .prop_map(|v| v.into_iter().collect())
}

const WORD: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn session_name_matches_aws(value in mostly(&format!("{WORD}+=,.@- "), 70)) {
        let reference = aws(r"[\w+=,.@-]{2,64}").is_match(&value);
        prop_assert_eq!(validate::session_name(&value).is_ok(), reference, "{:?}", value);
    }

    #[test]
    fn external_id_matches_aws(value in mostly(&format!("{WORD}+=,.@:/- "), 1240)) {
        let reference = aws(r"[\w+=,.@:/-]{2,1224}").is_match(&value);
        prop_assert_eq!(validate::external_id(&value).is_ok(), reference, "{:?}", value);
    }

    #[test]
    fn mfa_serial_matches_aws(value in mostly(&format!("{WORD}+=/:,.@- "), 260)) {
        let reference = aws(r"[\w+=/:,.@-]{9,256}").is_match(&value);
        prop_assert_eq!(validate::mfa_serial(&value).is_ok(), reference, "{:?}", value);
    }

    #[test]
    fn mfa_code_matches_aws(value in mostly("0123456789a", 8)) {
        let reference = aws(r"[0-9]{6}").is_match(&value);
        prop_assert_eq!(validate::mfa_code(&value).is_ok(), reference, "{:?}", value);
    }

    #[test]
    fn duration_matches_aws(value in -100_000i64..100_000) {
        prop_assert_eq!(validate::duration_seconds(value).is_ok(), (900..=43200).contains(&value));
    }

    #[test]
    fn role_arn_matches_the_iam_shape(
        partition in prop_oneof![Just("aws"), Just("aws-cn"), Just("aws-us-gov"), Just("aws-"), Just("gcp")],
        service in prop_oneof![8 => Just("iam"), 1 => Just("sts")],
        region in prop_oneof![8 => Just(""), 1 => Just("us-east-1")],
        account in prop_oneof![8 => "[0-9]{12}", 1 => "[0-9]{0,13}", 1 => "[0-9a-z]{12}"],
        kind in prop_oneof![8 => Just("role"), 1 => Just("user")],
        path in prop_oneof![3 => Just(String::new()), 1 => "([a-z]{1,5}/){1,3}", 1 => "[ -~]{0,8}/"],
        name in mostly(&format!("{WORD}+=,.@- "), 70),
    ) {
        let value = format!("arn:{partition}:{service}:{region}:{account}:{kind}/{path}{name}");
        let shape = aws(r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([!-~]*/)?[\w+=,.@-]{1,64}");
        let reference = shape.is_match(&value) && (20..=2048).contains(&value.chars().count());
        prop_assert_eq!(validate::role_arn(&value).is_ok(), reference, "{:?}", value);
    }

    #[test]
    fn no_argument_list_panics_the_cli(args in proptest::collection::vec(
        prop_oneof![
            Just("run".to_owned()), Just("--role-arn".to_owned()), Just("--session-name".to_owned()),
            Just("--duration-seconds".to_owned()), Just("--external-id".to_owned()),
            Just("--mfa-serial".to_owned()), Just("--mfa-code".to_owned()), Just("--output".to_owned()),
            Just("--endpoint-url".to_owned()), Just("completions".to_owned()),
            "\\PC{0,20}", "-?[0-9]{1,12}",
        ],
        0..10,
    )) {
        let argv = std::iter::once("xacct".to_owned()).chain(args);
        if let Ok(xacct::cli::Cli { command: xacct::cli::Command::Run(run), .. }) = xacct::cli::parse(argv) {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
            let _ = run.request(now);
        }
    }
}
