//! The one support tree of the integration tests. Every test file includes
//! it the same way, `mod support;`, and uses what it needs by path
//! (`support::bin::sockscope`, `support::live::open_or_skip`, …). One job a file:
//!
//! - [`bin`]: run the real binary (and tcpdump) and report expected vs actual;
//! - [`golden`]: compare with a file under `tests/golden/`, or with a
//!   generated capture under `captures/`;
//! - [`pcap`]: write and read classic pcap files;
//! - [`frames`]: packet builders the generators share;
//! - the capture generators: [`inspect_captures`], [`flow_scenarios`], [`filter_captures`],
//!   [`verbose_captures`], [`dns_captures`], [`exact_captures`], and the
//!   application protocols' ([`app_captures`] has what they share: frames,
//!   damaged copies, the comparison with tcpdump; [`ntp_captures`],
//!   [`bootp_captures`], [`dhcp6_captures`], [`radius_captures`], [`snmp_captures`], [`syslog_captures`], [`tftp_captures`],
//!   [`text_captures`]); [`tunnel_captures`] for the hand-built tunnels, [`overlay_captures`] for VXLAN-GPE and NSH; [`dccp_captures`] and [`pim_captures`] for DCCP and PIM; [`dvmrp_captures`] for DVMRP; [`oam_captures`] for Ethernet OAM; [`macsec_captures`] for MACsec; [`ether_frames`] for the link types that wrap or tag an Ethernet frame; [`usb_captures`] for Linux usbmon records (`tests/link_usb.rs`); [`decnet_captures`] for DECnet (`tests/dissect_decnet.rs`);
//! - [`flows`]: run the flow tracker over a capture the way `read` does;
//! - [`live`]: the CAP_NET_RAW gate and live-capture helpers;
//! - [`netns`]: network namespaces of our own; [`frr`]: FRR's daemons in them;
//! - [`rng`]: a seeded random source for the tests that damage packets;
//!   [`cpu_clock`]: their slowest-message limit, on the thread's CPU clock;
//!   [`alloc_meter`]: their memory check, on a counting global allocator
//!   (declared there, so every test binary has it) that keeps each thread's
//!   live and peak bytes;
//! - [`tshark_tls`]: tshark's TLS/QUIC fields and a JA4 worked out from them;
//!   [`tls_captures`] and [`http_captures`]: the TLS segments and HTTP streams
//!   the damage tests and the fuzz corpus share;
//! - [`bgp_captures`], [`bfd_captures`], [`hsrp_captures`], [`babel_captures`], [`isis_captures`], [`osi_captures`] (CLNP, ES-IS), [`osi_link_captures`] (them on PPP, GRE, Cisco HDLC: `tests/dissect_osi_links.rs`), [`igp_captures`] (EGP, IGRP, EIGRP), [`rip_captures`] (RIP, RIPng; `tests/dissect_rip.rs`), [`ldp_captures`] (`tests/dissect_ldp.rs`), [`pptp_captures`] (`tests/dissect_pptp.rs`), [`rpki_rtr_captures`] (`tests/dissect_rpki_rtr.rs`), [`msdp_captures`] (`tests/dissect_msdp.rs`) and the other routing protocols' generators (`tests/dissect_routing.rs`); [`sflow_captures`] for sFlow and [`someip_captures`] for SOME/IP (`tests/dissect_services.rs`); [`vqp_captures`] for VQP (`tests/dissect_vqp.rs`); [`ahcp_captures`] for AHCP (`tests/dissect_ahcp.rs`); [`timed_captures`] for timed's TSP (`tests/dissect_timed.rs`); [`vat_captures`] for vat and vt (`tests/dissect_vat.rs`); [`olsr_captures`] for OLSR (`tests/dissect_olsr.rs`); [`autorp_captures`] for Cisco auto-RP (`tests/dissect_autorp.rs`); [`lmp_captures`] for LMP (`tests/dissect_lmp.rs`); [`zep_captures`] for ZEP and IEEE 802.15.4 (`tests/dissect_zep.rs`), [`wpan_ie_captures`] for the IEs tcpdump decodes at `-vvvv` (there and in `tests/link_wpan.rs`); [`lwapp_captures`] for LWAPP (`tests/dissect_lwapp.rs`);
//! - [`kip_captures`] for AppleTalk in UDP (`tests/dissect_kip.rs`); [`wb_captures`] for the
//!   LBL whiteboard (`tests/dissect_wb.rs`); [`rx_captures`] for AFS's Rx (`tests/dissect_rx.rs`);
//! - [`hncp_captures`] for HNCP (`tests/dissect_hncp.rs`);
//! - [`lwres_captures`] for BIND's lightweight resolver (`tests/dissect_lwres.rs`);
//!   [`zephyr_captures`] for Zephyr (`tests/dissect_zephyr.rs`);
//! - [`link_damage`]: the damaged-records test the link-type files share;
//! - [`pflog_captures`] for pf's logs, link type 117 (`tests/link_pflog.rs`);
//! - [`spoof`]: UDP datagrams from forged 127.0.0.x sources (attack tests).
//!
//! Environment variables (all take `=1`; tests/README.md says more):
//!
//! | variable | effect |
//! | --- | --- |
//! | `SOCKSCOPE_BLESS` | rewrite golden files (`tests/golden/`) instead of comparing |
//! | `SOCKSCOPE_REGEN_CAPTURES` | rewrite the generated files in `captures/` instead of comparing |
//! | `SOCKSCOPE_REQUIRE_LIVE` | a missing CAP_NET_RAW, tcpdump or setpriv fails the test instead of skipping it |
//! | `SOCKSCOPE_REQUIRE_NETNS` | a missing network namespace (CAP_SYS_ADMIN) fails instead of skipping |
//! | `SOCKSCOPE_RECORD_DEMO` | re-record `captures/demo_*.pcap` (tests/demo.rs, as root) |
//! | `SOCKSCOPE_REGEN_LOSSY` | re-record `captures/tcp_lossy.pcap` and tshark's counts (tests/flow_tshark.rs) |
//! | `SOCKSCOPE_PCAP` | the capture the ignored debugging test `print_any_capture` prints |
//! | `SOCKSCOPE_WRITE_FUZZ_SEEDS` | rewrite the application fuzz targets' seeds (`tests/fuzz_corpora.rs`) |

// Each test binary compiles this whole tree but uses only part of it; the
// rest would be reported as dead code in every binary that does not use it.
#![allow(dead_code)]

pub mod ahcp_captures;
pub mod alloc_meter;
pub mod aodv_captures;
pub mod app_captures;
pub mod autorp_captures;
pub mod babel_captures;
pub mod bcm_li_captures;
pub mod bfd_captures;
pub mod bgp_captures;
pub mod bin;
pub mod bootp_captures;
pub mod control_captures;
pub mod cooked_captures;
pub mod cpu_clock;
pub mod dccp_captures;
pub mod decnet_captures;
pub mod dhcp6_captures;
pub mod dns_captures;
pub mod dvmrp_captures;
pub mod ether_frames;
pub mod ethertype_captures;
pub mod exact_captures;
pub mod filter_captures;
pub mod flow_scenarios;
pub mod flows;
pub mod follow_captures;
pub mod frames;
pub mod frr;
pub mod golden;
pub mod hncp_captures;
pub mod hsrp_captures;
pub mod http_captures;
pub mod igp_captures;
pub mod inspect_captures;
pub mod ip_edge_captures;
pub mod ipnext_captures;
pub mod ipx_atalk_captures;
pub mod isis_captures;
pub mod kip_captures;
pub mod ldp_captures;
pub mod link_captures;
pub mod link_damage;
pub mod link_filters;
pub mod lisp_captures;
pub mod live;
pub mod lmp_captures;
pub mod lspping_captures;
pub mod lwapp_captures;
pub mod lwres_captures;
pub mod macsec_captures;
pub mod msdp_captures;
pub mod netbios_captures;
pub mod netns;
pub mod nfs_captures;
pub mod ntp_captures;
pub mod oam_captures;
pub mod olsr_captures;
pub mod openflow_captures;
pub mod osi_captures;
pub mod osi_link_captures;
pub mod overlay_captures;
pub mod packet_type_captures;
pub mod pcap;
pub mod pflog_captures;
pub mod pgm_captures;
pub mod pim_captures;
pub mod pptp_captures;
pub mod radius_captures;
pub mod rip_captures;
pub mod rng;
pub mod rpki_rtr_captures;
pub mod rsvp_captures;
pub mod rx_captures;
pub mod sctp_payload_captures;
pub mod service_captures;
pub mod sflow_captures;
pub mod snmp_captures;
pub mod someip_captures;
pub mod spoof;
pub mod syslog_captures;
pub mod tcp_option_captures;
pub mod text_captures;
pub mod tftp_captures;
pub mod timed_captures;
pub mod tls_captures;
pub mod tshark_tls;
pub mod tunnel_captures;
pub mod txtproto_captures;
pub mod usb_captures;
pub mod vat_captures;
pub mod verbose_captures;
pub mod vqp_captures;
pub mod wb_captures;
pub mod wpan_ie_captures;
pub mod zep_captures;
pub mod zephyr_captures;

use std::path::{Path, PathBuf};

/// The repository's root (the manifest directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `captures/`.
pub fn capture(name: &str) -> PathBuf {
    root().join("captures").join(name)
}

/// Whether the environment variable `name` is set to `1`.
pub fn env_on(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}

/// A fresh directory of this test's own under the system temp directory.
pub fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "sockscope-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    // A test process that ran with this pid before may have left its
    // folder behind (files from another test then showed up in a
    // directory listing): start empty.
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A file `name` holding `contents`, in a fresh [`tempdir`].
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = tempdir().join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// [`temp_file`]'s path as text, for the binary's arguments.
pub fn temp_path(name: &str, contents: impl AsRef<[u8]>) -> String {
    temp_file(name, contents).to_string_lossy().into_owned()
}

/// A [`tempdir`] anyone may write into: a capture run as root creates its
/// files after dropping root (to nobody), as tcpdump does.
pub fn open_tempdir() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

/// Every committed capture (`captures/*.pcap`, `*.pcapng`), sorted.
pub fn committed_captures() -> Vec<String> {
    let dir = capture("tcp_lossy.pcap").parent().unwrap().to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng"))
        .collect();
    names.sort();
    names
}

/// Every file in `dir` by name, with its bytes, sorted by name (outputs
/// of two runs compared whole).
pub fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}
