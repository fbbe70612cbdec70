//! Distinguished names as the .NET stack prints them, and store file names derived from them.

use x509_parser::x509::X509Name;

/// Formats a name like .NET's `X500DistinguishedName.Name`: RDNs from the most specific
/// (last in DER) to the least, joined with `", "`, e.g. `CN=Azure IoT OPC Vault CA, O=Microsoft Corp.`.
///
/// The OPC PLC's log lines print subjects this way, so operators' log searches keep working.
pub(crate) fn dotnet_name(name: &X509Name<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for rdn in name.iter() {
        let attrs: Vec<String> = rdn
            .iter()
            .map(|attr| {
                let key = short_name(&attr.attr_type().to_id_string());
                let value = attr
                    .as_str()
                    .map_or_else(|_| hex_value(attr.attr_value().data), quote_if_needed);
                format!("{key}={value}")
            })
            .collect();
        parts.push(attrs.join(" + "));
    }
    parts.reverse();
    parts.join(", ")
}

/// The first `CN` of a name, if any.
pub(crate) fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
}

/// A string safe to use as a file name stem: characters that are invalid in file names on
/// Windows or Unix are replaced with `_`, as the .NET directory store does.
pub(crate) fn file_stem(common_name: &str) -> String {
    let cleaned: String = common_name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "Certificate".to_owned()
    } else {
        trimmed.chars().take(64).collect()
    }
}

fn short_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.7" => "L",
        "2.5.4.8" => "S",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "2.5.4.5" => "SERIALNUMBER",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "E",
        other => return format!("OID.{other}"),
    }
    .to_owned()
}

/// Quotes a value the way .NET does when it holds a separator or leading/trailing spaces.
fn quote_if_needed(value: &str) -> String {
    let special = value.contains([',', '+', '=', '"', '\n', '<', '>', '#', ';'])
        || value.starts_with(' ')
        || value.ends_with(' ');
    if special {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn hex_value(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("#");
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::x509::X509Name as OsslName;
    use x509_parser::prelude::FromDer;

    fn format(entries: &[(&str, &str)]) -> String {
        let mut b = OsslName::builder().unwrap();
        for (k, v) in entries {
            b.append_entry_by_text(k, v).unwrap();
        }
        let der = b.build().to_der().unwrap();
        let (_, name) = X509Name::from_der(&der).unwrap();
        dotnet_name(&name)
    }

    #[test]
    fn names_print_most_specific_first_like_dotnet() {
        assert_eq!(
            format(&[("O", "Microsoft Corp."), ("CN", "Azure IoT OPC Vault CA")]),
            "CN=Azure IoT OPC Vault CA, O=Microsoft Corp."
        );
        assert_eq!(format(&[("CN", "OpcPlc")]), "CN=OpcPlc");
    }

    #[test]
    fn values_with_separators_are_quoted() {
        assert_eq!(
            format(&[("O", "Contoso, Ltd"), ("CN", "x")]),
            "CN=x, O=\"Contoso, Ltd\""
        );
    }

    #[test]
    fn file_stems_replace_invalid_characters() {
        assert_eq!(file_stem("OpcPlc"), "OpcPlc");
        assert_eq!(file_stem("a/b\\c:d"), "a_b_c_d");
        assert_eq!(file_stem("../.."), "_..");
        assert_eq!(file_stem(""), "Certificate");
    }
}
