//! A small HTTPS client for the service API of a running instance: trusts the dev CA,
//! checks the gateway host name, authenticates with an `iothubowner` SAS token.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hub_proto::{ConnectionString, SasToken};
use hyper::Request;
use hyper_util::rt::TokioIo;
use openssl::ssl::{SslConnector, SslMethod};
use serde_json::Value;

use super::instance::Instance;

/// The api-version sent with every request.
const API_VERSION: &str = "2021-04-12";

/// A service API client of one instance.
pub struct Client {
    instance: Instance,
}

impl Client {
    /// A client for `instance`.
    pub fn new(instance: Instance) -> Self {
        Self { instance }
    }

    /// The instance.
    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    /// `/twins/{device}/modules/{module}` (or a sub-path).
    pub fn module_path(&self, kind: &str, module: &str, rest: &str) -> String {
        format!(
            "/{kind}/{}/modules/{module}{rest}?api-version={API_VERSION}",
            self.instance.device_id
        )
    }

    /// Sends a request; returns the status and the JSON body (`null` when empty).
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let cs = ConnectionString::parse(&self.instance.service_connection_string)
            .context("invalid service connection string in the instance file")?;
        let expiry = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            + 3600;
        let token = SasToken::sign(
            cs.host_name(),
            cs.shared_access_key(),
            Some(edge_sim::state::IOTHUBOWNER),
            expiry,
        );
        let mut connector =
            SslConnector::builder(SslMethod::tls_client()).context("cannot set up tls")?;
        connector
            .set_ca_file(&self.instance.ca_file)
            .with_context(|| format!("cannot read {}", self.instance.ca_file.display()))?;
        let ssl = connector
            .build()
            .configure()
            .and_then(|c| c.into_ssl(&self.instance.gateway_host))
            .context("cannot set up tls")?;
        let port = self.instance.api_port;
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .with_context(|| format!("cannot reach edge-sim's service api on port {port}"))?;
        let mut tls = tokio_openssl::SslStream::new(ssl, tcp).context("cannot set up tls")?;
        std::pin::Pin::new(&mut tls)
            .connect()
            .await
            .context("tls handshake with the service api failed")?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .context("http handshake failed")?;
        let driver = tokio::spawn(conn);
        let body = match body {
            Some(v) => Bytes::from(serde_json::to_vec(v).context("cannot encode the body")?),
            None => Bytes::new(),
        };
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", format!("{}:{port}", self.instance.gateway_host))
            .header("authorization", token.to_string())
            .header("content-type", "application/json; charset=utf-8")
            .body(Full::new(body))
            .context("invalid request")?;
        let response = sender
            .send_request(request)
            .await
            .context("service api request failed")?;
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .context("cannot read the response")?
            .to_bytes();
        driver.abort();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Ok((status, value))
    }

    /// Like [`Client::request`], but a status ≥ 300 is an error carrying the hub's message.
    pub async fn ok(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let (status, value) = self.request(method, path, body).await?;
        if status >= 300 {
            let message = value
                .get("Message")
                .or_else(|| value.get("message"))
                .map_or_else(|| value.to_string(), ToString::to_string);
            bail!("service api answered {status}: {message}");
        }
        Ok(value)
    }
}
