//! sFlow version 5 on UDP port 6343, as `tcpdump -n` 4.99 prints it: the
//! agent and the datagram's length by default
//! (`sFlowv5, IPv4 agent 10.0.0.1, agent-id 7, length 896`); at `-v` the
//! sequence number, uptime and sample count, then one `\n\t` line per
//! sample (flow, counter and their expanded forms) with one line per
//! record under it, and the fields of the records tcpdump decodes (raw
//! packet header, Ethernet frame, extended switch data; the generic,
//! Ethernet, 100BaseVG, VLAN and processor counters). Records and samples
//! of a type tcpdump does not know are dumped in hex at `-v` only.
//!
//! tcpdump hands each sample's printer the bytes left in the datagram,
//! not the sample's own length, so records may run past their sample:
//! this printer measures them the same way. A length that contradicts
//! the datagram ends the line with ` (invalid)`; every read past the
//! capture is tcpdump's `longjmp` ([`super::CUT_BY_LONGJMP`]). Zeek has
//! no sFlow analyzer: no `service`.

use super::ctl::{invalid, json_object_with_list, out, tok, unknown_data};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, need, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

/// sFlow on its port.
pub static SFLOW: Dissector = Dissector {
    name: "sflow",
    json_key: "sflow",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.get(..4) == Some(&[0, 0, 0, 5]),
};

const SAMPLES: &[(u32, &str)] = &[
    (1, "flow sample"),
    (2, "counter sample"),
    (3, "expanded flow sample"),
    (4, "expanded counter sample"),
];

const FLOW_RECORDS: &[(u32, &str)] = &[
    (1, "Raw packet"),
    (2, "Ethernet frame"),
    (3, "IPv4 Data"),
    (4, "IPv6 Data"),
    (1001, "Extended Switch data"),
    (1002, "Extended Router data"),
    (1003, "Extended Gateway data"),
    (1004, "Extended User data"),
    (1005, "Extended URL data"),
    (1006, "Extended MPLS data"),
    (1007, "Extended NAT data"),
    (1008, "Extended MPLS tunnel"),
    (1009, "Extended MPLS VC"),
    (1010, "Extended MPLS FEC"),
    (1011, "Extended MPLS LVP FEC"),
    (1012, "Extended VLAN Tunnel"),
];

const COUNTER_RECORDS: &[(u32, &str)] = &[
    (1, "Generic counter"),
    (2, "Ethernet counter"),
    (3, "Token ring counter"),
    (4, "100 BaseVG counter"),
    (5, "Vlan counter"),
    (1001, "Processor counter"),
];

const HEADER_PROTOCOLS: &[(u32, &str)] = &[(1, "Ethernet"), (11, "IPv4"), (12, "IPv6")];

const DIRECTIONS: &[(u32, &str)] = &[
    (0, "unknown"),
    (1, "full-duplex"),
    (2, "half-duplex"),
    (3, "in"),
    (4, "out"),
];

/// The datagram header's size with an IPv4 agent, the one tcpdump's
/// length check names whatever the agent's family.
const HEADER_V4: usize = 28;
const HEADER_V6: usize = 40;

/// A sample's or record's format word and length.
const ITEM_HEAD: usize = 8;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    verbose(w, p, 0)
}

fn u64_at(m: &[u8], at: usize) -> Res<u64> {
    bytes_at::<8>(m, at).map(u64::from_be_bytes)
}

/// `n` consecutive 32-bit words from `at` (all read before any is
/// printed: each of tcpdump's `ND_PRINT`s reads its fields first).
fn words<const N: usize>(m: &[u8], at: usize) -> Res<[u32; N]> {
    let mut v = [0; N];
    for (i, x) in v.iter_mut().enumerate() {
        *x = u32_at(m, at + 4 * i)?;
    }
    Ok(v)
}

fn name_or_unknown(table: &[(u32, &'static str)], v: u32) -> &'static str {
    tok(table, v).unwrap_or("Unknown")
}

/// Where the datagram header puts each field, by agent family.
struct Header {
    v6: bool,
    size: usize,
}

impl Header {
    fn of(ip_version: u32) -> Header {
        let v6 = ip_version != 1;
        let size = if v6 { HEADER_V6 } else { HEADER_V4 };
        Header { v6, size }
    }

    /// The agent's address, then the fields after it (`i` counts words
    /// from the agent id).
    fn put_agent(&self, w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
        if self.v6 {
            put_ipv6(w, &bytes_at::<16>(m, 8)?);
        } else {
            out!(w, "{}", Ipv4Addr::from(bytes_at::<4>(m, 8)?));
        }
        Ok(())
    }

    fn word(&self, m: &[u8], i: usize) -> Res<u32> {
        u32_at(m, self.size - 16 + 4 * i)
    }
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    let ip_version = u32_at(m, 4)?;
    if (len < HEADER_V4 && ip_version == 1) || (len < HEADER_V6 && ip_version == 2) {
        out!(
            w,
            "sFlowv{} [length {len} < {HEADER_V4}] (invalid)",
            u32_at(m, 0)?
        );
        return Ok(());
    }
    need(m, 0, HEADER_V4)?;
    let version = u32_at(m, 0)?;
    if version != 5 {
        out!(w, "sFlow version {version} packet not supported");
        return Ok(());
    }
    let h = Header::of(ip_version);
    let family = if h.v6 { "IPv6" } else { "IPv4" };
    // Each of tcpdump's lines is printed whole or not at all.
    let mut head = Vec::new();
    out!(head, "sFlowv{version}, {family} agent ");
    h.put_agent(&mut head, m)?;
    if v == 0 {
        out!(head, ", agent-id {}, length {len}", h.word(m, 0)?);
        w.extend_from_slice(&head);
        return Ok(());
    }
    let samples = h.word(m, 3)?;
    let [id, seqnum, uptime] = [h.word(m, 0)?, h.word(m, 1)?, h.word(m, 2)?];
    out!(
        head,
        ", agent-id {id}, seqnum {seqnum}, uptime {uptime}, samples {samples}, length {len}"
    );
    w.extend_from_slice(&head);
    let mut at = h.size;
    let mut left = len.saturating_sub(h.size);
    let mut n = samples;
    while n != 0 && left != 0 {
        let kind = u32_at(m, at)? & 0x0fff;
        let slen = u32_at(m, at + 4)?;
        if left < ITEM_HEAD {
            return invalid(w, m, at, left);
        }
        at += ITEM_HEAD;
        left -= ITEM_HEAD;
        out!(
            w,
            "\n\t{} ({kind}), length {slen},",
            name_or_unknown(SAMPLES, kind)
        );
        if kind == 0 || slen == 0 {
            return Ok(());
        }
        let slen = slen as usize;
        if left < slen {
            return invalid(w, m, at, left);
        }
        need(m, at, slen)?;
        let ok = match kind {
            1..=4 => sample(w, m, at, left, kind, v)?,
            _ => {
                if v <= 1 {
                    unknown_data(w, m, at, "\n\t    ", slen);
                }
                true
            }
        };
        if !ok {
            return invalid(w, m, at, left);
        }
        at += slen;
        left -= slen;
        n -= 1;
    }
    Ok(())
}

/// A sample of type `kind` (1 to 4): its fields and records
/// (`Ok(false)`: too short for them, tcpdump's ` (invalid)`). `left` is
/// what the datagram holds from `at`, which tcpdump measures the sample
/// and its records against (not the sample's own length).
fn sample(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize, kind: u32, v: u8) -> Res<bool> {
    let (size, list) = match kind {
        1 => (32, &FLOW),
        2 => (12, &COUNTER),
        3 => (44, &FLOW),
        _ => (16, &COUNTER),
    };
    if left < size {
        return Ok(false);
    }
    let n = match kind {
        1 => {
            let [seqnum, source, rate, pool, drops, input, output, n] = words::<8>(m, at)?;
            out!(
                w,
                " seqnum {seqnum}, type {}, idx {}, rate {rate}, pool {pool}, drops {drops}, \
                 input {input} output {output} records {n}",
                source >> 24,
                source & 0x00ff_ffff
            );
            n
        }
        3 => {
            let [seqnum, kind, index, rate, pool, drops] = words::<6>(m, at)?;
            let n = u32_at(m, at + 40)?;
            out!(
                w,
                " seqnum {seqnum}, type {kind}, idx {index}, rate {rate}, pool {pool}, \
                 drops {drops}, records {n}"
            );
            n
        }
        _ => {
            let (seqnum, kind, index, n) = if kind == 4 {
                let [s, k, i, r] = words::<4>(m, at)?;
                (s, k, i, r)
            } else {
                let [s, source, r] = words::<3>(m, at)?;
                (s, source >> 24, source & 0x00ff_ffff, r)
            };
            out!(w, " seqnum {seqnum}, type {kind}, idx {index}, records {n}");
            n
        }
    };
    records(w, m, (at + size, left - size), n, list, v)
}

/// A record's head: its enterprise, type and length.
struct Record {
    enterprise: u32,
    kind: u32,
    len: usize,
}

/// The record at `at`, whose format word keeps the enterprise above
/// `shift` bits (tcpdump shifts a flow record's by 12 and a counter
/// record's by 20).
fn record(m: &[u8], at: usize, shift: u32) -> Res<Record> {
    let format = u32_at(m, at)?;
    Ok(Record {
        enterprise: format >> shift,
        kind: format & 0x0fff,
        len: u32_at(m, at + 4)? as usize,
    })
}

/// The fields of a flow record tcpdump decodes; `Ok(false)` when fewer
/// bytes are left in the datagram than its fields take.
fn flow_record(w: &mut Vec<u8>, m: &[u8], at: usize, left: usize, r: &Record, v: u8) -> Res<bool> {
    match r.kind {
        1 => {
            if left < 16 {
                return Ok(false);
            }
            let [protocol, length, stripped, header] = words::<4>(m, at)?;
            out!(
                w,
                "\n\t      protocol {} ({protocol}), length {length}, stripped bytes {stripped}, \
                 header_size {header}",
                name_or_unknown(HEADER_PROTOCOLS, protocol)
            );
        }
        2 => {
            if left < 24 {
                return Ok(false);
            }
            let (length, kind) = (u32_at(m, at)?, u32_at(m, at + 20)?);
            out!(w, "\n\t      frame len {length}, type {kind}");
        }
        1001 => {
            if left < 16 {
                return Ok(false);
            }
            let [src_vlan, src_pri, dst_vlan, dst_pri] = words::<4>(m, at)?;
            out!(
                w,
                "\n\t      src vlan {src_vlan}, src pri {src_pri}, dst vlan {dst_vlan}, \
                 dst pri {dst_pri}"
            );
        }
        3 | 4 | 1002..=1012 => {}
        _ if v <= 1 => unknown_data(w, m, at, "\n\t\t", r.len),
        _ => {}
    }
    Ok(true)
}

/// How one kind of record list is read and printed: where its format
/// word keeps the enterprise (tcpdump shifts a flow record's by 12 and a
/// counter record's by 20), its type names, the words between the
/// enterprise and the name, and the printer of the records it decodes.
struct RecordKind {
    shift: u32,
    names: &'static [(u32, &'static str)],
    separator: &'static str,
    fields: FieldsFn,
}

/// Prints a record's fields from `at` with `left` bytes in the datagram;
/// `Ok(false)` when they do not fit.
type FieldsFn = fn(&mut Vec<u8>, &[u8], usize, usize, &Record, u8) -> Res<bool>;

const FLOW: RecordKind = RecordKind {
    shift: 12,
    names: FLOW_RECORDS,
    separator: " ",
    fields: flow_record,
};

const COUNTER: RecordKind = RecordKind {
    shift: 20,
    names: COUNTER_RECORDS,
    separator: ", ",
    fields: counter_record,
};

/// `n` records from `at`, `left` bytes being left in the datagram;
/// `Ok(false)` where tcpdump's printer gives up (` (invalid)`).
fn records(
    w: &mut Vec<u8>,
    m: &[u8],
    (mut at, mut left): (usize, usize),
    mut n: u32,
    kind: &RecordKind,
    v: u8,
) -> Res<bool> {
    while n != 0 {
        if left < ITEM_HEAD {
            return Ok(false);
        }
        let r = record(m, at, kind.shift)?;
        let name = match r.enterprise {
            0 => name_or_unknown(kind.names, r.kind),
            _ => "Unknown",
        };
        out!(
            w,
            "\n\t    enterprise {}{}{name} ({}) length {}",
            r.enterprise,
            kind.separator,
            r.kind,
            r.len
        );
        at += ITEM_HEAD;
        left -= ITEM_HEAD;
        if left < r.len {
            return Ok(false);
        }
        if r.enterprise == 0 && !(kind.fields)(w, m, at, left, &r, v)? {
            return Ok(false);
        }
        at += r.len;
        left -= r.len;
        n -= 1;
    }
    Ok(true)
}

/// The size of each counter record tcpdump decodes.
fn counter_size(kind: u32) -> Option<usize> {
    match kind {
        1 => Some(88),
        2 => Some(52),
        4 => Some(80),
        5 | 1001 => Some(28),
        _ => None,
    }
}

fn counter_record(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    left: usize,
    r: &Record,
    v: u8,
) -> Res<bool> {
    if counter_size(r.kind).is_some_and(|size| left < size) {
        return Ok(false);
    }
    let t = "\n\t      ";
    match r.kind {
        1 => {
            let [index, kind] = words::<2>(m, at)?;
            let speed = u64_at(m, at + 8)?;
            let direction = u32_at(m, at + 16)?;
            out!(
                w,
                "{t}ifindex {index}, iftype {kind}, ifspeed {speed}, ifdirection {direction} ({})",
                name_or_unknown(DIRECTIONS, direction)
            );
            let status = u32_at(m, at + 20)?;
            let up = |bit: u32| if status >> bit & 1 != 0 { "up" } else { "down" };
            out!(
                w,
                "{t}ifstatus {status}, adminstatus: {}, operstatus: {}",
                up(0),
                up(1)
            );
            let octets = u64_at(m, at + 24)?;
            let [uni, multi, broad, discards] = words::<4>(m, at + 32)?;
            out!(
                w,
                "{t}In octets {octets}, unicast pkts {uni}, multicast pkts {multi}, \
                 broadcast pkts {broad}, discards {discards}"
            );
            let [errors, unknown] = words::<2>(m, at + 48)?;
            out!(w, "{t}In errors {errors}, unknown protos {unknown}");
            let octets = u64_at(m, at + 56)?;
            let [uni, multi, broad, discards] = words::<4>(m, at + 64)?;
            out!(
                w,
                "{t}Out octets {octets}, unicast pkts {uni}, multicast pkts {multi}, \
                 broadcast pkts {broad}, discards {discards}"
            );
            let [errors, promisc] = words::<2>(m, at + 80)?;
            out!(w, "{t}Out errors {errors}, promisc mode {promisc}");
        }
        2 => {
            let [align, fcs, single, multiple, test] = words::<5>(m, at)?;
            out!(
                w,
                "{t}align errors {align}, fcs errors {fcs}, single collision {single}, \
                 multiple collision {multiple}, test error {test}"
            );
            let [deferred, late, excessive, mac_tx] = words::<4>(m, at + 20)?;
            out!(
                w,
                "{t}deferred {deferred}, late collision {late}, excessive collision \
                 {excessive}, mac trans error {mac_tx}"
            );
            let [carrier, too_long, mac_rx, symbol] = words::<4>(m, at + 36)?;
            out!(
                w,
                "{t}carrier error {carrier}, frames too long {too_long}, mac receive errors \
                 {mac_rx}, symbol errors {symbol}"
            );
        }
        3 => {}
        4 => {
            let (frames, octets) = (u32_at(m, at)?, u64_at(m, at + 4)?);
            out!(
                w,
                "{t}in high prio frames {frames}, in high prio octets {octets}"
            );
            let (frames, octets) = (u32_at(m, at + 12)?, u64_at(m, at + 16)?);
            out!(
                w,
                "{t}in norm prio frames {frames}, in norm prio octets {octets}"
            );
            let [ipm, oversized, data, null] = words::<4>(m, at + 24)?;
            out!(
                w,
                "{t}in ipm errors {ipm}, oversized {oversized}, in data errors {data}, \
                 null addressed frames {null}"
            );
            let (frames, octets) = (u32_at(m, at + 40)?, u64_at(m, at + 44)?);
            let into = u32_at(m, at + 52)?;
            out!(
                w,
                "{t}out high prio frames {frames}, out high prio octets {octets}, \
                 trans into frames {into}"
            );
            let [high, norm, out_high] = [
                u64_at(m, at + 56)?,
                u64_at(m, at + 64)?,
                u64_at(m, at + 72)?,
            ];
            out!(
                w,
                "{t}in hc high prio octets {high}, in hc norm prio octets {norm}, \
                 out hc high prio octets {out_high}"
            );
        }
        5 => {
            let (vlan, octets) = (u32_at(m, at)?, u64_at(m, at + 4)?);
            let [uni, multi, broad, discards] = words::<4>(m, at + 12)?;
            out!(
                w,
                "{t}vlan_id {vlan}, octets {octets}, unicast_pkt {uni}, multicast_pkt \
                 {multi}, broadcast_pkt {broad}, discards {discards}"
            );
        }
        1001 => {
            let [five_sec, one_min, five_min] = words::<3>(m, at)?;
            let (total, free) = (u64_at(m, at + 12)?, u64_at(m, at + 20)?);
            // tcpdump names the free memory `total_mem` too.
            out!(
                w,
                "{t}5sec {five_sec}, 1min {one_min}, 5min {five_min}, total_mem {total}, \
                 total_mem {free}"
            );
        }
        _ if v <= 1 => unknown_data(w, m, at, "\n\t\t", r.len),
        _ => {}
    }
    Ok(true)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object_with_list("samples", |o, list| json_fields(o, list, p.bytes))
}

/// The header, then each sample as far as it was captured, bounded by its
/// own length (records past it are not followed).
fn json_fields(o: &mut Map<String, Value>, list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let version = u32_at(m, 0)?;
    o.insert("version".into(), json!(version));
    let ip_version = u32_at(m, 4)?;
    o.insert("ip_version".into(), json!(ip_version));
    if version != 5 {
        return Ok(());
    }
    let h = Header::of(ip_version);
    let agent = if h.v6 {
        Ipv6Addr::from(bytes_at::<16>(m, 8)?).to_string()
    } else {
        Ipv4Addr::from(bytes_at::<4>(m, 8)?).to_string()
    };
    o.insert("agent".into(), json!(agent));
    for (i, key) in ["agent_id", "seqnum", "uptime", "samples_count"]
        .into_iter()
        .enumerate()
    {
        o.insert(key.into(), json!(h.word(m, i)?));
    }
    let mut at = h.size;
    for _ in 0..h.word(m, 3)? {
        if at >= m.len() {
            break;
        }
        let kind = u32_at(m, at)? & 0x0fff;
        let len = u32_at(m, at + 4)? as usize;
        let body = m.get(at + ITEM_HEAD..).unwrap_or_default();
        let body = body.get(..len).ok_or(super::Truncated)?;
        list.push(sample_json(kind, len, body));
        if len == 0 {
            break;
        }
        at += ITEM_HEAD + len;
    }
    Ok(())
}

fn sample_json(kind: u32, len: usize, b: &[u8]) -> Value {
    let mut s = Map::new();
    s.insert("type".into(), json!(kind));
    s.insert("type_name".into(), json!(tok(SAMPLES, kind)));
    s.insert("length".into(), json!(len));
    // Where each sample's fields and record list sit, and how a record's
    // format word splits.
    let (fields, records_at, shift, names): (&[&str], usize, u32, &[(u32, &str)]) = match kind {
        1 => (
            &[
                "seqnum", "source", "rate", "pool", "drops", "input", "output",
            ],
            32,
            12,
            FLOW_RECORDS,
        ),
        2 => (&["seqnum", "source"], 12, 20, COUNTER_RECORDS),
        3 => (
            &[
                "seqnum",
                "source_type",
                "source_index",
                "rate",
                "pool",
                "drops",
                "input_format",
                "input",
                "output_format",
                "output",
            ],
            44,
            12,
            FLOW_RECORDS,
        ),
        4 => (
            &["seqnum", "source_type", "source_index"],
            16,
            20,
            COUNTER_RECORDS,
        ),
        _ => return Value::Object(s),
    };
    for (i, key) in fields.iter().enumerate() {
        if let Ok(x) = u32_at(b, 4 * i) {
            s.insert((*key).into(), json!(x));
        }
    }
    let mut records = Vec::new();
    if let Ok(n) = u32_at(b, records_at - 4) {
        let mut at = records_at;
        for _ in 0..n {
            let Ok(r) = record(b, at, shift) else { break };
            let name = if r.enterprise == 0 {
                tok(names, r.kind)
            } else {
                None
            };
            records.push(json!({
                "enterprise": r.enterprise,
                "format": r.kind,
                "name": name,
                "length": r.len,
            }));
            at = match at.checked_add(ITEM_HEAD + r.len) {
                Some(next) if next <= b.len() => next,
                _ => break,
            };
        }
    }
    s.insert("records".into(), Value::Array(records));
    Value::Object(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[u32]) -> Vec<u8> {
        v.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    /// A datagram from 10.0.0.1 with one counter sample holding one VLAN
    /// counter record.
    fn datagram() -> Vec<u8> {
        let vlan = [words(&[5, 28, 100, 0, 5000, 1, 2, 3, 4])].concat();
        let sample = [words(&[2, 12 + 36, 43, 0x0200_0003, 1]), vlan].concat();
        [words(&[5, 1, 0x0a00_0001, 7, 99, 123_456, 1]), sample].concat()
    }

    #[test]
    fn test_levels_and_cuts() {
        let m = datagram();
        let head = "sFlowv5, IPv4 agent 10.0.0.1, agent-id 7";
        assert_eq!(SFLOW.printed(&m, 0), format!("{head}, length {}", m.len()));
        let v = SFLOW.printed(&m, 1);
        assert!(v.contains("counter sample (2), length 48, seqnum 43, type 2, idx 3"));
        assert!(v.ends_with("broadcast_pkt 3, discards 4"), "{v}");
        // Cut inside the sample: its head line, then the mark.
        assert!(
            SFLOW
                .printed_cut(&m, 40, 1)
                .ends_with("length 48, [|sflow]")
        );
        assert_eq!(SFLOW.printed_cut(&m, 3, 0), " [|sflow]");
    }

    #[test]
    fn test_contradicting_lengths_are_invalid() {
        let mut m = datagram();
        // The VLAN record says it is longer than the datagram.
        if let Some(b) = m.get_mut(36 + 12 + 7) {
            *b = 200;
        }
        assert!(SFLOW.printed(&m, 1).ends_with("length 200 (invalid)"));
        assert_eq!(
            SFLOW.printed(&words(&[5, 1, 0, 0]), 0),
            "sFlowv5 [length 16 < 28] (invalid)"
        );
        assert_eq!(
            SFLOW.printed(&words(&[4, 1, 0, 0, 0, 0, 0]), 1),
            "sFlow version 4 packet not supported"
        );
    }
}
