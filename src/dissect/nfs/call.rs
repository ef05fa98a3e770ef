//! A call's arguments after its procedure's name (tcpdump's
//! `nfsreq_noaddr_print`): the handle for most, a name after the
//! directory's handle for the ones that name an entry, counts and
//! offsets for READ, WRITE, READDIR and COMMIT, the access bits, and a
//! symlink's target or a device's numbers. v2 and v3 differ in the
//! handle's size and the width of offsets. Any stop is marked.

use super::attrs::{R, handle, handle_and_name, name, sattr3, u64_at, write_sattr3};
use super::{Cut, Proc};
use crate::dissect::ctl::out;
use crate::dissect::wire::u32_at;

/// ACCESS's bits (RFC 1813 §3.3.4) in tcpdump's words.
const ACCESS_BITS: [&str; 6] = [
    "NFS_ACCESS_READ",
    "NFS_ACCESS_LOOKUP",
    "NFS_ACCESS_MODIFY",
    "NFS_ACCESS_EXTEND",
    "NFS_ACCESS_DELETE",
    "NFS_ACCESS_EXECUTE",
];
const ACCESS_FULL: u32 = 0x3f;

/// WRITE's `stable_how` (and a reply's `committed`): ` <filesync>`.
pub(super) fn write_mode(w: &mut Vec<u8>, n: u32) {
    match ["unstable", "datasync", "filesync"].get(n as usize) {
        Some(s) => out!(w, " <{s}>"),
        None => out!(w, " <#{}>", n as i32),
    }
}

/// The arguments from `at` of a call of `proc`.
pub(super) fn arguments(
    w: &mut Vec<u8>,
    m: &[u8],
    at: usize,
    (proc, v3): (Proc, bool),
    verbose: u8,
) -> R<()> {
    let word = |i: usize| u32_at(m, i).map_err(Cut::from);
    match proc {
        Proc::Getattr
        | Proc::Setattr
        | Proc::Readlink
        | Proc::Fsstat
        | Proc::Fsinfo
        | Proc::Pathconf => {
            handle(w, m, at, v3)?;
        }
        Proc::Lookup | Proc::Create | Proc::Mkdir | Proc::Remove | Proc::Rmdir => {
            handle_and_name(w, m, at, v3)?;
        }
        Proc::Access => {
            let at = handle(w, m, at, v3)?;
            let bits = word(at)?;
            if bits & !ACCESS_FULL != 0 {
                out!(w, " {bits:04x}");
            } else if bits == ACCESS_FULL {
                w.extend_from_slice(b" NFS_ACCESS_FULL");
            } else {
                let mut sep = b' ';
                for (i, name) in ACCESS_BITS.iter().enumerate() {
                    if bits & (1 << i) != 0 {
                        w.push(sep);
                        w.extend_from_slice(name.as_bytes());
                        sep = b'|';
                    }
                }
            }
        }
        Proc::Read => {
            let at = handle(w, m, at, v3)?;
            if v3 {
                out!(w, " {} bytes @ {}", word(at + 8)?, u64_at(m, at)?);
            } else {
                out!(w, " {} bytes @ {}", word(at + 4)?, word(at)?);
            }
        }
        Proc::Write => {
            let at = handle(w, m, at, v3)?;
            if v3 {
                out!(
                    w,
                    " {} ({}) bytes @ {}",
                    word(at + 16)?,
                    word(at + 8)?,
                    u64_at(m, at)?
                );
                if verbose > 0 {
                    write_mode(w, word(at + 12)?);
                }
            } else {
                let (a, b, c, d) = (word(at + 12)?, word(at + 8)?, word(at + 4)?, word(at)?);
                out!(w, " {a} ({b}) bytes @ {c} ({d})");
            }
        }
        Proc::Symlink => {
            let at = handle_and_name(w, m, at, v3)?;
            w.extend_from_slice(b" ->");
            let (attrs, at) = if v3 {
                sattr3(m, at).map(|(s, a)| (Some(s), a))?
            } else {
                (None, at)
            };
            name(w, m, at)?;
            if let Some(s) = attrs.filter(|_| verbose > 0) {
                write_sattr3(w, &s, verbose);
            }
        }
        Proc::Mknod => {
            let at = handle_and_name(w, m, at, v3)?;
            let kind = word(at)?;
            let (attrs, at) = sattr3(m, at + 4)?;
            match super::attrs::file_type(kind) {
                Some(name) => out!(w, " {name}"),
                None => out!(w, " unk-ft {kind}"),
            }
            // Character and block devices: major/minor.
            if verbose > 0 && (kind == 3 || kind == 4) {
                out!(w, " {}/{}", word(at)?, word(at + 4)?);
            }
            if verbose > 0 {
                write_sattr3(w, &attrs, verbose);
            }
        }
        Proc::Rename => {
            let at = handle_and_name(w, m, at, v3)?;
            w.extend_from_slice(b" ->");
            handle_and_name(w, m, at, v3)?;
        }
        Proc::Link => {
            let at = handle(w, m, at, v3)?;
            w.extend_from_slice(b" ->");
            handle_and_name(w, m, at, v3)?;
        }
        Proc::Readdir if !v3 => {
            let at = handle(w, m, at, v3)?;
            out!(w, " {} bytes @ {}", word(at + 4)?, word(at)?);
        }
        Proc::Readdir | Proc::Readdirplus => {
            let at = handle(w, m, at, v3)?;
            // The cookie is printed signed (-1 is common).
            out!(w, " {} bytes @ {}", word(at + 16)?, u64_at(m, at)? as i64);
            if verbose > 0 {
                if proc == Proc::Readdirplus {
                    out!(w, " max {}", word(at + 20)?);
                }
                out!(w, " verf {:08x}{:08x}", word(at + 8)?, word(at + 12)?);
            }
        }
        Proc::Commit => {
            let at = handle(w, m, at, v3)?;
            out!(w, " {} bytes @ {}", word(at + 8)?, u64_at(m, at)?);
        }
        Proc::Null | Proc::Noop | Proc::Other(_) => {}
    }
    Ok(())
}
