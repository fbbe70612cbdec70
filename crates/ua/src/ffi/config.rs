//! The raw server configuration the safe crate does not expose: identity, policies and
//! endpoints, our certificate groups and the lifecycle hook.
//!
//! `AccessControl::apply` is the crate's only door to `UA_ServerConfig`
//! (docs/reference/open62541.md), so [`Configurator`] is an access control that re-creates the
//! default one and then sets the rest. It must be applied after anything else that touches
//! verification (`accept_all()`), or that would overwrite our groups; `crate::server` applies it
//! last.
//!
//! The secure policies are added here too, with `open62541-sys`'s
//! `UA_ServerConfig_addSecurityPolicy…` on the minimal config (None only) the crate builds:
//! the crate's own encrypted builder exists only with its `mbedtls` feature, and this way the
//! server builds on whichever crypto backend `open62541-sys` was built with (ADR 0013).

use std::ptr;
use std::sync::Arc;

use open62541::{AccessControl, DataType as _, ua};
use open62541_sys::{
    UA_Array_delete, UA_ByteString, UA_MessageSecurityMode, UA_SecurityPolicy, UA_ServerConfig,
    UA_ServerConfig_addEndpoint, UA_ServerConfig_addSecurityPolicyAes128Sha256RsaOaep,
    UA_ServerConfig_addSecurityPolicyAes256Sha256RsaPss,
    UA_ServerConfig_addSecurityPolicyBasic256Sha256, UA_StatusCode,
};
use pki::SecurityPolicy;
use zeroize::Zeroizing;

use super::cert_group::{
    DEFAULT_APPLICATION_GROUP, DEFAULT_USER_TOKEN_GROUP, GroupContext, GroupRole, borrowed,
    byte_string_slice, install, lifecycle_c,
};
use super::methods::{install_access_control, monitored_item_c};
use super::policy::skip_certificate_parses;
use super::slot::ServerSlot;
use super::tracking::{channel_notification_c, session_notification_c};
use crate::identity::{Identity, SecurityMode, endpoints, policy_uri};
use crate::status::ua_status;
use crate::verify::Verifier;

/// Applies identity, policies, endpoints, verification and the lifecycle hook to a server
/// config.
pub(crate) struct Configurator {
    pub(crate) identity: Identity,
    /// The own certificate (DER) the secure policies sign and decrypt with.
    pub(crate) certificate: Vec<u8>,
    /// Its private key (PKCS#8 DER), zeroed when the configurator is dropped.
    pub(crate) private_key: Zeroizing<Vec<u8>>,
    pub(crate) unsecure_transport: bool,
    pub(crate) verifier: Arc<Verifier>,
    pub(crate) slot: Arc<ServerSlot>,
}

fn check(status: UA_StatusCode) -> open62541::Result<()> {
    let status = ua_status(status);
    if status.is_good() {
        Ok(())
    } else {
        Err(open62541::Error::Server(status))
    }
}

// SAFETY: `apply` replaces the whole access control with open62541's default one (as the
// crate's `DefaultAccessControl` does, with our login check, `ffi::methods`), touching nothing before it but the security policies
// (owned by the config), and returns `()` as the sentinel: every other piece of state it installs is owned by the config itself (the boxed
// group contexts are freed by the groups' `clear`).
unsafe impl AccessControl for Configurator {
    type Sentinel = ();

    unsafe fn apply(self, config: &mut UA_ServerConfig) -> open62541::Result<()> {
        // The secure policies first (as the mbedTLS builder had them): the default access
        // control offers its user token policies once per security policy in the config; with
        // the minimal config's None alone, a certificate token would be offered unsigned only.
        // SAFETY: the config is initialised (the crate's minimal one: policy None only).
        unsafe { add_secure_policies(config, &self.certificate, &self.private_key) }?;
        // SAFETY: `config` is a fully initialised server config (the builder's) with its
        // policies; the default access control clears the previous one itself. The logins live
        // in the slot, which the config's certificate groups keep alive as long as the config.
        unsafe { install_access_control(config, self.slot.logins()) }
            .map_err(|s| open62541::Error::Server(ua_status(s)))?;

        let description = &mut config.applicationDescription;
        ua::String::new(&self.identity.application_uri)?
            .move_into_raw(&mut description.applicationUri);
        ua::String::new(&self.identity.product_uri)?.move_into_raw(&mut description.productUri);
        ua::LocalizedText::new("", &self.identity.application_name)?
            .move_into_raw(&mut description.applicationName);
        ua::String::new(&self.identity.product_uri)?
            .move_into_raw(&mut config.buildInfo.productUri);
        ua::String::new(&self.identity.application_name)?
            .move_into_raw(&mut config.buildInfo.productName);

        // SAFETY: the config is initialised; see the function.
        unsafe { retain_policies(config, self.unsecure_transport) };
        for i in 0..config.securityPoliciesSize {
            // SAFETY: `securityPolicies` holds `securityPoliciesSize` initialised policies, and no
            // channel uses them before the server runs.
            unsafe { skip_certificate_parses(&mut *config.securityPolicies.add(i)) };
        }
        // SAFETY: as above.
        unsafe { replace_endpoints(config, self.unsecure_transport) }?;
        // Without a None endpoint, SecurityPolicy#None stays only for GetEndpoints/FindServers.
        config.securityPolicyNoneDiscoveryOnly = !self.unsecure_transport;

        for (group, id) in [
            (&mut config.secureChannelPKI, DEFAULT_APPLICATION_GROUP),
            (&mut config.sessionPKI, DEFAULT_USER_TOKEN_GROUP),
        ] {
            let context = GroupContext {
                verifier: Arc::clone(&self.verifier),
                role: GroupRole::Server(Arc::clone(&self.slot)),
            };
            // SAFETY: both groups were initialised by `UA_ServerConfig_setDefault…` and are
            // cleared once by `UA_ServerConfig_clear`.
            unsafe { install(group, id, context) };
        }
        config.notifyLifecycleState = Some(lifecycle_c);
        // Live revocation and own-certificate updates: which session runs on which channel,
        // admitted with which peer certificate (`ffi::tracking`).
        config.secureChannelNotificationCallback = Some(channel_notification_c);
        config.sessionNotificationCallback = Some(session_notification_c);
        // Event subscriptions, so a module can raise its current alarms for a new subscriber.
        config.monitoredItemRegisterCallback = Some(monitored_item_c);
        Ok(())
    }
}

impl std::fmt::Debug for Configurator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Configurator")
            .field("identity", &self.identity)
            .field("unsecure_transport", &self.unsecure_transport)
            .finish_non_exhaustive()
    }
}

/// Adds the secure policies we offer (`crate::identity::SECURE_POLICIES`) with the own
/// certificate and key.
///
/// # Safety
/// `config` must be an initialised server config.
unsafe fn add_secure_policies(
    config: &mut UA_ServerConfig,
    certificate: &[u8],
    private_key: &[u8],
) -> open62541::Result<()> {
    type Add = unsafe extern "C" fn(
        *mut UA_ServerConfig,
        *const UA_ByteString,
        *const UA_ByteString,
    ) -> UA_StatusCode;
    let certificate = borrowed(certificate);
    let private_key = borrowed(private_key);
    for policy in crate::identity::SECURE_POLICIES {
        let add: Add = match policy {
            SecurityPolicy::Basic256Sha256 => UA_ServerConfig_addSecurityPolicyBasic256Sha256,
            SecurityPolicy::Aes128Sha256RsaOaep => {
                UA_ServerConfig_addSecurityPolicyAes128Sha256RsaOaep
            }
            SecurityPolicy::Aes256Sha256RsaPss => {
                UA_ServerConfig_addSecurityPolicyAes256Sha256RsaPss
            }
            _ => continue,
        };
        // SAFETY: the config is initialised (caller's contract); certificate and key are views
        // of slices that outlive the call, which only reads them (the policy parses and copies
        // what it keeps, `ua_config_default.c`).
        check(unsafe { add(config, &raw const certificate, &raw const private_key) })?;
    }
    Ok(())
}

/// Drops every security policy but None and the three we offer (the defaults also hold the
/// deprecated `Basic128Rsa15` and Basic256, and possibly ECC policies).
///
/// # Safety
/// `config.securityPolicies` must hold `securityPoliciesSize` initialised policies.
unsafe fn retain_policies(config: &mut UA_ServerConfig, unsecure_transport: bool) {
    let wanted: Vec<&str> = endpoints(unsecure_transport)
        .into_iter()
        .map(|(p, _)| policy_uri(p))
        .chain([policy_uri(pki::SecurityPolicy::None)])
        .collect();
    let base = config.securityPolicies;
    if base.is_null() {
        return;
    }
    let mut kept = 0;
    for i in 0..config.securityPoliciesSize {
        // SAFETY: `i < securityPoliciesSize` (caller's contract); `kept <= i`.
        let policy: *mut UA_SecurityPolicy = unsafe { base.add(i) };
        // SAFETY: as above; the URI is a valid UA_String (same layout as UA_ByteString).
        let uri = unsafe { byte_string_slice(&raw const (*policy).policyUri) };
        let keep = std::str::from_utf8(uri).is_ok_and(|u| wanted.contains(&u));
        if keep {
            if kept != i {
                // SAFETY: distinct, in-bounds elements; C structs are moved bitwise (open62541
                // itself reallocates this array when policies are added).
                unsafe { ptr::copy_nonoverlapping(policy, base.add(kept), 1) };
            }
            kept += 1;
        } else {
            // SAFETY: the policy is initialised and cleared once, then forgotten.
            unsafe {
                if let Some(clear) = (*policy).clear {
                    clear(policy);
                }
            }
        }
    }
    // The allocation is unchanged (freed whole by UA_ServerConfig_clear); only the count shrinks.
    config.securityPoliciesSize = kept;
}

/// Replaces the default endpoints (every policy, every mode) with ours.
///
/// # Safety
/// `config.endpoints` must hold `endpointsSize` initialised endpoint descriptions.
unsafe fn replace_endpoints(
    config: &mut UA_ServerConfig,
    unsecure_transport: bool,
) -> open62541::Result<()> {
    let (size, old) = (config.endpointsSize, config.endpoints);
    config.endpointsSize = 0;
    config.endpoints = ptr::null_mut();
    if !old.is_null() {
        // SAFETY: the array and its elements were allocated by open62541 (caller's contract);
        // the config no longer points to it.
        unsafe { UA_Array_delete(old.cast(), size, ua::EndpointDescription::data_type()) };
    }
    for (policy, mode) in endpoints(unsecure_transport) {
        let uri = ua::String::new(policy_uri(policy))?;
        let ua_mode = match mode {
            SecurityMode::None => UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_NONE,
            SecurityMode::Sign => UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_SIGN,
            SecurityMode::SignAndEncrypt => {
                UA_MessageSecurityMode::UA_MESSAGESECURITYMODE_SIGNANDENCRYPT
            }
        };
        // SAFETY: the URI is passed by value as a shallow copy that the callee only reads
        // (it copies what it keeps); `uri` keeps ownership and frees it.
        check(unsafe {
            UA_ServerConfig_addEndpoint(config, ua::String::to_raw_copy(&uri), ua_mode)
        })?;
        tracing::info!(
            target: "ua",
            "Security policy {} with mode {} added",
            policy_uri(policy),
            mode.name()
        );
    }
    Ok(())
}
