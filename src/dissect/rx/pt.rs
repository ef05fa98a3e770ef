//! Calls to the AFS protection server (Rx port 7002) and their replies,
//! as tcpdump prints them (`ptint.xg`): ` pt call NAME` and names, ids
//! and flags, names as vectors of 32-bit characters; the replies' id
//! lists, names and maxima; Ubik's opcodes by [`super::ubik`]. Its checks
//! end with ` [|pt]`.

use super::args::{Args, Service, Step, errcode, step};

pub(super) static PT: Service = Service {
    name: "pt",
    cut: " [|pt]",
    ops: &[
        (500, "new-user"),
        (501, "where-is-it"),
        (502, "dump-entry"),
        (503, "add-to-group"),
        (504, "name-to-id"),
        (505, "id-to-name"),
        (506, "delete"),
        (507, "remove-from-group"),
        (508, "get-cps"),
        (509, "new-entry"),
        (510, "list-max"),
        (511, "set-max"),
        (512, "list-entry"),
        (513, "change-entry"),
        (514, "list-elements"),
        (515, "same-mbr-of"),
        (516, "set-fld-sentry"),
        (517, "list-owned"),
        (518, "get-cps2"),
        (519, "get-host-cps"),
        (520, "update-entry"),
        (521, "list-entries"),
        (530, "list-super-groups"),
    ],
    ubik: true,
    reply_needs_body: false,
    call,
    reply,
    other_reply: errcode,
};

/// The longest name (`PRNAMEMAX`).
const NAME_MAX: u32 = 64;

fn ids(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    w.extend_from_slice(b" ids:");
    a.list(w, false, |a, w| a.int(w, "").map(Ok))
}

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        500 => {
            step!(a.name(w, NAME_MAX));
            a.int(w, " id")?;
            a.int(w, " oldid")?;
        }
        501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => a.int(w, " id")?,
        502 => a.int(w, " pos")?,
        503 | 507 | 515 => {
            a.int(w, " uid")?;
            a.int(w, " gid")?;
        }
        504 => return a.list(w, false, |a, w| a.name_vector(w, NAME_MAX as usize)),
        505 => return ids(a, w),
        509 => {
            step!(a.name(w, NAME_MAX));
            a.int(w, " flag")?;
            a.int(w, " oid")?;
        }
        511 => {
            a.int(w, " id")?;
            a.int(w, " gflag")?;
        }
        513 => {
            a.int(w, " id")?;
            step!(a.name(w, NAME_MAX));
            a.int(w, " oldid")?;
            a.int(w, " newid")?;
        }
        520 => {
            a.int(w, " id")?;
            return a.name(w, NAME_MAX);
        }
        _ => {}
    }
    Ok(Ok(()))
}

fn reply(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        504 => return ids(a, w),
        505 => return a.list(w, false, |a, w| a.name_vector(w, NAME_MAX as usize)),
        508 | 514 | 517 | 518 | 519 => return a.list(w, false, |a, w| a.int(w, "").map(Ok)),
        510 => {
            a.int(w, " maxuid")?;
            a.int(w, " maxgid")?;
        }
        _ => {}
    }
    Ok(Ok(()))
}
