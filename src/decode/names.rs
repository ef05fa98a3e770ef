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
