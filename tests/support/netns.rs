//! Network namespaces of our own, for live tests that must take an
//! interface down or make veth pairs without disturbing the host. Making one
//! needs CAP_SYS_ADMIN, which a container may lack even as root: such tests
//! skip with a printed reason, and fail instead under SOCKSCOPE_REQUIRE_NETNS=1.

use super::env_on;

/// A network namespace of our own with `lo` up: its loopback carries only
/// this test's packets, and taking it down harms nobody. Deleted on drop.
pub struct Netns(pub String);

impl Netns {
    /// `None` (reason printed) if namespaces cannot be made here (that takes
    /// CAP_SYS_ADMIN, which a container may lack even as root); a failure
    /// only under SOCKSCOPE_REQUIRE_NETNS=1.
    pub fn create_or_skip() -> Option<Netns> {
        Netns::create_named_or_skip("sockscope-live")
    }

    /// [`Netns::create_or_skip`] with a name that starts with `prefix`.
    pub fn create_named_or_skip(prefix: &str) -> Option<Netns> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let ok = std::process::Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            if env_on("SOCKSCOPE_REQUIRE_NETNS") {
                panic!("`ip netns add` failed (needs iproute2 and CAP_SYS_ADMIN)");
            }
            eprintln!("SKIPPED: cannot create a network namespace (`ip netns add`)");
            return None;
        }
        let ns = Netns(name);
        let up = ns
            .exec(&["ip", "link", "set", "lo", "up"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(up, "could not bring lo up in {}", ns.0);
        Some(ns)
    }

    /// A namespace for a live test that runs `tools` (each must be
    /// installed) and captures (CAP_NET_RAW): `None`, the reason printed,
    /// when any is missing (a failure only where the environment says the
    /// live tests must run).
    pub fn for_tools(tools: &[&str]) -> Option<Netns> {
        Netns::for_tools_named("sockscope-live", tools)
    }

    /// [`Netns::for_tools`] with a name that starts with `prefix`.
    pub fn for_tools_named(prefix: &str, tools: &[&str]) -> Option<Netns> {
        // A missing tool skips the test, or fails it under
        // SOCKSCOPE_REQUIRE_LIVE=1 (CI installs every one).
        for tool in tools {
            if !super::bin::require_tool(tool) {
                return None;
            }
        }
        if !super::live::live_allowed() {
            return None;
        }
        Netns::create_named_or_skip(prefix)
    }

    /// A veth pair, both ends up; false (reason printed) if veth is unavailable.
    pub fn veth_pair(&self, a: &str, b: &str) -> bool {
        let ok = |args: &[&str]| self.exec(args).status().is_ok_and(|s| s.success());
        if !ok(&["ip", "link", "add", a, "type", "veth", "peer", "name", b]) {
            eprintln!("SKIPPED: cannot create a veth pair");
            return false;
        }
        assert!(ok(&["ip", "link", "set", a, "up"]) && ok(&["ip", "link", "set", b, "up"]));
        true
    }

    /// A veth pair from this namespace to `peer`: `a` here with address
    /// `a_addr`, `b` there with `b_addr` (both `ADDR/LEN`), both up, so
    /// traffic between the two addresses crosses the wire instead of
    /// staying on one namespace's loopback. False (reason printed) if veth
    /// is unavailable.
    pub fn veth_to(
        &self,
        peer: &Netns,
        (a, a_addr): (&str, &str),
        (b, b_addr): (&str, &str),
    ) -> bool {
        if !self.veth_pair(a, b) {
            return false;
        }
        let ok = |ns: &Netns, args: &[&str]| ns.exec(args).status().is_ok_and(|s| s.success());
        // Moving an interface to another namespace takes it down.
        assert!(ok(self, &["ip", "link", "set", b, "netns", &peer.0]));
        assert!(ok(self, &["ip", "addr", "add", a_addr, "dev", a]));
        assert!(ok(peer, &["ip", "addr", "add", b_addr, "dev", b]));
        assert!(ok(peer, &["ip", "link", "set", b, "up"]));
        true
    }

    /// A command run inside the namespace.
    /// A 200-byte MTU on the namespace's loopback, and no segmentation
    /// offload (it would carry one large GSO packet): messages of a few
    /// hundred bytes then take two or three segments, as on a path with
    /// a small MSS.
    pub fn small_mtu(&self) {
        let ok = self
            .exec(&["ip", "link", "set", "lo", "mtu", "200", "gso_max_segs", "1"])
            .status();
        assert!(ok.is_ok_and(|s| s.success()), "ip link set lo mtu 200");
    }

    pub fn exec(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new("ip");
        c.args(["netns", "exec", &self.0]).args(args);
        c
    }

    /// Run `f` on a thread that joined the namespace: sockets it opens live there.
    pub fn run<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        use std::os::fd::AsRawFd;
        let path = format!("/run/netns/{}", self.0);
        std::thread::scope(|s| {
            s.spawn(|| {
                let file = std::fs::File::open(&path).expect("open the netns file");
                // SAFETY: setns on a valid namespace fd affects only this thread.
                let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
                f()
            })
            .join()
            .expect("netns thread panicked")
        })
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.0])
            .status();
    }
}

/// A server started in a namespace, ended (killed and reaped) however the
/// test ends.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
