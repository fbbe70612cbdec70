//! The key-derivation work a key file asks for, counted before openssl does it.
//!
//! A PFX (PKCS#12) or an encrypted PKCS#8 key states its own iteration counts: the MAC's
//! (`MacData`), each encrypted `SafeContents`' and each shrouded key's (PKCS#12 PBE, PBES1,
//! PBKDF2 parameters). openssl derives with whatever count the file says, before anything in
//! it can be checked, with or without the right password: a PFX whose MAC count is 2^31 - 1
//! keeps the reading thread busy for about half an hour (found while fuzzing the `pfx`
//! target, docs/fuzzing.md "Findings"). A store file or a command-line key must not stall a
//! module, so the counts a file shows are added up here and a file asking for more than
//! [`MAX_KDF_ITERATIONS`] in total is refused before openssl reads it.
//!
//! Every such parameter set is a SEQUENCE in which an INTEGER (the count) follows an OCTET
//! STRING (the salt); the walk counts every INTEGER in that position, in every constructed
//! value, and inside every OCTET STRING whose content is itself BER (the PFX's `authSafe`, the
//! `SafeContents`, the bags). This is the one place `pki` decodes DER itself (`der.rs`
//! encodes only): it reads tags and lengths, nothing else, and is fuzzed with the `pfx`
//! target. What it cannot see: the counts inside an *encrypted* `SafeContents`, which only
//! exist after its (bounded) decryption with the right password.

/// The most key-derivation iterations a key file may ask for, all counts added: well under a
/// second of openssl's work. The PFX files .NET (3 × 2000) and OpenSSL 3 (3 × 2048) write ask
/// for about 0.6 % of it.
pub const MAX_KDF_ITERATIONS: u64 = 1_000_000;

/// Nesting deeper than this is refused (openssl's own limit is 30 constructed levels).
const MAX_DEPTH: usize = 64;

const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const OCTET_STRING_CONSTRUCTED: u8 = 0x24;
const CONSTRUCTED: u8 = 0x20;

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    /// The counts add up to more than [`MAX_KDF_ITERATIONS`] (saturating).
    Iterations(u64),
    /// Nested deeper than [`MAX_DEPTH`].
    Depth,
}

/// Adds up the iteration counts `der` shows; `Err` when they exceed the limit. Bytes that are
/// not BER are left to openssl to refuse.
pub(crate) fn check(der: &[u8]) -> Result<u64, Excess> {
    let mut total = 0;
    walk(der, 0, &mut total)?;
    Ok(total)
}

/// One element: its tag, its content (for an indefinite length, the content up to and
/// without the end-of-contents octets), and the bytes after it.
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
    rest: &'a [u8],
}

/// Reads one element; `None` when `bytes` does not start with one.
fn element(bytes: &[u8], depth: usize) -> Option<Element<'_>> {
    let (&tag, after_tag) = bytes.split_first()?;
    if tag & 0x1F == 0x1F {
        return None; // high tag numbers never occur in these structures
    }
    let (&first, after_len) = after_tag.split_first()?;
    if first == 0x80 {
        // Indefinite length (BER, some PFX writers): constructed only, ends at 00 00.
        if tag & CONSTRUCTED == 0 || depth > MAX_DEPTH {
            return None;
        }
        let mut inner = after_len;
        loop {
            if let [0, 0, rest @ ..] = inner {
                let len = after_len.len() - inner.len();
                return Some(Element {
                    tag,
                    content: &after_len[..len],
                    rest,
                });
            }
            inner = element(inner, depth + 1)?.rest;
        }
    }
    let (len, body) = if first & 0x80 == 0 {
        (usize::from(first), after_len)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 || after_len.len() < n {
            return None;
        }
        let len = after_len[..n]
            .iter()
            .fold(0_usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &after_len[n..])
    };
    if body.len() < len {
        return None;
    }
    Some(Element {
        tag,
        content: &body[..len],
        rest: &body[len..],
    })
}

/// The value of a non-negative INTEGER's content; saturates, negative counts as 0 (openssl
/// then derives once).
fn count(content: &[u8]) -> u64 {
    match content.first() {
        None => 0,
        Some(b) if b & 0x80 != 0 => 0,
        Some(_) => {
            let significant: &[u8] = {
                let skip = content.iter().take_while(|b| **b == 0).count();
                &content[skip..]
            };
            if significant.len() > 8 {
                return u64::MAX;
            }
            significant
                .iter()
                .fold(0_u64, |acc, b| (acc << 8) | u64::from(*b))
        }
    }
}

/// Walks the elements of `bytes` in order, adding the counts found to `total`.
fn walk(bytes: &[u8], depth: usize, total: &mut u64) -> Result<(), Excess> {
    if depth > MAX_DEPTH {
        return Err(Excess::Depth);
    }
    let mut rest = bytes;
    let mut after_salt = false;
    while !rest.is_empty() {
        let Some(e) = element(rest, depth) else {
            return Ok(()); // not BER from here: nothing openssl would derive from
        };
        if e.tag == INTEGER && after_salt {
            *total = total.saturating_add(count(e.content));
            if *total > MAX_KDF_ITERATIONS {
                return Err(Excess::Iterations(*total));
            }
        }
        match e.tag {
            OCTET_STRING => walk(e.content, depth + 1, total)?,
            OCTET_STRING_CONSTRUCTED => {
                // BER segments: the value is their concatenation.
                let mut joined = Vec::new();
                let mut segments = e.content;
                while let Some(s) = element(segments, depth + 1) {
                    joined.extend_from_slice(s.content);
                    segments = s.rest;
                }
                walk(&joined, depth + 1, total)?;
            }
            tag if tag & CONSTRUCTED != 0 => walk(e.content, depth + 1, total)?,
            _ => {}
        }
        after_salt = matches!(e.tag, OCTET_STRING | OCTET_STRING_CONSTRUCTED);
        rest = e.rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::{integer_u64, sequence, tag, tlv};

    fn mac_data(iterations: &[u8]) -> Vec<u8> {
        let digest = sequence(&[&sequence(&[]), &tlv(tag::OCTET_STRING, &[1; 20])]);
        sequence(&[
            &digest,
            &tlv(tag::OCTET_STRING, &[2; 8]),
            &tlv(tag::INTEGER, iterations),
        ])
    }

    #[test]
    fn counts_follow_salts_at_any_depth_and_inside_octet_strings() {
        let pbe = |n: u64| sequence(&[&tlv(tag::OCTET_STRING, &[3; 8]), &integer_u64(n)]);
        let nested = tlv(tag::OCTET_STRING, &sequence(&[&pbe(2000), &pbe(2000)]));
        let pfx = sequence(&[&integer_u64(3), &nested, &mac_data(&[0x07, 0xD0])]);
        assert_eq!(check(&pfx), Ok(6000));
        // An INTEGER not after a salt (the PFX version) is not a count.
        assert_eq!(check(&sequence(&[&integer_u64(5_000_000)])), Ok(0));
    }

    #[test]
    fn a_count_beyond_the_limit_is_refused_whatever_its_encoding() {
        let huge = mac_data(&[0x7F, 0xFF, 0xFF, 0xFF]);
        assert_eq!(check(&huge), Err(Excess::Iterations(0x7FFF_FFFF)));
        let long = mac_data(&[0x01; 20]);
        assert_eq!(check(&long), Err(Excess::Iterations(u64::MAX)));
        // Negative: openssl derives once.
        assert_eq!(check(&mac_data(&[0xFF])), Ok(0));
        // Many small counts add up.
        let many: Vec<Vec<u8>> = (0..11).map(|_| mac_data(&[0x01, 0x86, 0xA0])).collect();
        let refs: Vec<&[u8]> = many.iter().map(Vec::as_slice).collect();
        assert_eq!(check(&sequence(&refs)), Err(Excess::Iterations(1_100_000)));
    }

    #[test]
    fn indefinite_lengths_and_segmented_octet_strings_are_read() {
        // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { segments } } 00 00
        let inner = mac_data(&[0x7F, 0xFF, 0xFF, 0xFF]);
        let (a, b) = inner.split_at(5);
        let mut ber = vec![0x30, 0x80, 0x24, 0x80];
        ber.extend(tlv(tag::OCTET_STRING, a));
        ber.extend(tlv(tag::OCTET_STRING, b));
        ber.extend([0, 0, 0, 0]);
        assert_eq!(check(&ber), Err(Excess::Iterations(0x7FFF_FFFF)));
    }

    #[test]
    fn deep_nesting_is_refused_and_garbage_left_to_openssl() {
        let mut deep = integer_u64(1);
        for _ in 0..100 {
            deep = sequence(&[&deep]);
        }
        assert_eq!(check(&deep), Err(Excess::Depth));
        assert_eq!(check(b"\x30\x85\x01"), Ok(0));
        assert_eq!(check(b"not der at all"), Ok(0));
        assert_eq!(check(&[]), Ok(0));
    }
}
