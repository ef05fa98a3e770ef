//! `captures/dissect_txtproto.pcap`: the protocols tcpdump prints through
//! its text protocol printer or by their first bytes — FTP (21), SMTP
//! (25), WHOIS (43), RTSP (554, 8554), SIP over UDP (5060), Telnet's
//! option negotiation (23) and BEEP (10288) — plus IMAP (143) and POP3
//! (110), which tcpdump leaves as bare TCP: real dialogues' lines, LF-only
//! and CRLF lines, segments ending inside a line, a CR without LF,
//! control and non-ASCII bytes, long lines, tokens too long to be a
//! request, IPv6, cuts by the snap length at every length, segments
//! between two known ports (which printer tcpdump picks), then seeded
//! damaged copies. `tests/dissect_txtproto.rs` compares `sockscope read`
//! with `tcpdump -n -r` on it.

use super::app_captures::{
    CLIENT, Frame, TCP_HEADERS, UDP_HEADERS, capture as write, long_message, owned, tcp, udp,
};
use super::dns_captures::mutate;
use super::frames::Above::Udp;
use super::rng::Rng;

/// The ports of the protocols here (SIP's is UDP).
pub const FTP: u16 = 21;
pub const TELNET: u16 = 23;
pub const SMTP: u16 = 25;
pub const WHOIS: u16 = 43;
pub const POP3: u16 = 110;
pub const IMAP: u16 = 143;
pub const RTSP: u16 = 554;
pub const RTSP_ALT: u16 = 8554;
pub const SIP: u16 = 5060;
pub const BEEP: u16 = 10288;

/// Damage every text protocol can meet: line ends, control and
/// non-ASCII bytes, a CR without LF, an unended line, empty lines.
fn rough_lines(first: &[u8]) -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"\r\n",
        b"\n",
        b"x\ny\n",
        b"a\r\n\r\nb\r\n",
        b"a\rb\r\n",
        b"a\r",
        b"a\tb\r\n",
        b"\x80abc\r\n",
        b"abc\r\n\x80\r\n",
        b"ab\x01c\r\n",
        b"ab\x7f\r\n",
        b"abc\r\nde\x00f\r\n",
    ]);
    v.push(first.to_vec());
    v.push([first, b"more text"].concat());
    v.push(long_message(first, b"\r\n"));
    v
}

/// What FTP's control connection carries, both ways.
pub fn ftp_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"220 (vsFTPd 3.0.3)\r\n",
        b"USER anonymous\r\n",
        b"331 Please specify the password.\r\n",
        b"PASS guest@\r\n",
        b"230-Welcome\r\n230-to this server\r\n230 Login successful.\r\n",
        b"EPSV\r\n",
        b"229 Entering Extended Passive Mode (|||40001|)\r\n",
        b"RETR file.txt\r\n",
        b"150 Opening BINARY mode data connection for file.txt (12 bytes).\r\n",
        b"226 Transfer complete.\r\n",
        b"QUIT\r\n",
        b"221 Goodbye.\r\n",
        b"CWD /pub/\xc3\xa9t\xc3\xa9\r\n",
        b"USER x",
    ]);
    v.extend(rough_lines(b"SYST\r\n"));
    v
}

pub fn smtp_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"220 mx.example ESMTP ready\r\n",
        b"EHLO client.example\r\n",
        b"250-mx.example\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
        b"MAIL FROM:<alice@example.org>\r\n",
        b"250 2.1.0 Ok\r\n",
        b"RCPT TO:<bob@example.org>\r\n",
        b"DATA\r\n",
        b"354 End data with <CR><LF>.<CR><LF>\r\n",
        b"Subject: hello\r\nFrom: alice@example.org\r\n\r\nHi Bob.\r\n.\r\n",
        b"QUIT\r\n",
        b"221 2.0.0 Bye\r\n",
    ]);
    v.extend(rough_lines(b"NOOP\r\n"));
    v
}

pub fn whois_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"example.com\r\n",
        b"% IANA WHOIS server\n% for more information on IANA, visit http://www.iana.org\n\ndomain:       EXAMPLE.COM\n",
    ]);
    v.extend(rough_lines(b"example.net\r\n"));
    v
}

pub fn rtsp_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"OPTIONS rtsp://127.0.0.1:8554/stream RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: curl/7.88.1\r\n\r\n",
        b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE\r\n\r\n",
        b"DESCRIBE rtsp://h/s RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n",
        b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\no=- 1\r\n",
        b"SETUP rtsp://h/s/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n",
        b"RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678\r\n\r\n",
        b"PLAY rtsp://h/s RTSP/1.0\r\nCSeq: 4\r\nSession: 12345678\r\n\r\n",
        b"teardown rtsp://h/s RTSP/1.0\r\n\r\n",
        b"GET_PARAMETER rtsp://h/s RTSP/1.0\r\n\r\n",
        b"SET_PARAMETER * RTSP/1.0\r\n\r\n",
        b"ANNOUNCE x RTSP/1.0\r\n",
        b"PAUSE x\r\n",
        b"RECORD x\r\n",
        b"REDIRECT x\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
        b"RTSP/1.0 454 Session Not Found\r\n\r\n",
        b"RTSP/1.0 45 x\r\n",
        b"RTSP/1.0  200\r\n",
        b"RTSP/1.0\t200\r\n",
        b"RTSP/1.0 200",
        b"SETUP",
        b"PLAY\r\n",
        b"$\x00\x00\x0c\x80\x60\x00\x01",
    ]);
    // A first token longer than tcpdump's 128 bytes, and 128 and 127.
    for n in [127, 128, 129] {
        v.push([&vec![b'A'; n][..], b" 200 OK\r\n"].concat());
    }
    v.extend(rough_lines(b"OPTIONS * RTSP/1.0\r\n"));
    v
}

pub fn sip_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n",
        b"SIP/2.0 180 Ringing\r\ni: a84b4c76e66710\r\nf: <sip:alice@a>\r\nt: <sip:bob@b>\r\nCSeq: 314159 INVITE\r\n\r\n",
        b"SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n",
        b"ACK sip:bob@b SIP/2.0\r\n\r\n",
        b"BYE sip:bob@b SIP/2.0\r\n\r\n",
        b"REGISTER sip:registrar.example SIP/2.0\r\n\r\n",
        b"OPTIONS sip:x SIP/2.0\r\n\r\n",
        b"options sip:x SIP/2.0\r\n\r\n",
        b"CANCEL x\r\n",
        b"DO x\r\n",
        b"INFO x\r\n",
        b"MESSAGE x\r\n",
        b"NOTIFY x\r\n",
        b"PRACK x\r\n",
        b"QAUTH x\r\n",
        b"REFER x\r\n",
        b"SPRACK x\r\n",
        b"SUBSCRIBE x\r\n",
        b"UPDATE x\r\n",
        b"PUBLISH x\r\n",
        b"JOIN x\r\n",
        b"\r\n\r\n",
        b"SIP/2.0 200",
        b"SIP/2.0 2000 OK\r\n",
    ]);
    v.extend(rough_lines(b"BYE sip:a SIP/2.0\r\n"));
    v
}

/// Telnet's commands: negotiation, subnegotiation, the data after, and
/// the ways a command can end early.
pub fn telnet_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        b"\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27",
        b"\xff\xfb\x18\xff\xfb\x20\xff\xfb\x23\xff\xfb\x27",
        b"\xff\xfa\x18\x01\xff\xf0",
        b"\xff\xfa\x18\x00xterm-256color\xff\xf0",
        b"\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0",
        b"\xff\xfa\x27\x00\x00USER\x01root\xff\xf0\xff\xfd\x01",
        b"\xff\xfa\x18\x02ab\xff\xf0",
        b"\xff\xfa\x18\x05\x00\xff\xf0",
        b"\xff\xfa\x18\x00\xff\xf0",
        b"\xff\xfd\x01\xff\xfb\x03login: ",
        b"\xff\xff",
        b"\xff\xf1\xff\xf4\xff\xf9",
        b"\xff\xfd\x28\xff\xfe\xff",
        b"\xff\xfa\x18\x00abc\xff",
        b"\xff\xfa\x18\x00abc",
        b"\xff\xfa\x18\xff",
        b"\xff\xfa\x18",
        b"\xff\xfd",
        b"\xff",
        b"\xff\x10",
        b"\xff\xec\xff\xed\xff\xee\xff\xef\xff\xf0\xff\xf2\xff\xf3\xff\xf5\xff\xf6\xff\xf7\xff\xf8",
        b"login: ",
        b"\xff\xfa\x18\x00ab\xff\xf0\xff",
    ]);
    // Every option with DO, and past the named ones.
    v.push((0..=255u8).flat_map(|o| [0xff, 0xfd, o]).collect());
    v
}

pub fn beep_messages() -> Vec<Vec<u8>> {
    owned(&[
        b"MSG 1 2 . 0 10\r\nhello\r\nEND\r\n",
        b"MSG\0",
        b"RPY 0 1 . 0 5\r\n",
        b"ERR 0 1 . 0 5\r\n",
        b"ANS 1 2 . 0 5 0\r\n",
        b"NUL 1 2 . 5 0\r\n",
        b"SEQ 1 0 4096\r\n",
        b"END\0",
        b"END\r\n",
        b"RPY",
        b"rpy 0",
    ])
}

pub fn imap_messages() -> Vec<Vec<u8>> {
    owned(&[
        b"* OK [CAPABILITY IMAP4rev1 IDLE] Dovecot ready.\r\n",
        b"A001 LOGIN alice secret\r\n",
        b"A001 OK Logged in\r\n",
        b"A002 SELECT INBOX\r\n",
        b"* 3 EXISTS\r\n* FLAGS (\\Seen)\r\nA002 OK [READ-WRITE] Select completed\r\n",
    ])
}

pub fn pop3_messages() -> Vec<Vec<u8>> {
    owned(&[
        b"+OK POP3 server ready\r\n",
        b"USER alice\r\n",
        b"+OK\r\n",
        b"RETR 1\r\n",
        b"-ERR no such message\r\n",
    ])
}

/// The protocols, each with its messages and its port.
fn by_protocol() -> Vec<(u16, Vec<Vec<u8>>)> {
    vec![
        (FTP, ftp_messages()),
        (SMTP, smtp_messages()),
        (WHOIS, whois_messages()),
        (RTSP, rtsp_messages()),
        (TELNET, telnet_messages()),
        (BEEP, beep_messages()),
        (IMAP, imap_messages()),
        (POP3, pop3_messages()),
    ]
}

/// A TCP segment over IPv6 between 2001:db8::1 and 2001:db8::2.
fn tcp6(client: u16, server: u16, payload: &[u8]) -> Frame {
    let mut bytes = Vec::new();
    etherparse::PacketBuilder::ethernet2(CLIENT.src, CLIENT.dst)
        .ipv6(
            "2001:db8::1"
                .parse::<std::net::Ipv6Addr>()
                .expect("address")
                .octets(),
            "2001:db8::2"
                .parse::<std::net::Ipv6Addr>()
                .expect("address")
                .octets(),
            64,
        )
        .tcp(client, server, 1000, 512)
        .psh()
        .ack(1)
        .write(&mut bytes, payload)
        .expect("the frame builds");
    Frame { bytes, snap: None }
}

/// The capture: each protocol's messages to the server and back, the
/// first ones cut at every length, RTSP's alternative port, IPv6, two
/// known ports at once, then `damaged` damaged messages of each.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut frames: Vec<Frame> = Vec::new();
    // Each TCP segment on a connection of its own (the client port counts
    // up), so `-v`'s analysis sees no gap, as tcpdump shows none.
    let mut next_port = 40000u16;
    let mut port = || {
        next_port = next_port.wrapping_add(1).max(40001);
        next_port
    };
    let mut add_tcp =
        |frames: &mut Vec<Frame>, to_server, server, m: &[u8], keep: Option<usize>| {
            let mut f = tcp(to_server, port(), server, 1000, m);
            f.snap = keep.map(|n| TCP_HEADERS + n);
            frames.push(f);
        };
    let protocols = by_protocol();
    for (server, messages) in &protocols {
        for (i, m) in messages.iter().enumerate() {
            add_tcp(&mut frames, i % 2 == 1, *server, m, None);
        }
        for m in messages.iter().take(2) {
            for keep in 0..m.len().min(40) {
                add_tcp(&mut frames, true, *server, m, Some(keep));
            }
        }
    }
    let rtsp = rtsp_messages();
    for m in rtsp.iter().take(4) {
        add_tcp(&mut frames, true, RTSP_ALT, m, None);
    }
    let sip = sip_messages();
    for (i, m) in sip.iter().enumerate() {
        frames.push(udp(i % 2 == 0, 5060, SIP, m));
    }
    for keep in 0..sip[1].len().min(60) {
        frames.push(Frame {
            snap: Some(UDP_HEADERS + keep),
            ..udp(true, 40000, SIP, &sip[1])
        });
    }
    // IPv6.
    frames.push(tcp6(40001, FTP, b"USER anonymous\r\n"));
    frames.push(tcp6(40002, SMTP, b"EHLO client\r\n"));
    frames.push(tcp6(40003, TELNET, b"\xff\xfd\x01"));
    frames.push(tcp6(40004, RTSP, &rtsp[0]));
    frames.push(Frame {
        bytes: CLIENT.frame("2001:db8::1", "2001:db8::2", Udp(40000, SIP), &sip[0]),
        snap: None,
    });
    // Two known ports: tcpdump's chain of port tests picks one.
    let known = [
        21u16, 22, 23, 25, 43, 53, 80, 88, 110, 143, 179, 554, 6379, 6633, 8554, 10288,
    ];
    for &a in &known {
        for &b in &known {
            if a < b {
                let f = tcp(true, a, b, 1000, b"\xff\xfd\x01USER x\r\n");
                frames.push(f);
            }
        }
    }
    for other in [53u16, 123, 161, 514, 69, 5353] {
        frames.push(udp(true, other, SIP, &sip[3]));
        frames.push(udp(true, SIP, other, &sip[3]));
    }
    let mut rng = Rng(0x7e47_0000_0000_0014);
    for _ in 0..damaged {
        for (server, messages) in &protocols {
            if let Some(m) = messages.get(rng.below(messages.len())) {
                add_tcp(&mut frames, true, *server, &mutate(&mut rng, m), None);
            }
        }
        if let Some(m) = sip.get(rng.below(sip.len())) {
            frames.push(udp(true, 40000, SIP, &mutate(&mut rng, m)));
        }
    }
    write(&frames)
}

/// Every protocol's messages with its transport and port, for the
/// mutation test: `(tcp, port, messages)`.
pub fn all_messages() -> Vec<(bool, u16, Vec<Vec<u8>>)> {
    let mut v: Vec<_> = by_protocol()
        .into_iter()
        .map(|(port, m)| (true, port, m))
        .collect();
    v.push((false, SIP, sip_messages()));
    v
}
