//! `serve tcp-talk` / `client tcp-talk` (and UDP) run as real processes on
//! 127.0.0.1, driven through pipes and through a pseudo-terminal (the
//! interactive path: the line discipline, echo, Ctrl-D as end of input).
//! Peers that misbehave on purpose (reset, close, half close) are plain
//! sockets in the test. Every wait is bounded, and a process still running
//! at the end of a test is killed.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sockscope");
/// The longest any one step may take before the test fails.
const T: Duration = Duration::from_secs(10);

type Buf = Arc<Mutex<Vec<u8>>>;

/// A running sockscope: what we type goes to `input`; stdout and stderr are
/// collected (the same buffer for both under a pty, as on a screen).
struct Proc {
    child: Child,
    input: Option<Box<dyn Write + Send>>,
    out: Buf,
    err: Buf,
}

fn collect(mut src: impl Read + Send + 'static) -> Buf {
    let buf: Buf = Arc::default();
    let b = Arc::clone(&buf);
    thread::spawn(move || {
        let mut chunk = [0u8; 65536];
        // A pty master reads EIO once the child has gone: that ends it too.
        while let Ok(n) = src.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

fn text(b: &Buf) -> String {
    String::from_utf8_lossy(&b.lock().unwrap()).into_owned()
}

/// `ready` every 10 ms until it gives a value; past [`T`], a failure
/// saying `what` (then `T`) and all the process printed.
fn poll<R>(out: &Buf, err: &Buf, what: &str, mut ready: impl FnMut() -> Option<R>) -> R {
    let deadline = Instant::now() + T;
    loop {
        if let Some(r) = ready() {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "{what} {T:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            text(out),
            text(err)
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// Through pipes.
fn piped(args: &[&str]) -> Proc {
    let mut child = Command::new(BIN)
        .args(args)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input: Box<dyn Write + Send> = Box::new(child.stdin.take().unwrap());
    let out = collect(child.stdout.take().unwrap());
    let err = collect(child.stderr.take().unwrap());
    Proc {
        child,
        input: Some(input),
        out,
        err,
    }
}

/// Through a pseudo-terminal: stdin, stdout and stderr are its slave side,
/// so the program reads a terminal in canonical mode, as a person's.
fn on_pty(args: &[&str]) -> Proc {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the integers we pass and
    // reads nothing else (null name, termios and window size).
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let child = Command::new(BIN)
        .args(args)
        .env("TZ", "UTC")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let writer = std::fs::File::from(master.try_clone().unwrap());
    let out = collect(std::fs::File::from(master));
    Proc {
        child,
        input: Some(Box::new(writer)),
        err: Arc::clone(&out),
        out,
    }
}

impl Proc {
    /// Types a line (the terminal, if any, turns `\n` into the end of line).
    fn say(&mut self, line: &str) {
        let w = self.input.as_mut().expect("input still open");
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\n").unwrap();
        w.flush().unwrap();
    }

    /// Ends the input: closes the pipe, or types Ctrl-D on the terminal.
    fn end_input(&mut self, pty: bool) {
        if pty {
            let w = self.input.as_mut().unwrap();
            w.write_all(b"\x04").unwrap();
            w.flush().unwrap();
        } else {
            self.input = None;
        }
    }

    fn wait_in(&self, buf: &Buf, needle: &str) -> String {
        poll(
            &self.out,
            &self.err,
            &format!("no {needle:?} within"),
            || {
                let t = text(buf);
                t.contains(needle).then_some(t)
            },
        )
    }

    fn wait_out(&self, needle: &str) -> String {
        self.wait_in(&self.out, needle)
    }

    fn wait_err(&self, needle: &str) -> String {
        self.wait_in(&self.err, needle)
    }

    /// The address from the banner (`listening on ADDR (`).
    fn listening(&self) -> SocketAddr {
        let t = self.wait_err(" (");
        let start = t.find("listening on ").expect("banner") + "listening on ".len();
        t[start..].split(' ').next().unwrap().parse().unwrap()
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let st = poll(&self.out, &self.err, "still running after", || {
            self.child.try_wait().unwrap()
        });
        // Let the collectors take the last bytes.
        thread::sleep(Duration::from_millis(50));
        st
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server(extra: &[&str], pty: bool) -> (Proc, SocketAddr) {
    let mut args = vec!["serve", "tcp-talk", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let p = if pty { on_pty(&args) } else { piped(&args) };
    let addr = p.listening();
    (p, addr)
}

fn client(addr: SocketAddr, pty: bool) -> Proc {
    let a = addr.to_string();
    let args = ["client", "tcp-talk", a.as_str()];
    let p = if pty { on_pty(&args) } else { piped(&args) };
    p.wait_err("connected");
    p
}

/// A server (`extra` flags; on a pty or piped), a client connected to
/// it, and the server's word that it is client #1.
fn talking(extra: &[&str], server_pty: bool, client_pty: bool) -> (Proc, SocketAddr, Proc) {
    let (srv, addr) = server(extra, server_pty);
    let cli = client(addr, client_pty);
    srv.wait_err("client #1");
    (srv, addr, cli)
}

/// A plain TCP client, the server's client #`n`, that said `line` and
/// was heard.
fn heard_client(srv: &Proc, addr: SocketAddr, n: u32, line: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    srv.wait_err(&format!("client #{n}"));
    s.write_all(format!("{line}\n").as_bytes()).unwrap();
    srv.wait_out(line);
    s
}

fn read_line(s: &mut TcpStream) -> String {
    s.set_read_timeout(Some(T)).unwrap();
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while s.read(&mut b).unwrap() == 1 && b[0] != b'\n' {
        line.push(b[0]);
    }
    String::from_utf8(line).unwrap()
}

fn reset(s: TcpStream) {
    socket2::SockRef::from(&s)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(s);
}

/// Either side may speak first, and lines cross in both directions without
/// lock-step, through pipes and through a terminal on either side.
#[test]
fn either_side_speaks_first_through_pipes_and_a_terminal() {
    for (server_pty, client_pty) in [(false, false), (true, false), (false, true)] {
        let (mut srv, _, mut cli) = talking(&[], server_pty, client_pty);
        srv.say("server speaks first");
        cli.wait_out("127.0.0.1:");
        cli.wait_out("server speaks first");
        cli.say("client answers");
        cli.say("and again, unprompted");
        srv.wait_out("#1 127.0.0.1:");
        srv.wait_out("and again, unprompted");
        // The client ends its input: a half close; the server still answers.
        cli.end_input(client_pty);
        srv.wait_err("closed its side (FIN)");
        srv.say("after your FIN");
        cli.wait_out("after your FIN");
        srv.say("/close");
        cli.wait_err("server closed its side too (FIN): conversation over");
        assert!(cli.wait_exit().success());
        srv.wait_err("connection over");
        srv.wait_err("waiting for the next client");
        assert!(srv.running(), "the server loop goes on");
        srv.end_input(server_pty);
        assert!(srv.wait_exit().success());
    }
}

/// An empty line is never sent, and why is said once.
#[test]
fn empty_line_is_not_sent_and_explained_once() {
    for pty in [false, true] {
        let (mut srv, _, mut cli) = talking(&[], false, pty);
        cli.say("");
        cli.say("");
        cli.say("after two empty lines");
        srv.wait_out("after two empty lines");
        let err = cli.wait_err("empty line not sent");
        assert_eq!(err.matches("empty line not sent").count(), 1, "{err}");
        let out = text(&srv.out);
        assert_eq!(out.lines().count(), 1, "only the text arrived: {out}");
        // Nothing was sent for the empty lines: only the text's bytes.
        cli.end_input(pty);
        srv.wait_err("closed its side (FIN)");
        srv.end_input(false);
        assert!(cli.wait_exit().success());
    }
}

/// A 1 MiB line is one message, however TCP cut it; the peer's control
/// characters are printed escaped.
#[test]
fn a_one_mebibyte_line_is_one_message_and_control_bytes_are_escaped() {
    let (mut srv, _, mut cli) = talking(&[], false, false);
    let big = "x".repeat(1 << 20);
    cli.say(&big);
    cli.say("\x1b[2J\x07bell");
    let out = srv.wait_out("bell\n");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "two messages");
    assert!(lines[0].ends_with(&format!(": {big}")), "the whole line");
    assert!(lines[1].ends_with(": \\x1b[2J\\x07bell"), "{}", lines[1]);
    srv.say(&big);
    let got = cli.wait_out(&big);
    assert_eq!(got.lines().count(), 1);
    cli.end_input(false);
    srv.end_input(false);
    assert!(cli.wait_exit().success());
    assert!(srv.wait_exit().success());
}

/// A client that resets, then one that closes entirely: each is one clear
/// line and the server goes on to the next client.
#[test]
fn server_reports_a_reset_and_a_close_and_serves_the_next_client() {
    for pty in [false, true] {
        let (mut srv, addr) = server(&[], pty);
        reset(heard_client(&srv, addr, 1, "about to vanish"));
        srv.wait_err("client #1 127.0.0.1");
        srv.wait_err("reset the connection (RST");
        drop(heard_client(&srv, addr, 2, "bye"));
        srv.wait_err("client #2 127.0.0.1");
        srv.wait_err("closed its side (FIN)");
        // A FIN does not say whether the peer still reads; our next line
        // does: a peer that closed entirely answers it with a reset.
        srv.say("are you still there?");
        srv.wait_err("had closed entirely, not half-closed");
        let mut c = TcpStream::connect(addr).unwrap();
        srv.wait_err("client #3");
        srv.say("hello three");
        assert_eq!(read_line(&mut c), "hello three");
        srv.end_input(pty);
        c.set_read_timeout(Some(T)).unwrap();
        assert_eq!(c.read(&mut [0u8; 8]).unwrap(), 0, "our FIN");
        drop(c);
        assert!(srv.wait_exit().success());
    }
}

/// A client that half-closes still gets our answers until we close.
#[test]
fn server_answers_a_half_closed_client() {
    let (mut srv, addr) = server(&[], false);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"one question, then my FIN\n").unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    srv.wait_out("one question, then my FIN");
    srv.wait_err("closed its side (FIN)");
    srv.say("the answer");
    assert_eq!(read_line(&mut c), "the answer");
    srv.say("/close 1");
    assert_eq!(c.read(&mut [0u8; 8]).unwrap(), 0);
    srv.wait_err("closed our side to #1 127.0.0.1");
    srv.end_input(false);
    assert!(srv.wait_exit().success());
}

/// The client against a server that closes, resets, or answers after the
/// client's half close; through pipes and a terminal.
#[test]
fn client_exits_with_its_reason_on_close_and_reset_and_reads_after_its_half_close() {
    for pty in [false, true] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();

        // The server closes.
        let mut cli = client(addr, pty);
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(b"goodbye\n").unwrap();
        drop(s);
        cli.wait_out("goodbye");
        cli.wait_err("server closed the connection (FIN");
        assert!(cli.wait_exit().success());

        // The server resets.
        let mut cli = client(addr, pty);
        let (s, _) = listener.accept().unwrap();
        reset(s);
        let err = cli.wait_err("connection reset by the server (RST");
        assert_eq!(cli.wait_exit().code(), Some(1), "{err}");

        // Our half close: the server still talks after our FIN.
        let mut cli = client(addr, pty);
        let (mut s, _) = listener.accept().unwrap();
        cli.say("question");
        assert_eq!(read_line(&mut s), "question");
        cli.end_input(pty);
        assert_eq!(s.read(&mut [0u8; 8]).unwrap(), 0, "the client's FIN");
        cli.wait_err("closed our side (FIN: half close)");
        s.write_all(b"late answer\n").unwrap();
        cli.wait_out("late answer");
        assert!(cli.running(), "still reading until the server closes");
        drop(s);
        cli.wait_err("conversation over");
        assert!(cli.wait_exit().success());
    }
}

/// One client at a time: a second one waits in the backlog (its line
/// arrives only once the first has gone). With --concurrent both are
/// served, and `@N` picks who hears a reply.
#[test]
fn second_client_waits_or_is_served_with_concurrent() {
    let (mut srv, addr, mut a) = talking(&[], false, false);
    let mut b = client(addr, false);
    b.say("from the second client");
    a.say("from the first client");
    srv.wait_out("from the first client");
    thread::sleep(Duration::from_millis(300));
    assert!(
        !text(&srv.out).contains("from the second"),
        "not yet served"
    );
    a.end_input(false);
    srv.wait_err("closed its side (FIN)");
    srv.say("/close");
    assert!(a.wait_exit().success());
    srv.wait_err("client #2");
    srv.wait_out("from the second client");
    b.end_input(false);
    srv.end_input(false);
    assert!(b.wait_exit().success());
    assert!(srv.wait_exit().success());

    let (mut srv, addr, mut a) = talking(&["--concurrent"], false, false);
    let mut b = client(addr, false);
    srv.wait_err("client #2");
    b.say("two here");
    srv.wait_out("two here");
    a.say("one here"); // #1 now spoke last
    srv.wait_out("one here");
    srv.say("/who");
    srv.wait_err("* #2 127.0.0.1");
    srv.say("@2 just for two");
    srv.say("to the last speaker");
    b.wait_out("just for two");
    a.wait_out("to the last speaker");
    assert!(!text(&a.out).contains("just for two"));
    srv.say("@7 nobody");
    srv.wait_err("no client #7");
    srv.end_input(false);
    assert!(a.wait_exit().success());
    assert!(b.wait_exit().success());
    assert!(srv.wait_exit().success());
}

/// A server that closed first leaves its port in TIME_WAIT: a restart
/// binds with SO_REUSEADDR (the default) and fails, explained, without.
#[test]
fn restart_during_time_wait_with_and_without_reuseaddr() {
    let (mut srv, addr, mut cli) = talking(&[], false, false);
    srv.end_input(false); // our FIN first: this side will hold TIME_WAIT
    cli.wait_err("server closed the connection");
    assert!(cli.wait_exit().success());
    assert!(srv.wait_exit().success());
    let listen = addr.to_string();
    let out = Command::new(BIN)
        .args([
            "serve",
            "tcp-talk",
            "--listen",
            listen.as_str(),
            "--no-reuseaddr",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("address already in use"), "{err}");
    assert!(err.contains("TIME_WAIT"), "{err}");
    let mut again = piped(&["serve", "tcp-talk", "--listen", listen.as_str()]);
    assert_eq!(again.listening(), addr);
    again.end_input(false);
    assert!(again.wait_exit().success());
}

/// UDP: the server answers whoever spoke last; the client reports a
/// server that is not there.
#[test]
fn udp_talk_both_ways_and_an_unreachable_server() {
    for pty in [false, true] {
        let args = ["serve", "udp-talk", "--listen", "127.0.0.1:0"];
        let mut srv = if pty { on_pty(&args) } else { piped(&args) };
        let addr = srv.listening().to_string();
        srv.say("nobody yet");
        srv.wait_err("no peer yet");
        let mut cli = piped(&["client", "udp-talk", addr.as_str()]);
        cli.say("");
        cli.say("hello over udp");
        srv.wait_out("#1 127.0.0.1:");
        srv.wait_out("hello over udp");
        cli.wait_err("zero-byte datagram");
        srv.say("hello back");
        cli.wait_out("hello back");
        cli.end_input(false);
        assert!(cli.wait_exit().success());
        srv.end_input(pty);
        assert!(srv.wait_exit().success());
    }
    let closed = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let mut cli = piped(&["client", "udp-talk", addr.as_str()]);
    cli.say("anyone?");
    cli.wait_err("port unreachable");
    assert_eq!(cli.wait_exit().code(), Some(1));
}
