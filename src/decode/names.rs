//! Names for numbers: ICMP and ICMPv6 types and codes, IP protocols, ARP
//! operations, the way tcpdump and Wireshark spell them.

/// ICMPv4 type name (RFC 792 and successors).
pub fn icmpv4_type(t: u8) -> &'static str {
    match t {
        0 => "echo reply",
        3 => "destination unreachable",
        4 => "source quench",
        5 => "redirect",
        8 => "echo request",
        9 => "router advertisement",
        10 => "router solicitation",
        11 => "time exceeded",
        12 => "parameter problem",
        13 => "time stamp request",
        14 => "time stamp reply",
        17 => "address mask request",
        18 => "address mask reply",
        _ => "unknown",
    }
}

/// ICMPv4 destination-unreachable code name.
pub fn icmpv4_unreach_code(code: u8) -> &'static str {
    match code {
        0 => "net unreachable",
        1 => "host unreachable",
        2 => "protocol unreachable",
        3 => "port unreachable",
        4 => "fragmentation needed",
        5 => "source route failed",
        6 => "destination net unknown",
        7 => "destination host unknown",
        9 => "net administratively prohibited",
        10 => "host administratively prohibited",
        13 => "communication administratively prohibited",
        _ => "unreachable",
    }
}

/// ICMPv6 type name (RFC 4443, 4861).
pub fn icmpv6_type(t: u8) -> &'static str {
    match t {
        1 => "destination unreachable",
        2 => "packet too big",
        3 => "time exceeded in-transit",
        4 => "parameter problem",
        128 => "echo request",
        129 => "echo reply",
        130 => "multicast listener query",
        131 => "multicast listener report",
        132 => "multicast listener done",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        137 => "redirect",
        143 => "multicast listener report v2",
        _ => "unknown",
    }
}

/// ICMPv6 destination-unreachable code name (as tcpdump prints it).
pub fn icmpv6_unreach_code(code: u8) -> &'static str {
    match code {
        0 => "no route",
        1 => "admin prohibited",
        2 => "beyond scope",
        3 => "unreachable address",
        4 => "unreachable port",
        5 => "failed policy",
        6 => "reject route",
        _ => "unknown code",
    }
}

/// IP protocol numbers tcpdump names in its `-v` output.
pub fn ip_proto(p: u8) -> &'static str {
    // tcpdump's table (`proto X (N)`, `next-header X (N)`): 59 and 60
    // are not in it, so it prints them as unknown too.
    match p {
        0 => "Options",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        8 => "EGP",
        9 => "IGRP",
        17 => "UDP",
        33 => "DCCP",
        41 => "IPv6",
        43 => "Routing",
        44 => "Fragment",
        46 => "RSVP",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        55 => "Mobile IP",
        58 => "ICMPv6",
        62 => "Mobile IP (old)",
        88 => "EIGRP",
        89 => "OSPF",
        103 => "PIM",
        108 => "Compressed IP",
        112 => "VRRP",
        113 => "PGM",
        132 => "SCTP",
        135 => "Mobility",
        143 => "Ethernet",
        _ => "unknown",
    }
}

/// tcpdump's name of an EtherType (its `ethertype_values`: `ethertype NAME
/// (0x…)` under `-e`, GRE's and Geneve's `proto NAME (0x…)`); `None`
/// where tcpdump says `Unknown` (or, in tunnels, `unknown`).
pub fn ether_type(t: u16) -> Option<&'static str> {
    Some(match t {
        0x0800 => "IPv4",
        0x8847 => "MPLS unicast",
        0x8848 => "MPLS multicast",
        0x86dd => "IPv6",
        0x8100 => "802.1Q",
        0x9100 => "802.1Q-9100",
        0x88a8 => "802.1Q-QinQ",
        0x9200 => "802.1Q-9200",
        0x88e5 => "802.1AE MACsec",
        0x0200 => "PUP",
        0x0806 => "ARP",
        0x8035 => "Reverse ARP",
        0x0600 => "NS",
        0x0500 => "Sprite",
        0x1000 => "Trail",
        0x6001 => "MOP DL",
        0x6002 => "MOP RC",
        0x6003 => "DN",
        0x6004 => "LAT",
        0x6007 => "SCA",
        0x6558 => "TEB",
        0x8038 => "Lanbridge",
        0x803c => "DEC DNS",
        0x803e => "DEC DTS",
        0x805b => "VEXP",
        0x805c => "VPROD",
        0x809b => "Appletalk",
        0x80f3 => "Appletalk ARP",
        0x8137 => "IPX",
        0x880b => "PPP",
        0x8808 => "MPCP",
        0x8809 => "Slow Protocols",
        0x8863 => "PPPoE D",
        0x8864 => "PPPoE S",
        0x888e => "EAPOL",
        0x8899 => "Realtek protocols",
        0x886f => "MS NLB heartbeat",
        0x8870 => "Jumbo",
        0x894f => "NSH",
        0x9000 => "Loopback",
        0xfefe => "OSI",
        0x00fe => "GRE-OSI",
        0xabcd => "CFM (old)",
        0x8902 => "CFM",
        0x893a => "IEEE1905.1",
        0x88cc => "LLDP",
        0x88ca => "TIPC",
        0x0707 => "GeoNet (old)",
        0x8947 => "GeoNet",
        0x1111 => "CALM FAST",
        0x88a2 => "AoE",
        0x88f7 => "PTP",
        0xd28b => "Arista Vendor Specific Protocol",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_for_common_numbers() {
        type Name = fn(u8) -> &'static str;
        let named: [(Name, u8, &str); 8] = [
            (icmpv4_type, 8, "echo request"),
            (icmpv4_unreach_code, 3, "port unreachable"),
            (icmpv6_type, 135, "neighbor solicitation"),
            (icmpv6_unreach_code, 4, "unreachable port"),
            (ip_proto, 6, "TCP"),
            (ip_proto, 62, "Mobile IP (old)"),
            (ip_proto, 60, "unknown"),
            (icmpv4_type, 200, "unknown"),
        ];
        for (name, n, want) in named {
            assert_eq!(name(n), want, "{n}");
        }
    }
}
