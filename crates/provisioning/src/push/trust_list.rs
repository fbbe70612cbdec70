//! `TrustListDataType` (ns=0;i=12554, OPC 10000-12 §7.8.2.7) in OPC UA Binary: the content of
//! the `TrustList` file a client reads and writes.
//!
//! Encoding (OPC 10000-6 §5.2): `UInt32 SpecifiedLists` ([`Masks`]), then four arrays of
//! `ByteString` (trusted certificates, trusted CRLs, issuer certificates, issuer CRLs), each an
//! `Int32` count (−1 a null array) followed by its elements, each an `Int32` length (−1 a null
//! `ByteString`) and its bytes; little-endian. [`TrustList::decode`] reads untrusted bytes: every
//! length is checked against the bytes that remain before anything is allocated, and the
//! whole input is bounded by the caller's `max_size`.

use pki::{StoreContents, StoreKind};

use super::{PushError, PushStatus};

/// `TrustListMasks` (OPC 10000-12 §7.8.2.8): which lists a trust list specifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Masks(u32);

impl Masks {
    /// No list.
    pub const NONE: Self = Self(0);
    /// `TrustedCertificates`.
    pub const TRUSTED_CERTIFICATES: Self = Self(1);
    /// `TrustedCrls`.
    pub const TRUSTED_CRLS: Self = Self(2);
    /// `IssuerCertificates`.
    pub const ISSUER_CERTIFICATES: Self = Self(4);
    /// `IssuerCrls`.
    pub const ISSUER_CRLS: Self = Self(8);
    /// `All`.
    pub const ALL: Self = Self(15);

    /// The masks of `bits`; `None` when a bit outside `All` is set.
    #[must_use]
    pub fn from_bits(bits: u32) -> Option<Self> {
        (bits & !Self::ALL.0 == 0).then_some(Self(bits))
    }

    /// The bits.
    #[must_use]
    pub fn bits(self) -> u32 {
        self.0
    }

    /// True when every list of `other` is specified.
    #[must_use]
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Masks {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// A `TrustListDataType`: the lists it specifies and their DER items. Lists outside
/// `specified` are empty (and say nothing about the store).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustList {
    /// Which lists this trust list specifies.
    pub specified: Masks,
    /// DER certificates of the trusted list.
    pub trusted_certificates: Vec<Vec<u8>>,
    /// DER CRLs of the trusted list.
    pub trusted_crls: Vec<Vec<u8>>,
    /// DER certificates of the issuer list.
    pub issuer_certificates: Vec<Vec<u8>>,
    /// DER CRLs of the issuer list.
    pub issuer_crls: Vec<Vec<u8>>,
}

impl TrustList {
    /// The store's lists that `masks` specifies (DER of `trusted/certs`, `trusted/crl`,
    /// `issuer/certs`, `issuer/crl`, in the store's file order); the others empty.
    #[must_use]
    pub fn from_store(contents: &StoreContents, masks: Masks) -> Self {
        let certs = |mask: Masks, kind: StoreKind| -> Vec<Vec<u8>> {
            if masks.contains(mask) {
                contents
                    .certificates(kind)
                    .iter()
                    .map(|s| s.cert.der().to_vec())
                    .collect()
            } else {
                Vec::new()
            }
        };
        let crls = |mask: Masks, kind: StoreKind| -> Vec<Vec<u8>> {
            if masks.contains(mask) {
                contents
                    .crls(kind)
                    .iter()
                    .map(|s| s.crl.der().to_vec())
                    .collect()
            } else {
                Vec::new()
            }
        };
        Self {
            specified: masks,
            trusted_certificates: certs(Masks::TRUSTED_CERTIFICATES, StoreKind::Trusted),
            trusted_crls: crls(Masks::TRUSTED_CRLS, StoreKind::Trusted),
            issuer_certificates: certs(Masks::ISSUER_CERTIFICATES, StoreKind::Issuer),
            issuer_crls: crls(Masks::ISSUER_CRLS, StoreKind::Issuer),
        }
    }

    /// The OPC UA Binary encoding. Empty lists are written as empty arrays (count 0).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let size = 4 + [
            &self.trusted_certificates,
            &self.trusted_crls,
            &self.issuer_certificates,
            &self.issuer_crls,
        ]
        .iter()
        .map(|list| 4 + list.iter().map(|item| 4 + item.len()).sum::<usize>())
        .sum::<usize>();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&self.specified.bits().to_le_bytes());
        for list in [
            &self.trusted_certificates,
            &self.trusted_crls,
            &self.issuer_certificates,
            &self.issuer_crls,
        ] {
            out.extend_from_slice(&length(list.len()).to_le_bytes());
            for item in list {
                out.extend_from_slice(&length(item.len()).to_le_bytes());
                out.extend_from_slice(item);
            }
        }
        out
    }

    /// Reads the OPC UA Binary encoding of untrusted `bytes`: `BadEncodingLimitsExceeded` over
    /// `max_size` bytes; `BadDecodingError` for truncation, a negative length other than −1,
    /// trailing bytes or a mask bit outside `All`. Null arrays and null `ByteString`s read as
    /// empty.
    pub fn decode(bytes: &[u8], max_size: usize) -> Result<Self, PushError> {
        if bytes.len() > max_size {
            return Err(PushError::new(
                PushStatus::BadEncodingLimitsExceeded,
                format!(
                    "the trust list has {} bytes, more than the {max_size} the server accepts",
                    bytes.len()
                ),
            ));
        }
        let mut reader = Reader { bytes, at: 0 };
        let bits = reader.u32("SpecifiedLists")?;
        let specified = Masks::from_bits(bits).ok_or_else(|| {
            decoding(format!(
                "SpecifiedLists 0x{bits:X} has bits outside TrustListMasks.All (0xF)"
            ))
        })?;
        let trusted_certificates = reader.byte_strings("TrustedCertificates")?;
        let trusted_crls = reader.byte_strings("TrustedCrls")?;
        let issuer_certificates = reader.byte_strings("IssuerCertificates")?;
        let issuer_crls = reader.byte_strings("IssuerCrls")?;
        if reader.at != bytes.len() {
            return Err(decoding(format!(
                "{} bytes follow the trust list",
                bytes.len() - reader.at
            )));
        }
        Ok(Self {
            specified,
            trusted_certificates,
            trusted_crls,
            issuer_certificates,
            issuer_crls,
        })
    }
}

/// An encodable length: lists longer than `i32::MAX` cannot come from a store.
fn length(len: usize) -> i32 {
    i32::try_from(len).unwrap_or(i32::MAX)
}

fn decoding(message: String) -> PushError {
    PushError::new(PushStatus::BadDecodingError, message)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], PushError> {
        let rest = self.bytes.len() - self.at;
        if n > rest {
            return Err(decoding(format!(
                "the trust list ends inside {what} at byte {} ({n} bytes needed, {rest} left)",
                self.at
            )));
        }
        let slice = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self, what: &str) -> Result<u32, PushError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// An `Int32` length: `None` for −1 (null), an error for other negatives.
    fn length(&mut self, what: &str) -> Result<Option<usize>, PushError> {
        let at = self.at;
        let value = self.u32(what)?.cast_signed();
        match value {
            -1 => Ok(None),
            n if n < 0 => Err(decoding(format!(
                "{what} has the negative length {n} at byte {at}"
            ))),
            n => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        }
    }

    fn byte_strings(&mut self, list: &str) -> Result<Vec<Vec<u8>>, PushError> {
        let Some(count) = self.length(list)? else {
            return Ok(Vec::new());
        };
        // Each element takes at least its 4-byte length: a count the remaining bytes cannot
        // hold is refused before anything is allocated for it.
        let rest = self.bytes.len() - self.at;
        if count > rest / 4 {
            return Err(decoding(format!(
                "{list} claims {count} items but only {rest} bytes remain"
            )));
        }
        let mut items = Vec::with_capacity(count);
        for index in 0..count {
            let what = format!("{list}[{index}]");
            let item = match self.length(&what)? {
                None => Vec::new(),
                Some(len) => self.take(len, &what)?.to_vec(),
            };
            items.push(item);
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn sample() -> TrustList {
        TrustList {
            specified: Masks::ALL,
            trusted_certificates: vec![b"cert-a".to_vec(), b"cert-b".to_vec()],
            trusted_crls: vec![b"crl-a".to_vec()],
            issuer_certificates: vec![],
            issuer_crls: vec![vec![]],
        }
    }

    fn int(n: i32) -> [u8; 4] {
        n.to_le_bytes()
    }

    #[test]
    fn a_trust_list_survives_its_encoding() {
        let list = sample();
        let bytes = list.encode();
        assert_eq!(TrustList::decode(&bytes, bytes.len()).unwrap(), list);
        let empty = TrustList::default();
        assert_eq!(
            empty.encode(),
            [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(TrustList::decode(&empty.encode(), 100).unwrap(), empty);
    }

    #[test]
    fn the_encoding_is_little_endian_with_int32_lengths() {
        let list = TrustList {
            specified: Masks::TRUSTED_CERTIFICATES,
            trusted_certificates: vec![vec![0xAA, 0xBB]],
            ..TrustList::default()
        };
        let mut want = Vec::new();
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&int(1));
        want.extend_from_slice(&int(2));
        want.extend_from_slice(&[0xAA, 0xBB]);
        for _ in 0..3 {
            want.extend_from_slice(&int(0));
        }
        assert_eq!(list.encode(), want);
    }

    #[test]
    fn null_arrays_and_null_byte_strings_read_as_empty() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&5u32.to_le_bytes());
        bytes.extend_from_slice(&int(1)); // one trusted certificate ...
        bytes.extend_from_slice(&int(-1)); // ... that is null
        bytes.extend_from_slice(&int(-1)); // null trusted CRLs
        bytes.extend_from_slice(&int(-1));
        bytes.extend_from_slice(&int(-1));
        let list = TrustList::decode(&bytes, 1024).unwrap();
        assert_eq!(list.specified.bits(), 5);
        assert_eq!(list.trusted_certificates, vec![Vec::<u8>::new()]);
        assert!(list.trusted_crls.is_empty());
    }

    #[test]
    fn malformed_trust_lists_are_decoding_errors() {
        let good = sample().encode();
        let code = |bytes: &[u8]| TrustList::decode(bytes, 1 << 20).unwrap_err().code;
        // Every truncation.
        for len in 0..good.len() {
            assert_eq!(code(&good[..len]), PushStatus::BadDecodingError, "{len}");
        }
        // Trailing bytes.
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(code(&trailing), PushStatus::BadDecodingError);
        // Mask bits outside All.
        let mut mask = good.clone();
        mask[0] = 0x10;
        assert_eq!(code(&mask), PushStatus::BadDecodingError);
        // A negative length other than -1, for an array and for an element.
        let mut negative = good.clone();
        negative[4..8].copy_from_slice(&int(-2));
        assert_eq!(code(&negative), PushStatus::BadDecodingError);
        let mut negative_item = good.clone();
        negative_item[8..12].copy_from_slice(&int(i32::MIN));
        assert_eq!(code(&negative_item), PushStatus::BadDecodingError);
    }

    #[test]
    fn huge_claimed_lengths_are_refused_without_allocating() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&15u32.to_le_bytes());
        bytes.extend_from_slice(&int(i32::MAX));
        let error = TrustList::decode(&bytes, 1024).unwrap_err();
        assert_eq!(error.code, PushStatus::BadDecodingError);
        assert!(error.message.contains("claims 2147483647 items"), "{error}");

        let mut bytes = Vec::new();
        bytes.extend_from_slice(&15u32.to_le_bytes());
        bytes.extend_from_slice(&int(1));
        bytes.extend_from_slice(&int(i32::MAX));
        let error = TrustList::decode(&bytes, 1024).unwrap_err();
        assert_eq!(error.code, PushStatus::BadDecodingError);
        assert!(error.message.contains("TrustedCertificates[0]"), "{error}");
    }

    #[test]
    fn a_trust_list_over_the_limit_is_refused() {
        let bytes = sample().encode();
        let error = TrustList::decode(&bytes, bytes.len() - 1).unwrap_err();
        assert_eq!(error.code, PushStatus::BadEncodingLimitsExceeded);
    }

    #[test]
    fn masks_name_the_lists() {
        assert_eq!(Masks::from_bits(16), None);
        assert_eq!(Masks::from_bits(15), Some(Masks::ALL));
        let both = Masks::TRUSTED_CERTIFICATES | Masks::ISSUER_CRLS;
        assert!(both.contains(Masks::ISSUER_CRLS));
        assert!(!both.contains(Masks::TRUSTED_CRLS));
        assert_eq!(both.bits(), 9);
    }
}
