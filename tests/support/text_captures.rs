//! `captures/dissect_text.pcap`: the text protocols tcpdump prints a line
//! of, over TCP — HTTP/1.x on ports 80 and 8080 (every method tcpdump
//! knows and some it does not, status lines with good and bad codes,
//! LF-only and CRLF lines, bodies, control characters, a CR without LF,
//! segments ending inside a line, and cuts by the snap length) and SSH's
//! identification string on port 22 (versions 2.0 and 1.99, without an
//! end of line, with control characters, binary packets, cuts), plus
//! segments between two known ports (which one tcpdump picks) — then
//! damaged copies. `tests/dissect_apps.rs` compares `sockscope read` with
//! `tcpdump -n -r` on it.

use super::app_captures::{Frame, TCP_HEADERS, capture as write, long_message, owned, tcp};
use super::dns_captures::mutate;
use super::rng::Rng;

pub const HTTP_PORT: u16 = 80;
pub const SSH_PORT: u16 = 22;

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";

/// HTTP segments (all sent to the server: tcpdump looks at either port).
pub fn http_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        GET,
        b"GET / HTTP/1.1\nHost: a\n\n",
        b"GET /x",
        b"get / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
        b"POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\na=1",
        b"HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 722\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nServer: x\r\n\r\n<html>",
        b"<!DOCTYPE HTML>\n<html lang=\"en\">\n",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP 200\r\n",
        b"GET\r\n\r\n",
        b"GET  / \r\n",
        b"GET\t/\r\n",
        b"GET /\xff\x01\x7f HTTP/1.1\r\nX: y\r\n\r\n",
        b"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: \xe9\t\x00y\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\nbody\r\nmore",
        b"GET / HTTP/1.1\r\n",
        b"GET / HTTP/1.1\r",
        b"GET / HTTP/1.1\r\nHost",
        b"\r\n",
        b"\n",
        b"POST",
        b"GET ",
        b" GET / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n\x00\x01",
        b"GET / HTTP/1.1\r\nA\x00\r\nB: c\r\n",
    ]);
    v.push(long_message(b"GET /", b" HTTP/1.1\r\n\r\n"));
    // Every method tcpdump knows, then some it does not.
    let methods = "PUT HEAD DELETE OPTIONS TRACE CONNECT PROPFIND PROPPATCH MKCOL COPY MOVE \
                   LOCK UNLOCK SEARCH REPORT UPDATE LABEL MERGE CHECKIN CHECKOUT \
                   VERSION-CONTROL MKWORKSPACE MKACTIVITY BASELINE-CONTROL UNCHECKOUT \
                   PATCH MKCALENDAR ACL BIND ORDERPATCH PRI FOO GETX Get";
    for method in methods.split_whitespace() {
        v.push(format!("{method} /a HTTP/1.1\r\n\r\n").into_bytes());
    }
    for start in [
        "HTTPX 200",
        "HTTP/ 200",
        "http/1.1 200",
        "HTTP/1.1 20",
        "HTTP/1.1 2000",
        "HTTP/1.1 abc",
        "HTTP/1.1 200x",
        "HTTP/1.1  200",
        "XHTTP/1.1 200",
        "HTTP/1.1 999",
        "HTTP/1.1\t200",
        "HTTP/ x",
        "H 200",
        "HTTP/1.1 200",
    ] {
        v.push(format!("{start}\r\n").into_bytes());
    }
    v.push(b"HTTP/1.1 200".to_vec());
    v.push(b"HTTP/1.1 20".to_vec());
    v
}

/// SSH segments from the client.
pub fn ssh_messages() -> Vec<Vec<u8>> {
    let mut v = owned(&[
        &b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n"[..],
        b"SSH-1.99-x\n",
        b"SSH-2.0-x",
        b"\x00\x00\x01\x0c\x0a\x14abc",
        b"SSH-2.0-a\x01b\r\n",
        b"SSH-2.0-a\tb\r\n",
        b"SSH-2.0-abc\rdef\r\n",
        b"hello\r\nSSH-2.0-x\r\n",
        b"SSH-2.0-x\r\n\x00\x00\x00\x10",
        b"ssh-2.0-x\r\n",
        b"SSH-",
        b"SSH",
        b"ab",
        b"SSH-2.0-\xe9\r\n",
        b"SSH-2.0-x\r\r\n",
        b"SSH-2.0-x\n\r\n",
        b"SSH-2.0-x \r\n",
    ]);
    v.push(long_message(b"SSH-2.0-", b"\r\n"));
    v
}

/// The capture: HTTP segments to 80 and a few to 8080 and to ports
/// tcpdump does not decode, SSH segments, cuts, segments between two
/// known ports, then `damaged` damaged ones of each.
pub fn capture(damaged: usize) -> Vec<u8> {
    let mut frames: Vec<Frame> = Vec::new();
    // Each segment on a connection of its own (the client port counts
    // up), so `-v`'s analysis sees no gap, as tcpdump shows none.
    let mut next_port = 40000u16;
    let mut add =
        |frames: &mut Vec<Frame>, to_server, client, server, m: &[u8], snap: Option<usize>| {
            let client = if client == 0 {
                next_port += 1;
                next_port
            } else {
                client
            };
            let mut f = tcp(to_server, client, server, 1000, m);
            f.snap = snap.map(|n| TCP_HEADERS + n);
            frames.push(f);
        };
    let http = http_messages();
    for m in &http {
        add(&mut frames, true, 0, HTTP_PORT, m, None);
    }
    for port in [8080, 3128, 8000, 8008, 8888, 443] {
        add(&mut frames, true, 0, port, GET, None);
    }
    let agent = [GET, b"User-Agent: x\r\n\r\n"].concat();
    for n in [3, 5, 10, 20, 30] {
        add(&mut frames, true, 0, HTTP_PORT, &agent, Some(n));
    }
    let ssh = ssh_messages();
    for m in &ssh {
        add(&mut frames, true, 0, SSH_PORT, m, None);
    }
    for n in [2, 4, 8, 20] {
        add(&mut frames, true, 0, SSH_PORT, &ssh[0], Some(n));
    }
    // A control character, or a carriage return inside the line, before
    // the cut: tcpdump gives up on the string before it sees where the
    // capture ends.
    for control in [ssh.get(4), ssh.get(6)].into_iter().flatten() {
        for n in 0..control.len() {
            add(&mut frames, true, 0, SSH_PORT, control, Some(n));
        }
    }
    // Two known ports: SSH before HTTP before DNS.
    add(&mut frames, true, SSH_PORT, HTTP_PORT, &ssh[0], None);
    add(&mut frames, true, 8080, SSH_PORT, &ssh[0], None);
    add(&mut frames, true, HTTP_PORT, 53, GET, None);
    add(&mut frames, true, 53, 8080, GET, None);
    let mut rng = Rng(0x7e47_0000_0000_0001);
    for i in 0..damaged {
        let (seeds, port) = if i % 2 == 0 {
            (&http, HTTP_PORT)
        } else {
            (&ssh, SSH_PORT)
        };
        if let Some(m) = seeds.get(rng.below(seeds.len())) {
            add(&mut frames, true, 0, port, &mutate(&mut rng, m), None);
        }
    }
    write(&frames)
}
