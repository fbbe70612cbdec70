//! Parsed CRLs with an O(1) revoked-serial lookup.

use std::collections::HashSet;
use std::fmt;

use openssl::x509::X509Crl;
use time::OffsetDateTime;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use crate::cert::{Certificate, to_datetime, trim_serial};
use crate::input::{self, DecodeError, MAX_CRL_BYTES};
use crate::name;
use crate::thumbprint::Thumbprint;

/// A parsed certificate revocation list.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    thumbprint: Thumbprint,
    issuer: String,
    issuer_der: Vec<u8>,
    issuer_common_name: Option<String>,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    number: Option<u64>,
    authority_key_id: Option<Vec<u8>>,
    revoked: HashSet<Vec<u8>>,
}

impl Crl {
    /// Parses exactly one CRL from DER.
    pub fn from_der(der: &[u8]) -> Result<Self, DecodeError> {
        input::check_size(der, "CRL", MAX_CRL_BYTES)?;
        if input::is_pem(der) {
            return Err(invalid("PEM text where DER was expected"));
        }
        let (rest, parsed) =
            CertificateRevocationList::from_der(der).map_err(|e| invalid(&e.to_string()))?;
        if !rest.is_empty() {
            return Err(invalid(&format!("{} bytes of trailing data", rest.len())));
        }
        // openssl must read it too: the signature is verified through it later.
        X509Crl::from_der(der).map_err(|e| invalid(&e.to_string()))?;
        let crl_number = match parsed.crl_number() {
            Some(n) => {
                Some(u64::try_from(n).map_err(|_| invalid("CRL number larger than 64 bits"))?)
            }
            None => None,
        };
        let authority_key_id =
            parsed
                .extensions()
                .iter()
                .find_map(|ext| match ext.parsed_extension() {
                    ParsedExtension::AuthorityKeyIdentifier(aki) => {
                        aki.key_identifier.as_ref().map(|k| k.0.to_vec())
                    }
                    _ => None,
                });
        let revoked = parsed
            .iter_revoked_certificates()
            .map(|entry| trim_serial(entry.raw_serial()))
            .collect();
        Ok(Self {
            der: der.to_vec(),
            thumbprint: Thumbprint::of(der),
            issuer: name::dotnet_name(parsed.issuer()),
            issuer_der: parsed.issuer().as_raw().to_vec(),
            issuer_common_name: name::common_name(parsed.issuer()),
            this_update: to_datetime(parsed.last_update().timestamp()),
            next_update: parsed.next_update().map(|t| to_datetime(t.timestamp())),
            number: crl_number,
            authority_key_id,
            revoked,
        })
    }

    /// Parses a CRL given as DER or PEM (`X509 CRL` block).
    pub fn from_der_or_pem(bytes: &[u8]) -> Result<Self, DecodeError> {
        input::check_size(bytes, "CRL", MAX_CRL_BYTES)?;
        if input::is_pem(bytes) {
            let blocks = input::pem_blocks(bytes, "CRL", "X509 CRL")?;
            let first = blocks.first().map_or(&[][..], Vec::as_slice);
            return Self::from_der(first);
        }
        Self::from_der(bytes)
    }

    /// Parses a CRL from twin or command-line text: base64 of DER or PEM, or PEM text.
    pub fn from_text(text: &str) -> Result<Self, DecodeError> {
        let bytes = input::text_to_bytes(text, "CRL", MAX_CRL_BYTES)?;
        Self::from_der_or_pem(&bytes)
    }

    /// The DER encoding.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-1 of the DER (names the file in `crl/`).
    #[must_use]
    pub fn thumbprint(&self) -> Thumbprint {
        self.thumbprint
    }

    /// Issuer in .NET form.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// DER of the issuer name.
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    /// The stem of the store file name: the issuer's CN by the .NET directory store's rule
    /// (see `name::file_stem`).
    #[must_use]
    pub fn file_stem(&self) -> String {
        name::file_stem(self.issuer_common_name.as_deref())
    }

    /// `thisUpdate`.
    #[must_use]
    pub fn this_update(&self) -> OffsetDateTime {
        self.this_update
    }

    /// `nextUpdate`, if set.
    #[must_use]
    pub fn next_update(&self) -> Option<OffsetDateTime> {
        self.next_update
    }

    /// The `cRLNumber` extension, if present.
    #[must_use]
    pub fn crl_number(&self) -> Option<u64> {
        self.number
    }

    /// Number of revoked entries.
    #[must_use]
    pub fn revoked_count(&self) -> usize {
        self.revoked.len()
    }

    /// True when `cert`'s serial number is listed (hashed lookup).
    #[must_use]
    pub fn is_revoked(&self, cert: &Certificate) -> bool {
        self.revoked.contains(cert.serial())
    }

    /// True when `ca` issued this CRL: its subject is the CRL issuer, key identifiers agree
    /// when both are present, and the CRL signature verifies with its key.
    #[must_use]
    pub fn is_issued_by(&self, ca: &Certificate) -> bool {
        if self.issuer_der != ca.subject_der() {
            return false;
        }
        if let (Some(aki), Some(ski)) = (&self.authority_key_id, ca.subject_key_id())
            && aki.as_slice() != ski
        {
            return false;
        }
        self.verifies_with(ca)
    }

    /// True when the CRL signature verifies with `ca`'s public key (names not compared).
    #[must_use]
    pub fn verifies_with(&self, ca: &Certificate) -> bool {
        // Parsed again here (cheap next to the RSA check) because `X509Crl` is not `Clone`.
        X509Crl::from_der(&self.der)
            .and_then(|crl| ca.x509().public_key().and_then(|key| crl.verify(&key)))
            .unwrap_or(false)
    }

    /// True when `self` is older than `other` from the same issuer: a lower CRL number, or
    /// (when numbers are equal or absent) an earlier `thisUpdate`. Installing it would roll
    /// revocations back.
    #[must_use]
    pub fn is_older_than(&self, other: &Crl) -> bool {
        match (self.number, other.number) {
            (Some(a), Some(b)) if a != b => a < b,
            _ => self.this_update < other.this_update,
        }
    }
}

impl PartialEq for Crl {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Crl {}

impl fmt::Debug for Crl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer)
            .field("crl_number", &self.number)
            .field("this_update", &self.this_update)
            .field("revoked", &self.revoked.len())
            .finish_non_exhaustive()
    }
}

fn invalid(reason: &str) -> DecodeError {
    DecodeError::InvalidDer {
        what: "CRL",
        reason: reason.to_owned(),
    }
}
