//! The flow tracker's two ways to see a packet give the same flow (and
//! `read --threads`' reader's short way to a packet's flow, its ends,
//! and `read --flows --threads`' words for its split, agree with the
//! first on whole, cut and damaged packets): the
//! cheap view read straight from the frame (`FlowPacket::from_frame`,
//! what `read` without packet lines and `read --threads`' reader take)
//! and the view from the printer's decode (`FlowPacket::from_lax_payload`,
//! what the tracker takes when packet lines are printed). Every packet of
//! every committed capture, damaged tunnel packets included, must give
//! both the same flow key (addresses, protocol, ports) and the same
//! payload; otherwise `read -v --flows` and `read --flows` would list
//! different flows, and `read --threads` would split one flow over two
//! workers.

mod support;

use sockscope::decode::decode;
use sockscope::decode::flow_view::FlowPacket;
use sockscope::source::PacketSource;
use sockscope::source::file::FileSource;

#[test]
fn cheap_and_decoded_flow_views_agree_on_every_capture() {
    let mut files: Vec<_> = std::fs::read_dir(support::root().join("captures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    files.sort();
    assert!(files.len() > 50, "{} captures", files.len());
    let (mut packets, mut decoded_path) = (0, 0);
    let mut differ = Vec::new();
    for path in &files {
        let mut src = FileSource::open(path).unwrap();
        let mut n = 0;
        while let Ok(Some(pkt)) = src.next_packet() {
            n += 1;
            packets += 1;
            let cheap = FlowPacket::from_frame_payload(pkt.ts, pkt.link, pkt.data);
            // The reader's short way to a packet's worker, on the packet
            // and (the first packets) on its cuts and a damaged copy.
            let cuts = if n <= 200 { 0..pkt.data.len() } else { 0..0 };
            for cut in cuts.map(Some).chain([None]) {
                let mut bytes = pkt.data.to_vec();
                match cut {
                    Some(cut) if cut % 2 == 0 => bytes.truncate(cut),
                    Some(cut) => bytes[cut] ^= 0x5a,
                    None => {}
                }
                let ends = FlowPacket::frame_ends(pkt.ts, pkt.link, &bytes);
                let whole = FlowPacket::from_frame(pkt.ts, pkt.link, &bytes);
                if ends.map(|e| (e.src, e.sport, e.dst, e.dport, e.proto))
                    != whole.map(|f| (f.src, f.sport, f.dst, f.dport, f.proto))
                {
                    differ.push(format!(
                        "{} packet {n} ({cut:?}): frame_ends {ends:?}, from_frame {:?}",
                        path.file_name().unwrap().to_string_lossy(),
                        whole.map(|f| (f.src, f.sport, f.dst, f.dport, f.proto)),
                    ));
                }
                // `read --flows --threads`' split: the same words as the
                // whole view's ends give, or none where it has none.
                let words = FlowPacket::frame_end_words(pkt.ts, pkt.link, &bytes);
                if words != whole.map(|f| f.ends().words()) {
                    differ.push(format!(
                        "{} packet {n} ({cut:?}): frame_end_words {words:?}, from_frame {:?}",
                        path.file_name().unwrap().to_string_lossy(),
                        whole.map(|f| f.ends().words()),
                    ));
                }
            }
            let d = decode(&pkt);
            // The decoded view where etherparse sliced the whole packet
            // (elsewhere the tracker takes the frame's view anyway).
            let Some(lax) = d.lax.as_ref().filter(|l| l.stop_err.is_none()) else {
                continue;
            };
            decoded_path += 1;
            let decoded = FlowPacket::from_lax_payload(pkt.ts, lax);
            let key = |v: &Option<(FlowPacket, &[u8])>| {
                v.map(|(f, p)| (f.src, f.dst, f.proto, f.sport, f.dport, p.to_vec()))
            };
            if key(&cheap) != key(&decoded) {
                differ.push(format!(
                    "{} packet {n}: frame {:?}, decoded {:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    key(&cheap).map(|k| (k.0, k.1, k.2, k.3, k.4)),
                    key(&decoded).map(|k| (k.0, k.1, k.2, k.3, k.4)),
                ));
            }
        }
    }
    eprintln!(
        "{packets} packets in {} captures, {decoded_path} through both views",
        files.len()
    );
    assert!(
        differ.is_empty(),
        "{} packets differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// `read --threads` picks a packet's worker from the frame's view while
/// the workers print with the decoded one: on the captures whose damaged
/// tunnel packets and first fragments once made the two differ, the flow
/// table and the timelines equal one thread's, with and without `-v`.
#[test]
fn threads_route_by_the_frame_view_without_splitting_flows() {
    use support::bin::{sockscope, text};
    for name in [
        "dissect_tunnels.pcap",
        "filter_ether.pcap",
        "inspect_ipv6.pcap",
    ] {
        let path = support::capture(name).to_string_lossy().into_owned();
        for flags in [&["--flows"][..], &["-v", "--flows"], &["-v", "--timeline"]] {
            let run = |threads: &str| {
                let mut args = vec!["read", path.as_str(), "--threads", threads];
                args.extend_from_slice(flags);
                let out = sockscope(&args);
                assert!(out.status.success(), "{}", text(&out.stderr));
                text(&out.stdout)
            };
            let one = run("1");
            assert!(
                one.contains("conn_state") || one.contains("C1"),
                "{name} {flags:?}"
            );
            assert_eq!(one, run("2"), "{name} {flags:?}");
        }
    }
}

/// The flow view's short way for plain Ethernet/IPv4/TCP or UDP frames
/// (`FlowPacket::fill_from_frame`, what `read --flows` and its workers
/// take) fills exactly what the general walk fills
/// (`FlowPacket::fill_from_frame_walk`): every field of the view, the
/// payload and the checksum verdict (asked and not asked), on every
/// packet of every committed capture, on every cut and one-byte damage of
/// the first 200 packets of each, and on randomly damaged copies of the
/// plain ones (header lengths, fragment bits, protocols, lengths).
#[test]
fn the_plain_ipv4_short_way_fills_what_the_walk_fills() {
    use sockscope::packet::LinkType;
    let mut rng = support::rng::Rng(0x9e37_79b9_7f4a_7c15);
    let (mut compared, mut plain) = (0u64, 0u64);
    let mut differ = Vec::new();
    let mut compare = |link: LinkType, bytes: &[u8], what: &dyn Fn() -> String| {
        for check in [false, true] {
            let fill = |walk: bool| {
                let mut fp = FlowPacket::blank(sockscope::packet::Timestamp(7));
                let got = if walk {
                    fp.fill_from_frame_walk(link, bytes, check)
                } else {
                    fp.fill_from_frame(link, bytes, check)
                };
                got.map(|(payload, bad)| (fp, payload.to_vec(), bad))
            };
            let (short, walk) = (fill(false), fill(true));
            compared += 1;
            if short != walk && differ.len() < 20 {
                differ.push(format!("{} (check {check}): {short:?} vs {walk:?}", what()));
            }
        }
    };
    for path in support::committed_captures() {
        let mut src = FileSource::open(std::path::Path::new(&path)).unwrap();
        let name = path.rsplit('/').next().unwrap_or_default().to_string();
        let mut n = 0;
        while let Ok(Some(pkt)) = src.next_packet() {
            n += 1;
            let name = &name;
            let at = |how: String| move || format!("{name} packet {n} {how}");
            compare(pkt.link, pkt.data, &at(String::new()));
            let is_plain = pkt.link == LinkType::Ethernet
                && pkt.data.get(12..15) == Some(&[0x08, 0x00, 0x45][..]);
            plain += u64::from(is_plain);
            if n <= 200 {
                for cut in 0..pkt.data.len() {
                    compare(pkt.link, &pkt.data[..cut], &at(format!("cut at {cut}")));
                    let mut bytes = pkt.data.to_vec();
                    bytes[cut] ^= 0x5a;
                    compare(pkt.link, &bytes, &at(format!("byte {cut} ^ 0x5a")));
                }
            }
            if is_plain {
                // A few bytes of the IP and transport headers set at random.
                for _ in 0..8 {
                    let mut bytes = pkt.data.to_vec();
                    let end = bytes.len().min(14 + 20 + 20);
                    let mut how = String::new();
                    for _ in 0..1 + rng.below(3) {
                        let i = 12 + rng.below(end - 12);
                        let v = rng.next() as u8;
                        bytes[i] = v;
                        how.push_str(&format!("[{i}]={v:#04x} "));
                    }
                    if rng.below(4) == 0 {
                        bytes.truncate(rng.below(bytes.len() + 1));
                        how.push_str(&format!("cut to {}", bytes.len()));
                    }
                    compare(pkt.link, &bytes, &at(how));
                }
            }
        }
    }
    eprintln!("{compared} fills compared, {plain} plain Ethernet/IPv4 packets");
    assert!(plain > 10_000, "{plain} plain packets");
    assert!(differ.is_empty(), "differ:\n{}", differ.join("\n"));
}

/// An authentication header of eight bytes (length word 0: no sequence
/// number) is skipped over IPv4 as over IPv6, and a longer one too: the
/// flows are the UDP datagrams it protects, with the ports tshark reads
/// on the same frames (built here), in both views (`read --flows` takes
/// the frame's, `read --flows --json` the decoded one).
#[test]
fn an_authentication_header_of_any_length_is_skipped_as_tshark_skips_it() {
    use std::borrow::Cow;
    use support::bin::{require_tool, sockscope, text};
    use support::pcap::{Layout, Record, write_pcap};
    if !require_tool("tshark") {
        return;
    }
    let udp = |port: u16| support::frames::udp_datagram(port, port + 1, b"hello");
    // Next header UDP, the length word, reserved, SPI; a sequence number
    // (and no ICV) when the length word is 1.
    let ah = |words: u8| {
        let mut h = vec![17, words, 0, 0, 0, 0, 0x12, 0x34];
        h.extend(std::iter::repeat_n(0, 4 * usize::from(words)));
        h
    };
    let ipv4 = |payload: &[u8]| {
        let total = (20 + payload.len()) as u16;
        let mut ip = vec![
            0x45, 0, 0, 0, 0, 1, 0, 0, 64, 51, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        [
            &[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0],
            &ip[..],
            payload,
        ]
        .concat()
    };
    let ipv6 = |payload: &[u8]| {
        let mut ip = vec![0x60, 0, 0, 0, 0, 0, 51, 64];
        ip[4..6].copy_from_slice(&(payload.len() as u16).to_be_bytes());
        ip.extend([[0; 15].as_slice(), &[1], &[0; 15], &[2]].concat());
        [
            &[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd],
            &ip[..],
            payload,
        ]
        .concat()
    };
    let frames = [
        ipv4(&[ah(0), udp(40000)].concat()),
        ipv4(&[ah(1), udp(40002)].concat()),
        ipv6(&[ah(0), udp(40004)].concat()),
        ipv6(&[ah(1), udp(40006)].concat()),
    ];
    let records: Vec<Record> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| Record {
            ts_sec: 1 + i as u32,
            ts_frac: 0,
            data: Cow::Borrowed(f.as_slice()),
            orig_len: f.len() as u32,
        })
        .collect();
    let path = support::temp_file(
        "ah-lengths.pcap",
        write_pcap(Layout::new(1, 65535), records),
    );
    let p = path.to_string_lossy();
    let tshark = std::process::Command::new("tshark")
        .args([
            "-r",
            &p,
            "-T",
            "fields",
            "-e",
            "udp.srcport",
            "-e",
            "udp.dstport",
        ])
        .output()
        .expect("tshark runs");
    let theirs: Vec<String> = text(&tshark.stdout)
        .lines()
        .map(|l| l.replace('\t', " "))
        .collect();
    let want: Vec<String> = (0..4)
        .map(|i| format!("{} {}", 40000 + 2 * i, 40001 + 2 * i))
        .collect();
    assert_eq!(theirs, want, "tshark's ports");
    for args in [&["--flows", "--json"][..], &["--flows"]] {
        let out = sockscope(&[&["read", &p][..], args].concat());
        assert!(out.status.success(), "{}", text(&out.stderr));
        let flows = text(&out.stdout);
        for ports in &want {
            let (s, d) = ports.split_once(' ').unwrap();
            let found = if args.len() == 2 {
                let pair = format!("\"id.orig_p\":{s},\"id.resp_h\"");
                flows
                    .lines()
                    .any(|l| l.contains(&pair) && l.contains(&format!("\"id.resp_p\":{d}")))
            } else {
                flows
                    .lines()
                    .any(|l| l.contains(&format!(":{s} ")) && l.contains(&format!(":{d} ")))
            };
            assert!(found, "{args:?}: no flow {ports}:\n{flows}");
        }
    }
}
