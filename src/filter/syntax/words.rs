//! The filter language's vocabulary, as tables the parser looks words up
//! in: protocol names, named constants (`tcp-syn`, `icmp-echo`), protocol
//! names usable as numbers (`\tcp`), the few service names `port` knows,
//! the keywords, and the tcpdump words we deliberately refuse.

use super::ast::{AtmTest, Proto};

/// The protocol a qualifier word names (`link` is `ether`).
pub fn protocol(w: &str) -> Option<Proto> {
    Some(match w {
        // libpcap reads `wlan` as the link layer's qualifier too.
        "ether" | "link" | "wlan" => Proto::Ether,
        "ip" => Proto::Ip,
        "ip6" => Proto::Ip6,
        "arp" => Proto::Arp,
        "rarp" => Proto::Rarp,
        "tcp" => Proto::Tcp,
        "udp" => Proto::Udp,
        "icmp" => Proto::Icmp,
        "icmp6" => Proto::Icmp6,
        "sctp" => Proto::Sctp,
        "igmp" => Proto::Igmp,
        _ => return None,
    })
}

/// Protocol names libpcap tests as an EtherType or an LLC SAP, exactly
/// as `ether proto N` (`stp` is `ether proto 0x42`).
pub fn link_proto(w: &str) -> Option<(&'static str, u16)> {
    const NAMES: &[(&str, u16)] = &[
        ("stp", 0x42),
        ("ipx", 0xe0),
        ("iso", 0xfe),
        ("netbeui", 0xf0),
        ("atalk", 0x809b),
        ("aarp", 0x80f3),
        ("decnet", 0x6003),
        ("lat", 0x6004),
        ("sca", 0x6007),
        ("moprc", 0x6002),
        ("mopdl", 0x6001),
    ];
    NAMES.iter().find(|(n, _)| *n == w).copied()
}

/// The frame kinds after `llc`: the LLC control byte's mask and value
/// (I and S frames by their low bits, U and S commands by theirs).
pub fn llc_kind(w: &str) -> Option<(&'static str, u8, u8)> {
    const KINDS: &[(&str, u8, u8)] = &[
        ("i", 0x01, 0x00),
        ("s", 0x03, 0x01),
        ("u", 0x03, 0x03),
        ("rr", 0x0f, 0x01),
        ("rnr", 0x0f, 0x05),
        ("rej", 0x0f, 0x09),
        ("ui", 0xef, 0x03),
        ("ua", 0xef, 0x63),
        ("disc", 0xef, 0x43),
        ("dm", 0xef, 0x0f),
        ("sabme", 0xef, 0x6f),
        ("test", 0xef, 0xe3),
        ("xid", 0xef, 0xaf),
        ("frmr", 0xef, 0x87),
    ];
    KINDS.iter().find(|(n, _, _)| *n == w).copied()
}

/// OSI words: the NLPID after LLC SAP 0xfe and, for the IS-IS PDU
/// words, the PDU types any of which matches (none: any).
pub fn iso_proto(w: &str) -> Option<(&'static str, u8, &'static [u8])> {
    const L1_IIH: u8 = 15;
    const L2_IIH: u8 = 16;
    const PTP_IIH: u8 = 17;
    const L1_LSP: u8 = 18;
    const L2_LSP: u8 = 20;
    const L1_CSNP: u8 = 24;
    const L2_CSNP: u8 = 25;
    const L1_PSNP: u8 = 26;
    const L2_PSNP: u8 = 27;
    const WORDS: &[(&str, u8, &[u8])] = &[
        ("clnp", 0x81, &[]),
        ("esis", 0x82, &[]),
        ("isis", 0x83, &[]),
        ("l1", 0x83, &[L1_IIH, PTP_IIH, L1_LSP, L1_CSNP, L1_PSNP]),
        ("l2", 0x83, &[L2_IIH, PTP_IIH, L2_LSP, L2_CSNP, L2_PSNP]),
        ("iih", 0x83, &[L1_IIH, L2_IIH, PTP_IIH]),
        ("lsp", 0x83, &[L1_LSP, L2_LSP]),
        ("snp", 0x83, &[L1_CSNP, L2_CSNP, L1_PSNP, L2_PSNP]),
        ("csnp", 0x83, &[L1_CSNP, L2_CSNP]),
        ("psnp", 0x83, &[L1_PSNP, L2_PSNP]),
    ];
    WORDS.iter().find(|(n, _, _)| *n == w).copied()
}

/// Words tcpdump knows that we deliberately do not implement.
pub const UNSUPPORTED: &[&str] = &[
    "protochain",
    "vxlan",
    "fddi",
    "tr",
    "ah",
    "esp",
    "pim",
    "igrp",
    "ospf",
    "hsrp",
    "icmp6type",
    "broadcast",
    "multicast",
];

/// pf's words on its log header (link type 117), each with what follows
/// it.
pub fn pf_word(w: &str) -> Option<PfWord> {
    Some(match w {
        "ifname" | "on" => PfWord::Ifname,
        "rset" | "ruleset" => PfWord::Ruleset,
        "rnr" | "rulenum" => PfWord::Rule,
        "srnr" | "subrulenum" => PfWord::Subrule,
        "reason" => PfWord::Reason,
        "action" => PfWord::Action,
        _ => return None,
    })
}

/// The pf word a primitive starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PfWord {
    Ifname,
    Ruleset,
    Rule,
    Subrule,
    Reason,
    Action,
}

/// pf's reasons by libpcap's names (any case), as numbered in the log
/// header.
pub fn pf_reason(name: &str) -> Option<u32> {
    const REASONS: [&str; 15] = [
        "match",
        "bad-offset",
        "fragment",
        "short",
        "normalize",
        "memory",
        "bad-timestamp",
        "congestion",
        "ip-option",
        "proto-cksum",
        "state-mismatch",
        "state-insert",
        "state-limit",
        "src-limit",
        "synproxy",
    ];
    let at = REASONS.iter().position(|r| r.eq_ignore_ascii_case(name))?;
    u32::try_from(at).ok()
}

/// pf's actions by libpcap's names (any case), as numbered in the log
/// header.
pub fn pf_action(name: &str) -> Option<u8> {
    const ACTIONS: [(&str, u8); 13] = [
        ("pass", 0),
        ("accept", 0),
        ("block", 1),
        ("drop", 1),
        ("scrub", 2),
        ("noscrub", 3),
        ("nat", 4),
        ("nonat", 5),
        ("binat", 6),
        ("nobinat", 7),
        ("rdr", 8),
        ("nordr", 9),
        ("synproxy-drop", 10),
    ];
    ACTIONS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, a)| a)
}

/// libpcap's ATM words: `Some(None)` for `vpi` and `vci` (a number
/// follows), `Some(Some(test))` for the others.
pub fn atm_word(w: &str) -> Option<Option<AtmTest>> {
    Some(Some(match w {
        "vpi" | "vci" => return Some(None),
        "lane" => AtmTest::Lane,
        "oamf4" | "oam" => AtmTest::OamF4,
        "oamf4sc" => AtmTest::OamF4Segment,
        "oamf4ec" => AtmTest::OamF4End,
        "metac" => AtmTest::Metac,
        "bcc" => AtmTest::Bcc,
        "sc" => AtmTest::Sc,
        "ilmic" => AtmTest::Ilmic,
        "connectmsg" => AtmTest::ConnectMsg,
        "metaconnect" => AtmTest::MetaConnect,
        _ => return None,
    }))
}

/// libpcap's words for link types sockscope never reads (SS7, raw ATM)
/// and for what needs more than a file (`gateway`): whether a name or
/// number follows, and libpcap's refusal on the link types sockscope
/// reads.
pub fn refused_word(w: &str) -> Option<(bool, &'static str)> {
    Some(match w {
        "sio" | "hsio" => (true, "'sio' supported only on SS7"),
        "opc" | "hopc" => (true, "'opc' supported only on SS7"),
        "dpc" | "hdpc" => (true, "'dpc' supported only on SS7"),
        "sls" | "hsls" => (true, "'sls' supported only on SS7"),
        "vpi" => (true, "'vpi' supported only on raw ATM"),
        "vci" => (true, "'vci' supported only on raw ATM"),
        "lane" => (false, "'lane' supported only on raw ATM"),
        "oamf4" => (false, "'oamf4' supported only on raw ATM"),
        "oamf4ec" => (false, "'oam4ec' supported only on raw ATM"),
        "oamf4sc" => (false, "'oam4sc' supported only on raw ATM"),
        "oam" => (false, "'oam' supported only on raw ATM"),
        "metac" => (false, "'metac' supported only on raw ATM"),
        "bcc" => (false, "'bcc' supported only on raw ATM"),
        "sc" => (false, "'sc' supported only on raw ATM"),
        "ilmic" => (false, "'ilmic' supported only on raw ATM"),
        "connectmsg" => (false, "'connectmsg' supported only on raw ATM"),
        "metaconnect" => (false, "'metaconnect' supported only on raw ATM"),
        "radio" => (false, "'radio' is not a valid protocol type"),
        "gateway" => (true, "'gateway' not supported in this configuration"),
        _ => return None,
    })
}

/// 802.11 frame types by name, as the frame control's first byte has
/// them (type bits `0x0c`).
const WLAN_TYPES: &[(&str, u8)] = &[
    ("mgt", 0x00),
    ("management", 0x00),
    ("ctl", 0x04),
    ("control", 0x04),
    ("data", 0x08),
];

/// 802.11 subtypes by name within each type (subtype bits `0xf0`), the
/// names libpcap knows.
const WLAN_SUBTYPES: &[(u8, &[(&str, u8)])] = &[
    (
        0x00,
        &[
            ("assoc-req", 0x00),
            ("assoc-resp", 0x10),
            ("reassoc-req", 0x20),
            ("reassoc-resp", 0x30),
            ("probe-req", 0x40),
            ("probe-resp", 0x50),
            ("beacon", 0x80),
            ("atim", 0x90),
            ("disassoc", 0xa0),
            ("auth", 0xb0),
            ("deauth", 0xc0),
        ],
    ),
    (
        0x04,
        &[
            ("ps-poll", 0xa0),
            ("rts", 0xb0),
            ("cts", 0xc0),
            ("ack", 0xd0),
            ("cf-end", 0xe0),
            ("cf-end-ack", 0xf0),
        ],
    ),
    (
        0x08,
        &[
            ("data", 0x00),
            ("data-cf-ack", 0x10),
            ("data-cf-poll", 0x20),
            ("data-cf-ack-poll", 0x30),
            ("null", 0x40),
            ("cf-ack", 0x50),
            ("cf-poll", 0x60),
            ("cf-ack-poll", 0x70),
            ("qos-data", 0x80),
            ("qos-data-cf-ack", 0x90),
            ("qos-data-cf-poll", 0xa0),
            ("qos-data-cf-ack-poll", 0xb0),
            ("qos", 0xc0),
            ("qos-cf-poll", 0xe0),
            ("qos-cf-ack-poll", 0xf0),
        ],
    ),
];

/// 802.11 frame directions by name (libpcap's, any case): the frame
/// control's DS bits.
const WLAN_DIRS: &[(&str, u32)] = &[("nods", 0), ("tods", 1), ("fromds", 2), ("dstods", 3)];

/// The DS bits an 802.11 direction name stands for.
pub fn wlan_dir(w: &str) -> Option<u32> {
    WLAN_DIRS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

/// The name of an 802.11 direction (for printing the expression back).
pub fn wlan_dir_name(d: u32) -> Option<&'static str> {
    WLAN_DIRS.iter().find(|(_, v)| *v == d).map(|&(n, _)| n)
}

/// The type bits of an 802.11 type name.
pub fn wlan_type(w: &str) -> Option<u8> {
    WLAN_TYPES.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}

/// The first name of an 802.11 type (for printing the expression back).
pub fn wlan_type_name(ty: u8) -> Option<&'static str> {
    WLAN_TYPES.iter().find(|(_, v)| *v == ty).map(|&(n, _)| n)
}

/// The subtype bits of a subtype name within type `ty`.
pub fn wlan_subtype(ty: u8, w: &str) -> Option<u8> {
    let (_, names) = WLAN_SUBTYPES.iter().find(|(t, _)| *t == ty)?;
    names.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}

/// A subtype name alone: its type and subtype bits together (the first
/// type that has the name, management first).
pub fn wlan_any_subtype(w: &str) -> Option<u8> {
    WLAN_SUBTYPES
        .iter()
        .find_map(|&(t, _)| wlan_subtype(t, w).map(|s| t | s))
}

/// The name of subtype bits `sub` within type `ty`.
pub fn wlan_subtype_name(ty: u8, sub: u8) -> Option<&'static str> {
    let (_, names) = WLAN_SUBTYPES.iter().find(|(t, _)| *t == ty)?;
    names.iter().find(|(_, v)| *v == sub).map(|&(n, _)| n)
}

/// Named constants usable in arithmetic (`tcp[tcpflags] & tcp-syn != 0`).
pub fn named_constant(w: &str) -> Option<u32> {
    Some(match w {
        "icmptype" | "icmp6type" => 0,
        "icmpcode" | "icmp6code" => 1,
        "tcpflags" => 13,
        "tcp-fin" => 0x01,
        "tcp-syn" => 0x02,
        "tcp-rst" => 0x04,
        "tcp-push" => 0x08,
        "tcp-ack" => 0x10,
        "tcp-urg" => 0x20,
        "tcp-ece" => 0x40,
        "tcp-cwr" => 0x80,
        "icmp-echoreply" => 0,
        "icmp-unreach" => 3,
        "icmp-sourcequench" => 4,
        "icmp-redirect" => 5,
        "icmp-echo" => 8,
        "icmp-routeradvert" => 9,
        "icmp-routersolicit" => 10,
        "icmp-timxceed" => 11,
        "icmp-paramprob" => 12,
        "icmp-tstamp" => 13,
        "icmp-tstampreply" => 14,
        "icmp-ireq" => 15,
        "icmp-ireqreply" => 16,
        "icmp-maskreq" => 17,
        "icmp-maskreply" => 18,
        "icmp6-destinationunreach" => 1,
        "icmp6-packettoobig" => 2,
        "icmp6-timeexceeded" => 3,
        "icmp6-parameterproblem" => 4,
        "icmp6-echo" => 128,
        "icmp6-echoreply" => 129,
        "icmp6-multicastlistenerquery" => 130,
        "icmp6-multicastlistenerreportv1" => 131,
        "icmp6-multicastlistenerdone" => 132,
        "icmp6-routersolicit" => 133,
        "icmp6-routeradvert" => 134,
        "icmp6-neighborsolicit" => 135,
        "icmp6-neighboradvert" => 136,
        "icmp6-redirect" => 137,
        _ => return None,
    })
}

/// Protocol names usable as numbers after a backslash (`ip proto \tcp`).
pub fn escaped_proto(w: &str) -> Option<u32> {
    Some(match w {
        "\\icmp" => 1,
        "\\igmp" => 2,
        "\\tcp" => 6,
        "\\udp" => 17,
        "\\icmp6" => 58,
        "\\sctp" => 132,
        "\\ip" => 0x800,
        "\\ip6" => 0x86dd,
        "\\arp" => 0x806,
        "\\rarp" => 0x8035,
        _ => return None,
    })
}

/// A few service names so `port http` works without /etc/services.
pub fn service_port(w: &str) -> Option<u16> {
    Some(match w {
        "ftp-data" => 20,
        "ftp" => 21,
        "ssh" => 22,
        "telnet" => 23,
        "smtp" => 25,
        "domain" => 53,
        "bootps" => 67,
        "bootpc" => 68,
        "http" | "www" => 80,
        "pop3" => 110,
        "ntp" => 123,
        "imap" => 143,
        "snmp" => 161,
        "bgp" => 179,
        "https" => 443,
        "syslog" => 514,
        "submission" => 587,
        "imaps" => 993,
        "pop3s" => 995,
        _ => return None,
    })
}

pub fn is_keyword(w: &str) -> bool {
    protocol(w).is_some()
        || matches!(
            w,
            "and"
                | "or"
                | "not"
                | "src"
                | "dst"
                | "host"
                | "net"
                | "port"
                | "portrange"
                | "proto"
                | "vlan"
                | "len"
                | "greater"
                | "less"
                | "mask"
                | "type"
                | "subtype"
                | "dir"
                | "addr1"
                | "addr2"
                | "addr3"
                | "addr4"
                | "address1"
                | "address2"
                | "address3"
                | "address4"
                | "ra"
                | "ta"
        )
        || UNSUPPORTED.contains(&w)
        || refused_word(w).is_some()
        || pf_word(w).is_some()
        || matches!(
            w,
            "mpls" | "pppoed" | "pppoes" | "geneve" | "vrrp" | "carp" | "inbound" | "outbound"
        )
        || link_proto(w).is_some()
        || iso_proto(w).is_some()
        || w == "llc"
        || named_constant(w).is_some()
}
