//! The packets table: one row per packet that passed the filter, with the
//! fields the flow tracker read (addresses, ports, TCP flags, sequence and
//! acknowledgment numbers, window, lengths), the uid of its flow (the
//! flows table's `uid`, so the two join) and its place in the pcap.
//! Written as it goes, one row group per 64 Ki packets, so memory stays
//! flat on a long capture; the footer is written when the run ends,
//! Ctrl-C and SIGTERM included.

use super::table::{Cell, Col, Kind, Table};
use super::{ParquetError, pointer};
use crate::decode::ip6_text::IpText;
use crate::flow::{FlowPacket, Proto};
use crate::packet::Packet;
use std::path::Path;

use Kind::{I32, I64, Str, TsMicros};

/// The columns, in order (then [`super::POINTER`]'s), a line per kind of
/// field: the record, the addresses, TCP, lengths, ICMP, the flow.
#[rustfmt::skip]
pub const COLUMNS: &[Col] = &[
    Col::req("number", I64), Col::req("ts", TsMicros), Col::req("ts_ns", I64),
    Col::req("caplen", I32), Col::req("len", I64), Col::req("link", Str),
    Col::opt("src", Str), Col::opt("dst", Str), Col::opt("proto", Str), Col::opt("ip_proto", I32),
    Col::opt("sport", I32), Col::opt("dport", I32),
    Col::opt("tcp_flags", Str), Col::opt("seq", I64), Col::opt("ack", I64), Col::opt("window", I32),
    Col::opt("payload_len", I64), Col::opt("ip_len", I64),
    Col::opt("icmp_type", I32), Col::opt("icmp_code", I32),
    Col::opt("flow_uid", Str),
];

/// What one packet's row is made of.
pub struct PacketRow<'a> {
    /// Position in the source, 1-based (Wireshark's frame number).
    pub number: u64,
    /// Its time, link type and original length (its bytes are not read).
    pub packet: &'a Packet<'a>,
    /// Bytes captured.
    pub caplen: u32,
    /// The flow view, for IP packets.
    pub flow: Option<&'a FlowPacket>,
    /// Its flow's uid (0: none).
    pub uid: u64,
    pub pcap_file: Option<&'a str>,
    pub pcap_offset: Option<u64>,
}

/// A packets file being written.
pub struct PacketsParquet {
    table: Table,
}

fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl PacketsParquet {
    pub fn create(path: &Path) -> Result<PacketsParquet, ParquetError> {
        Ok(PacketsParquet {
            table: Table::create(path, "packets", COLUMNS)?,
        })
    }

    pub fn write(&mut self, r: &PacketRow<'_>) -> Result<(), ParquetError> {
        let p = r.packet;
        let f = r.flow;
        let tcp = f.filter(|f| f.proto == Proto::Tcp);
        let link = p.link.name();
        let (src, dst) = match f {
            Some(f) => (
                Some(IpText(f.src).to_string()),
                Some(IpText(f.dst).to_string()),
            ),
            None => (None, None),
        };
        let flags = tcp.map(|t| t.flags.to_string());
        let uid = (r.uid > 0).then(|| format!("C{}", r.uid));
        let ip_proto = f.map(|f| match f.proto {
            Proto::Tcp => 6,
            Proto::Udp => 17,
            Proto::Icmp if f.src.is_ipv6() => 58,
            Proto::Icmp => 1,
            Proto::Other(n) => i32::from(n),
        });
        let ports = f.filter(|f| matches!(f.proto, Proto::Tcp | Proto::Udp));
        let row = [
            Cell::I64(Some(i64_of(r.number))),
            Cell::I64(Some(i64_of(p.ts.0 / 1000))),
            Cell::I64(Some(i64_of(p.ts.0))),
            Cell::I32(Some(i32::try_from(r.caplen).unwrap_or(i32::MAX))),
            Cell::I64(Some(i64::from(p.orig_len))),
            Cell::Str(Some(link)),
            Cell::Str(src.as_deref()),
            Cell::Str(dst.as_deref()),
            Cell::Str(f.map(|f| f.proto.name())),
            Cell::I32(ip_proto),
            Cell::I32(ports.map(|f| i32::from(f.sport))),
            Cell::I32(ports.map(|f| i32::from(f.dport))),
            Cell::Str(flags.as_deref()),
            Cell::I64(tcp.map(|t| i64::from(t.seq.0))),
            Cell::I64(tcp.map(|t| i64::from(t.ack.0))),
            Cell::I32(tcp.map(|t| i32::from(t.window))),
            Cell::I64(f.map(|f| i64::from(f.payload_len))),
            Cell::I64(f.map(|f| i64::from(f.ip_len))),
            Cell::I32(f.and_then(|f| f.icmp).map(|(t, _)| i32::from(t))),
            Cell::I32(f.and_then(|f| f.icmp).map(|(_, c)| i32::from(c))),
            Cell::Str(uid.as_deref()),
        ];
        self.table.push(&row, &pointer(r.pcap_file, r.pcap_offset))
    }

    /// Finish this file and go on in `path` (rotation).
    pub fn reopen(&mut self, path: &Path) -> Result<u64, ParquetError> {
        self.table.reopen(path)
    }

    /// Write the last row group and the footer.
    pub fn finish(self) -> Result<u64, ParquetError> {
        self.table.finish()
    }
}
