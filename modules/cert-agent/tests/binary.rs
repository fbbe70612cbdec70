//! The cert-agent binary links no OPC UA stack (docs/architecture.md §2): none of
//! open62541's symbols (nor its OpenSSL crypto plugin's) are in it, while the same search finds
//! them in `opc-plc`. (cert-agent links OpenSSL itself, through `pki`; open62541 runs on the
//! same library, ADR 0013, so only open62541's own plugin names tell the stack apart.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// Symbols every build of open62541 on OpenSSL carries.
const STACK_SYMBOLS: &[&str] = &["UA_Server_new", "UA_CertificateGroup", "UA_OpenSSL_"];

fn symbols_in(binary: &std::path::Path) -> Vec<&'static str> {
    let bytes = std::fs::read(binary).unwrap();
    STACK_SYMBOLS
        .iter()
        .copied()
        .filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
        .collect()
}

#[test]
fn the_cert_agent_binary_links_no_opc_ua_stack() {
    assert_eq!(
        symbols_in(std::path::Path::new(common::CERT_AGENT)),
        Vec::<&str>::new()
    );
    // The search does find the stack where it is linked.
    assert_eq!(symbols_in(&common::opc_plc()), STACK_SYMBOLS);
}
