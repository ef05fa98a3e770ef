//! The filter language's vocabulary, as tables the parser looks words up
//! in: protocol names, named constants (`tcp-syn`, `icmp-echo`), protocol
//! names usable as numbers (`\tcp`), the few service names `port` knows,
//! the keywords, and the tcpdump words we deliberately refuse.

use super::ast::Proto;

/// The protocol a qualifier word names (`link` is `ether`).
pub fn protocol(w: &str) -> Option<Proto> {
    Some(match w {
        "ether" | "link" => Proto::Ether,
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

/// Words tcpdump knows that we deliberately do not implement.
pub const UNSUPPORTED: &[&str] = &[
    "gateway",
    "protochain",
    "mpls",
    "pppoed",
    "pppoes",
    "geneve",
    "vxlan",
    "decnet",
    "atalk",
    "aarp",
    "ipx",
    "iso",
    "stp",
    "netbeui",
    "lat",
    "moprc",
    "mopdl",
    "inbound",
    "outbound",
    "ifname",
    "on",
    "rnr",
    "rulenum",
    "reason",
    "rset",
    "ruleset",
    "srnr",
    "subrulenum",
    "action",
    "wlan",
    "type",
    "subtype",
    "dir",
    "ra",
    "ta",
    "addr1",
    "addr2",
    "addr3",
    "addr4",
    "llc",
    "fddi",
    "tr",
    "radio",
    "lane",
    "vpi",
    "vci",
    "oamf4",
    "oamf4ec",
    "oamf4sc",
    "oam",
    "metac",
    "bcc",
    "sc",
    "ilmic",
    "connectmsg",
    "metaconnect",
    "carp",
    "vrrp",
    "ah",
    "esp",
    "pim",
    "igrp",
    "ospf",
    "clnp",
    "esis",
    "isis",
    "l1",
    "l2",
    "iih",
    "lsp",
    "snp",
    "csnp",
    "psnp",
    "sca",
    "hsrp",
    "icmp6type",
    "broadcast",
    "multicast",
];

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
        )
        || UNSUPPORTED.contains(&w)
        || named_constant(w).is_some()
}
