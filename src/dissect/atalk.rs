//! AppleTalk on Ethernet (EtherType 0x809b, SNAP 080007/809b): the
//! long DDP header and what tcpdump decodes inside it, NBP and ATP, and
//! AARP (EtherType 0x80f3, SNAP 000000/80f3), as `tcpdump -n` prints them
//! after its `AT ` (written by the link layer's printer, as `-e` and `-v`
//! change it): `257.7.253 > 4660.2:  nbp-lkup 5: "obj:AFPServer@*"`,
//! `atp-req* 4660<0-7>`, `aarp who-has 1029.6 tell 258.3`. Of the other
//! DDP types tcpdump 4.99.3 prints only a name and the length: RTMP
//! (`at-rtmp 3`), its request (`at-rtmpReq`), AEP (`at-echo`), IP, ARP,
//! KLAP, and ZIP and any other as `at-#6`. The same at every `-v` level.
//! tcpdump checks before each read here, so a cut says where
//! (` [|ddp]`, ` [|ddp 6]` for a short frame, ` [|atalk]` inside NBP and
//! ATP, ` [|aarp]`) and never jumps.

use super::ctl::{json_object, out, put_mac};
use super::dns::text::put_char;
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static ATALK: Dissector = Dissector::new("atalk", line, verbose, to_json, looks_like_ddp);
pub static AARP: Dissector = Dissector::new("aarp", aarp_line, aarp, aarp_json, looks_like_aarp);

/// The long DDP header's 13 bytes, its hop count's top bits clear.
fn looks_like_ddp(m: &[u8]) -> bool {
    m.len() >= DDP && m[0] & 0xc0 == 0
}

/// Ethernet and AppleTalk addresses of their usual sizes.
fn looks_like_aarp(m: &[u8]) -> bool {
    m.get(..6) == Some(&[0, 1, 0x80, 0x9b, 6, 4])
}

/// The long DDP header.
const DDP: usize = 13;
const NBP: u8 = 2;
const ATP: u8 = 3;
const EIGRP: u8 = 88;
/// NBP's header before its first tuple, and a tuple's address part.
const NBP_HEADER: usize = 2;
const TUPLE: usize = 5;

/// The DDP types tcpdump names without decoding them.
const DDP_TYPES: &[(u8, &str)] = &[
    (1, "rtmp"),
    (5, "rtmpReq"),
    (4, "echo"),
    (22, "IP"),
    (23, "ARP"),
    (0x4b, "KLAP"),
];

/// What differs between tcpdump's two ways to the long DDP header: the
/// end of the addresses and the mark where a check found the capture
/// short (`ndo_protocol`: `atalk` after Ethernet, `llap` after
/// LocalTalk's LAP header, [`super::kip`]).
#[derive(Clone, Copy)]
pub(super) struct Via {
    colon: &'static [u8],
    cut: &'static [u8],
}

pub(super) const ETHERNET: Via = Via {
    colon: b": ",
    cut: b" [|atalk]",
};
pub(super) const LAP: Via = Via {
    colon: b":",
    cut: b" [|llap]",
};

/// `net.node`, or `net` alone for node 255 (tcpdump's `ataddr_string`
/// under `-n`).
fn put_addr(w: &mut Vec<u8>, net: u16, node: u8) {
    if node == 255 {
        out!(w, "{net}");
    } else {
        out!(w, "{net}.{node}");
    }
}

/// The DDP header's source, which NBP compares its tuples with.
#[derive(Clone, Copy)]
struct Source {
    net: u16,
    node: u8,
    socket: u8,
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    ddp(w, p, v, ETHERNET)
}

/// The long DDP header's line and what it carries, as tcpdump prints it
/// after the header `via` names.
pub(super) fn ddp(w: &mut Vec<u8>, p: &Payload<'_>, v: u8, via: Via) -> Res<()> {
    let (m, length) = (p.bytes, p.declared_len);
    if length < DDP {
        out!(w, " [|ddp {length}]");
        return Ok(());
    }
    if m.len() < DDP {
        w.extend_from_slice(b" [|ddp]");
        return Ok(());
    }
    let src = Source {
        net: u16_at(m, 6)?,
        node: u8_at(m, 9)?,
        socket: u8_at(m, 11)?,
    };
    put_addr(w, src.net, src.node);
    out!(w, ".{} > ", src.socket);
    put_addr(w, u16_at(m, 4)?, u8_at(m, 8)?);
    out!(w, ".{}", u8_at(m, 10)?);
    w.extend_from_slice(via.colon);
    let body = Payload {
        bytes: m.get(DDP..).unwrap_or(&[]),
        declared_len: length - DDP,
    };
    ddp_body(w, u8_at(m, 12)?, &body, src, v, via.cut);
    Ok(())
}

/// The short DDP header's 5 bytes (LocalTalk's, within one network): its
/// length, the sockets and the type; the nodes are the LAP header's.
const SHORT_DDP: usize = 5;

/// A short DDP header `p` after LocalTalk's LAP header (whose nodes are
/// `src_node` and `dst_node`), as tcpdump's LLAP printer prints it: the
/// addresses on network 0 (`0.1.4 > 0.2.3:`), then what the long header
/// would carry; ` [|sddp N]` when the frame is too short for it, ` [|sddp]`
/// when the capture cut it.
pub(super) fn short_ddp(w: &mut Vec<u8>, p: &Payload<'_>, (src_node, dst_node): (u8, u8), v: u8) {
    let (m, length) = (p.bytes, p.declared_len);
    if length < SHORT_DDP {
        out!(w, " [|sddp {length}]");
        return;
    }
    let Some(&[_, _, dst_socket, src_socket, t]) = m.first_chunk::<SHORT_DDP>() else {
        w.extend_from_slice(b" [|sddp]");
        return;
    };
    let src = Source {
        net: 0,
        node: src_node,
        socket: src_socket,
    };
    put_addr(w, 0, src_node);
    out!(w, ".{src_socket} > ");
    put_addr(w, 0, dst_node);
    out!(w, ".{dst_socket}");
    w.extend_from_slice(LAP.colon);
    let body = Payload {
        bytes: m.get(SHORT_DDP..).unwrap_or(&[]),
        declared_len: length - SHORT_DDP,
    };
    ddp_body(w, t, &body, src, v, LAP.cut);
}

/// What a DDP header of type `t` carries, after its addresses.
fn ddp_body(w: &mut Vec<u8>, t: u8, body: &Payload<'_>, src: Source, v: u8, cut: &[u8]) {
    let length = body.declared_len;
    match t {
        NBP => nbp(w, body.bytes, length, src, cut),
        ATP => atp(w, body.bytes, length, cut),
        EIGRP => {
            super::eigrp::EIGRP.write_line_cut(w, body, v);
        }
        t => match DDP_TYPES.iter().find(|(k, _)| *k == t) {
            Some((_, name)) => out!(w, " at-{name} {length}"),
            None => out!(w, " at-#{t} {length}"),
        },
    }
}

/// The Name Binding Protocol: a lookup's or broadcast request's one
/// tuple with its anomalies, a reply's tuples.
fn nbp(w: &mut Vec<u8>, b: &[u8], length: usize, src: Source, cut: &[u8]) {
    if length < NBP_HEADER + 8 {
        out!(w, " truncated-nbp {length}");
        return;
    }
    let (Some(&control), Some(&id)) = (b.first(), b.get(1)) else {
        w.extend_from_slice(cut);
        return;
    };
    match control & 0xf0 {
        kind @ (0x10 | 0x20) => {
            let word = if kind == 0x20 { "lkup" } else { "brRq" };
            out!(w, " nbp-{word} {id}:");
            let Some(t) = tuple_at(b, NBP_HEADER) else {
                w.extend_from_slice(cut);
                return;
            };
            name(w, b, NBP_HEADER, cut);
            // The spec's one tuple, with the sender's address and
            // enumerator 0: tcpdump marks what differs.
            if control & 0xf != 1 {
                out!(w, " [ntup={}]", control & 0xf);
            }
            if t.enumerator != 0 {
                out!(w, " [enum={}]", t.enumerator);
            }
            if (t.net, t.node, t.socket) != (src.net, src.node, src.socket) {
                w.extend_from_slice(b" [addr=");
                put_addr(w, t.net, t.node);
                out!(w, ".{}]", t.socket);
            }
        }
        0x30 => {
            out!(w, " nbp-reply {id}:");
            let mut at = Some(NBP_HEADER);
            for _ in 0..control & 0xf {
                let Some(tp) = at else { break };
                at = reply_tuple(w, b, tp, src, cut);
            }
        }
        _ => out!(w, " nbp-0x{control:x}  {id} ({})", length - NBP_HEADER),
    }
}

/// An NBP tuple's address part and enumerator.
struct Tuple {
    net: u16,
    node: u8,
    socket: u8,
    enumerator: u8,
}

/// The tuple at `at`, when its five bytes were captured.
fn tuple_at(b: &[u8], at: usize) -> Option<Tuple> {
    let t = b.get(at..at + TUPLE)?;
    Some(Tuple {
        net: u16::from_be_bytes([t[0], t[1]]),
        node: t[2],
        socket: t[3],
        enumerator: t[4],
    })
}

/// One tuple of a reply: its name, its enumerator unless 1, its socket
/// unless the sender's, its address where it is not the sender's; where
/// the next one starts (`None` after a cut).
fn reply_tuple(w: &mut Vec<u8>, b: &[u8], at: usize, src: Source, cut: &[u8]) -> Option<usize> {
    let Some(t) = tuple_at(b, at) else {
        w.extend_from_slice(cut);
        return None;
    };
    let next = name(w, b, at, cut);
    if t.enumerator != 1 {
        out!(w, "({})", t.enumerator);
    }
    if t.socket != src.socket {
        out!(w, " {}", t.socket);
    }
    if (t.net, t.node) != (src.net, src.node) {
        w.extend_from_slice(b" [addr=");
        put_addr(w, t.net, t.node);
        w.push(b']');
    }
    next
}

/// `"object:type@zone"` after the tuple's address at `at`; where the
/// next tuple starts, `None` where a string was cut or too long.
fn name(w: &mut Vec<u8>, b: &[u8], at: usize, cut: &[u8]) -> Option<usize> {
    w.extend_from_slice(b" \"");
    let mut at = at + TUPLE;
    for after in [&b":"[..], b"@", b"\""] {
        at = counted_string(w, b, at, cut)?;
        w.extend_from_slice(after);
    }
    Some(at)
}

/// A string of at most 32 bytes after its length byte; `None` after
/// `[len=N]` for a longer one or tcpdump's cut mark.
fn counted_string(w: &mut Vec<u8>, b: &[u8], at: usize, cut: &[u8]) -> Option<usize> {
    let Some(&n) = b.get(at) else {
        w.extend_from_slice(cut);
        return None;
    };
    if n > 32 {
        out!(w, "[len={n}]");
        return None;
    }
    for i in 0..usize::from(n) {
        let Some(&c) = b.get(at + 1 + i) else {
            w.extend_from_slice(cut);
            return None;
        };
        put_char(w, c);
    }
    Some(at + 1 + usize::from(n))
}

const ATP_HEADER: usize = 8;
const ATP_XO: u8 = 0x20;
const ATP_EOM: u8 = 0x10;
const ATP_STS: u8 = 0x08;

/// The AppleTalk Transaction Protocol's request, response or release:
/// transaction id, bitmap or sequence, the flags tcpdump expects or
/// marks, user data when not zero.
fn atp(w: &mut Vec<u8>, b: &[u8], length: usize, cut: &[u8]) {
    let Some(h) = b.get(..ATP_HEADER) else {
        w.extend_from_slice(cut);
        return;
    };
    if length < ATP_HEADER {
        out!(w, " [|atp {length}]");
        return;
    }
    let length = length - ATP_HEADER;
    let (control, bitmap) = (h[0], h[1]);
    let tid = u16::from_be_bytes([h[2], h[3]]);
    let data = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    let flags = |w: &mut Vec<u8>, shown: &[(u8, &str)], sep: &str| {
        let names: Vec<&str> = shown
            .iter()
            .filter(|(bit, _)| control & bit != 0)
            .map(|(_, n)| *n)
            .collect();
        if !names.is_empty() {
            out!(w, "{sep}[{}]", names.join(","));
        }
    };
    match control & 0xc0 {
        0x40 => {
            let star = if control & ATP_XO != 0 { " " } else { "*" };
            out!(w, " atp-req{star} {tid}");
            put_bitmap(w, bitmap);
            if length != 0 {
                out!(w, " [len={length}]");
            }
            flags(w, &[(ATP_EOM, "EOM"), (ATP_STS, "STS")], " ");
        }
        0x80 => {
            let star = if control & ATP_EOM != 0 { "*" } else { " " };
            out!(w, " atp-resp{star}{tid}:{bitmap} ({length})");
            flags(w, &[(ATP_XO, "XO"), (ATP_STS, "STS")], " ");
        }
        0xc0 => {
            out!(w, " atp-rel  {tid}");
            put_bitmap(w, bitmap);
            if length != 0 {
                out!(w, " [len={length}]");
            }
            flags(w, &[(ATP_XO, "XO"), (ATP_EOM, "EOM"), (ATP_STS, "STS")], "");
        }
        _ => out!(w, " atp-0x{control:x}  {tid} ({length})"),
    }
    if data != 0 {
        out!(w, " 0x{data:x}");
    }
}

/// ATP's bitmap: `<0-7>` for bits 0 to n all set, else each bit
/// (`<0,2>`).
fn put_bitmap(w: &mut Vec<u8>, bm: u8) {
    let bits = u32::from(bm);
    if (bits + 1) & bits != 0 {
        let set: Vec<String> = (0..8)
            .filter(|i| bits & (1 << i) != 0)
            .map(|i| i.to_string())
            .collect();
        out!(w, "<{}>", set.join(","));
    } else {
        match 32 - bits.leading_zeros() {
            n if n > 1 => out!(w, "<0-{}>", n - 1),
            _ => w.extend_from_slice(b"<0>"),
        }
    }
}

const AARP_LEN: usize = 28;

fn aarp_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    aarp(w, p, 0)
}

/// AARP: who-has, reply, probe between AppleTalk addresses, anything
/// else by its fields.
fn aarp(w: &mut Vec<u8>, p: &Payload<'_>, _v: u8) -> Res<()> {
    let (m, length) = (p.bytes, p.declared_len);
    w.extend_from_slice(b"aarp ");
    let a = m.get(..AARP_LEN).ok_or(Truncated)?;
    if length < AARP_LEN {
        out!(w, " [|aarp {length}]");
        return Ok(());
    }
    let (htype, ptype) = (u16_at(a, 0)?, u16_at(a, 2)?);
    let (halen, palen, op) = (a[4], a[5], u16_at(a, 6)?);
    // The protocol address's last three bytes: net and node.
    let at =
        |w: &mut Vec<u8>, i: usize| put_addr(w, u16::from_be_bytes([a[i + 1], a[i + 2]]), a[i + 3]);
    if (htype, ptype, halen, palen) == (1, 0x809b, 6, 4) {
        let (sender, target) = (14, 24);
        match op {
            1 | 3 => {
                w.extend_from_slice(if op == 1 { b"who-has " } else { b"probe " });
                at(w, target);
                w.extend_from_slice(b" tell ");
                at(w, sender);
                return Ok(());
            }
            2 => {
                w.extend_from_slice(b"reply ");
                at(w, sender);
                w.extend_from_slice(b" is-at ");
                put_mac(w, &a[8..14]);
                return Ok(());
            }
            _ => {}
        }
    }
    // C's `%#x`: no prefix for zero.
    let ptype = if ptype == 0 {
        "0".to_string()
    } else {
        format!("{ptype:#x}")
    };
    out!(
        w,
        "len {length} op {op} htype {htype} ptype {ptype} halen {halen} palen {palen}"
    );
    Ok(())
}

pub(super) fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| ddp_json(o, p.bytes))
}

fn ddp_json(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("length".into(), json!(u16_at(m, 0)? & 0x3ff));
    o.insert("hops".into(), json!((u8_at(m, 0)? >> 2) & 0xf));
    o.insert("checksum".into(), json!(u16_at(m, 2)?));
    for (key, net, node, socket) in [("dst", 4, 8, 10), ("src", 6, 9, 11)] {
        o.insert(
            key.into(),
            json!({
                "net": u16_at(m, net)?,
                "node": u8_at(m, node)?,
                "socket": u8_at(m, socket)?,
            }),
        );
    }
    type_json(o, u8_at(m, 12)?, m.get(DDP..).unwrap_or(&[]))
}

/// A short DDP header `p` (LocalTalk's: the nodes are the LAP header's)
/// and what it carries, as [`to_json`] gives a long one's.
pub(super) fn short_json(p: &Payload<'_>, (src_node, dst_node): (u8, u8)) -> Value {
    json_object(|o| {
        let m = p.bytes;
        o.insert("length".into(), json!(u16_at(m, 0)? & 0x3ff));
        o.insert(
            "dst".into(),
            json!({"net": 0, "node": dst_node, "socket": u8_at(m, 2)?}),
        );
        o.insert(
            "src".into(),
            json!({"net": 0, "node": src_node, "socket": u8_at(m, 3)?}),
        );
        type_json(o, u8_at(m, 4)?, m.get(SHORT_DDP..).unwrap_or(&[]))
    })
}

/// A DDP header's type, its name and the first fields of NBP and ATP in
/// `body`, the bytes after the header.
fn type_json(o: &mut Map<String, Value>, t: u8, body: &[u8]) -> Res<()> {
    o.insert("type".into(), json!(t));
    let name = match t {
        NBP => Some("nbp"),
        ATP => Some("atp"),
        EIGRP => Some("eigrp"),
        _ => DDP_TYPES.iter().find(|(k, _)| *k == t).map(|(_, n)| *n),
    };
    o.insert("type_name".into(), json!(name));
    match t {
        NBP => {
            let control = u8_at(body, 0)?;
            o.insert(
                "nbp".into(),
                json!({ "function": control >> 4, "tuples": control & 0xf, "id": u8_at(body, 1)? }),
            );
        }
        ATP => {
            o.insert(
                "atp".into(),
                json!({
                    "control": u8_at(body, 0)?,
                    "bitmap": u8_at(body, 1)?,
                    "transaction": u16_at(body, 2)?,
                    "user_data": u32_at(body, 4)?,
                }),
            );
        }
        _ => {}
    }
    Ok(())
}

fn aarp_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let m = p.bytes;
        o.insert("hardware_type".into(), json!(u16_at(m, 0)?));
        o.insert("protocol_type".into(), json!(u16_at(m, 2)?));
        o.insert("op".into(), json!(u16_at(m, 6)?));
        let a = m.get(..AARP_LEN).ok_or(Truncated)?;
        let addr =
            |i: usize| json!({ "net": u16::from_be_bytes([a[i + 1], a[i + 2]]), "node": a[i + 3] });
        let mac = |i: usize| {
            let mut s = Vec::new();
            put_mac(&mut s, &a[i..i + 6]);
            String::from_utf8_lossy(&s).into_owned()
        };
        o.insert("sender_mac".into(), json!(mac(8)));
        o.insert("sender".into(), addr(14));
        o.insert("target_mac".into(), json!(mac(18)));
        o.insert("target".into(), addr(24));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ddp(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![
            0,
            (DDP + body.len()) as u8,
            0,
            0,
            0x12,
            0x34,
            1,
            1,
            0xff,
            7,
            2,
            0xfd,
            t,
        ];
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn nbp_lookup_and_atp_request() {
        let mut nbp = vec![0x21, 5, 1, 1, 7, 0xfd, 0, 3];
        nbp.extend_from_slice(b"obj\x09AFPServer\x01*");
        assert_eq!(
            ATALK.printed(&ddp(NBP, &nbp), 0),
            "257.7.253 > 4660.2:  nbp-lkup 5: \"obj:AFPServer@*\""
        );
        let atp = ddp(ATP, &[0x40, 0xff, 0x12, 0x34, 0, 0, 0, 0]);
        assert!(ATALK.printed(&atp, 0).ends_with(":  atp-req* 4660<0-7>"));
        assert!(ATALK.printed(&ddp(6, &[5, 1]), 0).ends_with(":  at-#6 2"));
    }

    #[test]
    fn test_truncated() {
        let m = ddp(ATP, &[0x40, 0xff]);
        assert_eq!(ATALK.printed_cut(&m, 12, 0), " [|ddp]");
        assert!(ATALK.printed(&m, 0).ends_with(":  [|atalk]"));
        assert_eq!(ATALK.printed(&m[..6], 0), " [|ddp 6]");
    }

    #[test]
    fn aarp_probe_and_others() {
        let mut a = vec![0, 1, 0x80, 0x9b, 6, 4, 0, 3, 2, 0, 0, 0, 0, 1, 0, 1, 2, 3];
        a.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 4, 5, 6]);
        assert_eq!(AARP.printed(&a, 0), "aarp probe 1029.6 tell 258.3");
        a[2] = 0;
        a[3] = 0;
        assert_eq!(
            AARP.printed(&a, 0),
            "aarp len 28 op 3 htype 1 ptype 0 halen 6 palen 4"
        );
        assert_eq!(AARP.printed(&a[..20], 0), "aarp  [|aarp]");
    }
}
