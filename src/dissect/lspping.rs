//! LSP ping (RFC 8029, formerly 4379: MPLS echo request and reply, UDP
//! 3503) as tcpdump 4.99 prints it. The default line is
//! `LSP-PINGv1, MPLS Echo Request, seq 7, length: 32`; `-v` gives the
//! header's fields on lines of their own and each TLV (the Target FEC
//! Stack's sub-TLVs decoded, the Downstream Mapping's addresses, the BFD
//! discriminator, the vendor), the ones it does not decode in hex; `-vv`
//! adds the hex of every TLV and sub-TLV. Under the 32-byte header the
//! message is `packet is too short`; another version than 1 is named and
//! not decoded.
//!
//! tcpdump's walk of the Target FEC Stack steps from one sub-TLV to the
//! next by its padded value alone, not its 4-byte header: after the first
//! sub-TLV it reads four bytes early (often a run of `Unknown subTLV
//! (4096), length: 0`). Its behaviour is the spec here, so the walk does
//! the same. Zeek has no analyzer for it (no `service`).

use super::bgp::put_rd;
use super::ctl::{ipv4_at, json_object_with_list, line_is_level_0, out, tok, unknown_data};
use super::ldp::PW_TYPES;
use super::ntp::put_timestamp;
use super::radius::SMI_VENDORS;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use crate::decode::ip6_text::Ip6;
use serde_json::{Map, Value, json};

pub static LSPPING: Dissector = Dissector {
    name: "lspping",
    json_key: "lspping",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= HEADER_LEN && u16_at(m, 0) == Ok(VERSION),
};

/// Version, flags, type, reply mode, codes, handle, sequence and the two
/// 64-bit NTP timestamps.
const HEADER_LEN: usize = 32;
const VERSION: u16 = 1;

const MESSAGE_TYPES: &[(u8, &str)] = &[(1, "MPLS Echo Request"), (2, "MPLS Echo Reply")];

const REPLY_MODES: &[(u8, &str)] = &[
    (1, "Do not reply"),
    (2, "Reply via an IPv4/IPv6 UDP packet"),
    (3, "Reply via an IPv4/IPv6 UDP packet with Router Alert"),
    (4, "Reply via application level control channel"),
];

const RETURN_CODES: &[&str] = &[
    "No return code or return code contained in the Error Code TLV",
    "Malformed echo request received",
    "One or more of the TLVs was not understood",
    "Replying router is an egress for the FEC at stack depth",
    "Replying router has no mapping for the FEC at stack depth",
    "Reserved",
    "Reserved",
    "Reserved",
    "Label switched at stack-depth",
    "Label switched but no MPLS forwarding at stack-depth",
    "Mapping for this FEC is not the given label at stack depth",
    "No label entry at stack-depth",
    "Protocol not associated with interface at FEC stack depth",
    "Premature termination of ping due to label stack shrinking to a single label",
];

/// The return codes whose name tcpdump follows with the subcode (a stack
/// depth).
const CODES_WITH_DEPTH: &[u8] = &[3, 4, 8, 10, 11, 12];

const TLVS: &[(u16, &str)] = &[
    (1, "Target FEC Stack"),
    (2, "Downstream Mapping"),
    (3, "Pad"),
    (9, "Error Code"),
    (5, "Vendor Enterprise Code"),
    (7, "Interface Label Stack"),
    (10, "Reply TOS Byte"),
    (15, "BFD Discriminator"),
    (0xfc00, "Vendor Private Code"),
];

const FEC_STACK: u16 = 1;
const DOWNSTREAM_MAPPING: u16 = 2;
const VENDOR_ENTERPRISE: u16 = 5;
const BFD_DISCRIMINATOR: u16 = 15;

/// The Target FEC Stack's sub-TLVs tcpdump names (11, FEC 129, it does
/// not).
const SUB_TLVS: &[(u16, &str)] = &[
    (1, "LDP IPv4 prefix"),
    (2, "LDP IPv6 prefix"),
    (3, "RSVP IPv4 Session Query"),
    (4, "RSVP IPv6 Session Query"),
    (5, "Reserved"),
    (6, "VPN IPv4 prefix"),
    (7, "VPN IPv6 prefix"),
    (8, "L2 VPN endpoint"),
    (9, "FEC 128 pseudowire (old)"),
    (10, "FEC 128 pseudowire"),
    (12, "BGP labeled IPv4 prefix"),
    (13, "BGP labeled IPv6 prefix"),
];

/// The sub-TLVs tcpdump decodes, with the one length it accepts.
const SUB_TLV_LENGTHS: &[(u16, usize)] = &[
    (1, 5),
    (12, 5),
    (2, 17),
    (13, 17),
    (3, 20),
    (4, 56),
    (6, 13),
    (7, 25),
    (8, 14),
    (9, 10),
    (10, 14),
];

/// The Downstream Mapping's address types (4, unnumbered IPv6, is
/// `IPv6` to tcpdump too).
const ADDRESS_TYPES: &[(u8, &str)] = &[
    (1, "IPv4"),
    (2, "Unnumbered IPv4"),
    (3, "IPv6"),
    (4, "IPv6"),
];

const TOO_SHORT: &[u8] = b"\n\t\t packet is too short";
const TLV_TOO_SHORT: &[u8] = b"\n\t      TLV is too short";

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, level: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < HEADER_LEN {
        w.extend_from_slice(TOO_SHORT);
        return Ok(());
    }
    need(m, 0, HEADER_LEN)?;
    let version = u16_at(m, 0)?;
    if version != VERSION {
        out!(w, "LSP-PING version {version} packet not supported");
        return Ok(());
    }
    let kind = u8_at(m, 4)?;
    if level == 0 {
        out!(w, "LSP-PINGv{version}, ");
        match tok(MESSAGE_TYPES, kind) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "unknown ({kind})"),
        }
        out!(w, ", seq {}, length: {len}", u32_at(m, 12)?);
        return Ok(());
    }
    header(w, m, len)?;
    tlvs(w, m, len, level)
}

/// The header's fields at `-v`, a line each (the timestamps share one).
fn header(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    let (kind, mode) = (u8_at(m, 4)?, u8_at(m, 5)?);
    out!(
        w,
        "\n\tLSP-PINGv{VERSION}, msg-type: {} ({kind}), length: {len}\n\t  reply-mode: {} ({mode})",
        tok(MESSAGE_TYPES, kind).unwrap_or("unknown"),
        tok(REPLY_MODES, mode).unwrap_or("unknown")
    );
    let (code, sub) = (u8_at(m, 6)?, u8_at(m, 7)?);
    let name = return_code(code);
    if CODES_WITH_DEPTH.contains(&code) {
        out!(w, "\n\t  Return Code: {name} {sub} ({code})");
    } else {
        out!(w, "\n\t  Return Code: {name} ({code})");
    }
    out!(w, "\n\t  Return Subcode: ({sub})");
    out!(
        w,
        "\n\t  Sender Handle: 0x{:08x}, Sequence: {}",
        u32_at(m, 8)?,
        u32_at(m, 12)?
    );
    w.extend_from_slice(b"\n\t  Sender Timestamp: ");
    put_timestamp(w, ntp_at(m, 16)?);
    w.extend_from_slice(b" Receiver Timestamp: ");
    match ntp_at(m, 24)? {
        0 => w.extend_from_slice(b"no timestamp"),
        t => put_timestamp(w, t),
    }
    Ok(())
}

fn return_code(code: u8) -> &'static str {
    RETURN_CODES
        .get(usize::from(code))
        .copied()
        .unwrap_or("unknown")
}

fn ntp_at(m: &[u8], at: usize) -> Res<u64> {
    Ok(u64::from(u32_at(m, at)?) << 32 | u64::from(u32_at(m, at + 4)?))
}

/// The TLVs after the header, within the length UDP declares: each
/// padded to four bytes; one that runs past the message ends the walk
/// with `packet is too short`, one cut by the capture with the mark.
fn tlvs(w: &mut Vec<u8>, m: &[u8], len: usize, level: u8) -> Res<()> {
    let (mut at, mut left) = (HEADER_LEN, len - HEADER_LEN);
    while left != 0 {
        if left < 4 {
            w.extend_from_slice(TOO_SHORT);
            return Ok(());
        }
        let (t, n) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        out!(
            w,
            "\n\t  {} TLV ({t}), length: {n}",
            tok(TLVS, t).unwrap_or("Unknown")
        );
        if n == 0 {
            at += 4;
            left -= 4;
            continue;
        }
        if left < n + 4 {
            w.extend_from_slice(TOO_SHORT);
            return Ok(());
        }
        let value = at + 4;
        need(m, value, n)?;
        let dump = match t {
            FEC_STACK => match fec_stack(w, m, value, n, level)? {
                Some(dump) => dump,
                // A sub-TLV's padding ran past the TLV: tcpdump stops.
                None => return Ok(()),
            },
            DOWNSTREAM_MAPPING => downstream_mapping(w, m, value, n)?,
            BFD_DISCRIMINATOR | VENDOR_ENTERPRISE if n < 4 => {
                w.extend_from_slice(TLV_TOO_SHORT);
                true
            }
            BFD_DISCRIMINATOR => {
                out!(w, "\n\t    BFD Discriminator 0x{:08x}", u32_at(m, value)?);
                false
            }
            VENDOR_ENTERPRISE => {
                let id = u32_at(m, value)?;
                let name = tok(SMI_VENDORS, id).unwrap_or("Unknown");
                out!(w, "\n\t    Vendor: {name} (0x{id:04x})");
                false
            }
            // Below -vv the hex of the ones tcpdump does not decode; at
            // -vv the dump every TLV gets.
            _ => level <= 1,
        };
        if level > 1 || dump {
            unknown_data(w, m, value, "\n\t    ", n);
        }
        let padded = n.next_multiple_of(4);
        if left < padded + 4 {
            w.extend_from_slice(TOO_SHORT);
            return Ok(());
        }
        at += padded + 4;
        left -= padded + 4;
    }
    Ok(())
}

/// The Target FEC Stack's sub-TLVs in the `n` bytes from `at`: whether
/// the TLV is dumped after (`TLV is too short`), or `None` when a
/// sub-TLV's padding runs past the TLV (tcpdump's printer returns).
fn fec_stack(w: &mut Vec<u8>, m: &[u8], mut at: usize, n: usize, level: u8) -> Res<Option<bool>> {
    let mut left = n;
    while left != 0 {
        if left < 4 {
            w.extend_from_slice(TLV_TOO_SHORT);
            return Ok(Some(true));
        }
        let (t, sn) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        if left < sn + 4 {
            w.extend_from_slice(TLV_TOO_SHORT);
            return Ok(Some(true));
        }
        need(m, at + 4, sn)?;
        out!(
            w,
            "\n\t    {} subTLV ({t}), length: {sn}",
            tok(SUB_TLVS, t).unwrap_or("Unknown")
        );
        let dump = sub_tlv(w, m, at + 4, t, sn)?;
        if level > 1 || dump {
            unknown_data(w, m, at + 4, "\n\t      ", sn);
        }
        let padded = sn.next_multiple_of(4);
        if left < padded + 4 {
            w.extend_from_slice(b"\n\t\t TLV is too short");
            return Ok(None);
        }
        // tcpdump's step: the padded value, not the header before it.
        at += padded;
        left -= padded + 4;
    }
    Ok(Some(false))
}

/// One sub-TLV's value (`n` bytes at `at`) in tcpdump's words; whether
/// it is dumped in hex (unknown, or not the one length tcpdump takes).
fn sub_tlv(w: &mut Vec<u8>, m: &[u8], at: usize, t: u16, n: usize) -> Res<bool> {
    let Some(&(_, want)) = SUB_TLV_LENGTHS.iter().find(|(k, _)| *k == t) else {
        return Ok(true);
    };
    if n != want {
        out!(w, "\n\t      invalid subTLV length, should be {want}");
        return Ok(true);
    }
    let v6 = |at: usize| bytes_at::<16>(m, at).map(Ip6::from);
    let pw = |w: &mut Vec<u8>, at: usize| -> Res<()> {
        let t = u16_at(m, at)?;
        out!(w, "{} ({t})", tok(PW_TYPES, t).unwrap_or("unknown"));
        Ok(())
    };
    match t {
        1 | 12 => out!(w, "\n\t      {}/{}", ipv4_at(m, at)?, u8_at(m, at + 4)?),
        2 | 13 => out!(w, "\n\t      {}/{}", v6(at)?, u8_at(m, at + 16)?),
        3 => out!(
            w,
            "\n\t      tunnel end-point {}, tunnel sender {}, lsp-id 0x{:04x}\n\t      tunnel-id 0x{:04x}, extended tunnel-id {}",
            ipv4_at(m, at)?,
            ipv4_at(m, at + 12)?,
            u16_at(m, at + 18)?,
            u16_at(m, at + 6)?,
            ipv4_at(m, at + 8)?
        ),
        4 => out!(
            w,
            "\n\t      tunnel end-point {}, tunnel sender {}, lsp-id 0x{:04x}\n\t      tunnel-id 0x{:04x}, extended tunnel-id {}",
            v6(at)?,
            v6(at + 36)?,
            u16_at(m, at + 54)?,
            u16_at(m, at + 18)?,
            v6(at + 20)?
        ),
        6 | 7 => {
            w.extend_from_slice(b"\n\t      RD: ");
            put_rd(w, m, at)?;
            if t == 6 {
                out!(w, ", {}/{}", ipv4_at(m, at + 8)?, u8_at(m, at + 12)?);
            } else {
                out!(w, ", {}/{}", v6(at + 8)?, u8_at(m, at + 24)?);
            }
        }
        8 => {
            w.extend_from_slice(b"\n\t      RD: ");
            put_rd(w, m, at)?;
            out!(
                w,
                ", Sender VE ID: {}, Receiver VE ID: {}\n\t      Encapsulation Type: ",
                u16_at(m, at + 8)?,
                u16_at(m, at + 10)?
            );
            pw(w, at + 12)?;
        }
        9 => {
            out!(
                w,
                "\n\t      Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: ",
                ipv4_at(m, at)?,
                u32_at(m, at + 4)?
            );
            pw(w, at + 8)?;
        }
        _ => {
            out!(
                w,
                "\n\t      Sender PE: {}, Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: ",
                ipv4_at(m, at)?,
                ipv4_at(m, at + 4)?,
                u32_at(m, at + 8)?
            );
            pw(w, at + 12)?;
        }
    }
    Ok(false)
}

/// The Downstream Mapping's MTU, address type and addresses (the rest,
/// labels and multipath, only in the hex tcpdump always adds).
fn downstream_mapping(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<bool> {
    if n < 4 {
        w.extend_from_slice(TLV_TOO_SHORT);
        return Ok(true);
    }
    let kind = u8_at(m, at + 2)?;
    out!(
        w,
        "\n\t    MTU: {}, Address-Type: {} ({kind})",
        u16_at(m, at)?,
        tok(ADDRESS_TYPES, kind).unwrap_or("unknown")
    );
    let used = match kind {
        1 | 2 => 12,
        3 => 36,
        4 => 24,
        _ => 0,
    };
    if n < used {
        w.extend_from_slice(TLV_TOO_SHORT);
        return Ok(true);
    }
    match kind {
        1 => out!(
            w,
            "\n\t    Downstream IP: {}\n\t    Downstream Interface IP: {}",
            ipv4_at(m, at + 4)?,
            ipv4_at(m, at + 8)?
        ),
        2 => out!(
            w,
            "\n\t    Downstream IP: {}\n\t    Downstream Interface Index: 0x{:08x}",
            ipv4_at(m, at + 4)?,
            u32_at(m, at + 8)?
        ),
        3 => out!(
            w,
            "\n\t    Downstream IP: {}\n\t    Downstream Interface IP: {}",
            Ip6::from(bytes_at::<16>(m, at + 4)?),
            Ip6::from(bytes_at::<16>(m, at + 20)?)
        ),
        4 => out!(
            w,
            "\n\t    Downstream IP: {}\n\t    Downstream Interface Index: 0x{:08x}",
            Ip6::from(bytes_at::<16>(m, at + 4)?),
            u32_at(m, at + 20)?
        ),
        _ => {}
    }
    // The multipath information's four bytes must follow.
    if n - used < 4 {
        w.extend_from_slice(TLV_TOO_SHORT);
    }
    Ok(true)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, list| json_fields(o, list, p))
}

fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    o.insert("version".into(), json!(u16_at(m, 0)?));
    let kind = u8_at(m, 4)?;
    o.insert("message_type".into(), json!(kind));
    o.insert("message_type_name".into(), json!(tok(MESSAGE_TYPES, kind)));
    let mode = u8_at(m, 5)?;
    o.insert("reply_mode".into(), json!(mode));
    o.insert("reply_mode_name".into(), json!(tok(REPLY_MODES, mode)));
    let code = u8_at(m, 6)?;
    o.insert("return_code".into(), json!(code));
    o.insert(
        "return_code_name".into(),
        json!(RETURN_CODES.get(usize::from(code))),
    );
    o.insert("return_subcode".into(), json!(u8_at(m, 7)?));
    o.insert("sender_handle".into(), json!(u32_at(m, 8)?));
    o.insert("sequence".into(), json!(u32_at(m, 12)?));
    for (key, at) in [("timestamp_sent", 16), ("timestamp_received", 24)] {
        let mut text = Vec::new();
        put_timestamp(&mut text, ntp_at(m, at)?);
        o.insert(key.into(), json!(String::from_utf8_lossy(&text)));
    }
    o.insert("length".into(), json!(p.declared_len));
    let end = p.declared_len.min(m.len());
    let mut at = HEADER_LEN;
    while at < end {
        let (t, n) = (u16_at(m, at)?, usize::from(u16_at(m, at + 2)?));
        list.push(json!({"type": t, "type_name": tok(TLVS, t), "length": n}));
        at += 4 + n.next_multiple_of(4);
    }
    if at > p.declared_len || p.declared_len > m.len() {
        return Err(super::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(tlvs: &[u8]) -> Vec<u8> {
        let mut m = vec![0, 1, 0, 0, 1, 2, 3, 1, 0, 0, 0x12, 0x34, 0, 0, 0, 7];
        m.extend_from_slice(&[0xe0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        m.extend_from_slice(tlvs);
        m
    }

    #[test]
    fn test_line() {
        assert_eq!(
            LSPPING.printed(&request(&[]), 0),
            "LSP-PINGv1, MPLS Echo Request, seq 7, length: 32"
        );
        assert_eq!(
            LSPPING.printed(&request(&[])[..20], 0),
            "\n\t\t packet is too short"
        );
        let mut m = request(&[]);
        m[1] = 2;
        assert_eq!(
            LSPPING.printed(&m, 1),
            "LSP-PING version 2 packet not supported"
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(LSPPING.printed_cut(&request(&[]), 18, 1), " [|lspping]");
        let m = request(&[0, 3, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(
            LSPPING
                .printed_cut(&m, 40, 1)
                .ends_with("length: 8 [|lspping]")
        );
    }

    #[test]
    fn test_fec_stack_steps_as_tcpdump() {
        // An LDP IPv6 prefix (17 bytes, padded to 20) and a 4-byte
        // sub-TLV after it: tcpdump reads the next header four bytes early.
        let mut fec = vec![0, 2, 0, 17];
        fec.extend_from_slice(&[
            0x20, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 64, 0, 0, 0,
        ]);
        fec.extend_from_slice(&[0, 5, 0, 0]);
        let mut tlv = vec![0, 1, 0, fec.len() as u8];
        tlv.extend_from_slice(&fec);
        let text = LSPPING.printed(&request(&tlv), 1);
        assert!(
            text.ends_with(
                "LDP IPv6 prefix subTLV (2), length: 17\n\t      2001::1/64\n\t    Unknown subTLV (16384), length: 0"
            ),
            "{text}"
        );
    }
}
