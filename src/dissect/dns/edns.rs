//! EDNS0 options (RFC 6891 §6.1.2) as tcpdump names and shows them.

use super::Res;
use super::name::put_name;
use super::text::{put_hex, put_ipv6};
use crate::dissect::wire::{u16_at, u32_at};
use crate::dissect::{Truncated, put_num};

pub(super) fn edns_option_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "LLQ",
        2 => "UL",
        3 => "NSID",
        5 => "DAU",
        6 => "DHU",
        7 => "N3U",
        8 => "ECS",
        9 => "EXPIRE",
        10 => "COOKIE",
        11 => "KEEPALIVE",
        12 => "PADDING",
        13 => "CHAIN",
        14 => "KEY-TAG",
        16 => "CLIENT-TAG",
        17 => "SERVER-TAG",
        _ => return None,
    })
}

/// The algorithms a DAU (DNSSEC, RFC 8624's numbers), DHU (DS digests) or
/// N3U (NSEC3 hashes) option lists, with tcpdump's spellings.
fn algorithm_name(code: u16, alg: u8) -> Option<&'static str> {
    Some(match (code, alg) {
        (5, 0) => "DELETE",
        (5, 1) => "RSAMD5",
        (5, 2) => "DH",
        // Sic: tcpdump's table says DS for DSA.
        (5, 3) => "DS",
        (5, 5) => "RSASHA1",
        (5, 6) => "DSA-NSEC3-SHA1",
        (5, 7) => "RSASHA1-NSEC3-SHA1",
        (5, 8) => "RSASHA256",
        (5, 10) => "RSASHA512",
        (5, 12) => "ECC-GOST",
        (5, 13) => "ECDSAP256SHA256",
        (5, 14) => "ECDSAP384SHA384",
        (5, 15) => "ED25519",
        (5, 16) => "ED448",
        (5, 252) => "INDIRECT",
        (5, 253) => "PRIVATEDNS",
        (5, 254) => "PRIVATEOID",
        (6 | 7, 1) => "SHA-1",
        (6, 2) => "SHA-256",
        (6, 3) => "GOST_R_34.11-94",
        (6, 4) => "SHA-384",
        _ => return None,
    })
}

/// One EDNS option (RFC 6891 §6.1.2) as tcpdump shows it at `-vv`: its
/// name, then its data decoded for the options it knows (client subnet,
/// cookie, padding, keepalive, expire, key tags, chain, DAU/DHU/N3U
/// algorithm lists), in hex otherwise.
pub(super) fn put_edns_option(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let code = u16_at(m, at)?;
    let len = usize::from(u16_at(m, at + 2)?);
    match edns_option_name(code) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => {
            w.extend_from_slice(b"Opt");
            put_num(w, code);
        }
    }
    let data = m.get(at + 4..at + 4 + len).ok_or(Truncated)?;
    let next = at + 4 + len;
    if data.is_empty() {
        return Ok(next);
    }
    w.push(b' ');
    let hex_all = |w: &mut Vec<u8>, d: &[u8]| d.iter().for_each(|&b| put_hex(w, b, 2));
    let valid = match (code, data.len()) {
        (8, _) => put_client_subnet(w, data),
        (10, 8) => {
            hex_all(w, data);
            true
        }
        (10, 16..=40) => {
            let (client, server) = data.split_at(8);
            hex_all(w, client);
            w.push(b' ');
            hex_all(w, server);
            true
        }
        (10, _) => false,
        (12, n) => {
            w.push(b'(');
            put_num(w, n);
            w.push(b')');
            true
        }
        (11, 2) => {
            let v = u16_at(data, 0)?;
            put_num(w, v / 10);
            w.push(b'.');
            put_num(w, v % 10);
            w.extend_from_slice(b" sec");
            true
        }
        (9, 4) => {
            put_num(w, u32_at(data, 0)?);
            w.extend_from_slice(b" sec");
            true
        }
        (9 | 11, _) => false,
        (5..=7, _) => {
            for (k, &alg) in data.iter().enumerate() {
                if k > 0 {
                    w.push(b' ');
                }
                match algorithm_name(code, alg) {
                    Some(n) => w.extend_from_slice(n.as_bytes()),
                    None => {
                        w.extend_from_slice(b"Alg_");
                        put_num(w, alg);
                    }
                }
            }
            true
        }
        (14, n) if n % 2 == 0 => {
            for (k, pair) in data.chunks_exact(2).enumerate() {
                if k > 0 {
                    w.push(b' ');
                }
                put_num(w, u16_at(pair, 0)?);
            }
            true
        }
        (14, _) => false,
        (13, _) => {
            put_name(w, m, at + 4)?;
            true
        }
        _ => {
            hex_all(w, data);
            true
        }
    };
    if !valid {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(next)
}

/// EDNS client subnet (RFC 7871): `10.0.0.0/24/0`, address/source/scope;
/// `false` when the address length does not match the source prefix.
pub(super) fn put_client_subnet(w: &mut Vec<u8>, d: &[u8]) -> bool {
    let (Ok(family), Some(&source), Some(&scope)) = (u16_at(d, 0), d.get(2), d.get(3)) else {
        return false;
    };
    let addr = d.get(4..).unwrap_or(&[]);
    let max_bits = match family {
        1 => 32,
        2 => 128,
        _ => return false,
    };
    if source > max_bits || addr.len() != usize::from(source).div_ceil(8) {
        return false;
    }
    let mut full = [0u8; 16];
    for (dst, src) in full.iter_mut().zip(addr) {
        *dst = *src;
    }
    if family == 1 {
        for (k, o) in full.iter().take(4).enumerate() {
            if k > 0 {
                w.push(b'.');
            }
            put_num(w, *o);
        }
    } else {
        put_ipv6(w, &full);
    }
    w.push(b'/');
    put_num(w, source);
    w.push(b'/');
    put_num(w, scope);
    true
}
