//! Real loopback traffic, recorded with tcpdump, run through the flow tracker:
//! a normal close, a close by RST and a refused connection.
//! Needs root (CAP_NET_RAW) and tcpdump: skips with a reason otherwise, fails
//! instead when SOCKSCOPE_REQUIRE_LIVE=1.

mod support;

use sockscope::flow::{ConnState, FlowConfig, Proto, TcpState};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;
use support::bin::{Listening, require_tool};
use support::flows::track;
use support::live::live_allowed;
use support::tempdir;

#[test]
fn loopback_normal_rst_and_refused_connections() {
    if !require_tool("tcpdump") || !live_allowed() {
        return;
    }
    // tcpdump drops privileges to its own user: give it a directory it can write.
    let dir = tempdir();
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let file = dir.join("lo.pcap");

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let closed_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();

    let mut cmd = Command::new("tcpdump");
    cmd.args(["-i", "lo", "--immediate-mode", "-U", "-n", "-w"])
        .arg(&file)
        .arg(format!("tcp and (port {port} or port {closed_port})"));
    let tcpdump = Listening::start(cmd);

    let server = std::thread::spawn(move || {
        // 1: echo five bytes, close after the client's FIN.
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 5];
        s.read_exact(&mut buf).unwrap();
        s.write_all(&buf).unwrap();
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).unwrap();
        drop(s);
        // 2: send data the client never reads: its close becomes a RST.
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(b"unread data").unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
    });

    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.write_all(b"hello").unwrap();
    let mut buf = [0u8; 5];
    c.read_exact(&mut buf).unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    c.read_to_end(&mut rest).unwrap();
    drop(c);

    let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    drop(c); // unread data in the receive queue: Linux answers with RST
    server.join().unwrap();

    let refused = TcpStream::connect(("127.0.0.1", closed_port));
    assert!(refused.is_err());

    std::thread::sleep(Duration::from_millis(300));
    tcpdump.stop_ok(libc::SIGINT);

    let (rep, _) = track(&file, FlowConfig::default());
    let _ = std::fs::remove_dir_all(&dir);
    let tcp: Vec<_> = rep.flows.iter().filter(|f| f.proto == Proto::Tcp).collect();
    assert_eq!(
        tcp.len(),
        3,
        "three connections: {:#?}",
        rep.flows.iter().map(|f| f.history()).collect::<Vec<_>>()
    );

    let normal = tcp[0];
    assert_eq!(normal.resp.port, port);
    assert_eq!(normal.conn_state(), ConnState::SF);
    assert_eq!((normal.orig_bytes, normal.resp_bytes), (5, 5));
    assert_eq!(
        (normal.orig_state(), normal.resp_state()),
        (TcpState::TimeWait, TcpState::Closed)
    );
    assert!(normal.tcp().unwrap().orig().machine.entered_time_wait);
    assert!(normal.tcp().unwrap().handshake_ns().is_some());
    assert_eq!(normal.tcp().unwrap().counters.all_retransmissions(), 0);

    let reset = tcp[1];
    assert_eq!(
        reset.conn_state(),
        ConnState::RSTO,
        "history {}",
        reset.history()
    );
    assert_eq!(reset.resp_bytes, 11);
    assert!(reset.history().contains('R'));
    assert_eq!(
        (reset.orig_state(), reset.resp_state()),
        (TcpState::Closed, TcpState::Closed)
    );

    let rej = tcp[2];
    assert_eq!(rej.resp.port, closed_port);
    assert_eq!(rej.conn_state(), ConnState::REJ);
    assert_eq!(rej.history(), "Sr");
    assert_eq!((rej.orig_pkts, rej.resp_pkts), (1, 1));
}
