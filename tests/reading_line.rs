//! tcpdump's first line on stderr when it reads a file, `reading from file
//! F, link-type NAME (Description), snapshot length N`: sockscope's
//! `read` (and `-r`) prints the same line first, for every committed
//! capture (pcap and pcapng, every link type in `captures/`), from stdin,
//! for headers whose snap length libpcap adjusts, and for a pcapng file
//! whose first interface comes after other blocks. Machine output on
//! stdout never holds it.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::bin::{command, require_tool, text};
use support::{root, tempdir};

/// `PROGRAM ARGS` run from the crate root (file names as given appear in
/// the line), with `stdin` on its standard input when given.
fn run(mut cmd: Command, stdin: Option<&Path>) -> Output {
    cmd.current_dir(root()).env("TZ", "UTC");
    if let Some(file) = stdin {
        cmd.stdin(Stdio::from(std::fs::File::open(file).expect("stdin file")));
    }
    cmd.output().expect("the program runs")
}

fn tcpdump(args: &[&str], stdin: Option<&Path>) -> Output {
    let mut cmd = Command::new("tcpdump");
    cmd.arg("-n").args(args);
    run(cmd, stdin)
}

/// The first stderr line of `out`.
fn first_err_line(out: &Output) -> String {
    text(&out.stderr).lines().next().unwrap_or("").to_string()
}

/// Our first stderr line for `args` equals tcpdump's for `tcpdump_args`,
/// is a `reading from file` line, and stdout does not hold it. Returns it.
fn same_first_line(ours: &[&str], theirs: &[&str], stdin: Option<&Path>) -> String {
    let want = first_err_line(&tcpdump(theirs, stdin));
    let out = run(command(ours), stdin);
    let got = first_err_line(&out);
    assert!(
        want.starts_with("reading from file "),
        "tcpdump {theirs:?}: {want}"
    );
    assert_eq!(got, want, "sockscope {ours:?} vs tcpdump {theirs:?}");
    assert!(
        !text(&out.stdout).contains("reading from file"),
        "{ours:?}: the line is on stdout"
    );
    want
}

/// The words between `link-type ` and `, snapshot length`.
fn link_words(line: &str) -> &str {
    line.split(", link-type ")
        .nth(1)
        .and_then(|rest| rest.split(", snapshot length").next())
        .unwrap_or("")
}

#[test]
fn first_stderr_line_is_tcpdumps_on_every_committed_capture() {
    if !require_tool("tcpdump") {
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(root().join("captures"))
        .expect("captures/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng"))
        .collect();
    names.sort();
    let mut links = BTreeSet::new();
    let mut snaplens = BTreeSet::new();
    for name in &names {
        let rel = format!("captures/{name}");
        let line = same_first_line(&["read", &rel, "-c", "1"], &["-r", &rel, "-c", "1"], None);
        links.insert(link_words(&line).to_string());
        snaplens.insert(line.rsplit(' ').next().unwrap_or("").to_string());
    }
    // The test means something only if the captures vary.
    assert!(names.len() > 50, "{} captures", names.len());
    assert!(names.iter().any(|n| n.ends_with(".pcapng")), "a pcapng");
    assert!(links.len() >= 6, "link types: {links:?}");
    assert!(snaplens.len() >= 3, "snap lengths: {snaplens:?}");
}

#[test]
fn stdin_the_r_form_and_machine_output_modes() {
    if !require_tool("tcpdump") {
        return;
    }
    let root = root();
    for name in ["demo_chat.pcap", "inspect_two_interfaces.pcapng"] {
        let rel = format!("captures/{name}");
        let file = root.join(&rel);
        same_first_line(
            &["read", "-", "-c", "1"],
            &["-r", "-", "-c", "1"],
            Some(&file),
        );
        same_first_line(&["-r", &rel, "-c", "1"], &["-r", &rel, "-c", "1"], None);
        same_first_line(&["-nr", &rel, "-q"], &["-r", &rel, "-q"], None);
        // stderr is for people: the line is there in every mode, and the
        // machine output on stdout stays without it.
        for mode in [&["--json"][..], &["--flows"], &["--flows", "--json"]] {
            let mut args = vec!["read", rel.as_str()];
            args.extend_from_slice(mode);
            same_first_line(&args, &["-r", &rel], None);
        }
    }
    // tcpdump prints it with -w too.
    let dir = tempdir();
    let (a, b) = (dir.join("a.pcap"), dir.join("b.pcap"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    same_first_line(
        &["read", "captures/demo_udp.pcap", "-w", a],
        &["-r", "captures/demo_udp.pcap", "-w", b],
        None,
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// tcpdump reads one file; merged files get the line tcpdump prints for
/// each, in the order given.
#[test]
fn merged_files_get_one_line_each() {
    if !require_tool("tcpdump") {
        return;
    }
    let files = [
        "captures/inspect_sll.pcap",
        "captures/inspect_two_interfaces.pcapng",
        "captures/inspect_raw.pcap",
    ];
    let want: Vec<String> = files
        .iter()
        .map(|f| first_err_line(&tcpdump(&["-r", f, "-c", "1"], None)))
        .collect();
    let mut args = vec!["read"];
    args.extend_from_slice(&files);
    let out = run(command(&args), None);
    let err = text(&out.stderr);
    let got: Vec<&str> = err.lines().take(files.len()).collect();
    assert_eq!(got, want, "{err}");
}

fn pcap_header(snaplen: u32, link: u32) -> Vec<u8> {
    let mut h = Vec::new();
    for field in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, snaplen, link] {
        h.extend_from_slice(&field.to_le_bytes());
    }
    h
}

/// A pcapng block of `kind` around `body`, in the byte order `be`.
fn block(kind: u32, body: &[u8], be: bool) -> Vec<u8> {
    let word = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let len = u32::try_from(12 + body.len()).unwrap();
    let mut b = word(kind).to_vec();
    b.extend_from_slice(&word(len));
    b.extend_from_slice(body);
    b.extend_from_slice(&word(len));
    b
}

fn section(be: bool) -> Vec<u8> {
    let mut body = if be {
        [0x1a2b_3c4du32.to_be_bytes(), [0, 1, 0, 0]].concat()
    } else {
        [0x1a2b_3c4du32.to_le_bytes(), [1, 0, 0, 0]].concat()
    };
    body.extend_from_slice(&[0xff; 8]);
    block(0x0a0d_0d0a, &body, be)
}

fn interface(link: u16, snaplen: u32, be: bool) -> Vec<u8> {
    let body = if be {
        [&link.to_be_bytes()[..], &[0, 0], &snaplen.to_be_bytes()].concat()
    } else {
        [&link.to_le_bytes()[..], &[0, 0], &snaplen.to_le_bytes()].concat()
    };
    block(1, &body, be)
}

/// Snap lengths libpcap adjusts (0, and those negative as a C int) and
/// those it keeps (large ones, D-Bus and USBPcap maxima), the first
/// interface after a name-resolution block, a big-endian pcapng.
#[test]
fn header_corners_say_what_libpcap_says() {
    if !require_tool("tcpdump") {
        return;
    }
    // Link type field (Ethernet, USBPcap, D-Bus, Ethernet with FCS bits,
    // one libpcap does not name) and the snap lengths tried with it.
    let headers: [(u32, &[u32]); 5] = [
        (1, &[0, 300_000, 0x8000_0000, 0x7fff_ffff]),
        (249, &[0]),
        (231, &[0xffff_ffff]),
        (0x1400_0001, &[1500]),
        (147, &[65535]),
    ];
    let mut files: Vec<(String, Vec<u8>)> = headers
        .iter()
        .flat_map(|&(link, snaplens)| snaplens.iter().map(move |&snap| (link, snap)))
        .map(|(link, snap)| (format!("{link}-{snap}.pcap"), pcap_header(snap, link)))
        .collect();
    let nrb = block(4, &[0, 0, 0, 0], false);
    files.push((
        "after-nrb.pcapng".into(),
        [
            section(false),
            nrb,
            interface(113, 0, false),
            interface(1, 9, false),
        ]
        .concat(),
    ));
    files.push((
        "big-endian.pcapng".into(),
        [section(true), interface(101, 96, true)].concat(),
    ));
    files.push((
        "usb-neg.pcapng".into(),
        [section(false), interface(249, 0xffff_ffff, false)].concat(),
    ));
    let dir = tempdir();
    for (name, bytes) in &files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let p = path.to_str().unwrap();
        same_first_line(&["read", p], &["-r", p], None);
    }
    std::fs::remove_dir_all(&dir).ok();
}
