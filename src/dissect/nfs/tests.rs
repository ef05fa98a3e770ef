//! Unit tests on built messages (the comparison with tcpdump is in
//! `tests/dissect_nfs.rs`).

use super::*;

fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// A v3 call of `proc` with AUTH_NONE and `args`.
fn call3(xid: u32, proc: u32, args: &[u32]) -> Vec<u8> {
    let mut m = words(&[xid, CALL, 2, 100003, 3, proc, 0, 0, 0, 0]);
    m.extend(words(args));
    m
}

#[test]
fn test_call_then_reply_pairs_by_xid() {
    forget();
    let fh = [8, 0x0100_0000, 2];
    let mut args = fh.to_vec();
    args.extend([0, 0, 8192]);
    let c = call3(5, 6, &args);
    assert_eq!(
        NFS.printed(&c, 0),
        "NFS request xid 5 64 read fh Un/0100000000000002 8192 bytes @ 0"
    );
    let r = words(&[5, REPLY, 0, 0, 0, 0, 0, 0]);
    assert_eq!(NFS.printed(&r, 0), "NFS reply xid 5 reply ok 32 read");
    // A reply without its call.
    let r = words(&[6, REPLY, 0, 0, 0, 0, 0]);
    assert_eq!(NFS.printed(&r, 0), "NFS reply xid 6 reply ok 28");
    forget();
}

#[test]
fn test_truncated_call_is_marked() {
    forget();
    let c = call3(1, 1, &[32]);
    assert_eq!(NFS.printed_cut(&c, 20, 0), "NFS request xid 1 44 [|nfs]");
    assert_eq!(NFS.printed(&c, 0), "NFS request xid 1 44 getattr [|nfs]");
    forget();
}

#[test]
fn test_tcp_record_mark_and_procedure_names() {
    forget();
    let c = call3(2, 0, &[]);
    let mut seg = (0x8000_0000u32 | c.len() as u32).to_be_bytes().to_vec();
    seg.extend(&c);
    assert_eq!(NFS_TCP.printed(&seg, 0), ": NFS request xid 2 40 null");
    assert_eq!(Proc::of(3, 2), Proc::Noop);
    assert_eq!(Proc::of(17, 2), Proc::Fsstat);
    assert_eq!(Proc::of(30, 2).name(), "proc-30");
    forget();
}
