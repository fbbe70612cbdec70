//! Private keys: PEM (PKCS#1, PKCS#8, encrypted PKCS#8) and PFX (PKCS#12), and the check
//! that a key belongs to a certificate.

use std::fmt;

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};

use crate::cert::Certificate;
use crate::input::{self, DecodeError, MAX_KEY_BYTES};
use crate::kdf_limit::{self, Excess, MAX_KDF_ITERATIONS};

/// The container a private key came in; the OPC PLC logs it
/// (`The private key for the new certificate was passed in using PEM format.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// PKCS#12.
    Pfx,
    /// PEM text.
    Pem,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pfx => "PFX",
            Self::Pem => "PEM",
        })
    }
}

/// Why a private key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Empty, oversized or undecodable input.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Neither PFX nor PEM, or the password is wrong (the OPC PLC's wording).
    #[error(
        "The provided format of the private key is not supported (must be PEM or PFX) or the provided cert password is wrong."
    )]
    Unsupported,
    /// The file asks for more key-derivation work than a key file needs (its iteration
    /// counts; `kdf_limit`): refused before openssl would spend minutes on it.
    #[error(
        "the private key file asks for {iterations} key derivation iterations, more than the {limit} allowed"
    )]
    TooManyIterations {
        /// The counts the file states, added up (saturating; at least the first over the limit).
        iterations: u64,
        /// [`MAX_KDF_ITERATIONS`].
        limit: u64,
    },
    /// The key does not belong to the certificate.
    #[error("the private key does not match the public key of certificate '{subject}'")]
    Mismatch {
        /// Subject of the certificate.
        subject: String,
    },
}

/// Refuses a key file whose iteration counts add up to more than [`MAX_KDF_ITERATIONS`].
fn check_kdf_work(der: &[u8]) -> Result<(), KeyError> {
    match kdf_limit::check(der) {
        Ok(_) => Ok(()),
        Err(Excess::Iterations(iterations)) => Err(KeyError::TooManyIterations {
            iterations,
            limit: MAX_KDF_ITERATIONS,
        }),
        Err(Excess::Depth) => Err(KeyError::Unsupported),
    }
}

/// A private key. Its bytes are never logged; `Debug` shows only the type and size.
#[derive(Clone)]
pub struct PrivateKey {
    key: PKey<Private>,
    format: KeyFormat,
}

impl PrivateKey {
    /// Reads a key from PFX or PEM bytes, trying PFX first as the OPC PLC does.
    pub fn from_bytes(bytes: &[u8], password: Option<&str>) -> Result<Self, KeyError> {
        input::check_size(bytes, "private key", MAX_KEY_BYTES)?;
        if input::is_pem(bytes) {
            // Only encrypted PKCS#8 derives a key (the legacy `Proc-Type` form: once).
            for der in
                input::pem_blocks(bytes, "private key", "ENCRYPTED PRIVATE KEY").unwrap_or_default()
            {
                check_kdf_work(&der)?;
            }
        } else {
            check_kdf_work(bytes)?;
            let pkcs12 = Pkcs12::from_der(bytes).map_err(|_| KeyError::Unsupported)?;
            let parsed = pkcs12
                .parse2(password.unwrap_or(""))
                .map_err(|_| KeyError::Unsupported)?;
            let key = parsed.pkey.ok_or(KeyError::Unsupported)?;
            return Ok(Self {
                key,
                format: KeyFormat::Pfx,
            });
        }
        // Always with a passphrase, the empty one when none is given (as for PFX): openssl's
        // default callback would otherwise ask for one on the terminal.
        let key = PKey::private_key_from_pem_passphrase(bytes, password.unwrap_or("").as_bytes())
            .map_err(|_| KeyError::Unsupported)?;
        Ok(Self {
            key,
            format: KeyFormat::Pem,
        })
    }

    /// Reads a key from command-line or file text: base64 of PFX, base64 of PEM text (what OPC
    /// Vault returns), or PEM text itself.
    pub fn from_text(text: &str, password: Option<&str>) -> Result<Self, KeyError> {
        let bytes = input::text_to_bytes(text, "private key", MAX_KEY_BYTES)?;
        Self::from_bytes(&bytes, password)
    }

    /// Whether `text` (PEM, or base64 of PEM or DER) holds private key material: a PEM block
    /// labelled `… PRIVATE KEY`, a PKCS#12 file, or a PKCS#1/PKCS#8 key in DER. For refusing a
    /// key pasted where a certificate or CRL belongs with that reason, not as a broken
    /// certificate.
    #[must_use]
    pub fn is_key_material(text: &str) -> bool {
        let Ok(bytes) = input::text_to_bytes(text, "private key", MAX_KEY_BYTES) else {
            return false;
        };
        Self::is_key_bytes(&bytes)
    }

    /// [`Self::is_key_material`] for the bytes of a file (PEM or DER): a store file that does
    /// not parse as a certificate or CRL is reported as a private key when it is one.
    #[must_use]
    pub fn is_key_bytes(bytes: &[u8]) -> bool {
        if input::is_pem(bytes) {
            return String::from_utf8_lossy(bytes)
                .lines()
                .any(|l| l.starts_with("-----BEGIN") && l.contains("PRIVATE KEY-----"));
        }
        Pkcs12::from_der(bytes).is_ok() || PKey::private_key_from_der(bytes).is_ok()
    }

    /// Wraps a key generated on this device.
    #[must_use]
    pub fn from_pkey(key: PKey<Private>) -> Self {
        Self {
            key,
            format: KeyFormat::Pem,
        }
    }

    /// The container the key came in.
    #[must_use]
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    /// The openssl key.
    #[must_use]
    pub fn pkey(&self) -> &PKey<Private> {
        &self.key
    }

    /// Key size in bits.
    #[must_use]
    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// Unencrypted PKCS#8 PEM, as stored in `own/private/*.pem` (file mode `0600`).
    pub fn to_pkcs8_pem(&self) -> Result<Vec<u8>, KeyError> {
        self.key
            .private_key_to_pem_pkcs8()
            .map_err(|_| KeyError::Unsupported)
    }

    /// Unencrypted PKCS#8 DER (what OPC UA stacks load their own key from).
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        self.key
            .private_key_to_pkcs8()
            .map_err(|_| KeyError::Unsupported)
    }

    /// A PFX holding `cert` and this key, in the byte format the .NET stack writes its own
    /// store's PFX files in (`X509Certificate2.Export(Pkcs12, password)` on Linux, see
    /// docs/reference/dotnet-directory-store.md, "The PFX the stack writes"): key and certificate
    /// each under `pbeWithSHAAnd3-KeyTripleDES-CBC` with 2000 iterations, an HMAC-SHA-1 MAC with
    /// 2000 iterations, no `friendlyName`, one certificate and nothing else. `None` is the empty
    /// password the stack uses when none is configured.
    ///
    /// OpenSSL 3's defaults (PBES2 AES-256 and a SHA-256 MAC) would also load in a current .NET,
    /// but this is the format every version of the stack writes and reads, and what the
    /// application's own certificate update would write in the same place.
    pub fn to_dotnet_pfx(
        &self,
        cert: &Certificate,
        password: Option<&str>,
    ) -> Result<Vec<u8>, KeyError> {
        const DOTNET_ITERATIONS: u32 = 2000;
        Pkcs12::builder()
            .pkey(&self.key)
            .cert(cert.x509())
            .key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .cert_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .key_iter(DOTNET_ITERATIONS)
            .mac_iter(DOTNET_ITERATIONS)
            .mac_md(MessageDigest::sha1())
            .build2(password.unwrap_or(""))
            .and_then(|pfx| pfx.to_der())
            .map_err(|_| KeyError::Unsupported)
    }

    /// True when this key is the private half of `cert`'s public key.
    #[must_use]
    pub fn matches(&self, cert: &Certificate) -> bool {
        cert.x509()
            .public_key()
            .is_ok_and(|public| public.public_eq(&self.key))
    }

    /// Fails with [`KeyError::Mismatch`] unless this key belongs to `cert`.
    pub fn check_matches(&self, cert: &Certificate) -> Result<(), KeyError> {
        if self.matches(cert) {
            Ok(())
        } else {
            Err(KeyError::Mismatch {
                subject: cert.subject().to_owned(),
            })
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PrivateKey({:?}, {} bits, <redacted>)",
            self.key.id(),
            self.key.bits()
        )
    }
}
