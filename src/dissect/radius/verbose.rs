//! RADIUS at `-v`: the header line, then one line per attribute with its
//! name, length and value, each type written as `tcpdump -v` writes it
//! (numbers and their enumerations, addresses, tagged tunnel values,
//! vendor-specific sub-attributes, EAP inside EAP-Message, location
//! objects …), and at `-vv` each attribute's value in hex below it.
//!
//! tcpdump stops in two ways, and both are kept: a value the capture cut
//! that its printer checks first ends only that value with ` [|radius]`
//! and the walk goes on (the next attribute then usually stops it for
//! good); a field read without that check ends the whole line, which is
//! what `Err(Truncated)` does here.

use super::values::{Print, SMI_VENDORS, attribute_print, enum_name};
use super::{HEADER_LEN, attribute_name, code_name, length};
use crate::dissect::Payload;
use crate::dissect::ctl::{out, put_bits_sep, put_hex_ascii, tok};
use crate::dissect::dns::text::{put_char, put_hex, put_hex_dump, put_ipv6};
use crate::dissect::eapol::eap;
use crate::dissect::ntp::put_timestamp;
use crate::dissect::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use crate::dissect::{Truncated, put_num};

/// tcpdump's mark for a value its printer found cut, after which it goes
/// on with the next attribute.
const CUT: &[u8] = b" [|radius]";

/// `RADIUS, length: 55` and the code, identifier and authenticator on the
/// next line, then the attributes.
pub(super) fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, level: u8) -> Res<()> {
    let len = length(p)?;
    let m = p.bytes;
    let code = u8_at(m, 0)?;
    out!(w, "RADIUS, length: {len}\n\t");
    w.extend_from_slice(code_name(code).unwrap_or("Unknown Command").as_bytes());
    out!(w, " ({code}), id: 0x");
    put_hex(w, u8_at(m, 1)?, 2);
    w.extend_from_slice(b", Authenticator: ");
    for &b in m.get(4..HEADER_LEN).ok_or(Truncated)? {
        put_hex(w, b, 2);
    }
    attributes(w, m, len, level)
}

/// The attributes between the header and `len`.
fn attributes(w: &mut Vec<u8>, m: &[u8], len: usize, level: u8) -> Res<()> {
    let mut at = HEADER_LEN;
    let mut left = len.saturating_sub(HEADER_LEN);
    while left > 0 {
        if left < 2 || m.len() < at + 2 {
            w.extend_from_slice(CUT);
            return Ok(());
        }
        let (t, alen) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
        out!(
            w,
            "\n\t  {} Attribute ({t}), length: {alen}",
            attribute_name(t)
        );
        if alen < 2 {
            w.extend_from_slice(b" (bogus, must be >= 2)");
            return Ok(());
        }
        if alen > left {
            w.extend_from_slice(b" (bogus, goes past end of packet)");
            return Ok(());
        }
        w.extend_from_slice(b", Value: ");
        if alen > 2 {
            value(w, m, t, at + 2, alen - 2)?;
        }
        if level > 1 {
            // What was captured of the value, in hex.
            let end = (at + alen).min(m.len());
            put_hex_dump(w, m.get(at + 2..end).unwrap_or(&[]), b"\n\t    ");
        }
        left -= alen;
        at += alen;
    }
    Ok(())
}

/// Whether `n` bytes from `at` were captured; when not, the value's
/// printer says so and the walk goes on.
fn captured(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> bool {
    let whole = m.len() >= at + n;
    if !whole {
        w.extend_from_slice(CUT);
    }
    whole
}

/// One attribute's value: `n` bytes from `at`.
fn value(w: &mut Vec<u8>, m: &[u8], t: u8, at: usize, n: usize) -> Res<()> {
    match attribute_print(t) {
        Print::None => Ok(()),
        Print::Text => text(w, m, t, at, n),
        Print::Number => number(w, m, t, at, n),
        Print::Address => address(w, m, t, at, n),
        Print::Address6 => fixed_len(w, n, 16, |w| {
            put_ipv6(w, &bytes_at(m, at)?);
            Ok(())
        }),
        Print::Prefix6 => prefix6(w, m, at, n),
        Print::Time => fixed_len(w, n, 4, |w| {
            time(w, u32_at(m, at)?);
            Ok(())
        }),
        Print::Vendor => vendor(w, m, at, n),
        Print::Odd => odd(w, m, t, at, n),
        Print::Features64 => fixed_len(w, n, 8, |w| features64(w, m, at)),
        Print::HomeLinkPrefix => home_link_prefix(w, m, at, n),
        Print::OperatorName => operator_name(w, m, at, n),
        Print::LocationInfo => location_info(w, m, at, n),
        Print::LocationData => location_data(w, m, at, n),
        Print::LocationRules => location_rules(w, m, at, n),
    }
}

/// `ERROR: length N != WANT` unless the value is `want` bytes long.
fn fixed_len(
    w: &mut Vec<u8>,
    n: usize,
    want: usize,
    print: impl FnOnce(&mut Vec<u8>) -> Res<()>,
) -> Res<()> {
    if n != want {
        out!(w, "ERROR: length {n} != {want}");
        return Ok(());
    }
    print(w)
}

/// A string: some types begin with a tag (tunnels) or a VLAN's tagging;
/// then the characters up to a NUL, unprintable ones as `.`.
fn text(w: &mut Vec<u8>, m: &[u8], t: u8, mut at: usize, mut n: usize) -> Res<()> {
    if !captured(w, m, at, n) {
        return Ok(());
    }
    match t {
        69 => {
            if n < 3 {
                w.extend_from_slice(CUT);
                return Ok(());
            }
            put_tag(w, u8_at(m, at)?, true);
            out!(w, "Salt {} ", u16_at(m, at + 1)?);
            (at, n) = (at + 3, n - 3);
        }
        66 | 67 | 81 | 82 | 90 | 91 => {
            let tag = u8_at(m, at)?;
            if tag <= 0x1f {
                put_tag(w, tag, false);
                (at, n) = (at + 1, n - 1);
            }
        }
        58 => {
            put_vlan_tagging(w, u8_at(m, at)?);
            (at, n) = (at + 1, n - 1);
        }
        79 => return eap(w, m, at, n),
        _ => {}
    }
    for i in 0..n {
        let c = u8_at(m, at + i)?;
        if c == 0 {
            break;
        }
        put_printable(w, c);
    }
    Ok(())
}

/// `Tag[N] ` or `Tag[Unused] ` (`tag == 0`, or past 0x1f where `bounded`).
fn put_tag(w: &mut Vec<u8>, tag: u8, bounded: bool) {
    if tag == 0 || (bounded && tag > 0x1f) {
        w.extend_from_slice(b"Tag[Unused] ");
    } else {
        out!(w, "Tag[{tag}] ");
    }
}

/// RFC 4675's tagged/untagged byte: `Tagged (0x31) `.
fn put_vlan_tagging(w: &mut Vec<u8>, b: u8) {
    let name = match b {
        0x31 => "Tagged",
        0x32 => "Untagged",
        _ => "Unknown tag",
    };
    w.extend_from_slice(name.as_bytes());
    w.extend_from_slice(b" (0x");
    put_hex(w, b, 2);
    w.extend_from_slice(b") ");
}

/// A byte as tcpdump's attribute strings show it: printable ASCII as
/// is, anything else `.`.
fn put_printable(w: &mut Vec<u8>, c: u8) {
    w.push(if (0x20..0x7f).contains(&c) { c } else { b'.' });
}

/// A 32-bit number: an enumeration's name (`#N` past its table), a
/// duration, a tagged tunnel value, or the number. A tagged value's tag
/// is read (and printed) before the rest, as tcpdump does.
fn number(w: &mut Vec<u8>, m: &[u8], t: u8, at: usize, n: usize) -> Res<()> {
    if n != 4 {
        out!(w, "ERROR: length {n} != 4");
        return Ok(());
    }
    let tagged = |w: &mut Vec<u8>, put: fn(&mut Vec<u8>, u8)| -> Res<u32> {
        put(w, u8_at(m, at)?);
        Ok(u32::from(u8_at(m, at + 1)?) << 16 | u32::from(u16_at(m, at + 2)?))
    };
    let tunnel_tag = |w: &mut Vec<u8>, tag: u8| put_tag(w, tag, false);
    if let Some(names) = enum_name(t) {
        let v = if matches!(t, 64 | 65) {
            tagged(w, tunnel_tag)?
        } else {
            u32_at(m, at)?
        };
        match names(v) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "#{v}"),
        }
        return Ok(());
    }
    match t {
        83 | 56 => {
            let put = if t == 83 {
                tunnel_tag
            } else {
                put_vlan_tagging
            };
            let v = tagged(w, put)?;
            put_num(w, v);
        }
        _ => {
            let v = u32_at(m, at)?;
            match (t, v) {
                (23, 0xffff_fffe) => w.extend_from_slice(b"NAS Select"),
                (27 | 28 | 41 | 46 | 85, _) => put_duration(w, v),
                (37, 0) => w.extend_from_slice(b"Unnumbered"),
                (38, 0) => w.extend_from_slice(b"NAS assigned"),
                _ => put_num(w, v),
            }
        }
    }
    Ok(())
}

/// `05 secs`, `01:05 min`, `01:01:05 hours`.
fn put_duration(w: &mut Vec<u8>, secs: u32) {
    if secs < 60 {
        out!(w, "{secs:02} secs");
    } else if secs < 3600 {
        out!(w, "{:02}:{:02} min", secs / 60, secs % 60);
    } else {
        out!(
            w,
            "{:02}:{:02}:{:02} hours",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        );
    }
}

/// An IPv4 address; a framed or login host may be `User Selected` or
/// `NAS Select` instead.
fn address(w: &mut Vec<u8>, m: &[u8], t: u8, at: usize, n: usize) -> Res<()> {
    fixed_len(w, n, 4, |w| {
        let v = u32_at(m, at)?;
        match (t, v) {
            (8 | 14, 0xffff_ffff) => w.extend_from_slice(b"User Selected"),
            (8 | 14, 0xffff_fffe) => w.extend_from_slice(b"NAS Select"),
            _ => out!(w, "{}", std::net::Ipv4Addr::from(v)),
        }
        Ok(())
    })
}

/// An IPv6 prefix: reserved byte, length, then as many address bytes as
/// the attribute holds (`2001:db8::/32`).
fn prefix6(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    if !(2..=18).contains(&n) {
        out!(w, "ERROR: length {n} not in range (2..18)");
        return Ok(());
    }
    if !captured(w, m, at, n) {
        return Ok(());
    }
    let bits = u8_at(m, at + 1)?;
    if bits > 128 {
        out!(w, "ERROR: netmask {bits} not in range (0..128)");
        return Ok(());
    }
    let mut a = [0u8; 16];
    for (i, b) in a.iter_mut().enumerate().take(n - 2) {
        *b = u8_at(m, at + 2 + i)?;
    }
    put_ipv6(w, &a);
    out!(w, "/{bits}");
    if usize::from(bits) > 8 * (n - 2) {
        w.extend_from_slice(b" (inconsistent prefix length)");
    }
    Ok(())
}

/// Seconds since 1970 as C's `ctime` writes them in the local time zone
/// (`Thu Jan  1 00:02:46 1970`), as tcpdump does.
fn time(w: &mut Vec<u8>, secs: u32) {
    if let Some(s) = crate::sys::localtime::strftime("%a %b %e %H:%M:%S %Y", i64::from(secs)) {
        w.extend_from_slice(s.as_bytes());
    }
}

/// `Vendor: Cisco (9)`, then each sub-attribute (type, length, value as
/// characters) on a line of its own.
fn vendor(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut n: usize) -> Res<()> {
    if n < 4 {
        w.extend_from_slice(CUT);
        return Ok(());
    }
    let id = u32_at(m, at)?;
    out!(
        w,
        "Vendor: {} ({id})",
        tok(SMI_VENDORS, id).unwrap_or("Unknown")
    );
    (at, n) = (at + 4, n - 4);
    while n >= 2 {
        let (t, vlen) = (u8_at(m, at)?, usize::from(u8_at(m, at + 1)?));
        if vlen < 2 {
            out!(
                w,
                "\n\t    Vendor Attribute: {t}, Length: {vlen} (bogus, must be >= 2)"
            );
            return Ok(());
        }
        if vlen > n {
            out!(
                w,
                "\n\t    Vendor Attribute: {t}, Length: {vlen} (bogus, goes past end of vendor-specific attribute)"
            );
            return Ok(());
        }
        let (vat, vlen) = (at + 2, vlen - 2);
        n -= 2;
        if !captured(w, m, vat, vlen) {
            return Ok(());
        }
        out!(w, "\n\t    Vendor Attribute: {t}, Length: {vlen}, Value: ");
        for i in 0..vlen {
            put_printable(w, u8_at(m, vat + i)?);
        }
        (at, n) = (vat + vlen, n - vlen);
    }
    Ok(())
}

/// `n` bytes from `at` in upper-case hex (ARAP's values); tcpdump reads
/// them unchecked, so a cut one ends the line.
fn put_upper_hex(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        out!(w, "{:02X}", u8_at(m, at + i)?);
    }
    Ok(())
}

/// ARAP's password, features and challenge response, and Error-Cause.
fn odd(w: &mut Vec<u8>, m: &[u8], t: u8, at: usize, n: usize) -> Res<()> {
    match t {
        70 => fixed_len(w, n, 16, |w| {
            w.extend_from_slice(b"User_challenge (");
            put_upper_hex(w, m, at, 8)?;
            w.extend_from_slice(b") User_resp(");
            put_upper_hex(w, m, at + 8, 8)?;
            w.push(b')');
            Ok(())
        }),
        71 => fixed_len(w, n, 14, |w| {
            let can = if u8_at(m, at)? != 0 { "can" } else { "cannot" };
            out!(w, "User {can} change password");
            out!(w, ", Min password length: {}", u8_at(m, at + 1)?);
            for (i, what) in ["created at", "expires in", "Current Time"]
                .iter()
                .enumerate()
            {
                out!(w, ", {what}: ");
                put_upper_hex(w, m, at + 2 + 4 * i, 4)?;
            }
            Ok(())
        }),
        84 => {
            if n < 8 {
                out!(w, "ERROR: length {n} != 8");
            } else {
                put_upper_hex(w, m, at, 8)?;
            }
            Ok(())
        }
        _ => {
            if n != 4 {
                out!(w, "Error: length {n} != 4");
                return Ok(());
            }
            let cause = u32_at(m, at)?;
            out!(w, "Error cause {cause}: ");
            match tok(super::values::ERROR_CAUSES, cause) {
                Some(name) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "Error-Cause {cause} not known"),
            }
            Ok(())
        }
    }
}

/// MIP6-Feature-Vector: the names of the set bits, `[A, B]`.
fn features64(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    w.push(b'[');
    let v = u64::from(u32_at(m, at)?) << 32 | u64::from(u32_at(m, at + 4)?);
    let mut sep = "";
    for (bit, name) in super::values::MIP6_FEATURES {
        if v & bit != 0 {
            out!(w, "{sep}{name}");
            sep = ", ";
        }
    }
    w.push(b']');
    Ok(())
}

/// MIP6-Home-Link-Prefix: prefix length, then a whole address.
fn home_link_prefix(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    fixed_len(w, n, 17, |w| {
        if !captured(w, m, at, n) {
            return Ok(());
        }
        let bits = u8_at(m, at)?;
        if bits > 128 {
            out!(w, "ERROR: netmask {bits} not in range (0..128)");
            return Ok(());
        }
        put_ipv6(w, &bytes_at(m, at + 1)?);
        out!(w, "/{bits}");
        Ok(())
    })
}

/// `n` bytes from `at` with tcpdump's escapes (`nd_printn`).
fn put_escaped(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        put_char(w, u8_at(m, at + i)?);
    }
    Ok(())
}

/// Whether a value tcpdump checks first was captured whole and is at
/// least `min` bytes long; when not, what tcpdump says instead.
fn checked(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize, min: usize) -> bool {
    if !captured(w, m, at, n) {
        return false;
    }
    if n < min {
        out!(w, "ERROR: length {n} < {min}");
        return false;
    }
    true
}

/// Operator-Name: `[REALM] example.net`.
fn operator_name(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    if !checked(w, m, at, n, 2) {
        return Ok(());
    }
    let space = u8_at(m, at)?;
    match space {
        0x30 => w.extend_from_slice(b"[TADIG] "),
        0x31 => w.extend_from_slice(b"[REALM] "),
        0x32 => w.extend_from_slice(b"[E212] "),
        0x33 => w.extend_from_slice(b"[ICC] "),
        _ => out!(w, "[unknown namespace {space}] "),
    }
    put_escaped(w, m, at + 1, n - 1)
}

/// Location-Information (RFC 5580): index, code, entity, two NTP times
/// and the method.
fn location_info(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    if !checked(w, m, at, n, 21) {
        return Ok(());
    }
    let (index, code, entity) = (u16_at(m, at)?, u8_at(m, at + 2)?, u8_at(m, at + 3)?);
    out!(w, "index {index}, code ");
    match code {
        0 => w.extend_from_slice(b"Civic"),
        1 => w.extend_from_slice(b"Geospatial"),
        _ => out!(w, "Unknown ({code})"),
    }
    w.extend_from_slice(b", entity ");
    match entity {
        0 => w.extend_from_slice(b"User"),
        1 => w.extend_from_slice(b"RADIUS"),
        _ => out!(w, "Unknown ({entity})"),
    }
    w.extend_from_slice(b", sighting time ");
    put_timestamp(w, ntp_at(m, at + 4)?);
    w.extend_from_slice(b", time to live ");
    put_timestamp(w, ntp_at(m, at + 12)?);
    w.extend_from_slice(b", method \"");
    put_escaped(w, m, at + 20, n - 20)?;
    w.push(b'"');
    Ok(())
}

fn ntp_at(m: &[u8], at: usize) -> Res<u64> {
    Ok(u64::from(u32_at(m, at)?) << 32 | u64::from(u32_at(m, at + 4)?))
}

/// Location-Data: the index, then the location in hex and ASCII.
fn location_data(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    if !checked(w, m, at, n, 3) {
        return Ok(());
    }
    out!(w, "index {}, location", u16_at(m, at)?);
    put_hex_ascii(w, m, at + 2, n - 2, "\n\t    ")
}

/// Basic-Location-Policy-Rules: flags, retention time, note well.
fn location_rules(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    if !checked(w, m, at, n, 10) {
        return Ok(());
    }
    w.extend_from_slice(b"flags [");
    put_bits_sep(
        w,
        super::values::POLICY_FLAGS,
        u32::from(u16_at(m, at)?),
        "none",
        ", ",
    );
    w.extend_from_slice(b"], retention expires ");
    put_timestamp(w, ntp_at(m, at + 2)?);
    if n > 10 {
        w.extend_from_slice(b", note well \"");
        put_escaped(w, m, at + 10, n - 10)?;
        w.push(b'"');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::dissect::radius::RADIUS;

    fn message(attrs: &[u8]) -> Vec<u8> {
        let mut m = vec![1, 0x2a, 0, 20 + attrs.len() as u8];
        m.extend(0..16u8);
        m.extend_from_slice(attrs);
        m
    }

    fn printed(m: &[u8], keep: usize, level: u8) -> String {
        RADIUS.printed_cut(m, keep, level)
    }

    #[test]
    fn test_attribute_lines() {
        let m = message(b"\x01\x07steve\x05\x06\x00\x00\x00\x03\x1b\x06\x00\x00\x0e\x8d");
        assert_eq!(
            printed(&m, m.len(), 1),
            "RADIUS, length: 39\n\tAccess-Request (1), id: 0x2a, Authenticator: \
             000102030405060708090a0b0c0d0e0f\
             \n\t  User-Name Attribute (1), length: 7, Value: steve\
             \n\t  NAS-Port Attribute (5), length: 6, Value: 3\
             \n\t  Session-Timeout Attribute (27), length: 6, Value: 01:02:05 hours"
        );
        assert!(printed(&m, m.len(), 2).contains("steve\n\t    0x0000:  7374 6576 65\n"));
    }

    #[test]
    fn test_truncated() {
        let m = message(b"\x01\x07steve\x05\x06\x00\x00\x00\x03");
        // A string the capture cut says so and the walk goes on; a number
        // the capture cut ends the line.
        assert!(printed(&m, 23, 1).ends_with("Value:  [|radius] [|radius]"));
        assert!(printed(&m, m.len() - 1, 1).ends_with("Value:  [|radius]"));
        for keep in 0..20 {
            assert_eq!(printed(&m, keep, 1), " [|radius]");
        }
    }

    #[test]
    fn test_malformed_attribute_lengths() {
        let m = message(b"\x01\x01");
        assert!(printed(&m, m.len(), 1).ends_with("length: 1 (bogus, must be >= 2)"));
        let m = message(b"\x01\x09ab");
        assert!(printed(&m, m.len(), 1).ends_with("length: 9 (bogus, goes past end of packet)"));
        let m = message(b"\x1a\x0a\x00\x00\x00\x09\x01\x09ab");
        assert!(printed(&m, m.len(), 1).ends_with(
            "Vendor: Cisco (9)\n\t    Vendor Attribute: 1, Length: 9 (bogus, goes past end of vendor-specific attribute)"
        ));
    }
}
