//! Calls to the AFS volume location server (Rx port 7003) and their
//! replies, as tcpdump prints them (`vldbint.xg`): volume ids and types,
//! names (counted, or vectors of 32-bit characters), indexes; a reply's
//! entry with its servers, partitions and volume ids (8 servers in the
//! old entries, 13 in the N and U ones, UUIDs in the U ones); Ubik's
//! opcodes by [`super::ubik`]. Its checks end with ` [|vldb]`.

use super::super::ctl::out;
use super::args::{Args, Service, Step, errcode, step};

pub(super) static VLDB: Service = Service {
    name: "vldb",
    cut: " [|vldb]",
    ops: &[
        (501, "create-entry"),
        (502, "delete-entry"),
        (503, "get-entry-by-id"),
        (504, "get-entry-by-name"),
        (505, "get-new-volume-id"),
        (506, "replace-entry"),
        (507, "update-entry"),
        (508, "setlock"),
        (509, "releaselock"),
        (510, "list-entry"),
        (511, "list-attrib"),
        (512, "linked-list"),
        (513, "get-stats"),
        (514, "probe"),
        (515, "get-addrs"),
        (516, "change-addr"),
        (517, "create-entry-n"),
        (518, "get-entry-by-id-n"),
        (519, "get-entry-by-name-n"),
        (520, "replace-entry-n"),
        (521, "list-entry-n"),
        (522, "list-attrib-n"),
        (523, "linked-list-n"),
        (524, "update-entry-by-name"),
        (525, "create-entry-u"),
        (526, "get-entry-by-id-u"),
        (527, "get-entry-by-name-u"),
        (528, "replace-entry-u"),
        (529, "list-entry-u"),
        (530, "list-attrib-u"),
        (531, "linked-list-u"),
        (532, "regaddr"),
        (533, "get-addrs-u"),
        (534, "list-attrib-n2"),
    ],
    ubik: true,
    reply_needs_body: false,
    call,
    reply,
    other_reply: errcode,
};

/// The longest name (`VLNAMEMAX`).
const NAME_MAX: usize = 65;
const VOLUME_TYPES: [&str; 3] = ["read-write", "read-only", "backup"];

/// ` volid N` and, for a known type, ` type NAME`.
fn volume(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    a.int(w, " volid")?;
    let t = a.u32()?;
    if let Some(name) = VOLUME_TYPES.get(t as usize) {
        out!(w, " type {name}");
    }
    Ok(Ok(()))
}

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        501 | 517 => return a.name_vector(w, NAME_MAX),
        502 | 503 | 507 | 508 | 509 | 518 => return volume(a, w),
        504 | 519 | 524 | 527 => return a.name(w, NAME_MAX as u32),
        505 => a.int(w, " bump")?,
        506 | 520 => {
            step!(volume(a, w));
            return a.name_vector(w, NAME_MAX);
        }
        510 | 521 => a.int(w, " index")?,
        _ => {}
    }
    Ok(Ok(()))
}

/// A partition: a letter up to 26, else its number, for the first
/// `servers` of `n`.
fn partitions(a: &mut Args<'_>, w: &mut Vec<u8>, n: u32, servers: u32) -> Step {
    w.extend_from_slice(b" partitions");
    for i in 0..n {
        let p = a.u32()?;
        if i < servers && p <= 26 {
            out!(w, " {}", char::from(b'a' + p as u8));
        } else if i < servers {
            out!(w, " {p}");
        }
    }
    Ok(Ok(()))
}

/// The volume ids that end an entry.
fn volumes(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    a.uint(w, " rwvol")?;
    a.uint(w, " rovol")?;
    a.uint(w, " backup")?;
    Ok(Ok(()))
}

/// An entry of `n` servers given as addresses.
fn entry(a: &mut Args<'_>, w: &mut Vec<u8>, n: u32, old: bool) -> Step {
    step!(a.name_vector(w, NAME_MAX));
    if old {
        step!(a.skip(4));
    }
    w.extend_from_slice(b" numservers");
    let servers = a.u32()?;
    out!(w, " {servers}");
    w.extend_from_slice(b" servers");
    for i in 0..n {
        step!(a.address(w, i < servers));
    }
    step!(partitions(a, w, n, servers));
    step!(a.skip(n as usize * 4));
    volumes(a, w)
}

fn reply(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        510 | 521 | 529 => {
            a.int(w, " count")?;
            a.int(w, " nextindex")?;
            if op == 510 {
                return entry(a, w, 8, true);
            }
            return entry(a, w, 13, false);
        }
        503 | 504 => return entry(a, w, 8, true),
        505 => a.uint(w, " newvol")?,
        518 | 519 => return entry(a, w, 13, false),
        526 | 527 => {
            step!(a.name_vector(w, NAME_MAX));
            w.extend_from_slice(b" numservers");
            let servers = a.u32()?;
            out!(w, " {servers}");
            w.extend_from_slice(b" servers");
            for i in 0..13 {
                if i < servers {
                    w.extend_from_slice(b" afsuuid");
                    step!(a.uuid(w));
                } else {
                    step!(a.skip(44));
                }
            }
            step!(a.skip(4 * 13));
            step!(partitions(a, w, 13, servers));
            step!(a.skip(13 * 4));
            return volumes(a, w);
        }
        _ => {}
    }
    Ok(Ok(()))
}
