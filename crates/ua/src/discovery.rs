//! Endpoint discovery (`GetEndpoints`, OPC 10000-4 §5.4.4) and the choice of the most secure
//! endpoint a server offers, as the OPC Client's `SelectEndpoint` does.
//!
//! Selection is a pure function over the offered endpoints; only [`discover_endpoints`] talks to
//! the server.

use std::sync::Arc;

use pki::{SecurityPolicy, Store};

use crate::client::{ClientOptions, build, refused};
use crate::identity::{SecurityMode, policy_uri};
use crate::status::{ClientError, Status};
use crate::verify::Verifier;

/// One endpoint a server offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInfo {
    /// The endpoint URL the server advertises.
    pub endpoint_url: String,
    /// Its security policy.
    pub security_policy: SecurityPolicy,
    /// Its message security mode.
    pub security_mode: SecurityMode,
    /// The server's `ApplicationUri` (its certificate must carry it).
    pub server_application_uri: String,
    /// The server certificate (DER, possibly followed by its chain).
    pub server_certificate: Vec<u8>,
}

impl EndpointInfo {
    /// How secure the endpoint is: the mode first, then the policy's strength (deprecated
    /// policies rank below the current ones).
    #[must_use]
    pub fn strength(&self) -> (u8, u8) {
        let mode = match self.security_mode {
            SecurityMode::None => 0,
            SecurityMode::Sign => 1,
            SecurityMode::SignAndEncrypt => 2,
        };
        let policy = match self.security_policy {
            SecurityPolicy::None => 0,
            SecurityPolicy::Basic128Rsa15 => 1,
            SecurityPolicy::Basic256 => 2,
            SecurityPolicy::Basic256Sha256 => 3,
            SecurityPolicy::Aes128Sha256RsaOaep => 4,
            SecurityPolicy::Aes256Sha256RsaPss => 5,
        };
        (mode, policy)
    }
}

/// Asks the server at `url` for its endpoints (`GetEndpoints`). open62541 opens the discovery
/// channel on an endpoint it picks itself (secured when the server offers no None endpoint),
/// so the server certificate is already checked here by `verifier` (give it expectations
/// without a policy or URI: they are only known after this call; with `options` asking for
/// None/None the certificate is not judged, as for the session). Endpoints with a policy we do
/// not know (e.g. ECC) are left out.
pub fn discover_endpoints(
    url: &str,
    options: &ClientOptions,
    store: &Store,
    verifier: &Arc<Verifier>,
) -> Result<Vec<EndpointInfo>, ClientError> {
    let security = if options.security_mode == SecurityMode::None {
        // Discover over None/None too: a secure discovery channel would present our
        // certificate to a server we do not ask to trust us.
        let none = open62541::ua::String::new(policy_uri(SecurityPolicy::None))
            .map_err(ClientError::Stack)?;
        Some((open62541::ua::MessageSecurityMode::NONE, none))
    } else {
        None
    };
    let (mut client, c_url, refusal) = build(url, options, store, verifier, security)?;
    let endpoints = client.get_endpoints(&c_url).map_err(|status| {
        refused(&refusal).unwrap_or(ClientError::Connect(Status::from_ua(&status)))
    })?;
    drop(client);
    Ok(endpoints
        .iter()
        .filter_map(|e| {
            let policy = SecurityPolicy::from_uri(e.security_policy_uri().as_str()?)?;
            let mode = mode_of(e.security_mode())?;
            Some(EndpointInfo {
                endpoint_url: e.endpoint_url().as_str().unwrap_or_default().to_owned(),
                security_policy: policy,
                security_mode: mode,
                server_application_uri: e
                    .server()
                    .application_uri()
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                server_certificate: e.server_certificate().as_bytes().unwrap_or(&[]).to_vec(),
            })
        })
        .collect())
}

/// The endpoint to use: with `use_security`, the most secure signed endpoint (ties keep the
/// server's order); without, the None/None endpoint. `None` when the server offers no such
/// endpoint.
#[must_use]
pub fn select_endpoint(endpoints: &[EndpointInfo], use_security: bool) -> Option<&EndpointInfo> {
    if use_security {
        endpoints
            .iter()
            .filter(|e| e.security_mode != SecurityMode::None)
            .filter(|e| e.security_policy != SecurityPolicy::None)
            .rev()
            .max_by_key(|e| e.strength())
    } else {
        endpoints
            .iter()
            .find(|e| e.security_mode == SecurityMode::None)
    }
}

fn mode_of(mode: &open62541::ua::MessageSecurityMode) -> Option<SecurityMode> {
    use open62541::ua::MessageSecurityMode as M;
    if *mode == M::NONE {
        Some(SecurityMode::None)
    } else if *mode == M::SIGN {
        Some(SecurityMode::Sign)
    } else if *mode == M::SIGNANDENCRYPT {
        Some(SecurityMode::SignAndEncrypt)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(policy: SecurityPolicy, mode: SecurityMode) -> EndpointInfo {
        EndpointInfo {
            endpoint_url: "opc.tcp://plc:50000".to_owned(),
            security_policy: policy,
            security_mode: mode,
            server_application_uri: "urn:plc".to_owned(),
            server_certificate: Vec::new(),
        }
    }

    #[test]
    fn the_most_secure_endpoint_wins_mode_before_policy() {
        let offered = [
            endpoint(SecurityPolicy::None, SecurityMode::None),
            endpoint(SecurityPolicy::Aes256Sha256RsaPss, SecurityMode::Sign),
            endpoint(SecurityPolicy::Basic256Sha256, SecurityMode::SignAndEncrypt),
            endpoint(
                SecurityPolicy::Aes128Sha256RsaOaep,
                SecurityMode::SignAndEncrypt,
            ),
            endpoint(SecurityPolicy::Basic256, SecurityMode::SignAndEncrypt),
        ];
        let chosen = select_endpoint(&offered, true).unwrap();
        assert_eq!(chosen.security_policy, SecurityPolicy::Aes128Sha256RsaOaep);
        assert_eq!(chosen.security_mode, SecurityMode::SignAndEncrypt);
    }

    #[test]
    fn without_security_only_the_none_endpoint_is_chosen() {
        let secure = [endpoint(
            SecurityPolicy::Basic256Sha256,
            SecurityMode::SignAndEncrypt,
        )];
        assert!(select_endpoint(&secure, false).is_none());
        let none = [endpoint(SecurityPolicy::None, SecurityMode::None)];
        assert!(select_endpoint(&none, true).is_none());
        assert_eq!(
            select_endpoint(&none, false).unwrap().security_mode,
            SecurityMode::None
        );
    }
}
