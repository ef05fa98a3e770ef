//! Never panic on input: every packet of the generated captures, mutated
//! (bytes flipped, lengths cut, fields set to extremes) tens of thousands of
//! times under every link type, goes through the decoder and every printer.
//! A deterministic generator, so a failure reproduces.

mod support;

use sockscope::decode::{checksum, decode};
use sockscope::output::json;
use sockscope::output::packet::hex::{Dump, DumpKind};
use sockscope::output::packet::{LineOptions, LinePrinter};
use sockscope::output::time::TimeFormat;
use sockscope::packet::{LinkType, Packet, Timestamp};
use support::alloc_meter::{Flat, Meter};
use support::rng::Rng;
use support::{
    exact_captures, inspect_captures, ip_edge_captures, macsec_captures, tcp_option_captures,
    verbose_captures,
};

#[test]
fn mutated_packets_never_panic() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for recs in [
        inspect_captures::ethernet_mix(),
        inspect_captures::vlan(),
        inspect_captures::ipv6(),
        inspect_captures::malformed(),
        verbose_captures::verbose_fields(),
    ] {
        seeds.extend(recs.into_iter().map(|r| r.data));
    }
    // The classes the default line prints as tcpdump does: cut headers,
    // damaged IPv4, named TCP options, IPv6 routing headers and ICMPv6
    // types, ARP variants, 802.3/LLC and named EtherTypes, and the cuts
    // of the wider check.
    for recs in [
        exact_captures::snapped(),
        exact_captures::ipv4_damage(),
        exact_captures::raw_ipv4_damage(),
        exact_captures::tcp_options(),
        exact_captures::ipv6_cases(),
        exact_captures::arp_cases(),
        exact_captures::ethertypes(),
        // The wider check's cuts: ICMP errors cut in their quote, ICMPv6
        // bodies, IPv4 and TCP options cut inside an option, truncated-ip6,
        // RPL DAO (and, in icmp/nd_and_errors/ipv6_options, what they cut).
        exact_captures::cuts(),
        exact_captures::icmp_cases(),
        exact_captures::nd_and_errors(),
        exact_captures::ipv6_options(),
        // Router renumbering parts and RPL options.
        exact_captures::rr_rpl(),
    ] {
        seeds.extend(recs.into_iter().map(|r| r.data));
    }
    // MACsec: tags in the clear, confidential, cut and invalid.
    seeds.extend(macsec_captures::frames());
    // IP and IPv6 next-header edges: payload length 0 over padding,
    // extension-header chains whole and cut, later fragments, unknown
    // routing types, AH cut, IPv4 options.
    seeds.extend(ip_edge_captures::frames());
    // TCP option lists led by each named kind at each length byte (one
    // in ten, so that they do not crowd out the rest).
    seeds.extend(tcp_option_captures::frames().into_iter().step_by(10));
    let links = [
        LinkType::Ethernet,
        LinkType::Null,
        LinkType::Loop,
        LinkType::Raw,
        LinkType::Ipv4,
        LinkType::Ipv6,
        LinkType::LinuxSll,
        LinkType::LinuxSll2,
        LinkType::Other(999),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    // Every output flag's path: -vv; -e with -XX; -v with -x and -#;
    // -vvv with -AA and each -t form.
    let with = |f: &dyn Fn(&mut LineOptions)| {
        let mut o = LineOptions::new(TimeFormat::Abs, 2);
        f(&mut o);
        LinePrinter::new(o)
    };
    let dump = |kind, link| Dump { kind, link };
    // The printers keep state across packets by design (the TCP
    // conversations' first sequence numbers, bounded at a million): made
    // anew every 4096 packets, they must give back what they held.
    let make = || {
        let printers = [
            with(&|_| {}),
            with(&|o| {
                o.link_header = true;
                o.dump = dump(DumpKind::HexAscii, true);
            }),
            with(&|o| {
                o.verbose = 1;
                o.number = true;
                o.time = TimeFormat::Delta;
                o.dump = dump(DumpKind::Hex, false);
            }),
            with(&|o| {
                o.verbose = 3;
                o.link_header = true;
                o.time = TimeFormat::Date;
                o.dump = dump(DumpKind::Ascii, true);
            }),
            with(&|o| {
                o.time = TimeFormat::Rel;
                o.absolute_seq = true;
            }),
            with(&|o| o.time = TimeFormat::None),
        ];
        // The default line takes other paths (tcpdump's marks for cut and
        // damaged headers): it sees every mutant too, alone or after -e.
        let plain = [
            with(&|o| o.verbose = 0),
            with(&|o| {
                o.verbose = 0;
                o.link_header = true;
            }),
        ];
        (printers, plain)
    };
    let (mut printers, mut plain) = make();
    // Each of the 8 printers may hold a conversation per packet, ~100
    // bytes each (an IPv6 key, hash table slack), between two renewals.
    let mut memory = Flat::holding(4096 * 8 * 100);
    let rounds = 100_000u64;
    for round in 0..rounds {
        if round > 0 && round % 4096 == 0 {
            let meter = Meter::start();
            (printers, plain) = make();
            memory.settle(&meter);
        }
        let mut data = seeds[rng.below(seeds.len())].clone();
        for _ in 0..=rng.below(6) {
            match rng.below(4) {
                0 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data[i] = rng.next() as u8;
                }
                1 => data.truncate(rng.below(data.len() + 1)),
                2 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data[i] = [0, 0xff, 0x45, 0x60, 0x05][rng.below(5)];
                }
                _ => data.push(rng.next() as u8),
            }
        }
        let link = links[rng.below(links.len())];
        let orig_len = data.len() as u32 + (rng.below(3) as u32) * 100;
        let pkt = Packet {
            ts: Timestamp(round * 1000),
            stamp: None,
            link,
            data: &data,
            orig_len,
        };
        let meter = Meter::start();
        // The decoded packet and the lines are dropped at the block's end,
        // before the memory is read.
        let printed = {
            let mut d = decode(&pkt);
            // The verdicts the -v line prints, as the pipeline attaches them.
            d.checksums = checksum::verify(&pkt);
            let mut sink = Vec::new();
            let n = printers.len();
            printers[rng.below(n)]
                .write_packet(&mut sink, &pkt, &d, None)
                .unwrap();
            plain[(round % 2) as usize]
                .write_packet(&mut sink, &pkt, &d, None)
                .unwrap();
            json::write_packet(&mut sink, round, &pkt, &d, &[]).unwrap();
            assert!(sink.ends_with(b"\n") || data.is_empty());
            sink.len()
        };
        memory.record(&meter, &data, printed);
    }
    eprintln!("{rounds} mutated packets; {}", memory.summary());
}

/// Damaged capture files (pcap and pcapng, bytes flipped anywhere,
/// including headers and block lengths) end with packets or one error,
/// never a panic.
#[test]
fn mutated_files_never_panic() {
    use sockscope::source::PacketSource;
    use sockscope::source::file::FileSource;
    let files: Vec<Vec<u8>> = inspect_captures::all()
        .into_iter()
        .chain(exact_captures::all())
        .chain(ip_edge_captures::all())
        .map(|(_, b)| b)
        .collect();
    let mut rng = Rng(0xfeed_0000_0bad_f00d);
    // The reader's one fixed buffer (256 KiB, grown only as bytes
    // arrive) on top of what the file's size allows.
    let mut memory = Flat::holding(256 * 1024);
    for _ in 0..3_000 {
        let mut bytes = files[rng.below(files.len())].clone();
        for _ in 0..=rng.below(4) {
            let i = rng.below(bytes.len());
            bytes[i] = [rng.next() as u8, 0, 0xff][rng.below(3)];
        }
        // The reader's buffers are sized by what the file holds, not by
        // the lengths its headers claim: each file's peak is bounded by
        // its size. The reader owns a copy of the file, made and dropped
        // within the meter.
        let meter = Meter::start();
        if let Ok(mut src) =
            FileSource::from_reader("mutant", Box::new(std::io::Cursor::new(bytes.clone())))
        {
            let mut n = 0;
            while let Ok(Some(p)) = src.next_packet() {
                let _ = decode(&p);
                n += 1;
                assert!(n < 100_000);
            }
        }
        memory.record(&meter, &bytes, 0);
    }
    eprintln!("3000 mutated files; {}", memory.summary());
}

/// Reassembly on damaged streams: the follow captures' TCP conversations
/// with sequence numbers, flags, lengths and payload bytes mutated, packets
/// dropped, repeated and shuffled, followed in every format (and with tiny
/// limits, so the window, memory and depth paths run too). Never a panic,
/// and every stream's block is closed.
#[test]
fn mutated_streams_never_panic() {
    use sockscope::flow::reassembly::ReassemblyConfig;
    use sockscope::output::follow::{FollowFormat, FollowOptions, TextFormat};
    use sockscope::pipeline::{ChecksumMode, FollowConfig, OutputConfig, Pipeline};
    use support::follow_captures;
    let convs: Vec<Vec<Vec<u8>>> = follow_captures::captures()
        .into_iter()
        .map(|c| c.frames.into_iter().map(|(_, f, _)| f).collect())
        .collect();
    let formats = [
        FollowFormat::Text(TextFormat::Ascii),
        FollowFormat::Text(TextFormat::Hex),
        FollowFormat::Text(TextFormat::Raw),
        FollowFormat::Text(TextFormat::Yaml),
        FollowFormat::Json,
    ];
    let mut rng = Rng(0x00f0_110e_5eed_0007);
    // The reassembly may hold up to 1 MiB (`memory` below) and each
    // follow block up to `max_pending`.
    let mut memory = Flat::holding(3 << 20);
    let mut reserved_most = 0;
    for round in 0..3_000u64 {
        let mut frames = convs[rng.below(convs.len())].clone();
        for _ in 0..=rng.below(8) {
            let i = rng.below(frames.len());
            match rng.below(6) {
                // Ethernet 14 + IPv4 20: the TCP header starts at 34.
                0 => {
                    let f = &mut frames[i];
                    let at = 34 + 4 + rng.below(4); // sequence number
                    if at < f.len() {
                        f[at] = rng.next() as u8;
                    }
                }
                1 => {
                    let f = &mut frames[i];
                    if f.len() > 47 {
                        f[47] = rng.next() as u8; // flags
                    }
                }
                2 => {
                    let n = rng.below(frames[i].len() + 1);
                    frames[i].truncate(n);
                }
                3 => {
                    let f = frames[i].clone();
                    frames.insert(rng.below(frames.len() + 1), f);
                }
                4 => {
                    let j = rng.below(frames.len());
                    frames.swap(i, j);
                }
                _ => {
                    let f = &mut frames[i];
                    if !f.is_empty() {
                        let at = rng.below(f.len());
                        f[at] = rng.next() as u8;
                    }
                }
            }
        }
        let tiny = rng.below(2) == 0;
        let opts = OutputConfig {
            checksums: ChecksumMode::Off,
            quiet: true,
            follow: Some(FollowConfig {
                printer: FollowOptions {
                    format: formats[rng.below(formats.len())],
                    segments: rng.below(2) == 0,
                    write_dir: None,
                    max_pending: if tiny { 64 } else { 1 << 20 },
                },
                reassembly: ReassemblyConfig {
                    depth: if tiny { rng.below(64) as u64 } else { 0 },
                    window: if tiny { 8 } else { 1 << 20 },
                    memory: if tiny { 16 } else { 1 << 20 },
                    only: None,
                },
            }),
            ..OutputConfig::default()
        };
        // A pipeline of the round's own, from its creation to its end:
        // what it held is given back, and its peak is bounded by the
        // round's bytes in and out (plus what it holds at its limits).
        let all = frames.concat();
        let meter = Meter::start();
        let (printed, reserved) = {
            let mut pipeline = Pipeline::new(&opts, None).unwrap();
            // A pipeline reserves its flow table's slots up front (capacity
            // only: untouched pages, so no resident memory, but the
            // allocator counts them) whatever the input: not the packets'.
            let reserved = meter.net_bytes().max(0) as usize;
            let mut out = Vec::new();
            for (k, f) in frames.iter().enumerate() {
                let pkt = Packet {
                    ts: Timestamp(round * 1_000_000 + k as u64 * 1000),
                    stamp: None,
                    link: LinkType::Ethernet,
                    data: f,
                    orig_len: f.len() as u32 + (rng.below(2) as u32) * 50,
                };
                pipeline.handle(&pkt, &mut out).unwrap();
            }
            let summary = pipeline.finish(&mut out).unwrap();
            let streams = summary.follow.map_or(0, |f| f.streams);
            if let Some(FollowFormat::Text(TextFormat::Ascii | TextFormat::Hex | TextFormat::Raw)) =
                opts.follow.as_ref().map(|f| f.printer.format)
            {
                let closed = out
                    .windows(68)
                    .filter(|w| w.starts_with(b"=====") && w.ends_with(b"=\n"))
                    .count() as u64;
                assert_eq!(
                    closed,
                    2 * streams,
                    "round {round}: every block opens and closes"
                );
            }
            (out.len(), reserved)
        };
        reserved_most = reserved_most.max(reserved);
        memory.record_above(&meter, &all, printed, reserved);
    }
    eprintln!(
        "3000 mutated streams (up to {reserved_most} bytes reserved by a pipeline); {}",
        memory.summary()
    );
}
