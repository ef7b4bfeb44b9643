//! Condition operators and their evaluation, with IAM's missing-key rules:
//! a positive operator on an absent key is false, a negated one true,
//! `...IfExists` true, `ForAllValues` true, `ForAnyValue` false, and `Null`
//! tests presence itself.

use std::net::IpAddr;

use base64::Engine as _;
use ipnet::IpNet;
use time::OffsetDateTime;

use super::glob::glob;
use super::pattern::Pattern;
use super::piece::Piece;

/// The operator families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `String*`.
    String,
    /// `Numeric*`.
    Numeric,
    /// `Date*`.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress`, `NotIpAddress`.
    Ip,
    /// `Arn*`.
    Arn,
    /// `Null`.
    Null,
}

/// The comparison an operator makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Test {
    /// Equal (case-sensitive for strings).
    Equals,
    /// Equal ignoring case.
    EqualsIgnoreCase,
    /// Wildcard match (`*`, `?`).
    Like,
    /// Less than.
    LessThan,
    /// Less than or equal.
    LessThanEquals,
    /// Greater than.
    GreaterThan,
    /// Greater than or equal.
    GreaterThanEquals,
    /// Inside a CIDR block.
    InRange,
    /// `Null`: the key is absent (`true`) or present (`false`).
    IsNull,
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// No qualifier.
    None,
    /// Every request value must match.
    ForAllValues,
    /// At least one request value must match.
    ForAnyValue,
}

/// A parsed condition operator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The family.
    pub family: Family,
    /// The comparison.
    pub test: Test,
    /// A `...Not...` operator: true when no value matches.
    pub negated: bool,
    /// `...IfExists`.
    pub if_exists: bool,
    /// `ForAllValues:` / `ForAnyValue:`.
    pub set: SetQualifier,
}

/// Every base operator IAM defines, with its family, test and negation.
const OPERATORS: &[(&str, Family, Test, bool)] = &[
    ("StringEquals", Family::String, Test::Equals, false),
    ("StringNotEquals", Family::String, Test::Equals, true),
    (
        "StringEqualsIgnoreCase",
        Family::String,
        Test::EqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Family::String,
        Test::EqualsIgnoreCase,
        true,
    ),
    ("StringLike", Family::String, Test::Like, false),
    ("StringNotLike", Family::String, Test::Like, true),
    ("NumericEquals", Family::Numeric, Test::Equals, false),
    ("NumericNotEquals", Family::Numeric, Test::Equals, true),
    ("NumericLessThan", Family::Numeric, Test::LessThan, false),
    (
        "NumericLessThanEquals",
        Family::Numeric,
        Test::LessThanEquals,
        false,
    ),
    (
        "NumericGreaterThan",
        Family::Numeric,
        Test::GreaterThan,
        false,
    ),
    (
        "NumericGreaterThanEquals",
        Family::Numeric,
        Test::GreaterThanEquals,
        false,
    ),
    ("DateEquals", Family::Date, Test::Equals, false),
    ("DateNotEquals", Family::Date, Test::Equals, true),
    ("DateLessThan", Family::Date, Test::LessThan, false),
    (
        "DateLessThanEquals",
        Family::Date,
        Test::LessThanEquals,
        false,
    ),
    ("DateGreaterThan", Family::Date, Test::GreaterThan, false),
    (
        "DateGreaterThanEquals",
        Family::Date,
        Test::GreaterThanEquals,
        false,
    ),
    ("Bool", Family::Bool, Test::Equals, false),
    ("BinaryEquals", Family::Binary, Test::Equals, false),
    ("IpAddress", Family::Ip, Test::InRange, false),
    ("NotIpAddress", Family::Ip, Test::InRange, true),
    ("ArnEquals", Family::Arn, Test::Like, false),
    ("ArnLike", Family::Arn, Test::Like, false),
    ("ArnNotEquals", Family::Arn, Test::Like, true),
    ("ArnNotLike", Family::Arn, Test::Like, true),
    ("Null", Family::Null, Test::IsNull, false),
];

/// The names of every base operator, for error messages.
pub(crate) fn operator_names() -> impl Iterator<Item = &'static str> {
    OPERATORS.iter().map(|(name, ..)| *name)
}

/// Why an operator name is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorError {
    /// Not an IAM operator.
    Unknown(String),
    /// `NullIfExists`: IfExists is meaningless on Null.
    NullIfExists,
}

impl Operator {
    /// Parses `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
    pub fn parse(name: &str) -> Result<Self, OperatorError> {
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, rest)
        } else {
            (SetQualifier::None, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let &(_, family, test, negated) = OPERATORS
            .iter()
            .find(|(n, ..)| *n == base)
            .ok_or_else(|| OperatorError::Unknown(name.to_owned()))?;
        if family == Family::Null && if_exists {
            return Err(OperatorError::NullIfExists);
        }
        Ok(Self {
            family,
            test,
            negated,
            if_exists,
            set,
        })
    }
}

/// A policy value of a condition, compiled for its family.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, pattern or ARN pattern (with variables in 2012-10-17).
    Text(Pattern),
    /// A number.
    Number(f64),
    /// An instant, in seconds since the epoch (fractional).
    Date(f64),
    /// `true` / `false`.
    Bool(bool),
    /// Decoded bytes.
    Binary(Vec<u8>),
    /// A CIDR block.
    Cidr(IpNet),
}

/// Reads a number as IAM does (integer or decimal).
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Reads a date: W3C / ISO 8601 (`2026-01-01`, `2026-01-01T00:00:00Z`, with
/// offsets or fractions) or epoch seconds.
pub(crate) fn parse_date(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<i64>() {
        return Some(secs as f64);
    }
    let rfc = time::format_description::well_known::Rfc3339;
    if let Ok(at) = OffsetDateTime::parse(text, &rfc) {
        return Some(at.unix_timestamp_nanos() as f64 / 1e9);
    }
    if let Ok(day) = time::Date::parse(
        text,
        &time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        return Some(day.midnight().assume_utc().unix_timestamp() as f64);
    }
    // `2026-01-01T00:00:00` without a zone is read as UTC.
    let naive = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(text, &naive)
        .ok()
        .map(|at| at.assume_utc().unix_timestamp() as f64)
}

/// Reads a CIDR block; a bare address is a /32 (or /128).
pub(crate) fn parse_cidr(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Reads a base64 value.
pub(crate) fn parse_binary(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

/// Compares one request value with one policy value (the positive test).
fn test_one<'c>(
    op: &Operator,
    request: &str,
    policy: &Value,
    lookup: &dyn Fn(&str) -> Option<&'c str>,
) -> bool {
    match (op.family, policy) {
        (Family::String, Value::Text(pattern)) => {
            match (op.test, pattern.exact()) {
                (Test::Like, _) => {
                    return pattern.matches_resolved(lookup, request).unwrap_or(false);
                }
                (Test::Equals, Some(literal)) => return literal == request,
                _ => {}
            }
            let Ok(pieces) = pattern.resolve(lookup) else {
                return false;
            };
            match op.test {
                Test::EqualsIgnoreCase => {
                    let literal: String = pieces.iter().filter_map(lit).collect();
                    literal.to_lowercase() == request.to_lowercase()
                }
                _ => {
                    pieces.len() == request.chars().count()
                        && pieces
                            .iter()
                            .zip(request.chars())
                            .all(|(p, c)| lit(p) == Some(c))
                }
            }
        }
        (Family::Arn, Value::Text(pattern)) => {
            let Ok(pieces) = pattern.resolve(lookup) else {
                return false;
            };
            arn_like(&pieces, request)
        }
        (Family::Numeric, Value::Number(p)) => {
            parse_number(request).is_some_and(|r| order(op.test, r, *p))
        }
        (Family::Date, Value::Date(p)) => {
            parse_date(request).is_some_and(|r| order(op.test, r, *p))
        }
        (Family::Bool, Value::Bool(p)) => {
            request
                .trim()
                .eq_ignore_ascii_case(if *p { "true" } else { "false" })
        }
        (Family::Binary, Value::Binary(p)) => parse_binary(request).is_some_and(|r| &r == p),
        (Family::Ip, Value::Cidr(net)) => request
            .trim()
            .parse::<IpAddr>()
            .is_ok_and(|ip| net.contains(&ip)),
        _ => false,
    }
}

fn lit(piece: &Piece) -> Option<char> {
    match piece {
        Piece::Lit(c) => Some(*c),
        Piece::Star => Some('*'),
        Piece::One => Some('?'),
        Piece::Var(_) => None,
    }
}

fn order(test: Test, request: f64, policy: f64) -> bool {
    match test {
        Test::Equals => request == policy,
        Test::LessThan => request < policy,
        Test::LessThanEquals => request <= policy,
        Test::GreaterThan => request > policy,
        Test::GreaterThanEquals => request >= policy,
        _ => false,
    }
}

/// `ArnLike`: each of the six colon-separated parts matched on its own, so a
/// `*` never crosses a colon (except inside the resource part).
fn arn_like(pattern: &[Piece], request: &str) -> bool {
    let mut values = request.splitn(6, ':');
    let mut rest = pattern;
    for i in 0..6 {
        let Some(value) = values.next() else {
            return false;
        };
        let part = if i < 5 {
            let Some(at) = rest.iter().position(|p| *p == Piece::Lit(':')) else {
                return false;
            };
            let (part, after) = rest.split_at(at);
            rest = &after[1..];
            part
        } else {
            rest
        };
        if !glob(part, value) {
            return false;
        }
    }
    true
}

/// Evaluates one key of a condition: `request` is the key's values (`None`
/// when absent), `values` the policy's values for it.
pub(crate) fn evaluate<'c>(
    op: &Operator,
    request: Option<&[String]>,
    values: &[Value],
    lookup: &dyn Fn(&str) -> Option<&'c str>,
) -> bool {
    if op.family == Family::Null {
        return match op.set {
            SetQualifier::ForAllValues => true,
            SetQualifier::ForAnyValue => false,
            SetQualifier::None => {
                let absent = request.is_none_or(<[String]>::is_empty);
                values
                    .iter()
                    .any(|v| matches!(v, Value::Bool(b) if *b == absent))
            }
        };
    }
    let any_match = |r: &str| values.iter().any(|v| test_one(op, r, v, lookup));
    // A negated operator holds for a request value that matches no policy value.
    let holds = |r: &str| any_match(r) != op.negated;
    match (op.set, request) {
        (SetQualifier::ForAllValues, None) => true,
        (SetQualifier::ForAllValues, Some(rs)) => rs.iter().all(|r| holds(r)),
        (SetQualifier::ForAnyValue, None) => op.if_exists,
        (SetQualifier::ForAnyValue, Some(rs)) => rs.iter().any(|r| holds(r)),
        (SetQualifier::None, None) => op.if_exists || op.negated,
        (SetQualifier::None, Some(rs)) if op.negated => !rs.iter().any(|r| any_match(r)),
        (SetQualifier::None, Some(rs)) => rs.iter().any(|r| any_match(r)),
    }
}
