//! Lowers the parsed expression, for one link type, into the tests classic
//! BPF can do: loads at byte offsets, arithmetic, comparisons. The user-space
//! evaluator ([`super::eval`]) and the BPF compiler ([`super::bpf::compile`]) both
//! start from this form, so the offsets libpcap uses are written down once.
//!
//! What each primitive means follows libpcap 1.10 (`tcpdump -d` shows it):
//! `host` on IPv4 also looks inside ARP/RARP, `port` covers TCP, UDP and SCTP
//! and skips IPv4 non-first fragments, `tcp[…]` is IPv4-only, `ip6 proto`
//! looks through one fragment header, and every `vlan` moves later offsets by 4
//! (`mpls` by 4 and tests what follows the label stack, `pppoes` by 8 and
//! tests the PPP frame inside).

use std::cell::Cell;
use std::net::Ipv6Addr;

use super::syntax::ast::*;
use crate::packet::{LinkType, SLL2_HEADER_LEN};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    K(u32),
    /// The wire length of the packet.
    Len,
    /// Big-endian load of 1, 2 or 4 bytes at the computed offset.
    Load(u8, Box<Val>),
    /// `4 * (pkt[off] & 0xf)`: the IPv4 header length (BPF's `ldxb msh`).
    Msh(u32),
    Bin(ArOp, Box<Val>, Box<Val>),
    /// One of two values by a bit test (libpcap's header-length code for
    /// 802.11 and radiotap branches so).
    Cond(Box<Choice>),
}

/// `then` when `cmp` holds between `test` and `k` (a bit test for the
/// 802.11 header lengths, an equality for Geneve's inner protocol),
/// `other` otherwise; only the chosen side is computed (and loaded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub test: Val,
    pub cmp: Cmp,
    pub k: u32,
    pub then: Val,
    pub other: Val,
}

/// Comparisons BPF can jump on (the others are their negations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Gt,
    Ge,
    /// `(a & b) != 0`
    Set,
}

impl Cmp {
    pub fn test(self, a: u32, b: u32) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Set => a & b != 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Const(bool),
    /// All must hold, tested in order (flat: long filters stay shallow).
    And(Vec<Node>),
    /// One must hold, tested in order.
    Or(Vec<Node>),
    Not(Box<Node>),
    Test(Cmp, Val, Val),
}

/// Why an expression has no meaning on a link type (as tcpdump refuses it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LowerError {
    /// libpcap names the link type by its description (`Raw IP`).
    #[error("no VLAN support for {}", .0.description())]
    NoVlan(LinkType),
    /// `vlan` after `mpls` (libpcap's words).
    #[error("no VLAN match after MPLS")]
    VlanAfterMpls,
    /// `vlan` after `pppoes`: the link is PPP there (libpcap's words).
    #[error("no VLAN support for PPP")]
    VlanAfterPppoes,
    /// `mpls` where the link has no MPLS ethertype libpcap tests
    /// (libpcap's words, with its description of the link type).
    #[error("no MPLS support for {}", .0.description())]
    NoMpls(LinkType),
    /// A test of something other than IPv4 or IPv6 after `mpls`
    /// (libpcap's words).
    #[error("unsupported protocol over mpls")]
    UnsupportedOverMpls,
    /// `mpls` inside `pppoes`, or `pppoes` on a link sockscope does not
    /// follow it on.
    #[error("'{0}' is not supported by sockscope after this encapsulation, or on {1}")]
    EncapUnsupported(&'static str, LinkType),
    /// `inbound`/`outbound` where the link has no direction (libpcap's
    /// words, with its description of the link type).
    #[error("inbound/outbound not supported on {} when reading savefiles", .0.description())]
    NoDirection(LinkType),
    /// A word libpcap refuses on every link type sockscope reads (its
    /// message).
    #[error("{0}")]
    Refused(&'static str),
    /// `what` (`'ether host'` …) needs an Ethernet header.
    #[error("{what} is supported only on Ethernet, not on {link}")]
    EthernetOnly { what: &'static str, link: LinkType },
    /// 802.11 types, subtypes and address fields elsewhere (libpcap's
    /// words).
    #[error("802.11 link-layer types supported only on 802.11")]
    WlanOnly,
    /// `dir` elsewhere (libpcap's words).
    #[error("frame direction supported only with 802.11 headers")]
    WlanDirOnly,
    /// libpcap's OSI words off the links whose frames start with LLC at
    /// a known place (sockscope tests them only there; `llc` on Ethernet
    /// too).
    #[error(
        "'{what}' is supported by sockscope only on 802.11, radiotap, Token Ring, FDDI and RFC 1483 ATM, not on {link}"
    )]
    WlanLlcOnly { what: String, link: LinkType },
    /// MAC addresses where the link has none (libpcap's words).
    #[error(
        "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel"
    )]
    NoMacAddresses,
    /// `ether broadcast` where the link has no addresses (libpcap's words).
    #[error("not a broadcast link")]
    NotBroadcast,
    /// `ether multicast` where the link has no addresses (libpcap's words).
    #[error(
        "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel"
    )]
    NoLinkMulticast,
    /// `llc` (and its frame kinds) where libpcap has no LLC test: every
    /// link type sockscope reads but Ethernet and 802.11 (libpcap's
    /// words, with its description of the link type).
    #[error("'llc' not supported for {}", .0.description())]
    LlcNotSupported(LinkType),
    #[error("link type {0} is not supported by the filter")]
    UnsupportedLink(LinkType),
    /// Constant arithmetic that divides by zero.
    #[error("division by zero")]
    DivisionByZero,
}

type LResult<T> = Result<T, LowerError>;

// Constructors that fold constants, so `arp` on raw IP becomes `false`
// and never reaches the compiler as dead code.
pub fn and(a: Node, b: Node) -> Node {
    chain(a, b, true)
}

pub fn or(a: Node, b: Node) -> Node {
    chain(a, b, false)
}

/// `a and b` (`conj`) or `a or b`, flattened into one list and folded where
/// a side is constant: `true` is and's identity and or's absorbing value,
/// `false` the other way round.
fn chain(a: Node, b: Node, conj: bool) -> Node {
    // The value that decides the whole chain (false for and, true for or).
    let absorbing = !conj;
    let (a, b) = match (a, b) {
        (Node::Const(c), _) if c == absorbing => return Node::Const(absorbing),
        (Node::Const(_), b) => return b,
        (a, Node::Const(c)) if c != absorbing => return a,
        // `a and false` still evaluates `a` first in BPF, but `a` only loads
        // header bytes whose failure would also reject: false either way.
        // Not so for `a or true`: a failed load in `a` rejects, so it stays.
        (_, Node::Const(false)) if conj => return Node::Const(false),
        pair => pair,
    };
    let list = |n: Node| match n {
        Node::And(v) if conj => Ok(v),
        Node::Or(v) if !conj => Ok(v),
        other => Err(other),
    };
    let v = match (list(a), list(b)) {
        (Ok(mut v), Ok(w)) => {
            v.extend(w);
            v
        }
        (Ok(mut v), Err(b)) => {
            v.push(b);
            v
        }
        (Err(a), Ok(mut w)) => {
            w.insert(0, a);
            w
        }
        (Err(a), Err(b)) => vec![a, b],
    };
    if conj { Node::And(v) } else { Node::Or(v) }
}

pub fn not(a: Node) -> Node {
    match a {
        Node::Const(c) => Node::Const(!c),
        Node::Not(inner) => *inner,
        a => Node::Not(Box::new(a)),
    }
}

fn test(c: Cmp, a: Val, k: u32) -> Node {
    Node::Test(c, a, Val::K(k))
}

fn ld(size: u8, off: u32) -> Val {
    Val::Load(size, Box::new(Val::K(off)))
}

fn add(a: Val, b: Val) -> Val {
    match (a, b) {
        (Val::K(x), Val::K(y)) => Val::K(x.wrapping_add(y)),
        (a, Val::K(0)) => a,
        (Val::K(0), b) => b,
        // Keep constants on the right so the compiler finds `x + k`.
        (Val::K(x), b) => Val::Bin(ArOp::Add, Box::new(b), Box::new(Val::K(x))),
        (Val::Bin(ArOp::Add, a, k), Val::K(y)) if matches!(*k, Val::K(_)) => {
            let Val::K(x) = *k else { unreachable!() };
            Val::Bin(ArOp::Add, a, Box::new(Val::K(x.wrapping_add(y))))
        }
        (a, b) => Val::Bin(ArOp::Add, Box::new(a), Box::new(b)),
    }
}

/// Where a Geneve packet's inner protocol type field and network layer
/// start (computed from the packet).
struct Inner {
    type_at: Val,
    nl: Val,
}

/// Where the link layer says what it carries, and where the network layer starts.
struct Link {
    link: LinkType,
    vlan: u8,
    /// MPLS labels before the network layer.
    mpls: u8,
    /// A PPPoE session header (and PPP's protocol) before it.
    pppoes: bool,
    /// Where a Geneve packet's inner protocol type and network layer
    /// are (after `geneve`).
    geneve: Option<Inner>,
    /// Set when a test asked for a protocol libpcap cannot find after
    /// `mpls` (anything but IPv4 and IPv6): the primitive is refused.
    over_mpls_refused: Cell<bool>,
    /// The Ethernet frame of a SunATM LANE record (after `lane`): the
    /// link-layer tests first check that it is no LE control frame.
    lane: bool,
}

const ETH_IP: u16 = 0x0800;
const ETH_IP6: u16 = 0x86dd;
const ETH_ARP: u16 = 0x0806;
const ETH_RARP: u16 = 0x8035;
const ETH_MPLS: u16 = 0x8847;

/// The serial link types the filter knows besides the LAN ones: PPP,
/// PPP in HDLC framing, Cisco HDLC and Frame Relay.
const PPP: u32 = 9;
const PPP_SERIAL: u32 = 50;
/// The OSI NLPIDs libpcap's `iso` tests on Frame Relay: CLNP, ES-IS,
/// IS-IS.
const FR_OSI_NLPIDS: [u32; 3] = [0x81, 0x82, 0x83];

/// pppd's PPP with a direction byte first (0 in, 1 out): libpcap compiles
/// it as PPP over serial, and `inbound`/`outbound` on that byte.
const PPP_PPPD: u32 = crate::decode::link_more::PPP_PPPD;
/// PPPoE without its Ethernet header: PPP's protocol after the six-byte
/// PPPoE header (libpcap assumes a two-byte one, without address and
/// control).
const PPP_ETHER: u32 = 51;
const C_HDLC: u32 = 104;
const FRELAY: u32 = 107;
/// pf's logs: the network layer after a header whose length is its
/// first byte (padded to four), by address family (the second).
const PFLOG: u32 = 117;
const IPNET: u32 = crate::decode::ipnet::IPNET;
/// OpenBSD's enc(4): the network layer after its 12-byte header, by the
/// address family in its first word (compared as written on a
/// little-endian host, as libpcap compiles it).
const ENC: u32 = crate::decode::enc::ENC;
/// Symantec's firewall: an EtherType at byte 6 of a 44-byte header.
const SYMANTEC: u32 = crate::decode::link_more::SYMANTEC;
/// BSD/OS SLIP: libpcap tests the version nibble of the record's first
/// byte (its header's) and reads the network layer at 24 (tcpdump
/// prints from 16).
const SLIP_BSDOS: u32 = crate::decode::link_more::SLIP_BSDOS;
const SLIP_BSDOS_FILE: u32 = crate::decode::link_more::SLIP_BSDOS_FILE;
/// SLIP: as BSD/OS's (the version nibble of the header's first byte, its
/// direction), the network layer at 16; that byte is also the direction
/// `inbound` (0) and `outbound` test.
const SLIP: u32 = crate::decode::slip::SLIP;
/// BSD/OS PPP: PPP's protocol at byte 5 of a 24-byte header, the network
/// layer after it; IP is any of IP and VJ's compressed and uncompressed
/// TCP (0x21, 0x2d, 0x2f), as libpcap compiles it.
const PPP_BSDOS: u32 = crate::decode::link_more::PPP_BSDOS;
const PPP_BSDOS_FILE: u32 = crate::decode::link_more::PPP_BSDOS_FILE;
/// LocalTalk: no type field; libpcap's `atalk` (and EtherType 0x809b)
/// is every frame, any other protocol none; its network layer at 0.
const LTALK: u32 = crate::decode::ltalk::LTALK;
const AP1394: u32 = crate::decode::link_more::AP1394;
/// ARCNET: the type at byte 2 (BSD) or 4 (Linux), the network layer at
/// 6 or 8 (libpcap's constants, phase II's header whatever the type).
const ARCNET: u32 = crate::decode::arcnet::ARCNET;
const ARCNET_LINUX: u32 = crate::decode::arcnet::ARCNET_LINUX;

/// The links whose frames carry an LLC PDU at a fixed place: Token Ring
/// (after its 14-byte header: libpcap ignores a source route), FDDI
/// (after 13), RFC 1483 ATM (at once; 100 is its number in files).
const TOKEN_RING: u32 = 6;
const FDDI: u32 = 10;
const ATM_RFC1483: u32 = 11;
const ATM_RFC1483_FILE: u32 = 100;
const ATM_CLIP: u32 = crate::decode::rings::ATM_CLIP;
const ATM_CLIP_FILE: u32 = crate::decode::rings::ATM_CLIP_FILE;
/// IP over Fibre Channel: LLC after its 16-byte header, the MAC
/// addresses in the last six bytes of each network address.
const IPFC: u32 = crate::decode::rings::IPFC;
/// SunATM: LLC after the 4-byte pseudo-header, each test of what it
/// carries preceded by one of the traffic type (LLC's); after `lane`,
/// Ethernet's tests on the LANE frame (`lane_test`); the ATM words on
/// the pseudo-header and the signalling message (`atm_test`).
const SUNATM: u32 = crate::decode::sunatm::SUNATM;

/// The links libpcap finds MPLS on: by EtherType on Ethernet and Cisco
/// HDLC, by PPP's MPLS protocol on PPP (not PPP in HDLC framing: "no
/// MPLS support for PPP over serial").
fn has_mpls(link: LinkType) -> bool {
    matches!(link, LinkType::Ethernet | LinkType::Other(PPP | C_HDLC))
}

/// Where `link`'s LLC header starts, for the links of [`TOKEN_RING`] …
fn llc_link_at(link: LinkType) -> Option<u32> {
    match link {
        LinkType::Other(TOKEN_RING) => Some(14),
        LinkType::Other(FDDI) => Some(13),
        // libpcap compiles Classical IP's filters as RFC 1483's: LLC/SNAP
        // assumed at the first byte.
        LinkType::Other(ATM_RFC1483 | ATM_RFC1483_FILE | ATM_CLIP | ATM_CLIP_FILE) => Some(0),
        LinkType::Other(IPFC) => Some(16),
        LinkType::Other(SUNATM) => Some(crate::decode::sunatm::HEADER_LEN as u32),
        _ => None,
    }
}

/// Links libpcap knows to have no MAC addresses (refusing `ether host`,
/// `ether broadcast` and `ether multicast` in its own words): BSD's
/// loopback, raw IP, Linux's cooked headers, PPP, Cisco HDLC, Frame
/// Relay, RFC 1483 ATM, pf's logs, Solaris' ipnet, usbmon's … (Token Ring
/// and FDDI, with addresses, are asked about first by every caller.)
fn has_no_macs(link: LinkType) -> bool {
    (llc_link_at(link).is_some() && ring_macs(link).is_none())
        || matches!(
            link,
            LinkType::Null
                | LinkType::Loop
                | LinkType::Raw
                | LinkType::Ipv4
                | LinkType::Ipv6
                | LinkType::LinuxSll
                | LinkType::LinuxSll2
                | LinkType::Other(PPP | PPP_SERIAL | PPP_PPPD | PPP_ETHER | C_HDLC | FRELAY)
        )
        || matches!(
            link,
            LinkType::Other(
                PFLOG
                    | IPNET
                    | AP1394
                    | ENC
                    | SYMANTEC
                    | SLIP_BSDOS
                    | SLIP_BSDOS_FILE
                    | SLIP
                    | LTALK
                    | PPP_BSDOS
                    | PPP_BSDOS_FILE
                    | ARCNET
                    | ARCNET_LINUX
            )
        )
        || link_bytes_only(link)
        || juniper_offsets(link).is_some()
}

/// Juniper's link types that sockscope reads: where libpcap puts the
/// network layer (its link-layer payload's offset plus the network
/// layer's, constants that assume no extensions or cookie) and the
/// network layer without SNAP (OSI's NLPID). The ES and services PICs'
/// are unset (-1 each): their sum wraps to -2, as libpcap's.
fn juniper_offsets(link: LinkType) -> Option<(u32, u32)> {
    use crate::decode::juniper::{
        ATM1, ATM2, CHDLC, ES, ETHER, FRELAY, GGSN, MFR, MLFR, MLPPP, MONITOR, PPP, PPPOE,
        PPPOE_ATM, SERVICES, handles,
    };
    let LinkType::Other(n) = link else {
        return None;
    };
    if !handles(n) {
        return None;
    }
    const UNSET: u32 = u32::MAX;
    Some(match n {
        ETHER | PPPOE => (14 + 18, 14 + 21),
        PPP | CHDLC | FRELAY | MLPPP | MLFR | MFR => (4, 4u32.wrapping_add(UNSET)),
        // libpcap's non-SNAP offset for ATM1 is 10.
        ATM1 => (4, 14),
        // ATM2's: 8 and 10.
        ATM2 => (8, 18),
        GGSN | MONITOR => (12, 12u32.wrapping_add(UNSET)),
        PPPOE_ATM => (6, 6u32.wrapping_add(UNSET)),

        ES | SERVICES => (UNSET.wrapping_add(UNSET), UNSET.wrapping_add(UNSET)),
        _ => return None,
    })
}

/// Where a Token Ring or FDDI frame's destination and source addresses
/// are (ATM has none).
fn ring_macs(link: LinkType) -> Option<(u32, u32)> {
    match link {
        LinkType::Other(TOKEN_RING) => Some((2, 8)),
        LinkType::Other(FDDI) => Some((1, 7)),
        LinkType::Other(IPFC) => Some((2, 10)),
        _ => None,
    }
}

/// The PPP protocol number libpcap tests for an EtherType or an LLC SAP
/// (its `ethertype_to_ppptype`; the others are compared as they are: an
/// `ether proto 0x8847` is not PPP's MPLS, which `mpls` tests).
fn ppp_protocol(ethertype: u16) -> u16 {
    match ethertype {
        ETH_IP => 0x0021,
        ETH_IP6 => 0x0057,
        0x6003 => 0x0027,
        0x809b => 0x0029,
        0x0600 => 0x0025,
        // OSI's, spanning tree's and IPX's SAPs.
        0x00fe => 0x0023,
        0x0042 => 0x0031,
        SAP_IPX => 0x002b,
        other => other,
    }
}

/// PPP's protocol number for MPLS (unicast), which `mpls` tests.
const PPP_MPLS: u32 = 0x0281;

/// The links whose protocol field is PPP's.
fn is_ppp(link: LinkType) -> bool {
    matches!(
        link,
        LinkType::Other(PPP | PPP_SERIAL | PPP_PPPD | PPP_ETHER | PPP_BSDOS | PPP_BSDOS_FILE)
    )
}

/// The ethertype of a network-layer protocol (`None` for the others).
fn ethertype(p: Proto) -> Option<u16> {
    match p {
        Proto::Ip => Some(ETH_IP),
        Proto::Ip6 => Some(ETH_IP6),
        Proto::Arp => Some(ETH_ARP),
        Proto::Rarp => Some(ETH_RARP),
        _ => None,
    }
}

impl Link {
    fn new(link: LinkType, encap: Encap) -> LResult<Link> {
        // libpcap's VLAN code knows 802.11's link types, not PPI.
        if encap.vlan > 0 && link != LinkType::Ethernet && !has_wlan_words(link) {
            return Err(LowerError::NoVlan(link));
        }
        if encap.mpls > 0 && !has_mpls(link) {
            return Err(LowerError::NoMpls(link));
        }
        // The PPPoE header is followed where the network layer is at a
        // constant place (802.11's is not, nor pf's, whose offset libpcap
        // loses there: it reads a scratch word it never stored). On Frame
        // Relay libpcap's network layer is at 0, so the PPPoE words read
        // the frame's bytes 6 on, as it does (`pppoes` itself is false).
        if encap.pppoes && (is_wlan(link) || matches!(link, LinkType::Other(PFLOG))) {
            return Err(LowerError::EncapUnsupported("pppoes", link));
        }
        let mut l = Link {
            link,
            vlan: encap.vlan,
            mpls: encap.mpls,
            pppoes: encap.pppoes,
            geneve: None,
            over_mpls_refused: Cell::new(false),
            // `lane` is refused on every link type but SunATM, whose
            // primitives after it are lowered as Ethernet's.
            lane: encap.lane && link == LinkType::Ethernet,
        };
        if encap.geneve {
            l.geneve = Some(l.geneve_inner()?);
        }
        match link {
            LinkType::Other(
                PPP | PPP_SERIAL | PPP_PPPD | PPP_ETHER | C_HDLC | FRELAY | PFLOG | IPNET | AP1394
                | ENC | SYMANTEC | SLIP_BSDOS | SLIP_BSDOS_FILE | SLIP | LTALK | PPP_BSDOS
                | PPP_BSDOS_FILE | IEEE802_11 | IEEE802_11_RADIO | ARCNET | ARCNET_LINUX,
            ) => Ok(l),
            _ if is_wlan(link) => Ok(l),
            _ if juniper_offsets(link).is_some() => Ok(l),
            LinkType::Other(_) if llc_link_at(link).is_some() || link_bytes_only(link) => Ok(l),

            LinkType::Other(_) => Err(LowerError::UnsupportedLink(link)),
            _ => Ok(l),
        }
    }

    /// Where Geneve's payload is: libpcap's UDP header is past 4 * IHL
    /// bytes of IPv4 or 40 of IPv6 (by the link's test for IPv4, so links
    /// whose test is one comparison); the inner protocol type is the
    /// Geneve header's, or an inner Ethernet frame's (protocol 0x6558),
    /// after options of 4 * (first byte & 0x3f) bytes.
    fn geneve_inner(&self) -> LResult<Inner> {
        let refuse = || LowerError::EncapUnsupported("geneve", self.link);
        // A link that carries no IP (LocalTalk): `geneve` holds for no
        // packet, so what follows it reads nowhere that matters.
        if let (Node::Const(false), Node::Const(false)) = (self.is(ETH_IP), self.is(ETH_IP6)) {
            return Ok(Inner {
                type_at: Val::K(0),
                nl: Val::K(0),
            });
        }
        let Val::K(nl) = self.nl_val() else {
            return Err(refuse());
        };
        let cond = |test: Val, k: u32, then: Val, other: Val| {
            Val::Cond(Box::new(Choice {
                test,
                cmp: Cmp::Eq,
                k,
                then,
                other,
            }))
        };
        // The IP header's length: IPv4's by its IHL, else IPv6's 40; by
        // the link's one comparison for IPv4, or (BSD/OS PPP, whose IPv4
        // is any of three protocols) its one for IPv6 the other way round:
        // the packets `geneve` holds for are one or the other.
        // The comparison of the type itself: the last of the link's tests
        // (SunATM's traffic type and LANE's LE header come first).
        let last = |n: Node| match n {
            Node::And(mut all) => all.pop().unwrap_or(Node::Const(false)),
            n => n,
        };
        let ip_len = match (last(self.is(ETH_IP)), last(self.is(ETH_IP6))) {
            (Node::Test(Cmp::Eq, v4_test, Val::K(v4)), _) => {
                cond(v4_test, v4, Val::Msh(nl), Val::K(40))
            }
            (_, Node::Test(Cmp::Eq, v6_test, Val::K(v6))) => {
                cond(v6_test, v6, Val::K(40), Val::Msh(nl))
            }
            // Links of one IP version (IPv4's 228, IPv6's 229).
            (Node::Const(true), _) => Val::Msh(nl),
            (_, Node::Const(true)) => Val::K(40),
            _ => return Err(refuse()),
        };
        let geneve = add(ip_len, Val::K(nl.wrapping_add(8)));
        let options = Val::Bin(
            ArOp::Mul,
            Box::new(Val::Bin(
                ArOp::And,
                Box::new(Val::Load(1, Box::new(geneve.clone()))),
                Box::new(Val::K(0x3f)),
            )),
            Box::new(Val::K(4)),
        );
        let payload = Val::Bin(
            ArOp::Add,
            Box::new(add(geneve.clone(), Val::K(8))),
            Box::new(options),
        );
        let protocol = Val::Load(2, Box::new(add(geneve.clone(), Val::K(2))));
        const TRANSPARENT_ETHERNET: u32 = 0x6558;
        Ok(Inner {
            type_at: cond(
                protocol.clone(),
                TRANSPARENT_ETHERNET,
                add(payload.clone(), Val::K(12)),
                add(geneve, Val::K(2)),
            ),
            nl: cond(
                protocol,
                TRANSPARENT_ETHERNET,
                add(payload.clone(), Val::K(14)),
                payload,
            ),
        })
    }

    /// libpcap's `geneve [vni]`: first-fragment IPv4 UDP, or IPv6 UDP
    /// right after the fixed header, to port 6081, Geneve version 0.
    fn geneve(&self, vni: Option<u32>) -> Node {
        let header = |udp: &dyn Fn(u32) -> Val| {
            let mut n = and(
                test(Cmp::Eq, Val::Load(2, Box::new(udp(2))), 6081),
                not(Node::Test(
                    Cmp::Set,
                    Val::Load(1, Box::new(udp(8))),
                    Val::K(0xc0),
                )),
            );
            if let Some(vni) = vni {
                let bits = Val::Bin(
                    ArOp::And,
                    Box::new(Val::Load(4, Box::new(udp(12)))),
                    Box::new(Val::K(0xffff_ff00)),
                );
                n = and(n, Node::Test(Cmp::Eq, bits, Val::K(vni << 8)));
            }
            // libpcap then reads the options' length and the protocol
            // type (to find the inner packet) whatever follows: a header
            // the capture cut before them rejects the packet, as those
            // loads do. A test that always holds once the type is read.
            let protocol = Val::Load(2, Box::new(udp(10)));
            let read = Val::Bin(ArOp::Mul, Box::new(protocol), Box::new(Val::K(0)));
            and(n, test(Cmp::Eq, read, 0))
        };
        let v4 = and(
            and(self.ip_proto(17), self.first_frag()),
            header(&|off| self.ip_payload(Val::K(off))),
        );
        let v6 = and(
            and(self.is(ETH_IP6), test(Cmp::Eq, self.at(1, 6), 17)),
            header(&|off| add(self.nl_val(), Val::K(40 + off))),
        );
        or(v4, v6)
    }

    /// The refusal a test after `mpls` asked for, if any.
    fn checked(&self, n: Node) -> LResult<Node> {
        if self.over_mpls_refused.get() {
            Err(LowerError::UnsupportedOverMpls)
        } else {
            Ok(n)
        }
    }

    /// Offset of the network-layer header: a constant, or computed from
    /// the packet's own header lengths (802.11, radiotap).
    fn nl_val(&self) -> Val {
        if let Some(inner) = &self.geneve {
            return inner.nl.clone();
        }
        match self.link {
            _ if is_wlan(self.link) => {
                add(wlan_header(self.link), Val::K(8 + 4 * self.vlan as u32))
            }
            LinkType::Other(PFLOG) => {
                let len = add(ld(1, 0), Val::K(3));
                Val::Bin(ArOp::And, Box::new(len), Box::new(Val::K(!3)))
            }
            _ => Val::K(self.nl()),
        }
    }

    /// A load of `size` bytes at `off` past the network layer's start.
    fn at(&self, size: u8, off: u32) -> Val {
        Val::Load(size, Box::new(add(self.nl_val(), Val::K(off))))
    }

    /// Offset of the network-layer header where it is a constant: past
    /// the link header, MPLS labels and a PPPoE session header.
    fn nl(&self) -> u32 {
        // Wrapping: libpcap's offsets are unsigned, and Juniper's ES and
        // services PICs have none set (-1 each, the network layer at -2).
        self.link_nl()
            .wrapping_add(4 * u32::from(self.mpls))
            .wrapping_add(if self.pppoes { 8 } else { 0 })
    }

    /// Offset of what the link header says it carries.
    fn link_nl(&self) -> u32 {
        match self.link {
            LinkType::Ethernet => 14 + 4 * self.vlan as u32,
            LinkType::LinuxSll => 16,
            LinkType::LinuxSll2 => SLL2_HEADER_LEN as u32,
            LinkType::Null | LinkType::Loop => 4,
            // Address, control, then a two-byte protocol.
            LinkType::Other(PPP | PPP_SERIAL | PPP_PPPD | C_HDLC) => 4,
            LinkType::Other(PPP_ETHER) => 8,
            LinkType::Other(IPNET) => crate::decode::ipnet::HEADER_LEN as u32,
            LinkType::Other(ENC) => crate::decode::enc::HEADER_LEN as u32,
            LinkType::Other(SYMANTEC) => crate::decode::link_more::SYMANTEC_LEN as u32,
            LinkType::Other(SLIP_BSDOS | SLIP_BSDOS_FILE) => 24,
            LinkType::Other(SLIP) => crate::decode::slip::HEADER_LEN as u32,
            LinkType::Other(PPP_BSDOS | PPP_BSDOS_FILE) => 24,
            LinkType::Other(AP1394) => crate::decode::link_more::AP1394_LEN as u32,
            LinkType::Other(ARCNET) => 6,
            LinkType::Other(ARCNET_LINUX) => 8,
            _ if let Some((nl, _)) = juniper_offsets(self.link) => nl,
            // After the LLC and SNAP headers.
            _ if let Some(at) = llc_link_at(self.link) => at + 8,
            // libpcap leaves Frame Relay's network layer at 0 (its loads
            // read the Q.922 header): matching counts need the same.
            _ => 0,
        }
    }

    /// "The network layer is `ethertype`".
    fn is(&self, ethertype: u16) -> Node {
        if let Some(inner) = &self.geneve {
            let at = Val::Load(2, Box::new(inner.type_at.clone()));
            return Node::Test(Cmp::Eq, at, Val::K(u32::from(ethertype)));
        }
        if self.mpls > 0 {
            return self.mpls_is(ethertype);
        }
        if self.pppoes {
            return self.pppoe_is(ethertype);
        }
        let et = ethertype as u32;
        match self.link {
            LinkType::Ethernet => {
                let n = ether_linktype(12 + 4 * self.vlan as u32, ethertype);
                self.lane_data(n)
            }
            LinkType::LinuxSll => sll_linktype(ethertype),
            LinkType::LinuxSll2 => test(Cmp::Eq, ld(2, 0), et),
            LinkType::Raw | LinkType::Other(SLIP_BSDOS | SLIP_BSDOS_FILE | SLIP) => {
                let version = match ethertype {
                    ETH_IP => 0x40,
                    ETH_IP6 => 0x60,
                    _ => return Node::Const(false),
                };
                let nibble = Val::Bin(ArOp::And, Box::new(ld(1, 0)), Box::new(Val::K(0xf0)));
                Node::Test(Cmp::Eq, nibble, Val::K(version))
            }
            LinkType::Ipv4 => Node::Const(ethertype == ETH_IP),
            LinkType::Other(LTALK) => Node::Const(ethertype == ETH_ATALK),
            // Juniper's: libpcap tests the magic number alone, whatever
            // the protocol.
            _ if juniper_offsets(self.link).is_some() => Node::Test(
                Cmp::Eq,
                Val::Bin(ArOp::And, Box::new(ld(4, 0)), Box::new(Val::K(0xffff_ff00))),
                Val::K(0x4d47_4300),
            ),
            LinkType::Ipv6 => Node::Const(ethertype == ETH_IP6),
            LinkType::Null | LinkType::Loop | LinkType::Other(ENC) => {
                // BSD address families; NULL and enc(4) store them in the
                // writer's byte order (little-endian hosts, as libpcap on
                // one assumes), LOOP in network order.
                let fams: &[u32] = match ethertype {
                    ETH_IP => &[2],
                    ETH_IP6 => &[30, 24, 28],
                    _ => return Node::Const(false),
                };
                let mut n = Node::Const(false);
                for &f in fams {
                    let v = if self.link != LinkType::Loop {
                        f.swap_bytes()
                    } else {
                        f
                    };
                    n = or(n, test(Cmp::Eq, ld(4, 0), v));
                }
                n
            }
            LinkType::Other(PPP | PPP_SERIAL | PPP_PPPD) => {
                test(Cmp::Eq, ld(2, 2), u32::from(ppp_protocol(ethertype)))
            }
            LinkType::Other(PPP_ETHER) => {
                test(Cmp::Eq, ld(2, 6), u32::from(ppp_protocol(ethertype)))
            }
            LinkType::Other(PPP_BSDOS | PPP_BSDOS_FILE) => match ethertype {
                ETH_IP => [0x21, 0x2d, 0x2f]
                    .into_iter()
                    .fold(Node::Const(false), |n, p| or(n, test(Cmp::Eq, ld(2, 5), p))),
                _ => test(Cmp::Eq, ld(2, 5), u32::from(ppp_protocol(ethertype))),
            },
            // OSI's SAP as the pair of them, one half-word (libpcap
            // compares every other value as it is).
            LinkType::Other(C_HDLC) if ethertype == 0xfe => test(Cmp::Eq, ld(2, 2), 0xfefe),
            LinkType::Other(C_HDLC) => test(Cmp::Eq, ld(2, 2), et),
            LinkType::Other(SYMANTEC) => test(Cmp::Eq, ld(2, 6), et),
            // After the two EUI-64 addresses.
            LinkType::Other(AP1394) => test(Cmp::Eq, ld(2, 16), et),
            // The type byte: IP and ARP of RFC 1051 too.
            LinkType::Other(ARCNET | ARCNET_LINUX) => {
                let at = if self.link == LinkType::Other(ARCNET) {
                    2
                } else {
                    4
                };
                let kinds: &[u32] = match ethertype {
                    ETH_IP => &[0xd4, 0xf0],
                    ETH_ARP => &[0xd5, 0xf1],
                    ETH_RARP => &[0xd6],
                    ETH_IP6 => &[0xc4],
                    0x809b => &[0xdd],
                    _ => return Node::Const(false),
                };
                kinds.iter().fold(Node::Const(false), |n, &k| {
                    or(n, test(Cmp::Eq, ld(1, at), k))
                })
            }
            // Q.922 control 0x03 and the NLPID, read as one half-word.
            LinkType::Other(FRELAY) => match ethertype {
                ETH_IP => test(Cmp::Eq, ld(2, 2), 0x03cc),
                ETH_IP6 => test(Cmp::Eq, ld(2, 2), 0x038e),
                // OSI: the NLPIDs of CLNP, ES-IS and IS-IS.
                0xfe => FR_OSI_NLPIDS.iter().fold(Node::Const(false), |n, &id| {
                    or(n, test(Cmp::Eq, ld(2, 2), 0x0300 | id))
                }),
                _ => Node::Const(false),
            },
            // The address family: BSD's AF_INET, and for IPv6 the one
            // of the system libpcap was built on (Linux's 10, which no
            // pf writes: `ip6` selects no IPv6 record of a BSD's log).
            LinkType::Other(PFLOG) => match ethertype {
                ETH_IP => test(Cmp::Eq, ld(1, 1), 2),
                ETH_IP6 => test(Cmp::Eq, ld(1, 1), 10),
                _ => Node::Const(false),
            },
            // Solaris' address families.
            LinkType::Other(IPNET) => match ethertype {
                ETH_IP => test(Cmp::Eq, ld(1, 1), u32::from(crate::decode::ipnet::AF_INET)),
                ETH_IP6 => test(Cmp::Eq, ld(1, 1), u32::from(crate::decode::ipnet::AF_INET6)),
                _ => Node::Const(false),
            },
            // A data frame (libpcap reads the LLC/SNAP header's type
            // without checking the header itself).
            _ if is_wlan(self.link) => and(self.wlan_data(), self.wlan_llc_is(ethertype)),
            // LLC traffic (libpcap tests the type first).
            LinkType::Other(SUNATM) => {
                and(sunatm_traffic(TRAFFIC_LLC), self.wlan_llc_is(ethertype))
            }
            // Every frame is taken for an LLC frame.
            LinkType::Other(_) if llc_link_at(self.link).is_some() => self.wlan_llc_is(ethertype),
            LinkType::Other(_) => Node::Const(false),
        }
    }

    /// `n` on a SunATM LANE record's Ethernet frame (after `lane`): first
    /// its LE header is no control frame's (libpcap's
    /// `gen_prevlinkhdr_check`), the two bytes before the frame.
    fn lane_data(&self, n: Node) -> Node {
        if !self.lane {
            return n;
        }
        let le_header = 0u32.wrapping_sub(crate::decode::sunatm::LE_HEADER_LEN as u32);
        let control = u32::from(crate::decode::sunatm::LE_CONTROL);
        and(not(test(Cmp::Eq, ld(2, le_header), control)), n)
    }

    /// After `mpls`: the last label has the bottom-of-stack bit and the
    /// version nibble after it is IPv4's or IPv6's (libpcap knows no
    /// other protocol there).
    fn mpls_is(&self, ethertype: u16) -> Node {
        let version = match ethertype {
            ETH_IP => 0x40,
            ETH_IP6 => 0x60,
            _ => {
                self.over_mpls_refused.set(true);
                return Node::Const(false);
            }
        };
        let nl = self.nl();
        let nibble = Val::Bin(ArOp::And, Box::new(ld(1, nl)), Box::new(Val::K(0xf0)));
        and(
            test(Cmp::Set, ld(1, nl - 2), 1),
            Node::Test(Cmp::Eq, nibble, Val::K(version)),
        )
    }

    /// After `pppoes`: PPP's protocol field, the two bytes before the
    /// network layer (on the links whose PPPoE sockscope follows).
    fn pppoe_is(&self, ethertype: u16) -> Node {
        match self.link {
            // Only IP there: no PPPoE frame is either.
            LinkType::Raw
            | LinkType::Ipv4
            | LinkType::Ipv6
            | LinkType::Null
            | LinkType::Loop
            | LinkType::Other(IPNET) => Node::Const(false),
            _ => test(
                Cmp::Eq,
                ld(2, self.nl().wrapping_sub(2)),
                u32::from(ppp_protocol(ethertype)),
            ),
        }
    }

    /// libpcap's `gen_llc_linktype` on an 802.11 data frame's body
    /// (past any VLAN tags), or a Token Ring, FDDI or ATM frame's LLC PDU: the SAP pairs of IP, OSI and NetBEUI as one
    /// half-word, other SAPs (values up to 1500) as the DSAP byte,
    /// AppleTalk as its whole SNAP header (the type's word loaded first,
    /// as libpcap does), other ethertypes as SNAP's type.
    fn wlan_llc_is(&self, ethertype: u16) -> Node {
        let et = u32::from(ethertype);
        match ethertype {
            0x06 | 0xfe | 0xf0 => Node::Test(Cmp::Eq, self.llc_body(2, 0), Val::K((et << 8) | et)),
            0x809b => and(
                Node::Test(Cmp::Eq, self.llc_body(4, 4), Val::K(0x0007_809b)),
                Node::Test(Cmp::Eq, self.llc_body(4, 0), Val::K(0xaaaa_0308)),
            ),
            ..=1500 => Node::Test(Cmp::Eq, self.llc_body(1, 0), Val::K(et)),
            _ => Node::Test(Cmp::Eq, self.llc_body(2, 6), Val::K(et)),
        }
    }

    /// A load of `size` bytes at `off` into an 802.11 frame's body (its
    /// LLC header), past any VLAN tags; or into the LLC PDU of a link of
    /// [`llc_link_at`].
    fn llc_body(&self, size: u8, off: u32) -> Val {
        if let Some(at) = llc_link_at(self.link) {
            return Val::Load(size, Box::new(Val::K(at + off)));
        }
        let at = add(wlan_header(self.link), Val::K(off + 4 * self.vlan as u32));
        Val::Load(size, Box::new(at))
    }

    /// An 802.11 data frame (libpcap's `llc`).
    /// libpcap's `llc` on Ethernet: the type field is an 802.3 length,
    /// and the frame is not Novell's "raw" 802.3 IPX.
    fn ether_llc(&self) -> Node {
        let type_at = 12 + 4 * self.vlan as u32;
        and(
            not(test(Cmp::Gt, ld(2, type_at), 1500)),
            not(test(Cmp::Eq, self.at(2, 0), 0xffff)),
        )
    }

    fn wlan_data(&self) -> Node {
        let fc = wlan_byte0(self.link);
        and(
            not(Node::Test(Cmp::Set, fc.clone(), Val::K(4))),
            Node::Test(Cmp::Set, fc, Val::K(8)),
        )
    }

    /// libpcap's words for an EtherType or an LLC SAP (`ipx`, `atalk` …)
    /// are tested where our lowering is libpcap's: 802.11, Ethernet, the
    /// Linux cooked headers, and the links that carry only IP (where
    /// they select nothing); elsewhere `what` is refused.
    fn require_link_proto(&self, what: String) -> LResult<()> {
        match self.link {
            LinkType::Ethernet | LinkType::LinuxSll | LinkType::LinuxSll2 => Ok(()),
            _ if self.only_ip() => Ok(()),
            // libpcap compares every protocol word with the EtherType;
            // ARCNET's type byte names AppleTalk and none of the others;
            // LocalTalk is AppleTalk alone; PPP's protocol field names
            // some of them (libpcap's `ethertype_to_ppptype`), Cisco
            // HDLC's is compared with each.
            LinkType::Other(SYMANTEC | ARCNET | ARCNET_LINUX | LTALK | C_HDLC) => Ok(()),
            // Apple's IP over FireWire: its type field, also for the
            // SAP words (`stp` is type 0x42, libpcap's default case).
            LinkType::Other(AP1394) => Ok(()),
            _ if juniper_offsets(self.link).is_some() => Ok(()),
            _ if is_ppp(self.link) => Ok(()),
            // Frame Relay's NLPIDs name OSI and IP alone: every other word
            // is false there.
            LinkType::Other(FRELAY) => Ok(()),
            _ => self.require_wlan(what),
        }
    }

    /// Whether the link carries IP alone (raw IP, the BSD loopbacks and
    /// enc(4), SLIP, pf's and Solaris' logs): libpcap's test for any other
    /// protocol is false there, and an expression of one alone rejects
    /// all packets (`is` gives the false).
    fn only_ip(&self) -> bool {
        matches!(
            self.link,
            LinkType::Raw
                | LinkType::Ipv4
                | LinkType::Ipv6
                | LinkType::Null
                | LinkType::Loop
                | LinkType::Other(SLIP | SLIP_BSDOS | SLIP_BSDOS_FILE | ENC | PFLOG | IPNET)
        )
    }

    /// libpcap's LLC and OSI words are tested on 802.11 only (elsewhere
    /// `what` is refused).
    fn require_wlan(&self, what: String) -> LResult<()> {
        if is_wlan(self.link) || llc_link_at(self.link).is_some() {
            Ok(())
        } else {
            Err(LowerError::WlanLlcOnly {
                what,
                link: self.link,
            })
        }
    }

    fn require_ethernet(&self, what: &'static str) -> LResult<()> {
        if self.link == LinkType::Ethernet {
            Ok(())
        } else {
            Err(LowerError::EthernetOnly {
                what,
                link: self.link,
            })
        }
    }

    fn ip_proto(&self, p: u8) -> Node {
        and(self.is(ETH_IP), test(Cmp::Eq, self.at(1, 9), p as u32))
    }

    fn ip6_proto(&self, p: u8) -> Node {
        let direct = test(Cmp::Eq, self.at(1, 6), p as u32);
        let frag = and(
            test(Cmp::Eq, self.at(1, 6), 44),
            test(Cmp::Eq, self.at(1, 40), p as u32),
        );
        and(self.is(ETH_IP6), or(direct, frag))
    }

    /// Not an IPv4 fragment after the first (libpcap's `gen_ipfrag`).
    fn first_frag(&self) -> Node {
        not(test(Cmp::Set, self.at(2, 6), 0x1fff))
    }

    /// Start of the IPv4 payload: `nl + 4 * IHL`.
    fn ip_payload(&self, off: Val) -> Val {
        match self.nl_val() {
            Val::K(nl) => add(Val::Msh(nl), add(off, Val::K(nl))),
            nl => {
                let ihl = Val::Bin(ArOp::And, Box::new(self.at(1, 0)), Box::new(Val::K(0xf)));
                let ihl = Val::Bin(ArOp::Lsh, Box::new(ihl), Box::new(Val::K(2)));
                add(add(ihl, nl), off)
            }
        }
    }
}

/// LLC SAPs libpcap tests as the DSAP and SSAP pair (IP, OSI, NetBEUI),
/// and IPX's, which it also finds by EtherType, SNAP and raw 802.3.
const SAP_PAIRS: [u16; 3] = [0x06, 0xfe, 0xf0];
const SAP_IPX: u16 = 0xe0;
const ETH_IPX: u32 = 0x8137;
const ETH_ATALK: u16 = 0x809b;
const ETH_AARP: u16 = 0x80f3;

/// The frame is 802.3 (its type field is a length): libpcap's `jgt
/// #0x5dc` taken the other way.
fn is_8023(type_at: u32) -> Node {
    not(test(Cmp::Gt, ld(2, type_at), 1500))
}

/// SNAP with this first word (`aaaa03` and the OUI's first byte) and
/// second (the OUI's last two bytes and the EtherType), read at `llc` in
/// libpcap's order: the second word first.
fn snap_is(llc: u32, first: u32, second: u32) -> Node {
    and(
        test(Cmp::Eq, ld(4, llc + 4), second),
        test(Cmp::Eq, ld(4, llc), first),
    )
}

/// AppleTalk's and AARP's SNAP headers (OUI 080007 and 000000).
fn snap_of(ethertype: u16) -> (u32, u32) {
    match ethertype {
        ETH_ATALK => (0xaaaa_0308, 0x0007_0000 | u32::from(ethertype)),
        _ => (0xaaaa_0300, u32::from(ethertype)),
    }
}

/// libpcap's `gen_ether_linktype` with the type field at `type_at`: a
/// value up to 1500 is an LLC SAP (the DSAP byte of an 802.3 frame; IP's,
/// OSI's and NetBEUI's both SAPs; IPX's also Ethernet II, SNAP and raw
/// 802.3), AppleTalk and AARP are found in SNAP too, any other value is
/// the EtherType.
fn ether_linktype(type_at: u32, ethertype: u16) -> Node {
    let llc = type_at + 2;
    let et = u32::from(ethertype);
    let eq = |size, off, k| test(Cmp::Eq, ld(size, off), k);
    match ethertype {
        t if SAP_PAIRS.contains(&t) => and(is_8023(type_at), eq(2, llc, (et << 8) | et)),
        SAP_IPX => or(
            eq(2, type_at, ETH_IPX),
            and(
                is_8023(type_at),
                or(
                    snap_is(llc, 0xaaaa_0300, ETH_IPX),
                    or(eq(1, llc, et), eq(2, llc, 0xffff)),
                ),
            ),
        ),
        ETH_ATALK | ETH_AARP => {
            let (first, second) = snap_of(ethertype);
            or(
                eq(2, type_at, et),
                and(is_8023(type_at), snap_is(llc, first, second)),
            )
        }
        ..=1500 => and(is_8023(type_at), eq(1, llc, et)),
        _ => eq(2, type_at, et),
    }
}

/// libpcap's `gen_linux_sll_linktype`: the cooked header's protocol at
/// 14 says 802.2 (4) for an LLC frame, 802.3 (1) for raw IPX.
fn sll_linktype(ethertype: u16) -> Node {
    const P_802_3: u32 = 1;
    const P_802_2: u32 = 4;
    let et = u32::from(ethertype);
    let eq = |size, off, k| test(Cmp::Eq, ld(size, off), k);
    let llc = |n: Node| and(eq(2, 14, P_802_2), n);
    match ethertype {
        t if SAP_PAIRS.contains(&t) => llc(eq(2, 16, (et << 8) | et)),
        SAP_IPX => or(
            or(eq(2, 14, ETH_IPX), eq(2, 14, P_802_3)),
            llc(or(eq(1, 16, et), snap_is(16, 0xaaaa_0300, ETH_IPX))),
        ),
        ETH_ATALK | ETH_AARP => {
            let (first, second) = snap_of(ethertype);
            or(eq(2, 14, et), llc(snap_is(16, first, second)))
        }
        ..=1500 => llc(eq(1, 16, et)),
        _ => eq(2, 14, et),
    }
}

/// 802.11 and 802.11 with radiotap, as libpcap numbers them.
const IEEE802_11: u32 = 105;
const IEEE802_11_RADIO: u32 = 127;

/// Prism's, AVS's and PPI's link types, which libpcap filters as 802.11
/// after the header.
const PRISM_HEADER: u32 = 119;
const IEEE802_11_RADIO_AVS: u32 = 163;
const PPI: u32 = 192;

/// Where the 802.11 frame starts: 0; radiotap's or PPI's little-endian
/// length; AVS's big-endian one; in link type 119, AVS's when the first
/// word looks like its cookie (libpcap masks the version off), else
/// Prism's 144.
fn wlan_start(link: LinkType) -> Val {
    let le16 = |at: u32| {
        let hi = Val::Bin(ArOp::Lsh, Box::new(ld(1, at + 1)), Box::new(Val::K(8)));
        Val::Bin(ArOp::Or, Box::new(hi), Box::new(ld(1, at)))
    };
    match link {
        LinkType::Other(IEEE802_11_RADIO | PPI) => le16(2),
        LinkType::Other(IEEE802_11_RADIO_AVS) => ld(4, 4),
        LinkType::Other(PRISM_HEADER) => {
            let cookie = Val::Bin(ArOp::And, Box::new(ld(4, 0)), Box::new(Val::K(0xffff_f000)));
            Val::Cond(Box::new(Choice {
                test: cookie,
                cmp: Cmp::Eq,
                k: 0x8021_1000,
                then: ld(4, 4),
                other: Val::K(144),
            }))
        }
        _ => Val::K(0),
    }
}

/// The 802.11 frame control's first byte (version, type, subtype).
fn wlan_byte0(link: LinkType) -> Val {
    Val::Load(1, Box::new(wlan_start(link)))
}

/// Where the 802.11 frame's body starts, as libpcap reckons it: 24 bytes
/// of MAC header (a fourth address is not counted), two more for a QoS
/// data frame; with radiotap, after its header, the whole rounded up to
/// four bytes when its flags (read only when the first present word has
/// them and no second word follows) say the frame is padded.
fn wlan_header(link: LinkType) -> Val {
    let fc = wlan_byte0(link);
    let cond = |test: Val, mask: u32, then: Val, other: Val| {
        Val::Cond(Box::new(Choice {
            test,
            cmp: Cmp::Set,
            k: mask,
            then,
            other,
        }))
    };
    let qos = cond(
        fc.clone(),
        8,
        cond(
            fc.clone(),
            4,
            Val::K(0),
            cond(fc, 0x80, Val::K(2), Val::K(0)),
        ),
        Val::K(0),
    );
    let base = add(add(wlan_start(link), Val::K(24)), qos);
    if link != LinkType::Other(IEEE802_11_RADIO) {
        return base;
    }
    // The first present word, loaded big-endian: bit 1 (flags) is
    // 0x02000000, bit 0 (TSFT, which puts the flags at 16) 0x01000000,
    // bit 31 (another word follows) 0x80.
    let present = ld(4, 4);
    let flags = cond(present.clone(), 0x0100_0000, ld(1, 16), ld(1, 8));
    let rounded = Val::Bin(
        ArOp::And,
        Box::new(add(base.clone(), Val::K(3))),
        Box::new(Val::K(!3)),
    );
    cond(
        present.clone(),
        0x0200_0000,
        cond(
            present,
            0x80,
            base.clone(),
            cond(flags, 0x20, rounded, base.clone()),
        ),
        base,
    )
}

fn dir_pair(dir: Dir, src: Node, dst: Node) -> Node {
    match dir {
        Dir::Src => src,
        Dir::Dst => dst,
        Dir::Any | Dir::SrcOrDst => or(src, dst),
        Dir::SrcAndDst => and(src, dst),
        // The parser takes these with MAC addresses only, which lower
        // through `wlan_addr`.
        Dir::Addr(_) | Dir::Ra | Dir::Ta => Node::Const(false),
    }
}

/// usbmon's, Bluetooth HCI's, the vsock monitor's, IEEE 802.15.4's (195,
/// 230 and TAP's 283) and FRF.16 multilink Frame Relay's link types:
/// libpcap filters them by `link[]`, `len`, `greater` and `less` alone
/// (nothing follows the header it could find).
fn is_arcnet(link: LinkType) -> bool {
    matches!(link, LinkType::Other(ARCNET | ARCNET_LINUX))
}

fn link_bytes_only(link: LinkType) -> bool {
    crate::decode::usb::handles(link.number())
        || matches!(
            link.number(),
            BLUETOOTH_H4_PHDR | VSOCK | WPAN | WPAN_NOFCS | WPAN_TAP | MFR
        )
}

const BLUETOOTH_H4_PHDR: u32 = crate::decode::link_more::BLUETOOTH_H4_PHDR;
const VSOCK: u32 = crate::decode::vsock::VSOCK;
const WPAN: u32 = crate::decode::link_more::IEEE802_15_4;
const WPAN_NOFCS: u32 = crate::decode::link_more::IEEE802_15_4_NOFCS;
const WPAN_TAP: u32 = crate::decode::link_more::IEEE802_15_4_TAP;
const MFR: u32 = crate::decode::link_more::MFR;

/// libpcap's words for every network-layer test on a usbmon capture (and
/// on the other link types of [`link_bytes_only`]).
fn link_bytes_only_refusal(link: LinkType) -> LowerError {
    LowerError::Refused(match link.number() {
        BLUETOOTH_H4_PHDR => "Bluetooth link-layer type filtering not implemented",
        VSOCK => "Linux vsock link-layer type filtering not implemented",
        WPAN | WPAN_NOFCS | WPAN_TAP => "IEEE 802.15.4 link-layer type filtering not implemented",
        MFR => "Multi-link Frame Relay link-layer type filtering not implemented",
        _ => "USB link-layer type filtering not implemented",
    })
}

/// The primitives libpcap refuses on usbmon's link types with
/// [`link_bytes_only_refusal`] (the link-layer words have their own refusals, which
/// the other links share).
fn refused_where_link_bytes_only(kind: &PrimKind) -> bool {
    matches!(
        kind,
        PrimKind::Proto(_)
            | PrimKind::Host {
                addr: HostAddr::V4(_) | HostAddr::V6(_),
                ..
            }
            | PrimKind::Net { .. }
            | PrimKind::Port { .. }
            | PrimKind::IpProto(..)
            | PrimKind::EtherProto(_)
            | PrimKind::LinkProto { .. }
            | PrimKind::Iso { .. }
            | PrimKind::PppoeDiscovery
            | PrimKind::PppoeSession(_)
            | PrimKind::Geneve(_)
            | PrimKind::IpBroadcast
            | PrimKind::IpMulticast
            | PrimKind::Ip6Multicast
    )
}

/// Whether `link` carries 802.11 frames (bare or behind a radiotap,
/// Prism, AVS or PPI header).
fn is_wlan(link: LinkType) -> bool {
    matches!(
        link,
        LinkType::Other(IEEE802_11 | IEEE802_11_RADIO | PRISM_HEADER | IEEE802_11_RADIO_AVS | PPI)
    )
}

/// Whether libpcap takes 802.11's frame-control words (`type`,
/// `subtype`, `dir`) on `link`: not on PPI.
fn has_wlan_words(link: LinkType) -> bool {
    is_wlan(link) && link != LinkType::Other(PPI)
}

/// A byte of the 802.11 frame at `off` (radiotap's length first).
fn wlan_ld(link: LinkType, size: u8, off: u32) -> Val {
    Val::Load(size, Box::new(add(wlan_start(link), Val::K(off))))
}

/// `(byte & mask) != 0` on the 802.11 frame.
fn wlan_set(link: LinkType, off: u32, mask: u32) -> Node {
    Node::Test(Cmp::Set, wlan_ld(link, 1, off), Val::K(mask))
}

/// The MAC address at `off` of the 802.11 frame is `m`.
fn wlan_mac(link: LinkType, off: u32, m: [u8; 6]) -> Node {
    let lo = u32::from_be_bytes([m[2], m[3], m[4], m[5]]);
    let hi = u16::from_be_bytes([m[0], m[1]]) as u32;
    and(
        test(Cmp::Eq, wlan_ld(link, 4, off + 2), lo),
        test(Cmp::Eq, wlan_ld(link, 2, off), hi),
    )
}

/// A control frame of subtype CTS or ACK (no second address).
fn wlan_no_addr2(link: LinkType) -> Node {
    let bits = |mask: u32| {
        Val::Bin(
            ArOp::And,
            Box::new(wlan_ld(link, 1, 0)),
            Box::new(Val::K(mask)),
        )
    };
    and(
        Node::Test(Cmp::Eq, bits(0x0c), Val::K(0x04)),
        or(
            Node::Test(Cmp::Eq, bits(0xf0), Val::K(0xc0)),
            Node::Test(Cmp::Eq, bits(0xf0), Val::K(0xd0)),
        ),
    )
}

/// The source (`src`) or destination address of an 802.11 frame as
/// libpcap finds it: none in control frames; in data frames by the DS
/// bits (source: addr2, addr3 from the DS, addr4 between APs;
/// destination: addr1, addr3 to the DS); addr2 and addr1 in management
/// frames. `at` tests the address found at an offset.
fn wlan_end(link: LinkType, src: bool, at: &dyn Fn(u32) -> Node) -> Node {
    let data = if src {
        or(
            and(
                wlan_set(link, 1, 2),
                or(
                    and(wlan_set(link, 1, 1), at(24)),
                    and(not(wlan_set(link, 1, 1)), at(16)),
                ),
            ),
            and(not(wlan_set(link, 1, 2)), at(10)),
        )
    } else {
        or(
            and(wlan_set(link, 1, 1), at(16)),
            and(not(wlan_set(link, 1, 1)), at(4)),
        )
    };
    let mgmt_at = if src { 10 } else { 4 };
    and(
        not(wlan_set(link, 0, 4)),
        or(
            and(wlan_set(link, 0, 8), data),
            and(not(wlan_set(link, 0, 8)), at(mgmt_at)),
        ),
    )
}

/// `wlan host|src|dst|addrN|ra|ta MAC` on 802.11 (libpcap's
/// `gen_wlanhostop`).
fn wlan_addr(link: LinkType, dir: Dir, m: [u8; 6]) -> Node {
    let at = |off: u32| wlan_mac(link, off, m);
    match dir {
        Dir::Src => wlan_end(link, true, &at),
        Dir::Dst => wlan_end(link, false, &at),
        Dir::Any | Dir::SrcOrDst => or(wlan_end(link, true, &at), wlan_end(link, false, &at)),
        Dir::SrcAndDst => and(wlan_end(link, true, &at), wlan_end(link, false, &at)),
        Dir::Addr(1) => at(4),
        Dir::Addr(2) => and(not(wlan_no_addr2(link)), at(10)),
        Dir::Addr(3) => {
            let ctl = Val::Bin(
                ArOp::And,
                Box::new(wlan_ld(link, 1, 0)),
                Box::new(Val::K(0x0c)),
            );
            and(not(Node::Test(Cmp::Eq, ctl, Val::K(0x04))), at(16))
        }
        Dir::Addr(_) => {
            let ds = Val::Bin(
                ArOp::And,
                Box::new(wlan_ld(link, 1, 1)),
                Box::new(Val::K(3)),
            );
            and(Node::Test(Cmp::Eq, ds, Val::K(3)), at(24))
        }
        // libpcap tests the data bit for both (so neither matches a
        // management or control frame).
        Dir::Ra => and(wlan_set(link, 0, 8), at(4)),
        Dir::Ta => and(wlan_set(link, 0, 8), at(10)),
    }
}

/// Compares 4-byte words at `off` with `addr` under `mask`, skipping words
/// whose mask is zero (libpcap's `gen_mcmp` per word).
fn words_eq(l: &Link, off: u32, addr: &[u32], mask: &[u32]) -> Node {
    let mut n = Node::Const(true);
    for (i, (&a, &m)) in addr.iter().zip(mask).enumerate() {
        if m == 0 {
            continue;
        }
        let v = l.at(4, off + 4 * i as u32);
        let v = if m == u32::MAX {
            v
        } else {
            Val::Bin(ArOp::And, Box::new(v), Box::new(Val::K(m)))
        };
        n = and(n, Node::Test(Cmp::Eq, v, Val::K(a & m)));
    }
    n
}

fn v6_words(a: Ipv6Addr) -> [u32; 4] {
    let o = a.octets();
    std::array::from_fn(|i| {
        u32::from_be_bytes([o[4 * i], o[4 * i + 1], o[4 * i + 2], o[4 * i + 3]])
    })
}

fn v6_mask(len: u8) -> [u32; 4] {
    let m: u128 = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len as u32)
    };
    v6_words(Ipv6Addr::from(m))
}

fn mac_eq(off: u32, m: [u8; 6]) -> Node {
    let lo = u32::from_be_bytes([m[2], m[3], m[4], m[5]]);
    let hi = u16::from_be_bytes([m[0], m[1]]) as u32;
    and(
        test(Cmp::Eq, ld(4, off + 2), lo),
        test(Cmp::Eq, ld(2, off), hi),
    )
}

/// IPv4 `host`/`net` against ip, arp and rarp (unless a protocol was named).
fn v4_addr(l: &Link, proto: Option<Proto>, dir: Dir, addr: u32, mask: u32) -> Node {
    let one = |src: u32, dst: u32| {
        dir_pair(
            dir,
            words_eq(l, src, &[addr], &[mask]),
            words_eq(l, dst, &[addr], &[mask]),
        )
    };
    let ip = || and(l.is(ETH_IP), one(12, 16));
    let arp = |et| and(l.is(et), one(14, 24));
    match proto {
        Some(Proto::Ip) => ip(),
        Some(Proto::Arp) => arp(ETH_ARP),
        Some(Proto::Rarp) => arp(ETH_RARP),
        _ => or(or(ip(), arp(ETH_ARP)), arp(ETH_RARP)),
    }
}

fn v6_addr(l: &Link, dir: Dir, addr: Ipv6Addr, len: u8) -> Node {
    let (a, m) = (v6_words(addr), v6_mask(len));
    and(
        l.is(ETH_IP6),
        dir_pair(dir, words_eq(l, 8, &a, &m), words_eq(l, 24, &a, &m)),
    )
}

fn port_test(at: Val, lo: u16, hi: u16, range: bool) -> Node {
    let v = Val::Load(2, Box::new(at));
    if !range {
        return Node::Test(Cmp::Eq, v, Val::K(lo as u32));
    }
    and(
        Node::Test(Cmp::Ge, v.clone(), Val::K(lo as u32)),
        not(Node::Test(Cmp::Gt, v, Val::K(hi as u32))),
    )
}

fn port(l: &Link, proto: Option<Proto>, dir: Dir, lo: u16, hi: u16, range: bool) -> Node {
    let protos: &[u8] = match proto {
        Some(Proto::Tcp) => &[6],
        Some(Proto::Udp) => &[17],
        Some(Proto::Sctp) => &[132],
        _ => &[6, 17, 132],
    };
    let any_of = |off: u32| {
        protos.iter().fold(Node::Const(false), |n, &p| {
            or(n, test(Cmp::Eq, l.at(1, off), p as u32))
        })
    };
    let v4_at = |k: u32| l.ip_payload(Val::K(k));
    let v6_at = |k: u32| add(l.nl_val(), Val::K(k));
    let v4 = and(
        and(and(l.is(ETH_IP), any_of(9)), l.first_frag()),
        dir_pair(
            dir,
            port_test(v4_at(0), lo, hi, range),
            port_test(v4_at(2), lo, hi, range),
        ),
    );
    let v6 = and(
        and(l.is(ETH_IP6), any_of(6)),
        dir_pair(
            dir,
            port_test(v6_at(40), lo, hi, range),
            port_test(v6_at(42), lo, hi, range),
        ),
    );
    or(v4, v6)
}

fn prim(p: &Prim, link: LinkType) -> LResult<Node> {
    if link == LinkType::Other(SUNATM) {
        return sunatm_prim(p);
    }
    let l = Link::new(link, p.encap)?;
    let n = prim_on(p, link, &l)?;
    let n = match &p.kind {
        // The link-layer tests that do not go through `is` check LANE's
        // LE header too.
        PrimKind::Host {
            addr: HostAddr::Mac(_),
            ..
        }
        | PrimKind::EtherBroadcast
        | PrimKind::EtherMulticast
        | PrimKind::Vlan(_) => l.lane_data(n),
        _ => n,
    };
    l.checked(n)
}

fn prim_on(p: &Prim, link: LinkType, l: &Link) -> LResult<Node> {
    if p.encap.geneve {
        // sockscope follows only the network layer into Geneve: the
        // link-layer words would test the outer frame.
        let word = match &p.kind {
            PrimKind::Vlan(_) => Some("vlan"),
            PrimKind::Mpls(_) => Some("mpls"),
            PrimKind::PppoeDiscovery => Some("pppoed"),
            PrimKind::PppoeSession(_) => Some("pppoes"),
            PrimKind::Geneve(_) => Some("geneve"),
            PrimKind::Llc(_) => Some("llc"),
            PrimKind::Iso { word, .. } | PrimKind::LinkProto { word, .. } => Some(*word),
            PrimKind::Host {
                addr: HostAddr::Mac(_),
                ..
            } => Some("ether host"),
            PrimKind::EtherBroadcast => Some("ether broadcast"),
            PrimKind::EtherMulticast => Some("ether multicast"),
            _ => None,
        };
        if let Some(word) = word {
            return Err(LowerError::EncapUnsupported(word, link));
        }
    }
    if link_bytes_only(link) && refused_where_link_bytes_only(&p.kind) {
        return Err(link_bytes_only_refusal(link));
    }
    Ok(match &p.kind {
        PrimKind::Proto(pr) => match pr {
            Proto::Ether => Node::Const(true),
            Proto::Ip | Proto::Ip6 | Proto::Arp | Proto::Rarp => {
                ethertype(*pr).map_or(Node::Const(false), |et| l.is(et))
            }
            Proto::Tcp => or(l.ip_proto(6), l.ip6_proto(6)),
            Proto::Udp => or(l.ip_proto(17), l.ip6_proto(17)),
            Proto::Sctp => or(l.ip_proto(132), l.ip6_proto(132)),
            Proto::Icmp => l.ip_proto(1),
            Proto::Igmp => l.ip_proto(2),
            Proto::Icmp6 => l.ip6_proto(58),
        },
        PrimKind::Host { proto, dir, addr } => match addr {
            HostAddr::V4(a) => v4_addr(l, *proto, *dir, u32::from(*a), u32::MAX),
            HostAddr::V6(a) => v6_addr(l, *dir, *a, 128),
            HostAddr::Mac(m) if is_wlan(link) => wlan_addr(link, *dir, *m),
            HostAddr::Mac(_) if p.encap.pppoes => return Err(LowerError::NoMacAddresses),
            HostAddr::Mac(m) => {
                if dir.is_wlan() {
                    return Err(LowerError::WlanOnly);
                }
                if let Some((dst, src)) = ring_macs(link) {
                    return Ok(dir_pair(*dir, mac_eq(src, *m), mac_eq(dst, *m)));
                }
                if has_no_macs(link) {
                    return Err(LowerError::NoMacAddresses);
                }
                l.require_ethernet("'ether host'")?;
                dir_pair(*dir, mac_eq(6, *m), mac_eq(0, *m))
            }
        },
        PrimKind::Net { proto, dir, net } => match net {
            NetAddr::V4(a, m) => v4_addr(l, *proto, *dir, u32::from(*a), u32::from(*m)),
            NetAddr::V6(a, len) => v6_addr(l, *dir, *a, *len),
        },
        PrimKind::Port {
            proto,
            dir,
            lo,
            hi,
            range,
        } => port(l, *proto, *dir, *lo, *hi, *range),
        PrimKind::IpProto(pr, n) => match pr {
            Some(Proto::Ip) => l.ip_proto(*n),
            Some(Proto::Ip6) => l.ip6_proto(*n),
            _ => or(l.ip_proto(*n), l.ip6_proto(*n)),
        },
        PrimKind::EtherProto(n) => l.is(*n),
        PrimKind::LinkProto { word, ethertype } => {
            l.require_link_proto(word.to_string())?;
            l.is(*ethertype)
        }
        PrimKind::Llc(kind) => {
            // On Ethernet: an 802.3 length (after the tags `vlan` took)
            // and not Novell's "raw" 802.3 (0xffff where the SAPs would
            // be), the control byte two bytes in; on 802.11 a data
            // frame, the control byte after the MAC header.
            let (frame, control) = if l.link == LinkType::Ethernet {
                (l.ether_llc(), l.at(1, 2))
            } else if is_wlan(l.link) {
                (l.wlan_data(), l.llc_body(1, 2))
            } else if l.link == LinkType::Other(SUNATM) {
                // SunATM's LLC traffic type.
                (sunatm_traffic(TRAFFIC_LLC), l.llc_body(1, 2))
            } else if llc_link_at(l.link).is_some()
                && !matches!(l.link, LinkType::Other(ATM_CLIP | ATM_CLIP_FILE | IPFC))
            {
                // Every frame is an LLC frame to libpcap there (Classical
                // IP's too, for every other test, but not for `llc`).
                (Node::Const(true), l.llc_body(1, 2))
            } else {
                return Err(LowerError::LlcNotSupported(l.link));
            };
            match kind {
                None => frame,
                Some((_, mask, value)) => {
                    let control = Val::Bin(
                        ArOp::And,
                        Box::new(control),
                        Box::new(Val::K(u32::from(*mask))),
                    );
                    and(
                        frame,
                        Node::Test(Cmp::Eq, control, Val::K(u32::from(*value))),
                    )
                }
            }
        }
        PrimKind::Iso {
            word,
            nlpid,
            pdu_types,
        } => {
            // The NLPID and the PDU type four bytes on: past the 3-byte
            // LLC header of an 802.3 frame; on the cooked links where
            // libpcap's network layer starts (at the LLC header: its
            // offsets do not skip it); in the LLC PDU elsewhere.
            let (nlpid_at, pdu_at) = match link {
                // UI control and the NLPID as one half-word, the PDU type
                // at libpcap's network layer (0) + 4, as it reads them.
                LinkType::Other(FRELAY) if !p.encap.pppoes => {
                    let nlpid = test(Cmp::Eq, ld(2, 2), 0x0300 | u32::from(*nlpid));
                    let pdu = pdu_types.iter().fold(Node::Const(false), |n, &t| {
                        or(n, test(Cmp::Eq, l.at(1, 4), u32::from(t)))
                    });
                    return Ok(if pdu_types.is_empty() {
                        nlpid
                    } else {
                        and(nlpid, pdu)
                    });
                }
                LinkType::Ethernet => (l.at(1, 3), l.at(1, 7)),
                // After `pppoes`: PPP's OSI, the NLPID first.
                LinkType::Other(FRELAY) => (l.at(1, 0), l.at(1, 4)),
                // Where OSI is not a protocol the link names (IP alone,
                // ARCNET's types, LocalTalk), `is(0xfe)` below is false
                // and the offsets do not matter.
                LinkType::LinuxSll
                | LinkType::LinuxSll2
                | LinkType::Other(SYMANTEC | ARCNET | ARCNET_LINUX | LTALK) => {
                    (l.at(1, 0), l.at(1, 4))
                }
                // libpcap's offset of a network layer without SNAP.
                _ if let Some((_, nosnap)) = juniper_offsets(link) => (
                    Val::Load(1, Box::new(Val::K(nosnap))),
                    Val::Load(1, Box::new(Val::K(nosnap.wrapping_add(4)))),
                ),
                _ if l.only_ip() => (l.at(1, 0), l.at(1, 4)),
                _ if is_ppp(link) => (l.at(1, 0), l.at(1, 4)),
                // OSI's "type" 0xfe, the NLPID right after it.
                LinkType::Other(AP1394) => (l.at(1, 0), l.at(1, 4)),
                // The NLPID after a byte libpcap does not test.
                LinkType::Other(C_HDLC) => (l.at(1, 1), l.at(1, 4)),
                _ => {
                    l.require_wlan(word.to_string())?;
                    (l.llc_body(1, 3), l.llc_body(1, 7))
                }
            };
            let osi = and(
                l.is(0xfe),
                Node::Test(Cmp::Eq, nlpid_at, Val::K(u32::from(*nlpid))),
            );
            let pdu = pdu_types.iter().fold(None, |any, &t| {
                let this = Node::Test(Cmp::Eq, pdu_at.clone(), Val::K(u32::from(t)));
                Some(match any {
                    None => this,
                    Some(n) => or(n, this),
                })
            });
            match pdu {
                None => osi,
                Some(pdu) => and(osi, pdu),
            }
        }
        PrimKind::Vlan(_) if p.encap.mpls > 0 => return Err(LowerError::VlanAfterMpls),
        PrimKind::Vlan(_) if p.encap.pppoes => return Err(LowerError::VlanAfterPppoes),
        // libpcap's VLAN code knows 802.11's link types, not PPI.
        PrimKind::Vlan(id) if has_wlan_words(link) => {
            // libpcap's tests of the tag's type through the data frame's
            // SNAP header, one per tag type, then the id past them.
            let tagged = [0x8100, 0x88a8, 0x9100]
                .iter()
                .fold(Node::Const(false), |n, &t| or(n, l.is(t)));
            match id {
                None => tagged,
                Some(id) => {
                    let at = add(wlan_header(link), Val::K(8 + 4 * p.encap.vlan as u32));
                    let vid = Val::Bin(
                        ArOp::And,
                        Box::new(Val::Load(2, Box::new(at))),
                        Box::new(Val::K(0xfff)),
                    );
                    and(tagged, Node::Test(Cmp::Eq, vid, Val::K(*id as u32)))
                }
            }
        }
        PrimKind::Vlan(id) => {
            if link != LinkType::Ethernet {
                return Err(LowerError::NoVlan(link));
            }
            let at = 12 + 4 * p.encap.vlan as u32;
            let tagged = [0x8100, 0x88a8, 0x9100]
                .iter()
                .fold(Node::Const(false), |n, &t| {
                    or(n, test(Cmp::Eq, ld(2, at), t))
                });
            match id {
                None => tagged,
                Some(id) => {
                    let vid = Val::Bin(ArOp::And, Box::new(ld(2, at + 2)), Box::new(Val::K(0xfff)));
                    and(tagged, Node::Test(Cmp::Eq, vid, Val::K(*id as u32)))
                }
            }
        }
        PrimKind::Mpls(label) => {
            if p.encap.pppoes {
                return Err(LowerError::EncapUnsupported("mpls", link));
            }
            if !has_mpls(link) {
                return Err(LowerError::NoMpls(link));
            }
            // The first label follows the MPLS ethertype; a later one
            // follows a label without the bottom-of-stack bit.
            let nl = l.nl();
            let stacked = if p.encap.mpls == 0 && is_ppp(link) {
                test(Cmp::Eq, ld(2, nl - 2), PPP_MPLS)
            } else if p.encap.mpls == 0 {
                l.is(ETH_MPLS)
            } else {
                not(test(Cmp::Set, ld(1, nl - 2), 1))
            };
            match label {
                None => stacked,
                Some(label) => {
                    let bits = Val::Bin(
                        ArOp::And,
                        Box::new(ld(4, nl)),
                        Box::new(Val::K(0xffff_f000)),
                    );
                    and(stacked, Node::Test(Cmp::Eq, bits, Val::K(label << 12)))
                }
            }
        }
        PrimKind::PppoeDiscovery => l.is(0x8863),
        PrimKind::Geneve(vni) => l.geneve(*vni),
        PrimKind::PppoeSession(id) => {
            let session = l.is(0x8864);
            match id {
                None => session,
                Some(id) => {
                    // The session id is the PPPoE header's second half-word.
                    let bits = Val::Bin(ArOp::And, Box::new(l.at(4, 0)), Box::new(Val::K(0xffff)));
                    and(session, Node::Test(Cmp::Eq, bits, Val::K(u32::from(*id))))
                }
            }
        }
        PrimKind::IpBroadcast => and(
            l.is(ETH_IP),
            or(
                test(Cmp::Eq, l.at(4, 16), 0),
                test(Cmp::Eq, l.at(4, 16), 0xffff_ffff),
            ),
        ),
        PrimKind::Outbound(out) => {
            // The cooked headers' packet type: 4 is "sent by us".
            let sent = match link {
                LinkType::LinuxSll => test(Cmp::Eq, ld(2, 0), 4),
                LinkType::LinuxSll2 => test(Cmp::Eq, ld(1, 10), 4),
                // pf's direction byte: 1 in, 2 out (0, both, is neither).
                LinkType::Other(PFLOG) => {
                    return Ok(test(Cmp::Eq, ld(1, PF_DIR), if *out { 2 } else { 1 }));
                }
                // SLIP's direction byte: 0 in, anything else out.
                LinkType::Other(SLIP) => {
                    let sent = test(Cmp::Eq, ld(1, 0), u32::from(crate::decode::slip::DIR_IN));
                    return Ok(if *out { not(sent) } else { sent });
                }
                // ipnet's packet type: 1 outbound, 2 inbound.
                LinkType::Other(IPNET) => {
                    return Ok(test(Cmp::Eq, ld(2, 2), if *out { 1 } else { 2 }));
                }
                // pppd's direction byte: 0 in, 1 out.
                LinkType::Other(PPP_PPPD) => {
                    return Ok(test(Cmp::Eq, ld(1, 0), u32::from(*out)));
                }
                // Juniper's flags byte after the magic: bit 0 inbound.
                _ if juniper_offsets(link).is_some() => {
                    let bit = Val::Bin(ArOp::And, Box::new(ld(1, 3)), Box::new(Val::K(1)));
                    return Ok(Node::Test(Cmp::Eq, bit, Val::K(u32::from(!*out))));
                }
                _ => return Err(LowerError::NoDirection(link)),
            };
            if *out { sent } else { not(sent) }
        }
        PrimKind::Refused { message, .. } | PrimKind::Atm { message, .. } => {
            return Err(LowerError::Refused(message));
        }
        PrimKind::Pf { test, .. } => pf_test(test, link)?,
        PrimKind::Greater(n) => Node::Test(Cmp::Ge, Val::Len, Val::K(*n)),
        PrimKind::Less(n) => not(Node::Test(Cmp::Gt, Val::Len, Val::K(*n))),
        PrimKind::EtherBroadcast if is_wlan(link) => wlan_addr(link, Dir::Dst, [0xff; 6]),
        PrimKind::EtherBroadcast if let Some((dst, _)) = ring_macs(link) => mac_eq(dst, [0xff; 6]),
        // ARCNET's broadcast address is 0, and it has no multicast.
        PrimKind::EtherBroadcast | PrimKind::EtherMulticast if is_arcnet(link) => {
            test(Cmp::Eq, ld(1, 1), 0)
        }
        PrimKind::EtherBroadcast if has_no_macs(link) => {
            return Err(LowerError::NotBroadcast);
        }
        PrimKind::EtherBroadcast => {
            l.require_ethernet("'ether broadcast'")?;
            mac_eq(0, [0xff; 6])
        }
        PrimKind::EtherMulticast if is_wlan(link) => {
            wlan_end(link, false, &|off| wlan_set(link, off, 1))
        }
        PrimKind::EtherMulticast if let Some((dst, _)) = ring_macs(link) => {
            test(Cmp::Set, ld(1, dst), 1)
        }
        PrimKind::EtherMulticast if has_no_macs(link) => {
            return Err(LowerError::NoLinkMulticast);
        }
        PrimKind::EtherMulticast => {
            l.require_ethernet("'ether multicast'")?;
            test(Cmp::Set, ld(1, 0), 1)
        }
        PrimKind::WlanType { ty, subtype } => {
            if !has_wlan_words(link) {
                return Err(LowerError::WlanOnly);
            }
            let (mask, value) = match subtype {
                Some(s) => (0xfc, u32::from(ty | s)),
                None => (0x0c, u32::from(*ty)),
            };
            let bits = Val::Bin(
                ArOp::And,
                Box::new(wlan_ld(link, 1, 0)),
                Box::new(Val::K(mask)),
            );
            Node::Test(Cmp::Eq, bits, Val::K(value))
        }
        PrimKind::WlanDir(d) => {
            if !has_wlan_words(link) {
                return Err(LowerError::WlanDirOnly);
            }
            let bits = Val::Bin(
                ArOp::And,
                Box::new(wlan_ld(link, 1, 1)),
                Box::new(Val::K(3)),
            );
            Node::Test(Cmp::Eq, bits, Val::K(*d))
        }
        PrimKind::IpMulticast => and(l.is(ETH_IP), test(Cmp::Ge, l.at(1, 16), 224)),
        PrimKind::Ip6Multicast => and(l.is(ETH_IP6), test(Cmp::Eq, l.at(1, 24), 255)),
    })
}

/// Lowers arithmetic; the protocol checks a load needs (`tcp[…]` needs IPv4
/// TCP, first fragment) are collected in `guards`.
fn arith(a: &Arith, link: LinkType, guards: &mut Vec<Node>) -> LResult<Val> {
    Ok(match a {
        Arith::Num(n) => Val::K(*n),
        Arith::Len => Val::Len,
        Arith::Neg(x) => {
            let x = arith(x, link, guards)?;
            Val::Bin(ArOp::Sub, Box::new(Val::K(0)), Box::new(x))
        }
        Arith::Bin(op, x, y) => {
            let x = arith(x, link, guards)?;
            // libpcap's gen_arth keeps only the left operand's protocol
            // checks: in `ip[2:2] - tcp[12]` the TCP check is lost and
            // tcp[12] is read from whatever follows the IPv4 header. We
            // keep that quirk so both select the same packets.
            let mut dropped = Vec::new();
            let y = arith(y, link, &mut dropped)?;
            match (*op, &x, &y) {
                (ArOp::Add, _, _) => add(x, y),
                (op, Val::K(a), Val::K(b)) => match op.apply(*a, *b) {
                    Some(v) => Val::K(v),
                    None => return Err(LowerError::DivisionByZero),
                },
                (op, _, _) => Val::Bin(op, Box::new(x), Box::new(y)),
            }
        }
        Arith::Load {
            proto,
            off,
            size,
            encap,
        } => {
            let off = arith(off, link, guards)?;
            let l = Link::new(link, *encap)?;
            let at = match proto {
                Proto::Ether if encap.geneve => {
                    return Err(LowerError::EncapUnsupported("ether[]", link));
                }
                // libpcap's link header is the 802.11 frame behind
                // Prism's, AVS's and PPI's.
                Proto::Ether
                    if is_wlan(link)
                        && !matches!(link, LinkType::Other(IEEE802_11 | IEEE802_11_RADIO)) =>
                {
                    add(off, wlan_start(link))
                }
                // libpcap's link header is PPP's protocol field after
                // `pppoes` (it pushes a PPP link there).
                Proto::Ether if encap.pppoes => add(off, Val::K(l.nl() - 2)),
                Proto::Ether => off,
                _ if link_bytes_only(link) => return Err(link_bytes_only_refusal(link)),
                Proto::Ip | Proto::Ip6 | Proto::Arp | Proto::Rarp => {
                    if let Some(et) = ethertype(*proto) {
                        guards.push(l.is(et));
                    }
                    add(off, l.nl_val())
                }
                Proto::Tcp | Proto::Udp | Proto::Icmp | Proto::Igmp | Proto::Sctp => {
                    let p = match proto {
                        Proto::Tcp => 6,
                        Proto::Udp => 17,
                        Proto::Icmp => 1,
                        Proto::Igmp => 2,
                        _ => 132,
                    };
                    guards.push(and(l.ip_proto(p), l.first_frag()));
                    l.ip_payload(off)
                }
                Proto::Icmp6 => {
                    guards.push(and(l.is(ETH_IP6), test(Cmp::Eq, l.at(1, 6), 58)));
                    add(off, add(l.nl_val(), Val::K(40)))
                }
            };
            if l.over_mpls_refused.get() {
                return Err(LowerError::UnsupportedOverMpls);
            }
            Val::Load(*size, Box::new(at))
        }
    })
}

/// SunATM's traffic type (the flags' low nibble) is `t`.
fn sunatm_traffic(t: u8) -> Node {
    let bits = Val::Bin(ArOp::And, Box::new(ld(1, 0)), Box::new(Val::K(0x0f)));
    Node::Test(Cmp::Eq, bits, Val::K(u32::from(t)))
}

const TRAFFIC_LLC: u8 = crate::decode::sunatm::TRAFFIC_LLC;
const TRAFFIC_LANE: u8 = crate::decode::sunatm::TRAFFIC_LANE;
/// Where the LANE frame's Ethernet header starts in a SunATM record:
/// libpcap's link header after `lane`.
const LANE_AT: u32 = crate::decode::sunatm::LANE_ETHERNET_AT as u32;

/// A primitive on SunATM: an ATM word on the pseudo-header; after
/// `lane`, Ethernet's primitive on the LANE frame (the ATM words too
/// are read that far in, as libpcap's link header has moved); else on
/// the LLC traffic.
fn sunatm_prim(p: &Prim) -> LResult<Node> {
    let n = match &p.kind {
        PrimKind::Atm { test, .. } => atm_test(*test),
        _ if p.encap.lane => prim(p, LinkType::Ethernet)?,
        _ => {
            let link = LinkType::Other(SUNATM);
            let l = Link::new(link, p.encap)?;
            let n = prim_on(p, link, &l)?;
            return l.checked(n);
        }
    };
    Ok(if p.encap.lane { shifted(n, LANE_AT) } else { n })
}

/// libpcap's ATM words on SunATM's pseudo-header (flags, VPI at 1, VCI
/// at 2) and the signalling message's type (byte 5 of the PDU).
fn atm_test(t: AtmTest) -> Node {
    let vpi = || ld(1, 1);
    let vci = || ld(2, 2);
    let rel = |v: Val, op: RelOp, k: u32| {
        let t = |c| Node::Test(c, v.clone(), Val::K(k));
        match op {
            // libpcap 1.10 compiles `vpi != N` as `vpi = N` (its
            // comparison loses the negation): so does ours.
            RelOp::Eq | RelOp::Ne => t(Cmp::Eq),
            RelOp::Gt => t(Cmp::Gt),
            RelOp::Ge => t(Cmp::Ge),
            RelOp::Lt => not(t(Cmp::Ge)),
            RelOp::Le => not(t(Cmp::Gt)),
        }
    };
    let channel = |vcis: &[u32]| {
        let any = vcis
            .iter()
            .fold(Node::Const(false), |n, &c| or(n, test(Cmp::Eq, vci(), c)));
        and(test(Cmp::Eq, vpi(), 0), any)
    };
    // Call set-up and release messages (libpcap's lists, in its order).
    let message = |types: &[u32]| {
        let msg_at = crate::decode::sunatm::HEADER_LEN as u32 + 5;
        types.iter().fold(Node::Const(false), |n, &m| {
            or(n, test(Cmp::Eq, ld(1, msg_at), m))
        })
    };
    match t {
        AtmTest::Vpi(op, n) => rel(vpi(), op, n),
        AtmTest::Vci(op, n) => rel(vci(), op, n),
        AtmTest::Lane => sunatm_traffic(TRAFFIC_LANE),
        AtmTest::OamF4 => channel(&[3, 4]),
        AtmTest::OamF4Segment => channel(&[3]),
        AtmTest::OamF4End => channel(&[4]),
        AtmTest::Metac => channel(&[1]),
        AtmTest::Bcc => channel(&[2]),
        AtmTest::Sc => channel(&[5]),
        AtmTest::Ilmic => channel(&[16]),
        AtmTest::ConnectMsg => and(
            channel(&[5]),
            message(&[0x5a, 0x4d, 0x0f, 0x07, 0x05, 0x02]),
        ),
        AtmTest::MetaConnect => and(channel(&[1]), message(&[0x5a, 0x4d, 0x07, 0x05, 0x02])),
    }
}

/// Whether a comparison reads the packet after `lane` (its loads were
/// parsed after one).
fn rel_after_lane(a: &Arith) -> bool {
    match a {
        Arith::Num(_) | Arith::Len => false,
        Arith::Neg(x) => rel_after_lane(x),
        Arith::Bin(_, x, y) => rel_after_lane(x) || rel_after_lane(y),
        Arith::Load { off, encap, .. } => encap.lane || rel_after_lane(off),
    }
}

/// Lowers a whole expression for `link`.
/// `e` lowered for a link type whose records carry an Ethernet frame
/// after `by` bytes (netANALYZER's): Ethernet's program moved past the
/// header, as libpcap compiles it there; `llc` refused in its words (its
/// LLC test is Ethernet's own).
pub fn lower_behind(e: &Expr, link: LinkType, by: u32) -> LResult<Node> {
    if mentions_llc(e) {
        return Err(LowerError::LlcNotSupported(link));
    }
    lower(e, LinkType::Ethernet).map(|n| shifted(n, by))
}

fn mentions_llc(e: &Expr) -> bool {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().any(mentions_llc),
        Expr::Not(a) => mentions_llc(a),
        Expr::Prim(p) => matches!(p.kind, PrimKind::Llc(_)),
        Expr::Rel(..) => false,
    }
}

/// `n` for frames that start `by` bytes into the record: every load
/// (and each offset a load's address is computed from) moved by `by`, as
/// libpcap moves its link-header offset past the netANALYZER headers.
/// `len` stays the record's.
fn shifted(n: Node, by: u32) -> Node {
    match n {
        Node::Const(_) => n,
        Node::And(v) => Node::And(v.into_iter().map(|n| shifted(n, by)).collect()),
        Node::Or(v) => Node::Or(v.into_iter().map(|n| shifted(n, by)).collect()),
        Node::Not(a) => Node::Not(Box::new(shifted(*a, by))),
        Node::Test(c, a, b) => Node::Test(c, shifted_val(a, by), shifted_val(b, by)),
    }
}

fn shifted_val(v: Val, by: u32) -> Val {
    match v {
        Val::K(_) | Val::Len => v,
        Val::Load(size, at) => Val::Load(size, Box::new(add(shifted_val(*at, by), Val::K(by)))),
        Val::Msh(at) => Val::Msh(at.wrapping_add(by)),
        Val::Bin(op, a, b) => Val::Bin(
            op,
            Box::new(shifted_val(*a, by)),
            Box::new(shifted_val(*b, by)),
        ),
        Val::Cond(c) => {
            let Choice {
                test,
                cmp,
                k,
                then,
                other,
            } = *c;
            Val::Cond(Box::new(Choice {
                test: shifted_val(test, by),
                cmp,
                k,
                then: shifted_val(then, by),
                other: shifted_val(other, by),
            }))
        }
    }
}

/// A whole expression for `link`: on PPI, libpcap's program first checks
/// that the header's DLT is 802.11's (its little-endian 105 loaded as a
/// big-endian word), whatever the expression.
pub fn lower_whole(e: &Expr, link: LinkType) -> LResult<Node> {
    let n = lower(e, link)?;
    Ok(if link == LinkType::Other(PPI) {
        and(test(Cmp::Eq, ld(4, 4), 0x6900_0000), n)
    } else {
        n
    })
}

pub fn lower(e: &Expr, link: LinkType) -> LResult<Node> {
    Ok(match e {
        Expr::And(v) => {
            let mut n = Node::Const(true);
            for e in v {
                n = and(n, lower(e, link)?);
            }
            n
        }
        Expr::Or(v) => {
            let mut n = Node::Const(false);
            for e in v {
                n = or(n, lower(e, link)?);
            }
            n
        }
        Expr::Not(a) => not(lower(a, link)?),
        Expr::Prim(p) => prim(p, link)?,
        // On SunATM after `lane`: Ethernet's comparison on the LANE frame.
        Expr::Rel(_, a, b)
            if link == LinkType::Other(SUNATM) && (rel_after_lane(a) || rel_after_lane(b)) =>
        {
            shifted(lower(e, LinkType::Ethernet)?, LANE_AT)
        }
        Expr::Rel(op, a, b) => {
            let mut guards = Vec::new();
            let x = arith(a, link, &mut guards)?;
            let y = arith(b, link, &mut guards)?;
            // `x & m != 0` is one `jset`, as libpcap emits it.
            if let (RelOp::Eq | RelOp::Ne, Val::Bin(ArOp::And, v, m), Val::K(0)) = (op, &x, &y)
                && let Val::K(_) = **m
            {
                let set = Node::Test(Cmp::Set, (**v).clone(), (**m).clone());
                let rel = if *op == RelOp::Ne { set } else { not(set) };
                return Ok(guards.into_iter().rev().fold(rel, |acc, g| and(g, acc)));
            }
            let t = |c| Node::Test(c, x.clone(), y.clone());
            let rel = match op {
                RelOp::Eq => t(Cmp::Eq),
                RelOp::Ne => not(t(Cmp::Eq)),
                RelOp::Gt => t(Cmp::Gt),
                RelOp::Ge => t(Cmp::Ge),
                RelOp::Lt => not(t(Cmp::Ge)),
                RelOp::Le => not(t(Cmp::Gt)),
            };
            // Constant comparisons (`1 = 1`) fold.
            let rel = match &rel {
                Node::Test(c, Val::K(a), Val::K(b)) => Node::Const(c.test(*a, *b)),
                Node::Not(inner) => match &**inner {
                    Node::Test(c, Val::K(a), Val::K(b)) => Node::Const(!c.test(*a, *b)),
                    _ => rel,
                },
                _ => rel,
            };
            guards.into_iter().rev().fold(rel, |acc, g| and(g, acc))
        }
    })
}

/// Where pf's log header keeps the fields libpcap tests.
const PF_ACTION: u32 = 2;
const PF_REASON: u32 = 3;
const PF_IFNAME: u32 = 4;
const PF_RULESET: u32 = 20;
const PF_RULENR: u32 = 36;
const PF_SUBRULENR: u32 = 40;
const PF_DIR: u32 = 60;
/// The interface and ruleset names' size (a name fills at most all but
/// its NUL).
const PF_NAME_LEN: usize = 16;

/// libpcap's test of a field of pf's log header (refused elsewhere, and
/// for names too long for their field, in its words).
fn pf_test(t: &PfTest, link: LinkType) -> LResult<Node> {
    if link != LinkType::Other(PFLOG) {
        return Err(LowerError::Refused(t.refusal()));
    }
    let name = |at: u32, name: &str, too_long: &'static str| {
        if name.len() >= PF_NAME_LEN {
            return Err(LowerError::Refused(too_long));
        }
        Ok(bytes_eq(at, name.as_bytes()))
    };
    Ok(match t {
        PfTest::Ifname(n) => name(
            PF_IFNAME,
            n,
            "ifname interface names can only be 15 characters",
        )?,
        PfTest::Ruleset(n) => name(PF_RULESET, n, "ruleset names can only be 15 characters")?,
        PfTest::Rule(n) => test(Cmp::Eq, ld(4, PF_RULENR), *n),
        PfTest::Subrule(n) => test(Cmp::Eq, ld(4, PF_SUBRULENR), *n),
        PfTest::Reason(n) => test(Cmp::Eq, ld(1, PF_REASON), *n),
        PfTest::Action(a) => test(Cmp::Eq, ld(1, PF_ACTION), u32::from(*a)),
    })
}

/// The bytes at `off` are `b`, compared as libpcap's `gen_bcmp` does,
/// from the end: words, then a half-word and a byte for what is left at
/// the start (the order decides which load a cut record fails first).
fn bytes_eq(off: u32, b: &[u8]) -> Node {
    let mut n = Node::Const(true);
    let mut end = b.len();
    for size in [4usize, 2, 1] {
        while end >= size {
            let at = end - size;
            let chunk = b.get(at..end).unwrap_or_default();
            let k = chunk.iter().fold(0u32, |k, &c| (k << 8) | u32::from(c));
            n = and(n, test(Cmp::Eq, ld(size as u8, off + at as u32), k));
            end = at;
            if size < 4 {
                break;
            }
        }
    }
    n
}
