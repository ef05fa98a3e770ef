//! Real tunnels made by the kernel: two network namespaces joined by a
//! veth pair carry a tunnel of each type the kernel here can make (`ip
//! link add … type vxlan|geneve|gre|gretap|ipip|sit|ip6tnl`, and MPLS
//! with `ip route … encap mpls` where the mpls modules are loaded); pings
//! (with iputils-ping), UDP datagrams and a TCP connection attempt go through the tunnel while `sockscope
//! capture` records the underlay (the veth), and `sockscope read` of that
//! file must print what `tcpdump -n -r` prints, at the default level,
//! `-v`, `-e`, `-e -v` and the `-x`/`-X`/`-A` dumps, byte for byte; the flows
//! are the inner conversations.
//!
//! A tunnel type the kernel lacks is skipped with its name and `ip`'s
//! reason printed (a container's kernel often has only VXLAN), but VXLAN
//! over the veth must be compared: a run that compared no tunnel fails.
//! The whole test skips, saying
//! why, without tcpdump, CAP_NET_RAW or network namespaces unless
//! SOCKSCOPE_REQUIRE_LIVE=1 / SOCKSCOPE_REQUIRE_NETNS=1.

mod support;

use std::time::Duration;
use support::app_captures::compare_with_tcpdump;
use support::bin::{BIN, Listening, have_tool, require_tool, sockscope, text};
use support::live::live_allowed;
use support::netns::Netns;
use support::{tempdir, tunnel_captures};

/// One tunnel type: its name, the `ip link add` arguments after `type`
/// (with `LOCAL`/`REMOTE` for the underlay addresses), whether the
/// underlay is IPv6, and the inner addresses (IPv6 for `sit`).
struct Kind {
    name: &'static str,
    args: &'static str,
    underlay_v6: bool,
    inner: (&'static str, &'static str, &'static str),
}

/// Inner addresses: this end's, the peer's, the prefix length.
type Inner = (&'static str, &'static str, &'static str);

/// IPv4 inner addresses, and the IPv6 ones for `sit` (6in4).
const V4: Inner = ("192.168.77.1", "192.168.77.2", "24");
const V6: Inner = ("fd77::1", "fd77::2", "64");

/// (name, `ip link add … type` arguments, IPv6 underlay, inner addresses)
const KINDS: &[(&str, &str, bool, Inner)] = &[
    (
        "vxlan",
        "vxlan id 42 remote REMOTE local LOCAL dstport 4789 dev ul",
        false,
        V4,
    ),
    ("geneve", "geneve id 42 remote REMOTE", false, V4),
    ("gre", "gre remote REMOTE local LOCAL key 7", false, V4),
    ("gretap", "gretap remote REMOTE local LOCAL", false, V4),
    ("ipip", "ipip remote REMOTE local LOCAL", false, V4),
    ("sit", "sit remote REMOTE local LOCAL", false, V6),
    (
        "ip6tnl",
        "ip6tnl mode ipip6 remote REMOTE local LOCAL",
        true,
        V4,
    ),
];

fn run(ns: &Netns, cmd: &str) -> bool {
    let args: Vec<&str> = cmd.split(' ').collect();
    ns.exec(&args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn must(ns: &Netns, cmd: &str) {
    let args: Vec<&str> = cmd.split(' ').collect();
    let out = ns.exec(&args).output().expect("ip runs");
    assert!(out.status.success(), "{cmd}: {}", text(&out.stderr));
}

/// Two namespaces joined by a veth pair `ul` (10.9.0.1 and 10.9.0.2,
/// 2001:db8:9::1 and ::2).
fn underlay() -> Option<(Netns, Netns)> {
    let a = Netns::create_or_skip()?;
    let b = Netns::create_or_skip()?;
    must(
        &a,
        &format!("ip link add ul type veth peer name ul netns {}", b.0),
    );
    for (ns, n) in [(&a, 1), (&b, 2)] {
        must(ns, &format!("ip addr add 10.9.0.{n}/24 dev ul"));
        must(ns, &format!("ip addr add 2001:db8:9::{n}/64 dev ul nodad"));
        must(ns, "ip link set ul up");
    }
    Some((a, b))
}

/// The tunnel `k` between the namespaces, its inner addresses up; the
/// reason (`ip`'s words) when the kernel cannot make it.
fn tunnel(a: &Netns, b: &Netns, k: &Kind) -> Result<(), String> {
    let (la, lb) = if k.underlay_v6 {
        ("2001:db8:9::1", "2001:db8:9::2")
    } else {
        ("10.9.0.1", "10.9.0.2")
    };
    for (ns, local, remote, inner) in [(a, la, lb, k.inner.0), (b, lb, la, k.inner.1)] {
        let args = k.args.replace("LOCAL", local).replace("REMOTE", remote);
        let cmd = format!("ip link add tun0 type {args}");
        let out = ns
            .exec(&cmd.split(' ').collect::<Vec<_>>())
            .output()
            .expect("ip runs");
        if !out.status.success() {
            let why = format!(
                "the kernel here cannot make this tunnel ({})",
                text(&out.stderr).trim()
            );
            eprintln!("SKIPPED {}: {why}", k.name);
            return Err(why);
        }
        must(ns, "ip link set tun0 up");
        let flag = if inner.contains(':') { " nodad" } else { "" };
        must(
            ns,
            &format!("ip addr add {inner}/{} dev tun0{flag}", k.inner.2),
        );
    }
    Ok(())
}

/// Record the underlay while pings and a TCP connection attempt cross
/// the tunnel; the file's path.
fn record(a: &Netns, k: &Kind, dir: &std::path::Path) -> String {
    let path = dir.join(format!("{}.pcap", k.name));
    let path = path.to_str().expect("a UTF-8 path").to_owned();
    let capture = Listening::start_quiet(a.exec(&[BIN, "capture", "-i", "ul", "-w", &path]));
    std::thread::sleep(Duration::from_millis(500));
    let peer = k.inner.1;
    // Pings where iputils-ping is installed; UDP datagrams to a closed
    // port (the peer's ICMP errors come back) and a TCP SYN to one (its
    // reset comes back) always.
    if have_tool("ping") {
        let v = if peer.contains(':') { "-6" } else { "-4" };
        let out = a
            .exec(&["ping", v, "-c", "3", "-i", "0.2", "-W", "2", peer])
            .output()
            .expect("ping runs");
        eprintln!("{}: ping {}", k.name, out.status);
    }
    let target = if peer.contains(':') {
        format!("[{peer}]:9")
    } else {
        format!("{peer}:9")
    };
    let _ = a
        .exec(&[
            BIN,
            "client",
            "udp",
            &target,
            "--message",
            "hello",
            "--count",
            "3",
        ])
        .output();
    let _ = a
        .exec(&[
            "timeout",
            "2",
            "bash",
            "-c",
            &format!("exec 3<>/dev/tcp/{peer}/9"),
        ])
        .output();
    std::thread::sleep(Duration::from_millis(400));
    capture.stop_ok(libc::SIGTERM);
    path
}

#[test]
fn kernel_tunnels_lines_equal_tcpdump() {
    if !require_tool("tcpdump") || !live_allowed() {
        return;
    }
    let dir = tempdir();
    let (mut compared, mut skipped) = (Vec::new(), Vec::new());
    for &(name, args, underlay_v6, inner) in KINDS {
        let k = &Kind {
            name,
            args,
            underlay_v6,
            inner,
        };
        // Fresh namespaces per tunnel: no route of one leaks into another.
        let Some((a, b)) = underlay() else { return };
        if let Err(why) = tunnel(&a, &b, k) {
            skipped.push((k.name, why));
            continue;
        }
        let path = record(&a, k, &dir);
        let counts = compare_with_tcpdump(&path, tunnel_captures::LEVELS, 6);
        // The inner TCP conversation is a flow (the tunnel's own datagrams
        // stay flows only where they carry no IP, e.g. VXLAN's ARP).
        let flows = text(&sockscope(&["read", &path, "--flows", "--json"]).stdout);
        let inner_tcp = flows.lines().any(|f| {
            f.contains(&format!("\"id.resp_h\":\"{}\"", k.inner.1))
                && f.contains("\"proto\":\"tcp\"")
        });
        assert!(inner_tcp, "{}: {flows}", k.name);
        compared.push((k.name, counts));
    }
    // MPLS needs the mpls modules (`net.mpls.platform_labels`).
    if std::path::Path::new("/proc/sys/net/mpls").exists() {
        match record_mpls(&dir) {
            Some(path) => {
                let counts = compare_with_tcpdump(&path, tunnel_captures::LEVELS, 2);
                compared.push(("mpls", counts));
            }
            None => skipped.push(("mpls", "the MPLS routes could not be made".into())),
        }
    } else {
        let why = "the kernel here has no MPLS forwarding (modprobe mpls_router mpls_iptunnel)";
        eprintln!("SKIPPED mpls: {why}");
        skipped.push(("mpls", why.into()));
    }
    eprintln!("tunnels compared with tcpdump: {compared:?}");
    for (name, why) in &skipped {
        eprintln!("tunnel not compared: {name}: {why}");
    }
    // A kernel that runs these tests makes VXLAN over the veth underlay
    // (a container's kernel often has nothing else; GRE, IPIP and MPLS
    // need modules it may lack): a run that compared no tunnel at all, or
    // not VXLAN, compared nothing worth passing.
    let names: Vec<&str> = compared.iter().map(|(n, _)| *n).collect();
    assert!(
        names.contains(&"vxlan"),
        "VXLAN over veth was not compared (compared {names:?}; skipped {skipped:?})"
    );
}

/// MPLS over the veth: A pushes label 100 on its way to 192.168.78.2,
/// B pops it and delivers locally; UDP datagrams and a TCP SYN go out
/// labelled, their answers come back as plain IP. `None` (reason printed)
/// when the routes cannot be made.
fn record_mpls(dir: &std::path::Path) -> Option<String> {
    let (a, b) = underlay()?;
    let ok = run(&a, "sysctl -w net.mpls.platform_labels=1000")
        && run(&b, "sysctl -w net.mpls.platform_labels=1000")
        && run(&b, "sysctl -w net.mpls.conf.ul.input=1")
        && run(&b, "ip link set lo up")
        && run(&b, "ip addr add 192.168.78.2/32 dev lo")
        && run(&b, "ip -f mpls route add 100 dev lo")
        && run(
            &a,
            "ip route add 192.168.78.2/32 encap mpls 100 via 10.9.0.2 dev ul",
        );
    if !ok {
        eprintln!("SKIPPED mpls: the MPLS routes could not be made");
        return None;
    }
    let k = Kind {
        name: "mpls",
        args: "",
        underlay_v6: false,
        inner: ("10.9.0.1", "192.168.78.2", "32"),
    };
    Some(record(&a, &k, dir))
}
