//! PPP's control protocols under `-v` (RFC 1661 and the protocols that
//! share its packet format): the encoded length, then per code what
//! tcpdump's `handle_ctrl_proto` prints — the option lists of LCP, IPCP,
//! IPV6CP, CCP and BACP (`MRU Option (0x01), length 4: 1492`), Echo's
//! magic number, Protocol-Reject's protocol — and under `-vv` the hex of
//! each option. Kept apart from `ppp.rs`, which frames PPP and prints
//! the default lines.
//!
//! tcpdump ends such a printer in two ways, both kept: a check that fails
//! prints `[|lcp]` (or the protocol's own word) and ends the message
//! quietly; a read past the capture without a check jumps out and the
//! frame's printer marks ` [|ppp]` (an `Err` here).

use super::super::ctl::{ipv4_at, out, put_mac, tok, unknown_data};
use super::super::dns::text::put_chars;
use super::super::lldp::OUIS;
use super::super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};

/// What an option's printer did with the option's value: shown, left
/// to the hex dump, or ended the option early (going on by so many
/// bytes, 0: stop the list); or shown with `-vv`'s dump starting
/// elsewhere (after IP header compression's suboptions).
enum Shown {
    Value,
    Undecoded,
    Advance(usize),
    DumpFrom(usize),
}

/// A value printer: the option at `at` in the message `m` (from its code
/// byte), `len` bytes long.
type ValueFn = fn(&mut Vec<u8>, &[u8], usize, usize) -> Res<Shown>;

/// A control protocol's options as tcpdump prints them: the word in its
/// cut mark, the options' names, the word for one it does not name
/// (empty: LCP's own line for it) and the value printer.
struct CpOptions {
    mark: &'static str,
    name: fn(u8) -> Option<std::borrow::Cow<'static, str>>,
    unknown: &'static str,
    value: ValueFn,
}

/// Each control protocol whose options tcpdump prints, by PPP protocol.
static OPTIONS: [(u16, CpOptions); 5] = [
    (0xc021, CpOptions::new("lcp", lcp_name, "", lcp_value)),
    (
        0x8021,
        CpOptions::new("ipcp", |o| named(IPCP_OPTIONS, o), "unknown", ipcp_value),
    ),
    (
        0x8057,
        CpOptions::new(
            "ip6cp",
            |o| named(&[(1, "Interface-ID")], o),
            "unknown",
            ip6cp_value,
        ),
    ),
    (
        0x80fd,
        CpOptions::new("ccp", |o| named(CCP_OPTIONS, o), "Unknown", ccp_value),
    ),
    (
        0xc02b,
        CpOptions::new(
            "bacp",
            |o| named(&[(1, "Favored-Peer")], o),
            "Unknown",
            bacp_value,
        ),
    ),
];

impl CpOptions {
    const fn new(
        mark: &'static str,
        name: fn(u8) -> Option<std::borrow::Cow<'static, str>>,
        unknown: &'static str,
        value: ValueFn,
    ) -> CpOptions {
        CpOptions {
            mark,
            name,
            unknown,
            value,
        }
    }
}

/// The options of a control protocol, when tcpdump prints them.
fn options_of(proto: u16) -> Option<&'static CpOptions> {
    OPTIONS.iter().find(|(p, _)| *p == proto).map(|(_, o)| o)
}

/// A name from a `tok2str` table, for [`CpOptions::name`].
fn named(table: &'static [(u8, &'static str)], opt: u8) -> Option<std::borrow::Cow<'static, str>> {
    tok(table, opt).map(std::borrow::Cow::Borrowed)
}

/// One option of `o`: its header line, its value, `-vv`'s dump; the
/// bytes to go on by (0: stop). `length` is the message's encoded
/// length (tcpdump hands each option printer that, not what is left).
fn print_option(
    w: &mut Vec<u8>,
    (m, at): (&[u8], usize),
    length: usize,
    v: u8,
    o: &CpOptions,
) -> Res<usize> {
    let Some((opt, len)) = option_head(w, m, at, length, o.mark) else {
        return Ok(0);
    };
    let name = match (o.name)(opt) {
        Some(name) => name,
        None if o.unknown.is_empty() => {
            out!(w, "\n\tunknown LCP option 0x{opt:02x}");
            return Ok(if len < 2 { 0 } else { len });
        }
        None => std::borrow::Cow::Borrowed(o.unknown),
    };
    if !option_line(w, &name, opt, len) {
        return Ok(0);
    }
    let dump_at = match (o.value)(w, m, at, len)? {
        Shown::Advance(n) => return Ok(n),
        Shown::Undecoded => {
            undecoded(w, m, at, len, v);
            at
        }
        Shown::Value => at,
        Shown::DumpFrom(from) => from,
    };
    value_dump(w, m, dump_at, len, v)
}

/// What follows a control message's `id 1, length 16` under `-v`. `m`
/// starts at the code; `pre` is the frame from two bytes before it (the
/// protocol field, which `-vv` dumps with the header); `length` the
/// message's bytes on the wire; `name` the protocol's word for its cut
/// mark.
pub(super) fn write_verbose(
    w: &mut Vec<u8>,
    proto: u16,
    (m, pre): (&[u8], &[u8]),
    length: usize,
    verbose: u8,
    name: &str,
) -> Res<()> {
    let len = usize::from(u16_at(m, 2)?);
    if len < 4 {
        out!(w, "\n\tencoded length {len} (< 4))");
        return Ok(());
    }
    if len > length {
        out!(w, "\n\tencoded length {len} (> packet length {length}))");
        return Ok(());
    }
    out!(
        w,
        "\n\tencoded length {len} (=Option(s) length {})",
        len - 4
    );
    if len == 4 {
        return Ok(());
    }
    if verbose > 1 {
        unknown_data(w, pre, 0, "\n\t", 6);
    }
    let magic = |w: &mut Vec<u8>| -> Res<()> {
        out!(w, "\n\t  Magic-Num 0x{:08x}", u32_at(m, 4)?);
        Ok(())
    };
    match u8_at(m, 0)? {
        0 if len >= 11 => {
            magic(w)?;
            put_vendor(w, m, 8, " Vendor")?;
        }
        1..=4 => {
            if let Some(option) = options_of(proto) {
                option_list(w, m, len, verbose, option)?;
            }
        }
        8 if len >= 6 => {
            let p = u16_at(m, 4)?;
            let pname = super::ppp_payload::type_name(p).unwrap_or("unknown");
            out!(w, "\n\t  Rejected {pname} Protocol (0x{p:04x})");
            if len > 6 {
                w.extend_from_slice(b"\n\t  Rejected Packet");
                unknown_data(w, m, 6, "\n\t    ", len - 2);
            }
        }
        9..=11 if len >= 8 => {
            magic(w)?;
            if len > 8 {
                w.extend_from_slice(b"\n\t  -----trailing data-----");
                if m.len() < len {
                    out!(w, "[|{name}]");
                    return Ok(());
                }
                unknown_data(w, m, 8, "\n\t  ", len - 8);
            }
        }
        12 if len >= 8 => {
            magic(w)?;
            if len > 8 {
                w.extend_from_slice(b"\n\t  Message\n\t    ");
                // tcpdump prints four bytes more than the message holds.
                if put_chars(w, m, 8, len - 4).is_err() {
                    out!(w, "[|{name}]");
                }
            }
        }
        13 if len >= 12 => {
            magic(w)?;
            out!(w, ", Seconds-Remaining {}s", u32_at(m, 8)?);
        }
        0 | 8..=13 => {}
        5..=7 => {}
        _ if verbose <= 1 => unknown_data(w, pre, 0, "\n\t  ", len + 2),
        _ => {}
    }
    Ok(())
}

/// `: Vendor: Cisco (12)`-style words for the OUI at `at`, after `label`.
fn put_vendor(w: &mut Vec<u8>, m: &[u8], at: usize, label: &str) -> Res<()> {
    let oui = u32::from(u8_at(m, at)?) << 16 | u32::from(u16_at(m, at + 1)?);
    let name = tok(OUIS, oui).unwrap_or("Unknown");
    out!(w, "{label}: {name} ({oui})");
    Ok(())
}

/// A Configure message's options, each by `option`, while the encoded
/// length lasts.
fn option_list(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8, option: &CpOptions) -> Res<()> {
    let mut left = len - 4;
    let mut at = 4;
    while left != 0 {
        let advance = print_option(w, (m, at), len, v, option)?;
        if advance == 0 {
            break;
        }
        if left < advance {
            out!(
                w,
                " [remaining options length {left} < {advance}] (invalid)"
            );
            break;
        }
        left -= advance;
        at += advance;
    }
    Ok(())
}

/// An option's type and length, when tcpdump goes on to print it: `None`
/// (stop) when fewer than two bytes are left by its count, or the length
/// runs past it; its cut mark when the two bytes are not captured.
fn option_head(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    length: usize,
    mark: &str,
) -> Option<(u8, usize)> {
    if length < 2 {
        return None;
    }
    let (Ok(opt), Ok(len)) = (u8_at(m, at), u8_at(m, at + 1)) else {
        out!(w, "[|{mark}]");
        return None;
    };
    let len = usize::from(len);
    (length >= len).then_some((opt, len))
}

/// `\n\t  NAME Option (0x01), length 4`, with tcpdump's complaint when
/// the length cannot hold the option's own header (then: stop).
fn option_line(w: &mut Vec<u8>, name: &str, opt: u8, len: usize) -> bool {
    out!(w, "\n\t  {name} Option (0x{opt:02x}), length {len}");
    if len < 2 {
        w.extend_from_slice(b" (length bogus, should be >= 2)");
        return false;
    }
    true
}

/// ` (length bogus, should be = 4)` and how far tcpdump then goes on.
fn bogus(w: &mut Vec<u8>, rel: &str, want: usize, advance: usize) -> Res<Shown> {
    out!(w, " (length bogus, should be {rel} {want})");
    Ok(Shown::Advance(advance))
}

/// The end of every option printer: under `-vv` the option's value in
/// hex, and its length to go on by.
fn value_dump(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) -> Res<usize> {
    if v > 1 {
        unknown_data(w, m, at + 2, "\n\t    ", len - 2);
    }
    Ok(len)
}

/// An option tcpdump does not decode: its value in hex below `-vv`
/// (where [`value_dump`] prints it anyway).
fn undecoded(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) {
    if v < 2 {
        unknown_data(w, m, at + 2, "\n\t    ", len - 2);
    }
}

/// LCP's option names, by number.
const LCP_OPTIONS: &str = "Vend-Ext MRU ACCM Auth-Prot Qual-Prot Magic-Num deprecated(6) PFC ACFC \
     FCS-Alt SDP Num-Mode deprecated(12) Call-Back deprecated(14) deprecated(15) deprecated(16) \
     MRRU 12-Bit_seq_# End-Disc Proprietary DCE-Id MP+ Link-Disc LCP-Auth-Opt COBS \
     Prefix-elision Multilink-header-Form I18N SDL-over-SONET/SDH PPP-Muxing";

fn lcp_name(opt: u8) -> Option<std::borrow::Cow<'static, str>> {
    super::super::word(LCP_OPTIONS, usize::from(opt)).map(|n| n.replace('_', " ").into())
}

fn lcp_value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<Shown> {
    let opt = u8_at(m, at)?;
    let u16_val = || u16_at(m, at + 2);
    let u32_val = || u32_at(m, at + 2);
    match opt {
        0 if len < 6 => return bogus(w, ">=", 6, len),
        0 => put_vendor(w, m, at + 2, ": Vendor")?,
        1 if len != 4 => return bogus(w, "=", 4, len),
        1 => out!(w, ": {}", u16_val()?),
        2 if len != 6 => return bogus(w, "=", 6, len),
        2 => out!(w, ": 0x{:08x}", u32_val()?),
        3 if len < 4 => return bogus(w, ">=", 4, len),
        3 => {
            let p = u16_val()?;
            let pname = super::ppp_payload::type_name(p).unwrap_or("Unknown Auth Proto (0x04x)");
            out!(w, ": {pname}");
            match p {
                0xc223 => {
                    let alg = u8_at(m, at + 4)?;
                    match tok(&[(5, "MD5"), (128, "MS-CHAPv1"), (129, "MS-CHAPv2")], alg) {
                        Some(a) => out!(w, ", {a}"),
                        None => out!(w, ", Unknown Auth Alg {alg}"),
                    }
                }
                0xc023 | 0xc227 | 0xc027 | 0xc123 => {}
                _ => unknown_data(w, m, at, "\n\t", len),
            }
        }
        4 if len < 4 => return bogus(w, ">=", 4, 0),
        4 if u16_val()? == 0xc025 => w.extend_from_slice(b": LQR"),
        4 => w.extend_from_slice(b": unknown"),
        5 if len != 6 => return bogus(w, "=", 6, 0),
        5 => out!(w, ": 0x{:08x}", u32_val()?),
        7 | 8 => {}
        23 if len != 4 => return bogus(w, "=", 4, 0),
        23 => out!(w, ": 0x{:04x}", u16_val()?),
        13 if len < 3 => return bogus(w, ">=", 3, 0),
        13 => {
            w.extend_from_slice(b": ");
            let op = u8_at(m, at + 2)?;
            const CALLBACK: &[(u8, &str)] = &[
                (0, "UserAuth"),
                (1, "DialString"),
                (2, "LocalID"),
                (3, "E.164"),
                (4, "X.500"),
                (6, "CBCP"),
            ];
            let word = tok(CALLBACK, op).unwrap_or("Unknown");
            out!(w, ": Callback Operation {word} ({op})");
        }
        17 if len != 4 => return bogus(w, "=", 4, 0),
        17 => out!(w, ": {}", u16_val()?),
        19 if len < 3 => return bogus(w, ">=", 3, 0),
        19 => match u8_at(m, at + 2)? {
            0 => w.extend_from_slice(b": Null"),
            1 => w.extend_from_slice(b": Local"),
            2 if len != 7 => return bogus(w, "=", 7, 0),
            2 => out!(w, ": IPv4 {}", ipv4_at(m, at + 3)?),
            3 if len != 9 => return bogus(w, "=", 9, 0),
            3 => {
                let mac = bytes_at::<6>(m, at + 3)?;
                w.extend_from_slice(b": MAC ");
                put_mac(w, &mac);
            }
            4 => w.extend_from_slice(b": Magic-Num-Block"),
            5 => w.extend_from_slice(b": PSNDN"),
            class => out!(w, ": Unknown class {class}"),
        },
        _ => return Ok(Shown::Undecoded),
    }
    Ok(Shown::Value)
}

const IPCP_OPTIONS: &[(u8, &str)] = &[
    (1, "IP-Addrs"),
    (2, "IP-Comp"),
    (3, "IP-Addr"),
    (4, "Home-Addr"),
    (129, "Pri-DNS"),
    (130, "Pri-NBNS"),
    (131, "Sec-DNS"),
    (132, "Sec-NBNS"),
];

/// IP header compression's option (RFC 3544) is at least this long.
const IPHC_MIN: usize = 14;

fn ipcp_value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<Shown> {
    let opt = u8_at(m, at)?;
    match opt {
        1 if len != 10 => return bogus(w, "=", 10, len),
        1 => out!(
            w,
            ": src {}, dst {}",
            ipv4_at(m, at + 2)?,
            ipv4_at(m, at + 6)?
        ),
        2 if len < 4 => return bogus(w, ">=", 4, 0),
        2 => {
            let comp = u16_at(m, at + 2)?;
            let cname = tok(&[(0x2d, "VJ-Comp"), (0x61, "IP Header Compression")], comp);
            out!(w, ": {} (0x{comp:02x}):", cname.unwrap_or("Unknown"));
            if comp == 0x61 {
                if len < IPHC_MIN {
                    return bogus(w, ">=", IPHC_MIN, 0);
                }
                if m.len() < at + 2 + IPHC_MIN {
                    w.extend_from_slice(b"[|ipcp]");
                    return Ok(Shown::Advance(0));
                }
                out!(
                    w,
                    "\n\t    TCP Space {}, non-TCP Space {}, maxPeriod {}, maxTime {}, maxHdr {}",
                    u16_at(m, at + 4)?,
                    u16_at(m, at + 6)?,
                    u16_at(m, at + 8)?,
                    u16_at(m, at + 10)?,
                    u16_at(m, at + 12)?
                );
                if len > IPHC_MIN {
                    // tcpdump's `-vv` dump then starts where the
                    // suboptions' walk stopped.
                    let Some(end) = iphc_suboptions(w, m, at + IPHC_MIN, len - IPHC_MIN) else {
                        return Ok(Shown::Advance(0));
                    };
                    return Ok(Shown::DumpFrom(end));
                }
            }
        }
        3 | 4 | 129..=132 if len != 6 => return bogus(w, "=", 6, 0),
        3 | 4 | 129..=132 => out!(w, ": {}", ipv4_at(m, at + 2)?),
        _ => return Ok(Shown::Undecoded),
    }
    Ok(Shown::Value)
}

/// IP header compression's suboptions from `at`; where the walk stopped,
/// or `None` where the capture cut them (tcpdump's mark printed, the
/// option list ends).
fn iphc_suboptions(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut left: usize) -> Option<usize> {
    out!(w, "\n\t      Suboptions, length {left}");
    while left >= 2 {
        let (Ok(sub), Ok(sub_len)) = (u8_at(m, at), u8_at(m, at + 1)) else {
            w.extend_from_slice(b"[|ipcp]");
            return None;
        };
        if sub == 0 || sub_len == 0 {
            break;
        }
        let sname = tok(
            &[(1, "RTP-Compression"), (2, "Enhanced RTP-Compression")],
            sub,
        );
        out!(
            w,
            "\n\t\t{} Suboption #{sub}, length {sub_len}",
            sname.unwrap_or("Unknown")
        );
        let sub_len = usize::from(sub_len);
        if left < sub_len {
            out!(
                w,
                " [remaining suboptions length {left} < {sub_len}] (invalid)"
            );
            break;
        }
        left -= sub_len;
        at += sub_len;
    }
    Some(at)
}

fn ip6cp_value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<Shown> {
    let opt = u8_at(m, at)?;
    match opt {
        1 if len != 10 => return bogus(w, "=", 10, len),
        1 => {
            if m.len() < at + 10 {
                w.extend_from_slice(b"[|ip6cp]");
                return Ok(Shown::Advance(0));
            }
            // Four groups of hex, like half an IPv6 address.
            for (i, off) in [2, 4, 6, 8].into_iter().enumerate() {
                w.extend_from_slice(if i == 0 { b": " } else { b":" });
                out!(w, "{:04x}", u16_at(m, at + off)?);
            }
        }
        _ => return Ok(Shown::Undecoded),
    }
    Ok(Shown::Value)
}

const CCP_OPTIONS: &[(u8, &str)] = &[
    (0, "OUI"),
    (1, "Pred-1"),
    (2, "Pred-2"),
    (3, "Puddle"),
    (16, "HP-PPC"),
    (17, "Stac-LZS"),
    (18, "MPPC"),
    (19, "Gand-FZA"),
    (20, "V.42bis"),
    (21, "BSD-Comp"),
    (23, "LZS-DCP"),
    (24, "MVRCA"),
    (25, "DEC"),
    (26, "Deflate"),
    (255, "Reserved"),
];

fn ccp_value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<Shown> {
    let opt = u8_at(m, at)?;
    match opt {
        21 if len < 3 => return bogus(w, ">=", 3, len),
        21 => {
            let b = u8_at(m, at + 2)?;
            out!(w, ": Version: {}, Dictionary Bits: {}", b >> 5, b & 0x1f);
        }
        24 if len < 4 => return bogus(w, ">=", 4, len),
        24 => {
            let b = u8_at(m, at + 2)?;
            let pxp = if b & 0x20 != 0 { "Enabled" } else { "Disabled" };
            out!(
                w,
                ": Features: {}, PxP: {pxp}, History: {}, #CTX-ID: {}",
                (b & 0xc0) >> 6,
                b & 0x1f,
                u8_at(m, at + 3)?
            );
        }
        26 if len < 4 => return bogus(w, ">=", 4, len),
        26 => {
            let (a, b) = (u8_at(m, at + 2)?, u8_at(m, at + 3)?);
            let method = if a & 0x0f == 8 { "zlib" } else { "unknown" };
            out!(
                w,
                ": Window: {}K, Method: {method} (0x{:x}), MBZ: {}, CHK: {}",
                (a & 0xf0) >> 4,
                a & 0x0f,
                (b & 0xfc) >> 2,
                b & 0x03
            );
        }
        _ => return Ok(Shown::Undecoded),
    }
    Ok(Shown::Value)
}

fn bacp_value(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Res<Shown> {
    let opt = u8_at(m, at)?;
    match opt {
        1 if len != 6 => return bogus(w, "=", 6, len),
        1 => out!(w, ": Magic-Num 0x{:08x}", u32_at(m, at + 2)?),
        _ => return Ok(Shown::Undecoded),
    }
    Ok(Shown::Value)
}

/// The options of a Configure message as `--json` lists them: each
/// option's type and length, as far as the message holds them.
pub(super) fn json_options(m: &[u8]) -> Vec<serde_json::Value> {
    let len = u16_at(m, 2).map_or(0, usize::from);
    let end = len.min(m.len());
    let mut list = Vec::new();
    let mut at = 4;
    while at + 2 <= end {
        let (Ok(kind), Ok(olen)) = (u8_at(m, at), u8_at(m, at + 1)) else {
            break;
        };
        list.push(serde_json::json!({"type": kind, "length": olen}));
        if olen < 2 {
            break;
        }
        at += usize::from(olen);
    }
    list
}
