//! The certificate start-up both modules run in the 2018 order (docs/reference/opc-ua-apps.md §1.4
//! and §2.5): the store type check, the store configuration lines and the store, the batch of the
//! command line ending with the self-signed fallback, the `ApplicationUri` taken from the
//! certificate in use, `--to`, the "Application certificate is for …" line and the `--csr` block.
//!
//! The caller builds the self-signed spec (its host name and `--cdn` names) and logs what comes
//! after (the store listing, its server or its sessions).

use std::path::Path;

use pki::{Certificate, SelfSignedSpec, Store, ValidationOptions};
use time::OffsetDateTime;

use crate::CertificateArgs;
use crate::csr::{self, ApplicationType, CsrError, CsrInfo};
use crate::provision::{self, ProvisionError};

/// The application the certificates are for.
#[derive(Debug, Clone, Copy)]
pub struct Application<'a> {
    /// `ApplicationName` (`OpcPlc`, `OpcClient`): the store's subject name and the CSR file.
    pub name: &'a str,
    /// `ProductUri`.
    pub product_uri: &'a str,
    /// Server (with its discovery URLs) or client, for the CSR block.
    pub application_type: ApplicationType<'a>,
}

/// What the modules go on with after the certificate start-up.
#[derive(Debug)]
pub struct Certificates {
    /// The opened store, provisioned.
    pub store: Store,
    /// The peer-certificate policy of the command line.
    pub validation: ValidationOptions,
    /// The `ApplicationUri` in use: the own certificate's, else the self-signed spec's.
    pub application_uri: String,
    /// The own (application) certificate in use.
    pub certificate: Certificate,
}

/// Why the certificate start-up failed (the operator lines are already logged; the store is
/// unchanged when the batch was refused).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Only the `Directory` store type exists here.
    #[error("the certificate store type '{0}' is not supported (only Directory)")]
    StoreType(String),
    /// The store could not be opened or read.
    #[error("cannot use the PKI store")]
    Store(#[from] pki::StoreError),
    /// A certificate option was invalid or refused; the store is unchanged.
    #[error("certificate provisioning failed")]
    Provision(#[from] ProvisionError),
    /// The own certificate is missing after provisioning.
    #[error("the application certificate is missing after provisioning")]
    NoApplicationCertificate,
    /// `--csr` failed.
    #[error("CSR creation failed")]
    Csr(#[from] CsrError),
    /// Trusting the own certificate (`--to`) failed.
    #[error("cannot trust the own certificate")]
    TrustOwn(#[source] pki::TransactError),
}

/// Runs the certificate start-up of `app` in `dir` with the options `certs`; `self_signed` is
/// the certificate created when the store has none, and its `ApplicationUri` the default one.
/// `print` gets the unprefixed base64 CSR line.
pub fn certificates(
    certs: &CertificateArgs,
    dir: &Path,
    app: &Application<'_>,
    self_signed: SelfSignedSpec,
    print: &mut dyn FnMut(&str),
) -> Result<Certificates, StartupError> {
    if !certs.is_directory_store() {
        return Err(StartupError::StoreType(certs.app_cert_store_type.clone()));
    }
    // Both reference generations accept SHA-1 unless `--rsha1` (ADR 0005).
    let validation = certs.validation();
    let store = certs.open_store(dir, app.name)?;
    let mut application_uri = self_signed.application_uri.clone();
    let now = OffsetDateTime::now_utc();
    let batch = provision::batch_from_cli(certs, dir, self_signed)?;
    provision::apply(&store, batch, &validation, now)?;

    let contents = store.contents()?;
    let own = contents
        .application_certificate()
        .ok_or(StartupError::NoApplicationCertificate)?;
    // The 2018 PLC and client take their ApplicationUri from the certificate in use.
    if let Some(uri) = own.cert.application_uri() {
        uri.clone_into(&mut application_uri);
    }
    if certs.trust_own_certificate {
        provision::trust_own(&store, &own.cert, &validation, now)
            .map_err(StartupError::TrustOwn)?;
    }
    provision::application_certificate_line(&application_uri, app.name, &own.cert).emit();
    if certs.csr {
        let key = store.load_key(own)?;
        let info = CsrInfo {
            application_uri: &application_uri,
            application_name: app.name,
            application_type: app.application_type,
            product_uri: app.product_uri,
        };
        csr::show_and_write(&info, &own.cert, &key, dir, print)?;
    }
    let certificate = own.cert.clone();
    Ok(Certificates {
        store,
        validation,
        application_uri,
        certificate,
    })
}

/// The process's working directory (`.` when it cannot be read): where both modules resolve
/// their store, log file and (the client) action file.
#[must_use]
pub fn working_dir() -> std::path::PathBuf {
    std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."))
}

/// The host name the module runs under (`IOTEDGE_SIM_HOSTNAME` on edge-sim, else
/// `/proc/sys/kernel/hostname`, else `$HOSTNAME`, else `localhost`): the PLC's default for
/// `--ph`, and the host in both modules' `ApplicationUri` and certificate.
#[must_use]
pub fn machine_host_name() -> String {
    // On edge-sim every module is a process on one machine: the container's host name
    // (`createOptions.Hostname`) comes as IOTEDGE_SIM_HOSTNAME.
    std::env::var("IOTEDGE_SIM_HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use pki::StoreKind;

    use super::*;
    use crate::args::test_cli::parse as cli;

    const CLIENT: Application<'static> = Application {
        name: "OpcClient",
        product_uri: "https://github.com/hansgschossmann/iot-edge-opc-client.git",
        application_type: ApplicationType::Client,
    };

    fn spec(uri: &str) -> SelfSignedSpec {
        SelfSignedSpec::new("OpcClient", uri, vec!["host".to_owned()])
    }

    #[test]
    fn an_empty_store_gets_the_self_signed_certificate_and_its_uri() {
        let dir = tempfile::tempdir().unwrap();
        let mut printed = Vec::new();
        let started = certificates(
            &cli(&["--to", "--csr"]),
            dir.path(),
            &CLIENT,
            spec("urn:OpcClient:host"),
            &mut |line| printed.push(line.to_owned()),
        )
        .unwrap();
        assert_eq!(started.application_uri, "urn:OpcClient:host");
        assert_eq!(
            started.certificate.application_uri(),
            Some("urn:OpcClient:host")
        );
        let contents = started.store.contents().unwrap();
        let own = contents.application_certificate().unwrap();
        assert_eq!(own.cert.thumbprint(), started.certificate.thumbprint());
        // `--to`: the own certificate is trusted.
        assert!(
            contents
                .certificates(StoreKind::Trusted)
                .iter()
                .any(|c| c.cert.thumbprint() == started.certificate.thumbprint())
        );
        // `--csr`: one unprefixed base64 line and the file.
        assert_eq!(printed.len(), 1, "{printed:?}");
        assert!(dir.path().join("OpcClient.csr").is_file());
    }

    #[test]
    fn the_uri_of_the_certificate_in_use_wins_over_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let mut print = |_: &str| {};
        let first = certificates(
            &cli(&[]),
            dir.path(),
            &CLIENT,
            spec("urn:first"),
            &mut print,
        )
        .unwrap();
        let again = certificates(
            &cli(&[]),
            dir.path(),
            &CLIENT,
            spec("urn:other"),
            &mut print,
        )
        .unwrap();
        assert_eq!(again.application_uri, "urn:first");
        assert_eq!(
            again.certificate.thumbprint(),
            first.certificate.thumbprint()
        );
    }

    #[test]
    fn the_machine_host_name_is_trimmed_and_never_empty() {
        let name = machine_host_name();
        assert!(!name.is_empty());
        assert_eq!(name.trim(), name);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        if !kernel.trim().is_empty() {
            assert_eq!(name, kernel.trim());
        }
    }

    /// The error of a start-up with `args` in an empty `dir`.
    fn refused(args: &[&str], dir: &Path) -> StartupError {
        certificates(&cli(args), dir, &CLIENT, spec("urn:x"), &mut |_| {}).unwrap_err()
    }

    #[test]
    fn only_the_directory_store_type_is_accepted_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let err = refused(&["--at", "X509Store"], dir.path());
        assert!(
            matches!(&err, StartupError::StoreType(t) if t == "X509Store"),
            "{err:?}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refused_input_is_a_provisioning_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = refused(&["--rc", "not-a-thumbprint"], dir.path());
        assert!(matches!(err, StartupError::Provision(_)), "{err:?}");
    }
}
