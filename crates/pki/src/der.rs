//! A minimal DER encoder: just what building a CRL needs (ITU-T X.690 §8, §10).
//!
//! Decoding is never done here: parsing untrusted input is `x509-parser`'s job (and openssl's);
//! the one exception, counting a key file's iterations before openssl derives with them, is
//! `kdf_limit.rs`.

use time::OffsetDateTime;

/// Universal tags used by the CRL encoder (X.690 §8.1.2).
pub(crate) mod tag {
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const ENUMERATED: u8 = 0x0A;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
}

/// Encodes one tag-length-value with a definite length (X.690 §8.1.3).
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        // Short form. The cast is lossless: len < 128.
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let significant = &bytes[skip..];
        out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// Concatenates encoded elements into a SEQUENCE.
pub(crate) fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag::SEQUENCE, &parts.concat())
}

/// Encodes a non-negative INTEGER from its big-endian magnitude (X.690 §8.3).
pub(crate) fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(magnitude.len().saturating_sub(1));
    let trimmed = &magnitude[skip..];
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.is_empty() {
        content.push(0);
    } else {
        if trimmed[0] & 0x80 != 0 {
            content.push(0);
        }
        content.extend_from_slice(trimmed);
    }
    tlv(tag::INTEGER, &content)
}

/// Encodes a `u64` as a non-negative INTEGER.
pub(crate) fn integer_u64(value: u64) -> Vec<u8> {
    unsigned_integer(&value.to_be_bytes())
}

/// Encodes an OBJECT IDENTIFIER from its arcs (X.690 §8.19).
pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    if arcs.len() >= 2 {
        push_base128(&mut content, arcs[0] * 40 + arcs[1]);
        for arc in &arcs[2..] {
            push_base128(&mut content, *arc);
        }
    }
    tlv(tag::OID, &content)
}

fn push_base128(out: &mut Vec<u8>, mut value: u64) {
    let mut groups = [0u8; 10];
    let mut n = 0;
    loop {
        groups[n] = u8::try_from(value & 0x7f).unwrap_or(0);
        value >>= 7;
        n += 1;
        if value == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let more = if i == 0 { 0 } else { 0x80 };
        out.push(groups[i] | more);
    }
}

/// Encodes a BIT STRING with no unused bits.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(tag::BIT_STRING, &content)
}

/// Encodes an OCTET STRING.
pub(crate) fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, bytes)
}

/// Encodes NULL.
pub(crate) fn null() -> Vec<u8> {
    tlv(tag::NULL, &[])
}

/// Encodes a context-specific constructed, explicitly tagged element `[n]`.
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// Encodes an X.509 `Time`: `UTCTime` through 2049, `GeneralizedTime` from 2050 (RFC 5280 §4.1.2.5).
pub(crate) fn time(at: OffsetDateTime) -> Vec<u8> {
    let at = at.to_offset(time::UtcOffset::UTC);
    let year = at.year();
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if (1950..2050).contains(&year) {
        let text = format!("{:02}{rest}", year % 100);
        tlv(tag::UTC_TIME, text.as_bytes())
    } else {
        let text = format!("{year:04}{rest}");
        tlv(tag::GENERALIZED_TIME, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_use_the_minimal_long_form() {
        let encoded = tlv(tag::OCTET_STRING, &[0u8; 300]);
        assert_eq!(&encoded[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(encoded.len(), 304);
        assert_eq!(&tlv(tag::NULL, &[])[..], &[0x05, 0x00]);
        assert_eq!(
            &tlv(tag::OCTET_STRING, &[0u8; 128])[..3],
            &[0x04, 0x81, 0x80]
        );
    }

    #[test]
    fn integers_are_minimal_and_positive() {
        assert_eq!(integer_u64(0), vec![0x02, 0x01, 0x00]);
        assert_eq!(integer_u64(127), vec![0x02, 0x01, 0x7f]);
        assert_eq!(integer_u64(128), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(
            unsigned_integer(&[0, 0, 1, 2]),
            vec![0x02, 0x02, 0x01, 0x02]
        );
        assert_eq!(unsigned_integer(&[]), vec![0x02, 0x01, 0x00]);
    }

    #[test]
    fn oids_encode_like_the_spec_example() {
        // sha256WithRSAEncryption
        assert_eq!(
            oid(&[1, 2, 840, 113_549, 1, 1, 11]),
            vec![
                0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b
            ]
        );
    }

    #[test]
    fn times_switch_to_generalized_time_in_2050() {
        let t = time::macros::datetime!(2019-10-19 22:06:46 UTC);
        assert_eq!(time(t), tlv(tag::UTC_TIME, b"191019220646Z"));
        let t = time::macros::datetime!(2050-01-01 00:00:00 UTC);
        assert_eq!(time(t), tlv(tag::GENERALIZED_TIME, b"20500101000000Z"));
    }
}
