//! Tunnels in a line: the encapsulation's header as its dissector words
//! it, then the packet it carries, printed as a line of its own would be
//! (tcpdump's way: one line, or the `-v` lines, per packet, inner ones
//! included). Nesting stops at [`MAX_DEPTH`].

use super::{LinePrinter, hex};
use crate::decode::{self, checksum};
use crate::dissect::tunnel::{Inner, Kind, Level, MAX_DEPTH, Tunnel};
use crate::dissect::{Payload, nested};
use crate::packet::{LinkType, Packet, Timestamp};
use std::io::{self, Write};

impl LinePrinter {
    /// The header of `t` and what it carries. Always `true`: the line says
    /// in tcpdump's words where it stopped (the outer packet's own
    /// "truncated" mark would be wrong here: the tunnel's is the one).
    pub(super) fn write_tunnel(
        &mut self,
        w: &mut Vec<u8>,
        t: &'static Tunnel,
        p: Payload<'_>,
    ) -> io::Result<bool> {
        self.write_encap(w, t, p)?;
        Ok(true)
    }

    /// [`LinePrinter::write_tunnel`]; `true` when the line ended where the
    /// capture did (tcpdump's `longjmp`): nothing closes after that.
    fn write_encap(
        &mut self,
        w: &mut Vec<u8>,
        t: &'static Tunnel,
        p: Payload<'_>,
    ) -> io::Result<bool> {
        let level = Level {
            verbose: self.opts.verbose,
            eflag: self.opts.link_header,
        };
        let Ok(printed) = t.write(w, &p, level) else {
            self.cut_early((t.cut_jumps)(&p));
            return Ok(true);
        };
        let mut jumped = false;
        if let Some(inner) = printed.inner
            && self.depth < MAX_DEPTH
        {
            self.depth += 1;
            let r = self.write_inner(w, inner);
            self.depth -= 1;
            jumped = r?;
        }
        if !jumped {
            w.write_all(printed.close.as_bytes())?;
        }
        Ok(jumped)
    }

    /// The frames a payload's printer noted, each printed where it said:
    /// OpenFlow's packets in and out from `-vvv` on, three levels less
    /// verbose, as tcpdump's `ether_print` is called there; the IP packet
    /// of an MSDP Source-Active from `-vv` on, and the packet behind
    /// Broadcom's LI shim from `-v` on, at the same level.
    /// `true` when a frame's printers gave up on the packet (a
    /// `longjmp`; a frame too short for its Ethernet or LLC header is not
    /// one: tcpdump's printers return there): the line ends there, without
    /// what followed the frame, and, as in tcpdump, whose printer lowered
    /// its level by three and never got to raise it again, every later
    /// packet is printed three levels less verbose. A message cut after
    /// the frames is marked with the name of the last printer the frames
    /// entered (`[|http]`), as tcpdump's global protocol name leaves it.
    pub(super) fn write_frames(
        &mut self,
        w: &mut Vec<u8>,
        payload: &[u8],
        frames: &[nested::Frame],
    ) -> io::Result<bool> {
        let verbose = self.opts.verbose;
        let mut shift = 0;
        // The last printer the frames entered, and where the last frame's
        // text ends.
        let mut last = None;
        let mut after = 0;
        for f in frames {
            if self.depth >= MAX_DEPTH {
                break;
            }
            let end = f.start.saturating_add(f.len).min(payload.len());
            let inner = Inner {
                kind: match f.kind {
                    nested::FrameKind::Ethernet => Kind::Ethernet,
                    nested::FrameKind::Ip => Kind::Ip,
                    nested::FrameKind::Ip6 => Kind::Ip6,
                },
                bytes: payload.get(f.start..end).unwrap_or_default(),
                wire_len: f.len,
            };
            let mut text = Vec::new();
            self.opts.verbose = verbose.saturating_sub(f.lower);
            self.depth += 1;
            // What the frame's printers say of a `longjmp` (the line's
            // own cut mark may come from one that returned: `[|llc]`).
            let dump_from = self.dump_from.take();
            let (written, entered) = nested::track(|| self.write_inner(&mut text, inner));
            written?;
            last = entered.or(last);
            let jumped = self.dump_from == Some(0);
            self.dump_from = self.dump_from.or(dump_from);
            self.depth -= 1;
            let (at, n) = ((f.at + shift).min(w.len()), text.len());
            w.splice(at..at, text);
            shift += n;
            after = at + n;
            if jumped {
                w.truncate(at + n);
                return Ok(true);
            }
            self.opts.verbose = verbose;
        }
        if let Some(name) = last {
            rename_cut_mark(w, after, name);
        }
        Ok(false)
    }

    /// The packet a tunnel carries; `true` as for [`LinePrinter::write_encap`].
    pub(super) fn write_inner(&mut self, w: &mut Vec<u8>, inner: Inner<'_>) -> io::Result<bool> {
        let link = match inner.kind {
            Kind::Encap(t) => {
                let p = Payload {
                    bytes: inner.bytes,
                    declared_len: inner.wire_len,
                };
                return self.write_encap(w, t, p);
            }
            Kind::Escaped(t) => {
                let bytes = crate::dissect::tunnel::hdlc_unescape(inner.bytes);
                let p = Payload {
                    bytes: &bytes,
                    declared_len: bytes.len(),
                };
                return self.write_encap(w, t, p);
            }
            Kind::Osi => {
                let p = Payload {
                    bytes: inner.bytes,
                    declared_len: inner.wire_len,
                };
                return Ok(self.write_clns(w, &p));
            }
            Kind::Dissected(d) => {
                let p = Payload {
                    bytes: inner.bytes,
                    declared_len: inner.wire_len,
                };
                let jumped = d.write_line_cut(w, &p, self.opts.verbose);
                self.cut_early(jumped == Some(true));
                return Ok(jumped.is_some() && p.bytes.len() < p.declared_len);
            }
            Kind::Hex { ascii, cut_mark } => {
                // `-x`/`-X` replace only the default print (the one with
                // ASCII), and with it its cut mark.
                if ascii && self.default_print_suppressed() {
                    return Ok(false);
                }
                let shown = inner.bytes.get(..inner.wire_len).unwrap_or(inner.bytes);
                if ascii {
                    write_hex_ascii_lines(w, shown)?;
                } else {
                    hex::write_hex_lines(w, shown)?;
                }
                let cut = !cut_mark.is_empty() && inner.bytes.len() < inner.wire_len;
                if cut {
                    // The default print's cut is a `longjmp`.
                    write!(w, " [|{cut_mark}]")?;
                    self.cut_early(true);
                }
                return Ok(cut);
            }
            // An IPv4 header tcpdump will not print (wrong version, bad
            // length) is named as at the top level.
            Kind::Ip if inner.bytes.first().is_some_and(|b| b >> 4 != 4) => {
                let verbose = self.opts.verbose > 0;
                let eflag = self.opts.link_header;
                let gave_up =
                    super::link::write_bad_ipv4(w, inner.bytes, inner.wire_len, eflag, verbose)?;
                self.cut_early(gave_up == Some(true));
                return Ok(ends_cut(w));
            }
            Kind::Ip6 if inner.bytes.first().is_some_and(|b| b >> 4 != 6) => {
                super::ip::write_bad_ipv6(w, inner.bytes, self.opts.link_header)?;
                return Ok(ends_cut(w));
            }
            // (An empty IPv4 packet is `write_bad_ipv4`'s below.)
            Kind::Ip6 if inner.bytes.is_empty() => {
                w.write_all(b" [|ip6]")?;
                return Ok(true);
            }
            Kind::Ethernet => LinkType::Ethernet,
            Kind::Ip | Kind::Ip6 => LinkType::Raw,
        };
        // The length the carrier declares, even below what was captured
        // (a PPPoE length shorter than the frame): tcpdump's printers
        // below read all that was captured, and judge lengths by this.
        let pkt = Packet {
            ts: Timestamp(0),
            stamp: None,
            link,
            data: inner.bytes,
            orig_len: u32::try_from(inner.wire_len).unwrap_or(u32::MAX),
        };
        let mut d = decode::decode(&pkt);
        if self.opts.verbose > 0 && self.opts.verify_checksums {
            d.checksums = checksum::verify(&pkt);
        }
        // An IPv4 header tcpdump refuses (`truncated-ip 18`, `bad-hlen`).
        if (d.lax.is_none() || inner.wire_len < 20)
            && matches!(inner.kind, Kind::Ip)
            && let Some(gave_up) = super::link::write_bad_ipv4(
                w,
                inner.bytes,
                inner.wire_len,
                self.opts.link_header,
                self.opts.verbose > 0,
            )?
        {
            self.cut_early(gave_up);
            return Ok(gave_up);
        }
        // Under `-e` tcpdump's IP printers leave out their `IP ` word
        // wherever they are, and an inner Ethernet frame shows its header.
        let link_shown = self.opts.link_header
            && (matches!(link, LinkType::Raw)
                || super::link_header::write_link_header(w, &pkt, &d)?);
        // Where the dump starts is the outer packet's: of what the inner
        // printers say, only a `longjmp` (dump from the first byte) counts.
        let dump_from = self.dump_from;
        let said = self.write_body(w, &pkt, &d, link_shown)?;
        if self.dump_from != Some(0) {
            self.dump_from = dump_from;
        }
        super::write_problem(w, &d.problem, said)?;
        Ok(ends_cut(w))
    }
}

/// The cut mark (` [|name]`) ending the line, when it comes after byte
/// `from`, renamed `name`.
fn rename_cut_mark(w: &mut Vec<u8>, from: usize, name: &str) {
    let Some(tail) = w.get(from..) else {
        return;
    };
    if !tail.ends_with(b"]") {
        return;
    }
    let Some(open) = tail.windows(3).rposition(|t| t == b" [|") else {
        return;
    };
    let start = from + open + 3;
    let end = w.len() - 1;
    if w[start..end].contains(&b' ') {
        return;
    }
    w.splice(start..end, name.bytes());
}

/// Whether the line ends with a cut mark (` [|name]`) of the kind after
/// which tcpdump gives up on the packet: IP's printer marks a header cut
/// after its first byte (`IP  [|ip]`) and returns, the others jump out.
fn ends_cut(w: &[u8]) -> bool {
    w.ends_with(b"]")
        && !w.ends_with(b"IP  [|ip]")
        && w.rsplit(|&b| b == b' ')
            .next()
            .is_some_and(|last| last.starts_with(b"[|"))
}

/// tcpdump's hex and ASCII of a payload it does not decode: each row on a
/// new line after a tab (`-X`'s rows), no newline at the end.
fn write_hex_ascii_lines(w: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    let mut rows = Vec::new();
    hex::write_hex(&mut rows, bytes)?;
    for row in rows.split(|&b| b == b'\n').filter(|r| !r.is_empty()) {
        w.push(b'\n');
        w.extend_from_slice(row);
    }
    Ok(())
}
