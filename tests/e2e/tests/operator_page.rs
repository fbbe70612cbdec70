//! The operator's page (`opc-vault serve`) in a real headless Chromium, on the seed
//! deployment (`deployment.template.json` on edge-sim with the workspace's module binaries):
//! load it with the printed link, see the PLC's self-signed certificate, approve the PLC
//! certificate the client refused, provision the PLC and the client and watch their reported
//! thumbprints change, revoke the client and see the CRL reach the PLC, have an edit from a
//! stale etag refused, and see a bad desired document shown with its error — in the editor
//! before sending, and on the module's card after a module refused one written elsewhere.
//!
//! With `OPERATOR_PAGE_SCREENSHOT=<file.png>` it also saves the screenshot shown in the
//! README (`docs/operator-page.png`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]

mod browser;

use std::path::Path;
use std::time::Duration;

use browser::Browser;
use e2e::seed::{AGENT, CLIENT, Collected, PLC, Seed, SeedOptions, THIRD_PARTY};
use opc_vault::provision::ProvisionOptions;
use opc_vault::serve::{ServeOptions, start};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn options(work_dir: &Path) -> SeedOptions {
    SeedOptions::for_test_binary(work_dir)
}

fn store(device: &str, target: &str) -> String {
    format!("section.store[data-store=\"{device}/{target}\"]")
}

async fn reported(seed: &Seed, module: &str) -> Value {
    let twin = seed
        .hub()
        .get_module_twin(&seed.sim().device_id(), module)
        .await
        .unwrap();
    Value::Object(twin.reported_properties())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_approves_provisions_revokes_and_edits_twins_from_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let said = Collected::default();
    let mut seed = Seed::start(options(dir.path()), said.say())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    seed.self_signed().await.unwrap_or_else(|e| panic!("{e}"));
    let device = seed.sim().device_id();
    let plc_self_signed = reported(&seed, PLC).await["pki"]["applicationCert"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let client_self_signed = reported(&seed, CLIENT).await["pki"]["applicationCert"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();

    let shutdown = CancellationToken::new();
    let served = start(
        seed.vault().clone(),
        ServeOptions {
            listen: "127.0.0.1:0".parse().unwrap(),
            hub: seed.hub().clone(),
            hub_key: None,
            token: None,
            tls: None,
            provision: ProvisionOptions {
                timeout: Duration::from_mins(1),
                poll: Duration::from_millis(200),
                ..ProvisionOptions::default()
            },
        },
        shutdown.clone(),
    )
    .await
    .unwrap();
    let page = Browser::start().await;

    // Load: the printed link logs in (the token leaves the address bar) and shows the PLC's
    // self-signed certificate.
    page.client.goto(&served.url).await.unwrap();
    let plc = store(&device, PLC);
    page.text_until(
        &format!("{plc} dd.thumbprint"),
        "showed the self-signed certificate",
        |t| t == plc_self_signed,
    )
    .await;
    assert_eq!(
        page.find(&format!("{plc} dd.chain"))
            .await
            .text()
            .await
            .unwrap(),
        "self-signed"
    );
    let plc_card = format!("article.module[aria-label=\"{device}/{PLC}\"] header .badge");
    page.text_until(&plc_card, "showed $edgeAgent's runtime status", |t| {
        t == "running"
    })
    .await;
    let address = page.client.current_url().await.unwrap();
    assert!(!address.as_str().contains("token"), "{address}");

    // Approve: the client refused the PLC's self-signed certificate; approving it moves it to
    // the client's trusted list.
    let client = store(&device, CLIENT);
    let refused_row = format!("{client} table.rejected tr[data-thumbprint=\"{plc_self_signed}\"]");
    page.click(&format!("{refused_row} button.approve")).await;
    page.gone(&refused_row, "left the rejected list after the approval")
        .await;
    let trusted = reported(&seed, CLIENT).await["pki"]["trusted"].clone();
    assert!(
        trusted
            .as_object()
            .unwrap()
            .values()
            .any(|c| c["thumbprint"] == plc_self_signed.as_str()),
        "{trusted}"
    );

    // Provision the PLC, then the client: each card shows the new thumbprint and the chain
    // once the module reports it.
    page.click(&format!("{plc} button.provision")).await;
    let plc_signed = page
        .text_until(
            &format!("{plc} dd.thumbprint"),
            "changed after provisioning",
            |t| !t.is_empty() && t != plc_self_signed,
        )
        .await;
    assert_eq!(
        reported(&seed, PLC).await["pki"]["applicationCert"]["thumbprint"],
        Value::String(plc_signed.clone())
    );
    page.text_until(&format!("{plc} dd.chain"), "showed the vault's root", |t| {
        t.contains("CN=OPC Vault CA (vault root)")
    })
    .await;
    page.click(&format!("{client} button.provision")).await;
    let client_signed = page
        .text_until(
            &format!("{client} dd.thumbprint"),
            "changed after provisioning",
            |t| !t.is_empty() && t != client_self_signed,
        )
        .await;
    page.text_until(
        &format!("{client} dd.vault-status"),
        "showed the vault's record",
        |t| t.ends_with("valid"),
    )
    .await;
    let agent = store(&device, &format!("{AGENT}:{THIRD_PARTY}"));
    page.click(&format!("{agent} button.provision")).await;
    page.text_until(
        &format!("{agent} dd.chain"),
        "showed the vault's root",
        |t| t.contains("vault root"),
    )
    .await;
    page.text_until(
        &format!("tr[data-summary=\"{device}/{PLC}\"]"),
        "summed up the provisioned PLC",
        |t| t.contains("CN=OpcPlc") && t.contains("this vault") && t.contains("day(s) left"),
    )
    .await;
    if let Some(path) = std::env::var_os("OPERATOR_PAGE_SCREENSHOT") {
        page.client
            .execute(
                "window.scrollTo(0, 0); document.activeElement.blur();",
                vec![],
            )
            .await
            .unwrap();
        page.screenshot(Path::new(&path)).await;
    }

    // Accessibility basics on the full page: every control has a label, every text has
    // WCAG AA contrast against its background, and the tabs follow the arrow keys.
    let unlabelled = page.client.execute(UNLABELLED, vec![]).await.unwrap();
    assert_eq!(unlabelled, json!([]), "controls without a label");
    let low_contrast = page.client.execute(LOW_CONTRAST, vec![]).await.unwrap();
    assert_eq!(low_contrast, json!([]), "text under 4.5:1 contrast");
    page.find("#tab-modules")
        .await
        .send_keys("\u{E014}")
        .await
        .unwrap(); // ArrowRight
    page.text_until(
        "[role=tab][aria-selected=true]",
        "moved to the next tab",
        |t| t.starts_with("Certificate authority"),
    )
    .await;
    let focused = page
        .client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!("tab-ca"));
    page.click("#tab-modules").await;

    // Revoke the client: the PLC's CRL from the vault lists one certificate.
    page.click(&format!("{client} button.revoke")).await;
    page.client.accept_alert().await.unwrap();
    page.text_until(
        &format!("{plc} tr[data-crl=\"opcVaultRoot\"] td.revoked-count"),
        "listed the revoked client",
        |t| t == "1",
    )
    .await;
    page.text_until(
        &format!("{client} dd.vault-status"),
        "showed the revocation",
        |t| t.contains("revoked"),
    )
    .await;
    page.click("#tab-ca").await;
    page.text_until(
        &format!("table.issued tr[data-thumbprint=\"{client_signed}\"] td.status"),
        "showed the revocation in the CA view",
        |t| t.starts_with("revoked"),
    )
    .await;
    page.click("#tab-jobs").await;
    page.text_until("article.job h2", "listed the revocation", |t| {
        t.contains("Revoke")
    })
    .await;
    page.click("#tab-modules").await;

    // The editor: an edit from a stale etag is refused and writes nothing.
    page.click(&format!("#edit-{device}-{PLC}")).await;
    let loaded = page
        .text_until("#editor-meta", "showed the loaded version", |t| {
            t.starts_with("Loaded")
        })
        .await;
    seed.hub()
        .update_module_desired(&device, PLC, &json!({"pki": {"expiryWarningDays": 20}}))
        .await
        .unwrap();
    let text = page
        .find("#editor-text")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let mut draft: Value = serde_json::from_str(&text).unwrap();
    draft["pki"]["expiryWarningDays"] = json!(25);
    set_editor(&page, &draft).await;
    page.click("#editor-send").await;
    page.text_until("#editor-status", "refused the stale edit", |t| {
        t.starts_with("Refused:") && t.contains("changed since you loaded it")
    })
    .await;
    let desired = seed.hub().get_module_twin(&device, PLC).await.unwrap();
    assert_eq!(
        desired.desired("pki").unwrap()["expiryWarningDays"],
        20,
        "{loaded}"
    );

    // Reloaded, a bad certificate is named with its path and not sent.
    page.click("#editor-reload").await;
    page.text_until("#editor-meta", "reloaded", |t| t.starts_with("Loaded"))
        .await;
    let text = page
        .find("#editor-text")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let mut draft: Value = serde_json::from_str(&text).unwrap();
    draft["pki"]["trusted"]["vendorCa"] = json!("not a certificate");
    set_editor(&page, &draft).await;
    page.text_until("#editor-problems", "named the bad certificate", |t| {
        t.contains("pki.trusted.vendorCa")
    })
    .await;
    page.click("#editor-send").await;
    page.text_until("#editor-status", "refused to send", |t| {
        t.starts_with("Not sent:")
    })
    .await;

    // A bad document written by another tool: the client refuses it and the page shows the
    // item and the code on its card.
    seed.hub()
        .update_module_desired(
            &device,
            CLIENT,
            &json!({"pki": {"crls": {"broken": "AAAA"}}}),
        )
        .await
        .unwrap();
    page.click("#editor-back").await;
    let error = page
        .text_until(
            &format!("{client} .item-error"),
            "showed the refusal",
            |t| t.contains("crls.broken"),
        )
        .await;
    assert!(error.starts_with("Bad"), "{error}");
    page.text_until(
        &format!("{client} .badge.rejected"),
        "showed rejected",
        |t| t == "rejected",
    )
    .await;

    // The filter narrows the table and the cards; logging out closes the session, and the
    // printed token typed into the form opens a new one.
    page.fill("#filter", CLIENT).await;
    page.text_until("table.summary tbody", "kept only the client", |t| {
        t.contains(CLIENT) && !t.contains(&format!("{device} / {PLC}"))
    })
    .await;
    page.fill("#filter", "").await;
    page.click("#logout").await;
    page.text_until("#login-error", "said it logged out", |t| t == "Logged out.")
        .await;
    page.fill("#token", &served.token).await;
    page.click("#login-form button[type=submit]").await;
    page.text_until("table.summary caption", "showed the modules again", |t| {
        t == "At a glance"
    })
    .await;

    page.close().await;
    shutdown.cancel();
    served.stopped().await;
    seed.shutdown().await;
}

/// Puts `draft` into the editor as an operator's typing would (an `input` event).
async fn set_editor(page: &Browser, draft: &Value) {
    page.client
        .execute(
            "const area = document.getElementById('editor-text');\
             area.value = arguments[0];\
             area.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![Value::String(serde_json::to_string_pretty(draft).unwrap())],
        )
        .await
        .unwrap();
}

/// The form controls and buttons without an accessible name, as `tag#id.class` strings.
const UNLABELLED: &str = r"
const missing = [];
for (const el of document.querySelectorAll('input, select, textarea, button')) {
  if (el.closest('[hidden]') || el.type === 'hidden') continue;
  const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim());
  if (!labelled) missing.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
}
return missing;
";

/// The visible text elements whose colour has less than 4.5:1 contrast (WCAG AA) against the
/// first opaque background behind them, with the ratio.
const LOW_CONTRAST: &str = r#"
const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
  }
  return [255, 255, 255];
};
const low = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.offsetParent && el.tagName !== 'BODY') continue;
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(el);
  if (el.disabled) continue; // WCAG 1.4.3 exempts inactive controls
  const a = lum(rgb(style.color).slice(0, 3)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) low.push(`${el.tagName.toLowerCase()}.${el.className}: ${ratio.toFixed(2)} "${el.textContent.trim().slice(0, 30)}"`);
}
return low;
"#;
