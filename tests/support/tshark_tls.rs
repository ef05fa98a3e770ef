//! tshark as the oracle for TLS and QUIC: its fields for the handshake
//! packets of a capture, and the JA4 fingerprint worked out from those
//! fields by this file's own code (tshark 4.0, Debian 12's, has no
//! `tls.handshake.ja4` field; 4.2 and later do), so that sockscope's JA4
//! is checked against values another parser read.

use sha2::{Digest, Sha256};
use std::process::Command;

/// `tshark -r PATH -Y FILTER -T fields -e …` with `-d` decode-as rules:
/// one row per packet, one string per field (lists comma-separated).
pub fn fields(path: &str, decode_as: &[&str], filter: &str, names: &[&str]) -> Vec<Vec<String>> {
    let decode: Vec<&str> = decode_as.iter().flat_map(|d| ["-d", d]).collect();
    fields_with(path, &decode, filter, names)
}

/// tshark's preference to reassemble TCP segments that arrive out of
/// order, as sockscope does; always set here. Loopback captures record a
/// segment before the one that precedes it in sequence now and then (more
/// often on a loaded machine), and tshark 4.0 by default then gives up on
/// the message: a TLS Certificate or an HTTP response it does not show
/// (a CI run failed on exactly that; swapping any two of a Certificate's
/// segments in a passing capture reproduces it).
pub const OUT_OF_ORDER: &[&str] = &["-o", "tcp.reassemble_out_of_order:TRUE"];

/// [`fields`] with other tshark options (`-o name:value` preferences),
/// after [`OUT_OF_ORDER`].
pub fn fields_with(path: &str, options: &[&str], filter: &str, names: &[&str]) -> Vec<Vec<String>> {
    let decode = OUT_OF_ORDER.iter().chain(options).copied();
    let wanted = names.iter().flat_map(|n| ["-e", n]);
    let out = Command::new("tshark")
        .args([
            "-r",
            path,
            "-Y",
            filter,
            "-T",
            "fields",
            "-E",
            "separator=/t",
        ])
        .args(decode.chain(wanted))
        .output()
        .expect("tshark runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let table = String::from_utf8_lossy(&out.stdout);
    table
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The fields [`ja4`] needs, in its order.
pub const JA4_FIELDS: &[&str] = &[
    "tls.handshake.version",
    "tls.handshake.ciphersuite",
    "tls.handshake.extension.type",
    "tls.handshake.extensions_server_name",
    "tls.handshake.extensions_alpn_str",
    "tls.handshake.sig_hash_alg",
    "tls.handshake.extensions.supported_version",
];

/// A tshark number (`0x1302` or `43`) as a value.
fn number(s: &str) -> u16 {
    match s.strip_prefix("0x") {
        Some(h) => u16::from_str_radix(h, 16),
        None => s.parse(),
    }
    .unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

fn list(s: &str) -> Vec<u16> {
    s.split(',').filter(|x| !x.is_empty()).map(number).collect()
}

/// RFC 8701's reserved values, spelled as the spec lists them.
fn grease(v: u16) -> bool {
    (0..16u16).any(|i| v == 0x0a0a + i * 0x1010)
}

fn sha12(s: &str) -> String {
    if s.is_empty() {
        return "000000000000".into();
    }
    Sha256::digest(s.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// JA4 from tshark's [`JA4_FIELDS`] of one ClientHello; `q` or `t`.
pub fn ja4(transport: char, row: &[String]) -> String {
    let f = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
    let ciphers: Vec<u16> = list(f(1)).into_iter().filter(|v| !grease(*v)).collect();
    let exts: Vec<u16> = list(f(2)).into_iter().filter(|v| !grease(*v)).collect();
    let versions: Vec<u16> = list(f(6)).into_iter().filter(|v| !grease(*v)).collect();
    let version = versions.iter().max().copied().unwrap_or(number(f(0)));
    let version = match version {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        _ => "00",
    };
    let sni = if exts.contains(&0) { 'd' } else { 'i' };
    let alpn = f(4).split(',').next().unwrap_or("");
    let alpn = match (alpn.chars().next(), alpn.chars().last()) {
        (Some(a), Some(z)) => format!("{a}{z}"),
        _ => "00".into(),
    };
    let hex = |v: &[u16]| v.iter().map(|x| format!("{x:04x}")).collect::<Vec<_>>();
    let mut c = hex(&ciphers);
    c.sort();
    let mut e = hex(&exts
        .iter()
        .copied()
        .filter(|&x| x != 0 && x != 16)
        .collect::<Vec<_>>());
    e.sort();
    let sigs = hex(&list(f(5)));
    let mut text = e.join(",");
    if !sigs.is_empty() && !text.is_empty() {
        text = format!("{text}_{}", sigs.join(","));
    }
    format!(
        "{transport}{version}{sni}{:02}{:02}{alpn}_{}_{}",
        ciphers.len().min(99),
        exts.len().min(99),
        sha12(&c.join(",")),
        sha12(&text)
    )
}
