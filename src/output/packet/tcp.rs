//! The TCP part of a line: flags, seq/ack (relative per connection, as
//! tcpdump counts them), window, urgent pointer, options, length, and at
//! `-v` the checksum's verdict. The relative numbers' bases are kept per
//! connection under the flow tracker's own key and hasher. A segment to or
//! from a port in the dissector table gets that protocol's text after its
//! length; with `--app`, a payload recognised by content (TLS) gets its
//! bracketed summary last.

use super::LineOptions;
use super::ip::Endpoints;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::decode::ip6_text::Ip6;
use crate::decode::partial::{TcpFixed, TcpHead};
use crate::decode::tcp_named::{JoinBody, Mptcp, Named, named, tcp_ao_cut};
use crate::decode::tcp_options::{self, TcpOpt};
use crate::dissect::{self, Payload};
use crate::flow::FlowKey;
use crate::flow::tracker::FlowHasherBuilder;
use crate::output::fmt::put_u32;
use etherparse::TcpSlice;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::{self, Write};
use std::net::Ipv4Addr;

/// `Flags [S.], seq 0, ack 1, win 65495, options [...], length 0`.
/// Returns how the option list ended (at an option tcpdump rejects, or
/// with an odd length the line shows), and whether the payload's protocol
/// read past the capture unchecked (see
/// [`dissect::Dissector::write_line_cut`]).
pub(super) fn write_tcp(
    w: &mut Vec<u8>,
    opts: &LineOptions,
    seq_bases: &mut SeqBases,
    ep: &Endpoints,
    tcp: &TcpSlice<'_>,
    seg_len: usize,
    sums: Option<&Checksums>,
) -> io::Result<(OptionsEnd, bool)> {
    let fixed = TcpFixed {
        seq: tcp.sequence_number(),
        ack: tcp.acknowledgment_number(),
        header_len: tcp.header_len(),
        flags: TcpFlags::bits(tcp),
        window: tcp.window_size(),
        urgent: tcp.urgent_pointer(),
    };
    let len = seg_len.saturating_sub(tcp.header_len()) as u32;
    let sport_dport = (tcp.source_port(), tcp.destination_port());
    let checksum = (opts.verbose > 0)
        .then_some(sums)
        .flatten()
        .map(|s| (tcp.checksum(), s));
    let sack_base = write_fixed(w, opts, seq_bases, ep, sport_dport, &fixed, len, checksum)?;
    let mut end = OptionsEnd::Whole;
    if !tcp.options().is_empty() {
        w.write_all(b", options [")?;
        let cx = OptContext {
            sack_base,
            flags: fixed.flags,
            snapped: tcp.payload().len() < len as usize,
        };
        end = write_tcp_options(w, tcp.options(), cx)?;
        if end == OptionsEnd::Rejected {
            // tcpdump ends the line at an option it rejects.
            return Ok((end, false));
        }
        w.write_all(b"]")?;
    }
    w.extend_from_slice(b", length ");
    put_u32(w, len);
    let mut jumped = false;
    if len > 0 {
        let p = Payload {
            bytes: tcp.payload(),
            declared_len: len as usize,
        };
        if let Some(d) = dissect::tcp(sport_dport.0, sport_dport.1) {
            jumped = if telnet_in_hex(d, opts) {
                dissect::telnet::write_hex_form(w, &p).is_err() && {
                    // tcpdump reads Telnet unchecked: a cut is its `longjmp`.
                    w.extend_from_slice(b" [|telnet]");
                    true
                }
            } else {
                // NFS replies are printed by their calls (tcpdump's XID table).
                let (src, dst) = ep.addrs();
                dissect::peers::with_packet(src, dst, sport_dport, || {
                    d.write_line_cut(w, &p, opts.verbose)
                }) == Some(true)
            };
        }
        // `--app`: what tcpdump does not print (TLS), after its line.
        if opts.app
            && let Some(h) = dissect::tcp_heuristic(tcp.payload())
        {
            h.write_app(w, &p);
        }
    }
    Ok((end, jumped))
}

/// How a TCP option list ended on the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OptionsEnd {
    Whole,
    /// Whole, with a classic option's odd length shown (`mss 256[len
    /// 3]`): the line says what is wrong with the header.
    OddLength,
    /// At an option tcpdump rejects (`[bad opt]`): the line ends there.
    Rejected,
}

/// Whether Telnet's commands are written in tcpdump's hex form
/// (`-vvv -X`) instead of its ` [telnet …]` list.
fn telnet_in_hex(d: &dissect::Dissector, opts: &LineOptions) -> bool {
    opts.verbose >= 3
        && opts.dump.kind == super::hex::DumpKind::HexAscii
        && std::ptr::eq(d, &dissect::telnet::TELNET)
}

/// A TCP header the capture cut short: as much as tcpdump prints of it
/// (ports, then the fixed fields, then the options captured), ending in
/// `[|tcp]`; or a data offset tcpdump calls a bad header length. The
/// line always says why it stopped; `true` when tcpdump stops there
/// without a bounds check of its own (an option's kind or length byte
/// cut), after which it dumps the packet from its first byte.
pub(super) fn write_tcp_cut(
    w: &mut Vec<u8>,
    opts: &LineOptions,
    seq_bases: &mut SeqBases,
    ep: &Endpoints,
    head: TcpHead<'_>,
    seg_len: usize,
) -> io::Result<bool> {
    let Some((sport, dport)) = head.ports() else {
        ep.write_addresses(w)?;
        return w.write_all(b"[|tcp]").map(|()| false);
    };
    ep.write_ports(w, sport, dport)?;
    let Some(fixed) = head.fixed() else {
        return w.write_all(b" [|tcp]").map(|()| false);
    };
    if fixed.header_len < 20 {
        return write!(
            w,
            " tcp {} [bad hdr length {} - too short, < 20]",
            seg_len.saturating_sub(fixed.header_len),
            fixed.header_len
        )
        .map(|()| false);
    }
    if fixed.header_len > seg_len {
        // tcpdump names the flags before it checks the length.
        let flags = TcpFlags::from_bits(fixed.flags);
        return write!(
            w,
            "Flags [{}] [bad hdr length {} - too long, > {seg_len}]",
            flags.as_str(),
            fixed.header_len
        )
        .map(|()| false);
    }
    let len = seg_len.saturating_sub(fixed.header_len) as u32;
    let sack_base = write_fixed(w, opts, seq_bases, ep, (sport, dport), &fixed, len, None)?;
    if fixed.header_len > 20 {
        w.write_all(b", options [")?;
        let declared = fixed.header_len - 20;
        let cx = OptContext {
            sack_base,
            flags: fixed.flags,
            snapped: true,
        };
        return match write_cut_options(w, head.options(), declared, cx)? {
            CutOptionsEnd::Line(end, cut) => w.write_all(end.as_bytes()).map(|()| cut),
            CutOptionsEnd::Ended { mptcp } => {
                // tcpdump's list stops at end-of-list, so the cut past it
                // is only seen when it wants the payload.
                write!(w, "], length {len}")?;
                if len == 0 {
                    return Ok(false);
                }
                write!(
                    w,
                    " [remaining caplen({}) < header length({})] [|{}]",
                    head.captured_len(),
                    fixed.header_len,
                    if mptcp { "mptcp" } else { "tcp" }
                )
                .map(|()| true)
            }
        };
    }
    w.write_all(b" [|tcp]").map(|()| false)
}

/// `[bad opt]`, closed by a `]` only when an option came before it (the
/// separator tcpdump remembers is what it tests).
fn bad_opt(earlier: bool) -> &'static str {
    if earlier { "[bad opt]]" } else { "[bad opt]" }
}

/// Flags, checksum (`-v`), seq, ack, win, urg; returns the base SACK
/// edges are printed relative to.
#[allow(clippy::too_many_arguments)]
fn write_fixed(
    w: &mut Vec<u8>,
    opts: &LineOptions,
    seq_bases: &mut SeqBases,
    ep: &Endpoints,
    (sport, dport): (u16, u16),
    f: &TcpFixed,
    len: u32,
    checksum: Option<(u16, &Checksums)>,
) -> io::Result<Option<u32>> {
    let flags = TcpFlags::from_bits(f.flags);
    let (syn, fin, rst, ack_set, urg) = (
        f.flags & 0x02 != 0,
        f.flags & 0x01 != 0,
        f.flags & 0x04 != 0,
        f.flags & 0x10 != 0,
        f.flags & 0x20 != 0,
    );
    w.extend_from_slice(b"Flags [");
    flags.put(w);
    w.push(b']');
    // tcpdump checks (and prints) the checksum only of a segment
    // captured whole.
    if let Some((stored, sums)) = checksum
        && let Some(TransportSum::Tcp(v)) = sums.transport
    {
        write!(w, ", cksum 0x{stored:04x}")?;
        if v.is_correct() {
            w.write_all(b" (correct)")?;
        } else {
            write!(w, " (incorrect -> 0x{:04x})", v.expected)?;
        }
    }
    let mut seq = f.seq;
    let mut ack = f.ack;
    let mut sack_base = None;
    if !opts.absolute_seq && ack_set {
        let (s, a, base) = seq_bases.relative(ep, (sport, dport), (seq, ack), syn);
        sack_base = Some(base);
        seq = s;
        ack = a;
    }
    if opts.verbose > 1 || len > 0 || syn || fin || rst {
        w.extend_from_slice(b", seq ");
        put_u32(w, seq);
        if len > 0 {
            w.push(b':');
            put_u32(w, seq.wrapping_add(len));
        }
    }
    if ack_set {
        w.extend_from_slice(b", ack ");
        put_u32(w, ack);
    }
    w.extend_from_slice(b", win ");
    put_u32(w, u32::from(f.window));
    if urg {
        write!(w, ", urg {}", f.urgent)?;
    }
    Ok(sack_base)
}

/// TCP flags as tcpdump spells them: F S R P . U E W, in that order;
/// `none` when no flag is set.
#[derive(Clone, Copy)]
pub struct TcpFlags {
    buf: [u8; 8],
    len: usize,
}

impl TcpFlags {
    pub fn of(tcp: &TcpSlice<'_>) -> Self {
        Self::from_bits(Self::bits(tcp))
    }
    /// The flag byte (CWR ECE URG ACK PSH RST SYN FIN) of a segment.
    fn bits(tcp: &TcpSlice<'_>) -> u8 {
        [
            tcp.fin(),
            tcp.syn(),
            tcp.rst(),
            tcp.psh(),
            tcp.ack(),
            tcp.urg(),
            tcp.ece(),
            tcp.cwr(),
        ]
        .iter()
        .enumerate()
        .fold(0, |acc, (i, &set)| acc | (u8::from(set) << i))
    }
    /// From the flag byte (CWR ECE URG ACK PSH RST SYN FIN): looked up,
    /// every byte's letters being spelled once, when compiling.
    pub fn from_bits(byte: u8) -> Self {
        FLAG_LETTERS[usize::from(byte)]
    }

    /// The letters, appended (`none` when no flag is set): a block of
    /// eight bytes cut back to the letters, as `put_u32` writes digits.
    fn put(&self, w: &mut Vec<u8>) {
        if self.len == 0 {
            w.extend_from_slice(b"none");
            return;
        }
        let at = w.len();
        w.extend_from_slice(&self.buf);
        w.truncate(at + self.len);
    }
    /// [`TcpFlags::put`] in JSON's quotes: the letters never need
    /// escaping, so `--json` neither checks nor copies them as text.
    pub fn put_quoted(&self, w: &mut Vec<u8>) {
        w.push(b'"');
        self.put(w);
        w.push(b'"');
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

/// Every flag byte's letters, in tcpdump's order F S R P . U E W.
const FLAG_LETTERS: [TcpFlags; 256] = {
    let letters = *b"FSRP.UEW";
    let mut table = [TcpFlags {
        buf: [0; 8],
        len: 0,
    }; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            if byte & (1 << bit) != 0 {
                let f = &mut table[byte];
                f.buf[f.len] = letters[bit];
                f.len += 1;
            }
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// What an option's text depends on besides its bytes.
#[derive(Clone, Copy)]
struct OptContext {
    /// The base SACK edges are printed relative to.
    sack_base: Option<u32>,
    /// The segment's flags (MPTCP's forms depend on SYN and ACK).
    flags: u8,
    /// The segment's payload was not all captured: tcpdump cannot check
    /// an MD5 signature (`md5 snaplen too short, can't check - …`).
    snapped: bool,
}

/// The option list; `Rejected` when tcpdump would end the line at an
/// option it rejects (`[bad opt]`, and `]` after a length that cannot be
/// right).
fn write_tcp_options(w: &mut Vec<u8>, bytes: &[u8], cx: OptContext) -> io::Result<OptionsEnd> {
    let mut end = OptionsEnd::Whole;
    let mut first = true;
    for opt in tcp_options::printed(bytes, bytes.len()) {
        let earlier = !first;
        if earlier {
            w.write_all(b",")?;
        }
        first = false;
        let whole = match opt {
            Ok(p) => {
                if odd(&p) {
                    end = OptionsEnd::OddLength;
                }
                write_printed(w, p, cx)?
            }
            Err(e) => {
                write_own_length_name(w, &e)?;
                false
            }
        };
        if !whole {
            w.write_all(bad_opt(earlier).as_bytes())?;
            return Ok(OptionsEnd::Rejected);
        }
    }
    Ok(end)
}

/// Whether the line shows what is wrong with the option's length (a
/// SACK without edges shows as `sack 0 `).
fn odd(p: &tcp_options::Printed<'_>) -> bool {
    matches!(
        p,
        tcp_options::Printed::InvalidSack
            | tcp_options::Printed::Opt {
                odd_len: Some(_),
                ..
            }
            | tcp_options::Printed::Opt {
                opt: TcpOpt::Sack([]),
                ..
            }
    )
}

/// One option as tcpdump reads it, with `[len N]` after a classic one
/// whose length byte is not its kind's; `false` when tcpdump rejects it.
fn write_printed(w: &mut Vec<u8>, p: tcp_options::Printed<'_>, cx: OptContext) -> io::Result<bool> {
    let (opt, odd_len) = match p {
        tcp_options::Printed::Opt { opt, odd_len } => (opt, odd_len),
        tcp_options::Printed::InvalidSack => {
            w.write_all(b"sack invalid sack")?;
            return Ok(true);
        }
    };
    if !write_option(w, opt, cx)? {
        return Ok(false);
    }
    if let Some(len) = odd_len {
        write!(w, "[len {len}]")?;
    }
    Ok(true)
}

/// The name tcpdump prints before it finds a classic option's own length
/// past the header or the capture (`mss[bad opt]`, `mss [|tcp]`).
fn write_own_length_name(w: &mut Vec<u8>, e: &tcp_options::OptError) -> io::Result<()> {
    if e.why != tcp_options::OWN_LENGTH_PAST_HEADER && e.why != tcp_options::OWN_LENGTH_PAST_CAPTURE
    {
        return Ok(());
    }
    w.write_all(option_name(e.kind).unwrap_or("").as_bytes())
}

/// tcpdump's name of an option kind it names (its `tcp_option_values`
/// table; CC.ECHO has none there).
fn option_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        2 => "mss",
        3 => "wscale",
        5 => "sack",
        6 => "echo",
        7 => "echoreply",
        8 => "TS",
        11 => "cc",
        12 => "ccnew",
        13 => "",
        19 => "md5",
        20 => "scps",
        28 => "uto",
        29 => "tcp-ao",
        30 => "mptcp",
        34 => "tfo",
        254 => "exp",
        _ => return None,
    })
}

/// One whole option; `false` when tcpdump rejects it.
fn write_option(w: &mut Vec<u8>, opt: TcpOpt<'_>, cx: OptContext) -> io::Result<bool> {
    match opt {
        TcpOpt::Eol => w.write_all(b"eol")?,
        TcpOpt::Nop => w.write_all(b"nop")?,
        TcpOpt::Mss(v) => write!(w, "mss {v}")?,
        TcpOpt::WindowScale(v) => write!(w, "wscale {v}")?,
        TcpOpt::SackPermitted => w.write_all(b"sackOK")?,
        TcpOpt::Sack(data) => {
            write!(w, "sack {} ", tcp_options::sack_blocks(data).count())?;
            for (l, r) in tcp_options::sack_blocks(data) {
                let base = cx.sack_base.unwrap_or(0);
                write!(w, "{{{}:{}}}", l.wrapping_sub(base), r.wrapping_sub(base))?;
            }
        }
        TcpOpt::Timestamp { val, ecr } => write!(w, "TS val {val} ecr {ecr}")?,
        TcpOpt::Unknown { kind, data } => return write_named(w, kind, data, cx),
    }
    Ok(true)
}

/// The kinds tcpdump names beyond the classic five, in its words.
fn write_named(w: &mut Vec<u8>, kind: u8, data: &[u8], cx: OptContext) -> io::Result<bool> {
    match named(kind, data, cx.flags) {
        Named::Mptcp { len, sub } => {
            write!(w, "mptcp {len} ")?;
            return write_mptcp(w, sub);
        }
        Named::Tfo { exp, cookie } => {
            w.write_all(if exp { b"exp-tfo" } else { b"tfo " })?;
            match cookie {
                Some([]) => w.write_all(b" cookiereq")?,
                Some(c) => {
                    w.write_all(b" cookie ")?;
                    put_hex(w, c)?;
                }
                None => w.write_all(b" (invalid)")?,
            }
        }
        Named::Exp(0xacc0) => w.write_all(b"exp-acc0")?,
        Named::Exp(0xacc1) => w.write_all(b"exp-acc1")?,
        Named::Exp(magic) => write!(w, "exp-{magic:04x}")?,
        Named::Md5(sig) => {
            // tcpdump looks at the capture before it asks for the secret.
            w.write_all(if cx.snapped {
                &b"md5 snaplen too short, can't check - "[..]
            } else {
                b"md5 shared secret not supplied with -M, can't check - "
            })?;
            put_hex(w, sig)?;
        }
        Named::Scps { cap, id } => write!(w, "scps cap {cap:02x} id {id}")?,
        Named::Value32 { name, value } => write!(w, "{name} {value}")?,
        Named::Uto(v) => {
            // The low bit says minutes (1) or seconds (0).
            let t = if v & 1 != 0 {
                u32::from(v >> 1) * 60
            } else {
                u32::from(v >> 1)
            };
            write!(w, "uto 0x{v:x} {t}")?
        }
        Named::TcpAo(Some((keyid, rnext, mac))) => {
            write!(w, "tcp-ao keyid {keyid} rnextkeyid {rnext}")?;
            if !mac.is_empty() {
                w.write_all(b" mac 0x")?;
                put_hex(w, mac)?;
            }
        }
        Named::TcpAo(None) => w.write_all(b"tcp-ao (invalid)")?,
        Named::Bad => {
            w.write_all(if kind == 30 { b"mptcp" } else { b"exp" })?;
            return Ok(false);
        }
        Named::Plain => {
            write!(w, "unknown-{kind}")?;
            if !data.is_empty() {
                w.write_all(b" 0x")?;
                put_hex(w, data)?;
            }
        }
    }
    Ok(true)
}

fn write_mptcp(w: &mut Vec<u8>, sub: Mptcp<'_>) -> io::Result<bool> {
    match sub {
        Mptcp::Capable {
            version,
            csum,
            keys,
        } => {
            write!(w, "capable v{version}")?;
            if csum {
                w.write_all(b" csum")?;
            }
            let mut keys = tcp_options::u64s(keys).peekable();
            if keys.peek().is_some() {
                w.write_all(b" {")?;
                for (i, k) in keys.enumerate() {
                    write!(w, "{}0x{k:x}", if i == 0 { "" } else { "," })?;
                }
                w.write_all(b"}")?;
            }
        }
        Mptcp::CapableUnknownVersion(v) => write!(w, "capable Unknown Version ({v})")?,
        Mptcp::Join { backup_id, body } => {
            w.write_all(b"join")?;
            if let Some((backup, id)) = backup_id {
                if backup {
                    w.write_all(b" backup")?;
                }
                write!(w, " id {id}")?;
            }
            match body {
                JoinBody::Syn { token, nonce } => {
                    write!(w, " token 0x{token:x} nonce 0x{nonce:x}")?
                }
                JoinBody::SynAck { hmac, nonce } => {
                    write!(w, " hmac 0x{hmac:x} nonce 0x{nonce:x}")?
                }
                JoinBody::Ack(mac) => {
                    w.write_all(b" hmac 0x")?;
                    put_hex(w, mac)?;
                }
            }
        }
        Mptcp::Dss { fin, ack, map, ok } => {
            w.write_all(b"dss")?;
            if fin {
                w.write_all(b" fin")?;
            }
            if let Some(ack) = ack {
                w.write_all(b" ack ")?;
                if let Some(ack) = ack {
                    write!(w, "{ack}")?;
                }
            }
            if let Some(m) = map {
                w.write_all(b" seq ")?;
                if let Some(dsn) = m.dsn {
                    write!(w, "{dsn}")?;
                }
                if let Some(ssn) = m.ssn {
                    write!(w, " subseq {ssn}")?;
                }
                if let Some(len) = m.len {
                    write!(w, " len {len}")?;
                }
                if let Some(c) = m.csum {
                    write!(w, " csum 0x{c:x}")?;
                }
            }
            return Ok(ok);
        }
        Mptcp::AddAddr {
            nibble,
            id,
            addr,
            port,
            hmac,
        } => {
            let v = match nibble {
                0 => "v1",
                1 => "v1-echo",
                4 => "v0-ip4",
                6 => "v0-ip6",
                _ => "[bad version/echo]",
            };
            write!(w, "add-addr {v} id {id} ")?;
            match addr {
                std::net::IpAddr::V4(a) => write!(w, "{a}")?,
                std::net::IpAddr::V6(a) => write!(w, "{}", Ip6(a))?,
            }
            if let Some(port) = port {
                write!(w, ":{port}")?;
            }
            if let Some(hmac) = hmac {
                write!(w, " hmac 0x{hmac:x}")?;
            }
        }
        Mptcp::RemoveAddr(ids) => {
            w.write_all(b"rem-addr id")?;
            for id in ids {
                write!(w, " {id}")?;
            }
        }
        Mptcp::Prio { backup, id } => {
            w.write_all(if backup {
                b"prio backup"
            } else {
                b"prio non-backup"
            })?;
            if let Some(id) = id {
                write!(w, " id {id}")?;
            }
        }
        Mptcp::Fail(seq) => write!(w, "fail seq {seq}")?,
        Mptcp::FastClose(key) => write!(w, "fast-close key 0x{key:x}")?,
        Mptcp::Unknown => w.write_all(b"unknown")?,
        Mptcp::Bad(name) => {
            w.write_all(name.as_bytes())?;
            return Ok(false);
        }
    }
    Ok(true)
}

fn put_hex(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    for b in bytes {
        write!(w, "{b:02x}")?;
    }
    Ok(())
}

/// The options of a header the capture cut: each whole option as usual;
/// the one cut short shows what tcpdump prints before its bounds check
/// fails (see [`write_cut_option`]), then ` [|tcp]` and, after an earlier
/// option, tcpdump's stray `>`; `declared` is how many option bytes the
/// header length says there are. Returns how the line ends, and whether
/// the cut fell where tcpdump reads without a check of its own (an
/// option's kind or length byte).
fn write_cut_options(
    w: &mut Vec<u8>,
    bytes: &[u8],
    declared: usize,
    cx: OptContext,
) -> io::Result<CutOptionsEnd> {
    let mut mptcp = false;
    // After an MPTCP option, tcpdump's truncation marker names MPTCP (its
    // printer leaves the protocol name set).
    let line =
        |end, cut, mptcp| CutOptionsEnd::Line(if mptcp { mptcp_named(end) } else { end }, cut);
    let mut first = true;
    let mut list = tcp_options::printed(bytes, declared);
    for opt in list.by_ref() {
        let earlier = !first;
        if earlier {
            w.write_all(b",")?;
        }
        first = false;
        match opt {
            Ok(tcp_options::Printed::Opt {
                opt: TcpOpt::Eol, ..
            }) => {
                w.write_all(b"eol")?;
                return Ok(CutOptionsEnd::Ended { mptcp });
            }
            Ok(p) => {
                if !write_printed(w, p, cx)? {
                    return Ok(CutOptionsEnd::Line(bad_opt(earlier), false));
                }
                mptcp |= matches!(
                    p,
                    tcp_options::Printed::Opt {
                        opt: TcpOpt::Unknown { kind: 30, .. },
                        ..
                    }
                );
            }
            Err(e) if e.why == tcp_options::OWN_LENGTH_PAST_HEADER => {
                write_own_length_name(w, &e)?;
                return Ok(line(bad_opt(earlier), false, false));
            }
            Err(e) if e.why == tcp_options::OWN_LENGTH_PAST_CAPTURE => {
                write_own_length_name(w, &e)?;
                let end = if earlier { " [|tcp]>" } else { " [|tcp]" };
                return Ok(line(end, false, mptcp));
            }
            // A length tcpdump rejects before it looks at the capture:
            // below 2, or past what the header length declares.
            Err(e)
                if e.why == tcp_options::LENGTH_BELOW_2
                    || (e.why == tcp_options::PAST_END && e.offset + e.len > declared) =>
            {
                return Ok(line(bad_opt(earlier), false, false));
            }
            Err(e) if e.why == tcp_options::PAST_END => {
                let data = tcp_options::data_from(bytes, e.offset);
                if !write_cut_option(w, e.kind, e.len, data, cx.sack_base)? {
                    // tcpdump went on to the next option's kind byte.
                    return Ok(line(", [|tcp]", true, mptcp));
                }
                let end = if earlier { " [|tcp]>" } else { " [|tcp]" };
                return Ok(line(end, false, mptcp));
            }
            Err(e) => {
                return Ok(line(" [|tcp]", e.why == tcp_options::LENGTH_MISSING, mptcp));
            }
        }
    }
    // The last option ended at the header length without tcpdump reading
    // its bytes (a SACK whose length no edges fill): the list is over.
    if list.offset() >= declared {
        return Ok(CutOptionsEnd::Ended { mptcp });
    }
    // Every captured option was whole: the next kind byte was cut.
    if !first {
        w.write_all(b",")?;
    }
    Ok(line(" [|tcp]", true, mptcp))
}

/// A truncation ending as tcpdump prints it after an MPTCP option.
fn mptcp_named(end: &'static str) -> &'static str {
    match end {
        " [|tcp]" => " [|mptcp]",
        " [|tcp]>" => " [|mptcp]>",
        ", [|tcp]" => ", [|mptcp]",
        other => other,
    }
}

/// How a cut option list ends.
enum CutOptionsEnd {
    /// The line's last words, and whether tcpdump stopped where it reads
    /// without a check of its own.
    Line(&'static str, bool),
    /// End-of-list, or a last option tcpdump passes over unread, which
    /// ends its list before the cut; `mptcp`: an MPTCP option came before.
    Ended { mptcp: bool },
}

/// An option of `len` bytes whose data the capture cut (`data`: the
/// bytes captured after kind and length): tcpdump's name for the kind,
/// then what it prints before its bounds check on the data fails (the
/// SACK edges and unknown or TCP-AO bytes that were captured). `false`
/// when tcpdump needs no data of it and goes on past it (a TCP-AO too
/// short for its key ids).
fn write_cut_option(
    w: &mut Vec<u8>,
    kind: u8,
    len: usize,
    data: &[u8],
    sack_base: Option<u32>,
) -> io::Result<bool> {
    let Some(name) = option_name(kind) else {
        // Each captured byte is printed before the next is checked.
        write!(w, "unknown-{kind}")?;
        if len > 2 {
            w.write_all(b" 0x")?;
        }
        return put_hex(w, data).map(|()| true);
    };
    w.write_all(name.as_bytes())?;
    match kind {
        5 => {
            // The edges that were captured whole still print.
            write!(w, " {} ", len.saturating_sub(2) / 8)?;
            let base = sack_base.unwrap_or(0);
            for (l, r) in tcp_options::sack_blocks(data) {
                write!(w, "{{{}:{}}}", l.wrapping_sub(base), r.wrapping_sub(base))?;
            }
        }
        29 if len < 4 => {
            w.write_all(b" (invalid)")?;
            return Ok(false);
        }
        29 => {
            // Each key id is checked before it prints, then each byte of
            // the MAC.
            let (keyid, rest) = tcp_ao_cut(data);
            if let Some(keyid) = keyid {
                write!(w, " keyid {keyid}")?;
            }
            if let Some((rnext, mac)) = rest {
                write!(w, " rnextkeyid {rnext}")?;
                if len > 4 {
                    w.write_all(b" mac 0x")?;
                    put_hex(w, mac)?;
                }
            }
        }
        _ => {}
    }
    Ok(true)
}

/// tcpdump's relative sequence numbers: the first segment with ACK set in
/// a conversation (or any SYN+ACK) records the initial numbers of both
/// sides (`seq` for the sender, `ack - 1` for the other); later ACK-bearing
/// segments print their distance from them. Segments without ACK print
/// absolute numbers, exactly as tcpdump does.
#[derive(Default)]
pub(super) struct SeqBases {
    /// IPv4 conversations by their two ends, each address and port in one
    /// word, the lower word first: a key of 16 bytes rather than the flow
    /// key's 80 keeps the table of ten thousand conversations in the
    /// cache, and its lookup was a fifth of the TCP part's time.
    /// (base of the key's `lo` side, base of its `hi` side).
    v4: HashMap<(u64, u64), (u32, u32), FlowHasherBuilder>,
    /// The others, by the flow tracker's key.
    other: HashMap<FlowKey, (u32, u32), FlowHasherBuilder>,
}

/// Bound on remembered conversations; past it the table starts over (the
/// next ACK of an old conversation re-bases it), so memory stays flat on a
/// flood.
const MAX_SEQ_BASES: usize = 1 << 20;

impl SeqBases {
    /// The relative `(seq, ack)` of a segment between `ep` with `ports`
    /// (source, destination), and the base its SACK edges are printed
    /// relative to.
    fn relative(
        &mut self,
        ep: &Endpoints,
        (sport, dport): (u16, u16),
        (seq, ack): (u32, u32),
        syn: bool,
    ) -> (u32, u32, u32) {
        match ep {
            Endpoints::V4 { src, dst, .. } => {
                let end = |a: &Ipv4Addr, port: u16| u64::from(a.to_bits()) << 16 | u64::from(port);
                let (a, b) = (end(src, sport), end(dst, dport));
                let key = if a <= b { (a, b) } else { (b, a) };
                if self.full() && !self.v4.contains_key(&key) {
                    self.start_over();
                }
                relative(self.v4.entry(key), a <= b, (seq, ack), syn)
            }
            Endpoints::V6 { .. } => {
                let (key, sender_is_lo) = ep.tcp_key(sport, dport);
                if self.full() && !self.other.contains_key(&key) {
                    self.start_over();
                }
                relative(self.other.entry(key), sender_is_lo, (seq, ack), syn)
            }
        }
    }

    fn full(&self) -> bool {
        self.v4.len() + self.other.len() >= MAX_SEQ_BASES
    }

    fn start_over(&mut self) {
        self.v4.clear();
        self.other.clear();
    }
}

/// [`SeqBases::relative`] on the conversation's entry; `sender_is_lo`:
/// whether the segment comes from the key's `lo` side. The segment that
/// records the bases prints its own numbers absolute, but its SACK edges
/// are already relative to the base it records for the other side
/// (`ack - 1`), as tcpdump's are.
fn relative<K>(
    entry: Entry<'_, K, (u32, u32)>,
    sender_is_lo: bool,
    (seq, ack): (u32, u32),
    syn: bool,
) -> (u32, u32, u32) {
    let fresh = if sender_is_lo {
        (seq, ack.wrapping_sub(1))
    } else {
        (ack.wrapping_sub(1), seq)
    };
    match entry {
        Entry::Occupied(b) if !syn => {
            let b = b.get();
            let (mine, theirs) = if sender_is_lo { (b.0, b.1) } else { (b.1, b.0) };
            (seq.wrapping_sub(mine), ack.wrapping_sub(theirs), theirs)
        }
        Entry::Occupied(mut b) => {
            b.insert(fresh);
            (seq, ack, ack.wrapping_sub(1))
        }
        Entry::Vacant(v) => {
            v.insert(fresh);
            (seq, ack, ack.wrapping_sub(1))
        }
    }
}
