//! Calls to the AFS basic overseer (Rx port 7007) and their replies, as
//! tcpdump prints them (`bosint.xg`): instance names, statuses, numbers,
//! an install's size, flags and date; of a reply only an error code. Its
//! checks end with ` [|bos]`.

use super::args::{Args, Service, Step, errcode, nothing, step};

pub(super) static BOS: Service = Service {
    name: "bos",
    cut: " [|bos]",
    ops: &[
        (80, "create-bnode"),
        (81, "delete-bnode"),
        (82, "set-status"),
        (83, "get-status"),
        (84, "enumerate-instance"),
        (85, "get-instance-info"),
        (86, "get-instance-parm"),
        (87, "add-superuser"),
        (88, "delete-superuser"),
        (89, "list-superusers"),
        (90, "list-keys"),
        (91, "add-key"),
        (92, "delete-key"),
        (93, "set-cell-name"),
        (94, "get-cell-name"),
        (95, "get-cell-host"),
        (96, "add-cell-host"),
        (97, "delete-cell-host"),
        (98, "set-t-status"),
        (99, "shutdown-all"),
        (100, "restart-all"),
        (101, "startup-all"),
        (102, "set-noauth-flag"),
        (103, "re-bozo"),
        (104, "restart"),
        (105, "start-bozo-install"),
        (106, "uninstall"),
        (107, "get-dates"),
        (108, "exec"),
        (109, "prune"),
        (110, "set-restart-time"),
        (111, "get-restart-time"),
        (112, "start-bozo-log"),
        (113, "wait-all"),
        (114, "get-instance-strings"),
        (115, "get-restricted"),
        (116, "set-restricted"),
    ],
    ubik: false,
    reply_needs_body: true,
    call,
    reply: nothing,
    other_reply: errcode,
};

/// The longest name (`BOSNAMEMAX`).
const NAME_MAX: u32 = 256;

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        80 => {
            w.extend_from_slice(b" type");
            step!(a.name(w, NAME_MAX));
            w.extend_from_slice(b" instance");
            return a.name(w, NAME_MAX);
        }
        81 | 83 | 85 | 87 | 88 | 93 | 96 | 97 | 104 | 106 | 108 | 112 | 114 => {
            return a.name(w, NAME_MAX);
        }
        82 | 98 => {
            step!(a.name(w, NAME_MAX));
            a.int(w, " status")?;
        }
        86 => {
            step!(a.name(w, NAME_MAX));
            a.int(w, " num")?;
        }
        84 | 89 | 90 | 91 | 92 | 95 => a.int(w, "")?,
        105 => {
            step!(a.name(w, NAME_MAX));
            a.int(w, " size")?;
            a.int(w, " flags")?;
            a.int(w, " date")?;
        }
        _ => {}
    }
    Ok(Ok(()))
}
