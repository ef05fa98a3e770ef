//! Starts `sockscope serve tcp-echo` (the real binary) on a free loopback
//! port for the load test and benchmark.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub struct EchoProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl EchoProcess {
    pub fn start(bin: &str, extra: &[&str]) -> EchoProcess {
        let mut child = Command::new(bin)
            .args(["serve", "tcp-echo", "--listen", "127.0.0.1:0", "--quiet"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sockscope serve");
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        let mut first = String::new();
        err.read_line(&mut first).expect("read server banner");
        let addr = first
            .split_whitespace()
            .nth(4)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
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
