//! Formatting shared by the control-protocol dissectors (IGMP, VRRP, STP,
//! LLDP, OSPF, …): addresses read from the message, tcpdump's `tok2str`
//! and `bittok2str` tables, and `printf`-style text into the line buffer.
//! Every read is bounded (a [`Truncated`] when the bytes run out).

use super::Truncated;
use super::dns::text::{put_char, put_hex_dump};
use super::wire::{Res, bytes_at, need, u8_at, u16_at};
use serde_json::{Map, Value};
use std::net::Ipv4Addr;

/// `write!` into a line buffer: writing to a `Vec` cannot fail.
macro_rules! out {
    ($w:expr, $($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!($w, $($arg)*);
    }};
}
pub(super) use out;

/// `fn line`: a default line that is the `-v` printer (`verbose` in the
/// module) at level 0, as most of tcpdump's printers are one function.
macro_rules! line_is_level_0 {
    () => {
        fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
            verbose(w, p, 0)
        }
    };
}
pub(super) use line_is_level_0;

/// What a printer of [`super::IP_LINES`] is given when it is called
/// without the IP header (through the plain table, the unit and mutation
/// tests): IPv4 between unspecified addresses, TTL 255 (the one VRRP
/// wants, so it names none).
pub(super) const NO_IP: super::IpContext = super::IpContext {
    src: std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
    dst: std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
    ttl: 255,
    default_print: true,
    ports_only: false,
};

/// `fn line` and `fn verbose` for a protocol whose printer needs the IP
/// header (`with_ip` in the module): called with [`NO_IP`].
macro_rules! lines_with_ip {
    () => {
        fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
            with_ip(w, p, &super::ctl::NO_IP, 0)
        }

        fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
            with_ip(w, p, &super::ctl::NO_IP, v)
        }
    };
}
pub(super) use lines_with_ip;

/// A dissector's `--json` object, as every dissector builds it.
pub(super) use super::{json_object, json_object_with_list};

/// The first four bytes of OSPF's and EAPOL's headers alike: version,
/// type (named from `types`) and length, into a JSON object; the type.
pub(super) fn json_head(
    o: &mut Map<String, Value>,
    m: &[u8],
    types: &[(u8, &'static str)],
) -> Res<u8> {
    o.insert("version".into(), Value::from(u8_at(m, 0)?));
    let kind = u8_at(m, 1)?;
    o.insert("type".into(), Value::from(kind));
    o.insert("type_name".into(), Value::from(tok(types, kind)));
    o.insert("length".into(), Value::from(u16_at(m, 2)?));
    Ok(kind)
}

/// The IPv4 address at `at`, dotted.
pub(super) fn ipv4_at(m: &[u8], at: usize) -> Res<Ipv4Addr> {
    bytes_at::<4>(m, at).map(Ipv4Addr::from)
}

/// `aa:bb:cc:dd:ee:ff` for the six bytes at `at`.
pub(super) fn put_mac_at(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let mac = bytes_at::<6>(m, at)?;
    put_mac(w, &mac);
    Ok(())
}

pub(super) fn put_mac(w: &mut Vec<u8>, mac: &[u8]) {
    for (i, b) in mac.iter().enumerate() {
        if i > 0 {
            w.push(b':');
        }
        out!(w, "{b:02x}");
    }
}

/// tcpdump's `tok2str`: the name of `v` in `table`, or `None`.
pub(super) fn tok<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

/// `name (v)` from `table`, or `unknown (v)`: tcpdump's `tok2str` with the
/// number after it.
pub(super) fn put_tok_num<T: PartialEq + Copy + std::fmt::Display>(
    w: &mut Vec<u8>,
    table: &[(T, &'static str)],
    v: T,
) {
    out!(w, "{} ({v})", tok(table, v).unwrap_or("unknown"));
}

/// A flag and the name tcpdump prints for it: a row of a `bittok2str`
/// table, and the constant the code tests, written once.
pub(super) type Bit = (u32, &'static str);

/// Whether `v` has `bit` set.
pub(super) fn is_set(v: impl Into<u32>, bit: Bit) -> bool {
    v.into() & bit.0 != 0
}

/// tcpdump's `bittok2str`: the names of the bits set in `v`, `, `-joined,
/// or `none_word` when none is.
pub(super) fn put_bits(w: &mut Vec<u8>, table: &[Bit], v: u32, none_word: &str) {
    put_bits_sep(w, table, v, none_word, ", ");
}

/// The same with another separator (tcpdump's `bittok2str_nosep` is `""`).
pub(super) fn put_bits_sep(w: &mut Vec<u8>, table: &[Bit], v: u32, none: &str, sep: &str) {
    let mut any = false;
    // tcpdump 4.99 prints a name when all of its bits are set: a name
    // for several bits (PTP's `unknown`, 0x18c0) only with all of them.
    for (_, name) in table.iter().filter(|(bit, _)| *bit != 0 && v & bit == *bit) {
        if any {
            w.extend_from_slice(sep.as_bytes());
        }
        w.extend_from_slice(name.as_bytes());
        any = true;
    }
    if !any {
        w.extend_from_slice(none.as_bytes());
    }
}

/// tcpdump's `nd_printjnp`: at most `n` bytes from `at`, stopping at a
/// NUL, each escaped as tcpdump escapes unprintable bytes.
pub(super) fn put_text_nul(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    for i in 0..n {
        let c = *m.get(at + i).ok_or(Truncated)?;
        if c == 0 {
            break;
        }
        put_char(w, c);
    }
    Ok(())
}

/// tcpdump's default print of bytes it does not decode (`-X`'s layout):
/// each line after `ident`, its offset, eight groups of two bytes in hex
/// padded to 40 columns, two spaces and the printable characters; `Err`
/// after the captured part when fewer than `len` bytes were captured.
pub(super) fn put_hex_ascii(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    len: usize,
    ident: &str,
) -> Res<()> {
    let avail = m.get(at..).unwrap_or(&[]);
    let take = avail.get(..len).unwrap_or(avail);
    for (line, chunk) in take.chunks(16).enumerate() {
        let mut hex = String::new();
        let mut text = String::new();
        for pair in chunk.chunks(2) {
            hex.push(' ');
            for b in pair {
                hex.push_str(&format!("{b:02x}"));
                text.push(if b.is_ascii_graphic() {
                    char::from(*b)
                } else {
                    '.'
                });
            }
        }
        out!(w, "{ident}0x{:04x}: {hex:<40}  {text}", line * 16);
    }
    if take.len() < len {
        return Err(Truncated);
    }
    Ok(())
}

/// The prefix length of a contiguous mask held in the top bits of
/// `mask` (an IPv4 mask shifted up 96 bits, or an IPv6 mask), −1 for
/// another: tcpdump's `mask2plen` and `mask62plen`.
pub(super) fn prefix_len(mask: u128) -> i32 {
    let ones = mask.leading_ones();
    if mask.checked_shl(ones).unwrap_or(0) == 0 {
        ones as i32
    } else {
        -1
    }
}

/// C's `%#0Nx` (`N` = `width`): zero-padded hex after `0x`, except
/// that zero has no `0x` (`000000` for `%#06x`).
pub(super) fn put_alt_hex(w: &mut Vec<u8>, v: u32, width: usize) {
    if v == 0 {
        out!(w, "{:0width$}", 0);
    } else {
        out!(w, "{v:#0width$x}");
    }
}

/// tcpdump's `print_unknown_data`: `n` bytes from `at` in hex, as many as
/// were captured.
pub(super) fn unknown_data(w: &mut Vec<u8>, m: &[u8], at: usize, ident: &str, n: usize) {
    let Some(avail) = m.get(at..) else {
        out!(
            w,
            "{ident}Dissector error: print_unknown_data called with pointer past end of packet"
        );
        return;
    };
    put_hex_dump(w, avail.get(..n).unwrap_or(avail), ident.as_bytes());
}

/// tcpdump's `hex_print_with_offset`: `len` bytes of `m` from `at`, two
/// to a word (the last of an odd count alone), eight words to a line that
/// starts with `ident` and its offset, counted from `offset`. It prints
/// what was captured of them (a word cut in two as its first byte) and
/// then, when that is not all, `Err` (its `longjmp`).
pub(super) fn put_hex_print(
    w: &mut Vec<u8>,
    m: &[u8],
    (at, len): (usize, usize),
    ident: &str,
    offset: usize,
) -> Res<()> {
    let captured = m.get(at..).unwrap_or_default();
    let bytes = captured.get(..len).unwrap_or(captured);
    for (i, word) in bytes.chunks(2).enumerate() {
        if i % 8 == 0 {
            out!(w, "{ident}0x{:04x}: ", offset + 16 * (i / 8));
        }
        w.push(b' ');
        for b in word {
            out!(w, "{b:02x}");
        }
    }
    if bytes.len() < len {
        return Err(Truncated);
    }
    Ok(())
}

/// tcpdump's ` (invalid)` (`nd_print_invalid`), then its check that the
/// `left` bytes from `at` were captured.
pub(super) fn invalid(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize) -> Res<()> {
    w.extend_from_slice(b" (invalid)");
    need(m, at, left)
}

/// The TLVs from `at` on whose 16-bit length counts their 4-byte header
/// (Cisco's UDLD and DTP), into `--json`: `each` is handed each TLV's
/// type, length, value as captured and whether it was captured whole,
/// and says whether to go on; then the TLV's type, name (from `names`)
/// and length join `list`. The walk ends with the message or at a length
/// under 4; `Err` where the capture ends inside a TLV's header.
pub(super) fn cisco_tlvs_json(
    list: &mut Vec<Value>,
    m: &[u8],
    mut at: usize,
    names: &[(u16, &'static str)],
    mut each: impl FnMut(u16, usize, &[u8], bool) -> bool,
) -> Res<()> {
    while at < m.len() {
        let (t, len) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if len < 4 {
            break;
        }
        let value = m.get(at + 4..).unwrap_or(&[]);
        let value = value.get(..len - 4).unwrap_or(value);
        if !each(t, len, value, value.len() == len - 4) {
            break;
        }
        list.push(serde_json::json!({"type": t, "type_name": tok(names, t), "len": len}));
        at += len;
    }
    Ok(())
}
