//! The certificate command line ([`CertificateArgs`]) as one `pki` batch, in the 2018 order
//! (docs/reference/opc-ua-apps.md §1.4): remove,
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

use crate::args::CertificateArgs;

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
/// `CreateSelfSigned(spec)`. On invalid input, logs the reference's lines and fails with nothing
/// written.
pub fn batch_from_cli(
    cli: &CertificateArgs,
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

/// Applies a batch with the 2018 apps' behaviour (a CRL of an unknown issuer is skipped, no URI
/// check: the 2018 PLC and client take their `ApplicationUri` from the certificate).
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

/// Puts the own certificate into the trusted peer store (`--to`), after the batch.
pub fn trust_own(
    store: &Store,
    own: &Certificate,
    validation: &ValidationOptions,
    now: OffsetDateTime,
) -> Result<pki::Outcome, TransactError> {
    let mut options = PlanOptions::new(now);
    options.validation = validation.clone();
    store.transact(vec![Operation::AddTrusted(vec![own.clone()])], &options)
}

/// The 2018 line after provisioning: `Application certificate is for ApplicationUri '…',
/// ApplicationName '…' and Subject is '…'` (the common name, else the whole subject).
#[must_use]
pub fn application_certificate_line(
    application_uri: &str,
    application_name: &str,
    own: &Certificate,
) -> LogLine {
    LogLine::info(format!(
        "Application certificate is for ApplicationUri '{application_uri}', ApplicationName '{application_name}' and Subject is '{}'",
        own.common_name().unwrap_or(own.subject())
    ))
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

fn crl(cli: &CertificateArgs, dir: &Path) -> Result<Option<Crl>, ProvisionError> {
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

fn application_certificate(
    cli: &CertificateArgs,
    dir: &Path,
) -> Result<Option<Certificate>, ProvisionError> {
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
    cli: &CertificateArgs,
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

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;
    use crate::args::test_cli::parse as cli;

    fn spec() -> SelfSignedSpec {
        SelfSignedSpec::new("OpcClient", "urn:OpcClient:host", vec!["host".to_owned()])
    }

    #[test]
    fn the_batch_follows_the_2018_order() {
        let root = test_support::Ca::root("Root");
        let ca = STANDARD.encode(root.der());
        let crl = STANDARD.encode(root.crl(&[]));
        let thumbprint = Certificate::from_der(&root.der())
            .unwrap()
            .thumbprint()
            .to_string();
        let batch = batch_from_cli(
            &cli(&["--tb", &ca, "--ib", &ca, "--rb", &crl, "--rc", &thumbprint]),
            Path::new("."),
            spec(),
        )
        .unwrap();
        assert_eq!(
            batch.steps,
            [
                Step::Remove,
                Step::Issuer,
                Step::Trusted,
                Step::Crl,
                Step::SelfSigned
            ]
        );
        assert_eq!(batch.operations.len(), batch.steps.len());
    }

    #[test]
    fn invalid_input_fails_the_step_it_belongs_to() {
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
        let err = batch_from_cli(&cli(&["--rb="]), Path::new("."), spec()).unwrap_err();
        assert_eq!(err.step(), Step::Crl);
        let err = batch_from_cli(&cli(&["--rc", "xyz"]), Path::new("."), spec()).unwrap_err();
        assert_eq!(err.step(), Step::Remove);
        let root = test_support::Ca::root("Root");
        let cert = STANDARD.encode(root.der());
        let err = batch_from_cli(
            &cli(&["--ab", &cert, "--pb", "bm90IGEga2V5"]),
            Path::new("."),
            spec(),
        )
        .unwrap_err();
        assert_eq!(err.step(), Step::ApplicationCertificate);
    }

    #[test]
    fn applying_a_batch_writes_the_stores_and_trust_own_adds_the_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let args = cli(&[]);
        let store = Store::open(args.store_layout(dir.path())).unwrap();
        let now = OffsetDateTime::now_utc();
        let batch = batch_from_cli(&args, dir.path(), spec()).unwrap();
        apply(&store, batch, &args.validation(), now).unwrap();
        let contents = store.contents().unwrap();
        let own = contents.application_certificate().unwrap().cert.clone();
        assert!(contents.trusted.is_empty());
        trust_own(&store, &own, &args.validation(), now).unwrap();
        assert_eq!(store.contents().unwrap().trusted.len(), 1);
        let line = application_certificate_line("urn:OpcClient:host", "OpcClient", &own);
        assert_eq!(
            line.text,
            "Application certificate is for ApplicationUri 'urn:OpcClient:host', ApplicationName 'OpcClient' and Subject is 'OpcClient'"
        );
    }

    #[test]
    fn failure_lines_are_the_references() {
        assert_eq!(
            Step::Issuer.failure_line(),
            "Adding trusted issuer certificate(s) failed."
        );
        assert_eq!(Step::Crl.failure_line(), "CRL update failed.");
        assert_eq!(
            Step::ApplicationCertificate.failure_line(),
            "Update/Setting of the application certificate failed."
        );
    }
}
