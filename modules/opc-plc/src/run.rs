//! The PLC's start-up in the 2018 order (docs/reference/opc-ua-apps.md §1.4): store configuration
//! lines, the certificate batch, the "Application certificate is for …" line, the CSR block, the
//! store listing, then the OPC UA server with the simulation nodes until shutdown, checking the
//! store for changes every second.

use std::sync::mpsc;
use std::time::Duration;

use module_cli::csr::ApplicationType;
use module_cli::startup::{self, Application, StartupError};
use module_runtime::twin::{PolicySink, RejectionReasons, TwinPki, TwinPkiOptions};
use pki::LogLine;
use ua::{Identity, Server, ServerOptions};

use crate::config::{APPLICATION_NAME, Config, PRODUCT_URI};
use crate::push::expiry::ExpiryAlarm;
use crate::push::{PushManagement, PushOptions};
use crate::simulation::{Simulation, SimulationError};
use crate::watcher::StoreWatcher;

/// How often the running PLC checks its store for changes (`watcher`).
const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// The 2018 PLC's last line when start-up fails.
pub const FAILED_UNEXPECTEDLY: &str = "OPC UA server failed unexpectedly.";

/// Why the PLC stopped with an error (operator lines are already logged).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The certificate start-up failed (store, batch, `--to`, `--csr`).
    #[error(transparent)]
    Startup(#[from] StartupError),
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
        if let RunError::Startup(StartupError::Provision(p)) = err {
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
    let mut identity = Identity::new(
        APPLICATION_NAME,
        &config.application_uri(),
        PRODUCT_URI,
        &config.host_name,
    );
    identity.extra_dns_names.clone_from(&certs.cert_dns_names);
    let urls = [config.endpoint_url(cli.port)];
    let app = Application {
        name: APPLICATION_NAME,
        product_uri: PRODUCT_URI,
        application_type: ApplicationType::Server {
            discovery_urls: &urls,
        },
    };
    let spec = identity.self_signed_spec();
    let started = startup::certificates(certs, &config.working_dir, &app, spec, print)?;
    identity.application_uri = started.application_uri;
    let store = started.store;

    LogLine::info("LDS(-ME) registration intervall set to 0 ms (0 means no registration)").emit();
    let contents = store.contents().map_err(StartupError::from)?;
    pki::emit_all(&pki::store_listing(&contents));

    let mut options = ServerOptions::new(identity, cli.port);
    options.listen_host.clone_from(&cli.listen_host);
    options.unsecure_transport = cli.unsecure_transport;
    options.auto_accept = certs.auto_accept;
    options.validation = started.validation.clone();
    options.users = config.users();
    if config.cli.admin_password.is_none() {
        LogLine::info(
            "No administrator password (--ac): push management (ServerConfiguration) refuses every caller.",
        )
        .emit();
    }
    let server_uri = options.identity.application_uri.clone();
    let mut dns_names = vec![options.identity.host_name.clone()];
    dns_names.extend(options.identity.extra_dns_names.iter().cloned());
    let mut twin_options =
        TwinPkiOptions::new(options.identity.application_uri.clone(), started.validation);
    let server = Server::start(&options, store.clone())?;
    let verifier = std::sync::Arc::clone(server.verifier());
    let validator = std::sync::Arc::clone(server.verifier().validator());
    twin_options.policy = Some(PolicySink::new(move |policy| {
        validator.set_options(policy);
    }));
    twin_options.rejection_reasons = Some(RejectionReasons::new(move || {
        verifier
            .rejections()
            .into_iter()
            .map(|r| (r.thumbprint, r.status))
            .collect()
    }));
    // On IoT Edge (a module identity in the environment) the twin drives the store; the store
    // watch in `serve` applies what it writes.
    let twin = if cli.no_twin_pki {
        tracing::info!(target: "twin", "The module twin does not manage the PKI (--no-twin-pki).");
        None
    } else {
        TwinPki::start_or_log(|k| std::env::var(k).ok(), store, twin_options)
    };
    let push = PushManagement::install(
        &server.address_space(),
        server.store().clone(),
        PushOptions {
            application_uri: server_uri.clone(),
            dns_names: dns_names.clone(),
            validator: std::sync::Arc::clone(server.verifier().validator()),
        },
    )?;
    let outcome = serve(&server, config, shutdown);
    drop(push);
    if let Some(twin) = twin {
        twin.stop();
    }
    outcome?;
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
        let mut expiry = Expiry::default();
        expiry.poll(server);
        // A message or a dropped sender means stop; every second the store is checked.
        while let Err(mpsc::RecvTimeoutError::Timeout) = shutdown.recv_timeout(WATCH_INTERVAL) {
            watcher.poll(server);
            expiry.poll(server);
        }
    }
    LogLine::info("OPC UA Server shutting down").emit();
    simulation.stop();
    Ok(())
}

/// The certificate expiration alarm of the certificate the server offers now.
#[derive(Default)]
struct Expiry {
    alarm: ExpiryAlarm,
    /// The certificate the server offers (re-read from the store when its thumbprint changes).
    certificate: Option<pki::Certificate>,
    /// Event monitored items seen so far: a new one gets the current alarm again.
    subscriptions: u64,
}

impl Expiry {
    fn poll(&mut self, server: &Server) {
        let active = server.certificate_thumbprint();
        if self.certificate.as_ref().map(pki::Certificate::thumbprint) != Some(active) {
            self.certificate = server.store().contents().ok().and_then(|c| {
                c.own
                    .into_iter()
                    .map(|o| o.cert)
                    .find(|cert| cert.thumbprint() == active)
            });
        }
        let space = server.address_space();
        let subscriptions = space.event_subscriptions();
        if subscriptions != self.subscriptions {
            self.subscriptions = subscriptions;
            self.alarm.refresh();
        }
        if let Some(certificate) = &self.certificate {
            self.alarm
                .poll(&space, certificate, time::OffsetDateTime::now_utc());
        }
    }
}
