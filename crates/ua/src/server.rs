//! An OPC UA server on open62541 whose every trust decision is our [`Verifier`].
//!
//! [`Server::start`] reads the own certificate and key from the `pki` store, builds the stack
//! with our identity, endpoints and certificate groups, runs it on its own thread and waits until
//! it listens. [`Server::update_certificate`] swaps the own certificate without a restart.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use open62541::ua;
use pki::{Certificate, Operation, PlanOptions, PrivateKey, Store, ValidationOptions, Validator};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::address_space::AddressSpace;
use crate::ffi::{Configurator, ServerSlot};
use crate::identity::Identity;
use crate::methods::UserLogin;
use crate::status::ServerError;
use crate::verify::Verifier;

/// How long [`Server::start`] waits for the stack to listen.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Identity (names, URIs, host names).
    pub identity: Identity,
    /// TCP port; 0 lets the OS pick one (read it back with [`Server::port`]).
    pub port: u16,
    /// Interface to listen on (`127.0.0.1` in tests); `None` listens on all of them.
    pub listen_host: Option<String>,
    /// Also offer the None/None endpoint (`--ut`).
    pub unsecure_transport: bool,
    /// Trust unknown clients and copy them to the trusted store (`--aa`).
    pub auto_accept: bool,
    /// Certificate policy (`--mks`, SHA-1, `--drurs`).
    pub validation: ValidationOptions,
    /// User names and passwords accepted besides anonymous, each with its role (`--au/--ac`,
    /// `--du/--dc`). Empty: anonymous only, no `UserName` token policy is offered.
    pub users: Vec<UserLogin>,
}

impl ServerOptions {
    /// Secure endpoints only, on all interfaces, with the default policy.
    #[must_use]
    pub fn new(identity: Identity, port: u16) -> Self {
        Self {
            identity,
            port,
            listen_host: None,
            unsecure_transport: false,
            auto_accept: false,
            validation: ValidationOptions::default(),
            users: Vec::new(),
        }
    }
}

/// A running server. Dropping it stops the server (as [`Server::shutdown`] does).
#[derive(Debug)]
pub struct Server {
    // Keeps the UA_Server alive as long as this handle (the runner thread holds its own share).
    stack: open62541::Server,
    /// Thumbprint of the application certificate the endpoints offer.
    active: Mutex<pki::Thumbprint>,
    slot: Arc<ServerSlot>,
    verifier: Arc<Verifier>,
    store: Store,
    cancel: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    port: u16,
    endpoint_url: String,
}

impl Server {
    /// Starts a server with the own certificate of `store` and waits until it listens.
    pub fn start(options: &ServerOptions, store: Store) -> Result<Self, ServerError> {
        let contents = store.contents()?;
        let own = contents
            .application_certificate()
            .ok_or(ServerError::NoApplicationCertificate)?;
        let key = store.load_key(own)?;
        let key_der = key_der(&key)?;

        let validator = Arc::new(Validator::new(store.clone(), options.validation.clone()));
        let verifier =
            Arc::new(Verifier::for_clients(validator).with_auto_accept(options.auto_accept));
        let slot = Arc::new(ServerSlot::with_logins(options.users.clone()));

        // The minimal config (policy None, for discovery); `Configurator` adds the secure
        // policies with the certificate and key on whichever crypto backend the stack was built
        // with (ADR 0013).
        let mut builder = open62541::ServerBuilder::minimal(options.port, Some(own.cert.der()));
        let host = options.listen_host.clone().unwrap_or_default();
        if host.contains(['\0', '/']) {
            return Err(ServerError::InvalidConfig("listen host"));
        }
        builder = builder.server_urls(&[&format!("opc.tcp://{host}:{}", options.port)]);
        if options.unsecure_transport {
            tracing::warn!(target: "ua", "Note: This is a security risk and needs to be disabled for production use");
        }
        check_config_strings(&options.identity)?;
        // Last, so nothing after it can put the accept-all verification back.
        let builder = builder
            .access_control(Configurator {
                identity: options.identity.clone(),
                certificate: own.cert.der().to_vec(),
                private_key: key_der,
                unsecure_transport: options.unsecure_transport,
                verifier: Arc::clone(&verifier),
                slot: Arc::clone(&slot),
            })
            .map_err(ServerError::Stack)?;
        let (stack, runner) = builder.build();

        let cancel = Arc::new(AtomicBool::new(false));
        let thread = {
            let cancel = Arc::clone(&cancel);
            let slot = Arc::clone(&slot);
            let verifier = Arc::clone(&verifier);
            std::thread::Builder::new()
                .name("opcua-server".to_owned())
                .spawn(move || {
                    // Between two iterations, on this thread: the only safe place to change
                    // the running stack's policies and endpoints (see `ffi::slot`).
                    let between_iterations = || {
                        slot.run_pending();
                        slot.recheck_sessions(&verifier, std::time::Instant::now());
                        cancel.load(Ordering::Relaxed)
                    };
                    if let Err(e) = runner.run_until_cancelled(between_iterations) {
                        tracing::error!(target: "ua", error = %e, "the OPC UA server stopped with an error");
                    }
                    slot.stopped();
                })
                .map_err(ServerError::Thread)?
        };
        let mut server = Self {
            stack,
            slot,
            verifier,
            store,
            cancel,
            thread: Some(thread),
            active: Mutex::new(own.cert.thumbprint()),
            port: 0,
            endpoint_url: String::new(),
        };
        let Some(urls) = server.slot.wait_started(START_TIMEOUT) else {
            // The stack only says that its network layer did not start; say why.
            return Err(listen_failure(&host, options.port).unwrap_or(ServerError::NotStarted));
        };
        server.port = urls
            .iter()
            .find_map(|u| url_port(u))
            .filter(|p| *p != 0)
            .or((options.port != 0).then_some(options.port))
            .ok_or(ServerError::NotStarted)?;
        server.endpoint_url = format!("opc.tcp://{}:{}", options.identity.host_name, server.port);
        tracing::info!(target: "ua", url = %server.endpoint_url, "OPC UA server listening");
        Ok(server)
    }

    /// The port the server listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `opc.tcp://<host name>:<port>`.
    #[must_use]
    pub fn endpoint_url(&self) -> &str {
        &self.endpoint_url
    }

    /// The verifier (recent rejections; its validator's cache generation).
    #[must_use]
    pub fn verifier(&self) -> &Arc<Verifier> {
        &self.verifier
    }

    /// Number of open sessions the server tracks for live revocation.
    #[must_use]
    pub fn session_count(&self) -> usize {
        self.slot.session_count()
    }

    /// Ids of the open (activated) sessions, as the clients were told at `CreateSession`.
    #[must_use]
    pub fn session_ids(&self) -> Vec<ua::NodeId> {
        self.slot.session_ids()
    }

    /// Thumbprint of the application certificate the server offers now (the one it started with,
    /// or the last one [`Self::update_certificate`] activated).
    #[must_use]
    pub fn certificate_thumbprint(&self) -> pki::Thumbprint {
        *self.active.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The address space, to add a module's nodes and update their values from any thread.
    #[must_use]
    pub fn address_space(&self) -> AddressSpace {
        AddressSpace::new(self.stack.clone(), Arc::clone(&self.slot))
    }

    /// The store the server reads.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Replaces the own certificate on the running server: new connections see `cert`; open
    /// channels keep their keys until they renew, then fail and their clients reconnect. The
    /// store is not changed (write it first with `Operation::UpdateApplicationCertificate`).
    pub fn update_certificate(
        &self,
        cert: &Certificate,
        key: &PrivateKey,
    ) -> Result<(), ServerError> {
        key.check_matches(cert).map_err(ServerError::KeyMismatch)?;
        let key_der = key_der(key)?;
        self.slot.update_certificate(cert.der(), &key_der)?;
        *self.active.lock().unwrap_or_else(PoisonError::into_inner) = cert.thumbprint();
        tracing::info!(
            target: "pki",
            "Activating the new application certificate with thumbprint '{}'.",
            cert.thumbprint()
        );
        Ok(())
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(target: "ua", "the OPC UA server thread panicked");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Creates a self-signed application certificate for `identity` when the store has none
/// (`Operation::CreateSelfSigned`, the OPC PLC's defaults). Returns the own certificate.
pub fn ensure_application_certificate(
    store: &Store,
    identity: &Identity,
    now: OffsetDateTime,
) -> Result<Certificate, ServerError> {
    store
        .transact(
            vec![Operation::CreateSelfSigned(identity.self_signed_spec())],
            &PlanOptions::new(now),
        )
        .map_err(ServerError::CreateCertificate)?;
    let contents = store.contents()?;
    contents
        .application_certificate()
        .map(|own| own.cert.clone())
        .ok_or(ServerError::NoApplicationCertificate)
}

/// PKCS#8 DER of a key: what both of open62541's crypto backends parse (mbedTLS without a
/// trailing NUL, OpenSSL with `d2i_PrivateKey_bio`).
pub(crate) fn key_der(key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>, pki::KeyError> {
    key.to_pkcs8_der().map(Zeroizing::new)
}

fn check_config_strings(identity: &Identity) -> Result<(), ServerError> {
    for (value, what) in [
        (&identity.application_name, "application name"),
        (&identity.application_uri, "application URI"),
        (&identity.product_uri, "product URI"),
        (&identity.host_name, "host name"),
    ] {
        if value.contains('\0') {
            return Err(ServerError::InvalidConfig(what));
        }
    }
    Ok(())
}

fn url_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let (_, port) = authority.rsplit_once(':')?;
    port.parse().ok()
}

/// Why the server cannot listen on `host:port` (an empty host: every interface), found by
/// trying it with the operating system: a host name that does not resolve, a port in use or
/// not allowed. `None` when it could listen there (the stack failed for another reason).
fn listen_failure(host: &str, port: u16) -> Option<ServerError> {
    use std::net::{TcpListener, ToSocketAddrs as _};
    let shown = if host.is_empty() { "0.0.0.0" } else { host };
    let address = format!("{shown}:{port}");
    let failed = |reason: String| {
        Some(ServerError::Listen {
            address: address.clone(),
            reason,
        })
    };
    let addresses: Vec<_> = match (shown, port).to_socket_addrs() {
        Ok(addresses) => addresses.collect(),
        Err(e) => return failed(format!("the host name does not resolve ({e})")),
    };
    if addresses.is_empty() {
        return failed("the host name has no address".to_owned());
    }
    match addresses
        .iter()
        .map(TcpListener::bind)
        .find_map(Result::err)
    {
        Some(e) => failed(e.to_string()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_port_reads_the_port_of_names_and_ipv6() {
        assert_eq!(url_port("opc.tcp://host:4840"), Some(4840));
        assert_eq!(url_port("opc.tcp://[::1]:50000/path"), Some(50000));
        assert_eq!(url_port("opc.tcp://host"), None);
    }

    #[test]
    fn a_server_that_cannot_listen_says_why() {
        let reason = |e: Option<ServerError>| match e {
            Some(ServerError::Listen { address, reason }) => format!("{address}: {reason}"),
            other => panic!("{other:?}"),
        };
        let unresolved = reason(listen_failure("nosuchhost.invalid", 0));
        assert!(
            unresolved.starts_with("nosuchhost.invalid:0: the host name does not resolve"),
            "{unresolved}"
        );
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let busy = reason(listen_failure("127.0.0.1", port));
        assert!(busy.contains("in use"), "{busy}");
        drop(taken);
        assert!(listen_failure("127.0.0.1", port).is_none());
    }
}
