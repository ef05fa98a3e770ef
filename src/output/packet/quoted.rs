//! `-v` under an ICMP error: the IP datagram it quotes, on two more lines
//! (`\tIP (tos …)` and `    src.port > dst.port: …`), printed by the same
//! IP and transport printers as any packet, as tcpdump does. A transport
//! header quoted only in part (8 bytes of TCP) shows its ports and
//! ` [|tcp]`.

use super::{LinePrinter, ip, link};
use crate::decode::checksum::{self, Checksums};
use crate::decode::icmp::{self, IcmpMessage};
use etherparse::{IpNumber, LaxNetSlice, LaxSlicedPacket};
use std::io::{self, Write};

impl LinePrinter {
    /// `icmp`: the whole ICMP message; nothing is written unless it is an
    /// error quoting an IPv4 header.
    pub(super) fn write_quoted(&mut self, w: &mut Vec<u8>, icmp: &[u8]) -> io::Result<()> {
        let Some(m) = IcmpMessage::new_checked(icmp) else {
            return Ok(());
        };
        if !icmp::is_icmpv4_error(m.icmp_type()) {
            return Ok(());
        }
        let body = m.body();
        // tcpdump reads the quoted total length before anything else, and
        // gives up on the packet without it.
        let Some(stated) = icmp::quoted_total_len(body) else {
            self.cut_early(true);
            return w.write_all(b"\n\t [|icmp]");
        };
        let inner = LaxSlicedPacket::from_ip(body).ok();
        let Some(LaxNetSlice::Ipv4(v4)) = inner.as_ref().and_then(|i| i.net.as_ref()) else {
            // A header cut inside its fixed part or options, or no IPv4
            // at all: what tcpdump's IP printer says of it.
            let mut line = b"\n\t".to_vec();
            let (shown, verbose) = (self.opts.link_header, self.opts.verbose > 0);
            if let Some(gave_up) =
                link::write_bad_ipv4(&mut line, body, usize::from(stated), shown, verbose)?
            {
                self.cut_early(gave_up);
                w.extend_from_slice(&line);
            }
            return Ok(());
        };
        let Some(inner) = inner.as_ref() else {
            return Ok(());
        };
        let sums = if self.opts.verify_checksums {
            checksum::verify_ip(body)
        } else {
            Checksums::default()
        };
        w.write_all(b"\n\t")?;
        let opts = self.opts;
        // tcpdump reads the quoted packet at its own stated length: no
        // `truncated-ip` for the part the error leaves out.
        let stated = usize::from(v4.header().total_len());
        let wire = ip::Wire {
            len: stated,
            link_shown: opts.link_header,
        };
        let part = match ip::write_ipv4(w, v4, (&opts, &sums), wire)? {
            ip::IpOutcome::Transport(part) => part,
            ip::IpOutcome::Done { .. } => return Ok(()),
        };
        if inner.transport.is_none() && part.proto == IpNumber::TCP {
            return match icmp::leading_ports(v4.payload().payload) {
                Some((sport, dport)) => {
                    part.ep.write_ports(w, sport, dport)?;
                    w.write_all(b" [|tcp]")
                }
                None => {
                    part.ep.write_addresses(w)?;
                    w.write_all(b"[|tcp]")
                }
            };
        }
        self.write_transport(w, &part, &inner.transport, &sums)?;
        Ok(())
    }
}
