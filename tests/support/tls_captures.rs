//! TLS seeds the damage tests and the fuzz corpus share: the segments of
//! a real `openssl s_client` ↔ `s_server` exchange (TLS 1.3 and 1.2,
//! recorded into `tls_segments.hex`) and a server flight whose handshake
//! stream spans records.

/// Hex digits (two a byte, nothing between) as bytes.
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A TLS 1.2 server flight whose Certificate (4,000 bytes) fills three
/// records, its header cut between two: the handshake stream joined
/// across records.
pub fn flight_over_records() -> Vec<u8> {
    let mut stream = vec![2, 0, 0, 38, 3, 3];
    stream.extend([0x11; 32]);
    stream.extend([0, 0xc0, 0x2b, 0]);
    stream.extend([11, 0, 0x0f, 0xa0]);
    stream.extend((0..4000).map(|i| i as u8));
    stream.extend([14, 0, 0, 0]);
    let mut cuts = vec![0, 44, 1500, 3000, stream.len()];
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        out.extend([22, 3, 3]);
        out.extend(((w[1] - w[0]) as u16).to_be_bytes());
        out.extend_from_slice(&stream[w[0]..w[1]]);
    }
    out
}

/// The recorded segments and [`flight_over_records`].
pub fn tls_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = include_str!("tls_segments.hex")
        .lines()
        .map(unhex)
        .collect();
    seeds.push(flight_over_records());
    seeds
}
