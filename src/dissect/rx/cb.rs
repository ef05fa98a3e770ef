//! Calls to the AFS cache manager's callback service (Rx port 7001) and
//! their replies, as tcpdump prints them (`afscbint.xg`): a callback's
//! file ids and each callback's version and expiry, probe-uuid's UUID;
//! the UUID of an initcb3 reply; ` errcode N` for the others. Its checks
//! end with ` [|cb]`.

use super::args::{Args, Service, Step, errcode, step};

pub(super) static CB: Service = Service {
    name: "cb",
    cut: " [|cb]",
    ops: &[
        (204, "callback"),
        (205, "initcb"),
        (206, "probe"),
        (207, "getlock"),
        (208, "getce"),
        (209, "xstatver"),
        (210, "getxstat"),
        (211, "initcb2"),
        (212, "whoareyou"),
        (213, "initcb3"),
        (214, "probeuuid"),
        (215, "getsrvprefs"),
        (216, "getcellservdb"),
        (217, "getlocalcell"),
        (218, "getcacheconf"),
        (65536, "getce64"),
        (65537, "getcellbynum"),
        (65538, "tellmeaboutyourself"),
    ],
    ubik: false,
    reply_needs_body: true,
    call,
    reply,
    other_reply: errcode,
};

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        204 => {
            step!(a.list(w, true, |a, w| a.fid(w)));
            let n = a.u32()?;
            if n != 0 {
                w.push(b';');
            }
            for _ in 0..n {
                a.int(w, " ver")?;
                a.date_of(w, " expires")?;
                // The callback's type is read and not printed.
                a.u32()?;
            }
        }
        214 => {
            w.extend_from_slice(b" afsuuid");
            return a.uuid(w);
        }
        _ => {}
    }
    Ok(Ok(()))
}

fn reply(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    if op == 213 {
        return a.uuid(w);
    }
    Ok(Ok(()))
}
