//! The IoT Edge workload API: routes, api-versions and JSON bodies (docs/reference/iot-edge.md
//! §2.3).
//!
//! HTTP/1.1 over a per-module unix socket. Every route takes `?api-version=`; errors are
//! `{"message": "…"}`. Python sends `IOTEDGE_APIVERSION` (`2022-08-03` on 1.4/1.5), the C and
//! .NET SDKs hard-code `2018-06-28`; both must be served.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::encoding::{DecodeError, decode_component, encode_component};
use crate::ids::{IdError, ModuleId};

/// A workload api-version that edgelet knows (`edgelet-http/src/version.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiVersion {
    /// `2018-06-28`, the oldest, hard-coded in the C and .NET SDKs.
    V2018_06_28,
    /// `2019-01-30`.
    V2019_01_30,
    /// `2019-10-22`.
    V2019_10_22,
    /// `2019-11-05`.
    V2019_11_05,
    /// `2020-07-07`.
    V2020_07_07,
    /// `2021-12-07`.
    V2021_12_07,
    /// `2022-08-03`, the `IOTEDGE_APIVERSION` of IoT Edge 1.4 and 1.5.
    V2022_08_03,
}

impl ApiVersion {
    /// Every known version, oldest first.
    pub const ALL: [Self; 7] = [
        Self::V2018_06_28,
        Self::V2019_01_30,
        Self::V2019_10_22,
        Self::V2019_11_05,
        Self::V2020_07_07,
        Self::V2021_12_07,
        Self::V2022_08_03,
    ];

    /// The version real devices put into `IOTEDGE_APIVERSION`.
    pub const CURRENT: Self = Self::V2022_08_03;

    /// The version string used in the query.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V2018_06_28 => "2018-06-28",
            Self::V2019_01_30 => "2019-01-30",
            Self::V2019_10_22 => "2019-10-22",
            Self::V2019_11_05 => "2019-11-05",
            Self::V2020_07_07 => "2020-07-07",
            Self::V2021_12_07 => "2021-12-07",
            Self::V2022_08_03 => "2022-08-03",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApiVersion {
    type Err = WorkloadPathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| WorkloadPathError::UnknownApiVersion(s.to_owned()))
    }
}

/// A workload API route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkloadRoute {
    /// `GET /trust-bundle`.
    TrustBundle,
    /// `GET /manifest-trust-bundle`.
    ManifestTrustBundle,
    /// `POST /modules/{module}/genid/{genid}/sign`.
    Sign {
        /// The module whose identity key signs.
        module: ModuleId,
        /// The module identity's generation id.
        generation_id: String,
    },
    /// `POST /modules/{module}/genid/{genid}/certificate/server`.
    ServerCertificate {
        /// The module the certificate is for.
        module: ModuleId,
        /// The module identity's generation id.
        generation_id: String,
    },
    /// `POST /modules/{module}/certificate/identity`.
    IdentityCertificate {
        /// The module the certificate is for.
        module: ModuleId,
    },
    /// `POST /modules/{module}/genid/{genid}/encrypt`.
    Encrypt {
        /// The module whose key encrypts.
        module: ModuleId,
        /// The module identity's generation id.
        generation_id: String,
    },
    /// `POST /modules/{module}/genid/{genid}/decrypt`.
    Decrypt {
        /// The module whose key decrypts.
        module: ModuleId,
        /// The module identity's generation id.
        generation_id: String,
    },
    /// `GET /modules`: the runtime's modules and their status.
    ListModules,
}

/// Why a request target is not a workload API route.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadPathError {
    /// The path is none of the known routes.
    #[error("unknown workload route {0:?}")]
    UnknownRoute(String),
    /// The query has no `api-version`.
    #[error("request lacks the api-version parameter")]
    MissingApiVersion,
    /// The `api-version` is not one edgelet knows.
    #[error("unknown api-version {0:?}")]
    UnknownApiVersion(String),
    /// A path segment has invalid percent-encoding.
    #[error("workload path has invalid percent-encoding")]
    Encoding(#[source] DecodeError),
    /// The module id in the path is invalid.
    #[error("workload path holds an invalid module id")]
    Module(#[source] IdError),
}

impl WorkloadRoute {
    /// The request target (path and query) for `version`, with the module id encoded like the
    /// Python SDK (`quote(module_id, safe="")`, so `$edgeAgent` becomes `%24edgeAgent`).
    #[must_use]
    pub fn request_target(&self, version: ApiVersion) -> String {
        let path = match self {
            Self::TrustBundle => "/trust-bundle".to_owned(),
            Self::ManifestTrustBundle => "/manifest-trust-bundle".to_owned(),
            Self::Sign {
                module,
                generation_id,
            } => format!(
                "/modules/{}/genid/{}/sign",
                encode_component(module.as_str()),
                encode_component(generation_id)
            ),
            Self::ServerCertificate {
                module,
                generation_id,
            } => format!(
                "/modules/{}/genid/{}/certificate/server",
                encode_component(module.as_str()),
                encode_component(generation_id)
            ),
            Self::IdentityCertificate { module } => format!(
                "/modules/{}/certificate/identity",
                encode_component(module.as_str())
            ),
            Self::Encrypt {
                module,
                generation_id,
            } => format!(
                "/modules/{}/genid/{}/encrypt",
                encode_component(module.as_str()),
                encode_component(generation_id)
            ),
            Self::Decrypt {
                module,
                generation_id,
            } => format!(
                "/modules/{}/genid/{}/decrypt",
                encode_component(module.as_str()),
                encode_component(generation_id)
            ),
            Self::ListModules => "/modules".to_owned(),
        };
        format!("{path}?api-version={version}")
    }

    /// Parses a request target (`/path?api-version=…`) into the route and its api-version.
    pub fn parse(target: &str) -> Result<(Self, ApiVersion), WorkloadPathError> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let version = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("api-version="))
            .ok_or(WorkloadPathError::MissingApiVersion)?
            .parse()?;
        let unknown = || WorkloadPathError::UnknownRoute(path.to_owned());
        let levels: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let module = |m: &str| {
            let m = decode_component(m).map_err(WorkloadPathError::Encoding)?;
            ModuleId::new(m.into_owned()).map_err(WorkloadPathError::Module)
        };
        let genid = |g: &str| {
            decode_component(g)
                .map(std::borrow::Cow::into_owned)
                .map_err(WorkloadPathError::Encoding)
        };
        let route = match levels.as_slice() {
            ["trust-bundle"] => Self::TrustBundle,
            ["manifest-trust-bundle"] => Self::ManifestTrustBundle,
            ["modules", m, "genid", g, "sign"] => Self::Sign {
                module: module(m)?,
                generation_id: genid(g)?,
            },
            ["modules", m, "genid", g, "certificate", "server"] => Self::ServerCertificate {
                module: module(m)?,
                generation_id: genid(g)?,
            },
            ["modules", m, "certificate", "identity"] => {
                Self::IdentityCertificate { module: module(m)? }
            }
            ["modules", m, "genid", g, "encrypt"] => Self::Encrypt {
                module: module(m)?,
                generation_id: genid(g)?,
            },
            ["modules", m, "genid", g, "decrypt"] => Self::Decrypt {
                module: module(m)?,
                generation_id: genid(g)?,
            },
            ["modules"] => Self::ListModules,
            _ => return Err(unknown()),
        };
        Ok((route, version))
    }
}

/// The only signing algorithm of the workload API.
pub const ALGO_HMAC_SHA256: &str = "HMACSHA256";
/// The key id SDKs sign with.
pub const KEY_ID_PRIMARY: &str = "primary";

/// `POST …/sign` body: `{"keyId":"primary","algo":"HMACSHA256","data":"<base64>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequest {
    /// Which identity key (`primary`); current edgelet ignores it.
    #[serde(default = "primary")]
    pub key_id: String,
    /// `HMACSHA256`; current edgelet ignores it.
    #[serde(default = "hmac_sha256")]
    pub algo: String,
    /// The bytes to sign, base64.
    pub data: String,
}

fn primary() -> String {
    KEY_ID_PRIMARY.to_owned()
}

fn hmac_sha256() -> String {
    ALGO_HMAC_SHA256.to_owned()
}

impl SignRequest {
    /// A request to sign `data` with the primary key, as the SDKs send it.
    #[must_use]
    pub fn hmac_sha256(data: &[u8]) -> Self {
        Self {
            key_id: primary(),
            algo: hmac_sha256(),
            data: BASE64.encode(data),
        }
    }

    /// The decoded bytes to sign.
    pub fn decoded_data(&self) -> Result<Vec<u8>, base64::DecodeError> {
        BASE64.decode(&self.data)
    }
}

/// `POST …/sign` response: `{"digest":"<base64 HMAC-SHA256>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignResponse {
    /// The base64 HMAC-SHA256 of the data under the module's key.
    pub digest: String,
}

/// `GET /trust-bundle` response: `{"certificate":"<PEM text>"}`.
///
/// The YAML says base64, but edgelet returns PEM text, possibly several certificates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustBundleResponse {
    /// PEM certificates.
    pub certificate: String,
}

/// `POST …/certificate/server` body: `{"commonName":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerCertificateRequest {
    /// DNS name or IP address for the certificate.
    pub common_name: String,
    /// Requested expiry (RFC 3339); listed in the YAML, ignored by current edgelet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
}

/// The private key of a [`CertificateResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateKey {
    /// Always `key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// PKCS#8 PEM.
    pub bytes: String,
}

/// Certificate routes' `201` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateResponse {
    /// The certificate's private key.
    pub private_key: PrivateKey,
    /// The PEM chain, leaf first.
    pub certificate: String,
    /// Expiry, RFC 3339.
    pub expiration: String,
}

/// `POST …/encrypt` body: `{"plaintext":"<base64>","initializationVector":"<base64>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptRequest {
    /// The bytes to encrypt, base64.
    pub plaintext: String,
    /// The initialization vector, base64; decryption needs the same one.
    pub initialization_vector: String,
}

/// `POST …/encrypt` response: `{"ciphertext":"<base64>"}` (opaque to the module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptResponse {
    /// The encrypted bytes, base64.
    pub ciphertext: String,
}

/// `POST …/decrypt` body: `{"ciphertext":"<base64>","initializationVector":"<base64>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecryptRequest {
    /// A ciphertext from `…/encrypt` of the same module, base64.
    pub ciphertext: String,
    /// The initialization vector given to `…/encrypt`, base64.
    pub initialization_vector: String,
}

/// `POST …/decrypt` response: `{"plaintext":"<base64>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecryptResponse {
    /// The decrypted bytes, base64.
    pub plaintext: String,
}

/// `GET /modules` response: `{"modules":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleList {
    /// The runtime's modules.
    pub modules: Vec<ModuleDetails>,
}

/// One module of `GET /modules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleDetails {
    /// The module id.
    pub id: String,
    /// The module name.
    pub name: String,
    /// The runtime type (`docker`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its configuration: `{"settings": {"image": …}, "env": […]}`.
    pub config: serde_json::Value,
    /// Its status.
    pub status: ModuleStatusDetails,
}

/// The status of a [`ModuleDetails`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleStatusDetails {
    /// When it last started (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// How it last exited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<ExitStatusDetails>,
    /// `{"status": "running" | "stopped" | "failed" | "unknown" | …, "description": …}`.
    pub runtime_status: RuntimeStatusDetails,
}

/// How a module last exited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExitStatusDetails {
    /// When (RFC 3339).
    pub exit_time: String,
    /// The exit code, as text.
    pub status_code: String,
}

/// A module's runtime status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeStatusDetails {
    /// `running`, `stopped`, `failed`, `backoff`, `unknown`.
    pub status: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Every workload API error body: `{"message":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// What went wrong.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_python_sign_request_is_reproduced() {
        // docs/reference/iot-edge.md §2.2, the captured workload requests.
        let route = WorkloadRoute::Sign {
            module: ModuleId::new("certagent").unwrap(),
            generation_id: "637123456789".to_owned(),
        };
        assert_eq!(
            route.request_target(ApiVersion::V2022_08_03),
            "/modules/certagent/genid/637123456789/sign?api-version=2022-08-03"
        );
        let body = SignRequest::hmac_sha256(
            b"myhub.azure-devices.net%2Fdevices%2Fedgedev1%2Fmodules%2Fcertagent\n1795823214",
        );
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"keyId":"primary","algo":"HMACSHA256","data":"bXlodWIuYXp1cmUtZGV2aWNlcy5uZXQlMkZkZXZpY2VzJTJGZWRnZWRldjElMkZtb2R1bGVzJTJGY2VydGFnZW50CjE3OTU4MjMyMTQ="}"#
        );
    }

    #[test]
    fn routes_parse_with_their_api_version() {
        assert_eq!(
            WorkloadRoute::parse("/trust-bundle?api-version=2018-06-28").unwrap(),
            (WorkloadRoute::TrustBundle, ApiVersion::V2018_06_28)
        );
        let (route, version) = WorkloadRoute::parse(
            "/modules/%24edgeAgent/genid/1/certificate/server?api-version=2022-08-03",
        )
        .unwrap();
        assert_eq!(version, ApiVersion::CURRENT);
        assert_eq!(
            route,
            WorkloadRoute::ServerCertificate {
                module: ModuleId::new("$edgeAgent").unwrap(),
                generation_id: "1".to_owned()
            }
        );
        assert_eq!(
            route.request_target(version),
            "/modules/%24edgeAgent/genid/1/certificate/server?api-version=2022-08-03"
        );
    }

    #[test]
    fn missing_or_unknown_api_version_is_refused() {
        assert_eq!(
            WorkloadRoute::parse("/trust-bundle"),
            Err(WorkloadPathError::MissingApiVersion)
        );
        assert_eq!(
            WorkloadRoute::parse("/trust-bundle?api-version=2017-01-01"),
            Err(WorkloadPathError::UnknownApiVersion(
                "2017-01-01".to_owned()
            ))
        );
        assert!(matches!(
            WorkloadRoute::parse("/modules/m1?api-version=2022-08-03"),
            Err(WorkloadPathError::UnknownRoute(_))
        ));
    }

    #[test]
    fn encrypt_decrypt_and_list_routes_round_trip() {
        let m = ModuleId::new("m1").unwrap();
        for route in [
            WorkloadRoute::Encrypt {
                module: m.clone(),
                generation_id: "g".to_owned(),
            },
            WorkloadRoute::Decrypt {
                module: m.clone(),
                generation_id: "g".to_owned(),
            },
            WorkloadRoute::ListModules,
        ] {
            let target = route.request_target(ApiVersion::V2018_06_28);
            assert_eq!(
                WorkloadRoute::parse(&target).unwrap(),
                (route, ApiVersion::V2018_06_28)
            );
        }
        assert_eq!(
            WorkloadRoute::parse("/modules/m1/genid/g/encrypt?api-version=2022-08-03")
                .unwrap()
                .0,
            WorkloadRoute::Encrypt {
                module: m,
                generation_id: "g".to_owned()
            }
        );
        let req: EncryptRequest =
            serde_json::from_str(r#"{"plaintext":"aGk=","initializationVector":"aXY="}"#).unwrap();
        assert_eq!(req.initialization_vector, "aXY=");
    }

    #[test]
    fn sign_body_without_key_id_and_algo_is_accepted() {
        // Current edgelet reads only `data`.
        let req: SignRequest = serde_json::from_str(r#"{"data":"aGk="}"#).unwrap();
        assert_eq!(req.key_id, "primary");
        assert_eq!(req.decoded_data().unwrap(), b"hi");
    }

    #[test]
    fn certificate_response_uses_edgelet_field_names() {
        let json = r#"{"privateKey":{"type":"key","bytes":"K"},"certificate":"C","expiration":"2026-01-01T00:00:00Z"}"#;
        let res: CertificateResponse = serde_json::from_str(json).unwrap();
        assert_eq!(res.private_key.kind, "key");
        assert_eq!(serde_json::to_string(&res).unwrap(), json);
        let req = ServerCertificateRequest {
            common_name: "localhost".to_owned(),
            expiration: None,
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"commonName":"localhost"}"#
        );
    }
}
