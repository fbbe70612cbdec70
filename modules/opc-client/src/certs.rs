//! The certificate command line (the OPC PLC's options, reference §1.2/§2.2) as one `pki` batch
//! in the 2018 order, applied with the PLC module's [`opc_plc::provision::apply`], and the
//! client's `--csr` block (§1.5.4: `ApplicationType: Client`, no discovery URLs or capabilities).
//!
//! The decoding below mirrors `opc_plc::provision::batch_from_cli`, which takes the PLC's own
//! command-line type; both should move into a shared crate (docs/opc-client.md, "Shared code").

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use opc_plc::provision::{Batch, ProvisionError, Step};
use pki::input::{MAX_CERTIFICATE_BYTES, MAX_CRL_BYTES, MAX_KEY_BYTES};
use pki::{
    Certificate, Crl, DecodeError, LogLine, Operation, PrivateKey, SelfSignedSpec, Thumbprint,
};

use crate::config::{APPLICATION_NAME, Cli};

/// File name of the binary CSR, in the working directory.
pub const CSR_FILE: &str = "OpcClient.csr";

/// Decodes the certificate options of `cli` (files relative to `dir`) into a batch ending with
/// `CreateSelfSigned(spec)`. On invalid input, logs the reference's lines and fails with
/// nothing written.
pub fn batch_from_cli(
    cli: &Cli,
    dir: &Path,
    spec: SelfSignedSpec,
) -> Result<Batch, ProvisionError> {
    let mut batch = Batch::default();
    let mut push = |step: Step, operation: Operation| {
        batch.operations.push(operation);
        batch.steps.push(step);
    };
    let password = cli.cert_password.as_deref().filter(|p| !p.is_empty());

    if !cli.remove_cert.is_empty() {
        let thumbprints = cli
            .remove_cert
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().parse::<Thumbprint>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(Step::Remove, &e.to_string()))?;
        push(Step::Remove, Operation::RemoveCertificates(thumbprints));
    }
    let issuers = certificates(
        &cli.add_issuer_base64,
        &cli.add_issuer_file,
        dir,
        Step::Issuer,
    )?;
    if !issuers.is_empty() {
        push(Step::Issuer, Operation::AddIssuers(issuers));
    }
    let trusted = certificates(
        &cli.add_trusted_base64,
        &cli.add_trusted_file,
        dir,
        Step::Trusted,
    )?;
    if !trusted.is_empty() {
        push(Step::Trusted, Operation::AddTrusted(trusted));
    }
    if let Some(crl) = crl(cli, dir)? {
        push(Step::Crl, Operation::UpdateCrl(crl));
    }
    if let Some(cert) = application_certificate(cli, dir)? {
        let key = private_key(cli, dir, password)?;
        push(
            Step::ApplicationCertificate,
            Operation::UpdateApplicationCertificate { cert, key },
        );
    }
    push(Step::SelfSigned, Operation::CreateSelfSigned(spec));
    Ok(batch)
}

/// The `--csr` block of a client: header lines (logged), the unprefixed base64 CSR (`print`),
/// the ruler, then `OpcClient.csr` written into `dir`.
pub fn show_and_write_csr(
    application_uri: &str,
    cert: &Certificate,
    key: &PrivateKey,
    dir: &Path,
    print: &dyn Fn(&str),
) -> Result<(), CsrError> {
    let der = pki::create_csr(cert, key, Some(application_uri), None).map_err(|e| {
        LogLine::error("Error while creating signing request.").emit();
        CsrError::Create(e)
    })?;
    for line in csr_header_lines(application_uri) {
        LogLine::info(line).emit();
    }
    print(&STANDARD.encode(&der));
    LogLine::info(opc_plc::csr::FOOTER).emit();
    std::fs::write(dir.join(CSR_FILE), &der).map_err(|e| {
        LogLine::error("Error while writing .csr file.").emit();
        CsrError::Write(e)
    })?;
    LogLine::info(format!("Binary CSR written to '{CSR_FILE}'")).emit();
    Ok(())
}

/// The lines before the CSR for a client (reference §1.5.4: no discovery URLs, no capabilities).
#[must_use]
pub fn csr_header_lines(application_uri: &str) -> Vec<String> {
    vec![
        "----------------------- CreateSigningRequest information ------------------".to_owned(),
        format!("ApplicationUri: {application_uri}"),
        format!("ApplicationName: {APPLICATION_NAME}"),
        "ApplicationType: Client".to_owned(),
        format!("ProductUri: {}", crate::config::PRODUCT_URI),
        "CSR (base64 encoded):".to_owned(),
    ]
}

/// Why the CSR could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    /// The request could not be built or signed.
    #[error("cannot create the signing request")]
    Create(#[source] pki::CreateError),
    /// `OpcClient.csr` could not be written.
    #[error("cannot write {CSR_FILE}")]
    Write(#[source] std::io::Error),
}

fn fail(step: Step, line: &str) -> ProvisionError {
    LogLine::error(line).emit();
    ProvisionError::Input { step }
}

fn invalid_data_line(step: Step) -> &'static str {
    match step {
        Step::Remove => {
            "There is no thumbprint specified for certificates to remove. Please check your command line options."
        }
        Step::Issuer => {
            "The issuer certificate data is invalid. Please check your command line options."
        }
        Step::Trusted => {
            "The trusted certificate data is invalid. Please check your command line options."
        }
        Step::Crl => "The new CRL data is invalid.",
        Step::ApplicationCertificate | Step::SelfSigned => {
            "The new application certificate data is invalid. Please check your command line options."
        }
    }
}

fn decode_failure(step: Step, err: &DecodeError) -> ProvisionError {
    match err {
        DecodeError::InvalidBase64 { .. } => fail(step, &err.to_string()),
        _ => fail(step, invalid_data_line(step)),
    }
}

fn read_file(path: &Path, dir: &Path, limit: usize, step: Step) -> Result<Vec<u8>, ProvisionError> {
    let full = dir.join(path);
    if std::fs::metadata(&full).is_ok_and(|m| m.len() > limit as u64) {
        return Err(fail(step, invalid_data_line(step)));
    }
    std::fs::read(&full).map_err(|e| {
        fail(
            step,
            &format!("The file '{}' cannot be read: {e}", path.display()),
        )
    })
}

fn certificates(
    base64: &[String],
    files: &[PathBuf],
    dir: &Path,
    step: Step,
) -> Result<Vec<Certificate>, ProvisionError> {
    let mut out = Vec::new();
    for text in base64.iter().filter(|t| !t.trim().is_empty()) {
        out.push(Certificate::from_text(text).map_err(|e| decode_failure(step, &e))?);
    }
    for file in files {
        let bytes = read_file(file, dir, MAX_CERTIFICATE_BYTES, step)?;
        out.push(Certificate::from_der_or_pem(&bytes).map_err(|e| decode_failure(step, &e))?);
    }
    Ok(out)
}

fn crl(cli: &Cli, dir: &Path) -> Result<Option<Crl>, ProvisionError> {
    if let Some(text) = &cli.update_crl_base64 {
        if text.trim().is_empty() {
            return Err(fail(
                Step::Crl,
                "There is no CRL specified. Please check your command line options.",
            ));
        }
        return Crl::from_text(text)
            .map(Some)
            .map_err(|e| decode_failure(Step::Crl, &e));
    }
    if let Some(file) = &cli.update_crl_file {
        let bytes = read_file(file, dir, MAX_CRL_BYTES, Step::Crl)?;
        return Crl::from_der_or_pem(&bytes)
            .map(Some)
            .map_err(|e| decode_failure(Step::Crl, &e));
    }
    Ok(None)
}

fn application_certificate(cli: &Cli, dir: &Path) -> Result<Option<Certificate>, ProvisionError> {
    let step = Step::ApplicationCertificate;
    if let Some(text) = &cli.application_cert_base64 {
        return Certificate::from_text(text)
            .map(Some)
            .map_err(|e| decode_failure(step, &e));
    }
    if let Some(file) = &cli.application_cert_file {
        let bytes = read_file(file, dir, MAX_CERTIFICATE_BYTES, step)?;
        return Certificate::from_der_or_pem(&bytes)
            .map(Some)
            .map_err(|e| decode_failure(step, &e));
    }
    Ok(None)
}

const KEY_UNSUPPORTED: &str = "The provided format of the private key is not supported (must be PEM or PFX) or the provided cert password is wrong.";

fn private_key(
    cli: &Cli,
    dir: &Path,
    password: Option<&str>,
) -> Result<Option<PrivateKey>, ProvisionError> {
    let step = Step::ApplicationCertificate;
    if let Some(text) = &cli.private_key_base64 {
        return PrivateKey::from_text(text, password)
            .map(Some)
            .map_err(|_| fail(step, KEY_UNSUPPORTED));
    }
    if let Some(file) = &cli.private_key_file {
        let bytes = read_file(file, dir, MAX_KEY_BYTES, step)?;
        return PrivateKey::from_bytes(&bytes, password)
            .map(Some)
            .map_err(|_| fail(step, KEY_UNSUPPORTED));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use clap::Parser as _;

    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("opc-client").chain(args.iter().copied())).unwrap()
    }

    fn spec() -> SelfSignedSpec {
        SelfSignedSpec::new("OpcClient", "urn:OpcClient:host", vec!["host".to_owned()])
    }

    #[test]
    fn the_batch_follows_the_2018_order() {
        let root = test_support::Ca::root("Root");
        let ca = STANDARD.encode(root.der());
        let crl = STANDARD.encode(root.crl(&[]));
        let batch = batch_from_cli(
            &cli(&["--tb", &ca, "--ib", &ca, "--rb", &crl]),
            Path::new("."),
            spec(),
        )
        .unwrap();
        assert_eq!(
            batch.steps,
            [Step::Issuer, Step::Trusted, Step::Crl, Step::SelfSigned]
        );
    }

    #[test]
    fn invalid_base64_fails_the_step_it_belongs_to() {
        let err =
            batch_from_cli(&cli(&["--ib", "not base64!"]), Path::new("."), spec()).unwrap_err();
        assert_eq!(err.step(), Step::Issuer);
        let err = batch_from_cli(
            &cli(&["--uc", "missing.crl"]),
            Path::new("/nonexistent"),
            spec(),
        )
        .unwrap_err();
        assert_eq!(err.step(), Step::Crl);
    }

    #[test]
    fn the_client_csr_header_has_no_server_lines() {
        let lines = csr_header_lines("urn:OpcClient:host");
        assert!(lines.contains(&"ApplicationType: Client".to_owned()));
        assert!(
            !lines
                .iter()
                .any(|l| l.starts_with("DiscoveryUrl") || l.starts_with("ServerCapabilities"))
        );
        assert_eq!(lines.last().unwrap(), "CSR (base64 encoded):");
    }
}
