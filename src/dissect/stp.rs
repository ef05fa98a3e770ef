//! Spanning tree BPDUs (LLC SAP 0x42): 802.1D configuration and topology
//! change, 802.1w rapid STP, 802.1s MSTP with its MSTI records and
//! 802.1aq SPB — as `tcpdump -n` prints them: `STP 802.1w, Rapid STP,
//! Flags [Proposal], bridge-id 8001.00:19:06:ea:b8:80.800c, length 36`,
//! with the timers, root and port role on `-v` lines. A BPDU shorter than
//! its type needs ends in ` (invalid)`, one the capture cut in ` [|stp]`.

use super::ctl::{Bit, json_object, line_is_level_0, out, put_bits, put_text_nul, tok};
use super::wire::{Res, bytes_at, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static STP: Dissector = Dissector::new("stp", line, verbose, to_json, looks_like_stp);

fn looks_like_stp(m: &[u8]) -> bool {
    m.starts_with(&[0, 0])
}

const FLAGS: &[Bit] = &[
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

const ROLES: [&str; 4] = ["Unknown", "Alternate", "Root", "Designated"];

const VERSIONS: &[(u8, &str)] = &[(0, "802.1d"), (2, "802.1w"), (3, "802.1s"), (4, "802.1aq")];

/// The fixed part of a configuration BPDU, up to the version 1 length.
const CONFIG_LEN: usize = 36;
const MSTP_MIN_LEN: usize = 102;
const V3_LEN_AT: usize = 36;
const MSTI_AT: usize = 102;
const SPB_MIN_LEN: usize = 87;

line_is_level_0!();

fn role(flags: u8) -> &'static str {
    ROLES[usize::from((flags >> 2) & 3)]
}

/// `8000.02:00:00:00:00:01`: priority and address of a bridge id.
fn bridge_id(m: &[u8], at: usize) -> Res<String> {
    let b = bytes_at::<8>(m, at)?;
    Ok(format!(
        "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
    ))
}

/// The four timers, each in 1/256 s: offset, `-v` name, JSON key.
const TIMERS: [(usize, &str, &str); 4] = [
    (27, "message-age", "message_age"),
    (29, "max-age", "max_age"),
    (31, "hello-time", "hello_time"),
    (33, "forwarding-delay", "forward_delay"),
];

/// The timer at `at`, in seconds.
fn seconds(m: &[u8], at: usize) -> Res<f64> {
    Ok(f64::from(u16_at(m, at)?) / 256.0)
}

/// The four timers as `%.2fs`, read before any is printed (as tcpdump's
/// one `printf` reads them).
fn put_timers(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let mut secs = [0.0; 4];
    for (s, (at, _, _)) in secs.iter_mut().zip(TIMERS) {
        *s = seconds(m, at)?;
    }
    let mut sep = "\n\t";
    for (s, (_, name, _)) in secs.iter().zip(TIMERS) {
        out!(w, "{sep}{name} {s:.2}s");
        sep = ", ";
    }
    Ok(())
}

fn flag_names(flags: u8) -> String {
    let mut w = Vec::new();
    put_bits(&mut w, FLAGS, u32::from(flags), "none");
    String::from_utf8_lossy(&w).into_owned()
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, len) = (p.bytes, p.declared_len);
    if len < 4 {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    }
    if u16_at(m, 0)? != 0 {
        out!(w, "unknown STP version, length {len}");
        return Ok(());
    }
    let version = u8_at(m, 2)?;
    w.extend_from_slice(b"STP ");
    match tok(VERSIONS, version) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => {
            out!(w, "Unknown STP protocol (0x{version:02x})");
            return Ok(());
        }
    }
    let kind = u8_at(m, 3)?;
    match kind {
        0x00 => w.extend_from_slice(b", Config"),
        0x02 => w.extend_from_slice(b", Rapid STP"),
        0x80 => w.extend_from_slice(b", Topology Change"),
        k => out!(w, ", Unknown BPDU Type (0x{k:02x})"),
    }
    let invalid = |w: &mut Vec<u8>| {
        w.extend_from_slice(b" (invalid)");
        Ok(())
    };
    match kind {
        0x00 if len < CONFIG_LEN - 1 => invalid(w),
        0x00 => config(w, m, len, v, version),
        0x02 if version == 2 && len < CONFIG_LEN => invalid(w),
        0x02 if version == 2 => config(w, m, len, v, version),
        0x02 if version >= 3 => {
            if len < MSTP_MIN_LEN || u8_at(m, 35)? != 0 {
                return invalid(w);
            }
            let mstp_len = usize::from(u16_at(m, V3_LEN_AT)?) + 2;
            if len < CONFIG_LEN + mstp_len {
                return invalid(w);
            }
            mstp(w, m, len, v)?;
            if version == 4 {
                let at = CONFIG_LEN + mstp_len;
                let spb_len = usize::from(u16_at(m, V3_LEN_AT + mstp_len)?) + 2;
                if len < at + spb_len || spb_len < SPB_MIN_LEN {
                    return invalid(w);
                }
                if v > 0 {
                    spb(w, m, at)?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn config(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8, version: u8) -> Res<()> {
    let flags = u8_at(m, 4)?;
    out!(w, ", Flags [{}]", flag_names(flags));
    let (bridge, port) = (bridge_id(m, 17)?, u16_at(m, 25)?);
    out!(w, ", bridge-id {bridge}.{port:04x}, length {len}");
    if v == 0 {
        return Ok(());
    }
    put_timers(w, m)?;
    let (root, cost) = (bridge_id(m, 5)?, u32_at(m, 13)?);
    out!(w, "\n\troot-id {root}, root-pathcost {cost}");
    if version == 2 {
        out!(w, ", port-role {}", role(flags));
    }
    Ok(())
}

fn mstp(w: &mut Vec<u8>, m: &[u8], len: usize, v: u8) -> Res<()> {
    let flags = u8_at(m, 4)?;
    out!(w, ", CIST Flags [{}], length {len}", flag_names(flags));
    if v == 0 {
        return Ok(());
    }
    out!(w, "\n\tport-role {}, ", role(flags));
    let (root, cost) = (bridge_id(m, 5)?, u32_at(m, 13)?);
    out!(w, "CIST root-id {root}, CIST ext-pathcost {cost}");
    out!(w, "\n\tCIST regional-root-id {}, ", bridge_id(m, 17)?);
    out!(w, "CIST port-id {:04x},", u16_at(m, 25)?);
    put_timers(w, m)?;
    out!(w, "\n\tv3len {}, ", u16_at(m, V3_LEN_AT)?);
    w.extend_from_slice(b"MCID Name ");
    put_text_nul(w, m, 39, 32)?;
    let rev = u16_at(m, 71)?;
    let digest = digest(m, 73, 4)?;
    out!(w, ", rev {rev},\n\t\tdigest {digest}, ");
    out!(w, "CIST int-root-pathcost {},", u32_at(m, 89)?);
    out!(w, "\n\tCIST bridge-id {}, ", bridge_id(m, 93)?);
    out!(w, "CIST remaining-hops {}", u8_at(m, 101)?);
    let v3len = usize::from(u16_at(m, V3_LEN_AT)?);
    let mut left = v3len.saturating_sub(64);
    let mut at = MSTI_AT;
    while left >= 16 {
        let msti = u16_at(m, at + 1)? & 0x0fff;
        let f = u8_at(m, at)?;
        out!(
            w,
            "\n\tMSTI {msti}, Flags [{}], port-role {}",
            flag_names(f),
            role(f)
        );
        let (root, cost) = (bridge_id(m, at + 1)?, u32_at(m, at + 9)?);
        out!(w, "\n\t\tMSTI regional-root-id {root}, pathcost {cost}");
        let (bp, pp, hops) = (u8_at(m, at + 13)?, u8_at(m, at + 14)?, u8_at(m, at + 15)?);
        out!(
            w,
            "\n\t\tMSTI bridge-prio {}, port-prio {}, hops {hops}",
            bp >> 4,
            pp >> 4
        );
        left -= 16;
        at += 16;
    }
    Ok(())
}

/// `n` 32-bit words from `at`, in hex.
fn digest(m: &[u8], at: usize, n: usize) -> Res<String> {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!("{:08x}", u32_at(m, at + 4 * i)?));
    }
    Ok(s)
}

fn spb(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    out!(w, "\n\tv4len {}, ", u16_at(m, at)?);
    w.extend_from_slice(b"AUXMCID Name ");
    put_text_nul(w, m, at + 3, 32)?;
    let (rev, digest1) = (u16_at(m, at + 35)?, digest(m, at + 37, 4)?);
    out!(w, ", Rev {rev},\n\t\tdigest {digest1}");
    let agreement = u8_at(m, at + 53)?;
    let format = u8_at(m, at + 55)?;
    let convention = u8_at(m, at + 56)?;
    let (edges, digest2) = (u16_at(m, at + 57)?, digest(m, at + 67, 5)?);
    out!(
        w,
        "\n\tAgreement num {}, Discarded Agreement num {}, Agreement valid-flag {},\n\tRestricted role-flag: {}, Format id {} cap {}, Convention id {} cap {},\n\tEdge count {edges}, Agreement digest {digest2}",
        agreement >> 6,
        (agreement >> 4) & 3,
        (agreement >> 3) & 1,
        (agreement >> 2) & 1,
        format >> 4,
        format,
        convention >> 4,
        convention,
    );
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("protocol_id".into(), json!(u16_at(m, 0)?));
    let version = u8_at(m, 2)?;
    o.insert("version".into(), json!(version));
    let kind = u8_at(m, 3)?;
    o.insert("bpdu_type".into(), json!(kind));
    if kind == 0x80 {
        return Ok(());
    }
    let flags = u8_at(m, 4)?;
    o.insert("flags".into(), json!(flags));
    o.insert("root_id".into(), json!(bridge_id(m, 5)?));
    o.insert("root_path_cost".into(), json!(u32_at(m, 13)?));
    o.insert("bridge_id".into(), json!(bridge_id(m, 17)?));
    o.insert("port_id".into(), json!(u16_at(m, 25)?));
    for (at, _, key) in TIMERS {
        o.insert(key.into(), json!(seconds(m, at)?));
    }
    if version >= 2 {
        o.insert("port_role".into(), json!(role(flags)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated() {
        let m = [0, 0, 0, 0, 0, 0x80, 0, 2, 0, 0, 0, 0];
        let p = Payload {
            bytes: &m,
            declared_len: 35,
        };
        let mut w = Vec::new();
        STP.write_line(&mut w, &p, 0);
        assert_eq!(
            String::from_utf8_lossy(&w),
            "STP 802.1d, Config, Flags [none] [|stp]"
        );
    }
}
