//! One HTTP request as the endpoint sees it, and one answer: plain data, so
//! the handler is tested without sockets.

/// A request as the server received it. Its `Debug` shows no header value,
/// query or body: they carry signatures, session tokens and web identity
/// tokens.
#[derive(Clone, Default)]
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
    pub body: Vec<u8>,
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

    /// A header as text; `None` when absent or not UTF-8 (such a value is
    /// never valid where the endpoint reads text).
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_bytes(name)
            .and_then(|v| String::from_utf8(v).ok())
    }

    /// The form parameters of the query string, and of the body of a POST.
    pub fn form(&self) -> Vec<(String, String)> {
        let mut params = form(self.query.as_bytes());
        if self.method == "POST" {
            params.extend(form(&self.body));
        }
        params
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
}
