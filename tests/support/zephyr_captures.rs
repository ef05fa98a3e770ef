//! `captures/dissect_zephyr.pcap`: Zephyr notices built by hand on UDP
//! ports 2103 and 2104 (Debian's zephyr-server and zhm need Kerberos and
//! a realm; the notices are text fields, so they are written here): every
//! kind (named, numbered, negative, hex forms C's `strtol` reads), server
//! acknowledgements with and without their next field, every class,
//! instance and opcode form tcpdump recognises and others, subscriptions
//! with and without their triple, empty senders and recipients, fields
//! past tcpdump's 255-byte buffer, bytes it prints raw, other versions,
//! datagrams that are not notices and notices whose fields run past the
//! datagram; each message cut at every length in a temporary capture;
//! then seeded damaged copies. `tests/dissect_zephyr.rs` compares
//! `sockscope read` with `tcpdump -n -r` on both.

use super::app_captures::udp_port_capture;

pub const SERVER_PORT: u16 = 2103;
pub const CLIENT_PORT: u16 = 2104;

/// A notice: `ZEPH0.2`, the kind, class, instance, opcode, sender and
/// recipient among fixed other fields, then `rest` (what some forms read
/// after the header).
pub fn notice(
    kind: &[u8],
    cio: [&[u8]; 3],
    sender: &[u8],
    recipient: &[u8],
    rest: &[u8],
) -> Vec<u8> {
    with_version(b"ZEPH0.2", kind, cio, sender, recipient, rest)
}

pub fn with_version(
    version: &[u8],
    kind: &[u8],
    [class, inst, opcode]: [&[u8]; 3],
    sender: &[u8],
    recipient: &[u8],
    rest: &[u8],
) -> Vec<u8> {
    let fields: [&[u8]; 17] = [
        version,
        b"0x11",
        kind,
        b"9ab.cde.f01",
        b"8a3",
        b"1",
        b"4",
        b"abcd",
        class,
        inst,
        opcode,
        sender,
        recipient,
        b"Class $class, Instance $instance:\n$message",
        b"5a5a",
        b"0",
        b"9ab.cde.f01",
    ];
    let mut m: Vec<u8> = fields.iter().flat_map(|f| [*f, b"\0"].concat()).collect();
    m.extend_from_slice(rest);
    m
}

/// A message to `port` (`true`: from the client side).
fn to(port: u16, m: Vec<u8>) -> (bool, u16, Vec<u8>) {
    (true, port, m)
}

/// Every hand-built message, to 2103 or 2104.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let user = b"alice@ATHENA.MIT.EDU";
    let message: [&[u8]; 3] = [b"MESSAGE", b"personal", b""];
    let mut v = Vec::new();
    for kind in [
        &b"0"[..],
        b"1",
        b"2",
        b"3",
        b"4",
        b"6",
        b"7",
        b"8",
        b"9",
        b"0x2",
        b"  +0X7",
        b"-1",
        b"-ffffffff",
        b"7fffffff",
        b"80000000",
        b"fffffffffffffffffff",
        b"-fffffffffffffffffff",
        b"zz",
        b"",
    ] {
        v.push(to(
            SERVER_PORT,
            notice(kind, message, user, b"bob@ATHENA.MIT.EDU", b""),
        ));
    }
    let ctl = |inst: &'static [u8], op: &'static [u8]| -> [&'static [u8]; 3] {
        [b"ZEPHYR_CTL", inst, op]
    };
    // Server acknowledgements: SENT, others lower-cased, none.
    for rest in [
        &b"SENT\0"[..],
        b"LOST\0",
        b"NotHere\0",
        b"",
        b"UNTERMINATED",
    ] {
        v.push(to(CLIENT_PORT, notice(b"5", message, user, b"", rest)));
    }
    v.push(to(
        CLIENT_PORT,
        notice(b"5", ctl(b"CLIENT", b"SUBSCRIBE"), user, b"", b"SENT\0"),
    ));
    v.push(to(
        CLIENT_PORT,
        notice(b"5", ctl(b"CLIENT", b"UNSUBSCRIBE"), b"", b"", b""),
    ));
    for (class, inst, op) in [
        (&b"USER_LOCATE"[..], &b"alice"[..], &b"USER_HIDE"[..]),
        (b"USER_LOCATE", b"alice", b"USER_UNHIDE"),
        (b"USER_LOCATE", b"alice@ATHENA.MIT.EDU", b"LOCATE"),
        (b"USER_LOCATE", b"", b""),
        (b"ZEPHYR_ADMIN", b"", b"Bdump-Me"),
        (b"ZEPHYR_CTL", b"CLIENT", b"GIMME"),
        (b"ZEPHYR_CTL", b"CLIENT", b"GIMMEDEFS"),
        (b"ZEPHYR_CTL", b"CLIENT", b"CLEARSUB"),
        (b"ZEPHYR_CTL", b"CLIENT", b"SOMETHING_ELSE"),
        (b"ZEPHYR_CTL", b"CLIENT", b""),
        (b"ZEPHYR_CTL", b"HM", b"BOOT"),
        (b"ZEPHYR_CTL", b"HM", b"FLUSH"),
        (b"ZEPHYR_CTL", b"REALM", b"ADD_SUBSCRIBE"),
        (b"ZEPHYR_CTL", b"REALM", b"REQ_SUBSCRIBE"),
        (b"ZEPHYR_CTL", b"REALM", b"RLM_SUBSCRIBE"),
        (b"ZEPHYR_CTL", b"REALM", b"RLM_UNSUBSCRIBE"),
        (b"ZEPHYR_CTL", b"REALM", b"OTHER"),
        (b"ZEPHYR_CTL", b"OTHER", b"SUBSCRIBE"),
        (b"HM_CTL", b"SERVER_SHUTDOWN", b"Ping"),
        (b"HM_STAT", b"HMST_CLIENT", b"GIMMESTATS"),
        (b"HM_STAT", b"HMST_CLIENT", b"OTHER"),
        (b"HM_STAT", b"OTHER", b"GIMMESTATS"),
        (b"WG_CTL", b"WG_CTL_USER", b"WG_SHUTDOWN"),
        (b"LOGIN", b"alice", b"USER_FLUSH"),
        (b"LOGIN", b"alice", b"NONE"),
        (b"LOGIN", b"alice", b"OPSTAFF"),
        (b"LOGIN", b"alice", b"REALM-VISIBLE"),
        (b"LOGIN", b"alice", b"REALM-ANNOUNCED"),
        (b"LOGIN", b"alice", b"NET-VISIBLE"),
        (b"LOGIN", b"alice", b"NET-ANNOUNCED"),
        (b"LOGIN", b"alice", b"USER_LOGIN"),
        (b"user_locate", b"x", b"USER_HIDE"),
        (b"FILSRV", b"*", b""),
        (b"MESSAGE", b"\xe9t\xe9\x01", b"PING"),
    ] {
        v.push(to(
            SERVER_PORT,
            notice(b"2", [class, inst, op], user, b"", b""),
        ));
        v.push(to(
            CLIENT_PORT,
            notice(b"1", [class, inst, op], b"", b"r@X", b""),
        ));
    }
    // Subscriptions with their triple, an empty recipient, a missing one.
    for op in [&b"SUBSCRIBE"[..], b"SUBSCRIBE_NODEFS", b"UNSUBSCRIBE"] {
        for rest in [
            &b"message\0personal\0alice@X\0"[..],
            b"message\0*\0\0",
            b"message\0*\0",
            b"",
        ] {
            v.push(to(
                SERVER_PORT,
                notice(b"2", ctl(b"CLIENT", op), user, b"", rest),
            ));
        }
    }
    // Fields longer than tcpdump's 255-byte buffer.
    let long = [&b"Long-"[..], &[b'X'; 300]].concat();
    v.push(to(
        SERVER_PORT,
        notice(b"2", [b"ZEPHYR_ADMIN", b"", &long], user, b"", b""),
    ));
    v.push(to(
        SERVER_PORT,
        notice(b"2", [&long, b"i", b"o"], user, b"", b""),
    ));
    v.push(to(
        SERVER_PORT,
        notice(b"2", [b"c", &long, b""], user, &long, b""),
    ));
    v.push(to(
        SERVER_PORT,
        notice(
            b"5",
            [b"c", b"i", b"o"],
            user,
            b"",
            &[&long[..], b"\0"].concat(),
        ),
    ));
    v.push(to(
        SERVER_PORT,
        notice(b"2", [b"MESSAGE", b"i", b"o"], &long, b"", b""),
    ));
    // Other versions, not a notice, fields past the datagram.
    for version in [&b"ZEPH0.1"[..], b"ZEPH1.0", b"ZEPH", b"ZEPH0.2x", b"ZEPH0."] {
        v.push(to(
            SERVER_PORT,
            with_version(version, b"2", message, user, b"", b""),
        ));
    }
    for other in [&b"ZEP\0"[..], b"HELLO\0", b"\0", b"zeph0.2\0"] {
        v.push(to(SERVER_PORT, other.to_vec()));
    }
    let whole = notice(b"2", message, user, b"", b"");
    let ends: Vec<usize> = whole
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == 0)
        .map(|(i, _)| i)
        .collect();
    for end in ends {
        v.push(to(SERVER_PORT, whole[..end].to_vec()));
    }
    v.push(to(SERVER_PORT, Vec::new()));
    v
}

/// The capture: each message to its port, three from 2103, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        SERVER_PORT,
        &messages(),
        0..3,
        usize::MAX,
        (0x2103_0000_0000_0001, n),
    )
}
