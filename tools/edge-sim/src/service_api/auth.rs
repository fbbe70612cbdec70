//! Service API authentication: a policy SAS token in `Authorization`, as the SDKs send it
//! (`sr` = the URL-encoded hub host, with the port when there is one, `skn=iothubowner`;
//! docs/reference/iot-edge.md §5.2).

use hub_proto::sas::{SasParseError, SasVerifyError};
use hub_proto::{Audience, SasToken};

use crate::state::Policy;

/// Why a request is not authorized (401).
#[derive(Debug, thiserror::Error)]
pub enum ServiceAuthError {
    /// No `Authorization` header.
    #[error("authorization header is missing")]
    Missing,
    /// The header is not a SAS token.
    #[error("authorization is not a sas token")]
    Token(#[source] SasParseError),
    /// The token is not a policy token for this hub.
    #[error("token audience {0:?} is not this hub")]
    Audience(String),
    /// The token names another policy.
    #[error("token policy {0:?} is not {1}")]
    Policy(String, String),
    /// Signature or expiry check failed.
    #[error("token rejected")]
    Verify(#[source] SasVerifyError),
    /// The stored policy key is unusable.
    #[error("policy key is unusable")]
    Key,
}

/// Checks `authorization` against `policy`: the audience host must be one of `hosts`
/// (compared ignoring ASCII case), `now` in Unix seconds.
pub fn authorize(
    authorization: Option<&str>,
    hosts: &[String],
    policy: &Policy,
    now: u64,
) -> Result<(), ServiceAuthError> {
    let token = SasToken::parse(authorization.ok_or(ServiceAuthError::Missing)?.trim())
        .map_err(ServiceAuthError::Token)?;
    let audience = token.audience().map_err(ServiceAuthError::Token)?;
    let Audience::Hub { host } = &audience else {
        return Err(ServiceAuthError::Audience(audience.to_string()));
    };
    if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(ServiceAuthError::Audience(host.clone()));
    }
    match token.key_name() {
        Some(name) if name == policy.name => {}
        other => {
            return Err(ServiceAuthError::Policy(
                other.unwrap_or_default().to_owned(),
                policy.name.clone(),
            ));
        }
    }
    let keys = policy.keys.decoded().map_err(|_| ServiceAuthError::Key)?;
    let keys: Vec<_> = keys.iter().collect();
    token.verify(&keys, now).map_err(ServiceAuthError::Verify)
}

#[cfg(test)]
mod tests {
    use crate::state::SymmetricKeys;

    use super::*;

    fn policy() -> Policy {
        Policy {
            name: "iothubowner".to_owned(),
            keys: SymmetricKeys::generate().unwrap(),
        }
    }

    fn hosts() -> Vec<String> {
        vec!["hub".to_owned(), "localhost:8443".to_owned()]
    }

    #[test]
    fn sdk_style_token_with_port_is_accepted() {
        let p = policy();
        let key = p.keys.primary().unwrap();
        let t = SasToken::sign("localhost:8443", &key, Some("iothubowner"), 2000).to_string();
        assert!(t.contains("sr=localhost%3A8443"));
        assert!(authorize(Some(&t), &hosts(), &p, 1000).is_ok());
    }

    #[test]
    fn other_host_policy_or_key_is_refused() {
        let p = policy();
        let key = p.keys.primary().unwrap();
        let t = SasToken::sign("evil", &key, Some("iothubowner"), 2000).to_string();
        assert!(matches!(
            authorize(Some(&t), &hosts(), &p, 1000),
            Err(ServiceAuthError::Audience(_))
        ));
        let t = SasToken::sign("hub", &key, Some("registryRead"), 2000).to_string();
        assert!(matches!(
            authorize(Some(&t), &hosts(), &p, 1000),
            Err(ServiceAuthError::Policy(..))
        ));
        let other = policy().keys.primary().unwrap();
        let t = SasToken::sign("hub", &other, Some("iothubowner"), 2000).to_string();
        assert!(matches!(
            authorize(Some(&t), &hosts(), &p, 1000),
            Err(ServiceAuthError::Verify(_))
        ));
        assert!(matches!(
            authorize(None, &hosts(), &p, 1000),
            Err(ServiceAuthError::Missing)
        ));
    }
}
