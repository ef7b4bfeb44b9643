//! Every output format of the product: the run report as text and JSON, the
//! demo narration, `xacct sim`'s results (text, JSON, JUnit), `policy eval`
//! and `policy lint`, `xacct token --output json`, and `xacct serve`'s
//! banner and request log. Commands
//! hand these data; nothing here prints a secret unless named for it.

pub mod console;
pub mod creds;
pub mod data_graph;
pub mod diagram;
pub mod diff;
pub mod drawing;
pub mod eval;
pub mod fanout;
pub mod fanout_junit;
pub mod graph;
pub mod html;
pub mod json;
pub mod layered;
pub mod lint;
pub mod narrate;
pub mod picture;
pub mod serve;
pub mod sim;
pub mod text;
pub mod token;
pub mod whose_key;

use std::time::{Duration, SystemTime};

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn timestamp(at: SystemTime) -> String {
    crate::timestamp::rfc3339(at)
}

/// Text from an endpoint or a file, safe to show on a terminal: every
/// control character (the ESC that starts a colour or cursor sequence, a
/// newline or carriage return that would forge a line) is written as its
/// escape (`\u{1b}`, `\n`), the rest as it is.
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Text for an XML attribute or element, escaped as the endpoint escapes
/// its answers (markup characters, and the control characters XML cannot
/// carry, a command's colour codes say, replaced).
pub(crate) fn xml(text: &str) -> String {
    crate::serve::xml_text(text)
}

/// A short human duration: `59m 30s`, `1h 0m`, `12h 0m`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m {}s", secs / 60, secs % 60),
        _ => format!("{}h {}m", secs / 3600, (secs % 3600) / 60),
    }
}

/// `in 1h 0m` or `expired 5m 0s ago`, relative to `now`.
pub fn relative(at: SystemTime, now: SystemTime) -> String {
    match at.duration_since(now) {
        Ok(ahead) => format!("in {}", duration(ahead)),
        Err(behind) => format!("expired {} ago", duration(behind.duration())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        assert_eq!(relative(now + Duration::from_secs(3600), now), "in 1h 0m");
        assert_eq!(
            relative(now - Duration::from_secs(90), now),
            "expired 1m 30s ago"
        );
    }
}
