//! What a validation checks beyond the chain: policy limits and the expected peer.

/// OPC UA security policies, for their certificate key-length limits (OPC 10000-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityPolicy {
    /// `None`: no limits apply.
    None,
    /// `Basic128Rsa15` (deprecated): 1024–2048 bits.
    Basic128Rsa15,
    /// `Basic256` (deprecated): 1024–2048 bits.
    Basic256,
    /// `Basic256Sha256`: 2048–4096 bits.
    Basic256Sha256,
    /// `Aes128_Sha256_RsaOaep`: 2048–4096 bits.
    Aes128Sha256RsaOaep,
    /// `Aes256_Sha256_RsaPss`: 2048–4096 bits.
    Aes256Sha256RsaPss,
}

impl SecurityPolicy {
    /// Minimum and maximum RSA key size in bits for this policy.
    #[must_use]
    pub fn key_bits(self) -> Option<(u32, u32)> {
        match self {
            Self::None => None,
            Self::Basic128Rsa15 | Self::Basic256 => Some((1024, 2048)),
            Self::Basic256Sha256 | Self::Aes128Sha256RsaOaep | Self::Aes256Sha256RsaPss => {
                Some((2048, 4096))
            }
        }
    }

    /// Parses a policy URI (`http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256`).
    #[must_use]
    pub fn from_uri(uri: &str) -> Option<Self> {
        let name = uri.rsplit('#').next()?;
        Some(match name {
            "None" => Self::None,
            "Basic128Rsa15" => Self::Basic128Rsa15,
            "Basic256" => Self::Basic256,
            "Basic256Sha256" => Self::Basic256Sha256,
            "Aes128_Sha256_RsaOaep" => Self::Aes128Sha256RsaOaep,
            "Aes256_Sha256_RsaPss" => Self::Aes256Sha256RsaPss,
            _ => return None,
        })
    }
}

/// Which side the peer plays, for the extended key usage check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerRole {
    /// The peer is an OPC UA client (needs `clientAuth` when EKU is present).
    Client,
    /// The peer is an OPC UA server (needs `serverAuth` when EKU is present).
    Server,
}

/// The minimum peer key sizes a policy may set, in bits (`--mks`, the twin's
/// `minimumCertificateKeySize`): OPC UA's RSA profiles use 1024–4096 bits; larger keys exist in
/// the field.
pub const KEY_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1024..=16384;

/// Policy knobs; the defaults are the OPC PLC's current ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationOptions {
    /// Minimum RSA key size (`--mks`, default 2048).
    pub min_key_bits: u32,
    /// Reject SHA-1 signed certificates (default true).
    pub reject_sha1: bool,
    /// Reject a CA whose revocation status is unknown, i.e. no CRL (default true; `--drurs`
    /// turns it off).
    pub reject_unknown_revocation: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self {
            min_key_bits: 2048,
            reject_sha1: true,
            reject_unknown_revocation: true,
        }
    }
}

/// Per-connection expectations about the peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerExpectations {
    /// The security policy of the channel (key-length limits).
    pub security_policy: Option<SecurityPolicy>,
    /// The `ApplicationUri` the peer announced (must equal the certificate's SAN URI).
    pub application_uri: Option<String>,
    /// The host name used to reach a server (must be one of its SAN DNS names or IPs).
    pub host_name: Option<String>,
    /// Which side the peer plays.
    pub role: Option<PeerRole>,
}
