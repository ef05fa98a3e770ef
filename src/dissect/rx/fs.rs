//! Calls to the AFS file server (Rx port 7000) and their replies, as
//! tcpdump prints them from its table of `afsint.xg`: ` fs call NAME`
//! (`op#N` past the table) and the arguments of the calls it decodes
//! (file ids, store-status masks, names, offsets and lengths, 64-bit ones
//! for the 64-bit calls, access lists); ` fs reply NAME` and the results
//! of fetch-acl, create-file, makedir, get-rootvl and get-time, or
//! ` error NAME` for an abort. tcpdump's own checks (a file id, a
//! store-status, an access list or a name the capture cut; a name longer
//! than 256) end with ` [|fs]`; its other reads `longjmp` (a `Truncated`).

use super::super::ctl::out;
use super::super::dns::text::put_char;
use super::super::wire::u8_at;
use super::super::wire::{Res, need, u32_at};
use super::{ABORT, DATA, HEADER, TYPE};

/// The calls tcpdump names, from 130.
const CALLS: [&str; 34] = [
    "fetch-data",
    "fetch-acl",
    "fetch-status",
    "store-data",
    "store-acl",
    "store-status",
    "remove-file",
    "create-file",
    "rename",
    "symlink",
    "link",
    "makedir",
    "rmdir",
    "oldsetlock",
    "oldextlock",
    "oldrellock",
    "get-stats",
    "give-cbs",
    "get-vlinfo",
    "get-vlstats",
    "set-vlstats",
    "get-rootvl",
    "check-token",
    "get-time",
    "nget-vlinfo",
    "bulk-stat",
    "setlock",
    "extlock",
    "rellock",
    "xstat-ver",
    "get-xstat",
    "dfs-lookup",
    "dfs-flushcps",
    "dfs-symlink",
];

/// The calls it names past those.
const LATER_CALLS: &[(u32, &str)] = &[
    (220, "residency"),
    (65536, "inline-bulk-status"),
    (65537, "fetch-data-64"),
    (65538, "store-data-64"),
    (65539, "give-up-all-cbs"),
    (65540, "get-caps"),
    (65541, "cb-rx-conn-addr"),
];

/// The file server's error codes tcpdump names.
const ERRORS: &[(i32, &str)] = &[
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

/// tcpdump's own check failed: ` [|fs]`, then the line goes on.
struct Cut;

/// A reader over the arguments, as tcpdump's macros walk them.
struct Args<'a> {
    m: &'a [u8],
    at: usize,
}

type Step = Res<Result<(), Cut>>;

impl Args<'_> {
    fn u32(&mut self) -> Res<u32> {
        let n = u32_at(self.m, self.at)?;
        self.at += 4;
        Ok(n)
    }

    /// ` WORD N` (unsigned): the word is out before the number is read.
    fn uint(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        let n = self.u32()?;
        out!(w, " {n}");
        Ok(())
    }

    /// ` WORD N` of a 64-bit number.
    fn uint64(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        let (hi, lo) = (u32_at(self.m, self.at)?, u32_at(self.m, self.at + 4)?);
        self.at += 8;
        out!(w, " {}", (u64::from(hi) << 32) | u64::from(lo));
        Ok(())
    }

    /// ` fid VOLUME/VNODE/UNIQUE`, checked first.
    fn fid(&mut self, w: &mut Vec<u8>) -> Step {
        if need(self.m, self.at, 12).is_err() {
            return Ok(Err(Cut));
        }
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        out!(w, " fid {a}/{b}/{c}");
        Ok(Ok(()))
    }

    /// ` "NAME"`: its length, at most 256, then its bytes padded to four.
    fn name(&mut self, w: &mut Vec<u8>) -> Step {
        let n = self.u32()?;
        if n > NAME_MAX {
            return Ok(Err(Cut));
        }
        w.extend_from_slice(b" \"");
        for i in 0..n as usize {
            let Some(&c) = self.m.get(self.at + i) else {
                return Ok(Err(Cut));
            };
            put_char(w, c);
        }
        w.push(b'"');
        self.at += (n as usize).next_multiple_of(4);
        Ok(Ok(()))
    }

    /// A time, as tcpdump's `localtime` writes it.
    fn date(&mut self, w: &mut Vec<u8>) -> Res<()> {
        let t = self.u32()? as i32;
        let s = crate::sys::localtime::strftime("%Y/%m/%d %H:%M:%S", i64::from(t));
        out!(w, " {}", s.as_deref().unwrap_or("[localtime() failed]"));
        Ok(())
    }

    /// A store-status: the mask and the fields it sets, checked first.
    fn store_status(&mut self, w: &mut Vec<u8>) -> Step {
        if need(self.m, self.at, 24).is_err() {
            return Ok(Err(Cut));
        }
        let mask = self.u32()?;
        if mask != 0 {
            w.extend_from_slice(b" StoreStatus");
        }
        if mask & 1 != 0 {
            w.extend_from_slice(b" date");
            self.date(w)?;
        } else {
            self.at += 4;
        }
        let fields: [(u32, &str); 4] = [(2, "owner"), (4, "group"), (8, "mode"), (16, "segsize")];
        for (bit, word) in fields {
            let n = self.u32()?;
            match (mask & bit != 0, bit) {
                (true, 8) => out!(w, " {word} {:o}", n & 0o7777),
                (true, _) => out!(w, " {word} {n}"),
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
    fn acl(&mut self, w: &mut Vec<u8>) -> Step {
        let n = self.u32()? as usize;
        let Some(text) = self.m.get(self.at..).and_then(|t| t.get(..n)) else {
            return Ok(Err(Cut));
        };
        let text = &text[..n.min(OPAQUE_MAX)];
        let end = text.iter().position(|&c| c == 0).unwrap_or(text.len());
        super::acl::print(w, &text[..end]);
        Ok(Ok(()))
    }
}

/// Run the steps of a call's arguments; ` [|fs]` where a check failed.
fn steps(w: &mut Vec<u8>, run: impl FnOnce(&mut Vec<u8>) -> Step) -> Res<()> {
    if run(w)?.is_err() {
        w.extend_from_slice(b" [|fs]");
    }
    Ok(())
}

fn put_op(w: &mut Vec<u8>, op: u32) {
    match op.checked_sub(130).and_then(|i| CALLS.get(i as usize)) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => match LATER_CALLS.iter().find(|(o, _)| *o == op) {
            Some((_, name)) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "op#{op}"),
        },
    }
}

/// A call to the file server: its name and arguments.
pub(super) fn call(w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
    if len <= HEADER {
        return Ok(());
    }
    let op = u32_at(m, HEADER)?;
    w.extend_from_slice(b" fs call ");
    put_op(w, op);
    let mut a = Args { m, at: HEADER + 4 };
    steps(w, |w| {
        match op {
            130 => {
                if a.fid(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                a.uint(w, " offset")?;
                a.uint(w, " length")?;
            }
            131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => return a.fid(w),
            135 => {
                if a.fid(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                return a.store_status(w);
            }
            133 | 65538 => {
                if a.fid(w)?.is_err() || a.store_status(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                for word in [" offset", " length", " flen"] {
                    if op == 133 {
                        a.uint(w, word)?;
                    } else {
                        a.uint64(w, word)?;
                    }
                }
            }
            134 => {
                if a.fid(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                return a.acl(w);
            }
            137 | 141 => {
                if a.fid(w)?.is_err() || a.name(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                return a.store_status(w);
            }
            136 | 142 => {
                if a.fid(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                return a.name(w);
            }
            138 => {
                for word in [" old", " new"] {
                    w.extend_from_slice(word.as_bytes());
                    if a.fid(w)?.is_err() || a.name(w)?.is_err() {
                        return Ok(Err(Cut));
                    }
                }
            }
            139 => {
                if a.fid(w)?.is_err() || a.name(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                w.extend_from_slice(b" link to");
                return a.name(w);
            }
            140 => {
                if a.fid(w)?.is_err() || a.name(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                w.extend_from_slice(b" link to");
                return a.fid(w);
            }
            148 => return a.name(w),
            149 | 150 => a.uint(w, " volid")?,
            154 => {
                w.extend_from_slice(b" volname");
                return a.name(w);
            }
            155 | 65536 => {
                let n = a.u32()?;
                for i in 0..n {
                    if a.fid(w)?.is_err() {
                        return Ok(Err(Cut));
                    }
                    if i != n - 1 {
                        w.push(b',');
                    }
                }
                if n == 0 {
                    w.extend_from_slice(b" <none!>");
                }
            }
            65537 => {
                if a.fid(w)?.is_err() {
                    return Ok(Err(Cut));
                }
                a.uint64(w, " offset")?;
                a.uint64(w, " length")?;
            }
            65541 => a.uint(w, " addr")?,
            _ => {}
        }
        Ok(Ok(()))
    })
}

/// A reply from the file server to a call of `op`.
pub(super) fn reply(w: &mut Vec<u8>, m: &[u8], len: usize, op: u32) -> Res<()> {
    if len <= HEADER {
        return Ok(());
    }
    w.extend_from_slice(b" fs reply ");
    put_op(w, op);
    let kind = u8_at(m, TYPE)?;
    let mut a = Args { m, at: HEADER };
    match kind {
        DATA => steps(w, |w| {
            match op {
                131 => return a.acl(w),
                137 | 141 => {
                    w.extend_from_slice(b" new");
                    return a.fid(w);
                }
                151 => {
                    w.extend_from_slice(b" root volume");
                    return a.name(w);
                }
                153 => a.date(w)?,
                _ => {}
            }
            Ok(Ok(()))
        }),
        ABORT => {
            let code = a.u32()? as i32;
            w.extend_from_slice(b" error ");
            match ERRORS.iter().find(|(c, _)| *c == code) {
                Some((_, name)) => w.extend_from_slice(name.as_bytes()),
                None => out!(w, "#{code}"),
            }
            Ok(())
        }
        t => {
            out!(w, " strange fs reply of type {t}");
            Ok(())
        }
    }
}
