//! HNCP, the Home Networking Control Protocol (RFC 7788 over DNCP, RFC
//! 7787; UDP 8231), as tcpdump 4.99.3 prints it: `hncp (N)` with the
//! datagram's length, then its TLVs.
//!
//! tcpdump's printer recurses into the TLVs that hold others (node state,
//! external connection, delegated and assigned prefixes, node address,
//! DNS delegated zone, node name, managed PSK) and prints a level either
//! in line — the types' names, `, `-separated, a run of one type as
//! `Peer (x3)` — or one TLV a line, indented by a tab a level, with its
//! fields ([`fields`]). A level is in line when its depth is at least the
//! verbosity and the verbosity is under 3: the default line names the
//! top level's types; `-v` prints the top level and names the types of
//! the next; `-vv` two levels; `-vvv` every level. The recursion has no
//! bound but the datagram (each level costs at least a TLV header), so
//! the walk keeps its levels on a heap stack rather than on the thread's.
//!
//! Each level stops on its own: a TLV header or body past the capture is
//! ` [|hncp]` (tcpdump's `ND_TCHECK`, not a `longjmp`: the enclosing
//! level goes on with its next TLV), one past its level's length is
//! ` (invalid)`; the names of a level in line that stopped early are not
//! printed. Zeek has no analyzer for it (no `service`).

mod dhcp;
mod fields;
mod names;
mod prefix;

use super::ctl::{json_object_with_list, line_is_level_0, out};
use super::wire::{Res, u16_at};
use super::{Dissector, Payload};
use serde_json::{Value, json};

pub static HNCP: Dissector = Dissector {
    name: "hncp",
    json_key: "hncp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= TLV_HEADER,
};

pub const PORT: u16 = 8231;

/// A TLV's type and body length.
const TLV_HEADER: usize = 4;

/// tcpdump's names of the types, by the "mask" it reduces a type to:
/// the type itself when named, else one of the four ranges past 0xffff.
const TYPES: &[(u32, &str)] = &[
    (1, "Request network state"),
    (2, "Request node state"),
    (3, "Node endpoint"),
    (4, "Network state"),
    (5, "Node state"),
    (8, "Peer"),
    (9, "Keep-alive interval"),
    (10, "Trust-Verdict"),
    (32, "HNCP-Version"),
    (33, "External-Connection"),
    (34, "Delegated-Prefix"),
    (43, "Prefix-Policy"),
    (37, "DHCPv4-Data"),
    (38, "DHCPv6-Data"),
    (35, "Assigned-Prefix"),
    (36, "Node-Address"),
    (39, "DNS-Delegated-Zone"),
    (40, "Domain-Name"),
    (41, "Node-Name"),
    (42, "Managed-PSK"),
    (RESERVED, "Reserved"),
    (UNASSIGNED, "Unassigned"),
    (PRIVATE_USE, "Private use"),
    (FUTURE_USE, "Future use"),
];

const RESERVED: u32 = 0x10000;
const UNASSIGNED: u32 = 0x10001;
const PRIVATE_USE: u32 = 0x10002;
const FUTURE_USE: u32 = 0x10003;

/// The type a TLV is printed as: its own when tcpdump names it, else its
/// range (0 reserved, 44-511 unassigned, 768-1023 private use, the rest
/// — 6 and 7 too — future use).
fn mask(t: u16) -> u32 {
    let t32 = u32::from(t);
    if TYPES.iter().any(|&(k, _)| k == t32) {
        return t32;
    }
    match t {
        0 => RESERVED,
        44..=511 => UNASSIGNED,
        768..=1023 => PRIVATE_USE,
        _ => FUTURE_USE,
    }
}

fn name(mask: u32) -> &'static str {
    super::ctl::tok(TYPES, mask).unwrap_or("Easter Egg")
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    out!(w, "hncp ({})", p.declared_len);
    walk(w, p.bytes, p.declared_len, v, None)
}

/// Whether a line stopped by tcpdump's `longjmp` (a name in a DHCP option
/// past the capture; only levels that print those options reach one).
pub(super) fn cut_jumps(p: &Payload<'_>, _: &[u8], v: u8) -> bool {
    walk(&mut Vec::new(), p.bytes, p.declared_len, v, None).is_err()
}

/// A newline and `indent` tabs: where each TLV of a level printed one a
/// line begins.
fn put_indent(w: &mut Vec<u8>, indent: usize) {
    w.push(b'\n');
    w.extend(std::iter::repeat_n(b'\t', indent));
}

/// One level of TLVs being printed: tcpdump's `hncp_print_rec` frame.
struct Level {
    /// Where its TLVs begin in the message, and how many bytes they fill.
    start: usize,
    len: usize,
    /// Its depth, 1 at the top (tcpdump's `indent`).
    indent: usize,
    /// The next TLV's offset from `start`.
    at: usize,
    in_line: bool,
    /// For a level in line: whether a name was printed yet, and the run
    /// of one type not printed yet (its mask, its count).
    named_any: bool,
    run: Option<(u32, usize)>,
}

impl Level {
    fn new(start: usize, len: usize, indent: usize, v: u8) -> Level {
        Level {
            start,
            len,
            indent,
            at: 0,
            in_line: indent > usize::from(v) && v < 3,
            named_any: false,
            run: None,
        }
    }

    /// Print the run of one type a level in line has been counting.
    fn put_run(&mut self, w: &mut Vec<u8>) {
        let Some((mask, count)) = self.run.take() else {
            return;
        };
        if self.named_any {
            w.extend_from_slice(b", ");
        } else if self.indent > 1 {
            put_indent(w, self.indent);
        } else {
            w.push(b' ');
        }
        self.named_any = true;
        w.extend_from_slice(name(mask).as_bytes());
        if count > 1 {
            out!(w, " (x{count})");
        }
    }
}

/// What a TLV's fields ask of the walk after them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// Go on with the next TLV.
    Next,
    /// Print the TLVs held from this offset of the body, a level deeper.
    Nested(usize),
    /// End this level (a DHCPv4 option list tcpdump found bad).
    EndLevel,
}

/// A TLV printed on a line of its own, for `--json`: its depth, type,
/// length and where the text of its fields lies in the line.
struct Seen {
    depth: usize,
    t: u16,
    length: usize,
    fields: std::ops::Range<usize>,
}

/// Every level of TLVs of the message `m` whose top level is `len` long;
/// each TLV printed on a line of its own into `seen` when it is given.
/// `Err` where tcpdump `longjmp`s out of its printer.
fn walk(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8, mut seen: Option<&mut Vec<Seen>>) -> Res<()> {
    let mut levels = vec![Level::new(0, len, 1, v)];
    while let Some(level) = levels.last_mut() {
        if level.at >= level.len {
            level.put_run(w);
            levels.pop();
            continue;
        }
        let tlv = level.start + level.at;
        if !level.in_line {
            put_indent(w, level.indent);
        }
        match tlv_at(m, tlv, level.len - level.at) {
            Err(stop) => {
                w.extend_from_slice(stop);
                levels.pop();
            }
            Ok((t, body)) => {
                level.at += TLV_HEADER + body + (body.wrapping_neg() & 3);
                let mask = mask(t);
                if level.in_line {
                    match level.run {
                        Some((last, ref mut count)) if last == mask => *count += 1,
                        _ => {
                            level.put_run(w);
                            level.run = Some((mask, 1));
                        }
                    }
                    continue;
                }
                w.extend_from_slice(name(mask).as_bytes());
                if mask > 0xffff {
                    out!(w, ": type={t}");
                }
                out!(w, " ({})", body + TLV_HEADER);
                let value = tlv + TLV_HEADER;
                let indent = level.indent;
                let from = w.len();
                let after = fields::put(w, m, mask, value, body, indent)?;
                if let Some(seen) = seen.as_deref_mut() {
                    seen.push(Seen {
                        depth: indent,
                        t,
                        length: body + TLV_HEADER,
                        fields: from..w.len(),
                    });
                }
                match after {
                    After::Next => {}
                    After::Nested(off) => {
                        levels.push(Level::new(value + off, body - off, indent + 1, v))
                    }
                    After::EndLevel => {
                        w.extend_from_slice(b" (invalid)");
                        levels.pop();
                    }
                }
            }
        }
    }
    Ok(())
}

/// The type and body length of the TLV at `at`, whole in the capture and
/// in the `left` bytes of its level; else what tcpdump prints for it.
fn tlv_at(m: &[u8], at: usize, left: usize) -> Result<(u16, usize), &'static [u8]> {
    const CUT: &[u8] = b" [|hncp]";
    const INVALID: &[u8] = b" (invalid)";
    let t = u16_at(m, at).map_err(|_| CUT)?;
    let body = usize::from(u16_at(m, at + 2).map_err(|_| CUT)?);
    if left < TLV_HEADER {
        return Err(INVALID);
    }
    if m.len() < at + TLV_HEADER + body {
        return Err(CUT);
    }
    if left < TLV_HEADER + body {
        return Err(INVALID);
    }
    Ok((t, body))
}

/// `--json`: the datagram's length and every TLV at every depth, in the
/// order tcpdump's `-vvv` prints them, each with its depth, type (its
/// name), length and the text of its fields on that line.
fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("tlvs", |o, list| {
        o.insert("length".into(), json!(p.declared_len));
        let mut text = Vec::new();
        let mut seen = Vec::new();
        let read = walk(&mut text, p.bytes, p.declared_len, 3, Some(&mut seen));
        for tlv in seen {
            let fields = text.get(tlv.fields.clone()).unwrap_or_default();
            list.push(json!({
                "depth": tlv.depth,
                "type": tlv.t,
                "type_name": name(mask(tlv.t)),
                "length": tlv.length,
                "fields": String::from_utf8_lossy(fields).trim(),
            }));
        }
        read
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tlv` nested `depth` times in External-Connection TLVs.
    fn nested(depth: usize, tlv: &[u8]) -> Vec<u8> {
        let mut m = tlv.to_vec();
        for _ in 0..depth {
            let mut outer = vec![0, 33];
            outer.extend_from_slice(&(m.len() as u16).to_be_bytes());
            outer.extend(m);
            m = outer;
        }
        m
    }

    fn text(m: &[u8], v: u8) -> String {
        let mut w = Vec::new();
        verbose(&mut w, &Payload::whole(m), v).unwrap();
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn thousands_of_levels_take_no_thread_stack() {
        let m = nested(4000, &[0, 1, 0, 0]);
        let t = text(&m, 3);
        assert_eq!(t.lines().count(), 4002);
        let last = t.lines().last().unwrap();
        assert_eq!(
            last,
            format!("{}Request network state (4)", "\t".repeat(4001))
        );
        // -vv prints two levels, then names the third's types.
        assert_eq!(
            text(&m, 2),
            "hncp (16004)\n\tExternal-Connection (16004)\n\t\tExternal-Connection (16000)\n\t\t\tExternal-Connection"
        );
    }

    #[test]
    fn a_level_in_line_names_runs_of_one_type() {
        let peer = [0, 8, 0, 12, 1, 2, 3, 4, 0, 0, 0, 1, 0, 0, 0, 2];
        let m = [
            &peer[..],
            &peer,
            &[0, 1, 0, 0],
            &peer,
            &[0, 6, 0, 0, 0, 7, 0, 0],
        ]
        .concat();
        assert_eq!(
            text(&m, 0),
            "hncp (60) Peer (x2), Request network state, Peer, Future use (x2)"
        );
    }

    #[test]
    fn a_cut_inner_tlv_stops_its_level_only() {
        // An inner TLV claims more than was captured: ` [|hncp]`, then the
        // outer level goes on (and finds its next TLV cut too).
        let m = [&nested(1, &[0, 1, 0, 0])[..], &[0, 1, 0, 0]].concat();
        let mut cut = m.clone();
        cut[7] = 40;
        let p = Payload {
            bytes: &cut,
            declared_len: 12,
        };
        let mut w = Vec::new();
        verbose(&mut w, &p, 3).unwrap();
        assert_eq!(
            String::from_utf8(w).unwrap(),
            "hncp (12)\n\tExternal-Connection (8)\n\t\t [|hncp]\n\tRequest network state (4)"
        );
    }
}
