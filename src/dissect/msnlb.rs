//! Microsoft Network Load Balancing heartbeats (EtherType 0x886f) as
//! `tcpdump -n` prints them at every level: `MS NLB heartbeat, host
//! priority: 3, cluster IP: 192.0.2.10, host IP: 192.0.2.1`. The message
//! starts with eight bytes tcpdump does not read, then the host's
//! priority (little endian, as the Windows hosts write it) and the
//! cluster's and the host's IPv4 addresses. tcpdump reads each field
//! unchecked: a capture cut before one ends the line there with its
//! `longjmp` (` [|msnlb]`, the dump from the frame's first byte).

use super::ctl::{ipv4_at, json_object, out};
use super::wire::{Res, u32_le_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static MSNLB: Dissector = Dissector::new("msnlb", line, verbose, to_json, |m| m.len() >= 20);

/// Where the fields are: the priority after the eight unread bytes, then
/// the two addresses.
const PRIORITY: usize = 8;
const CLUSTER_IP: usize = 12;
const HOST_IP: usize = 16;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    print(w, p.bytes)
}

/// The same line at every level.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    print(w, p.bytes)
}

fn print(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    w.extend_from_slice(b"MS NLB heartbeat");
    out!(w, ", host priority: {}", u32_le_at(m, PRIORITY)?);
    out!(w, ", cluster IP: {}", ipv4_at(m, CLUSTER_IP)?);
    out!(w, ", host IP: {}", ipv4_at(m, HOST_IP)?);
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("host_priority".into(), json!(u32_le_at(m, PRIORITY)?));
    o.insert(
        "cluster_ip".into(),
        json!(ipv4_at(m, CLUSTER_IP)?.to_string()),
    );
    o.insert("host_ip".into(), json!(ipv4_at(m, HOST_IP)?.to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heartbeat() -> Vec<u8> {
        let mut m = vec![0; 8];
        m.extend_from_slice(&3u32.to_le_bytes());
        m.extend_from_slice(&[192, 0, 2, 10, 192, 0, 2, 1]);
        m
    }

    #[test]
    fn heartbeat_line() {
        assert_eq!(
            MSNLB.printed(&heartbeat(), 0),
            "MS NLB heartbeat, host priority: 3, cluster IP: 192.0.2.10, host IP: 192.0.2.1"
        );
    }

    #[test]
    fn test_truncated() {
        let m = heartbeat();
        assert_eq!(MSNLB.printed_cut(&m, 11, 0), "MS NLB heartbeat [|msnlb]");
        assert_eq!(
            MSNLB.printed_cut(&m, 19, 1),
            "MS NLB heartbeat, host priority: 3, cluster IP: 192.0.2.10 [|msnlb]"
        );
    }

    #[test]
    fn json_fields_of_a_heartbeat() {
        let v = to_json(&Payload {
            bytes: &heartbeat(),
            declared_len: 20,
        });
        assert_eq!(v["host_priority"], 3);
        assert_eq!(v["cluster_ip"], "192.0.2.10");
        assert_eq!(v["host_ip"], "192.0.2.1");
    }
}
