//! ICMPv6 node information queries and replies (RFC 4620, types 139 and
//! 140) as `tcpdump -n` words them after `who-are-you request` /
//! `who-are-you reply`: ` node information query (DNS name, subject=DNS
//! name, "host.example.")`, ` node information reply (node addresses
//! 2001:db8::1(60) [GSLCA])`; `-v` adds `success` and the length
//! complaints. The message is judged by what was captured (tcpdump reads
//! up to the capture's end, not the IPv6 length), a reply only when it
//! was captured whole.
//!
//! Layout: type, code, checksum, the query type (2 bytes), flags (2),
//! an 8-byte nonce, then a query's subject (an IPv6 or IPv4 address, or
//! a DNS name by the code) or a reply's data (a name's TTL and name, or
//! TTL and address pairs).

use super::dns::text::put_char;
use super::wire::{Res, u8_at, u16_at, u32_at};
use crate::decode::ip6_text::Ip6;
use std::net::Ipv4Addr;

/// The header before the subject or data.
const HEADER: usize = 16;
/// A KAME "who-are-you" query: the ICMPv6 header and four bytes.
const WHO_ARE_YOU: usize = 12;

const QTYPE_NOOP: u16 = 0;
const QTYPE_SUPTYPES: u16 = 1;
const QTYPE_FQDN: u16 = 2;
const QTYPE_NODEADDR: u16 = 3;

/// The mark of a message tcpdump's own length check refused (it returns;
/// no `longjmp`).
const CUT: &[u8] = b" [|icmp6]";

/// A query's words after `who-are-you request`, for the `m.len()` bytes
/// captured. `Err`: a field read past the capture (tcpdump's `longjmp`).
pub fn write_query(w: &mut Vec<u8>, m: &[u8], verbose: bool) -> Res<()> {
    let siz = m.len();
    if siz == WHO_ARE_YOU {
        w.extend_from_slice(b" who-are-you request");
        return Ok(());
    }
    w.extend_from_slice(b" node information query");
    if siz < HEADER {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    let (qtype, flags) = (u16_at(m, 4)?, u16_at(m, 6)?);
    w.extend_from_slice(b" (");
    put_qtype(w, qtype, flags, false);
    if matches!(qtype, QTYPE_NOOP | QTYPE_SUPTYPES) {
        if siz != HEADER && verbose {
            w.extend_from_slice(b", invalid len");
        }
        w.push(b')');
        return Ok(());
    }
    // The subject-less form of draft icmp-name-lookup-03.
    if siz == HEADER {
        w.extend_from_slice(b", 03 draft)");
        return Ok(());
    }
    match u8_at(m, 1)? {
        0 => put_address_subject(w, m, verbose, Ip6::from)?,
        1 => {
            w.extend_from_slice(b", subject=DNS name");
            put_name(w, m, HEADER, verbose)?;
        }
        2 => put_address_subject(w, m, verbose, Ipv4Addr::from)?,
        _ => w.extend_from_slice(b", unknown subject"),
    }
    w.push(b')');
    Ok(())
}

/// A reply's words after `who-are-you reply`; `wire_len` is the ICMPv6
/// message's length by the IPv6 header. `Err` as for [`write_query`].
pub fn write_reply(w: &mut Vec<u8>, m: &[u8], wire_len: usize, verbose: bool) -> Res<()> {
    let siz = m.len();
    if wire_len > siz || siz < HEADER {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    w.extend_from_slice(b" node information reply (");
    let code = u8_at(m, 1)?;
    let mut comma = false;
    match code {
        0 if verbose => {
            w.extend_from_slice(b"success");
            comma = true;
        }
        1 | 2 => {
            w.extend_from_slice(if code == 1 { b"refused" } else { b"unknown" });
            comma = true;
            if siz != HEADER {
                put_if(w, verbose, b", invalid length");
            }
        }
        _ => {}
    }
    if code != 0 {
        w.push(b')');
        return Ok(());
    }
    if comma {
        w.extend_from_slice(b", ");
    }
    let (qtype, flags) = (u16_at(m, 4)?, u16_at(m, 6)?);
    match qtype {
        QTYPE_NOOP => {
            w.extend_from_slice(b"noop");
            if siz != HEADER {
                put_if(w, verbose, b", invalid length");
            }
        }
        QTYPE_FQDN => {
            w.extend_from_slice(b"DNS name");
            // After the name's TTL.
            put_name(w, m, HEADER + 4, verbose)?;
            if flags & 0x01 != 0 {
                super::ctl::out!(w, " [TTL={}]", u32_at(m, HEADER)?);
            }
        }
        QTYPE_NODEADDR => {
            w.extend_from_slice(b"node addresses");
            // (TTL, address) pairs, as many as fit whole.
            let mut at = HEADER;
            while at + 20 <= siz {
                let a: [u8; 16] = super::wire::bytes_at(m, at + 4)?;
                super::ctl::out!(w, " {}({})", Ip6::from(a), u32_at(m, at)?);
                at += 20;
            }
            put_flags(w, flags, true);
        }
        _ => put_qtype(w, qtype, flags, true),
    }
    w.push(b')');
    Ok(())
}

/// An address subject of `N` bytes (IPv6's 16, IPv4's 4): nothing when
/// the capture holds less, `-v`'s complaint when it holds more.
fn put_address_subject<const N: usize, A: std::fmt::Display>(
    w: &mut Vec<u8>,
    m: &[u8],
    verbose: bool,
    address: fn([u8; N]) -> A,
) -> Res<()> {
    let siz = m.len();
    if siz < HEADER + N {
        return Ok(());
    }
    if siz != HEADER + N {
        put_if(w, verbose, b", invalid subject len");
        return Ok(());
    }
    let a: [u8; N] = super::wire::bytes_at(m, HEADER)?;
    super::ctl::out!(w, ", subject={}", address(a));
    Ok(())
}

fn put_if(w: &mut Vec<u8>, verbose: bool, words: &[u8]) {
    if verbose {
        w.extend_from_slice(words);
    }
}

/// The query type's name and, for the types that have them, its flags.
fn put_qtype(w: &mut Vec<u8>, qtype: u16, flags: u16, reply: bool) {
    match qtype {
        QTYPE_NOOP => w.extend_from_slice(b"noop"),
        QTYPE_SUPTYPES => {
            w.extend_from_slice(b"supported qtypes");
            if flags != 0 {
                w.extend_from_slice(if flags & 0x01 != 0 { b" [C]" } else { b" []" });
            }
        }
        QTYPE_FQDN => w.extend_from_slice(b"DNS name"),
        QTYPE_NODEADDR => {
            w.extend_from_slice(b"node addresses");
            put_flags(w, flags, reply);
        }
        // tcpdump names no other type (not RFC 4620's IPv4 addresses, 4).
        _ => w.extend_from_slice(b"unknown"),
    }
}

/// A node-addresses message's flags, ` [aGSLCA]` (`T`, truncated, only
/// in a reply); nothing when none is set.
fn put_flags(w: &mut Vec<u8>, flags: u16, reply: bool) {
    if flags == 0 {
        return;
    }
    w.extend_from_slice(b" [");
    let bits: [(u16, u8); 7] = [
        (0x40, b'a'),
        (0x20, b'G'),
        (0x10, b'S'),
        (0x08, b'L'),
        (0x04, b'C'),
        (0x02, b'A'),
        (0x01, b'T'),
    ];
    for (bit, c) in bits {
        if flags & bit != 0 && (reply || c != b'T') {
            w.push(c);
        }
    }
    w.push(b']');
}

/// The name from `at` to the end of the capture: a one-byte length that
/// says exactly that many bytes follow (draft 03's form, `-v`: `, 03
/// draft`) is printed whole; anything else as DNS labels.
fn put_name(w: &mut Vec<u8>, m: &[u8], at: usize, verbose: bool) -> Res<()> {
    let end = m.len();
    if usize::from(u8_at(m, at)?) == end - at - 1 {
        put_if(w, verbose, b", 03 draft");
        w.extend_from_slice(b", \"");
        m.get(at + 1..)
            .unwrap_or_default()
            .iter()
            .for_each(|&c| put_char(w, c));
        w.push(b'"');
        return Ok(());
    }
    put_labels(w, m, at);
    Ok(())
}

/// DNS labels without compression, quoted: `.` between labels and after
/// a name that ends with its root label at the capture's end; `???` for a
/// label longer than what is left, or a root label followed by more than
/// one zero byte (a name ended by one more zero, a pad, is shown without
/// its final dot).
fn put_labels(w: &mut Vec<u8>, m: &[u8], mut at: usize) {
    let end = m.len();
    w.extend_from_slice(b", \"");
    while let Some(&n) = m.get(at).filter(|_| at < end) {
        at += 1;
        let n = usize::from(n);
        if n == 0 {
            if at == end {
                w.push(b'.');
            } else if !(at + 1 == end && m.get(at) == Some(&0)) {
                w.extend_from_slice(b"???");
            }
            break;
        }
        let Some(label) = m.get(at..at + n) else {
            w.extend_from_slice(b"???");
            break;
        };
        label.iter().for_each(|&c| put_char(w, c));
        at += n;
        if at + 1 < end && m.get(at).is_some_and(|&b| b != 0) {
            w.push(b'.');
        }
    }
    w.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(t: u8, code: u8, qtype: u16, flags: u16, data: &[u8]) -> Vec<u8> {
        let head = [t, code, 0, 0];
        [
            &head[..],
            &qtype.to_be_bytes(),
            &flags.to_be_bytes(),
            &[1; 8],
            data,
        ]
        .concat()
    }

    fn query(m: &[u8], verbose: bool) -> String {
        let mut w = Vec::new();
        let _ = write_query(&mut w, m, verbose);
        String::from_utf8_lossy(&w).into_owned()
    }

    fn reply(m: &[u8], verbose: bool) -> String {
        let mut w = Vec::new();
        let _ = write_reply(&mut w, m, m.len(), verbose);
        String::from_utf8_lossy(&w).into_owned()
    }

    #[test]
    fn test_query_subjects() {
        let name = b"\x04host\x07example\x00";
        assert_eq!(
            query(&message(139, 1, 2, 0, name), false),
            " node information query (DNS name, subject=DNS name, \"host.example.\")"
        );
        assert_eq!(
            query(&message(139, 2, 3, 0x3e, &[192, 0, 2, 1]), false),
            " node information query (node addresses [GSLCA], subject=192.0.2.1)"
        );
        assert_eq!(
            query(&message(139, 0, 4, 0, &[0; 17]), true),
            " node information query (unknown, invalid subject len)"
        );
        assert_eq!(
            query(&message(139, 1, 2, 0, b"\x04host"), true),
            " node information query (DNS name, subject=DNS name, 03 draft, \"host\")"
        );
    }

    #[test]
    fn test_reply_data() {
        let fqdn = [&300u32.to_be_bytes()[..], b"\x04host\x07example\x00\x00"].concat();
        assert_eq!(
            reply(&message(140, 0, 2, 1, &fqdn), false),
            " node information reply (DNS name, \"host.example\" [TTL=300])"
        );
        let addr = [&60u32.to_be_bytes()[..], &[0; 15], &[5]].concat();
        assert_eq!(
            reply(&message(140, 0, 3, 1, &addr), true),
            " node information reply (success, node addresses ::5(60) [T])"
        );
        assert_eq!(
            reply(&message(140, 1, 3, 0, &addr), true),
            " node information reply (refused, invalid length)"
        );
        assert_eq!(
            reply(&message(140, 7, 3, 0, &[]), false),
            " node information reply ()"
        );
        assert_eq!(reply(&message(140, 0, 3, 0, &[])[..12], false), " [|icmp6]");
    }

    #[test]
    fn test_labels() {
        let labels = |m: &[u8]| {
            let mut w = Vec::new();
            put_labels(&mut w, m, 0);
            String::from_utf8_lossy(&w).into_owned()
        };
        assert_eq!(labels(b"\x01a\x00"), ", \"a.\"");
        assert_eq!(labels(b"\x01a\x00\x00\x00"), ", \"a???\"");
        assert_eq!(labels(b"\x09a"), ", \"???\"");
        assert_eq!(labels(b"\x01\x07"), ", \"^G\"");
    }
}
