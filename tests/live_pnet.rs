//! What only the pnet capture backend has: choosing it through the
//! environment (`SOCKSCOPE_CAPTURE_BACKEND=pnet`), and the automatic
//! fallback: a child whose kernel refuses TPACKET_V3 (a seccomp filter makes
//! setsockopt(PACKET_VERSION) fail with ENOPROTOOPT, as gVisor does)
//! captures through pnet and says so. The guarantees both backends share
//! are tested over each in tests/live_capture.rs and tests/live_pcap.rs.

mod support;

use std::process::Command;
use support::bin::{Listening, command, text};
use support::live::live_peer;

/// `capture -i lo ARGS udp port PORT`, the backend left to the environment.
fn capture_cmd(args: &[&str], port: u16) -> Command {
    let mut c = command(&["capture", "-i", "lo"]);
    c.args(args)
        .args(["udp", "port", &port.to_string()])
        .env_remove(sockscope::cli::env::CAPTURE_BACKEND_ENV);
    c
}

/// The capture ends well with `n` packet lines; its stderr.
fn lines_captured(capture: Listening, n: usize) -> String {
    let (code, out, err) = capture.finish();
    let out = text(&out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), n, "{out}");
    err
}

#[test]
fn env_var_selects_pnet_and_a_bad_value_is_an_error() {
    let Some(peer) = live_peer() else {
        return;
    };
    let mut cmd = capture_cmd(&["-c", "2"], peer.port());
    cmd.env(sockscope::cli::env::CAPTURE_BACKEND_ENV, "pnet");
    let capture = Listening::start(cmd);
    let head = &capture.head;
    assert!(head[0].ends_with("(pnet backend)"), "{head:?}");
    peer.exchange(2, 5);
    lines_captured(capture, 2);

    let bad = capture_cmd(&["-c", "1"], peer.port())
        .env(sockscope::cli::env::CAPTURE_BACKEND_ENV, "mmap")
        .output()
        .unwrap();
    let err = text(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(
        err.contains("unknown capture backend \"mmap\" (expected ring or pnet)"),
        "{err}"
    );

    // --backend wins over the environment.
    let mut cmd = capture_cmd(&["--backend", "ring", "-c", "1"], peer.port());
    cmd.env(sockscope::cli::env::CAPTURE_BACKEND_ENV, "pnet");
    let capture = Listening::start(cmd);
    let head = &capture.head;
    assert!(head[0].ends_with("bytes"), "the ring: {head:?}");
    peer.exchange(1, 5);
    assert_eq!(capture.finish().0, 0);
}

/// A seccomp filter that makes setsockopt(SOL_PACKET, PACKET_VERSION) fail
/// with ENOPROTOOPT, as a kernel without TPACKET_V3 (or gVisor) answers.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn refuse_tpacket_v3(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    #[cfg(target_arch = "x86_64")]
    const ARCH: u32 = 0xC000_003E; // AUDIT_ARCH_X86_64
    #[cfg(target_arch = "aarch64")]
    const ARCH: u32 = 0xC000_00B7; // AUDIT_ARCH_AARCH64
    const RET_ERRNO: u32 = 0x0005_0000;
    const RET_ALLOW: u32 = 0x7fff_0000;
    let ins = |code: u16, jt: u8, jf: u8, k: u32| libc::sock_filter { code, jt, jf, k };
    // seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8i (low half first).
    let prog = [
        ins(0x20, 0, 0, 4),                           // ld arch
        ins(0x15, 0, 7, ARCH),                        // other arch: allow
        ins(0x20, 0, 0, 0),                           // ld nr
        ins(0x15, 0, 5, libc::SYS_setsockopt as u32), //
        ins(0x20, 0, 0, 24),                          // ld args[1] (level)
        ins(0x15, 0, 3, libc::SOL_PACKET as u32),     //
        ins(0x20, 0, 0, 32),                          // ld args[2] (option)
        ins(0x15, 0, 1, libc::PACKET_VERSION as u32), //
        ins(0x06, 0, 0, RET_ERRNO | libc::ENOPROTOOPT as u32),
        ins(0x06, 0, 0, RET_ALLOW),
    ];
    // SAFETY: runs in the forked child before exec; only two prctl calls on
    // memory (`prog`, moved into the closure) that lives until exec.
    unsafe {
        cmd.pre_exec(move || {
            let fprog = libc::sock_fprog {
                len: prog.len() as u16,
                filter: prog.as_ptr() as *mut libc::sock_filter,
            };
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &fprog as *const libc::sock_fprog,
                ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn without_tpacket_v3_the_ring_falls_back_to_pnet_and_says_so_once() {
    let Some(peer) = live_peer() else {
        return;
    };
    let mut cmd = capture_cmd(&["-c", "3"], peer.port());
    refuse_tpacket_v3(&mut cmd);
    let capture = Listening::start(cmd);
    let head = &capture.head;
    assert_eq!(
        head.len(),
        2,
        "one fallback line, then listening: {head:#?}"
    );
    assert_eq!(
        head[0],
        "sockscope: no TPACKET_V3 ring on this system (switching the socket to TPACKET_V3 failed: \
         Protocol not available (os error 92)); capturing through pnet's channel instead"
    );
    assert!(head[1].ends_with("(pnet backend)"), "{head:#?}");
    peer.exchange(3, 9);
    let err = lines_captured(capture, 3);
    assert!(err.contains("3 packets captured"), "{err}");

    // Asked for the ring explicitly, the same: the ring is the default and
    // the fallback applies to it.
    let mut cmd = capture_cmd(&["--backend", "ring", "-c", "1"], peer.port());
    refuse_tpacket_v3(&mut cmd);
    let capture = Listening::start(cmd);
    let head = &capture.head;
    assert_eq!(head.len(), 2, "{head:#?}");
    peer.exchange(1, 9);
    assert_eq!(capture.finish().0, 0);
}
