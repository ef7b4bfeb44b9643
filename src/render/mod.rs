//! Turning reports into text for people and JSON for scripts. Nothing here
//! can print a secret: the renderers only see [`crate::secret::Secret`] values
//! they never expose.

pub mod json;
pub mod text;

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn timestamp(at: SystemTime) -> String {
    let at = OffsetDateTime::from(at);
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
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
    fn timestamps_are_utc_whole_seconds() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_767_229_200_359);
        assert_eq!(timestamp(at), "2026-01-01T01:00:00Z");
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
