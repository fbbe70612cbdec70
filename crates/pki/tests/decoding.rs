//! Decoding untrusted certificate, CRL and key input: DER, PEM, base64 of either, and the
//! precise errors for everything else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pki::{Certificate, Crl, DecodeError, KeyError, PrivateKey};
use test_support::{LeafSpec, self_signed};

const URI: &str = "urn:OpcPlc:plc1";

#[test]
fn pfx_with_a_wrong_password_is_refused() {
    let issued = self_signed(LeafSpec::server("OpcPlc", URI, "plc1"));
    let err = PrivateKey::from_bytes(&issued.pfx("right"), Some("wrong")).unwrap_err();
    assert_eq!(err, KeyError::Unsupported);
    assert_eq!(
        err.to_string(),
        "The provided format of the private key is not supported (must be PEM or PFX) or the provided cert password is wrong."
    );
    assert!(PrivateKey::from_bytes(b"garbage that is no key", None).is_err());
}

#[test]
fn certificates_decode_from_der_pem_and_base64_of_either() {
    let issued = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let der = issued.der();
    let pem = issued.pem();
    let from_der = Certificate::from_der(&der).unwrap();
    assert_eq!(Certificate::from_der_or_pem(&pem).unwrap(), from_der);
    assert_eq!(
        Certificate::from_text(&issued.base64_der()).unwrap(),
        from_der
    );
    assert_eq!(
        Certificate::from_text(std::str::from_utf8(&pem).unwrap()).unwrap(),
        from_der
    );
    let b64_pem = openssl::base64::encode_block(&pem);
    assert_eq!(Certificate::from_text(&b64_pem).unwrap(), from_der);

    // PEM where DER is required, and DER where a CRL is expected.
    assert!(matches!(
        Certificate::from_der(&pem),
        Err(DecodeError::InvalidDer { .. })
    ));
    assert!(matches!(
        Crl::from_der(&der),
        Err(DecodeError::InvalidDer { what: "CRL", .. })
    ));
}

#[test]
fn malformed_inputs_give_precise_decode_errors() {
    let issued = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let der = issued.der();
    assert_eq!(
        Certificate::from_text("%%%not base64%%%")
            .unwrap_err()
            .to_string(),
        "The provided string '%%%not bas...' is not a valid base64 string."
    );
    assert!(matches!(
        Certificate::from_der(&der[..der.len() / 2]),
        Err(DecodeError::InvalidDer {
            what: "certificate",
            ..
        })
    ));
    assert_eq!(
        Certificate::from_text("").unwrap_err(),
        DecodeError::Empty {
            what: "certificate"
        }
    );
    assert_eq!(
        Crl::from_der(b"").unwrap_err(),
        DecodeError::Empty { what: "CRL" }
    );
    let blob = vec![0x5a_u8; 1024 * 1024];
    assert!(matches!(
        Certificate::from_der(&blob),
        Err(DecodeError::TooLarge { len: 1_048_576, .. })
    ));
    assert!(matches!(
        Crl::from_der(&blob),
        Err(DecodeError::InvalidDer { .. })
    ));
    let mut trailing = der.clone();
    trailing.extend_from_slice(b"junk");
    assert!(
        Certificate::from_der(&trailing)
            .unwrap_err()
            .to_string()
            .contains("trailing data")
    );
    assert!(matches!(
        Crl::from_text("-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----"),
        Err(DecodeError::InvalidPem { .. })
    ));
}
