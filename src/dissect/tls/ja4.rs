//! The JA4 fingerprint of a ClientHello, as FoxIO's published JA4 spec
//! defines it (`technical_details/JA4.md`, TLS client fingerprint only:
//! the other JA4+ fingerprints are under a licence that forbids
//! commercial use, so they are not here).
//!
//! `t13d1516h2_8daaf6152771_e5627efa2ab1`: transport (`t` TCP, `q` QUIC),
//! highest offered version, SNI present (`d`) or not (`i`), cipher and
//! extension counts, ALPN's first and last characters; then the first 12
//! hex digits of SHA-256 over the sorted cipher list, and over the sorted
//! extension list (without SNI and ALPN) `_` the signature algorithms in
//! their order. GREASE values are left out everywhere.

use super::hello::{ClientHello, without_grease};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// How the ClientHello travelled: JA4's first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Quic,
}

/// The JA4 fingerprint of a whole ClientHello.
pub fn ja4(h: &ClientHello<'_>, transport: Transport) -> String {
    let mut s = String::with_capacity(36);
    s.push(match transport {
        Transport::Tcp => 't',
        Transport::Quic => 'q',
    });
    s.push_str(version_code(h));
    s.push(if h.extensions.contains(&0x0000) {
        'd'
    } else {
        'i'
    });
    let ciphers = without_grease(&h.ciphers);
    let exts = without_grease(&h.extensions);
    let _ = write!(s, "{:02}{:02}", ciphers.len().min(99), exts.len().min(99));
    alpn_code(&mut s, h.alpn.first().copied());
    s.push('_');
    let mut sorted = ciphers;
    sorted.sort_unstable();
    s.push_str(&hash12(&hex_list(&sorted)));
    s.push('_');
    let mut sorted: Vec<u16> = exts
        .into_iter()
        .filter(|&e| e != 0x0000 && e != 0x0010)
        .collect();
    sorted.sort_unstable();
    let mut text = hex_list(&sorted);
    let sigs = without_grease(&h.sig_algs);
    if !sigs.is_empty() {
        text.push('_');
        text.push_str(&hex_list(&sigs));
    }
    if sorted.is_empty() {
        text.clear();
    }
    s.push_str(&hash12(&text));
    s
}

/// The highest supported_versions value (the legacy version without the
/// extension), in JA4's two characters.
fn version_code(h: &ClientHello<'_>) -> &'static str {
    let offered = without_grease(&h.versions).into_iter().max();
    let v = match offered {
        Some(v) if h.extensions.contains(&0x002b) => v,
        _ => h.legacy_version,
    };
    match v {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0200 => "s2",
        0x0100 => "s1",
        _ => "00",
    }
}

/// The first ALPN value's first and last characters; when either is not
/// an ASCII letter or digit, the first and last digits of its hex form;
/// `00` without ALPN.
fn alpn_code(s: &mut String, first: Option<&[u8]>) {
    let Some((&a, &z)) = first.and_then(|v| Some((v.first()?, v.last()?))) else {
        s.push_str("00");
        return;
    };
    if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric() {
        s.push(char::from(a));
        s.push(char::from(z));
    } else {
        let hex = |n: u8| {
            char::from(
                b"0123456789abcdef"
                    .get(usize::from(n & 0xf))
                    .copied()
                    .unwrap_or(b'0'),
            )
        };
        s.push(hex(a >> 4));
        s.push(hex(z));
    }
}

/// `0005,000a,…`: four lower-case hex digits each, comma separated.
fn hex_list(values: &[u16]) -> String {
    let mut s = String::with_capacity(values.len() * 5);
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{v:04x}");
    }
    s
}

/// The first 12 hex digits of SHA-256 over `text`; twelve zeros for an
/// empty list, as the spec says.
fn hash12(text: &str) -> String {
    if text.is_empty() {
        return "000000000000".into();
    }
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(12);
    for b in digest.iter().take(6) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of FoxIO's JA4 spec: its cipher list, extension
    /// list (in the order sent) and signature algorithms.
    fn spec_example<'a>() -> ClientHello<'a> {
        ClientHello {
            legacy_version: 0x0303,
            ciphers: vec![
                0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
            ],
            extensions: vec![
                0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
                0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
            ],
            sni: Some(b"example.com"),
            alpn: vec![b"h2", b"http/1.1"],
            versions: vec![0x0304, 0x0303],
            sig_algs: vec![
                0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
            ],
        }
    }

    #[test]
    fn test_spec_example() {
        assert_eq!(
            ja4(&spec_example(), Transport::Tcp),
            "t13d1516h2_8daaf6152771_e5627efa2ab1"
        );
    }

    #[test]
    fn test_spec_example_without_signature_algorithms() {
        let mut h = spec_example();
        h.sig_algs.clear();
        assert!(ja4(&h, Transport::Quic).ends_with("_6d807ffa2a79"));
        assert!(ja4(&h, Transport::Quic).starts_with("q13d1516h2_"));
    }

    #[test]
    fn test_grease_ignored_and_counts_capped() {
        let mut h = spec_example();
        h.ciphers.insert(0, 0x5a5a);
        h.extensions.insert(3, 0xeaea);
        h.versions.insert(0, 0x7a7a);
        assert_eq!(
            ja4(&h, Transport::Tcp),
            "t13d1516h2_8daaf6152771_e5627efa2ab1"
        );
        h.ciphers = (1..200).collect();
        assert!(ja4(&h, Transport::Tcp).starts_with("t13d9916h2_"));
    }

    #[test]
    fn test_no_sni_no_alpn_no_extensions() {
        let h = ClientHello {
            legacy_version: 0x0301,
            ciphers: vec![0x002f],
            ..ClientHello::default()
        };
        let s = ja4(&h, Transport::Tcp);
        assert!(s.starts_with("t10i010000_"), "{s}");
        assert!(s.ends_with("_000000000000"), "{s}");
    }

    #[test]
    fn test_alpn_not_alphanumeric_uses_hex() {
        let mut s = String::new();
        alpn_code(&mut s, Some(&[0xab, b'x', 0xcd]));
        alpn_code(&mut s, Some(b"h"));
        alpn_code(&mut s, Some(b""));
        assert_eq!(s, "adhh00");
    }
}
