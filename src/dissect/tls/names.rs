//! Names of TLS codes as IANA's registries spell them: record content
//! types, handshake message types, protocol versions and the cipher
//! suites real clients offer (others print as `0x1234`). The line uses the
//! CamelCase names, the JSON their snake_case forms ([`snake`]).

/// Record content types 20–24, by name (`ApplicationData`).
pub fn content_type(t: u8) -> Option<&'static str> {
    super::super::word(
        "ChangeCipherSpec Alert Handshake ApplicationData Heartbeat",
        usize::from(t.checked_sub(20)?),
    )
}

/// Handshake message types (RFC 8446 §4 and the TLS 1.2 ones).
pub fn handshake_type(t: u8) -> Option<&'static str> {
    super::super::word(
        "HelloRequest ClientHello ServerHello - NewSessionTicket EndOfEarlyData - - \
         EncryptedExtensions - - Certificate ServerKeyExchange CertificateRequest \
         ServerHelloDone CertificateVerify ClientKeyExchange - - - Finished - - - KeyUpdate",
        usize::from(t),
    )
}

/// A name as the JSON spells it: `ApplicationData` → `application_data`.
pub fn snake(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_lowercase());
    }
    s
}

/// A protocol version's number after `TLS ` (`1.3`), `SSL 3.0` as `s3`.
pub fn version(v: u16) -> Option<&'static str> {
    Some(match v {
        0x0300 => "s3",
        0x0301 => "1.0",
        0x0302 => "1.1",
        0x0303 => "1.2",
        0x0304 => "1.3",
        _ => return None,
    })
}

/// A version as the JSON names it: `TLS 1.3`, `SSL 3.0`, or `0x7f1c`.
pub fn version_long(v: u16) -> String {
    match version(v) {
        Some("s3") => "SSL 3.0".into(),
        Some(n) => format!("TLS {n}"),
        None => format!("0x{v:04x}"),
    }
}

/// A cipher suite's IANA name, for the common ones.
pub fn cipher(c: u16) -> Option<&'static str> {
    CIPHERS.iter().find(|(n, _)| *n == c).map(|(_, name)| *name)
}

/// `TLS_AES_128_GCM_SHA256`, or `0x1234` for one the table lacks.
pub fn cipher_long(c: u16) -> String {
    cipher(c).map_or_else(|| format!("0x{c:04x}"), str::to_owned)
}

const CIPHERS: &[(u16, &str)] = &[
    (0x1301, "TLS_AES_128_GCM_SHA256"),
    (0x1302, "TLS_AES_256_GCM_SHA384"),
    (0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
    (0x1304, "TLS_AES_128_CCM_SHA256"),
    (0x1305, "TLS_AES_128_CCM_8_SHA256"),
    (0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    (0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    (0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    (0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    (0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    (0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
    (0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    (0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
    (0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
    (0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
    (0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
    (0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
    (0x5600, "TLS_FALLBACK_SCSV"),
];
