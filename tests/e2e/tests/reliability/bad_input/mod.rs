//! R1, bad input: one corpus, `tests/bad-input/*.json` (its README says the format), run by
//! one harness per surface. Every case names its input and the precise error it must get (the
//! reported `error.item`/`error.code` and a message fragment for twin input; the exit code and
//! a message for command lines; the peer's answer for sockets), and each harness checks that
//! the store is byte for byte as it was (`test_support::snapshot`) and that the process still
//! runs and serves afterwards.
//!
//! | surface | corpus | harness |
//! | --- | --- | --- |
//! | desired `pki` of opc-plc and opc-client | `twin-pki.json` | [`twin`] |
//! | desired `stores` of cert-agent | `twin-stores.json` | [`stores`] |
//! | command-line values of every module and opc-vault | `cli.json` | [`cli`] |
//! | files placed in the store a running opc-plc watches | `volume.json` | [`volume`] |
//! | malformed MQTT to edge-sim, over a real socket | `mqtt.json` | [`mqtt`] |
//! | malformed HTTP to edge-sim's workload and service APIs | `http.json` | [`http`] |

pub mod cli;
pub mod http;
pub mod mqtt;
pub mod stores;
pub mod twin;
pub mod volume;

use std::path::Path;

use openssl::hash::MessageDigest;
use pki::{Store, StoreLayout};
use serde_json::Value;
use test_support::{Ca, LeafSpec, self_signed};

use crate::support::{Corpus, Fixtures, b64};

/// Every corpus file, by surface.
pub const SURFACES: [&str; 6] = ["twin-pki", "twin-stores", "cli", "volume", "mqtt", "http"];

/// The CAs every certificate fixture comes from.
pub struct Authorities {
    /// The CA the base documents trust (`CN=Factory CA`).
    pub factory: Ca,
    /// A CA no store trusts.
    pub stranger: Ca,
    /// Another CA named `CN=Factory CA` (another key): forged CRLs.
    pub impostor: Ca,
    /// The factory CA's first CRL (the base documents carry its second).
    pub older_crl: Vec<u8>,
    /// The factory CA's second CRL.
    pub crl: Vec<u8>,
}

impl Authorities {
    pub fn new() -> Self {
        let factory = Ca::root("Factory CA");
        let older_crl = factory.crl(&[]);
        let crl = factory.crl(&[]);
        Self {
            factory,
            stranger: Ca::root("Stranger CA"),
            impostor: Ca::root("Factory CA"),
            older_crl,
            crl,
        }
    }
}

/// The fixtures of a store whose own certificate is to be replaced: certificates for its key
/// (good and every way of bad), CRLs, keys, garbage.
pub fn identity_fixtures(ca: &Authorities, store_dir: &Path) -> Fixtures {
    let store = Store::open(StoreLayout::under(store_dir)).unwrap();
    let contents = store.contents().unwrap();
    let own = contents
        .application_certificate()
        .expect("the store has an application certificate");
    let key = store.load_key(own).unwrap().pkey().clone();
    let cn = own.cert.common_name().unwrap().to_owned();
    let uri = own.cert.application_uri().unwrap().to_owned();
    let dns = own
        .cert
        .dns_names()
        .first()
        .cloned()
        .unwrap_or_else(|| "localhost".to_owned());
    let org = own
        .cert
        .subject()
        .contains("O=OPC Foundation")
        .then_some("OPC Foundation");
    let spec = |cn: &str, uri: &str| {
        let spec = LeafSpec::server(cn, uri, &dns).with_key(key.clone());
        match org {
            Some(o) => spec.organization(o),
            None => spec,
        }
    };
    let good = ca.factory.leaf(spec(&cn, &uri));
    let mut f = Fixtures::default();
    f.set("appCert", b64(&good.der()));
    f.set("appThumbprint", good.thumbprint());
    f.set("ca", b64(&ca.factory.der()));
    f.set("caThumbprint", ca.factory.thumbprint());
    f.set("caCrl", b64(&ca.crl));
    f.set("olderCaCrl", b64(&ca.older_crl));
    f.set("strangerCa", b64(&ca.stranger.der()));
    f.set("strangerCrl", b64(&ca.stranger.crl(&[])));
    f.set(
        "forgedCrl",
        b64(&ca.impostor.crl_with(test_support::CrlSpec::new(9))),
    );
    let foreign = ca.factory.leaf({
        let mut s = spec(&cn, &uri);
        s.key = None;
        s
    });
    f.set("foreignKeyCert", b64(&foreign.der()));
    f.set(
        "otherSubjectCert",
        b64(&ca.factory.leaf(spec("Other", &uri)).der()),
    );
    f.set(
        "otherUriCert",
        b64(&ca.factory.leaf(spec(&cn, "urn:other:application")).der()),
    );
    f.set(
        "expiredCert",
        b64(&ca.factory.leaf(spec(&cn, &uri).expired()).der()),
    );
    f.set(
        "notYetValidCert",
        b64(&ca.factory.leaf(spec(&cn, &uri).not_yet_valid()).der()),
    );
    f.set(
        "caAsAppCert",
        b64(&ca.factory.leaf(spec(&cn, &uri).as_ca()).der()),
    );
    f.set(
        "sha1Cert",
        b64(&ca
            .factory
            .leaf(spec(&cn, &uri).digest(MessageDigest::sha1()))
            .der()),
    );
    f.set(
        "strangerSignedCert",
        b64(&ca.stranger.leaf(spec(&cn, &uri)).der()),
    );
    let der = good.der();
    f.set("truncatedCert", b64(&der[..der.len() / 2]));
    f.set(
        "garbagePem",
        "-----BEGIN CERTIFICATE-----\n!!!! this is not base64 !!!!\n-----END CERTIFICATE-----\n",
    );
    let stray = self_signed(LeafSpec::client("Stray", "urn:stray"));
    f.set("keyPem", String::from_utf8(stray.key_pem_pkcs8()).unwrap());
    f.set("keyDer", b64(&stray.key.private_key_to_der().unwrap()));
    f.set("pfx", b64(&stray.pfx("secret")));
    f.set(
        "unknownThumbprint",
        "0123456789ABCDEF0123456789ABCDEF01234567",
    );
    f
}

/// Pieces of private keys that must never appear in a report or a log.
pub fn secrets(fixtures: &Fixtures) -> Vec<String> {
    ["keyPem", "keyDer", "pfx"]
        .iter()
        .map(|name| {
            let text = fixtures
                .resolve(&Value::String(format!("${{{name}}}")))
                .as_str()
                .unwrap()
                .to_owned();
            // A run from the middle: no header, no structure, only key material.
            let body: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
            body[body.len() / 2..body.len() / 2 + 24].to_owned()
        })
        .collect()
}

/// Every corpus file's cases, counted; the suite needs at least 60.
#[test]
fn the_corpus_has_at_least_60_cases_and_every_surface_some() {
    let mut total = 0;
    for surface in SURFACES {
        let corpus = Corpus::load(surface);
        // A pending case states the right answer for a known bug, and does not count.
        let n = corpus
            .cases()
            .iter()
            .filter(|c| c.get("pending").is_none())
            .count();
        assert!(n > 0, "{surface} has no cases");
        eprintln!(
            "bad input corpus: {surface}: {n} cases (and {} pending)",
            corpus.cases().len() - n
        );
        total += n;
    }
    eprintln!("bad input corpus: {total} cases in all");
    assert!(total >= 60, "only {total} bad-input cases");
}
