//! A size in bytes as a flag takes it: a number, or one with a binary
//! suffix (`512MiB`, `2GiB`, `64M`, `1G`, `16KiB`).

/// Bytes from `text`, or why not.
pub(super) fn bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if scale > 0 && n > 0 => n
            .checked_mul(scale)
            .ok_or_else(|| format!("`{text}` is more bytes than this machine can count")),
        _ => Err(format!(
            "`{text}` is not a size: give a positive number of bytes, or one with a unit (64MiB, 2GiB)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(bytes("1024"), Ok(1024));
        assert_eq!(bytes("64MiB"), Ok(64 << 20));
        assert_eq!(bytes("2G"), Ok(2 << 30));
        assert!(bytes("0").is_err());
        assert!(bytes("12 parsecs").is_err());
        assert!(bytes("99999999999T").is_err());
    }
}
