//! A reply's results after `reply ok N` and the procedure's name (the
//! call's, from the XID table: tcpdump's `interp_reply`): the status, and
//! per procedure the handle, attributes, counts and file-system figures
//! tcpdump prints at each level. A status other than OK prints
//! ` ERROR: text`; after it (or after an accept state other than
//! success) a stop at a check is not marked, one reading past the
//! capture still is.

use super::attrs::{R, fattr, handle, name, post_op_attr, u64_at, wcc_data};
use super::call::write_mode;
use super::{Cut, Proc};
use crate::dissect::ctl::out;
use crate::dissect::rpc::{self, Accepted};
use crate::dissect::wire::{need, u32_at};

/// NFS status codes (RFC 1094, RFC 1813, and errno values some servers
/// return) in tcpdump's words.
const STATUS: &[(u32, &str)] = &[
    (1, "Operation not permitted"),
    (2, "No such file or directory"),
    (5, "Input/output error"),
    (6, "Device not configured"),
    (11, "Resource deadlock avoided"),
    (12, "Cannot allocate memory"),
    (13, "Permission denied"),
    (17, "File exists"),
    (18, "Cross-device link"),
    (19, "Operation not supported by device"),
    (20, "Not a directory"),
    (21, "Is a directory"),
    (22, "Invalid argument"),
    (26, "Text file busy"),
    (27, "File too large"),
    (28, "No space left on device"),
    (30, "Read-only file system"),
    (31, "Too many links"),
    (45, "Operation not supported"),
    (62, "Too many levels of symbolic links"),
    (63, "File name too long"),
    (66, "Directory not empty"),
    (69, "Disc quota exceeded"),
    (70, "Stale NFS file handle"),
    (71, "Too many levels of remote in path"),
    (99, "Write cache flushed to disk"),
    (10001, "Illegal NFS file handle"),
    (10002, "Update synchronization mismatch"),
    (10003, "READDIR/READDIRPLUS cookie is stale"),
    (10004, "Operation not supported"),
    (10005, "Buffer or request is too small"),
    (10006, "Unspecified error on server"),
    (10007, "Object of that type not supported"),
    (10008, "Request couldn't be completed in time"),
];

/// The text of an NFS status.
pub(super) fn status_text(n: u32) -> Option<&'static str> {
    STATUS.iter().find(|(k, _)| *k == n).map(|(_, s)| *s)
}

/// The results being printed: the bytes, the level, and whether an
/// error was printed (then a stop at a check is not marked).
struct Results<'a> {
    m: &'a [u8],
    verbose: u8,
    failed: bool,
}

impl Results<'_> {
    fn word(&self, at: usize) -> R<u32> {
        Ok(u32_at(self.m, at)?)
    }

    /// The status word; ` ERROR: …` when it is not OK. Returns it and
    /// the offset after it.
    fn status(&mut self, w: &mut Vec<u8>, at: usize) -> R<(u32, usize)> {
        let n = self.word(at)?;
        if n != 0 {
            w.extend_from_slice(b" ERROR: ");
            match status_text(n) {
                Some(s) => w.extend_from_slice(s.as_bytes()),
                None => out!(w, "unk {n}"),
            }
            self.failed = true;
        }
        Ok((n, at + 4))
    }

    /// `attrstat`: a status, then the attributes when OK.
    fn attrstat(&mut self, w: &mut Vec<u8>, at: usize, verbose: u8, v3: bool) -> R<()> {
        let (er, at) = self.status(w, at)?;
        if er == 0 {
            fattr(w, self.m, at, verbose, v3)?;
        }
        Ok(())
    }

    /// v2's `diropres`: a status, then a handle and its attributes.
    fn diropres(&mut self, w: &mut Vec<u8>, at: usize) -> R<()> {
        let (er, at) = self.status(w, at)?;
        if er == 0 {
            let at = handle(w, self.m, at, false)?;
            fattr(w, self.m, at, self.verbose, false)?;
        }
        Ok(())
    }

    /// v3's results of CREATE, MKDIR, SYMLINK and MKNOD.
    fn created(&mut self, w: &mut Vec<u8>, at: usize) -> R<()> {
        let v = self.verbose;
        let (er, at) = self.status(w, at)?;
        if er != 0 {
            wcc_data(w, self.m, at, v)?;
            return Ok(());
        }
        if self.word(at)? == 0 {
            return Ok(());
        }
        let at = handle(w, self.m, at + 4, true)?;
        if v > 0 {
            let at = post_op_attr(w, self.m, at, v)?;
            if v > 1 {
                w.extend_from_slice(b" dir attr:");
                wcc_data(w, self.m, at, v)?;
            }
        }
        Ok(())
    }

    /// A status and `wcc_data`.
    fn wccres(&mut self, w: &mut Vec<u8>, at: usize) -> R<usize> {
        let (_, at) = self.status(w, at)?;
        wcc_data(w, self.m, at, self.verbose)
    }

    /// A status, ` POST:` and `post_op_attr` (FSINFO, PATHCONF,
    /// READDIR): the status and the offset after the attributes.
    fn status_post(&mut self, w: &mut Vec<u8>, at: usize) -> R<(u32, usize)> {
        let (er, at) = self.status(w, at)?;
        if self.verbose > 0 {
            w.extend_from_slice(b" POST:");
        }
        let at = post_op_attr(w, self.m, at, self.verbose)?;
        Ok((er, at))
    }

    fn results(&mut self, w: &mut Vec<u8>, at: usize, proc: Proc, v3: bool) -> R<()> {
        let v = self.verbose;
        let m = self.m;
        match proc {
            Proc::Getattr => self.attrstat(w, at, 1, v3)?,
            Proc::Setattr if v3 => {
                self.wccres(w, at)?;
            }
            Proc::Setattr => self.attrstat(w, at, 1, false)?,
            Proc::Lookup if v3 => {
                let (er, at) = self.status(w, at)?;
                let at = if er == 0 {
                    let at = handle(w, m, at, true)?;
                    post_op_attr(w, m, at, v)?
                } else {
                    at
                };
                if v > 1 {
                    w.extend_from_slice(b" post dattr:");
                    post_op_attr(w, m, at, v)?;
                }
            }
            Proc::Lookup => self.diropres(w, at)?,
            Proc::Access => {
                let (er, at) = self.status(w, at)?;
                if v > 0 {
                    w.extend_from_slice(b" attr:");
                }
                let at = post_op_attr(w, m, at, v)?;
                if er == 0 {
                    out!(w, " c {:04x}", self.word(at)?);
                }
            }
            Proc::Readlink => {
                let (er, at) = self.status(w, at)?;
                if er == 0 {
                    let at = if v3 { post_op_attr(w, m, at, v)? } else { at };
                    w.push(b' ');
                    name(w, m, at)?;
                }
            }
            Proc::Read | Proc::Write if !v3 => self.attrstat(w, at, v, false)?,
            Proc::Read => {
                let (er, at) = self.status(w, at)?;
                let at = post_op_attr(w, m, at, v)?;
                if er == 0 && v > 0 {
                    out!(w, " {} bytes", self.word(at)?);
                    if self.word(at + 4)? != 0 {
                        w.extend_from_slice(b" EOF");
                    }
                }
            }
            Proc::Write => {
                let (er, at) = self.status(w, at)?;
                let at = wcc_data(w, m, at, v)?;
                if er == 0 && v > 0 {
                    out!(w, " {} bytes", self.word(at)?);
                    if v > 1 {
                        write_mode(w, self.word(at + 4)?);
                        out!(w, " verf {:x}", u64_at(m, at + 8)?);
                    }
                }
            }
            Proc::Create | Proc::Mkdir if !v3 => self.diropres(w, at)?,
            Proc::Create | Proc::Mkdir | Proc::Mknod => self.created(w, at)?,
            Proc::Symlink | Proc::Remove | Proc::Rmdir | Proc::Rename | Proc::Link if !v3 => {
                self.status(w, at)?;
            }
            Proc::Symlink => self.created(w, at)?,
            Proc::Remove | Proc::Rmdir => {
                self.wccres(w, at)?;
            }
            // RENAME: both directories' `wcc_data`; LINK: the file's
            // attributes, then the directory's `wcc_data`.
            Proc::Rename | Proc::Link => {
                let (_, at) = self.status(w, at)?;
                if v > 0 {
                    let rename = proc == Proc::Rename;
                    let (first, second): (&[u8], &[u8]) = if rename {
                        (b" from:", b" to:")
                    } else {
                        (b" file POST:", b" dir:")
                    };
                    w.extend_from_slice(first);
                    let at = if rename {
                        wcc_data(w, m, at, v)?
                    } else {
                        post_op_attr(w, m, at, v)?
                    };
                    w.extend_from_slice(second);
                    wcc_data(w, m, at, v)?;
                }
            }
            Proc::Readdir if !v3 => {
                let (er, at) = self.status(w, at)?;
                if er == 0 {
                    out!(
                        w,
                        " offset 0x{:x} size {} ",
                        self.word(at)?,
                        self.word(at + 4)?
                    );
                    if self.word(at + 8)? != 0 {
                        w.extend_from_slice(b" eof");
                    }
                }
            }
            Proc::Readdir | Proc::Readdirplus => {
                let (er, at) = self.status_post(w, at)?;
                if er == 0 && v > 0 {
                    out!(w, " verf {:08x}{:08x}", self.word(at)?, self.word(at + 4)?);
                }
            }
            Proc::Fsstat => self.statfs(w, at, v3)?,
            Proc::Fsinfo => {
                let (er, at) = self.status_post(w, at)?;
                if er == 0 {
                    need(m, at, 48).map_err(|_| Cut::Gave)?;
                    let f = |i: usize| self.word(at + 4 * i);
                    out!(
                        w,
                        " rtmax {} rtpref {} wtmax {} wtpref {} dtpref {}",
                        f(0)?,
                        f(1)?,
                        f(3)?,
                        f(4)?,
                        f(6)?
                    );
                    if v > 0 {
                        out!(
                            w,
                            " rtmult {} wtmult {} maxfsz {}",
                            f(2)?,
                            f(5)?,
                            u64_at(m, at + 28)?
                        );
                        out!(w, " delta {}.{:06} ", f(9)?, f(10)?);
                    }
                }
            }
            Proc::Pathconf => {
                let (er, at) = self.status_post(w, at)?;
                if er == 0 {
                    need(m, at, 24).map_err(|_| Cut::Gave)?;
                    let f = |i: usize| self.word(at + 4 * i);
                    let flag =
                        |i: usize, s: &'static str| f(i).map(|n| if n != 0 { s } else { "" });
                    out!(
                        w,
                        " linkmax {} namemax {} {} {} {} {}",
                        f(0)?,
                        f(1)?,
                        flag(2, "notrunc")?,
                        flag(3, "chownres")?,
                        flag(4, "igncase")?,
                        flag(5, "keepcase")?
                    );
                }
            }
            Proc::Commit => {
                let at = self.wccres(w, at)?;
                if v > 1 {
                    out!(w, " verf {:x}", u64_at(m, at)?);
                }
            }
            Proc::Null | Proc::Noop | Proc::Other(_) => {}
        }
        Ok(())
    }

    /// FSSTAT (v2's STATFS).
    fn statfs(&mut self, w: &mut Vec<u8>, at: usize, v3: bool) -> R<()> {
        let v = self.verbose;
        let (er, mut at) = self.status(w, at)?;
        if !v3 && er != 0 {
            return Ok(());
        }
        if v3 {
            if v > 0 {
                w.extend_from_slice(b" POST:");
            }
            at = post_op_attr(w, self.m, at, v)?;
        }
        need(self.m, at, if v3 { 52 } else { 20 }).map_err(|_| Cut::Gave)?;
        let m = self.m;
        if v3 {
            out!(
                w,
                " tbytes {} fbytes {} abytes {}",
                u64_at(m, at)?,
                u64_at(m, at + 8)?,
                u64_at(m, at + 16)?
            );
            if v > 0 {
                out!(
                    w,
                    " tfiles {} ffiles {} afiles {} invar {}",
                    u64_at(m, at + 24)?,
                    u64_at(m, at + 32)?,
                    u64_at(m, at + 40)?,
                    self.word(at + 48)?
                );
            }
        } else {
            let f = |i: usize| self.word(at + 4 * i);
            out!(
                w,
                " tsize {} bsize {} blocks {} bfree {} bavail {}",
                f(0)?,
                f(1)?,
                f(2)?,
                f(3)?,
                f(4)?
            );
        }
        Ok(())
    }
}

/// The results of an accepted reply to a call of `proc` (version 3 or
/// not), after its name: `Err` when the cut is to be marked, saying how
/// tcpdump stopped.
pub(super) fn results(
    w: &mut Vec<u8>,
    m: &[u8],
    length: usize,
    (proc, v3): (Proc, bool),
    verbose: u8,
) -> Result<(), Cut> {
    if matches!(proc, Proc::Null | Proc::Noop | Proc::Other(_)) {
        return Ok(());
    }
    let mut r = Results {
        m,
        verbose,
        failed: false,
    };
    let done = match rpc::accepted(w, m, length) {
        Err(_) => Err(accepted_stop(m, length)),
        Ok(Accepted::Refused) => {
            r.failed = true;
            Err(Cut::Gave)
        }
        Ok(Accepted::Results(at)) => r.results(w, at, proc, v3),
    };
    match done {
        Ok(()) | Err(Cut::Gave) if r.failed => Ok(()),
        done => done,
    }
}

/// How tcpdump's `parserep` stopped where [`rpc::accepted`] failed: it
/// gives up on a verifier as long as the message, and reads the
/// verifier's length and the accept state unchecked.
fn accepted_stop(m: &[u8], length: usize) -> Cut {
    match u32_at(m, rpc::REPLY_STATE + 8) {
        Ok(len) if len as usize >= length => Cut::Gave,
        _ => Cut::Read,
    }
}
