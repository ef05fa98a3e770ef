//! The default line, byte for byte `tcpdump -n -r`, on the classes of
//! packets where it used to differ: snapped packets, damaged IPv4 headers,
//! TCP options tcpdump names, IPv6 extension headers and ICMPv6 types, ARP
//! variants, 802.3/LLC frames and named EtherTypes, link types with FCS
//! bits, odd pcap records and a pcapng section without end-of-options.
//! One generated capture per class (`tests/support/exact_captures.rs`).
//!
//! Two checks per capture: sockscope's lines equal the golden file under
//! `tests/golden/exact/` (always; the goldens were blessed from tcpdump's
//! output), and — when tcpdump is installed — tcpdump's own lines equal
//! sockscope's, line by line. Without tcpdump the second check is skipped
//! with a reason, and fails under SOCKSCOPE_REQUIRE_LIVE=1.
//!
//! Where tcpdump is wrong we do not copy it, and the case is left out of
//! the captures (the README says so too): a pcap microsecond field of a
//! million or more prints as a seven-digit fraction (`12:00:00.1500000`),
//! where sockscope clamps it to `.999999`. TCP options of a fixed size
//! with another length byte are read as tcpdump reads them (by their
//! kind's size, `mss 256[len 3]`): `exact_cuts.pcap` has them.

mod support;

use std::process::Command;
use support::bin::{require_tool, sockscope, text};
use support::golden::{check_generated, check_golden};
use support::{capture, exact_captures};

#[test]
fn committed_captures_match_generator() {
    for (name, bytes) in exact_captures::all() {
        check_generated(name, &bytes);
    }
}

fn ours(name: &str) -> String {
    let path = capture(name);
    let out = sockscope(&["read", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn lines_equal_goldens() {
    for (name, _) in exact_captures::all() {
        check_golden(&format!("exact/{name}.out"), &ours(name));
    }
}

#[test]
fn lines_equal_tcpdump() {
    if !require_tool("tcpdump") {
        return;
    }
    let mut differing = Vec::new();
    for (name, _) in exact_captures::all() {
        let theirs = Command::new("tcpdump")
            .args(["-n", "-r"])
            .arg(capture(name))
            .env("TZ", "UTC")
            .output()
            .expect("tcpdump runs");
        let theirs = text(&theirs.stdout);
        assert!(!theirs.is_empty(), "tcpdump printed nothing for {name}");
        let ours = ours(name);
        let (a, b): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
        for i in 0..a.len().max(b.len()) {
            let (t, o) = (a.get(i).copied(), b.get(i).copied());
            if t != o {
                differing.push(format!(
                    "{name} line {}:\n  tcpdump:   {}\n  sockscope: {}",
                    i + 1,
                    t.unwrap_or("(none)"),
                    o.unwrap_or("(none)")
                ));
            }
        }
    }
    assert!(
        differing.is_empty(),
        "{} lines differ from tcpdump's:\n{}",
        differing.len(),
        differing.join("\n")
    );
}

/// The 802.3 and EtherType frames at the other levels: `-e`'s link
/// words, `-v`, the dumps of `-x`/`-X` (where an unknown EtherType's hex
/// starts), the same lines as tcpdump's.
#[test]
fn ethertypes_equal_tcpdump_at_every_level() {
    if !require_tool("tcpdump") {
        return;
    }
    let path = capture("exact_ethertypes.pcap");
    let path = path.to_str().unwrap();
    for flags in [&["-e"][..], &["-v"], &["-x"], &["-X"], &["-e", "-x"]] {
        let theirs = Command::new("tcpdump")
            .arg("-n")
            .args(flags)
            .args(["-r", path])
            .env("TZ", "UTC")
            .output()
            .expect("tcpdump runs");
        let mut args = vec!["read"];
        args.extend(flags);
        args.push(path);
        let ours = sockscope(&args);
        assert_eq!(ours.status.code(), Some(0), "{}", text(&ours.stderr));
        let (theirs, ours) = (text(&theirs.stdout), text(&ours.stdout));
        assert!(theirs.lines().count() > 60, "{flags:?}: {theirs}");
        for (i, (t, o)) in theirs.lines().zip(ours.lines()).enumerate() {
            assert_eq!(o, t, "{flags:?} line {}", i + 1);
        }
        assert_eq!(ours.lines().count(), theirs.lines().count(), "{flags:?}");
    }
}

/// Records whose original length is 0 or below the captured one: the
/// line says so (the goldens above); `-w` writes them as read, as tcpdump
/// does, so the copy prints the same lines; JSON's `len` never goes below
/// what the record holds.
#[test]
fn invalid_record_lengths_written_as_read() {
    let path = capture("exact_records.pcap");
    let copy = support::tempdir().join("copy.pcap");
    let out = sockscope(&["read", path.to_str().unwrap(), "-w", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let again = sockscope(&["read", copy.to_str().unwrap()]);
    let lines = text(&again.stdout);
    assert_eq!(lines, ours("exact_records.pcap"));
    assert!(
        lines.contains("[Invalid header: len(30) < caplen(43)]\n"),
        "{lines}"
    );
    assert!(lines.contains("[Invalid header: len==0]\n"), "{lines}");
    let json = sockscope(&["read", path.to_str().unwrap(), "--json"]);
    let json = text(&json.stdout);
    let lens: Vec<(u64, u64)> = json
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            (v["caplen"].as_u64().unwrap(), v["len"].as_u64().unwrap())
        })
        .collect();
    // The records say 30 and 0 for 43 captured bytes: JSON says 43.
    assert_eq!(
        lens,
        [(43, 43), (0, 0), (0, 60), (43, 43), (43, 43), (43, 43)],
        "{json}"
    );
}

/// Records longer than the file's snap length (a Solaris bufmod habit,
/// and fuzzed files): libpcap keeps the first snap-length bytes, skips the
/// rest and reports the snap length as captured, so checksums go
/// unverified, the dumps stop there and `[Invalid header: len(34) <
/// caplen(40)]` names the kept length. A snap length of 0 or past a C
/// int's range is the link type's maximum. Compared with tcpdump at six
/// flag sets for seven snap lengths; `-w` writes the records as cut.
#[test]
fn records_past_the_snap_length_are_cut_as_libpcap_cuts_them() {
    use std::borrow::Cow;
    use support::app_captures::{compare_with_tcpdump, udp};
    use support::pcap::{Layout, Record, write_pcap};
    let long = udp(true, 1000, 2000, &[b'a'; 150]).bytes;
    let short = udp(false, 1000, 2000, b"hi").bytes;
    let records = [
        (long.clone(), long.len()),
        (short.clone(), short.len()),
        (long.clone(), 34),
    ];
    let mut compared = 0;
    for snaplen in [0u32, 20, 40, 64, 100, 0x7fff_ffff, 0x8000_0000] {
        let bytes = write_pcap(
            Layout::new(1, snaplen),
            records.iter().enumerate().map(|(i, (data, orig))| Record {
                ts_sec: 1_000_000,
                ts_frac: i as u32,
                data: Cow::Borrowed(data.as_slice()),
                orig_len: *orig as u32,
            }),
        );
        let name = format!("past_snaplen_{snaplen}.pcap");
        let path = support::temp_file(&name, bytes);
        let p = path.to_string_lossy().into_owned();
        let levels = ["", "-v", "-vv", "-x", "-X -v", "-e"];
        let Some(counts) = compare_with_tcpdump(&p, &levels, records.len()) else {
            return;
        };
        compared += counts.iter().sum::<usize>();
        // The copy holds the records as cut and prints the same lines.
        let copy = support::tempdir().join(format!("copy_{name}"));
        let out = sockscope(&["read", &p, "-w", copy.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let vv = |f: &str| text(&sockscope(&["read", f, "-vv", "-x"]).stdout);
        assert_eq!(vv(copy.to_str().unwrap()), vv(&p), "{name}");
    }
    eprintln!("records past the snap length: {compared} lines identical to tcpdump's");
}

/// A record whose fraction is past its second (damaged or fuzzed files):
/// libpcap hands the number over as it is and tcpdump prints it
/// (`.808464432`); so does sockscope, at the default time, `-tt` and
/// `-tttt`, in microsecond and nanosecond files.
#[test]
fn fractions_past_the_second_print_as_tcpdump_prints_them() {
    use std::borrow::Cow;
    use support::app_captures::{compare_with_tcpdump, udp};
    use support::pcap::{Layout, Record, write_pcap};
    let data = udp(true, 1000, 2000, b"hi").bytes;
    let mut compared = 0;
    for nanos in [false, true] {
        let fracs = [
            0u32,
            999_999,
            1_000_000,
            808_464_432,
            999_999_999,
            1 << 31,
            !0,
        ];
        let mut layout = Layout::new(1, 65535);
        layout.nanos = nanos;
        let bytes = write_pcap(
            layout,
            fracs.iter().enumerate().map(|(i, &f)| Record {
                ts_sec: 1_700_000_000 + i as u32,
                ts_frac: f,
                data: Cow::Borrowed(data.as_slice()),
                orig_len: data.len() as u32,
            }),
        );
        let name = format!("odd_fractions_{nanos}.pcap");
        let path = support::temp_file(&name, bytes);
        let p = path.to_string_lossy().into_owned();
        let Some(counts) = compare_with_tcpdump(&p, &["", "-tt", "-tttt", "-v"], fracs.len())
        else {
            return;
        };
        compared += counts.iter().sum::<usize>();
    }
    assert!(compared >= 56, "{compared}");
}
