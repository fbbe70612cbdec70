//! The `--csr` block (docs/reference/opc-ua-apps.md §1.5.4), printed exactly as the 2018 apps do:
//! every line a log line except the base64 CSR, which they printed with `Console.WriteLine` (no
//! prefix), then the binary CSR written to `<ApplicationName>.csr` in the working directory. A
//! server lists its discovery URLs and capabilities; a client has neither.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pki::{Certificate, LogLine, PrivateKey};

/// Which kind of application the CSR is for.
#[derive(Debug, Clone, Copy)]
pub enum ApplicationType<'a> {
    /// A server, with one discovery URL per base address (`ServerCapabilities: DA`).
    Server {
        /// One per base address.
        discovery_urls: &'a [String],
    },
    /// A client (no discovery URLs, no capabilities).
    Client,
}

/// What the block shows.
#[derive(Debug, Clone, Copy)]
pub struct CsrInfo<'a> {
    /// `ApplicationUri`.
    pub application_uri: &'a str,
    /// `ApplicationName`; also the CSR file's stem.
    pub application_name: &'a str,
    /// `ApplicationType`, with a server's discovery URLs.
    pub application_type: ApplicationType<'a>,
    /// `ProductUri`.
    pub product_uri: &'a str,
}

impl CsrInfo<'_> {
    /// `<ApplicationName>.csr` (`OpcPlc.csr`, `OpcClient.csr`).
    #[must_use]
    pub fn file_name(&self) -> String {
        format!("{}.csr", self.application_name)
    }
}

/// The lines before the CSR (log lines).
#[must_use]
pub fn header_lines(info: &CsrInfo<'_>) -> Vec<String> {
    let kind = match info.application_type {
        ApplicationType::Server { .. } => "Server",
        ApplicationType::Client => "Client",
    };
    let mut lines = vec![
        "----------------------- CreateSigningRequest information ------------------".to_owned(),
        format!("ApplicationUri: {}", info.application_uri),
        format!("ApplicationName: {}", info.application_name),
        format!("ApplicationType: {kind}"),
        format!("ProductUri: {}", info.product_uri),
    ];
    if let ApplicationType::Server { discovery_urls } = info.application_type {
        for (i, url) in discovery_urls.iter().enumerate() {
            lines.push(format!("DiscoveryUrl[{i}]: {url}"));
        }
        lines.push("ServerCapabilities: DA".to_owned());
    }
    lines.push("CSR (base64 encoded):".to_owned());
    lines
}

/// The closing ruler.
pub const FOOTER: &str =
    "---------------------------------------------------------------------------";

/// Creates the CSR from the own certificate and key, prints the block (`print` receives the
/// unprefixed base64 line) and writes `<ApplicationName>.csr` into `dir`. Errors are logged with
/// the reference's wording.
pub fn show_and_write(
    info: &CsrInfo<'_>,
    cert: &Certificate,
    key: &PrivateKey,
    dir: &Path,
    print: &mut dyn FnMut(&str),
) -> Result<(), CsrError> {
    let der = pki::create_csr(cert, key, Some(info.application_uri), None).map_err(|e| {
        LogLine::error("Error while creating signing request.").emit();
        CsrError::Create(e)
    })?;
    for line in header_lines(info) {
        LogLine::info(line).emit();
    }
    print(&STANDARD.encode(&der));
    LogLine::info(FOOTER).emit();
    let file = info.file_name();
    if let Err(source) = std::fs::write(dir.join(&file), &der) {
        LogLine::error("Error while writing .csr file.").emit();
        return Err(CsrError::Write { file, source });
    }
    LogLine::info(format!("Binary CSR written to '{file}'")).emit();
    Ok(())
}

/// Why the CSR could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    /// The request could not be built or signed.
    #[error("cannot create the signing request")]
    Create(#[source] pki::CreateError),
    /// `<ApplicationName>.csr` could not be written.
    #[error("cannot write {file}")]
    Write {
        /// The file name.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_server_header_lists_one_discovery_url_per_address() {
        let urls = ["opc.tcp://opcplc-123456:50000".to_owned()];
        let info = CsrInfo {
            application_uri: "urn:OpcPlc:opcplc-123456",
            application_name: "OpcPlc",
            application_type: ApplicationType::Server {
                discovery_urls: &urls,
            },
            product_uri: "https://github.com/azure-samples/iot-edge-opc-plc",
        };
        assert_eq!(
            header_lines(&info),
            [
                "----------------------- CreateSigningRequest information ------------------",
                "ApplicationUri: urn:OpcPlc:opcplc-123456",
                "ApplicationName: OpcPlc",
                "ApplicationType: Server",
                "ProductUri: https://github.com/azure-samples/iot-edge-opc-plc",
                "DiscoveryUrl[0]: opc.tcp://opcplc-123456:50000",
                "ServerCapabilities: DA",
                "CSR (base64 encoded):",
            ]
        );
        assert_eq!(info.file_name(), "OpcPlc.csr");
    }

    #[test]
    fn a_client_header_has_no_server_lines() {
        let info = CsrInfo {
            application_uri: "urn:OpcClient:host",
            application_name: "OpcClient",
            application_type: ApplicationType::Client,
            product_uri: "https://github.com/azure-samples/iot-edge-opc-client",
        };
        assert_eq!(
            header_lines(&info),
            [
                "----------------------- CreateSigningRequest information ------------------",
                "ApplicationUri: urn:OpcClient:host",
                "ApplicationName: OpcClient",
                "ApplicationType: Client",
                "ProductUri: https://github.com/azure-samples/iot-edge-opc-client",
                "CSR (base64 encoded):",
            ]
        );
        assert_eq!(info.file_name(), "OpcClient.csr");
    }

    #[test]
    fn the_csr_is_printed_and_written_under_the_application_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = pki::Store::open(pki::StoreLayout::under(dir.path())).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let spec =
            pki::SelfSignedSpec::new("OpcClient", "urn:OpcClient:host", vec!["host".to_owned()]);
        store
            .transact(
                vec![pki::Operation::CreateSelfSigned(spec)],
                &pki::PlanOptions::new(now),
            )
            .unwrap();
        let contents = store.contents().unwrap();
        let own = contents.application_certificate().unwrap();
        let key = store.load_key(own).unwrap();
        let info = CsrInfo {
            application_uri: "urn:OpcClient:host",
            application_name: "OpcClient",
            application_type: ApplicationType::Client,
            product_uri: "https://github.com/azure-samples/iot-edge-opc-client",
        };
        let mut printed = Vec::new();
        show_and_write(&info, &own.cert, &key, dir.path(), &mut |l| {
            printed.push(l.to_owned());
        })
        .unwrap();
        let der = std::fs::read(dir.path().join("OpcClient.csr")).unwrap();
        assert_eq!(printed, [STANDARD.encode(&der)]);
        let missing = dir.path().join("missing");
        let err = show_and_write(&info, &own.cert, &key, &missing, &mut |_| {}).unwrap_err();
        assert!(matches!(err, CsrError::Write { ref file, .. } if file == "OpcClient.csr"));
    }
}
