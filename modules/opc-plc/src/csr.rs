//! The `--csr` block (reference §1.5.4), printed exactly as the 2018 PLC does: every line a log
//! line except the base64 CSR, which it printed with `Console.WriteLine` (no prefix).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pki::{Certificate, LogLine, PrivateKey};

/// File name of the binary CSR, in the working directory.
pub const CSR_FILE: &str = "OpcPlc.csr";

/// What the block shows.
#[derive(Debug, Clone)]
pub struct CsrInfo<'a> {
    /// `ApplicationUri`.
    pub application_uri: &'a str,
    /// `ApplicationName`.
    pub application_name: &'a str,
    /// `ProductUri`.
    pub product_uri: &'a str,
    /// One per base address.
    pub discovery_urls: &'a [String],
}

/// The lines before the CSR (log lines).
#[must_use]
pub fn header_lines(info: &CsrInfo<'_>) -> Vec<String> {
    let mut lines = vec![
        "----------------------- CreateSigningRequest information ------------------".to_owned(),
        format!("ApplicationUri: {}", info.application_uri),
        format!("ApplicationName: {}", info.application_name),
        "ApplicationType: Server".to_owned(),
        format!("ProductUri: {}", info.product_uri),
    ];
    for (i, url) in info.discovery_urls.iter().enumerate() {
        lines.push(format!("DiscoveryUrl[{i}]: {url}"));
    }
    lines.push("ServerCapabilities: DA".to_owned());
    lines.push("CSR (base64 encoded):".to_owned());
    lines
}

/// The closing ruler.
pub const FOOTER: &str =
    "---------------------------------------------------------------------------";

/// Creates the CSR from the own certificate and key, prints the block (`print` receives the
/// unprefixed base64 line) and writes `OpcPlc.csr` into `dir`. Errors are logged with the
/// reference's wording.
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
    std::fs::write(dir.join(CSR_FILE), &der).map_err(|e| {
        LogLine::error("Error while writing .csr file.").emit();
        CsrError::Write(e)
    })?;
    LogLine::info(format!("Binary CSR written to '{CSR_FILE}'")).emit();
    Ok(())
}

/// Why the CSR could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    /// The request could not be built or signed.
    #[error("cannot create the signing request")]
    Create(#[source] pki::CreateError),
    /// `OpcPlc.csr` could not be written.
    #[error("cannot write {CSR_FILE}")]
    Write(#[source] std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_lists_the_application_and_one_discovery_url_per_address() {
        let urls = ["opc.tcp://opcplc-123456:50000".to_owned()];
        let lines = header_lines(&CsrInfo {
            application_uri: "urn:OpcPlc:opcplc-123456",
            application_name: "OpcPlc",
            product_uri: "https://github.com/azure-samples/iot-edge-opc-plc",
            discovery_urls: &urls,
        });
        assert_eq!(
            lines,
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
    }
}
