//! Certificates, CRLs, certificate requests and private keys from untrusted bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use opc_vault::CertificateRequest;
use pki::{Certificate, Crl, PrivateKey, Thumbprint};

/// Input: certificate bytes (DER or PEM; also read as text and as a DER chain).
///
/// Invariants: an accepted certificate reads back identically from its DER, its PEM and the
/// base64 of its DER (as a twin carries it); its thumbprint is the SHA-1 of that DER and
/// survives its text form; a chain's certificates are exactly the input's bytes, in order.
pub fn certificate(data: &[u8]) -> bool {
    if let Ok(chain) = Certificate::chain_from_der(data) {
        let joined: Vec<u8> = chain.iter().flat_map(|c| c.der().to_vec()).collect();
        assert_eq!(joined, data, "a chain is not its certificates' bytes");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Certificate::from_text(text);
    }
    let Ok(cert) = Certificate::from_der_or_pem(data) else {
        return false;
    };
    let same = |again: Result<Certificate, pki::DecodeError>, form: &str| match again {
        Ok(again) => {
            assert_eq!(again, cert, "the certificate differs read from its {form}");
            assert_eq!(again.subject(), cert.subject());
            assert_eq!(again.application_uris(), cert.application_uris());
        }
        Err(e) => panic!("an accepted certificate is refused from its {form}: {e}"),
    };
    same(Certificate::from_der(cert.der()), "DER");
    same(Certificate::from_der_or_pem(cert.pem().as_bytes()), "PEM");
    same(Certificate::from_text(&BASE64.encode(cert.der())), "base64");
    assert_eq!(cert.thumbprint(), Thumbprint::of(cert.der()));
    let text = cert.thumbprint().to_string();
    assert_eq!(text.parse::<Thumbprint>().ok(), Some(cert.thumbprint()));
    assert!(cert.not_before() <= cert.not_after() || !cert.is_valid_at(cert.not_before()));
    true
}

/// Input: CRL bytes (DER or PEM; also read as text).
///
/// Invariants: an accepted CRL reads back identically from its DER and the base64 of it, with
/// the same issuer, number, update times and revoked entries; its thumbprint is the SHA-1 of
/// its DER.
pub fn crl(data: &[u8]) -> bool {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Crl::from_text(text);
    }
    let Ok(crl) = Crl::from_der_or_pem(data) else {
        return false;
    };
    for (again, form) in [
        (Crl::from_der(crl.der()), "DER"),
        (Crl::from_text(&BASE64.encode(crl.der())), "base64"),
    ] {
        match again {
            Ok(again) => {
                assert_eq!(again, crl, "the CRL differs read from its {form}");
                assert_eq!(again.issuer(), crl.issuer());
                assert_eq!(again.crl_number(), crl.crl_number());
                assert_eq!(again.this_update(), crl.this_update());
                assert_eq!(again.next_update(), crl.next_update());
                assert_eq!(again.revoked_count(), crl.revoked_count());
            }
            Err(e) => panic!("an accepted CRL is refused from its {form}: {e}"),
        }
    }
    assert_eq!(crl.thumbprint(), Thumbprint::of(crl.der()));
    true
}

/// Input: a certificate request as a module reports it or an operator hands it over (PEM,
/// DER, base64 of either).
///
/// Invariants: an accepted request has an `ApplicationUri` (its first URI) and reads back
/// identically from its DER and from the base64 of it (what modules report).
pub fn csr(data: &[u8]) -> bool {
    let Ok(request) = CertificateRequest::parse(data) else {
        return false;
    };
    assert!(!request.application_uri().is_empty());
    assert_eq!(
        Some(request.application_uri()),
        request.uris().first().map(String::as_str)
    );
    for form in [
        request.der().to_vec(),
        BASE64.encode(request.der()).into_bytes(),
    ] {
        match CertificateRequest::parse(&form) {
            Ok(again) => {
                assert_eq!(again.der(), request.der());
                assert_eq!(again.uris(), request.uris());
                assert_eq!(again.dns_names(), request.dns_names());
                assert_eq!(again.ip_addresses(), request.ip_addresses());
            }
            Err(e) => panic!("an accepted request is refused once re-encoded: {e}"),
        }
    }
    true
}

/// Input: one byte choosing the password (none, empty, `fuzz`), then a private key file:
/// PKCS#12 (a .NET store's PFX) or PEM.
///
/// Invariants: an accepted key exports as PKCS#8 and reads back as the same key of the same
/// size.
pub fn pfx(data: &[u8]) -> bool {
    let Some((&choice, bytes)) = data.split_first() else {
        return false;
    };
    let password = match choice % 3 {
        0 => None,
        1 => Some(""),
        _ => Some("fuzz"),
    };
    let Ok(key) = PrivateKey::from_bytes(bytes, password) else {
        return false;
    };
    let pem = key
        .to_pkcs8_pem()
        .unwrap_or_else(|e| panic!("an accepted key does not export: {e}"));
    match PrivateKey::from_bytes(&pem, None) {
        Ok(again) => {
            assert_eq!(again.bits(), key.bits());
            assert!(
                again.pkey().public_eq(key.pkey()),
                "the key changed on export"
            );
        }
        Err(e) => panic!("an exported key does not read back: {e}"),
    }
    true
}
