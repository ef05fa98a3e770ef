//! OpenFlow on TCP ports 6653 (IANA's) and 6633 (the old one), as
//! `tcpdump -n` 4.99 prints it: `: OpenFlow`, then one `\n\t` line per
//! message of the segment with its version, type name, length and xid.
//! At `-v` the body of an OpenFlow 1.0 message follows (ports, matches,
//! actions, statistics, errors, …; see [`v10`]) and the few 1.3 bodies
//! tcpdump decodes ([`v13`]); `-vv` adds the port details and the hex of
//! opaque data; `-vvv` the Ethernet frame of a 1.0 packet in or out,
//! which the line printer decodes ([`super::nested`]). Other versions get
//! their header only.
//!
//! The walk follows tcpdump's: messages are taken one after the other
//! up to the segment's length; a header the segment cuts says ` (end of
//! TCP payload)`; a length under 8 or a body whose lengths contradict
//! each other says ` (invalid)` and skips what is left of it; bytes
//! missing from the capture end the line with ` [|openflow]` (every stop
//! of tcpdump's printer there is its `longjmp`). The JSON object lists
//! each message's header fields; a message over several segments is
//! listed whole on the one completing it ([`framing`]). Zeek has no
//! OpenFlow analyzer: no `service`.

mod bsn;
mod v10;
mod v13;

use super::ctl::{json_object_with_list, out, put_bits_sep, put_hex_ascii, put_mac_at, tok};
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Value, json};

/// OpenFlow on 6653 and 6633.
pub static OPENFLOW: Dissector = Dissector {
    name: "openflow",
    json_key: "openflow",
    line: Some(|w, p| walk(w, p, 0)),
    verbose: Some(walk),
    json: to_json,
    service: "",
    recognise: looks_like_openflow,
};

/// A header whose version tcpdump names and whose length holds it.
fn looks_like_openflow(m: &[u8]) -> bool {
    matches!(m.first(), Some(1..=6)) && u16_at(m, 2).is_ok_and(|l| l >= HEADER)
}

/// The common header's length.
const HEADER: u16 = 8;

const VERSIONS: &[(u8, &str)] = &[
    (1, "1.0"),
    (2, "1.1"),
    (3, "1.2"),
    (4, "1.3"),
    (5, "1.4"),
    (6, "1.5"),
];

/// A message type as a version's printer knows it: its name, the length
/// its body must have (`fixed`) or at least have, and its `-v` printer.
struct MsgType {
    name: &'static str,
    fixed: bool,
    len: usize,
    body: Option<Body>,
}

impl MsgType {
    const fn new(name: &'static str, fixed: bool, len: usize, body: Option<Body>) -> MsgType {
        MsgType {
            name,
            fixed,
            len,
            body,
        }
    }
}

/// The switch configuration's fragment handling, the same in 1.0 and 1.3.
const CONFIG_FLAGS: &[(u16, &str)] = &[(0, "FRAG_NORMAL"), (1, "FRAG_DROP"), (2, "FRAG_REASM")];

/// The name of a reserved port number: both versions count them down
/// from their largest number (`top`, 1.0's 16-bit NONE, 1.3's 32-bit
/// ANY, named `last`), with MAX 255 below it.
fn reserved_port(v: u32, top: u32, last: &'static str) -> Option<&'static str> {
    const NAMES: [&str; 7] = [
        "IN_PORT",
        "TABLE",
        "NORMAL",
        "FLOOD",
        "ALL",
        "CONTROLLER",
        "LOCAL",
    ];
    match top.checked_sub(v)? {
        0 => Some(last),
        0xff => Some("MAX"),
        n @ 1..=7 => NAMES.get(7 - n as usize).copied(),
        _ => None,
    }
}

/// A port number, named when reserved (see [`reserved_port`]).
fn put_port(c: &mut Ctx<'_, '_>, v: u32, top: u32, last: &'static str) {
    match reserved_port(v, top, last) {
        Some(name) => c.put(name),
        None => out!(c.w, "{v}"),
    }
}

/// `prefix` and the port number at `at`, read first.
type PortAt = fn(&mut Ctx<'_, '_>, &str, usize) -> Res<()>;

/// A bitmap's names, by bit.
type Bits = &'static [(u32, &'static str)];

/// Where a version keeps PORT_MOD's fields (1.3 widened the port number
/// and padded after it and the address) and how it prints them.
struct PortMod {
    port: PortAt,
    hw_addr: usize,
    bitmaps: usize,
    lead: &'static str,
    config: Bits,
    features: Bits,
}

/// PORT_MOD's body, the same in both versions but for [`PortMod`]: the
/// port, its address, the config, mask and advertise bitmaps, padding.
fn port_mod(c: &mut Ctx<'_, '_>, at: usize, l: &PortMod) -> Res<()> {
    (l.port)(c, "\n\t port_no ", at)?;
    c.mac(", hw_addr ", at + l.hw_addr)?;
    let bits = [
        ("config", l.config),
        ("mask", l.config),
        ("advertise", l.features),
    ];
    c.bitmaps(at + l.bitmaps, l.lead, &bits)?;
    c.need(at + l.bitmaps + 12, 4)
}

/// The codes of the error types both versions share.
const HELLO_FAILED_CODES: &[&str] = &["INCOMPATIBLE", "EPERM"];
const QUEUE_OP_FAILED_CODES: &[&str] = &["BAD_PORT", "BAD_QUEUE", "EPERM"];

/// A body that is opaque data (HELLO in 1.0, ECHO).
fn data(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    c.data(at, len)
}

/// An error message: its type named from `types`, its code from the
/// type's list in `codes`, then its data.
fn error(
    c: &mut Ctx<'_, '_>,
    (at, len): (usize, usize),
    types: &[(u16, &'static str)],
    codes: &[&[&str]],
) -> Res<()> {
    let kind = c.u16(at)?;
    c.put("\n\t type ");
    c.tok(types, kind, |v| format!("invalid (0x{v:04x})"));
    let code = c.u16(at + 2)?;
    let name = codes
        .get(usize::from(kind))
        .and_then(|codes| codes.get(usize::from(code)));
    match name {
        Some(n) => out!(c.w, ", code {n}"),
        None => out!(c.w, ", code invalid (0x{code:04x})"),
    }
    c.data(at + 4, len - 4)
}

/// A body printer, handed where the body starts and its declared length.
type Body = fn(&mut Ctx<'_, '_>, usize, usize) -> Res<()>;

/// What the printers share: the line, the captured bytes and the level.
struct Ctx<'a, 'w> {
    w: &'w mut Vec<u8>,
    m: &'a [u8],
    v: u8,
}

impl Ctx<'_, '_> {
    fn u8(&self, at: usize) -> Res<u8> {
        u8_at(self.m, at)
    }
    fn u16(&self, at: usize) -> Res<u16> {
        u16_at(self.m, at)
    }
    fn u32(&self, at: usize) -> Res<u32> {
        u32_at(self.m, at)
    }
    fn u64(&self, at: usize) -> Res<u64> {
        bytes_at::<8>(self.m, at).map(u64::from_be_bytes)
    }
    /// tcpdump's `ND_TCHECK_LEN`.
    fn need(&self, at: usize, len: usize) -> Res<()> {
        need(self.m, at, len)
    }
    fn put(&mut self, s: &str) {
        self.w.extend_from_slice(s.as_bytes());
    }
    /// `prefix` and the MAC address at `at`, read first (tcpdump reads
    /// a field before it prints the words in front of it).
    fn mac(&mut self, prefix: &str, at: usize) -> Res<()> {
        bytes_at::<6>(self.m, at)?;
        self.put(prefix);
        put_mac_at(self.w, self.m, at)
    }
    /// `prefix` and the IPv4 address at `at`, read first.
    fn ipv4(&mut self, prefix: &str, at: usize) -> Res<()> {
        let a = super::ctl::ipv4_at(self.m, at)?;
        out!(self.w, "{prefix}{a}");
        Ok(())
    }
    /// ` (invalid)`, then the check that the rest was captured.
    fn invalid(&mut self, at: usize, len: usize) -> Res<()> {
        super::ctl::invalid(self.w, self.m, at, len)
    }
    /// tcpdump's `of_bitmap_print`: the names of the known bits set, then
    /// ` (bogus)` for any other.
    fn bitmap(&mut self, table: &[(u32, &'static str)], v: u32) {
        let known = table.iter().fold(0, |a, (b, _)| a | b);
        if v & known != 0 {
            self.put(" (");
            put_bits_sep(self.w, table, v & known, "", ", ");
            self.put(")");
        }
        if v & !known != 0 {
            self.put(" (bogus)");
        }
    }
    /// Each 32-bit bitmap from `at` on, a line each after `lead`, with
    /// the names its table gives it.
    fn bitmaps(
        &mut self,
        at: usize,
        lead: &str,
        fields: &[(&str, &[(u32, &'static str)])],
    ) -> Res<()> {
        for (i, (what, table)) in fields.iter().enumerate() {
            let v = self.u32(at + 4 * i)?;
            out!(self.w, "{lead}{what} 0x{v:08x}");
            self.bitmap(table, v);
        }
        Ok(())
    }
    /// tcpdump's `of_data_print`: the length, and the hex at `-vv`.
    fn data(&mut self, at: usize, len: usize) -> Res<()> {
        if len == 0 {
            return Ok(());
        }
        out!(self.w, "\n\t data ({len} octets)");
        if self.v >= 2 {
            put_hex_ascii(self.w, self.m, at, len, "\n\t  ")
        } else {
            self.need(at, len)
        }
    }
    /// tcpdump's `nd_printjnp`: a NUL-padded name of `n` bytes, quoted.
    fn name(&mut self, at: usize, n: usize) -> Res<()> {
        self.put("'");
        super::ctl::put_text_nul(self.w, self.m, at, n)?;
        self.put("'");
        Ok(())
    }
    /// `name`, or the number as `fmt` has it (tcpdump's `tok2str`).
    fn tok<T: PartialEq + Copy>(
        &mut self,
        table: &[(T, &'static str)],
        v: T,
        or: impl FnOnce(T) -> String,
    ) {
        match tok(table, v) {
            Some(n) => self.put(n),
            None => {
                let s = or(v);
                self.put(&s);
            }
        }
    }
}

/// The message types of `version` that its printer knows.
fn types(version: u8) -> Option<&'static [MsgType]> {
    match version {
        1 => Some(v10::TYPES),
        4 => Some(v13::TYPES),
        _ => None,
    }
}

/// Every message of the segment, as tcpdump's `openflow_print` walks
/// them.
fn walk(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    w.extend_from_slice(b": OpenFlow");
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    let mut c = Ctx { w, m, v };
    let (mut at, mut len) = (0usize, p.declared_len);
    while len > 0 {
        let version = c.u8(at)?;
        (at, len) = (at + 1, len - 1);
        c.put("\n\tversion ");
        c.tok(VERSIONS, version, |v| format!("unknown (0x{v:02x})"));
        if len < 1 {
            return partial(&mut c, at, len);
        }
        let kind = c.u8(at)?;
        (at, len) = (at + 1, len - 1);
        let t = types(version).and_then(|t| t.get(usize::from(kind)));
        match t {
            Some(t) => out!(c.w, ", type {}", t.name),
            None => out!(c.w, ", type unknown (0x{kind:02x})"),
        }
        if len < 2 {
            return partial(&mut c, at, len);
        }
        let length = c.u16(at)?;
        (at, len) = (at + 2, len - 2);
        let short = if length < HEADER { " (too short!)" } else { "" };
        out!(c.w, ", length {length}{short}");
        if len < 4 {
            return partial(&mut c, at, len);
        }
        out!(c.w, ", xid 0x{:08x}", c.u32(at)?);
        (at, len) = (at + 4, len - 4);
        if length < HEADER {
            return c.invalid(at, len);
        }
        let body = usize::from(length - HEADER);
        message(&mut c, at, body, t)?;
        if body > len {
            break;
        }
        (at, len) = (at + body, len - body);
    }
    Ok(())
}

/// A header the segment's end cuts.
fn partial(c: &mut Ctx<'_, '_>, at: usize, len: usize) -> Res<()> {
    c.put(" (end of TCP payload)");
    c.need(at, len)
}

/// tcpdump's `of_message_print`: the length check of the type, then its
/// body at `-v`.
fn message(c: &mut Ctx<'_, '_>, at: usize, len: usize, t: Option<&MsgType>) -> Res<()> {
    let Some(t) = t else {
        return c.need(at, len);
    };
    if (t.fixed && len != t.len) || (!t.fixed && len < t.len) {
        return c.invalid(at, len);
    }
    match t.body {
        Some(body) if c.v > 0 => body(c, at, len),
        _ => c.need(at, len),
    }
}

/// Where whole messages end in stream bytes that start on a message
/// boundary (the framer of `--json`'s reassembly of messages that span
/// segments): each header's length; `None` when the bytes do not start
/// an OpenFlow message, and nothing waited for after a length under 8.
pub fn framing(m: &[u8], _from: usize) -> Option<super::Framing> {
    if !matches!(m.first(), Some(1..=6)) {
        return None;
    }
    super::framing_by_sizes(m, |m, at| match u16_at(m, at + 2) {
        Err(_) => Err(4),
        Ok(length) if length < HEADER => Ok(None),
        Ok(length) => Ok(Some(usize::from(length))),
    })
}

/// The headers of the segment's messages, as far as they were captured.
fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("messages", |_, list| {
        let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
        let mut at = 0usize;
        while at < p.declared_len {
            let version = u8_at(m, at)?;
            let kind = u8_at(m, at + 1)?;
            let length = u16_at(m, at + 2)?;
            let xid = u32_at(m, at + 4)?;
            let name = types(version)
                .and_then(|t| t.get(usize::from(kind)))
                .map(|t| t.name);
            list.push(json!({
                "version": version,
                "version_name": tok(VERSIONS, version),
                "type": kind,
                "type_name": name,
                "length": length,
                "xid": xid,
            }));
            if length < HEADER {
                break;
            }
            at += usize::from(length);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(version: u8, kind: u8, body: &[u8]) -> Vec<u8> {
        let len = (8 + body.len()) as u16;
        [
            &[version, kind][..],
            &len.to_be_bytes(),
            &[0, 0, 0, 7],
            body,
        ]
        .concat()
    }

    #[test]
    fn test_several_messages_in_one_segment() {
        let m = [msg(1, 0, &[]), msg(1, 5, &[]), msg(4, 99, &[])].concat();
        assert_eq!(
            OPENFLOW.printed(&m, 0),
            ": OpenFlow\n\tversion 1.0, type HELLO, length 8, xid 0x00000007\
             \n\tversion 1.0, type FEATURES_REQUEST, length 8, xid 0x00000007\
             \n\tversion 1.3, type unknown (0x63), length 8, xid 0x00000007"
        );
    }

    #[test]
    fn test_packet_in_hands_its_frame_over_from_vvv_on() {
        let frame = [0xaau8; 20];
        let body = [&[0, 0, 1, 0, 0, 20, 0, 2, 0, 0][..], &frame].concat();
        let m = msg(1, 10, &body);
        let ((), frames) = crate::dissect::nested::collect(|| {
            assert!(OPENFLOW.printed(&m, 2).ends_with("\n\t data (20 octets)"));
        });
        assert!(frames.is_empty());
        let (line, frames) = crate::dissect::nested::collect(|| OPENFLOW.printed(&m, 3));
        assert!(line.ends_with("\n\t data (20 octets), frame decoding below\n"));
        let want = crate::dissect::nested::Frame {
            at: line.len(),
            start: 18,
            len: 20,
            kind: crate::dissect::nested::FrameKind::Ethernet,
            lower: 3,
        };
        assert_eq!(frames, vec![want]);
    }

    #[test]
    fn test_big_switch_messages_and_actions() {
        let bsn = |sub: u8, rest: &[u8]| {
            let body = [&[0, 0x5c, 0x16, 0xc7, 0, 0, 0, sub][..], rest].concat();
            OPENFLOW.printed(&msg(1, 4, &body), 1)
        };
        let name = ", vendor 0x005c16c7 (Big Switch Networks)";
        assert!(bsn(0, &[3, 0, 0, 0, 255, 255, 0, 0]).ends_with(&format!(
            "{name}\n\t subtype SET_IP_MASK, index 3, mask 255.255.0.0"
        )));
        assert!(
            bsn(6, &[0, 0, 0, 9, b'l', 0, 0x81])
                .ends_with("\n\t subtype SHELL_COMMAND, service 9, data 'l^@M-^A'")
        );
        assert!(bsn(5, &[2, 0, 0]).ends_with("GET_MIRRORING_REPLY (invalid)"));
        assert!(bsn(17, &[0, 0, 1, 0]).ends_with("VIRTUAL_PORT_REMOVE_REQUEST, vport_no 256"));
        let mirror = [
            &[0xffu8, 0xff, 0, 24, 0, 0x5c, 0x16, 0xc7, 0, 0, 0, 1][..],
            &[0, 0, 0, 4, 0x81, 0, 0x30, 0x0a, 1, 0, 0, 0],
        ]
        .concat();
        let mut body = vec![0xff, 0xff, 0xff, 0xff];
        body.resize(64, 0);
        body.extend_from_slice(&mirror);
        assert!(
            OPENFLOW.printed(&msg(1, 14, &body), 1).ends_with(
                "\n\t action type VENDOR, len 24{name}\n\t  subtype MIRROR, dest_port 4, \
             vlan_tag 802.1Q (vlan 10, p 1, DEI), copy_stage EGRESS"
                    .replace("{name}", name)
                    .as_str()
            )
        );
    }

    #[test]
    fn test_framing_of_stream_bytes() {
        let m = [msg(1, 0, &[]), msg(4, 2, b"abcd")].concat();
        let frame = |b: &[u8]| framing(b, 0).map(|f| (f.whole, f.need));
        assert_eq!(frame(&m), Some((20, None)));
        assert_eq!(frame(&m[..10]), Some((8, Some(12))));
        assert_eq!(frame(&m[..13]), Some((8, Some(20))));
        assert_eq!(frame(&m[..2]), Some((0, Some(4))));
        assert_eq!(frame(b"GET /"), None);
        let mut short = m.clone();
        short[11] = 4;
        assert_eq!(frame(&short), Some((8, None)));
        assert_eq!(frame(&short[8..]), None);
    }

    #[test]
    fn test_truncated_and_malformed_headers() {
        assert_eq!(
            OPENFLOW.printed(&[1, 0], 0),
            ": OpenFlow\n\tversion 1.0, type HELLO (end of TCP payload)"
        );
        let m = msg(1, 2, b"abcd");
        assert_eq!(
            OPENFLOW.printed_cut(&m, 6, 0),
            ": OpenFlow\n\tversion 1.0, type ECHO_REQUEST, length 12 [|openflow]"
        );
        let mut short = msg(1, 0, &[]);
        short[3] = 4;
        assert!(
            OPENFLOW
                .printed(&short, 0)
                .ends_with("(too short!), xid 0x00000007 (invalid)")
        );
    }
}
