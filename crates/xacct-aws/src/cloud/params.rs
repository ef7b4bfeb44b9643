//! The STS API model's constraints on request parameters, in one table:
//! lengths, character sets and numeric bounds. Two voices speak it: the
//! command line checks flags before any call (`validate`), and the simulated
//! STS answers AWS's `ValidationError` for the same rules.

/// `\w` as AWS's (Java) patterns mean it: ASCII letters, digits and `_`.
fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The characters of the STS model's `arnType` pattern (printable text).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A string parameter's constraints.
#[derive(Debug, Clone, Copy)]
pub struct TextParam {
    /// The member name AWS uses in messages (`roleSessionName`).
    pub field: &'static str,
    /// The command-line flag that carries it (`--session-name`).
    pub flag: &'static str,
    /// The fewest characters.
    pub min: usize,
    /// The most characters.
    pub max: usize,
    /// The model's pattern, as AWS quotes it.
    pub pattern: &'static str,
    /// Whether the pattern needs at least one character (it ends with `+`).
    pattern_needs_one: bool,
    allowed: fn(char) -> bool,
    /// What to do about a bad value.
    pub fix: &'static str,
    /// A secret-like value AWS does not quote back in its messages.
    pub sensitive: bool,
}

/// A numeric parameter's bounds.
#[derive(Debug, Clone, Copy)]
pub struct NumberParam {
    /// The member name AWS uses in messages.
    pub field: &'static str,
    /// The command-line flag.
    pub flag: &'static str,
    /// The smallest value.
    pub min: i64,
    /// The largest value.
    pub max: i64,
    /// What to do about a bad value.
    pub fix: &'static str,
}

/// One broken constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// A character outside the pattern (1-based position), or an empty value
    /// where the pattern needs one character.
    Pattern {
        /// The first offending character and its position, if any.
        found: Option<(usize, char)>,
    },
    /// Shorter than the minimum.
    TooShort {
        /// The length in characters.
        length: usize,
    },
    /// Longer than the maximum.
    TooLong {
        /// The length in characters.
        length: usize,
    },
    /// Below the smallest value.
    Below,
    /// Above the largest value.
    Above,
}

impl TextParam {
    /// Every constraint `value` breaks, in the order AWS lists them.
    pub fn check(&self, value: &str) -> Vec<Broken> {
        let mut out = Vec::new();
        let bad = value
            .chars()
            .enumerate()
            .find(|&(_, c)| !(self.allowed)(c))
            .map(|(i, c)| (i + 1, c));
        if bad.is_some() || (self.pattern_needs_one && value.is_empty()) {
            out.push(Broken::Pattern { found: bad });
        }
        let length = value.chars().count();
        if length < self.min {
            out.push(Broken::TooShort { length });
        }
        if length > self.max {
            out.push(Broken::TooLong { length });
        }
        out
    }
}

impl TextParam {
    /// A parameter of word characters (`[\w]*`) between `min` and `max`
    /// long, with its `fix`.
    pub const fn word(
        (field, flag): (&'static str, &'static str),
        (min, max): (usize, usize),
        fix: &'static str,
    ) -> Self {
        Self {
            field,
            flag,
            min,
            max,
            pattern: r"[\w]*",
            pattern_needs_one: false,
            allowed: word,
            fix,
            sensitive: false,
        }
    }
}

impl NumberParam {
    /// The bound `value` breaks, if any.
    pub fn check(&self, value: i64) -> Option<Broken> {
        if value < self.min {
            Some(Broken::Below)
        } else if value > self.max {
            Some(Broken::Above)
        } else {
            None
        }
    }

    /// The same bounds with a lower maximum (GetFederationToken and
    /// GetSessionToken called by the root user: at most one hour).
    pub fn with_max(self, max: i64) -> Self {
        Self { max, ..self }
    }
}

/// `RoleArn`.
pub const ROLE_ARN: TextParam = TextParam {
    field: "roleArn",
    flag: "--role-arn",
    min: 20,
    max: 2048,
    pattern: r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+",
    pattern_needs_one: true,
    allowed: printable,
    fix: "pass the role's ARN, e.g. arn:aws:iam::222222222222:role/s3-viewer",
    sensitive: false,
};

/// `RoleSessionName`.
pub const ROLE_SESSION_NAME: TextParam = TextParam {
    field: "roleSessionName",
    flag: "--session-name",
    min: 2,
    max: 64,
    pattern: r"[\w+=,.@-]*",
    pattern_needs_one: false,
    allowed: |c| word(c) || "+=,.@-".contains(c),
    fix: "use 2 to 64 letters, digits or _+=,.@- (for example `my-session`)",
    sensitive: false,
};

/// `ExternalId`.
pub const EXTERNAL_ID: TextParam = TextParam {
    field: "externalId",
    flag: "--external-id",
    min: 2,
    max: 1224,
    pattern: r"[\w+=,.@:/-]*",
    pattern_needs_one: false,
    allowed: |c| word(c) || "+=,.@:/-".contains(c),
    fix: "pass the external id exactly as the role's owner gave it (2 to 1224 letters, digits or _+=,.@:/-)",
    sensitive: false,
};

/// `SerialNumber`.
pub const SERIAL_NUMBER: TextParam = TextParam {
    field: "serialNumber",
    flag: "--mfa-serial",
    min: 9,
    max: 256,
    pattern: r"[\w+=/:,.@-]*",
    pattern_needs_one: false,
    allowed: |c| word(c) || "+=/:,.@-".contains(c),
    fix: "pass the device serial (e.g. GAHT12345678) or the virtual device ARN arn:aws:iam::ACCOUNT:mfa/NAME",
    sensitive: false,
};

/// `TokenCode`.
pub const TOKEN_CODE: TextParam = TextParam {
    field: "tokenCode",
    flag: "--mfa-code",
    min: 6,
    max: 6,
    pattern: r"[\d]*",
    pattern_needs_one: false,
    allowed: |c| c.is_ascii_digit(),
    fix: "pass the six-digit code your MFA device shows now",
    sensitive: false,
};

/// `SourceIdentity`.
pub const SOURCE_IDENTITY: TextParam = TextParam {
    field: "sourceIdentity",
    flag: "--source-identity",
    min: 2,
    max: 64,
    pattern: r"[\w+=,.@-]*",
    pattern_needs_one: false,
    allowed: |c| word(c) || "+=,.@-".contains(c),
    fix: "use 2 to 64 letters, digits or _+=,.@- that name who stands behind the session (for example your user name), not starting with `aws:`",
    sensitive: false,
};

/// `Policy` (an inline session policy).
pub const POLICY: TextParam = TextParam {
    field: "policy",
    flag: "--session-policy",
    min: 1,
    max: 2048,
    pattern: r"[\u0009\u000A\u000D\u0020-\u00FF]+",
    pattern_needs_one: true,
    allowed: |c| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{ff}'),
    fix: "shorten the session policy to at most 2048 characters of printable Latin-1 text",
    sensitive: false,
};

/// `WebIdentityToken` of AssumeRoleWithWebIdentity (the model's
/// `clientTokenType`: 4 to 20,000 characters).
pub const WEB_IDENTITY_TOKEN: TextParam = TextParam {
    field: "webIdentityToken",
    flag: "--web-identity-token-file",
    min: 4,
    max: 20000,
    pattern: r"[\u0009\u000A\u000D\u0020-\u00FF]+",
    pattern_needs_one: true,
    allowed: |c| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{ff}'),
    fix: "pass the identity token exactly as the provider issued it (a JWT of 4 to 20000 characters)",
    sensitive: true,
};

/// `Name` of GetFederationToken.
pub const FEDERATED_NAME: TextParam = TextParam {
    field: "name",
    flag: "--name",
    min: 2,
    max: 32,
    pattern: r"[\w+=,.@-]*",
    pattern_needs_one: false,
    allowed: |c| word(c) || "+=,.@-".contains(c),
    fix: "use 2 to 32 letters, digits or _+=,.@-",
    sensitive: false,
};

/// The characters of a tag key or value: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`
/// (letters, separators, numbers and `_.:/=+-@`).
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// `Tags.member.N.Key`: 1 to 128 characters (IAM's `tagKeyType`).
pub const TAG_KEY: TextParam = TextParam {
    field: "key",
    flag: "--tag",
    min: 1,
    max: 128,
    pattern: r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+",
    pattern_needs_one: true,
    allowed: tag_char,
    fix: "use 1 to 128 letters, digits, spaces or _.:/=+-@ for a tag key",
    sensitive: false,
};

/// `Tags.member.N.Value`: 0 to 256 characters (IAM's `tagValueType`).
pub const TAG_VALUE: TextParam = TextParam {
    field: "value",
    flag: "--tag",
    min: 0,
    max: 256,
    pattern: r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
    pattern_needs_one: false,
    allowed: tag_char,
    fix: "use at most 256 letters, digits, spaces or _.:/=+-@ for a tag value",
    sensitive: false,
};

/// `PolicyArns.member.N.arn` (the model's `arnType`).
pub const POLICY_ARN: TextParam = TextParam {
    field: "arn",
    flag: "--policy-arn",
    min: 20,
    max: 2048,
    pattern: r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+",
    pattern_needs_one: true,
    allowed: printable,
    fix: "pass a managed policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess",
    sensitive: false,
};

/// At most this many session tags (`Tags`, `TransitiveTagKeys`).
pub const MAX_SESSION_TAGS: usize = 50;

/// At most this many managed session policies (`PolicyArns`).
pub const MAX_POLICY_ARNS: usize = 10;

/// `DurationSeconds` of AssumeRole.
pub const ASSUME_ROLE_DURATION: NumberParam = NumberParam {
    field: "durationSeconds",
    flag: "--duration-seconds",
    min: 900,
    max: 43200,
    fix: "pass a value in that range, and no more than the role's MaxSessionDuration (3600 when chaining roles)",
};

/// `DurationSeconds` of GetFederationToken and GetSessionToken (IAM users;
/// the root user is held to 3600).
pub const TOKEN_DURATION: NumberParam = NumberParam {
    field: "durationSeconds",
    flag: "--duration-seconds",
    min: 900,
    max: 129_600,
    fix: "pass 900 to 129600 seconds (at most 3600 for the root user)",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_lists_the_pattern_before_the_lengths() {
        assert_eq!(
            ROLE_ARN.check(""),
            vec![
                Broken::Pattern { found: None },
                Broken::TooShort { length: 0 }
            ]
        );
        assert_eq!(
            ROLE_SESSION_NAME.check("a b"),
            vec![Broken::Pattern {
                found: Some((2, ' '))
            }]
        );
        assert_eq!(ROLE_SESSION_NAME.check("ok-name"), vec![]);
        assert_eq!(ASSUME_ROLE_DURATION.check(899), Some(Broken::Below));
        assert_eq!(
            TOKEN_DURATION.with_max(3600).check(3601),
            Some(Broken::Above)
        );
    }
}
