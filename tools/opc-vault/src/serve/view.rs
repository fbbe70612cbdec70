//! What the page shows, as types built by plain functions from the twins IoT Hub's query
//! returned and the vault's state: no sockets here, time is an argument.
//!
//! - [`modules`]: every module twin with a `pki` or `stores` section (desired or reported),
//!   its runtime status from its device's `$edgeAgent` twin, and per store the reported
//!   picture ([`ReportedPki`], unchanged), the CA chain its certificate hangs on in this vault,
//!   the vault's record of that certificate (issued, revoked), and whether the module is still
//!   applying a newer desired version.
//! - [`ca`]: the vault's CAs, the certificates it issued with their status, its CRLs.
//!
//! These types are the page's contract (`GET /api/modules`, `GET /api/ca`): `app.js` reads
//! exactly these members.

use std::collections::BTreeMap;

use hub_service::ModuleTwin;
use provisioning::{PKI_PROPERTY, ReportedPki, STORES_PROPERTY};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::model::{CaRole, CertStatus, IssuedRecord, RevocationReason};
use crate::vault::VaultState;

/// The module id of the agent whose reported properties hold the runtime status.
pub const EDGE_AGENT: &str = "$edgeAgent";

/// The twin query that finds the modules the page shows.
pub const MODULES_QUERY: &str = "SELECT * FROM devices.modules WHERE \
     IS_DEFINED(properties.reported.pki) OR IS_DEFINED(properties.reported.stores) \
     OR IS_DEFINED(properties.desired.pki) OR IS_DEFINED(properties.desired.stores)";

/// The twin query that finds every device's `$edgeAgent`.
pub const AGENTS_QUERY: &str = "SELECT * FROM devices.modules WHERE moduleId = '$edgeAgent'";

/// Every module with certificates.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModulesView {
    /// The hub's host name.
    pub hub: String,
    /// When the view was built.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Device, then module order.
    pub modules: Vec<ModuleView>,
}

/// One module twin.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleView {
    /// The device id.
    pub device_id: String,
    /// The module id.
    pub module_id: String,
    /// `runtimeStatus` as `$edgeAgent` reports it (`running`, `backoff`, …), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_status: Option<String>,
    /// `$edgeAgent`'s `statusDescription`, when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// The twin's etag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The desired properties' `$version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<u64>,
    /// Its stores: `pki`, then `stores.<name>` in name order.
    pub stores: Vec<StoreView>,
}

/// One store of a module.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreView {
    /// The provisioning target: `module` for its own `pki`, `module:store` for a cert-agent
    /// store.
    pub target: String,
    /// The cert-agent store name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// Whether the desired properties hold a section for it.
    pub has_desired: bool,
    /// The module's report, when there is one and it reads as the contract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<ReportedPki>,
    /// Why a reported section that is there could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// The CA chain of the application certificate, issuer first, up to the root.
    pub chain: Vec<ChainLink>,
    /// The vault's record of the application certificate, when this vault issued it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vault: Option<VaultRecordView>,
    /// The module has not yet reported on the twin's current desired version.
    pub applying: bool,
}

/// One CA above a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainLink {
    /// Its subject.
    pub subject: String,
    /// `root` or `issuing` when it is one of this vault's CAs; absent for a CA the vault
    /// does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<CaRole>,
}

/// The vault's record of a certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRecordView {
    /// The serial number.
    pub serial: String,
    /// `valid` or `revoked`.
    pub status: CertStatus,
    /// When it was revoked.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub revoked_at: Option<OffsetDateTime>,
}

/// The `runtimeStatus` and `statusDescription` of each module of each device, from the
/// `$edgeAgent` twins' reported `modules` and `systemModules`.
#[must_use]
pub fn runtime_statuses(
    agents: &[ModuleTwin],
) -> BTreeMap<(String, String), (String, Option<String>)> {
    let mut statuses = BTreeMap::new();
    for agent in agents.iter().filter(|t| t.module_id == EDGE_AGENT) {
        let reported = agent.reported_properties();
        for group in ["systemModules", "modules"] {
            let Some(Value::Object(modules)) = reported.get(group) else {
                continue;
            };
            for (name, fields) in modules {
                let Some(status) = fields.get("runtimeStatus").and_then(Value::as_str) else {
                    continue;
                };
                let description = fields
                    .get("statusDescription")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                // `$edgeAgent` names the system modules `edgeAgent`/`edgeHub`.
                let module = match name.as_str() {
                    "edgeAgent" | "edgeHub" => format!("${name}"),
                    _ => name.clone(),
                };
                statuses.insert(
                    (agent.device_id.clone(), module),
                    (status.to_owned(), description),
                );
            }
        }
    }
    statuses
}

/// The view of every twin of `twins` that has a `pki` or `stores` section.
#[must_use]
pub fn modules(
    hub: &str,
    twins: &[ModuleTwin],
    agents: &[ModuleTwin],
    vault: &VaultState,
    now: OffsetDateTime,
) -> ModulesView {
    let statuses = runtime_statuses(agents);
    let mut modules: Vec<ModuleView> = twins
        .iter()
        .filter_map(|twin| {
            let stores = stores(twin, vault);
            if stores.is_empty() {
                return None;
            }
            let status = statuses.get(&(twin.device_id.clone(), twin.module_id.clone()));
            Some(ModuleView {
                device_id: twin.device_id.clone(),
                module_id: twin.module_id.clone(),
                runtime_status: status.map(|(s, _)| s.clone()),
                status_description: status.and_then(|(_, d)| d.clone()),
                etag: twin.etag.clone(),
                desired_version: twin.desired_version().map(hub_proto::TwinVersion::get),
                stores,
            })
        })
        .collect();
    modules.sort_by(|a, b| (&a.device_id, &a.module_id).cmp(&(&b.device_id, &b.module_id)));
    ModulesView {
        hub: hub.to_owned(),
        at: now,
        modules,
    }
}

/// The stores of one twin: its own `pki`, then cert-agent's `stores.<name>`, each named in
/// the desired or the reported properties.
fn stores(twin: &ModuleTwin, vault: &VaultState) -> Vec<StoreView> {
    let desired_version = twin.desired_version().map(hub_proto::TwinVersion::get);
    let mut views = Vec::new();
    let own_desired = twin.desired(PKI_PROPERTY);
    let own_reported = twin.reported(PKI_PROPERTY);
    if own_desired.is_some() || own_reported.is_some() {
        views.push(store_view(
            twin.module_id.clone(),
            None,
            own_desired.is_some(),
            own_reported.as_ref(),
            desired_version,
            vault,
        ));
    }
    let desired_stores = object(twin.desired(STORES_PROPERTY));
    let reported_stores = object(twin.reported(STORES_PROPERTY));
    let names: std::collections::BTreeSet<&String> = desired_stores
        .keys()
        .chain(reported_stores.keys())
        .collect();
    for name in names {
        views.push(store_view(
            format!("{}:{name}", twin.module_id),
            Some(name.clone()),
            desired_stores.get(name).is_some_and(|v| !v.is_null()),
            reported_stores.get(name),
            desired_version,
            vault,
        ));
    }
    views
}

fn object(value: Option<Value>) -> serde_json::Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

fn store_view(
    target: String,
    store: Option<String>,
    has_desired: bool,
    reported: Option<&Value>,
    desired_version: Option<u64>,
    vault: &VaultState,
) -> StoreView {
    let (reported, unreadable) = match reported.filter(|v| !v.is_null()) {
        None => (None, None),
        Some(value) => match serde_json::from_value::<ReportedPki>(value.clone()) {
            Ok(pki) => (Some(pki), None),
            Err(e) => (
                None,
                Some(format!("the reported section is not the contract's: {e}")),
            ),
        },
    };
    let cert = reported.as_ref().and_then(|r| r.application_cert.as_ref());
    let chain = cert
        .filter(|c| !c.self_signed)
        .map(|c| chain_of(&c.issuer, vault))
        .unwrap_or_default();
    let record = cert.and_then(|c| vault.index.by_thumbprint(&c.thumbprint));
    let applying = has_desired
        && match (
            desired_version,
            reported.as_ref().and_then(|r| r.desired_version),
        ) {
            (Some(desired), Some(applied)) => applied.get() < desired,
            (Some(_), None) => true,
            _ => false,
        };
    StoreView {
        target,
        store,
        has_desired,
        reported,
        unreadable,
        chain,
        vault: record.map(record_view),
        applying,
    }
}

fn record_view(record: &IssuedRecord) -> VaultRecordView {
    VaultRecordView {
        serial: record.serial.clone(),
        status: record.status,
        revoked_at: record.revoked_at,
    }
}

/// The chain above a certificate issued by `issuer`: this vault's CAs from the one named
/// `issuer` up to the root, or the unknown issuer alone.
#[must_use]
pub fn chain_of(issuer: &str, vault: &VaultState) -> Vec<ChainLink> {
    let cas = vault.cas();
    let Some(position) = cas.iter().position(|(_, c)| c.subject() == issuer) else {
        return vec![ChainLink {
            subject: issuer.to_owned(),
            role: None,
        }];
    };
    // `cas` is root first: the chain is the named CA and everything above it, nearest first.
    cas[..=position]
        .iter()
        .rev()
        .map(|(role, c)| ChainLink {
            subject: c.subject().to_owned(),
            role: Some(*role),
        })
        .collect()
}

/// The vault itself.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaView {
    /// The CAs, root first.
    pub cas: Vec<CaCertView>,
    /// Every certificate issued, newest first.
    pub issued: Vec<IssuedView>,
    /// The current CRL of each CA, root first.
    pub crls: Vec<CrlView>,
    /// The default lifetime of application certificates.
    pub cert_years: u32,
    /// The default CRL period.
    pub crl_days: u32,
}

/// One CA certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaCertView {
    /// `root` or `issuing`.
    pub role: CaRole,
    /// Its subject.
    pub subject: String,
    /// SHA-1, upper-case hex.
    pub thumbprint: String,
    /// Valid from.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// Valid until.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days left.
    pub days_left: i64,
}

/// One issued certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedView {
    /// The index entry.
    #[serde(flatten)]
    pub record: IssuedRecord,
    /// Whole days left.
    pub days_left: i64,
}

/// One CA's current CRL.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlView {
    /// Its CA.
    pub role: CaRole,
    /// Its `cRLNumber`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u64>,
    /// Issued at.
    #[serde(with = "time::serde::rfc3339")]
    pub this_update: OffsetDateTime,
    /// Due at.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub next_update: Option<OffsetDateTime>,
    /// How many certificates it lists.
    pub revoked_count: usize,
    /// Its next update has passed.
    pub overdue: bool,
}

/// The view of the vault at `now`.
#[must_use]
pub fn ca(vault: &VaultState, now: OffsetDateTime) -> CaView {
    let cas = vault
        .cas()
        .into_iter()
        .map(|(role, c)| CaCertView {
            role,
            subject: c.subject().to_owned(),
            thumbprint: c.thumbprint().to_string(),
            not_before: c.not_before(),
            not_after: c.not_after(),
            days_left: (c.not_after() - now).whole_days(),
        })
        .collect();
    let mut issued: Vec<IssuedView> = vault
        .index
        .certificates
        .iter()
        .map(|record| IssuedView {
            record: record.clone(),
            days_left: record.days_left(now),
        })
        .collect();
    issued.sort_by_key(|i| std::cmp::Reverse(i.record.issued_at));
    let crls = vault
        .crls
        .iter()
        .map(|issued| CrlView {
            role: issued.role,
            number: issued.crl.crl_number(),
            this_update: issued.crl.this_update(),
            next_update: issued.crl.next_update(),
            revoked_count: issued.crl.revoked_count(),
            overdue: issued.crl.next_update().is_some_and(|next| next <= now),
        })
        .collect();
    CaView {
        cas,
        issued,
        crls,
        cert_years: vault.config.cert_years,
        crl_days: vault.config.crl_days,
    }
}

/// The revocation reasons the page offers, as `revoke` names them.
#[must_use]
pub fn revocation_reasons() -> Vec<String> {
    use clap::ValueEnum as _;
    RevocationReason::value_variants()
        .iter()
        .filter_map(|r| r.to_possible_value().map(|v| v.get_name().to_owned()))
        .collect()
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
