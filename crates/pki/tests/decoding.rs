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
fn no_password_means_the_empty_one_for_pem_as_for_pfx_and_never_a_prompt() {
    let issued = self_signed(LeafSpec::server("OpcPlc", URI, "plc1"));
    let key = PrivateKey::from_bytes(&issued.pfx(""), None).unwrap();
    let cipher = openssl::symm::Cipher::aes_256_cbc();
    let empty = key
        .pkey()
        .private_key_to_pem_pkcs8_passphrase(cipher, b"")
        .unwrap();
    // openssl's default passphrase callback (a prompt, failing without a terminal) is not used.
    let again = PrivateKey::from_bytes(&empty, None).unwrap();
    assert!(again.pkey().public_eq(key.pkey()));
    let secret = key
        .pkey()
        .private_key_to_pem_pkcs8_passphrase(cipher, b"secret")
        .unwrap();
    assert_eq!(
        PrivateKey::from_bytes(&secret, None).unwrap_err(),
        KeyError::Unsupported
    );
    assert!(PrivateKey::from_bytes(&secret, Some("secret")).is_ok());
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

/// Re-encodes `der` with every INTEGER equal to `from` replaced by `to` (through nested
/// OCTET STRINGs that hold DER), as a crafted file would state its iteration counts.
fn with_iterations(der: &[u8], from: u64, to: u64) -> Option<Vec<u8>> {
    fn header(tag: u8, len: usize) -> Vec<u8> {
        let mut out = vec![tag];
        if len < 0x80 {
            out.push(u8::try_from(len).unwrap());
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap());
            out.extend_from_slice(&bytes[skip..]);
        }
        out
    }
    let mut out = Vec::new();
    let mut rest = der;
    while !rest.is_empty() {
        let tag = rest[0];
        let first = *rest.get(1)?;
        let (len, skip) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7F);
            let len = rest
                .get(2..2 + n)?
                .iter()
                .fold(0, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + n)
        };
        let content = rest.get(skip..skip + len)?;
        let new = if tag & 0x20 != 0 {
            with_iterations(content, from, to)?
        } else if tag == 0x04 {
            with_iterations(content, from, to).unwrap_or_else(|| content.to_vec())
        } else if tag == 0x02
            && content.len() <= 8
            && content.iter().fold(0_u64, |a, b| (a << 8) | u64::from(*b)) == from
        {
            let bytes = to.to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            let mut value = bytes[skip..].to_vec();
            if value[0] & 0x80 != 0 {
                value.insert(0, 0);
            }
            value
        } else {
            content.to_vec()
        };
        out.extend(header(tag, new.len()));
        out.extend(new);
        rest = &rest[skip + len..];
    }
    Some(out)
}

#[test]
fn key_files_asking_for_endless_key_derivation_are_refused_before_it() {
    // Found while fuzzing the `pfx` target (docs/fuzzing.md, "Findings"): openssl derives with
    // the iteration counts a file states, before it can check anything, right password or not;
    // a MAC count of 2^31 - 1 takes about half an hour.
    let issued = self_signed(LeafSpec::server("OpcPlc", URI, "plc1"));
    let pfx = issued.pfx("right");
    assert!(PrivateKey::from_bytes(&pfx, Some("right")).is_ok());
    let crafted = with_iterations(&pfx, 2048, 0x7FFF_FFFF).unwrap();
    assert_ne!(crafted, pfx, "the PFX states its counts (2048 each)");
    for password in [Some("right"), Some("wrong"), None] {
        let err = PrivateKey::from_bytes(&crafted, password).unwrap_err();
        assert!(
            matches!(err, KeyError::TooManyIterations { iterations, limit }
                if iterations >= 0x7FFF_FFFF && limit == pki::MAX_KDF_ITERATIONS),
            "{err:?}"
        );
    }
    assert_eq!(
        PrivateKey::from_text(&openssl::base64::encode_block(&crafted), Some("right"))
            .unwrap_err()
            .to_string(),
        format!(
            "the private key file asks for {} key derivation iterations, more than the 1000000 allowed",
            0x7FFF_FFFF_u64
        )
    );

    // Encrypted PKCS#8 PEM: the PBKDF2 count of its parameters.
    let key = PrivateKey::from_bytes(&pfx, Some("right")).unwrap();
    let pem = key
        .pkey()
        .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_256_cbc(), b"right")
        .unwrap();
    assert!(PrivateKey::from_bytes(&pem, Some("right")).is_ok());
    let body: String = std::str::from_utf8(&pem)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = openssl::base64::decode_block(&body).unwrap();
    let crafted = with_iterations(&der, 2048, 0x7FFF_FFFF).unwrap();
    assert_ne!(crafted, der, "the key states its PBKDF2 count (2048)");
    let crafted = format!(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{}\n-----END ENCRYPTED PRIVATE KEY-----\n",
        openssl::base64::encode_block(&crafted)
    );
    let err = PrivateKey::from_bytes(crafted.as_bytes(), Some("right")).unwrap_err();
    assert!(matches!(err, KeyError::TooManyIterations { .. }), "{err:?}");
}
