//! The parsed expression, independent of the link type. `Display` prints it
//! normalized: every primitive with its qualifiers spelled out, implicit
//! repetition expanded (`port 80 or 443` prints `(port 80 or port 443)`).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Ether,
    Ip,
    Ip6,
    Arp,
    Rarp,
    Tcp,
    Udp,
    Icmp,
    Icmp6,
    Sctp,
    Igmp,
}

impl Proto {
    pub fn name(self) -> &'static str {
        match self {
            Proto::Ether => "ether",
            Proto::Ip => "ip",
            Proto::Ip6 => "ip6",
            Proto::Arp => "arp",
            Proto::Rarp => "rarp",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Icmp6 => "icmp6",
            Proto::Sctp => "sctp",
            Proto::Igmp => "igmp",
        }
    }
}

/// Which address or port a primitive looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Dir {
    /// No qualifier: source or destination.
    #[default]
    Any,
    Src,
    Dst,
    SrcOrDst,
    SrcAndDst,
    /// 802.11's address fields by number (1 to 4), its receiver and its
    /// transmitter (MAC addresses only).
    Addr(u8),
    Ra,
    Ta,
}

impl Dir {
    pub fn prefix(self) -> &'static str {
        match self {
            Dir::Any => "",
            Dir::Src => "src ",
            Dir::Dst => "dst ",
            Dir::SrcOrDst => "src or dst ",
            Dir::SrcAndDst => "src and dst ",
            Dir::Addr(1) => "addr1 ",
            Dir::Addr(2) => "addr2 ",
            Dir::Addr(3) => "addr3 ",
            Dir::Addr(_) => "addr4 ",
            Dir::Ra => "ra ",
            Dir::Ta => "ta ",
        }
    }

    /// One of 802.11's own address qualifiers.
    pub fn is_wlan(self) -> bool {
        matches!(self, Dir::Addr(_) | Dir::Ra | Dir::Ta)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostAddr {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    Mac([u8; 6]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetAddr {
    /// Network and mask, network bits only (checked by the parser).
    V4(Ipv4Addr, Ipv4Addr),
    V6(Ipv6Addr, u8),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrimKind {
    /// `ip`, `tcp`, `arp` …: the packet carries that protocol.
    Proto(Proto),
    Host {
        proto: Option<Proto>,
        dir: Dir,
        addr: HostAddr,
    },
    Net {
        proto: Option<Proto>,
        dir: Dir,
        net: NetAddr,
    },
    /// `port N` is a range with lo == hi and `range == false`.
    Port {
        proto: Option<Proto>,
        dir: Dir,
        lo: u16,
        hi: u16,
        range: bool,
    },
    /// `ip proto N`, `ip6 proto N`, or `proto N` (both).
    IpProto(Option<Proto>, u8),
    EtherProto(u16),
    Vlan(Option<u16>),
    /// `mpls [label]`: an MPLS label stack entry (the next one when
    /// `mpls` came before), and its 20-bit label when given.
    Mpls(Option<u32>),
    /// `pppoed`: a PPPoE discovery frame.
    PppoeDiscovery,
    /// `pppoes [session]`: a PPPoE session frame (and its session id);
    /// later primitives test the PPP frame inside.
    PppoeSession(Option<u16>),
    /// `geneve [vni]`: UDP to port 6081 over IPv4 or IPv6 with Geneve
    /// version 0 (and that 24-bit VNI).
    Geneve(Option<u32>),
    /// `ip broadcast`: the IPv4 destination is all zeros or all ones
    /// (libpcap's test when no netmask is known, as when reading a file).
    IpBroadcast,
    /// `inbound` / `outbound` (true): the Linux cooked header's packet
    /// type says "sent by us" (4) or not.
    Outbound(bool),
    /// One of pf's words on its log header (link type 117): `word` as
    /// written, for printing back.
    Pf {
        test: PfTest,
        word: String,
    },
    /// libpcap's raw-ATM words (`vpi 1`, `vci > 32`, `lane`, `oamf4`,
    /// `sc`, `connectmsg` …), tested on SunATM's pseudo-header and
    /// signalling messages, refused elsewhere with `message` (libpcap's
    /// words); `word` as written, for printing back.
    Atm {
        test: AtmTest,
        word: String,
        message: &'static str,
    },
    /// A word libpcap knows but refuses on every link type sockscope
    /// reads (SS7's, `radio`, `gateway`): its message.
    Refused {
        word: String,
        message: &'static str,
    },
    Greater(u32),
    Less(u32),
    EtherBroadcast,
    EtherMulticast,
    IpMulticast,
    Ip6Multicast,
    /// `type T [subtype S]`, `subtype S`: the 802.11 frame control's
    /// first byte, type bits (`0x0c`) and, when given, subtype bits
    /// (`0xf0`), as libpcap compares them.
    WlanType {
        ty: u8,
        subtype: Option<u8>,
    },
    /// `dir D`: the 802.11 frame control's DS bits (`& 3`) equal `D`
    /// (libpcap takes any number, so `dir 4` never matches).
    WlanDir(u32),
    /// `stp`, `ipx`, `atalk` …: `ether proto N` by libpcap's name for N.
    LinkProto {
        word: &'static str,
        ethertype: u16,
    },
    /// `llc`, and `llc KIND` (`i`, `s`, `u`, `ui`, `rr` …): the kind's
    /// name and the control byte's mask and value.
    Llc(Option<(&'static str, u8, u8)>),
    /// `clnp`, `esis`, `isis` and the IS-IS PDU words (`l1`, `iih` …):
    /// OSI's SAP, the NLPID, one of the PDU types (none: any).
    Iso {
        word: &'static str,
        nlpid: u8,
        pdu_types: &'static [u8],
    },
}

/// A test of pf's log header, as libpcap makes it (its `gen_pf_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PfTest {
    /// `on NAME`, `ifname NAME`: the interface name starts with NAME
    /// (libpcap compares NAME's own bytes, not the NUL after them).
    Ifname(String),
    /// `rset NAME`, `ruleset NAME`: the ruleset name, likewise.
    Ruleset(String),
    /// `rnr N`, `rulenum N`.
    Rule(u32),
    /// `srnr N`, `subrulenum N`.
    Subrule(u32),
    /// `reason NAME|N`: the reason byte (a number above 255 never
    /// matches).
    Reason(u32),
    /// `action NAME`.
    Action(u8),
}

impl PfTest {
    /// libpcap's refusal of the test on a link type other than pf's.
    pub fn refusal(&self) -> &'static str {
        match self {
            PfTest::Ifname(_) => "ifname supported only on PF linktype",
            PfTest::Ruleset(_) => "ruleset supported only on PF linktype",
            PfTest::Rule(_) => "rnr supported only on PF linktype",
            PfTest::Subrule(_) => "srnr supported only on PF linktype",
            PfTest::Reason(_) => "reason supported only on PF linktype",
            PfTest::Action(_) => "action supported only on PF linktype",
        }
    }
}

/// What one of libpcap's ATM words tests (`gen_atmfield_code`,
/// `gen_atmtype_abbrev`, `gen_atmmulti_abbrev`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtmTest {
    /// `vpi [relop] N`, `vci [relop] N`.
    Vpi(RelOp, u32),
    Vci(RelOp, u32),
    /// The traffic type is LANE (and later primitives read its frame).
    Lane,
    /// VPI 0 and VCI 3 or 4 (`oamf4`, `oam`), 3 (`oamf4sc`), 4
    /// (`oamf4ec`).
    OamF4,
    OamF4Segment,
    OamF4End,
    /// VPI 0 and VCI 1 (`metac`), 2 (`bcc`), 5 (`sc`), 16 (`ilmic`).
    Metac,
    Bcc,
    Sc,
    Ilmic,
    /// `sc` or `metac` carrying a call set-up or release message.
    ConnectMsg,
    MetaConnect,
}

/// The encapsulations parsed before a primitive, in the only order
/// libpcap allows them to nest: VLAN tags, then MPLS labels, then a PPPoE
/// session header. Each moves the offsets of everything after it (by 4,
/// 4 and 8 bytes), as libpcap does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Encap {
    pub vlan: u8,
    pub mpls: u8,
    pub pppoes: bool,
    /// A `geneve` came before: later primitives test the encapsulated
    /// packet, at offsets the outer headers decide.
    pub geneve: bool,
    /// A `lane` came before: on SunATM later primitives test the LANE
    /// data frame's Ethernet frame (libpcap moves its link header there).
    pub lane: bool,
}

/// A primitive and the encapsulations parsed before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prim {
    pub kind: PrimKind,
    pub encap: Encap,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
    Xor,
    Lsh,
    Rsh,
}

impl ArOp {
    /// The operation on 32-bit unsigned values, as the BPF machine does it
    /// (the evaluator and constant folding use it); `None` when dividing by
    /// zero, where BPF rejects the packet.
    pub fn apply(self, a: u32, b: u32) -> Option<u32> {
        Some(match self {
            ArOp::Add => a.wrapping_add(b),
            ArOp::Sub => a.wrapping_sub(b),
            ArOp::Mul => a.wrapping_mul(b),
            ArOp::Div => a.checked_div(b)?,
            ArOp::Mod => a.checked_rem(b)?,
            ArOp::And => a & b,
            ArOp::Or => a | b,
            ArOp::Xor => a ^ b,
            ArOp::Lsh => a.checked_shl(b).unwrap_or(0),
            ArOp::Rsh => a.checked_shr(b).unwrap_or(0),
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ArOp::Add => "+",
            ArOp::Sub => "-",
            ArOp::Mul => "*",
            ArOp::Div => "/",
            ArOp::Mod => "%",
            ArOp::And => "&",
            ArOp::Or => "|",
            ArOp::Xor => "^",
            ArOp::Lsh => "<<",
            ArOp::Rsh => ">>",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arith {
    Num(u32),
    Len,
    /// `proto[off:size]`, offset relative to that protocol's header.
    Load {
        proto: Proto,
        off: Box<Arith>,
        size: u8,
        encap: Encap,
    },
    Bin(ArOp, Box<Arith>, Box<Arith>),
    Neg(Box<Arith>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl RelOp {
    pub fn symbol(self) -> &'static str {
        match self {
            RelOp::Eq => "=",
            RelOp::Ne => "!=",
            RelOp::Lt => "<",
            RelOp::Le => "<=",
            RelOp::Gt => ">",
            RelOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// Chains are kept flat (`a and b and c` is one node) so a long filter
    /// written by a script does not nest deeply.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Prim(Prim),
    Rel(RelOp, Arith, Arith),
}

fn proto_prefix(p: Option<Proto>) -> String {
    p.map(|p| format!("{} ", p.name())).unwrap_or_default()
}

fn mac(m: &[u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl fmt::Display for PrimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrimKind::Proto(p) => f.write_str(p.name()),
            PrimKind::Host { proto, dir, addr } => {
                let a = match addr {
                    HostAddr::V4(a) => a.to_string(),
                    HostAddr::V6(a) => a.to_string(),
                    HostAddr::Mac(m) => mac(m),
                };
                write!(f, "{}{}host {a}", proto_prefix(*proto), dir.prefix())
            }
            PrimKind::Net { proto, dir, net } => {
                let n = match net {
                    NetAddr::V4(a, m) => {
                        format!("{a}/{}", u32::from(*m).leading_ones())
                    }
                    NetAddr::V6(a, l) => format!("{a}/{l}"),
                };
                write!(f, "{}{}net {n}", proto_prefix(*proto), dir.prefix())
            }
            PrimKind::Port {
                range: true,
                proto,
                dir,
                lo,
                hi,
            } => write!(
                f,
                "{}{}portrange {lo}-{hi}",
                proto_prefix(*proto),
                dir.prefix()
            ),
            PrimKind::Port { proto, dir, lo, .. } => {
                write!(f, "{}{}port {lo}", proto_prefix(*proto), dir.prefix())
            }
            PrimKind::IpProto(p, n) => write!(f, "{}proto {n}", proto_prefix(*p)),
            PrimKind::EtherProto(n) => write!(f, "ether proto 0x{n:04x}"),
            PrimKind::Vlan(None) => f.write_str("vlan"),
            PrimKind::Vlan(Some(id)) => write!(f, "vlan {id}"),
            PrimKind::Mpls(None) => f.write_str("mpls"),
            PrimKind::Mpls(Some(label)) => write!(f, "mpls {label}"),
            PrimKind::PppoeDiscovery => f.write_str("pppoed"),
            PrimKind::PppoeSession(None) => f.write_str("pppoes"),
            PrimKind::PppoeSession(Some(id)) => write!(f, "pppoes {id}"),
            PrimKind::Geneve(None) => f.write_str("geneve"),
            PrimKind::Geneve(Some(vni)) => write!(f, "geneve {vni}"),
            PrimKind::IpBroadcast => f.write_str("ip broadcast"),
            PrimKind::Outbound(false) => f.write_str("inbound"),
            PrimKind::Outbound(true) => f.write_str("outbound"),
            PrimKind::Refused { word, .. }
            | PrimKind::Pf { word, .. }
            | PrimKind::Atm { word, .. } => f.write_str(word),
            PrimKind::Greater(n) => write!(f, "greater {n}"),
            PrimKind::Less(n) => write!(f, "less {n}"),
            PrimKind::EtherBroadcast => f.write_str("ether broadcast"),
            PrimKind::EtherMulticast => f.write_str("ether multicast"),
            PrimKind::IpMulticast => f.write_str("ip multicast"),
            PrimKind::Ip6Multicast => f.write_str("ip6 multicast"),
            PrimKind::LinkProto { word, .. } | PrimKind::Iso { word, .. } => f.write_str(word),
            PrimKind::Llc(None) => f.write_str("llc"),
            PrimKind::Llc(Some((kind, _, _))) => write!(f, "llc {kind}"),
            PrimKind::WlanDir(d) => match super::words::wlan_dir_name(*d) {
                Some(name) => write!(f, "dir {name}"),
                None => write!(f, "dir {d}"),
            },
            PrimKind::WlanType { ty, subtype } => {
                match super::words::wlan_type_name(*ty) {
                    Some(name) => write!(f, "type {name}")?,
                    None => write!(f, "type {ty}")?,
                }
                match subtype.map(|s| (s, super::words::wlan_subtype_name(*ty, s))) {
                    Some((_, Some(name))) => write!(f, " subtype {name}"),
                    Some((s, None)) => write!(f, " subtype {s}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl fmt::Display for Arith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arith::Num(n) => write!(f, "{n}"),
            Arith::Len => f.write_str("len"),
            Arith::Load {
                proto, off, size, ..
            } => {
                if *size == 1 {
                    write!(f, "{}[{off}]", proto.name())
                } else {
                    write!(f, "{}[{off}:{size}]", proto.name())
                }
            }
            Arith::Bin(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            Arith::Neg(a) => write!(f, "-({a})"),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(v) | Expr::Or(v) => {
                let sep = if matches!(self, Expr::And(_)) {
                    " and "
                } else {
                    " or "
                };
                f.write_str("(")?;
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str(")")
            }
            Expr::Not(a) => write!(f, "not {a}"),
            Expr::Prim(p) => write!(f, "{}", p.kind),
            Expr::Rel(op, a, b) => write!(f, "{a} {} {b}", op.symbol()),
        }
    }
}
