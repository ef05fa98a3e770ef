//! Root is dropped once the sockets are open (issue 17, item 8): a running
//! `capture` and `serve` are read from `/proc/PID/task/*/status` (every
//! thread, since credentials are per thread in the kernel): no thread may
//! have uid 0 or any effective or permitted capability. `-Z USER` names the
//! user, `--keep-root` keeps root. Needs root (skips otherwise, fails under
//! SOCKSCOPE_REQUIRE_LIVE=1).

mod support;

use std::io::BufRead;
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command};
use std::time::Duration;
use support::bin::{BIN, Listening, sockscope, start_serve};
use support::live::live_allowed;
use support::{env_on, tempdir};

fn root_or_skip() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        assert!(!env_on("SOCKSCOPE_REQUIRE_LIVE"), "these tests need root");
        eprintln!("SKIPPED: dropping root needs root");
    }
    root && live_allowed()
}

/// (uid line, CapEff, CapPrm) of every thread of `pid`.
fn credentials(pid: u32) -> Vec<(String, u64, u64)> {
    let mut v = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let status = std::fs::read_to_string(task.unwrap().path().join("status")).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let cap = |name: &str| u64::from_str_radix(&field(name), 16).unwrap();
        v.push((field("Uid:"), cap("CapEff:"), cap("CapPrm:")));
    }
    v
}

fn assert_dropped(pid: u32, what: &str) {
    let creds = credentials(pid);
    assert!(!creds.is_empty());
    for (uid, eff, prm) in &creds {
        println!("{what}: Uid {uid} CapEff {eff:016x} CapPrm {prm:016x}");
        assert!(
            uid.split_whitespace().all(|u| u != "0"),
            "{what} kept uid 0: {uid}"
        );
        assert_eq!((*eff, *prm), (0, 0), "{what} kept capabilities");
    }
}

/// `serve ARGS` started; its first stderr line says where it listens.
fn serve(args: &[&str]) -> (Child, SocketAddr) {
    let (child, addr, _, err) = start_serve(args);
    std::thread::spawn(move || for _ in err.lines() {});
    (child, addr)
}

/// Ctrl-C, and the command ends well.
fn interrupt(l: Listening) {
    l.stop_ok(libc::SIGINT);
}

#[test]
fn capture_drops_root_and_still_writes_its_file() {
    if !root_or_skip() {
        return;
    }
    let dir = tempdir();
    let file = dir.join("dropped.pcap");
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = peer.local_addr().unwrap().port();
    let filter = format!("udp port {port}");
    let mut cmd = Command::new(BIN);
    cmd.args(["capture", "-i", "lo", "-w", file.to_str().unwrap(), &filter]);
    let l = Listening::start(cmd);
    assert_dropped(l.child.id(), "capture");
    for _ in 0..3 {
        peer.send_to(b"hello", ("127.0.0.1", port)).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
    interrupt(l);
    let out = sockscope(&["read", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn capture_drops_to_the_user_named_by_z() {
    if !root_or_skip() {
        return;
    }
    let mut cmd = Command::new(BIN);
    cmd.args(["capture", "-i", "lo", "-Z", "daemon", "udp port 9"]);
    let l = Listening::start(cmd);
    let creds = credentials(l.child.id());
    assert!(
        creds.iter().all(|(uid, ..)| uid.starts_with("1\t")),
        "{creds:?}"
    );
    assert_dropped(l.child.id(), "capture -Z daemon");
    interrupt(l);
}

#[test]
fn capture_keep_root_keeps_root() {
    if !root_or_skip() {
        return;
    }
    let mut cmd = Command::new(BIN);
    cmd.args(["capture", "-i", "lo", "--keep-root", "udp port 9"]);
    let l = Listening::start(cmd);
    let creds = credentials(l.child.id());
    assert!(
        creds.iter().any(|(uid, ..)| uid.starts_with("0\t")),
        "{creds:?}"
    );
    interrupt(l);
}

#[test]
fn serve_drops_root_after_binding() {
    if !root_or_skip() {
        return;
    }
    for kind in ["tcp-echo", "udp-echo", "chat"] {
        let (mut child, addr) = serve(&[kind, "--listen", "127.0.0.1:0"]);
        std::thread::sleep(Duration::from_millis(100));
        assert_dropped(child.id(), kind);
        if kind == "tcp-echo" {
            let r =
                sockscope::endpoints::tcp_exchange(addr, &["still here"], Duration::from_secs(2));
            assert_eq!(r.unwrap(), vec!["still here".to_string()]);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[test]
fn demo_says_it_dropped_root_before_the_endpoints_start() {
    if !root_or_skip() {
        return;
    }
    let out = sockscope(&["demo", "udp"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let capturing = text.find("capturing on lo").expect("capture line");
    let dropped = text.find("dropped root").expect("drop line");
    let first = text.find("[udp").expect("scenario line");
    assert!(capturing < dropped && dropped < first, "{text}");
}

/// Issue 16: `demo -C/-G` created its first file as root and the next ones
/// as `nobody`, so a ring in a directory only root can write failed at its
/// first turn. Now every file is created after the drop, as `capture` does:
/// such a directory is refused before any scenario runs, with what to do,
/// and in a directory `nobody` may write the file belongs to `nobody`.
#[test]
fn demo_rotation_creates_its_files_after_dropping_root() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !root_or_skip() {
        return;
    }
    let root_only = tempdir();
    std::fs::set_permissions(&root_only, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ring = root_only.join("ring.pcap");
    let out = sockscope(&["demo", "udp", "-C", "1", "-w", ring.to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("cannot create the output file") && stderr.contains("--keep-root"),
        "{stderr}"
    );
    assert!(!stdout.contains("[udp"), "no scenario runs: {stdout}");
    assert!(std::fs::read_dir(&root_only).unwrap().next().is_none());

    let open = tempdir();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let ring = open.join("ring.pcap");
    let out = sockscope(&["demo", "udp", "-C", "1", "-w", ring.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&ring).expect("the first file of the ring");
    assert_eq!(meta.uid(), 65534, "created by nobody, after the drop");
    assert!(meta.len() > 24, "the demo's packets are in it");
}
