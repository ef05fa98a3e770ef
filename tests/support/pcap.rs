//! Classic pcap files in and out, for the generators and the checks: one
//! writer every generator uses (so the three generated families share the
//! header and record layout), and a strict reader written apart from the
//! library's so that files the binary writes are checked by other code.

use pcap_file::pcap::{PcapHeader, PcapWriter, RawPcapPacket};
use pcap_file::{DataLink, Endianness, TsResolution};
use std::borrow::Cow;
use std::path::Path;

/// One record to write: seconds, fraction (µs or ns as the file says),
/// captured bytes and the original length.
pub struct Record<'a> {
    pub ts_sec: u32,
    pub ts_frac: u32,
    pub data: Cow<'a, [u8]>,
    pub orig_len: u32,
}

/// The layout of a file to write.
#[derive(Clone, Copy)]
pub struct Layout {
    pub link: u32,
    pub snaplen: u32,
    pub big_endian: bool,
    pub nanos: bool,
}

impl Layout {
    /// Little endian, microseconds: what most generated captures use.
    pub fn new(link: u32, snaplen: u32) -> Layout {
        Layout {
            link,
            snaplen,
            big_endian: false,
            nanos: false,
        }
    }
}
/// [`write_pcap`] of (captured bytes, original length) records,
/// `per_second` of them a second from `t0`, evenly spaced (microseconds).
pub fn write_spaced<'a>(
    layout: Layout,
    (t0, per_second): (u32, u32),
    records: impl IntoIterator<Item = (Cow<'a, [u8]>, u32)>,
) -> Vec<u8> {
    let step = 1_000_000 / per_second;
    write_pcap(
        layout,
        records
            .into_iter()
            .enumerate()
            .map(|(i, (data, orig_len))| Record {
                ts_sec: t0 + i as u32 / per_second,
                ts_frac: i as u32 % per_second * step,
                data,
                orig_len,
            }),
    )
}

/// A classic pcap (version 2.4) holding `records`, as bytes.
pub fn write_pcap<'a>(layout: Layout, records: impl IntoIterator<Item = Record<'a>>) -> Vec<u8> {
    let header = PcapHeader {
        version_major: 2,
        version_minor: 4,
        ts_correction: 0,
        ts_accuracy: 0,
        snaplen: layout.snaplen,
        datalink: DataLink::from(layout.link),
        ts_resolution: if layout.nanos {
            TsResolution::NanoSecond
        } else {
            TsResolution::MicroSecond
        },
        endianness: if layout.big_endian {
            Endianness::Big
        } else {
            Endianness::Little
        },
    };
    let mut w = PcapWriter::with_header(Vec::new(), header).expect("pcap header");
    for r in records {
        w.write_raw_packet(&RawPcapPacket {
            ts_sec: r.ts_sec,
            ts_frac: r.ts_frac,
            incl_len: r.data.len() as u32,
            orig_len: r.orig_len,
            data: r.data,
        })
        .expect("write packet");
    }
    w.into_writer()
}

/// A classic pcap file, checked record by record.
#[derive(Debug)]
pub struct PcapFile {
    pub nanos: bool,
    pub snaplen: u32,
    pub linktype: u32,
    /// (captured length, original length, bytes)
    pub records: Vec<(u32, u32, Vec<u8>)>,
}

/// Parse a whole little-endian pcap file; panics with the reason if it is
/// not valid to the last byte.
pub fn parse_pcap(bytes: &[u8]) -> PcapFile {
    assert!(
        bytes.len() >= 24,
        "pcap shorter than its header: {} bytes",
        bytes.len()
    );
    let u32le = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let magic = u32le(bytes, 0);
    let nanos = match magic {
        0xa1b2_3c4d => true,
        0xa1b2_c3d4 => false,
        m => panic!("not a little-endian pcap: magic {m:#x}"),
    };
    let snaplen = u32le(bytes, 16);
    let linktype = u32le(bytes, 20);
    let mut records = Vec::new();
    let mut at = 24;
    while at < bytes.len() {
        assert!(at + 16 <= bytes.len(), "record header cut at byte {at}");
        let incl = u32le(bytes, at + 8);
        let orig = u32le(bytes, at + 12);
        assert!(
            incl <= orig && incl <= snaplen,
            "record at {at}: incl {incl} orig {orig}"
        );
        let end = at + 16 + incl as usize;
        assert!(end <= bytes.len(), "record data cut at byte {at}");
        records.push((incl, orig, bytes[at + 16..end].to_vec()));
        at = end;
    }
    PcapFile {
        nanos,
        snaplen,
        linktype,
        records,
    }
}

/// [`parse_pcap`] on a file.
pub fn read_pcap(path: &Path) -> PcapFile {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_pcap(&bytes)
}

/// The records' bytes `tcpdump -r PATH -w OUT EXPR` keeps (its filter's
/// decisions on the capture at `path`); `out` is written and removed.
pub fn tcpdump_keeps(path: &Path, out: &Path, expr: &str) -> Vec<Vec<u8>> {
    let run = std::process::Command::new("tcpdump")
        .arg("-r")
        .arg(path)
        .arg("-w")
        .arg(out)
        .arg(expr)
        .output()
        .expect("tcpdump runs");
    assert!(
        run.status.success(),
        "{expr}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let kept = read_pcap(out);
    let _ = std::fs::remove_file(out);
    kept.records.into_iter().map(|(_, _, d)| d).collect()
}

/// `expr` on link type `lt` keeps exactly the records (bytes, wire
/// length) that `tcpdump -r path -w` keeps (`path` holds them, cut ones
/// included), and our BPF program agrees with the evaluator on them and
/// on `damaged` (whole records); the number kept.
pub fn filter_keeps_what_tcpdump_keeps(
    lt: sockscope::packet::LinkType,
    expr: &str,
    path: &Path,
    records: &[(Vec<u8>, u32)],
    damaged: &[Vec<u8>],
) -> usize {
    use sockscope::filter::{Filter, bpf};
    let filter = Filter::parse(expr).expect(expr);
    let ours: Vec<&Vec<u8>> = records
        .iter()
        .filter(|(d, orig)| filter.matches(lt, d, *orig))
        .map(|(d, _)| d)
        .collect();
    let theirs = tcpdump_keeps(path, &path.with_extension("out.pcap"), expr);
    let at = path.display();
    assert_eq!(ours.len(), theirs.len(), "{at} `{expr}`: records kept");
    assert!(
        ours.iter().zip(&theirs).all(|(a, b)| *a == b),
        "{at} `{expr}`"
    );
    let prog = filter.compile(lt, 262_144).expect("compiles");
    let all = records.iter().map(|(d, o)| (d, *o));
    for (d, orig) in all.chain(damaged.iter().map(|d| (d, d.len() as u32))) {
        assert_eq!(
            filter.matches(lt, d, orig),
            bpf::run(&prog, d, orig) != 0,
            "{at} `{expr}` on {d:02x?}"
        );
    }
    theirs.len()
}

/// Each frame whole, then each cut at every length, with its wire length
/// (the records a capture of `link_captures::capture` holds, in order).
pub fn whole_and_cut(frames: &[Vec<u8>]) -> Vec<(Vec<u8>, u32)> {
    let whole = frames.iter().map(|f| (f.clone(), f.len() as u32));
    let cuts = frames
        .iter()
        .flat_map(|f| (1..f.len()).map(move |cut| (f[..cut].to_vec(), f.len() as u32)));
    whole.chain(cuts).collect()
}
