//! tcpdump's operational flags (issue 16, part A), each checked against
//! what Debian's tcpdump does on the same traffic where tcpdump has the
//! flag: `-l`, `-C`/`-G`/`-W` (names, sizes, every packet once), `-Q`,
//! `-F`, `-i N` and the default interface, `-L`/`-y`, `-c 0`, the top-level
//! `-r`/`-i`, the hints for flags we do not take, and the running count of
//! `capture -w` on a terminal. Live tests need CAP_NET_RAW (skip without
//! it, fail under SOCKSCOPE_REQUIRE_LIVE=1); tcpdump comparisons need
//! tcpdump (skip without it unless SOCKSCOPE_REQUIRE_TOOLS=1).

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::bin::{BIN, Listening, command, require_tool, signal, sockscope, text};
use support::live::live_allowed;
use support::netns::Netns;
use support::{open_tempdir, temp_file, tempdir};

/// What a test comparing with tcpdump on live traffic starts from: `None`
/// (reason printed) without CAP_NET_RAW or tcpdump; else a directory anyone
/// may write into, a UDP port of its own (its socket kept so nobody else
/// takes it) and the filter for that port.
struct Live {
    dir: PathBuf,
    _keep: UdpSocket,
    port: u16,
    filter: String,
}

fn live_with_tcpdump() -> Option<Live> {
    if !live_allowed() || !require_tool("tcpdump") {
        return None;
    }
    let (keep, port) = udp_port();
    Some(Live {
        dir: open_tempdir(),
        _keep: keep,
        port,
        filter: format!("udp port {port}"),
    })
}

/// A free UDP port on lo, with its socket kept so nobody else takes it.
fn udp_port() -> (UdpSocket, u16) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = s.local_addr().unwrap().port();
    (s, port)
}

/// `n` datagrams to `port`, each starting with its number (`id:000042:`)
/// and padded to `len` bytes, `pause` after every 100.
fn send_numbered(port: u16, n: usize, len: usize, pause: Duration) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..n {
        let mut msg = format!("id:{i:06}:").into_bytes();
        msg.resize(len, b'x');
        s.send_to(&msg, ("127.0.0.1", port)).unwrap();
        if i % 100 == 99 {
            std::thread::sleep(pause);
        }
    }
}

/// tcpdump started with `args`, once it says it listens. In immediate
/// mode and packet-buffered (-U): packets still in a ring block that has
/// not retired, or in its write buffer, are lost when it is stopped; give
/// it [`SETTLE`] after the traffic before stopping it. Immediate mode makes
/// libpcap use a TPACKET_V2 ring of snap-length frames: with the default
/// 262144 bytes only 8 fit in its 2 MiB and bursts are dropped, hence -s.
fn tcpdump(args: &[&str]) -> Child {
    tcpdump_in(None, "lo", args)
}

/// [`tcpdump`] on `iface`, inside `ns` when given.
fn tcpdump_in(ns: Option<&Netns>, iface: &str, args: &[&str]) -> Child {
    let head = [
        "tcpdump",
        "--immediate-mode",
        "-U",
        "-s",
        "2048",
        "-B",
        "8192",
    ];
    let argv = [&head[..], &["-i", iface, "-Z", "root"], args].concat();
    let mut child = command_in(ns, &argv)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("listening on") {
        line.clear();
    }
    std::thread::spawn(move || for _ in err.lines() {});
    child
}

/// `sockscope capture -i lo ARGS`, once it listens.
fn on_lo(args: &[&str]) -> Listening {
    Listening::start(command(&[&["capture", "-i", "lo"][..], args].concat()))
}

/// How long the captures get after the traffic before they are stopped.
const SETTLE: Duration = Duration::from_millis(1500);

fn stop(child: &mut Child) {
    signal(child, libc::SIGINT);
    let _ = child.wait();
}

/// The packet ids in a pcap file as tcpdump reads it (`-A` shows the
/// payload), so the file is also proven readable by tcpdump.
fn ids_by_tcpdump(file: &Path) -> Vec<u32> {
    let out = Command::new("tcpdump")
        .args(["-n", "-A", "-r"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tcpdump -r {}: {}",
        file.display(),
        text(&out.stderr)
    );
    text(&out.stdout)
        .split("id:")
        .skip(1)
        .filter_map(|s| s.get(..6)?.parse().ok())
        .collect()
}

/// File name → size of every file in `dir` whose name starts with `prefix`.
fn files(dir: &Path, prefix: &str) -> BTreeMap<String, u64> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(prefix)?.to_string();
            Some((rest, e.metadata().unwrap().len()))
        })
        .collect()
}

#[test]
fn capture_l_sends_each_line_to_a_pipe_at_once() {
    if !live_allowed() {
        return;
    }
    for (flags, expect_line) in [
        (&["-l"][..], true),
        (&["-l", "--immediate-mode"], true),
        (&[], false),
    ] {
        let (_keep, port) = udp_port();
        let mut args = vec!["capture", "-i", "lo"];
        args.extend_from_slice(flags);
        let filter = format!("udp port {port}");
        args.push(&filter);
        let mut cap = Listening::start(command(&args));
        let stdout = cap.child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        send_numbered(port, 1, 20, Duration::ZERO);
        let line = rx.recv_timeout(Duration::from_secs(3));
        assert!(
            cap.child.try_wait().unwrap().is_none(),
            "the capture is still running"
        );
        cap.signal(libc::SIGINT);
        cap.wait_exit(Duration::from_secs(10));
        match (expect_line, line) {
            (true, Ok(l)) => assert!(l.contains(&format!(".{port}: UDP")), "{l}"),
            (true, Err(_)) => panic!("{flags:?}: no line reached the pipe while capturing"),
            // Without -l a pipe gets 64 KiB blocks: nothing yet.
            (false, Ok(l)) => panic!("block-buffered stdout still sent {l:?} at once"),
            (false, Err(_)) => {}
        }
    }
}

/// Without -l, a terminal still gets each line at once (tcpdump's stdio
/// is line-buffered on a terminal): the line shows while the capture runs,
/// long before `--duration` ends it and a block buffer would be flushed.
#[test]
fn capture_on_a_terminal_is_line_buffered_without_l() {
    if !live_allowed() || !require_tool("script") {
        return;
    }
    let (_keep, port) = udp_port();
    let line = format!("{BIN} capture -i lo --duration 8s udp port {port}");
    // `script` gives the capture a terminal; -f passes on every write.
    let mut pty = Command::new("script")
        .args(["-qfec", &line, "/dev/null"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stdout = pty.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || rx.recv_timeout(Duration::from_secs(4));
    while !next()
        .expect("the capture says it listens")
        .contains("listening on")
    {}
    send_numbered(port, 1, 20, Duration::ZERO);
    let want = format!(".{port}: UDP, length 20");
    while !next()
        .expect("a packet line on the terminal while capturing")
        .contains(&want)
    {}
    let seen = started.elapsed();
    assert!(seen < Duration::from_secs(6), "shown only after {seen:?}");
    assert!(pty.wait().unwrap().success());
}

#[test]
fn rotation_by_size_matches_tcpdump_and_keeps_every_packet_once() {
    let Some(live) = live_with_tcpdump() else {
        return;
    };
    let (dir, port, filter) = (&live.dir, live.port, &live.filter);
    let d = |name: &str| dir.join(name).to_string_lossy().into_owned();
    // A sequence (-C 1) and a ring (-C 1 -W 3), by both tools at once.
    let ours = vec![
        on_lo(&["-C", "1", "-w", &d("s"), filter]),
        on_lo(&["-C", "1", "-W", "3", "-w", &d("r"), filter]),
    ];
    let mut theirs = vec![
        tcpdump(&["-C", "1", "-w", &d("ts"), filter]),
        tcpdump(&["-C", "1", "-W", "3", "-w", &d("tr"), filter]),
    ];
    // 1048-byte frames: 940 fill a file past 1,000,000 bytes.
    send_numbered(port, 3000, 1006, Duration::from_millis(5));
    std::thread::sleep(SETTLE);
    for l in ours {
        l.stop_ok(libc::SIGINT);
    }
    for t in &mut theirs {
        stop(t);
    }
    // The same names and sizes as tcpdump's: s, s1, s2, s3 and r0, r1, r2.
    let seq = files(dir, "s");
    let ring = files(dir, "r");
    println!("sequence {seq:?}\nring {ring:?}");
    // tcpdump may lose the last packets to the stop (its last file is
    // then shorter): the full files must be byte for byte the same size.
    let full = |m: &BTreeMap<String, u64>| -> Vec<(String, u64)> {
        m.iter()
            .filter(|(_, n)| **n == 1_000_184)
            .map(|(k, n)| (k.clone(), *n))
            .collect()
    };
    let (tseq, tring) = (files(dir, "ts"), files(dir, "tr"));
    println!("tcpdump: sequence {tseq:?}\nring {tring:?}");
    assert_eq!(
        seq.keys().collect::<Vec<_>>(),
        tseq.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        ring.keys().collect::<Vec<_>>(),
        tring.keys().collect::<Vec<_>>()
    );
    assert_eq!(full(&seq)[..3], full(&tseq)[..3]);
    assert_eq!(seq.keys().collect::<Vec<_>>(), ["", "1", "2", "3"]);
    assert_eq!(ring.keys().collect::<Vec<_>>(), ["0", "1", "2"]);
    assert_eq!(
        seq.get("1"),
        Some(&1_000_184),
        "940 records of 1064 bytes + header"
    );
    // Every packet exactly once across the sequence, each file read by tcpdump.
    let mut all: Vec<u32> = ["", "1", "2", "3"]
        .iter()
        .flat_map(|n| ids_by_tcpdump(&dir.join(format!("s{n}"))))
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..3000).collect::<Vec<u32>>());
    // The ring kept the last three files: r1, r2, then r0 written over.
    let ring_ids: Vec<u32> = ["1", "2", "0"]
        .iter()
        .flat_map(|n| ids_by_tcpdump(&dir.join(format!("r{n}"))))
        .collect();
    assert_eq!(ring_ids, (940..3000).collect::<Vec<u32>>());
}

#[test]
fn rotation_by_time_uses_strftime_names_and_w_stops_it() {
    let Some(live) = live_with_tcpdump() else {
        return;
    };
    let (dir, port, filter) = (&live.dir, live.port, &live.filter);
    let pattern = dir.join("g-%s.pcap").to_string_lossy().into_owned();
    let mut cap = on_lo(&["-G", "1", "-W", "3", "-w", &pattern, filter]);
    let started = Instant::now();
    // 20 packets a second until the capture stops by itself after 3 files.
    let mut sent = 0;
    while cap.child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(10) {
        send_numbered(port, 1, 40, Duration::ZERO);
        // (each datagram carries id 0: count them by file instead)
        sent += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    let code = cap.wait_exit(Duration::from_secs(1));
    let rest = cap.rest();
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Maximum file limit reached: 3"), "{rest}");
    let made = files(dir, "g-");
    println!("{made:?} after {sent} datagrams");
    assert_eq!(made.len(), 3, "{made:?}");
    let mut secs: Vec<i64> = made
        .keys()
        .map(|n| {
            n.trim_end_matches(".pcap")
                .parse()
                .expect("an epoch second")
        })
        .collect();
    secs.sort_unstable();
    assert!(secs.windows(2).all(|w| w[1] > w[0]), "{secs:?}");
    let packets: usize = made
        .keys()
        .map(|n| ids_by_tcpdump(&dir.join(format!("g-{n}"))).len())
        .sum();
    // The packet that found the limit is not written, as in tcpdump.
    assert!(packets >= 20 && packets < sent, "{packets} of {sent}");
}

#[test]
fn direction_counts_match_tcpdump_on_lo() {
    let Some(live) = live_with_tcpdump() else {
        return;
    };
    let (dir, port, filter) = (&live.dir, live.port, &live.filter);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for q in ["in", "out", "inout"] {
        ours.push(on_lo(&["-Q", q, "-q", filter]));
        let file = dir
            .join(format!("t-{q}.pcap"))
            .to_string_lossy()
            .into_owned();
        theirs.push((tcpdump(&["-Q", q, "-w", &file, filter]), file));
    }
    // The long form too.
    ours.push(on_lo(&["--direction", "out", "-q", filter]));
    send_numbered(port, 50, 30, Duration::ZERO);
    std::thread::sleep(SETTLE);
    let mut counts = Vec::new();
    for l in ours {
        let (_, rest) = l.stop_ok(libc::SIGINT);
        let n: u64 = rest
            .lines()
            .find_map(|l| l.strip_suffix(" packets captured"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{rest}"));
        counts.push(n);
    }
    let mut reference = Vec::new();
    for (mut t, file) in theirs {
        stop(&mut t);
        reference.push(ids_by_tcpdump(Path::new(&file)).len() as u64);
    }
    println!("sockscope -Q in/out/inout/--direction out: {counts:?}; tcpdump: {reference:?}");
    assert_eq!(reference, [50, 0, 50], "tcpdump itself");
    assert_eq!(counts, [50, 0, 50, 0]);
}

/// On `lo` tcpdump itself sees nothing with `-Q out`: across a veth pair
/// between two namespaces of our own both directions carry packets. A
/// sends B 30 numbered datagrams (ids 0–29), B sends A 20 (ids 100–119),
/// each waited for; sockscope and tcpdump capture on A's end at the same
/// time with `-Q in`, `out` and `inout`, and write pcaps that tcpdump reads.
#[test]
fn direction_counts_match_tcpdump_across_a_veth_pair() {
    if !live_allowed() || !require_tool("tcpdump") {
        return;
    }
    let (Some(a), Some(b)) = (Netns::create_or_skip(), Netns::create_or_skip()) else {
        return;
    };
    if !a.veth_to(&b, ("v0", "10.16.0.1/24"), ("v1", "10.16.0.2/24")) {
        return;
    }
    let dir = open_tempdir();
    let file = |who: &str, q: &str| {
        dir.join(format!("{who}-{q}.pcap"))
            .to_string_lossy()
            .into_owned()
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for q in ["in", "out", "inout"] {
        let argv = [
            BIN,
            "capture",
            "-i",
            "v0",
            "-Q",
            q,
            "-w",
            &file("s", q),
            "udp",
        ];
        ours.push(Listening::start(a.exec(&argv)));
        theirs.push(tcpdump_in(
            Some(&a),
            "v0",
            &["-Q", q, "-w", &file("t", q), "udp"],
        ));
    }
    let sa = a.run(|| UdpSocket::bind("10.16.0.1:4001").unwrap());
    let sb = b.run(|| UdpSocket::bind("10.16.0.2:4002").unwrap());
    for s in [&sa, &sb] {
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    }
    let mut buf = [0u8; 64];
    for (from, to, dst, ids) in [
        (&sa, &sb, "10.16.0.2:4002", 0..30),
        (&sb, &sa, "10.16.0.1:4001", 100..120),
    ] {
        for i in ids {
            from.send_to(format!("id:{i:06}:").as_bytes(), dst).unwrap();
            assert_eq!(to.recv(&mut buf).expect("the datagram crossed"), 10);
        }
    }
    std::thread::sleep(SETTLE);
    let mut counts = Vec::new();
    for l in ours {
        let (_, rest) = l.stop_ok(libc::SIGINT);
        counts.push(
            rest.lines()
                .find_map(|l| l.strip_suffix(" packets captured"))
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{rest}")),
        );
    }
    for t in &mut theirs {
        stop(t);
    }
    let ids = |who: &str| -> Vec<Vec<u32>> {
        ["in", "out", "inout"]
            .iter()
            .map(|q| ids_by_tcpdump(Path::new(&file(who, q))))
            .collect()
    };
    let (mine, reference) = (ids("s"), ids("t"));
    println!(
        "sockscope -Q in/out/inout: {counts:?}; tcpdump: {:?}",
        reference.iter().map(Vec::len).collect::<Vec<_>>()
    );
    let expected: [Vec<u32>; 3] = [
        (100..120).collect(),
        (0..30).collect(),
        (0..30).chain(100..120).collect(),
    ];
    assert_eq!(reference, expected, "tcpdump itself");
    assert_eq!(mine, expected);
    assert_eq!(counts, [20, 30, 50]);
}

#[test]
fn filter_file_is_used_and_trailing_words_ignored_as_tcpdump() {
    let cap = support::capture("demo_tcp.pcap");
    let file = temp_file(
        "filter",
        "# handshakes\ntcp # only\n and tcp[tcpflags] & tcp-syn != 0\n",
    );
    let cap_s = cap.to_str().unwrap();
    let f = file.to_str().unwrap();
    let ours = sockscope(&["read", cap_s, "-F", f, "udp"]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let words = sockscope(&["read", cap_s, "tcp and tcp[tcpflags] & tcp-syn != 0"]);
    assert_eq!(text(&ours.stdout), text(&words.stdout));
    assert!(!ours.stdout.is_empty());
    if require_tool("tcpdump") {
        let t = Command::new("tcpdump")
            .args(["-n", "-r", cap_s, "-F", f, "udp"])
            .output()
            .unwrap();
        assert!(t.status.success(), "{}", text(&t.stderr));
        assert_eq!(
            text(&t.stdout).lines().count(),
            text(&ours.stdout).lines().count()
        );
    }
    let missing = sockscope(&["read", cap_s, "-F", "/nonexistent/filter"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("/nonexistent/filter"),
        "{}",
        text(&missing.stderr)
    );
}

/// `PROGRAM ARGS`, inside `ns` when given; (stdout, stderr).
fn run_in(ns: Option<&Netns>, program: &str, args: &[&str]) -> (String, String) {
    let out = command_in(ns, &[&[program][..], args].concat())
        .output()
        .unwrap();
    (text(&out.stdout), text(&out.stderr))
}

/// The command `argv`, inside `ns` when given.
fn command_in(ns: Option<&Netns>, argv: &[&str]) -> Command {
    match ns {
        Some(ns) => ns.exec(argv),
        None => {
            let mut c = Command::new(argv[0]);
            c.args(&argv[1..]);
            c
        }
    }
}

#[test]
fn interface_numbers_and_default_are_tcpdumps() {
    if !live_allowed() || !require_tool("tcpdump") {
        return;
    }
    check_numbers_and_default(None);
    // A namespace with only lo (tcpdump picks `any`), then with a veth pair.
    let Some(ns) = Netns::create_or_skip() else {
        return;
    };
    assert_eq!(check_numbers_and_default(Some(&ns)), "any");
    if ns.veth_pair("v0", "v1") {
        // tcpdump and we order interfaces by their state (running ones
        // first): let the pair's carrier come up before comparing, or the
        // order can change between two listings (seen once in CI).
        wait_running(&ns, &["v0", "v1"]);
        let picked = check_numbers_and_default(Some(&ns));
        assert!(picked == "v0" || picked == "v1", "{picked}");
    }
}

/// Wait (at most 5 s) until each of `names` in `ns` reports its operational
/// state up.
fn wait_running(ns: &Netns, names: &[&str]) {
    let up = |name: &str| {
        let (out, _) = run_in(
            Some(ns),
            "cat",
            &[&format!("/sys/class/net/{name}/operstate")],
        );
        out.trim() == "up"
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while !names.iter().all(|n| up(n)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Our numbers agree with `tcpdump -D` up to its first device we do not
/// list (bluetooth-monitor, nflog …); `-i N` names the interface of line
/// N; `capture` without -i picks the interface tcpdump's "listening on"
/// line names. Returns that interface.
fn check_numbers_and_default(ns: Option<&Netns>) -> String {
    let mine: Vec<(usize, String)> = run_in(ns, BIN, &["interfaces"])
        .0
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.trim_start().split_once(". ")?;
            Some((n.parse().ok()?, rest.split_whitespace().next()?.to_string()))
        })
        .collect();
    let (d, _) = run_in(ns, "tcpdump", &["-D"]);
    let mut compared = 0;
    for line in d.lines() {
        let Some((n, rest)) = line.split_once('.') else {
            continue;
        };
        let name = rest.split_whitespace().next().unwrap_or("");
        let Some((m, _)) = mine.iter().find(|(_, x)| x == name) else {
            break;
        };
        assert_eq!(
            n.parse::<usize>().ok(),
            Some(*m),
            "{name}: tcpdump -D\n{d}ours {mine:?}"
        );
        compared += 1;
    }
    assert!(compared >= 2, "tcpdump -D\n{d}ours {mine:?}");
    for (n, name) in &mine {
        let (l, _) = run_in(ns, BIN, &["capture", "-i", &n.to_string(), "-L"]);
        assert!(
            l.starts_with(&format!("Data link types for {name} ")),
            "{n}: {l}"
        );
    }
    // Where each listens without -i: a filter nothing matches, a second.
    let listening = |stderr: &str| {
        stderr
            .lines()
            .find_map(|l| l.split("listening on ").nth(1))
            .and_then(|r| r.split(',').next())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no listening line in {stderr}"))
    };
    let (_, theirs) = run_in(
        ns,
        "timeout",
        &["1", "tcpdump", "-p", "udp port 1 and udp port 2"],
    );
    let (_, ours) = run_in(
        ns,
        BIN,
        &[
            "capture",
            "--duration",
            "300ms",
            "udp port 1 and udp port 2",
        ],
    );
    let (theirs, ours) = (listening(&theirs), listening(&ours));
    println!("default interface: tcpdump {theirs}, sockscope {ours}; -D\n{d}");
    assert_eq!(ours, theirs);
    ours
}

#[test]
fn link_types_listed_and_chosen_as_tcpdump() {
    if !live_allowed() {
        return;
    }
    let ours = sockscope(&["capture", "-i", "lo", "-L"]);
    assert!(ours.status.success());
    assert_eq!(
        text(&ours.stdout),
        "Data link types for lo (use option -y to set):\n  EN10MB (Ethernet)\n"
    );
    if require_tool("tcpdump") {
        // tcpdump 4.99 prints the list on stderr; ours goes to stdout,
        // where `| grep` finds it.
        let t = Command::new("tcpdump")
            .args(["-i", "lo", "-L"])
            .output()
            .unwrap();
        assert_eq!(text(&t.stderr), text(&ours.stdout));
    }
    let any = text(&sockscope(&["capture", "-i", "any", "-L"]).stdout);
    assert!(any.contains("  LINUX_SLL2 (Linux cooked v2)"), "{any}");
    let ok = sockscope(&["capture", "-i", "lo", "-y", "en10mb", "-d"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    for (ty, says) in [
        (
            "LINUX_SLL",
            "LINUX_SLL is not one of the link types lo can be captured as",
        ),
        ("FOO", "invalid data link type FOO"),
    ] {
        let bad = sockscope(&["capture", "-i", "lo", "-y", ty, "-c", "1"]);
        assert_eq!(bad.status.code(), Some(1));
        assert!(text(&bad.stderr).contains(says), "{}", text(&bad.stderr));
    }
}

#[test]
fn count_zero_is_refused_as_tcpdump_refuses_it() {
    for cmd in [
        &["capture", "-i", "lo", "-c", "0"][..],
        &["read", "-", "-c", "0"],
    ] {
        let out = sockscope(cmd);
        assert_eq!(out.status.code(), Some(2), "usage error");
        assert!(
            text(&out.stderr).contains("invalid packet count 0"),
            "{}",
            text(&out.stderr)
        );
    }
    if require_tool("tcpdump") {
        let t = Command::new("tcpdump")
            .args(["-c", "0", "-r", "/dev/null"])
            .output()
            .unwrap();
        assert!(text(&t.stderr).contains("invalid packet count 0"));
    }
}

#[test]
fn top_level_r_and_i_are_read_and_capture() {
    let cap = support::capture("demo_tcp.pcap");
    let c = cap.to_str().unwrap();
    let sub = sockscope(&["read", c, "-n", "-c", "3"]);
    for args in [
        &["-r", c, "-n", "-c", "3"][..],
        &["-n", "-r", c, "-c", "3"],
        &["-nr", c, "-c", "3"],
        &["-nn", "-r", c, "-c", "3"],
        &["read", c, "-nn", "-c", "3"],
        &["-nnr", c, "-c", "3"],
    ] {
        let top = sockscope(args);
        assert!(top.status.success(), "{args:?}: {}", text(&top.stderr));
        assert_eq!(text(&top.stdout), text(&sub.stdout), "{args:?}");
    }
    assert_eq!(text(&sub.stdout).lines().count(), 3);
    if live_allowed() {
        let top = sockscope(&["-i", "lo", "-L"]);
        assert_eq!(
            text(&top.stdout),
            text(&sockscope(&["capture", "-i", "lo", "-L"]).stdout)
        );
    }
}

#[test]
fn tcpdump_flags_we_lack_get_a_hint_not_clap_tip() {
    for (args, hint) in [
        (&["-D"][..], "sockscope interfaces"),
        (&["-n", "tcp"], "a command comes first"),
        (&["capture", "-i", "lo", "-E", "secret"], "not supported"),
        (&["read", "f.pcap", "-i", "lo"], "sockscope capture -i"),
        (&["capture", "-r", "f.pcap"], "sockscope read FILE"),
        (&["capture", "-j", "host"], "time stamp types"),
    ] {
        let out = sockscope(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(hint), "{args:?}: {err}");
        assert!(
            !err.contains("tip:") && !err.contains("-- -"),
            "{args:?}: {err}"
        );
        assert!(err.contains("Usage:"), "{err}");
    }
}

#[test]
fn capture_w_shows_a_running_count_only_on_a_terminal() {
    if !live_allowed() || !require_tool("script") {
        return;
    }
    let dir = tempdir();
    let (_keep, port) = udp_port();
    let file = dir.join("count.pcap");
    let line = format!(
        "{BIN} capture -i lo -w {} --duration 2500ms udp port {port}",
        file.display()
    );
    // `script` gives the capture a terminal on stdin, stdout and stderr.
    let pty = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    send_numbered(port, 5, 20, Duration::ZERO);
    let out = pty.wait_with_output().unwrap();
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Got 5"), "{shown:?}");
    assert!(shown.contains("5 packets captured"), "{shown:?}");
    // Not a terminal: no count, the usual summary only.
    let plain = sockscope(&[
        "capture",
        "-i",
        "lo",
        "-w",
        file.to_str().unwrap(),
        "--duration",
        "1500ms",
        "udp",
        "port",
        &port.to_string(),
    ]);
    let err = text(&plain.stderr);
    assert!(plain.status.success(), "{err}");
    assert!(!err.contains("Got "), "{err}");
    assert!(err.contains("packets captured"), "{err}");
}
