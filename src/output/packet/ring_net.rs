//! The network layer of an RFC 2684 bridged Token Ring or FDDI frame
//! whose LLC header hands it on (IP's SAP 0x06, SNAP before IPv4, IPv6 or
//! ARP): under `-e` the LLC and SNAP words, then the packet's line, as a
//! Token Ring or FDDI capture's frame prints it.

use super::LinePrinter;
use crate::decode::{self, checksum, rings};
use crate::dissect::link::llc_words::put_llc_to_net;
use crate::dissect::link::rings::Ring;
use crate::packet::{LinkType, Packet, Timestamp};
use std::io;

impl LinePrinter {
    /// The packet behind the LLC header of the `ring` frame `bytes`
    /// (`wire_len` long on the wire), whose header's words are written;
    /// `None` when its LLC header hands nothing on. `Some(true)`: the line
    /// says where it stopped.
    pub(super) fn write_ring_net(
        &mut self,
        w: &mut Vec<u8>,
        ring: Ring,
        bytes: &[u8],
        wire_len: usize,
    ) -> io::Result<Option<bool>> {
        let link = rings::link_of(ring);
        let Some((l, at)) = rings::llc_to_net(link, bytes) else {
            return Ok(None);
        };
        let link_shown = self.opts.link_header;
        if link_shown {
            put_llc_to_net(w, &l, wire_len.saturating_sub(at + l.len));
        }
        let pkt = Packet {
            ts: Timestamp(0),
            stamp: None,
            link: LinkType::Other(link),
            data: bytes,
            orig_len: u32::try_from(wire_len).unwrap_or(u32::MAX),
        };
        let mut d = decode::decode(&pkt);
        if self.opts.verbose > 0 && self.opts.verify_checksums {
            d.checksums = checksum::verify(&pkt);
        }
        // Where the dump starts is the outer packet's, unless the inner
        // printers jumped out (from the first byte).
        let dump_from = self.dump_from;
        let said = self.write_body(w, &pkt, &d, link_shown)?;
        if self.dump_from != Some(0) {
            self.dump_from = dump_from;
        }
        super::write_problem(w, &d.problem, said)?;
        Ok(Some(said))
    }
}
