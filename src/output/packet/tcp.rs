//! The TCP part of a line: flags, seq/ack (relative per connection, as
//! tcpdump counts them), window, urgent pointer, options, length, and at
//! `-v` the checksum's verdict. The relative numbers' bases are kept per
//! connection under the flow tracker's own key and hasher. A segment to or
//! from a port in the dissector table gets that protocol's text after its
//! length.

use super::LineOptions;
use super::ip::Endpoints;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::decode::tcp_options::{self, TcpOpt};
use crate::dissect::{self, Payload};
use crate::flow::FlowKey;
use crate::flow::tracker::FlowHasherBuilder;
use crate::output::fmt::put_num;
use etherparse::TcpSlice;
use std::collections::HashMap;
use std::io::{self, Write};

/// `Flags [S.], seq 0, ack 1, win 65495, options [...], length 0`.
pub(super) fn write_tcp(
    w: &mut Vec<u8>,
    opts: &LineOptions,
    seq_bases: &mut SeqBases,
    ep: &Endpoints,
    tcp: &TcpSlice<'_>,
    seg_len: usize,
    sums: Option<&Checksums>,
) -> io::Result<()> {
    let flags = TcpFlags::of(tcp);
    w.extend_from_slice(b"Flags [");
    w.extend_from_slice(flags.as_str().as_bytes());
    w.push(b']');
    let len = seg_len.saturating_sub(tcp.header_len()) as u32;
    if opts.verbose > 0
        && let Some(sums) = sums
    {
        write!(w, ", cksum 0x{:04x}", tcp.checksum())?;
        match sums.transport {
            Some(TransportSum::Tcp(v)) if v.is_correct() => w.write_all(b" (correct)")?,
            Some(TransportSum::Tcp(v)) => write!(w, " (incorrect -> 0x{:04x})", v.expected)?,
            _ => {}
        }
    }
    let mut seq = tcp.sequence_number();
    let mut ack = tcp.acknowledgment_number();
    let mut sack_base = None;
    if !opts.absolute_seq && tcp.ack() {
        let key = ep.tcp_key(tcp.source_port(), tcp.destination_port());
        let (s, a) = seq_bases.relative(key, seq, ack, tcp.syn());
        sack_base = Some(ack.wrapping_sub(a));
        seq = s;
        ack = a;
    }
    if opts.verbose > 1 || len > 0 || tcp.syn() || tcp.fin() || tcp.rst() {
        w.extend_from_slice(b", seq ");
        put_num(w, seq);
        if len > 0 {
            w.push(b':');
            put_num(w, seq.wrapping_add(len));
        }
    }
    if tcp.ack() {
        w.extend_from_slice(b", ack ");
        put_num(w, ack);
    }
    w.extend_from_slice(b", win ");
    put_num(w, tcp.window_size());
    if tcp.urg() {
        write!(w, ", urg {}", tcp.urgent_pointer())?;
    }
    if !tcp.options().is_empty() {
        w.write_all(b", options [")?;
        write_tcp_options(w, tcp.options(), sack_base)?;
        w.write_all(b"]")?;
    }
    w.extend_from_slice(b", length ");
    put_num(w, len);
    if len > 0
        && let Some(d) = dissect::tcp(tcp.source_port(), tcp.destination_port())
    {
        let p = Payload {
            bytes: tcp.payload(),
            declared_len: len as usize,
        };
        d.write_line(w, &p, opts.verbose);
    }
    Ok(())
}

/// TCP flags as tcpdump spells them: F S R P . U E W, in that order;
/// `none` when no flag is set.
pub struct TcpFlags {
    buf: [u8; 8],
    len: usize,
}

impl TcpFlags {
    pub fn of(tcp: &TcpSlice<'_>) -> Self {
        let bits = [
            (tcp.fin(), b'F'),
            (tcp.syn(), b'S'),
            (tcp.rst(), b'R'),
            (tcp.psh(), b'P'),
            (tcp.ack(), b'.'),
            (tcp.urg(), b'U'),
            (tcp.ece(), b'E'),
            (tcp.cwr(), b'W'),
        ];
        let mut buf = [0u8; 8];
        let mut len = 0;
        for (slot, c) in buf.iter_mut().zip(bits.iter().filter(|(set, _)| *set)) {
            *slot = c.1;
            len += 1;
        }
        TcpFlags { buf, len }
    }
    pub fn as_str(&self) -> &str {
        if self.len == 0 {
            return "none";
        }
        self.buf
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("?")
    }
}

fn write_tcp_options(w: &mut Vec<u8>, bytes: &[u8], sack_base: Option<u32>) -> io::Result<()> {
    let mut first = true;
    for opt in tcp_options::iter(bytes) {
        let Ok(opt) = opt else {
            // The malformed mark at the end of the line says why.
            if !first {
                w.write_all(b",")?;
            }
            return w.write_all(b"bad opts");
        };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        match opt {
            TcpOpt::Eol => w.write_all(b"eol")?,
            TcpOpt::Nop => w.write_all(b"nop")?,
            TcpOpt::Mss(v) => write!(w, "mss {v}")?,
            TcpOpt::WindowScale(v) => write!(w, "wscale {v}")?,
            TcpOpt::SackPermitted => w.write_all(b"sackOK")?,
            TcpOpt::Sack(data) => {
                write!(w, "sack {} ", tcp_options::sack_blocks(data).count())?;
                for (l, r) in tcp_options::sack_blocks(data) {
                    let base = sack_base.unwrap_or(0);
                    write!(w, "{{{}:{}}}", l.wrapping_sub(base), r.wrapping_sub(base))?;
                }
            }
            TcpOpt::Timestamp { val, ecr } => write!(w, "TS val {val} ecr {ecr}")?,
            TcpOpt::Unknown { kind, data } => {
                write!(w, "unknown-{kind}")?;
                if !data.is_empty() {
                    w.write_all(b" 0x")?;
                    for b in data {
                        write!(w, "{b:02x}")?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// tcpdump's relative sequence numbers: the first segment with ACK set in
/// a conversation (or any SYN+ACK) records the initial numbers of both
/// sides (`seq` for the sender, `ack - 1` for the other); later ACK-bearing
/// segments print their distance from them. Segments without ACK print
/// absolute numbers, exactly as tcpdump does.
#[derive(Default)]
pub(super) struct SeqBases {
    /// (base of the key's `lo` side, base of its `hi` side).
    bases: HashMap<FlowKey, (u32, u32), FlowHasherBuilder>,
}

/// Bound on remembered conversations; past it the table starts over (the
/// next ACK of an old conversation re-bases it), so memory stays flat on a
/// flood.
const MAX_SEQ_BASES: usize = 1 << 20;

impl SeqBases {
    /// `key`: the connection and whether the sender is its `lo` side.
    fn relative(&mut self, key: (FlowKey, bool), seq: u32, ack: u32, syn: bool) -> (u32, u32) {
        let (key, sender_is_lo) = key;
        let fresh = |seq: u32, ack: u32| {
            if sender_is_lo {
                (seq, ack.wrapping_sub(1))
            } else {
                (ack.wrapping_sub(1), seq)
            }
        };
        match self.bases.get_mut(&key) {
            Some(b) if !syn => {
                let (mine, theirs) = if sender_is_lo { (b.0, b.1) } else { (b.1, b.0) };
                (seq.wrapping_sub(mine), ack.wrapping_sub(theirs))
            }
            Some(b) => {
                *b = fresh(seq, ack);
                (seq, ack)
            }
            None => {
                if self.bases.len() >= MAX_SEQ_BASES {
                    self.bases.clear();
                }
                self.bases.insert(key, fresh(seq, ack));
                (seq, ack)
            }
        }
    }
}
