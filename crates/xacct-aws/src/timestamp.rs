//! Times as AWS writes them: RFC 3339 (`2026-01-01T00:00:00Z`), S3's
//! milliseconds, SigV4's basic format (`20260101T000000Z`), and the range
//! they can hold (years 0 to 9999). Every conversion is total: a time
//! outside the range is refused where it enters (a scenario's clock or
//! expiry) and never panics where it is shown.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The latest time AWS's formats can write: 9999-12-31T23:59:59Z.
pub fn latest() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)
}

/// A time as a calendar date in UTC, or `None` outside years 0 to 9999.
pub fn utc(at: SystemTime) -> Option<OffsetDateTime> {
    let result = match at.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => OffsetDateTime::UNIX_EPOCH.checked_add(after.try_into().ok()?),
        Err(before) => OffsetDateTime::UNIX_EPOCH.checked_sub(before.duration().try_into().ok()?),
    };
    result.filter(|t| (0..=9999).contains(&t.year()))
}

/// Parses an RFC 3339 time.
pub fn parse(text: &str) -> Option<SystemTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(SystemTime::from)
}

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn rfc3339(at: SystemTime) -> String {
    match utc(at) {
        Some(t) => {
            let t = t.replace_nanosecond(0).unwrap_or(t);
            t.format(&Rfc3339)
                .unwrap_or_else(|_| t.unix_timestamp().to_string())
        }
        None => "(out of range)".to_owned(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as S3 writes `CreationDate`.
pub fn millis(at: SystemTime) -> String {
    let t = utc(at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `Wed, 01 Jan 2026 00:00:00 GMT`: HTTP's date (RFC 9110 IMF-fixdate),
/// as S3 writes `Last-Modified`.
pub fn http_date(at: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = utc(at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[usize::from(t.weekday().number_days_from_monday())],
        t.day(),
        MONTHS[usize::from(u8::from(t.month()) - 1)],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYYMMDDTHHMMSSZ`, SigV4's `X-Amz-Date`.
pub fn amz(at: SystemTime) -> String {
    let t = utc(at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses SigV4's `YYYYMMDDTHHMMSSZ`.
pub fn parse_amz(text: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(|t| SystemTime::from(t.assume_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdates() {
        let at = parse("2026-01-01T00:00:00Z").unwrap_or(SystemTime::UNIX_EPOCH);
        assert_eq!(http_date(at), "Thu, 01 Jan 2026 00:00:00 GMT");
    }

    #[test]
    fn formats_round_trip_and_never_panic() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_767_229_200_359);
        assert_eq!(rfc3339(at), "2026-01-01T01:00:00Z");
        assert_eq!(millis(at), "2026-01-01T01:00:00.359Z");
        assert_eq!(amz(at), "20260101T010000Z");
        assert_eq!(parse_amz("20260101T010000Z"), parse("2026-01-01T01:00:00Z"));
        assert_eq!(rfc3339(latest()), "9999-12-31T23:59:59Z");
        let beyond = latest() + Duration::from_secs(3600);
        assert_eq!(utc(beyond), None);
        assert_eq!(rfc3339(beyond), "(out of range)");
        assert_eq!(millis(beyond), "1970-01-01T00:00:00.000Z");
    }
}
