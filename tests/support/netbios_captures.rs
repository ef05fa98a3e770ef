//! NetBIOS and SMB messages built by hand (RFC 1002, MS-CIFS, MS-SMB2,
//! MS-BRWS): name queries, answers, registrations with a pointer back to
//! the question, node status, WACK; datagrams carrying browser frames to
//! `\MAILSLOT\BROWSE`; session requests, answers and keepalives on 139;
//! SMB1 and SMB2 headers on 139 and 445. `tests/dissect_netbios.rs` reads
//! them with sockscope, tcpdump and tshark; `tests/dissect_mutations.rs`
//! damages them.

use super::app_captures::{Frame, capture as write, cuts, tcp, udp};

pub const NS_PORT: u16 = 137;
pub const DGM_PORT: u16 = 138;
pub const SSN_PORT: u16 = 139;
pub const SMB_PORT: u16 = 445;

/// `name` padded to 15 with spaces, then `suffix`, first-level encoded
/// (one 32-letter label), then the root label.
pub fn encoded(name: &str, suffix: u8) -> Vec<u8> {
    let mut raw = format!("{name:<15}").into_bytes();
    raw.truncate(15);
    raw.push(suffix);
    let mut v = vec![32];
    for b in raw {
        v.extend_from_slice(&[b'A' + (b >> 4), b'A' + (b & 15)]);
    }
    v.push(0);
    v
}

/// A name-service message: header, then `body` (questions and records).
fn ns(id: u16, flags: u16, counts: [u16; 4], body: &[&[u8]]) -> Vec<u8> {
    let mut m = id.to_be_bytes().to_vec();
    m.extend_from_slice(&flags.to_be_bytes());
    counts
        .iter()
        .for_each(|c| m.extend_from_slice(&c.to_be_bytes()));
    body.iter().for_each(|b| m.extend_from_slice(b));
    m
}

/// A question for `name` of type `qtype` (0x20 NB, 0x21 NBSTAT).
fn question(name: &[u8], qtype: u16) -> Vec<u8> {
    [name, &qtype.to_be_bytes(), &[0, 1]].concat()
}

/// A resource record of `rtype` for `name` with `rdata`.
fn record(name: &[u8], rtype: u16, ttl: u32, rdata: &[u8]) -> Vec<u8> {
    [
        name,
        &rtype.to_be_bytes(),
        &[0, 1],
        &ttl.to_be_bytes(),
        &(rdata.len() as u16).to_be_bytes(),
        rdata,
    ]
    .concat()
}

/// The name-service messages.
pub fn ns_messages() -> Vec<Vec<u8>> {
    let srv = encoded("FILESRV", 0x20);
    let grp = encoded("WORKGROUP", 0x1d);
    let any = encoded("*\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 0);
    let nb = |flags: u16, ip: [u8; 4]| [&flags.to_be_bytes()[..], &ip].concat();
    let table = {
        let mut t = vec![3u8];
        for (name, suffix, flags) in [
            ("FILESRV", 0x00u8, 0x0400u16),
            ("FILESRV", 0x20, 0x0400),
            ("WORKGROUP", 0x1e, 0x8400),
        ] {
            let mut raw = format!("{name:<15}").into_bytes();
            raw.push(suffix);
            t.extend_from_slice(&raw);
            t.extend_from_slice(&flags.to_be_bytes());
        }
        t.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x0c]);
        t.extend_from_slice(&[0; 40]);
        t
    };
    vec![
        // A broadcast query, and the answer with two addresses.
        ns(0x1a2b, 0x0110, [1, 0, 0, 0], &[&question(&srv, 0x20)]),
        ns(
            0x1a2b,
            0x8500,
            [0, 1, 0, 0],
            &[&record(
                &srv,
                0x20,
                300_000,
                &[nb(0x0000, [192, 0, 2, 2]), nb(0x6000, [198, 51, 100, 7])].concat(),
            )],
        ),
        // A registration whose additional record points back at the question.
        ns(
            0x0042,
            0x2910,
            [1, 0, 0, 1],
            &[
                &question(&grp, 0x20),
                &record(&[0xc0, 0x0c], 0x20, 0, &nb(0x8000, [192, 0, 2, 1])),
            ],
        ),
        // A negative registration response, a WACK, a release, a refresh.
        ns(
            0x0042,
            0xad06,
            [0, 1, 0, 0],
            &[&record(&grp, 0x20, 0, &nb(0x8000, [192, 0, 2, 9]))],
        ),
        ns(
            0x0043,
            0xbc00,
            [0, 1, 0, 0],
            &[&record(&grp, 0x0a, 2, &[0x29, 0x10])],
        ),
        ns(
            0x0044,
            0x3000,
            [1, 0, 0, 1],
            &[
                &question(&srv, 0x20),
                &record(&[0xc0, 0x0c], 0x20, 0, &nb(0, [192, 0, 2, 1])),
            ],
        ),
        ns(
            0x0045,
            0x4000,
            [1, 0, 0, 1],
            &[
                &question(&srv, 0x20),
                &record(&[0xc0, 0x0c], 0x20, 300_000, &nb(0, [192, 0, 2, 1])),
            ],
        ),
        // Node status: the query for `*`, the answer with its name table.
        ns(0x0050, 0x0000, [1, 0, 0, 0], &[&question(&any, 0x21)]),
        ns(
            0x0050,
            0x8400,
            [0, 1, 0, 0],
            &[&record(&any, 0x21, 0, &table)],
        ),
    ]
}

/// An SMB1 header for `command` (`reply` sets the flags' reply bit), with
/// `words` parameter words and `bytes`.
pub fn smb1(command: u8, reply: bool, status: u32, words: &[u16], bytes: &[u8]) -> Vec<u8> {
    let mut m = b"\xffSMB".to_vec();
    m.push(command);
    m.extend_from_slice(&status.to_le_bytes());
    m.push(if reply { 0x98 } else { 0x18 });
    m.extend_from_slice(&0xc843u16.to_le_bytes());
    m.extend_from_slice(&[0; 12]);
    for v in [7u16, 0x1234, 100, 9] {
        m.extend_from_slice(&v.to_le_bytes());
    }
    m.push(words.len() as u8);
    words
        .iter()
        .for_each(|w| m.extend_from_slice(&w.to_le_bytes()));
    m.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
    m.extend_from_slice(bytes);
    m
}

/// An SMB2 header for `command` and a short body.
pub fn smb2(command: u16, reply: bool, status: u32, message_id: u64) -> Vec<u8> {
    let mut m = b"\xfeSMB".to_vec();
    m.extend_from_slice(&64u16.to_le_bytes());
    m.extend_from_slice(&1u16.to_le_bytes());
    m.extend_from_slice(&status.to_le_bytes());
    m.extend_from_slice(&command.to_le_bytes());
    m.extend_from_slice(&31u16.to_le_bytes());
    m.extend_from_slice(&u32::from(reply).to_le_bytes());
    m.extend_from_slice(&0u32.to_le_bytes());
    m.extend_from_slice(&message_id.to_le_bytes());
    m.extend_from_slice(&0xfeffu32.to_le_bytes());
    m.extend_from_slice(&5u32.to_le_bytes());
    m.extend_from_slice(&0x0000_4000_0000_0011u64.to_le_bytes());
    m.extend_from_slice(&[0; 16]);
    // A minimal body: the structure size of an ECHO.
    m.extend_from_slice(&[4, 0, 0, 0]);
    m
}

/// An SMB1 transaction to `\MAILSLOT\BROWSE` carrying browser frame `frame`.
fn mailslot(frame: &[u8]) -> Vec<u8> {
    let name = b"\\MAILSLOT\\BROWSE\0";
    // Data follows the header (32), the word count, 17 words, the byte
    // count and the name.
    let data_at = 32 + 1 + 34 + 2 + name.len();
    let words = [
        0,
        frame.len() as u16,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        data_at as u16,
        frame.len() as u16,
        data_at as u16,
        3,
        1,
        1,
        2,
    ];
    smb1(0x25, false, 0, &words, &[&name[..], frame].concat())
}

/// A browser announcement (host 1, domain 12, local master 15).
fn announcement(opcode: u8, server: &str, comment: &str) -> Vec<u8> {
    let mut f = vec![opcode, 3];
    f.extend_from_slice(&720_000u32.to_le_bytes());
    let mut name = server.as_bytes().to_vec();
    name.resize(16, 0);
    f.extend_from_slice(&name);
    f.extend_from_slice(&[10, 0]);
    f.extend_from_slice(&0x0084_1003u32.to_le_bytes());
    f.extend_from_slice(&[15, 1, 0x55, 0xaa]);
    f.extend_from_slice(comment.as_bytes());
    f.push(0);
    f
}

/// A direct-group datagram from FILESRV<00> to `to` with `data`.
fn datagram(id: u16, to: &[u8], data: &[u8]) -> Vec<u8> {
    let from = encoded("FILESRV", 0);
    let mut m = vec![0x11, 0x02];
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[192, 0, 2, 1, 0, 138]);
    m.extend_from_slice(&((from.len() + to.len() + data.len()) as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0]);
    [m, from, to.to_vec(), data.to_vec()].concat()
}

/// The datagram-service messages.
pub fn dgm_messages() -> Vec<Vec<u8>> {
    let browse = encoded("WORKGROUP", 0x1d);
    let election = encoded("WORKGROUP", 0x1e);
    let mut error = vec![0x13, 0x02, 0, 9, 192, 0, 2, 1, 0, 138, 0x82];
    error.truncate(11);
    let query = [&[0x14, 0x02, 0, 10, 192, 0, 2, 1, 0, 138][..], &browse].concat();
    let mut elect = vec![8, 1];
    elect.extend_from_slice(&0x2001_0f00u32.to_le_bytes());
    elect.extend_from_slice(&60_000u32.to_le_bytes());
    elect.extend_from_slice(&[0; 4]);
    elect.extend_from_slice(b"FILESRV\0");
    vec![
        datagram(1, &browse, &mailslot(&announcement(1, "FILESRV", "files"))),
        datagram(
            2,
            &election,
            &mailslot(&announcement(15, "FILESRV", "master")),
        ),
        datagram(3, &election, &mailslot(&elect)),
        datagram(4, &browse, &mailslot(&[2, 0, b'F', b'S', 0])),
        error,
        query,
    ]
}

/// A session-service header of `t` before `body`.
fn session(t: u8, body: &[u8]) -> Vec<u8> {
    [&[t, 0][..], &(body.len() as u16).to_be_bytes(), body].concat()
}

/// The session-service segments (139): request, answers, keepalive, SMB1.
pub fn ssn_messages() -> Vec<Vec<u8>> {
    let names = [encoded("FILESRV", 0x20), encoded("LAPTOP", 0)].concat();
    vec![
        session(0x81, &names),
        session(0x82, &[]),
        session(0x83, &[0x82]),
        session(0x84, &[192, 0, 2, 8, 0, 139]),
        session(0x85, &[]),
        session(0, &smb1(0x72, false, 0, &[], b"\x02NT LM 0.12\0")),
        session(0, &smb1(0x73, true, 0xc000_0016, &[0xff, 0, 0, 0], &[])),
        session(0, &smb1(0x75, true, 0, &[0xff, 0, 1], b"IPC\0")),
        // Two messages in one segment: a keepalive, then SMB.
        [
            session(0x85, &[]),
            session(0, &smb1(0x72, false, 0, &[], b"\x02NT LM 0.12\0")),
        ]
        .concat(),
        // A session setup AndX chaining a tree connect AndX.
        session(0, &andx_chain()),
    ]
}

/// SMB1 SESSION_SETUP_ANDX (the ten-word form, no bytes) whose AndX block
/// chains a TREE_CONNECT_ANDX (four words, the end of the chain) placed
/// right after it (MS-CIFS §2.2.3.4).
fn andx_chain() -> Vec<u8> {
    let setup_end = 32 + 1 + 2 * 10 + 2;
    let words = [0x0075, setup_end as u16, 0xffff, 2, 0, 0, 0, 0, 0, 0];
    let mut m = smb1(0x73, false, 0, &words, &[]);
    m.push(4);
    for w in [0x00ffu16, 0, 0, 0] {
        m.extend_from_slice(&w.to_le_bytes());
    }
    m.extend_from_slice(&0u16.to_le_bytes());
    m
}

/// Two SMB2 ECHOs compounded in one message: the first's NextCommand
/// points at the second, 8-byte aligned (MS-SMB2 §3.2.4.1.4).
fn compound() -> Vec<u8> {
    let mut first = smb2(13, false, 0, 7);
    first.resize(72, 0);
    first[20..24].copy_from_slice(&72u32.to_le_bytes());
    [first, smb2(13, false, 0, 8)].concat()
}

/// SMB over TCP segments (445): SMB2 negotiate, session setup, tree
/// connect, and an SMB1 negotiate.
pub fn smb_messages() -> Vec<Vec<u8>> {
    let direct = |m: Vec<u8>| [&(m.len() as u32).to_be_bytes()[..], &m].concat();
    vec![
        direct(smb1(0x72, false, 0, &[], b"\x02SMB 2.002\0\x02SMB 2.???\0")),
        direct(smb2(0, false, 0, 0)),
        direct(smb2(0, true, 0, 0)),
        direct(smb2(1, true, 0xc000_0016, 1)),
        direct(smb2(3, false, 0, 2)),
        direct(smb2(13, true, 0, 3)),
        direct(compound()),
        // Two messages in one segment.
        [direct(smb2(13, true, 0, 7)), direct(smb2(13, true, 0, 8))].concat(),
    ]
}

/// Every message with the port it goes to (the shape the mutation test
/// takes).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut all = Vec::new();
    for (port, list) in [
        (NS_PORT, ns_messages()),
        (DGM_PORT, dgm_messages()),
        (SSN_PORT, ssn_messages()),
        (SMB_PORT, smb_messages()),
    ] {
        all.extend(list.into_iter().map(|m| (true, port, m)));
    }
    all
}

/// The capture: each message whole (UDP between 137s and 138s as the
/// services send, TCP from a client port to 139/445, answers back), then
/// each cut at every length, then an SMB2 message over 445 and a session
/// request over 139 each split over two segments (decoded in `--json` on
/// the second, where tshark reassembles them too).
pub fn capture() -> Vec<u8> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut whole = Vec::new();
    for (i, (_, port, m)) in messages().into_iter().enumerate() {
        let f = if port == SSN_PORT || port == SMB_PORT {
            tcp(i % 2 == 0, 40000 + i as u16, port, 1 + i as u32, &m)
        } else {
            udp(i % 2 == 0, port, port, &m)
        };
        whole.push(f.bytes);
    }
    for f in &whole {
        frames.push(Frame {
            bytes: f.clone(),
            snap: None,
        });
    }
    for f in &whole {
        frames.extend(cuts(f, 42));
    }
    let split = [
        (SMB_PORT, 41000, smb_messages()[4].clone(), 30),
        (SSN_PORT, 41001, ssn_messages()[0].clone(), 20),
    ];
    for (port, client, m, at) in split {
        let (a, b) = m.split_at(at);
        frames.push(tcp(true, client, port, 1, a));
        frames.push(tcp(true, client, port, 1 + at as u32, b));
    }
    write(&frames)
}
