//! LocalTalk captures (link type 114): the LLAP header (destination node,
//! source node, LAP type), then a short DDP header (type 1, the nodes the
//! LAP header's: `0.1.4 > 0.2.3: at-echo 5`), a long one (type 2:
//! `258.7.4 > 4660.5.253: nbp-lkup 5: "obj:AFPServer@*"`) or a control
//! frame (`1 > 2 at-lap#129 4`). Frames whole and cut at every length,
//! and frames too short for their headers, print what `tcpdump -n -r`
//! prints at every level and dump; libpcap's filters (`atalk` is every
//! frame, IP none) select what tcpdump's select.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::link_captures;
use support::link_filters::{REFUSED_WITHOUT_MACS, records_filter_like_tcpdump};
use support::temp_path;

fn lap(dst: u8, src: u8, kind: u8, rest: &[u8]) -> Vec<u8> {
    [&[dst, src, kind][..], rest].concat()
}

/// A long DDP header from 258.7 socket 4 to 4660.`dst_node` socket 253,
/// of type `t`, its length field `length` (tcpdump reads the frame's).
fn ddp(t: u8, dst_node: u8, length: Option<u16>, body: &[u8]) -> Vec<u8> {
    let len = length.unwrap_or(13 + body.len() as u16);
    let mut h = len.to_be_bytes().to_vec();
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&4660u16.to_be_bytes());
    h.extend_from_slice(&258u16.to_be_bytes());
    h.extend_from_slice(&[dst_node, 7, 253, 4, t]);
    [&h[..], body].concat()
}

/// A short DDP header from socket `src` to socket `dst`, of type `t`.
fn sddp(t: u8, src: u8, dst: u8, body: &[u8]) -> Vec<u8> {
    let len = 5 + body.len() as u16;
    [&len.to_be_bytes()[..], &[dst, src, t], body].concat()
}

/// A counted string.
fn cs(s: &[u8]) -> Vec<u8> {
    [&[s.len() as u8][..], s].concat()
}

fn nbp_lookup() -> Vec<u8> {
    let mut b = vec![0x21, 5, 1, 2, 7, 4, 0];
    for s in [&b"obj"[..], b"AFPServer", b"*"] {
        b.extend(cs(s));
    }
    b
}

fn nbp_reply() -> Vec<u8> {
    let mut b = vec![0x32, 9, 1, 2, 7, 4, 1];
    for s in [&b"a"[..], b"b", b"c"] {
        b.extend(cs(s));
    }
    b.extend_from_slice(&[1, 3, 8, 9, 2]);
    for s in [&b"x"[..], b"y", b"z"] {
        b.extend(cs(s));
    }
    b
}

fn records() -> Vec<Vec<u8>> {
    let atp_req = [0x60, 0x07, 0x12, 0x34, 0, 0, 0, 5];
    let atp_resp = [0x90, 0x03, 0x12, 0x34, 0, 0, 0, 0, b'd', b'a', b't', b'a'];
    vec![
        // Long DDP: NBP, ATP, and the types tcpdump only names.
        lap(2, 1, 2, &ddp(2, 5, None, &nbp_lookup())),
        lap(2, 1, 2, &ddp(2, 5, None, &nbp_reply())),
        lap(2, 1, 2, &ddp(3, 5, None, &atp_req)),
        lap(2, 1, 2, &ddp(3, 5, None, &atp_resp)),
        lap(2, 1, 2, &ddp(4, 5, None, b"\x01abcd")),
        lap(2, 1, 2, &ddp(1, 255, None, b"rt")),
        lap(2, 1, 2, &ddp(6, 5, None, b"zz")),
        lap(2, 1, 2, &ddp(22, 5, None, b"x")),
        // A length field that disagrees with the frame.
        lap(2, 1, 2, &ddp(4, 5, Some(99), b"ab")),
        // Short DDP: echo, NBP (its tuple's address is not the source's),
        // ATP to the broadcast node, an RTMP request.
        lap(2, 1, 1, &sddp(4, 4, 3, b"\x01abcd")),
        lap(2, 1, 1, &sddp(2, 4, 3, &nbp_lookup())),
        lap(255, 1, 1, &sddp(3, 253, 1, &atp_req)),
        lap(2, 1, 1, &sddp(5, 4, 3, b"")),
        // Control frames.
        lap(2, 1, 0x81, b"klap"),
        lap(2, 1, 9, b""),
        // Too short for the headers.
        lap(2, 1, 2, &[0, 5]),
        lap(2, 1, 1, &[0]),
        vec![2, 1],
    ]
}

#[test]
fn ltalk_frames_whole_and_cut_print_what_tcpdump_prints() {
    let levels = ["", "-e", "-v", "-vv", "-x", "-e -x", "-X", "-xx", "-A"];
    let path = temp_path("ltalk", link_captures::capture(114, &records(), usize::MAX));
    let Some(counts) = compare_with_tcpdump(&path, &levels, 300) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("ltalk: {total} lines identical to tcpdump's");
    assert!(total > 3_500, "{total}");
}

#[test]
fn ltalk_filters_select_what_tcpdump_selects() {
    const EXPRS: &[&str] = &[
        "atalk",
        "ether proto 0x809b",
        "link[2] = 1",
        "link[2] = 2 and len > 20",
        "not atalk or link[0] = 255",
        "len < 10",
        "geneve and ip",
    ];
    let compared = records_filter_like_tcpdump(
        (114, &records()),
        "ltalk-filters",
        EXPRS,
        REFUSED_WITHOUT_MACS,
    );
    if compared == 0 {
        return;
    }
    eprintln!("ltalk filters: {compared} lines identical to tcpdump's");
    assert!(compared > 40, "{compared}");
}

#[test]
fn json_gives_the_lap_and_ddp_headers() {
    let recs = [
        lap(2, 1, 1, &sddp(2, 4, 3, &nbp_lookup())),
        lap(2, 1, 2, &ddp(3, 5, None, &[0x40, 1, 0, 7, 0, 0, 0, 0])),
        lap(2, 1, 0x81, b"klap"),
    ];
    let path = temp_path("ltalk-json", link_captures::capture(114, &recs, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let l = &lines[0]["link_layer"];
    assert_eq!(lines[0]["link"], "LTALK", "{l}");
    assert_eq!(
        (&l["type"], &l["dst"], &l["src"]),
        (&"ltalk".into(), &2.into(), &1.into())
    );
    assert_eq!(
        l["ddp"]["src"],
        serde_json::json!({"net": 0, "node": 1, "socket": 4})
    );
    assert_eq!(
        l["ddp"]["dst"],
        serde_json::json!({"net": 0, "node": 2, "socket": 3})
    );
    assert_eq!(
        l["ddp"]["nbp"],
        serde_json::json!({"function": 2, "tuples": 1, "id": 5})
    );
    let l = &lines[1]["link_layer"];
    assert_eq!(l["ddp"]["src"]["net"], 258, "{l}");
    assert_eq!(l["ddp"]["atp"]["transaction"], 7, "{l}");
    let l = &lines[2]["link_layer"];
    assert_eq!(l["lap_type"], 0x81, "{l}");
    assert!(l.get("ddp").is_none(), "{l}");
}

#[test]
fn damaged_frames_never_panic() {
    support::link_damage::damaged_records_read(114, &records(), 114);
}
