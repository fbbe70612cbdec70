//! Workload API client: trust bundle, HMAC signing and server certificates
//! (docs/reference/iot-edge.md §2.3).
//!
//! HTTP/1.1 (hyper's client) over the module's unix socket (`unix:///…`), or over TCP for
//! `http://host:port` URIs (the C SDK accepts both); one connection per call
//! (`crate::endpoint`, shared with the management client).

use std::time::Duration;

use hub_proto::ModuleId;
use hub_proto::workload::{
    ApiVersion, CertificateResponse, ServerCertificateRequest, SignRequest, SignResponse,
    TrustBundleResponse, WorkloadRoute,
};
use serde::de::DeserializeOwned;

use crate::endpoint::{Endpoint, ExchangeError, error_message};
use crate::error::WorkloadError;

/// How long one workload call may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client of one module's workload API.
#[derive(Debug, Clone)]
pub struct WorkloadClient {
    endpoint: Endpoint,
    api_version: ApiVersion,
    timeout: Duration,
}

impl WorkloadClient {
    /// A client for `uri` (`IOTEDGE_WORKLOADURI`) speaking `api_version` (`IOTEDGE_APIVERSION`).
    pub fn new(uri: &str, api_version: ApiVersion) -> Result<Self, WorkloadError> {
        let endpoint = Endpoint::parse(uri).ok_or_else(|| WorkloadError::Uri(uri.to_owned()))?;
        Ok(Self {
            endpoint,
            api_version,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same client with another per-call timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `GET /trust-bundle`: the PEM certificates that verify edgeHub.
    pub async fn trust_bundle(&self) -> Result<String, WorkloadError> {
        let res: TrustBundleResponse = self.call("GET", &WorkloadRoute::TrustBundle, None).await?;
        Ok(res.certificate)
    }

    /// `POST /modules/{m}/genid/{g}/sign`: the base64 HMAC-SHA256 of `data` under the module
    /// identity's primary key.
    pub async fn sign(
        &self,
        module: &ModuleId,
        generation_id: &str,
        data: &[u8],
    ) -> Result<String, WorkloadError> {
        let route = WorkloadRoute::Sign {
            module: module.clone(),
            generation_id: generation_id.to_owned(),
        };
        let body =
            serde_json::to_vec(&SignRequest::hmac_sha256(data)).map_err(WorkloadError::Json)?;
        let res: SignResponse = self.call("POST", &route, Some(body)).await?;
        Ok(res.digest)
    }

    /// `POST /modules/{m}/genid/{g}/certificate/server`: a server certificate for
    /// `common_name`, issued by the edge CA.
    pub async fn server_certificate(
        &self,
        module: &ModuleId,
        generation_id: &str,
        common_name: &str,
    ) -> Result<CertificateResponse, WorkloadError> {
        let route = WorkloadRoute::ServerCertificate {
            module: module.clone(),
            generation_id: generation_id.to_owned(),
        };
        let request = ServerCertificateRequest {
            common_name: common_name.to_owned(),
            expiration: None,
        };
        let body = serde_json::to_vec(&request).map_err(WorkloadError::Json)?;
        self.call("POST", &route, Some(body)).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        route: &WorkloadRoute,
        json_body: Option<Vec<u8>>,
    ) -> Result<T, WorkloadError> {
        let target = route.request_target(self.api_version);
        let response = self
            .endpoint
            .exchange(method, &target, json_body, self.timeout)
            .await
            .map_err(|e| match e {
                ExchangeError::Io(e) => WorkloadError::Io(e),
                ExchangeError::Timeout(t) => WorkloadError::Timeout(t),
                ExchangeError::Request(e) => WorkloadError::Request(e),
                ExchangeError::Http(e) => WorkloadError::Http(e),
                ExchangeError::TooLarge(limit) => WorkloadError::TooLarge(limit),
            })?;
        if !(200..300).contains(&response.status) {
            return Err(WorkloadError::Status {
                status: response.status,
                message: error_message(&response.body),
            });
        }
        serde_json::from_slice(&response.body).map_err(WorkloadError::Json)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    #[test]
    fn unix_and_http_uris_are_accepted() {
        let c = WorkloadClient::new("unix:///var/run/iotedge/workload.sock", ApiVersion::CURRENT)
            .unwrap();
        assert_eq!(
            c.endpoint,
            Endpoint::Unix(PathBuf::from("/var/run/iotedge/workload.sock"))
        );
        let c = WorkloadClient::new("http://127.0.0.1:15581/", ApiVersion::CURRENT).unwrap();
        assert_eq!(c.endpoint, Endpoint::Tcp("127.0.0.1:15581".to_owned()));
    }

    #[test]
    fn other_uris_are_refused() {
        for uri in ["https://x:1", "unix://", "/var/run/x.sock", "http://h/path"] {
            assert!(
                matches!(
                    WorkloadClient::new(uri, ApiVersion::CURRENT),
                    Err(WorkloadError::Uri(_))
                ),
                "{uri}"
            );
        }
    }

    #[tokio::test]
    async fn sign_round_trips_over_a_unix_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workload.sock");
        let listener = tokio::net::UnixListener::bind(&path).unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 4096];
            let n = s.read(&mut buf).await.unwrap();
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let body = br#"{"digest":"c2ln"}"#;
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            s.write_all(head.as_bytes()).await.unwrap();
            s.write_all(body).await.unwrap();
            text
        });
        let client = WorkloadClient::new(
            &format!("unix://{}", path.display()),
            ApiVersion::V2018_06_28,
        )
        .unwrap();
        let digest = client
            .sign(&ModuleId::new("$edgeAgent").unwrap(), "g1", b"data")
            .await
            .unwrap();
        assert_eq!(digest, "c2ln");
        let request = server.await.unwrap();
        assert!(request.starts_with(
            "POST /modules/%24edgeAgent/genid/g1/sign?api-version=2018-06-28 HTTP/1.1\r\n"
        ));
        assert!(request.contains(r#""data":"ZGF0YQ==""#), "{request}");
    }

    #[tokio::test]
    async fn error_status_surfaces_edgelet_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workload.sock");
        let listener = tokio::net::UnixListener::bind(&path).unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 4096];
            let _ = s.read(&mut buf).await.unwrap();
            s.write_all(b"HTTP/1.1 404 Not Found\r\n\r\n{\"message\":\"module not found\"}")
                .await
                .unwrap();
        });
        let client =
            WorkloadClient::new(&format!("unix://{}", path.display()), ApiVersion::CURRENT)
                .unwrap();
        let err = client.trust_bundle().await.unwrap_err();
        assert!(
            matches!(&err, WorkloadError::Status { status: 404, message } if message == "module not found"),
            "{err:?}"
        );
    }
}
