//! BOOTP and DHCPv4 (RFC 951, RFC 2131/2132) on UDP ports 67 and 68: the
//! line as `tcpdump -n` prints it (`BOOTP/DHCP, Request from
//! 02:00:00:00:00:0c, length 300`), the `-v` text (hops, xid, secs,
//! flags, the addresses, sname and file, then every option of the
//! RFC 1048 vendor area, each as tcpdump writes its kind: addresses,
//! numbers, strings, the parameter request list, client id, FQDN, relay
//! agent sub-options, classless static routes …) and a `"dhcp"` JSON
//! object.
//!
//! Checked byte for byte by `tests/dissect_apps.rs` against tcpdump 4.99
//! on `captures/dissect_bootp.pcap`. Every read is bounded; an option
//! whose value the capture cuts stops the line with ` [|bootp]`; the
//! option loop moves forward by at least one byte each turn.

mod options;

use super::dns::text::{put_char, put_hex, put_hex_dump};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated, put_num};
use options::{Kind, message_type, option};
use serde_json::{Map, Value, json};

/// BOOTP/DHCP on ports 67 and 68.
pub static BOOTP: Dissector = Dissector::new(
    "bootp",
    |w, p| line(w, p, 0),
    line,
    to_json,
    |m| u32_at(m, VENDOR).is_ok_and(|c| c == MAGIC_COOKIE),
)
.known_as("dhcp", "dhcp");

const OP_REQUEST: u8 = 1;
const OP_REPLY: u8 = 2;
const CHADDR: usize = 28;
const SNAME: usize = 44;
const FILE: usize = 108;
const VENDOR: usize = 236;
const MAGIC_COOKIE: u32 = 0x6382_5363;
/// `CMU\0`.
const CMU_COOKIE: u32 = 0x434d_5500;
const PAD: u8 = 0;
const END: u8 = 255;

/// The message's bytes as far as the capture goes: tcpdump uses UDP's
/// length only to print it, and reads on past it (behind a short UDP
/// length, into what IP still carries).
fn bytes<'a>(p: &Payload<'a>) -> &'a [u8] {
    p.bytes
}

fn is_ethernet(m: &[u8]) -> Res<bool> {
    // tcpdump reads both before it compares either: a capture that ends
    // before the length is ` [|bootp]` whatever the hardware type.
    let (htype, hlen) = (u8_at(m, 1)?, u8_at(m, 2)?);
    Ok(htype == 1 && hlen == 6)
}

fn put_mac(w: &mut Vec<u8>, mac: &[u8]) {
    for (i, &b) in mac.iter().enumerate() {
        if i > 0 {
            w.push(b':');
        }
        put_hex(w, b, 2);
    }
}

fn put_ip(w: &mut Vec<u8>, a: [u8; 4]) {
    for (i, b) in a.into_iter().enumerate() {
        if i > 0 {
            w.push(b'.');
        }
        put_num(w, b);
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    let m = bytes(p);
    let op = u8_at(m, 0)?;
    w.extend_from_slice(b"BOOTP/DHCP, ");
    match op {
        OP_REQUEST => {
            w.extend_from_slice(b"Request");
            if is_ethernet(m)? {
                let mac: [u8; 6] = bytes_at(m, CHADDR)?;
                w.extend_from_slice(b" from ");
                put_mac(w, &mac);
            }
        }
        OP_REPLY => w.extend_from_slice(b"Reply"),
        _ => {
            w.extend_from_slice(b"unknown (0x");
            put_hex(w, op, 2);
            w.push(b')');
        }
    }
    // The hardware type and length are read whatever the op.
    is_ethernet(m)?;
    w.extend_from_slice(b", length ");
    put_num(w, p.declared_len);
    if verbose == 0 {
        return Ok(());
    }
    header(w, m, verbose)?;
    vendor_area(w, m, verbose)
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`). The default line reads with `GET_` macros only.
/// `-v` reads op, htype, hlen (and an Ethernet chaddr) unchecked, then
/// checks the header up to `secs`; reads the rest of the fixed fields and
/// the first bytes of sname and file unchecked, those strings and the
/// vendor cookie checked; in the options, a length byte unchecked and
/// the value checked.
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], verbose: u8) -> bool {
    let m = bytes(p);
    let n = m.len();
    let ethernet = m.get(1..3) == Some(&[1, 6]);
    let request_from = ethernet && m.first() == Some(&OP_REQUEST);
    if verbose == 0 || n < 3 || (request_from && n < CHADDR + 6) {
        return true;
    }
    if n < 10 {
        return false;
    }
    if n < CHADDR || (ethernet && n < CHADDR + 6) {
        return true;
    }
    // sname and file: the first byte unchecked, the string checked.
    for (at, len) in [(SNAME, 64), (FILE, 128)] {
        match m.get(at) {
            None => return true,
            Some(0) => {}
            Some(_) => {
                let field = m.get(at..n.min(at + len)).unwrap_or_default();
                if !field.contains(&0) {
                    return false;
                }
            }
        }
    }
    if n < VENDOR + 4 || u32_at(m, VENDOR) != Ok(MAGIC_COOKIE) {
        return false;
    }
    let mut at = VENDOR + 4;
    while let Some(&tag) = m.get(at) {
        at += 1;
        match tag {
            END if verbose < 3 => return false,
            PAD | END => {}
            _ => match m.get(at) {
                Some(&len) => at += 1 + usize::from(len),
                None => return true,
            },
        }
    }
    false
}

/// `-v`: the fixed fields after the length, then the addresses, sname and
/// file on lines of their own.
fn header(w: &mut Vec<u8>, m: &[u8], verbose: u8) -> Res<()> {
    // Hardware type and length, hops and the transaction id are all read
    // before any of them is written.
    // tcpdump checks that the header goes as far as `secs` first.
    let (htype, hlen, hops, xid) = (u8_at(m, 1)?, u8_at(m, 2)?, u8_at(m, 3)?, u32_at(m, 4)?);
    let secs = u16_at(m, 8)?;
    if htype != 1 {
        w.extend_from_slice(b", htype ");
        put_num(w, htype);
    }
    if htype != 1 || hlen != 6 {
        w.extend_from_slice(b", hlen ");
        put_num(w, hlen);
    }
    if hops != 0 {
        w.extend_from_slice(b", hops ");
        put_num(w, hops);
    }
    if xid != 0 {
        w.extend_from_slice(b", xid 0x");
        put_lower_hex(w, xid);
    }
    if secs != 0 {
        w.extend_from_slice(b", secs ");
        put_num(w, secs);
    }
    let flags = u16_at(m, 10)?;
    w.extend_from_slice(if flags & 0x8000 != 0 {
        b", Flags [Broadcast]".as_slice()
    } else {
        b", Flags [none]"
    });
    if verbose > 1 {
        w.extend_from_slice(b" (0x");
        for b in flags.to_be_bytes() {
            put_hex(w, b, 2);
        }
        w.push(b')');
    }
    for (at, label) in [
        (12, &b"\n\t  Client-IP "[..]),
        (16, b"\n\t  Your-IP "),
        (20, b"\n\t  Server-IP "),
        (24, b"\n\t  Gateway-IP "),
    ] {
        let a: [u8; 4] = bytes_at(m, at)?;
        if a != [0; 4] {
            w.extend_from_slice(label);
            put_ip(w, a);
        }
    }
    if is_ethernet(m)? {
        let mac: [u8; 6] = bytes_at(m, CHADDR)?;
        w.extend_from_slice(b"\n\t  Client-Ethernet-Address ");
        put_mac(w, &mac);
    }
    for (at, len, label) in [
        (SNAME, 64, &b"\n\t  sname \""[..]),
        (FILE, 128, b"\n\t  file \""),
    ] {
        if u8_at(m, at)? != 0 {
            w.extend_from_slice(label);
            put_nul_terminated(w, m, at, len)?;
        }
    }
    Ok(())
}

/// A NUL-terminated field of `len` bytes, quoted; a field without its NUL
/// is printed whole and ends the line as cut, as tcpdump does.
fn put_nul_terminated(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<()> {
    let field = m.get(at..).unwrap_or(&[]);
    let field = field.get(..len).unwrap_or(field);
    let end = field.iter().position(|&c| c == 0);
    for &c in field.get(..end.unwrap_or(field.len())).unwrap_or(&[]) {
        put_char(w, c);
    }
    w.push(b'"');
    end.map(|_| ()).ok_or(Truncated)
}

/// `%x`: lower-case hex without leading zeros.
fn put_lower_hex(w: &mut Vec<u8>, n: u32) {
    let digits = ((32 - n.leading_zeros()).div_ceil(4)).max(1);
    for shift in (0..digits).rev() {
        put_hex(w, (n >> (4 * shift)) as u8, 1);
    }
}

/// The vendor area. At `-vvv` tcpdump names the padding too (a run of PAD
/// options as one, with its count) and goes on past END to the end of the
/// bytes; below that PAD is skipped and END ends the list.
fn vendor_area(w: &mut Vec<u8>, m: &[u8], verbose: u8) -> Res<()> {
    let cookie = u32_at(m, VENDOR)?;
    if cookie == CMU_COOKIE {
        // CMU's fixed vendor area: named, not decoded (tcpdump stops here
        // when the area is shorter than that structure).
        w.extend_from_slice(b" vend-cmu");
        return Err(Truncated);
    }
    if cookie != MAGIC_COOKIE {
        w.extend_from_slice(b"\n\t  Vendor-#0x");
        put_lower_hex(w, cookie);
        return Ok(());
    }
    w.extend_from_slice(b"\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363");
    let mut at = VENDOR + 4;
    while at < m.len() {
        let code = u8_at(m, at)?;
        at += 1;
        match code {
            PAD if verbose >= 3 => {
                let run = 1 + m
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&c| c == PAD)
                    .count();
                at += run - 1;
                w.extend_from_slice(b"\n\t    PAD (0), length 0");
                if run > 1 {
                    w.extend_from_slice(b", occurs ");
                    put_num(w, run);
                }
                continue;
            }
            END if verbose >= 3 => {
                w.extend_from_slice(b"\n\t    END (255), length 0");
                continue;
            }
            PAD => continue,
            END => return Ok(()),
            _ => {}
        }
        let len = usize::from(u8_at(m, at)?);
        at += 1;
        let (name, kind) = option(code);
        w.extend_from_slice(b"\n\t    ");
        w.extend_from_slice(name.as_bytes());
        w.extend_from_slice(b" (");
        put_num(w, code);
        w.extend_from_slice(b"), length ");
        put_num(w, len);
        if len > 0 {
            w.extend_from_slice(b": ");
        }
        let value = m.get(at..at + len).ok_or(Truncated)?;
        put_value(w, kind, value);
        at += len;
    }
    Ok(())
}

/// Items of `size` bytes joined by `,`, then what is left over.
fn put_items(w: &mut Vec<u8>, v: &[u8], size: usize, item: impl Fn(&mut Vec<u8>, &[u8])) {
    for (i, chunk) in v.chunks_exact(size).enumerate() {
        if i > 0 {
            w.push(b',');
        }
        item(w, chunk);
    }
    put_trailing(w, v.len() % size);
}

fn put_trailing(w: &mut Vec<u8>, n: usize) {
    if n > 0 {
        w.extend_from_slice(b"\n\t  trailing data length ");
        put_num(w, n);
    }
}

fn ip_of(c: &[u8]) -> [u8; 4] {
    <[u8; 4]>::try_from(c).unwrap_or_default()
}

fn put_u32(w: &mut Vec<u8>, c: &[u8]) {
    put_num(w, u32::from_be_bytes(ip_of(c)));
}

fn put_u16(w: &mut Vec<u8>, c: &[u8]) {
    put_num(
        w,
        u16::from_be_bytes(<[u8; 2]>::try_from(c).unwrap_or_default()),
    );
}

fn put_dotted(w: &mut Vec<u8>, v: &[u8]) {
    for (i, &b) in v.iter().enumerate() {
        if i > 0 {
            w.push(b'.');
        }
        put_num(w, b);
    }
}

fn put_quoted(w: &mut Vec<u8>, v: &[u8]) {
    w.push(b'"');
    v.iter().for_each(|&c| put_char(w, c));
    w.push(b'"');
}

fn put_error(w: &mut Vec<u8>, what: &str) {
    w.extend_from_slice(b"[ERROR: ");
    w.extend_from_slice(what.as_bytes());
    w.push(b']');
}

fn put_value(w: &mut Vec<u8>, kind: Kind, v: &[u8]) {
    match kind {
        Kind::Ip => put_items(w, v, 4, |w, c| put_ip(w, ip_of(c))),
        Kind::IpPairs => put_items(w, v, 8, |w, c| {
            w.push(b'(');
            put_ip(w, ip_of(c.get(..4).unwrap_or(&[])));
            w.push(b':');
            put_ip(w, ip_of(c.get(4..).unwrap_or(&[])));
            w.push(b')');
        }),
        Kind::U32 => put_items(w, v, 4, put_u32),
        Kind::U16 => put_items(w, v, 2, put_u16),
        Kind::Bool => {
            for (i, &b) in v.iter().enumerate() {
                if i > 0 {
                    w.push(b',');
                }
                match b {
                    0 => w.push(b'N'),
                    1 => w.push(b'Y'),
                    _ => {
                        put_num(w, b);
                        w.push(b'?');
                    }
                }
            }
        }
        Kind::Bytes => put_dotted(w, v),
        Kind::Str => put_quoted(w, v),
        Kind::Unknown if v.len().is_multiple_of(4) => put_items(w, v, 4, put_u32),
        Kind::Unknown if v.len().is_multiple_of(2) => put_items(w, v, 2, put_u16),
        Kind::Unknown => put_dotted(w, v),
        Kind::MessageType => match v {
            [t] => match message_type(*t) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => {
                    w.extend_from_slice(b"Unknown (");
                    put_num(w, *t);
                    w.push(b')');
                }
            },
            _ => put_dotted(w, v),
        },
        Kind::RequestList => {
            for (i, &code) in v.iter().enumerate() {
                w.extend_from_slice(if i % 4 == 0 {
                    b"\n\t      ".as_slice()
                } else {
                    b", "
                });
                w.extend_from_slice(option(code).0.as_bytes());
                w.extend_from_slice(b" (");
                put_num(w, code);
                w.push(b')');
            }
        }
        Kind::ClientId => match v.split_first() {
            None => put_error(w, "length < 1 bytes"),
            Some((0, rest)) => put_quoted(w, rest),
            Some((1, rest)) => {
                w.extend_from_slice(b"ether ");
                put_mac(w, rest);
            }
            Some((t, rest)) => {
                w.extend_from_slice(b"hardware-type ");
                put_num(w, *t);
                w.extend_from_slice(b", ");
                put_mac(w, rest);
            }
        },
        Kind::NetbiosNode | Kind::Overload => {
            let Some((&first, rest)) = v.split_first() else {
                return put_error(w, "length < 1 bytes");
            };
            let names: &[(u8, &str)] = if kind == Kind::NetbiosNode {
                &[(1, "b-node"), (2, "p-node"), (4, "m-node"), (8, "h-node")]
            } else {
                &[(1, "file"), (2, "sname"), (3, "file+sname")]
            };
            match names.iter().find(|(n, _)| *n == first) {
                Some((_, name)) => w.extend_from_slice(name.as_bytes()),
                None => {
                    w.push(b'#');
                    put_num(w, first);
                }
            }
            put_trailing(w, rest.len());
        }
        Kind::UserClass => user_class(w, v),
        Kind::Fqdn => fqdn(w, v),
        Kind::AgentInfo => agent_info(w, v),
        Kind::Routes => routes(w, v),
    }
}

/// Option 77: instances, each a length and text.
fn user_class(w: &mut Vec<u8>, v: &[u8]) {
    if v.len() < 2 {
        return put_error(w, "length < 2 bytes");
    }
    let (mut at, mut n) = (0usize, 1u32);
    while at < v.len() {
        w.extend_from_slice(b"\n\t      instance#");
        put_num(w, n);
        w.extend_from_slice(b": ");
        let len = v.get(at).map_or(0, |&l| usize::from(l));
        match v.get(at + 1..at + 1 + len) {
            Some(text) if len > 0 => {
                put_quoted(w, text);
                w.extend_from_slice(b", length ");
                put_num(w, len);
                at += 1 + len;
                n += 1;
            }
            _ => return put_error(w, "invalid option"),
        }
    }
}

/// Option 81: flags, the two rcodes, the name as sent.
fn fqdn(w: &mut Vec<u8>, v: &[u8]) {
    let [flags, rcode1, rcode2, name @ ..] = v else {
        return put_error(w, "length < 3 bytes");
    };
    if flags & 0xf0 != 0 {
        w.extend_from_slice(b"[ERROR: MBZ nibble 0x");
        put_hex(w, flags >> 4, 1);
        w.extend_from_slice(b" != 0] ");
    }
    if flags & 0x0f != 0 {
        w.push(b'[');
        for (bit, letter) in [(1, b'S'), (2, b'O'), (4, b'E'), (8, b'N')] {
            if flags & bit != 0 {
                w.push(letter);
            }
        }
        w.extend_from_slice(b"] ");
    }
    if *rcode1 != 0 || *rcode2 != 0 {
        put_num(w, *rcode1);
        w.push(b'/');
        put_num(w, *rcode2);
        w.push(b' ');
    }
    put_quoted(w, name);
}

/// Option 82: the relay agent's sub-options.
fn agent_info(w: &mut Vec<u8>, v: &[u8]) {
    let mut at = 0;
    while let (Some(&code), Some(&len)) = (v.get(at), v.get(at + 1)) {
        let len = usize::from(len);
        w.extend_from_slice(b"\n\t      ");
        w.extend_from_slice(match code {
            1 => b"Circuit-ID".as_slice(),
            2 => b"Remote-ID",
            _ => b"Unknown",
        });
        w.extend_from_slice(b" SubOption ");
        put_num(w, code);
        w.extend_from_slice(b", length ");
        put_num(w, len);
        w.extend_from_slice(b": ");
        let Some(value) = v.get(at + 2..at + 2 + len) else {
            w.extend_from_slice(b"length goes past end of option");
            return;
        };
        match code {
            1 | 2 => value.iter().for_each(|&c| put_char(w, c)),
            _ => put_hex_dump(w, value, b"\n\t\t"),
        }
        at += 2 + len;
    }
    put_trailing(w, v.len().saturating_sub(at));
}

/// Options 121 and 249: `(prefix/width:router)`, `default` for width 0.
fn routes(w: &mut Vec<u8>, v: &[u8]) {
    if v.len() < 5 {
        return put_error(w, "length < 5 bytes");
    }
    let mut at = 0;
    while at < v.len() {
        if at > 0 {
            w.push(b',');
        }
        let width = v.get(at).copied().unwrap_or(0);
        if width > 32 {
            w.extend_from_slice(b"[ERROR: Mask width (");
            put_num(w, width);
            w.extend_from_slice(b") > 32]");
            return;
        }
        let significant = usize::from(width).div_ceil(8);
        let (Some(prefix), Some(router)) = (
            v.get(at + 1..at + 1 + significant),
            v.get(at + 1 + significant..at + 5 + significant),
        ) else {
            w.extend_from_slice(b"[ERROR: Remaining length (");
            put_num(w, v.len() - at - 1);
            w.extend_from_slice(b") < 5 bytes]");
            return;
        };
        let mut net = [0u8; 4];
        net.iter_mut().zip(prefix).for_each(|(n, p)| *n = *p);
        w.push(b'(');
        if width == 0 {
            w.extend_from_slice(b"default");
        } else {
            put_ip(w, net);
            w.push(b'/');
            put_num(w, width);
        }
        w.push(b':');
        put_ip(w, ip_of(router));
        w.push(b')');
        at += 5 + significant;
    }
}

/// The op, addresses, client hardware address, and the options by name
/// (message type by its name, the others as `-v` writes them).
fn to_json(p: &Payload<'_>) -> Value {
    let m = bytes(p);
    let mut o = Map::new();
    let complete = json_fields(&mut o, m).is_ok();
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

fn ip_text(m: &[u8], at: usize) -> Res<Value> {
    let mut s = Vec::new();
    put_ip(&mut s, bytes_at(m, at)?);
    Ok(json!(String::from_utf8_lossy(&s)))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("op".into(), json!(u8_at(m, 0)?));
    o.insert("htype".into(), json!(u8_at(m, 1)?));
    o.insert("hops".into(), json!(u8_at(m, 3)?));
    o.insert("xid".into(), json!(u32_at(m, 4)?));
    o.insert("secs".into(), json!(u16_at(m, 8)?));
    o.insert("broadcast".into(), json!(u16_at(m, 10)? & 0x8000 != 0));
    for (key, at) in [
        ("ciaddr", 12),
        ("yiaddr", 16),
        ("siaddr", 20),
        ("giaddr", 24),
    ] {
        o.insert(key.into(), ip_text(m, at)?);
    }
    let hlen = usize::from(u8_at(m, 2)?).min(16);
    let mut mac = Vec::new();
    put_mac(&mut mac, m.get(CHADDR..CHADDR + hlen).ok_or(Truncated)?);
    o.insert("chaddr".into(), json!(String::from_utf8_lossy(&mac)));
    if u32_at(m, VENDOR)? != MAGIC_COOKIE {
        return Ok(());
    }
    let mut opts = Vec::new();
    let mut at = VENDOR + 4;
    while let Some(&code) = m.get(at) {
        at += 1;
        match code {
            PAD => continue,
            END => break,
            _ => {}
        }
        let len = usize::from(u8_at(m, at)?);
        let value = m.get(at + 1..at + 1 + len).ok_or(Truncated)?;
        at += 1 + len;
        let (name, kind) = option(code);
        if kind == Kind::MessageType
            && let [t] = value
        {
            o.insert("message_type".into(), json!(message_type(*t)));
        }
        let mut text = Vec::new();
        put_value(&mut text, kind, value);
        opts.push(
            json!({"code": code, "name": name, "value": String::from_utf8_lossy(&text).trim()}),
        );
    }
    o.insert("options".into(), Value::Array(opts));
    Ok(())
}
