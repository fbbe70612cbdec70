//! OPC 10000-12 push management of the `opc-plc` binary, driven by clients we did not write:
//! Python `asyncua` (`tests/python/push_client.py`, every method by its ns=0 `NodeId`) and
//! node-opcua's `ClientPushCertificateManagement` (`tests/node/push_client.js`, browse paths and
//! `ClientFile`). Both peers are installed from pins by `scripts/prereqs`; a missing one fails the
//! test.
//!
//! Each test runs one PLC on 127.0.0.1 (`--au sysadmin --ac demo --du user1 --dc password`) on
//! a temporary store that trusts the test clients' self-signed certificates, and asserts on what
//! the client saw, what the PLC logged and what landed in the store.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    missing_docs
)]

mod common;
#[path = "common/push.rs"]
mod push_common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509Ref, X509Req};
use push_common::*;
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec};

const PYTHON_URI: &str = "urn:asyncua:push:client";
const NODE_URI: &str = "urn:node-opcua:push:client";
/// `RsaSha256ApplicationCertificateType`.
const RSA_SHA256: &str = "i=12560";
/// The `ServerConfiguration` properties, the `DefaultApplicationGroup`'s `CertificateTypes` and
/// its `TrustList`'s (OPC 10000-12 §7.10, §7.8.2).
const PROPERTIES: [&str; 11] = [
    "i=12710", // ServerCapabilities
    "i=12639", // SupportedPrivateKeyFormats
    "i=12640", // MaxTrustListSize
    "i=12641", // MulticastDnsEnabled
    "i=14161", // CertificateTypes
    "i=12643", // TrustList.Size
    "i=12646", // TrustList.OpenCount
    "i=14157", // TrustList.Writable
    "i=14158", // TrustList.UserWritable
    "i=12662", // TrustList.LastUpdateTime
    "i=22567", // TrustList.UpdateFrequency
];

/// What a CA does with the server's CSR: checks its self-signature and issues a server
/// certificate for the requested key, subject and subjectAltName (valid for a year).
fn sign_csr(ca: &Ca, csr_der: &[u8]) -> X509 {
    sign_csr_until(
        ca,
        csr_der,
        test_support::now().unix_timestamp() + 365 * 86400,
    )
}

/// [`sign_csr`] with the certificate ending at `not_after` (Unix seconds).
fn sign_csr_until(ca: &Ca, csr_der: &[u8], not_after: i64) -> X509 {
    let request = X509Req::from_der(csr_der).unwrap();
    let issuer: &X509Ref = ca.cert();
    let public = request.public_key().unwrap();
    assert!(
        request.verify(&public).unwrap(),
        "the CSR is not signed by its key"
    );
    let mut builder = X509Builder::new().unwrap();
    builder.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial
        .rand(127, openssl::bn::MsbOption::ONE, false)
        .unwrap();
    builder
        .set_serial_number(&Asn1Integer::from_bn(&serial).unwrap())
        .unwrap();
    builder.set_subject_name(request.subject_name()).unwrap();
    builder.set_issuer_name(ca.cert().subject_name()).unwrap();
    builder.set_pubkey(&public).unwrap();
    let now = test_support::now().unix_timestamp();
    builder
        .set_not_before(&Asn1Time::from_unix(now - 3600).unwrap())
        .unwrap();
    builder
        .set_not_after(&Asn1Time::from_unix(not_after).unwrap())
        .unwrap();
    builder
        .append_extension(BasicConstraints::new().critical().build().unwrap())
        .unwrap();
    builder
        .append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .non_repudiation()
                .key_encipherment()
                .data_encipherment()
                .build()
                .unwrap(),
        )
        .unwrap();
    builder
        .append_extension(
            ExtendedKeyUsage::new()
                .server_auth()
                .client_auth()
                .build()
                .unwrap(),
        )
        .unwrap();
    let ski = SubjectKeyIdentifier::new()
        .build(&builder.x509v3_context(Some(issuer), None))
        .unwrap();
    builder.append_extension(ski).unwrap();
    let aki = AuthorityKeyIdentifier::new()
        .keyid(true)
        .build(&builder.x509v3_context(Some(issuer), None))
        .unwrap();
    builder.append_extension(aki).unwrap();
    // The requested subjectAltName (application URI, host names, addresses), from the text form.
    let text = String::from_utf8(request.to_text().unwrap()).unwrap();
    let mut lines = text.lines();
    lines
        .find(|l| l.contains("X509v3 Subject Alternative Name"))
        .unwrap_or_else(|| panic!("the CSR has no subjectAltName:\n{text}"));
    let names = lines.next().unwrap().trim().to_owned();
    let mut san = SubjectAlternativeName::new();
    for name in names.split(", ") {
        match name.split_once(':') {
            Some(("URI", uri)) => san.uri(uri),
            Some(("DNS", dns)) => san.dns(dns),
            Some(("IP Address", ip)) => san.ip(ip),
            _ => panic!("unexpected subjectAltName entry {name:?} in {names:?}"),
        };
    }
    let san = san
        .build(&builder.x509v3_context(Some(issuer), None))
        .unwrap();
    builder.append_extension(san).unwrap();
    builder
        .sign(&ca.issued.key, MessageDigest::sha256())
        .unwrap();
    builder.build()
}

#[test]
fn asyncua_writes_the_trust_list_and_replaces_the_server_certificate_through_apply_changes() {
    let client = ClientFiles::self_signed("AsyncuaPushClient", PYTHON_URI);
    let store = store_trusting(&[&client]);
    let mut plc = Plc::start(store.path(), &PUSH_USERS);
    let ca = Ca::root("Push Test CA");
    let crl = ca.crl(&[]);
    let flags = tempfile::tempdir().unwrap();
    let flag = |name: &str| flags.path().join(name);

    // One admin session: read the properties and the trust list, write a trust list with the CA
    // as issuer (and its CRL), hold while the test looks at the store, ApplyChanges, read it
    // again; then CreateSigningRequest, the test signs, UpdateCertificate, ApplyChanges.
    let written = json!({
        "specified_lists": 15,
        "trusted_certificates": [client.issued.base64_der()],
        "trusted_crls": [],
        "issuer_certificates": [b64(&ca.der())],
        "issuer_crls": [b64(&crl)],
        "chunk": 700,
    });
    let actions = [
        json!({ "read": PROPERTIES }),
        json!({ "read_trust_list": { "masks": 15, "chunk": 500 } }),
        json!({ "write_trust_list": written }),
        json!({ "signal": flag("staged") }),
        json!({ "wait_for": { "path": flag("checked"), "timeout": 30 } }),
        json!({ "apply_changes": {} }),
        json!({ "read_trust_list": { "masks": 15 } }),
        json!({ "create_signing_request": {
            "group": null, "type": RSA_SHA256, "subject": null, "regenerate": true,
            "nonce_length": 32, "save": flag("csr.der") } }),
        json!({ "update_certificate": {
            "group": null, "type": RSA_SHA256, "certificate_file": flag("cert.der"),
            "issuers": [b64(&ca.der())], "format": "", "key": "" } }),
        json!({ "apply_changes": {} }),
        // The store watch activates the new certificate and then closes this session; no fixed
        // wait (a 1 s sleep lost that race once under a full CI load).
        json!({ "read_until_refused": { "nodes": ["i=2258"], "timeout": 10, "every": 0.2 } }),
    ];
    let before = snapshot(store.path());
    let old_certificates = plc.own_certificates();
    let mut driver = spawn(Peer::Asyncua, &plc.url(), &[client.admin(&actions)]);

    wait_for_file(&plc, &mut driver, &flag("staged"));
    // Staged only: nothing in the store until ApplyChanges.
    assert_unchanged(&before, store.path(), "before ApplyChanges", &plc);
    std::fs::write(flag("checked"), b"go").unwrap();

    wait_for_file(&plc, &mut driver, &flag("csr.der"));
    let csr = std::fs::read(flag("csr.der")).unwrap();
    let signed = sign_csr(&ca, &csr);
    let signed_der = signed.to_der().unwrap();
    let signed_thumbprint = test_support::thumbprint(&signed_der);
    std::fs::write(flag("cert.der.part"), &signed_der).unwrap();
    std::fs::rename(flag("cert.der.part"), flag("cert.der")).unwrap();

    let session = finish(&plc, driver);
    let result = &session.attempts[0];

    let properties = &action(result, 0)["values"];
    for id in PROPERTIES {
        assert_eq!(properties[id]["status"], "Good", "{id}: {properties:#}");
    }
    assert_eq!(
        properties["i=14157"]["value"], true,
        "Writable: {properties:#}"
    );
    assert_eq!(
        properties["i=14158"]["value"], true,
        "UserWritable (admin): {properties:#}"
    );
    assert!(
        properties["i=14161"]["value"].to_string().contains("12560"),
        "CertificateTypes: {properties:#}"
    );

    let read = action(result, 1);
    assert_good(read);
    assert!(
        thumbprints(&read["trusted_certificates"]).contains(&client.issued.thumbprint()),
        "the client's certificate is not in the trust list: {read:#}"
    );
    assert!(read["reads"].as_u64().unwrap() >= 1, "{read:#}");

    let write = action(result, 2);
    assert_good(write);
    assert_eq!(write["apply_changes_required"], true, "{write:#}");
    assert_good(action(result, 5));

    // Applied: the CA in issuer/certs and its CRL in issuer/crl, the client still trusted.
    assert!(
        files_in(&store.path().join("issuer/certs")).contains(&ca.der()),
        "the CA is not in issuer/certs; server log:\n{}",
        plc.text()
    );
    assert!(
        files_in(&store.path().join("issuer/crl")).contains(&crl),
        "the CA's CRL is not in issuer/crl; server log:\n{}",
        plc.text()
    );
    assert!(files_in(&store.path().join("trusted/certs")).contains(&client.issued.der()));
    let reread = action(result, 6);
    assert_good(reread);
    assert_eq!(
        thumbprints(&reread["issuer_certificates"]),
        vec![ca.thumbprint()],
        "{reread:#}"
    );
    assert_eq!(
        reread["issuer_crls"].as_array().unwrap().len(),
        1,
        "{reread:#}"
    );

    let csr_action = action(result, 7);
    assert_good(csr_action);
    assert_eq!(csr_action["csr"], b64(&csr));
    let update = action(result, 8);
    assert_good(update);
    assert_eq!(update["apply_changes_required"], true, "{update:#}");
    assert_good(action(result, 9));
    // ApplyChanges replaced the certificate of this very channel: the server closed the session.
    let after = action(result, 10);
    assert_ne!(
        after["status"], "Good",
        "the session still reads after the certificate changed: {after:#}"
    );

    plc.assert_logged(&[&format!(
        "Activating the new application certificate with thumbprint '{signed_thumbprint}'."
    )]);
    let own = plc.own_certificates();
    assert!(
        own.contains(&signed_der),
        "own/certs does not hold the signed certificate"
    );
    assert_ne!(own, old_certificates);

    // A new connection: the endpoints offer the signed certificate, which chains to the CA.
    let next = run(
        &plc,
        Peer::Asyncua,
        &[client.admin(&[json!({ "read": ["i=2258"] })])],
    );
    let attempt = &next.attempts[0];
    assert_good(action(attempt, 0));
    assert_eq!(
        attempt["server_certificate"]["thumbprint"], signed_thumbprint,
        "{attempt:#}"
    );
    let offered = X509::from_der(
        &STANDARD
            .decode(attempt["server_certificate"]["der"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(offered.verify(&ca.cert().public_key().unwrap()).unwrap());
    for chained in thumbprints_of(&attempt["server_certificate"]["chain"]) {
        assert_eq!(chained, ca.thumbprint(), "{attempt:#}");
    }

    plc.assert_running();
    assert_keys_private(store.path(), &[&session.text, &next.text, &plc.text()]);
}

fn thumbprints_of(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|l| l.iter().map(|t| t.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn node_opcua_push_client_updates_the_certificate_adds_a_ca_and_lists_the_rejected() {
    let client = ClientFiles::self_signed("NodeOpcuaPushClient", NODE_URI);
    let intruder = ClientFiles::self_signed("NodeOpcuaIntruder", NODE_URI);
    let store = store_trusting(&[&client]);
    let mut plc = Plc::start(store.path(), &PUSH_USERS);
    let ca = Ca::root("Push Test CA");
    let flags = tempfile::tempdir().unwrap();
    let flag = |name: &str| flags.path().join(name);

    // An untrusted client is refused first: GetRejectedList must return it.
    let refused = run(
        &plc,
        Peer::NodeOpcua,
        &[intruder.attempt("SignAndEncrypt", None, &[])],
    );
    assert_eq!(
        refused.attempts[0]["connected"], false,
        "{:#}",
        refused.attempts[0]
    );

    let actions = [
        json!({ "application_group": {} }),
        json!({ "get_rejected_list": {} }),
        json!({ "read_trust_list": { "masks": 15 } }),
        json!({ "add_certificate": { "certificate": b64(&ca.der()), "trusted": true } }),
        json!({ "apply_changes": {} }),
        json!({ "read_trust_list": { "masks": 15 } }),
        json!({ "create_signing_request": {
            "group": "DefaultApplicationGroup", "type": RSA_SHA256, "subject": null,
            "regenerate": true, "nonce_length": 32, "save": flag("csr.der") } }),
        json!({ "update_certificate": {
            "group": "DefaultApplicationGroup", "type": RSA_SHA256,
            "certificate_file": flag("cert.der"), "issuers": [b64(&ca.der())] } }),
        json!({ "apply_changes": {} }),
    ];
    let mut driver = spawn(Peer::NodeOpcua, &plc.url(), &[client.admin(&actions)]);
    wait_for_file(&plc, &mut driver, &flag("csr.der"));
    let csr = std::fs::read(flag("csr.der")).unwrap();
    let signed = sign_csr(&ca, &csr);
    let signed_der = signed.to_der().unwrap();
    let signed_thumbprint = test_support::thumbprint(&signed_der);
    std::fs::write(flag("cert.der.part"), &signed_der).unwrap();
    std::fs::rename(flag("cert.der.part"), flag("cert.der")).unwrap();
    let session = finish(&plc, driver);
    let result = &session.attempts[0];

    let group = action(result, 0);
    assert_good(group);
    assert_eq!(group["group"], "ns=0;i=14156", "{group:#}");
    assert_eq!(group["trust_list"], "ns=0;i=12642", "{group:#}");
    assert_eq!(
        group["certificate_types"],
        json!(["ns=0;i=12560"]),
        "{group:#}"
    );

    let rejected = action(result, 1);
    assert_good(rejected);
    assert!(
        thumbprints(&rejected["certificates"]).contains(&intruder.issued.thumbprint()),
        "the refused client is not in GetRejectedList: {rejected:#}"
    );

    let read = action(result, 2);
    assert_good(read);
    assert!(
        thumbprints(&read["trusted_certificates"]).contains(&client.issued.thumbprint()),
        "{read:#}"
    );
    assert_good(action(result, 3));
    assert_good(action(result, 4));
    assert!(
        files_in(&store.path().join("trusted/certs")).contains(&ca.der()),
        "AddCertificate + ApplyChanges did not put the CA in trusted/certs; server log:\n{}",
        plc.text()
    );
    assert!(thumbprints(&action(result, 5)["trusted_certificates"]).contains(&ca.thumbprint()));

    let csr_action = action(result, 6);
    assert_good(csr_action);
    assert_eq!(csr_action["csr"], b64(&csr));
    let update = action(result, 7);
    assert_good(update);
    assert_eq!(update["apply_changes_required"], true, "{update:#}");
    assert_good(action(result, 8));
    plc.assert_logged(&[&format!(
        "Activating the new application certificate with thumbprint '{signed_thumbprint}'."
    )]);
    assert!(plc.own_certificates().contains(&signed_der));

    // node-opcua reconnects and sees the new certificate (its client checks the server's
    // chain, so it trusts the CA now, with the CA's CRL). Then it removes the CA it added from
    // the trusted list (UpdateCertificate put it in the issuer list, where it stays); a
    // thumbprint that is not in the list named is refused. A trust change keeps the session.
    let mut again = client.admin(&[
        json!({ "read": ["i=2258"] }),
        json!({ "remove_certificate": { "thumbprint": ca.thumbprint(), "trusted": true } }),
        json!({ "remove_certificate": {
            "thumbprint": client.issued.thumbprint(), "trusted": false } }),
        json!({ "apply_changes": {} }),
        json!({ "read_trust_list": { "masks": 15 } }),
        json!({ "read": ["i=2258"] }),
    ]);
    again["trust"] = json!({ "certificates": [b64(&ca.der())], "crls": [b64(&ca.crl(&[]))] });
    let next = run(&plc, Peer::NodeOpcua, &[again]);
    let attempt = &next.attempts[0];
    assert_good(action(attempt, 0));
    assert_eq!(
        attempt["server_certificate"]["thumbprint"], signed_thumbprint,
        "{attempt:#}"
    );
    assert_good(action(attempt, 1));
    assert_status(
        action(attempt, 2),
        "BadInvalidArgument",
        "RemoveCertificate of a thumbprint the issuer list does not hold",
    );
    assert_good(action(attempt, 3));
    let list = action(attempt, 4);
    assert_good(list);
    assert_eq!(
        thumbprints(&list["trusted_certificates"]),
        vec![client.issued.thumbprint()],
        "{list:#}"
    );
    assert_eq!(
        thumbprints(&list["issuer_certificates"]),
        vec![ca.thumbprint()],
        "{list:#}"
    );
    assert!(!files_in(&store.path().join("trusted/certs")).contains(&ca.der()));
    assert_good(action(attempt, 5));
    plc.assert_running();
    assert_keys_private(store.path(), &[&session.text, &next.text, &plc.text()]);
}

#[test]
fn push_management_refuses_other_users_unencrypted_channels_short_nonces_and_broken_input() {
    let client = ClientFiles::self_signed("AsyncuaPushClient", PYTHON_URI);
    let store = store_trusting(&[&client]);
    let mut plc = Plc::start(store.path(), &PUSH_USERS);
    let garbage = b64(b"this is not a certificate, nor a CRL");
    // A certificate for the PLC (its URI, with its own key) from a CA the store does not know,
    // sent without issuers: OPC 10000-12 §7.10.5 has UpdateCertificate validate it at once.
    let own = pki::Certificate::from_der(&plc.own_certificates()[0]).unwrap();
    let uri = own.application_uri().unwrap().to_owned();
    let foreign = Ca::root("Stranger CA").leaf(LeafSpec::server("OpcPlc", &uri, "localhost"));
    let guarded = [
        json!({ "create_signing_request": { "regenerate": true, "nonce_length": 32 } }),
        json!({ "open_trust_list": { "mode": 6 } }),
        json!({ "apply_changes": {} }),
    ];
    let broken = [
        json!({ "create_signing_request": { "regenerate": true, "nonce_length": 16 } }),
        json!({ "add_certificate": { "certificate": garbage, "trusted": true } }),
        json!({ "write_trust_list": {
            "specified_lists": 15,
            "trusted_certificates": [client.issued.base64_der()],
            "trusted_crls": [garbage],
            "issuer_certificates": [], "issuer_crls": [] } }),
        json!({ "update_certificate": {
            "group": null, "type": RSA_SHA256, "certificate": b64(&foreign.der()),
            "issuers": [], "format": "PEM", "key": b64(&foreign.key_pem_pkcs8()) } }),
        json!({ "apply_changes": {} }),
        json!({ "read": ["i=2258"] }),
    ];
    let before = snapshot(store.path());
    let output = run(
        &plc,
        Peer::Asyncua,
        &[
            client.attempt("SignAndEncrypt", None, &guarded),
            client.attempt("SignAndEncrypt", Some(USER), &guarded),
            client.attempt("Sign", Some(ADMIN), &guarded),
            client.admin(&broken),
            client.admin(&[
                json!({ "read": ["i=2258"] }),
                json!({ "read_trust_list": {} }),
            ]),
        ],
    );
    let attempts = &output.attempts;
    for (attempt, who, status) in [
        (&attempts[0], "anonymous", "BadUserAccessDenied"),
        (&attempts[1], "user1", "BadUserAccessDenied"),
        (
            &attempts[2],
            "the admin over Sign",
            "BadSecurityModeInsufficient",
        ),
    ] {
        for (i, step) in ["CreateSigningRequest", "Open", "ApplyChanges"]
            .iter()
            .enumerate()
        {
            let result = action(attempt, i);
            assert_status(result, status, &format!("{who}: {step}"));
            assert_eq!(result["step"], *step, "{who}: {result:#}");
        }
    }

    let broken = &attempts[3];
    assert_status(action(broken, 0), "BadInvalidArgument", "a 16-byte nonce");
    let add = action(broken, 1);
    assert_eq!(add["step"], "AddCertificate", "{add:#}");
    assert!(
        add["status"].as_str().unwrap().starts_with("Bad"),
        "AddCertificate of garbage: {add:#}"
    );
    // A trust list with a garbage CRL is refused when it is closed, and the certificate by
    // UpdateCertificate, so nothing is staged and the ApplyChanges after them has nothing to
    // apply.
    let write = action(broken, 2);
    assert!(
        write["status"].as_str().unwrap().starts_with("Bad"),
        "a trust list with a garbage CRL was accepted: {write:#}"
    );
    assert!(
        write["step"] == "Write" || write["step"] == "CloseAndUpdate",
        "{write:#}"
    );
    let update = action(broken, 3);
    assert_eq!(update["step"], "UpdateCertificate", "{update:#}");
    assert_status(
        update,
        "BadCertificateChainIncomplete",
        "a certificate of an unknown CA",
    );
    assert_good(action(broken, 4));
    assert_good(action(broken, 5));

    // The PLC keeps serving, with nothing changed in the store.
    let after = &attempts[4];
    assert_good(action(after, 0));
    assert_good(action(after, 1));
    plc.assert_running();
    assert_unchanged(&before, store.path(), "after the refusals", &plc);
}

#[test]
fn asyncua_receives_the_certificate_expiration_alarm_of_a_certificate_within_two_weeks() {
    let client = ClientFiles::self_signed("AsyncuaPushClient", PYTHON_URI);
    let store = store_trusting(&[&client]);
    let mut plc = Plc::start(store.path(), &PUSH_USERS);
    let ca = Ca::root("Push Test CA");
    let flags = tempfile::tempdir().unwrap();
    let flag = |name: &str| flags.path().join(name);

    // The PLC's new certificate ends in five days: within ExpirationLimit (two weeks).
    let actions = [
        json!({ "create_signing_request": {
            "group": null, "type": RSA_SHA256, "subject": null, "regenerate": true,
            "nonce_length": 32, "save": flag("csr.der") } }),
        json!({ "update_certificate": {
            "group": null, "type": RSA_SHA256, "certificate_file": flag("cert.der"),
            "issuers": [b64(&ca.der())] } }),
        json!({ "apply_changes": {} }),
    ];
    let mut driver = spawn(Peer::Asyncua, &plc.url(), &[client.admin(&actions)]);
    wait_for_file(&plc, &mut driver, &flag("csr.der"));
    let not_after = test_support::now().unix_timestamp() + 5 * 86400;
    let signed = sign_csr_until(&ca, &std::fs::read(flag("csr.der")).unwrap(), not_after);
    let signed_der = signed.to_der().unwrap();
    let signed_thumbprint = test_support::thumbprint(&signed_der);
    std::fs::write(flag("cert.der.part"), &signed_der).unwrap();
    std::fs::rename(flag("cert.der.part"), flag("cert.der")).unwrap();
    let session = finish(&plc, driver);
    for i in 0..3 {
        assert_good(action(&session.attempts[0], i));
    }
    plc.assert_logged(&[&format!(
        "Activating the new application certificate with thumbprint '{signed_thumbprint}'."
    )]);

    // A new subscriber to CertificateExpirationAlarmType events on the Server object gets the
    // alarm for the current certificate.
    let watch = run(
        &plc,
        Peer::Asyncua,
        &[client.admin(&[json!({ "events": { "seconds": 3, "type": "i=13225" } })])],
    );
    let attempt = &watch.attempts[0];
    assert_eq!(
        attempt["server_certificate"]["thumbprint"],
        signed_thumbprint
    );
    let events = action(attempt, 0);
    assert_good(events);
    let events = events["events"].as_array().unwrap();
    assert!(
        !events.is_empty(),
        "no CertificateExpirationAlarm within 3 s; server log:\n{}",
        plc.text()
    );
    for event in events {
        assert_eq!(event["EventType"], "i=13225", "{event:#}");
        assert_eq!(event["SourceNode"], "i=2253", "{event:#}");
        assert_eq!(
            event["CertificateThumbprint"], signed_thumbprint,
            "{event:#}"
        );
        assert_eq!(event["CertificateType"], "i=12560", "{event:#}");
        assert_eq!(event["Severity"], 700, "{event:#}");
        // Two weeks, as a Duration in milliseconds.
        assert_eq!(
            event["ExpirationLimit"].as_f64(),
            Some(1_209_600_000.0),
            "{event:#}"
        );
        let expiration = event["ExpirationDateUnix"].as_f64().unwrap();
        assert!(
            (expiration - f64::from(u32::try_from(not_after).unwrap())).abs() < 1.0,
            "ExpirationDate {expiration} vs the certificate's {not_after}: {event:#}"
        );
    }
    plc.assert_logged(&["days left"]);
    plc.assert_running();
}
