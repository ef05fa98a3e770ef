//! Linux usbmon captures, link types 189 (USB_LINUX: a 48-byte header)
//! and 220 (USB_LINUX_MMAPPED: 64 bytes and the isochronous
//! descriptors), on records built by hand (`tests/support/usb_captures.rs`)
//! in both byte orders: `sockscope read` prints what `tcpdump -n -r`
//! prints, byte for byte, for every record whole and cut at every length,
//! at every level (tcpdump 4.99 says the same words at each: the setup
//! packet, status and lengths are never printed) and in every dump (from
//! the byte after the header, from the first of a cut one); `--json`
//! holds the whole header in the reader's byte order; filters select what
//! libpcap's select (`link[]` and the lengths) and are refused in
//! libpcap's words otherwise; damaged records never panic.

mod support;

use serde_json::{Value, json};
use std::process::Command;
use support::app_captures::{compare_with_tcpdump, damaged_frames_through_every_stage};
use support::bin::{require_tool, sockscope, text};
use support::rng::mutation_rounds;
use support::temp_file;
use support::usb_captures::{self, USB_LINUX, USB_LINUX_MMAPPED, Usb, iso_descs, setup};

const LEVELS: &[&str] = &["", "-e", "-v", "-vv", "-x", "-e -x", "-X", "-A"];

/// The four captures: each link type in each byte order, every record
/// whole and cut at every length.
/// `test` names the files (tests run at once, each writes its own).
fn captures(test: &str) -> Vec<(String, std::path::PathBuf, usize)> {
    let mut out = Vec::new();
    for link in [USB_LINUX, USB_LINUX_MMAPPED] {
        for big_endian in [false, true] {
            let frames = usb_captures::records(link, big_endian);
            let bytes = usb_captures::capture(link, big_endian, &frames, usize::MAX);
            let order = if big_endian { "be" } else { "le" };
            let name = format!("usb_{test}_{link}_{order}.pcap");
            out.push((name.clone(), temp_file(&name, bytes), frames.len()));
        }
    }
    out
}

#[test]
fn usb_lines_equal_tcpdump() {
    let mut total = 0;
    for (name, path, frames) in captures("lines") {
        let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), LEVELS, frames) else {
            return;
        };
        eprintln!("{name}: lines per level {LEVELS:?}: {counts:?}");
        total += counts.iter().sum::<usize>();
    }
    eprintln!("usbmon: {total} lines identical to tcpdump's");
    assert!(total > 100_000, "only {total} lines compared");
}

/// The same records in pcapng sections of either byte order (libpcap
/// swaps by the section's order there): the same lines as tcpdump's.
#[test]
fn usb_pcapng_lines_equal_tcpdump() {
    let mut total = 0;
    for link in [USB_LINUX, USB_LINUX_MMAPPED] {
        for big_endian in [false, true] {
            let frames = usb_captures::records(link, big_endian);
            let bytes = usb_captures::pcapng(link, big_endian, &frames);
            let path = temp_file(&format!("usb_{link}_{big_endian}.pcapng"), bytes);
            let levels = ["", "-x", "-e -X"];
            let Some(counts) = compare_with_tcpdump(&path.to_string_lossy(), &levels, frames.len())
            else {
                return;
            };
            total += counts.iter().sum::<usize>();
        }
    }
    eprintln!("usbmon in pcapng: {total} lines identical to tcpdump's");
    assert!(total > 50_000, "only {total} lines compared");
}

/// The first records' words, fixed here as tcpdump prints them (so that
/// a tcpdump that printed nothing could not pass): bus 3, device 5, the
/// endpoint without its direction bit, ` ?` for unknown types, and the
/// header's bus in the writer's byte order read right.
#[test]
fn usb_words_are_tcpdumps() {
    for (name, path, _) in captures("words") {
        let out = sockscope(&["read", &path.to_string_lossy(), "-c", "16"]);
        let lines: Vec<String> = text(&out.stdout)
            .lines()
            .map(|l| l.split_once(' ').map_or("", |(_, rest)| rest).to_string())
            .collect();
        let want = [
            "USB ISOCHRONOUS SUBMIT to 3:5:1",
            "USB ISOCHRONOUS SUBMIT to 3:5:2",
            "USB INTERRUPT SUBMIT from 3:5:1",
            "USB INTERRUPT SUBMIT from 3:5:2",
            "USB CONTROL SUBMIT to 3:5:1",
            "USB CONTROL SUBMIT to 3:5:2",
            "USB BULK SUBMIT to 3:5:1",
            "USB BULK SUBMIT to 3:5:2",
            "USB  ? SUBMIT 3:5:1",
            "USB  ? SUBMIT 3:5:2",
            "USB  ? SUBMIT 3:5:1",
            "USB  ? SUBMIT 3:5:2",
            "USB  ? SUBMIT 3:5:1",
            "USB  ? SUBMIT 3:5:2",
            "USB ISOCHRONOUS COMPLETE from 3:5:1",
            "USB ISOCHRONOUS COMPLETE from 3:5:2",
        ];
        assert_eq!(lines, want, "{name}");
    }
}

/// `--json`'s `link_layer` of a control submission and of an
/// isochronous completion with its descriptors: every field, the same
/// from a file in either byte order.
#[test]
fn json_holds_the_usb_header() {
    for big_endian in [false, true] {
        let mut control = Usb::new(b'S', 2, 0x80);
        (control.setup_flag, control.status, control.urb_len) = (0, -115, 18);
        control.setup = setup(0x80, 6, 0x0100, 0, 18);
        control.bus = 0x0102;
        let mut iso = Usb::new(b'C', 0, 0x84);
        iso.setup = [0, 0, 0, 0, 2, 0, 0, 0];
        (iso.interval, iso.start_frame, iso.xfer_flags, iso.ndesc) = (1, 0x1234, 0x202, 2);
        (iso.urb_len, iso.data_len) = (384, 32);
        let mut iso_rec = iso.header(USB_LINUX_MMAPPED, big_endian);
        iso_rec.extend_from_slice(&iso_descs(&[(0, 0, 192), (-18, 192, 100)], big_endian));
        let frames = vec![control.header(USB_LINUX_MMAPPED, big_endian), iso_rec];
        let bytes = usb_captures::capture(USB_LINUX_MMAPPED, big_endian, &frames, 0);
        let path = temp_file(&format!("usb_json_{big_endian}.pcap"), bytes);
        let out = sockscope(&["read", &path.to_string_lossy(), "--json", "-c", "2"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let layers: Vec<Value> = text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("json")["link_layer"].clone())
            .collect();
        // What both records say alike, then each one's own fields.
        let common = |event: &str, code: u8, transfer: &str, t: u8, own: Value| {
            let mut o = json!({"type": "usb", "id": 0xffff_8801_2345_6700u64, "event": event,
                   "event_type": code, "transfer": transfer, "transfer_type": t,
                   "device": 5, "ts_sec": 1_300_000_000, "ts_usec": 123_456,
                   "endpoint_in": true, "data_flag": b'<'});
            for (k, v) in own.as_object().into_iter().flatten() {
                o[k] = v.clone();
            }
            o
        };
        let want_control = common(
            "submit",
            b'S',
            "control",
            2,
            json!({"bus": 258, "endpoint": 0, "direction": "to", "setup_flag": 0,
                   "status": -115, "urb_len": 18, "data_len": 0,
                   "setup": {"request_type": 128, "request": 6, "value": 256, "index": 0,
                             "length": 18},
                   "interval": 0, "start_frame": 0, "xfer_flags": 0, "ndesc": 0}),
        );
        let want_iso = common(
            "complete",
            b'C',
            "isochronous",
            0,
            json!({"bus": 3, "endpoint": 4, "direction": "from", "setup_flag": b'-',
                   "status": 0, "urb_len": 384, "data_len": 32,
                   "iso": {"error_count": 0, "numdesc": 2},
                   "interval": 1, "start_frame": 0x1234, "xfer_flags": 0x202, "ndesc": 2,
                   "iso_descriptors": [{"status": 0, "offset": 0, "len": 192},
                                       {"status": -18, "offset": 192, "len": 100}]}),
        );
        assert_eq!(layers, [want_control, want_iso], "big endian: {big_endian}");
    }
}

/// Filters libpcap accepts on usbmon's link types (`link[]`/`ether[]`,
/// `len`, `greater`, `less`) select the same records as tcpdump's, whole
/// and cut, in both byte orders (libpcap's loads see the header after
/// its swap to this host's order); the others are refused with
/// libpcap's own words.
#[test]
fn usb_filters_select_what_tcpdump_selects() {
    const ACCEPTED: &[&str] = &[
        "link[8] = 0x53",
        "ether[9] = 2 and link[8] = 0x43",
        "link[10] & 0x80 != 0",
        "link[12:2] = 0x0300",
        "link[12:2] = 0x0003",
        "link[28:4] = 0xb9ffffff",
        "greater 60",
        "less 60",
        "len >= 64",
        "not len > 100",
        "link[64:4] = 0xaaaaaaaa",
        "link[len - 1] = 0x78",
    ];
    const REFUSED: &[&str] = &[
        "ip",
        "ip6",
        "arp",
        "tcp",
        "udp port 53",
        "host 10.0.0.1",
        "net 10.0.0.0/8",
        "proto 6",
        "ip[0] = 0x45",
        "tcp[0] = 1",
        "ether proto 0x800",
        "stp",
        "iso",
        "pppoes",
        "ip multicast",
        "len > 0 and ip",
        "ether host 1:2:3:4:5:6",
        "ether broadcast",
        "ether multicast",
        "vlan",
        "mpls",
        "llc",
        "inbound",
        "vlan and ip",
        "type mgt",
    ];
    if !require_tool("tcpdump") {
        return;
    }
    let (mut compared, mut refused) = (0, 0);
    for (name, path, _) in captures("filters") {
        let p = path.to_string_lossy();
        for expr in ACCEPTED {
            let ours = sockscope(&["read", &p, expr]);
            assert!(
                ours.status.success(),
                "{name} {expr}: {}",
                text(&ours.stderr)
            );
            let theirs = tcpdump(&p, expr);
            assert_eq!(text(&ours.stdout), text(&theirs.stdout), "{name} `{expr}`");
            compared += text(&theirs.stdout).lines().count();
        }
        for expr in REFUSED {
            let theirs = tcpdump(&p, expr);
            assert!(!theirs.status.success(), "tcpdump took {expr}");
            let words = text(&theirs.stderr);
            let words = words
                .lines()
                .find_map(|l| l.strip_prefix("tcpdump: "))
                .unwrap_or_default();
            let ours = sockscope(&["read", &p, expr]);
            assert!(!ours.status.success(), "{name} took {expr}");
            let err = text(&ours.stderr);
            assert!(
                !words.is_empty() && err.contains(words),
                "{name} `{expr}`: {err} / {words}"
            );
            refused += 1;
        }
    }
    eprintln!("filtered lines identical to tcpdump's: {compared}; {refused} refusals in its words");
    assert!(compared > 10_000, "{compared}");
}

fn tcpdump(path: &str, expr: &str) -> std::process::Output {
    Command::new("tcpdump")
        .args(["-n", "-r", path, expr])
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs")
}

/// Damaged records of both link types through every stage (the decoder,
/// the line printer at each level with and without `-e`, the JSON, the
/// flow view), and damaged big-endian ones turned to this host's order
/// and their length corrected first as the file source does: no panic,
/// no loop, lines of
/// bounded length (`SOCKSCOPE_MUTATION_ROUNDS=N`).
#[test]
fn damaged_usb_records_never_panic_or_loop() {
    let seeds = usb_captures::seeds();
    let rounds = mutation_rounds();
    let (slowest, longest) = damaged_frames_through_every_stage(&seeds, rounds, 0x05b1_4e5e_0001);
    eprintln!("{rounds} damaged usbmon records: slowest {slowest:?}, longest line {longest} bytes");
    let big: Vec<(u32, Vec<u8>)> = [USB_LINUX, USB_LINUX_MMAPPED]
        .into_iter()
        .flat_map(|l| {
            usb_captures::records(l, true)
                .into_iter()
                .map(move |r| (l, r))
        })
        .collect();
    let (slowest, longest) = support::app_captures::frames_through_every_stage(
        rounds / 4,
        0x05b1_4e5e_0002,
        |rng, i| {
            let (link, seed) = &big[i % big.len()];
            let mut bytes = support::dns_captures::mutate(rng, seed);
            sockscope::decode::usb::swap_to_host(*link, &mut bytes);
            // libpcap's length correction reads the descriptors too.
            let len = bytes.len() as u32;
            for orig in [len, len.wrapping_mul(7), u32::MAX] {
                let wire = sockscope::decode::usb::libpcap_wire_len(*link, &bytes, orig);
                assert!(wire >= orig.min(len), "{wire} < {orig}");
            }
            (*link, bytes)
        },
    );
    eprintln!(
        "{} damaged big-endian usbmon records swapped: slowest {slowest:?}, longest line {longest} bytes",
        rounds / 4
    );
}

/// libpcap corrects the length on the wire of a memory-mapped completion
/// of an incoming isochronous transfer that older libpcaps counted as
/// header, descriptors and the whole URB: `len` and `greater` see the
/// corrected length as tcpdump's do, in both byte orders, for each
/// record whole and cut wherever its descriptors are all captured (cut
/// among them libpcap reads past the capture) or inside its header.
#[test]
fn iso_completion_lengths_are_libpcaps() {
    if !require_tool("tcpdump") {
        return;
    }
    let mut compared = 0;
    for big_endian in [false, true] {
        let mut records = Vec::new();
        for (r, orig) in usb_captures::iso_length_records(big_endian) {
            let nd: [u8; 4] = r[60..64].try_into().expect("a whole header");
            let nd = if big_endian {
                u32::from_be_bytes(nd)
            } else {
                u32::from_le_bytes(nd)
            };
            let descs = 64 + 16 * nd as usize;
            records.push((r.clone(), orig));
            for cut in (1..64).chain(descs..r.len()) {
                records.push((r[..cut].to_vec(), orig));
            }
        }
        let bytes = support::pcap::write_pcap(
            support::pcap::Layout {
                big_endian,
                ..support::pcap::Layout::new(USB_LINUX_MMAPPED, 262_144)
            },
            records
                .iter()
                .enumerate()
                .map(|(i, (r, orig))| support::pcap::Record {
                    ts_sec: 1_300_000_000 + i as u32,
                    ts_frac: 0,
                    data: std::borrow::Cow::Borrowed(r.as_slice()),
                    orig_len: *orig,
                }),
        );
        let path = temp_file(&format!("usb_iso_len_{big_endian}.pcap"), bytes);
        let p = path.to_string_lossy();
        let mut lens: Vec<u32> = records.iter().map(|(_, orig)| *orig).collect();
        lens.extend([
            64 + 32 + 300,
            64 + 32 + 100,
            64 + 32 + 1050,
            64 + 16 + 1,
            100,
        ]);
        lens.sort_unstable();
        lens.dedup();
        for n in lens {
            for expr in [format!("len = {n}"), format!("greater {n}")] {
                let ours = sockscope(&["read", &p, &expr]);
                let theirs = tcpdump(&p, &expr);
                assert_eq!(
                    text(&ours.stdout),
                    text(&theirs.stdout),
                    "{big_endian} `{expr}`"
                );
                compared += text(&theirs.stdout).lines().count();
            }
        }
        compare_with_tcpdump(&p, &["", "-x"], records.len());
    }
    eprintln!("iso completion lengths: {compared} filtered lines identical to tcpdump's");
    assert!(compared > 1000, "{compared}");
}
