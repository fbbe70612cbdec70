//! The PKI store of a .NET OPC UA application (Microsoft's OPC PLC on the OPC Foundation
//! UA-.NETStandard stack) as it is after the application's first start, byte formats included:
//! [`DotnetAppStore`]. Every choice here is a fact of docs/reference/dotnet-directory-store.md,
//! reproduced without a .NET runtime.
//!
//! Written with `std::fs` and `openssl` only, never through `pki`.

use std::fs::{self, DirBuilder, OpenOptions, Permissions};
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKeyRef, Private};
use openssl::rand::rand_bytes;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509Name, X509Ref};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::cert::{Issued, common_name};
use crate::{dotnet_file_stem, now, rsa_key, thumbprint};

/// The organization `CertificateFactory` appends to a subject without `O=`.
pub const DOTNET_ORGANIZATION: &str = "OPC Foundation";
/// Iterations of every PBE and of the MAC in a PFX .NET exports on Linux.
pub const DOTNET_PFX_ITERATIONS: u32 = 2000;
/// The password the stack protects its own PFX files with: the empty string.
pub const DOTNET_PFX_PASSWORD: &str = "";
/// Mode of files the stack writes (it sets none: `0666` under the usual umask `022`).
pub const DOTNET_FILE_MODE: u32 = 0o644;
/// Mode of folders the stack creates (`0777` under umask `022`).
pub const DOTNET_DIR_MODE: u32 = 0o755;

/// Folders of the store: `own/{certs,private}` (what a first start writes) plus the empty
/// trust folders an operator's volume provides.
const DIRS: [&str; 7] = [
    "own/certs",
    "own/private",
    "trusted/certs",
    "trusted/crl",
    "issuer/certs",
    "issuer/crl",
    "rejected/certs",
];

/// A .NET application's PKI store after its first start: Annex F folders, the self-signed
/// application certificate in `own/certs/<CN> [<THUMBPRINT>].der` and its key in
/// `own/private/<CN> [<THUMBPRINT>].pfx` (the certificate with its key, as .NET's
/// `Export(Pkcs12, "")` writes it), empty `trusted`, `issuer` and `rejected`.
#[derive(Debug)]
pub struct DotnetAppStore {
    root: PathBuf,
    /// The application certificate and its key.
    pub own: Issued,
}

impl DotnetAppStore {
    /// Creates the store under `root` (created if missing) for an application whose
    /// certificate subject name is `cn` (the OPC PLC's is `OpcPlc`), as the .NET stack's
    /// `CertificateFactory`/`CertificateBuilder` would on a first start; see
    /// [`dotnet_self_signed`]. `dns_names` may hold IP addresses, as the stack's may.
    #[must_use]
    pub fn create(root: &Path, cn: &str, application_uri: &str, dns_names: &[&str]) -> Self {
        let own = dotnet_self_signed(cn, application_uri, dns_names, now());
        Self::with_own(root, own)
    }

    /// Like [`DotnetAppStore::create`], with a given application certificate and key.
    #[must_use]
    pub fn with_own(root: &Path, own: Issued) -> Self {
        for dir in DIRS {
            let path = root.join(dir);
            DirBuilder::new()
                .recursive(true)
                .mode(DOTNET_DIR_MODE)
                .create(&path)
                .expect("creating a store folder failed");
        }
        let store = Self {
            root: root.to_path_buf(),
            own,
        };
        write(&store.cert_file(), &store.own.der());
        write(
            &store.key_file(),
            &dotnet_pfx(&store.own.cert, &store.own.key),
        );
        store
    }

    /// The store root (the OPC PLC's `pki`).
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `own/certs/<stem> [<THUMBPRINT>].der`.
    #[must_use]
    pub fn cert_file(&self) -> PathBuf {
        self.root
            .join("own/certs")
            .join(format!("{}.der", dotnet_name(&self.own.cert)))
    }

    /// `own/private/<stem> [<THUMBPRINT>].pfx`.
    #[must_use]
    pub fn key_file(&self) -> PathBuf {
        self.root
            .join("own/private")
            .join(format!("{}.pfx", dotnet_name(&self.own.cert)))
    }

    /// Writes `cert` to `rejected/certs/<stem> [<THUMBPRINT>].der` as the stack's
    /// `AddRejectedAsync` does (plain DER, the folder created when missing), and returns the path.
    pub fn write_rejected(&self, cert: &X509Ref) -> PathBuf {
        let dir = self.root.join("rejected/certs");
        DirBuilder::new()
            .recursive(true)
            .mode(DOTNET_DIR_MODE)
            .create(&dir)
            .expect("creating the rejected folder failed");
        let path = dir.join(format!("{}.der", dotnet_name(cert)));
        write(&path, &cert.to_der().expect("DER encoding failed"));
        path
    }
}

/// `<stem> [<THUMBPRINT>]`, the name the .NET directory store gives `cert`'s files (RSA
/// certificates; ECDSA-signed ones would carry a curve qualifier too).
#[must_use]
pub fn dotnet_name(cert: &X509Ref) -> String {
    let der = cert.to_der().expect("DER encoding failed");
    format!(
        "{} [{}]",
        dotnet_file_stem(&common_name(cert.subject_name())),
        thumbprint(&der)
    )
}

/// The self-signed application certificate the .NET stack creates on a first start
/// (`CertificateFactory.CreateCertificate(...).SetLifeTime(12).SetRSAKeySize(2048).CreateForRSA()`):
///
/// - subject `CN=<cn>, O=OPC Foundation` (DER order: `O` then `CN`), issuer the same;
/// - RSA 2048, sha256WithRSAEncryption, a 10-byte positive random serial;
/// - valid from yesterday 00:00:00 UTC for 12 months;
/// - basicConstraints critical `CA:FALSE`; subjectKeyIdentifier; authorityKeyIdentifier with
///   key id, issuer and serial; keyUsage critical digitalSignature, nonRepudiation,
///   keyEncipherment, dataEncipherment, keyCertSign; extendedKeyUsage critical serverAuth,
///   clientAuth; subjectAltName with the URI, then the DNS names, then the IP addresses.
#[must_use]
pub fn dotnet_self_signed(
    cn: &str,
    application_uri: &str,
    dns_names: &[&str],
    now: OffsetDateTime,
) -> Issued {
    let key = rsa_key(2048);
    let mut name = X509Name::builder().expect("X509Name");
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, DOTNET_ORGANIZATION)
        .expect("O");
    name.append_entry_by_nid(Nid::COMMONNAME, cn).expect("CN");
    let name = name.build();

    let not_before = (now - Duration::days(1)).replace_time(Time::MIDNIGHT);
    let not_after = add_twelve_months(not_before);

    let mut serial = [0u8; 10];
    rand_bytes(&mut serial).expect("random serial");
    serial[0] &= 0x7f;

    let mut b = X509Builder::new().expect("X509Builder");
    b.set_version(2).expect("v3");
    b.set_serial_number(
        &BigNum::from_slice(&serial)
            .and_then(|n| n.to_asn1_integer())
            .expect("serial"),
    )
    .expect("serial");
    b.set_subject_name(&name).expect("subject");
    b.set_issuer_name(&name).expect("issuer");
    b.set_pubkey(&key).expect("public key");
    b.set_not_before(&Asn1Time::from_unix(not_before.unix_timestamp()).expect("time"))
        .expect("notBefore");
    b.set_not_after(&Asn1Time::from_unix(not_after.unix_timestamp()).expect("time"))
        .expect("notAfter");
    let ext = |r: Result<openssl::x509::X509Extension, openssl::error::ErrorStack>| {
        r.expect("building an extension failed")
    };
    b.append_extension(ext(BasicConstraints::new().critical().build()))
        .expect("basicConstraints");
    let ski = ext(SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None)));
    b.append_extension(ski).expect("SKI");
    let aki = ext(AuthorityKeyIdentifier::new()
        .keyid(true)
        .issuer(true)
        .build(&b.x509v3_context(None, None)));
    b.append_extension(aki).expect("AKI");
    b.append_extension(ext(KeyUsage::new()
        .critical()
        .digital_signature()
        .non_repudiation()
        .key_encipherment()
        .data_encipherment()
        .key_cert_sign()
        .build()))
        .expect("keyUsage");
    b.append_extension(ext(ExtendedKeyUsage::new()
        .critical()
        .server_auth()
        .client_auth()
        .build()))
        .expect("extendedKeyUsage");
    let mut san = SubjectAlternativeName::new();
    san.uri(application_uri);
    for dns in dns_names.iter().filter(|n| n.parse::<IpAddr>().is_err()) {
        san.dns(dns);
    }
    for ip in dns_names.iter().filter(|n| n.parse::<IpAddr>().is_ok()) {
        san.ip(ip);
    }
    let san = ext(san.build(&b.x509v3_context(None, None)));
    b.append_extension(san).expect("SAN");
    b.sign(&key, MessageDigest::sha256()).expect("signing");
    Issued {
        cert: b.build(),
        key,
    }
}

/// The PFX .NET's `X509Certificate2.Export(X509ContentType.Pkcs12, "")` writes on Linux for a
/// certificate with its key: key and certificate each under `pbeWithSHAAnd3-KeyTripleDES-CBC`
/// with 2000 iterations, an HMAC-SHA-1 MAC with 2000 iterations, the empty password, no
/// `friendlyName`. (.NET's `localKeyId` is `00 00 00 00`; OpenSSL writes the certificate's SHA-1.
/// The loader only compares the two bags' values.)
#[must_use]
pub fn dotnet_pfx(cert: &X509Ref, key: &PKeyRef<Private>) -> Vec<u8> {
    Pkcs12::builder()
        .pkey(key)
        .cert(cert)
        .key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
        .cert_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
        .key_iter(DOTNET_PFX_ITERATIONS)
        .mac_iter(DOTNET_PFX_ITERATIONS)
        .mac_md(MessageDigest::sha1())
        .build2(DOTNET_PFX_PASSWORD)
        .and_then(|p| p.to_der())
        .expect("building the PFX failed")
}

/// .NET's `DateTime.AddMonths(12)`: the same day a year later, Feb 29 becoming Feb 28.
fn add_twelve_months(at: OffsetDateTime) -> OffsetDateTime {
    let year = at.year() + 1;
    let day = at.day().min(at.month().length(year));
    let date = Date::from_calendar_date(year, at.month(), day).expect("a valid date");
    at.replace_date(date)
}

/// Writes a file with the stack's mode, whatever the umask.
fn write(path: &Path, bytes: &[u8]) {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(DOTNET_FILE_MODE)
        .open(path)
        .expect("creating a store file failed");
    file.write_all(bytes).expect("writing a store file failed");
    fs::set_permissions(path, Permissions::from_mode(DOTNET_FILE_MODE)).expect("chmod failed");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pkcs12::{
        EmptyPassword, OID_DATA, OID_ENCRYPTED_DATA, OID_FRIENDLY_NAME, OID_LOCAL_KEY_ID,
        OID_PBE_SHA1_3DES, OID_SHA1, OID_SHROUDED_KEY_BAG, PfxContents,
    };
    use crate::snapshot;
    use openssl::pkey::PKey;
    use time::macros::datetime;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_first_start_leaves_one_certificate_and_its_pfx_named_by_cn_and_thumbprint() {
        let dir = tempfile::tempdir().unwrap();
        let store = DotnetAppStore::create(dir.path(), "OpcPlc", "urn:OpcPlc:plc1", &["plc1"]);
        let name = format!("OpcPlc [{}]", store.own.thumbprint());
        let files = snapshot(dir.path());
        let expected = [
            Path::new("own/certs").join(format!("{name}.der")),
            Path::new("own/private").join(format!("{name}.pfx")),
        ];
        assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(files[&expected[0]], (store.own.der(), 0o644));
        assert_eq!(files[&expected[1]].1, 0o644, "the stack sets no mode");
        for sub in DIRS {
            assert!(dir.path().join(sub).is_dir(), "{sub}");
            assert_eq!(mode(&dir.path().join(sub)), 0o755, "{sub}");
        }
        assert!(
            store
                .own
                .thumbprint()
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }

    #[test]
    fn the_pfx_has_the_bytes_dotnet_exports() {
        let dir = tempfile::tempdir().unwrap();
        let store = DotnetAppStore::create(dir.path(), "OpcPlc", "urn:OpcPlc:plc1", &["plc1"]);
        let pfx = PfxContents::read(&fs::read(store.key_file()).unwrap());
        assert_eq!(pfx.version, 3);
        assert_eq!(pfx.mac_digest, OID_SHA1);
        assert_eq!(pfx.mac_iterations, 2000);
        assert_eq!(pfx.mac_password, EmptyPassword::Empty);
        let mut types = pfx.safe_content_types.clone();
        types.sort();
        assert_eq!(types, [OID_DATA, OID_ENCRYPTED_DATA]);
        assert_eq!(pfx.certs.len(), 1);
        assert_eq!(pfx.certs[0].der, store.own.der());
        let cert_alg = pfx.certs[0].safe_algorithm.as_ref().unwrap();
        assert_eq!(
            (cert_alg.oid.as_str(), cert_alg.iterations),
            (OID_PBE_SHA1_3DES, 2000)
        );
        assert_eq!(pfx.keys.len(), 1);
        let key = &pfx.keys[0];
        assert_eq!(key.bag_id, OID_SHROUDED_KEY_BAG);
        assert_eq!(key.safe_content_type, OID_DATA);
        let key_alg = key.algorithm.as_ref().unwrap();
        assert_eq!(
            (key_alg.oid.as_str(), key_alg.iterations),
            (OID_PBE_SHA1_3DES, 2000)
        );
        assert!(
            PKey::private_key_from_pkcs8(&key.pkcs8)
                .unwrap()
                .public_eq(&store.own.key)
        );
        assert!(pfx.certs[0].attribute(OID_FRIENDLY_NAME).is_none());
        assert!(key.attribute(OID_FRIENDLY_NAME).is_none());
        assert_eq!(
            pfx.certs[0].attribute(OID_LOCAL_KEY_ID),
            key.attribute(OID_LOCAL_KEY_ID)
        );
        assert!(key.attribute(OID_LOCAL_KEY_ID).is_some());
    }

    #[test]
    fn the_certificate_has_the_dotnet_profile() {
        let issued = dotnet_self_signed(
            "OpcPlc",
            "urn:OpcPlc:plc1",
            &["plc1", "10.0.0.7", "plc1.local"],
            datetime!(2026-02-28 15:30 UTC),
        );
        let cert = &issued.cert;
        let text = String::from_utf8(cert.to_text().unwrap()).unwrap();
        assert!(
            text.contains("Subject: O=OPC Foundation, CN=OpcPlc"),
            "{text}"
        );
        assert!(
            text.contains("Not Before: Feb 27 00:00:00 2026 GMT"),
            "{text}"
        );
        assert!(
            text.contains("Not After : Feb 27 00:00:00 2027 GMT"),
            "{text}"
        );
        assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
        assert!(text.contains("sha256WithRSAEncryption"), "{text}");
        assert!(
            text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"),
            "{text}"
        );
        assert!(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment, Certificate Sign"), "{text}");
        assert!(text.contains("X509v3 Extended Key Usage: critical\n                TLS Web Server Authentication, TLS Web Client Authentication"), "{text}");
        assert!(
            text.contains("URI:urn:OpcPlc:plc1, DNS:plc1, DNS:plc1.local, IP Address:10.0.0.7"),
            "{text}"
        );
        assert!(text.contains("X509v3 Authority Key Identifier"), "{text}");
        assert!(
            text.contains("DirName:/O=OPC Foundation/CN=OpcPlc"),
            "{text}"
        );
        let serial = cert.serial_number().to_bn().unwrap();
        assert!(serial.num_bytes() <= 10 && !serial.is_negative());
        assert!(issued.cert.verify(&issued.key).unwrap());
    }

    #[test]
    fn rejected_certificates_are_plain_der_under_the_dotnet_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = DotnetAppStore::create(dir.path(), "OpcPlc", "urn:OpcPlc:plc1", &["plc1"]);
        fs::remove_dir_all(dir.path().join("rejected")).unwrap();
        let stranger =
            crate::self_signed(crate::LeafSpec::client("Client: a/b", "urn:c").key_bits(1024));
        let path = store.write_rejected(&stranger.cert);
        assert_eq!(
            path,
            dir.path().join(format!(
                "rejected/certs/+Client+ a+b+ [{}].der",
                stranger.thumbprint()
            ))
        );
        assert_eq!(fs::read(&path).unwrap(), stranger.der());
        assert_eq!(mode(&path), 0o644);
    }

    #[test]
    fn twelve_months_is_dotnets_add_months() {
        assert_eq!(
            add_twelve_months(datetime!(2028-02-29 00:00 UTC)),
            datetime!(2029-02-28 00:00 UTC)
        );
        assert_eq!(
            add_twelve_months(datetime!(2026-11-26 00:00 UTC)),
            datetime!(2027-11-26 00:00 UTC)
        );
    }
}
