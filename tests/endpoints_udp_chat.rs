//! UDP echo and UDP chat behaviour through the library API, on 127.0.0.1 port 0.

use sockscope::endpoints::{
    ChatClient, ChatOptions, ChatServer, EndpointError, Log, ServerHandle, UdpEchoOptions,
    UdpEchoServer, UdpSession, udp_exchange,
};
use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const T: Duration = Duration::from_secs(2);

fn any() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn udp_server(opts: UdpEchoOptions) -> (ServerHandle, Arc<Mutex<Vec<String>>>) {
    let (log, lines) = Log::collect();
    let s = UdpEchoServer::bind(any(), UdpEchoOptions { log, ..opts }).unwrap();
    (s.spawn().unwrap(), lines)
}

fn chat_server(opts: ChatOptions) -> (ServerHandle, Arc<Mutex<Vec<String>>>) {
    let (log, lines) = Log::collect();
    let s = ChatServer::bind(any(), ChatOptions { log, ..opts }).unwrap();
    (s.spawn().unwrap(), lines)
}

/// Lines received within `wait`.
fn drain(c: &mut ChatClient, wait: Duration) -> Vec<String> {
    let mut v = Vec::new();
    while let Some(l) = c.recv(wait).unwrap() {
        v.push(l);
    }
    v
}

#[test]
fn udp_one_socket_serves_many_peers_each_gets_its_own_reply() {
    let (h, _) = udp_server(UdpEchoOptions::default());
    let mut peers: Vec<UdpSession> = (0..5)
        .map(|_| UdpSession::connect(h.local_addr(), T, 1).unwrap())
        .collect();
    for round in 0..3 {
        for (i, p) in peers.iter_mut().enumerate() {
            let m = format!("peer {i} round {round}");
            assert_eq!(p.request(m.as_bytes()).unwrap(), m);
        }
    }
    let st = h.stop();
    assert_eq!((st.connections, st.messages, st.errors), (5, 15, 0));
}

#[test]
fn udp_upper_and_exchange_helper() {
    let (h, _) = udp_server(UdpEchoOptions {
        upper: true,
        ..Default::default()
    });
    let r = udp_exchange(h.local_addr(), &["ping", "Pong 2"], T, 3).unwrap();
    assert_eq!(r, ["PING", "PONG 2"]);
}

#[test]
fn udp_oversize_datagram_is_reported_not_cut() {
    let (h, lines) = udp_server(UdpEchoOptions {
        max_datagram: 100,
        ..Default::default()
    });
    let mut s = UdpSession::connect(h.local_addr(), T, 1).unwrap();
    let exact = vec![b'a'; 100];
    assert_eq!(s.request(&exact).unwrap().as_bytes(), &exact[..]);
    let big = vec![b'b'; 1500];
    assert_eq!(
        s.request(&big).unwrap(),
        "error: datagram of 1500 bytes exceeds the 100-byte limit"
    );
    let local = s.local_addr().unwrap();
    let l = lines.lock().unwrap().clone();
    assert!(
        l.contains(&format!(
            "oversize datagram from {local}: 1500 bytes, limit 100; not echoed"
        )),
        "{l:?}"
    );
    assert_eq!(h.stop().errors, 1);
}

#[test]
fn udp_client_retries_then_reports_a_timeout() {
    // A socket that reads but never answers.
    let silent = UdpSocket::bind(any()).unwrap();
    let addr = silent.local_addr().unwrap();
    let start = Instant::now();
    let err = udp_exchange(addr, &["anyone?"], Duration::from_millis(100), 3).unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(err, EndpointError::Timeout { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("no reply from {addr} within 300 ms after 3 attempt(s)")
    );
    assert!(
        took >= Duration::from_millis(290) && took < Duration::from_secs(2),
        "{took:?}"
    );
    silent.set_read_timeout(Some(T)).unwrap();
    let mut buf = [0u8; 64];
    for _ in 0..3 {
        let n = silent.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"anyone?");
    }
}

#[test]
fn udp_client_to_closed_port_is_refused() {
    let addr = UdpSocket::bind(any()).unwrap().local_addr().unwrap();
    let err = udp_exchange(addr, &["x"], T, 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot connect to {addr}: connection refused (is the server running on that port?)"
        )
    );
}

#[test]
fn udp_port_in_use_is_a_clear_bind_error() {
    let (h, _) = udp_server(UdpEchoOptions::default());
    let err = UdpEchoServer::bind(h.local_addr(), UdpEchoOptions::default())
        .err()
        .expect("must fail");
    assert!(err.to_string().contains("address already in use"), "{err}");
}

#[test]
fn chat_relays_to_every_other_member_and_answers_who() {
    let (h, lines) = chat_server(ChatOptions::default());
    let addr = h.local_addr();
    let (mut alice, w) = ChatClient::join(addr, "alice", T).unwrap();
    assert_eq!(w, "* welcome alice (1 member(s): alice)");
    let (mut bob, w) = ChatClient::join(addr, "bob", T).unwrap();
    assert_eq!(w, "* welcome bob (2 member(s): alice, bob)");
    let (mut carol, _) = ChatClient::join(addr, "carol", T).unwrap();
    assert_eq!(alice.recv(T).unwrap().as_deref(), Some("* bob joined"));
    assert_eq!(alice.recv(T).unwrap().as_deref(), Some("* carol joined"));
    assert_eq!(bob.recv(T).unwrap().as_deref(), Some("* carol joined"));

    alice.say("hi all").unwrap();
    assert_eq!(bob.recv(T).unwrap().as_deref(), Some("<alice> hi all"));
    assert_eq!(carol.recv(T).unwrap().as_deref(), Some("<alice> hi all"));
    assert_eq!(
        alice.recv(Duration::from_millis(200)).unwrap(),
        None,
        "no echo to the sender"
    );

    assert_eq!(bob.who(T).unwrap(), ["alice", "bob", "carol"]);

    assert_eq!(carol.quit(T).unwrap().as_deref(), Some("* bye carol"));
    assert_eq!(alice.recv(T).unwrap().as_deref(), Some("* carol left"));
    assert_eq!(bob.recv(T).unwrap().as_deref(), Some("* carol left"));
    assert_eq!(alice.who(T).unwrap(), ["alice", "bob"]);
    let st = h.stop();
    assert_eq!((st.connections, st.messages, st.peak_clients), (3, 1, 3));
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("carol (") && l.ends_with(") left"))
    );
}

#[test]
fn chat_drops_silent_members_after_the_timeout() {
    let (h, _) = chat_server(ChatOptions {
        member_timeout: Duration::from_millis(400),
        ..Default::default()
    });
    let addr = h.local_addr();
    let (mut alice, _) = ChatClient::join(addr, "alice", T).unwrap();
    let (mut quiet, _) = ChatClient::join(addr, "quiet", T).unwrap();
    assert_eq!(alice.recv(T).unwrap().as_deref(), Some("* quiet joined"));
    // alice keeps talking to the server; quiet says nothing.
    let start = Instant::now();
    let mut seen = Vec::new();
    while start.elapsed() < Duration::from_millis(1500) {
        alice.send_line("/ping").unwrap();
        seen.extend(drain(&mut alice, Duration::from_millis(100)));
    }
    assert_eq!(seen, ["* quiet timed out"]);
    assert_eq!(
        quiet.recv(T).unwrap().as_deref(),
        Some("* you were dropped after 400 ms of silence")
    );
    assert_eq!(alice.who(T).unwrap(), ["alice"]);
    // A dropped member is an unknown peer again (told so when its
    // datagram is at least as long as the answer).
    quiet.say("hello? is anybody still there?").unwrap();
    assert_eq!(
        quiet.recv(T).unwrap().as_deref(),
        Some("error: not joined; /join NICK first")
    );
}

#[test]
fn chat_unknown_peer_gets_an_error_line_no_longer_than_its_datagram() {
    let (h, lines) = chat_server(ChatOptions::default());
    let s = UdpSocket::bind(any()).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    // Too short to answer: the address is not proven, so the answer may
    // not be longer than the question (no amplification).
    s.send_to(b"hello\n", h.local_addr()).unwrap();
    s.send_to(b"hello there, is this the chat room?\n", h.local_addr())
        .unwrap();
    let mut buf = [0u8; 256];
    let n = s.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"error: not joined; /join NICK first\n");
    let st = h.stop();
    assert_eq!((st.errors, st.messages), (2, 0));
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("unknown peer"))
    );
}

#[test]
fn chat_rejects_taken_and_malformed_nicknames() {
    let (h, _) = chat_server(ChatOptions::default());
    let (_alice, _) = ChatClient::join(h.local_addr(), "alice", T).unwrap();
    match ChatClient::join(h.local_addr(), "alice", T) {
        Err(EndpointError::Refused { line, .. }) => {
            assert_eq!(line, "error: nickname alice is taken")
        }
        other => panic!("expected refusal, got {:?}", other.map(|(_, w)| w)),
    }
    match ChatClient::join(h.local_addr(), "two words", T) {
        Err(EndpointError::Refused { line, .. }) => {
            assert_eq!(
                line,
                "error: a nickname is 1 to 32 ASCII letters, digits, _ - . (first a letter or digit)"
            )
        }
        other => panic!("expected refusal, got {:?}", other.map(|(_, w)| w)),
    }
}

#[test]
fn chat_join_without_server_is_refused() {
    let addr = UdpSocket::bind(any()).unwrap().local_addr().unwrap();
    let err = ChatClient::join(addr, "alice", T).err().expect("must fail");
    assert!(err.to_string().contains("connection refused"), "{err}");
}
