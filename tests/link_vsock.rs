//! Linux's vsock monitor (link type 271, `vsockmon`): tcpdump 4.99 prints
//! the transport, both ends as `CID.port`, the monitor's operation and
//! the captured length; `-v` virtio's header with the addresses on a line
//! of their own, `-vv` a PAYLOAD record's payload in hex. Records of every
//! operation, transport, virtio operation and type (known and not),
//! monitor header lengths virtio's header ignores, whole and cut at every
//! length, must print what `tcpdump -n -r` prints at every level and in
//! every dump; filters are libpcap's (`link[]` and the lengths; every
//! network-layer test refused in its words); `--json` carries both
//! headers.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::filters_equal_tcpdump;
use support::temp_path;

const VSOCK: u32 = 271;

/// The monitor header: CIDs, ports, operation, transport, header length.
fn monitor(cids: (u64, u64), ports: (u32, u32), op: u16, transport: u16, len: u16) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend(cids.0.to_le_bytes());
    h.extend(cids.1.to_le_bytes());
    h.extend(ports.0.to_le_bytes());
    h.extend(ports.1.to_le_bytes());
    for v in [op, transport, len, 0] {
        h.extend(v.to_le_bytes());
    }
    h
}

/// virtio's header: its length, type and operation, flags, buffer
/// space and forwarded count (its own ends are 3.1234 > 2.5678).
fn virtio(len: u32, kind: u16, op: u16, [flags, buf_alloc, fwd_cnt]: [u32; 3]) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend(3u64.to_le_bytes());
    h.extend(2u64.to_le_bytes());
    h.extend(1234u32.to_le_bytes());
    h.extend(5678u32.to_le_bytes());
    h.extend(len.to_le_bytes());
    h.extend(kind.to_le_bytes());
    h.extend(op.to_le_bytes());
    for v in [flags, buf_alloc, fwd_cnt] {
        h.extend(v.to_le_bytes());
    }
    h
}

fn records() -> Vec<Vec<u8>> {
    let ends = ((3, 2), (1234, 5678));
    let payload: Vec<u8> = (0x41..0x41 + 40).collect();
    let mut r = Vec::new();
    // A virtio payload over three dump rows, and each virtio operation
    // and type (8 and 9 are unknown, as are types other than 1).
    r.push(
        [
            monitor(ends.0, ends.1, 4, 2, 44),
            virtio(40, 1, 5, [3, 65536, 12]),
            payload.clone(),
        ]
        .concat(),
    );
    for op in [0, 1, 2, 3, 4, 6, 7, 8] {
        r.push([monitor(ends.0, ends.1, 3, 2, 44), virtio(0, 1, op, [0; 3])].concat());
    }
    for kind in [0, 2] {
        r.push(
            [
                monitor(ends.0, ends.1, 1, 2, 44),
                virtio(0, kind, 1, [0; 3]),
            ]
            .concat(),
        );
    }
    // Each monitor operation (5 and 65535 unknown) with a payload; every
    // transport (3 unknown), without virtio's header.
    for op in [0, 1, 2, 5, 0xffff] {
        r.push(
            [
                monitor(ends.0, ends.1, op, 2, 44),
                virtio(5, 1, 5, [u32::MAX; 3]),
                payload[..5].to_vec(),
            ]
            .concat(),
        );
    }
    for transport in [0, 1, 3, 0xffff] {
        r.push(
            [
                monitor(ends.0, ends.1, 4, transport, 0),
                payload[..20].to_vec(),
            ]
            .concat(),
        );
    }
    // Monitor header lengths other than virtio's (tcpdump reads 44 bytes
    // anyway); a PAYLOAD record with nothing after the headers.
    r.push(
        [
            monitor(ends.0, ends.1, 4, 2, 10),
            virtio(3, 1, 5, [0; 3]),
            payload[..5].to_vec(),
        ]
        .concat(),
    );
    r.push(
        [
            monitor((u64::MAX, 1 << 40), (0, u32::MAX), 4, 2, 100),
            virtio(5, 1, 5, [0; 3]),
        ]
        .concat(),
    );
    r.push(monitor(ends.0, ends.1, 4, 1, 0));
    r
}

#[test]
fn records_whole_and_cut_print_what_tcpdump_prints() {
    let path = temp_path(
        "vsock-cuts",
        link_captures::capture(VSOCK, &records(), usize::MAX),
    );
    let levels = [
        "", "-e", "-v", "-vv", "-x", "-X", "-xx", "-v -x", "-vv -x", "-vv -X", "-A",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, 500) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("vsock: {total} lines identical to tcpdump's");
    assert!(total > 20_000, "{total}");
}

#[test]
fn filters_are_libpcaps() {
    const EXPRS: &[&str] = &[
        "link[24] = 4",
        "link[26] = 2 and len > 76",
        "len > 80",
        "less 40",
    ];
    const REFUSED: &[&str] = &[
        "ip",
        "tcp port 80",
        "host 10.0.0.1",
        "ether host 1:2:3:4:5:6",
        "vlan",
        "mpls",
        "inbound",
    ];
    let bytes = link_captures::capture(VSOCK, &records(), 0);
    let path = temp_path("vsock-filters", bytes.clone());
    let compared = filters_equal_tcpdump((&path, &bytes), VSOCK, EXPRS, REFUSED);
    if compared == 0 {
        return;
    }
    assert!(compared >= 8, "{compared}");
}

#[test]
fn json_carries_both_headers() {
    let path = temp_path("vsock-json", link_captures::capture(VSOCK, &records(), 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["link"], "VSOCK");
    let l = &lines[0]["link_layer"];
    assert_eq!(l["type"], "vsock");
    assert_eq!(
        [
            &l["src_cid"],
            &l["src_port"],
            &l["dst_cid"],
            &l["dst_port"],
            &l["op"],
            &l["transport"]
        ],
        [3, 1234, 2, 5678, 4, 2]
    );
    assert_eq!(
        [
            &l["virtio"]["len"],
            &l["virtio"]["op"],
            &l["virtio"]["buf_alloc"],
            &l["virtio"]["fwd_cnt"]
        ],
        [40, 5, 65536, 12]
    );
    assert_eq!(l["payload_len"], 40);
    // No transport header but virtio's: the payload follows the monitor's.
    let last = &lines[lines.len() - 1]["link_layer"];
    assert_eq!(
        (last["transport"].as_u64(), last.get("virtio")),
        (Some(1), None)
    );
    assert_eq!(last["payload_len"], 0);
}

#[test]
fn damaged_records_never_panic() {
    support::link_damage::damaged_records_read(VSOCK, &records(), 271);
}
