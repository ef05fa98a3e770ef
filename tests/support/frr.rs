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

/// Two FRR routers, `ra` and `rb`, each in a network namespace of its own,
/// joined by a veth pair named `{tag}a`/`{tag}b` with 10.`net`.0.1/24 and
/// .2 and 2001:db8:`net`::1/64 and ::2; each runs `daemons` (zebra first)
/// from the configuration `conf(name, interface, n)` (n: 1 for `ra`, 2 for
/// `rb`). `sockscope capture` records `ra`'s side while `run` waits (it
/// gets each router's daemons, `rb`'s last, to stop some early); then
/// every daemon stops and the capture ends. The capture's path, `None`
/// where FRR, tcpdump or the namespaces are missing (a failure under
/// SOCKSCOPE_REQUIRE_LIVE=1).
pub fn captured_pair(
    tag: &str,
    net: u8,
    daemons: &[&str],
    conf: impl Fn(&str, &str, u8) -> String,
    run: impl FnOnce(&mut Vec<Vec<Server>>),
) -> Option<std::path::PathBuf> {
    use super::bin::{BIN, Listening};
    if !installed(daemons) || !require_tool("tcpdump") {
        return None;
    }
    let (Some(a), Some(b)) = (Netns::for_tools(&["ip"]), Netns::for_tools(&["ip"])) else {
        return None;
    };
    let (ia, ib) = (format!("{tag}a"), format!("{tag}b"));
    let v4 = |n: u8| format!("10.{net}.0.{n}/24");
    if !a.veth_to(&b, (&ia, &v4(1)), (&ib, &v4(2))) {
        return None;
    }
    let dir = super::tempdir();
    let file = dir.join(format!("{tag}_live.pcap"));
    let path = file.to_str().expect("a UTF-8 path");
    let capture = Listening::start_quiet(a.exec(&[BIN, "capture", "-i", &ia, "-w", path]));
    let mut routers = Vec::new();
    for (ns, name, ifname, n) in [(&a, "ra", &ia, 1u8), (&b, "rb", &ib, 2)] {
        let v6 = format!("2001:db8:{net}::{n}/64");
        let added = ns
            .exec(&["ip", "addr", "add", &v6, "dev", ifname, "nodad"])
            .status();
        assert!(added.is_ok_and(|s| s.success()), "{v6} on {ifname}");
        let home = dir.join(name);
        routers.push(start(ns, &home, &conf(name, ifname, n), daemons));
    }
    run(&mut routers);
    drop(routers);
    capture.stop_ok(libc::SIGTERM);
    Some(file)
}
