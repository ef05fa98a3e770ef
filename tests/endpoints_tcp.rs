//! TCP echo server behaviour through the library API, on 127.0.0.1 port 0.

use socket2::{SockRef, Socket};
use sockscope::endpoints::{
    EndpointError, Log, TcpEchoOptions, TcpEchoServer, TcpSession, tcp_exchange,
};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const T: Duration = Duration::from_secs(5);

fn any() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn server(opts: TcpEchoOptions) -> (sockscope::endpoints::ServerHandle, Arc<Mutex<Vec<String>>>) {
    let (log, lines) = Log::collect();
    let s = TcpEchoServer::bind(any(), TcpEchoOptions { log, ..opts }).unwrap();
    (s.spawn().unwrap(), lines)
}

/// Polls `cond` for up to 5 s.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + T;
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn logged(lines: &Arc<Mutex<Vec<String>>>, needle: &str) -> bool {
    lines.lock().unwrap().iter().any(|l| l.contains(needle))
}

/// Send `bytes`, close our side, and read every byte the server answers.
fn send_all(addr: std::net::SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(bytes).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut got = String::new();
    s.read_to_string(&mut got).unwrap();
    got
}

#[test]
fn echo_and_upper_reply_line_by_line() {
    let (h, _) = server(TcpEchoOptions::default());
    let r = tcp_exchange(h.local_addr(), &["hello", "Mixed Case 1"], T).unwrap();
    assert_eq!(r, ["hello", "Mixed Case 1"]);
    let (u, _) = server(TcpEchoOptions {
        upper: true,
        ..Default::default()
    });
    let r = tcp_exchange(u.local_addr(), &["hello", "Mixed Case 1"], T).unwrap();
    assert_eq!(r, ["HELLO", "MIXED CASE 1"]);
    let stats = u.stop();
    assert_eq!((stats.connections, stats.messages, stats.errors), (1, 2, 0));
    assert_eq!(stats.bytes, "hello\nMixed Case 1\n".len() as u64);
}

#[test]
fn several_lines_in_one_write_get_one_reply_each() {
    let (h, _) = server(TcpEchoOptions {
        upper: true,
        ..Default::default()
    });
    assert_eq!(
        send_all(h.local_addr(), b"a\nbb\n\nccc\n"),
        "A\nBB\n\nCCC\n"
    );
}

#[test]
fn logs_accept_and_close_with_peer_address() {
    let (h, lines) = server(TcpEchoOptions::default());
    let mut s = TcpSession::connect(h.local_addr(), T).unwrap();
    let local = s.local_addr().unwrap();
    assert_eq!(s.request("x").unwrap(), "x");
    s.close().unwrap();
    wait_for("close log", || logged(&lines, &format!("close {local}")));
    let l = lines.lock().unwrap().clone();
    assert!(
        l.contains(&format!("accept {local} (1 connected)")),
        "{l:?}"
    );
    assert!(
        l.contains(&format!(
            "close {local}: closed by client after 1 message(s), 2 bytes (0 connected)"
        )),
        "{l:?}"
    );
}

#[test]
fn serves_many_clients_at_once() {
    let (h, _) = server(TcpEchoOptions::default());
    let mut sessions: Vec<TcpSession> = (0..50)
        .map(|_| TcpSession::connect(h.local_addr(), T).unwrap())
        .collect();
    for (i, s) in sessions.iter_mut().enumerate() {
        assert_eq!(
            s.request(&format!("first {i}")).unwrap(),
            format!("first {i}")
        );
    }
    assert_eq!(h.active(), 50);
    for (i, s) in sessions.iter_mut().enumerate().rev() {
        assert_eq!(
            s.request(&format!("second {i}")).unwrap(),
            format!("second {i}")
        );
    }
    for s in sessions {
        s.close().unwrap();
    }
    wait_for("all closed", || h.active() == 0);
    let st = h.stop();
    assert_eq!(
        (st.connections, st.messages, st.errors, st.peak_clients),
        (50, 100, 0, 50)
    );
}

#[test]
fn reset_mid_message_ends_only_that_connection() {
    let (h, lines) = server(TcpEchoOptions::default());
    let mut good = TcpSession::connect(h.local_addr(), T).unwrap();
    assert_eq!(good.request("before").unwrap(), "before");
    let mut bad = TcpStream::connect(h.local_addr()).unwrap();
    let bad_addr = bad.local_addr().unwrap();
    bad.write_all(b"half a mess").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    // SO_LINGER 0: close() sends RST instead of FIN.
    SockRef::from(&bad)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(bad);
    wait_for("reset logged", || {
        logged(&lines, &format!("close {bad_addr}: reset by client"))
    });
    assert_eq!(good.request("after").unwrap(), "after");
    assert_eq!(h.active(), 1);
    good.close().unwrap();
    wait_for("good closed", || h.active() == 0);
    assert_eq!(h.stop().errors, 1);
}

#[test]
fn peer_closing_mid_message_gets_the_partial_line_back() {
    let (h, lines) = server(TcpEchoOptions::default());
    assert_eq!(
        send_all(h.local_addr(), b"one\ntwo without newline"),
        "one\ntwo without newline"
    );
    wait_for("close", || {
        logged(&lines, "closed by client after 2 message(s)")
    });
}

#[test]
fn idle_client_is_closed_after_the_idle_timeout() {
    let (h, lines) = server(TcpEchoOptions {
        idle_timeout: Duration::from_millis(200),
        ..Default::default()
    });
    let mut s = TcpStream::connect(h.local_addr()).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 16];
    assert_eq!(s.read(&mut buf).unwrap(), 0, "server should close (EOF)");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(180) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    wait_for("idle log", || logged(&lines, "idle for 200 ms"));
    assert_eq!(h.stop().errors, 1);
}

#[test]
fn oversize_message_gets_an_error_line_and_close() {
    let (h, lines) = server(TcpEchoOptions {
        max_message: 16,
        ..Default::default()
    });
    let ok = "x".repeat(16);
    assert_eq!(
        tcp_exchange(h.local_addr(), &[&ok], T).unwrap(),
        [ok.as_str()]
    );
    let mut s = TcpStream::connect(h.local_addr()).unwrap();
    s.write_all(format!("{ok}y\n").as_bytes()).unwrap();
    let mut got = String::new();
    s.set_read_timeout(Some(T)).unwrap();
    s.read_to_string(&mut got).unwrap();
    assert_eq!(got, "error: message longer than 16 bytes; closing\n");
    wait_for("log", || logged(&lines, "message longer than 16 bytes"));
}

#[test]
fn ten_mib_without_newline_is_cut_off_and_others_carry_on() {
    let (h, _) = server(TcpEchoOptions::default());
    let addr = h.local_addr();
    let flood = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        let chunk = vec![b'z'; 64 * 1024];
        let mut sent = 0usize;
        while sent < 10 << 20 {
            match s.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break, // the server closed us: expected
            }
        }
        sent
    });
    let sent = flood.join().unwrap();
    assert!(
        sent < 10 << 20,
        "server kept reading a 10 MiB line ({sent} bytes)"
    );
    assert_eq!(
        tcp_exchange(addr, &["still alive"], T).unwrap(),
        ["still alive"]
    );
}

#[test]
fn empty_message_is_refused_by_the_client() {
    let (h, _) = server(TcpEchoOptions::default());
    match tcp_exchange(h.local_addr(), &["ok", ""], T) {
        Err(EndpointError::Usage(m)) => assert!(m.contains("empty message"), "{m}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    assert_eq!(h.stop().connections, 0, "nothing should have been sent");
}

/// Counts sockets in TIME_WAIT (state 06) whose local port is `port`.
fn time_wait_on(port: u16) -> usize {
    let text = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let want = format!(":{port:04X}");
    text.lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 3 && f[1].ends_with(&want) && f[3] == "06"
        })
        .count()
}

#[test]
fn restart_right_after_stop_binds_again_despite_time_wait() {
    let (h, _) = server(TcpEchoOptions {
        idle_timeout: Duration::from_millis(100),
        ..Default::default()
    });
    let addr = h.local_addr();
    // The server closes first (idle timeout), so its side enters TIME_WAIT.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(s.read(&mut buf).unwrap(), 0);
    drop(s);
    h.stop();
    wait_for("TIME_WAIT", || time_wait_on(addr.port()) > 0);
    // Without SO_REUSEADDR the port is still taken: the control case.
    let plain = Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let err = plain.bind(&addr.into()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let again = TcpEchoServer::bind(addr, TcpEchoOptions::default()).unwrap();
    let h2 = again.spawn().unwrap();
    assert_eq!(tcp_exchange(addr, &["again"], T).unwrap(), ["again"]);
    h2.stop();
}

#[test]
fn port_in_use_is_a_clear_bind_error() {
    let (h, _) = server(TcpEchoOptions::default());
    let err = TcpEchoServer::bind(h.local_addr(), TcpEchoOptions::default())
        .err()
        .expect("second bind must fail");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot listen on {}: address already in use (another server is listening there; pick another port)",
            h.local_addr()
        )
    );
}

#[test]
fn refused_connection_is_a_clear_connect_error() {
    let addr = {
        let l = std::net::TcpListener::bind(any()).unwrap();
        l.local_addr().unwrap()
    };
    let err = TcpSession::connect(addr, T).err().expect("must be refused");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot connect to {addr}: connection refused (is the server running on that port?)"
        )
    );
}

#[test]
fn stop_closes_the_listener_and_lets_open_connections_finish() {
    let (h, lines) = server(TcpEchoOptions {
        drain_timeout: None,
        ..Default::default()
    });
    let addr = h.local_addr();
    let mut s = TcpSession::connect(addr, T).unwrap();
    assert_eq!(s.request("one").unwrap(), "one");
    let stopper = h.stopper();
    let joiner = std::thread::spawn(move || h.join());
    stopper.stop();
    wait_for("listener closed", || {
        logged(&lines, "closed; waiting for 1 connection")
    });
    let refused = TcpStream::connect(addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    assert_eq!(s.request("two").unwrap(), "two");
    assert!(
        !joiner.is_finished(),
        "stop must wait for the open connection"
    );
    s.close().unwrap();
    let st = joiner.join().unwrap();
    assert_eq!((st.messages, st.errors), (2, 0));
}

#[test]
fn drain_timeout_shuts_down_connections_that_do_not_finish() {
    let (h, lines) = server(TcpEchoOptions {
        drain_timeout: Some(Duration::from_millis(200)),
        ..Default::default()
    });
    let mut s = TcpStream::connect(h.local_addr()).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    wait_for("accept", || h.active() == 1);
    let start = Instant::now();
    h.stop();
    assert!(start.elapsed() < Duration::from_secs(3));
    let mut buf = [0u8; 8];
    assert_eq!(s.read(&mut buf).unwrap(), 0);
    assert!(logged(
        &lines,
        "drain timeout: shutting down 1 connection(s)"
    ));
}

#[test]
fn a_full_server_closes_its_longest_idle_client_for_a_new_one() {
    let (h, lines) = server(TcpEchoOptions {
        max_clients: 2,
        ..Default::default()
    });
    let mut a = TcpStream::connect(h.local_addr()).unwrap();
    wait_for("1 client", || h.active() == 1);
    let mut b = TcpSession::connect(h.local_addr(), T).unwrap();
    wait_for("2 clients", || h.active() == 2);
    // b talks, a stays silent: a is the longest idle.
    assert_eq!(b.request("still here").unwrap(), "still here");
    let mut c = TcpSession::connect(h.local_addr(), T).unwrap();
    assert_eq!(c.request("me too").unwrap(), "me too");
    a.set_read_timeout(Some(T)).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(a.read(&mut buf).unwrap_or(0), 0, "a was not closed");
    assert_eq!(b.request("and again").unwrap(), "and again");
    wait_for("the eviction logged", || {
        logged(&lines, "evict the longest-idle connection of 127.0.0.1")
            && logged(&lines, "closed to make room (longest idle)")
    });
}
