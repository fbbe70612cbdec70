//! Host aliases: a server known by one host name and reached at another address, as a
//! container network's names are on edge-sim, where every module is a process on one machine
//! (`EDGE_SIM_HOSTS=opcplc=127.0.0.1,…`, set by edge-sim's agent; docker's `--add-host` on a
//! command line). The session dials the address and checks the server's certificate against
//! the name.

use std::fmt;
use std::str::FromStr;

/// `name=address`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostAlias {
    /// The host name in endpoint URLs and certificates.
    pub name: String,
    /// Where to connect instead (a host name or an IP address).
    pub address: String,
}

/// Why a host alias does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a host alias: expected name=address")]
pub struct HostAliasError(String);

impl FromStr for HostAlias {
    type Err = HostAliasError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, address) = s
            .split_once('=')
            .map(|(n, a)| (n.trim(), a.trim()))
            .filter(|(n, a)| !n.is_empty() && !a.is_empty() && !n.contains([':', '/']))
            .ok_or_else(|| HostAliasError(s.to_owned()))?;
        Ok(Self {
            name: name.to_ascii_lowercase(),
            address: address.to_owned(),
        })
    }
}

impl fmt::Display for HostAlias {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.address)
    }
}

/// The URL to dial for `url` and the host name the server is known by, when an alias names
/// the URL's host (`opc.tcp://opcplc:50000/x` with `opcplc=127.0.0.1` dials
/// `opc.tcp://127.0.0.1:50000/x` and checks `opcplc`); `None` otherwise.
#[must_use]
pub fn dial(url: &str, aliases: &[HostAlias]) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(']') || host.ends_with(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let alias = aliases.iter().find(|a| a.name.eq_ignore_ascii_case(host))?;
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Some((
        format!("{scheme}://{}{port}{path}", alias.address),
        host.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn aliases() -> Vec<HostAlias> {
        vec![
            "opcplc=127.0.0.1".parse().unwrap(),
            "Other=10.0.0.5".parse().unwrap(),
        ]
    }

    #[test]
    fn an_aliased_host_is_dialled_at_its_address_and_checked_by_its_name() {
        assert_eq!(
            dial("opc.tcp://opcplc:50000", &aliases()),
            Some(("opc.tcp://127.0.0.1:50000".to_owned(), "opcplc".to_owned()))
        );
        assert_eq!(
            dial("opc.tcp://OPCPLC:50000/path/x", &aliases()),
            Some((
                "opc.tcp://127.0.0.1:50000/path/x".to_owned(),
                "OPCPLC".to_owned()
            ))
        );
        assert_eq!(
            dial("opc.tcp://other", &aliases()),
            Some(("opc.tcp://10.0.0.5".to_owned(), "other".to_owned()))
        );
    }

    #[test]
    fn other_hosts_and_odd_urls_are_left_alone() {
        assert_eq!(dial("opc.tcp://localhost:50000", &aliases()), None);
        assert_eq!(dial("not a url", &aliases()), None);
        assert_eq!(dial("opc.tcp://opcplc:50000", &[]), None);
    }

    #[test]
    fn aliases_parse_as_name_equals_address() {
        let alias: HostAlias = " opcplc = 127.0.0.1 ".parse().unwrap();
        assert_eq!(alias.to_string(), "opcplc=127.0.0.1");
        for bad in ["opcplc", "=1.2.3.4", "opcplc=", "a:b=1.2.3.4"] {
            assert!(bad.parse::<HostAlias>().is_err(), "{bad}");
        }
    }
}
