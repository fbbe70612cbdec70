//! Certificate authorities for tests: [`Ca`] roots and intermediates, the leaves they issue,
//! and the CRLs they sign ([`CrlSpec`]).

use std::sync::atomic::{AtomicU64, Ordering};

use openssl::hash::MessageDigest;
use openssl::x509::X509;
use openssl::x509::extension::KeyUsage;
use pki::CrlBuilder;
use time::{Duration, OffsetDateTime};

use crate::cert::{CertParams, Issued, LeafSpec, build_cert, name};
use crate::{now, rsa_key};

/// What to put in a CA certificate.
#[derive(Clone)]
pub struct CaSpec {
    /// Subject common name.
    pub cn: String,
    /// RSA key size (default 2048).
    pub key_bits: u32,
    /// Start of validity (default one day ago).
    pub not_before: OffsetDateTime,
    /// End of validity (default five years from now).
    pub not_after: OffsetDateTime,
    /// Signature digest (default SHA-256).
    pub digest: MessageDigest,
    /// basicConstraints `pathLenConstraint`, if any (default none).
    pub path_len: Option<u32>,
}

impl CaSpec {
    /// A CA named `cn` with the defaults: 2048-bit RSA, SHA-256, valid now-1 day..now+5 years.
    #[must_use]
    pub fn new(cn: &str) -> Self {
        let now = now();
        Self {
            cn: cn.to_owned(),
            key_bits: 2048,
            not_before: now - Duration::days(1),
            not_after: now + Duration::days(5 * 365),
            digest: MessageDigest::sha256(),
            path_len: None,
        }
    }

    /// Sets the validity period.
    #[must_use]
    pub fn valid(mut self, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Sets the RSA key size.
    #[must_use]
    pub fn key_bits(mut self, bits: u32) -> Self {
        self.key_bits = bits;
        self
    }

    /// Sets the signature digest.
    #[must_use]
    pub fn digest(mut self, digest: MessageDigest) -> Self {
        self.digest = digest;
        self
    }

    /// Sets the basicConstraints `pathLenConstraint`.
    #[must_use]
    pub fn path_len(mut self, len: u32) -> Self {
        self.path_len = Some(len);
        self
    }
}

/// A certificate authority (root or intermediate).
#[derive(Debug)]
pub struct Ca {
    /// The CA certificate and its signing key.
    pub issued: Issued,
    /// The last `cRLNumber` this CA used; 0 before its first CRL.
    crl_number: AtomicU64,
}

impl Ca {
    /// A self-signed root CA named `cn` with the [`CaSpec::new`] defaults.
    #[must_use]
    pub fn root(cn: &str) -> Ca {
        Ca::root_with(CaSpec::new(cn))
    }

    /// A self-signed root CA: basicConstraints critical `CA:TRUE`, keyUsage critical
    /// keyCertSign + cRLSign + digitalSignature, SKI, and AKI (equal to SKI).
    #[must_use]
    pub fn root_with(spec: CaSpec) -> Ca {
        Ca::issue(spec, None)
    }

    /// An intermediate CA named `cn`, signed by this CA.
    #[must_use]
    pub fn intermediate(&self, cn: &str) -> Ca {
        self.intermediate_with(CaSpec::new(cn))
    }

    /// An intermediate CA signed by this CA, with the same extensions as a root.
    #[must_use]
    pub fn intermediate_with(&self, spec: CaSpec) -> Ca {
        Ca::issue(spec, Some(&self.issued))
    }

    /// A leaf certificate signed by this CA (issuer name = this subject, AKI = this SKI).
    #[must_use]
    pub fn leaf(&self, spec: LeafSpec) -> Issued {
        spec.issue(Some(&self.issued))
    }

    /// A CRL revoking `revoked`: thisUpdate now-1 hour, nextUpdate now+30 days, and the next
    /// `cRLNumber` of this CA (1, 2, 3, ...); returns its DER.
    #[must_use]
    pub fn crl(&self, revoked: &[&X509]) -> Vec<u8> {
        let number = self.crl_number.fetch_add(1, Ordering::Relaxed) + 1;
        let mut spec = CrlSpec::new(number);
        spec.revoked = revoked.iter().map(|&cert| cert.clone()).collect();
        self.sign_crl(spec)
    }

    /// A CRL exactly as `spec` says; returns its DER.
    ///
    /// Later [`Ca::crl`] calls continue numbering above `spec.number`.
    #[must_use]
    pub fn crl_with(&self, spec: CrlSpec) -> Vec<u8> {
        self.crl_number.fetch_max(spec.number, Ordering::Relaxed);
        self.sign_crl(spec)
    }

    /// The CA certificate.
    #[must_use]
    pub fn cert(&self) -> &X509 {
        &self.issued.cert
    }

    /// The CA certificate's DER.
    #[must_use]
    pub fn der(&self) -> Vec<u8> {
        self.issued.der()
    }

    /// The CA certificate's thumbprint (upper-case hex SHA-1).
    #[must_use]
    pub fn thumbprint(&self) -> String {
        self.issued.thumbprint()
    }

    fn issue(spec: CaSpec, issuer: Option<&Issued>) -> Ca {
        let CaSpec {
            cn,
            key_bits,
            not_before,
            not_after,
            digest,
            path_len,
        } = spec;
        let key = rsa_key(key_bits);
        let mut usage = KeyUsage::new();
        usage
            .critical()
            .key_cert_sign()
            .crl_sign()
            .digital_signature();
        let cert = build_cert(&CertParams {
            subject: name(&cn, None),
            key: &key,
            issuer,
            not_before,
            not_after,
            digest,
            ca: true,
            path_len,
            key_usage: Some(usage),
            extended_key_usage: &[],
            application_uri: None,
            dns_names: &[],
            ip_addresses: &[],
        })
        .expect("openssl failed to issue a test CA certificate");
        Ca {
            issued: Issued { cert, key },
            crl_number: AtomicU64::new(0),
        }
    }

    fn sign_crl(&self, spec: CrlSpec) -> Vec<u8> {
        let mut builder = CrlBuilder::new(&self.issued.cert, &self.issued.key, spec.this_update)
            .crl_number(spec.number)
            .digest(spec.digest);
        if let Some(next) = spec.next_update {
            builder = builder.next_update(next);
        }
        for cert in spec.revoked {
            // Revoked at thisUpdate: a revocation date after the CRL was issued would be odd.
            builder = builder
                .revoke(&cert, spec.this_update)
                .expect("reading a revoked serial failed");
        }
        builder.sign().expect("signing a test CRL failed")
    }
}

/// What to put in a CRL.
#[derive(Clone)]
pub struct CrlSpec {
    /// The `cRLNumber` extension.
    pub number: u64,
    /// `thisUpdate` (default one hour ago); also the revocation date of every entry.
    pub this_update: OffsetDateTime,
    /// `nextUpdate` (default 30 days from now); `None` omits it.
    pub next_update: Option<OffsetDateTime>,
    /// Certificates whose serial numbers are revoked (default none).
    pub revoked: Vec<X509>,
    /// Signature digest (default SHA-256).
    pub digest: MessageDigest,
}

impl CrlSpec {
    /// An empty CRL numbered `number`, thisUpdate now-1 hour, nextUpdate now+30 days, SHA-256.
    #[must_use]
    pub fn new(number: u64) -> Self {
        let now = now();
        Self {
            number,
            this_update: now - Duration::hours(1),
            next_update: Some(now + Duration::days(30)),
            revoked: Vec::new(),
            digest: MessageDigest::sha256(),
        }
    }

    /// Sets `thisUpdate` and `nextUpdate`.
    #[must_use]
    pub fn valid(
        mut self,
        this_update: OffsetDateTime,
        next_update: Option<OffsetDateTime>,
    ) -> Self {
        self.this_update = this_update;
        self.next_update = next_update;
        self
    }

    /// Makes the CRL stale: issued 60 days ago, nextUpdate yesterday.
    #[must_use]
    pub fn expired(self) -> Self {
        let now = now();
        self.valid(now - Duration::days(60), Some(now - Duration::days(1)))
    }

    /// Adds a revoked certificate.
    #[must_use]
    pub fn revoke(mut self, cert: &X509) -> Self {
        self.revoked.push(cert.clone());
        self
    }

    /// Sets the signature digest.
    #[must_use]
    pub fn digest(mut self, digest: MessageDigest) -> Self {
        self.digest = digest;
        self
    }
}

#[cfg(test)]
mod tests {
    use openssl::asn1::Asn1Time;
    use openssl::stack::Stack;
    use openssl::x509::store::X509StoreBuilder;
    use openssl::x509::{
        CrlNumber, CrlStatus, X509Crl, X509StoreContext, X509StoreContextRef, X509VerifyResult,
    };

    use super::*;

    fn small(cn: &str) -> CaSpec {
        CaSpec::new(cn).key_bits(1024)
    }

    fn crl_number(der: &[u8]) -> u32 {
        let crl = X509Crl::from_der(der).unwrap();
        let (critical, number) = crl.extension::<CrlNumber>().unwrap().unwrap();
        assert!(!critical);
        number
            .to_bn()
            .unwrap()
            .to_dec_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn leaf_from_intermediate_chains_to_root() {
        let root = Ca::root_with(small("Test Root"));
        let intermediate = root.intermediate_with(small("Test Intermediate"));
        let leaf = intermediate
            .leaf(LeafSpec::server("Server", "urn:test:server", "server.test").key_bits(1024));

        assert!(leaf.cert.verify(&intermediate.issued.key).unwrap());
        assert!(intermediate.cert().verify(&root.issued.key).unwrap());
        assert!(root.cert().verify(&root.issued.key).unwrap());
        assert_eq!(intermediate.cert().issued(&leaf.cert), X509VerifyResult::OK);
        assert_eq!(
            root.cert().issued(intermediate.cert()),
            X509VerifyResult::OK
        );

        // The full path validates in OpenSSL too.
        let mut store = X509StoreBuilder::new().unwrap();
        store.add_cert(root.cert().clone()).unwrap();
        let store = store.build();
        let mut chain = Stack::new().unwrap();
        chain.push(intermediate.cert().clone()).unwrap();
        let mut ctx = X509StoreContext::new().unwrap();
        let ok = ctx
            .init(&store, &leaf.cert, &chain, X509StoreContextRef::verify_cert)
            .unwrap();
        assert!(ok, "{}", ctx.error());
    }

    #[test]
    fn leaf_aki_is_issuer_ski() {
        let root = Ca::root_with(small("Root"));
        let leaf = root.leaf(LeafSpec::client("Client", "urn:test:client").key_bits(1024));
        assert_eq!(
            leaf.cert.authority_key_id().unwrap().as_slice(),
            root.cert().subject_key_id().unwrap().as_slice()
        );
        assert_eq!(
            root.cert().authority_key_id().unwrap().as_slice(),
            root.cert().subject_key_id().unwrap().as_slice()
        );
    }

    #[test]
    fn leaf_has_application_uri_and_dns_sans() {
        let root = Ca::root_with(small("Root"));
        let leaf =
            root.leaf(LeafSpec::server("Server", "urn:test:server", "server.test").key_bits(1024));
        let sans = leaf.cert.subject_alt_names().unwrap();
        assert_eq!(
            sans.iter().filter_map(|n| n.uri()).collect::<Vec<_>>(),
            ["urn:test:server"]
        );
        assert_eq!(
            sans.iter().filter_map(|n| n.dnsname()).collect::<Vec<_>>(),
            ["server.test"]
        );
        assert!(root.cert().subject_alt_names().is_none());
    }

    #[test]
    fn crl_parses_and_lists_the_revoked_serial() {
        let root = Ca::root_with(small("Root"));
        let revoked = root.leaf(LeafSpec::client("Gone", "urn:gone").key_bits(1024));
        let kept = root.leaf(LeafSpec::client("Kept", "urn:kept").key_bits(1024));

        let crl = X509Crl::from_der(&root.crl(&[&revoked.cert])).unwrap();
        assert!(crl.verify(&root.issued.key).unwrap());
        assert_eq!(
            crl.issuer_name().to_der().unwrap(),
            root.cert().subject_name().to_der().unwrap()
        );
        let entries = crl.get_revoked().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries.get(0).unwrap().serial_number().to_bn().unwrap(),
            revoked.cert.serial_number().to_bn().unwrap()
        );
        assert!(matches!(
            crl.get_by_cert(&revoked.cert),
            CrlStatus::Revoked(_)
        ));
        assert!(matches!(crl.get_by_cert(&kept.cert), CrlStatus::NotRevoked));
        let now = Asn1Time::from_unix(now().unix_timestamp()).unwrap();
        assert!(crl.last_update() < now);
        assert!(crl.next_update().unwrap() > now);
    }

    #[test]
    fn empty_crl_has_no_entries() {
        let root = Ca::root_with(small("Root"));
        let crl = X509Crl::from_der(&root.crl(&[])).unwrap();
        assert!(crl.verify(&root.issued.key).unwrap());
        assert!(crl.get_revoked().is_none());
    }

    #[test]
    fn crl_numbers_increase_per_ca() {
        let root = Ca::root_with(small("Root"));
        let other = Ca::root_with(small("Other"));
        assert_eq!(crl_number(&root.crl(&[])), 1);
        assert_eq!(crl_number(&root.crl(&[])), 2);
        assert_eq!(crl_number(&other.crl(&[])), 1);
        assert_eq!(crl_number(&root.crl_with(CrlSpec::new(10))), 10);
        assert_eq!(crl_number(&root.crl(&[])), 11);
    }

    #[test]
    fn crl_spec_without_next_update_omits_it() {
        let root = Ca::root_with(small("Root"));
        let crl = X509Crl::from_der(&root.crl_with(CrlSpec::new(1).valid(now(), None))).unwrap();
        assert!(crl.next_update().is_none());
    }

    #[test]
    fn path_len_is_written() {
        let root = Ca::root_with(small("Root").path_len(0));
        let text = String::from_utf8(root.cert().to_text().unwrap()).unwrap();
        assert!(text.contains("CA:TRUE, pathlen:0"), "{text}");
        assert!(text.contains("Certificate Sign, CRL Sign"), "{text}");
    }
}
