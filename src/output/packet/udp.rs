//! The UDP part of a line: `UDP, length N`, a bad length, and the
//! checksum's verdict where tcpdump prints it (IPv4 at `-vv`, IPv6, where
//! the checksum is mandatory, at `-v`).

use super::ip::Endpoints;
use crate::decode::checksum::{Checksums, TransportSum};
use crate::output::fmt::put_num;
use etherparse::UdpSlice;
use std::io::{self, Write};

pub(super) fn write_udp(
    w: &mut Vec<u8>,
    verbose: u8,
    ep: &Endpoints,
    udp: &UdpSlice<'_>,
    sums: Option<&Checksums>,
) -> io::Result<()> {
    let level = if ep.is_v4() { 2 } else { 1 };
    if verbose >= level
        && let Some(sums) = sums
    {
        match sums.transport {
            Some(TransportSum::UdpNone) => w.write_all(b"[no cksum] ")?,
            Some(TransportSum::Udp(v)) if v.is_correct() => w.write_all(b"[udp sum ok] ")?,
            Some(TransportSum::Udp(v)) => write!(
                w,
                "[bad udp cksum 0x{:04x} -> 0x{:04x}!] ",
                v.stored, v.expected
            )?,
            _ => {}
        }
    }
    let len = (udp.length() as usize).saturating_sub(8);
    w.extend_from_slice(b"UDP, length ");
    put_num(w, len);
    if (udp.length() as usize) < 8 {
        write!(w, " [bad udp length {}]", udp.length())?;
    }
    Ok(())
}
