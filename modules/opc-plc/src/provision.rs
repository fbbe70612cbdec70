//! The certificate command line as one `pki` batch, in the 2018 order (reference §1.4): remove,
//! issuer, trusted, CRL, application certificate, then self-signed creation — so one run with a
//! CA-signed certificate, its CA and the CA's CRL works on empty stores.
//!
//! Every input is decoded before anything is written; an invalid one logs the reference's error
//! line and the failing step's line, and the store stays unchanged (`Store::transact` validates
//! the whole batch first).

use std::path::Path;

use pki::input::{MAX_CERTIFICATE_BYTES, MAX_CRL_BYTES, MAX_KEY_BYTES};
use pki::{
    Certificate, Crl, DecodeError, LogLine, Operation, PlanOptions, PrivateKey, SelfSignedSpec,
    Store, Thumbprint, TransactError, UnknownCrlIssuer, ValidationOptions,
};
use time::OffsetDateTime;

use crate::config::Cli;

/// One step of the 2018 provisioning, for its failure line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `--rc`.
    Remove,
    /// `--ib/--if`.
    Issuer,
    /// `--tb/--tf`.
    Trusted,
    /// `--rb/--uc`.
    Crl,
    /// `--ab/--af` (with `--pb/--pk`).
    ApplicationCertificate,
    /// Creating the self-signed certificate.
    SelfSigned,
}

impl Step {
    /// The line the 2018 PLC throws when the step fails (then `OPC UA server failed
    /// unexpectedly.`). The issuer, CRL and application certificate lines are the reference's;
    /// the others follow their pattern.
    #[must_use]
    pub fn failure_line(self) -> &'static str {
        match self {
            Self::Remove => "Removing trusted peer and/or trusted issuer certificate(s) failed.",
            Self::Issuer => "Adding trusted issuer certificate(s) failed.",
            Self::Trusted => "Adding trusted peer certificate(s) failed.",
            Self::Crl => "CRL update failed.",
            Self::ApplicationCertificate => "Update/Setting of the application certificate failed.",
            Self::SelfSigned => "Creation of the self-signed application certificate failed.",
        }
    }

    fn invalid_data_line(self) -> &'static str {
        match self {
            Self::Remove => {
                "There is no thumbprint specified for certificates to remove. Please check your command line options."
            }
            Self::Issuer => {
                "The issuer certificate data is invalid. Please check your command line options."
            }
            Self::Trusted => {
                "The trusted certificate data is invalid. Please check your command line options."
            }
            Self::Crl => "The new CRL data is invalid.",
            Self::ApplicationCertificate | Self::SelfSigned => {
                "The new application certificate data is invalid. Please check your command line options."
            }
        }
    }
}

/// Why provisioning failed; the operator lines are already logged.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// A command-line input could not be decoded (nothing was written).
    #[error("{}", .step.failure_line())]
    Input {
        /// The step whose input is invalid.
        step: Step,
    },
    /// The batch was refused or could not be written (nothing was written).
    #[error("{}", .step.failure_line())]
    Transact {
        /// The refused step.
        step: Step,
        /// Why.
        #[source]
        source: TransactError,
    },
}

impl ProvisionError {
    /// The failing step.
    #[must_use]
    pub fn step(&self) -> Step {
        match self {
            Self::Input { step } | Self::Transact { step, .. } => *step,
        }
    }
}

/// The batch of a command line: each operation with the step it belongs to.
#[derive(Debug, Default)]
pub struct Batch {
    /// Operations, in the 2018 order.
    pub operations: Vec<Operation>,
    /// The step of each operation.
    pub steps: Vec<Step>,
}

impl Batch {
    fn push(&mut self, step: Step, operation: Operation) {
        self.operations.push(operation);
        self.steps.push(step);
    }
}

/// Decodes the certificate options of `cli` (files relative to `dir`) into a batch ending with
/// `CreateSelfSigned(spec)`. On invalid input, logs the reference's lines and fails.
pub fn batch_from_cli(
    cli: &Cli,
    dir: &Path,
    spec: SelfSignedSpec,
) -> Result<Batch, ProvisionError> {
    let mut batch = Batch::default();
    let password = cli.cert_password.as_deref().filter(|p| !p.is_empty());

    if !cli.remove_cert.is_empty() {
        let thumbprints = cli
            .remove_cert
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().parse::<Thumbprint>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(Step::Remove, &e.to_string()))?;
        batch.push(Step::Remove, Operation::RemoveCertificates(thumbprints));
    }
    let issuers = certificates(
        &cli.add_issuer_base64,
        &cli.add_issuer_file,
        dir,
        Step::Issuer,
    )?;
    if !issuers.is_empty() {
        batch.push(Step::Issuer, Operation::AddIssuers(issuers));
    }
    let trusted = certificates(
        &cli.add_trusted_base64,
        &cli.add_trusted_file,
        dir,
        Step::Trusted,
    )?;
    if !trusted.is_empty() {
        batch.push(Step::Trusted, Operation::AddTrusted(trusted));
    }
    if let Some(crl) = crl(cli, dir)? {
        batch.push(Step::Crl, Operation::UpdateCrl(crl));
    }
    if let Some(cert) = application_certificate(cli, dir)? {
        let key = private_key(cli, dir, password)?;
        batch.push(
            Step::ApplicationCertificate,
            Operation::UpdateApplicationCertificate { cert, key },
        );
    }
    batch.push(Step::SelfSigned, Operation::CreateSelfSigned(spec));
    Ok(batch)
}

/// Applies a batch with the OPC PLC's reference behaviour (a CRL of an unknown issuer is
/// skipped, no URI check: the 2018 PLC takes its `ApplicationUri` from the certificate).
pub fn apply(
    store: &Store,
    batch: Batch,
    validation: &ValidationOptions,
    now: OffsetDateTime,
) -> Result<pki::Outcome, ProvisionError> {
    let mut options = PlanOptions::new(now);
    options.validation = validation.clone();
    options.unknown_crl_issuer = UnknownCrlIssuer::Ignore;
    let steps = batch.steps;
    store
        .transact(batch.operations, &options)
        .map_err(|source| {
            let step = match &source {
                TransactError::Plan(plan) => steps.get(plan.index).copied(),
                TransactError::Store(_) => None,
            }
            .unwrap_or(Step::SelfSigned);
            if !matches!(source, TransactError::Plan(_)) {
                LogLine::error(format!("{source}")).emit();
            }
            ProvisionError::Transact { step, source }
        })
}

fn fail(step: Step, line: &str) -> ProvisionError {
    LogLine::error(line).emit();
    ProvisionError::Input { step }
}

fn decode_failure(step: Step, err: &DecodeError) -> ProvisionError {
    match err {
        DecodeError::InvalidBase64 { .. } => fail(step, &err.to_string()),
        _ => fail(step, step.invalid_data_line()),
    }
}

fn read_file(path: &Path, dir: &Path, limit: usize, step: Step) -> Result<Vec<u8>, ProvisionError> {
    let full = dir.join(path);
    let too_large = std::fs::metadata(&full).is_ok_and(|m| m.len() > limit as u64);
    if too_large {
        return Err(fail(step, step.invalid_data_line()));
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
    files: &[std::path::PathBuf],
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
