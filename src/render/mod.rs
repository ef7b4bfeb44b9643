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
pub mod wrap;

use std::time::{Duration, SystemTime};

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn timestamp(at: SystemTime) -> String {
    crate::timestamp::rfc3339(at)
}

/// Text from an endpoint or a file, safe for a terminal or one log line:
/// every control character (the ESC that starts a colour or cursor
/// sequence, a newline or carriage return that would forge a line), a
/// backslash and the bidirectional overrides are written as escapes
/// (`\u{1b}`, `\n`, `\\`), the rest as it is. The one escape for every
/// string an endpoint, a listing or a cache file supplies.
pub fn terminal_safe(text: &str) -> String {
    escaped(text, false)
}

/// Text of several lines for a terminal: as [`terminal_safe`], but line
/// breaks and tabs kept, so a message that spans lines still does while a
/// remote string inside it can neither move the cursor, retitle the
/// window, clear the screen nor reorder text. Everything written to stderr
/// passes here.
pub fn terminal_lines(text: &str) -> String {
    escaped(text, true)
}

fn escaped(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c == '\\' && !keep_lines {
            out.push_str("\\\\");
        } else if keep_lines && matches!(c, '\n' | '\t') {
            out.push(c);
        } else if c.is_control() || bidi {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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
    fn one_line_escapes_every_control_character_and_many_lines_keep_their_breaks() {
        let hostile = "a\\b\n\t\u{1b}]0;x\u{7}\r\u{202e}z";
        assert_eq!(
            terminal_safe(hostile),
            r"a\\b\n\t\u{1b}]0;x\u{7}\r\u{202e}z"
        );
        assert_eq!(
            terminal_lines(hostile),
            "a\\b\n\t\\u{1b}]0;x\\u{7}\\r\\u{202e}z"
        );
    }

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
