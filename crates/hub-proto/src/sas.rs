//! Shared access signature (SAS) tokens: build, parse and verify.
//!
//! `SharedAccessSignature sr={url-encoded resource}&sig={url-encoded base64 HMAC}&se={expiry}`
//! plus `&skn={policy}` for policy (service) tokens (docs/reference/iot-edge.md §1.3; Python SDK
//! `common/auth/sastoken.py`). The string to sign is `encoded_sr + "\n" + se`, signed with
//! HMAC-SHA256 under the base64-decoded key. The resource is encoded with
//! `urllib.parse.quote(uri, safe="")`, so tokens built here equal the Python SDK's byte for
//! byte.
//!
//! Verification follows edgeHub (`SharedAccessSignature.cs`): `sr` is kept as sent and the HMAC
//! is recomputed over it, the signature is compared in constant time, and a token counts as
//! expired only once `se + 5 min < now`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::encoding::{DecodeError, decode_component, encode_component};
use crate::ids::{DeviceId, IdError, ModuleId};

type HmacSha256 = hmac::Hmac<Sha256>;

/// The scheme word that starts every token.
pub const SCHEME: &str = "SharedAccessSignature";

/// Clock skew edgeHub tolerates after `se` (`SharedAccessSignatureConstants.MaxClockSkew`).
pub const MAX_CLOCK_SKEW_SECS: u64 = 5 * 60;

/// Token lifetime the Python SDK uses by default (`sastoken_ttl`).
pub const DEFAULT_TTL_SECS: u64 = 3600;

/// A symmetric identity or policy key (the base64 `SharedAccessKey`), decoded.
#[derive(Clone)]
pub struct SharedAccessKey {
    bytes: Vec<u8>,
    /// HMAC state keyed once, cloned for every signature.
    mac: HmacSha256,
}

/// Why a key is not usable.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key is not standard base64.
    #[error("shared access key is not valid base64")]
    Base64(#[source] base64::DecodeError),
    /// The key decodes to nothing.
    #[error("shared access key is empty")]
    Empty,
    /// The HMAC implementation refused the key length.
    #[error("shared access key has an unusable length")]
    Length(#[source] hmac::digest::InvalidLength),
}

impl SharedAccessKey {
    /// Decodes a base64 key as found in connection strings and identity records.
    pub fn from_base64(key: &str) -> Result<Self, KeyError> {
        let bytes = BASE64.decode(key.trim()).map_err(KeyError::Base64)?;
        Self::from_bytes(bytes)
    }

    /// Wraps raw key bytes (for example freshly generated random bytes).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, KeyError> {
        if bytes.is_empty() {
            return Err(KeyError::Empty);
        }
        let mac = <HmacSha256 as KeyInit>::new_from_slice(&bytes).map_err(KeyError::Length)?;
        Ok(Self { bytes, mac })
    }

    /// The key in base64, as written into connection strings.
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.bytes)
    }

    /// HMAC-SHA256 of `data` under this key, base64-encoded: the workload API's `digest`.
    #[must_use]
    pub fn sign(&self, data: &[u8]) -> String {
        BASE64.encode(self.mac(data).finalize().into_bytes())
    }

    /// Whether `signature` (raw bytes) is the HMAC of `data`, compared in constant time.
    #[must_use]
    pub fn verify(&self, data: &[u8], signature: &[u8]) -> bool {
        self.mac(data).verify_slice(signature).is_ok()
    }

    fn mac(&self, data: &[u8]) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(data);
        mac
    }
}

impl PartialEq for SharedAccessKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for SharedAccessKey {}

impl fmt::Debug for SharedAccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedAccessKey(<redacted>)")
    }
}

/// What a token grants access to: the decoded `sr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// A hub, for policy tokens: `{host}`.
    Hub {
        /// IoT Hub host name (may carry a `:port`).
        host: String,
    },
    /// A device identity: `{host}/devices/{device}`.
    Device {
        /// IoT Hub host name.
        host: String,
        /// The device.
        device: DeviceId,
    },
    /// A module identity: `{host}/devices/{device}/modules/{module}`.
    Module {
        /// IoT Hub host name.
        host: String,
        /// The device.
        device: DeviceId,
        /// The module.
        module: ModuleId,
    },
}

impl Audience {
    /// Parses a decoded resource URI.
    pub fn parse(uri: &str) -> Result<Self, SasParseError> {
        let levels: Vec<&str> = uri.split('/').collect();
        match levels.as_slice() {
            [host] if !host.is_empty() => Ok(Self::Hub {
                host: (*host).to_owned(),
            }),
            [host, "devices", device] if !host.is_empty() => Ok(Self::Device {
                host: (*host).to_owned(),
                device: DeviceId::new(*device).map_err(SasParseError::Audience)?,
            }),
            [host, "devices", device, "modules", module] if !host.is_empty() => Ok(Self::Module {
                host: (*host).to_owned(),
                device: DeviceId::new(*device).map_err(SasParseError::Audience)?,
                module: ModuleId::new(*module).map_err(SasParseError::Audience)?,
            }),
            _ => Err(SasParseError::UnknownAudience(uri.to_owned())),
        }
    }

    /// The host name part.
    #[must_use]
    pub fn host(&self) -> &str {
        match self {
            Self::Hub { host } | Self::Device { host, .. } | Self::Module { host, .. } => host,
        }
    }

    /// Whether this audience names the given identity, as edgeHub decides
    /// (`DeviceScopeTokenAuthenticator.cs`): the host equals one of `hosts` (the IoT Hub or the
    /// edgeHub host name) and the ids match ignoring case. A module needs a module audience
    /// and a device a device audience.
    #[must_use]
    pub fn authorizes(&self, hosts: &[&str], device: &DeviceId, module: Option<&ModuleId>) -> bool {
        let host_ok = |h: &str| hosts.iter().any(|known| known.eq_ignore_ascii_case(h));
        match (self, module) {
            (Self::Device { host, device: d }, None) => host_ok(host) && d.eq_ignore_case(device),
            (
                Self::Module {
                    host,
                    device: d,
                    module: m,
                },
                Some(module),
            ) => host_ok(host) && d.eq_ignore_case(device) && m.eq_ignore_case(module),
            _ => false,
        }
    }
}

impl fmt::Display for Audience {
    /// Writes the resource URI (not yet URL-encoded).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hub { host } => f.write_str(host),
            Self::Device { host, device } => write!(f, "{host}/devices/{device}"),
            Self::Module {
                host,
                device,
                module,
            } => write!(f, "{host}/devices/{device}/modules/{module}"),
        }
    }
}

/// A SAS token.
#[derive(Clone, PartialEq, Eq)]
pub struct SasToken {
    /// `sr` exactly as sent (URL-encoded).
    resource: String,
    /// The base64 signature, URL-decoded.
    signature: String,
    /// `se` as sent (URL-decoded); the signature covers this text.
    expiry_text: String,
    expiry: u64,
    key_name: Option<String>,
}

/// Why a string is not a SAS token.
#[derive(Debug, thiserror::Error)]
pub enum SasParseError {
    /// The string does not start with `SharedAccessSignature `.
    #[error("token does not start with \"{SCHEME} \"")]
    NotSas,
    /// A required field (`sr`, `sig`, `se`) is missing or empty.
    #[error("token lacks the {0} field")]
    MissingField(&'static str),
    /// A field appears twice.
    #[error("token has the {0} field twice")]
    DuplicateField(String),
    /// A field is not of the form `name=value`.
    #[error("token field {0:?} has no value")]
    MalformedField(String),
    /// `se` is not a number of seconds.
    #[error("token expiry {0:?} is not a number")]
    BadExpiry(String),
    /// A field has invalid percent-encoding.
    #[error("token field has invalid percent-encoding")]
    Encoding(#[source] DecodeError),
    /// The decoded `sr` is neither a hub, a device nor a module URI.
    #[error("token audience {0:?} is not a hub, device or module")]
    UnknownAudience(String),
    /// The audience holds an invalid device or module id.
    #[error("token audience holds an invalid identifier")]
    Audience(#[source] IdError),
}

/// Why a well-formed token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SasVerifyError {
    /// No key produces the token's signature.
    #[error("token signature does not match")]
    BadSignature,
    /// `se` plus the allowed clock skew lies in the past.
    #[error("token expired at {expiry} (now {now})")]
    Expired {
        /// The token's `se`.
        expiry: u64,
        /// The time it was checked at.
        now: u64,
    },
}

impl SasToken {
    /// Signs a token for `resource_uri` (for example an [`Audience`]'s text) valid until
    /// `expiry` (seconds since the Unix epoch); `key_name` makes it a policy token.
    #[must_use]
    pub fn sign(
        resource_uri: &str,
        key: &SharedAccessKey,
        key_name: Option<&str>,
        expiry: u64,
    ) -> Self {
        let signature = key.sign(Self::string_to_sign(resource_uri, expiry).as_bytes());
        Self::from_signature(resource_uri, signature, key_name, expiry)
    }

    /// Signs a token that lives `ttl` seconds from `now`, like the SDKs' renewable tokens.
    #[must_use]
    pub fn sign_with_ttl(
        resource_uri: &str,
        key: &SharedAccessKey,
        key_name: Option<&str>,
        now: u64,
        ttl: u64,
    ) -> Self {
        Self::sign(resource_uri, key, key_name, now.saturating_add(ttl))
    }

    /// The text to sign for `resource_uri` and `expiry`: `encoded_sr + "\n" + se`.
    ///
    /// Under IoT Edge a module sends this (base64) to the workload API's `sign` route and
    /// builds the token with [`SasToken::from_signature`].
    #[must_use]
    pub fn string_to_sign(resource_uri: &str, expiry: u64) -> String {
        format!("{}\n{expiry}", encode_component(resource_uri))
    }

    /// Assembles a token from a signature computed elsewhere (the workload API's `digest`).
    #[must_use]
    pub fn from_signature(
        resource_uri: &str,
        signature_base64: String,
        key_name: Option<&str>,
        expiry: u64,
    ) -> Self {
        Self {
            resource: encode_component(resource_uri).into_owned(),
            signature: signature_base64,
            expiry_text: expiry.to_string(),
            expiry,
            key_name: key_name.map(str::to_owned),
        }
    }

    /// Parses a token as edgeHub does: fields in any order, `sr` kept encoded, `sig` and `se`
    /// URL-decoded, `skn` optional, unknown fields ignored.
    pub fn parse(token: &str) -> Result<Self, SasParseError> {
        let fields = token
            .strip_prefix(SCHEME)
            .and_then(|rest| rest.strip_prefix(' '))
            .ok_or(SasParseError::NotSas)?;
        let (mut sr, mut sig, mut se, mut skn) = (None, None, None, None);
        for field in fields.split('&') {
            let (name, value) = field
                .split_once('=')
                .ok_or_else(|| SasParseError::MalformedField(field.to_owned()))?;
            let slot = match name {
                "sr" => &mut sr,
                "sig" => &mut sig,
                "se" => &mut se,
                "skn" => &mut skn,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(SasParseError::DuplicateField(name.to_owned()));
            }
        }
        let resource = required(sr, "sr")?.to_owned();
        let decode = |v: &str| {
            decode_component(v)
                .map(std::borrow::Cow::into_owned)
                .map_err(SasParseError::Encoding)
        };
        let signature = decode(required(sig, "sig")?)?;
        let expiry_text = decode(required(se, "se")?)?;
        let expiry = expiry_text
            .parse()
            .map_err(|_| SasParseError::BadExpiry(expiry_text.clone()))?;
        let key_name = skn.map(decode).transpose()?;
        Ok(Self {
            resource,
            signature,
            expiry_text,
            expiry,
            key_name,
        })
    }

    /// `sr` as sent, URL-encoded.
    #[must_use]
    pub fn encoded_resource(&self) -> &str {
        &self.resource
    }

    /// The decoded resource URI.
    pub fn resource_uri(&self) -> Result<String, SasParseError> {
        decode_component(&self.resource)
            .map(std::borrow::Cow::into_owned)
            .map_err(SasParseError::Encoding)
    }

    /// The decoded resource as an [`Audience`].
    pub fn audience(&self) -> Result<Audience, SasParseError> {
        Audience::parse(&self.resource_uri()?)
    }

    /// The base64 signature.
    #[must_use]
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// Expiry, seconds since the Unix epoch.
    #[must_use]
    pub fn expiry(&self) -> u64 {
        self.expiry
    }

    /// The policy name (`skn`) of a policy token.
    #[must_use]
    pub fn key_name(&self) -> Option<&str> {
        self.key_name.as_deref()
    }

    /// Whether edgeHub would consider the token expired at `now` (with 5 minutes of skew).
    #[must_use]
    pub fn is_expired(&self, now: u64) -> bool {
        self.expiry.saturating_add(MAX_CLOCK_SKEW_SECS) < now
    }

    /// Checks the signature against each key in turn (primary, then secondary) in constant
    /// time, then the expiry at `now`.
    pub fn verify(&self, keys: &[&SharedAccessKey], now: u64) -> Result<(), SasVerifyError> {
        let message = format!("{}\n{}", self.resource, self.expiry_text);
        let signature = BASE64
            .decode(&self.signature)
            .map_err(|_| SasVerifyError::BadSignature)?;
        // Check every key so the time taken does not reveal which one matched.
        let matched = keys.iter().fold(false, |ok, key| {
            key.verify(message.as_bytes(), &signature) | ok
        });
        if !matched {
            return Err(SasVerifyError::BadSignature);
        }
        if self.is_expired(now) {
            return Err(SasVerifyError::Expired {
                expiry: self.expiry,
                now,
            });
        }
        Ok(())
    }
}

fn required<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str, SasParseError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or(SasParseError::MissingField(name))
}

impl fmt::Display for SasToken {
    /// Writes the token in the Python SDK's field order: `sr`, `sig`, `se`, `skn`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{SCHEME} sr={}&sig={}&se={}",
            self.resource,
            encode_component(&self.signature),
            encode_component(&self.expiry_text)
        )?;
        if let Some(skn) = &self.key_name {
            // The Python SDK writes the policy name as is.
            write!(f, "&skn={skn}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SasToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The signature is a bearer credential until it expires: keep it out of logs.
        f.debug_struct("SasToken")
            .field("resource", &self.resource)
            .field("expiry", &self.expiry)
            .field("key_name", &self.key_name)
            .finish_non_exhaustive()
    }
}
