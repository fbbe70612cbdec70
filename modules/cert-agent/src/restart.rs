//! Restarting an application after its own certificate changed, through the IoT Edge
//! management API (`POST /modules/{name}/restart`, edgelet's `mgmt.sock`, which the deployment
//! binds into cert-agent's container and names in `IOTEDGE_MANAGEMENTURI`).

use std::future::Future;

use edge_client::ManagementClient;

/// Asks the runtime to restart a module.
pub trait Restarter: Send + 'static {
    /// Restarts `module`; `Err` carries the runtime's answer for the report.
    fn restart(&self, module: &str) -> impl Future<Output = Result<(), String>>;
}

/// The management API, when the environment names it.
#[derive(Debug)]
pub struct Management {
    client: Result<ManagementClient, String>,
}

impl Management {
    /// The management API of `IOTEDGE_MANAGEMENTURI` (read through `lookup`), or the reason
    /// there is none, which every restart then reports.
    pub fn from_environment(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let client = match ManagementClient::from_environment(lookup) {
            Ok(Some(client)) => Ok(client),
            Ok(None) => Err(
                "the IoT Edge management API is not available: bind /var/run/iotedge/mgmt.sock \
                 into cert-agent's container and set IOTEDGE_MANAGEMENTURI=unix:///var/run/iotedge/mgmt.sock"
                    .to_owned(),
            ),
            Err(e) => Err(format!(
                "the IoT Edge management API is misconfigured: {}",
                module_runtime::logging::with_causes(&e)
            )),
        };
        if let Err(reason) = &client {
            tracing::info!(target: "cert_agent", "Modules cannot be restarted after a certificate change: {reason}.");
        }
        Self { client }
    }
}

impl Restarter for Management {
    async fn restart(&self, module: &str) -> Result<(), String> {
        match &self.client {
            Ok(client) => client
                .restart(module)
                .await
                .map_err(|e| module_runtime::logging::with_causes(&e)),
            Err(reason) => Err(reason.clone()),
        }
    }
}
