//! Tunnels and encapsulations: headers that carry another packet (GRE,
//! VXLAN, OTV, Geneve, VXLAN-GPE, NSH, MPLS, PPPoE and PPP, L2TP, ESP and AH). Each prints its
//! own header as tcpdump does and says what follows ([`Inner`]); the line
//! printer then prints that inner packet as a line of its own would be
//! printed, and the flow view follows it to the conversation inside.
//!
//! Found by IP protocol, UDP port or EtherType as the other dissectors
//! are (here in one table, [`TUNNELS`]), but kept apart from
//! [`super::Dissector`]: a tunnel's printer hands back the bytes it
//! carries instead of ending the line. Nesting is bounded by the caller ([`MAX_DEPTH`]), each header by
//! its own length checks.

mod etherip;
mod gre;
mod ipsec;
pub(in crate::dissect) use ipsec::esp_text;
mod l2tp;
mod l2tp_avp;
mod mpls;
mod nsh;
mod pim_register;
mod ppp;
mod ppp_cp;
mod ppp_payload;
mod udp_overlay;
mod vxlan_gpe;

pub use ipsec::{after_ah, ah_cut_jumps, ah_len, write_ah};
pub(crate) use ppp::control_json as ppp_control_json;
pub use ppp::{PPP, PPP_HDLC_LINK, PPP_LINK, PPPOE};

pub use ppp_payload::hdlc_unescape;
pub(crate) use ppp_payload::type_name as ppp_name;

use super::port_set::PortSet;
use super::{IpVersion, Over, Payload, Truncated};
use serde_json::Value;

/// How many encapsulations deep printers and the flow view follow (each
/// level is at least a few bytes, so a crafted packet could nest hundreds).
pub const MAX_DEPTH: u8 = 4;

/// What an encapsulation says it carries.
#[derive(Clone, Copy)]
pub enum Kind {
    /// An Ethernet frame (VXLAN, Geneve and GRE's transparent bridging).
    Ethernet,
    /// An IP packet, v4 or v6 as its first nibble says (the carrier said
    /// IPv4, or did not say).
    Ip,
    /// The same where the carrier said IPv6 (a packet cut before its first
    /// byte is marked ` [|ip6]`).
    Ip6,
    /// Another encapsulation (MPLS in GRE, PPP in PPPoE or L2TP).
    Encap(&'static Tunnel),
    /// An ISO CLNS PDU (PPP's OSI, GRE's 0x00fe), for the CLNS printer
    /// LLC's SAP 0xfe uses.
    Osi,
    /// A message one of the dissectors prints (AppleTalk in GRE, IPX in
    /// PPP), as after its EtherType on Ethernet.
    Dissected(&'static crate::dissect::Dissector),
    /// HDLC-escaped bytes ([`hdlc_unescape`]) to print, once un-escaped,
    /// with the tunnel's printer (a PPP frame whose framing was never
    /// undone). The flow view does not follow them.
    Escaped(&'static Tunnel),
    /// Bytes tcpdump prints in hex: with their ASCII (its "default
    /// print", which `-x` and `-X` replace by their dump) or not (its
    /// unknown-data hex, printed whatever the flags), and the mark the
    /// default print adds when the capture cut them (empty: none).
    Hex { ascii: bool, cut_mark: &'static str },
}

/// The packet inside: what it is, its bytes as captured, and its length on
/// the wire as the carrying headers say.
#[derive(Clone, Copy)]
pub struct Inner<'a> {
    pub kind: Kind,
    pub bytes: &'a [u8],
    pub wire_len: usize,
}

/// What a tunnel's printer leaves to the caller: the packet to print next
/// (none: the line is complete), and what to write after it (L2TP's `}`).
pub struct Printed<'a> {
    pub inner: Option<Inner<'a>>,
    pub close: &'static str,
}

impl<'a> Printed<'a> {
    fn done() -> Printed<'a> {
        Printed {
            inner: None,
            close: "",
        }
    }

    fn then(kind: Kind, bytes: &'a [u8], wire_len: usize) -> Printed<'a> {
        Printed {
            inner: Some(Inner {
                kind,
                bytes,
                wire_len,
            }),
            close: "",
        }
    }
}

/// How a header is printed: the `-v` level (0: the default line), and
/// `-e`, under which tcpdump names the protocol a header carries (GRE's
/// and Geneve's `proto IPv4 (0x0800)`, PPP's `IP (0x0021), length 40: `).
#[derive(Clone, Copy, Debug, Default)]
pub struct Level {
    pub verbose: u8,
    pub eflag: bool,
}

impl From<u8> for Level {
    fn from(verbose: u8) -> Level {
        Level {
            verbose,
            eflag: false,
        }
    }
}

/// Writes the header's text at a [`Level`]; the separator before the
/// inner packet is the printer's (tcpdump's differ: `: `, a new line, a
/// tab).
pub type TunnelFn = for<'a> fn(&mut Vec<u8>, &Payload<'a>, Level) -> Result<Printed<'a>, Truncated>;

/// One encapsulation, as printers and the flow view see it.
pub struct Tunnel {
    /// tcpdump's name, the one in ` [|name]`.
    pub name: &'static str,
    /// Its key in the `--json` list of tunnel layers.
    pub json_key: &'static str,
    pub line: TunnelFn,
    /// The header's fields for `--json` (as far as they were captured).
    pub json: fn(&Payload<'_>) -> Value,
    /// Whether tcpdump's printer, finding this header cut by the capture,
    /// jumps out of the packet (its `GET_` macros' `longjmp`, after which
    /// the `-x` dump starts at the first byte) rather than returning
    /// after its own check (`ND_TCHECK`: the dump starts where it always
    /// does).
    pub cut_jumps: fn(&Payload<'_>) -> bool,
}

/// [`Tunnel::cut_jumps`] of the printers that read with `GET_` macros.
fn jumps(_: &Payload<'_>) -> bool {
    true
}

/// [`Tunnel::cut_jumps`] of the printers that check before reading.
fn returns(_: &Payload<'_>) -> bool {
    false
}

impl Tunnel {
    /// A tunnel whose tcpdump name is also its JSON key.
    pub const fn new(
        name: &'static str,
        line: TunnelFn,
        json: fn(&Payload<'_>) -> Value,
    ) -> Tunnel {
        Tunnel {
            name,
            json_key: name,
            line,
            json,
            cut_jumps: jumps,
        }
    }

    /// The same tunnel whose printer returns where the capture cut its
    /// header (see [`Tunnel::cut_jumps`]).
    const fn returning_when_cut(self) -> Tunnel {
        Tunnel {
            cut_jumps: returns,
            ..self
        }
    }

    /// The same with its own rule for a cut header.
    const fn when_cut(self, cut_jumps: fn(&Payload<'_>) -> bool) -> Tunnel {
        Tunnel { cut_jumps, ..self }
    }

    /// Print the header; ` [|name]` when the capture cut it (`Err`: as
    /// tcpdump, the printer gives up on the whole packet there).
    pub fn write<'a>(
        &self,
        w: &mut Vec<u8>,
        p: &Payload<'a>,
        level: impl Into<Level>,
    ) -> Result<Printed<'a>, Truncated> {
        super::nested::entered(self.name);
        (self.line)(w, p, level.into()).inspect_err(|_| {
            w.extend_from_slice(b" [|");
            w.extend_from_slice(self.name.as_bytes());
            w.push(b']');
        })
    }

    /// What the header carries, without printing it (the flow view's way).
    pub fn inner<'a>(&self, p: &Payload<'a>) -> Option<Inner<'a>> {
        let mut scratch = Vec::new();
        (self.line)(&mut scratch, p, Level::default()).ok()?.inner
    }
}

/// Where a tunnel is found.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// An IP protocol number, over the versions of IP it is decoded over.
    IpProto(u8, Over),
    UdpPort(u16),
    /// Also what GRE and Geneve carry.
    EtherType(u16),
}

/// Every tunnel by where it is found, in one table; UDP ports in
/// tcpdump's order of precedence.
static TUNNELS: &[(Key, &Tunnel)] = &[
    (Key::IpProto(47, Over::Both), &gre::GRE),
    (Key::IpProto(50, Over::Both), &ipsec::ESP),
    (Key::IpProto(51, Over::Both), &ipsec::AH),
    (
        Key::IpProto(143, Over::Only(IpVersion::V6)),
        &etherip::ETHERIP,
    ),
    (Key::UdpPort(1701), &l2tp::L2TP),
    (Key::UdpPort(8472), &udp_overlay::OTV),
    (Key::UdpPort(4789), &udp_overlay::VXLAN),
    (Key::UdpPort(6081), &udp_overlay::GENEVE),
    (Key::UdpPort(4790), &vxlan_gpe::VXLAN_GPE),
    (Key::UdpPort(6635), &mpls::MPLS),
    (Key::EtherType(0x8847), &mpls::MPLS),
    (Key::EtherType(0x8848), &mpls::MPLS),
    (Key::EtherType(0x8863), &ppp::PPPOE),
    (Key::EtherType(0x8864), &ppp::PPPOE),
    // 3Com's pre-standard PPPoE EtherTypes (discovery, session), which
    // tcpdump's EtherType printer takes for PPPoE's.
    (Key::EtherType(0x3c12), &ppp::PPPOE),
    (Key::EtherType(0x3c13), &ppp::PPPOE),
    (Key::EtherType(0x880b), &ppp::PPP_ETHER),
    (Key::EtherType(0x894f), &nsh::NSH),
];

/// Every UDP port of [`TUNNELS`], a bit each: [`udp`]'s quick answer.
static UDP_TUNNEL_PORTS: PortSet = {
    let mut set = PortSet::EMPTY;
    let mut i = 0;
    while i < TUNNELS.len() {
        if let Key::UdpPort(p) = TUNNELS[i].0 {
            set = set.with(p);
        }
        i += 1;
    }
    set
};

/// The first tunnel whose key `at` accepts.
fn find(at: impl Fn(Key) -> bool) -> Option<&'static Tunnel> {
    TUNNELS.iter().find(|(k, _)| at(*k)).map(|(_, t)| *t)
}

/// The tunnel registered as IP protocol `proto`, over whichever version
/// of IP (what the mutation tests feed; a printer dispatching a payload
/// asks [`ip_proto_over`]).
pub fn ip_proto(proto: u8) -> Option<&'static Tunnel> {
    find(|k| matches!(k, Key::IpProto(p, _) if p == proto))
}

/// The tunnel carried as IP protocol `proto` by IP of version `over` (IP
/// in IP is the IP printer's).
pub fn ip_proto_over(proto: u8, over: IpVersion) -> Option<&'static Tunnel> {
    find(|k| matches!(k, Key::IpProto(p, o) if p == proto && o.admits(over)))
}

/// The version of IP a tunnel's protocol number requires, when carried by
/// the other one (tcpdump's `[Ethernet requires IPv6] (invalid)`).
pub fn ip_proto_requires(proto: u8, over: IpVersion) -> Option<IpVersion> {
    TUNNELS.iter().find_map(|(k, _)| match *k {
        Key::IpProto(p, o) if p == proto => o.requires(over),
        _ => None,
    })
}

/// The UDP ports (either one) whose printers tcpdump's `udp_print` tries
/// before L2TP's: DNS, mDNS, TFTP, BOOTP, Kerberos, NTP, SNMP, ISAKMP and
/// its NAT traversal, RIP, timed, AODV. Found from tcpdump 4.99 itself:
/// a VXLAN payload between each tunnel port and every other port.
const BEFORE_L2TP: &[u16] = &[
    53, 5353, 69, 67, 68, 88, 750, 123, 161, 162, 500, 4500, 7500, 8500, 520, 525, 654,
];

/// … and after L2TP's but before VXLAN's, Geneve's and MPLS's: syslog,
/// RIPng, DHCPv6, RADIUS, LDP, OLSR, LMP, lwres, VQP, Zephyr, LSP ping,
/// SIP, AHCP, sFlow, Babel, AFS's RX, HNCP, OTV, LWAPP, Cisco Auto-RP.
const BEFORE_OVERLAYS: &[u16] = &[
    496, 514, 521, 546, 547, 646, 698, 701, 921, 1589, 1645, 1646, 1700, 1812, 1813, 2103, 2104,
    3503, 3799, 5060, 5359, 6343, 6696, 6697, 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008,
    7009, 8231, 8472, 12222, 12223,
];

/// … the same tried by destination port only (HSRP, VAT, BFD control,
/// echo, multihop and BFD over LAG, whiteboard) …
const BEFORE_OVERLAYS_DST: &[u16] = &[1985, 3456, 3784, 3785, 4567, 4784, 6784];

/// … by source port only (Broadcom's LI shim) …
const BEFORE_OVERLAYS_SRC: &[u16] = &[super::bcm_li::PORT];

/// … and after VXLAN's and Geneve's but before MPLS in UDP: LISP control,
/// VXLAN-GPE, ZigBee's ZEP.
const BEFORE_MPLS_UDP: &[u16] = &[4342, 4790, 17754];

/// … of which LISP control comes before VXLAN-GPE too.
const BEFORE_VXLAN_GPE: &[u16] = &[4342];

/// The tunnel an IP payload of protocol `proto` (carried by IP of version
/// `over`) is: [`ip_proto_over`]'s, or
/// a PIM Register, which carries a multicast packet to the rendezvous
/// point (PIM's other messages are the PIM dissector's alone).
pub fn ip_payload(proto: u8, over: IpVersion, p: &Payload<'_>) -> Option<&'static Tunnel> {
    match proto {
        103 if pim_register::is_register(p.bytes) => Some(&pim_register::PIM_REGISTER),
        _ => ip_proto_over(proto, over),
    }
}

/// The tunnel on a UDP port, in tcpdump's order: where tcpdump's own
/// order of UDP printers reaches another protocol's port first (SNMP from
/// port 161 to VXLAN's 4789 is SNMP), none; the tunnel ports among
/// themselves in [`TUNNELS`]' order.
pub fn udp(sport: u16, dport: u16) -> Option<&'static Tunnel> {
    // `-T vxlan` makes every datagram VXLAN; any other type leaves no
    // tunnel to a port (tcpdump's UDP printer asks the type first).
    match crate::dissect::packet_type::get() {
        Some(crate::dissect::packet_type::PacketType::Vxlan) => return Some(&udp_overlay::VXLAN),
        Some(_) => return None,
        None => {}
    }
    // Nearly every datagram is on no tunnel's port: one look each into a
    // bitmap, not a walk over the table (the flow view asks this of
    // every UDP packet, twice under `read --threads`).
    if !UDP_TUNNEL_PORTS.either(sport, dport) {
        return None;
    }
    let t = find(|k| k == Key::UdpPort(sport) || k == Key::UdpPort(dport))?;
    // A port of the lists below that is the tunnel's own (OTV's 8472 comes
    // before VXLAN's) does not count against it.
    let own = |p: u16| find(|k| k == Key::UdpPort(p)).is_some_and(|o| std::ptr::eq(o, t));
    let either = |ports: &[u16]| ports.iter().any(|&p| (p == sport || p == dport) && !own(p));
    let overlay = !std::ptr::eq(t, &l2tp::L2TP);
    let earlier = either(BEFORE_L2TP)
        || (overlay
            && (either(BEFORE_OVERLAYS)
                || BEFORE_OVERLAYS_DST.contains(&dport)
                || BEFORE_OVERLAYS_SRC.contains(&sport)))
        || (std::ptr::eq(t, &mpls::MPLS) && either(BEFORE_MPLS_UDP))
        || (std::ptr::eq(t, &vxlan_gpe::VXLAN_GPE) && either(BEFORE_VXLAN_GPE));
    (!earlier).then_some(t)
}

/// The encapsulation an EtherType names.
pub fn ethertype(t: u16) -> Option<&'static Tunnel> {
    find(|k| k == Key::EtherType(t))
}

/// The encapsulation an EtherType names when an OSI NLPID stood for it
/// (LLC SAP 0xfe, ATM's Cisco NLPID): tcpdump's ISO printer hands PPP's
/// 0xcf straight to the PPP printer, without the EtherType printer's `: `.
pub fn behind_nlpid(t: u16) -> Option<&'static Tunnel> {
    match t {
        0x880b => Some(&ppp::PPP),
        _ => ethertype(t),
    }
}

/// What an ISO CLNS PDU whose NLPID is IP's, IPv6's or PPP's carries:
/// tcpdump's ISO printer hands the bytes after the NLPID to those
/// printers (PPP's with its own header words).
pub fn behind_osi_nlpid(nlpid: u8) -> Option<Kind> {
    match crate::decode::wlan::nlpid_ether_type(nlpid)? {
        0x0800 => Some(Kind::Ip),
        0x86dd => Some(Kind::Ip6),
        t => behind_nlpid(t).map(Kind::Encap),
    }
}

/// What an EtherType carried inside a tunnel is, for the ones tcpdump
/// follows there (IP, IPv6, transparent Ethernet bridging, MPLS).
fn by_ethertype(t: u16) -> Option<Kind> {
    match t {
        0x0800 => Some(Kind::Ip),
        0x86dd => Some(Kind::Ip6),
        0x6558 => Some(Kind::Ethernet),
        // PPP straight after an EtherType is the Ethernet printer's
        // (`: ` first); GRE version 0 calls 0x880b `gre-proto-0x880b`.
        0x880b => None,
        _ => ethertype(t).map(Kind::Encap),
    }
}

/// The innermost IP packet a tunnel carries (through at most
/// [`MAX_DEPTH`] encapsulations, and the VLAN tags of an inner Ethernet
/// frame), for the flow view: flows are the conversations inside.
pub fn innermost_ip<'a>(t: &'static Tunnel, p: Payload<'a>) -> Option<&'a [u8]> {
    let mut inner = t.inner(&p)?;
    for _ in 0..MAX_DEPTH {
        match inner.kind {
            Kind::Ip | Kind::Ip6 => return Some(inner.bytes),
            Kind::Hex { .. } | Kind::Osi | Kind::Dissected(_) | Kind::Escaped(_) => return None,
            Kind::Ethernet => {
                let (t, rest) = ether_payload(inner.bytes)?;
                match by_ethertype(t)? {
                    Kind::Ip | Kind::Ip6 => return Some(rest),
                    Kind::Ethernet
                    | Kind::Hex { .. }
                    | Kind::Osi
                    | Kind::Dissected(_)
                    | Kind::Escaped(_) => {
                        return None;
                    }
                    Kind::Encap(t) => {
                        inner = t.inner(&Payload {
                            bytes: rest,
                            declared_len: rest.len(),
                        })?;
                    }
                }
            }
            Kind::Encap(t) => {
                inner = t.inner(&Payload {
                    bytes: inner.bytes,
                    declared_len: inner.wire_len,
                })?;
            }
        }
    }
    None
}

/// An Ethernet frame's EtherType after up to two VLAN tags, and what
/// follows it.
fn ether_payload(frame: &[u8]) -> Option<(u16, &[u8])> {
    use super::wire::u16_at;
    let mut t = u16_at(frame, 12).ok()?;
    let mut at = 14;
    for _ in 0..2 {
        if !matches!(t, 0x8100 | 0x88a8 | 0x9100 | 0x9200) {
            break;
        }
        t = u16_at(frame, at + 2).ok()?;
        at += 4;
    }
    Some((t, frame.get(at..)?))
}

/// tcpdump's separator before the inner packet: `: ` on the default line,
/// a new line and a tab under `-v`.
fn demarc(w: &mut Vec<u8>, verbose: u8) {
    w.extend_from_slice(if verbose == 0 { b": " } else { b"\n\t" });
}

/// `-e`'s `, proto NAME (0x…)` for the EtherType a header carries
/// (GRE's, Geneve's).
fn put_proto(w: &mut Vec<u8>, level: Level, proto: u16) {
    if level.eflag {
        w.extend_from_slice(b", proto ");
        w.extend_from_slice(
            crate::decode::names::ether_type(proto)
                .unwrap_or("unknown")
                .as_bytes(),
        );
        w.extend_from_slice(format!(" (0x{proto:04x})").as_bytes());
    }
}

/// Lower-case hex, as tcpdump's `%x`.
fn put_hex(w: &mut Vec<u8>, n: u32) {
    super::Code::put(super::Hex(n), w);
}

/// What `t` prints of `m` (declared as long as it is) at `level` (a `-v`
/// count, or a [`Level`] with `-e`).
#[cfg(test)]
fn printed(t: &Tunnel, m: &[u8], level: impl Into<Level>) -> String {
    printed_cut(t, m, m.len(), level)
}

/// What `t` prints of the captured `bytes` of a message `declared_len`
/// long, at `level`.
#[cfg(test)]
fn printed_cut(t: &Tunnel, bytes: &[u8], declared_len: usize, level: impl Into<Level>) -> String {
    let mut w = Vec::new();
    let p = Payload {
        bytes,
        declared_len,
    };
    let _ = t.write(&mut w, &p, level);
    String::from_utf8_lossy(&w).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tables() {
        let (v4, v6) = (IpVersion::V4, IpVersion::V6);
        assert_eq!(ip_proto_over(47, v4).map(|t| t.name), Some("gre"));
        assert_eq!(udp(4789, 1).map(|t| t.name), Some("vxlan"));
        assert_eq!(ethertype(0x8864).map(|t| t.name), Some("pppoe"));
        assert!(ip_proto(6).is_none() && udp(53, 1).is_none() && ethertype(0x800).is_none());
        // An Ethernet frame is IPv6's only: over IPv4 tcpdump refuses it.
        assert_eq!(ip_proto_over(143, v6).map(|t| t.name), Some("ether"));
        assert!(ip_proto_over(143, v4).is_none() && ip_proto(143).is_some());
        assert_eq!(ip_proto_requires(143, v4), Some(v6));
        assert_eq!(ip_proto_requires(143, v6), None);
        // tcpdump's order of UDP printers: SNMP before VXLAN, L2TP before
        // VXLAN, VXLAN before syslog's port only as a destination rule
        // allows, BFD by destination port only.
        assert!(udp(161, 4789).is_none() && udp(4789, 53).is_none());
        assert_eq!(udp(1701, 4789).map(|t| t.name), Some("l2tp"));
        assert_eq!(udp(514, 1701).map(|t| t.name), Some("l2tp"));
        assert!(udp(514, 4789).is_none());
        assert!(udp(4789, 3784).is_none());
        assert_eq!(udp(3784, 4789).map(|t| t.name), Some("vxlan"));
        assert_eq!(udp(4342, 6081).map(|t| t.name), Some("geneve"));
        assert!(udp(4342, 6635).is_none());
        assert_eq!(udp(6635, 4789).map(|t| t.name), Some("vxlan"));
        // OTV after syslog, before VXLAN.
        assert_eq!(udp(40000, 8472).map(|t| t.name), Some("otv"));
        assert_eq!(udp(8472, 4789).map(|t| t.name), Some("otv"));
        assert_eq!(udp(4790, 8472).map(|t| t.name), Some("otv"));
        assert!(udp(514, 8472).is_none() && udp(8472, 1985).is_none());
        assert_eq!(udp(1701, 8472).map(|t| t.name), Some("l2tp"));
        // VXLAN-GPE after VXLAN, Geneve and LISP, before ZEP and MPLS.
        assert_eq!(udp(4790, 4789).map(|t| t.name), Some("vxlan"));
        assert_eq!(udp(6081, 4790).map(|t| t.name), Some("geneve"));
        assert!(udp(4342, 4790).is_none() && udp(4790, 1985).is_none());
        assert_eq!(udp(4790, 17754).map(|t| t.name), Some("vxlan_gpe"));
        assert_eq!(udp(6635, 4790).map(|t| t.name), Some("vxlan_gpe"));
    }

    #[test]
    fn test_innermost_through_gre_and_vxlan() {
        let ip = [
            0x45u8, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        ];
        let mut gre = vec![0, 0, 0x08, 0];
        gre.extend_from_slice(&ip);
        let p = Payload {
            bytes: &gre,
            declared_len: gre.len(),
        };
        assert_eq!(innermost_ip(&gre::GRE, p), Some(&ip[..]));
        let mut vx = vec![8, 0, 0, 0, 0, 0, 42, 0];
        vx.extend_from_slice(&[0; 12]);
        vx.extend_from_slice(&[0x08, 0]);
        vx.extend_from_slice(&ip);
        let p = Payload {
            bytes: &vx,
            declared_len: vx.len(),
        };
        assert_eq!(innermost_ip(&udp_overlay::VXLAN, p), Some(&ip[..]));
        // Cut: nothing inside.
        let p = Payload {
            bytes: &vx[..5],
            declared_len: vx.len(),
        };
        assert_eq!(innermost_ip(&udp_overlay::VXLAN, p), None);
    }
}
