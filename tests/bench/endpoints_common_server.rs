//! Starts `sockscope serve tcp-echo` (the real binary) on a free loopback
//! port for the load test and benchmark.

// Shared by benches and a test that each use part of it.
#![allow(dead_code)]

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::Child;

pub struct EchoProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

/// `name` from the environment as a number, else `default`.
pub fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl EchoProcess {
    /// The server with its default limits, after raising our descriptor
    /// limit (each client is a descriptor here and one in the server).
    pub fn start_default() -> EchoProcess {
        let _ = rlimit::increase_nofile_limit(u64::MAX);
        EchoProcess::start(&[])
    }

    /// `sockscope serve tcp-echo` on a free loopback port, quiet, with
    /// `extra` options; its stderr is drained so that it never blocks.
    pub fn start(extra: &[&str]) -> EchoProcess {
        let args = [&["tcp-echo", "--listen", "127.0.0.1:0", "--quiet"], extra].concat();
        let (child, addr, _, err) = crate::support::bin::start_serve(&args);
        std::thread::spawn(move || for _ in err.lines().map_while(Result::ok) {});
        EchoProcess { child, addr }
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for EchoProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
