//! The elements of a wildcard pattern: literal characters, `*`, `?`, and
//! policy variables.

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A literal character.
    Lit(char),
    /// `*`: any run of characters, the empty run included.
    Star,
    /// `?`: exactly one character.
    One,
    /// `${key}` or `${key, 'default'}`: the value of a single-valued context
    /// key (boxed, so a piece of a pattern stays two words).
    Var(Box<Variable>),
}

/// A policy variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The key, lower-cased (key names are case-insensitive).
    pub key: String,
    /// The value used when the key is absent.
    pub default: Option<String>,
}
