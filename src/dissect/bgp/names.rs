//! The names tcpdump gives BGP's numbers (message types, optional
//! parameters, capabilities, path attributes, address families,
//! notification codes, extended community types …), one table each, so
//! the printers only look them up.

use super::super::ctl::tok;

type Table<T> = &'static [(T, &'static str)];

pub(super) const MESSAGES: Table<u8> = &[
    (1, "Open"),
    (2, "Update"),
    (3, "Notification"),
    (4, "Keepalive"),
    (5, "Route Refresh"),
];

pub(super) const OPTIONS: Table<u8> = &[
    (1, "Authentication Information"),
    (2, "Capabilities Advertisement"),
];

pub(super) const CAPABILITIES: Table<u8> = &[
    (1, "Multiprotocol Extensions"),
    (2, "Route Refresh"),
    (3, "Cooperative Route Filtering"),
    (4, "Multiple Routes to a Destination"),
    (5, "Extended Next Hop Encoding"),
    (8, "Multiple Labels"),
    (64, "Graceful Restart"),
    (65, "32-Bit AS Number"),
    (67, "Dynamic Capability"),
    (68, "Multisession BGP"),
    (69, "Multiple Paths"),
    (70, "Enhanced Route Refresh"),
    (71, "Long-lived Graceful Restart"),
    (128, "Route Refresh (Cisco)"),
];

/// ADD-PATH's send/receive field.
pub(super) const SEND_RECEIVE: Table<u8> = &[(1, "Receive"), (2, "Send"), (3, "Both")];

pub(super) const ATTRIBUTES: Table<u8> = &[
    (1, "Origin"),
    (2, "AS Path"),
    (3, "Next Hop"),
    (4, "Multi Exit Discriminator"),
    (5, "Local Preference"),
    (6, "Atomic Aggregate"),
    (7, "Aggregator"),
    (8, "Community"),
    (9, "Originator ID"),
    (10, "Cluster List"),
    (11, "DPA"),
    (12, "Advertisers"),
    (13, "RCID Path / Cluster ID"),
    (14, "Multi-Protocol Reach NLRI"),
    (15, "Multi-Protocol Unreach NLRI"),
    (16, "Extended Community"),
    (17, "AS4 Path"),
    (18, "Aggregator4"),
    (22, "PMSI Tunnel"),
    (23, "Tunnel Encapsulation"),
    (24, "Traffic Engineering"),
    (25, "IPv6 Extended Community"),
    (26, "Accumulated IGP Metric"),
    (27, "PE Distinguisher Label"),
    (28, "Entropy Label"),
    (32, "Large Community"),
    (128, "Attribute Set"),
    (255, "Reserved for development"),
];

pub(super) const ORIGINS: Table<u8> = &[(0, "IGP"), (1, "EGP"), (2, "Incomplete")];

/// How an AS_PATH segment of each type opens and closes.
pub(super) const SEGMENT_OPEN: Table<u8> = &[(1, "{ "), (2, ""), (3, "( "), (4, "({ ")];
pub(super) const SEGMENT_CLOSE: Table<u8> = &[(1, "}"), (2, ""), (3, ")"), (4, "})")];

/// An address family's name (tcpdump's one table, LLDP's too), or
/// `default`.
pub(in crate::dissect) fn afi(a: u16, default: &'static str) -> &'static str {
    u8::try_from(a)
        .ok()
        .and_then(|a| tok(crate::dissect::lldp::AFS, a))
        .unwrap_or(default)
}

pub(super) const SAFIS: Table<u8> = &[
    (0, "Reserved"),
    (1, "Unicast"),
    (2, "Multicast"),
    (3, "Unicast+Multicast"),
    (4, "labeled Unicast"),
    (5, "Multicast VPN"),
    (64, "Tunnel"),
    (65, "VPLS"),
    (66, "MDT"),
    (70, "EVPN"),
    (128, "labeled VPN Unicast"),
    (129, "labeled VPN Multicast"),
    (130, "labeled VPN Unicast+Multicast"),
    (132, "Route Target Routing Information"),
];

/// Multicast VPN route types (RFC 6514).
pub(super) const MVPN_ROUTES: Table<u8> = &[
    (1, "Intra-AS I-PMSI"),
    (2, "Inter-AS I-PMSI"),
    (3, "S-PMSI"),
    (4, "Intra-AS Segment-Leaf"),
    (5, "Source-Active"),
    (6, "Shared Tree Join"),
    (7, "Source Tree Join"),
];

pub(super) const MAJOR_ERRORS: Table<u8> = &[
    (1, "Message Header Error"),
    (2, "OPEN Message Error"),
    (3, "UPDATE Message Error"),
    (4, "Hold Timer Expired"),
    (5, "Finite State Machine Error"),
    (6, "Cease"),
    (7, "Capability Message Error"),
];

/// The subcodes of each error code that names them, and whether tcpdump
/// puts a comma before `subcode`.
pub(super) fn minor_errors(major: u8) -> Option<(Table<u8>, bool)> {
    Some(match major {
        1 => (
            &[
                (1, "Connection Not Synchronized"),
                (2, "Bad Message Length"),
                (3, "Bad Message Type"),
            ],
            true,
        ),
        2 => (
            &[
                (1, "Unsupported Version Number"),
                (2, "Bad Peer AS"),
                (3, "Bad BGP Identifier"),
                (4, "Unsupported Optional Parameter"),
                (5, "Authentication Failure"),
                (6, "Unacceptable Hold Time"),
                (7, "Capability Message Error"),
            ],
            true,
        ),
        3 => (
            &[
                (1, "Malformed Attribute List"),
                (2, "Unrecognized Well-known Attribute"),
                (3, "Missing Well-known Attribute"),
                (4, "Attribute Flags Error"),
                (5, "Attribute Length Error"),
                (6, "Invalid ORIGIN Attribute"),
                (7, "AS Routing Loop"),
                (8, "Invalid NEXT_HOP Attribute"),
                (9, "Optional Attribute Error"),
                (10, "Invalid Network Field"),
                (11, "Malformed AS_PATH"),
            ],
            true,
        ),
        5 => (
            &[
                (0, "Unspecified Error"),
                (1, "In OpenSent State"),
                (2, "In OpenConfirm State"),
                (3, "In Established State"),
            ],
            false,
        ),
        6 => (
            &[
                (1, "Maximum Number of Prefixes Reached"),
                (2, "Administrative Shutdown"),
                (3, "Peer Unconfigured"),
                (4, "Administrative Reset"),
                (5, "Connection Rejected"),
                (6, "Other Configuration Change"),
                (7, "Connection Collision Resolution"),
            ],
            true,
        ),
        7 => (
            &[
                (1, "Invalid Action Value"),
                (2, "Invalid Capability Length"),
                (3, "Malformed Capability Value"),
                (4, "Unsupported Capability Code"),
            ],
            false,
        ),
        _ => return None,
    })
}

pub(super) const EXT_COMMUNITIES: Table<u16> = &[
    (0x0002, "target"),
    (0x0102, "target"),
    (0x0202, "target"),
    (0x0003, "origin"),
    (0x0103, "origin"),
    (0x0203, "origin"),
    (0x4004, "link-BW"),
    (0x0005, "ospf-domain"),
    (0x0105, "ospf-domain"),
    (0x0205, "ospf-domain"),
    (0x8005, "ospf-domain"),
    (0x0306, "ospf-route-type"),
    (0x8000, "ospf-route-type"),
    (0x0107, "ospf-router-id"),
    (0x8001, "ospf-router-id"),
    (0x0009, "source-AS"),
    (0x000a, "l2vpn-id"),
    (0xf10a, "l2vpn-id"),
    (0x010b, "vrf-route-import"),
    (0x030c, "encapsulation"),
    (0x800a, "layer2-info"),
    (0x8800, "eigrp-general-route (flag, tag)"),
    (0x8801, "eigrp-route-metric (AS, delay)"),
    (
        0x8802,
        "eigrp-route-metric (reliability, nexthop, bandwidth)",
    ),
    (0x8803, "eigrp-route-metric (load, MTU)"),
    (0x8804, "eigrp-external-route (remote-AS, remote-ID)"),
    (0x8805, "eigrp-external-route (remote-proto, remote-metric)"),
];

pub(super) const OSPF_ROUTE_TYPES: Table<u8> = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (5, "External"),
    (7, "NSSA External"),
    (129, "MPLS-VPN Sham"),
];

pub(super) const TUNNEL_TYPES: Table<u16> = &[
    (1, "L2TPv3 over IP"),
    (2, "GRE"),
    (3, "Transmit Tunnel"),
    (4, "IPsec"),
    (5, "IP in IP with IPsec"),
    (6, "MPLS in IP with IPsec"),
    (7, "IP in IP"),
    (8, "VXLAN"),
    (9, "NVGRE"),
    (10, "MPLS"),
    (11, "MPLS in GRE"),
    (12, "VXLAN GPE"),
    (13, "MPLS in UDP"),
    (14, "IPv6"),
    (15, "SR TE"),
    (16, "Bare"),
    (17, "SR"),
];

/// Layer 2 encapsulations (RFC 4446), the `layer2-info` community's.
pub(super) const L2_ENCAPS: Table<u8> = &[
    (0, "Reserved"),
    (1, "Frame Relay"),
    (2, "ATM AAL5 SDU VCC transport"),
    (3, "ATM transparent cell transport"),
    (4, "Ethernet (VLAN) Tagged Mode"),
    (5, "Ethernet Raw Mode"),
    (6, "Cisco HDLC"),
    (7, "PPP"),
    (8, "SONET/SDH Circuit Emulation Service over MPLS"),
    (9, "ATM n-to-one VCC cell transport"),
    (10, "ATM n-to-one VPC cell transport"),
    (11, "IP layer 2 transport"),
    (15, "Frame Relay Port mode"),
    (17, "Structure-agnostic E1 over packet"),
    (18, "Structure-agnostic T1 (DS1) over packet"),
    (19, "VPLS"),
    (20, "Structure-agnostic T3 (DS3) over packet"),
    (21, "Nx64kbit/s Basic Service using Structure-aware"),
    (25, "Frame Relay DLCI"),
    (40, "Structure-agnostic E3 over packet"),
    (
        41,
        "Octet-aligned playload for Structure-agnostic DS1 circuits",
    ),
    (42, "E1 Nx64kbit/s with CAS using Structure-aware"),
    (43, "DS1 (ESF) Nx64kbit/s with CAS using Structure-aware"),
    (44, "DS1 (SF) Nx64kbit/s with CAS using Structure-aware"),
];

pub(super) const PMSI_TUNNELS: Table<u8> = &[
    (1, "RSVP-TE P2MP LSP"),
    (2, "LDP P2MP LSP"),
    (3, "PIM-SSM Tree"),
    (4, "PIM-SM Tree"),
    (5, "PIM-Bidir Tree"),
    (6, "Ingress Replication"),
    (7, "LDP MP2MP LSP"),
];

/// `table`'s name for `v`, or `default`.
pub(super) fn name<T: PartialEq + Copy>(
    table: Table<T>,
    v: T,
    default: &'static str,
) -> &'static str {
    tok(table, v).unwrap_or(default)
}

/// `table`'s name for `v`, if it has one.
pub(super) fn name_opt<T: PartialEq + Copy>(table: Table<T>, v: T) -> Option<&'static str> {
    tok(table, v)
}
