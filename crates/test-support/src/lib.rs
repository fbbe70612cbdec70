//! Dev-only test fixtures for the OPC UA certificate-management crates.
//!
//! Nothing certificate-shaped is committed to the repository: every test generates what it
//! needs at run time with `openssl`, so no fixture ever expires. This crate sits beside the
//! layers it tests and is only ever a `[dev-dependencies]` entry.
//!
//! # Layout
//!
//! - [`Ca`] (`ca.rs`): root and intermediate certificate authorities built from a
//!   [`CaSpec`]; they issue leaves and CRLs ([`CrlSpec`], signed with [`pki::CrlBuilder`]).
//! - [`Issued`], [`LeafSpec`], [`self_signed`] and [`csr_der`] (`cert.rs`): application instance
//!   certificates with their keys, and every encoding tests feed to the code under test
//!   (DER, PEM, PKCS#1/#8, encrypted PKCS#8, PKCS#12), and hand-made CSRs a CA must refuse.
//! - [`TestStore`] and [`snapshot`] (`store.rs`): pre-filled OPC UA directory stores
//!   (OPC 10000-12 Annex F layout) written with `std::fs`, independent of the code under test.
//! - [`dotnet::DotnetAppStore`] (`dotnet.rs`): the store of a .NET OPC UA application (the OPC
//!   PLC) after its first start, byte formats as the .NET stack writes them
//!   (docs/reference/dotnet-directory-store.md); [`pkcs12::PfxContents`] (`pkcs12.rs`) reads a
//!   PFX the way .NET's loader does and reports its algorithms, bags and attributes.
//! - [`python::python`] (`python.rs`): the pinned Python test peers from `.venv`, failing loudly
//!   when missing.
//!
//! Fixtures panic when setup fails: a broken fixture is a broken test, not an error to handle.

// Test code: fixtures panic on setup failure by design, so unwrap/expect are the clearest way
// to say "this cannot fail unless the machine is broken", and documenting every such panic
// would be noise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

mod ca;
mod cert;
pub mod dotnet;
pub mod pkcs12;
pub mod python;
mod store;

use std::fmt::Write as _;

use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use time::OffsetDateTime;

pub use ca::{Ca, CaSpec, CrlSpec};
pub use cert::{Issued, LeafSpec, csr_der, self_signed};
pub use store::{TestStore, cert_file_stem, crl_file_name, dotnet_file_stem, snapshot};

/// The real clock in UTC, truncated to whole seconds (X.509 times have no fractions).
#[must_use]
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().truncate_to_second()
}

/// A freshly generated RSA private key of `bits` bits.
#[must_use]
pub fn rsa_key(bits: u32) -> PKey<Private> {
    let rsa = Rsa::generate(bits).expect("RSA key generation failed");
    PKey::from_rsa(rsa).expect("wrapping an RSA key failed")
}

/// A freshly generated EC private key on NIST P-256, for tests of non-RSA keys.
#[must_use]
pub fn ec_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256 is unavailable");
    let ec = EcKey::generate(&group).expect("EC key generation failed");
    PKey::from_ec_key(ec).expect("wrapping an EC key failed")
}

/// The upper-case hex SHA-1 of `der`, as OPC UA uses for certificate thumbprints.
#[must_use]
pub fn thumbprint(der: &[u8]) -> String {
    let digest = hash(MessageDigest::sha1(), der).expect("SHA-1 failed");
    digest.iter().fold(String::with_capacity(40), |mut hex, b| {
        write!(hex, "{b:02X}").expect("writing to a String cannot fail");
        hex
    })
}

/// A random positive serial number that encodes in exactly 16 DER content bytes.
///
/// 127 random bits with the top one set: the value is never zero, never negative and never
/// needs a leading zero byte, so two certificates from different runs do not collide
/// (RFC 5280 §4.1.2.2 allows up to 20 octets).
fn random_serial() -> BigNum {
    let mut serial = BigNum::new().expect("BigNum allocation failed");
    serial
        .rand(127, MsbOption::ONE, false)
        .expect("random serial generation failed");
    serial
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_has_no_fraction_of_a_second() {
        assert_eq!(now().nanosecond(), 0);
    }

    #[test]
    fn thumbprint_is_upper_case_hex_sha1() {
        // SHA-1("abc"), FIPS 180-2 Appendix A.1.
        assert_eq!(
            thumbprint(b"abc"),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
    }

    #[test]
    fn random_serials_are_sixteen_positive_bytes_and_differ() {
        let a = random_serial();
        let b = random_serial();
        assert_eq!(a.to_vec().len(), 16);
        assert!(a.to_vec()[0] < 0x80, "top bit must be clear");
        assert!(!a.is_negative());
        assert_ne!(a, b);
    }

    #[test]
    fn rsa_key_is_fresh_each_time() {
        let a = rsa_key(1024);
        let b = rsa_key(1024);
        assert_eq!(a.bits(), 1024);
        assert!(!a.public_eq(&b));
    }
}
