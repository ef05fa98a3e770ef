//! `capture --threads 2`: two rings in one PACKET_FANOUT group, on a veth
//! pair between two network namespaces the test makes. Several senders
//! (four source addresses, four sockets each: sixteen flows, so the flow
//! hash spreads them over both rings) send known numbers of datagrams;
//! every packet must be seen exactly once, by both rings together, as
//! tcpdump sees them at the same time, and the merged `-w` file must hold
//! each packet once in time order; what a line owes to the lines before it
//! from the other ring (`-#`, `--time delta|rel`, `--json`) and `-c` with
//! `--flows` come out as one pipeline prints them over the same packets.
//! SIGUSR1 prints the counters summed over the rings while the capture
//! goes on.

mod support;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, UdpSocket};
use std::process::Command;
use std::time::Duration;
use support::bin::{BIN, Listening, require_tool, text};
use support::live::live_allowed;
use support::netns::Netns;
use support::tempdir;

/// Source addresses and sockets per address: 16 flows.
const ADDRS: u8 = 4;
const SOCKETS: u16 = 4;
/// Datagrams per socket; datagram k carries 10 + k bytes, so a line's
/// (source, length) names one datagram.
const PER_SOCKET: usize = 40;
const TOTAL: usize = ADDRS as usize * SOCKETS as usize * PER_SOCKET;
const DST: &str = "10.77.0.2";
const PORT: u16 = 9999;

/// Two namespaces joined by the veth pair `fo0` (in `a`, 10.77.0.1 and the
/// senders' 10.77.0.10+) – `fo1` (in `b`, 10.77.0.2); `None` when this
/// machine cannot make them (reason printed).
fn veth_between_namespaces() -> Option<(Netns, Netns)> {
    veth_between_namespaces_named("sockscope-live")
}

/// [`veth_between_namespaces`], the namespaces' names starting with `prefix`.
fn veth_between_namespaces_named(prefix: &str) -> Option<(Netns, Netns)> {
    if !live_allowed() {
        return None;
    }
    let a = Netns::create_named_or_skip(prefix)?;
    let b = Netns::create_named_or_skip(prefix)?;
    let ok = |ns: &Netns, args: &[&str]| {
        let st = ns.exec(args).status();
        assert!(st.is_ok_and(|s| s.success()), "{args:?} in {}", ns.0);
    };
    let made = a
        .exec(&[
            "ip", "link", "add", "fo0", "type", "veth", "peer", "name", "fo1", "netns", &b.0,
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("SKIPPED: cannot create a veth pair");
        return None;
    }
    ok(&a, &["ip", "addr", "add", "10.77.0.1/24", "dev", "fo0"]);
    for i in 0..ADDRS {
        let addr = format!("10.77.0.{}/24", 10 + i);
        ok(&a, &["ip", "addr", "add", &addr, "dev", "fo0"]);
    }
    ok(&a, &["ip", "link", "set", "fo0", "up"]);
    ok(&b, &["ip", "addr", "add", "10.77.0.2/24", "dev", "fo1"]);
    ok(&b, &["ip", "link", "set", "fo1", "up"]);
    Some((a, b))
}

/// Send every datagram from the namespace `a`: one thread per source
/// address, its sockets taking turns. Returns how many were sent.
fn send_all(a: &Netns) -> usize {
    a.run(|| {
        // One datagram to another port first: the neighbour entry for the
        // destination is resolved before the counted ones go out (packets
        // waiting for ARP may be dropped).
        let warm = UdpSocket::bind("10.77.0.1:0").unwrap();
        warm.send_to(b"warm", (DST, 9)).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        std::thread::scope(|s| {
            let senders: Vec<_> = (0..ADDRS)
                .map(|i| {
                    s.spawn(move || {
                        let socks: Vec<UdpSocket> = (0..SOCKETS)
                            .map(|_| {
                                UdpSocket::bind((Ipv4Addr::new(10, 77, 0, 10 + i), 0)).unwrap()
                            })
                            .collect();
                        let mut sent = 0;
                        for k in 0..PER_SOCKET {
                            for sock in &socks {
                                sock.send_to(&vec![0x5a; 10 + k], (DST, PORT)).unwrap();
                                sent += 1;
                            }
                            if k % 8 == 0 {
                                std::thread::sleep(Duration::from_millis(2));
                            }
                        }
                        sent
                    })
                })
                .collect();
            senders.into_iter().map(|h| h.join().unwrap()).sum()
        })
    })
}

/// `capture -i fo0 --threads 2 -B 4096 EXTRA udp dst port 9999` in `a`,
/// once it listens.
fn two_rings(a: &Netns, extra: &[&str]) -> Listening {
    let mut args = vec![BIN, "capture", "-i", "fo0", "--threads", "2", "-B", "4096"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["udp", "dst", "port", "9999"]);
    Listening::start(a.exec(&args))
}

/// The number before `what` in a counter line ("800 packets captured").
fn counter(stderr: &str, what: &str) -> u64 {
    counters(stderr, what)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no '{what}' line in:\n{stderr}"))
}

/// The numbers before `what` in every counter line that ends so, in order.
/// A count of one has the singular noun, as tcpdump prints it ("1 packet
/// dropped by kernel").
fn counters(stderr: &str, what: &str) -> Vec<u64> {
    let one = what.replacen("packets", "packet", 1);
    stderr
        .lines()
        .filter(|l| (l.ends_with(what) || l.ends_with(&one)) && !l.starts_with("ring"))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect()
}

/// Each ring's "N packets captured" from the `ring I: …` lines.
fn ring_counts(stderr: &str) -> Vec<u64> {
    stderr
        .lines()
        .filter(|l| l.starts_with("ring "))
        .map(|l| {
            let n = l.split(": ").nth(1).and_then(|r| r.split(' ').next());
            n.and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("bad ring line {l:?}"))
        })
        .collect()
}

/// How many packets a run said it wrote out of time order (0 when it
/// said nothing).
fn late_count(err: &str) -> u64 {
    err.lines()
        .find_map(|l| l.split_once(" written out of time order"))
        .and_then(|(n, _)| n.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Packet lines printed with `-tt` (by sockscope or tcpdump): every one a
/// datagram of ours, `want` different ones, each once, and the time going
/// back at most `late` times (the packets the run said it wrote out of
/// order; `None`: not checked, for tcpdump's own file, whose one ring may
/// itself hold packets from several CPUs slightly out of order).
fn assert_each_once_in_time_order(lines: &str, want: usize, who: &str, late: Option<u64>) {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut last = 0.0f64;
    let mut went_back = 0u64;
    for l in lines.lines() {
        let words: Vec<&str> = l.split_whitespace().collect();
        let (Some(ts), Some(src), Some(len)) = (words.first(), words.get(2), words.last()) else {
            panic!("{who}: odd line {l:?}");
        };
        let ts: f64 = ts
            .parse()
            .unwrap_or_else(|_| panic!("{who}: time in {l:?}"));
        if ts < last {
            went_back += 1;
            assert!(
                late.is_none_or(|n| went_back <= n),
                "{who}: time went back at {l:?} ({went_back} times; said {late:?})"
            );
        }
        last = last.max(ts);
        assert!(l.contains(&format!("> {DST}.{PORT}:")), "{who}: {l:?}");
        *seen.entry((src.to_string(), len.to_string())).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{who}: seen more than once: {twice:?}");
    assert_eq!(seen.len(), want, "{who}: every datagram once");
}

#[test]
fn two_rings_see_every_packet_once_as_tcpdump_does_and_the_merged_file_is_in_time_order() {
    let Some((a, _b)) = veth_between_namespaces() else {
        return;
    };
    let have_tcpdump = require_tool("tcpdump");
    let dir = tempdir();
    let merged = dir.join("fanout-merged.pcap");
    // With `-C` the merger hands each packet to the file's pipeline (it
    // decides when to turn) instead of writing the workers' records as
    // they are: the other path of the merge.
    let rotating = dir.join("fanout-rotating.pcap");
    let theirs = dir.join("fanout-tcpdump.pcap");
    let filter = ["udp", "dst", "port", "9999"];
    let lines = two_rings(&a, &["-tt", "-n"]);
    let writer = two_rings(&a, &["-w", merged.to_str().unwrap()]);
    let rotator = two_rings(
        &a,
        &["-w", rotating.to_str().unwrap(), "-C", "1", "--keep-root"],
    );
    let td = have_tcpdump.then(|| {
        // Immediate mode: at SIGINT tcpdump does not read what is left in
        // its ring (sockscope does), so it must have read it already.
        let mut args = vec![
            "tcpdump",
            "-n",
            "--immediate-mode",
            "-B",
            "4096",
            "-i",
            "fo0",
            "-w",
            theirs.to_str().unwrap(),
        ];
        args.extend_from_slice(&filter);
        Listening::start(a.exec(&args))
    });

    assert_eq!(send_all(&a), TOTAL);
    std::thread::sleep(Duration::from_millis(500));

    let mut runs = vec![("lines", lines), ("-w", writer), ("-C", rotator)];
    if let Some(td) = td {
        runs.push(("tcpdump", td));
    }
    let mut stderrs = BTreeMap::new();
    let mut stdout_lines = String::new();
    for (who, run) in runs {
        let (out, err) = run.stop_ok(libc::SIGINT);
        if who == "lines" {
            stdout_lines = text(&out);
        }
        stderrs.insert(who, err);
    }
    for who in ["lines", "-w", "-C"] {
        let err = &stderrs[who];
        eprintln!("sockscope --threads 2 ({who}):\n{err}");
        assert_eq!(
            counter(err, "packets captured"),
            TOTAL as u64,
            "{who}: {err}"
        );
        assert_eq!(counter(err, "packets dropped by kernel"), 0, "{who}: {err}");
        let rings = ring_counts(err);
        assert_eq!(rings.len(), 2, "{who}: {err}");
        assert_eq!(rings.iter().sum::<u64>(), TOTAL as u64, "{who}: {err}");
        assert!(
            rings.iter().all(|&n| n > 0),
            "{who}: both rings got packets: {err}"
        );
    }
    // A packet the window could not place is written late and counted:
    // the lines and the file go back in time at most that often.
    let late = |who: &str| Some(late_count(&stderrs[who]));
    assert_each_once_in_time_order(&stdout_lines, TOTAL, "sockscope lines", late("lines"));
    if let Some(err) = stderrs.get("tcpdump") {
        eprintln!("tcpdump:\n{err}");
        // The kernel handed tcpdump's socket the same packets as our two
        // rings together; what tcpdump kept of them is up to its buffer
        // (on a loaded machine it may drop some, and says so).
        let received = counter(err, "packets received by filter");
        assert_eq!(received, TOTAL as u64, "tcpdump: {err}");
        let captured = counter(err, "packets captured");
        let dropped = counter(err, "packets dropped by kernel");
        assert_eq!(captured + dropped, received, "tcpdump: {err}");
        let lines = tt_lines(&theirs);
        assert_each_once_in_time_order(&lines, captured as usize, "tcpdump's file", None);
    }
    if have_tcpdump {
        let lines = tt_lines(&merged);
        assert_each_once_in_time_order(&lines, TOTAL, "merged -w read by tcpdump -r", late("-w"));
        let lines = tt_lines(&rotating);
        assert_each_once_in_time_order(
            &lines,
            TOTAL,
            "merged -w -C read by tcpdump -r",
            late("-C"),
        );
    }
}

/// `tcpdump -n -tt -r FILE`'s lines.
fn tt_lines(file: &std::path::Path) -> String {
    let out = Command::new("tcpdump")
        .args(["-n", "-tt", "-r"])
        .arg(file)
        .output()
        .expect("tcpdump runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn count_split_and_unsupported_flags_with_threads() {
    let Some((a, _b)) = veth_between_namespaces() else {
        return;
    };
    let dir = tempdir();
    let split = dir.join("fanout-split.pcap");
    let counted = two_rings(&a, &["-c", "100", "-q"]);
    let flows = two_rings(&a, &["--flows", "--format", "csv"]);
    let splitting = two_rings(&a, &["--split", "-w", split.to_str().unwrap()]);
    assert_eq!(send_all(&a), TOTAL);
    std::thread::sleep(Duration::from_millis(500));

    let (code, _, err) = counted.finish();
    assert_eq!(code, 0, "{err}");
    assert_eq!(counter(&err, "packets captured"), 100, "-c 100: {err}");

    // The flow table the two workers' shards merge into: every flow
    // once, with all its datagrams, numbered C1 … C16 in time order.
    let (out, _) = flows.stop_ok(libc::SIGINT);
    let table = text(&out);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 16, "{table}");
    let mut last_ts = 0.0f64;
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.first(), Some(&format!("C{}", i + 1).as_str()), "{table}");
        assert_eq!(
            (r.get(1), r.get(4), r.get(5)),
            (Some(&"udp"), Some(&DST), Some(&"9999"))
        );
        assert_eq!(r.get(8), Some(&PER_SOCKET.to_string().as_str()), "{table}");
        let ts: f64 = r.get(6).and_then(|t| t.parse().ok()).unwrap();
        assert!(ts >= last_ts, "flows in creation order: {table}");
        last_ts = ts;
    }

    let (_, err) = splitting.stop_ok(libc::SIGINT);
    let rings = ring_counts(&err);
    let mut in_files = 0;
    for (i, n) in rings.iter().enumerate() {
        let file = dir.join(format!("fanout-split.{i}.pcap"));
        let records = support::pcap::parse_pcap(&std::fs::read(&file).unwrap()).records;
        assert_eq!(records.len() as u64, *n, "{}: {err}", file.display());
        in_files += records.len();
    }
    assert_eq!(in_files, TOTAL, "--split: {err}");

    for (flags, want) in [
        (
            &["-c", "5", "--flows", "--split", "-w", "x.pcap"][..],
            "-c with --flows/--timeline counts packets in time order",
        ),
        (
            &["--packets-parquet", "p.parquet", "--split", "-w", "x.pcap"][..],
            "--split with Parquet output",
        ),
        (&["--split"][..], "required arguments were not provided"),
    ] {
        let mut args = vec!["capture", "-i", "fo0", "--threads", "2"];
        args.extend_from_slice(flags);
        let out = Command::new(BIN).args(&args).output().unwrap();
        let err = text(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{flags:?}: {err}");
        assert!(err.contains(want), "{flags:?}: want {want:?} in {err}");
    }
}

/// What a line owes to the lines before it from every ring (`-#`, `--time
/// delta|rel`, `--json`'s packet number) and `-c` with `--flows` (the
/// first N packets in time order): `--threads 2` prints what one pipeline
/// prints over the same packets in time order, here `read` of the merged
/// `-w` file a capture made at the same time (same rings, same order).
///
/// Each capture merges on its own: one that had to write a packet out of
/// order (it says so) prints a different order from the file's. That takes
/// a stall of the machine (a vCPU held between the kernel's timestamp and
/// the ring, or a worker starved past the window), so such an attempt is
/// run again, up to [`ATTEMPTS`] times; any other difference fails at once.
#[test]
fn lines_numbered_and_timed_across_rings_and_count_with_flows_match_one_pipeline() {
    let Some((a, _b)) = veth_between_namespaces() else {
        return;
    };
    until_in_time_order(|| lines_match_read_of_the_merged_file(&a));
}

/// Attempts of a comparison that a stalled machine spoils (see above).
const ATTEMPTS: usize = 3;

/// Run `attempt` until it is not spoilt by packets written out of time
/// order (its `Err`), at most [`ATTEMPTS`] times; panics when every one was.
fn until_in_time_order(attempt: impl Fn() -> Result<(), String>) {
    let mut stalls = Vec::new();
    for n in 1..=ATTEMPTS {
        match attempt() {
            Ok(()) => return,
            Err(late) => {
                eprintln!("attempt {n}: {late}");
                stalls.push(late);
            }
        }
    }
    panic!("every attempt wrote packets out of time order: {stalls:#?}");
}

/// One attempt of the test above: `Err` (what the run said) when a capture
/// wrote packets out of time order; any other failure panics.
fn lines_match_read_of_the_merged_file(a: &Netns) -> Result<(), String> {
    let dir = tempdir();
    let merged = dir.join("fanout-heads.pcap");
    let merged_s = merged.to_str().unwrap();
    let writer = two_rings(a, &["-w", merged_s]);
    let cases: [&[&str]; 5] = [
        &["-n", "-#"],
        &["-n", "--time", "delta"],
        &["-n", "--time", "rel", "-#", "-v"],
        &["-n", "--json"],
        &["-n", "-c", "100", "--flows", "--format", "csv"],
    ];
    let runs: Vec<Listening> = cases.iter().map(|flags| two_rings(a, flags)).collect();
    assert_eq!(send_all(a), TOTAL);
    std::thread::sleep(Duration::from_millis(500));

    let (_, err) = writer.stop_ok(libc::SIGINT);
    assert_eq!(counter(&err, "packets captured"), TOTAL as u64, "-w: {err}");
    let mut late = Vec::new();
    if late_count(&err) > 0 {
        late.push(format!("-w: {err}"));
    }
    let mut outputs = Vec::new();
    for (flags, run) in cases.iter().zip(runs) {
        let (out, err) = run.stop_ok(libc::SIGINT);
        if late_count(&err) > 0 {
            late.push(format!("{flags:?}: {err}"));
        }
        outputs.push((flags, text(&out)));
    }
    if !late.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(late.join("\n"));
    }
    for (flags, got) in outputs {
        let mut args = vec!["read", merged_s];
        args.extend_from_slice(flags);
        let want = text(&support::bin::sockscope_ok(&args).stdout);
        let lines = got.lines().count();
        // The flow table of the first 100 packets has a header and a row
        // per flow among them: at least one sender's sockets, though not
        // always all 16 flows (a sender thread that starts late on a
        // loaded machine leaves the first 100 to the others). Every other
        // case prints a line or more per packet.
        let fewest = if flags.contains(&"--flows") {
            1 + SOCKETS as usize
        } else {
            16
        };
        assert!(lines >= fewest, "{flags:?}: {lines} lines:\n{got}");
        assert!(
            got == want,
            "{flags:?}: --threads 2 live differs from read of the merged file\n\
             live:\n{got}\nread:\n{want}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// SIGUSR1 with two rings prints tcpdump's three counters, summed over the
/// rings, and the capture goes on (as one thread does); the final counters
/// follow at the end.
#[test]
fn sigusr1_prints_the_counters_of_every_ring_and_the_capture_goes_on() {
    let Some((a, _b)) = veth_between_namespaces() else {
        return;
    };
    let mut cap = two_rings(&a, &["-q"]);
    assert_eq!(send_all(&a), TOTAL);
    std::thread::sleep(Duration::from_millis(500));
    cap.signal(libc::SIGUSR1);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        cap.child.try_wait().unwrap().is_none(),
        "SIGUSR1 ended the capture"
    );
    let (_, err) = cap.stop_ok(libc::SIGINT);
    // Every packet was merged and written (here: counted) well before the
    // signal, so both blocks say all of them.
    let total = TOTAL as u64;
    assert_eq!(counters(&err, "packets captured"), [total, total], "{err}");
    assert_eq!(
        counters(&err, "packets received by filter"),
        [total, total],
        "{err}"
    );
    assert_eq!(counters(&err, "packets dropped by kernel"), [0, 0], "{err}");
    // Each ring's share only at the end, after the final counters.
    let rings: Vec<bool> = err.lines().map(|l| l.starts_with("ring ")).collect();
    assert_eq!(rings.iter().filter(|r| **r).count(), 2, "{err}");
    assert!(
        rings.ends_with(&[true, true]),
        "ring lines at the end: {err}"
    );
}

/// The Parquet outputs of `--threads 2` (the workers hand each packet's
/// flow view over, the merger writes the rows as the packets go out and
/// points them into the merged `-w` file; the shards' reports merge into
/// the flows file) are the bytes `read` writes of that merged file, one
/// pipeline over the same packets in the same order: the packets file, and
/// the flows file with its Zeek names, Community IDs and pointers. Ended
/// by SIGTERM, as by SIGINT. `-c` with Parquet runs the serial pipeline,
/// and gives the same bytes too. An attempt in which a capture wrote a
/// packet out of time order (a stalled machine, see above) is run again.
#[cfg(feature = "parquet")]
#[test]
fn parquet_files_from_two_rings_are_one_pipelines_over_the_merged_file() {
    let Some((a, _b)) = veth_between_namespaces_named("par18g") else {
        return;
    };
    until_in_time_order(|| parquet_files_match_reads_of_the_merged_files(&a));
}

/// One attempt of the test above: `Err` when a capture wrote packets out of
/// time order.
#[cfg(feature = "parquet")]
fn parquet_files_match_reads_of_the_merged_files(a: &Netns) -> Result<(), String> {
    let dir = tempdir();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let parquet = |run: &str| {
        [
            "--packets-parquet".to_string(),
            path(&format!("{run}-packets.parquet")),
            "--flows".into(),
            "--format".into(),
            "parquet".into(),
            "-o".into(),
            path(&format!("{run}-flows.parquet")),
        ]
    };
    let runs: Vec<(&str, Vec<String>, i32)> = vec![
        ("all", vec![], libc::SIGTERM),
        ("counted", vec!["-c".into(), "100".into()], libc::SIGINT),
    ];
    let started: Vec<Listening> = runs
        .iter()
        .map(|(run, extra, _)| {
            let mut flags = vec!["-w".to_string(), path(&format!("{run}.pcap"))];
            flags.extend(parquet(run));
            flags.extend(extra.iter().cloned());
            two_rings(a, &flags.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .collect();
    assert_eq!(send_all(a), TOTAL);
    std::thread::sleep(Duration::from_millis(500));
    let mut ended = Vec::new();
    for ((_, _, sig), cap) in runs.iter().zip(started) {
        ended.push(cap.stop_ok(*sig).1);
    }
    let late: Vec<String> = (runs.iter().zip(&ended))
        .filter(|(_, err)| late_count(err) > 0)
        .map(|((run, _, _), err)| format!("{run}: {err}"))
        .collect();
    if !late.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(late.join("\n"));
    }
    for ((run, extra, _), err) in runs.iter().zip(&ended) {
        let want = if extra.is_empty() { TOTAL } else { 100 };
        assert_eq!(
            counter(err, "packets captured"),
            want as u64,
            "{run}: {err}"
        );
        let pcap = path(&format!("{run}.pcap"));
        let mut args = vec!["read".to_string(), pcap];
        args.extend(parquet(&format!("{run}-read")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        support::bin::sockscope_ok(&args);
        for file in ["packets", "flows"] {
            let got = std::fs::read(path(&format!("{run}-{file}.parquet"))).unwrap();
            let want = std::fs::read(path(&format!("{run}-read-{file}.parquet"))).unwrap();
            assert!(
                got.starts_with(b"PAR1") && got.ends_with(b"PAR1"),
                "{run} {file}"
            );
            assert!(
                got == want,
                "{run}: the {file} file of --threads 2 differs from read's of its -w file"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
