//! Management API client (edgelet's `mgmt.sock`): list modules, and restart, start or stop one.
//!
//! On a device the management socket is edgeAgent's; another module reaches it only when its
//! `createOptions` bind it (`"Binds": ["/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock"]`)
//! and it knows the URI (`IOTEDGE_MANAGEMENTURI`, which edge-sim sets for such modules).
//! Routes are hub-proto's [`ManagementRoute`]; the HTTP exchange (hyper's client, one
//! connection per call) is the one the workload client uses (`crate::endpoint`).

use std::time::Duration;

use hub_proto::env::{IOTEDGE_APIVERSION, IOTEDGE_MANAGEMENTURI};
use hub_proto::management::ManagementRoute;
use hub_proto::workload::{ApiVersion, ModuleDetails, ModuleList};
use serde::de::DeserializeOwned;

use crate::endpoint::{Endpoint, ExchangeError, Response, error_message};
use crate::error::ManagementError;

/// How long one management call may take: a restart waits for the module to stop (up to
/// docker's 10 s grace period) and start again.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(1);

/// The api-version used when `IOTEDGE_APIVERSION` is unset: the oldest, which every edgelet
/// serves.
pub const DEFAULT_API_VERSION: ApiVersion = ApiVersion::V2018_06_28;

/// A client of the IoT Edge management API.
#[derive(Debug, Clone)]
pub struct ManagementClient {
    uri: String,
    endpoint: Endpoint,
    api_version: ApiVersion,
    timeout: Duration,
}

impl ManagementClient {
    /// A client for `uri` (`unix:///…` or `http://host:port`) speaking `api_version`.
    pub fn new(uri: &str, api_version: ApiVersion) -> Result<Self, ManagementError> {
        let endpoint = Endpoint::parse(uri).ok_or_else(|| ManagementError::Uri(uri.to_owned()))?;
        Ok(Self {
            uri: uri.to_owned(),
            endpoint,
            api_version,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The client the environment describes, read through `lookup` (pass
    /// `|k| std::env::var(k).ok()`): `IOTEDGE_MANAGEMENTURI` and `IOTEDGE_APIVERSION`
    /// ([`DEFAULT_API_VERSION`] when unset). `Ok(None)` when `IOTEDGE_MANAGEMENTURI` is unset or
    /// empty: the module was not given the management API.
    pub fn from_environment(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ManagementError> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let Some(uri) = get(IOTEDGE_MANAGEMENTURI) else {
            return Ok(None);
        };
        let api_version = match get(IOTEDGE_APIVERSION) {
            Some(v) => v.parse().map_err(|_| ManagementError::ApiVersion(v))?,
            None => DEFAULT_API_VERSION,
        };
        Self::new(&uri, api_version).map(Some)
    }

    /// The same client with another per-call timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The management URI.
    #[must_use]
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The api-version the client sends.
    #[must_use]
    pub fn api_version(&self) -> ApiVersion {
        self.api_version
    }

    /// `GET /modules`: the runtime's modules with their status.
    pub async fn list_modules(&self) -> Result<ModuleList, ManagementError> {
        self.json(&ManagementRoute::ListModules).await
    }

    /// `GET /modules/{name}`: one module with its status.
    pub async fn module(&self, name: &str) -> Result<ModuleDetails, ManagementError> {
        self.json(&ManagementRoute::GetModule {
            module: name.to_owned(),
        })
        .await
    }

    /// `POST /modules/{name}/restart`: stops the module if it runs and starts it again;
    /// returns once the runtime answered (204).
    pub async fn restart(&self, name: &str) -> Result<(), ManagementError> {
        self.call(&ManagementRoute::RestartModule {
            module: name.to_owned(),
        })
        .await
        .map(drop)
    }

    /// `POST /modules/{name}/start`.
    pub async fn start(&self, name: &str) -> Result<(), ManagementError> {
        self.call(&ManagementRoute::StartModule {
            module: name.to_owned(),
        })
        .await
        .map(drop)
    }

    /// `POST /modules/{name}/stop`.
    pub async fn stop(&self, name: &str) -> Result<(), ManagementError> {
        self.call(&ManagementRoute::StopModule {
            module: name.to_owned(),
        })
        .await
        .map(drop)
    }

    async fn json<T: DeserializeOwned>(
        &self,
        route: &ManagementRoute,
    ) -> Result<T, ManagementError> {
        let response = self.call(route).await?;
        serde_json::from_slice(&response.body).map_err(ManagementError::Decode)
    }

    /// Sends the route's request (no body) and returns a 2xx response.
    async fn call(&self, route: &ManagementRoute) -> Result<Response, ManagementError> {
        let target = route.request_target(self.api_version);
        let response = self
            .endpoint
            .exchange(route.method(), &target, None, self.timeout)
            .await
            .map_err(|e| match e {
                ExchangeError::Io(source) => ManagementError::Io {
                    uri: self.uri.clone(),
                    source,
                },
                ExchangeError::Timeout(t) => ManagementError::Timeout(t),
                ExchangeError::Request(e) => ManagementError::Request(e),
                ExchangeError::Http(e) => ManagementError::Http(e),
                ExchangeError::TooLarge(limit) => ManagementError::TooLarge(limit),
            })?;
        if !(200..300).contains(&response.status) {
            return Err(ManagementError::Status {
                status: response.status,
                message: error_message(&response.body),
            });
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    fn env(vars: &[(&str, &str)]) -> HashMap<String, String> {
        vars.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Answers one connection on `path` with `response` and returns the request it read.
    fn serve_once(path: &Path, response: &'static [u8]) -> tokio::task::JoinHandle<String> {
        let listener = tokio::net::UnixListener::bind(path).unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 4096];
            let n = s.read(&mut buf).await.unwrap();
            s.write_all(response).await.unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        })
    }

    fn client(path: &Path) -> ManagementClient {
        ManagementClient::new(
            &format!("unix://{}", path.display()),
            ApiVersion::V2018_06_28,
        )
        .unwrap()
    }

    #[test]
    fn without_a_management_uri_the_environment_has_no_client() {
        let vars = env(&[("IOTEDGE_APIVERSION", "2022-08-03")]);
        assert!(
            ManagementClient::from_environment(|k| vars.get(k).cloned())
                .unwrap()
                .is_none()
        );
        let vars = env(&[("IOTEDGE_MANAGEMENTURI", "")]);
        assert!(
            ManagementClient::from_environment(|k| vars.get(k).cloned())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn the_environment_gives_uri_and_api_version_defaulting_to_the_oldest() {
        let vars = env(&[
            ("IOTEDGE_MANAGEMENTURI", "unix:///var/run/iotedge/mgmt.sock"),
            ("IOTEDGE_APIVERSION", "2022-08-03"),
        ]);
        let c = ManagementClient::from_environment(|k| vars.get(k).cloned())
            .unwrap()
            .unwrap();
        assert_eq!(
            c.endpoint,
            Endpoint::Unix(PathBuf::from("/var/run/iotedge/mgmt.sock"))
        );
        assert_eq!(c.api_version(), ApiVersion::V2022_08_03);
        let vars = env(&[("IOTEDGE_MANAGEMENTURI", "http://127.0.0.1:15580")]);
        let c = ManagementClient::from_environment(|k| vars.get(k).cloned())
            .unwrap()
            .unwrap();
        assert_eq!(c.api_version(), ApiVersion::V2018_06_28);
        assert_eq!(c.uri(), "http://127.0.0.1:15580");
    }

    #[test]
    fn a_bad_uri_or_api_version_in_the_environment_is_an_error() {
        let vars = env(&[("IOTEDGE_MANAGEMENTURI", "/var/run/iotedge/mgmt.sock")]);
        assert!(matches!(
            ManagementClient::from_environment(|k| vars.get(k).cloned()),
            Err(ManagementError::Uri(_))
        ));
        let vars = env(&[
            ("IOTEDGE_MANAGEMENTURI", "unix:///m.sock"),
            ("IOTEDGE_APIVERSION", "2030-01-01"),
        ]);
        assert!(matches!(
            ManagementClient::from_environment(|k| vars.get(k).cloned()),
            Err(ManagementError::ApiVersion(v)) if v == "2030-01-01"
        ));
    }

    #[tokio::test]
    async fn restart_posts_to_the_module_and_accepts_no_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mgmt.sock");
        let server = serve_once(&path, b"HTTP/1.1 204 No Content\r\n\r\n");
        client(&path).restart("$edgeHub").await.unwrap();
        let request = server.await.unwrap();
        assert!(
            request.starts_with(
                "POST /modules/%24edgeHub/restart?api-version=2018-06-28 HTTP/1.1\r\n"
            ),
            "{request}"
        );
        assert!(!request.contains("Content-Length"), "{request}");
    }

    #[tokio::test]
    async fn list_modules_decodes_edgelet_module_details() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mgmt.sock");
        let server = serve_once(
            &path,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{\"modules\":[{\"id\":\"m\",\"name\":\"m\",\"type\":\"docker\",\"config\":{\"settings\":{\"image\":\"i\"},\"env\":[]},\"status\":{\"startTime\":\"2026-01-01T00:00:00Z\",\"runtimeStatus\":{\"status\":\"running\"}}}]}",
        );
        let list = client(&path).list_modules().await.unwrap();
        assert_eq!(list.modules.len(), 1);
        assert_eq!(list.modules[0].name, "m");
        assert_eq!(list.modules[0].status.runtime_status.status, "running");
        assert!(
            server
                .await
                .unwrap()
                .starts_with("GET /modules?api-version=2018-06-28 HTTP/1.1\r\n")
        );
    }

    #[tokio::test]
    async fn an_error_status_carries_edgelet_message_and_a_bad_body_is_a_decode_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mgmt.sock");
        let _server = serve_once(
            &path,
            b"HTTP/1.1 404 Not Found\r\n\r\n{\"message\":\"module nope not found\"}",
        );
        let err = client(&path).stop("nope").await.unwrap_err();
        assert!(
            matches!(&err, ManagementError::Status { status: 404, message } if message == "module nope not found"),
            "{err:?}"
        );
        std::fs::remove_file(&path).unwrap();
        let _server = serve_once(&path, b"HTTP/1.1 200 OK\r\n\r\nnot json");
        let err = client(&path).module("m").await.unwrap_err();
        assert!(matches!(err, ManagementError::Decode(_)), "{err:?}");
    }

    #[tokio::test]
    async fn a_missing_socket_is_an_io_error_naming_the_uri() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.sock");
        let err = client(&path).start("m").await.unwrap_err();
        assert!(matches!(err, ManagementError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("absent.sock"), "{err}");
    }
}
