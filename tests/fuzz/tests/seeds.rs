//! The seed writer: `cargo test -p fuzz-targets --test seeds -- --ignored` writes the seeds of
//! every corpus (`fuzz/corpus/<target>/seed-*`) and the store fixture of the `desired` target
//! (`fuzz/fixtures/desired/`), generated with test-support. Run it only to change the seeds:
//! it generates new keys, so every certificate-shaped seed changes (ADR 0012 says why these,
//! unlike test fixtures, are committed).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::missing_panics_doc,
    clippy::too_many_lines
)]

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::BytesMut;
use hub_proto::topic::{DESIRED_PATCHES_FILTER, METHOD_REQUESTS_FILTER, TWIN_RESPONSES_FILTER};
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use pki::{Certificate, PrivateKey};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{
    Connect, Packet, PubAck, Publish, Subscribe, SubscribeFilter, Unsubscribe,
};
use serde_json::json;
use test_support::{Ca, LeafSpec, csr_der, self_signed};

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

fn write_seeds(target: &str, seeds: &[(&str, Vec<u8>)]) {
    let dir = corpus(target);
    fs::create_dir_all(&dir).unwrap();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
        {
            fs::remove_file(path).unwrap();
        }
    }
    for (name, bytes) in seeds {
        fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
    }
}

fn packets(flags: u8, packets: Vec<Packet>) -> Vec<u8> {
    let mut out = BytesMut::new();
    for p in packets {
        p.write(&mut out, 1 << 20).unwrap();
    }
    let mut bytes = vec![flags];
    bytes.extend_from_slice(&out);
    bytes
}

fn publish(topic: &str, qos: QoS, pkid: u16, payload: &[u8]) -> Packet {
    let mut p = Publish::new(topic, qos, payload.to_vec());
    p.pkid = pkid;
    Packet::Publish(p)
}

fn edgehub() {
    let mut subscribe = Subscribe::new_many([
        SubscribeFilter::new(DESIRED_PATCHES_FILTER.to_owned(), QoS::AtLeastOnce),
        SubscribeFilter::new(METHOD_REQUESTS_FILTER.to_owned(), QoS::AtLeastOnce),
        SubscribeFilter::new(TWIN_RESPONSES_FILTER.to_owned(), QoS::ExactlyOnce),
    ]);
    subscribe.pkid = 1;
    let mut unsubscribe = Unsubscribe::new(METHOD_REQUESTS_FILTER);
    unsubscribe.pkid = 9;
    let session = packets(
        10 << 1,
        vec![
            Packet::Subscribe(subscribe),
            publish("$iothub/twin/GET/?$rid=1", QoS::AtLeastOnce, 2, b""),
            publish(
                "$iothub/twin/PATCH/properties/reported/?$rid=2",
                QoS::AtLeastOnce,
                3,
                br#"{"pki":{"status":"applied","desiredVersion":2}}"#,
            ),
            Packet::PubAck(PubAck::new(1)),
            publish(
                "$iothub/twin/PATCH/properties/reported/?$rid=3",
                QoS::AtMostOnce,
                0,
                br#"{"bad.name":1}"#,
            ),
            publish(
                "$iothub/methods/res/200/?$rid=7",
                QoS::AtLeastOnce,
                4,
                br#"{"ok":true}"#,
            ),
            publish(
                "devices/d/modules/m/messages/events/%24.ct=application%2Fjson",
                QoS::AtLeastOnce,
                5,
                b"{}",
            ),
            Packet::PingReq,
            Packet::Unsubscribe(unsubscribe),
            Packet::Disconnect,
        ],
    );
    let qos2 = packets(
        1,
        vec![publish(
            "$iothub/twin/GET/?$rid=1",
            QoS::ExactlyOnce,
            1,
            b"",
        )],
    );
    let second_connect = packets(
        3,
        vec![Packet::PingReq, Packet::Connect(Connect::new("again"))],
    );
    write_seeds(
        "edgehub",
        &[
            ("session", session),
            ("qos2", qos2),
            ("second-connect", second_connect),
            // CONNECT headers rumqttc's v4 decoder lets through (`check_connect_header`): the
            // flags byte, then a CONNECT of protocol level 5 / with the reserved flag set.
            (
                "connect-mqtt5",
                b"\x14\x10\x0d\x00\x04MQTT\x05\x02\x00\x3c\x00\x01c".to_vec(),
            ),
            (
                "connect-reserved-flag",
                b"\x14\x10\x0d\x00\x04MQTT\x04\x03\x00\x3c\x00\x01c".to_vec(),
            ),
        ],
    );
}

fn topic() {
    let topics = [
        "$iothub/twin/GET/?$rid=1",
        "$iothub/twin/res/200/?$rid=abc&$version=4",
        "$iothub/twin/PATCH/properties/reported/?$rid=2",
        "$iothub/twin/PATCH/properties/desired/?$version=7",
        "$iothub/methods/POST/RestartModule/?$rid=9",
        "$iothub/methods/res/500/?$rid=9",
        "devices/dev/modules/mod/messages/events/%24.on=out&k=v%20w",
        "devices/dev/modules/mod/inputs/in1/%24.cid=1",
        "devices/dev/modules/mod/inputs/#",
        "$iothub/twin/res/#",
    ];
    let seeds: Vec<(String, Vec<u8>)> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (i.to_string(), t.as_bytes().to_vec()))
        .collect();
    let seeds: Vec<(&str, Vec<u8>)> = seeds.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    write_seeds("topic", &seeds);
}

fn twin(ca: &Ca, peer: &test_support::Issued) {
    let desired_pki = json!({
        "trusted": { "peer": peer.base64_der(), "gone": null },
        "issuers": { "ca": ca.issued_base64() },
        "approveRejected": { "0123456789ABCDEF0123456789ABCDEF01234567": true },
        "rejectSha1SignedCertificates": true,
        "expiryWarningDays": 30,
        "$version": 3
    });
    let twin_get = json!({
        "desired": { "pki": desired_pki, "$version": 3 },
        "reported": { "pki": { "status": "applied" }, "$version": 5 }
    });
    let mut pair =
        serde_json::to_vec(&json!({"a": {"b": 1, "c": [1, 2]}, "d": "x", "$version": 2})).unwrap();
    pair.push(0xFF);
    pair.extend(
        serde_json::to_vec(&json!({"a": {"b": null, "e": true}, "f": 1.5, "$version": 3})).unwrap(),
    );
    write_seeds(
        "twin",
        &[
            (
                "reported",
                br#"{"pki":{"status":"applied","desiredVersion":3,"crls":{}}}"#.to_vec(),
            ),
            ("twin-get", serde_json::to_vec(&twin_get).unwrap()),
            ("desired-pki", serde_json::to_vec(&desired_pki).unwrap()),
            (
                "agent-store",
                serde_json::to_vec(&json!({"restartModule": "opcplc", "crls": {}})).unwrap(),
            ),
            ("patch-pair", pair),
        ],
    );
}

/// `Ca` has no base64 accessor; the issued CA certificate in twin form.
trait CaText {
    fn issued_base64(&self) -> String;
}

impl CaText for Ca {
    fn issued_base64(&self) -> String {
        BASE64.encode(self.der())
    }
}

fn write_fixture(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

#[test]
#[ignore = "writes the committed seeds; run by hand to change them"]
fn write_all_seeds() {
    let ca = Ca::root("Fuzz CA");
    let own = ca.leaf(LeafSpec::server("fuzz-own", "urn:fuzz:own", "own.local"));
    let peer = ca.leaf(LeafSpec::client("fuzz-peer", "urn:fuzz:peer"));
    let newer_peer = ca.leaf(LeafSpec::client("fuzz-peer-2", "urn:fuzz:peer2"));
    let rejected = self_signed(LeafSpec::client("fuzz-rejected", "urn:fuzz:rejected"));
    let crl = ca.crl(&[]);
    let newer_crl = ca.crl(&[&peer.cert]);
    let renewed_own = ca
        .leaf(LeafSpec::server("fuzz-own", "urn:fuzz:own", "own.local").with_key(own.key.clone()));

    write_trust_list_seeds_with(&ca, &peer, &crl);

    let fixtures = desired_fixture_dir();
    write_fixture(&fixtures, "own.der", &own.der());
    write_fixture(&fixtures, "peer.der", &peer.der());
    write_fixture(&fixtures, "ca.der", &ca.der());
    write_fixture(&fixtures, "ca.crl", &crl);
    write_fixture(&fixtures, "rejected.der", &rejected.der());

    edgehub();
    topic();
    twin(&ca, &peer);

    let doc = |value: serde_json::Value, options: u8| {
        let mut bytes = vec![options];
        bytes.extend(serde_json::to_vec(&value).unwrap());
        bytes
    };
    let full = json!({
        "applicationCert": renewed_own.base64_der(),
        "trusted": { "peer": peer.base64_der(), "peer2": newer_peer.base64_der() },
        "issuers": { "ca": ca.issued_base64() },
        "crls": { "ca": BASE64.encode(&newer_crl) },
        "approveRejected": { rejected.thumbprint(): true },
        "expiryWarningDays": 20
    });
    let pem = json!({
        "trusted": { "peer": String::from_utf8(peer.pem()).unwrap() },
    });
    write_seeds(
        "desired",
        &[
            ("full-own", doc(full.clone(), 0)),
            ("full-own-recorded", doc(full, 2)),
            (
                "removals",
                doc(json!({"issuers": {"ca": ca.issued_base64()}}), 2),
            ),
            (
                "agent-restart",
                doc(
                    json!({"applicationCert": renewed_own.base64_der(), "restartModule": "opcplc"}),
                    3,
                ),
            ),
            ("pem", doc(pem, 0)),
            (
                "unknown-approval",
                doc(
                    json!({"approveRejected": {"0123456789ABCDEF0123456789ABCDEF01234567": true}}),
                    0,
                ),
            ),
        ],
    );

    let chain: Vec<u8> = [own.der(), ca.der()].concat();
    write_seeds(
        "certificate",
        &[
            ("leaf.der", own.der()),
            ("ca.der", ca.der()),
            ("self-signed.pem", rejected.pem()),
            ("chain.der", chain),
            ("base64.txt", own.base64_der().into_bytes()),
        ],
    );
    let crl_pem = format!(
        "-----BEGIN X509 CRL-----\n{}\n-----END X509 CRL-----\n",
        BASE64.encode(&newer_crl)
    );
    write_seeds(
        "crl",
        &[
            ("empty.der", crl),
            ("revoked.der", newer_crl),
            ("revoked.pem", crl_pem.into_bytes()),
        ],
    );

    let own_cert = Certificate::from_der(&own.der()).unwrap();
    let own_key = PrivateKey::from_pkey(own.key.clone());
    let module_csr = pki::create_csr(&own_cert, &own_key, None, None).unwrap();
    let handmade = csr_der(
        "fuzz-peer",
        Some("urn:fuzz:peer"),
        &["peer.local"],
        &peer.key,
        &peer.key,
    );
    let csr_pem = format!(
        "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
        BASE64.encode(&handmade)
    );
    write_seeds(
        "csr",
        &[
            ("module.der", module_csr.clone()),
            ("module.b64", BASE64.encode(&module_csr).into_bytes()),
            ("handmade.pem", csr_pem.into_bytes()),
        ],
    );

    let dotnet_pfx = own_key.to_dotnet_pfx(&own_cert, None).unwrap();
    let with = |choice: u8, bytes: Vec<u8>| {
        let mut out = vec![choice];
        out.extend(bytes);
        out
    };
    write_seeds(
        "pfx",
        &[
            ("dotnet.pfx", with(0, dotnet_pfx)),
            ("openssl-fuzz.pfx", with(2, peer.pfx("fuzz"))),
            ("pkcs8.pem", with(0, peer.key_pem_pkcs8())),
            ("encrypted.pem", with(2, own.key_pem_encrypted("fuzz"))),
        ],
    );
    write_cheap_pfx_seeds();
}

/// PFX seeds with one iteration per key derivation (`seed-cheap-*`, added to the `pfx`
/// corpus without touching the other seeds): the same structures as the seeds above, but the
/// fuzzer spends its time in parsing instead of in openssl's key derivation (2000 iterations
/// three times per input made the target about six times slower).
#[test]
#[ignore = "writes committed seeds; run by hand to change them"]
fn write_cheap_pfx_seeds() {
    let issued = self_signed(LeafSpec::client("fuzz-cheap", "urn:fuzz:cheap"));
    let build = |password: &str, pbe: Option<Nid>| {
        let mut builder = Pkcs12::builder();
        builder
            .pkey(&issued.key)
            .cert(&issued.cert)
            .key_iter(1)
            .mac_iter(1);
        if let Some(nid) = pbe {
            builder.key_algorithm(nid).cert_algorithm(nid);
        }
        builder.build2(password).unwrap().to_der().unwrap()
    };
    let dir = corpus("pfx");
    let seed = |name: &str, choice: u8, bytes: Vec<u8>| {
        let mut out = vec![choice];
        out.extend(bytes);
        fs::write(dir.join(format!("seed-cheap-{name}")), out).unwrap();
    };
    seed("aes.pfx", 1, build("", None));
    seed(
        "3des.pfx",
        2,
        build("fuzz", Some(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)),
    );
}

/// The `query` target's seeds (its own writer: they hold no keys, so writing them leaves the
/// other corpora as they are): the queries issue #13 and #14 send, every operator and function
/// of the subset, one refused query, and one query followed by a twin to evaluate.
#[test]
#[ignore = "writes committed seeds; run by hand to change them"]
fn write_query_seeds() {
    let twin = json!({
        "deviceId": "edge-1", "moduleId": "opcplc", "version": 3, "status": "enabled",
        "tags": {"site": "lab"},
        "properties": {
            "desired": {"$version": 2},
            "reported": {"pki": {"expiry": {"status": "expiring", "days": 9}}, "$version": 4}
        }
    });
    let with_twin = |query: &str| {
        let mut bytes = query.as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend(serde_json::to_vec(&twin).unwrap());
        bytes
    };
    write_seeds(
        "query",
        &[
            (
                "pki-or-stores",
                b"SELECT * FROM devices.modules WHERE is_defined(properties.reported.pki) \
                  OR IS_DEFINED(properties.reported.stores)"
                    .to_vec(),
            ),
            (
                "compare-with-twin",
                with_twin(
                    "SELECT * FROM devices.modules WHERE properties.reported.pki.expiry.status \
                     = 'expiring' AND properties.reported.pki.expiry.days < 30 \
                     AND tags.site IN ['lab', \"plant-a\"]",
                ),
            ),
            (
                "count-not-nin-text",
                br"select count() as n from devices where not (version >= -1.5e2 or status <> 'enabled') and moduleId nin [1, true, null] and startswith(deviceId, 'edge\'s') and (endswith(a.b, 'x') or contains(c, d))"
                    .to_vec(),
            ),
            (
                "type-checks",
                b"SELECT * FROM devices.modules WHERE ((IS_STRING(tags.a) AND IS_NUMBER(tags.b)) \
                  OR NOT IS_OBJECT(properties.desired.pki) AND IS_NULL(x) AND IS_ARRAY(y) \
                  AND IS_PRIMITIVE(z) AND IS_BOOL(w)) AND devices.deviceId != 'x'"
                    .to_vec(),
            ),
            ("refused", b"SELECT * FORM devices".to_vec()),
        ],
    );
}

/// Only the `trust_list` seeds (`… --ignored write_trust_list_seeds`).
#[test]
#[ignore = "writes committed seeds; run by hand to change them"]
fn write_trust_list_seeds() {
    let ca = Ca::root("Fuzz CA");
    let peer = ca.leaf(LeafSpec::client("fuzz-peer", "urn:fuzz:peer"));
    write_trust_list_seeds_with(&ca, &peer, &ca.crl(&[]));
}

/// `TrustListDataType` encodings: empty, every list, one list, null arrays and `ByteString`s, an
/// item that is not a certificate, a leaf in the issuer list.
fn write_trust_list_seeds_with(ca: &Ca, peer: &test_support::Issued, crl: &[u8]) {
    use provisioning::push::{Masks, TrustList};
    let all = TrustList {
        specified: Masks::ALL,
        trusted_certificates: vec![ca.der(), peer.der()],
        trusted_crls: vec![crl.to_vec()],
        issuer_certificates: vec![ca.der()],
        issuer_crls: vec![crl.to_vec()],
    };
    let trusted_only = TrustList {
        specified: Masks::TRUSTED_CERTIFICATES,
        trusted_certificates: vec![peer.der()],
        ..TrustList::default()
    };
    let mut nulls = 15u32.to_le_bytes().to_vec();
    nulls.extend(1i32.to_le_bytes());
    nulls.extend((-1i32).to_le_bytes());
    for _ in 0..3 {
        nulls.extend((-1i32).to_le_bytes());
    }
    let not_a_certificate = TrustList {
        specified: Masks::ALL,
        trusted_certificates: vec![b"not a certificate".to_vec()],
        ..TrustList::default()
    };
    let leaf_as_issuer = TrustList {
        specified: Masks::ISSUER_CERTIFICATES,
        issuer_certificates: vec![peer.der()],
        ..TrustList::default()
    };
    write_seeds(
        "trust_list",
        &[
            ("empty", TrustList::default().encode()),
            ("all", all.encode()),
            ("trusted-only", trusted_only.encode()),
            ("nulls", nulls),
            ("not-a-certificate", not_a_certificate.encode()),
            ("leaf-as-issuer", leaf_as_issuer.encode()),
        ],
    );
}

fn desired_fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fixtures/desired")
}
