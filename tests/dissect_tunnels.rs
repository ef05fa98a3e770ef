//! Tunnels and encapsulations as tcpdump prints them, on a capture built
//! by hand (`tests/support/tunnel_captures.rs`): GRE with each of its
//! flags, NVGRE, ERSPAN (which Debian's tcpdump names only), PPTP's GRE,
//! VXLAN, Geneve with options, MPLS stacks (over Ethernet, GRE, UDP and a
//! VLAN), IP in IP, 6in4, 4in6, ESP, AH, PPPoE discovery and sessions,
//! L2TP data and control messages; each also cut by the snap length at
//! every byte of its header, and damaged at random. `sockscope read` must
//! print what `tcpdump -n -r` prints at the default level, `-v` and
//! `-vv`, byte for byte; goldens keep the lines and the JSON where tcpdump
//! is missing. The flows are the conversations inside the tunnels.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, sockscope_exits, text};
use support::golden::{check_generated, check_run};
use support::{capture, tunnel_captures};

/// Damaged copies after the hand-written and cut ones.
const DAMAGED: usize = 400;

const NAME: &str = "dissect_tunnels.pcap";

fn path() -> String {
    capture(NAME).to_string_lossy().into_owned()
}

#[test]
fn tunnel_lines_equal_tcpdump() {
    check_generated(NAME, &tunnel_captures::capture(DAMAGED));
    let p = path();
    compare_with_tcpdump(&p, &["", "-v", "-vv"], DAMAGED);
    check_run("dissect/tunnels.out", &["read", &p]);
    check_run("dissect/tunnels_v.out", &["read", &p, "-v"]);
    check_run("dissect/tunnels_json.out", &["read", &p, "--json"]);
}

/// The flows are the conversations inside the tunnels (as Zeek keeps
/// them): the TCP SYN inside GRE, VXLAN, IP in IP, MPLS and PPPoE is one
/// flow from 192.168.1.1:40000 to 192.168.1.2:80, never a GRE or VXLAN
/// flow between the tunnel's ends.
#[test]
fn flows_follow_tunnels_to_the_inner_conversation() {
    let p = path();
    let out = sockscope(&["read", &p, "--flows", "--json", "-c", "60"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let flows: Vec<&str> = json.lines().filter(|l| l.contains("\"conn_state\"")).collect();
    assert!(
        flows
            .iter()
            .any(|f| f.contains("\"192.168.1.1\"") && f.contains(":80") && f.contains("\"tcp\"")),
        "{json}"
    );
    assert!(
        !flows.iter().any(|f| f.contains("\"unknown_transport\"") && f.contains("\"10.0.0.1\"")
            && !f.contains("\"10.0.0.2\"")),
        "{json}"
    );
    // GRE's, VXLAN's and IP in IP's inner SYN are one flow seen several times.
    let syn_flow = flows
        .iter()
        .find(|f| f.contains("\"192.168.1.2\"") && f.contains("\"tcp\""))
        .expect("the inner TCP flow");
    assert!(!syn_flow.contains("\"orig_pkts\":1,"), "{syn_flow}");
}

/// tcpdump's filter words that look inside tunnels (`vxlan`, `geneve`,
/// `mpls`, `pppoes`, `pppoed`) are refused with a clear error, never taken
/// to mean the outer packet.
#[test]
fn tunnel_filter_words_are_refused() {
    let p = path();
    for word in ["vxlan", "geneve", "mpls", "pppoes", "pppoed"] {
        let out = sockscope_exits(&["read", &p], &[word], 2);
        let err = text(&out.stderr);
        assert!(err.contains(word), "{word}: {err}");
    }
}
