//! The arguments and results of the AFS calls, read as tcpdump's macros
//! in `print-rx.c` read them: numbers (`GET_` reads: a cut capture ends
//! the line with ` [|rx]`, a `Truncated`), and the items it checks first
//! (a file id, a store-status, a Ubik version, an AFS UUID, a name
//! vector, a destination server, a counted name longer than its maximum
//! or cut): those fail with [`Cut`], for which the service prints its own
//! mark (` [|fs]`) and the line goes on to the length. [`Service`] is
//! what the seven services share: their names, their tables, their
//! argument printers.

use super::super::ctl::out;
use super::super::dns::text::put_char;
use super::super::wire::{Res, need, u8_at, u32_at};
use super::{ABORT, DATA, HEADER, TYPE, ubik};

/// tcpdump's own check failed: the service's ` [|name]`, then the line
/// goes on.
pub(super) struct Cut;

/// A printer's outcome: read past the capture (`Err`), stopped at a
/// check (`Ok(Err(Cut))`), or done.
pub(super) type Step = Res<Result<(), Cut>>;

/// `?` for a [`Step`] inside another: a cut ends the caller too.
macro_rules! step {
    ($e:expr) => {
        if let Err(cut) = $e? {
            return Ok(Err(cut));
        }
    };
}
pub(super) use step;

/// A reader over a call's arguments or a reply's results.
pub(super) struct Args<'a> {
    m: &'a [u8],
    at: usize,
}

impl<'a> Args<'a> {
    pub(super) fn new(m: &'a [u8], at: usize) -> Args<'a> {
        Args { m, at }
    }

    pub(super) fn u32(&mut self) -> Res<u32> {
        let n = u32_at(self.m, self.at)?;
        self.at += 4;
        Ok(n)
    }

    /// Whether `n` bytes are there (tcpdump's `ND_TCHECK_LEN`).
    pub(super) fn check(&self, n: usize) -> Step {
        Ok(need(self.m, self.at, n).map_err(|_| Cut))
    }

    /// Skip `n` bytes, checked first.
    pub(super) fn skip(&mut self, n: usize) -> Step {
        step!(self.check(n));
        self.at += n;
        Ok(Ok(()))
    }

    /// `WORD` then ` N` (unsigned): the word is out before the read.
    pub(super) fn uint(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        let n = self.u32()?;
        out!(w, " {n}");
        Ok(())
    }

    /// `WORD` then ` N` (signed).
    pub(super) fn int(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        let n = self.u32()? as i32;
        out!(w, " {n}");
        Ok(())
    }

    /// `WORD` then ` N` of a 64-bit number.
    pub(super) fn uint64(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        let (hi, lo) = (u32_at(self.m, self.at)?, u32_at(self.m, self.at + 4)?);
        self.at += 8;
        out!(w, " {}", (u64::from(hi) << 32) | u64::from(lo));
        Ok(())
    }

    /// `n` numbers after `word`, checked first, printed by `put`.
    fn checked<const N: usize>(&mut self, put: impl FnOnce(&mut Self, [u32; N])) -> Step {
        if need(self.m, self.at, N * 4).is_err() {
            return Ok(Err(Cut));
        }
        let mut v = [0; N];
        for n in &mut v {
            *n = self.u32()?;
        }
        put(self, v);
        Ok(Ok(()))
    }

    /// ` fid VOLUME/VNODE/UNIQUE`.
    pub(super) fn fid(&mut self, w: &mut Vec<u8>) -> Step {
        self.checked(|_, [a, b, c]: [u32; 3]| out!(w, " fid {a}/{b}/{c}"))
    }

    /// ` server A:B:C`.
    pub(super) fn dest_server(&mut self, w: &mut Vec<u8>) -> Step {
        self.checked(|_, [a, b, c]: [u32; 3]| out!(w, " server {a}:{b}:{c}"))
    }

    /// ` EPOCH.COUNTER`.
    pub(super) fn ubik_version(&mut self, w: &mut Vec<u8>) -> Step {
        self.checked(|_, [e, c]: [u32; 2]| out!(w, " {e}.{c}"))
    }

    /// An AFS UUID: ` %08x%04x%04x` and eight bytes, each a 32-bit word.
    pub(super) fn uuid(&mut self, w: &mut Vec<u8>) -> Step {
        self.checked(|_, v: [u32; 11]| {
            out!(w, " {:08x}{:04x}{:04x}", v[0], v[1], v[2]);
            for b in &v[3..] {
                out!(w, "{:02x}", *b as u8);
            }
        })
    }

    /// ` "NAME"`: its length, at most `max`, then its bytes padded to
    /// four; a name longer or cut is a [`Cut`].
    pub(super) fn name(&mut self, w: &mut Vec<u8>, max: u32) -> Step {
        let n = self.u32()?;
        if n > max {
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

    /// ` "NAME"` of `max` characters each in a 32-bit word (its low
    /// byte), up to the first NUL; checked first.
    pub(super) fn name_vector(&mut self, w: &mut Vec<u8>, max: usize) -> Step {
        if need(self.m, self.at, max * 4).is_err() {
            return Ok(Err(Cut));
        }
        w.extend_from_slice(b" \"");
        let mut ended = false;
        for _ in 0..max {
            let c = self.u32()? as u8;
            ended |= c == 0;
            if !ended {
                put_char(w, c);
            }
        }
        w.push(b'"');
        Ok(Ok(()))
    }

    /// ` A.B.C.D`, checked first, when `show`.
    pub(super) fn address(&mut self, w: &mut Vec<u8>, show: bool) -> Step {
        self.checked(|_, [a]: [u32; 1]| {
            if show {
                out!(w, " {}", std::net::Ipv4Addr::from(a));
            }
        })
    }

    /// A time, as tcpdump's `localtime` writes it.
    pub(super) fn date(&mut self, w: &mut Vec<u8>) -> Res<()> {
        let t = self.u32()? as i32;
        let s = crate::sys::localtime::strftime("%Y/%m/%d %H:%M:%S", i64::from(t));
        out!(w, " {}", s.as_deref().unwrap_or("[localtime() failed]"));
        Ok(())
    }

    /// `WORD` then a time.
    pub(super) fn date_of(&mut self, w: &mut Vec<u8>, word: &str) -> Res<()> {
        w.extend_from_slice(word.as_bytes());
        self.date(w)
    }

    /// `count` items printed by `item`, a comma between two when
    /// `commas`, ` <none!>` for none.
    pub(super) fn list(
        &mut self,
        w: &mut Vec<u8>,
        commas: bool,
        mut item: impl FnMut(&mut Self, &mut Vec<u8>) -> Step,
    ) -> Step {
        let n = self.u32()?;
        for i in 0..n {
            step!(item(self, w));
            if commas && i != n - 1 {
                w.push(b',');
            }
        }
        if n == 0 {
            w.extend_from_slice(b" <none!>");
        }
        Ok(Ok(()))
    }

    /// Move on `n` bytes without a check (tcpdump's `bp +=`).
    pub(super) fn advance(&mut self, n: usize) {
        self.at = self.at.saturating_add(n);
    }

    /// Where the reader is.
    pub(super) fn at(&self) -> usize {
        self.at
    }

    pub(super) fn bytes(&self) -> &'a [u8] {
        self.m
    }
}

/// A printer of a call's arguments or a reply's results for an opcode.
pub(super) type Printer = fn(&mut Args<'_>, &mut Vec<u8>, u32) -> Step;

/// One AFS service on its Rx port.
pub(super) struct Service {
    /// The word before `call` and `reply` (`fs`, `pt`, …).
    pub name: &'static str,
    /// Its mark where a check failed (` [|fs]`).
    pub cut: &'static str,
    /// Its opcodes' names.
    pub ops: &'static [(u32, &'static str)],
    /// A replicated database: Ubik's opcodes go to Ubik's printer.
    pub ubik: bool,
    /// A reply of the header alone prints nothing (`length <= 28` in
    /// tcpdump; some of its printers test `<` instead).
    pub reply_needs_body: bool,
    pub call: Printer,
    /// A data reply's results.
    pub reply: Printer,
    /// The other replies: ` errcode N`, or the file server's own words.
    pub other_reply: fn(&mut Args<'_>, &mut Vec<u8>, u8) -> Res<()>,
}

/// ` errcode N`, the reply to a call that failed.
pub(super) fn errcode(a: &mut Args<'_>, w: &mut Vec<u8>, _: u8) -> Res<()> {
    a.int(w, " errcode")
}

/// No results printed (kauth's and BOS's data replies).
pub(super) fn nothing(_: &mut Args<'_>, _: &mut Vec<u8>, _: u32) -> Step {
    Ok(Ok(()))
}

pub(super) fn put_op(w: &mut Vec<u8>, ops: &[(u32, &str)], op: u32) {
    match ops.iter().find(|(o, _)| *o == op) {
        Some((_, name)) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "op#{op}"),
    }
}

impl Service {
    fn mark(&self, w: &mut Vec<u8>, done: Step) -> Res<()> {
        if done?.is_err() {
            w.extend_from_slice(self.cut.as_bytes());
        }
        Ok(())
    }

    /// A call: ` NAME call OP` and its arguments.
    pub(super) fn call(&self, w: &mut Vec<u8>, m: &[u8], len: usize) -> Res<()> {
        if len <= HEADER {
            return Ok(());
        }
        let op = u32_at(m, HEADER)?;
        out!(w, " {}", self.name);
        if self.ubik && ubik::is_ubik(op) {
            return ubik::call(w, m);
        }
        w.extend_from_slice(b" call ");
        put_op(w, self.ops, op);
        let mut a = Args::new(m, HEADER + 4);
        let done = (self.call)(&mut a, w, op);
        self.mark(w, done)
    }

    /// A reply to a call of `op`: ` NAME reply OP` and its results.
    pub(super) fn reply(&self, w: &mut Vec<u8>, m: &[u8], len: usize, op: u32) -> Res<()> {
        if len < HEADER || len == HEADER && self.reply_needs_body {
            return Ok(());
        }
        out!(w, " {}", self.name);
        if self.ubik && ubik::is_ubik(op) {
            return ubik::reply(w, m, op);
        }
        w.extend_from_slice(b" reply ");
        put_op(w, self.ops, op);
        let kind = u8_at(m, TYPE)?;
        let mut a = Args::new(m, HEADER);
        if kind == DATA {
            let done = (self.reply)(&mut a, w, op);
            self.mark(w, done)
        } else {
            (self.other_reply)(&mut a, w, kind)
        }
    }
}

/// The file server's words for a reply that is not data.
pub(super) fn fs_other(a: &mut Args<'_>, w: &mut Vec<u8>, kind: u8) -> Res<()> {
    if kind != ABORT {
        out!(w, " strange fs reply of type {kind}");
        return Ok(());
    }
    let code = a.u32()? as i32;
    w.extend_from_slice(b" error ");
    match super::fs::ERRORS.iter().find(|(c, _)| *c == code) {
        Some((_, name)) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "#{code}"),
    }
    Ok(())
}
