//! NFS (v2, RFC 1094; v3, RFC 1813) over ONC RPC on port 2049, as
//! tcpdump 4.99 prints it: `NFS request xid N LEN proc args` for a call
//! to the port, `NFS reply xid N reply ok LEN proc results` for a reply
//! from it, over UDP and over TCP (after the record-marking header, on
//! each segment that starts with one: tcpdump reads every segment to or
//! from 2049 so, as `: NFS …` after the TCP line).
//!
//! What tcpdump does, and so this module:
//! - UDP is taken by direction before any other port: a call to 2049 or a
//!   reply from it is NFS, whatever the other port; anything else on 2049
//!   is the plain UDP line. Over TCP 2049 comes last in the port chain.
//! - The program is not looked at: any RPC call to 2049 (MOUNT, NLM) is
//!   printed as an NFS call of its procedure number, and a version other
//!   than 3 (v4 too) is read as v2. The portmapper (111) is not decoded.
//! - A reply's procedure comes from the call with its XID (`xids`); a
//!   reply whose call was not seen prints `reply ok N` alone.
//! - A damaged or cut message prints what was decoded and ` [|nfs]`
//!   (after an NFS error status, a stop at a check is not marked).

mod attrs;
mod call;
mod fh;
mod json;
mod reply;
mod xids;

use super::peers;
use super::rpc::{self, CALL, REPLY};
use super::wire::{Res, u32_at};
use super::{Dissector, Payload, Truncated, put_num};
use std::cell::Cell;

pub use xids::forget;

/// NFS over UDP (chosen by direction: [`takes_udp`]).
pub static NFS: Dissector =
    Dissector::new("nfs", udp_line, udp_verbose, json::udp, looks_like_rpc).known_as("nfs", "");

/// NFS over TCP, each segment read from a record-marking header.
pub static NFS_TCP: Dissector =
    Dissector::new("nfs", tcp_line, tcp_verbose, json::tcp, looks_like_record).known_as("nfs", "");

/// NFS's port, over UDP and TCP.
pub const PORT: u16 = 2049;

/// Whether a UDP datagram is tcpdump's NFS: a call to 2049 or a reply
/// from it (the direction captured).
pub fn takes_udp(sport: u16, dport: u16, payload: &[u8]) -> bool {
    match rpc::direction(payload) {
        Some(CALL) => dport == PORT,
        Some(REPLY) => sport == PORT,
        _ => false,
    }
}

/// Whether a packet between these ports goes to the NFS printers, whose
/// replies depend on the calls of any flow before them (`read --threads`
/// gives all of them to one worker, in file order).
pub fn shares_state(sport: u16, dport: u16) -> bool {
    sport == PORT || dport == PORT
}

/// A call or a reply (by its direction word).
fn looks_like_rpc(m: &[u8]) -> bool {
    matches!(rpc::direction(m), Some(CALL | REPLY))
}

fn looks_like_record(m: &[u8]) -> bool {
    rpc::after_record_mark(m, m.len()).is_some_and(|(rpc, _)| looks_like_rpc(rpc))
}

/// NFS procedures by their v3 numbers (v2's are mapped onto them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proc {
    Null,
    Getattr,
    Setattr,
    Lookup,
    Access,
    Readlink,
    Read,
    Write,
    Create,
    Mkdir,
    Symlink,
    Mknod,
    Remove,
    Rmdir,
    Rename,
    Link,
    Readdir,
    Readdirplus,
    Fsstat,
    Fsinfo,
    Pathconf,
    Commit,
    /// v2's ROOT and WRITECACHE, and v2 numbers past STATFS (below 26).
    Noop,
    Other(u32),
}

const PROCS: [Proc; 22] = [
    Proc::Null,
    Proc::Getattr,
    Proc::Setattr,
    Proc::Lookup,
    Proc::Access,
    Proc::Readlink,
    Proc::Read,
    Proc::Write,
    Proc::Create,
    Proc::Mkdir,
    Proc::Symlink,
    Proc::Mknod,
    Proc::Remove,
    Proc::Rmdir,
    Proc::Rename,
    Proc::Link,
    Proc::Readdir,
    Proc::Readdirplus,
    Proc::Fsstat,
    Proc::Fsinfo,
    Proc::Pathconf,
    Proc::Commit,
];

const NAMES: [&str; 22] = [
    "null",
    "getattr",
    "setattr",
    "lookup",
    "access",
    "readlink",
    "read",
    "write",
    "create",
    "mkdir",
    "symlink",
    "mknod",
    "remove",
    "rmdir",
    "rename",
    "link",
    "readdir",
    "readdirplus",
    "fsstat",
    "fsinfo",
    "pathconf",
    "commit",
];

/// v2's procedures 0–17 (RFC 1094 §2.2) as v3's: ROOT and WRITECACHE
/// are no-ops; numbers 18–25 are no-ops too (tcpdump's table).
const V2: [u32; 18] = [
    0, 1, 2, 25, 3, 5, 6, 25, 7, 8, 12, 14, 15, 10, 9, 13, 16, 18,
];
const NOOP: u32 = 25;
/// tcpdump maps v2 numbers below this one.
const V2_MAPPED: u32 = 26;

impl Proc {
    /// The procedure `n` of a call of version `vers` (3 or, for tcpdump,
    /// any other read as v2).
    fn of(n: u32, vers: u32) -> Proc {
        let n = if vers != 3 && n < V2_MAPPED {
            V2.get(n as usize).copied().unwrap_or(NOOP)
        } else {
            n
        };
        match n {
            NOOP => Proc::Noop,
            n => PROCS.get(n as usize).copied().unwrap_or(Proc::Other(n)),
        }
    }

    fn write_name(self, w: &mut Vec<u8>) {
        match self {
            Proc::Noop => w.extend_from_slice(b"nop"),
            Proc::Other(n) => {
                w.extend_from_slice(b"proc-");
                put_num(w, n);
            }
            p => {
                let i = PROCS.iter().position(|q| *q == p).unwrap_or(0);
                w.extend_from_slice(NAMES.get(i).unwrap_or(&"").as_bytes());
            }
        }
    }

    fn name(self) -> String {
        let mut w = Vec::new();
        self.write_name(&mut w);
        String::from_utf8_lossy(&w).into_owned()
    }
}

/// How an NFS printer stopped: `Read`, reading past the capture (tcpdump's
/// `GET_` macros: always marked), or `Gave`, after its own check (not
/// marked after an NFS error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cut {
    Read,
    Gave,
}

impl From<Truncated> for Cut {
    fn from(_: Truncated) -> Cut {
        Cut::Read
    }
}

/// The side of 2049 a message is on, when the packet's ports are known:
/// tcpdump prints a call only on its way to 2049, a reply only from it.
fn admitted(direction: u32) -> bool {
    match peers::current().map(|p| p.ports) {
        Some((_, dport)) if direction == CALL => dport == PORT,
        Some((sport, _)) if direction == REPLY => sport == PORT,
        Some(_) => false,
        None => direction == CALL || direction == REPLY,
    }
}

thread_local! {
    /// Whether the last message printed stopped by reading past the
    /// capture (see [`cut_jumps`]).
    static JUMPED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the line just written ended where tcpdump's printer read past
/// the capture unchecked (its `longjmp`: the `-x` dump then starts at the
/// frame), not after one of its checks. The printer's state (the XID
/// table) rules out printing the message again to find out: it leaves
/// the answer behind.
pub(super) fn cut_jumps(_: &Payload<'_>, _: &[u8], _: u8) -> bool {
    JUMPED.get()
}

/// `NFS request xid …` or `NFS reply xid …` and the message, from an RPC
/// message `m` of `length` bytes (declared).
fn message(w: &mut Vec<u8>, m: &[u8], length: usize, verbose: u8) -> Res<()> {
    let done = message_cut(w, m, length, verbose);
    JUMPED.set(done == Err(Cut::Read));
    done.map_err(|_| Truncated)
}

fn message_cut(w: &mut Vec<u8>, m: &[u8], length: usize, verbose: u8) -> Result<(), Cut> {
    let xid = u32_at(m, rpc::XID)?;
    match rpc::direction(m) {
        Some(CALL) => {
            w.extend_from_slice(b"NFS request xid ");
            put_num(w, xid);
            w.push(b' ');
            request(w, m, length, verbose)
        }
        _ => {
            w.extend_from_slice(b"NFS reply xid ");
            put_num(w, xid);
            w.push(b' ');
            response(w, m, length, verbose)
        }
    }
}

/// A call (tcpdump's `nfsreq_noaddr_print`).
fn request(w: &mut Vec<u8>, m: &[u8], length: usize, verbose: u8) -> Result<(), Cut> {
    put_num(w, length);
    // tcpdump tests that the procedure is there before reading the two.
    let checked = |r: Res<u32>| r.map_err(|_| Cut::Gave);
    let vers = checked(u32_at(m, rpc::VERSION))?;
    let n = checked(u32_at(m, rpc::PROCEDURE))?;
    xids::enter(
        xids::Table::Line,
        u32_at(m, rpc::XID)?,
        xids::Called {
            procedure: n,
            version: vers,
        },
    );
    let proc = Proc::of(n, vers);
    w.push(b' ');
    proc.write_name(w);
    if matches!(proc, Proc::Null | Proc::Noop | Proc::Other(_)) {
        return Ok(());
    }
    let at = call_arguments(m, length)?;
    call::arguments(w, m, at, (proc, vers == 3), verbose)
}

/// Where a call's arguments start (tcpdump's `parsereq`): past the
/// credentials and the verifier. It reads each one's length unchecked,
/// then checks that its body was captured and fits the message.
fn call_arguments(m: &[u8], length: usize) -> Result<usize, Cut> {
    rpc::call_arguments(m, length).map_err(|_| {
        let (mut at, mut left) = (rpc::CREDENTIALS, length);
        for _ in 0..2 {
            if left < 8 {
                return Cut::Gave;
            }
            let Ok(len) = u32_at(m, at + 4) else {
                return Cut::Read;
            };
            let size = 8 + (len as usize).next_multiple_of(4);
            if m.len() < at + size || left < size {
                return Cut::Gave;
            }
            (at, left) = (at + size, left - size);
        }
        Cut::Gave
    })
}

/// A reply's text as `-T rpc` prints it after the addresses (see
/// [`super::sunrpc`]).
pub(in crate::dissect) fn write_reply(w: &mut Vec<u8>, m: &[u8], length: usize) -> Res<()> {
    response(w, m, length, 0).map_err(|_| Truncated)
}

/// A reply (tcpdump's `nfsreply_noaddr_print`).
fn response(w: &mut Vec<u8>, m: &[u8], length: usize, verbose: u8) -> Result<(), Cut> {
    // The state and a rejection's words are tested before they are read.
    let checked = |r: Res<u32>| r.map_err(|_| Cut::Gave);
    let state = checked(u32_at(m, rpc::REPLY_STATE))?;
    match state {
        0 => {
            w.extend_from_slice(b"reply ok ");
            put_num(w, length);
            let xid = u32_at(m, rpc::XID)?;
            if let Some(c) = xids::find(xids::Table::Line, xid) {
                let proc = Proc::of(c.procedure, c.version);
                w.push(b' ');
                proc.write_name(w);
                reply::results(w, m, length, (proc, c.version == 3), verbose)?;
            }
            Ok(())
        }
        1 => {
            w.extend_from_slice(b"reply ERR ");
            put_num(w, length);
            w.extend_from_slice(b": ");
            rpc::write_rejection(w, m).map_err(|_| Cut::Gave)
        }
        n => {
            w.extend_from_slice(b"reply Unknown rpc response code=");
            put_num(w, n);
            w.push(b' ');
            put_num(w, length);
            Ok(())
        }
    }
}

fn udp_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    udp_verbose(w, p, 0)
}

fn udp_verbose(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    match rpc::direction(p.bytes) {
        Some(d) if admitted(d) => message(w, p.bytes, p.declared_len, verbose),
        // Not NFS to tcpdump: the caller chose this printer anyway (a
        // test, a fuzzer); print nothing of it.
        _ => Ok(()),
    }
}

fn tcp_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    tcp_verbose(w, p, 0)
}

fn tcp_verbose(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    let Some((m, length)) = rpc::after_record_mark(p.bytes, p.declared_len) else {
        return Ok(());
    };
    match rpc::direction(m) {
        Some(d) if admitted(d) => {
            w.extend_from_slice(b": ");
            message(w, m, length, verbose)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
