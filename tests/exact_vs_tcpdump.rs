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

/// Fractions of a second a damaged record may hold, in a microsecond or
/// a nanosecond file: sane ones, just past the second, past it by far,
/// with bit 31 set (negative, as libpcap reads the field), the largest.
fn odd_fractions(nanos: bool) -> Vec<u32> {
    let unit: u32 = if nanos { 1_000_000_000 } else { 1_000_000 };
    vec![
        5,
        unit - 1,
        unit,
        unit + unit / 2,
        808_464_432,
        2_147_483_647,
        1 << 31,
        4_043_485_718,
        !0,
    ]
}

/// Records at `(seconds, fraction)`, each a UDP datagram of its own port
/// pair (so `read --threads` spreads them over its workers), written to a
/// temporary file `name`; its path.
fn timed_capture(name: &str, nanos: bool, times: &[(u32, u32)]) -> String {
    use std::borrow::Cow;
    use support::app_captures::udp;
    use support::pcap::{Layout, Record, write_pcap};
    let mut layout = Layout::new(1, 65535);
    layout.nanos = nanos;
    let bytes = write_pcap(
        layout,
        times.iter().enumerate().map(|(i, &(ts_sec, ts_frac))| {
            let data = udp(true, 1000 + i as u16, 2000 + (i % 7) as u16, b"hi").bytes;
            Record {
                ts_sec,
                orig_len: data.len() as u32,
                ts_frac,
                data: Cow::Owned(data),
            }
        }),
    );
    support::temp_file(name, bytes)
        .to_string_lossy()
        .into_owned()
}

/// `-ttt` and `-ttttt` where either record has a fraction past its
/// second: tcpdump subtracts the fields as libpcap hands them over (a
/// nanosecond file's divided by 1000) and borrows a second once, so the
/// span's fraction can be past its second too or wrap (` 00:00:00.520102322`,
/// `-19:46:39.4287513281`); sockscope prints the same, on one thread and
/// on two. Every pair of fractions, the odd one first, second or both,
/// time going forwards, backwards and standing; a file whose first record
/// is odd and one whose first is sane (`-ttttt`'s reference); records at
/// 0.000000 (tcpdump's reference is unset while it is that time: the next
/// packet takes its place).
#[test]
fn fractions_past_the_second_in_spans_as_tcpdump_subtracts_them() {
    let mut compared = 0;
    for nanos in [false, true] {
        let fracs = odd_fractions(nanos);
        let mut times = Vec::new();
        for (i, &a) in fracs.iter().enumerate() {
            for (j, &b) in fracs.iter().enumerate() {
                let base = 1_700_000_000 + (i * fracs.len() + j) as u32 % 5;
                times.push((base, a));
                // The same second, the next, one before, far before.
                let step = [0, 1, 0, 86_400 * 3 + 7, 0];
                times.push(match (i + j) % 4 {
                    0 => (base, b),
                    1 => (base + step[j % 5], b),
                    2 => (base - 1, b),
                    _ => (base - 1_000_000, b),
                });
            }
        }
        let odd_first = times.clone();
        // The first record sane, and 0.000000 along the way.
        times.insert(0, (1_600_000_000, 250_000));
        times.insert(40, (0, 0));
        times.insert(41, (0, 0));
        let zero_first: Vec<(u32, u32)> = [(0, 0), (0, 0)]
            .into_iter()
            .chain(odd_first.iter().copied().skip(5).take(20))
            .collect();
        for (what, list) in [
            ("odd_first", &odd_first),
            ("sane_first", &times),
            ("zero_first", &zero_first),
        ] {
            let path = timed_capture(&format!("odd_spans_{what}_{nanos}.pcap"), nanos, list);
            let Some(counts) = support::app_captures::compare_with_tcpdump(
                &path,
                &["-ttt", "-ttttt", "-ttt -v"],
                list.len(),
            ) else {
                return;
            };
            compared += counts.iter().sum::<usize>();
            for flag in ["-ttt", "-ttttt"] {
                let one = sockscope(&["read", &path, flag]);
                let two = sockscope(&["read", "--threads", "2", &path, flag]);
                assert_eq!(
                    text(&one.stdout),
                    text(&two.stdout),
                    "{path} {flag} --threads 2"
                );
            }
        }
    }
    assert!(compared >= 2_700, "{compared}");
}

/// A pcapng file in either byte order: a section, an Ethernet interface
/// for each `(if_tsresol, if_tsoffset)` (either option left out for
/// `None`), then an enhanced packet block for each `(interface, ticks)`,
/// each a UDP datagram of its own.
fn pcapng_with_times(
    big: bool,
    interfaces: &[(Option<u8>, Option<u64>)],
    packets: &[(u32, u64)],
) -> Vec<u8> {
    use support::app_captures::udp;
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u32b = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut out = Vec::new();
    let mut block = |kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        out.extend_from_slice(&u32b(kind));
        out.extend_from_slice(&u32b(len));
        out.extend_from_slice(body);
        out.extend_from_slice(&u32b(len));
    };
    let mut shb = u32b(0x1a2b_3c4d).to_vec();
    shb.extend_from_slice(&u16b(1));
    shb.extend_from_slice(&u16b(0));
    shb.extend_from_slice(&[0xff; 8]);
    block(0x0a0d_0d0a, &shb);
    for &(tsresol, tsoffset) in interfaces {
        let mut idb = u16b(1).to_vec();
        idb.extend_from_slice(&u16b(0));
        idb.extend_from_slice(&u32b(65535));
        if let Some(r) = tsresol {
            idb.extend_from_slice(&u16b(9));
            idb.extend_from_slice(&u16b(1));
            idb.extend_from_slice(&[r, 0, 0, 0]);
        }
        if let Some(o) = tsoffset {
            idb.extend_from_slice(&u16b(14));
            idb.extend_from_slice(&u16b(8));
            idb.extend_from_slice(&if big {
                o.to_be_bytes()
            } else {
                o.to_le_bytes()
            });
        }
        idb.extend_from_slice(&[0; 4]);
        block(1, &idb);
    }
    for (i, &(interface, ticks)) in packets.iter().enumerate() {
        let frame = udp(true, 1000 + i as u16, 2000, b"ng").bytes;
        let mut epb = u32b(interface).to_vec();
        epb.extend_from_slice(&u32b((ticks >> 32) as u32));
        epb.extend_from_slice(&u32b(ticks as u32));
        epb.extend_from_slice(&u32b(frame.len() as u32));
        epb.extend_from_slice(&u32b(frame.len() as u32));
        epb.extend_from_slice(&frame);
        while !epb.len().is_multiple_of(4) {
            epb.push(0);
        }
        block(6, &epb);
    }
    out
}

/// pcapng time stamps at every `-t` level as tcpdump prints them: units
/// of 10^-n and 2^-n seconds, an interface's `if_tsoffset` added to its
/// seconds (in either byte order), interfaces taking turns (the spans of
/// `-ttt`/`-ttttt` across them), times going backwards, 0.000000 (the
/// reference tcpdump leaves unset).
#[test]
fn pcapng_time_stamps_and_offsets_as_tcpdump_prints_them() {
    let t0: u64 = 1_700_000_000;
    let interfaces = [
        (None, None),
        (Some(9), Some(1000)),
        (Some(6), Some(86_400 * 3 + 7)),
        (Some(0x80 | 20), Some(t0)),
        (Some(0), None),
        (Some(3), Some(0)),
    ];
    let packets = [
        (0, t0 * 1_000_000 + 5),
        (1, t0 * 1_000_000_000 + 999_999_999),
        (2, t0 * 1_000_000 + 7),
        (3, (5 << 20) + (1 << 19) + 3),
        (4, t0 + 2),
        (5, t0 * 1000 + 999),
        (0, 0),
        (1, (t0 - 1_000) * 1_000_000_000 + 1),
        (4, 0),
        (0, t0 * 1_000_000 - 86_400 * 1_000_000 * 5 + 1),
        (3, 0),
        (2, 3),
    ];
    let mut compared = 0;
    for big in [false, true] {
        let bytes = pcapng_with_times(big, &interfaces, &packets);
        let path = support::temp_file(&format!("ng_times_{big}.pcapng"), bytes);
        let Some(counts) = support::app_captures::compare_with_tcpdump(
            &path.to_string_lossy(),
            &["", "-tt", "-tttt", "-ttt", "-ttttt"],
            packets.len(),
        ) else {
            return;
        };
        compared += counts.iter().sum::<usize>();
    }
    assert_eq!(compared, 2 * 5 * packets.len());
}

/// `-w` of records whose fraction was past its second: tcpdump writes
/// back the microseconds libpcap handed it (a nanosecond file's divided
/// by 1000); sockscope's nanosecond file holds them times 1000, so
/// tcpdump reads both files alike (`-tt`, `-ttt` and the time of day), on
/// one thread and on two. A microsecond fraction beyond ±2,147,483 does
/// not fit a nanosecond field: such a record keeps the clock's
/// `.999999999` (see `output::pcap`), and is left out here.
#[test]
fn fractions_past_the_second_are_written_back_as_tcpdump_writes_them() {
    if !require_tool("tcpdump") {
        return;
    }
    let dir = support::tempdir();
    let mut compared = 0;
    for nanos in [false, true] {
        let fits = |f: u32| nanos || (f as i32).checked_mul(1000).is_some();
        let mut fracs: Vec<u32> = odd_fractions(nanos)
            .into_iter()
            .filter(|&f| fits(f))
            .collect();
        fracs.extend([2_147_483, (-2_147_483i32) as u32, (-5i32) as u32, 3_000]);
        let times: Vec<(u32, u32)> = fracs
            .iter()
            .enumerate()
            .map(|(i, &f)| (1_700_000_000 + (i as u32 % 3), f))
            .collect();
        let input = timed_capture(&format!("odd_written_{nanos}.pcap"), nanos, &times);
        let theirs = dir.join(format!("tcpdump_{nanos}.pcap"));
        let run = Command::new("tcpdump")
            .args(["-r", &input, "-w"])
            .arg(&theirs)
            .output()
            .expect("tcpdump runs");
        assert!(run.status.success(), "{}", text(&run.stderr));
        for threads in ["1", "2"] {
            let ours = dir.join(format!("sockscope_{nanos}_{threads}.pcap"));
            let ours_s = ours.to_string_lossy().into_owned();
            let run = sockscope(&["read", "--threads", threads, &input, "-w", &ours_s]);
            assert!(run.status.success(), "{}", text(&run.stderr));
            for flags in [&["-tt"][..], &["-ttt"], &[]] {
                let read = |f: &std::path::Path| {
                    let out = Command::new("tcpdump")
                        .args(["-n", "-r"])
                        .arg(f)
                        .args(flags)
                        .env("TZ", "UTC")
                        .output()
                        .expect("tcpdump runs");
                    text(&out.stdout)
                };
                let (want, got) = (read(&theirs), read(&ours));
                assert_eq!(got, want, "{input} -w, read back with {flags:?}");
                assert_eq!(want.lines().count(), times.len());
                compared += times.len();
            }
            // sockscope reads its own file as it read the input.
            for flag in ["-tt", "-ttt"] {
                let a = sockscope(&["read", &input, flag]);
                let b = sockscope(&["read", &ours_s, flag]);
                assert_eq!(text(&a.stdout), text(&b.stdout), "{ours_s} {flag}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(compared >= 90, "{compared}");
}
