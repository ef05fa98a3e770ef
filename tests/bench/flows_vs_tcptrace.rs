//! Benchmark: our flow tracking against `tcptrace -n` on the same large
//! capture, in the same run. Prints the wall-clock ratio and both peak RSS.
//!
//! `cargo bench --bench flows_vs_tcptrace` (needs tcptrace and /usr/bin/time;
//! skips with a message when either is missing). SOCKSCOPE_BENCH_SCALE=N
//! multiplies the number of connections (default: about 1M packets per shape).
//!
//! Our side runs as a child process (this binary with `child FILE MODE`) doing
//! what `sockscope read FILE --flows -q` does after the file source: read every
//! pcap record, turn it into a `FlowPacket` (MODE `all`: etherparse's lax
//! slicing + `from_lax`; MODE `fast`: `FlowPacket::from_frame`), track it, and
//! print the flow table (to a sink). Both are timed against tcptrace.

#[path = "bench_common.rs"]
mod common;

use common::measure_with_output;
use etherparse::{LaxSlicedPacket, PacketBuilder};
use pcap_file::pcap::{PcapHeader, PcapReader, PcapWriter, RawPcapPacket};
use pcap_file::{DataLink, Endianness, TsResolution};
use sockscope::flow::{FlowConfig, FlowPacket, FlowTracker};
use sockscope::packet::{LinkType, Timestamp};
use std::borrow::Cow;
use std::io::{BufReader, BufWriter};
use std::path::Path;
use std::process::Command;

const SNAPLEN: usize = 96;

fn child(path: &Path, mode: &str) {
    let f = std::fs::File::open(path).expect("open capture");
    let mut r = PcapReader::new(BufReader::with_capacity(1 << 20, f)).expect("pcap header");
    let nanos = r.header().ts_resolution == TsResolution::NanoSecond;
    let mut t = FlowTracker::new(FlowConfig::default());
    let mut marked = 0u64;
    while let Some(p) = r.next_raw_packet() {
        let Ok(p) = p else { break };
        let frac = if nanos {
            p.ts_frac
        } else {
            p.ts_frac.saturating_mul(1000)
        };
        let ts = Timestamp::from_secs_nanos(p.ts_sec as u64, frac);
        if mode == "read" {
            marked += p.data.len() as u64;
            continue;
        }
        if mode == "fast" {
            if let Some(fp) = FlowPacket::from_frame(ts, LinkType::Ethernet, &p.data) {
                marked += !t.observe(&fp).is_empty() as u64;
            }
            continue;
        }
        let Ok(pkt) = LaxSlicedPacket::from_ethernet(&p.data) else {
            continue;
        };
        if mode == "slice" {
            marked += pkt.transport.is_some() as u64;
            continue;
        }
        if let Some(fp) = FlowPacket::from_lax(ts, &pkt) {
            if mode == "key" {
                marked += fp.seq.0 as u64;
                continue;
            }
            marked += !t.observe(&fp).is_empty() as u64;
        }
    }
    let rep = t.finish();
    if mode != "notable" {
        sockscope::output::flows::table::write_flow_table(&mut std::io::sink(), &rep)
            .expect("table");
    }
    println!(
        "{} packets, {} flows, {} analysis marks",
        rep.stats.packets, rep.stats.flows, marked
    );
}

type Writer = PcapWriter<BufWriter<std::fs::File>>;

/// A pcap on `path`: Ethernet, microseconds, our snap length.
fn create_pcap(path: &Path) -> Writer {
    let header = PcapHeader {
        snaplen: SNAPLEN as u32,
        datalink: DataLink::ETHERNET,
        ts_resolution: TsResolution::MicroSecond,
        endianness: Endianness::Little,
        ..PcapHeader::default()
    };
    let out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create"));
    PcapWriter::with_header(out, header).expect("header")
}

/// One record at `t_us` microseconds after the epoch, cut to the snap length.
fn write_record(w: &mut Writer, t_us: u64, frame: &[u8]) {
    let incl = frame.len().min(SNAPLEN);
    w.write_raw_packet(&RawPcapPacket {
        ts_sec: (t_us / 1_000_000) as u32,
        ts_frac: (t_us % 1_000_000) as u32,
        incl_len: incl as u32,
        orig_len: frame.len() as u32,
        data: Cow::Borrowed(&frame[..incl]),
    })
    .expect("record");
}

/// A capture of `flows` connections, `conc` at a time, interleaved: handshake,
/// `data` full-size data segments (an ACK every second one), four-way close.
fn generate(path: &Path, flows: u32, conc: u32, data: u32) -> u64 {
    let mut w = create_pcap(path);
    let payload = vec![0u8; 1448];
    let mut buf = Vec::with_capacity(2048);
    let mut t_us: u64 = 1_700_000_000_000_000;
    let mut n = 0u64;
    let (conc, data_segs) = (conc, data);
    let steps = 3 + data_segs + data_segs / 2 + 4;
    let mut first = 0;
    while first < flows {
        let batch = conc.min(flows - first);
        for step in 0..steps {
            for k in 0..batch {
                let id = first + k;
                let cip = [10, (id >> 16) as u8, (id >> 8) as u8, id as u8];
                let sip = [192, 0, 2, 1];
                let cport = 10_000 + (id % 50_000) as u16;
                let (cisn, sisn) = (id.wrapping_mul(7919), id.wrapping_mul(104_729));
                // step → (from client, flags, seq offset, ack offset, len)
                let (fc, syn, ack, fin, seq, ackn, len) = match step {
                    0 => (true, true, false, false, cisn, 0, 0),
                    1 => (false, true, true, false, sisn, cisn + 1, 0),
                    2 => (true, false, true, false, cisn + 1, sisn + 1, 0),
                    s if s < 3 + data_segs + data_segs / 2 => {
                        let i = s - 3;
                        if i % 3 == 2 {
                            let acked = (i / 3 + 1) * 2;
                            (
                                false,
                                false,
                                true,
                                false,
                                sisn + 1,
                                cisn + 1 + acked * 1448,
                                0,
                            )
                        } else {
                            let seg = i / 3 * 2 + i % 3;
                            (
                                true,
                                false,
                                true,
                                false,
                                cisn + 1 + seg * 1448,
                                sisn + 1,
                                1448,
                            )
                        }
                    }
                    s => {
                        let end = cisn + 1 + data_segs * 1448;
                        match s - (3 + data_segs + data_segs / 2) {
                            0 => (true, false, true, true, end, sisn + 1, 0),
                            1 => (false, false, true, false, sisn + 1, end + 1, 0),
                            2 => (false, false, true, true, sisn + 1, end + 1, 0),
                            _ => (true, false, true, false, end + 1, sisn + 2, 0),
                        }
                    }
                };
                let (src, dst, sp, dp) = if fc {
                    (cip, sip, cport, 80)
                } else {
                    (sip, cip, 80, cport)
                };
                let mut b = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
                    .ipv4(src, dst, 64)
                    .tcp(sp, dp, seq, 64_000);
                if syn {
                    b = b.syn();
                }
                if ack {
                    b = b.ack(ackn);
                }
                if fin {
                    b = b.fin();
                }
                buf.clear();
                b.write(&mut buf, &payload[..len as usize]).expect("frame");
                t_us += 7;
                write_record(&mut w, t_us, &buf);
                n += 1;
            }
        }
        first += batch;
    }
    n
}

/// `n` SYNs from distinct source addresses and ports, 1 µs apart.
fn generate_flood(path: &Path, n: u32) -> u64 {
    let mut w = create_pcap(path);
    let mut buf = Vec::with_capacity(128);
    for i in 0..n {
        buf.clear();
        let src = [10, (i >> 16) as u8, (i >> 8) as u8, i as u8];
        PacketBuilder::ethernet2([2; 6], [4; 6])
            .ipv4(src, [192, 0, 2, 1], 64)
            .tcp(
                1024 + (i % 60_000) as u16,
                80,
                i.wrapping_mul(2_654_435_761),
                64_240,
            )
            .syn()
            .write(&mut buf, &[])
            .expect("build");
        write_record(&mut w, 1_700_000_000_000_000u64 + i as u64, &buf);
    }
    n as u64
}

/// (best wall seconds, best CPU seconds, peak RSS KiB, first output line)
/// of `runs` runs; a failed run fails the bench.
fn measure(args: &[&str], runs: usize) -> (f64, f64, u64, String) {
    let c = measure_with_output(args, runs);
    assert!(c.ok, "{args:?} failed");
    (c.wall, c.cpu, c.rss_kib, c.first_line)
}

/// `sockscope read FILE --flows`, the flow table to /dev/null, measured.
fn read_flows(file: &Path, runs: usize) -> (f64, f64, u64, String) {
    let bin = env!("CARGO_BIN_EXE_sockscope");
    let sh = format!("{bin} read {} --flows > /dev/null", file.display());
    measure(&["sh", "-c", &sh], runs)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        child(
            Path::new(&args[2]),
            args.get(3).map(String::as_str).unwrap_or("all"),
        );
        return;
    }
    for tool in ["tcptrace", "/usr/bin/time"] {
        if Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .map(|o| !o.status.success())
            .unwrap_or(true)
        {
            println!(
                "skipping flows_vs_tcptrace: {tool} not found (apt-get install tcptrace time)"
            );
            return;
        }
    }
    let scale: u32 = std::env::var("SOCKSCOPE_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let dir = std::env::temp_dir().join(format!("sockscope-bench-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    // Two shapes of about a million packets each: many short connections
    // (the flow table printed at the end has 15000 rows), and fewer long ones.
    let shapes = [
        ("short connections", 15_000 * scale, 500, 40),
        ("long connections", 1_000 * scale, 100, 600),
    ];
    let mut file = dir.join("none");
    for (name, flows, conc, data) in shapes {
        file = dir.join(format!("flows-{flows}.pcap"));
        let packets = generate(&file, flows, conc, data);
        let size = std::fs::metadata(&file).unwrap().len();
        println!(
            "{name}: {packets} packets, {flows} connections, {} MiB",
            size / (1 << 20)
        );
        let sh = format!("tcptrace -n {} > /dev/null", file.display());
        let (theirs, theirs_cpu, theirs_kib, _) = measure(&["sh", "-c", &sh], 5);
        println!(
            "  tcptrace -n                 : {theirs:.3} s (cpu {theirs_cpu:.3} s), peak {} MiB",
            theirs_kib / 1024
        );
        // The real thing: the binary, its file source and pipeline, the
        // comfy-table flow table written to /dev/null.
        let (ours, ours_cpu, ours_kib, _) = read_flows(&file, 5);
        println!(
            "  sockscope read --flows      : {ours:.3} s (cpu {ours_cpu:.3} s), peak {} MiB, {:.2}x faster than tcptrace ({:.2}x in cpu), {:.2}x its memory",
            ours_kib / 1024,
            theirs / ours,
            theirs_cpu / ours_cpu,
            ours_kib as f64 / theirs_kib.max(1) as f64
        );
        for (label, mode) in [
            ("etherparse lax + tracker", "all"),
            ("from_frame + tracker", "fast"),
        ] {
            let (ours, _, ours_kib, out) = measure(
                &[exe.to_str().unwrap(), "child", file.to_str().unwrap(), mode],
                5,
            );
            println!(
                "  {label:28}: {ours:.3} s, peak {} MiB, {:.2}x faster than tcptrace, {:.2}x its memory ({out})",
                ours_kib / 1024,
                theirs / ours,
                ours_kib as f64 / theirs_kib.max(1) as f64
            );
        }
    }
    // A SYN flood: one million distinct SYNs. The binary must finish with
    // the default table bounds and stay under 256 MiB, table included.
    let flood = dir.join("syn-flood.pcap");
    let packets = generate_flood(&flood, 1_000_000);
    let (secs, _, kib, _) = read_flows(&flood, 1);
    println!(
        "syn flood: {packets} distinct SYNs: sockscope read --flows {secs:.3} s, peak {} MiB (limit 256 MiB)",
        kib / 1024
    );
    assert!(kib < 256 * 1024, "SYN flood peak {kib} KiB is over 256 MiB");
    if std::env::var_os("SOCKSCOPE_BENCH_KEEP").is_some() {
        println!("kept {}", file.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
