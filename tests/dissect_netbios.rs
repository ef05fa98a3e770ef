//! NetBIOS (name, datagram and session services) and SMB over TCP.
//! Debian's tcpdump is built without its SMB printer, so its lines for
//! these ports are `UDP, length N` and bare TCP lines: sockscope's must
//! stay byte for byte the same at every level, while `--json` decodes the
//! messages — and every decoded field is compared with what `tshark`
//! (Wireshark's dissectors) reads in the same frames. Hand-built messages
//! (`tests/support/netbios_captures.rs`, cut at every length), and real
//! ones: Samba's `nmbd` and `smbd` in a network namespace, asked by
//! `nmblookup` and `smbclient` from another across a veth pair.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::app_captures::compare_with_tcpdump;
use support::bin::{BIN, Listening, have_tool, packets_json, require_tool, sockscope, text};
use support::netbios_captures;
use support::netns::{Netns, Server};
use support::tempdir;

/// The first `"smb"` object of a packet, wherever the transport put it
/// (on 139, the first session message that carries one).
fn smb(p: &Value) -> &Value {
    let listed = p["nbss"]["messages"].as_array().into_iter().flatten();
    [&p["smb"], &p["nbdgm"]["smb"]]
        .into_iter()
        .chain(listed.map(|m| &m["smb"]))
        .find(|v| v.is_object())
        .unwrap_or(&Value::Null)
}

/// The first name of a name-service message, as tshark's first
/// `nbns.name`: the first question's, else the first record's.
fn first_nbns_name(p: &Value) -> &Value {
    let n = &p["nbns"];
    ["questions", "answers", "authority", "additional"]
        .iter()
        .map(|k| &n[k][0]["name"])
        .find(|v| v.is_string())
        .unwrap_or(&Value::Null)
}

/// The first address of a name-service message's NB records.
fn first_nbns_address(p: &Value) -> &Value {
    let n = &p["nbns"];
    ["answers", "authority", "additional"]
        .iter()
        .map(|k| &n[k][0]["addresses"][0]["address"])
        .find(|v| v.is_string())
        .unwrap_or(&Value::Null)
}

type Field = fn(&Value) -> &Value;

/// Each tshark field and where sockscope's JSON has the same value.
const FIELDS: &[(&str, Field)] = &[
    ("nbns.id", |p| &p["nbns"]["transaction_id"]),
    ("nbns.flags", |p| &p["nbns"]["flags"]),
    ("nbns.name", first_nbns_name),
    ("nbns.addr", first_nbns_address),
    ("nbdgm.type", |p| &p["nbdgm"]["type"]),
    ("nbdgm.dgram_id", |p| &p["nbdgm"]["datagram_id"]),
    ("nbdgm.source_name", |p| &p["nbdgm"]["source_name"]),
    (
        "nbdgm.destination_name",
        |p| &p["nbdgm"]["destination_name"],
    ),
    ("nbss.type", |p| &p["nbss"]["type"]),
    ("nbss.length", |p| &p["nbss"]["length"]),
    ("nbss.called_name", |p| &p["nbss"]["called_name"]),
    ("nbss.calling_name", |p| &p["nbss"]["calling_name"]),
    ("smb.cmd", |p| &smb(p)["command"]),
    ("smb.nt_status", |p| &smb(p)["status"]),
    ("smb.mid", |p| &smb(p)["mid"]),
    ("smb2.cmd", |p| &smb(p)["command"]),
    ("smb2.nt_status", |p| &smb(p)["status"]),
    ("smb2.msg_id", |p| &smb(p)["message_id"]),
    ("browser.command", |p| &smb(p)["browse"]["opcode"]),
    ("browser.server", |p| &smb(p)["browse"]["server_name"]),
];

/// Whether tshark's text for a field says `ours`: numbers in hex (`0x1a2b`)
/// or decimal, names with Wireshark's ` (Server service)` after them.
fn same(theirs: &str, ours: &Value) -> bool {
    if let Some(n) = ours.as_u64() {
        let parsed = match theirs.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => theirs.parse().ok(),
        };
        return parsed == Some(n);
    }
    let Some(s) = ours.as_str() else {
        return false;
    };
    theirs == s || theirs.strip_prefix(s).is_some_and(|r| r.starts_with(" ("))
}

/// tshark's first value of every field in [`FIELDS`], per frame (from 0).
fn tshark_fields(path: &str) -> Vec<BTreeMap<&'static str, String>> {
    let mut cmd = Command::new("tshark");
    cmd.args(["-r", path, "-T", "fields", "-E", "occurrence=f"]);
    for (f, _) in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("tshark runs");
    text(&out.stdout)
        .lines()
        .map(|line| {
            FIELDS
                .iter()
                .zip(line.split('\t'))
                .filter(|(_, v)| !v.is_empty())
                .map(|((f, _), v)| (*f, v.to_string()))
                .collect()
        })
        .collect()
}

/// Every field tshark decodes in `path` equals sockscope's JSON; with
/// `strict`, sockscope must decode every one of them too (a live TCP
/// capture has messages tshark reassembles across segments, which
/// sockscope reads segment by segment). Returns the values compared.
fn compare_with_tshark(path: &str, strict: bool) -> usize {
    let ours = packets_json(path);
    let theirs = tshark_fields(path);
    assert_eq!(ours.len(), theirs.len(), "packets in {path}");
    let mut compared = 0;
    for (i, (p, t)) in ours.iter().zip(&theirs).enumerate() {
        for (field, where_ours) in FIELDS {
            let Some(value) = t.get(field) else { continue };
            // On 445 tshark reads the 4-byte framing as a session
            // message; sockscope's `"smb"` object has its length.
            let direct = &p["smb"]["message_length"];
            if direct.is_number() && field.starts_with("nbss.") {
                // Its type is always a session message's, 0.
                let want = if *field == "nbss.type" {
                    &Value::from(0)
                } else {
                    direct
                };
                assert!(same(value, want), "{path} frame {}: {field}={value}", i + 1);
                compared += 1;
                continue;
            }
            let mine = where_ours(p);
            if mine.is_null() && !strict {
                continue;
            }
            assert!(
                same(value, mine),
                "{path} frame {}: tshark {field}={value}, sockscope {mine} in {p}",
                i + 1
            );
            compared += 1;
        }
    }
    eprintln!("{path}: {compared} values equal tshark's");
    compared
}

#[test]
fn built_netbios_and_smb_keep_tcpdump_lines_and_json_equals_tshark() {
    let dir = tempdir();
    let path = dir.join("netbios.pcap");
    std::fs::write(&path, netbios_captures::capture()).expect("the capture is written");
    let path = path.to_str().expect("a UTF-8 path");
    let messages = netbios_captures::messages().len();
    compare_with_tcpdump(path, &["", "-v", "-vv", "-x"], messages);
    if !require_tool("tshark") {
        return;
    }
    let compared = compare_with_tshark(path, true);
    assert!(compared > 3 * messages, "only {compared} values compared");
    let (frames, commands, chained) = commands_equal_tshark(path);
    // The AndX chain's tree connect, the compound's second ECHO.
    assert!(chained >= 2, "{chained} chained");
    eprintln!(
        "{path}: SMB commands of {frames} frames equal tshark's: {commands} commands, {chained} chained or compounded"
    );
    // The split messages are decoded on the segments that complete them.
    let packets = packets_json(path);
    let last: Vec<&Value> = packets.iter().rev().take(3).step_by(2).collect();
    assert_eq!(last[0]["nbss"]["called_name"], "FILESRV<20>", "{}", last[0]);
    assert_eq!(
        last[1]["smb"]["command_name"], "TREE_CONNECT",
        "{}",
        last[1]
    );
    // The flows' services are Zeek's: `dns` for the name service, `smb`
    // for SMB on 139 and 445, none for the datagram service.
    let flows = text(&sockscope(&["read", path, "--flows", "--json"]).stdout);
    for service in [r#""service":"dns""#, r#""service":"smb""#] {
        assert!(flows.contains(service), "{service} in {flows}");
    }
}

/// The names Samba's server side uses.
const SERVER_CONF: &str = "[global]
workgroup = NBTGRP
netbios name = NBTSRV
server string = sockscope test
bind interfaces only = yes
map to guest = Bad User
server min protocol = NT1
local master = yes
preferred master = yes
os level = 65
domain master = yes
";

/// A configuration whose state lives in `dir`, with `more` after
/// `[global]`'s own lines.
fn samba_conf(dir: &Path, head: &str, more: &str) -> String {
    let d = dir.display();
    let mut conf = head.to_string();
    for key in [
        "lock directory",
        "state directory",
        "cache directory",
        "private dir",
        "pid directory",
        "ncalrpc dir",
    ] {
        let sub = key.replace(' ', "_");
        std::fs::create_dir_all(dir.join(&sub)).expect("a state directory");
        conf.push_str(&format!("{key} = {d}/{sub}\n"));
    }
    conf.push_str(&format!("log file = {d}/log.%m\n{more}"));
    conf
}

/// tshark's number text (`0x73` or `5`) as a number.
fn number(t: &str) -> u64 {
    match t.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).expect("hex"),
        None => t.parse().expect("a number"),
    }
}

/// Every SMB command of every frame, in order — each message of the
/// segment, the commands an SMB1 AndX chains (with tshark's 0xff for
/// "no further commands" after the last AndX) and SMB2's compounded
/// headers — equal tshark's `smb.cmd` and `smb2.cmd` there. Frames,
/// commands, and those in chains or compounds. Frames the capture cut are
/// left out (tshark gives up on some that sockscope reads a command of).
fn commands_equal_tshark(path: &str) -> (usize, usize, usize) {
    let json = packets_json(path);
    let cut = |frame: &usize| json.get(frame - 1).is_some_and(|p| p["truncated"] == true);
    let mut theirs: BTreeMap<usize, Vec<u64>> = support::tshark_tls::fields(
        path,
        &[],
        "smb || smb2",
        &["frame.number", "smb.cmd", "smb2.cmd"],
    )
    .into_iter()
    .map(|r| {
        let cmds = r[1..]
            .iter()
            .flat_map(|f| f.split(',').filter(|v| !v.is_empty()).map(number))
            .collect();
        (r[0].parse().expect("a frame number"), cmds)
    })
    .collect();
    let (mut ours, mut chained) = (BTreeMap::new(), 0);
    const ANDX: &[u64] = &[0x24, 0x2d, 0x2e, 0x2f, 0x73, 0x74, 0x75, 0xa2];
    theirs.retain(|frame, _| !cut(frame));
    for (i, p) in json.iter().enumerate() {
        if cut(&(i + 1)) {
            continue;
        }
        // A message the segment holds only the start of is shown by
        // tshark on the segment that completes it.
        let listed = |v: &Value| -> Vec<Value> {
            let all = v["messages"].as_array().cloned().unwrap_or_default();
            all.into_iter().filter(|m| m["complete"] == true).collect()
        };
        let headers: Vec<Value> = match (p.get("nbss"), p.get("smb"), p.get("nbdgm")) {
            (Some(n), _, _) => listed(n)
                .iter()
                .filter_map(|m| m.get("smb").cloned())
                .collect(),
            (_, Some(s), _) => listed(s),
            // A datagram's one mailslot message.
            (_, _, Some(d)) => d.get("smb").cloned().into_iter().collect(),
            _ => continue,
        };
        let mut cmds = Vec::new();
        for h in &headers {
            let Some(c) = h["command"].as_u64() else {
                continue;
            };
            cmds.push(c);
            let [andx, compound]: [Vec<u64>; 2] = ["andx", "compound"].map(|key| {
                let list = h[key].as_array().into_iter().flatten();
                list.filter_map(|a| a["command"].as_u64()).collect()
            });
            chained += andx.len() + compound.len();
            let last = andx.last().copied().unwrap_or(c);
            cmds.extend(andx);
            if h["version"] == 1 && ANDX.contains(&last) && h["word_count"].as_u64() >= Some(2) {
                cmds.push(0xff);
            }
            cmds.extend(compound);
        }
        if !cmds.is_empty() {
            ours.insert(i + 1, cmds);
        }
    }
    assert_eq!(ours, theirs, "SMB commands by frame: sockscope vs tshark");
    let commands = theirs.values().map(Vec::len).sum();
    (theirs.len(), commands, chained)
}

/// Real NetBIOS and SMB: `nmbd` and `smbd` in one namespace, `nmblookup`
/// (broadcast and unicast queries, a node status) and `smbclient` (share
/// lists and a directory listing over 445 with SMB2/3 and over 139 with
/// NT1) in another; `sockscope capture` records the server's side of the
/// veth pair. Its reading equals tcpdump's at the default level and `-v`,
/// the JSON equals tshark's fields, the flows say `dns` and `smb`. Skips
/// without Samba unless SOCKSCOPE_REQUIRE_LIVE=1.
#[test]
fn nmblookup_and_smbclient_against_samba_equal_tcpdump_and_tshark() {
    let tools = [
        "nmbd",
        "smbd",
        "nmblookup",
        "smbclient",
        "tshark",
        "tcpdump",
    ];
    for tool in tools {
        if !have_tool(tool) {
            assert!(
                !support::env_on("SOCKSCOPE_REQUIRE_LIVE"),
                "{tool} is required under SOCKSCOPE_REQUIRE_LIVE=1"
            );
            eprintln!("SKIPPED: {tool} is not installed");
            return;
        }
    }
    if !support::live::live_allowed() {
        return;
    }
    let Some(srv) = Netns::create_named_or_skip("nbt14f-srv") else {
        return;
    };
    let Some(cli) = Netns::create_named_or_skip("nbt14f-cli") else {
        return;
    };
    if !srv.veth_to(
        &cli,
        ("nbtsrv0", "10.77.0.1/24"),
        ("nbtcli0", "10.77.0.2/24"),
    ) {
        return;
    }
    let dir = tempdir();
    let (sdir, cdir) = (dir.join("server"), dir.join("client"));
    let share = dir.join("share");
    std::fs::create_dir_all(&share).expect("the share");
    std::fs::write(share.join("hello.txt"), "hello\n").expect("a file");
    let server_conf = dir.join("smb.conf");
    let shares = format!(
        "interfaces = nbtsrv0\n[pub]\npath = {}\nguest ok = yes\nread only = yes\n",
        share.display()
    );
    std::fs::write(&server_conf, samba_conf(&sdir, SERVER_CONF, &shares)).expect("smb.conf");
    let client_conf = dir.join("client.conf");
    let client_head = "[global]\nworkgroup = NBTGRP\nnetbios name = NBTCLI\n";
    std::fs::write(
        &client_conf,
        samba_conf(&cdir, client_head, "interfaces = nbtcli0\n"),
    )
    .expect("client.conf");
    let (sc, cc) = (
        server_conf.to_str().expect("UTF-8"),
        client_conf.to_str().expect("UTF-8"),
    );

    let pcap = dir.join("samba_live.pcap");
    let path = pcap.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(srv.exec(&[
        BIN, "capture", "-i", "nbtsrv0", "-w", path, "port", "137", "or", "port", "138", "or",
        "port", "139", "or", "port", "445",
    ]));
    let daemon = |name: &str| {
        Server(
            srv.exec(&[name, "-F", "--no-process-group", "-s", sc, "-d0"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("the daemon starts"),
        )
    };
    let _nmbd = daemon("nmbd");
    let _smbd = daemon("smbd");
    // nmbd registers its names by broadcast (about 3 s) before it answers.
    std::thread::sleep(Duration::from_secs(6));
    let clients: &[&[&str]] = &[
        &["nmblookup", "-s", cc, "-B", "10.77.0.255", "NBTSRV"],
        &["nmblookup", "-s", cc, "-U", "10.77.0.1", "NBTGRP#1e"],
        &["nmblookup", "-s", cc, "-A", "10.77.0.1"],
        &["smbclient", "-s", cc, "-N", "-L", "//10.77.0.1"],
        &[
            "smbclient",
            "-s",
            cc,
            "-N",
            "//NBTSRV/pub",
            "-I",
            "10.77.0.1",
            "-p",
            "139",
            "-m",
            "NT1",
            "--option=client min protocol=NT1",
            "-c",
            "ls",
        ],
        &["smbclient", "-s", cc, "-N", "//10.77.0.1/pub", "-c", "ls"],
    ];
    for c in clients {
        let mut args = vec!["timeout", "20"];
        args.extend_from_slice(c);
        let out = cli.exec(&args).output().expect("the client runs");
        eprintln!("{c:?}: {} {}", out.status, text(&out.stdout).trim());
    }
    std::thread::sleep(Duration::from_millis(500));
    capture.stop_ok(libc::SIGTERM);

    let lines = compare_with_tcpdump(path, &["", "-v"], 20);
    assert!(lines.is_some() || !require_tool("tcpdump"));
    let compared = compare_with_tshark(path, true);
    assert!(compared >= 40, "only {compared} values compared");
    let (frames, commands, chained) = commands_equal_tshark(path);
    assert!(frames >= 20, "{frames} frames");
    eprintln!(
        "{path}: SMB commands of {frames} frames equal tshark's smb.cmd/smb2.cmd: {commands} commands, {chained} in AndX chains or compounds"
    );
    let json = text(&sockscope(&["read", path, "--json"]).stdout);
    for want in [
        r#""name":"NBTSRV<20>""#,
        r#""opcode_name":"registration""#,
        r#""command_name":"SMBnegprot""#,
        r#""command_name":"NEGOTIATE_PROTOCOL""#,
        r#""command_name":"TREE_CONNECT""#,
        r#""type_name":"session_request""#,
        r#""server_name":"NBTSRV""#,
    ] {
        assert!(json.contains(want), "{want} missing from the JSON");
    }
    let flows = text(&sockscope(&["read", path, "--flows", "--json"]).stdout);
    for service in [r#""service":"dns""#, r#""service":"smb""#] {
        assert!(flows.contains(service), "{service} in {flows}");
    }
}
