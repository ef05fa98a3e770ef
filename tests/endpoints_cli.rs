//! `sockscope serve` / `sockscope client` as a user runs them: the real
//! binary, its output and exit codes, on 127.0.0.1.

mod support;

use sockscope::endpoints::TcpSession;
use std::io::{BufRead, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::bin::{BIN, signal, start_serve, text};

const T: Duration = Duration::from_secs(5);

/// A `sockscope serve` child; its stderr lines are collected in the background.
struct Served {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let (child, addr, first, err) = start_serve(args);
        let log = Arc::new(Mutex::new(vec![first.trim_end().to_string()]));
        let l = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                l.lock().unwrap().push(line);
            }
        });
        Served { child, addr, log }
    }

    fn logged(&self, needle: &str) -> bool {
        self.log.lock().unwrap().iter().any(|l| l.contains(needle))
    }

    fn wait_logged(&self, needle: &str) {
        let end = Instant::now() + T;
        while !self.logged(needle) {
            assert!(
                Instant::now() < end,
                "server never logged {needle:?}; log: {:?}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn signal(&self, sig: libc::c_int) {
        signal(&self.child, sig)
    }

    /// SIGTERM, then the exit status (must come within 5 s).
    fn stop(self) -> (i32, Vec<String>) {
        self.signal(libc::SIGTERM);
        self.wait_exit()
    }

    /// The exit status and the whole log, once the server exits by itself.
    fn wait_exit(mut self) -> (i32, Vec<String>) {
        let end = Instant::now() + T;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50)); // let the reader finish
                return (st.code().unwrap_or(-1), self.log.lock().unwrap().clone());
            }
            assert!(Instant::now() < end, "server did not exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(args: &[&str], stdin: &str) -> Output {
    let mut c = support::bin::command(&[&["client"], args].concat())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

fn free_tcp_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

#[test]
fn scripted_tcp_client_exits_0_when_every_reply_matched() {
    let s = Served::start(&["tcp-echo", "--listen", "127.0.0.1:0", "--upper"]);
    let a = s.addr.to_string();
    let out = client(&["tcp", &a, "--message", "hello", "--count", "3"], "");
    assert_eq!(text(&out.stdout), "HELLO\nHELLO\nHELLO\n");
    assert_eq!(text(&out.stderr), "sockscope: 3/3 replies matched\n");
    assert_eq!(out.status.code(), Some(0));

    let out = client(&["tcp", &a, "--message", "hello", "--expect", "hello"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "sockscope: 1 of 1 replies did not match (first: reply 1 was \"HELLO\", expected \"hello\")\n"
    );
    let (code, log) = s.stop();
    assert_eq!(code, 0);
    assert!(
        log.iter()
            .any(|l| l.contains("stopped: 2 connection(s)/peer(s), 4 message(s)")),
        "{log:?}"
    );
}

#[test]
fn interactive_tcp_client_skips_empty_lines_and_quits_with_a_clean_fin() {
    let s = Served::start(&["tcp-echo", "--listen", "127.0.0.1:0", "--upper"]);
    let a = s.addr.to_string();
    let out = client(&["tcp", &a], "one\n\n   \nTwo\nq\nnever sent\n");
    assert_eq!(text(&out.stdout), "ONE\nTWO\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // 2 messages of 4 bytes each; "closed by client" means a FIN, not a reset.
    s.wait_logged("closed by client after 2 message(s), 8 bytes");
    // EOF ends the session the same way.
    let out = client(&["tcp", &a], "last");
    assert_eq!(text(&out.stdout), "LAST\n");
    assert_eq!(out.status.code(), Some(0));
    s.wait_logged("closed by client after 1 message(s), 5 bytes");
    assert!(!s.logged("reset"));
}

#[test]
fn empty_message_is_a_usage_error() {
    let out = client(&["tcp", "127.0.0.1:9", "--message", ""], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn refused_connection_is_one_error_line_and_exit_1() {
    let a = free_tcp_addr().to_string();
    let out = client(&["tcp", &a, "--message", "x"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "sockscope: cannot connect to {a}: connection refused (is the server running on that port?)\n"
        )
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn unreachable_address_is_one_error_line_and_exit_1() {
    // TEST-NET-1 (RFC 5737): never routed; either no route or a timeout.
    let out = client(
        &["tcp", "192.0.2.1:9", "--message", "x", "--timeout", "300ms"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("sockscope: cannot connect to 192.0.2.1:9: "),
        "{err}"
    );
}

#[test]
fn port_in_use_is_one_error_line_and_exit_1() {
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let a = held.local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .args(["serve", "tcp-echo", "--listen", &a])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "sockscope: cannot listen on {a}: address already in use (another server is listening there; pick another port)\n"
        )
    );
    let held = UdpSocket::bind("127.0.0.1:0").unwrap();
    let a = held.local_addr().unwrap().to_string();
    for kind in ["udp-echo", "chat"] {
        let out = Command::new(BIN)
            .args(["serve", kind, "--listen", &a])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(text(&out.stderr).lines().count(), 1);
        assert!(text(&out.stderr).contains("address already in use"));
    }
}

#[test]
fn sigterm_closes_the_listener_and_lets_connections_finish() {
    let s = Served::start(&["tcp-echo", "--listen", "127.0.0.1:0"]);
    let mut open = TcpSession::connect(s.addr, T).unwrap();
    assert_eq!(open.request("before").unwrap(), "before");
    s.signal(libc::SIGTERM);
    s.wait_logged("closed; waiting up to 5000 ms for 1 connection(s) to finish");
    let refused = std::net::TcpStream::connect(s.addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    assert_eq!(open.request("after").unwrap(), "after");
    open.close().unwrap();
    let (code, log) = s.wait_exit();
    assert_eq!(code, 0);
    assert!(log.iter().any(|l| l.contains("2 message(s)")), "{log:?}");
}

#[test]
fn server_logs_accept_and_close_on_stderr() {
    let s = Served::start(&["tcp-echo", "--listen", "127.0.0.1:0"]);
    let mut c = TcpSession::connect(s.addr, T).unwrap();
    let local = c.local_addr().unwrap();
    c.request("x").unwrap();
    c.close().unwrap();
    s.wait_logged(&format!("accept {local} (1 connected)"));
    s.wait_logged(&format!(
        "close {local}: closed by client after 1 message(s), 2 bytes (0 connected)"
    ));
    let (code, _) = s.stop();
    assert_eq!(code, 0);
}

#[test]
fn udp_client_scripted_and_timeout() {
    let s = Served::start(&[
        "udp-echo",
        "--listen",
        "127.0.0.1:0",
        "--max-message",
        "100",
    ]);
    let a = s.addr.to_string();
    let out = client(
        &[
            "udp",
            &a,
            "--message",
            "ping",
            "--count",
            "5",
            "--timeout",
            "1s",
        ],
        "",
    );
    assert_eq!(text(&out.stdout), "ping\n".repeat(5));
    assert_eq!(out.status.code(), Some(0));
    let big = "b".repeat(200);
    let out = client(&["udp", &a, "--message", &big], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "error: datagram of 200 bytes exceeds the 100-byte limit\n"
    );
    s.wait_logged("bytes, limit 100; not echoed");

    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let sa = silent.local_addr().unwrap().to_string();
    let start = Instant::now();
    let out = client(
        &[
            "udp",
            &sa,
            "--message",
            "ping",
            "--timeout",
            "200ms",
            "--attempts",
            "2",
        ],
        "",
    );
    assert!(start.elapsed() < Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("sockscope: no reply from {sa} within 400 ms after 2 attempt(s)\n")
    );
}

#[test]
fn chat_clients_talk_through_the_cli() {
    let s = Served::start(&["chat", "--listen", "127.0.0.1:0"]);
    let a = s.addr.to_string();
    // alice stays in the room (interactive, stdin held open) while bob talks.
    let mut alice = Command::new(BIN)
        .args(["client", "chat", &a, "--nick", "alice"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_logged("alice (");
    let bob = client(&["chat", &a, "--nick", "bob", "--message", "hi alice"], "");
    assert_eq!(bob.status.code(), Some(0), "{}", text(&bob.stderr));
    assert_eq!(
        text(&bob.stdout),
        "* welcome bob (2 member(s): alice, bob)\n* bye bob\n"
    );
    let mut stdin = alice.stdin.take().unwrap();
    stdin.write_all(b"\n/who\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(b"/quit\n").unwrap();
    drop(stdin);
    let out = alice.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "* welcome alice (1 member(s): alice)\n* bob joined\n<bob> hi alice\n* bob left\n* members: alice\n* bye alice\n"
    );
    let out = client(&["chat", &a], "");
    assert_eq!(out.status.code(), Some(2), "--nick is required");
    s.wait_logged("alice (");
    let (code, log) = s.stop();
    assert_eq!(code, 0);
    assert!(log.iter().any(|l| l.contains("1 message(s)")), "{log:?}");
}

/// Issue 16: one idle client kept Ctrl-C waiting for ever; the README says
/// `--drain-timeout` defaults to 5 s, and now it does.
#[test]
fn sigint_with_an_idle_client_exits_after_the_5s_drain_default() {
    let mut s = Served::start(&["tcp-echo", "--listen", "127.0.0.1:0"]);
    let idle = std::net::TcpStream::connect(s.addr).unwrap();
    s.wait_logged("accept");
    let t = Instant::now();
    s.signal(libc::SIGINT);
    let code = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st.code();
        }
        assert!(
            t.elapsed() < Duration::from_secs(9),
            "still draining after {:?}",
            t.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = t.elapsed();
    drop(idle);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(code, Some(0));
    assert!(
        took >= Duration::from_millis(4500) && took < Duration::from_secs(8),
        "{took:?}"
    );
    assert!(
        s.logged("drain timeout: shutting down 1 connection(s)"),
        "{:?}",
        s.log.lock().unwrap()
    );
}

/// Issue 16: `client tcp localhost:8080` was refused (a SocketAddr only);
/// host names are resolved for every endpoint, `serve --listen` too.
#[test]
fn endpoints_take_host_names() {
    let s = Served::start(&["tcp-echo", "--listen", "localhost:0"]);
    assert!(s.addr.ip().is_loopback(), "{}", s.addr);
    let a = format!("localhost:{}", s.addr.port());
    let out = client(&["tcp", &a, "--message", "hi"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hi\n");
    let u = Served::start(&["udp-echo", "--listen", "localhost:0"]);
    let a = format!("localhost:{}", u.addr.port());
    let out = client(&["udp", &a, "--message", "hi"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hi\n");
    let bad = client(&["tcp", "no-such-host.invalid:1", "--message", "hi"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("cannot resolve"),
        "{}",
        text(&bad.stderr)
    );
}
