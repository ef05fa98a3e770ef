//! `captures/dissect_sflow.pcap`: sFlow v5 datagrams built by hand on UDP
//! port 6343 (Debian packages no sFlow agent): flow and counter samples
//! and their expanded forms with every record type tcpdump names (raw
//! packet header, Ethernet frame, IPv4/IPv6 data, the extended switch,
//! router, gateway … records; generic, Ethernet, token ring, 100BaseVG,
//! VLAN and processor counters), unknown samples and records and other
//! enterprises', an IPv6 agent, other versions, and lengths that
//! contradict the datagram; the full datagrams cut at every length, then
//! seeded damaged copies. `tests/dissect_services.rs` compares
//! `sockscope read` with `tcpdump -n -r` on it.

use super::app_captures::{Frame, capture as write, damaged, udp, udp_cut};

pub const PORT: u16 = 6343;

fn words(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn long(v: u64) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// A sample or record: its format word, its length, `body`.
fn item(format: u32, body: &[u8]) -> Vec<u8> {
    [words(&[format, body.len() as u32]), body.to_vec()].concat()
}

/// A datagram from agent `agent` (4 bytes: IPv4, 16: IPv6) saying it
/// holds `count` samples, then `samples`.
fn datagram(version: u32, agent: &[u8], count: u32, samples: &[Vec<u8>]) -> Vec<u8> {
    let ip_version = if agent.len() == 16 { 2 } else { 1 };
    [
        words(&[version, ip_version]),
        agent.to_vec(),
        words(&[7, 99, 123_456, count]),
        samples.concat(),
    ]
    .concat()
}

const AGENT: [u8; 4] = [10, 0, 0, 1];

fn v5(samples: &[Vec<u8>]) -> Vec<u8> {
    datagram(5, &AGENT, samples.len() as u32, samples)
}

/// A flow sample (`expanded` or compact) holding `records`.
fn flow_sample(expanded: bool, records: &[Vec<u8>]) -> Vec<u8> {
    let n = records.len() as u32;
    let head = if expanded {
        words(&[44, 0, 3, 256, 1000, 5, 0, 3, 0, 4, n])
    } else {
        words(&[42, 0x0100_0003, 256, 1000, 5, 3, 4, n])
    };
    item(
        if expanded { 3 } else { 1 },
        &[head, records.concat()].concat(),
    )
}

fn counter_sample(expanded: bool, records: &[Vec<u8>]) -> Vec<u8> {
    let n = records.len() as u32;
    let head = if expanded {
        words(&[45, 2, 3, n])
    } else {
        words(&[43, 0x0200_0003, n])
    };
    item(
        if expanded { 4 } else { 2 },
        &[head, records.concat()].concat(),
    )
}

fn flow_records() -> Vec<Vec<u8>> {
    let raw = |protocol: u32| {
        let header: Vec<u8> = (0..16).collect();
        item(1, &[words(&[protocol, 64, 4, 16]), header].concat())
    };
    let mut v = vec![
        raw(1),
        raw(11),
        raw(12),
        raw(99),
        item(
            2,
            &[words(&[1500]), vec![2; 8], vec![4; 8], words(&[0x800])].concat(),
        ),
        item(
            3,
            &[
                words(&[40, 6]),
                vec![192, 0, 2, 1, 192, 0, 2, 2],
                words(&[80, 443, 0x18, 0]),
            ]
            .concat(),
        ),
        item(
            4,
            &[words(&[60, 17]), vec![0x20; 32], words(&[53, 5353, 0, 0])].concat(),
        ),
        item(1001, &words(&[10, 1, 20, 2])),
    ];
    for kind in 1002..=1012 {
        v.push(item(kind, &words(&[1, kind])));
    }
    v.push(item(77, &[0xaa; 18]));
    v.push(item((9 << 12) | 5, &[0xbb; 4]));
    v.push(item(0xffff_f001, &[]));
    v
}

fn counter_records() -> Vec<Vec<u8>> {
    let generic = |direction: u32, status: u32| {
        item(
            1,
            &[
                words(&[3, 6]),
                long(1_000_000_000),
                words(&[direction, status]),
                long(12_345_678_901),
                words(&[1, 2, 3, 4, 5, 6]),
                long(67_890),
                words(&[7, 8, 9, 10, 11, 12]),
            ]
            .concat(),
        )
    };
    vec![
        generic(1, 3),
        generic(2, 1),
        generic(4, 2),
        generic(9, 0),
        item(2, &words(&(1..=13).collect::<Vec<_>>())),
        item(3, &[0; 72]),
        item(
            4,
            &[
                words(&[1]),
                long(2),
                words(&[3]),
                long(4),
                words(&[5, 6, 7, 8, 9]),
                long(10),
                words(&[11]),
                long(12),
                long(13),
                long(14),
            ]
            .concat(),
        ),
        item(
            5,
            &[words(&[100]), long(5000), words(&[1, 2, 3, 4])].concat(),
        ),
        item(
            1001,
            &[words(&[5, 10, 15]), long(1 << 33), long(1 << 30)].concat(),
        ),
        item(9, &[0xcc; 12]),
        item((1 << 20) | 2, &[0xdd; 4]),
    ]
}

pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let flows = flow_records();
    let counters = counter_records();
    let switch = item(1001, &words(&[10, 1, 20, 2]));
    let vlan = item(
        5,
        &[words(&[100]), long(5000), words(&[1, 2, 3, 4])].concat(),
    );
    let full = v5(&[
        flow_sample(false, &flows),
        counter_sample(false, &counters),
        flow_sample(true, &flows[..3]),
        counter_sample(true, std::slice::from_ref(&vlan)),
        item(9, &[0xee; 21]),
    ]);
    let v6_agent: Vec<u8> = [0x20, 1, 0x0d, 0xb8]
        .into_iter()
        .chain([0; 11])
        .chain([1])
        .collect();
    let v = vec![
        full,
        datagram(
            5,
            &v6_agent,
            2,
            &[
                flow_sample(false, std::slice::from_ref(&switch)),
                counter_sample(false, std::slice::from_ref(&vlan)),
            ],
        ),
        datagram(4, &AGENT, 0, &[]),
        datagram(2, &AGENT, 0, &[]),
        // Too short for the header, by family.
        words(&[5, 1, 0, 0, 0]),
        [words(&[5, 2]), vec![0; 30]].concat(),
        // A family tcpdump does not know: read as IPv6.
        [words(&[5, 3]), vec![0x11; 40]].concat(),
        [words(&[5, 3]), vec![0x11; 10]].concat(),
        // A sample of type 0, of length 0, longer than the datagram.
        v5(&[item(0, &[1; 8])]),
        v5(&[words(&[1, 0])]),
        v5(&[[words(&[1, 100]), vec![0; 8]].concat()]),
        // Samples too short for their fields.
        v5(&[item(1, &[0; 20])]),
        v5(&[item(3, &[0; 20])]),
        v5(&[item(2, &[0; 8])]),
        v5(&[item(4, &[0; 8])]),
        // Records past their sample, and more records than there are.
        v5(&[
            item(1, &words(&[42, 3, 256, 1000, 5, 3, 4, 1])),
            switch.clone(),
        ]),
        v5(&[item(
            1,
            &[words(&[42, 3, 256, 1000, 5, 3, 4, 2]), switch.clone()].concat(),
        )]),
        // Records too short for their fields, or longer than what is left.
        v5(&[counter_sample(false, &[item(1, &[0; 40])])]),
        v5(&[item(
            2,
            &[words(&[1, 3, 1]), words(&[1, 200]), vec![0; 40]].concat(),
        )]),
        v5(&[flow_sample(false, &[item(1, &[0; 8])])]),
        v5(&[flow_sample(false, &[item(2, &[0; 12])])]),
        v5(&[flow_sample(false, &[item(1001, &[0; 8])])]),
        v5(&[counter_sample(false, &[item(2, &[0; 20])])]),
        v5(&[counter_sample(false, &[item(4, &[0; 20])])]),
        v5(&[counter_sample(false, &[item(5, &[0; 20])])]),
        v5(&[counter_sample(false, &[item(1001, &[0; 20])])]),
        // More samples than there are, and bytes after the last one.
        datagram(5, &AGENT, 3, &[counter_sample(false, &[])]),
        [v5(&[counter_sample(false, &[])]), vec![0x99; 5]].concat(),
        [
            datagram(5, &AGENT, 2, &[counter_sample(false, &[])]),
            vec![0x99; 5],
        ]
        .concat(),
        // The format word's upper bits: not the sample's type.
        v5(&[item(0x1234_5002, &words(&[1, 3, 0]))]),
        v5(&[item(7, &[0; 40])]),
    ];
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The datagrams cut at every length: a flow sample's records, a counter
/// sample's, an IPv6 agent's (the full datagram would make the capture
/// and its goldens megabytes long for no other line).
fn cut_at_every_length() -> Vec<Vec<u8>> {
    let flows = flow_records();
    let counters = counter_records();
    let pick = |v: &[Vec<u8>], at: &[usize]| -> Vec<Vec<u8>> {
        at.iter().filter_map(|&i| v.get(i).cloned()).collect()
    };
    vec![
        v5(&[flow_sample(false, &pick(&flows, &[0, 4, 7, 19, 20]))]),
        v5(&[counter_sample(true, &pick(&counters, &[0, 4, 6, 7, 8, 9]))]),
    ]
}

/// The sFlow capture: every datagram, a few cut at every length, `n`
/// damaged.
pub fn capture(n: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames: Vec<Frame> = messages
        .iter()
        .map(|(to_server, port, m)| udp(*to_server, 40000, *port, m))
        .collect();
    let v6 = messages.get(1).map(|(_, _, m)| m.clone());
    for m in cut_at_every_length().into_iter().chain(v6) {
        for keep in 0..m.len() {
            frames.push(udp_cut(true, 40000, PORT, &m, keep));
        }
    }
    frames.extend(damaged(0x5f10_0000_0000_0001, &messages, n));
    write(&frames)
}
