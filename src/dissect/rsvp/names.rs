//! tcpdump's names for RSVP's message types, object classes and
//! class-types, reservation styles and error codes.

pub(super) const MESSAGES: &[(u8, &str)] = &[
    (1, "Path"),
    (2, "Resv"),
    (3, "PathErr"),
    (4, "ResvErr"),
    (5, "PathTear"),
    (6, "ResvTear"),
    (7, "ResvConf"),
    (12, "Bundle"),
    (13, "Acknowledgement"),
    (14, "Hello (Old)"),
    (15, "Refresh"),
    (20, "Hello"),
];

pub(super) const CLASSES: &[(u8, &str)] = &[
    (1, "Session"),
    (3, "RSVP Hop"),
    (4, "Integrity"),
    (5, "Time Values"),
    (6, "Error Spec"),
    (7, "Scope"),
    (8, "Style"),
    (9, "Flowspec"),
    (10, "FilterSpec"),
    (11, "Sender Template"),
    (12, "Sender TSpec"),
    (13, "Adspec"),
    (14, "Policy Data"),
    (15, "Confirm"),
    (16, "Label"),
    (19, "Label Request"),
    (20, "ERO"),
    (21, "RRO"),
    (22, "Hello"),
    (23, "Message ID"),
    (24, "Message ID Ack"),
    (25, "Message ID List"),
    (34, "Recovery Label"),
    (35, "Upstream Label"),
    (36, "Label Set"),
    (37, "Protection"),
    (50, "Sub-LSP to LSP"),
    (63, "Detour"),
    (66, "Class Type"),
    (125, "Class Type (old)"),
    (129, "Suggested Label"),
    (130, "Acceptable Label Set"),
    (131, "Restart Capability"),
    (134, "Capability"),
    (195, "Notify Request"),
    (196, "Administrative Status"),
    (204, "Properties"),
    (205, "Fast Re-Route"),
    (207, "Session Attribute"),
    (229, "Generalized UNI"),
    (230, "Call-ID"),
    (236, "Call Capability"),
];

/// Class-types by (class, c-type): they are not unique across classes.
pub(super) const CTYPES: &[((u8, u8), &str)] = &[
    ((3, 1), "IPv4"),
    ((3, 2), "IPv6"),
    ((3, 3), "IPv4 plus opt. TLVs"),
    ((3, 4), "IPv6 plus opt. TLVs"),
    ((195, 1), "IPv4"),
    ((195, 2), "IPv6"),
    ((15, 1), "IPv4"),
    ((15, 2), "IPv6"),
    ((5, 1), "1"),
    ((9, 1), "obsolete"),
    ((9, 2), "IntServ"),
    ((12, 2), "IntServ"),
    ((13, 2), "IntServ"),
    ((10, 1), "IPv4"),
    ((10, 2), "IPv6"),
    ((10, 3), "IPv6 Flow-label"),
    ((10, 7), "Tunnel IPv4"),
    ((10, 12), "IPv4 P2MP LSP Tunnel"),
    ((10, 13), "IPv6 P2MP LSP Tunnel"),
    ((1, 1), "IPv4"),
    ((1, 2), "IPv6"),
    ((1, 7), "Tunnel IPv4"),
    ((1, 11), "UNI IPv4"),
    ((1, 13), "IPv4 P2MP LSP Tunnel"),
    ((1, 14), "IPv6 P2MP LSP Tunnel"),
    ((11, 1), "IPv4"),
    ((11, 2), "IPv6"),
    ((11, 7), "Tunnel IPv4"),
    ((11, 12), "IPv4 P2MP LSP Tunnel"),
    ((11, 13), "IPv6 P2MP LSP Tunnel"),
    ((23, 1), "1"),
    ((24, 1), "Message id ack"),
    ((24, 2), "Message id nack"),
    ((25, 1), "1"),
    ((8, 1), "1"),
    ((22, 1), "Hello Request"),
    ((22, 2), "Hello Ack"),
    ((19, 1), "without label range"),
    ((19, 2), "with ATM label range"),
    ((19, 3), "with FR label range"),
    ((19, 4), "Generalized Label"),
    ((16, 1), "Label"),
    ((16, 2), "Generalized Label"),
    ((16, 3), "Waveband Switching"),
    ((129, 1), "Label"),
    ((129, 2), "Generalized Label"),
    ((129, 3), "Waveband Switching"),
    ((35, 1), "Label"),
    ((35, 2), "Generalized Label"),
    ((35, 3), "Waveband Switching"),
    ((34, 1), "Label"),
    ((34, 2), "Generalized Label"),
    ((34, 3), "Waveband Switching"),
    ((20, 1), "IPv4"),
    ((21, 1), "IPv4"),
    ((6, 1), "IPv4"),
    ((6, 2), "IPv6"),
    ((6, 3), "IPv4 plus opt. TLVs"),
    ((6, 4), "IPv6 plus opt. TLVs"),
    ((131, 1), "IPv4"),
    ((134, 1), "1"),
    ((207, 7), "Tunnel IPv4"),
    ((205, 7), "Tunnel IPv4"),
    ((205, 1), "1"),
    ((63, 7), "Tunnel IPv4"),
    ((204, 1), "1"),
    ((196, 1), "1"),
    ((66, 1), "1"),
    ((125, 1), "1"),
    ((36, 1), "1"),
    ((229, 1), "1"),
    ((50, 1), "IPv4 sub-LSP"),
    ((50, 2), "IPv6 sub-LSP"),
];

pub(super) const STYLES: &[(u32, &str)] = &[
    (17, "Wildcard Filter"),
    (10, "Fixed Filter"),
    (18, "Shared Explicit"),
];

pub(super) const SESSION_FLAGS: &[(u32, &str)] = &[
    (0x01, "Local Protection"),
    (0x02, "Label Recording"),
    (0x04, "SE Style"),
    (0x08, "Bandwidth protection"),
    (0x10, "Node protection"),
];

/// Error codes, and the values named for routing problems (24) and
/// Diffserv-TE errors (28, 125).
pub(super) const ERROR_CODES: &[(u8, &str)] = &[
    (24, "Routing Problem"),
    (25, "Notify Error"),
    (28, "Diffserv TE Error"),
    (125, "Diffserv TE Error (Old)"),
];

pub(super) const ROUTING_ERRORS: &[(u16, &str)] = &[
    (1, "Bad EXPLICIT_ROUTE object"),
    (2, "Bad strict node"),
    (3, "Bad loose node"),
    (4, "Bad initial subobject"),
    (5, "No route available toward destination"),
    (6, "Unacceptable label value"),
    (7, "RRO indicated routing loops"),
    (8, "non-RSVP-capable router in the path"),
    (9, "MPLS label allocation failure"),
    (10, "Unsupported L3PID"),
];

pub(super) const DIFFSERV_TE_ERRORS: &[(u16, &str)] = &[
    (1, "Unexpected CT object"),
    (2, "Unsupported CT"),
    (3, "Invalid CT value"),
    (4, "CT/setup priority do not form a configured TE-Class"),
    (5, "CT/holding priority do not form a configured TE-Class"),
    (
        6,
        "CT/setup priority and CT/holding priority do not form a configured TE-Class",
    ),
    (7, "Inconsistency between signaled PSC and signaled CT"),
    (8, "Inconsistency between signaled PHBs and signaled CT"),
];

/// IntServ (RFC 2210, 2212, 2215): the service headers' numbers and the
/// parameters' ids in SENDER_TSPEC, FLOWSPEC and ADSPEC.
pub(super) const INTSERV_SERVICES: &[(u8, &str)] = &[
    (1, "Default/Global Information"),
    (2, "Guaranteed Service"),
    (5, "Controlled Load"),
];

pub(super) const INTSERV_PARAMETERS: &[(u8, &str)] = &[
    (4, "IS hop cnt"),
    (6, "Path b/w estimate"),
    (8, "Minimum path latency"),
    (10, "Composed MTU"),
    (127, "Token Bucket TSpec"),
    (130, "Guaranteed Service RSpec"),
    (133, "End-to-end composed value for C"),
    (134, "End-to-end composed value for D"),
    (135, "Since-last-reshaping point composed C"),
    (136, "Since-last-reshaping point composed D"),
];

/// ERO and RRO subobject types (the low 7 bits), an IPv4 subobject's
/// RRO flags (RFC 4090) and a label subobject's (RFC 3209).
pub(super) const ROUTE_SUBOBJECTS: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4 prefix"),
    (2, "IPv6 prefix"),
    (3, "Label"),
    (32, "Autonomous system number"),
    (64, "MPLS label switched path termination"),
];

pub(super) const RRO_FLAGS: &[(u32, &str)] = &[
    (0x01, "Local protection available"),
    (0x02, "Local protection in use"),
    (0x04, "Bandwidth protection"),
    (0x08, "Node protection"),
];

pub(super) const RRO_LABEL_FLAGS: &[(u32, &str)] = &[(0x01, "Global")];

/// INTEGRITY's flags (RFC 2747).
pub(super) const INTEGRITY_FLAGS: &[(u32, &str)] = &[(0x80, "Handshake")];

/// ADMIN_STATUS's bits (RFC 3471, 3473).
pub(super) const ADMIN_STATUS_FLAGS: &[(u32, &str)] = &[
    (0x8000_0000, "Reflect"),
    (0x0000_0004, "Testing"),
    (0x0000_0002, "Admin-down"),
    (0x0000_0001, "Delete-in-progress"),
];

/// CAPABILITY's bits (RFC 5063); the others must be zero.
pub(super) const CAPABILITY_FLAGS: &[(u32, &str)] = &[
    (0x4, "RecoveryPath Transmit Enabled"),
    (0x2, "RecoveryPath Desired"),
    (0x1, "RecoveryPath Srefresh Capable"),
];

/// LABEL_SET's actions (RFC 3471): the ranges are 2 and 3.
pub(super) const LABEL_SET_ACTIONS: &[(u8, &str)] = &[
    (0, "Inclusive list"),
    (1, "Exclusive list"),
    (2, "Inclusive range"),
    (3, "Exclusive range"),
];

/// GENERALIZED_UNI's subobjects (OIF UNI 1.0, RFC 3476).
pub(super) const UNI_SUBOBJECTS: &[(u8, &str)] = &[
    (1, "Source TNA address"),
    (2, "Destination TNA address"),
    (3, "Diversity"),
    (4, "Egress label"),
    (5, "Service level"),
];

/// The TLVs of Juniper's PROPERTIES object.
pub(super) const PROPERTY_TLVS: &[(u8, &str)] = &[
    (0x01, "Cos"),
    (0x02, "Metric 1"),
    (0x04, "Metric 2"),
    (0x08, "CCC Status"),
    (0x10, "Path Type"),
];

/// A generalized LABEL_REQUEST's payload ids (RFC 3471, G.709's draft).
pub(super) const GMPLS_PAYLOADS: &[(u16, &str)] = &[
    (0, "Unknown"),
    (1, "Reserved"),
    (2, "Reserved"),
    (3, "Reserved"),
    (4, "Reserved"),
    (5, "Asynchronous mapping of E4"),
    (6, "Asynchronous mapping of DS3/T3"),
    (7, "Asynchronous mapping of E3"),
    (8, "Bit synchronous mapping of E3"),
    (9, "Byte synchronous mapping of E3"),
    (10, "Asynchronous mapping of DS2/T2"),
    (11, "Bit synchronous mapping of DS2/T2"),
    (12, "Reserved"),
    (13, "Asynchronous mapping of E1"),
    (14, "Byte synchronous mapping of E1"),
    (15, "Byte synchronous mapping of 31 * DS0"),
    (16, "Asynchronous mapping of DS1/T1"),
    (17, "Bit synchronous mapping of DS1/T1"),
    (18, "Byte synchronous mapping of DS1/T1"),
    (19, "VC-11 in VC-12"),
    (20, "Reserved"),
    (21, "Reserved"),
    (22, "DS1 SF Asynchronous"),
    (23, "DS1 ESF Asynchronous"),
    (24, "DS3 M23 Asynchronous"),
    (25, "DS3 C-Bit Parity Asynchronous"),
    (26, "VT/LOVC"),
    (27, "STS SPE/HOVC"),
    (28, "POS - No Scrambling, 16 bit CRC"),
    (29, "POS - No Scrambling, 32 bit CRC"),
    (30, "POS - Scrambling, 16 bit CRC"),
    (31, "POS - Scrambling, 32 bit CRC"),
    (32, "ATM mapping"),
    (33, "Ethernet PHY"),
    (34, "SONET/SDH"),
    (35, "Reserved (SONET deprecated)"),
    (36, "Digital Wrapper"),
    (37, "Lambda"),
    (38, "ANSI/ETSI PDH"),
    (39, "Reserved"),
    (40, "Link Access Protocol SDH (X.85 and X.86)"),
    (41, "FDDI"),
    (42, "DQDB (ETSI ETS 300 216)"),
    (43, "FiberChannel-3 (Services)"),
    (44, "HDLC"),
    (45, "Ethernet V2/DIX (only)"),
    (46, "Ethernet 802.3 (only)"),
    (47, "G.709 ODUj"),
    (48, "G.709 OTUk(v)"),
    (49, "CBR/CBRa"),
    (50, "CBRb"),
    (51, "BSOT"),
    (52, "BSNT"),
    (53, "IP/PPP (GFP)"),
    (54, "Ethernet MAC (framed GFP)"),
    (55, "Ethernet PHY (transparent GFP)"),
    (56, "ESCON"),
    (57, "FICON"),
    (58, "Fiber Channel"),
];
