//! Application instance certificates: [`Issued`], [`LeafSpec`] and [`self_signed`], plus the
//! one X.509 builder that CAs and leaves share.

use openssl::asn1::Asn1Time;
use openssl::base64;
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::symm::Cipher;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameRef};
use time::{Duration, OffsetDateTime};

use crate::{now, random_serial, rsa_key};

/// A certificate with its private key.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The certificate.
    pub cert: X509,
    /// The private key matching the certificate's public key.
    pub key: PKey<Private>,
}

impl Issued {
    /// The certificate's DER encoding.
    #[must_use]
    pub fn der(&self) -> Vec<u8> {
        self.cert.to_der().expect("certificate DER encoding failed")
    }

    /// The certificate as a PEM `CERTIFICATE` block.
    #[must_use]
    pub fn pem(&self) -> Vec<u8> {
        self.cert.to_pem().expect("certificate PEM encoding failed")
    }

    /// The certificate's DER in standard base64 (with padding, no line breaks).
    #[must_use]
    pub fn base64_der(&self) -> String {
        base64::encode_block(&self.der())
    }

    /// The private key as an unencrypted PKCS#8 PEM (`PRIVATE KEY`) block.
    #[must_use]
    pub fn key_pem_pkcs8(&self) -> Vec<u8> {
        self.key
            .private_key_to_pem_pkcs8()
            .expect("PKCS#8 PEM encoding failed")
    }

    /// The private key as a PKCS#1 PEM (`RSA PRIVATE KEY`) block; panics for non-RSA keys.
    #[must_use]
    pub fn key_pem_pkcs1(&self) -> Vec<u8> {
        self.key
            .rsa()
            .expect("PKCS#1 needs an RSA key")
            .private_key_to_pem()
            .expect("PKCS#1 PEM encoding failed")
    }

    /// The private key as an encrypted PKCS#8 PEM block (AES-256-CBC, `ENCRYPTED PRIVATE KEY`).
    #[must_use]
    pub fn key_pem_encrypted(&self, password: &str) -> Vec<u8> {
        self.key
            .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), password.as_bytes())
            .expect("encrypted PKCS#8 PEM encoding failed")
    }

    /// A PKCS#12 (PFX) file holding the certificate and key, protected by `password`.
    ///
    /// An empty password is allowed and is what "no password" PFX files use.
    #[must_use]
    pub fn pfx(&self, password: &str) -> Vec<u8> {
        Pkcs12::builder()
            .name(&self.cn())
            .pkey(&self.key)
            .cert(&self.cert)
            .build2(password)
            .expect("PKCS#12 building failed")
            .to_der()
            .expect("PKCS#12 DER encoding failed")
    }

    /// The certificate's thumbprint: upper-case hex SHA-1 of its DER.
    #[must_use]
    pub fn thumbprint(&self) -> String {
        crate::thumbprint(&self.der())
    }

    /// The subject common name, or an empty string when the subject has none.
    #[must_use]
    pub fn cn(&self) -> String {
        common_name(self.cert.subject_name())
    }
}

/// What to put in an application instance certificate (OPC 10000-6 §6.2.2).
#[derive(Clone)]
pub struct LeafSpec {
    /// Subject common name.
    pub cn: String,
    /// Subject organization (`O`), if any.
    pub organization: Option<String>,
    /// The `ApplicationUri`, written as a `URI:` subjectAltName.
    pub application_uri: Option<String>,
    /// Host names, written as `DNS:` subjectAltNames.
    pub dns_names: Vec<String>,
    /// IP addresses (textual IPv4 or IPv6), written as `IP:` subjectAltNames.
    pub ip_addresses: Vec<String>,
    /// RSA key size used when no `key` is given (default 2048).
    pub key_bits: u32,
    /// A key to certify instead of a fresh one, e.g. the key behind a CSR.
    pub key: Option<PKey<Private>>,
    /// Start of validity (default one day ago).
    pub not_before: OffsetDateTime,
    /// End of validity (default one year from now).
    pub not_after: OffsetDateTime,
    /// Signature digest (default SHA-256).
    pub digest: MessageDigest,
    /// `true` writes basicConstraints `CA:TRUE`, for "CA used as application cert" tests.
    ///
    /// `false` (the default) writes the critical `CA:FALSE` that application certificates carry.
    pub ca: bool,
    /// `true` (the default) writes the critical keyUsage OPC 10000-6 §6.2.2 requires:
    /// digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment.
    pub key_usage_default: bool,
    /// extendedKeyUsage names such as `"serverAuth"` (default serverAuth and clientAuth);
    /// empty omits the extension.
    pub extended_key_usage: Vec<&'static str>,
}

impl LeafSpec {
    /// A server certificate for `application_uri`, reachable at host `dns`.
    #[must_use]
    pub fn server(cn: &str, application_uri: &str, dns: &str) -> Self {
        let mut spec = Self::base(cn, application_uri);
        spec.dns_names.push(dns.to_owned());
        spec
    }

    /// A client certificate for `application_uri` (no host names).
    #[must_use]
    pub fn client(cn: &str, application_uri: &str) -> Self {
        Self::base(cn, application_uri)
    }

    /// Sets the validity period.
    #[must_use]
    pub fn valid(mut self, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// Makes the certificate expired: valid from two years ago until yesterday.
    #[must_use]
    pub fn expired(self) -> Self {
        let now = now();
        self.valid(now - Duration::days(730), now - Duration::days(1))
    }

    /// Makes the certificate not yet valid: valid from tomorrow for a year.
    #[must_use]
    pub fn not_yet_valid(self) -> Self {
        let now = now();
        self.valid(now + Duration::days(1), now + Duration::days(366))
    }

    /// Sets the size of the freshly generated RSA key.
    #[must_use]
    pub fn key_bits(mut self, bits: u32) -> Self {
        self.key_bits = bits;
        self
    }

    /// Certifies `key` instead of generating one.
    #[must_use]
    pub fn with_key(mut self, key: PKey<Private>) -> Self {
        self.key = Some(key);
        self
    }

    /// Sets the signature digest.
    #[must_use]
    pub fn digest(mut self, digest: MessageDigest) -> Self {
        self.digest = digest;
        self
    }

    /// Writes basicConstraints `CA:TRUE` instead of `CA:FALSE`.
    #[must_use]
    pub fn as_ca(mut self) -> Self {
        self.ca = true;
        self
    }

    /// Sets the subject organization (`O`).
    #[must_use]
    pub fn organization(mut self, organization: &str) -> Self {
        self.organization = Some(organization.to_owned());
        self
    }

    /// Adds a `DNS:` subjectAltName.
    #[must_use]
    pub fn dns(mut self, name: &str) -> Self {
        self.dns_names.push(name.to_owned());
        self
    }

    /// Adds an `IP:` subjectAltName (textual IPv4 or IPv6).
    #[must_use]
    pub fn ip(mut self, address: &str) -> Self {
        self.ip_addresses.push(address.to_owned());
        self
    }

    /// Removes the `URI:` subjectAltName, for "no `ApplicationUri`" tests.
    #[must_use]
    pub fn without_application_uri(mut self) -> Self {
        self.application_uri = None;
        self
    }

    /// Omits the keyUsage extension, for "missing keyUsage" tests.
    #[must_use]
    pub fn without_key_usage(mut self) -> Self {
        self.key_usage_default = false;
        self
    }

    /// Replaces the extendedKeyUsage names (empty omits the extension).
    #[must_use]
    pub fn extended_key_usage(mut self, names: &[&'static str]) -> Self {
        self.extended_key_usage = names.to_vec();
        self
    }

    fn base(cn: &str, application_uri: &str) -> Self {
        let now = now();
        Self {
            cn: cn.to_owned(),
            organization: None,
            application_uri: Some(application_uri.to_owned()),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            key_bits: 2048,
            key: None,
            not_before: now - Duration::days(1),
            not_after: now + Duration::days(365),
            digest: MessageDigest::sha256(),
            ca: false,
            key_usage_default: true,
            extended_key_usage: vec!["serverAuth", "clientAuth"],
        }
    }

    /// Issues the certificate, signed by `issuer` or self-signed when `issuer` is `None`.
    pub(crate) fn issue(self, issuer: Option<&Issued>) -> Issued {
        let self_signed = issuer.is_none();
        let key = self.key.unwrap_or_else(|| rsa_key(self.key_bits));
        let cert = build_cert(&CertParams {
            subject: name(&self.cn, self.organization.as_deref()),
            key: &key,
            issuer,
            not_before: self.not_before,
            not_after: self.not_after,
            digest: self.digest,
            ca: self.ca,
            path_len: None,
            key_usage: self.key_usage_default.then(|| {
                let mut usage = KeyUsage::new();
                usage
                    .critical()
                    .digital_signature()
                    .non_repudiation()
                    .key_encipherment()
                    .data_encipherment();
                // Self-signed application certificates sign themselves, so stacks (the .NET
                // one among them) add keyCertSign.
                if self_signed {
                    usage.key_cert_sign();
                }
                usage
            }),
            extended_key_usage: &self.extended_key_usage,
            application_uri: self.application_uri.as_deref(),
            dns_names: &self.dns_names,
            ip_addresses: &self.ip_addresses,
        })
        .expect("openssl failed to issue a test certificate");
        Issued { cert, key }
    }
}

/// A self-signed application certificate like OPC UA stacks create.
///
/// Like the stacks' own: keyUsage additionally has keyCertSign, basicConstraints stays
/// `CA:FALSE` (unless the spec says [`LeafSpec::as_ca`]), and AKI equals SKI.
#[must_use]
pub fn self_signed(spec: LeafSpec) -> Issued {
    spec.issue(None)
}

/// Everything that differs between a root, an intermediate, a leaf and a self-signed cert.
pub(crate) struct CertParams<'a> {
    pub(crate) subject: X509Name,
    pub(crate) key: &'a PKey<Private>,
    /// `None` for self-signed.
    pub(crate) issuer: Option<&'a Issued>,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) digest: MessageDigest,
    pub(crate) ca: bool,
    pub(crate) path_len: Option<u32>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: &'a [&'static str],
    pub(crate) application_uri: Option<&'a str>,
    pub(crate) dns_names: &'a [String],
    pub(crate) ip_addresses: &'a [String],
}

/// Builds and signs one X.509 v3 certificate.
pub(crate) fn build_cert(p: &CertParams<'_>) -> Result<X509, ErrorStack> {
    let mut builder = X509Builder::new()?;
    builder.set_version(2)?; // v3
    let serial = random_serial().to_asn1_integer()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&p.subject)?;
    builder.set_issuer_name(p.issuer.map_or(&*p.subject, |i| i.cert.subject_name()))?;
    builder.set_pubkey(p.key)?;
    let not_before = asn1_time(p.not_before)?;
    let not_after = asn1_time(p.not_after)?;
    builder.set_not_before(&not_before)?;
    builder.set_not_after(&not_after)?;

    let mut basic = BasicConstraints::new();
    basic.critical();
    if p.ca {
        basic.ca();
        if let Some(len) = p.path_len {
            basic.pathlen(len);
        }
    }
    builder.append_extension(basic.build()?)?;
    if let Some(usage) = &p.key_usage {
        builder.append_extension(usage.build()?)?;
    }
    if !p.extended_key_usage.is_empty() {
        builder.append_extension(extended_key_usage(p.extended_key_usage)?)?;
    }

    // `None` as issuer makes the context treat the certificate being built as its own issuer.
    let issuer_cert = p.issuer.map(|i| &*i.cert);
    let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(issuer_cert, None))?;
    builder.append_extension(ski)?;
    // `keyid:always`: OpenSSL 3 leaves AKI out of self-signed certificates otherwise, and
    // validators use it to pick the issuer (RFC 5280 §4.2.1.1).
    let aki = AuthorityKeyIdentifier::new()
        .keyid(true)
        .build(&builder.x509v3_context(issuer_cert, None))?;
    builder.append_extension(aki)?;

    if p.application_uri.is_some() || !p.dns_names.is_empty() || !p.ip_addresses.is_empty() {
        let mut san = SubjectAlternativeName::new();
        if let Some(uri) = p.application_uri {
            san.uri(uri);
        }
        for dns in p.dns_names {
            san.dns(dns);
        }
        for ip in p.ip_addresses {
            san.ip(ip);
        }
        let san = san.build(&builder.x509v3_context(issuer_cert, None))?;
        builder.append_extension(san)?;
    }

    let signing_key = p.issuer.map_or(p.key, |i| &i.key);
    builder.sign(signing_key, p.digest)?;
    Ok(builder.build())
}

/// A subject name with `CN` and optionally `O`.
pub(crate) fn name(cn: &str, organization: Option<&str>) -> X509Name {
    let mut name = X509Name::builder().expect("X509Name allocation failed");
    if let Some(o) = organization {
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, o)
            .expect("invalid organization name");
    }
    name.append_entry_by_nid(Nid::COMMONNAME, cn)
        .expect("invalid common name");
    name.build()
}

/// The `CN` of `name` as .NET reads it (the last in DER order), or an empty string.
pub(crate) fn common_name(name: &X509NameRef) -> String {
    // .NET lists the most specific RDN first and takes the first CN there: the last in DER.
    name.entries_by_nid(Nid::COMMONNAME)
        .last()
        .map(|entry| {
            entry
                .data()
                .to_string()
                .expect("common name is not valid text")
        })
        .unwrap_or_default()
}

fn asn1_time(at: OffsetDateTime) -> Result<Asn1Time, ErrorStack> {
    Asn1Time::from_unix(at.unix_timestamp())
}

fn extended_key_usage(names: &[&str]) -> Result<X509Extension, ErrorStack> {
    let mut eku = ExtendedKeyUsage::new();
    for name in names {
        match *name {
            "serverAuth" => eku.server_auth(),
            "clientAuth" => eku.client_auth(),
            "codeSigning" => eku.code_signing(),
            "emailProtection" => eku.email_protection(),
            "timeStamping" => eku.time_stamping(),
            // OpenSSL accepts any other short name or a dotted OID.
            other => eku.other(other),
        };
    }
    eku.build()
}

/// A hand-made certificate signing request, for tests of what a CA must refuse: a CSR for
/// `key` with subject `CN=<cn>`, a subjectAltName of `uri` and `dns` (none at all when both are
/// empty), signed by `signer` (pass `key` for an honest CSR, another key for a forged one).
#[must_use]
pub fn csr_der(
    cn: &str,
    uri: Option<&str>,
    dns: &[&str],
    key: &PKey<Private>,
    signer: &PKey<Private>,
) -> Vec<u8> {
    use openssl::stack::Stack;
    use openssl::x509::extension::SubjectAlternativeName;
    use openssl::x509::{X509NameBuilder, X509ReqBuilder};

    let mut builder = X509ReqBuilder::new().unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    builder.set_subject_name(&name.build()).unwrap();
    builder.set_pubkey(key).unwrap();
    if uri.is_some() || !dns.is_empty() {
        let mut san = SubjectAlternativeName::new();
        if let Some(uri) = uri {
            san.uri(uri);
        }
        for name in dns {
            san.dns(name);
        }
        let mut extensions = Stack::new().unwrap();
        extensions
            .push(san.build(&builder.x509v3_context(None)).unwrap())
            .unwrap();
        builder.add_extensions(&extensions).unwrap();
    }
    builder.sign(signer, MessageDigest::sha256()).unwrap();
    builder.build().to_der().unwrap()
}

#[cfg(test)]
mod tests {
    use openssl::pkcs12::Pkcs12;
    use openssl::pkey::PKey;
    use openssl::x509::X509;

    use super::*;

    fn server() -> Issued {
        self_signed(
            LeafSpec::server("My Server", "urn:test:server", "localhost")
                .ip("127.0.0.1")
                .organization("Test Org"),
        )
    }

    #[test]
    fn self_signed_certificate_verifies_with_its_own_key() {
        let issued = server();
        assert!(issued.cert.verify(&issued.key).unwrap());
        assert_eq!(
            issued.cert.subject_name().to_der().unwrap(),
            issued.cert.issuer_name().to_der().unwrap()
        );
    }

    #[test]
    fn self_signed_certificate_has_aki_equal_to_ski() {
        let issued = server();
        let ski = issued.cert.subject_key_id().unwrap().as_slice().to_vec();
        let aki = issued.cert.authority_key_id().unwrap().as_slice().to_vec();
        assert_eq!(ski, aki);
    }

    /// The certificate's extensions as OpenSSL prints them.
    fn text(issued: &Issued) -> String {
        String::from_utf8(issued.cert.to_text().unwrap()).unwrap()
    }

    #[test]
    fn application_certificate_has_the_part_6_extensions() {
        let text = text(&server());
        assert!(
            text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"),
            "{text}"
        );
        assert!(
            text.contains(
                "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation, \
                 Key Encipherment, Data Encipherment, Certificate Sign"
            ),
            "{text}"
        );
        assert!(
            text.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
            "{text}"
        );
    }

    #[test]
    fn as_ca_and_extension_setters_change_only_their_extension() {
        let issued = self_signed(
            LeafSpec::client("c", "urn:c")
                .key_bits(1024)
                .as_ca()
                .without_key_usage()
                .extended_key_usage(&[]),
        );
        let text = text(&issued);
        assert!(text.contains("CA:TRUE"), "{text}");
        assert!(!text.contains("Key Usage"), "{text}");
        assert!(text.contains("URI:urn:c"), "{text}");
    }

    #[test]
    fn leaf_spec_sans_are_written() {
        let issued = server();
        let sans = issued.cert.subject_alt_names().unwrap();
        let uris: Vec<_> = sans.iter().filter_map(|n| n.uri()).collect();
        let dns: Vec<_> = sans.iter().filter_map(|n| n.dnsname()).collect();
        let ips: Vec<_> = sans.iter().filter_map(|n| n.ipaddress()).collect();
        assert_eq!(uris, ["urn:test:server"]);
        assert_eq!(dns, ["localhost"]);
        assert_eq!(ips, [&[127u8, 0, 0, 1][..]]);
    }

    #[test]
    fn cn_and_organization_are_in_the_subject() {
        let issued = server();
        assert_eq!(issued.cn(), "My Server");
        let org = issued
            .cert
            .subject_name()
            .entries_by_nid(Nid::ORGANIZATIONNAME)
            .next()
            .unwrap();
        assert_eq!(org.data().to_string().unwrap(), "Test Org");
    }

    #[test]
    fn key_encodings_round_trip() {
        let issued = server();
        let der = issued.key.private_key_to_der().unwrap();
        let pkcs8 = issued.key_pem_pkcs8();
        assert!(pkcs8.starts_with(b"-----BEGIN PRIVATE KEY-----"));
        let pkcs1 = issued.key_pem_pkcs1();
        assert!(pkcs1.starts_with(b"-----BEGIN RSA PRIVATE KEY-----"));
        let encrypted = issued.key_pem_encrypted("secret");
        assert!(encrypted.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"));

        for pem in [&pkcs8, &pkcs1] {
            let key = PKey::private_key_from_pem(pem).unwrap();
            assert_eq!(key.private_key_to_der().unwrap(), der);
        }
        let key = PKey::private_key_from_pem_passphrase(&encrypted, b"secret").unwrap();
        assert_eq!(key.private_key_to_der().unwrap(), der);
        assert!(PKey::private_key_from_pem_passphrase(&encrypted, b"wrong").is_err());
    }

    #[test]
    fn pfx_round_trips_with_and_without_password() {
        let issued = server();
        for password in ["pfx-secret", ""] {
            let parsed = Pkcs12::from_der(&issued.pfx(password))
                .unwrap()
                .parse2(password)
                .unwrap();
            assert_eq!(parsed.cert.unwrap().to_der().unwrap(), issued.der());
            assert!(parsed.pkey.unwrap().public_eq(&issued.key));
        }
    }

    #[test]
    fn pem_base64_and_thumbprint_describe_the_same_der() {
        let issued = server();
        let der = issued.der();
        assert_eq!(
            X509::from_pem(&issued.pem()).unwrap().to_der().unwrap(),
            der
        );
        assert_eq!(base64::decode_block(&issued.base64_der()).unwrap(), der);
        let sha1 = issued.cert.digest(MessageDigest::sha1()).unwrap();
        let thumb = issued.thumbprint();
        assert_eq!(thumb, crate::thumbprint(&der));
        assert!(thumb.chars().all(|c| matches!(c, '0'..='9' | 'A'..='F')));
        let bytes: Vec<u8> = (0..thumb.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&thumb[i..i + 2], 16).unwrap())
            .collect();
        assert_eq!(bytes, &*sha1);
    }

    #[test]
    fn expired_and_not_yet_valid_specs_bracket_now() {
        let now_asn1 = Asn1Time::from_unix(now().unix_timestamp()).unwrap();
        let expired = self_signed(LeafSpec::client("old", "urn:old").key_bits(1024).expired());
        assert!(expired.cert.not_after() < now_asn1);
        let future = self_signed(
            LeafSpec::client("new", "urn:new")
                .key_bits(1024)
                .not_yet_valid(),
        );
        assert!(future.cert.not_before() > now_asn1);
    }

    #[test]
    fn with_key_certifies_the_given_key() {
        let key = crate::rsa_key(1024);
        let issued = self_signed(LeafSpec::client("c", "urn:c").with_key(key.clone()));
        assert!(issued.cert.public_key().unwrap().public_eq(&key));
    }

    #[test]
    fn ec_keys_can_be_certified() {
        let issued = self_signed(LeafSpec::client("ec", "urn:ec").with_key(crate::ec_key()));
        assert!(issued.cert.verify(&issued.key).unwrap());
    }
}
