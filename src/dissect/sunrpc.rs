//! `-T rpc`: every UDP datagram is an ONC RPC message, printed as tcpdump
//! 4.99 prints it, addresses included (its UDP printer leaves them to the
//! RPC printers): a call as the portmapper's (`sunrpc_print`), anything
//! else as an NFS reply (`nfsreply_print`).
//!
//! A call: `10.0.0.1.0x1234 > 10.0.0.2.0x6f: 56 getport 100000.2` — the
//! XID in hex after the source, the portmapper's port 111 in hex after
//! the destination (tcpdump's `-n` words), the datagram's length, the
//! procedure by the portmapper's names (`null`, `set`, `unset`,
//! `getport`, `dump`, `call`; ` proc #7` for another), ` [rpcver 3]` for
//! an RPC version other than 2, and for SET, UNSET, GETPORT and CALLIT the
//! program and version. A reply: `10.0.0.1.2049 > 10.0.0.2.4660: reply ok
//! 28` (the XID after the destination), the rejections in tcpdump's
//! words. The call table NFS replies are read by stays empty under `-T`
//! (tcpdump enters calls only in its NFS printer), so `reply ok` has no
//! results after it.
//!
//! Cut: a datagram without its direction word ends ` [|udp]`, a call of
//! fewer than 32 bytes ` [|sunrpc]` (both tcpdump's `longjmp`), a reply
//! without its state ` [|nfs]` (after its own check).

use super::ctl::out;
use super::dns::text::put_ipv6;
use super::rpc::{CALL, PROCEDURE, PROGRAM, XID};
use super::wire::u32_at;
use super::{Payload, nfs};
use std::net::IpAddr;

/// The fixed part of a call tcpdump checks is captured (its structure:
/// XID, direction, RPC version, program, version, procedure, the
/// credentials' flavour and length).
const CALL_HEADER: usize = 32;
/// The portmapper's port, tcpdump's destination under `-n`.
const PMAP_PORT: u16 = 111;
/// The RPC version tcpdump expects.
const EXPECTED_RPC_VERSION: u32 = 2;
/// The portmapper's procedures.
const PROCEDURES: &[&str] = &["null", "set", "unset", "getport", "dump", "call"];

fn put_addr(w: &mut Vec<u8>, a: IpAddr) {
    match a {
        IpAddr::V4(a) => out!(w, "{a}"),
        IpAddr::V6(a) => put_ipv6(w, &a.octets()),
    }
}

/// The datagram's text after `IP `; whether it ended with tcpdump's
/// `longjmp` (its dump then starts at the frame).
pub fn write_line(w: &mut Vec<u8>, p: &Payload<'_>, src: IpAddr, dst: IpAddr) -> bool {
    let m = p.bytes;
    let Ok(direction) = u32_at(m, super::rpc::DIRECTION) else {
        w.extend_from_slice(b" [|udp]");
        return true;
    };
    let xid = u32_at(m, XID).unwrap_or_default();
    if direction != CALL {
        put_addr(w, src);
        out!(w, ".{} > ", nfs::PORT);
        put_addr(w, dst);
        out!(w, ".{xid}: ");
        if nfs::write_reply(w, m, p.declared_len).is_err() {
            w.extend_from_slice(b" [|nfs]");
        }
        return false;
    }
    let word = |at: usize| u32_at(m, at).unwrap_or_default();
    if m.len() < CALL_HEADER {
        w.extend_from_slice(b" [|sunrpc]");
        return true;
    }
    put_addr(w, src);
    out!(w, ".0x{xid:x} > ");
    put_addr(w, dst);
    out!(w, ".0x{PMAP_PORT:x}: {}", p.declared_len);
    let procedure = word(PROCEDURE);
    match PROCEDURES.get(procedure as usize) {
        Some(name) => out!(w, " {name}"),
        None => out!(w, "  proc #{procedure}"),
    }
    let rpc_version = word(super::rpc::RPC_VERSION);
    if rpc_version != EXPECTED_RPC_VERSION {
        out!(w, " [rpcver {rpc_version}]");
    }
    // SET, UNSET, GETPORT and CALLIT name a program and its version.
    if matches!(procedure, 1 | 2 | 3 | 5) {
        out!(w, " {}.{}", word(PROGRAM), word(super::rpc::VERSION));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(m: &[u8]) -> (String, bool) {
        let mut w = Vec::new();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let jumped = write_line(&mut w, &Payload::whole(m), a, b);
        (String::from_utf8_lossy(&w).into_owned(), jumped)
    }

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    #[test]
    fn calls_and_replies() {
        let call = words(&[0x1234, 0, 2, 100_000, 2, 3, 0, 0, 0, 0, 100_003, 3, 17, 0]);
        assert_eq!(
            line(&call),
            (
                "10.0.0.1.0x1234 > 10.0.0.2.0x6f: 56 getport 100000.2".into(),
                false
            )
        );
        let odd = words(&[0x99, 0, 3, 100_003, 3, 7, 0, 0, 0, 0]);
        assert_eq!(
            line(&odd).0,
            "10.0.0.1.0x99 > 10.0.0.2.0x6f: 40  proc #7 [rpcver 3]"
        );
        let reply = words(&[0x1234, 1, 0, 0, 0, 0, 2049]);
        assert_eq!(line(&reply).0, "10.0.0.1.2049 > 10.0.0.2.4660: reply ok 28");
    }

    #[test]
    fn cuts() {
        assert_eq!(line(&[0, 0]), (" [|udp]".into(), true));
        assert_eq!(
            line(&words(&[1, 0, 2, 3, 4, 5, 6])),
            (" [|sunrpc]".into(), true)
        );
        assert_eq!(
            line(&words(&[1, 1])),
            ("10.0.0.1.2049 > 10.0.0.2.1:  [|nfs]".into(), false)
        );
    }
}
