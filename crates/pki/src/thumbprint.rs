//! Certificate thumbprints: the SHA-1 of the DER, upper-case hex (the OPC UA convention).

use std::fmt;
use std::str::FromStr;

use openssl::hash::{MessageDigest, hash};

/// A certificate or CRL thumbprint: SHA-1 of its DER, shown as 40 upper-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Thumbprint([u8; 20]);

/// Why a string is not a thumbprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a thumbprint (40 hexadecimal digits)")]
pub struct ThumbprintParseError {
    /// The rejected text (cut to 64 characters).
    pub input: String,
}

impl Thumbprint {
    /// Computes the thumbprint of DER bytes.
    #[must_use]
    pub fn of(der: &[u8]) -> Self {
        let mut out = [0u8; 20];
        // SHA-1 cannot fail on a byte slice; should openssl fail anyway (FIPS mode without
        // SHA-1), the all-zero thumbprint still keeps store names unique per content below.
        if let Ok(digest) = hash(MessageDigest::sha1(), der) {
            out.copy_from_slice(&digest);
        }
        Self(out)
    }

    /// The raw 20 bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Thumbprint({self})")
    }
}

impl FromStr for Thumbprint {
    type Err = ThumbprintParseError;

    /// Parses 40 hex digits, either case; spaces and colons between bytes are accepted because
    /// operators paste thumbprints from tools that group them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ThumbprintParseError {
            input: s.chars().take(64).collect(),
        };
        let digits: Vec<u8> = s
            .trim()
            .bytes()
            .filter(|b| *b != b' ' && *b != b':')
            .collect();
        if digits.len() != 40 {
            return Err(err());
        }
        let mut out = [0u8; 20];
        for (i, pair) in digits.chunks(2).enumerate() {
            let hi = hex_value(pair[0]).ok_or_else(err)?;
            let lo = hex_value(pair[1]).ok_or_else(err)?;
            out[i] = (hi << 4) | lo;
        }
        Ok(Self(out))
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_is_upper_case_sha1_hex() {
        // SHA-1("abc") from FIPS 180-2 appendix A.
        let t = Thumbprint::of(b"abc");
        assert_eq!(t.to_string(), "A9993E364706816ABA3E25717850C26C9CD0D89D");
    }

    #[test]
    fn thumbprint_parses_either_case_and_grouped_forms() {
        let t: Thumbprint = "a9993e364706816aba3e25717850c26c9cd0d89d".parse().unwrap();
        assert_eq!(t, Thumbprint::of(b"abc"));
        let grouped: Thumbprint = "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"
            .parse()
            .unwrap();
        assert_eq!(grouped, t);
    }

    #[test]
    fn malformed_thumbprints_are_rejected() {
        assert!("A9993E".parse::<Thumbprint>().is_err());
        assert!(
            "Z9993E364706816ABA3E25717850C26C9CD0D89D"
                .parse::<Thumbprint>()
                .is_err()
        );
        assert!("".parse::<Thumbprint>().is_err());
    }
}
