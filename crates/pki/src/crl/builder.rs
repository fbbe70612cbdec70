//! Issuing CRLs: a DER encoder for `CertificateList` (RFC 5280 §5.1) signed with openssl.
//!
//! The `openssl` crate can read CRLs but has no safe way to build one, and the CA tool
//! (`opc-vault`) and the test fixtures both need to issue them, so the few fields a CA sets
//! are encoded here.

use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKeyRef, Private};
use openssl::sign::Signer;
use openssl::x509::X509Ref;
use time::OffsetDateTime;

use crate::der;

/// Why a CRL could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum CrlBuildError {
    /// The issuer key is neither RSA nor EC, or the digest is not one of SHA-1/256/384/512.
    #[error("unsupported issuer key type or digest for CRL signing")]
    UnsupportedAlgorithm,
    /// openssl failed while encoding the issuer name or signing.
    #[error("openssl failed while issuing the CRL")]
    OpenSsl(#[from] ErrorStack),
}

/// Why a certificate was revoked: the CRL entry's `reasonCode` (RFC 5280 §5.3.1).
///
/// `unspecified` is left out of the entry, as RFC 5280 asks; `certificateHold` and
/// `removeFromCRL` are not offered: a revocation here is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrlReason {
    /// unspecified (0): no `reasonCode` extension is written.
    Unspecified,
    /// keyCompromise (1): the private key is known or suspected to be compromised.
    KeyCompromise,
    /// cACompromise (2).
    CaCompromise,
    /// affiliationChanged (3): the subject's name or other information changed.
    AffiliationChanged,
    /// superseded (4): a new certificate replaces it.
    Superseded,
    /// cessationOfOperation (5): the application is decommissioned.
    CessationOfOperation,
    /// privilegeWithdrawn (9).
    PrivilegeWithdrawn,
}

impl CrlReason {
    /// The `CRLReason` ENUMERATED value.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::CaCompromise => 2,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::PrivilegeWithdrawn => 9,
        }
    }

    /// The RFC 5280 name (`keyCompromise`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "cACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
        }
    }
}

/// One revoked certificate entry.
#[derive(Debug, Clone)]
struct RevokedEntry {
    serial: Vec<u8>,
    revoked_at: OffsetDateTime,
    reason: CrlReason,
}

/// Builds and signs a version 2 CRL for one issuing CA.
#[derive(Clone)]
pub struct CrlBuilder<'a> {
    issuer: &'a X509Ref,
    key: &'a PKeyRef<Private>,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    crl_number: Option<u64>,
    digest: MessageDigest,
    revoked: Vec<RevokedEntry>,
}

impl<'a> CrlBuilder<'a> {
    /// Starts a CRL issued by `issuer` (signed with its `key`) at `this_update`.
    #[must_use]
    pub fn new(
        issuer: &'a X509Ref,
        key: &'a PKeyRef<Private>,
        this_update: OffsetDateTime,
    ) -> Self {
        Self {
            issuer,
            key,
            this_update,
            next_update: None,
            crl_number: None,
            digest: MessageDigest::sha256(),
            revoked: Vec::new(),
        }
    }

    /// Sets `nextUpdate`.
    #[must_use]
    pub fn next_update(mut self, at: OffsetDateTime) -> Self {
        self.next_update = Some(at);
        self
    }

    /// Sets the `cRLNumber` extension (RFC 5280 §5.2.3): CAs increase it with every CRL.
    #[must_use]
    pub fn crl_number(mut self, number: u64) -> Self {
        self.crl_number = Some(number);
        self
    }

    /// Chooses the signature digest (SHA-256 by default).
    #[must_use]
    pub fn digest(mut self, digest: MessageDigest) -> Self {
        self.digest = digest;
        self
    }

    /// Adds a revoked serial number given as its big-endian magnitude.
    #[must_use]
    pub fn revoke_serial(self, serial: &[u8], revoked_at: OffsetDateTime) -> Self {
        self.revoke_serial_for(serial, revoked_at, CrlReason::Unspecified)
    }

    /// Adds a revoked serial number with the reason (a `reasonCode` entry extension unless
    /// the reason is `unspecified`).
    #[must_use]
    pub fn revoke_serial_for(
        mut self,
        serial: &[u8],
        revoked_at: OffsetDateTime,
        reason: CrlReason,
    ) -> Self {
        self.revoked.push(RevokedEntry {
            serial: serial.to_vec(),
            revoked_at,
            reason,
        });
        self
    }

    /// Adds a certificate's serial number to the revoked list.
    pub fn revoke(self, cert: &X509Ref, revoked_at: OffsetDateTime) -> Result<Self, CrlBuildError> {
        let serial = cert.serial_number().to_bn()?.to_vec();
        Ok(self.revoke_serial(&serial, revoked_at))
    }

    /// Encodes and signs the CRL; returns its DER.
    pub fn sign(&self) -> Result<Vec<u8>, CrlBuildError> {
        let algorithm = signature_algorithm(self.key, self.digest)?;
        let mut tbs_parts: Vec<Vec<u8>> = vec![
            der::integer_u64(1), // v2
            algorithm.clone(),
            self.issuer.subject_name().to_der()?,
            der::time(self.this_update),
        ];
        if let Some(next) = self.next_update {
            tbs_parts.push(der::time(next));
        }
        if !self.revoked.is_empty() {
            let mut entries = Vec::with_capacity(self.revoked.len() * 32);
            for entry in &self.revoked {
                let serial = der::unsigned_integer(&entry.serial);
                let at = der::time(entry.revoked_at);
                if entry.reason == CrlReason::Unspecified {
                    entries.extend(der::sequence(&[&serial, &at]));
                } else {
                    // crlEntryExtensions: reasonCode (2.5.29.21), an ENUMERATED.
                    let reason = der::sequence(&[
                        &der::oid(&[2, 5, 29, 21]),
                        &der::octet_string(&der::tlv(der::tag::ENUMERATED, &[entry.reason.code()])),
                    ]);
                    entries.extend(der::sequence(&[&serial, &at, &der::sequence(&[&reason])]));
                }
            }
            tbs_parts.push(der::tlv(der::tag::SEQUENCE, &entries));
        }
        let extensions = self.extensions();
        if !extensions.is_empty() {
            let refs: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
            tbs_parts.push(der::explicit(0, &der::sequence(&refs)));
        }
        let tbs_refs: Vec<&[u8]> = tbs_parts.iter().map(Vec::as_slice).collect();
        let tbs = der::sequence(&tbs_refs);

        let mut signer = Signer::new(self.digest, self.key)?;
        signer.update(&tbs)?;
        let signature = signer.sign_to_vec()?;
        Ok(der::sequence(&[
            &tbs,
            &algorithm,
            &der::bit_string(&signature),
        ]))
    }

    fn extensions(&self) -> Vec<Vec<u8>> {
        let mut extensions = Vec::new();
        // authorityKeyIdentifier (RFC 5280 §5.2.1) lets validators pick the right CA key.
        if let Some(ski) = self.issuer.subject_key_id() {
            let aki = der::sequence(&[&der::tlv(0x80, ski.as_slice())]);
            extensions.push(der::sequence(&[
                &der::oid(&[2, 5, 29, 35]),
                &der::octet_string(&aki),
            ]));
        }
        if let Some(number) = self.crl_number {
            extensions.push(der::sequence(&[
                &der::oid(&[2, 5, 29, 20]),
                &der::octet_string(&der::integer_u64(number)),
            ]));
        }
        extensions
    }
}

/// The `AlgorithmIdentifier` for the issuer key type and digest (RFC 4055, RFC 5758).
fn signature_algorithm(
    key: &PKeyRef<Private>,
    digest: MessageDigest,
) -> Result<Vec<u8>, CrlBuildError> {
    let nid = digest.type_();
    let rsa_arc = [
        (MessageDigest::sha1().type_(), 5u64),
        (MessageDigest::sha256().type_(), 11),
        (MessageDigest::sha384().type_(), 12),
        (MessageDigest::sha512().type_(), 13),
    ];
    let ec_arc = [
        (MessageDigest::sha256().type_(), 2u64),
        (MessageDigest::sha384().type_(), 3),
        (MessageDigest::sha512().type_(), 4),
    ];
    match key.id() {
        Id::RSA => {
            let arc = rsa_arc
                .iter()
                .find(|(n, _)| *n == nid)
                .map(|(_, a)| *a)
                .ok_or(CrlBuildError::UnsupportedAlgorithm)?;
            Ok(der::sequence(&[
                &der::oid(&[1, 2, 840, 113_549, 1, 1, arc]),
                &der::null(),
            ]))
        }
        Id::EC => {
            let arc = ec_arc
                .iter()
                .find(|(n, _)| *n == nid)
                .map(|(_, a)| *a)
                .ok_or(CrlBuildError::UnsupportedAlgorithm)?;
            Ok(der::sequence(&[&der::oid(&[1, 2, 840, 10_045, 4, 3, arc])]))
        }
        _ => Err(CrlBuildError::UnsupportedAlgorithm),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::x509::{ReasonCode, X509, X509Crl, X509NameBuilder};
    use time::macros::datetime;

    use super::*;

    #[test]
    fn revoked_entries_carry_their_reason_code_and_unspecified_carries_none() {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", "CA").unwrap();
        let name = name.build();
        let mut builder = X509::builder().unwrap();
        builder.set_version(2).unwrap();
        builder.set_subject_name(&name).unwrap();
        builder.set_issuer_name(&name).unwrap();
        builder.set_pubkey(&key).unwrap();
        builder
            .set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        builder
            .set_not_after(&Asn1Time::days_from_now(1).unwrap())
            .unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        let ca = builder.build();
        let at = datetime!(2026-12-01 10:00 UTC);
        let der = CrlBuilder::new(&ca, &key, at)
            .crl_number(2)
            .revoke_serial_for(&[1], at, CrlReason::KeyCompromise)
            .revoke_serial_for(&[2], at, CrlReason::Unspecified)
            .revoke_serial_for(&[3], at, CrlReason::PrivilegeWithdrawn)
            .sign()
            .unwrap();
        let crl = X509Crl::from_der(&der).unwrap();
        assert!(crl.verify(&key).unwrap());
        let mut reasons: Vec<(u32, Option<i64>)> = crl
            .get_revoked()
            .unwrap()
            .iter()
            .map(|entry| {
                let serial = entry.serial_number().to_bn().unwrap().to_dec_str().unwrap();
                let reason = entry
                    .extension::<ReasonCode>()
                    .unwrap()
                    .map(|(_, code)| code.get_i64().unwrap());
                (serial.parse().unwrap(), reason)
            })
            .collect();
        reasons.sort_unstable();
        assert_eq!(reasons, vec![(1, Some(1)), (2, None), (3, Some(9))]);
        // pki's own parser reads it back too.
        assert_eq!(crate::Crl::from_der(&der).unwrap().revoked_count(), 3);
    }
}
