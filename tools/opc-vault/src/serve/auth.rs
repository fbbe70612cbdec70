//! Who may use the page, as plain functions and one session table.
//!
//! The contract:
//! - **Login.** `POST /api/login` with `{"token": …}`: the token printed when `serve` starts,
//!   or the hub's own `SharedAccessKey` (the `iothubowner` key of the connection string the
//!   page writes twins with). Both compared in constant time. A success opens a session: a
//!   random 256-bit id in a cookie (`HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` under
//!   TLS) and a separate random CSRF token the page reads from `GET /api/session`.
//! - **Every other API call** needs the session cookie; sessions end after
//!   [`SESSION_IDLE`] without a request, or at `POST /api/logout`.
//! - **CSRF.** Every state-changing request (anything but `GET`/`HEAD`) must carry the
//!   session's token in `X-CSRF-Token`, a JSON body (`Content-Type: application/json`, which a
//!   cross-site form cannot send without a CORS preflight we never answer), and, when the
//!   browser sends `Origin`, the page's own origin. The login itself checks `Origin` too.
//! - **DNS rebinding.** Served on a loopback address, requests must name a loopback host
//!   (`localhost`, `127.0.0.1`, `[::1]`) with the listening port in `Host`; a page on a
//!   rebinding domain never reaches the API.
//!
//! Time is an argument ([`Instant`]s from the caller) so the expiry is tested without waits.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The session cookie's name.
pub const COOKIE: &str = "opc_vault_session";
/// The header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::from_hours(12);
/// At most this many sessions are kept; the least recently used one is dropped first.
const MAX_SESSIONS: usize = 256;

/// 256 random bits, base64url without padding (43 characters).
///
/// # Panics
/// When the system's random source is unavailable: nothing secret can be made then.
#[must_use]
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // OpenSSL's CSPRNG; it only fails when the kernel's entropy source is unavailable, which
    // leaves no safe way to go on.
    #[allow(clippy::expect_used)]
    openssl::rand::rand_bytes(&mut bytes).expect("the system's random source is unavailable");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `given` equals `expected`, in time independent of where they differ.
#[must_use]
pub fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len() && openssl::memcmp::eq(given.as_bytes(), expected.as_bytes())
}

/// The secrets a login may present.
#[derive(Clone)]
pub struct Credentials {
    /// The token printed at start.
    pub token: String,
    /// The hub's shared access key, when the connection string carries one.
    pub hub_key: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

impl Credentials {
    /// Whether `given` is one of them (surrounding whitespace from a paste ignored).
    #[must_use]
    pub fn accepts(&self, given: &str) -> bool {
        let given = given.trim();
        if given.is_empty() {
            return false;
        }
        let token = same_secret(given, &self.token);
        let key = self
            .hub_key
            .as_deref()
            .is_some_and(|key| same_secret(given, key));
        token | key
    }
}

/// One logged-in browser.
#[derive(Debug, Clone)]
struct Session {
    csrf: String,
    last_seen: Instant,
}

/// The open sessions.
#[derive(Debug, Default)]
pub struct Sessions {
    by_id: HashMap<String, Session>,
}

/// A new session: the cookie's value and the CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The session id (the cookie's value).
    pub id: String,
    /// The CSRF token.
    pub csrf: String,
}

impl Sessions {
    /// Opens a session at `now`.
    pub fn open(&mut self, now: Instant) -> Opened {
        self.expire(now);
        if self.by_id.len() >= MAX_SESSIONS
            && let Some(oldest) = self
                .by_id
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(id, _)| id.clone())
        {
            self.by_id.remove(&oldest);
        }
        let opened = Opened {
            id: random_token(),
            csrf: random_token(),
        };
        self.by_id.insert(
            opened.id.clone(),
            Session {
                csrf: opened.csrf.clone(),
                last_seen: now,
            },
        );
        opened
    }

    /// The CSRF token of session `id` if it is open at `now` (and marks it used).
    pub fn touch(&mut self, id: &str, now: Instant) -> Option<String> {
        self.expire(now);
        let session = self.by_id.get_mut(id)?;
        session.last_seen = now;
        Some(session.csrf.clone())
    }

    /// Ends session `id`.
    pub fn close(&mut self, id: &str) {
        self.by_id.remove(id);
    }

    /// How many sessions are open.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no session is open.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn expire(&mut self, now: Instant) {
        self.by_id
            .retain(|_, s| now.saturating_duration_since(s.last_seen) < SESSION_IDLE);
    }
}

/// The value of cookie `name` in a `Cookie` header.
#[must_use]
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The `Set-Cookie` value that stores session `id`.
#[must_use]
pub fn set_cookie(id: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
#[must_use]
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
}

/// Why a request is refused before it reaches a handler.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// `Host` names a host this server does not answer for.
    #[error("the Host header {0:?} does not name this server")]
    Host(String),
    /// `Origin` names another site.
    #[error("cross-origin request from {0:?} refused")]
    Origin(String),
    /// No session, or an expired one.
    #[error("not logged in")]
    NoSession,
    /// The CSRF token is missing or wrong.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// A state-changing request without a JSON body type.
    #[error("a JSON body (Content-Type: application/json) is required")]
    NotJson,
}

/// Where the server listens and how, for the checks of `Host` and `Origin`.
#[derive(Debug, Clone)]
pub struct Origins {
    /// The listening address.
    pub addr: SocketAddr,
    /// Whether the page is served over TLS.
    pub tls: bool,
}

impl Origins {
    /// Whether a request with this `Host` is answered. On a loopback address only loopback
    /// names with our port; elsewhere any host (the login protects the API).
    pub fn host_allowed(&self, host: Option<&str>) -> Result<(), Refusal> {
        if !self.addr.ip().is_loopback() {
            return Ok(());
        }
        let host = host.unwrap_or_default();
        let port = self.addr.port();
        let allowed = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")));
        if allowed {
            Ok(())
        } else {
            Err(Refusal::Host(host.to_owned()))
        }
    }

    /// Whether an `Origin` header (when the browser sent one) is the page's own: the same
    /// scheme and the request's `Host`.
    pub fn origin_allowed(&self, origin: Option<&str>, host: Option<&str>) -> Result<(), Refusal> {
        let Some(origin) = origin else {
            return Ok(());
        };
        let scheme = if self.tls { "https" } else { "http" };
        let host = host.unwrap_or_default();
        if !host.is_empty() && origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")) {
            Ok(())
        } else {
            Err(Refusal::Origin(origin.to_owned()))
        }
    }
}

/// Whether a request that changes state may go on: the session's CSRF token in the header
/// and a JSON body type.
pub fn check_write(
    session_csrf: &str,
    header_csrf: Option<&str>,
    content_type: Option<&str>,
) -> Result<(), Refusal> {
    if !header_csrf.is_some_and(|given| same_secret(given, session_csrf)) {
        return Err(Refusal::Csrf);
    }
    check_json(content_type)
}

/// Whether a request body is declared as JSON (which a cross-site HTML form cannot send).
pub fn check_json(content_type: Option<&str>) -> Result<(), Refusal> {
    let json = content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
    });
    if json { Ok(()) } else { Err(Refusal::NotJson) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Origins {
        Origins {
            addr: "127.0.0.1:8080".parse().unwrap(),
            tls: false,
        }
    }

    #[test]
    fn the_printed_token_and_the_hub_key_log_in_and_nothing_else_does() {
        let credentials = Credentials {
            token: "printed-token".into(),
            hub_key: Some("aHViIGtleQ==".into()),
        };
        assert!(credentials.accepts("printed-token"));
        assert!(credentials.accepts("  printed-token\n"));
        assert!(credentials.accepts("aHViIGtleQ=="));
        assert!(!credentials.accepts("printed-toke"));
        assert!(!credentials.accepts("printed-tokenX"));
        assert!(!credentials.accepts(""));
        let without_key = Credentials {
            hub_key: None,
            ..credentials
        };
        assert!(!without_key.accepts("aHViIGtleQ=="));
    }

    #[test]
    fn random_tokens_are_long_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn a_session_lives_while_used_and_ends_after_the_idle_limit_or_logout() {
        let mut sessions = Sessions::default();
        let start = Instant::now();
        let opened = sessions.open(start);
        assert_ne!(opened.id, opened.csrf);
        let later = start + SESSION_IDLE.checked_sub(Duration::from_secs(1)).unwrap();
        assert_eq!(sessions.touch(&opened.id, later), Some(opened.csrf.clone()));
        // Used just before the limit: the idle time counts from then.
        let much_later = later + SESSION_IDLE.checked_sub(Duration::from_secs(1)).unwrap();
        assert!(sessions.touch(&opened.id, much_later).is_some());
        assert_eq!(sessions.touch(&opened.id, much_later + SESSION_IDLE), None);
        let other = sessions.open(much_later);
        sessions.close(&other.id);
        assert_eq!(sessions.touch(&other.id, much_later), None);
        assert_eq!(sessions.touch("forged", much_later), None);
    }

    #[test]
    fn the_session_table_is_bounded_and_drops_the_least_recently_used() {
        let mut sessions = Sessions::default();
        let start = Instant::now();
        let first = sessions.open(start);
        for i in 1..MAX_SESSIONS {
            sessions.open(start + Duration::from_millis(i as u64));
        }
        // The first one was used last, so another is dropped when the table is full.
        let now = start + Duration::from_secs(10);
        assert!(sessions.touch(&first.id, now).is_some());
        sessions.open(now);
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert!(sessions.touch(&first.id, now).is_some());
    }

    #[test]
    fn cookies_are_read_by_name_and_set_strict_and_http_only() {
        assert_eq!(
            cookie("a=1; opc_vault_session=abc; b=2", COOKIE),
            Some("abc")
        );
        assert_eq!(cookie("xopc_vault_session=abc", COOKIE), None);
        assert_eq!(
            set_cookie("abc", false),
            "opc_vault_session=abc; HttpOnly; SameSite=Strict; Path=/"
        );
        assert!(set_cookie("abc", true).ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn on_loopback_only_loopback_host_names_with_our_port_are_answered() {
        let origins = loopback();
        assert!(origins.host_allowed(Some("127.0.0.1:8080")).is_ok());
        assert!(origins.host_allowed(Some("localhost:8080")).is_ok());
        assert!(origins.host_allowed(Some("[::1]:8080")).is_ok());
        assert_eq!(
            origins.host_allowed(Some("evil.example:8080")),
            Err(Refusal::Host("evil.example:8080".into()))
        );
        assert!(origins.host_allowed(Some("localhost:8081")).is_err());
        assert!(origins.host_allowed(None).is_err());
        let public = Origins {
            addr: "0.0.0.0:8443".parse().unwrap(),
            tls: true,
        };
        assert!(public.host_allowed(Some("vault.plant.local:8443")).is_ok());
    }

    #[test]
    fn only_the_pages_own_origin_may_send_a_request() {
        let origins = loopback();
        let host = Some("127.0.0.1:8080");
        assert!(origins.origin_allowed(None, host).is_ok());
        assert!(
            origins
                .origin_allowed(Some("http://127.0.0.1:8080"), host)
                .is_ok()
        );
        assert!(
            origins
                .origin_allowed(Some("https://127.0.0.1:8080"), host)
                .is_err()
        );
        assert!(
            origins
                .origin_allowed(Some("http://evil.example"), host)
                .is_err()
        );
        assert!(origins.origin_allowed(Some("null"), host).is_err());
    }

    #[test]
    fn a_write_needs_the_sessions_csrf_token_and_a_json_body() {
        assert_eq!(
            check_write("t", None, Some("application/json")),
            Err(Refusal::Csrf)
        );
        assert_eq!(
            check_write("t", Some("u"), Some("application/json")),
            Err(Refusal::Csrf)
        );
        assert_eq!(
            check_write("t", Some("t"), Some("application/x-www-form-urlencoded")),
            Err(Refusal::NotJson)
        );
        assert_eq!(check_write("t", Some("t"), None), Err(Refusal::NotJson));
        assert!(check_write("t", Some("t"), Some("application/json; charset=utf-8")).is_ok());
    }
}
