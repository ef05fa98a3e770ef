//! Ethernet in IPv6 (IP protocol 143, RFC 8986's SRv6 `End.DX2`): no
//! header of its own, the payload is an Ethernet frame, printed as
//! tcpdump's `ether_print` prints a frame it is handed (its header only
//! under `-e`). tcpdump takes it only over IPv6; over IPv4 the IP printer
//! says `[Ethernet requires IPv6] (invalid)`.

use super::super::wire::Res;
use super::{Kind, Level, Printed, Tunnel};
use crate::dissect::Payload;
use serde_json::{Value, json};

pub static ETHERIP: Tunnel = Tunnel::new("ether", line, to_json);

fn line<'a>(_w: &mut Vec<u8>, p: &Payload<'a>, _level: Level) -> Res<Printed<'a>> {
    Ok(Printed::then(Kind::Ethernet, p.bytes, p.declared_len))
}

fn to_json(p: &Payload<'_>) -> Value {
    json!({"frame_len": p.declared_len, "complete": p.bytes.len() >= 14})
}
