//! Who the application is and which endpoints it offers: plain values, checked once.

use pki::SecurityPolicy;

/// `ApplicationName`, `ApplicationUri`, `ProductUri` and the names the application is reached
/// by (OPC 10000-4 §7.2 `ApplicationDescription`; docs/reference/opc-ua-apps.md §1.1 for the OPC
/// PLC's values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `ApplicationName`, also the certificate's CN (`OpcPlc`).
    pub application_name: String,
    /// `ApplicationUri`; must equal the certificate's SAN URI (`urn:OpcPlc:<host>`).
    pub application_uri: String,
    /// `ProductUri`.
    pub product_uri: String,
    /// The host name in endpoint URLs (`--ph`).
    pub host_name: String,
    /// More DNS names or IP addresses for the certificate (`--cdn`).
    pub extra_dns_names: Vec<String>,
}

impl Identity {
    /// An identity with no extra DNS names.
    #[must_use]
    pub fn new(
        application_name: &str,
        application_uri: &str,
        product_uri: &str,
        host_name: &str,
    ) -> Self {
        Self {
            application_name: application_name.to_owned(),
            application_uri: application_uri.to_owned(),
            product_uri: product_uri.to_owned(),
            host_name: host_name.to_owned(),
            extra_dns_names: Vec::new(),
        }
    }

    /// Host name first, then the extra names, without duplicates: the certificate's SAN list.
    #[must_use]
    pub fn dns_names(&self) -> Vec<String> {
        let mut names = vec![self.host_name.clone()];
        for name in &self.extra_dns_names {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.clone());
            }
        }
        names
    }

    /// The spec for a self-signed certificate of this identity (the OPC PLC's defaults).
    #[must_use]
    pub fn self_signed_spec(&self) -> pki::SelfSignedSpec {
        pki::SelfSignedSpec::new(
            &self.application_name,
            &self.application_uri,
            self.dns_names(),
        )
    }
}

/// Message security mode of an endpoint (OPC 10000-4 §7.20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecurityMode {
    /// No security (only with the `None` policy).
    None,
    /// Signed messages.
    Sign,
    /// Signed and encrypted messages.
    SignAndEncrypt,
}

impl SecurityMode {
    /// The name the OPC PLC logs (`SignAndEncrypt`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Sign => "Sign",
            Self::SignAndEncrypt => "SignAndEncrypt",
        }
    }
}

/// The secure policies we offer, strongest last (OPC 10000-7: the three non-deprecated RSA
/// policies; `Basic128Rsa15` and Basic256 are deprecated and never offered).
pub const SECURE_POLICIES: [SecurityPolicy; 3] = [
    SecurityPolicy::Basic256Sha256,
    SecurityPolicy::Aes128Sha256RsaOaep,
    SecurityPolicy::Aes256Sha256RsaPss,
];

/// The policy URI (`http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256`).
#[must_use]
pub fn policy_uri(policy: SecurityPolicy) -> &'static str {
    match policy {
        SecurityPolicy::None => "http://opcfoundation.org/UA/SecurityPolicy#None",
        SecurityPolicy::Basic128Rsa15 => "http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15",
        SecurityPolicy::Basic256 => "http://opcfoundation.org/UA/SecurityPolicy#Basic256",
        SecurityPolicy::Basic256Sha256 => {
            "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"
        }
        SecurityPolicy::Aes128Sha256RsaOaep => {
            "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep"
        }
        SecurityPolicy::Aes256Sha256RsaPss => {
            "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss"
        }
    }
}

/// The endpoints a server offers: every secure policy in Sign and `SignAndEncrypt`, plus None/None
/// only when unsecure transport is asked for (`--ut`).
#[must_use]
pub fn endpoints(unsecure_transport: bool) -> Vec<(SecurityPolicy, SecurityMode)> {
    let mut out = Vec::new();
    for policy in SECURE_POLICIES {
        out.push((policy, SecurityMode::Sign));
        out.push((policy, SecurityMode::SignAndEncrypt));
    }
    if unsecure_transport {
        out.push((SecurityPolicy::None, SecurityMode::None));
    }
    out
}

/// The host part of an `opc.tcp://host:port/path` URL, without brackets around IPv6.
#[must_use]
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next();
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_endpoints_come_in_both_modes_and_none_only_when_asked() {
        let secure = endpoints(false);
        assert_eq!(secure.len(), 6);
        assert!(!secure.iter().any(|(p, _)| *p == SecurityPolicy::None));
        let all = endpoints(true);
        assert_eq!(
            all.last(),
            Some(&(SecurityPolicy::None, SecurityMode::None))
        );
    }

    #[test]
    fn policy_uris_round_trip_through_pki() {
        for policy in SECURE_POLICIES {
            assert_eq!(SecurityPolicy::from_uri(policy_uri(policy)), Some(policy));
        }
    }

    #[test]
    fn url_host_takes_names_ips_and_bracketed_ipv6() {
        assert_eq!(url_host("opc.tcp://opcplc:50000"), Some("opcplc"));
        assert_eq!(url_host("opc.tcp://127.0.0.1:4840/path"), Some("127.0.0.1"));
        assert_eq!(url_host("opc.tcp://[::1]:4840"), Some("::1"));
        assert_eq!(url_host("opc.tcp://:4840"), None);
        assert_eq!(url_host("no url"), None);
    }

    #[test]
    fn dns_names_start_with_the_host_and_skip_duplicates() {
        let mut id = Identity::new("OpcPlc", "urn:OpcPlc:plc", "https://p", "plc");
        id.extra_dns_names = vec!["PLC".into(), "10.0.0.1".into()];
        assert_eq!(
            id.dns_names(),
            vec!["plc".to_owned(), "10.0.0.1".to_owned()]
        );
    }
}
