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

/// One revoked certificate entry.
#[derive(Debug, Clone)]
struct RevokedEntry {
    serial: Vec<u8>,
    revoked_at: OffsetDateTime,
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
    pub fn revoke_serial(mut self, serial: &[u8], revoked_at: OffsetDateTime) -> Self {
        self.revoked.push(RevokedEntry {
            serial: serial.to_vec(),
            revoked_at,
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
                entries.extend(der::sequence(&[
                    &der::unsigned_integer(&entry.serial),
                    &der::time(entry.revoked_at),
                ]));
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
