//! Calls to the AFS file server (Rx port 7000) and their replies, as
//! tcpdump prints them from its table of `afsint.xg`: ` fs call NAME`
//! (`op#N` past the table) and the arguments of the calls it decodes
//! (file ids, store-status masks, names, offsets and lengths, 64-bit ones
//! for the 64-bit calls, access lists, bulk stats); ` fs reply NAME` and
//! the results of fetch-acl, create-file, makedir, get-rootvl and
//! get-time, or ` error NAME` for an abort. Its checks end with ` [|fs]`.

use super::super::ctl::out;
use super::args::{Args, Cut, Service, Step, fs_other, step};

pub(super) static FS: Service = Service {
    name: "fs",
    cut: " [|fs]",
    ops: OPS,
    ubik: false,
    reply_needs_body: true,
    call,
    reply,
    other_reply: fs_other,
};

const OPS: &[(u32, &str)] = &[
    (130, "fetch-data"),
    (131, "fetch-acl"),
    (132, "fetch-status"),
    (133, "store-data"),
    (134, "store-acl"),
    (135, "store-status"),
    (136, "remove-file"),
    (137, "create-file"),
    (138, "rename"),
    (139, "symlink"),
    (140, "link"),
    (141, "makedir"),
    (142, "rmdir"),
    (143, "oldsetlock"),
    (144, "oldextlock"),
    (145, "oldrellock"),
    (146, "get-stats"),
    (147, "give-cbs"),
    (148, "get-vlinfo"),
    (149, "get-vlstats"),
    (150, "set-vlstats"),
    (151, "get-rootvl"),
    (152, "check-token"),
    (153, "get-time"),
    (154, "nget-vlinfo"),
    (155, "bulk-stat"),
    (156, "setlock"),
    (157, "extlock"),
    (158, "rellock"),
    (159, "xstat-ver"),
    (160, "get-xstat"),
    (161, "dfs-lookup"),
    (162, "dfs-flushcps"),
    (163, "dfs-symlink"),
    (220, "residency"),
    (65536, "inline-bulk-status"),
    (65537, "fetch-data-64"),
    (65538, "store-data-64"),
    (65539, "give-up-all-cbs"),
    (65540, "get-caps"),
    (65541, "cb-rx-conn-addr"),
];

/// The file server's error codes tcpdump names.
pub(super) const ERRORS: &[(i32, &str)] = &[
    (101, "salvage volume"),
    (102, "no such vnode"),
    (103, "no such volume"),
    (104, "volume exist"),
    (105, "no service"),
    (106, "volume offline"),
    (107, "voline online"),
    (108, "diskfull"),
    (109, "diskquota exceeded"),
    (110, "volume busy"),
    (111, "volume moved"),
    (112, "AFS IO error"),
    (-100, "restarting fileserver"),
];

/// The longest name tcpdump prints, and access list it reads.
const NAME_MAX: u32 = 256;
const OPAQUE_MAX: usize = 1024;

/// A store-status: the mask and the fields it sets, checked first.
fn store_status(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    step!(a.check(24));
    let mask = a.u32()?;
    if mask != 0 {
        w.extend_from_slice(b" StoreStatus");
    }
    if mask & 1 != 0 {
        a.date_of(w, " date")?;
    } else {
        a.u32()?;
    }
    for (bit, word) in [(2, " owner"), (4, " group"), (8, " mode"), (16, " segsize")] {
        let n = a.u32()?;
        match (mask & bit != 0, bit) {
            (true, 8) => out!(w, "{word} {:o}", n & 0o7777),
            (true, _) => out!(w, "{word} {n}"),
            _ => {}
        }
    }
    if mask & 1024 != 0 {
        w.extend_from_slice(b" fsync");
    }
    Ok(Ok(()))
}

/// An access list: its length, then the text (up to a NUL, at most
/// 1024 bytes), checked first.
fn acl(a: &mut Args<'_>, w: &mut Vec<u8>) -> Step {
    let n = a.u32()? as usize;
    let Some(text) = a.bytes().get(a.at()..).and_then(|t| t.get(..n)) else {
        return Ok(Err(Cut));
    };
    let text = &text[..n.min(OPAQUE_MAX)];
    let end = text.iter().position(|&c| c == 0).unwrap_or(text.len());
    super::acl::print(w, &text[..end]);
    Ok(Ok(()))
}

fn call(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        130 => {
            step!(a.fid(w));
            a.uint(w, " offset")?;
            a.uint(w, " length")?;
        }
        131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => return a.fid(w),
        135 => {
            step!(a.fid(w));
            return store_status(a, w);
        }
        133 | 65538 => {
            step!(a.fid(w));
            step!(store_status(a, w));
            for word in [" offset", " length", " flen"] {
                if op == 133 {
                    a.uint(w, word)?;
                } else {
                    a.uint64(w, word)?;
                }
            }
        }
        134 => {
            step!(a.fid(w));
            return acl(a, w);
        }
        137 | 141 => {
            step!(a.fid(w));
            step!(a.name(w, NAME_MAX));
            return store_status(a, w);
        }
        136 | 142 => {
            step!(a.fid(w));
            return a.name(w, NAME_MAX);
        }
        138 => {
            for word in [&b" old"[..], b" new"] {
                w.extend_from_slice(word);
                step!(a.fid(w));
                step!(a.name(w, NAME_MAX));
            }
        }
        139 => {
            step!(a.fid(w));
            step!(a.name(w, NAME_MAX));
            w.extend_from_slice(b" link to");
            return a.name(w, NAME_MAX);
        }
        140 => {
            step!(a.fid(w));
            step!(a.name(w, NAME_MAX));
            w.extend_from_slice(b" link to");
            return a.fid(w);
        }
        148 => return a.name(w, NAME_MAX),
        149 | 150 => a.uint(w, " volid")?,
        154 => {
            w.extend_from_slice(b" volname");
            return a.name(w, NAME_MAX);
        }
        155 | 65536 => return a.list(w, true, |a, w| a.fid(w)),
        65537 => {
            step!(a.fid(w));
            a.uint64(w, " offset")?;
            a.uint64(w, " length")?;
        }
        65541 => a.uint(w, " addr")?,
        _ => {}
    }
    Ok(Ok(()))
}

fn reply(a: &mut Args<'_>, w: &mut Vec<u8>, op: u32) -> Step {
    match op {
        131 => return acl(a, w),
        137 | 141 => {
            w.extend_from_slice(b" new");
            return a.fid(w);
        }
        151 => {
            w.extend_from_slice(b" root volume");
            return a.name(w, NAME_MAX);
        }
        153 => a.date(w)?,
        _ => {}
    }
    Ok(Ok(()))
}
