//! Calls to the AFS volume server (Rx port 7005) and their replies, as
//! tcpdump prints them (`volint.xg`): transactions, partitions, names,
//! flags, dates and destination servers; a reply's volume and
//! transaction ids, a volume's status with its dates, volume lists. Its
//! checks end with ` [|vol]`.

use super::args::{Args, Service, Step, errcode, step};

pub(super) static VOL: Service = Service {
    name: "vol",
    cut: " [|vol]",
    ops: &[
        (100, "create-volume"),
        (101, "delete-volume"),
        (102, "restore"),
        (103, "forward"),
        (104, "end-trans"),
        (105, "clone"),
        (106, "set-flags"),
        (107, "get-flags"),
        (108, "trans-create"),
        (109, "dump"),
        (110, "get-nth-volume"),
        (111, "set-forwarding"),
        (112, "get-name"),
        (113, "get-status"),
        (114, "sig-restore"),
        (115, "list-partitions"),
        (116, "list-volumes"),
        (117, "set-id-types"),
        (118, "monitor"),
        (119, "partition-info"),
        (120, "reclone"),
        (121, "list-one-volume"),
        (122, "nuke"),
        (123, "set-date"),
        (124, "x-list-volumes"),
        (125, "x-list-one-volume"),
        (126, "set-info"),
        (127, "x-list-partitions"),
        (128, "forward-multiple"),
        (65536, "convert-ro"),
        (65537, "get-size"),
        (65538, "dump-v2"),
    ],
    ubik: false,
    reply_needs_body: true,
    call,
    reply,
    other_reply: errcode,
};

/// The longest name (`AFSNAMEMAX`).
const NAME_MAX: u32 = 256;

fn uints(a: &mut Args<'_>, w: &mut Vec<u8>, words: &[&str]) -> Step {
    for word in words {
        a.uint(w, word)?;
    }
    Ok(Ok(()))
}

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        100 => {
            a.uint(w, " partition")?;
            w.extend_from_slice(b" name");
            step!(a.name(w, NAME_MAX));
            return uints(a, w, &[" type", " parent"]);
        }
        101 | 107 | 104 => a.uint(w, " trans")?,
        102 => return uints(a, w, &[" totrans", " flags"]),
        103 => {
            a.uint(w, " fromtrans")?;
            a.date_of(w, " fromdate")?;
            step!(a.dest_server(w));
            a.int(w, " desttrans")?;
        }
        105 => {
            step!(uints(a, w, &[" trans", " purgevol", " newtype"]));
            w.extend_from_slice(b" newname");
            return a.name(w, NAME_MAX);
        }
        106 => return uints(a, w, &[" trans", " flags"]),
        108 => return uints(a, w, &[" vol", " partition", " flags"]),
        109 => {
            a.uint(w, " fromtrans")?;
            a.date_of(w, " fromdate")?;
        }
        110 => a.uint(w, " index")?,
        111 => return uints(a, w, &[" tid", " newsite"]),
        112 | 113 => w.extend_from_slice(b" tid"),
        114 => {
            w.extend_from_slice(b" name");
            step!(a.name(w, NAME_MAX));
            return uints(a, w, &[" type", " pid", " cloneid"]);
        }
        116 => return uints(a, w, &[" partition", " flags"]),
        117 => {
            a.uint(w, " tid")?;
            w.extend_from_slice(b" name");
            step!(a.name(w, NAME_MAX));
            return uints(a, w, &[" type", " pid", " clone", " backup"]);
        }
        119 => {
            w.extend_from_slice(b" name");
            return a.name(w, NAME_MAX);
        }
        120 | 126 => a.uint(w, " tid")?,
        121 | 122 | 124 | 125 | 65536 => return uints(a, w, &[" partid", " volid"]),
        123 => {
            a.uint(w, " tid")?;
            a.date_of(w, " date")?;
        }
        128 => {
            a.uint(w, " fromtrans")?;
            a.date_of(w, " fromdate")?;
            return a.list(w, true, |a, w| a.dest_server(w));
        }
        65538 => {
            a.uint(w, " fromtrans")?;
            a.date_of(w, " fromdate")?;
            a.uint(w, " flags")?;
        }
        _ => {}
    }
    Ok(Ok(()))
}

fn reply(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        100 => return uints(a, w, &[" volid", " trans"]),
        104 | 107 => a.uint(w, "")?,
        105 => a.uint(w, " newvol")?,
        108 => a.uint(w, " trans")?,
        110 => return uints(a, w, &[" volume", " partition"]),
        112 => return a.name(w, NAME_MAX),
        113 => {
            step!(uints(
                a,
                w,
                &[
                    " volid",
                    " nextuniq",
                    " type",
                    " parentid",
                    " clone",
                    " backup",
                    " restore",
                    " maxquota",
                    " minquota",
                    " owner",
                ],
            ));
            for word in [
                " create", " access", " update", " expire", " backup", " copy",
            ] {
                a.date_of(w, word)?;
            }
        }
        116 | 121 => {
            return a.list(w, true, |a, w| {
                w.extend_from_slice(b" name");
                step!(a.name_vector(w, 32));
                a.uint(w, " volid")?;
                w.extend_from_slice(b" type");
                // The rest of the entry, unchecked (a later read checks).
                a.advance(21 * 4);
                Ok(Ok(()))
            });
        }
        _ => {}
    }
    Ok(Ok(()))
}
