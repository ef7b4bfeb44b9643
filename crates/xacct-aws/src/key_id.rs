//! What an access key id says by itself: its kind from the four-letter
//! prefix, and for keys made since AWS began encoding it, the account that
//! owns it. The encoding (described by Aidan Steele, "Decoding AWS access
//! key IDs", and by Tal Be'ery, 2023): the 16 characters after the prefix
//! are base32 of 10 bytes; the first 6 bytes, read big-endian, hold a set
//! top bit, the 12-digit account id in the 40 bits below it, and 7 more
//! bits; keys whose 5th character is `A`-`P` (top bit clear) predate it.
//! `aws sts get-access-key-info` answers from AWS's records instead.

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// What a key id says about its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAccount {
    /// The account encoded in the key id.
    Account(String),
    /// A well-formed key id from before AWS encoded the account.
    PredatesEncoding,
}

/// Why a string is not an access key id this module can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not an access key id: {reason}")]
pub struct NotAKeyId {
    /// The text given.
    pub value: String,
    /// What is wrong, and what is expected.
    pub reason: String,
}

/// What kind of credential a key id's prefix names.
pub fn kind(key_id: &str) -> &'static str {
    match key_id.get(..4) {
        Some("AKIA") => "long-term access key of an IAM user or a root user",
        Some("ASIA") => "temporary access key (an STS session)",
        Some("ABIA") => "AWS STS service bearer token",
        Some("ACCA") => "context-specific credential",
        _ => "unknown prefix",
    }
}

fn decode_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u64, 0u32);
    for c in text.bytes() {
        let v = BASE32.iter().position(|&b| b == c)?;
        acc = (acc << 5) | v as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Upper-case base32 (RFC 4648 alphabet, no padding) of `bytes`, at most
/// `len` characters.
pub fn base32(bytes: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            out.push(char::from(BASE32[((acc >> bits) & 31) as usize]));
        }
    }
    out
}

/// The account a key id carries, if it carries one.
pub fn account_of(key_id: &str) -> Result<KeyAccount, NotAKeyId> {
    let fail = |reason: &str| NotAKeyId {
        value: key_id.to_owned(),
        reason: reason.to_owned(),
    };
    if key_id.len() != 20 || !key_id.bytes().all(|b| BASE32.contains(&b)) {
        return Err(fail(
            "an access key id is 20 characters of A-Z and 2-7 (like AKIAIOSFODNN7EXAMPLE)",
        ));
    }
    let bytes = decode_base32(&key_id[4..]).ok_or_else(|| fail("not base32"))?;
    let z = bytes
        .iter()
        .take(6)
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if z & (1 << 47) == 0 {
        return Ok(KeyAccount::PredatesEncoding);
    }
    Ok(KeyAccount::Account(format!(
        "{:012}",
        (z & 0x7fff_ffff_ff80) >> 7
    )))
}

/// A key id with `prefix` that carries `account` (12 digits), the rest
/// filled from `entropy` (at least 5 bytes).
pub fn with_account(prefix: &str, account: &str, entropy: &[u8]) -> String {
    let id: u64 = account.parse().unwrap_or(0) & 0xff_ffff_ffff;
    let low = u64::from(entropy.first().copied().unwrap_or(0) & 0x7f);
    let z = (1u64 << 47) | (id << 7) | low;
    let mut bytes: Vec<u8> = z.to_be_bytes()[2..].to_vec();
    bytes.extend(entropy.iter().skip(1).take(4));
    bytes.resize(10, 0);
    format!("{prefix}{}", base32(&bytes, 16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_key_id_decodes_to_its_account() {
        // The worked example of the encoding's write-ups.
        assert_eq!(
            account_of("ASIAY34FZKBOKMUTVV7A"),
            Ok(KeyAccount::Account("609629065308".to_owned()))
        );
        assert_eq!(
            account_of("AKIAIOSFODNN7EXAMPLE"),
            Ok(KeyAccount::PredatesEncoding)
        );
        assert!(account_of("AKIA-short").is_err());
        assert!(account_of("akiaiosfodnn7example").is_err());
    }

    #[test]
    fn made_key_ids_carry_their_account() {
        for account in ["000000000001", "111111111111", "999999999999"] {
            let id = with_account("AKIA", account, &[0xff, 1, 2, 3, 4]);
            assert_eq!(id.len(), 20);
            assert_eq!(account_of(&id), Ok(KeyAccount::Account(account.to_owned())));
        }
    }
}
