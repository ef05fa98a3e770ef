//! The Parquet outputs read back by a real engine: DuckDB (its Python
//! package, which `.ci/run` installs from PyPI) queries the flows and
//! packets files and must find exactly the counts, bytes, conn_states and
//! Community IDs that `--flows --json` prints, on a committed capture with
//! TCP, UDP and ICMP flows and on a live capture ended by SIGINT or
//! SIGTERM. The Community IDs are also compared with tshark's own. Rows
//! point into the right file when several are read and into the file a
//! live capture writes; a rotating `-w` rotates the Parquet files with it,
//! each file readable alone and the rows adding up to the run's.
#![cfg(feature = "parquet")]

mod support;

use serde_json::Value;
use sockscope::output::flows::conn_log;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::bin::{
    Listening, command, require_tool, sockscope, sockscope_exits, sockscope_ok, text,
};
use support::{capture, env_on, live::live_allowed, tempdir};

/// The python that has duckdb ($SOCKSCOPE_PYTHON, else python3), or `None`
/// (reason printed) when there is none and live runs are not required.
/// The python with duckdb (see [`duckdb_python`]), the committed capture
/// `name` and a scratch directory.
fn duckdb_on(name: &str) -> Option<(String, PathBuf, PathBuf)> {
    Some((duckdb_python()?, capture(name), tempdir()))
}

fn duckdb_python() -> Option<String> {
    let py = std::env::var("SOCKSCOPE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let ok = Command::new(&py)
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    assert!(
        !env_on("SOCKSCOPE_REQUIRE_LIVE"),
        "{py} with the duckdb package is required under SOCKSCOPE_REQUIRE_LIVE=1 \
         (.ci/run installs it: pip install duckdb)"
    );
    eprintln!("SKIPPED: {py} has no duckdb package (pip install duckdb)");
    None
}

/// Run `sql` in DuckDB; each result row as a JSON array.
fn duck(py: &str, sql: &str) -> Vec<Vec<Value>> {
    let script = "import duckdb, json, sys\n\
                  for r in duckdb.sql(sys.argv[1]).fetchall():\n    \
                  print(json.dumps(list(r), default=str))";
    let out = Command::new(py)
        .args(["-c", script, sql])
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{sql}\n{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The flags that write both Parquet files.
fn parquet_args<'a>(flows: &'a Path, packets: &'a Path) -> [&'a str; 7] {
    let (f, p) = (flows.to_str().unwrap(), packets.to_str().unwrap());
    [
        "--flows",
        "--format",
        "parquet",
        "-o",
        f,
        "--packets-parquet",
        p,
    ]
}

/// The columns compared between `--flows --json` and the flows file:
/// `--format zeek`'s conn.log fields that both have (not `ts`, a timestamp
/// in the file; not `service`, which the JSON leaves out), then ours.
fn fields() -> Vec<&'static str> {
    let skip = ["ts", "service"];
    conn_log::FIELDS
        .into_iter()
        .filter(|f| !conn_log::UNKNOWN.contains(f) && !skip.contains(f))
        .chain([
            "orig_state",
            "resp_state",
            "retransmissions",
            "bad_checksums",
            "end",
            "community_id",
        ])
        .collect()
}

/// `read FILE --flows --json` as rows of [`fields`].
fn json_flows(pcap: &Path) -> Vec<Vec<Value>> {
    let out = sockscope_ok(&["read", pcap.to_str().unwrap(), "--flows", "--json"]);
    text(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            fields().iter().map(|f| v[*f].clone()).collect()
        })
        .collect()
}

/// The same rows from the flows file, in the file's (uid) order.
fn parquet_flows(py: &str, file: &Path) -> Vec<Vec<Value>> {
    let cols: Vec<String> = fields().iter().map(|f| format!("\"{f}\"")).collect();
    duck(
        py,
        &format!(
            "select {} from '{}' order by ts_ns, cast(substr(uid, 2) as bigint)",
            cols.join(", "),
            file.display()
        ),
    )
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Per flow uid: packets and IP bytes in the packets file, which must add
/// up to each flow's orig+resp counters. The query is the README's ("Beyond
/// one machine", DuckDB), without its `limit`.
fn check_packets_against_flows(py: &str, flows_file: &Path, packets: &Path, flows: &[Vec<Value>]) {
    let rows = duck(
        py,
        &format!(
            "select f.uid, f.community_id, f.pcap_file, f.pcap_offset, count(*) packets, \
             sum(p.ip_len) ip_bytes from '{}' f join '{}' p on p.flow_uid = f.uid \
             group by all order by packets desc",
            flows_file.display(),
            packets.display()
        ),
    );
    let got: BTreeMap<String, (u64, u64)> = rows
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), (n(&r[4]), n(&r[5]))))
        .collect();
    let want: BTreeMap<String, (u64, u64)> = flows
        .iter()
        .map(|f| {
            (
                f[0].as_str().unwrap().to_string(),
                (n(&f[11]) + n(&f[13]), n(&f[12]) + n(&f[14])),
            )
        })
        .collect();
    assert_eq!(got, want, "packets per flow (count, ip bytes)");
}

/// The record at `offset` in the pcap file `file` (little-endian): its
/// time in ns and its captured length, read from its header.
fn record_at(file: &str, offset: u64) -> (u64, u64) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let word = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()));
    let frac = if word(0) == 0xa1b2_3c4d { 1 } else { 1000 };
    let at = offset as usize;
    (word(at) * 1_000_000_000 + word(at + 4) * frac, word(at + 8))
}

/// Every packet row's `pcap_offset` is the start of its record in one of
/// `pcaps`: the record header there gives its captured length and time.
fn check_offsets(py: &str, packets: &Path, pcaps: &[&Path]) {
    let rows = duck(
        py,
        &format!(
            "select pcap_offset, caplen, pcap_file, ts_ns from '{}' order by number",
            packets.display()
        ),
    );
    assert!(!rows.is_empty());
    let names: Vec<&str> = pcaps.iter().map(|p| p.to_str().unwrap()).collect();
    for r in &rows {
        let file = r[2].as_str().unwrap();
        assert!(names.contains(&file), "{file} is not one of {names:?}");
        let (ts, caplen) = record_at(file, n(&r[0]));
        assert_eq!(
            (ts, caplen),
            (n(&r[3]), n(&r[1])),
            "record at {file}:{}",
            r[0]
        );
    }
}

/// Every flow row points at its first packet: seeking to `pcap_offset` in
/// `pcap_file` finds a record of the flow's start time, and the packets
/// file's first row of the flow has the same pointer.
fn check_flow_pointers(py: &str, flows: &Path, packets: &Path) -> BTreeSet<String> {
    let rows = duck(
        py,
        &format!(
            "select f.uid, f.pcap_file, f.pcap_offset, f.ts_ns, p.first_file, p.first_offset from '{}' f \
             join (select flow_uid, arg_min(pcap_file, number) first_file, \
             arg_min(pcap_offset, number) first_offset from '{}' group by flow_uid) p \
             on p.flow_uid = f.uid",
            flows.display(),
            packets.display()
        ),
    );
    assert!(!rows.is_empty());
    let mut files = BTreeSet::new();
    for r in &rows {
        let file = r[1]
            .as_str()
            .unwrap_or_else(|| panic!("no pcap_file: {r:?}"));
        assert_eq!(
            (&r[1], &r[2]),
            (&r[4], &r[5]),
            "flow {} vs its first packet",
            r[0]
        );
        let (ts, _) = record_at(file, n(&r[2]));
        assert_eq!(ts, n(&r[3]), "flow {} points at {file}:{}", r[0], r[2]);
        files.insert(file.to_string());
    }
    files
}

#[test]
fn duckdb_reads_the_same_flows_and_packets_as_flows_json() {
    let Some((py, pcap, dir)) = duckdb_on("filter_ether.pcap") else {
        return;
    };
    let (flows, packets) = (dir.join("flows.parquet"), dir.join("packets.parquet"));
    let p = pcap.to_str().unwrap();
    let mut args = vec!["read", p];
    args.extend(parquet_args(&flows, &packets));
    let out = sockscope_ok(&args);
    assert!(out.stdout.is_empty(), "the flows went to the file");

    let want = json_flows(&pcap);
    let got = parquet_flows(&py, &flows);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "flow {} (columns {:?})", w[0], fields());
    }
    let protos: BTreeSet<&str> = want.iter().filter_map(|f| f[5].as_str()).collect();
    for p in ["tcp", "udp", "icmp"] {
        assert!(protos.contains(p), "the capture has {p} flows: {protos:?}");
    }
    let states: BTreeSet<&str> = want.iter().filter_map(|f| f[9].as_str()).collect();
    assert!(states.len() >= 3, "several conn_states: {states:?}");

    // One row per packet of the file, each leading back to its record, and
    // each flow's row to its first packet's.
    let total = duck(
        &py,
        &format!("select count(*) from '{}'", packets.display()),
    );
    // tcpdump's packets: the lines that start with a `-tt` time (a
    // tunnelled packet's line may go on over a second one).
    let stamped = |l: &&str| {
        l.split_once(' ').is_some_and(|(t, _)| {
            t.split_once('.').is_some_and(|(s, us)| {
                !s.is_empty() && us.len() == 6 && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            })
        })
    };
    let records = text(
        &Command::new("tcpdump")
            .args(["-n", "-tt", "-r", p])
            .output()
            .unwrap()
            .stdout,
    )
    .lines()
    .filter(stamped)
    .count() as u64;
    assert_eq!(n(&total[0][0]), records);
    check_against(&py, (&flows, &packets), &want, &pcap);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The Parquet files against `--flows --json`'s `flows` (packets and bytes
/// per flow) and against `pcap` (every pointer finds its record).
fn check_against(py: &str, (flows, packets): (&Path, &Path), want: &[Vec<Value>], pcap: &Path) {
    check_packets_against_flows(py, flows, packets, want);
    check_offsets(py, packets, &[pcap]);
    check_flow_pointers(py, flows, packets);
}

/// Several files read as one: each row points into the file its packet
/// came from.
#[test]
fn merged_inputs_point_into_each_file() {
    let Some(py) = duckdb_python() else {
        return;
    };
    let dir = tempdir();
    let (a, b) = (capture("demo_tcp.pcap"), capture("demo_udp.pcap"));
    let (flows, packets) = (dir.join("flows.parquet"), dir.join("packets.parquet"));
    let mut args = vec!["read", a.to_str().unwrap(), b.to_str().unwrap()];
    args.extend(parquet_args(&flows, &packets));
    sockscope_ok(&args);
    check_offsets(&py, &packets, &[&a, &b]);
    let files = check_flow_pointers(&py, &flows, &packets);
    let both: BTreeSet<String> = [&a, &b].iter().map(|p| p.display().to_string()).collect();
    assert_eq!(files, both, "flows of both files");
    let _ = std::fs::remove_dir_all(&dir);
}

/// How many rows the Parquet file(s) `file` (a glob too) hold.
fn count_rows(py: &str, file: &Path) -> u64 {
    n(&duck(py, &format!("select count(*) from '{}'", file.display()))[0][0])
}

/// The pcap files a rotating `-w` wrote in `dir` (names starting with
/// `prefix`), each with its own packets file holding its packets, and the
/// rows of each one's flows file.
fn rotated(py: &str, dir: &Path, prefix: &str) -> Vec<(PathBuf, u64)> {
    let mut pcaps: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    pcaps.sort();
    pcaps
        .into_iter()
        .map(|pcap| {
            let name = pcap.file_name().unwrap().to_str().unwrap().to_string();
            let records = support::pcap::read_pcap(&pcap).records.len() as u64;
            let packets = count_rows(py, &dir.join(format!("packets.{name}.parquet")));
            assert_eq!(packets, records, "{name}");
            let flows = count_rows(py, &dir.join(format!("flows.{name}.parquet")));
            (pcap, flows)
        })
        .collect()
}

/// UDP conversations (a query and its answer of 700 bytes each) started
/// every 250 ms for 10 minutes: 3.6 MB, and flows that expire on the way.
fn spread_udp_capture(path: &Path) {
    use support::frames::{Above, Eth};
    use support::pcap::{Layout, Record, write_pcap};
    let eth = Eth {
        src: [2, 0, 0, 0, 0, 1],
        dst: [2, 0, 0, 0, 0, 2],
        ttl: 64,
    };
    let body = [0x61u8; 700];
    let records = (0..2400u32).flat_map(|i| {
        let (port, us) = (10_000 + i as u16, u64::from(i) * 250_000);
        [
            (
                us,
                eth.frame("10.0.0.1", "10.0.0.2", Above::Udp(port, 53), &body),
            ),
            (
                us + 900,
                eth.frame("10.0.0.2", "10.0.0.1", Above::Udp(53, port), &body),
            ),
        ]
        .map(|(us, f)| Record {
            ts_sec: 1_700_000_000 + (us / 1_000_000) as u32,
            ts_frac: (us % 1_000_000) as u32,
            orig_len: f.len() as u32,
            data: f.into(),
        })
    });
    std::fs::write(path, write_pcap(Layout::new(1, 65535), records)).unwrap();
}

/// `-w FILE -C 1` with both Parquet outputs: each pcap file gets its own
/// flows and packets files, each complete on its own (DuckDB opens it
/// alone), the packets file holding that pcap's packets, the flows files
/// the run's flows once each; the dataset (one glob) equals `--flows --json`.
#[test]
fn rotating_write_rotates_the_parquet_files() {
    let Some(py) = duckdb_python() else {
        return;
    };
    let dir = tempdir();
    let input = dir.join("spread.pcap");
    spread_udp_capture(&input);
    let (flows, packets, out) = (
        dir.join("flows.parquet"),
        dir.join("packets.parquet"),
        dir.join("out.pcap"),
    );
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["read", i, "-w", o, "-C", "1"];
    args.extend(parquet_args(&flows, &packets));
    sockscope_ok(&args);
    let files = rotated(&py, &dir, "out.pcap");
    assert!(files.len() >= 3, "{files:?}");
    let flow_rows: u64 = files.iter().map(|f| f.1).sum();
    let with_flows = files.iter().filter(|f| f.1 > 0).count();
    assert!(with_flows >= 2, "flows spread over the files");
    let want = json_flows(&input);
    assert_eq!(flow_rows, want.len() as u64);
    assert_eq!(parquet_flows(&py, &dir.join("flows.*.parquet")), want);
    let total = count_rows(&py, &dir.join("packets.*.parquet"));
    assert_eq!(total, 4800);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `read --threads N -w FILE -C 1 -W 3 --packets-parquet` runs on the
/// workers (it kept one thread): the reader turns the pcap ring and the
/// packets file with it before each packet and its row, as one thread
/// does, so every pcap and packets file (the ring reused the first name)
/// is the bytes one thread writes; each packets file
/// holds its pcap's packets (DuckDB counts them). `-G … -W` without `-C`
/// (which stops the run at a moment of the wall clock) and a rotating
/// flows file keep one thread.
#[test]
fn rotating_ring_and_packets_file_are_the_same_on_threads() {
    use sockscope::pipeline::{OutputConfig, Rotation, parallel::supported};
    let Some(py) = duckdb_python() else {
        return;
    };
    let dir = tempdir();
    let input = dir.join("spread.pcap");
    spread_udp_capture(&input);
    let i = input.to_str().unwrap();
    let run = |threads: &str| {
        let out = dir.join(format!("t{threads}"));
        std::fs::create_dir_all(&out).unwrap();
        let (pcap, packets) = (out.join("out.pcap"), out.join("packets.parquet"));
        let (w, p) = (pcap.to_str().unwrap(), packets.to_str().unwrap());
        let args = [
            "read",
            i,
            "--threads",
            threads,
            "-w",
            w,
            "-C",
            "1",
            "-W",
            "3",
        ];
        let o = sockscope_ok(&[&args[..], &["--packets-parquet", p, "-v", "udp"]].concat());
        (o.stdout, support::files_in(&out), out)
    };
    let one = run("1");
    let names: Vec<&str> = one.1.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "out.pcap0",
            "out.pcap1",
            "out.pcap2",
            "packets.out.pcap0.parquet",
            "packets.out.pcap1.parquet",
            "packets.out.pcap2.parquet"
        ]
    );
    let mut rows = 0;
    for n in ["out.pcap0", "out.pcap1", "out.pcap2"] {
        let records = support::pcap::read_pcap(&one.2.join(n)).records.len() as u64;
        let packets = count_rows(&py, &one.2.join(format!("packets.{n}.parquet")));
        assert_eq!(packets, records, "{n}");
        rows += packets;
    }
    // The ring's first file was written over by the fourth.
    assert!(rows > 2000 && rows < 4800, "{rows}");
    for threads in ["2", "3"] {
        let got = run(threads);
        assert!(got.0 == one.0, "stdout on {threads} threads");
        assert_eq!(got.1.len(), one.1.len());
        for (g, w) in got.1.iter().zip(&one.1) {
            assert!(
                g == w,
                "{} on {threads} threads differs from one thread's",
                w.0
            );
        }
    }
    let ring = OutputConfig {
        write: Some("out.pcap".into()),
        rotate: Some(Rotation {
            size: Some(1 << 20),
            seconds: None,
            files: Some(3),
        }),
        packets_parquet: Some("p.parquet".into()),
        ..OutputConfig::default()
    };
    assert!(supported(&ring));
    let timed = OutputConfig {
        rotate: Some(Rotation {
            size: None,
            seconds: Some(60),
            files: Some(3),
        }),
        ..ring.clone()
    };
    assert!(!supported(&timed));
    let flows_file = OutputConfig {
        flows: true,
        flows_parquet: Some("f.parquet".into()),
        ..ring
    };
    assert!(!supported(&flows_file));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn community_ids_equal_tsharks_on_a_capture() {
    if !require_tool("tshark") {
        return;
    }
    let pcap = capture("filter_ether.pcap");
    let out = Command::new("tshark")
        .arg("-r")
        .arg(&pcap)
        .args("--enable-protocol communityid -T fields -e communityid".split(' '))
        // Packets we put in no TCP/UDP flow: IPv4 fragments (tshark
        // reassembles them; we cannot trust ports there) and a TCP header
        // the snap length cut (tshark still reads its ports).
        .args([
            "-Y",
            "(tcp.hdr_len or udp or icmp or icmpv6) and not ip.frag_offset > 0 \
             and not ip.flags.mf == 1 and not geneve.version != 0",
        ])
        .output()
        .expect("tshark runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let theirs: BTreeSet<String> = text(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let flows = json_flows(&pcap);
    let ours: BTreeSet<String> = flows
        .iter()
        .filter(|f| matches!(f[5].as_str(), Some("tcp" | "udp" | "icmp")))
        .filter_map(|f| f[20].as_str().map(str::to_string))
        .collect();
    assert!(ours.len() >= 10, "{ours:?}");
    // One flow tshark gives no ID: a neighbour solicitation whose body is
    // too short for it (it stops at "Malformed Packet"); we still know its
    // type, 135, which the spec maps to ports (135, 136).
    let ns = flows
        .iter()
        .find(|f| f[1] == "fe80::1" && f[3] == "ff02::fb" && f[2] == 135)
        .expect("the neighbour solicitation flow");
    let ns_id = ns[20].as_str().unwrap().to_string();
    // And a Geneve header of version 1: tcpdump does not decode what it
    // carries, so our flow is the outer datagram's (tshark reads on and
    // gives the inner TCP segment's ID; left out of its list above).
    let geneve = flows
        .iter()
        .find(|f| f[1] == "10.0.0.1" && f[2] == 40056 && f[4] == 6081)
        .expect("the Geneve version 1 flow");
    let mut expected = theirs.clone();
    expected.insert(ns_id);
    expected.insert(geneve[20].as_str().unwrap().to_string());
    assert_eq!(ours, expected);
}

/// A live capture on `lo` of TCP and UDP exchanges on `threads` threads,
/// ended by `sig`: both Parquet files are complete (DuckDB opens them) and
/// hold what `read --flows --json` finds in the pcap the same capture wrote.
fn live_capture_ended_by(sig: libc::c_int, threads: &str) {
    let Some(py) = duckdb_python() else {
        return;
    };
    if !live_allowed() {
        return;
    }
    let dir = tempdir();
    let (flows, packets, pcap) = (
        dir.join("flows.parquet"),
        dir.join("packets.parquet"),
        dir.join("live.pcap"),
    );
    let udp_rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let tcp_l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (up, tp) = (
        udp_rx.local_addr().unwrap().port(),
        tcp_l.local_addr().unwrap().port(),
    );
    let filter = format!("udp port {up} or tcp port {tp}");
    let mut args = vec!["capture", "-i", "lo", "--threads", threads];
    args.extend(["-w", pcap.to_str().unwrap()]);
    args.extend(parquet_args(&flows, &packets));
    let mut cmd = command(&args);
    cmd.args(filter.split(' '));
    let cap = Listening::start(cmd);
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut buf = [0u8; 64];
    for i in 0..5u8 {
        tx.send_to(&[i; 20], ("127.0.0.1", up)).unwrap();
        udp_rx.recv(&mut buf).unwrap();
    }
    for _ in 0..2 {
        use std::io::{Read, Write};
        let mut c = std::net::TcpStream::connect(("127.0.0.1", tp)).unwrap();
        let (mut s, _) = tcp_l.accept().unwrap();
        c.write_all(b"hello parquet").unwrap();
        let mut got = [0u8; 13];
        s.read_exact(&mut got).unwrap();
        s.write_all(b"bye").unwrap();
        drop(c);
        drop(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    cap.stop_ok(sig);

    let want = json_flows(&pcap);
    assert_eq!(want.len(), 3, "one UDP and two TCP flows: {want:?}");
    let got = parquet_flows(&py, &flows);
    assert_eq!(got, want);
    let total = duck(
        &py,
        &format!("select count(*) from '{}'", packets.display()),
    );
    let records = json_packet_count(&pcap);
    assert_eq!(n(&total[0][0]), records);
    // The rows point into the file the capture wrote.
    check_against(&py, (&flows, &packets), &want, &pcap);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `capture -G 1` with both Parquet outputs: every pcap file it writes
/// gets its own packets file (that file's packets) and flows file, each
/// complete; the flows across files are the flows of all the pcap files.
#[test]
fn live_capture_rotates_the_parquet_files() {
    capture_rotating_parquet("1", libc::SIGINT);
}

/// The same with `--threads 2` (the serial pipeline on the merger turns
/// the files as one thread does), ended by SIGINT and by SIGTERM: the
/// files open at the signal are complete too.
#[test]
fn live_capture_on_two_threads_rotates_the_parquet_files() {
    capture_rotating_parquet("2", libc::SIGINT);
    capture_rotating_parquet("2", libc::SIGTERM);
}

/// [`live_capture_rotates_the_parquet_files`] on `threads` threads, ended
/// by `sig`.
fn capture_rotating_parquet(threads: &str, sig: libc::c_int) {
    let Some(py) = duckdb_python() else {
        return;
    };
    if !live_allowed() {
        return;
    }
    let dir = tempdir();
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port().to_string();
    let (flows, packets) = (dir.join("flows.parquet"), dir.join("packets.parquet"));
    let pattern = dir.join("cap-%s.pcap");
    let mut args = vec![
        "capture",
        "-i",
        "lo",
        "--keep-root",
        "--threads",
        threads,
        "-G",
        "1",
        "-w",
        pattern.to_str().unwrap(),
    ];
    args.extend(parquet_args(&flows, &packets));
    args.extend(["udp", "port", &port]);
    let cap = Listening::start(command(&args));
    // A new socket, a new flow, every 100 ms over three seconds. The
    // sockets stay open to the end: a closed one's port can be handed out
    // again, and two sockets on one port are one flow (CI once saw 29).
    let mut senders = Vec::new();
    for i in 0..30u8 {
        let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        tx.send_to(&[i; 20], rx.local_addr().unwrap()).unwrap();
        senders.push(tx);
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    cap.stop_ok(sig);
    let files = rotated(&py, &dir, "cap-");
    assert!(files.len() >= 2, "{files:?}");
    let flow_rows: u64 = files.iter().map(|f| f.1).sum();
    let mut all = vec!["read"];
    all.extend(files.iter().map(|f| f.0.to_str().unwrap()));
    all.extend(["--flows", "--json"]);
    let want = text(&sockscope_ok(&all).stdout).lines().count() as u64;
    assert_eq!(flow_rows, want);
    let packet_rows = count_rows(&py, &dir.join("packets.*.parquet"));
    assert_eq!(packet_rows, 30, "one datagram each");
    assert_eq!(want, 30, "one flow per socket");
    drop(senders);
    let _ = std::fs::remove_dir_all(&dir);
}

/// How many packets `read` finds in `pcap`.
fn json_packet_count(pcap: &Path) -> u64 {
    let out = sockscope_ok(&["read", pcap.to_str().unwrap(), "--json"]);
    text(&out.stdout).lines().count() as u64
}

#[test]
fn live_parquet_files_are_complete_after_sigint() {
    live_capture_ended_by(libc::SIGINT, "1");
}

#[test]
fn live_parquet_files_are_complete_after_sigterm() {
    live_capture_ended_by(libc::SIGTERM, "1");
}

/// `capture --threads 2`: the merger writes the rows the workers hand over
/// and the flows file from the shards' merged report.
#[test]
fn live_parquet_files_of_two_threads_are_complete_after_sigint_and_sigterm() {
    live_capture_ended_by(libc::SIGINT, "2");
    live_capture_ended_by(libc::SIGTERM, "2");
}

/// The `service` column holds what the flow table shows beside the
/// transport (`tcp/http`): per proto/service pair, as many flows.
#[test]
fn service_column_matches_the_flow_table() {
    let Some((py, pcap, dir)) = duckdb_on("dissect_text.pcap") else {
        return;
    };
    let flows = dir.join("flows.parquet");
    let p = pcap.to_str().unwrap();
    sockscope_ok(&[
        "read",
        p,
        "--flows",
        "--format",
        "parquet",
        "-o",
        flows.to_str().unwrap(),
    ]);
    let rows = duck(
        &py,
        &format!(
            "select proto || '/' || service, count(*) from '{}' where service is not null \
             group by all",
            flows.display()
        ),
    );
    let got: BTreeMap<String, u64> = rows
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), n(&r[1])))
        .collect();
    let table = sockscope(&["read", p, "--flows", "--wide", "-q"]);
    assert!(table.status.success(), "{}", text(&table.stderr));
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for word in text(&table.stdout).split_whitespace() {
        if let Some((proto, service)) = word.split_once('/')
            && ["tcp", "udp"].contains(&proto)
            && !service.is_empty()
        {
            *want.entry(word.to_string()).or_default() += 1;
        }
    }
    assert!(want.contains_key("tcp/http"), "the table: {want:?}");
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--format parquet` needs `-o FILE`, `-o` needs `--format parquet`, and
/// `--json` goes with no `--format` but json (term16's rule): usage errors.
#[test]
fn parquet_flag_rules() {
    let pcap = capture("dissect_text.pcap");
    let p = pcap.to_str().unwrap();
    for args in [
        &["--flows", "--format", "parquet"][..],
        &["--flows", "--format", "csv", "-o", "/dev/null"],
        &[
            "--flows",
            "--json",
            "--format",
            "parquet",
            "-o",
            "/dev/null",
        ],
    ] {
        let out = sockscope_exits(&["read", p], args, 2);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
