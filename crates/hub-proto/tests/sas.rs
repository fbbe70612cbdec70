#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SAS token vectors: tokens computed by the Python SDK, parsing and verification rules.

use hub_proto::sas::{Audience, MAX_CLOCK_SKEW_SECS, SasParseError, SasVerifyError};
use hub_proto::{DeviceId, ModuleId, SasToken, SharedAccessKey};

/// base64("0123456789abcdef0123456789abcdef"), the key of the Python vectors.
const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
/// The expiry of the Python vectors: clock pinned to 1795819571, TTL 3600.
const SE: u64 = 1_795_823_171;
const NOW: u64 = 1_795_819_571;

// Golden vectors computed by the Python SDK itself (azure-iot-device 2.14.0,
// `sastoken.RenewableSasToken` + `signing_mechanism.SymmetricKeySigningMechanism`), with
// `time.time` patched to 1795819571 and ttl=3600. Command, from the repository root:
//
//     .venv/bin/python crates/hub-proto/tests/fixtures/sas/python_sdk_vectors.py
//
// (see tests/fixtures/sas/README.md for setting up `.venv`). One line per (uri, skn):
const PYTHON_VECTORS: [(&str, Option<&str>, &str); 5] = [
    (
        "myhub.azure-devices.net/devices/edgedev1/modules/opcplc",
        None,
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fedgedev1%2Fmodules%2Fopcplc&sig=y01AzVHErxxxFD6C5w9sQBV63z7Z2tqvQ1TP2E81Lms%3D&se=1795823171",
    ),
    (
        "myhub.azure-devices.net/devices/edgedev1",
        None,
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fedgedev1&sig=vjLQKRxthguoF%2B4WCNRLpjuqxHRgQei9Ant5PgAGfU4%3D&se=1795823171",
    ),
    (
        "myhub.azure-devices.net",
        Some("iothubowner"),
        "SharedAccessSignature sr=myhub.azure-devices.net&sig=XzXWbjbPT4q%2FmFURHtf2JI6xhVMaka9nSZRu56tF8Lc%3D&se=1795823171&skn=iothubowner",
    ),
    (
        "myhub.azure-devices.net/devices/edge-dev_1.a:b(2)/modules/$edgeHub",
        None,
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fedge-dev_1.a%3Ab%282%29%2Fmodules%2F%24edgeHub&sig=%2BRQGiVzsS1%2BtSDEzgm%2FnyjXFue9fgjY8xQWE16EUA4k%3D&se=1795823171",
    ),
    (
        "localhost:8443",
        Some("iothubowner"),
        "SharedAccessSignature sr=localhost%3A8443&sig=SVIxXwLusWGOynlAkhlwzACqIOHovL7b8kfd4F%2B%2BlMs%3D&se=1795823171&skn=iothubowner",
    ),
];

type ErrorCheck = fn(&SasParseError) -> bool;

fn key() -> SharedAccessKey {
    SharedAccessKey::from_base64(KEY).unwrap()
}

#[test]
fn tokens_equal_the_python_sdk_byte_for_byte() {
    for (uri, skn, expected) in PYTHON_VECTORS {
        let token = SasToken::sign_with_ttl(uri, &key(), skn, NOW, 3600);
        assert_eq!(token.to_string(), expected, "{uri}");
    }
}

#[test]
fn python_tokens_parse_and_verify() {
    for (uri, skn, text) in PYTHON_VECTORS {
        let token = SasToken::parse(text).unwrap();
        assert_eq!(token.resource_uri().unwrap(), uri);
        assert_eq!(token.key_name(), skn);
        assert_eq!(token.expiry(), SE);
        assert_eq!(token.verify(&[&key()], NOW), Ok(()));
        // Parsing and formatting round-trips the exact text.
        assert_eq!(token.to_string(), text);
    }
}

#[test]
fn module_audience_is_parsed_from_sr() {
    let token = SasToken::parse(PYTHON_VECTORS[0].2).unwrap();
    assert_eq!(
        token.audience().unwrap(),
        Audience::Module {
            host: "myhub.azure-devices.net".to_owned(),
            device: DeviceId::new("edgedev1").unwrap(),
            module: ModuleId::new("opcplc").unwrap(),
        }
    );
    let policy = SasToken::parse(PYTHON_VECTORS[4].2).unwrap();
    assert_eq!(
        policy.audience().unwrap(),
        Audience::Hub {
            host: "localhost:8443".to_owned()
        }
    );
}

#[test]
fn signature_under_another_key_is_refused() {
    let token = SasToken::parse(PYTHON_VECTORS[0].2).unwrap();
    let other = SharedAccessKey::from_base64("b3RoZXIga2V5").unwrap();
    assert_eq!(
        token.verify(&[&other], NOW),
        Err(SasVerifyError::BadSignature)
    );
}

#[test]
fn secondary_key_is_accepted_when_primary_fails() {
    let token = SasToken::parse(PYTHON_VECTORS[0].2).unwrap();
    let primary = SharedAccessKey::from_base64("b3RoZXIga2V5").unwrap();
    assert_eq!(token.verify(&[&primary, &key()], NOW), Ok(()));
}

#[test]
fn tampered_fields_break_the_signature() {
    let original = PYTHON_VECTORS[0].2;
    let cases = [
        original.replace("opcplc", "opcclient"),
        original.replace("se=1795823171", "se=1795823172"),
        // Same audience, encoded differently: edgeHub signs over `sr` as sent.
        original.replace("%2Fmodules", "/modules"),
    ];
    for tampered in cases {
        let token = SasToken::parse(&tampered).unwrap();
        assert_eq!(
            token.verify(&[&key()], NOW),
            Err(SasVerifyError::BadSignature),
            "{tampered}"
        );
    }
}

#[test]
fn expiry_allows_five_minutes_of_clock_skew() {
    let token = SasToken::parse(PYTHON_VECTORS[0].2).unwrap();
    assert_eq!(token.verify(&[&key()], SE + MAX_CLOCK_SKEW_SECS), Ok(()));
    assert_eq!(
        token.verify(&[&key()], SE + MAX_CLOCK_SKEW_SECS + 1),
        Err(SasVerifyError::Expired {
            expiry: SE,
            now: SE + MAX_CLOCK_SKEW_SECS + 1
        })
    );
}

#[test]
fn field_order_does_not_matter() {
    let token = SasToken::parse(
        "SharedAccessSignature skn=iothubowner&se=1795823171&sig=XzXWbjbPT4q%2FmFURHtf2JI6xhVMaka9nSZRu56tF8Lc%3D&sr=myhub.azure-devices.net",
    )
    .unwrap();
    assert_eq!(token.verify(&[&key()], NOW), Ok(()));
    assert_eq!(token.to_string(), PYTHON_VECTORS[2].2);
}

#[test]
fn workload_signed_token_equals_a_locally_signed_one() {
    // Under IoT Edge the module sends `string_to_sign` to the workload API and gets the
    // digest back; the simulator computes the digest with `SharedAccessKey::sign`.
    let uri = "myhub.azure-devices.net/devices/edgedev1/modules/opcplc";
    let data = SasToken::string_to_sign(uri, SE);
    assert_eq!(
        data,
        "myhub.azure-devices.net%2Fdevices%2Fedgedev1%2Fmodules%2Fopcplc\n1795823171"
    );
    let digest = key().sign(data.as_bytes());
    let token = SasToken::from_signature(uri, digest, None, SE);
    assert_eq!(token.to_string(), PYTHON_VECTORS[0].2);
}

#[test]
fn malformed_tokens_are_refused() {
    let cases: [(&str, ErrorCheck); 6] = [
        ("Bearer abc", |e| matches!(e, SasParseError::NotSas)),
        ("SharedAccessSignature sig=a&se=1", |e| {
            matches!(e, SasParseError::MissingField("sr"))
        }),
        ("SharedAccessSignature sr=h&sig=a&se=soon", |e| {
            matches!(e, SasParseError::BadExpiry(_))
        }),
        ("SharedAccessSignature sr=h&sr=g&sig=a&se=1", |e| {
            matches!(e, SasParseError::DuplicateField(_))
        }),
        ("SharedAccessSignature sr=h&sig&se=1", |e| {
            matches!(e, SasParseError::MalformedField(_))
        }),
        ("SharedAccessSignature sr=h&sig=a&se=", |e| {
            matches!(e, SasParseError::MissingField("se"))
        }),
    ];
    for (text, expected) in cases {
        let err = SasToken::parse(text).unwrap_err();
        assert!(expected(&err), "{text}: {err:?}");
    }
}

#[test]
fn audience_authorizes_only_its_own_identity() {
    let audience = SasToken::parse(PYTHON_VECTORS[0].2)
        .unwrap()
        .audience()
        .unwrap();
    let device = DeviceId::new("EdgeDev1").unwrap();
    let module = ModuleId::new("OpcPlc").unwrap();
    let hosts = ["myhub.azure-devices.net", "edgehub.local"];
    // Ids match ignoring case (edgeHub `DeviceScopeTokenAuthenticator`).
    assert!(audience.authorizes(&hosts, &device, Some(&module)));
    assert!(!audience.authorizes(&["otherhub.azure-devices.net"], &device, Some(&module)));
    assert!(!audience.authorizes(&hosts, &device, Some(&ModuleId::new("opcclient").unwrap())));
    // A module token does not authorize its device.
    assert!(!audience.authorizes(&hosts, &device, None));
}

#[test]
fn audience_with_an_unknown_shape_is_refused() {
    for uri in [
        "h/devices",
        "h/modules/m",
        "h/devices/d/modules",
        "/devices/d",
    ] {
        assert!(
            matches!(Audience::parse(uri), Err(SasParseError::UnknownAudience(_))),
            "{uri}"
        );
    }
}

#[test]
fn debug_output_hides_the_signature_and_key() {
    let token = SasToken::parse(PYTHON_VECTORS[0].2).unwrap();
    assert!(!format!("{token:?}").contains("y01AzVHE"));
    assert!(!format!("{:?}", key()).contains(KEY));
}
