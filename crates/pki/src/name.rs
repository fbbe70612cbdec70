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

/// The `CN` of a name as .NET reads it: the first `CN=` of .NET's subject string, which lists
/// the most specific RDN first, i.e. the last `CN` in DER order (the same one for the usual
/// single-CN names).
pub(crate) fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .last()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
}

/// Longest stem, in bytes: `<stem> [<40 hex>].pfx` then stays within the 255-byte file-name
/// limit of Linux file systems.
const MAX_STEM_BYTES: usize = 200;

/// The stem of a store file name as the .NET directory store builds it
/// (`DirectoryCertificateStore.GetFileName`, docs/reference/dotnet-directory-store.md, "File
/// names"): the trimmed CN, put in quotes when it holds `/`, `,` or `=` (as .NET's
/// `ParseDistinguishedName` hands it over), then each of `< > : " / \ | ? *` replaced with `+`.
/// Without a CN the stem is empty, as .NET's is for a certificate read from DER.
///
/// Deviations, for names no application certificate has: control characters also become `+`,
/// leading dots are dropped (hidden files are skipped when a store is read) and the stem is cut
/// at [`MAX_STEM_BYTES`]. The .NET stack finds a key by its certificate's file name, never by
/// recomputing this stem, so it reads such files all the same.
pub(crate) fn file_stem(common_name: Option<&str>) -> String {
    let Some(cn) = common_name.map(str::trim) else {
        return String::new();
    };
    let quote = cn.contains(['/', ',', '=']);
    let mut value = String::with_capacity(cn.len() + 2);
    if quote && !cn.starts_with('"') {
        value.push('"');
    }
    value.push_str(cn);
    if quote && !cn.ends_with('"') {
        value.push('"');
    }
    let replaced: String = value
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') {
                '+'
            } else {
                c
            }
        })
        .collect();
    let mut stem = replaced.trim_start_matches('.').to_owned();
    if stem.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !stem.is_char_boundary(end) {
            end -= 1;
        }
        stem.truncate(end);
    }
    stem
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
    fn file_stems_replace_the_characters_dotnet_replaces_with_plus() {
        assert_eq!(file_stem(Some("OpcPlc")), "OpcPlc");
        assert_eq!(file_stem(Some(" OpcPlc ")), "OpcPlc");
        assert_eq!(file_stem(Some("a<b>c:d|e?f*g\\h")), "a+b+c+d+e+f+g+h");
        assert_eq!(
            file_stem(Some("Plain Name.1 (x) [y] _z_")),
            "Plain Name.1 (x) [y] _z_"
        );
    }

    #[test]
    fn file_stems_quote_values_with_slash_comma_or_equals_like_dotnet() {
        // .NET's ParseDistinguishedName puts quotes around such values; they become `+`.
        assert_eq!(file_stem(Some("a/b")), "+a+b+");
        assert_eq!(file_stem(Some("Contoso, Ltd")), "+Contoso, Ltd+");
        assert_eq!(file_stem(Some("x=y")), "+x=y+");
    }

    #[test]
    fn file_stems_without_a_cn_are_empty_and_unsafe_names_stay_safe() {
        assert_eq!(file_stem(None), "");
        assert_eq!(file_stem(Some("../..")), "+..+..+");
        assert_eq!(file_stem(Some("..hidden")), "hidden");
        assert_eq!(file_stem(Some("a\nb\0c")), "a+b+c");
        let long = "\u{e9}".repeat(150);
        let stem = file_stem(Some(&long));
        assert!(stem.len() <= MAX_STEM_BYTES);
        assert!(stem.chars().all(|c| c == '\u{e9}'));
    }

    #[test]
    fn the_common_name_is_the_one_dotnet_lists_first() {
        let mut b = OsslName::builder().unwrap();
        b.append_entry_by_text("CN", "outer").unwrap();
        b.append_entry_by_text("CN", "inner").unwrap();
        let der = b.build().to_der().unwrap();
        let (_, name) = X509Name::from_der(&der).unwrap();
        assert_eq!(dotnet_name(&name), "CN=inner, CN=outer");
        assert_eq!(common_name(&name).as_deref(), Some("inner"));
    }
}
