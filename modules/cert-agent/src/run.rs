//! The agent: the twin driver over [`AgentStores`] until shutdown.

use std::sync::mpsc;

use module_runtime::twin::{DriverOptions, TwinDriver, TwinStartError};

use crate::config::Config;
use crate::restart::Management;
use crate::stores::AgentStores;

/// Why the agent stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The environment names no module identity: cert-agent has nothing to take its stores
    /// from.
    #[error(
        "cert-agent needs its module twin: run it on IoT Edge (IOTEDGE_* variables), on edge-sim, or with EdgeHubConnectionString and EdgeModuleCACertificateFile"
    )]
    NoModuleIdentity,
    /// The twin could not be started.
    #[error("cannot start the module twin")]
    Twin(#[from] TwinStartError),
}

/// Runs the agent until `shutdown` receives (or its sender is dropped). The environment is
/// read through `lookup` (the module identity, `IOTEDGE_MANAGEMENTURI`).
pub fn run(
    config: &Config,
    lookup: impl Fn(&str) -> Option<String> + Clone + Send + 'static,
    shutdown: &mpsc::Receiver<()>,
) -> Result<(), RunError> {
    tracing::info!(
        target: "cert_agent",
        "cert-agent {} keeps the stores under '{}'.",
        env!("CARGO_PKG_VERSION"),
        config.pki_root.display()
    );
    let stores = AgentStores::new(
        config.pki_root.clone(),
        Management::from_environment(&lookup),
    );
    let driver = TwinDriver::start_from_environment(lookup, stores, DriverOptions::default())?
        .ok_or(RunError::NoModuleIdentity)?;
    // A message or a dropped sender means stop.
    let _ = shutdown.recv();
    tracing::info!(target: "cert_agent", "cert-agent shutting down.");
    driver.stop();
    Ok(())
}
