//! Wildcard patterns (`*`, `?`) with policy variables (`${aws:username}`),
//! as IAM uses them in `Action`, `Resource` and the `...Like` condition
//! operators.

use std::borrow::Cow;

use super::glob::glob;
use super::piece::{Piece, Variable};

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pieces, kept only for the general shape (the others are rebuilt
    /// from the shape when asked: most of a world's patterns are exact or
    /// prefixes, and a piece per character is many times the text).
    pieces: Box<[Piece]>,
    wildcard: bool,
    variables: bool,
    shape: Shape,
}

/// The shapes most policy patterns take, matched without walking pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// No wildcard, no variable: this exact text.
    Exact(String),
    /// Literal text then one final `*`: `s3:Get*`.
    Prefix(String),
    /// `*` alone.
    Anything,
    /// Anything else: the general matcher.
    General,
}

impl Shape {
    fn of(pieces: &[Piece]) -> Self {
        let literal = |ps: &[Piece]| -> Option<String> {
            ps.iter()
                .map(|p| match p {
                    Piece::Lit(c) => Some(*c),
                    _ => None,
                })
                .collect()
        };
        match pieces {
            [Piece::Star] => Self::Anything,
            [head @ .., Piece::Star] => literal(head).map_or(Self::General, Self::Prefix),
            all => literal(all).map_or(Self::General, Self::Exact),
        }
    }
}

/// Why a pattern could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `${` with no closing `}`.
    UnclosedVariable,
    /// `${}` or `${ , 'x'}`.
    EmptyVariable,
    /// A default that is not written `'text'`.
    BadDefault(String),
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnclosedVariable => f.write_str("a policy variable `${` has no closing `}`"),
            Self::EmptyVariable => f.write_str("a policy variable `${}` names no key"),
            Self::BadDefault(d) => write!(
                f,
                "the default `{d}` of a policy variable must be quoted: ${{key, 'default'}}"
            ),
        }
    }
}

impl Pattern {
    /// A pattern where `*` and `?` are wildcards and `${...}` is text.
    pub fn wildcard(text: &str) -> Self {
        let pieces: Vec<Piece> = text
            .chars()
            .map(|c| match c {
                '*' => Piece::Star,
                '?' => Piece::One,
                c => Piece::Lit(c),
            })
            .collect();
        Self::from_pieces(pieces)
    }

    /// A pattern where `*`, `?` and `${...}` policy variables are all live
    /// (Version 2012-10-17).
    pub fn with_variables(text: &str) -> Result<Self, PatternError> {
        let mut pieces = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("${") {
                let end = after.find('}').ok_or(PatternError::UnclosedVariable)?;
                pieces.extend(variable(&after[..end])?);
                rest = &after[end + 1..];
                continue;
            }
            pieces.push(match c {
                '*' => Piece::Star,
                '?' => Piece::One,
                c => Piece::Lit(c),
            });
            rest = &rest[c.len_utf8()..];
        }
        Ok(Self::from_pieces(pieces))
    }

    fn from_pieces(pieces: Vec<Piece>) -> Self {
        let wildcard = pieces.iter().any(|p| matches!(p, Piece::Star | Piece::One));
        let variables = pieces.iter().any(|p| matches!(p, Piece::Var(_)));
        let shape = Shape::of(&pieces);
        let pieces = if matches!(shape, Shape::General) {
            pieces.into_boxed_slice()
        } else {
            Box::default()
        };
        Self {
            shape,
            pieces,
            wildcard,
            variables,
        }
    }

    /// The pieces, rebuilt from the shape when not kept.
    fn pieces(&self) -> Cow<'_, [Piece]> {
        match &self.shape {
            Shape::General => Cow::Borrowed(&self.pieces),
            Shape::Exact(text) => Cow::Owned(text.chars().map(Piece::Lit).collect()),
            Shape::Prefix(text) => Cow::Owned(
                text.chars()
                    .map(Piece::Lit)
                    .chain(std::iter::once(Piece::Star))
                    .collect(),
            ),
            Shape::Anything => Cow::Owned(vec![Piece::Star]),
        }
    }

    /// Whether the pattern has a `*` or `?`.
    pub fn has_wildcard(&self) -> bool {
        self.wildcard
    }

    /// The variables of the pattern.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(&**v),
            _ => None,
        })
    }

    /// A copy with every character lower-cased (for case-insensitive matching).
    pub fn lowercased(&self) -> Self {
        let pieces = self
            .pieces()
            .iter()
            .flat_map(|p| match p {
                Piece::Lit(c) => c.to_lowercase().map(Piece::Lit).collect::<Vec<_>>(),
                other => vec![other.clone()],
            })
            .collect();
        Self::from_pieces(pieces)
    }

    /// The pieces with every variable replaced by its value (as literal
    /// text), or the key of the first variable that has no value.
    pub fn resolve<'c>(
        &self,
        lookup: &dyn Fn(&str) -> Option<&'c str>,
    ) -> Result<Cow<'_, [Piece]>, &str> {
        if !self.variables {
            return Ok(self.pieces());
        }
        let mut out = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Var(var) => match (lookup(&var.key), &var.default) {
                    (Some(value), _) => out.extend(value.chars().map(Piece::Lit)),
                    (None, Some(default)) => out.extend(default.chars().map(Piece::Lit)),
                    (None, None) => return Err(var.key.as_str()),
                },
                other => out.push(other.clone()),
            }
        }
        Ok(Cow::Owned(out))
    }

    /// The pattern as text, each variable that `lookup` knows replaced by
    /// its value and the others kept as `${key}` (for showing what an
    /// analysis could not decide, with what it knows filled in).
    pub fn shown<'c>(&self, lookup: &dyn Fn(&str) -> Option<&'c str>) -> String {
        let pieces = self.pieces();
        let mut out = String::with_capacity(pieces.len());
        for piece in pieces.iter() {
            match piece {
                Piece::Lit(c) => out.push(*c),
                Piece::Star => out.push('*'),
                Piece::One => out.push('?'),
                Piece::Var(var) => match lookup(&var.key) {
                    Some(value) => out.push_str(value),
                    None => match &var.default {
                        Some(d) => {
                            out.push_str("${");
                            out.push_str(&var.key);
                            out.push_str(", '");
                            out.push_str(d);
                            out.push_str("'}");
                        }
                        None => {
                            out.push_str("${");
                            out.push_str(&var.key);
                            out.push('}');
                        }
                    },
                },
            }
        }
        out
    }

    /// Matches text against a pattern without variables (variables never match).
    pub fn matches(&self, text: &str) -> bool {
        match &self.shape {
            Shape::Exact(literal) => text == literal,
            Shape::Prefix(prefix) => text.starts_with(prefix.as_str()),
            Shape::Anything => true,
            Shape::General => glob(&self.pieces, text),
        }
    }

    /// Matches text, with every variable replaced by its value first; `Err`
    /// names a variable that has no value.
    pub fn matches_resolved<'c>(
        &self,
        lookup: &dyn Fn(&str) -> Option<&'c str>,
        text: &str,
    ) -> Result<bool, &str> {
        if !self.variables {
            return Ok(self.matches(text));
        }
        let pieces = self.resolve(lookup)?;
        Ok(glob(&pieces, text))
    }

    /// The pattern's text when it has no wildcard and no variable.
    pub fn exact(&self) -> Option<&str> {
        match &self.shape {
            Shape::Exact(literal) => Some(literal),
            _ => None,
        }
    }
}

fn variable(inner: &str) -> Result<Vec<Piece>, PatternError> {
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .ok_or_else(|| PatternError::BadDefault(default.to_owned()))?;
            (key.trim(), Some(quoted.to_owned()))
        }
        None => (inner.trim(), None),
    };
    Ok(match key {
        "" => return Err(PatternError::EmptyVariable),
        "*" => vec![Piece::Lit('*')],
        "?" => vec![Piece::Lit('?')],
        "$" => vec![Piece::Lit('$')],
        key => vec![Piece::Var(Box::new(Variable {
            key: key.to_ascii_lowercase(),
            default,
        }))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_resolve_to_literal_text() {
        let p = Pattern::with_variables("arn:aws:s3:::home/${aws:username}/*")
            .unwrap_or_else(|e| panic!("{e}"));
        let lookup = |k: &str| (k == "aws:username").then_some("homes");
        let pieces = p.resolve(&lookup).unwrap_or_else(|k| panic!("{k}"));
        assert!(super::glob(&pieces, "arn:aws:s3:::home/homes/file"));
        let star = Pattern::with_variables("a${*}b").unwrap_or_else(|e| panic!("{e}"));
        assert!(star.matches("a*b"));
        assert!(!star.matches("axb"));
        let default =
            Pattern::with_variables("${aws:username, 'nobody'}").unwrap_or_else(|e| panic!("{e}"));
        assert!(super::glob(
            &default.resolve(&|_| None).unwrap_or_else(|k| panic!("{k}")),
            "nobody"
        ));
        assert_eq!(
            Pattern::with_variables("${aws:username"),
            Err(PatternError::UnclosedVariable)
        );
    }
}
