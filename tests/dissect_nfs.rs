//! NFS over ONC RPC as tcpdump prints it. The sandbox's kernel has neither
//! an NFS server nor an NFS client (`/proc/filesystems` lists no `nfs`,
//! `nfsd`), so the messages are built (`tests/support/nfs_captures.rs`:
//! every v2 and v3 procedure's call and replies, handles of every layout
//! tcpdump guesses, RPC rejections, other programs and versions on 2049),
//! in UDP datagrams and in TCP segments after RPC's record mark, written
//! to captures of the test's own and read by `sockscope read` and
//! `tcpdump -n -r`: the same lines byte for byte at the default level,
//! `-v` and `-vv`, whole, cut at every length and damaged.

mod support;

use support::app_captures::{Frame, capture, compare_with_tcpdump, tcp, udp};
use support::bin::{sockscope, text};
use support::nfs_captures::{self, CLIENT, PORT, call, opaque, record, words};

const LEVELS: &[&str] = &["", "-v", "-vv"];

/// Damaged copies after the hand-built messages.
const DAMAGED: usize = 3000;

fn temp(name: &str, frames: &[Frame]) -> String {
    support::temp_file(name, capture(frames))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn nfs_lines_equal_tcpdump() {
    let p = temp("nfs.pcap", &nfs_captures::frames());
    let n = nfs_captures::frames().len();
    compare_with_tcpdump(&p, LEVELS, n);
}

/// Every message cut by the snap length at every byte, over UDP and TCP.
#[test]
fn cut_nfs_messages_equal_tcpdump() {
    let p = temp("nfs_cuts.pcap", &nfs_captures::cut_frames());
    compare_with_tcpdump(&p, LEVELS, 10_000);
}

/// NFS over IPv6, UDP and TCP, as its IPv4 comparison: every message
/// whole, then cut at every byte (tcpdump's XID table keys on the IPv6
/// addresses too).
/// Where the `-x` dump of a cut message starts: at the frame's first
/// byte when tcpdump's printer read past the capture unchecked (its
/// `longjmp`: a reply's `c` word, an attribute's fields), at IP after
/// one of its checks (a handle, a name, the credentials' length).
#[test]
fn cut_nfs_messages_dump_from_where_tcpdumps_does() {
    let p = temp("nfs_cuts_x.pcap", &nfs_captures::cut_frames());
    compare_with_tcpdump(&p, &["-x", "-v -x", "-vv -x"], 10_000);
}

#[test]
fn nfs_over_ipv6_equals_tcpdump() {
    let frames = nfs_captures::frames_v6();
    let p = temp("nfs_v6.pcap", &frames);
    compare_with_tcpdump(&p, LEVELS, 10_000);
}

/// Seeded damaged copies of every message, each after the whole
/// messages (so that damaged replies find calls), over UDP and TCP.
#[test]
fn damaged_nfs_messages_equal_tcpdump() {
    let ms = nfs_captures::messages();
    let mut frames = nfs_captures::frames();
    let mut rng = support::dns_captures::rng(0x4e46_5300_0000_0001);
    for i in 0..DAMAGED {
        let (to, m) = &ms[rng.below(ms.len())];
        let bad = support::dns_captures::mutate(&mut rng, m);
        frames.push(if i % 2 == 0 {
            udp(*to, CLIENT, PORT, &bad)
        } else {
            tcp(*to, CLIENT, PORT, 1, &record(&bad))
        });
    }
    let p = temp("nfs_damaged.pcap", &frames);
    compare_with_tcpdump(&p, LEVELS, DAMAGED);
}

/// Where NFS stands among the ports tcpdump decodes: over UDP a call to
/// 2049 or a reply from it is NFS whatever the other port (tcpdump asks
/// before any port table), the other way round it is the other port's
/// protocol or plain UDP; over TCP 2049 is tried last (table `TCP_PORTS`
/// of `src/dissect/mod.rs`).
#[test]
fn nfs_port_order_is_tcpdumps() {
    const UDP_OTHERS: [u16; 12] = [53, 5353, 69, 67, 123, 161, 500, 514, 520, 1812, 3784, 4789];
    const TCP_OTHERS: [u16; 23] = [
        23, 25, 43, 179, 1723, 6379, 22, 10288, 6653, 6633, 21, 80, 8080, 554, 8554, 53, 323, 646,
        88, 143, 110, 139, 445,
    ];
    let c = call(7, 100003, 3, 0, &[]);
    let r = nfs_captures::reply(7, &[]);
    let mut frames = Vec::new();
    for other in UDP_OTHERS {
        frames.push(udp(true, other, PORT, &c));
        frames.push(udp(false, other, PORT, &r));
        frames.push(udp(true, PORT, other, &c));
        frames.push(udp(false, PORT, other, &r));
    }
    for other in TCP_OTHERS {
        for payload in [record(&c), record(&r)] {
            frames.push(tcp(true, other, PORT, 1, &payload));
            frames.push(tcp(false, other, PORT, 1, &payload));
        }
    }
    let p = temp("nfs_port_order.pcap", &frames);
    compare_with_tcpdump(&p, LEVELS, frames.len());
}

/// `--json`: a call's procedure, handle, name, offsets; a reply's status
/// and the procedure of the call it answers; TCP's record mark.
#[test]
fn nfs_json_has_the_decoded_fields() {
    let h = [1u8, 0, 7, 1, 9, 9, 9, 9];
    let mut read = opaque(&h);
    read.extend(0x1_0000_0000u64.to_be_bytes());
    read.extend(words(&[8192]));
    let c = call(0x77, 100003, 3, 6, &read);
    let r = nfs_captures::reply(0x77, &words(&[2, 0]));
    let lookup = call(
        0x78,
        100003,
        3,
        3,
        &[opaque(&h), opaque(b"file.txt")].concat(),
    );
    let frames = [
        udp(true, CLIENT, PORT, &c),
        udp(false, CLIENT, PORT, &r),
        tcp(true, CLIENT, PORT, 1, &record(&lookup)),
    ];
    let p = temp("nfs_json.pcap", &frames);
    let out = sockscope(&["read", &p, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    for want in [
        r#""nfs":{"#,
        r#""xid":119"#,
        r#""message":"call""#,
        r#""program":100003"#,
        r#""procedure_name":"read""#,
        r#""fh":"0100070109090909""#,
        r#""offset":4294967296"#,
        r#""count":8192"#,
        r#""message":"reply""#,
        r#""status":2"#,
        r#""status_text":"No such file or directory""#,
        r#""name":"file.txt""#,
        r#""record_length":"#,
        r#""last_fragment":true"#,
    ] {
        assert!(json.contains(want), "no {want} in\n{json}");
    }
    // The reply names the call's procedure.
    let reply_line = json.lines().nth(1).unwrap_or_default();
    assert!(
        reply_line.contains(r#""procedure_name":"read""#),
        "{reply_line}"
    );
}
