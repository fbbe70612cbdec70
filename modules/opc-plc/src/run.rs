//! The PLC's start-up in the 2018 order (reference §1.4): store configuration lines, the
//! certificate batch, the "Application certificate is for …" line, the CSR block, the store
//! listing, then the OPC UA server with the simulation nodes until shutdown, checking the store
//! for changes every second.

use std::sync::mpsc;
use std::time::Duration;

use module_cli::csr::{self, ApplicationType, CsrInfo};
use module_cli::provision::{self, ProvisionError};
use pki::LogLine;
use time::OffsetDateTime;
use ua::{Identity, Server, ServerOptions};

use crate::config::{APPLICATION_NAME, Config, PRODUCT_URI};
use crate::simulation::{Simulation, SimulationError};
use crate::watcher::StoreWatcher;

/// How often the running PLC checks its store for changes (`watcher`).
const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// The 2018 PLC's last line when start-up fails.
pub const FAILED_UNEXPECTEDLY: &str = "OPC UA server failed unexpectedly.";

/// Why the PLC stopped with an error (operator lines are already logged).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Only the `Directory` store type exists here.
    #[error("the certificate store type '{0}' is not supported (only Directory)")]
    StoreType(String),
    /// The store could not be opened or read.
    #[error("cannot use the PKI store")]
    Store(#[from] pki::StoreError),
    /// A certificate option was invalid or refused; the store is unchanged.
    #[error("certificate provisioning failed")]
    Provision(#[from] ProvisionError),
    /// The own certificate or key could not be read after provisioning.
    #[error("the application certificate is missing after provisioning")]
    NoApplicationCertificate,
    /// `--csr` failed.
    #[error("CSR creation failed")]
    Csr(#[from] csr::CsrError),
    /// Trusting the own certificate (`--to`) failed.
    #[error("cannot trust the own certificate")]
    TrustOwn(#[source] pki::TransactError),
    /// The OPC UA server could not start.
    #[error("the OPC UA server could not start")]
    Server(#[from] ua::ServerError),
    /// The simulation nodes could not be built or started.
    #[error("the simulation could not start")]
    Simulation(#[from] SimulationError),
}

/// Runs the PLC until `shutdown` receives (or its sender is dropped), or right after the start
/// with `--exit-after-start`. `print` gets the lines the reference writes without a log prefix
/// (the base64 CSR).
pub fn run(
    config: &Config,
    shutdown: &mpsc::Receiver<()>,
    print: &mut dyn FnMut(&str),
) -> Result<(), RunError> {
    let result = start(config, shutdown, print);
    if let Err(err) = &result {
        if let RunError::Provision(p) = err {
            LogLine::error(p.step().failure_line()).emit();
        }
        tracing::error!(target: "pki", fatal = true, "{FAILED_UNEXPECTEDLY}");
    }
    result
}

fn start(
    config: &Config,
    shutdown: &mpsc::Receiver<()>,
    print: &mut dyn FnMut(&str),
) -> Result<(), RunError> {
    let cli = &config.cli;
    let certs = &cli.certs;
    if !certs.is_directory_store() {
        return Err(RunError::StoreType(certs.app_cert_store_type.clone()));
    }
    let dir = &config.working_dir;
    // Both reference generations accept SHA-1 unless `--rsha1` (ADR 0005).
    let validation = certs.validation();
    let store = certs.open_store(dir, APPLICATION_NAME)?;
    let mut identity = Identity::new(
        APPLICATION_NAME,
        &config.application_uri(),
        PRODUCT_URI,
        &config.host_name,
    );
    identity.extra_dns_names.clone_from(&certs.cert_dns_names);

    let now = OffsetDateTime::now_utc();
    let batch = provision::batch_from_cli(certs, dir, identity.self_signed_spec())?;
    provision::apply(&store, batch, &validation, now)?;

    let contents = store.contents()?;
    let own = contents
        .application_certificate()
        .ok_or(RunError::NoApplicationCertificate)?;
    // The 2018 PLC takes its ApplicationUri from the certificate it loaded.
    if let Some(uri) = own.cert.application_uri() {
        uri.clone_into(&mut identity.application_uri);
    }
    if certs.trust_own_certificate {
        provision::trust_own(&store, &own.cert, &validation, now).map_err(RunError::TrustOwn)?;
    }
    provision::application_certificate_line(&identity.application_uri, APPLICATION_NAME, &own.cert)
        .emit();

    if certs.csr {
        let key = store.load_key(own)?;
        let urls = [config.endpoint_url(cli.port)];
        let info = CsrInfo {
            application_uri: &identity.application_uri,
            application_name: APPLICATION_NAME,
            application_type: ApplicationType::Server {
                discovery_urls: &urls,
            },
            product_uri: PRODUCT_URI,
        };
        csr::show_and_write(&info, &own.cert, &key, dir, print)?;
    }

    LogLine::info("LDS(-ME) registration intervall set to 0 ms (0 means no registration)").emit();
    pki::emit_all(&pki::store_listing(&store.contents()?));

    let mut options = ServerOptions::new(identity, cli.port);
    options.listen_host.clone_from(&cli.listen_host);
    options.unsecure_transport = cli.unsecure_transport;
    options.auto_accept = certs.auto_accept;
    options.validation = validation;
    let server = Server::start(&options, store)?;
    serve(&server, config, shutdown)?;
    server.shutdown();
    Ok(())
}

/// The simulation on the running server, and the store watch, until shutdown.
fn serve(server: &Server, config: &Config, shutdown: &mpsc::Receiver<()>) -> Result<(), RunError> {
    let simulation = Simulation::start(&server.address_space(), &config.simulation())?;
    LogLine::info(format!(
        "OPC UA Server started at {}",
        server.endpoint_url()
    ))
    .emit();
    if !config.cli.exit_after_start {
        let mut watcher = StoreWatcher::new(server);
        // A message or a dropped sender means stop; every second the store is checked.
        while let Err(mpsc::RecvTimeoutError::Timeout) = shutdown.recv_timeout(WATCH_INTERVAL) {
            watcher.poll(server);
        }
    }
    LogLine::info("OPC UA Server shutting down").emit();
    simulation.stop();
    Ok(())
}
