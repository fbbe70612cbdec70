//! One store under the twin's care: what its last reconciliation concluded, which expiry
//! warnings were logged today, and the pass the driver's triggers call for.

use pki::Store;
use provisioning::expiry::{self, ExpiryLog};
use provisioning::{
    Context, DesiredInput, Outcome, Reconciliation, ReportedPki, Status, reconcile, report,
};

use super::Trigger;

/// The state of one store between passes.
#[derive(Debug, Default)]
pub struct StoreTwin {
    /// How log lines name the store (`Store 'opcplc': `); empty for a module's own.
    prefix: String,
    /// How the last reconciliation ended; `None` before the first.
    outcome: Option<Outcome>,
    expiry_log: ExpiryLog,
}

/// What one pass produced.
#[derive(Debug)]
pub struct StorePass {
    /// The picture to report.
    pub reported: ReportedPki,
    /// The reconciliation, when the document was planned (not for a report-only pass).
    pub reconciliation: Option<Reconciliation>,
}

impl StoreTwin {
    /// A module's own store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A store named in log lines as `Store '<name>': …`.
    #[must_use]
    pub fn named(name: &str) -> Self {
        Self {
            prefix: format!("Store '{name}': "),
            ..Self::default()
        }
    }

    /// One pass (blocking: store I/O and signatures). A new document is always planned; the
    /// refresh plans it again unless it was refused (its plan would log the refusal every
    /// 30 s: it is re-reported with the same error instead, and planned again when a document
    /// arrives); a store change only re-reads the store. Expiry warnings are logged once a day.
    pub fn pass(
        &mut self,
        store: &Store,
        desired: DesiredInput<'_>,
        trigger: Trigger,
        context: &Context,
    ) -> StorePass {
        let plan = match (&self.outcome, trigger) {
            (None, _) | (_, Trigger::Document) => true,
            (Some(outcome), Trigger::Refresh) => outcome.status != Status::Rejected,
            (Some(_), Trigger::StoreChanged) => false,
        };
        let pass = if plan {
            let reconciliation = reconcile(store, desired, context);
            if trigger == Trigger::Document || reconciliation.changed {
                self.log_outcome(&reconciliation, desired);
            }
            self.outcome = Some(reconciliation.outcome.clone());
            StorePass {
                reported: reconciliation.reported.clone(),
                reconciliation: Some(reconciliation),
            }
        } else {
            let outcome = self.outcome.clone().unwrap_or_else(Outcome::applied);
            StorePass {
                reported: report(store, desired, &outcome, context),
                reconciliation: None,
            }
        };
        let warnings = expiry::warnings(&pass.reported, context.now);
        for warning in self.expiry_log.due(warnings, context.now) {
            tracing::warn!(target: "twin", "{}{}", self.prefix, warning.message);
        }
        pass
    }

    fn log_outcome(&self, reconciliation: &Reconciliation, desired: DesiredInput<'_>) {
        let version = desired
            .version
            .map_or_else(|| "-".to_owned(), |v| v.to_string());
        let prefix = &self.prefix;
        if let Some(error) = &reconciliation.outcome.error {
            tracing::warn!(
                target: "twin",
                "{prefix}The desired PKI of twin version {version} was not applied ({}: {}): {}",
                error.item,
                error.code,
                error.message
            );
        } else if reconciliation.changed {
            let mut what = Vec::new();
            if reconciliation.trust_changed {
                what.push("trust lists updated");
            }
            if reconciliation.application_certificate_changed {
                what.push("new application certificate");
            }
            let what = if what.is_empty() {
                String::new()
            } else {
                format!(": {}", what.join(", "))
            };
            tracing::info!(
                target: "twin",
                "{prefix}Applied the desired PKI of twin version {version}{what}."
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use hub_proto::twin::TwinVersion;
    use pki::{Certificate, Operation, PlanOptions};
    use provisioning::Section;
    use serde_json::{Value, json};
    use test_support::{Ca, LeafSpec, now, self_signed};

    use super::*;

    use super::super::fixtures::{URI, module_store};

    fn input(value: Option<&Value>, version: u64) -> DesiredInput<'_> {
        DesiredInput {
            value,
            version: Some(TwinVersion::new(version)),
            section: Section::OwnPki,
        }
    }

    fn context() -> Context {
        Context {
            application_uri: Some(URI.to_owned()),
            live_policy: true,
            ..Context::new(now())
        }
    }

    #[test]
    fn a_refused_document_is_re_reported_on_a_refresh_and_planned_again_when_delivered_again() {
        let (_dir, store) = module_store();
        let ca = Ca::root("Vault CA");
        let doc = json!({ "crls": { "vaultCa": STANDARD.encode(ca.crl(&[])) } });
        let mut twin = StoreTwin::new();

        let first = twin.pass(&store, input(Some(&doc), 2), Trigger::Document, &context());
        assert_eq!(first.reported.status, Status::Rejected);
        assert_eq!(first.reported.error.as_ref().unwrap().item, "crls.vaultCa");

        // The CA arrives by other means: planning the document again would now apply it, so a
        // refresh that still reports the refusal proves it was not planned again.
        store
            .transact(
                vec![Operation::AddTrusted(vec![
                    Certificate::from_der(&ca.der()).unwrap(),
                ])],
                &PlanOptions::new(now()),
            )
            .unwrap();
        let refresh = twin.pass(&store, input(Some(&doc), 2), Trigger::Refresh, &context());
        assert!(refresh.reconciliation.is_none());
        assert_eq!(refresh.reported.status, Status::Rejected);
        assert_eq!(refresh.reported.error, first.reported.error);
        assert!(store.contents().unwrap().trusted_crls.is_empty());
        // The picture is current all the same: the CA is reported.
        assert_eq!(refresh.reported.trusted.len(), 1);

        // Delivered again (a reconnect or a patch): planned, now applied.
        let again = twin.pass(&store, input(Some(&doc), 3), Trigger::Document, &context());
        assert_eq!(again.reported.status, Status::Applied);
        assert_eq!(store.contents().unwrap().trusted_crls.len(), 1);
    }

    #[test]
    fn a_store_change_is_reported_without_planning_and_a_refresh_plans_an_applied_document() {
        let (_dir, store) = module_store();
        let mut twin = StoreTwin::new();
        let first = twin.pass(&store, input(None, 1), Trigger::Document, &context());
        assert!(first.reported.rejected.is_empty());

        // The app refuses a peer: the next store-change pass reports it.
        let stranger = self_signed(LeafSpec::client("Stranger", "urn:stranger"));
        store
            .add_rejected(&Certificate::from_der(&stranger.der()).unwrap())
            .unwrap();
        let changed = twin.pass(&store, input(None, 1), Trigger::StoreChanged, &context());
        assert!(changed.reconciliation.is_none());
        assert!(
            changed
                .reported
                .rejected
                .contains_key(&stranger.thumbprint())
        );
        // A refresh plans an applied document again (idempotent: nothing written).
        let refresh = twin.pass(&store, input(None, 1), Trigger::Refresh, &context());
        assert!(!refresh.reconciliation.unwrap().changed);
    }
}
