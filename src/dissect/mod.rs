//! Dissectors: one file per protocol above the link layer, found through
//! static tables keyed by ethertype, LLC SAP, IP protocol, UDP port and TCP
//! port — Wireshark's dissector tables, tcpdump's `print-*.c`. Each
//! protocol brings, beside its parser, its default-line text, its `-v`
//! text and its `--json` object, so the printers in `output/` only ask the
//! table "who speaks here?" and hand over the payload.
//!
//! A dissector works on a borrowed payload (no copy) and never panics:
//! every length is checked before it is used, loops are bounded by the
//! payload, and a damaged message prints what was decoded, then
//! ` [|name]` as tcpdump does ([`Truncated`] is how a printer says it
//! stopped there).
//!
//! # Adding a protocol
//!
//! 1. Write `src/dissect/PROTO.rs` with a `pub static PROTO: Dissector`
//!    (its name, its line and `-v` printers, its JSON), and `mod PROTO;`
//!    below.
//! 2. Add one line to the table it is carried in (`UDP_PORTS`, `TCP_PORTS`,
//!    `IP_PROTOS`, `ETHERTYPES` or `LLC_SAPS`), e.g. `(53, &dns::DNS)`.
//! 3. If the printer can stop by reading past the capture where tcpdump's
//!    `GET_` macros `longjmp` (its `-x` dump then starts at the frame's
//!    first byte), add it to `CUT_BY_LONGJMP` with its rule; a printer
//!    inside another that marks its own cut (` [|dvmrp]` inside IGMP) adds
//!    its mark to `own_mark`.
//!
//! The tables are short slices searched in order, never allocating; a
//! port lookup first tests a bit set built from the port tables, so one
//! that finds nothing (most packets) costs two bit tests. Order is priority, as
//! in tcpdump's own `if … else if` chains: when both ports of a datagram
//! are known (53 → 5353), the first entry that matches either port wins.

pub mod ahcp;
pub mod aodv;
pub mod aoe;
pub mod atalk;
pub mod autorp;
pub mod babel;
pub mod bcm_li;
pub mod beep;
pub mod bfd;
pub mod bgp;
pub mod bootp;
pub mod calm_fast;
pub mod carp;
pub mod cdp;
pub mod cfm;
pub mod clnp;
pub mod cnfp;
mod ctl;
pub mod dccp;
pub mod decnet;
pub mod default_print;
pub mod dhcp6;
pub mod dns;
pub mod dtp;
mod dvmrp;
pub mod eapol;
pub mod egp;
pub mod eigrp;
pub mod esis;
mod forces;
pub mod ftp;
pub mod geonet;
pub mod hncp;
pub mod hsrp;
pub mod http;
pub mod http_message;
pub mod icmp6_ni;
pub mod ieee802_15_4;
pub mod igmp;
pub mod igrp;
pub mod imap;
mod ip_version;
pub mod ipcomp;
pub mod ipx;
pub mod isakmp;
pub mod isis;
mod isis_spb;
mod isis_sr;
pub mod kip;
pub mod krb;
pub mod ldp;
pub mod link;
pub mod lisp;
pub mod lldp;
pub mod lmp;
pub mod loopback;
pub mod lspping;
pub mod lwapp;
pub mod lwres;
mod m3ua;
pub mod mobile;
pub mod mobility;
pub mod mpcp;
pub mod msdp;
pub mod msnlb;
pub mod nested;
pub mod netbios;
pub mod nfs;
pub mod ntp;
mod oam;
pub mod olsr;
pub mod openflow;
pub mod ospf;
pub mod packet_type;
pub mod peers;
pub mod pgm;
pub mod pim;
mod pimv1;
pub mod pop3;
mod port_set;
pub mod pptp;
pub mod ptp;
pub mod quic;
pub mod radius;
pub mod realtek;
pub mod resp;
pub mod rip;
pub mod ripng;
pub mod rpc;
pub mod rpki_rtr;
pub mod rsvp;
pub mod rtp;
pub mod rtsp;
pub mod rx;
pub mod sctp;
pub mod sflow;
pub mod sip;
pub mod slow;
pub mod smb;
pub mod smtp;
pub mod snmp;
pub mod someip;
pub mod ssh;
pub mod stp;
pub mod sunrpc;
pub mod syslog;
pub mod telnet;
pub mod tftp;
pub mod timed;
pub mod tipc;
pub mod tls;
pub mod tunnel;
mod txtproto;
pub mod udld;
pub mod vat;
pub mod vqp;
pub mod vrrp;
pub mod vtp;
pub mod wb;
pub mod whois;
mod wire;
pub mod zep;
pub mod zephyr;
pub mod zmtp1;

pub use ip_version::{IpVersion, Over, icmp_admitted, icmp_over};
use port_set::PortSet;
use serde_json::Value;

/// What a printer is handed: the protocol's bytes as captured (never past
/// what the carrying layer says it holds), and the length the carrying
/// layer declares (tcpdump prints that one, e.g. DNS's `(29)`).
#[derive(Clone, Copy, Debug)]
pub struct Payload<'a> {
    pub bytes: &'a [u8],
    pub declared_len: usize,
}

impl<'a> Payload<'a> {
    /// A payload captured whole: declared as long as it is.
    pub fn whole(bytes: &'a [u8]) -> Payload<'a> {
        Payload {
            bytes,
            declared_len: bytes.len(),
        }
    }
}

/// Decimal digits of `n`, appended (the line's hot path avoids `write!`).
fn put_num(w: &mut Vec<u8>, n: impl itoa::Integer) {
    let mut b = itoa::Buffer::new();
    w.extend_from_slice(b.format(n).as_bytes());
}

/// `names[n]`, or `before`, the number and `after` for one the table does
/// not name (each protocol has its own words for an unknown code).
fn put_name(w: &mut Vec<u8>, names: &[&str], n: u16, before: &[u8], after: &[u8]) {
    put_known(w, names.get(usize::from(n)).copied(), n, (before, after));
}

/// A code's `name`, or tcpdump's words around the number when it has none
/// (`Type65534`, `(Class 7)`, `msgtype-9`, `TAG-0x1234`).
fn put_known(w: &mut Vec<u8>, name: Option<&str>, n: impl Code, (before, after): (&[u8], &[u8])) {
    match name {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => {
            w.extend_from_slice(before);
            n.put(w);
            w.extend_from_slice(after);
        }
    }
}

/// How a code without a name is printed: in decimal, or in lower-case hex
/// through [`Hex`] (tcpdump's `%x`).
trait Code {
    fn put(self, w: &mut Vec<u8>);
}

macro_rules! decimal_code {
    ($($t:ty),*) => {$(
        impl Code for $t {
            fn put(self, w: &mut Vec<u8>) {
                put_num(w, self);
            }
        }
    )*};
}
decimal_code!(u8, u16, u32);

/// A code printed in lower-case hex.
struct Hex(u32);

impl Code for Hex {
    fn put(self, w: &mut Vec<u8>) {
        use std::io::Write;
        let _ = write!(w, "{:x}", self.0);
    }
}

/// A JSON object filled by `fill` as far as the message allows, with
/// `complete` saying whether it got to the end.
fn json_object(
    fill: impl FnOnce(&mut serde_json::Map<String, Value>) -> Result<(), Truncated>,
) -> Value {
    let mut o = serde_json::Map::new();
    let complete = fill(&mut o).is_ok();
    o.insert("complete".into(), Value::Bool(complete));
    Value::Object(o)
}

/// [`json_object`] with a list under `key` (LLDP's TLVs, SCTP's chunks):
/// `fill` fills both, and the list stands even when the message stopped
/// early.
fn json_object_with_list(
    key: &str,
    fill: impl FnOnce(&mut serde_json::Map<String, Value>, &mut Vec<Value>) -> Result<(), Truncated>,
) -> Value {
    json_object(|o| {
        let mut list = Vec::new();
        let read = fill(o, &mut list);
        o.insert(key.into(), Value::Array(list));
        read
    })
}

/// The `n`th of the space-separated names in `table`, `None` past the end
/// or where the table says `-` (a code without a name).
fn word(table: &'static str, n: usize) -> Option<&'static str> {
    table.split(' ').nth(n).filter(|w| *w != "-")
}

/// Whether a printer that stopped early did so as tcpdump's does by
/// reading past the capture unchecked (its `GET_` macros' `longjmp`),
/// after which tcpdump's dump starts at the frame's first byte, or after
/// its own check (`ND_TCHECK`, a length test: the dump starts where it
/// always does). Handed the message, the text written so far and the
/// level (found by comparing `tcpdump -x` on the protocols' captures cut
/// at every length, and by reading tcpdump 4.99's printers).
type JumpRule = fn(&Payload<'_>, &[u8], u8) -> bool;

/// The printers that can stop by a `longjmp`, each with its rule; the
/// others (LLDP, EAPOL, …) only stop after a check. SSH, syslog and the
/// control protocols STP, the slow protocols, PTP, CDP, IGMP, OSPFv2, VRRP,
/// BFD, HSRP, RIPng, LDP, PPTP, RPKI-RTR and SOME/IP read with `GET_` macros
/// throughout; VQP's `ND_TCHECK`s jump too (4.99 makes them `longjmp`).
static CUT_BY_LONGJMP: &[(&Dissector, JumpRule)] = &[
    (&bootp::BOOTP, bootp::cut_jumps),
    (&ssh::SSH, always),
    (&syslog::SYSLOG, always),
    (&ntp::NTP, ntp::cut_jumps),
    (&http::HTTP, |p, _, _| txtproto::cut_jumps(p)),
    (&ftp::FTP, |p, _, _| txtproto::cut_jumps(p)),
    (&smtp::SMTP, |p, _, _| txtproto::cut_jumps(p)),
    (&whois::WHOIS, |p, _, _| txtproto::cut_jumps(p)),
    (&rtsp::RTSP, |p, _, _| txtproto::cut_jumps(p)),
    (&sip::SIP, |p, _, _| txtproto::cut_jumps(p)),
    (&telnet::TELNET, always),
    (&tftp::TFTP, |p, _, _| tftp::cut_jumps(p)),
    (&dns::DNS_TCP, |p, _, _| dns::prefix_cut(p)),
    (&snmp::SNMP, |p, _, v| snmp::cut_jumps(p, v)),
    (&dhcp6::DHCP6, dhcp6::cut_jumps),
    (&radius::RADIUS, radius::cut_jumps),
    (&stp::STP, always),
    (&slow::SLOW, always),
    (&ptp::PTP, always),
    (&bcm_li::BCM_LI, bcm_li::cut_jumps),
    (&cdp::CDP, always),
    (&cfm::CFM, cfm::cut_jumps),
    (&loopback::LOOPBACK, always),
    (&msnlb::MSNLB, always),
    (&realtek::REALTEK, always),
    (&mpcp::MPCP, always),
    (&aoe::AOE, always),
    (&decnet::DECNET, always),
    (&tipc::TIPC, always),
    (&geonet::GEONET, always),
    (&igmp::IGMP, igmp::cut_jumps),
    (&ospf::OSPF, ospf::cut_jumps),
    (&vrrp::VRRP, always),
    (&udld::UDLD, always),
    (&ipx::IPX, always),
    (&dtp::DTP, always),
    (&vtp::VTP, always),
    (&isakmp::ISAKMP, isakmp::cut_jumps),
    (&isakmp::ISAKMP_NATT, isakmp::natt_cut_jumps),
    (&babel::BABEL, |p, _, _| babel::cut_jumps(p)),
    (&pim::PIM, pim::cut_jumps),
    (&egp::EGP, egp::cut_jumps),
    (&igrp::IGRP, always),
    (&eigrp::EIGRP, eigrp::cut_jumps),
    (&pgm::PGM, pgm::cut_jumps),
    (&pgm::PGM_UDP, pgm::cut_jumps),
    (&bfd::BFD, always),
    (&bfd::BFD_MULTIHOP, always),
    (&bfd::BFD_LAG, always),
    (&hsrp::HSRP, always),
    (&rip::RIP, |p, _, _| rip::cut_jumps(p)),
    (&ripng::RIPNG, always),
    (&ldp::LDP, always),
    (&dccp::DCCP, dccp::cut_jumps),
    (&resp::RESP, |p, _, _| resp::cut_jumps(p)),
    (&isis::ISOCLNS, isis::cut_jumps),
    (&bgp::BGP, bgp::cut_jumps),
    (&krb::KRB, |p, _, _| krb::cut_jumps(p)),
    (&sflow::SFLOW, always),
    (&openflow::OPENFLOW, always),
    (&ipcomp::IPCOMP, always),
    (&mobility::MOBILITY, mobility::cut_jumps),
    (&pptp::PPTP, always),
    (&rpki_rtr::RPKI_RTR, always),
    (&msdp::MSDP, msdp::cut_jumps),
    (&someip::SOMEIP, always),
    (&lspping::LSPPING, always),
    (&lisp::LISP, lisp::cut_jumps),
    (&aodv::AODV, aodv::cut_jumps),
    (&vqp::VQP, always),
    (&ahcp::AHCP, always),
    (&timed::TIMED, always),
    (&vat::VAT, always),
    (&rtp::RTP, always),
    (&cnfp::CNFP, |p, _, _| cnfp::cut_jumps(p)),
    (&carp::CARP, always),
    (&zmtp1::ZMTP1, always),
    (&olsr::OLSR, olsr::cut_jumps),
    (&autorp::AUTORP, autorp::cut_jumps),
    (&lmp::LMP, always),
    (&hncp::HNCP, hncp::cut_jumps),
    (&zep::ZEP, zep::cut_jumps),
    (&wb::WB, always),
    (&rx::RX, always),
    (&lwres::LWRES, always),
    (&sctp::SCTP, sctp::cut_jumps),
    (&zephyr::ZEPHYR, always),
    (&nfs::NFS, nfs::cut_jumps),
    (&nfs::NFS_TCP, nfs::cut_jumps),
];

/// The [`JumpRule`] of a printer that reads with `GET_` macros only.
fn always(_: &Payload<'_>, _: &[u8], _: u8) -> bool {
    true
}

/// How a printer stopped early, where it matters for the dump after the
/// line (see [`JumpRule`]): `Checked`, after its own test, or `Jumped`,
/// by reading past the capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Checked,
    Jumped,
}

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Stop {
        Stop::Checked
    }
}

impl From<Stop> for Truncated {
    fn from(_: Stop) -> Truncated {
        Truncated
    }
}

/// A bounded read's `Truncated` where tcpdump reads unchecked.
fn jumped(_: Truncated) -> Stop {
    Stop::Jumped
}

/// A printer stopped because the bytes ran out or contradicted themselves;
/// what it wrote so far stands, and the caller appends ` [|name]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncated;

/// Writes a protocol's part of a line after the transport's `src > dst: `.
pub type LineFn = fn(&mut Vec<u8>, &Payload<'_>) -> Result<(), Truncated>;
/// The same at `-v` and above; the level is the count of `v`s.
pub type VerboseFn = fn(&mut Vec<u8>, &Payload<'_>, u8) -> Result<(), Truncated>;
/// The protocol's `--json` object (what could be decoded, and whether the
/// message was complete).
pub type JsonFn = fn(&Payload<'_>) -> Value;

/// What a protocol carried by IP may need of the IP header around it:
/// the addresses (a pseudo-header checksum, VRRPv3's) and the TTL or hop
/// limit (VRRP names one that is not 255).
#[derive(Clone, Copy, Debug)]
pub struct IpContext {
    pub src: std::net::IpAddr,
    pub dst: std::net::IpAddr,
    pub ttl: u8,
    /// tcpdump's default print (the hex of a payload it does not decode,
    /// SCTP's DATA at `-vv`) is on: `-x`/`-X` turn it off.
    pub default_print: bool,
    /// The IP header names another protocol (extension headers or AH came
    /// between), and the line printed the addresses before them: PGM's
    /// printer then says the ports alone (`1000 > 2000: `), as tcpdump's
    /// does.
    pub ports_only: bool,
}

/// A line printer (any level; the count of `v`s) that needs [`IpContext`].
pub type IpLineFn = fn(&mut Vec<u8>, &Payload<'_>, &IpContext, u8) -> Result<(), Truncated>;

/// One protocol, as the printers see it.
pub struct Dissector {
    /// tcpdump's name for the protocol, the one in ` [|name]`.
    pub name: &'static str,
    /// The key of its object in `--json` (`"dns"`).
    pub json_key: &'static str,
    /// The default line's text. `None`: tcpdump has no printer here, so the
    /// transport's own line (`UDP, length N`) stays and only the JSON gains
    /// the decoded message.
    pub line: Option<LineFn>,
    /// The `-v` text (`None` as for `line`).
    pub verbose: Option<VerboseFn>,
    pub json: JsonFn,
    /// Zeek's name for the service (`dns`, `http`, …) and whether a
    /// payload looks like this protocol, so a flow's service comes from
    /// what it carries, not from its port alone. Empty where Zeek has no
    /// analyzer for the protocol.
    pub service: &'static str,
    pub recognise: fn(&[u8]) -> bool,
}

impl Dissector {
    /// A protocol with a line and a `-v` printer whose tcpdump name, JSON
    /// key and Zeek service are all `name` (most are; see
    /// [`Dissector::known_as`] for the others).
    pub const fn new(
        name: &'static str,
        line: LineFn,
        verbose: VerboseFn,
        json: JsonFn,
        recognise: fn(&[u8]) -> bool,
    ) -> Dissector {
        Dissector {
            name,
            json_key: name,
            line: Some(line),
            verbose: Some(verbose),
            json,
            service: name,
            recognise,
        }
    }

    /// The same protocol under another JSON key and Zeek service (tcpdump's
    /// `bootp` is `dhcp` to both).
    pub const fn known_as(self, json_key: &'static str, service: &'static str) -> Dissector {
        Dissector {
            json_key,
            service,
            ..self
        }
    }

    /// Append the line text for `verbose` (0 = the default line); ` [|name]`
    /// after a message that stopped early. `false` when this protocol has no
    /// line of its own (the caller prints the transport's).
    pub fn write_line(&self, w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> bool {
        self.write_line_cut(w, p, verbose).is_some()
    }

    /// [`Dissector::write_line`], saying also whether the line ended where
    /// tcpdump's printer read past the capture without checking first (its
    /// `longjmp`), after which its `-x`/`-X`/`-A` dump starts at the
    /// frame's first byte; `None` when this protocol has no line of its
    /// own.
    pub fn write_line_cut(&self, w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Option<bool> {
        let done = match (verbose, self.line, self.verbose) {
            (0, Some(line), _) => line(w, p),
            (v, _, Some(verbose)) if v > 0 => verbose(w, p, v),
            _ => return None,
        };
        nested::entered(self.name);
        let jumped = (done.is_err() || own_mark(w)) && self.cut_jumps(p, w, verbose);
        self.mark_cut(w, done);
        Some(jumped)
    }

    /// What [`Dissector::write_line`] prints of a whole message `m` (the
    /// unit tests' view of a printer).
    #[cfg(test)]
    fn printed(&self, m: &[u8], verbose: u8) -> String {
        self.printed_cut(m, m.len(), verbose)
    }

    /// The same for a capture that kept only `keep` bytes of `m`.
    #[cfg(test)]
    fn printed_cut(&self, m: &[u8], keep: usize, verbose: u8) -> String {
        let mut w = Vec::new();
        let p = Payload {
            bytes: m.get(..keep).unwrap_or(m),
            declared_len: m.len(),
        };
        self.write_line(&mut w, &p, verbose);
        String::from_utf8_lossy(&w).into_owned()
    }

    /// [`Dissector::write_line_cut`] for a protocol carried by IP number
    /// `proto`, with the IP header's fields at hand for the printers of
    /// [`IP_LINES`]: whether the line ended with tcpdump's `longjmp`,
    /// `None` when this protocol has no line of its own.
    pub fn write_ip_line(
        &self,
        w: &mut Vec<u8>,
        p: &Payload<'_>,
        proto: u8,
        ip: &IpContext,
        verbose: u8,
    ) -> Option<bool> {
        nested::entered(self.name);
        match self.ip_line(proto) {
            Some(line) => {
                let done = line(w, p, ip, verbose);
                let jumped = (done.is_err() || own_mark(w)) && self.cut_jumps(p, w, verbose);
                self.mark_cut(w, done);
                Some(jumped)
            }
            None => self.write_line_cut(w, p, verbose),
        }
    }

    /// The printer of [`IP_LINES`] for this protocol number, CARP's for
    /// CARP (which takes VRRP's number under `-T carp`).
    fn ip_line(&self, proto: u8) -> Option<IpLineFn> {
        if std::ptr::eq(self, &carp::CARP) {
            return Some(carp::with_ip);
        }
        by_key(IP_LINES, proto)
    }

    /// This printer's [`JumpRule`] (none: it only stops after a check).
    fn cut_jumps(&self, p: &Payload<'_>, w: &[u8], verbose: u8) -> bool {
        CUT_BY_LONGJMP
            .iter()
            .find(|(d, _)| std::ptr::eq(*d, self))
            .is_some_and(|(_, jumps)| jumps(p, w, verbose))
    }

    fn mark_cut(&self, w: &mut Vec<u8>, done: Result<(), Truncated>) {
        if done.is_err() {
            w.extend_from_slice(b" [|");
            w.extend_from_slice(self.name.as_bytes());
            w.push(b']');
        }
    }
}

/// Whether a line ends with the cut mark of a printer inside another that
/// marks its cut itself, under its own name (OSPFv3's and PIMv2's inside
/// the IP protocol's, PIMv1's and DVMRP's inside IGMP's, the CLNS printer's before
/// IS-IS's, ISAKMP's after the NAT-T marker): the line stopped early
/// though the outer printer returned.
fn own_mark(w: &[u8]) -> bool {
    [
        &b" [|ospf3]"[..],
        b" [|pimv2]",
        b" [|pimv1]",
        b" [|dvmrp]",
        b" [|isoclns]",
        b" [|clnp]",
        b" [|esis]",
        b" [|isakmp]",
        zmtp1::CUT,
        forces::CUT,
        m3ua::CUT,
        ieee802_15_4::CUT.as_bytes(),
        realtek::RRCP_CUT,
    ]
    .iter()
    .any(|m| w.ends_with(m))
}

/// A protocol recognised by its first bytes on any port, as Wireshark's
/// heuristic dissectors are (TLS, QUIC). tcpdump prints nothing of these,
/// so their dissector has no line; `--app` appends `app`'s text after the
/// transport's line, and `--json` always has their object.
pub struct Heuristic {
    pub dissector: Dissector,
    /// The bracketed summary `--app` appends (` [TLS ClientHello …]`).
    pub app: LineFn,
}

impl Heuristic {
    /// Append the `--app` text; a damaged message prints what was decoded.
    pub fn write_app(&self, w: &mut Vec<u8>, p: &Payload<'_>) {
        let done = (self.app)(w, p);
        self.dissector.mark_cut(w, done);
    }
}

/// TCP payloads recognised by content, tried in order when no port
/// dissector recognises the segment.
static TCP_HEURISTICS: &[&Heuristic] = &[&tls::TLS];

/// The same for UDP.
static UDP_HEURISTICS: &[&Heuristic] = &[&quic::QUIC];

fn heuristic(table: &'static [&'static Heuristic], payload: &[u8]) -> Option<&'static Heuristic> {
    table
        .iter()
        .find(|h| (h.dissector.recognise)(payload))
        .copied()
}

/// The protocol recognised in a TCP segment's payload on any port (TLS).
pub fn tcp_heuristic(payload: &[u8]) -> Option<&'static Heuristic> {
    heuristic(TCP_HEURISTICS, payload)
}

/// The protocol recognised in a UDP datagram's payload on any port (QUIC).
pub fn udp_heuristic(payload: &[u8]) -> Option<&'static Heuristic> {
    heuristic(UDP_HEURISTICS, payload)
}

/// The dissector whose JSON object a payload gets: the port's when it
/// recognises the payload, else one recognised by content, else the
/// port's (which says what it could not decode).
pub fn for_payload(
    tcp: bool,
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Option<&'static Dissector> {
    let (by_port, table) = if tcp {
        (self::tcp(sport, dport), TCP_HEURISTICS)
    } else {
        (udp_payload(sport, dport, payload), UDP_HEURISTICS)
    };
    recognised_or(by_port, table, payload)
}

/// [`for_payload`] without `-T`: what the traffic itself says, as Zeek
/// decides a flow's service (a printing option does not change it).
fn for_traffic(tcp: bool, sport: u16, dport: u16, payload: &[u8]) -> Option<&'static Dissector> {
    let (by_port, table) = if tcp {
        (tcp_by_port(sport, dport), TCP_HEURISTICS)
    } else {
        (udp_by_traffic(sport, dport, payload), UDP_HEURISTICS)
    };
    recognised_or(by_port, table, payload)
}

/// The dissector the ports chose when it recognises the payload, else
/// the first of `table`'s heuristics that does, else the ports' choice.
fn recognised_or(
    by_port: Option<&'static Dissector>,
    table: &'static [&'static Heuristic],
    payload: &[u8],
) -> Option<&'static Dissector> {
    match by_port {
        Some(d) if (d.recognise)(payload) => Some(d),
        _ => heuristic(table, payload).map(|h| &h.dissector).or(by_port),
    }
}

/// Where the messages at the start of a stream's bytes end, for the
/// reassembly of messages that span segments (`crate::flow::pdu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framing {
    /// Bytes from the start that hold whole messages (0: none yet).
    pub whole: usize,
    /// The bytes end inside a message: how many (from the start) it
    /// needs at least before framing is asked again. `None`: nothing
    /// after `whole` is waited for.
    pub need: Option<usize>,
    /// How many bytes (from the start) the next call may take as looked
    /// at, its second argument: a framer scanning for a terminator goes on
    /// from there; 0 looks again from the start.
    pub resume: usize,
}

/// The framing of messages that each say their own size (DNS over TCP,
/// OpenFlow, MSDP): `size(m, at)` is the size of the message at `at`:
/// `Ok(None)` when it says a size too small to be one (the framing ends
/// there; at the start the bytes are not this protocol's), `Err(n)` when
/// its header is cut (`n` bytes from `at` are needed to read it).
fn framing_by_sizes(
    m: &[u8],
    size: impl Fn(&[u8], usize) -> Result<Option<usize>, usize>,
) -> Option<Framing> {
    let (mut at, mut need) = (0, None);
    while at < m.len() {
        match size(m, at) {
            Err(header) => {
                need = Some(at + header);
                break;
            }
            Ok(None) if at == 0 => return None,
            Ok(None) => break,
            Ok(Some(n)) => {
                let end = at + n;
                if end > m.len() {
                    need = Some(end);
                    break;
                }
                at = end;
            }
        }
    }
    Some(Framing {
        whole: at,
        need,
        resume: 0,
    })
}

/// Frames bytes that start on a message boundary; `None` when they do not
/// start a message of this protocol. The second argument is the
/// [`Framing::resume`] an earlier call gave (0 the first time): a framer
/// that scans for a terminator goes on from there.
pub type FramingFn = fn(&[u8], usize) -> Option<Framing>;

/// A protocol over TCP whose messages are put back together when they
/// span segments: its framer, its dissector, and its `--app` text when it
/// has one (a protocol recognised by content).
pub struct Unit {
    pub dissector: &'static Dissector,
    pub heuristic: Option<&'static Heuristic>,
    pub framing: FramingFn,
    /// A segment inside an open message is not decoded alone in `--json`
    /// (it says `"continuation"`): its bytes may look like a message
    /// start (an HTTP body beginning `GET `).
    pub continuation: bool,
    /// Replies framed by the requests they answer (HTTP, POP3).
    pub dialogue: Option<&'static DialogueRules>,
}

impl Unit {
    /// Frames bytes from a message boundary (`from`: as [`FramingFn`]'s),
    /// by the requests they answer when the protocol is a dialogue.
    pub fn frame(&self, bytes: &[u8], from: usize, asked: &[Ask]) -> Option<Framing> {
        match self.dialogue {
            Some(rules) => (rules.framing)(bytes, from, asked),
            None => (self.framing)(bytes, from),
        }
    }
}

/// A request one direction of a connection made and the other has not
/// answered yet: its kind, as the protocol's [`DialogueRules`] class it
/// (an HTTP `HEAD`, a POP3 command answered by several lines), and the
/// packet that brought it (tshark's `request_in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    pub kind: u8,
    pub packet: u64,
}

/// What whole messages of one direction did in the dialogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Turn {
    /// Requests of the other direction they answered (oldest first).
    pub answered: usize,
    /// The connection stops carrying the protocol after them (a 2xx to
    /// CONNECT, a 101): nothing more is framed in either direction.
    pub tunnel: bool,
}

/// A protocol whose replies cannot be framed alone: a response to HEAD
/// announces a body it does not send (RFC 9112 §6.3), a POP3 `+OK` is
/// followed by lines up to `.` only after RETR, LIST, … (RFC 1939 §3).
/// Every function gets `asked`: the other direction's open requests,
/// oldest first, the first answered by the first reply of the bytes.
pub struct DialogueRules {
    /// Frames the bytes as [`FramingFn`] does.
    pub framing: fn(&[u8], usize, &[Ask]) -> Option<Framing>,
    /// The whole messages `m` (from a boundary): the requests they make
    /// (each kind pushed on the vector) and what they answer; the last
    /// argument as `json`'s.
    pub turns: fn(&[u8], &[Ask], &mut Vec<u8>, u64) -> Turn,
    /// The protocol's JSON object of the bytes; `elided`: the body bytes
    /// of the first message that were followed but not kept (its header
    /// is all `bytes` hold of it).
    pub json: fn(&Payload<'_>, &[Ask], u64) -> Value,
    /// A long body that needs no keeping: the message at the start of the
    /// bytes has a whole header ending at the first number and a body
    /// delimited as the second says, counted rather than kept (a 1 MB
    /// download, with a length or chunked).
    pub opaque: OpaqueFn,
}

/// [`DialogueRules::opaque`]: the header's length and how its body is
/// delimited.
pub type OpaqueFn = fn(&[u8], &[Ask]) -> Option<(usize, LongBody)>;

/// A long body counted rather than kept ([`DialogueRules::opaque`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongBody {
    /// Its length in bytes, known from the header.
    Length(u64),
    /// HTTP's chunked transfer coding: followed chunk by chunk
    /// ([`http_message::count_chunks`]) to the last one and the trailers.
    Chunked,
}

/// The TCP protocols reassembled by port (first) or by content (TLS).
static TCP_UNITS: &[Unit] = &[
    Unit {
        dissector: &http::HTTP,
        heuristic: None,
        framing: http::framing,
        continuation: true,
        dialogue: Some(&http::DIALOGUE),
    },
    Unit {
        dissector: &dns::DNS_TCP,
        heuristic: None,
        framing: dns::tcp_framing,
        continuation: false,
        dialogue: None,
    },
    Unit {
        dissector: &openflow::OPENFLOW,
        heuristic: None,
        framing: openflow::framing,
        continuation: false,
        dialogue: None,
    },
    Unit {
        dissector: &pop3::POP3,
        heuristic: None,
        framing: pop3::framing,
        continuation: true,
        dialogue: Some(&pop3::DIALOGUE),
    },
    Unit {
        dissector: &msdp::MSDP,
        heuristic: None,
        framing: msdp::framing,
        continuation: false,
        dialogue: None,
    },
    Unit {
        dissector: &netbios::NBSS,
        heuristic: None,
        framing: netbios::session_framing,
        continuation: false,
        dialogue: None,
    },
    Unit {
        dissector: &netbios::SMB_TCP,
        heuristic: None,
        framing: netbios::direct_framing,
        continuation: false,
        dialogue: None,
    },
];
static TLS_UNIT: Unit = Unit {
    dissector: &tls::TLS.dissector,
    heuristic: Some(&tls::TLS),
    framing: tls::framing,
    continuation: false,
    dialogue: None,
};

/// The protocol whose messages a TCP segment's payload starts, and how
/// the bytes there frame: the port's protocol when it frames them, else
/// TLS when they start a record. `asked`: the requests the other
/// direction has open (a dialogue's replies are framed by them);
/// `tunnel`: the connection left its port's protocol (only TLS is
/// looked for).
pub fn tcp_unit(
    (sport, dport): (u16, u16),
    payload: &[u8],
    asked: &[Ask],
    tunnel: bool,
) -> Option<(&'static Unit, Framing)> {
    let by_port = tcp(sport, dport).filter(|_| !tunnel).and_then(|d| {
        let u = TCP_UNITS.iter().find(|u| std::ptr::eq(u.dissector, d))?;
        Some((u, u.frame(payload, 0, asked)?))
    });
    by_port.or_else(|| Some((&TLS_UNIT, (TLS_UNIT.framing)(payload, 0)?)))
}

/// The unit a TCP segment between these ports would be framed by, when
/// its replies depend on its requests (a dialogue's requests are
/// recorded even when they are whole in their segment).
pub fn tcp_dialogue(sport: u16, dport: u16) -> Option<&'static Unit> {
    let d = tcp(sport, dport)?;
    TCP_UNITS
        .iter()
        .find(|u| std::ptr::eq(u.dissector, d) && u.dialogue.is_some())
}

/// UDP, by port, in tcpdump's priority order (its `udp_print`'s chain of
/// `if … else if`, found by sending tcpdump a datagram between every two
/// of these ports, both ways: `tests/dissect_routing.rs`). An entry
/// matches either port, except those of [`UDP_TO_PORT_ONLY`] and [`UDP_FROM_PORT_ONLY`]. The
/// protocols tcpdump has no printer for (LLMNR; NetBIOS, which Debian's
/// tcpdump is built without) come last: on a datagram between one of
/// them and another known port, the other's printer speaks.
static UDP_PORTS: &[(u16, &Dissector)] = &[
    (53, &dns::DNS),
    (5353, &dns::MDNS),
    (525, &timed::TIMED),
    (69, &tftp::TFTP),
    (67, &bootp::BOOTP),
    (68, &bootp::BOOTP),
    (520, &rip::RIP),
    (654, &aodv::AODV),
    (500, &isakmp::ISAKMP),
    (4500, &isakmp::ISAKMP_NATT),
    (7500, &isakmp::ISAKMP),
    (8500, &isakmp::ISAKMP),
    (161, &snmp::SNMP),
    (162, &snmp::SNMP),
    (123, &ntp::NTP),
    (88, &krb::KRB),
    (750, &krb::KRB),
    (vat::PORT, &vat::VAT),
    (zephyr::SERVER_PORT, &zephyr::ZEPHYR),
    (zephyr::CLIENT_PORT, &zephyr::ZEPHYR),
    (7000, &rx::RX),
    (7001, &rx::RX),
    (7002, &rx::RX),
    (7003, &rx::RX),
    (7004, &rx::RX),
    (7005, &rx::RX),
    (7006, &rx::RX),
    (7007, &rx::RX),
    (7008, &rx::RX),
    (7009, &rx::RX),
    (521, &ripng::RIPNG),
    (546, &dhcp6::DHCP6),
    (547, &dhcp6::DHCP6),
    (5359, &ahcp::AHCP),
    (6696, &babel::BABEL),
    (6697, &babel::BABEL),
    (hncp::PORT, &hncp::HNCP),
    (wb::PORT, &wb::WB),
    (496, &autorp::AUTORP),
    (1645, &radius::RADIUS),
    (1646, &radius::RADIUS),
    (1700, &radius::RADIUS),
    (1812, &radius::RADIUS),
    (1813, &radius::RADIUS),
    (3799, &radius::RADIUS),
    (1985, &hsrp::HSRP),
    (lwres::PORT, &lwres::LWRES),
    (646, &ldp::LDP),
    (698, &olsr::OLSR),
    (3503, &lspping::LSPPING),
    (bcm_li::PORT, &bcm_li::BCM_LI),
    (3784, &bfd::BFD),
    (4784, &bfd::BFD_MULTIHOP),
    (6784, &bfd::BFD_LAG),
    (3785, &bfd::BFD_ECHO),
    (701, &lmp::LMP),
    (1589, &vqp::VQP),
    (6343, &sflow::SFLOW),
    (lwapp::CONTROL_PORT, &lwapp::LWAPP_CONTROL),
    (lwapp::DATA_PORT, &lwapp::LWAPP_DATA),
    (5060, &sip::SIP),
    (514, &syslog::SYSLOG),
    (4342, &lisp::LISP),
    (zep::PORT, &zep::ZEP),
    (319, &ptp::PTP),
    (320, &ptp::PTP),
    (30490, &someip::SOMEIP),
    (5355, &dns::LLMNR),
    (137, &netbios::NBNS),
    (138, &netbios::NBDGM),
];

/// The entries of [`UDP_PORTS`] that match a datagram's destination port
/// only: tcpdump takes HSRP, BFD, vat and wb only on their way to the port (a
/// reply from 1985 or 3784 to an ephemeral port is plain UDP).
const UDP_TO_PORT_ONLY: &[u16] = &[1985, 3784, 4784, 6784, 3785, vat::PORT, wb::PORT];

/// … and the one that matches the source port only: Broadcom's LI shim
/// (a datagram to 49152 is not one).
const UDP_FROM_PORT_ONLY: &[u16] = &[bcm_li::PORT];

/// TCP, by port, in tcpdump's priority order (found by sending a segment
/// between every two of these ports). Each segment is dissected alone, as
/// tcpdump does; for `--json`, a message spanning segments is decoded on
/// the one completing it ([`TCP_UNITS`], `crate::flow::pdu`).
static TCP_PORTS: &[(u16, &Dissector)] = &[
    (23, &telnet::TELNET),
    (25, &smtp::SMTP),
    (43, &whois::WHOIS),
    (179, &bgp::BGP),
    (1723, &pptp::PPTP),
    (6379, &resp::RESP),
    (22, &ssh::SSH),
    (10288, &beep::BEEP),
    (6653, &openflow::OPENFLOW),
    (6633, &openflow::OPENFLOW),
    (21, &ftp::FTP),
    (80, &http::HTTP),
    (8080, &http::HTTP),
    (554, &rtsp::RTSP),
    (8554, &rtsp::RTSP),
    (53, &dns::DNS_TCP),
    (639, &msdp::MSDP),
    (323, &rpki_rtr::RPKI_RTR),
    // tcpdump prints LDP on 646 against 88 (its Kerberos is UDP only).
    (646, &ldp::LDP),
    // Every segment to or from 2049 after LDP's (tcpdump's printer then
    // says nothing of one that does not start an RPC call to 2049 or a
    // reply from it).
    (nfs::PORT, &nfs::NFS_TCP),
    (88, &krb::KRB_TCP),
    (143, &imap::IMAP),
    (110, &pop3::POP3),
    (139, &netbios::NBSS),
    (445, &netbios::SMB_TCP),
];

/// IP protocol numbers (GRE, ESP, … arrive here), with the versions of
/// IP each is decoded over ([`Over`]).
static IP_PROTOS: &[(u8, Over, &Dissector)] = &[
    (2, Over::Only(IpVersion::V4), &igmp::IGMP),
    (112, Over::Both, &vrrp::VRRP),
    (89, Over::Both, &ospf::OSPF),
    (132, Over::Both, &sctp::SCTP),
    (33, Over::Both, &dccp::DCCP),
    (103, Over::Both, &pim::PIM),
    (8, Over::Both, &egp::EGP),
    (9, Over::Both, &igrp::IGRP),
    (88, Over::Both, &eigrp::EIGRP),
    (113, Over::Both, &pgm::PGM),
    (46, Over::Both, &rsvp::RSVP),
    (108, Over::Both, &ipcomp::IPCOMP),
    (55, Over::Both, &mobile::MOBILE),
    (135, Over::Ip6Printer, &mobility::MOBILITY),
    (62, Over::Ip6Printer, &mobility::MOBILITY),
];

/// The IP protocols whose line needs the IP header ([`IpContext`]): their
/// printer at every level, instead of the dissector's `line`/`verbose`.
static IP_LINES: &[(u8, IpLineFn)] = &[
    (112, vrrp::with_ip),
    (89, ospf::with_ip),
    (33, dccp::with_ip),
    (103, pim::with_ip),
    (132, sctp::with_ip),
    (113, pgm::with_ip),
];

/// Ethertypes not decoded by the link layer (LLDP, EAPOL, …).
static ETHERTYPES: &[(u16, &Dissector)] = &[
    (0x88cc, &lldp::LLDP),
    (0x88f7, &ptp::PTP),
    (0x8809, &slow::SLOW),
    (0x888e, &eapol::EAPOL),
    (0x8137, &ipx::IPX),
    (0x809b, &atalk::ATALK),
    (0x80f3, &atalk::AARP),
    (0x8902, &cfm::CFM),
    // CFM's pre-standard EtherType, which tcpdump prints the same way.
    (0xabcd, &cfm::CFM),
    (0x9000, &loopback::LOOPBACK),
    (0x886f, &msnlb::MSNLB),
    (realtek::ETHERTYPE, &realtek::REALTEK),
    (0x8808, &mpcp::MPCP),
    (0x88a2, &aoe::AOE),
    (0x6003, &decnet::DECNET),
    (0x88ca, &tipc::TIPC),
    (0x8947, &geonet::GEONET),
    (0x0707, &geonet::GEONET),
];

/// SNAP's OUI and protocol id, after LLC SAP 0xaa (Cisco's CDP, PVST+).
static SNAP_PIDS: &[((u32, u16), &Dissector)] = &[
    ((0x00000c, 0x2000), &cdp::CDP),
    ((0x00000c, 0x010b), &stp::STP),
    ((0x00000c, 0x010c), &stp::STP),
    ((0x00000c, 0x0111), &udld::UDLD),
    ((0x00000c, 0x2004), &dtp::DTP),
    ((0x00000c, 0x2003), &vtp::VTP),
    // RFC 2684's bridged BPDU.
    ((0x0080c2, 0x000e), &stp::STP),
    ((0x000000, 0x8137), &ipx::IPX),
    ((0x080007, 0x809b), &atalk::ATALK),
    ((0x000000, 0x80f3), &atalk::AARP),
];

/// IEEE 802.2 LLC DSAPs (STP's 0x42, …).
static LLC_SAPS: &[(u8, &Dissector)] =
    &[(0x42, &stp::STP), (0xfe, &isis::ISOCLNS), (0xe0, &ipx::IPX)];

/// The ports of dissector `tables`, at compile time.
const fn ports_of(tables: &[&[(u16, &Dissector)]]) -> PortSet {
    let mut set = PortSet::EMPTY;
    let mut t = 0;
    while t < tables.len() {
        let mut i = 0;
        while i < tables[t].len() {
            set = set.with(tables[t][i].0);
            i += 1;
        }
        t += 1;
    }
    set
}

static UDP_PORT_SET: PortSet = ports_of(&[UDP_PORTS]);
static TCP_PORT_SET: PortSet = ports_of(&[TCP_PORTS]);

fn by_port<V: ?Sized>(
    table: &'static [(u16, &'static V)],
    sport: u16,
    dport: u16,
) -> Option<&'static V> {
    table
        .iter()
        .find(|(port, _)| *port == sport || *port == dport)
        .map(|(_, d)| *d)
}

fn by_key<K: PartialEq + Copy, V: Copy>(table: &'static [(K, V)], key: K) -> Option<V> {
    table.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
}

/// Zeek's `service` for a flow's payload: the protocol whose dissector
/// (chosen by port) recognises it, else one recognised by content on any
/// port (TLS is `ssl`, QUIC `quic`).
pub fn service(tcp: bool, sport: u16, dport: u16, payload: &[u8]) -> Option<&'static str> {
    if payload.is_empty() {
        return None;
    }
    // Zeek's, from the traffic: `-T` changes the lines, not the service.
    let d = for_traffic(tcp, sport, dport, payload)?;
    // An empty service: Zeek has no analyzer for the protocol (BGP).
    (d.recognise)(payload)
        .then_some(d.service)
        .filter(|s| !s.is_empty())
}

/// The dissector of a UDP datagram between these ports.
pub fn udp(sport: u16, dport: u16) -> Option<&'static Dissector> {
    if !UDP_PORT_SET.either(sport, dport) {
        return None;
    }
    UDP_PORTS
        .iter()
        .find(|(port, _)| {
            (*port == dport && !UDP_FROM_PORT_ONLY.contains(port))
                || (*port == sport && !UDP_TO_PORT_ONLY.contains(port))
        })
        .map(|(_, d)| *d)
}

/// The dissector of a UDP datagram between these ports carrying
/// `payload`: NFS when it is a call to 2049 or a reply from it (tcpdump
/// asks before any port), AppleTalk when [`kip::takes_udp`] and no entry
/// before [`KIP_BEFORE`]'s took the ports, else [`udp`]'s.
pub fn udp_payload(sport: u16, dport: u16, payload: &[u8]) -> Option<&'static Dissector> {
    // `-T`: the type's protocol whatever the ports (none for a type with
    // no UDP printer, or VXLAN's, which is a tunnel).
    if let Some(t) = packet_type::get() {
        return match t.udp() {
            packet_type::UdpAs::Dissector(d) => Some(d),
            // The RPC message's fields in `--json`.
            packet_type::UdpAs::Rpc => Some(&nfs::NFS),
            packet_type::UdpAs::Vxlan | packet_type::UdpAs::Nothing => None,
        };
    }
    udp_by_traffic(sport, dport, payload)
}

/// [`udp_payload`] without `-T`: by the payload and the ports alone.
fn udp_by_traffic(sport: u16, dport: u16, payload: &[u8]) -> Option<&'static Dissector> {
    if nfs::takes_udp(sport, dport, payload) {
        return Some(&nfs::NFS);
    }
    let by_port = udp(sport, dport);
    if kip::takes_udp(sport, dport, payload) && !by_port.is_some_and(before_kip) {
        return Some(&kip::KIP);
    }
    by_port
}

/// tcpdump tries AppleTalk in UDP (on its port ranges, by the payload's
/// third byte: [`kip`]) in its chain of UDP printers right before PTP's:
/// after every entry of [`UDP_PORTS`] above this port's.
const KIP_BEFORE: u16 = 319;

/// Whether `d`, chosen by port, comes before AppleTalk in tcpdump's chain.
fn before_kip(d: &'static Dissector) -> bool {
    UDP_PORTS
        .iter()
        .take_while(|(port, _)| *port != KIP_BEFORE)
        .any(|(_, e)| std::ptr::eq(*e, d))
}

/// The dissector of a TCP segment's payload between these ports.
pub fn tcp(sport: u16, dport: u16) -> Option<&'static Dissector> {
    // `-T`: tcpdump's TCP printer decodes the payload as the type's
    // protocol (`resp`, `domain`) or, for every other type, not at all.
    if let Some(t) = packet_type::get() {
        return t.tcp();
    }
    tcp_by_port(sport, dport)
}

/// [`tcp`] without `-T`: by the ports alone.
fn tcp_by_port(sport: u16, dport: u16) -> Option<&'static Dissector> {
    if !TCP_PORT_SET.either(sport, dport) {
        return None;
    }
    by_port(TCP_PORTS, sport, dport)
}

/// The dissector registered for this IP protocol number, over whichever
/// version of IP (what the mutation tests feed; a printer dispatching a
/// payload asks [`ip_proto_over`]).
pub fn ip_proto(proto: u8) -> Option<&'static Dissector> {
    IP_PROTOS
        .iter()
        .find(|(p, _, _)| *p == proto)
        .map(|(_, _, d)| *d)
}

/// The dissector of an IP payload of this protocol number, carried by
/// IP of version `over`.
pub fn ip_proto_over(proto: u8, over: IpVersion) -> Option<&'static Dissector> {
    // `-T carp`: VRRP's number is CARP's.
    if proto == carp::PROTO && packet_type::get() == Some(packet_type::PacketType::Carp) {
        return Some(&carp::CARP);
    }
    IP_PROTOS
        .iter()
        .find(|(p, o, _)| *p == proto && o.admits(over))
        .map(|(_, _, d)| *d)
}

/// The version of IP that the dissector of this protocol number requires,
/// when carried by the other one (tcpdump then says `[IGMP requires IPv4]
/// (invalid)`).
pub fn ip_proto_requires(proto: u8, over: IpVersion) -> Option<IpVersion> {
    IP_PROTOS
        .iter()
        .find(|(p, _, _)| *p == proto)
        .and_then(|(_, o, _)| o.requires(over))
}

/// The dissector of a frame of this ethertype.
pub fn ethertype(ethertype: u16) -> Option<&'static Dissector> {
    by_key(ETHERTYPES, ethertype)
}

/// The dissector of a SNAP frame with this OUI and protocol id.
pub fn snap(oui: u32, pid: u16) -> Option<&'static Dissector> {
    by_key(SNAP_PIDS, (oui, pid))
}

/// The dissector of an 802.2 LLC frame to this DSAP.
pub fn llc_sap(dsap: u8) -> Option<&'static Dissector> {
    by_key(LLC_SAPS, dsap)
}

/// The ISO CLNS protocols whose `--json` object is their own (the line
/// is the CLNS printer's for every NLPID).
static OSI_NLPIDS: &[(u8, &Dissector)] = &[
    (clnp::NLPID_CLNP, &clnp::CLNP),
    (esis::NLPID_ESIS, &esis::ESIS),
];

/// The dissector of an ISO CLNS PDU, by its NLPID (LLC's SAP 0xfe, PPP's
/// OSI, GRE's 0x00fe, Cisco HDLC's 0xfefe): CLNP's and ES-IS's JSON are
/// their own, the rest is the CLNS printer's.
pub fn clns(bytes: &[u8]) -> &'static Dissector {
    bytes
        .first()
        .and_then(|&nlpid| by_key(OSI_NLPIDS, nlpid))
        .unwrap_or(&isis::ISOCLNS)
}

/// [`llc_sap`] for the frame's bytes after the LLC header: SAP 0xfe's
/// by the NLPID.
fn llc_sap_of(dsap: u8, bytes: &[u8]) -> Option<&'static Dissector> {
    let d = llc_sap(dsap)?;
    Some(if dsap == 0xfe { clns(bytes) } else { d })
}

/// The ISO CLNS bytes of an EtherType 0xfefe payload: tcpdump's
/// `ethertype_print` takes 0xfefe for an LLC header of SAP 0xfe and skips
/// its control byte unread. `None`: not even that byte was captured.
pub fn osi_after_control(payload: &[u8]) -> Option<&[u8]> {
    payload.get(1..)
}

/// The dissector of an Ethernet payload by EtherType, or of an 802.3
/// frame's LLC PDU (UI frames between equal SAPs) by SAP, with the bytes
/// it reads (after the LLC header).
pub fn frame(ether_type: u16, payload: &[u8]) -> Option<(&'static Dissector, Payload<'_>)> {
    if ether_type == 0xfefe {
        // ISO CLNS after a control byte (SAP 0xfe's LLC header read as an
        // EtherType), as tcpdump's `ethertype_print` takes it.
        let bytes = osi_after_control(payload).filter(|b| !b.is_empty())?;
        let p = Payload {
            bytes,
            declared_len: bytes.len(),
        };
        return Some((clns(bytes), p));
    }
    if ether_type > 1500 {
        let d = self::ethertype(ether_type)?;
        return Some((
            d,
            Payload {
                bytes: payload,
                declared_len: payload.len(),
            },
        ));
    }
    llc_pdu(payload, usize::from(ether_type))
}

/// The dissector of an LLC PDU whose length (an 802.3 length field, or
/// an 802.11 frame's body) is `len`: UI frames between equal SAPs by SAP
/// or SNAP, and Novell's "raw" IPX; with the bytes it reads.
pub fn llc_pdu(payload: &[u8], len: usize) -> Option<(&'static Dissector, Payload<'_>)> {
    let l = crate::decode::llc::Llc::new_checked(payload, len)?;
    if l.is_raw_ipx() {
        let p = Payload {
            bytes: l.bytes,
            declared_len: len,
        };
        return Some((&ipx::IPX, p));
    }
    let (dsap, ssap) = (l.dsap & 0xfe, l.ssap & 0xfe);
    if dsap != ssap || l.control != 0x03 {
        return None;
    }
    let bytes = l.bytes.get(l.header_len()..).unwrap_or(&[]);
    let d = match l.snap {
        Some((oui, pid)) => snap(oui, pid)?,
        None => llc_sap_of(dsap, bytes)?,
    };
    Some((
        d,
        Payload {
            bytes,
            declared_len: len.saturating_sub(l.header_len()),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_udp_lookup_by_either_port_in_table_order() {
        assert_eq!(udp(40000, 53).map(|d| d.json_key), Some("dns"));
        assert_eq!(udp(53, 40000).map(|d| d.json_key), Some("dns"));
        // Both ports known: the earlier entry wins, as in tcpdump.
        assert!(std::ptr::eq(udp(5353, 53).unwrap(), &dns::DNS));
        assert!(std::ptr::eq(udp(5353, 5353).unwrap(), &dns::MDNS));
        assert!(udp(1, 2).is_none());
        // HSRP and BFD by destination port only: from 1985 to 3784 is BFD,
        // from 3784 to 1985 HSRP, from 1985 to an ephemeral port nothing.
        assert_eq!(udp(1985, 3784).map(|d| d.json_key), Some("bfd"));
        assert_eq!(udp(3784, 1985).map(|d| d.json_key), Some("hsrp"));
        assert!(udp(1985, 40000).is_none() && udp(3785, 40000).is_none());
        // Babel before RADIUS, RIPng before DHCPv6, SNMP before Kerberos.
        assert_eq!(udp(1812, 6696).map(|d| d.json_key), Some("babel"));
        assert_eq!(udp(547, 521).map(|d| d.json_key), Some("ripng"));
        assert_eq!(udp(88, 161).map(|d| d.json_key), Some("snmp"));
        assert!(std::ptr::eq(tcp(53, 40000).unwrap(), &dns::DNS_TCP));
        assert!(tcp(1, 2).is_none());
        let (v4, v6) = (IpVersion::V4, IpVersion::V6);
        assert!(ip_proto(47).is_none());
        assert_eq!(ip_proto_over(2, v4).map(|d| d.json_key), Some("igmp"));
        // Each registration says over which IP it is decoded.
        assert!(ip_proto_over(2, v6).is_none() && ip_proto(2).is_some());
        assert_eq!(ip_proto_requires(2, v6), Some(v4));
        assert!(ip_proto_over(135, v4).is_none() && ip_proto_requires(135, v4).is_none());
        assert_eq!(ip_proto_over(62, v6).map(|d| d.json_key), Some("mobility"));
        assert!(ethertype(0x88cc).is_some());
        assert!(llc_sap(0x42).is_some());
    }

    #[test]
    fn port_sets_hold_exactly_the_tables_ports() {
        for port in 0..=u16::MAX {
            let named = |t: &[(u16, &Dissector)]| t.iter().any(|e| e.0 == port);
            assert_eq!(UDP_PORT_SET.has(port), named(UDP_PORTS), "udp {port}");
            assert_eq!(TCP_PORT_SET.has(port), named(TCP_PORTS), "tcp {port}");
        }
    }

    #[test]
    fn test_line_without_printer_leaves_the_line_alone() {
        let mut w = Vec::new();
        let p = Payload {
            bytes: &[],
            declared_len: 0,
        };
        assert!(!dns::LLMNR.write_line(&mut w, &p, 0));
        assert!(w.is_empty());
    }
}
