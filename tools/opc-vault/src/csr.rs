//! Certificate requests (PKCS#10) as modules report them (`csr`: base64 DER) and operators
//! hand them over (PEM or DER files, base64 text): decoded, signature verified, subject and
//! subjectAltName read.

use std::net::IpAddr;

use base64::Engine as _;
use openssl::pkey::{Id, PKey, Public};
use openssl::x509::{X509NameRef, X509Req};
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer as _;

use crate::error::CsrError;

/// The largest request accepted (a CSR is about 1 KiB).
const MAX_CSR_BYTES: usize = 64 * 1024;

/// The smallest RSA key OPC UA's current security policies accept.
pub const MIN_RSA_BITS: u32 = 2048;

/// A decoded certificate request whose signature verified with its own key.
pub struct CertificateRequest {
    request: X509Req,
    der: Vec<u8>,
    uris: Vec<String>,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
}

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateRequest")
            .field("uris", &self.uris)
            .field("dns_names", &self.dns_names)
            .field("ip_addresses", &self.ip_addresses)
            .finish_non_exhaustive()
    }
}

impl CertificateRequest {
    /// Decodes a request given as PEM (`CERTIFICATE REQUEST`), DER, or base64 of either
    /// (what modules report), verifies its signature and reads its subjectAltName. Refuses a
    /// request without a URI (no `ApplicationUri`), with an empty subject, or with an RSA key
    /// shorter than 2048 bits.
    pub fn parse(bytes: &[u8]) -> Result<Self, CsrError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(CsrError::Empty);
        }
        if bytes.len() > MAX_CSR_BYTES {
            return Err(CsrError::Encoding(format!(
                "{} bytes is more than a CSR can be ({MAX_CSR_BYTES})",
                bytes.len()
            )));
        }
        let der = to_der(bytes)?;
        let request = X509Req::from_der(&der).map_err(|e| CsrError::Encoding(e.to_string()))?;
        let key = request
            .public_key()
            .map_err(|e| CsrError::Encoding(format!("no usable public key: {e}")))?;
        if !request.verify(&key).unwrap_or(false) {
            return Err(CsrError::Signature);
        }
        check_key(&key)?;
        if request.subject_name().entries().next().is_none() {
            return Err(CsrError::NoSubject);
        }
        let (_, parsed) = X509CertificationRequest::from_der(&der)
            .map_err(|e| CsrError::Encoding(e.to_string()))?;
        let mut csr = Self {
            request,
            der: der.clone(),
            uris: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
        };
        for extension in parsed.requested_extensions().into_iter().flatten() {
            if let ParsedExtension::SubjectAlternativeName(san) = extension {
                for name in &san.general_names {
                    match name {
                        GeneralName::URI(uri) => csr.uris.push((*uri).to_owned()),
                        GeneralName::DNSName(dns) => csr.dns_names.push((*dns).to_owned()),
                        GeneralName::IPAddress(ip) => {
                            if let Some(ip) = ip_from_bytes(ip) {
                                csr.ip_addresses.push(ip);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if csr.uris.is_empty() {
            return Err(CsrError::NoApplicationUri);
        }
        Ok(csr)
    }

    /// The `ApplicationUri`: the first URI of the subjectAltName.
    #[must_use]
    pub fn application_uri(&self) -> &str {
        self.uris.first().map_or("", String::as_str)
    }

    /// Every URI of the subjectAltName, the `ApplicationUri` first.
    #[must_use]
    pub fn uris(&self) -> &[String] {
        &self.uris
    }

    /// The DNS names of the subjectAltName.
    #[must_use]
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }

    /// The IP addresses of the subjectAltName.
    #[must_use]
    pub fn ip_addresses(&self) -> &[IpAddr] {
        &self.ip_addresses
    }

    /// The requested subject.
    #[must_use]
    pub fn subject(&self) -> &X509NameRef {
        self.request.subject_name()
    }

    /// The public key the certificate is for.
    pub fn public_key(&self) -> Result<PKey<Public>, CsrError> {
        self.request
            .public_key()
            .map_err(|e| CsrError::Encoding(e.to_string()))
    }

    /// The request's DER.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Fails unless the `ApplicationUri` is `expected`.
    pub fn check_uri(&self, expected: &str) -> Result<(), CsrError> {
        if self.application_uri() == expected {
            Ok(())
        } else {
            Err(CsrError::UriMismatch {
                requested: self.application_uri().to_owned(),
                expected: expected.to_owned(),
            })
        }
    }
}

/// PEM, DER, or base64 text of either, to DER. DER is taken byte for byte (its last byte
/// may well be a whitespace character); only text is trimmed.
fn to_der(bytes: &[u8]) -> Result<Vec<u8>, CsrError> {
    // DER starts with a SEQUENCE tag; text never does (base64 of DER starts with 'M', of PEM
    // with 'L').
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let bytes = bytes.trim_ascii();
    if bytes.starts_with(b"-----BEGIN") {
        return X509Req::from_pem(bytes)
            .and_then(|r| r.to_der())
            .map_err(|e| CsrError::Encoding(format!("PEM without a CERTIFICATE REQUEST: {e}")));
    }
    let compact: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|_| {
            let preview: String = String::from_utf8_lossy(&compact).chars().take(10).collect();
            CsrError::Encoding(format!("'{preview}...' is not base64"))
        })?;
    if decoded.first() == Some(&0x30) {
        return Ok(decoded);
    }
    let text = decoded.trim_ascii();
    if text.starts_with(b"-----BEGIN") {
        return to_der(text);
    }
    Err(CsrError::Encoding(
        "the base64 holds neither DER nor PEM".to_owned(),
    ))
}

fn check_key(key: &PKey<Public>) -> Result<(), CsrError> {
    if key.id() == Id::RSA && key.bits() < MIN_RSA_BITS {
        return Err(CsrError::WeakKey { bits: key.bits() });
    }
    Ok(())
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use pki::{SelfSignedSpec, create_csr, create_self_signed};
    use test_support::{csr_der, now, rsa_key};

    use super::*;

    fn module_csr(uri: &str) -> Vec<u8> {
        let spec = SelfSignedSpec::new(
            "CN=OpcPlc, O=Contoso",
            uri,
            vec!["plc1".into(), "10.0.0.7".into()],
        );
        let (cert, key) = create_self_signed(&spec, now()).unwrap();
        create_csr(&cert, &key, None, None).unwrap()
    }

    #[test]
    fn a_module_csr_is_read_in_every_encoding_with_its_subject_alt_name() {
        let der = module_csr("urn:OpcPlc:plc1");
        let pem = X509Req::from_der(&der).unwrap().to_pem().unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let b64_pem = base64::engine::general_purpose::STANDARD.encode(&pem);
        let wrapped: String = b64
            .as_bytes()
            .chunks(64)
            .flat_map(|c| [String::from_utf8_lossy(c).into_owned(), "\n".to_owned()])
            .collect();
        for input in [
            der.clone(),
            pem,
            b64.into_bytes(),
            b64_pem.into_bytes(),
            wrapped.into_bytes(),
        ] {
            let csr = CertificateRequest::parse(&input).unwrap();
            assert_eq!(csr.application_uri(), "urn:OpcPlc:plc1");
            assert_eq!(csr.dns_names(), ["plc1".to_owned()]);
            assert_eq!(csr.ip_addresses(), ["10.0.0.7".parse::<IpAddr>().unwrap()]);
            assert_eq!(csr.der(), der.as_slice());
        }
    }

    #[test]
    fn a_der_csr_ending_in_a_whitespace_byte_is_read_whole() {
        // The last byte of a DER CSR is the signature's: about 2 % of them are 0x09, 0x0A,
        // 0x0C, 0x0D or 0x20, which trimming text would cut off.
        let spec = SelfSignedSpec::new("CN=Ws", "urn:ws", vec![]);
        let (cert, key) = create_self_signed(&spec, now()).unwrap();
        let mut found = 0;
        for i in 0..1000 {
            let uri = format!("urn:ws:{i}");
            let der = create_csr(&cert, &key, Some(&uri), None).unwrap();
            if der.last().is_some_and(u8::is_ascii_whitespace) {
                found += 1;
                let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
                for input in [der.clone(), b64.into_bytes()] {
                    let csr = CertificateRequest::parse(&input).unwrap();
                    assert_eq!(csr.der(), der.as_slice());
                }
            }
            if found == 2 {
                return;
            }
        }
        panic!("no two DER CSRs ending in a whitespace byte in 1000 tries");
    }

    #[test]
    fn a_csr_without_a_uri_is_refused() {
        let key = rsa_key(2048);
        let der = csr_der("NoUri", None, &["host"], &key, &key);
        assert!(matches!(
            CertificateRequest::parse(&der),
            Err(CsrError::NoApplicationUri)
        ));
    }

    #[test]
    fn a_csr_signed_by_another_key_is_refused() {
        let der = csr_der(
            "Forged",
            Some("urn:forged"),
            &[],
            &rsa_key(2048),
            &rsa_key(2048),
        );
        assert!(matches!(
            CertificateRequest::parse(&der),
            Err(CsrError::Signature)
        ));
    }

    #[test]
    fn a_uri_other_than_the_expected_one_is_refused_by_name() {
        let csr = CertificateRequest::parse(&module_csr("urn:OpcPlc:plc1")).unwrap();
        assert!(csr.check_uri("urn:OpcPlc:plc1").is_ok());
        let err = csr.check_uri("urn:OpcPlc:plc2").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the CSR asks for the ApplicationUri 'urn:OpcPlc:plc1', but 'urn:OpcPlc:plc2' was expected"
        );
    }

    #[test]
    fn garbage_and_weak_keys_are_refused_with_the_reason() {
        assert!(matches!(
            CertificateRequest::parse(b"  \n"),
            Err(CsrError::Empty)
        ));
        let err = CertificateRequest::parse(b"not a csr at all!").unwrap_err();
        assert!(
            err.to_string().contains("'notacsrata...' is not base64"),
            "{err}"
        );
        let key = rsa_key(1024);
        let der = csr_der("Weak", None, &[], &key, &key);
        assert!(matches!(
            CertificateRequest::parse(&der),
            Err(CsrError::WeakKey { bits: 1024 })
        ));
    }
}
