//! Who calls: user logins and their roles, and methods that see their caller.
//!
//! open62541's default access control lets every logged-in session do everything, and the safe
//! crate's method callbacks do not say which session calls. Methods that change the server's
//! security (OPC 10000-12 push management) must know both the caller's role and whether its
//! channel encrypts, so:
//! - The server's access control checks user names and passwords itself
//!   ([`ServerOptions::users`](crate::ServerOptions::users), `ffi::methods::login_c`, constant
//!   time) and marks each session with its [`Role`]; anonymous sessions and X.509 user tokens get
//!   [`Role::Anonymous`] and [`Role::User`] respectively, never the administrator.
//! - A method added with [`AddressSpace::add_caller_method`](crate::AddressSpace::add_caller_method)
//!   gets a [`Caller`]: its session, role, and the security mode of the channel the session is
//!   bound to now (from the channel notifications, `sessions`).
//! - Clients may not add or delete nodes or references (the default allows it to anyone).
//!
//! The checks a method makes with them (OPC 10000-12 §7.7: `SecurityAdmin` over `SignAndEncrypt`)
//! are the method's: [`Caller::require`].

use std::fmt;

use open62541::ua;
use zeroize::Zeroizing;

use crate::identity::SecurityMode;

/// `BadUserAccessDenied`.
pub const BAD_USER_ACCESS_DENIED: u32 = 0x801F_0000;
/// `BadSecurityModeInsufficient`.
pub const BAD_SECURITY_MODE_INSUFFICIENT: u32 = 0x80E6_0000;

/// What a session may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Anonymous, or a user the server does not know by name.
    Anonymous,
    /// A user who logged in with a user name and password, or an X.509 user token.
    User,
    /// The administrator (`--au/--ac`): OPC UA's `SecurityAdmin` role.
    SecurityAdmin,
}

/// A user name and password the server accepts, with the role it grants.
#[derive(Clone)]
pub struct UserLogin {
    /// The user name.
    pub name: String,
    /// The password (zeroed when dropped).
    pub password: Zeroizing<String>,
    /// The role of a session that logs in with it.
    pub role: Role,
}

impl UserLogin {
    /// A login with `role`.
    #[must_use]
    pub fn new(name: &str, password: &str, role: Role) -> Self {
        Self {
            name: name.to_owned(),
            password: Zeroizing::new(password.to_owned()),
            role,
        }
    }

    /// Whether `name` and `password` are this login's, comparing the password in constant time
    /// for equal lengths.
    #[must_use]
    pub fn matches(&self, name: &[u8], password: &[u8]) -> bool {
        let stored = self.password.as_bytes();
        // Both are compared whatever the name gives, so timing says nothing about the password.
        let same_password = stored.len() == password.len()
            && stored
                .iter()
                .zip(password)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        same_password && self.name.as_bytes() == name
    }
}

impl fmt::Debug for UserLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserLogin")
            .field("name", &self.name)
            .field("password", &"<redacted>")
            .field("role", &self.role)
            .finish()
    }
}

/// The session calling a method.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The session id.
    pub session: ua::NodeId,
    /// Its role.
    pub role: Role,
    /// The security mode of its channel; `None` when unknown (treated as insufficient).
    pub security_mode: Option<SecurityMode>,
}

impl Caller {
    /// OPC 10000-12 §7.7's gate: a `SignAndEncrypt` channel (else `BadSecurityModeInsufficient`)
    /// and at least `role` (else `BadUserAccessDenied`). The channel is checked first: a
    /// password must not be what tells an eavesdropper it is the administrator's.
    pub fn require(&self, role: Role) -> Result<(), u32> {
        if self.security_mode != Some(SecurityMode::SignAndEncrypt) {
            return Err(BAD_SECURITY_MODE_INSUFFICIENT);
        }
        if self.role < role {
            return Err(BAD_USER_ACCESS_DENIED);
        }
        Ok(())
    }
}

/// A method argument: name, built-in data type (ns=0 id) and whether it is an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argument {
    /// The argument's name.
    pub name: &'static str,
    /// The data type's node id in namespace 0 (`15` for `ByteString`, `12` `String`, `17` `NodeId`, …).
    pub data_type: u32,
    /// A one-dimensional array rather than a scalar.
    pub array: bool,
}

impl Argument {
    /// A scalar argument.
    #[must_use]
    pub const fn scalar(name: &'static str, data_type: u32) -> Self {
        Self {
            name,
            data_type,
            array: false,
        }
    }

    /// A one-dimensional array argument.
    #[must_use]
    pub const fn array(name: &'static str, data_type: u32) -> Self {
        Self {
            name,
            data_type,
            array: true,
        }
    }
}

/// What a caller-aware method returns: its output arguments, or the status code (its number,
/// e.g. `0x80AB0000` for `BadInvalidArgument`) for the client.
pub type MethodResult = Result<Vec<ua::Variant>, u32>;

/// The body of a caller-aware method (runs on the server thread; see
/// [`AddressSpace::add_caller_method`](crate::AddressSpace::add_caller_method)).
pub type CallerMethod = Box<dyn FnMut(&Caller, &[ua::Variant]) -> MethodResult + Send>;

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, mode: Option<SecurityMode>) -> Caller {
        Caller {
            session: ua::NodeId::numeric(1, 7),
            role,
            security_mode: mode,
        }
    }

    #[test]
    fn only_the_administrator_over_sign_and_encrypt_passes_the_admin_gate() {
        let admin = caller(Role::SecurityAdmin, Some(SecurityMode::SignAndEncrypt));
        assert!(admin.require(Role::SecurityAdmin).is_ok());
        let user = caller(Role::User, Some(SecurityMode::SignAndEncrypt));
        assert_eq!(
            user.require(Role::SecurityAdmin).unwrap_err(),
            BAD_USER_ACCESS_DENIED
        );
        let anonymous = caller(Role::Anonymous, Some(SecurityMode::SignAndEncrypt));
        assert_eq!(
            anonymous.require(Role::SecurityAdmin).unwrap_err(),
            BAD_USER_ACCESS_DENIED
        );
    }

    #[test]
    fn a_channel_that_does_not_encrypt_is_refused_before_the_role_is_looked_at() {
        for mode in [Some(SecurityMode::Sign), Some(SecurityMode::None), None] {
            let admin = caller(Role::SecurityAdmin, mode);
            assert_eq!(
                admin.require(Role::SecurityAdmin).unwrap_err(),
                BAD_SECURITY_MODE_INSUFFICIENT
            );
            let anonymous = caller(Role::Anonymous, mode);
            assert_eq!(
                anonymous.require(Role::SecurityAdmin).unwrap_err(),
                BAD_SECURITY_MODE_INSUFFICIENT
            );
        }
    }

    #[test]
    fn a_login_matches_its_exact_name_and_password_only() {
        let login = UserLogin::new("sysadmin", "demo", Role::SecurityAdmin);
        assert!(login.matches(b"sysadmin", b"demo"));
        assert!(!login.matches(b"sysadmin", b"demO"));
        assert!(!login.matches(b"sysadmin", b"demo "));
        assert!(!login.matches(b"sysadmin", b""));
        assert!(!login.matches(b"Sysadmin", b"demo"));
        assert!(!login.matches(b"", b"demo"));
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let login = UserLogin::new("sysadmin", "s3cret-pw", Role::SecurityAdmin);
        let text = format!("{login:?}");
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(text.contains("sysadmin"));
    }
}
