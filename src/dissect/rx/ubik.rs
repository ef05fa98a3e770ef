//! Ubik, the replication protocol under the protection, VLDB and kauth
//! databases: its opcodes (votes 10000-10007, disk 20000-20013) inside
//! those services' calls, as tcpdump prints them (` ubik call NAME` and
//! the beacon's vote, versions and transaction ids, the disk calls' files,
//! positions and lengths; ` ubik reply NAME` with ` vote no`, ` vote yes
//! until DATE`, a version or ` errcode N`). Its checks end with
//! ` [|ubik]`.

use super::super::ctl::out;
use super::super::wire::{Res, u8_at, u32_at};
use super::args::{Args, Step, put_op, step};
use super::{DATA, HEADER, TYPE};

const OPS: &[(u32, &str)] = &[
    (10000, "vote-beacon"),
    (10001, "vote-debug-old"),
    (10002, "vote-sdebug-old"),
    (10003, "vote-getsyncsite"),
    (10004, "vote-debug"),
    (10005, "vote-sdebug"),
    (10006, "vote-xdebug"),
    (10007, "vote-xsdebug"),
    (20000, "disk-begin"),
    (20001, "disk-commit"),
    (20002, "disk-lock"),
    (20003, "disk-write"),
    (20004, "disk-getversion"),
    (20005, "disk-getfile"),
    (20006, "disk-sendfile"),
    (20007, "disk-abort"),
    (20008, "disk-releaselocks"),
    (20009, "disk-truncate"),
    (20010, "disk-probe"),
    (20011, "disk-writev"),
    (20012, "disk-interfaceaddr"),
    (20013, "disk-setversion"),
];

const CUT: &[u8] = b" [|ubik]";

pub(super) fn is_ubik(op: u32) -> bool {
    matches!(op, 10000..=10007 | 20000..=20013)
}

fn marked(w: &mut Vec<u8>, done: Step) -> Res<()> {
    if done?.is_err() {
        w.extend_from_slice(CUT);
    }
    Ok(())
}

pub(super) fn call(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let op = u32_at(m, HEADER)?;
    w.extend_from_slice(b" ubik call ");
    put_op(w, OPS, op);
    let mut a = Args::new(m, HEADER + 4);
    let done = call_args(&mut a, w, op);
    marked(w, done)
}

fn tid(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    w.extend_from_slice(b" tid");
    a.ubik_version(w)
}

fn call_args(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        10000 => {
            let site = a.u32()?;
            out!(w, " syncsite {}", if site != 0 { "yes" } else { "no" });
            a.date_of(w, " votestart")?;
            w.extend_from_slice(b" dbversion");
            step!(a.ubik_version(w));
            return tid(a, w);
        }
        10003 => a.uint(w, " site")?,
        20000 | 20001 | 20007 | 20008 | 20010 => return tid(a, w),
        20002 => {
            step!(tid(a, w));
            a.int(w, " file")?;
            a.int(w, " pos")?;
            a.int(w, " length")?;
            // The lock's type is read and not printed.
            a.u32()?;
        }
        20003 => {
            step!(tid(a, w));
            a.int(w, " file")?;
            a.int(w, " pos")?;
        }
        20005 => a.int(w, " file")?,
        20006 => {
            a.int(w, " file")?;
            a.int(w, " length")?;
            w.extend_from_slice(b" dbversion");
            return a.ubik_version(w);
        }
        20009 => {
            step!(tid(a, w));
            a.int(w, " file")?;
            a.int(w, " length")?;
        }
        20012 => {
            step!(tid(a, w));
            w.extend_from_slice(b" oldversion");
            step!(a.ubik_version(w));
            w.extend_from_slice(b" newversion");
            return a.ubik_version(w);
        }
        _ => {}
    }
    Ok(Ok(()))
}

pub(super) fn reply(w: &mut Vec<u8>, m: &[u8], op: u32) -> Res<()> {
    w.extend_from_slice(b" ubik reply ");
    put_op(w, OPS, op);
    let kind = u8_at(m, TYPE)?;
    let mut a = Args::new(m, HEADER);
    let done = match (kind == DATA, op) {
        (true, 10000) => {
            w.extend_from_slice(b" vote no");
            Ok(Ok(()))
        }
        (true, 20004) => {
            w.extend_from_slice(b" dbversion");
            a.ubik_version(w)
        }
        (true, _) => Ok(Ok(())),
        (false, 10000) => a.date_of(w, " vote yes until").map(Ok),
        (false, _) => a.int(w, " errcode").map(Ok),
    };
    marked(w, done)
}
