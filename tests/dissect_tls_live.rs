//! TLS and QUIC from real programs. In a network namespace of its own,
//! `sockscope capture` records `openssl s_client` meeting `openssl
//! s_server` (TLS 1.3, and TLS 1.2 with a named cipher, each with
//! `-servername` and `-alpn`), and Chromium's QUIC Initials to a UDP port
//! that reads and never answers. `sockscope read` of the file must print
//! tcpdump's lines unchanged (default and `-v`); `--app` and `--json` must
//! give the server name, ALPN, version and cipher the clients were told to
//! use, the same as tshark reads in the same packets, and the JA4 that
//! tshark's fields give (`support::tshark_tls`). Handshake messages that
//! span TCP segments (a 200-byte MTU) or Initials (Chromium's
//! post-quantum ClientHello) are decoded whole on the packet where tshark
//! reassembles them. A built capture of RFC
//! 9001 Appendix A's client Initial checks the decrypted QUIC ClientHello
//! against tshark's; a built TLS 1.2 server flight with two segments
//! swapped, that each handshake message is listed once, where tshark
//! lists it. Optional: skips, saying why, without the programs,
//! CAP_NET_RAW or a namespace (Debian: `apt-get install openssl tshark
//! chromium`).

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::app_captures::compare_with_tcpdump;
use support::bin::{BIN, Listening, have_tool, sockscope, text};
use support::netns::{Netns, Server};
use support::tempdir;
use support::tshark_tls::{JA4_FIELDS, fields, ja4};

/// `sockscope read PATH ARGS…` as lines.
fn read(path: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["read", path];
    all.extend(args);
    let out = sockscope(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_owned).collect()
}

/// The packets' JSON objects, in order (frame N is index N-1).
fn json(path: &str) -> Vec<Value> {
    read(path, &["--json"])
        .iter()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Capture `filter` on the namespace's loopback while `clients` run, with
/// `servers` started first (stdin kept open: openssl's s_server ends at
/// end of input); the tcpdump comparison is made at once.
fn capture(ns: &Netns, path: &str, servers: Vec<Command>, filter: &str, clients: &[Command]) {
    let _servers: Vec<Server> = servers
        .into_iter()
        .map(|mut s| {
            Server(
                s.stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("the server starts"),
            )
        })
        .collect();
    await_listener(ns, filter);
    let mut args = vec![BIN, "capture", "-i", "lo", "-w", path];
    args.extend(filter.split(' '));
    let capture = Listening::start_quiet(ns.exec(&args));
    for mut client in clients.iter().map(clone) {
        let out = client
            .stdin(Stdio::null())
            .output()
            .expect("the client runs");
        eprintln!("{:?}: {}", client.get_args().last(), out.status);
    }
    std::thread::sleep(Duration::from_millis(300));
    capture.stop_ok(libc::SIGTERM);
    compare_with_tcpdump(path, &["", "-v"], 4);
}

/// Wait (up to 20 s) until a socket in the namespace listens on the port
/// of `filter` ("tcp port N" or "udp port N"): a fixed pause before the
/// clients was too short on a loaded machine (openssl s_server still
/// making its keys when s_client connected).
fn await_listener(ns: &Netns, filter: &str) {
    let (proto, port) = match filter.split(' ').collect::<Vec<_>>()[..] {
        [proto, "port", port] => (proto, port),
        _ => panic!("a filter of the form 'PROTO port N': {filter}"),
    };
    let kind = if proto == "udp" { "-Hlnu" } else { "-Hlnt" };
    let wanted = format!("sport = :{port}");
    for _ in 0..400 {
        let out = ns.exec(&["ss", kind, &wanted]).output().expect("ss runs");
        if !out.stdout.is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on {proto} port {port} after 20 s");
}

/// A copy of a command (program and arguments).
fn clone(c: &Command) -> Command {
    let mut n = Command::new(c.get_program());
    n.args(c.get_args());
    n
}

/// A self-signed P-256 certificate and key in `dir`.
fn certificate(dir: &Path) -> (String, String) {
    self_signed(dir, "cert", "/CN=sockscope-test", &[])
}

/// A self-signed P-256 certificate for `subject`, with `extra` options of
/// `openssl req`, as `dir/NAME.pem` and `dir/NAME.key`.
fn self_signed(dir: &Path, name: &str, subject: &str, extra: &[&str]) -> (String, String) {
    let cert = dir.join(format!("{name}.pem"));
    let key = dir.join(format!("{name}.key"));
    let ok = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj"])
        .arg(subject)
        .args(extra)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "openssl req makes a certificate");
    let s = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
    (s(&cert), s(&key))
}

/// `openssl s_client` with stdin open for a second, so that it finishes
/// the handshake before it sees the end of its input.
fn s_client(ns: &Netns, args: &str) -> Command {
    ns.exec(&[
        "sh",
        "-c",
        &format!("sleep 1 | openssl s_client -connect 127.0.0.1:8443 {args}"),
    ])
}

/// `openssl s_server` on port 8443 with a fresh certificate and
/// `server_args`, captured while `s_client` runs once per `clients`
/// argument string: what sockscope and tshark say about the hellos.
fn openssl_exchange(ns: &Netns, server_args: &str, clients: &[&str]) -> Hellos {
    let dir = tempdir();
    let keys = certificate(&dir);
    openssl_exchange_with(ns, &dir, keys, server_args, clients)
}

/// [`openssl_exchange`] with the server's certificate and key files.
fn openssl_exchange_with(
    ns: &Netns,
    dir: &Path,
    (cert, key): (String, String),
    server_args: &str,
    clients: &[&str],
) -> Hellos {
    let mut server = vec![
        "openssl", "s_server", "-accept", "8443", "-cert", &cert, "-key", &key,
    ];
    server.extend(server_args.split_whitespace());
    let path = dir.join("tls_live.pcap");
    let path = path.to_str().unwrap();
    let clients: Vec<Command> = clients.iter().map(|a| s_client(ns, a)).collect();
    capture(ns, path, vec![ns.exec(&server)], "tcp port 8443", &clients);
    hellos(path)
}

/// What sockscope and tshark say about one capture's hellos.
struct Hellos {
    path: String,
    /// tshark's frame number and JA4 fields of each ClientHello.
    clients: Vec<(usize, Vec<String>)>,
    /// tshark's frame number, cipher and supported_version of each
    /// ServerHello.
    servers: Vec<(usize, Vec<String>)>,
    app: Vec<String>,
    json: Vec<Value>,
}

fn hellos(path: &str) -> Hellos {
    let rows = |ty: u8, names: &[&str]| -> Vec<(usize, Vec<String>)> {
        let mut all = vec!["frame.number"];
        all.extend(names);
        fields(path, &[], &format!("tls.handshake.type == {ty}"), &all)
            .into_iter()
            .map(|mut r| (r.remove(0).parse().expect("a frame number"), r))
            .collect()
    };
    Hellos {
        path: path.to_owned(),
        clients: rows(1, JA4_FIELDS),
        servers: rows(
            2,
            &[
                "tls.handshake.ciphersuite",
                "tls.handshake.extensions.supported_version",
            ],
        ),
        app: read(path, &["--app"]),
        json: json(path),
    }
}

#[test]
fn openssl_hellos_equal_what_the_clients_asked_and_tshark_read() {
    let Some(ns) = Netns::for_tools(&["openssl", "tshark", "tcpdump"]) else {
        return;
    };
    let h = openssl_exchange(
        &ns,
        "-alpn h2,http/1.1",
        &[
            "-servername example.test -alpn h2,http/1.1",
            "-servername tls12.example.test -alpn http/1.1 -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256",
        ],
    );
    assert_eq!(h.clients.len(), 2, "tshark's ClientHellos: {:?}", h.clients);
    assert_eq!(h.servers.len(), 2, "tshark's ServerHellos: {:?}", h.servers);
    let told = [
        ("example.test", "h2,http/1.1"),
        ("tls12.example.test", "http/1.1"),
    ];
    for ((frame, row), (sni, alpn)) in h.clients.iter().zip(told) {
        // tshark read what the client was told…
        assert_eq!((row[3].as_str(), row[4].as_str()), (sni, alpn));
        // …and so did sockscope, with tshark's JA4.
        let want = format!("[TLS ClientHello sni={sni} alpn={alpn} ");
        let line = &h.app[frame - 1];
        assert!(line.contains(&want), "frame {frame}: {line}");
        let fp = ja4('t', row);
        assert!(
            line.contains(&format!(" ja4={fp}]")),
            "frame {frame}: {line} (tshark: {fp})"
        );
        let ch = &h.json[frame - 1]["tls"]["client_hello"];
        assert_eq!(ch["sni"], sni);
        assert_eq!(ch["ja4"], fp.as_str());
        assert_eq!(ch["complete"], true);
    }
    let chosen = [
        ("TLS 1.3", "TLS_AES_256_GCM_SHA384"),
        ("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    ];
    for ((frame, row), (version, cipher)) in h.servers.iter().zip(chosen) {
        let sh = &h.json[frame - 1]["tls"]["server_hello"];
        assert_eq!(sh["version"], version, "frame {frame}");
        assert_eq!(sh["cipher"], cipher, "frame {frame}");
        let tshark_cipher = u64::from_str_radix(row[0].trim_start_matches("0x"), 16).unwrap();
        assert_eq!(sh["cipher_id"], tshark_cipher);
        let tshark_version = if row[1].is_empty() {
            "TLS 1.2"
        } else {
            "TLS 1.3"
        };
        assert_eq!(
            version, tshark_version,
            "tshark's supported_version {:?}",
            row[1]
        );
        let line = &h.app[frame - 1];
        let short = version.trim_start_matches("TLS ");
        assert!(
            line.contains(&format!("[TLS ServerHello version={short} cipher={cipher}")),
            "{line}"
        );
    }
    // Only segments that start a record carry the summary, and the flows
    // are Zeek's `ssl`.
    assert!(h.app.iter().filter(|l| l.contains(" [TLS ")).count() >= 6);
    let flows = text(&sockscope(&["read", &h.path, "--flows", "--json"]).stdout);
    assert_eq!(flows.matches(r#""service":"ssl""#).count(), 2, "{flows}");
}

/// A JSON array of strings.
fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|s| s.as_str().expect("a string"))
        .collect()
}

/// tshark's handshake type numbers and sockscope's JSON names of them.
const HANDSHAKE_TYPES: &[(&str, &str)] = &[
    ("1", "client_hello"),
    ("2", "server_hello"),
    ("4", "new_session_ticket"),
    ("8", "encrypted_extensions"),
    ("11", "certificate"),
    ("12", "server_key_exchange"),
    ("13", "certificate_request"),
    ("14", "server_hello_done"),
    ("15", "certificate_verify"),
    ("16", "client_key_exchange"),
    ("20", "finished"),
];

/// sockscope's JSON name of a handshake type tshark numbers.
fn handshake_name(ty: &str) -> &'static str {
    HANDSHAKE_TYPES
        .iter()
        .find(|(n, _)| *n == ty)
        .map_or("?", |(_, name)| name)
}

/// tshark's number of a handshake message sockscope names.
fn handshake_number(name: &str) -> &'static str {
    HANDSHAKE_TYPES
        .iter()
        .find(|(_, n)| *n == name)
        .map_or("?", |(ty, _)| ty)
}

#[test]
fn handshakes_split_over_segments_decode_where_tshark_reassembles_them() {
    let Some(ns) = Netns::for_tools(&["openssl", "tshark", "tcpdump"]) else {
        return;
    };
    // Every ClientHello takes two or three segments, TLS 1.2's
    // Certificate record several.
    ns.small_mtu();
    let long_name = format!("{}.example.test", ["label"; 40].join("."));
    let clients = [
        "-servername split.example.test -alpn h2,http/1.1".to_string(),
        "-servername tls12.example.test -alpn http/1.1 -tls1_2".to_string(),
        format!("-servername {long_name} -alpn h2"),
        "-servername many.example.test -alpn a,bb,ccc,dddd,h2,http/1.1 -groups X25519:P-256:P-384:P-521".to_string(),
        "-servername ciphers.example.test -tls1_2 -cipher ALL".to_string(),
    ];
    let args: Vec<&str> = clients.iter().map(String::as_str).collect();
    let h = openssl_exchange(&ns, "-alpn h2,http/1.1", &args);
    assert_eq!(h.clients.len(), clients.len(), "tshark: {:?}", h.clients);
    // Each ClientHello is decoded whole once, on the packet tshark names,
    // with tshark's fields and JA4; the packet that started it says so.
    let whole: Vec<usize> = (0..h.json.len())
        .filter(|&i| h.json[i]["tls"]["client_hello"]["complete"] == true)
        .map(|i| i + 1)
        .collect();
    let frames: Vec<usize> = h.clients.iter().map(|(f, _)| *f).collect();
    assert_eq!(whole, frames, "ClientHellos decoded whole vs tshark's");
    for (frame, row) in &h.clients {
        let tls = &h.json[frame - 1]["tls"];
        let ch = &tls["client_hello"];
        assert_eq!(ch["sni"], row[3].as_str(), "frame {frame}");
        assert_eq!(strings(&ch["alpn"]).join(","), row[4], "frame {frame}");
        let fp = ja4('t', row);
        assert_eq!(ch["ja4"], fp.as_str(), "frame {frame}");
        let first = tls["reassembled"]["first_packet"].as_u64().unwrap() as usize;
        assert!(first < *frame, "frame {frame}: {tls}");
        assert!(tls["reassembled"]["packets"].as_u64().unwrap() >= 2);
        let line = &h.app[frame - 1];
        assert!(line.ends_with(&format!(" ja4={fp}]")), "{line}");
        assert!(h.app[first - 1].contains("[TLS ClientHello partial "));
    }
    // Every handshake message tshark reads is in sockscope's JSON of the
    // same packet (the packet may also start the next, partial one).
    let all = fields(
        &h.path,
        &[],
        "tls.handshake.type",
        &["frame.number", "tls.handshake.type"],
    );
    let mut spanning = 0;
    for row in &all {
        let n: usize = row[0].parse().unwrap();
        let tls = &h.json[n - 1]["tls"];
        let ours = strings(&tls["handshake"]);
        for ty in row[1].split(',') {
            assert!(
                ours.contains(&handshake_name(ty)),
                "frame {n}: tshark {}, sockscope {ours:?}",
                row[1]
            );
        }
        spanning += usize::from(tls.get("reassembled").is_some());
    }
    assert!(spanning >= clients.len() + 2, "{spanning} reassembled");
    eprintln!(
        "{} ClientHellos and {} handshake packets equal to tshark's, {spanning} reassembled",
        h.clients.len(),
        all.len()
    );
    // The ServerHellos' choices, and the lines stay tcpdump's (compared
    // in `capture`).
    for (frame, row) in &h.servers {
        let sh = &h.json[frame - 1]["tls"]["server_hello"];
        let tshark_cipher = u64::from_str_radix(row[0].trim_start_matches("0x"), 16).unwrap();
        assert_eq!(sh["cipher_id"], tshark_cipher, "frame {frame}");
    }
}

/// A self-signed P-256 certificate whose subjectAltName lists 700 names:
/// about 20 KiB, more than a TLS record holds (2^14), so that its
/// Certificate message fills two records.
fn big_certificate(dir: &Path) -> (String, String) {
    let names: Vec<String> = (0..700)
        .map(|i| format!("DNS:n{i}.a-long-name.example.test"))
        .collect();
    let san = format!("subjectAltName={}", names.join(","));
    self_signed(dir, "big", "/CN=big.example.test", &["-addext", &san])
}

/// sockscope's handshake messages by frame: those the packet's `"tls"`
/// object lists whole (not `encrypted`, not the `partial_handshake` the
/// payload ends inside), as tshark numbers them.
fn our_handshakes(json: &[Value]) -> BTreeMap<usize, Vec<String>> {
    let mut out = BTreeMap::new();
    for (i, packet) in json.iter().enumerate() {
        let tls = &packet["tls"];
        let Some(list) = tls["handshake"].as_array() else {
            continue;
        };
        let mut names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        if tls.get("partial_handshake").is_some() {
            names.pop();
        }
        let types: Vec<String> = names
            .into_iter()
            .filter(|n| *n != "encrypted")
            .map(|n| handshake_number(n).to_owned())
            .collect();
        if !types.is_empty() {
            out.insert(i + 1, types);
        }
    }
    out
}

#[test]
fn certificate_over_records_is_joined_where_tshark_reassembles_it() {
    let Some(ns) = Netns::for_tools_named("reasm14f-tls", &["openssl", "tshark", "tcpdump"]) else {
        return;
    };
    // At loopback's MTU the two Certificate records share a segment or
    // two; at 200 bytes they take a hundred and more.
    for small in [false, true] {
        if small {
            ns.small_mtu();
        }
        let dir = tempdir();
        let keys = big_certificate(&dir);
        let h = openssl_exchange_with(
            &ns,
            &dir,
            keys,
            "",
            &[
                "-tls1_2 -servername big.example.test",
                "-servername big.example.test",
            ],
        );
        // tshark reads a Certificate longer than a record holds.
        let certs = fields(
            &h.path,
            &[],
            "tls.handshake.type == 11",
            &["tls.handshake.length"],
        );
        let long: Vec<usize> = certs
            .iter()
            .flat_map(|r| r[0].split(',').map(|l| l.parse::<usize>().unwrap_or(0)))
            .filter(|&l| l > 1 << 14)
            .collect();
        assert_eq!(long.len(), 1, "tshark's Certificate lengths: {certs:?}");
        let tshark = tshark_handshakes(&h.path);
        let ours = our_handshakes(&h.json);
        assert_eq!(
            ours, tshark,
            "handshake messages by frame (MTU 200: {small})"
        );
        if small {
            the_certificate_survives_reordering(&h.path, long[0]);
        }
        let joined = h
            .json
            .iter()
            .filter(|p| p["tls"].get("reassembled").is_some())
            .count();
        eprintln!(
            "MTU 200 {small}: {} frames, {} handshake messages equal to tshark's, a {}-byte Certificate, {joined} reassembled",
            tshark.len(),
            tshark.values().map(Vec::len).sum::<usize>(),
            long[0]
        );
    }
}

/// tshark's handshake message types by frame number.
fn tshark_handshakes(path: &str) -> BTreeMap<usize, Vec<String>> {
    fields(
        path,
        &[],
        "tls.handshake.type",
        &["frame.number", "tls.handshake.type"],
    )
    .into_iter()
    .map(|r| {
        let types = r[1].split(',').map(str::to_owned).collect();
        (r[0].parse().expect("a frame number"), types)
    })
    .collect()
}

/// Three copies of the capture at `path` (loopback, IPv4), in each of
/// which every third pair of adjacent data segments from the TLS server
/// changes places (the first, second or third of each three pairs: so
/// every pair is swapped in one copy, those where a message ends too), as
/// a loaded loopback sometimes records them: sockscope must still join the
/// `certificate`-byte Certificate, on the frame where tshark (told to
/// reassemble out of order) does, with every other message where tshark
/// has it. A CI run's live capture once had such a pair where the
/// NewSessionTicket begins: sockscope opened the message after its end
/// had gone by (`flow::early` now holds it).
fn the_certificate_survives_reordering(path: &str, certificate: usize) {
    for phase in 0..3 {
        reordered_copy_equals_tshark(path, certificate, phase);
    }
}

fn reordered_copy_equals_tshark(path: &str, certificate: usize, phase: usize) {
    let file = support::pcap::read_pcap(Path::new(path));
    assert_eq!(file.linktype, 1, "an Ethernet capture of lo");
    let from_server = |frame: &[u8]| -> bool {
        let Some(ip) = frame.get(14..) else {
            return false;
        };
        let ihl = usize::from(ip[0] & 0x0f) * 4;
        let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
        let Some(tcp) = ip.get(ihl..total) else {
            return false;
        };
        let data_at = usize::from(tcp.get(12).map_or(0, |b| b >> 4)) * 4;
        tcp.get(..2) == Some(&8443u16.to_be_bytes()[..]) && tcp.len() > data_at
    };
    let mut records = file.records;
    let (mut pairs, mut swapped, mut i) = (0, 0, 0);
    while i + 1 < records.len() {
        if from_server(&records[i].2) && from_server(&records[i + 1].2) {
            pairs += 1;
            if pairs % 3 == phase {
                records.swap(i, i + 1);
                swapped += 1;
                i += 1;
            }
        }
        i += 1;
    }
    assert!(swapped >= 10, "only {swapped} pairs to swap");
    let layout = support::pcap::Layout {
        nanos: file.nanos,
        ..support::pcap::Layout::new(1, file.snaplen)
    };
    let bytes = support::pcap::write_spaced(
        layout,
        (1_700_000_000, 1000),
        records
            .iter()
            .map(|(_, orig, data)| (std::borrow::Cow::Borrowed(&data[..]), *orig)),
    );
    let copy = Path::new(path).with_extension(format!("reordered{phase}.pcap"));
    std::fs::write(&copy, bytes).expect("write the reordered copy");
    let copy = copy.to_str().unwrap();
    let reordered = fields(copy, &[], "tcp.analysis.out_of_order", &["frame.number"]);
    // tshark calls most of them out of order (some retransmissions, where
    // the live capture had its own reordering next to them).
    assert!(
        reordered.len() * 2 >= swapped,
        "{swapped} swapped, tshark's out-of-order frames: {reordered:?}"
    );
    let certs = fields(
        copy,
        &[],
        "tls.handshake.type == 11",
        &["tls.handshake.length"],
    );
    let lengths: Vec<&str> = certs.iter().flat_map(|r| r[0].split(',')).collect();
    assert!(
        lengths.contains(&certificate.to_string().as_str()),
        "tshark's Certificates after reordering: {lengths:?}"
    );
    let json = json(copy);
    assert_eq!(
        our_handshakes(&json),
        tshark_handshakes(copy),
        "handshake messages by frame, {swapped} pairs of segments swapped"
    );
    eprintln!(
        "{swapped} pairs of the server's segments swapped (phase {phase}): the {certificate}-byte Certificate and every handshake message where tshark has them"
    );
}

/// A TLS 1.2 server flight built here: ServerHello, a 20,000-byte
/// Certificate over two records, ServerKeyExchange and ServerHelloDone,
/// in 200-byte segments with one cut where the ServerKeyExchange record
/// begins; `swap`: that segment comes before the one ahead of it (the
/// Certificate's tail). A CI run's live capture once had exactly this:
/// sockscope decoded the early segment alone (its own record headers:
/// ServerKeyExchange, ServerHelloDone) while the open Certificate held
/// its bytes, and again with the Certificate when the hole filled.
fn server_flight(swap: bool) -> (Vec<u8>, usize) {
    let record = |body: &[u8]| {
        let mut r = vec![22, 3, 3];
        r.extend((body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    };
    let message = |ty: u8, body: &[u8]| {
        let mut m = vec![ty];
        m.extend(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    };
    let mut hello = vec![3, 3];
    hello.extend([0x11; 32]);
    hello.extend([0, 0xc0, 0x2b, 0]);
    let certificate = message(
        11,
        &(0..20_000u32).map(|i| (i * 7) as u8).collect::<Vec<_>>(),
    );
    let mut flight = record(&message(2, &hello));
    flight.extend(record(&certificate[..1 << 14]));
    flight.extend(record(&certificate[1 << 14..]));
    let key_exchange = flight.len();
    flight.extend(record(&message(12, &[0; 100])));
    flight.extend(record(&message(14, &[])));
    let mut cuts: Vec<usize> = (0..key_exchange).step_by(200).collect();
    cuts.extend([key_exchange, flight.len()]);
    let mut frames: Vec<support::app_captures::Frame> = cuts
        .windows(2)
        .map(|w| {
            support::app_captures::tcp(false, 40000, 443, 5000 + w[0] as u32, &flight[w[0]..w[1]])
        })
        .collect();
    let early = cuts.len() - 2;
    if swap {
        frames.swap(early - 1, early);
    }
    (support::app_captures::capture(&frames), early)
}

#[test]
fn a_segment_held_ahead_of_a_hole_is_decoded_once_with_its_message() {
    if !have_tool("tshark") {
        eprintln!("SKIPPED: tshark is not installed");
        return;
    }
    let dir = tempdir();
    for swap in [false, true] {
        let (pcap, early) = server_flight(swap);
        let path = dir.join(format!("flight-{swap}.pcap"));
        std::fs::write(&path, pcap).unwrap();
        let path = path.to_str().unwrap();
        let tshark = tshark_handshakes(path);
        let json = json(path);
        assert_eq!(our_handshakes(&json), tshark, "swapped: {swap}");
        // Frame numbers count from 1: the hole's filler is last but one
        // in order; swapped, it is the last and the early one before it.
        let (held, filler) = if swap { (early, early + 1) } else { (0, early) };
        let whole = if swap {
            vec!["11", "12", "14"]
        } else {
            vec!["11"]
        };
        assert_eq!(
            tshark.get(&filler),
            Some(&whole.iter().map(|s| s.to_string()).collect()),
            "{tshark:?}"
        );
        if swap {
            let tls = &json[held - 1]["tls"];
            assert_eq!(tls["continuation"], true, "{tls}");
            let lines = read(path, &["--app"]);
            assert!(!lines[held - 1].contains("[TLS"), "{}", lines[held - 1]);
            assert!(
                lines[filler - 1]
                    .ends_with("[TLS Handshake, Certificate, ServerKeyExchange, ServerHelloDone]"),
                "{}",
                lines[filler - 1]
            );
        }
    }
}

/// QUIC's frame type numbers, by the name sockscope gives them.
fn frame_type(name: &str) -> &'static str {
    match name {
        "padding" => "0",
        "ping" => "1",
        "ack" => "2",
        "ack_ecn" => "3",
        "crypto" => "6",
        "connection_close" => "28",
        "application_close" => "29",
        _ => "?",
    }
}

/// Python reading UDP port 4443 and never answering.
const UDP_SINK: &str = "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 4443))
while True:
    s.recv(65535)";

#[test]
fn chromium_quic_initials_decrypt_as_tshark_does() {
    let Some(ns) = Netns::for_tools(&["chromium", "python3", "tshark", "tcpdump"]) else {
        return;
    };
    let dir = tempdir();
    // A UDP port that reads and never answers: Chromium resends its
    // Initials instead of giving up at an ICMP port unreachable.
    let sink = ns.exec(&["python3", "-c", UDP_SINK]);
    let profile = dir.join("chromium");
    let profile = format!("--user-data-dir={}", profile.display());
    // Chromium gets no answer and is stopped by `timeout`; 15 s leaves
    // room for a slow start (in CI, 6 s once gave only its first flight,
    // 2 datagrams, before the first resend).
    let chromium = ns.exec(&[
        "timeout",
        "15",
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        &profile,
        "--enable-quic",
        "--origin-to-force-quic-on=example.test:4443",
        "--host-resolver-rules=MAP example.test 127.0.0.1",
        "--dump-dom",
        "https://example.test:4443/",
    ]);
    let path = dir.join("quic_live.pcap");
    let path = path.to_str().unwrap();
    capture(&ns, path, vec![sink], "udp port 4443", &[chromium]);
    let theirs = fields(
        path,
        &["udp.port==4443,quic"],
        "quic",
        &[
            "frame.number",
            "quic.version",
            "quic.dcid",
            "quic.scid",
            "quic.frame_type",
        ],
    );
    assert!(theirs.len() >= 2, "tshark's QUIC packets: {theirs:?}");
    let ours = json(path);
    let app = read(path, &["--app"]);
    let mut hellos = 0;
    for row in &theirs {
        let n: usize = row[0].parse().unwrap();
        let q = &ours[n - 1]["quic"];
        let p = &q["packets"][0];
        assert_eq!(p["version"], "0x00000001", "frame {n}");
        assert_eq!(p["dcid"], row[2].as_str(), "frame {n}");
        assert_eq!(p["scid"], row[3].as_str(), "frame {n}");
        // tshark decrypted the same frames from the same Initial.
        assert_eq!(p["decrypted"], true, "frame {n}");
        let names: Vec<&str> = p["frames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| frame_type(f.as_str().unwrap()))
            .collect();
        assert_eq!(names.join(","), row[4], "frame {n}");
        assert!(app[n - 1].contains(&format!("[QUIC Initial v1 dcid={} ", row[2])));
        if let Some(ch) = q.get("client_hello") {
            hellos += 1;
            if let Some(sni) = ch["sni"].as_str() {
                assert_eq!(sni, "example.test");
            }
        }
    }
    assert!(hellos > 0, "no Initial starts a ClientHello");
    // Chromium's ClientHello (post-quantum key share) takes two Initials:
    // the CRYPTO frames are joined and the ClientHello is decoded whole on
    // the datagram tshark names, with tshark's fields and JA4.
    let theirs = fields(
        path,
        &["udp.port==4443,quic"],
        "tls.handshake.type == 1",
        &[&["frame.number"], JA4_FIELDS].concat(),
    );
    assert!(!theirs.is_empty(), "tshark reads no ClientHello");
    let whole: Vec<usize> = (0..ours.len())
        .filter(|&i| ours[i]["quic"]["client_hello"]["complete"] == true)
        .map(|i| i + 1)
        .collect();
    let frames: Vec<usize> = theirs.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(whole, frames, "ClientHellos decoded whole vs tshark's");
    for row in &theirs {
        let n: usize = row[0].parse().unwrap();
        let (q, row) = (&ours[n - 1]["quic"], &row[1..]);
        let ch = &q["client_hello"];
        assert_eq!(ch["sni"], row[3].as_str(), "frame {n}");
        assert_eq!(ch["alpn"][0], row[4].as_str(), "frame {n}");
        let fp = ja4('q', row);
        assert_eq!(ch["ja4"], fp.as_str(), "frame {n}");
        assert!(
            app[n - 1].ends_with(&format!(" ja4={fp}]")),
            "{}",
            app[n - 1]
        );
        let first = q["reassembled"]["first_packet"].as_u64();
        if let Some(first) = first {
            assert!((first as usize) < n, "{q}");
            assert!(app[first as usize - 1].contains(" ClientHello partial "));
        }
        eprintln!("QUIC ClientHello in frame {n} (from frame {first:?}) equals tshark's");
    }
    let flows = text(&sockscope(&["read", path, "--flows", "--json"]).stdout);
    assert!(flows.contains(r#""service":"quic""#), "{flows}");
}

/// RFC 9001 Appendix A.2's client Initial, in a UDP datagram to port 443.
#[test]
fn rfc9001_client_initial_equals_tshark() {
    if !have_tool("tshark") {
        eprintln!("SKIPPED: tshark is not installed");
        return;
    }
    let hex: String = include_str!("../src/dissect/quic/rfc9001_a2_client_initial.hex")
        .split_whitespace()
        .collect();
    let initial: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let frame = support::app_captures::udp(true, 50000, 443, &initial);
    let dir = tempdir();
    let path = dir.join("rfc9001.pcap");
    std::fs::write(&path, support::app_captures::capture(&[frame])).unwrap();
    let path = path.to_str().unwrap();
    let theirs = fields(path, &[], "quic", JA4_FIELDS);
    let row = theirs.first().expect("tshark decodes the Initial");
    assert_eq!(row[3], "example.com");
    let ours = &json(path)[0]["quic"]["client_hello"];
    assert_eq!(ours["sni"], "example.com");
    assert_eq!(ours["alpn"][0], row[4].as_str());
    assert_eq!(ours["ja4"], ja4('q', row).as_str());
    let line = &read(path, &["--app"])[0];
    assert!(
        line.ends_with(&format!(" ja4={}]", ja4('q', row))),
        "{line}"
    );
    assert!(line.contains("UDP, length 1200 [QUIC Initial v1 dcid=8394c8f03e515708 pn=2 ClientHello sni=example.com alpn=alpn"), "{line}");
}
