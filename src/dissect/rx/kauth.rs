//! Calls to the AFS Kerberos authentication server (Rx port 7004) and
//! their replies, as tcpdump prints them (`kauth.rg`): the principal's
//! name and instance, a ticket request's key version and domain, a
//! password change's key version; of a reply only an error code; Ubik's
//! opcodes by [`super::ubik`]. Its checks end with ` [|kauth]`.

use super::args::{Args, Service, Step, errcode, nothing, step};

pub(super) static KAUTH: Service = Service {
    name: "kauth",
    cut: " [|kauth]",
    ops: &[
        (1, "auth-old"),
        (21, "authenticate"),
        (22, "authenticate-v2"),
        (2, "change-pw"),
        (3, "get-ticket-old"),
        (23, "get-ticket"),
        (4, "set-pw"),
        (5, "set-fields"),
        (6, "create-user"),
        (7, "delete-user"),
        (8, "get-entry"),
        (9, "list-entry"),
        (10, "get-stats"),
        (11, "debug"),
        (12, "get-pw"),
        (13, "get-random-key"),
        (14, "unlock"),
        (15, "lock-status"),
    ],
    ubik: true,
    reply_needs_body: true,
    call,
    reply: nothing,
    other_reply: errcode,
};

/// The longest name (`KANAMEMAX`).
const NAME_MAX: u32 = 64;

fn principal(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    w.extend_from_slice(b" principal");
    step!(a.name(w, NAME_MAX));
    a.name(w, NAME_MAX)
}

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        1 | 21 | 22 | 2 | 5 | 6 | 7 | 8 | 14 | 15 => return principal(a, w),
        3 | 23 => {
            a.int(w, " kvno")?;
            w.extend_from_slice(b" domain");
            step!(a.name(w, NAME_MAX));
            let n = a.u32()? as usize;
            step!(a.skip(n));
            return principal(a, w);
        }
        4 => {
            step!(principal(a, w));
            a.int(w, " kvno")?;
        }
        12 => {
            w.extend_from_slice(b" name");
            return a.name(w, NAME_MAX);
        }
        _ => {}
    }
    Ok(Ok(()))
}
