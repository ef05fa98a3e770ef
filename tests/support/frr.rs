//! FRR's daemons (Debian's `frr`) in a network namespace of a test's
//! own: zebra and the routing daemons the test names, sharing one
//! configuration file, their sockets and pid files in a directory of
//! their own (they drop to the `frr` user, which must own it).

use super::bin::require_tool;
use super::netns::{Netns, Server};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

pub const FRR: &str = "/usr/lib/frr";

/// Whether each of `daemons` is installed (a failure under
/// SOCKSCOPE_REQUIRE_LIVE=1, else a printed skip).
pub fn installed(daemons: &[&str]) -> bool {
    daemons.iter().all(|d| require_tool(&format!("{FRR}/{d}")))
}

/// `daemons` (zebra first) started in `ns` with `conf` as configuration,
/// in the directory `home` (made, and given to the `frr` user); each is
/// stopped when its [`Server`] drops.
pub fn start(ns: &Netns, home: &Path, conf: &str, daemons: &[&str]) -> Vec<Server> {
    std::fs::create_dir_all(home).expect("a directory");
    let file = home.join("frr.conf");
    std::fs::write(&file, conf).expect("a config");
    assert!(
        Command::new("chown")
            .args(["-R", "frr:frr", home.to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success())
    );
    let home = home.to_str().expect("a UTF-8 path");
    let zserv = format!("{home}/zserv.api");
    let mut servers = Vec::new();
    for daemon in daemons {
        let bin = format!("{FRR}/{daemon}");
        let pid = format!("{home}/{daemon}.pid");
        let mut cmd = ns.exec(&[
            &bin,
            "-f",
            file.to_str().unwrap(),
            "-i",
            &pid,
            "-z",
            &zserv,
            "--vty_socket",
            home,
            "-u",
            "frr",
            "-g",
            "frr",
        ]);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        servers.push(Server(cmd.spawn().expect("an FRR daemon starts")));
        std::thread::sleep(Duration::from_millis(500));
    }
    servers
}
