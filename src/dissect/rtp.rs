//! RTP (RFC 3550, and the v1 draft) and RTCP as tcpdump 4.99 prints them
//! under `-T rtp` / `-T rtcp` (they have no port: tcpdump reads a UDP
//! datagram as either only when told).
//!
//! RTP: `udp/rtp 160 c0 * 4660 160` — the payload's length after the
//! fixed header, the payload type, `+` for an extension (v1: options),
//! `*` for the marker, the sequence number and the timestamp; `-v` adds
//! the SSRC and, for payload type 31 (H.261), the first 16 bits after the
//! options and extension (` !opt`, ` !ext` where their lengths overrun
//! the datagram). Shorter datagrams: `udp/rtp, length 5 < 8`, and for v2
//! `udp/rtp, length 9 < 12`.
//!
//! RTCP: every packet of the compound datagram (read while captured bytes
//! are left, as tcpdump does), each after a space: ` sr @3900000000.50
//! 1234 10p 1600b` (the NTP time, the RTP timestamp, packets and bytes
//! sent), ` rr`, ` sdes 16`, ` bye 8`, ` type-0xcc 12`; a length its
//! report count contradicts ` [28]`; `-v` the SSRC; then each report
//! block ` 5l 100s 7j @1.00+0.50` (lost, highest sequence, jitter, last
//! SR and its delay in seconds), ` c2` before them when there are two or
//! more (tcpdump prints the first block that many times: its loop does
//! not move on). A packet or block cut by the capture ends the line
//! ` [|rtcp]`.
//!
//! Zeek has no analyzer for either (no `service`).

use super::ctl::{json_object, line_is_level_0, out};
use super::wire::{Res, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static RTP: Dissector = Dissector {
    name: "rtp",
    json_key: "rtp",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= 8,
};

pub static RTCP: Dissector = Dissector {
    name: "rtcp",
    json_key: "rtcp",
    line: Some(rtcp_line),
    verbose: Some(rtcp_verbose),
    json: rtcp_json,
    service: "",
    recognise: |m| m.len() >= 8,
};

/// RTP's fixed header: v1's 8 bytes, v2's 12 (with the SSRC).
const V1_HEADER: usize = 8;
const V2_HEADER: usize = 12;

/// What the first word says, by version.
struct Fixed {
    /// `rtpv1` or `rtp`.
    name: &'static str,
    /// v1's option bit, v2's extension bit.
    options: bool,
    extension: bool,
    payload_type: u32,
    marker: bool,
    /// Where the options or the extension start, in 32-bit words.
    words_in: usize,
}

fn fixed(i0: u32) -> Fixed {
    if i0 >> 30 == 1 {
        Fixed {
            name: "rtpv1",
            options: i0 & 0x80_0000 != 0,
            extension: false,
            payload_type: (i0 >> 16) & 0x3f,
            marker: i0 & 0x40_0000 != 0,
            words_in: 2,
        }
    } else {
        Fixed {
            name: "rtp",
            options: false,
            extension: i0 & 0x1000_0000 != 0,
            payload_type: (i0 >> 16) & 0x7f,
            marker: i0 & 0x80_0000 != 0,
            words_in: 3,
        }
    }
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < V1_HEADER {
        out!(w, "udp/rtp, length {len} < 8");
        return Ok(());
    }
    let (i0, i1) = (u32_at(m, 0)?, u32_at(m, 4)?);
    let f = fixed(i0);
    if f.words_in == 3 && len < V2_HEADER {
        out!(w, "udp/rtp, length {len} < 12");
        return Ok(());
    }
    let data = len - 4 * f.words_in;
    let plus = if f.options || f.extension { "+" } else { "" };
    let star = if f.marker { "*" } else { "" };
    out!(
        w,
        "udp/{} {data} c{} {plus}{star} {} {i1}",
        f.name,
        f.payload_type,
        i0 & 0xffff
    );
    if v == 0 {
        return Ok(());
    }
    out!(w, " {}", u32_at(m, 8)?);
    // tcpdump counts the datagram's 32-bit words after the fixed header,
    // and walks the options and the extension in words.
    let mut at = f.words_in;
    let mut left = len / 4 - f.words_in;
    if f.options {
        loop {
            let i2 = u32_at(m, at * 4)?;
            let n = ((i2 >> 16) & 0xff) as usize;
            if n == 0 || n > left {
                out!(w, " !opt");
                return Ok(());
            }
            at += n;
            left -= n;
            // The top bit marks the last option.
            if i2 & 0x8000_0000 != 0 {
                break;
            }
        }
    }
    if f.extension {
        let i2 = u32_at(m, at * 4)?;
        let n = (i2 & 0xffff) as usize + 1;
        if n > left {
            out!(w, " !ext");
            return Ok(());
        }
        at += n;
    }
    const H261: u32 = 0x1f;
    if f.payload_type == H261 {
        out!(w, " 0x{:04x}", u32_at(m, at * 4)? >> 16);
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    let (i0, i1) = (u32_at(m, 0)?, u32_at(m, 4)?);
    let f = fixed(i0);
    o.insert("version".into(), json!(i0 >> 30));
    o.insert("payload_type".into(), json!(f.payload_type));
    o.insert("marker".into(), json!(f.marker));
    o.insert("sequence".into(), json!(i0 & 0xffff));
    o.insert("timestamp".into(), json!(i1));
    if f.words_in == 3 {
        o.insert("extension".into(), json!(f.extension));
        o.insert("csrc_count".into(), json!((i0 >> 24) & 0xf));
        o.insert("ssrc".into(), json!(u32_at(m, 8)?));
    } else {
        o.insert("options".into(), json!(f.options));
    }
    Ok(())
}

/// RTCP's common header (flags, length in words minus one, SSRC), a
/// sender report's sender information, a report block.
const HEADER: usize = 8;
const SENDER_INFO: usize = 20;
const REPORT_BLOCK: usize = 24;

const SR: u8 = 200;
const RR: u8 = 201;
const SDES: u8 = 202;
const BYE: u8 = 203;

fn rtcp_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    rtcp_verbose(w, p, 0)
}

fn rtcp_verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let m = p.bytes;
    let mut at = 0;
    // tcpdump reads packets while captured bytes are left; each says its
    // length, at least one word, so the walk always moves on.
    while at < m.len() {
        at += rtcp_packet(w, m, at, v)?;
    }
    Ok(())
}

/// One RTCP packet at `at`; its length.
fn rtcp_packet(w: &mut Vec<u8>, m: &[u8], at: usize, v: u8) -> Res<usize> {
    let flags = u16_at(m, at)?;
    let len = (usize::from(u16_at(m, at + 2)?) + 1) * 4;
    let ssrc = u32_at(m, at + 4)?;
    let mut count = usize::from((flags >> 8) & 0x1f);
    let kind = (flags & 0xff) as u8;
    let mut blocks = at + HEADER;
    match kind {
        SR => {
            out!(w, " sr");
            if len != count * REPORT_BLOCK + SENDER_INFO + HEADER {
                out!(w, " [{len}]");
            }
            if v > 0 {
                out!(w, " {ssrc}");
            }
            let s = at + HEADER;
            if m.len() < s + SENDER_INFO {
                return Err(Truncated);
            }
            let ntp = f64::from(u32_at(m, s)?) + f64::from(u32_at(m, s + 4)?) / 4_294_967_296.0;
            out!(
                w,
                " @{ntp:.2} {} {}p {}b",
                u32_at(m, s + 8)?,
                u32_at(m, s + 12)?,
                u32_at(m, s + 16)?
            );
            blocks = s + SENDER_INFO;
        }
        RR => {
            out!(w, " rr");
            if len != count * REPORT_BLOCK + HEADER {
                out!(w, " [{len}]");
            }
            if v > 0 {
                out!(w, " {ssrc}");
            }
        }
        SDES | BYE => {
            out!(w, " {} {len}", if kind == SDES { "sdes" } else { "bye" });
            if v > 0 {
                out!(w, " {ssrc}");
            }
            count = 0;
        }
        _ => {
            out!(w, " type-0x{kind:x} {len}");
            count = 0;
        }
    }
    if count > 1 {
        out!(w, " c{count}");
    }
    // tcpdump's loop never moves on from the first block: each of the
    // `count` lines is the first block's.
    for b in std::iter::repeat_n(blocks, count) {
        if m.len() < b + REPORT_BLOCK {
            return Err(Truncated);
        }
        if v > 0 {
            out!(w, " {}", u32_at(m, b)?);
        }
        let lsr = f64::from(u32_at(m, b + 16)?) / 65536.0;
        let dlsr = f64::from(u32_at(m, b + 20)?) / 65536.0;
        out!(
            w,
            " {}l {}s {}j @{lsr:.2}+{dlsr:.2}",
            u32_at(m, b + 4)? & 0xff_ffff,
            u32_at(m, b + 8)?,
            u32_at(m, b + 12)?
        );
    }
    Ok(len)
}

fn rtcp_json(p: &Payload<'_>) -> Value {
    let mut packets = Vec::new();
    let m = p.bytes;
    let mut at = 0;
    let mut complete = true;
    while at < m.len() {
        match rtcp_packet_json(m, at) {
            Ok((o, len)) => {
                packets.push(o);
                at += len;
            }
            Err(Truncated) => {
                complete = false;
                break;
            }
        }
    }
    json!({ "packets": packets, "complete": complete })
}

/// One packet's fields and its length.
fn rtcp_packet_json(m: &[u8], at: usize) -> Res<(Value, usize)> {
    let flags = u16_at(m, at)?;
    let len = (usize::from(u16_at(m, at + 2)?) + 1) * 4;
    let kind = (flags & 0xff) as u8;
    let mut o = Map::new();
    let name = match kind {
        SR => "sr",
        RR => "rr",
        SDES => "sdes",
        BYE => "bye",
        _ => "other",
    };
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(name));
    o.insert("count".into(), json!((flags >> 8) & 0x1f));
    o.insert("length".into(), json!(len));
    o.insert("ssrc".into(), json!(u32_at(m, at + 4)?));
    if kind == SR {
        let s = at + HEADER;
        o.insert("ntp_seconds".into(), json!(u32_at(m, s)?));
        o.insert("ntp_fraction".into(), json!(u32_at(m, s + 4)?));
        o.insert("rtp_timestamp".into(), json!(u32_at(m, s + 8)?));
        o.insert("packets_sent".into(), json!(u32_at(m, s + 12)?));
        o.insert("octets_sent".into(), json!(u32_at(m, s + 16)?));
    }
    Ok((Value::Object(o), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rtp(first: [u8; 4], ts: u32, ssrc: u32, rest: &[u8]) -> Vec<u8> {
        let mut m = first.to_vec();
        m.extend_from_slice(&ts.to_be_bytes());
        m.extend_from_slice(&ssrc.to_be_bytes());
        m.extend_from_slice(rest);
        m
    }

    #[test]
    fn rtp_lines() {
        let m = rtp([0x80, 0x00, 0x12, 0x34], 160, 0xdead_beef, &[0xd5; 160]);
        assert_eq!(RTP.printed(&m, 0), "udp/rtp 160 c0  4660 160");
        assert_eq!(RTP.printed(&m, 1), "udp/rtp 160 c0  4660 160 3735928559");
        let marked = rtp([0x90, 0x9f, 0, 7], 1, 2, &[0, 0, 0, 0, 0xab, 0xcd, 0, 0]);
        // Extension of one word (length 0), then H.261's first 16 bits.
        assert_eq!(RTP.printed(&marked, 1), "udp/rtp 8 c31 +* 7 1 2 0xabcd");
        let long_ext = rtp([0x90, 0, 0, 1], 1, 2, &[0, 0, 0, 9]);
        assert_eq!(RTP.printed(&long_ext, 1), "udp/rtp 4 c0 + 1 1 2 !ext");
    }

    #[test]
    fn rtp_short_and_cut() {
        assert_eq!(RTP.printed(&[0x80; 5], 0), "udp/rtp, length 5 < 8");
        assert_eq!(RTP.printed(&[0x80; 9], 0), "udp/rtp, length 9 < 12");
        assert_eq!(
            RTP.printed(&[0x40, 0, 0, 1, 0, 0, 0, 2], 0),
            "udp/rtpv1 0 c0  1 2"
        );
        let m = rtp([0x80, 0, 0, 1], 1, 2, &[]);
        assert_eq!(RTP.printed_cut(&m, 6, 0), " [|rtp]");
    }

    #[test]
    fn rtcp_compound() {
        let mut m = vec![0x81, 200, 0, 12, 0, 0, 0x11, 0x11];
        for v in [3_900_000_000u32, 0x8000_0000, 1234, 10, 1600] {
            m.extend_from_slice(&v.to_be_bytes());
        }
        for v in [0x2222u32, 5, 100, 7, 0x1_0000, 0x8000] {
            m.extend_from_slice(&v.to_be_bytes());
        }
        m.extend_from_slice(&[0x81, 202, 0, 3, 0, 0, 0x11, 0x11, 1, 3, b'a', b'b', b'c', 0]);
        assert_eq!(
            RTCP.printed(&m, 0),
            " sr @3900000000.50 1234 10p 1600b 5l 100s 7j @1.00+0.50 sdes 16"
        );
        assert_eq!(RTCP.printed_cut(&m, 20, 0), " sr [|rtcp]");
    }
}
