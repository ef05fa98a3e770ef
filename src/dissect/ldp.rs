//! LDP (RFC 5036) on UDP and TCP port 646, as `tcpdump -n` (4.99)
//! prints it: the default line is each PDU's header (`LDP,
//! Label-Space-ID: 10.0.0.1:0, pdu-length: 66`, the first only); `-v`
//! adds every message (`Hello Message (0x0100), length: 56, Message ID:
//! 0x00000001, Flags: [ignore if unknown]`) and, in the messages tcpdump
//! decodes, every TLV with the fields it knows (hello parameters,
//! transport addresses, address lists, session parameters, FECs with
//! prefixes and Martini VCs, labels, status, fault tolerance, MTU; the
//! others in hex); `-vv` each message's bytes in hex instead of the
//! unknown ones. tcpdump reads past the capture unchecked: a cut PDU
//! ends by its `longjmp`. Zeek has no LDP analyzer: no `service`.

use super::bgp::{Family, Prefix, afi, prefix, put_prefix};
use super::ctl::{
    ipv4_at, json_object_with_list, line_is_level_0, out, put_bits, tok, unknown_data,
};
use super::dns::text::{put_char, put_ipv6};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

/// LDP on port 646.
pub static LDP: Dissector = Dissector {
    name: "ldp",
    json_key: "ldp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_ldp,
};

fn looks_like_ldp(m: &[u8]) -> bool {
    matches!(m, [0, 1, ..])
}

/// The common header (version, PDU length, LSR id, label space) and a
/// message header (type, length, id).
const PDU_HEADER: usize = 10;
const MSG_HEADER: usize = 8;

const MESSAGES: &[(u16, &str)] = &[
    (0x0001, "Notification"),
    (0x0100, "Hello"),
    (0x0200, "Initialization"),
    (0x0201, "Keepalive"),
    (0x0300, "Address"),
    (0x0301, "Address Withdraw"),
    (0x0400, "Label Mapping"),
    (0x0401, "Label Request"),
    (0x0402, "Label Withdraw"),
    (0x0403, "Label Release"),
    (0x0404, "Label Abort Request"),
];

/// The messages whose TLVs tcpdump 4.99 decodes (the others in hex).
const WITH_TLVS: &[u16] = &[
    0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0301, 0x0400, 0x0402,
];

const TLVS: &[(u16, &str)] = &[
    (0x0100, "FEC"),
    (0x0101, "Address List"),
    (0x0103, "Hop Count"),
    (0x0104, "Path Vector"),
    (0x0200, "Generic Label"),
    (0x0201, "ATM Label"),
    (0x0202, "Frame-Relay Label"),
    (0x0300, "Status"),
    (0x0301, "Extended Status"),
    (0x0302, "Returned PDU"),
    (0x0303, "Returned Message"),
    (0x0400, "Common Hello Parameters"),
    (0x0401, "IPv4 Transport Address"),
    (0x0402, "Configuration Sequence Number"),
    (0x0403, "IPv6 Transport Address"),
    (0x0500, "Common Session Parameters"),
    (0x0501, "ATM Session Parameters"),
    (0x0502, "Frame-Relay Session Parameters"),
    (0x0503, "Fault-Tolerant Session Parameters"),
    (0x0600, "Label Request Message ID"),
    (0x0601, "MTU"),
];

const FECS: &[(u8, &str)] = &[
    (0x01, "Wildcard"),
    (0x02, "Prefix"),
    (0x03, "Host address"),
    (0x80, "Martini VC"),
];

/// RFC 4446's pseudowire types, as tcpdump names them.
pub(super) const PW_TYPES: &[(u16, &str)] = &[
    (0x00, "Reserved"),
    (0x01, "Frame Relay DLCI (Martini Mode)"),
    (0x02, "ATM AAL5 SDU VCC transport"),
    (0x03, "ATM transparent cell transport"),
    (0x04, "Ethernet VLAN"),
    (0x05, "Ethernet"),
    (0x06, "Cisco-HDLC"),
    (0x07, "PPP"),
    (0x08, "SONET/SDH Circuit Emulation Service over MPLS"),
    (0x09, "ATM n-to-one VCC cell transport"),
    (0x0a, "ATM n-to-one VPC cell transport"),
    (0x0b, "IP Layer2 Transport"),
    (0x0c, "ATM one-to-one VCC Cell Mode"),
    (0x0d, "ATM one-to-one VPC Cell Mode"),
    (0x0e, "ATM AAL5 PDU VCC transport"),
    (0x0f, "Frame-Relay Port mode"),
    (0x10, "SONET/SDH Circuit Emulation over Packet"),
    (0x11, "Structure-agnostic E1 over Packet"),
    (0x12, "Structure-agnostic T1 (DS1) over Packet"),
    (0x13, "Structure-agnostic E3 over Packet"),
    (0x14, "Structure-agnostic T3 (DS3) over Packet"),
    (0x15, "CESoPSN basic mode"),
    (0x16, "TDMoIP basic mode"),
    (0x17, "CESoPSN TDM with CAS"),
    (0x18, "TDMoIP TDM with CAS"),
    (0x19, "Frame Relay DLCI"),
    (0x40, "IP-interworking"),
];

const IF_PARAMS: &[(u8, &str)] = &[(0x01, "MTU"), (0x03, "Description"), (0x0c, "VCCV")];
const VCCV_CC: &[(u32, &str)] = &[
    (0x01, "PWE3 control word"),
    (0x02, "MPLS Router Alert Label"),
    (0x04, "MPLS inner label TTL = 1"),
];
const VCCV_CV: &[(u32, &str)] = &[(0x01, "ICMP Ping"), (0x02, "LSP Ping"), (0x04, "BFD")];

/// RFC 1700's address families (tcpdump's `af_values`, BGP's AFIs).
const AF_IPV4: u16 = 1;
const AF_IPV6: u16 = 2;

line_is_level_0!();

/// The PDUs of the datagram or segment, while more than a PDU header and
/// a message header are left; a PDU printer that returns nothing to go
/// on with (the default level, bad headers) ends the walk.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let mut left = p.declared_len;
    let mut at = 0usize;
    while left > PDU_HEADER + MSG_HEADER {
        let Some(size) = pdu(w, m, at, v)? else {
            return Ok(());
        };
        if left < size {
            out!(w, " [remaining length {left} < {size}] (invalid)");
            return Ok(());
        }
        left -= size;
        at += size;
    }
    Ok(())
}

/// One PDU: its header, and at `-v` its messages; the bytes it took
/// (`None`: stop).
fn pdu(w: &mut Vec<u8>, m: &[u8], at: usize, v: u8) -> Res<Option<usize>> {
    bytes_at::<PDU_HEADER>(m, at)?;
    let sep = if v >= 1 { "\n\t" } else { "" };
    let version = u16_at(m, at)?;
    if version != 1 {
        out!(w, "{sep}LDP version {version} packet not supported");
        return Ok(None);
    }
    let pdu_len = u16_at(m, at + 2)?;
    if usize::from(pdu_len) < PDU_HEADER - 4 {
        out!(
            w,
            "{sep}LDP, pdu-length: {pdu_len} (too short, < {})",
            PDU_HEADER - 4
        );
        return Ok(None);
    }
    out!(
        w,
        "{sep}LDP, Label-Space-ID: {}:{}, pdu-length: {pdu_len}",
        ipv4_at(m, at + 4)?,
        u16_at(m, at + 8)?
    );
    if v < 1 {
        return Ok(None);
    }
    // tcpdump's count is 16 bits wide: a message longer than what is left
    // wraps it, and the walk goes on until the capture ends.
    let mut left = pdu_len - (PDU_HEADER as u16 - 4);
    let mut msg = at + PDU_HEADER;
    while left != 0 {
        bytes_at::<MSG_HEADER>(m, msg)?;
        let len = u16_at(m, msg + 2)?;
        let raw = u16_at(m, msg)?;
        let kind = raw & 0x7fff;
        w.extend_from_slice(b"\n\t  ");
        put_named(w, MESSAGES, kind);
        if len < 4 {
            out!(w, " Message (0x{kind:04x}), length: {len} (too short, < 4)");
            return Ok(None);
        }
        let unknown = if raw & 0x8000 != 0 {
            "continue processing"
        } else {
            "ignore"
        };
        out!(
            w,
            " Message (0x{kind:04x}), length: {len}, Message ID: 0x{:08x}, Flags: [{unknown} if unknown]",
            u32_at(m, msg + 4)?
        );
        let body = msg + MSG_HEADER;
        let body_len = usize::from(len) - 4;
        // The message is checked as long as its length field, counted
        // from its first byte (4 short of its end).
        super::wire::need(m, msg, usize::from(len))?;
        if WITH_TLVS.contains(&kind) {
            tlvs(w, m, body, body_len, v)?;
        } else if v <= 1 {
            unknown_data(w, m, body, "\n\t  ", body_len);
        }
        if v > 1 {
            unknown_data(w, m, body, "\n\t  ", usize::from(len));
        }
        msg += usize::from(len) + 4;
        left = left.wrapping_sub(len.wrapping_add(4));
    }
    Ok(Some(usize::from(pdu_len) + 4))
}

fn put_named<T: PartialEq + Copy>(w: &mut Vec<u8>, table: &[(T, &'static str)], v: T) {
    w.extend_from_slice(tok(table, v).unwrap_or("Unknown").as_bytes());
}

/// The TLVs of a message, while a TLV header fits in what is left.
fn tlvs(w: &mut Vec<u8>, m: &[u8], mut at: usize, mut left: usize, v: u8) -> Res<()> {
    while left >= 4 {
        bytes_at::<4>(m, at)?;
        let len = usize::from(u16_at(m, at + 2)?);
        if len + 4 > left {
            w.extend_from_slice(b"\n\t\t TLV contents go past end of message");
            return Ok(());
        }
        tlv(w, m, at, len, v)?;
        left -= len + 4;
        at += len + 4;
    }
    Ok(())
}

/// tcpdump's `TLV_TCHECK`: a value shorter than `min` is invalid, the
/// walk goes on after it.
fn short(w: &mut Vec<u8>, len: usize, min: usize) -> bool {
    if len < min {
        out!(w, " [tlv length {len} < {min}] (invalid)");
        true
    } else {
        false
    }
}

fn tlv(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize, v: u8) -> Res<()> {
    let raw = u16_at(m, at)?;
    let kind = raw & 0x3fff;
    w.extend_from_slice(b"\n\t    ");
    put_named(w, TLVS, kind);
    let unknown = if raw & 0x8000 != 0 {
        "continue processing"
    } else {
        "ignore"
    };
    let forward = if raw & 0x4000 != 0 { "do" } else { "don't" };
    out!(
        w,
        " TLV (0x{kind:04x}), length: {len}, Flags: [{unknown} and {forward} forward if unknown]"
    );
    let t = at + 4;
    // The shortest value each kind needs (tcpdump's `TLV_TCHECK`).
    let min = match kind {
        0x0100 => 1,
        0x0101 | 0x0601 => 2,
        0x0400 | 0x0401 | 0x0402 | 0x0200 => 4,
        0x0500 | 0x0300 => 8,
        0x0503 => 12,
        0x0403 => 16,
        _ => 0,
    };
    if short(w, len, min) {
        return Ok(());
    }
    match kind {
        0x0400 => {
            let flags = u16_at(m, t + 2)?;
            let kind = if flags & 0x8000 != 0 {
                "Targeted"
            } else {
                "Link"
            };
            let request = if flags & 0x4000 != 0 {
                ", Request for targeted Hellos"
            } else {
                ""
            };
            out!(
                w,
                "\n\t      Hold Time: {}s, Flags: [{kind} Hello{request}]",
                u16_at(m, t)?
            );
        }
        0x0401 => {
            out!(w, "\n\t      IPv4 Transport Address: {}", ipv4_at(m, t)?);
        }
        0x0403 => {
            w.extend_from_slice(b"\n\t      IPv6 Transport Address: ");
            put_ipv6(w, &bytes_at::<16>(m, t)?);
        }
        0x0402 => {
            out!(w, "\n\t      Sequence Number: {}", u32_at(m, t)?);
        }
        0x0101 => {
            address_list(w, m, t, len)?;
        }
        0x0500 => {
            let flags = u16_at(m, t + 6)?;
            out!(
                w,
                "\n\t      Version: {}, Keepalive: {}s, Flags: [Downstream {}, Loop Detection {}]",
                u16_at(m, t)?,
                u16_at(m, t + 2)?,
                if flags & 0x8000 != 0 {
                    "On Demand"
                } else {
                    "Unsolicited"
                },
                if flags & 0x4000 != 0 {
                    "Enabled"
                } else {
                    "Disabled"
                }
            );
        }
        0x0100 => {
            fec(w, m, t, len)?;
        }
        0x0200 => {
            out!(w, "\n\t      Label: {}", u32_at(m, t)? & 0xfffff);
        }
        0x0300 => {
            let code = u32_at(m, t)?;
            out!(
                w,
                "\n\t      Status: 0x{:02x}, Flags: [{} and {} forward]",
                code & 0x3fff_ffff,
                if code & 0x8000_0000 != 0 {
                    "Fatal error"
                } else {
                    "Advisory Notification"
                },
                if code & 0x4000_0000 != 0 {
                    "do"
                } else {
                    "don't"
                }
            );
            let id = u32_at(m, t + 4)?;
            if id != 0 {
                out!(w, ", causing Message ID: 0x{id:08x}");
            }
        }
        0x0503 => {
            fault_tolerance(w, m, t)?;
        }
        0x0601 => {
            out!(w, "\n\t      MTU: {}", u16_at(m, t)?);
        }
        _ if v <= 1 => unknown_data(w, m, t, "\n\t      ", len),
        _ => {}
    }
    Ok(())
}

fn address_list(w: &mut Vec<u8>, m: &[u8], t: usize, len: usize) -> Res<()> {
    let af = u16_at(m, t)?;
    w.extend_from_slice(b"\n\t      Address Family: ");
    match afi(af, "") {
        "" => out!(w, "Unknown ({af})"),
        name => w.extend_from_slice(name.as_bytes()),
    }
    w.extend_from_slice(b", addresses");
    let (mut at, mut left) = (t + 2, len - 2);
    match af {
        AF_IPV4 => {
            while left >= 4 {
                out!(w, " {}", ipv4_at(m, at)?);
                (at, left) = (at + 4, left - 4);
            }
        }
        AF_IPV6 => {
            while left >= 16 {
                w.push(b' ');
                put_ipv6(w, &bytes_at::<16>(m, at)?);
                (at, left) = (at + 16, left - 16);
            }
        }
        _ => {}
    }
    Ok(())
}

fn fault_tolerance(w: &mut Vec<u8>, m: &[u8], t: usize) -> Res<()> {
    let f = u16_at(m, t)?;
    let no = |bit: u16, word: &'static str| if f & bit != 0 { "" } else { word };
    out!(
        w,
        "\n\t      Flags: [{}Reconnect, {}Save State, {}All-Label Protection, {} Checkpoint, {}Re-Learn State]",
        no(0x8000, "No "),
        no(0x8, "Don't "),
        no(0x4, "No "),
        if f & 0x2 != 0 {
            "Sequence Numbered Label"
        } else {
            "All Labels"
        },
        no(0x1, "Don't ")
    );
    let reconnect = u32_at(m, t + 4)?;
    if reconnect != 0 {
        out!(w, ", Reconnect Timeout: {reconnect}ms");
    }
    let recovery = u32_at(m, t + 8)?;
    if recovery != 0 {
        out!(w, ", Recovery Time: {recovery}ms");
    }
    Ok(())
}

/// A FEC element: its kind, and a prefix's or a Martini VC's fields.
fn fec(w: &mut Vec<u8>, m: &[u8], t: usize, len: usize) -> Res<()> {
    let kind = u8_at(m, t)?;
    w.extend_from_slice(b"\n\t      ");
    put_named(w, FECS, kind);
    out!(w, " FEC (0x{kind:02x})");
    let (t, len) = (t + 1, len - 1);
    match kind {
        0x02 => {
            if short(w, len, 2) {
                return Ok(());
            }
            let af = u16_at(m, t)?;
            let (t, room) = (t + 2, len - 2);
            let (family, name) = match af {
                AF_IPV4 => (Family::V4, "IPv4"),
                AF_IPV6 => (Family::V6, "IPv6"),
                _ => {
                    out!(w, ": Address family {af} prefix");
                    return Ok(());
                }
            };
            match prefix(m, t, room, family)? {
                Prefix::Illegal => out!(w, ": {name} prefix (invalid length)"),
                // tcpdump 4.99's prefix reader takes a prefix longer than
                // its TLV for a cut capture.
                Prefix::Short => return Err(super::Truncated),
                Prefix::Read(_) => {
                    out!(w, ": {name} prefix ");
                    put_prefix(w, m, t, family)?;
                }
            }
        }
        0x80 => martini(w, m, t, len)?,
        _ => {}
    }
    Ok(())
}

/// RFC 4447's PWid FEC (tcpdump's "Martini VC"): type, control word,
/// group and VC id, then the interface parameters.
fn martini(w: &mut Vec<u8>, m: &[u8], t: usize, len: usize) -> Res<()> {
    if short(w, len, 7) {
        return Ok(());
    }
    let info_len = usize::from(u8_at(m, t + 2)?);
    let pw = u16_at(m, t)?;
    let name = tok(PW_TYPES, pw & 0x7fff).unwrap_or("Unknown");
    let cw = if pw & 0x8000 != 0 { "" } else { "no " };
    let group = u32_at(m, t + 3)?;
    if info_len == 0 {
        out!(
            w,
            ": {name}, {cw}control word, group-ID {group}, VC-info-length: 0"
        );
        return Ok(());
    }
    if short(w, len, 11) {
        return Ok(());
    }
    out!(
        w,
        ": {name}, {cw}control word, group-ID {group}, VC-ID {}, VC-info-length: {info_len}",
        u32_at(m, t + 7)?
    );
    if info_len < 4 {
        w.extend_from_slice(b" (invalid, < 4");
        return Ok(());
    }
    let mut info = info_len - 4;
    if short(w, len - 11, info) {
        return Ok(());
    }
    let mut at = t + 11;
    while info > 2 {
        let kind = u8_at(m, at)?;
        let plen = usize::from(u8_at(m, at + 1)?);
        if plen < 2 || info < plen {
            break;
        }
        w.extend_from_slice(b"\n\t\tInterface Parameter: ");
        put_named(w, IF_PARAMS, kind);
        out!(w, " (0x{kind:02x}), len {plen}");
        match kind {
            0x01 => out!(w, ": {}", u16_at(m, at + 2)?),
            0x03 => {
                w.extend_from_slice(b": ");
                for i in 2..plen {
                    put_char(w, u8_at(m, at + i)?);
                }
            }
            0x0c => {
                let cc = u8_at(m, at + 2)?;
                out!(w, "\n\t\t  Control Channels (0x{cc:02x}) = [");
                put_bits(w, VCCV_CC, u32::from(cc), "none");
                let cv = u8_at(m, at + 3)?;
                out!(w, "]\n\t\t  CV Types (0x{cv:02x}) = [");
                put_bits(w, VCCV_CV, u32::from(cv), "none");
                w.push(b']');
            }
            _ => unknown_data(w, m, at + 2, "\n\t\t  ", plen - 2),
        }
        info -= plen;
        at += plen;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |o, list| json_fields(o, list, p.bytes))
}

/// The first PDU's header and its messages with their TLVs' types.
fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(u16_at(m, 0)?));
    let pdu_len = usize::from(u16_at(m, 2)?);
    o.insert("pdu_length".into(), json!(pdu_len));
    o.insert("lsr_id".into(), json!(ipv4_at(m, 4)?.to_string()));
    o.insert("label_space".into(), json!(u16_at(m, 8)?));
    let end = (pdu_len + 4).min(m.len());
    let mut at = PDU_HEADER;
    while at + 4 <= end {
        let kind = u16_at(m, at)? & 0x7fff;
        let len = usize::from(u16_at(m, at + 2)?);
        let mut msg = json!({
            "type": kind,
            "type_name": tok(MESSAGES, kind),
            "length": len,
            "id": u32_at(m, at + 4)?,
        });
        let mut tlvs = Vec::new();
        let (mut t, stop) = (at + MSG_HEADER, (at + 4 + len).min(end));
        while t + 4 <= stop {
            let kind = u16_at(m, t)? & 0x3fff;
            let tlen = usize::from(u16_at(m, t + 2)?);
            tlvs.push(json!({"type": kind, "name": tok(TLVS, kind), "length": tlen}));
            t += 4 + tlen;
        }
        msg["tlvs"] = Value::Array(tlvs);
        list.push(msg);
        at += 4 + len.max(4);
    }
    if end < pdu_len + 4 {
        return Err(super::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Hello whose lengths agree: the PDU's 30 bytes after its length
    /// field (LSR id and label space, then the message), the message's 20
    /// after its own (message id and two TLVs).
    fn hello() -> Vec<u8> {
        let mut m = vec![0, 1, 0, 30, 10, 0, 0, 1, 0, 0];
        m.extend_from_slice(&[1, 0, 0, 20, 0, 0, 0, 1]);
        m.extend_from_slice(&[4, 0, 0, 4, 0, 15, 0x80, 0]);
        m.extend_from_slice(&[4, 1, 0, 4, 10, 0, 0, 1]);
        m
    }

    #[test]
    fn test_hello_lines() {
        assert_eq!(
            LDP.printed(&hello(), 0),
            "LDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30"
        );
        assert_eq!(
            LDP.printed(&hello(), 1),
            "\n\tLDP, Label-Space-ID: 10.0.0.1:0, pdu-length: 30\
             \n\t  Hello Message (0x0100), length: 20, Message ID: 0x00000001, Flags: [ignore if unknown]\
             \n\t    Common Hello Parameters TLV (0x0400), length: 4, Flags: [ignore and don't forward if unknown]\
             \n\t      Hold Time: 15s, Flags: [Targeted Hello]\
             \n\t    IPv4 Transport Address TLV (0x0401), length: 4, Flags: [ignore and don't forward if unknown]\
             \n\t      IPv4 Transport Address: 10.0.0.1"
        );
        assert_eq!(LDP.printed_cut(&hello(), 9, 0), " [|ldp]");
    }
}
