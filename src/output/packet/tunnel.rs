//! Tunnels in a line: the encapsulation's header as its dissector words
//! it, then the packet it carries, printed as a line of its own would be
//! (tcpdump's way: one line, or the `-v` lines, per packet, inner ones
//! included). Nesting stops at [`MAX_DEPTH`].

use super::{LinePrinter, hex};
use crate::decode::{self, Problem, checksum};
use crate::dissect::Payload;
use crate::dissect::tunnel::{Inner, Kind, MAX_DEPTH, Tunnel};
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
        let printed = t.write(w, &p, self.opts.verbose);
        if let Some(inner) = printed.inner
            && self.depth < MAX_DEPTH
        {
            self.depth += 1;
            let r = self.write_inner(w, inner);
            self.depth -= 1;
            r?;
        }
        w.write_all(printed.close.as_bytes())?;
        Ok(true)
    }

    fn write_inner(&mut self, w: &mut Vec<u8>, inner: Inner<'_>) -> io::Result<()> {
        let link = match inner.kind {
            Kind::Encap(t) => {
                let p = Payload {
                    bytes: inner.bytes,
                    declared_len: inner.wire_len,
                };
                return self.write_tunnel(w, t, p).map(|_| ());
            }
            Kind::Unknown => {
                if !self.default_print_suppressed() {
                    let shown = inner.bytes.get(..inner.wire_len).unwrap_or(inner.bytes);
                    hex::write_hex_lines(w, shown)?;
                }
                return Ok(());
            }
            Kind::Ethernet => LinkType::Ethernet,
            Kind::Ip => LinkType::Raw,
        };
        let pkt = Packet {
            ts: Timestamp(0),
            link,
            data: inner.bytes,
            orig_len: u32::try_from(inner.wire_len.max(inner.bytes.len())).unwrap_or(u32::MAX),
        };
        let mut d = decode::decode(&pkt);
        if self.opts.verbose > 0 && self.opts.verify_checksums {
            d.checksums = checksum::verify(&pkt);
        }
        let said = self.write_body(w, &pkt, &d, false)?;
        match &d.problem {
            Some(Problem::UnsupportedLink(_)) | None => Ok(()),
            Some(_) if said => Ok(()),
            Some(problem) => write!(w, " {problem}"),
        }
    }
}
