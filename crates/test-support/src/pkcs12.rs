//! A PKCS#12 (PFX) reader that looks at a file the way the .NET loader does: it checks the MAC
//! with the empty password and, failing that, with the null one (and says which matched),
//! decrypts the PKCS#12-PBE safes and shrouded keys itself, and reports every algorithm,
//! iteration count and bag attribute, so tests can compare a PFX with what the .NET stack
//! writes (docs/reference/dotnet-directory-store.md, "The PFX the stack writes").
//!
//! Independent of OpenSSL's PKCS#12 code: a small DER walker, the RFC 7292 appendix B key
//! derivation, and plain 3DES-CBC / HMAC from the `openssl` crate.

use openssl::hash::{Hasher, MessageDigest};
use openssl::pkey::PKey;
use openssl::sign::Signer;
use openssl::symm::{Cipher, decrypt};

/// `data` (PKCS#7).
pub const OID_DATA: &str = "1.2.840.113549.1.7.1";
/// `encryptedData` (PKCS#7).
pub const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
/// `pkcs8ShroudedKeyBag`.
pub const OID_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
/// `keyBag` (unencrypted PKCS#8).
pub const OID_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
/// `certBag`.
pub const OID_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
/// `x509Certificate` (the cert bag's type).
pub const OID_X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
/// `pbeWithSHAAnd3-KeyTripleDES-CBC`: what .NET's `Export(Pkcs12)` uses for keys and certs.
pub const OID_PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
/// `PBES2`: OpenSSL 3's default.
pub const OID_PBES2: &str = "1.2.840.113549.1.5.13";
/// SHA-1, the MAC digest .NET's `Export(Pkcs12)` uses.
pub const OID_SHA1: &str = "1.3.14.3.2.26";
/// SHA-256, OpenSSL 3's default MAC digest.
pub const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// `friendlyName` bag attribute.
pub const OID_FRIENDLY_NAME: &str = "1.2.840.113549.1.9.20";
/// `localKeyId` bag attribute.
pub const OID_LOCAL_KEY_ID: &str = "1.2.840.113549.1.9.21";

/// Which encoding of "no password" the MAC was computed with (the PKCS#12 KDF tells them
/// apart; .NET's loader and OpenSSL's `PKCS12_parse` try both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyPassword {
    /// The empty string: the `BMPString` `00 00` (.NET's `Export(Pkcs12, "")`, OpenSSL's `""`).
    Empty,
    /// The null password: no bytes at all.
    Null,
}

/// A bag attribute: its type OID and the DER of its first value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Dotted OID.
    pub oid: String,
    /// Content bytes of the first value (e.g. the `localKeyId` octets).
    pub value: Vec<u8>,
}

/// A certificate bag.
#[derive(Debug, Clone)]
pub struct CertBag {
    /// The certificate DER.
    pub der: Vec<u8>,
    /// Bag attributes.
    pub attributes: Vec<Attribute>,
    /// The algorithm of the safe it sits in (`None` in a plain `data` safe).
    pub safe_algorithm: Option<Pbe>,
}

/// A key bag (shrouded or not), decrypted.
#[derive(Debug, Clone)]
pub struct KeyBag {
    /// Unencrypted PKCS#8 `PrivateKeyInfo` DER.
    pub pkcs8: Vec<u8>,
    /// The shrouding algorithm (`None` for a plain `keyBag`).
    pub algorithm: Option<Pbe>,
    /// Bag attributes.
    pub attributes: Vec<Attribute>,
    /// The bag's content type: [`OID_SHROUDED_KEY_BAG`] or [`OID_KEY_BAG`].
    pub bag_id: String,
    /// The `authSafe` content type of the safe it sits in.
    pub safe_content_type: String,
}

/// A password-based encryption algorithm as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pbe {
    /// Dotted OID of the scheme.
    pub oid: String,
    /// Iterations (for PKCS#12 PBE; `0` when not read, e.g. PBES2).
    pub iterations: u64,
    /// Salt length in bytes (PKCS#12 PBE).
    pub salt_len: usize,
}

/// What a PFX holds and how it is protected.
#[derive(Debug, Clone)]
pub struct PfxContents {
    /// The PFX version (3).
    pub version: u64,
    /// MAC digest OID.
    pub mac_digest: String,
    /// MAC iterations.
    pub mac_iterations: u64,
    /// MAC salt length.
    pub mac_salt_len: usize,
    /// The password encoding the MAC verified with.
    pub mac_password: EmptyPassword,
    /// The `authSafe` content types in file order.
    pub safe_content_types: Vec<String>,
    /// Certificate bags in file order.
    pub certs: Vec<CertBag>,
    /// Key bags in file order.
    pub keys: Vec<KeyBag>,
}

impl PfxContents {
    /// Reads a PFX protected by "no password" (empty or null), as the .NET stack's own store
    /// PFX files are. Panics (a failed fixture) when the structure is not PKCS#12, the MAC
    /// verifies with neither encoding, or a safe uses an algorithm this reader cannot decrypt.
    #[must_use]
    pub fn read(pfx: &[u8]) -> Self {
        let (outer, rest) = tlv(pfx);
        assert!(rest.is_empty(), "trailing bytes after the PFX");
        assert_eq!(outer.tag, 0x30, "a PFX is a SEQUENCE");
        let mut items = seq(outer.content);
        let version = uint(items.next().expect("PFX version").content);
        let auth_safe = items.next().expect("PFX authSafe");
        let mac_data = items.next().expect("a PFX without MAC");

        let mut ci = seq(auth_safe.content);
        assert_eq!(oid(ci.next().expect("contentType").content), OID_DATA);
        let auth_safe_bytes = octets(explicit0(ci.next().expect("content")));

        let mut mac = seq(mac_data.content);
        let digest_info = mac.next().expect("DigestInfo");
        let mut di = seq(digest_info.content);
        let mut alg = seq(di.next().expect("digestAlgorithm").content);
        let mac_digest = oid(alg.next().expect("digest OID").content);
        let mac_value = di.next().expect("digest").content.to_vec();
        let mac_salt = mac.next().expect("macSalt").content.to_vec();
        let mac_iterations = mac.next().map_or(1, |t| uint(t.content));
        let md = digest(&mac_digest);
        let mac_password = [EmptyPassword::Empty, EmptyPassword::Null]
            .into_iter()
            .find(|pw| {
                let key = kdf(md, *pw, &mac_salt, mac_iterations, 3, md.size());
                hmac(md, &key, &auth_safe_bytes) == mac_value
            })
            .expect("the MAC verifies with neither the empty nor the null password");

        let mut contents = Self {
            version,
            mac_digest,
            mac_iterations,
            mac_salt_len: mac_salt.len(),
            mac_password,
            safe_content_types: Vec::new(),
            certs: Vec::new(),
            keys: Vec::new(),
        };
        let (safes, rest) = tlv(&auth_safe_bytes);
        assert!(rest.is_empty());
        for safe in seq(safes.content) {
            let mut ci = seq(safe.content);
            let content_type = oid(ci.next().expect("contentType").content);
            let content = explicit0(ci.next().expect("content"));
            let (bags, algorithm) = match content_type.as_str() {
                OID_DATA => (octets(content), None),
                OID_ENCRYPTED_DATA => {
                    let mut ed = seq(content.content);
                    let _version = ed.next();
                    let mut eci = seq(ed.next().expect("EncryptedContentInfo").content);
                    assert_eq!(oid(eci.next().expect("contentType").content), OID_DATA);
                    let alg = eci.next().expect("contentEncryptionAlgorithm");
                    let encrypted = eci.next().expect("encryptedContent");
                    assert_eq!(encrypted.tag, 0x80, "encryptedContent [0] IMPLICIT");
                    let (pbe, plain) = pbe_decrypt(alg.content, encrypted.content, mac_password);
                    (plain, Some(pbe))
                }
                other => panic!("unexpected safe content type {other}"),
            };
            contents.read_bags(&bags, algorithm.as_ref(), &content_type);
            contents.safe_content_types.push(content_type);
        }
        contents
    }

    fn read_bags(&mut self, bags: &[u8], safe_alg: Option<&Pbe>, safe_type: &str) {
        let (list, _) = tlv(bags);
        for bag in seq(list.content) {
            let mut fields = seq(bag.content);
            let bag_id = oid(fields.next().expect("bagId").content);
            let value = explicit0(fields.next().expect("bagValue"));
            let attributes = fields
                .next()
                .map(|set| attributes(set.content))
                .unwrap_or_default();
            match bag_id.as_str() {
                OID_CERT_BAG => {
                    let mut cb = seq(value.content);
                    assert_eq!(
                        oid(cb.next().expect("certId").content),
                        OID_X509_CERTIFICATE
                    );
                    let der = octets(explicit0(cb.next().expect("certValue")));
                    self.certs.push(CertBag {
                        der,
                        attributes,
                        safe_algorithm: safe_alg.cloned(),
                    });
                }
                OID_SHROUDED_KEY_BAG => {
                    let mut epki = seq(value.content);
                    let alg = epki.next().expect("encryptionAlgorithm");
                    let encrypted = epki.next().expect("encryptedData");
                    let (pbe, pkcs8) =
                        pbe_decrypt(alg.content, encrypted.content, self.mac_password);
                    self.keys.push(KeyBag {
                        pkcs8,
                        algorithm: Some(pbe),
                        attributes,
                        bag_id,
                        safe_content_type: safe_type.to_owned(),
                    });
                }
                OID_KEY_BAG => self.keys.push(KeyBag {
                    pkcs8: raw(value),
                    algorithm: None,
                    attributes,
                    bag_id,
                    safe_content_type: safe_type.to_owned(),
                }),
                other => panic!("unexpected bag {other}"),
            }
        }
    }
}

impl CertBag {
    /// The first value of attribute `oid`, if present.
    #[must_use]
    pub fn attribute(&self, oid: &str) -> Option<&[u8]> {
        find(&self.attributes, oid)
    }
}

impl KeyBag {
    /// The first value of attribute `oid`, if present.
    #[must_use]
    pub fn attribute(&self, oid: &str) -> Option<&[u8]> {
        find(&self.attributes, oid)
    }
}

fn find<'a>(attributes: &'a [Attribute], oid: &str) -> Option<&'a [u8]> {
    attributes
        .iter()
        .find(|a| a.oid == oid)
        .map(|a| a.value.as_slice())
}

/// Decrypts with a PKCS#12 PBE scheme (SHA-1 + 3DES only, what .NET writes); other schemes
/// (PBES2) are reported with the OID and panic, since they are not what the stack writes.
fn pbe_decrypt(alg_id: &[u8], encrypted: &[u8], password: EmptyPassword) -> (Pbe, Vec<u8>) {
    let mut alg = seq(alg_id);
    let scheme = oid(alg.next().expect("algorithm OID").content);
    assert_eq!(
        scheme, OID_PBE_SHA1_3DES,
        "encrypted with {scheme}, not pbeWithSHAAnd3-KeyTripleDES-CBC as .NET writes"
    );
    let mut params = seq(alg.next().expect("PBE parameters").content);
    let salt = params.next().expect("salt").content.to_vec();
    let iterations = uint(params.next().expect("iterations").content);
    let md = MessageDigest::sha1();
    let key = kdf(md, password, &salt, iterations, 1, 24);
    let iv = kdf(md, password, &salt, iterations, 2, 8);
    let plain = decrypt(Cipher::des_ede3_cbc(), &key, Some(&iv), encrypted)
        .expect("3DES decryption failed (wrong password encoding?)");
    (
        Pbe {
            oid: scheme,
            iterations,
            salt_len: salt.len(),
        },
        plain,
    )
}

/// RFC 7292 appendix B.2: the PKCS#12 key derivation, with `purpose` 1 (key), 2 (IV) or 3
/// (MAC). Names follow the RFC: `D` the diversifier, `I` = salt || password blocks, `A` the
/// iterated hash, `B` its expansion to one block.
fn kdf(
    md: MessageDigest,
    password: EmptyPassword,
    salt: &[u8],
    iterations: u64,
    purpose: u8,
    len: usize,
) -> Vec<u8> {
    let block = md.block_size();
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let padded = src.len().div_ceil(block) * block;
        src.iter().copied().cycle().take(padded).collect()
    };
    let pass: &[u8] = match password {
        EmptyPassword::Empty => &[0, 0],
        EmptyPassword::Null => &[],
    };
    let mut input: Vec<u8> = fill(salt);
    input.extend(fill(pass));
    let diversifier = vec![purpose; block];
    let mut out = Vec::with_capacity(len);
    loop {
        let mut hashed = {
            let mut hasher = Hasher::new(md).expect("hasher");
            hasher.update(&diversifier).expect("hash");
            hasher.update(&input).expect("hash");
            hasher.finish().expect("hash").to_vec()
        };
        for _ in 1..iterations {
            hashed = openssl::hash::hash(md, &hashed).expect("hash").to_vec();
        }
        let take = hashed.len().min(len - out.len());
        out.extend_from_slice(&hashed[..take]);
        if out.len() == len {
            return out;
        }
        let expanded: Vec<u8> = hashed.iter().copied().cycle().take(block).collect();
        for chunk in input.chunks_mut(block) {
            let mut carry = 1u16;
            for (byte, add) in chunk.iter_mut().zip(&expanded).rev() {
                let sum = u16::from(*byte) + u16::from(*add) + carry;
                *byte = sum.to_le_bytes()[0];
                carry = sum >> 8;
            }
        }
    }
}

fn hmac(md: MessageDigest, key: &[u8], data: &[u8]) -> Vec<u8> {
    let key = PKey::hmac(key).expect("HMAC key");
    let mut signer = Signer::new(md, &key).expect("HMAC");
    signer.update(data).expect("HMAC");
    signer.sign_to_vec().expect("HMAC")
}

fn digest(oid: &str) -> MessageDigest {
    match oid {
        OID_SHA1 => MessageDigest::sha1(),
        OID_SHA256 => MessageDigest::sha256(),
        "2.16.840.1.101.3.4.2.2" => MessageDigest::sha384(),
        "2.16.840.1.101.3.4.2.3" => MessageDigest::sha512(),
        other => panic!("unknown MAC digest {other}"),
    }
}

fn attributes(set: &[u8]) -> Vec<Attribute> {
    let mut out = Vec::new();
    let mut rest = set;
    while !rest.is_empty() {
        let (attr, next) = tlv(rest);
        rest = next;
        let mut fields = seq(attr.content);
        let oid = oid(fields.next().expect("attrType").content);
        let values = fields.next().expect("attrValues");
        let (first, _) = tlv(values.content);
        out.push(Attribute {
            oid,
            value: first.content.to_vec(),
        });
    }
    out
}

/// One DER element: tag byte, content, and the whole encoding.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

fn tlv(input: &[u8]) -> (Tlv<'_>, &[u8]) {
    assert!(input.len() >= 2, "truncated DER");
    let tag = input[0];
    assert_ne!(tag & 0x1f, 0x1f, "multi-byte tags are not used in PKCS#12");
    let (len, header) = match input[1] {
        n if n < 0x80 => (usize::from(n), 2),
        0x80 => panic!("indefinite length (BER) where DER is expected"),
        n => {
            let count = usize::from(n & 0x7f);
            assert!(count <= 4 && input.len() >= 2 + count, "bad DER length");
            let len = input[2..2 + count]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + count)
        }
    };
    assert!(input.len() >= header + len, "truncated DER");
    (
        Tlv {
            tag,
            content: &input[header..header + len],
            whole: &input[..header + len],
        },
        &input[header + len..],
    )
}

fn seq(content: &[u8]) -> impl Iterator<Item = Tlv<'_>> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (item, next) = tlv(rest);
        rest = next;
        Some(item)
    })
}

/// The element inside a `[0]` EXPLICIT wrapper.
fn explicit0(t: Tlv<'_>) -> Tlv<'_> {
    assert_eq!(t.tag, 0xa0, "expected [0] EXPLICIT");
    tlv(t.content).0
}

fn octets(t: Tlv<'_>) -> Vec<u8> {
    assert_eq!(t.tag, 0x04, "expected an OCTET STRING");
    t.content.to_vec()
}

fn raw(t: Tlv<'_>) -> Vec<u8> {
    t.whole.to_vec()
}

fn uint(content: &[u8]) -> u64 {
    assert!(content.len() <= 8, "integer too large");
    content
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// Dotted text of an OBJECT IDENTIFIER's content.
fn oid(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value = 0u64;
    for b in content {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kdf_matches_the_rfc_7292_construction_openssl_uses() {
        // A PFX made by OpenSSL with a SHA-1 MAC and the empty password verifies with `00 00`.
        let issued = crate::self_signed(crate::LeafSpec::client("k", "urn:k").key_bits(1024));
        let pfx = openssl::pkcs12::Pkcs12::builder()
            .pkey(&issued.key)
            .cert(&issued.cert)
            .key_algorithm(openssl::nid::Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .cert_algorithm(openssl::nid::Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .mac_md(MessageDigest::sha1())
            .key_iter(3)
            .mac_iter(5)
            .build2("")
            .unwrap()
            .to_der()
            .unwrap();
        let read = PfxContents::read(&pfx);
        assert_eq!(read.mac_password, EmptyPassword::Empty);
        assert_eq!(read.mac_iterations, 5);
        assert_eq!(read.certs.len(), 1);
        assert_eq!(read.certs[0].der, issued.der());
        let key = PKey::private_key_from_pkcs8(&read.keys[0].pkcs8).unwrap();
        assert!(key.public_eq(&issued.key));
        assert_eq!(read.keys[0].algorithm.as_ref().unwrap().iterations, 3);
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(
            oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03]),
            OID_PBE_SHA1_3DES
        );
        assert_eq!(oid(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]), OID_SHA1);
    }
}
