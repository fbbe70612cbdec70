//! CONNECT authentication exactly like edgeHub, sans-io.
//!
//! - Username `{host}/{device}/{module}/?api-version=…&DeviceClientType=…` parsed like
//!   `MqttUsernameParser.cs` (docs/reference/iot-edge.md §1.2): the host is not validated,
//!   `api-version` must be present and non-empty but its value is not checked, other keys are
//!   optional.
//! - The client id must equal `{device}/{module}` ordinally (`DeviceIdentityProvider.cs`).
//! - The password is a SAS token whose audience names the module on the IoT Hub or the
//!   gateway host, case-insensitively, signed with the primary or secondary key, not expired
//!   beyond 5 minutes of skew (`DeviceScopeTokenAuthenticator.cs`, docs/reference/iot-edge.md
//!   §1.3).
//!
//! Only module identities connect to the simulator; a device username is refused.

use hub_proto::encoding::decode_component;
use hub_proto::sas::{SasParseError, SasVerifyError};
use hub_proto::{DeviceId, IdError, ModuleId, SasToken, SharedAccessKey};

/// A parsed CONNECT username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    /// The first segment (not validated, like edgeHub).
    pub host: String,
    /// The device.
    pub device: DeviceId,
    /// The module; `None` for a device.
    pub module: Option<ModuleId>,
    /// `api-version` (present, value not checked).
    pub api_version: String,
    /// `DeviceClientType`, decoded.
    pub client_type: Option<String>,
    /// `model-id`, decoded.
    pub model_id: Option<String>,
}

/// Why a username is not edgeHub's format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    /// Not `host/device[/module]/?properties`.
    #[error("username does not have the form host/device[/module]/?api-version=…")]
    Format,
    /// No `api-version`, or an empty one.
    #[error("username lacks api-version")]
    MissingApiVersion,
    /// A property has invalid percent-encoding.
    #[error("username has invalid percent-encoding")]
    Encoding,
    /// The device or module id is invalid.
    #[error("username holds an invalid identifier")]
    Id(#[source] IdError),
}

/// Parses a CONNECT username.
pub fn parse_username(username: &str) -> Result<Username, UsernameError> {
    let segments: Vec<&str> = username.split('/').collect();
    let Some((last, init)) = segments.split_last() else {
        return Err(UsernameError::Format);
    };
    // `…/mod/?props`, or `…/mod?props`, or (old SDKs) `…/mod/api-version=…` without `?`.
    let (id_tail, properties) = if let Some((before, after)) = last.split_once('?') {
        (before, after)
    } else if last.contains("api-version=") {
        ("", *last)
    } else {
        return Err(UsernameError::Format);
    };
    let Some((host, ids)) = init.split_first() else {
        return Err(UsernameError::Format);
    };
    let mut ids: Vec<&str> = ids.to_vec();
    if !id_tail.is_empty() {
        ids.push(id_tail);
    }
    let (device, module) = match ids.as_slice() {
        [device] => (DeviceId::new(*device).map_err(UsernameError::Id)?, None),
        [device, module] => (
            DeviceId::new(*device).map_err(UsernameError::Id)?,
            Some(ModuleId::new(*module).map_err(UsernameError::Id)?),
        ),
        _ => return Err(UsernameError::Format),
    };
    let (mut api_version, mut client_type, mut model_id) = (None, None, None);
    for pair in properties.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode_component(value)
            .map_err(|_| UsernameError::Encoding)?
            .into_owned();
        match key {
            "api-version" => api_version = Some(value),
            "DeviceClientType" => client_type = Some(value),
            "model-id" => model_id = Some(value),
            _ => {}
        }
    }
    let api_version = api_version
        .filter(|v| !v.is_empty())
        .ok_or(UsernameError::MissingApiVersion)?;
    Ok(Username {
        host: (*host).to_owned(),
        device,
        module,
        api_version,
        client_type,
        model_id,
    })
}

/// Why a CONNECT is refused (CONNACK 5, not authorized).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No username or no password (X.509 client auth is not supported).
    #[error("connect carries no username and password")]
    NoCredentials,
    /// The username is malformed.
    #[error("bad username")]
    Username(#[source] UsernameError),
    /// The username names a device, not a module.
    #[error("device identities cannot connect to the simulator")]
    DeviceIdentity,
    /// The client id is not `device/module`.
    #[error("client id {client_id:?} differs from the identity {identity:?}")]
    ClientIdMismatch {
        /// What the client sent.
        client_id: String,
        /// What the username names.
        identity: String,
    },
    /// No such module identity.
    #[error("unknown module identity {0}")]
    UnknownIdentity(String),
    /// The password is not a SAS token.
    #[error("password is not a sas token")]
    Token(#[source] SasParseError),
    /// The token is for another identity or host.
    #[error("token audience does not name this module")]
    Audience,
    /// Signature or expiry check failed.
    #[error("token rejected")]
    Verify(#[source] SasVerifyError),
}

/// The identity a CONNECT authenticated as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The device.
    pub device: DeviceId,
    /// The module.
    pub module: ModuleId,
    /// The parsed username.
    pub username: Username,
}

/// Authenticates a CONNECT: `hosts` are the names a token audience may use (IoT Hub and
/// gateway), `keys` looks up a module's keys (primary, secondary), `now` is Unix seconds.
pub fn authenticate(
    client_id: &str,
    username: Option<&str>,
    password: Option<&str>,
    hosts: &[&str],
    keys: impl Fn(&DeviceId, &ModuleId) -> Option<Vec<SharedAccessKey>>,
    now: u64,
) -> Result<Authenticated, AuthError> {
    let (Some(username), Some(password)) = (username, password) else {
        return Err(AuthError::NoCredentials);
    };
    let username = parse_username(username).map_err(AuthError::Username)?;
    let Some(module) = username.module.clone() else {
        return Err(AuthError::DeviceIdentity);
    };
    let device = username.device.clone();
    let identity = format!("{device}/{module}");
    if client_id != identity {
        return Err(AuthError::ClientIdMismatch {
            client_id: client_id.to_owned(),
            identity,
        });
    }
    let keys = keys(&device, &module).ok_or(AuthError::UnknownIdentity(identity))?;
    let token = SasToken::parse(password).map_err(AuthError::Token)?;
    let audience = token.audience().map_err(AuthError::Token)?;
    if !audience.authorizes(hosts, &device, Some(&module)) {
        return Err(AuthError::Audience);
    }
    let keys: Vec<&SharedAccessKey> = keys.iter().collect();
    token.verify(&keys, now).map_err(AuthError::Verify)?;
    Ok(Authenticated {
        device,
        module,
        username,
    })
}

#[cfg(test)]
mod tests {
    use hub_proto::sas::MAX_CLOCK_SKEW_SECS;

    use super::*;

    const PYTHON_USERNAME: &str = "myhub.azure-devices.net/edgedev1/opcplc/?api-version=2019-10-01&DeviceClientType=azure-iot-device-iothub-py%2F2.14.0%283.11.7%3BLinux%20%231%20SMP%20PREEMPT_DYNAMIC%20%400%3Bx86_64%29";

    #[test]
    fn captured_python_username_parses() {
        let u = parse_username(PYTHON_USERNAME).unwrap();
        assert_eq!(u.host, "myhub.azure-devices.net");
        assert_eq!(u.device.as_str(), "edgedev1");
        assert_eq!(u.module.unwrap().as_str(), "opcplc");
        assert_eq!(u.api_version, "2019-10-01");
        assert!(
            u.client_type
                .unwrap()
                .starts_with("azure-iot-device-iothub-py/2.14.0(3.11.7;")
        );
    }

    #[test]
    fn device_username_has_no_module() {
        let u = parse_username("h/dev/?api-version=2018-06-30").unwrap();
        assert_eq!(u.module, None);
    }

    #[test]
    fn username_without_slash_before_the_query_is_accepted() {
        let u = parse_username("h/dev/mod?api-version=x").unwrap();
        assert_eq!(u.module.unwrap().as_str(), "mod");
        let u = parse_username("h/dev/mod/api-version=x&DeviceClientType=c").unwrap();
        assert_eq!(u.client_type.as_deref(), Some("c"));
    }

    #[test]
    fn username_without_api_version_or_with_too_many_levels_is_refused() {
        assert_eq!(
            parse_username("h/dev/mod/?DeviceClientType=x"),
            Err(UsernameError::MissingApiVersion)
        );
        assert_eq!(
            parse_username("h/dev/mod/?api-version="),
            Err(UsernameError::MissingApiVersion)
        );
        assert_eq!(
            parse_username("h/a/b/c/?api-version=1"),
            Err(UsernameError::Format)
        );
        assert_eq!(parse_username("h/dev/mod"), Err(UsernameError::Format));
    }

    fn key() -> SharedAccessKey {
        SharedAccessKey::from_base64("c2VjcmV0LWtleS1mb3ItdGVzdHM=").unwrap()
    }

    fn token(audience: &str, key: &SharedAccessKey, expiry: u64) -> String {
        SasToken::sign(audience, key, None, expiry).to_string()
    }

    fn auth(client_id: &str, password: &str, now: u64) -> Result<Authenticated, AuthError> {
        authenticate(
            client_id,
            Some("hub/dev/mod/?api-version=2019-10-01"),
            Some(password),
            &["hub", "localhost"],
            |d, m| (d.as_str() == "dev" && m.as_str() == "mod").then(|| vec![key()]),
            now,
        )
    }

    #[test]
    fn valid_module_token_authenticates() {
        let t = token("hub/devices/dev/modules/mod", &key(), 1000);
        assert_eq!(auth("dev/mod", &t, 900).unwrap().module.as_str(), "mod");
        let t = token("LOCALHOST/devices/DEV/modules/MOD", &key(), 1000);
        assert!(auth("dev/mod", &t, 900).is_ok());
    }

    #[test]
    fn wrong_client_id_is_refused() {
        let t = token("hub/devices/dev/modules/mod", &key(), 1000);
        assert!(matches!(
            auth("dev/MOD", &t, 900),
            Err(AuthError::ClientIdMismatch { .. })
        ));
    }

    #[test]
    fn token_for_another_module_or_host_is_refused() {
        let t = token("hub/devices/dev/modules/other", &key(), 1000);
        assert!(matches!(auth("dev/mod", &t, 900), Err(AuthError::Audience)));
        let t = token("evil/devices/dev/modules/mod", &key(), 1000);
        assert!(matches!(auth("dev/mod", &t, 900), Err(AuthError::Audience)));
    }

    #[test]
    fn expiry_allows_five_minutes_of_skew_and_no_more() {
        let t = token("hub/devices/dev/modules/mod", &key(), 1000);
        assert!(auth("dev/mod", &t, 1000 + MAX_CLOCK_SKEW_SECS).is_ok());
        assert!(matches!(
            auth("dev/mod", &t, 1001 + MAX_CLOCK_SKEW_SECS),
            Err(AuthError::Verify(SasVerifyError::Expired { .. }))
        ));
    }

    #[test]
    fn bad_signature_and_unknown_identity_are_refused() {
        let other = SharedAccessKey::from_bytes(b"other".to_vec()).unwrap();
        let t = token("hub/devices/dev/modules/mod", &other, 1000);
        assert!(matches!(
            auth("dev/mod", &t, 900),
            Err(AuthError::Verify(SasVerifyError::BadSignature))
        ));
        let r = authenticate(
            "dev/x",
            Some("hub/dev/x/?api-version=1"),
            Some(&t),
            &["hub"],
            |_, _| None,
            900,
        );
        assert!(matches!(r, Err(AuthError::UnknownIdentity(_))));
    }
}
