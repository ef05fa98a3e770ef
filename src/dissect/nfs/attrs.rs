//! The attribute structures NFS carries (RFC 1094 §2.3.5, RFC 1813
//! §2.6): `fattr` (v2 and v3), v3's `sattr3` in calls and the `wcc_data`
//! and `post_op_attr` of replies, printed as tcpdump prints them at each
//! level, and file names and handles. Each returns the offset after
//! what it read.

use super::Cut;
use super::fh::write_handle;
use crate::dissect::ctl::out;
use crate::dissect::dns::text::put_chars;
use crate::dissect::wire::{need, u32_at};

pub(super) type R<T> = Result<T, Cut>;

/// What a v2 and a v3 `fattr` take on the wire.
const FATTR_V2: usize = 68;
const FATTR_V3: usize = 84;

/// A 64-bit number.
pub(super) fn u64_at(m: &[u8], at: usize) -> R<u64> {
    let hi = u32_at(m, at)?;
    let lo = u32_at(m, at + 4)?;
    Ok((u64::from(hi) << 32) | u64::from(lo))
}

/// `nfs_ftype` by number (tcpdump has no name for a socket, 6).
pub(super) fn file_type(n: u32) -> Option<&'static str> {
    ["NON", "REG", "DIR", "BLK", "CHR", "LNK", "", "FIFO"]
        .get(n as usize)
        .copied()
        .filter(|s| !s.is_empty())
}

/// A file handle: v3's with its length first (as many whole words as
/// the length holds), v2's 32 bytes; printed when captured whole.
pub(super) fn handle(w: &mut Vec<u8>, m: &[u8], at: usize, v3: bool) -> R<usize> {
    let (at, len) = if v3 {
        (at + 4, (u32_at(m, at)? / 4) as usize * 4)
    } else {
        (at, 32)
    };
    let h = m.get(at..at.saturating_add(len)).ok_or(Cut::Gave)?;
    write_handle(w, h);
    Ok(at + len)
}

/// A file name in quotes, escaped as tcpdump escapes it.
pub(super) fn name(w: &mut Vec<u8>, m: &[u8], at: usize) -> R<usize> {
    let len = u32_at(m, at)?;
    if u32::MAX - len < 3 {
        w.extend_from_slice(b"[cannot pad to 32-bit boundaries] (invalid)");
        return Err(Cut::Gave);
    }
    let len = len as usize;
    need(m, at + 4, len.next_multiple_of(4)).map_err(|_| Cut::Gave)?;
    w.push(b'"');
    let _ = put_chars(w, m, at + 4, len);
    w.push(b'"');
    Ok(at + 4 + len.next_multiple_of(4))
}

/// A handle, a space and a name (a directory and an entry in it).
pub(super) fn handle_and_name(w: &mut Vec<u8>, m: &[u8], at: usize, v3: bool) -> R<usize> {
    let at = handle(w, m, at, v3)?;
    w.push(b' ');
    name(w, m, at)
}

/// A `fattr`: type, mode, owners and size at `-v`, the rest at `-vv`.
/// Only the owners are checked first; what follows is read as printed,
/// and the offset after it is returned whether captured or not.
pub(super) fn fattr(w: &mut Vec<u8>, m: &[u8], at: usize, verbose: u8, v3: bool) -> R<usize> {
    need(m, at + 16, 4).map_err(|_| Cut::Gave)?;
    let word = |i: usize| u32_at(m, at + i);
    if verbose > 0 {
        let kind = word(0)?;
        w.push(b' ');
        match file_type(kind) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "unk-ft {kind} "),
        }
        out!(
            w,
            " {:o} ids {}/{}",
            word(4)?,
            word(12)? as i32,
            word(16)? as i32
        );
        if v3 {
            out!(w, " sz {}", u64_at(m, at + 20)?);
        } else {
            out!(w, " sz {}", word(20)?);
        }
    }
    if verbose > 1 {
        let time = |w: &mut Vec<u8>, i: usize| -> R<()> {
            out!(w, " {}.{:06}", word(i)?, word(i + 4)?);
            Ok(())
        };
        if v3 {
            need(m, at + 76, 8).map_err(|_| Cut::Gave)?;
            out!(w, " nlink {} rdev {}/{}", word(8)?, word(36)?, word(40)?);
            out!(w, " fsid {:x}", u64_at(m, at + 44)?);
            out!(w, " fileid {:x}", u64_at(m, at + 52)?);
            w.extend_from_slice(b" a/m/ctime");
            for i in [60, 68, 76] {
                time(w, i)?;
            }
        } else {
            need(m, at + 60, 8).map_err(|_| Cut::Gave)?;
            out!(
                w,
                " nlink {} rdev 0x{:x} fsid 0x{:x} nodeid 0x{:x} a/m/ctime",
                word(8)?,
                word(28)?,
                word(36)?,
                word(40)?
            );
            for i in [44, 52, 60] {
                time(w, i)?;
            }
        }
    }
    Ok(at + if v3 { FATTR_V3 } else { FATTR_V2 })
}

/// v3's `sattr3`: each attribute behind a word saying whether it is set.
#[derive(Default)]
pub(super) struct Sattr3 {
    mode: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
    atime: Option<(u32, u32)>,
    mtime: Option<(u32, u32)>,
}

/// Client-supplied times (`SET_TO_CLIENT_TIME`) carry a time.
const SET_TO_CLIENT_TIME: u32 = 2;

pub(super) fn sattr3(m: &[u8], mut at: usize) -> R<(Sattr3, usize)> {
    let mut s = Sattr3::default();
    let set = |at: &mut usize| -> R<Option<u32>> {
        let on = u32_at(m, *at)?;
        *at += 4;
        if on == 0 {
            return Ok(None);
        }
        let v = u32_at(m, *at)?;
        *at += 4;
        Ok(Some(v))
    };
    s.mode = set(&mut at)?;
    s.uid = set(&mut at)?;
    s.gid = set(&mut at)?;
    set(&mut at)?; // size, not printed
    let time = |at: &mut usize| -> R<Option<(u32, u32)>> {
        let how = u32_at(m, *at)?;
        *at += 4;
        if how != SET_TO_CLIENT_TIME {
            return Ok(None);
        }
        let t = (u32_at(m, *at)?, u32_at(m, *at + 4)?);
        *at += 8;
        Ok(Some(t))
    };
    s.atime = time(&mut at)?;
    s.mtime = time(&mut at)?;
    Ok((s, at))
}

/// What tcpdump prints of a `sattr3` (times at `-vv` only).
pub(super) fn write_sattr3(w: &mut Vec<u8>, s: &Sattr3, verbose: u8) {
    if let Some(mode) = s.mode {
        out!(w, " mode {mode:o}");
    }
    if let Some(uid) = s.uid {
        out!(w, " uid {uid}");
    }
    if let Some(gid) = s.gid {
        out!(w, " gid {gid}");
    }
    if verbose > 1 {
        if let Some((sec, nsec)) = s.atime {
            out!(w, " atime {sec}.{nsec:06}");
        }
        if let Some((sec, nsec)) = s.mtime {
            out!(w, " mtime {sec}.{nsec:06}");
        }
    }
}

/// `pre_op_attr`: size, mtime and ctime, printed at `-vv`.
fn pre_op_attr(w: &mut Vec<u8>, m: &[u8], at: usize, verbose: u8) -> R<usize> {
    if u32_at(m, at)? == 0 {
        return Ok(at + 4);
    }
    let at = at + 4;
    need(m, at, 24).map_err(|_| Cut::Gave)?;
    if verbose > 1 {
        out!(w, " sz {}", u64_at(m, at)?);
        out!(
            w,
            " mtime {}.{:06} ctime {}.{:06}",
            u32_at(m, at + 8)?,
            u32_at(m, at + 12)?,
            u32_at(m, at + 16)?,
            u32_at(m, at + 20)?
        );
    }
    Ok(at + 24)
}

/// `post_op_attr`: a v3 `fattr` when present, printed at `-v`.
pub(super) fn post_op_attr(w: &mut Vec<u8>, m: &[u8], at: usize, verbose: u8) -> R<usize> {
    if u32_at(m, at)? == 0 {
        return Ok(at + 4);
    }
    if verbose > 0 {
        fattr(w, m, at + 4, verbose, true)
    } else {
        Ok(at + 4 + FATTR_V3)
    }
}

/// `wcc_data`: the attributes before (`-vv`) and after (`-v`).
pub(super) fn wcc_data(w: &mut Vec<u8>, m: &[u8], at: usize, verbose: u8) -> R<usize> {
    if verbose > 1 {
        w.extend_from_slice(b" PRE:");
    }
    let at = pre_op_attr(w, m, at, verbose)?;
    if verbose > 0 {
        w.extend_from_slice(b" POST:");
    }
    post_op_attr(w, m, at, verbose)
}
