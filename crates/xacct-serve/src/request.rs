//! One HTTP request as the endpoint sees it, and one answer: plain data, so
//! the handler is tested without sockets. What every step reads (the form
//! parameters, the `Authorization` header's parts) is parsed once, on
//! first use, and kept with the request.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::sigv4::{AuthHeader, MalformedAuth, parse_auth_header};

/// A request as the server received it. Its `Debug` shows no header value,
/// query or body: they carry signatures, session tokens and web identity
/// tokens. Set its parts before anything reads its form or `Authorization`
/// (they are parsed once); a clone parses afresh.
#[derive(Default)]
pub struct Incoming {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names lower-cased, values as the bytes sent.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: bytes::Bytes,
    /// The form parameters, once parsed (see [`Incoming::form`]).
    parsed_form: OnceLock<Vec<(String, String)>>,
    /// The `Authorization` header's parts, once parsed (see [`Incoming::auth`]).
    parsed_auth: OnceLock<Option<Result<AuthHeader, MalformedAuth>>>,
}

impl Clone for Incoming {
    fn clone(&self) -> Self {
        Self::new(
            self.method.clone(),
            self.path.clone(),
            self.query.clone(),
            self.headers.clone(),
            self.body.clone(),
        )
    }
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_len", &self.query.len())
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Incoming {
    /// Every value of a header, joined with `,` as SigV4 canonicalises them.
    pub fn header_bytes(&self, name: &str) -> Option<Vec<u8>> {
        let mut values = self.headers.iter().filter(|(k, _)| k == name);
        let (_, first) = values.next()?;
        let mut out = first.clone();
        for (_, v) in values {
            out.push(b',');
            out.extend_from_slice(v);
        }
        Some(out)
    }

    /// Every header whose name starts with `prefix` (in lower case), by
    /// the rest of its name; repeated headers joined with `,`, and each
    /// byte read as one ISO-8859-1 character, as S3 reads a metadata
    /// header (S3 User Guide, "Working with object metadata": UTF-8 bytes
    /// of `ÄMÄZÕÑ` come back as the UTF-8 of those bytes so read).
    pub fn prefixed(&self, prefix: &str) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &self.headers {
            let Some(rest) = name.strip_prefix(prefix) else {
                continue;
            };
            let value: String = value.iter().map(|&b| char::from(b)).collect();
            out.entry(rest.to_owned())
                .and_modify(|v| {
                    v.push(',');
                    v.push_str(&value);
                })
                .or_insert(value);
        }
        out
    }

    /// A header as text; `None` when absent or not UTF-8 (such a value is
    /// never valid where the endpoint reads text).
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_bytes(name)
            .and_then(|v| String::from_utf8(v).ok())
    }

    /// A request with these parts (nothing parsed yet).
    pub fn new(
        method: String,
        path: String,
        query: String,
        headers: Vec<(String, Vec<u8>)>,
        body: impl Into<bytes::Bytes>,
    ) -> Self {
        Self {
            method,
            path,
            query,
            headers,
            body: body.into(),
            ..Self::default()
        }
    }

    /// The form parameters of the query string, and of the body of a POST
    /// (parsed on first use: read the body in before asking).
    pub fn form(&self) -> &[(String, String)] {
        self.parsed_form.get_or_init(|| {
            let mut params = form(self.query.as_bytes());
            if self.method == "POST" {
                params.extend(form(&self.body));
            }
            params
        })
    }

    /// The `Authorization` header's SigV4 parts; `None` without the header
    /// (or with one that is not UTF-8), parsed on first use.
    pub fn auth(&self) -> Option<&Result<AuthHeader, MalformedAuth>> {
        self.parsed_auth
            .get_or_init(|| {
                // One signature per request: two headers (even equal ones)
                // would leave which one was checked to the parser.
                let count = self
                    .headers
                    .iter()
                    .filter(|(k, _)| k == "authorization")
                    .count();
                if count > 1 {
                    return Some(Err(MalformedAuth(format!(
                        "the request carries {count} Authorization headers; send exactly one"
                    ))));
                }
                self.header("authorization").map(|h| parse_auth_header(&h))
            })
            .as_ref()
    }
}

/// `application/x-www-form-urlencoded` pairs.
pub(super) fn form(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of a form parameter.
pub(super) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: String,
    /// A body that is not text (an object's data): sent instead of `body`.
    pub bytes: Option<bytes::Bytes>,
    /// Headers whose names are data, sent after `headers`: an object's
    /// user-defined metadata as `x-amz-meta-NAME`.
    pub user_headers: Vec<(String, String)>,
}
