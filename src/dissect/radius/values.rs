//! What RADIUS's `-v` printer knows of each attribute type: how its value
//! is written, the names of enumerated values, Error-Cause's names, the
//! MIP6 feature bits, the location policy flags and the SMI enterprise
//! names vendor-specific attributes are shown with — tcpdump 4.99's, found
//! by sending every type and every vendor number through it and reading
//! what it printed.

/// How an attribute's value is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Print {
    /// Nothing (passwords, unknown types).
    None,
    Text,
    Number,
    Address,
    Address6,
    Prefix6,
    Time,
    Vendor,
    /// ARAP's values and Error-Cause.
    Odd,
    Features64,
    HomeLinkPrefix,
    OperatorName,
    LocationInfo,
    LocationData,
    LocationRules,
}

/// How the value of attribute type `t` is written.
pub(super) fn attribute_print(t: u8) -> Print {
    use Print::*;
    match t {
        1
        | 11
        | 18..=20
        | 22
        | 24
        | 25
        | 30..=36
        | 39
        | 44
        | 50
        | 58
        | 60
        | 63
        | 66..=69
        | 73
        | 74
        | 77..=82
        | 87..=92
        | 99
        | 100
        | 103..=122 => Text,
        5..=7
        | 10
        | 12
        | 13
        | 15
        | 16
        | 23
        | 27..=29
        | 37
        | 38
        | 40..=43
        | 45..=49
        | 51..=53
        | 56
        | 57
        | 61
        | 62
        | 64
        | 65
        | 72
        | 75
        | 76
        | 83
        | 85
        | 86 => Number,
        4 | 8 | 9 | 14 => Address,
        95 | 98 => Address6,
        97 | 123 => Prefix6,
        55 => Time,
        26 => Vendor,
        70 | 71 | 84 | 101 => Odd,
        124 => Features64,
        125 => HomeLinkPrefix,
        126 => OperatorName,
        127 => LocationInfo,
        128 => LocationData,
        129 => LocationRules,
        _ => None,
    }
}

/// The names of an enumerated attribute's values, when `t` is one.
pub(super) fn enum_name(t: u8) -> Option<fn(u32) -> Option<&'static str>> {
    let names: fn(u32) -> Option<&'static str> = match t {
        6 => |v| from(SERVICE_TYPES, v, 1),
        7 => |v| from(FRAMED_PROTOCOLS, v, 1),
        10 => |v| from(&["None", "Send", "Listen", "Send&Listen"], v, 0),
        13 => |v| from(&["None", "VJ TCP/IP", "IPX", "Stac-LZS"], v, 0),
        15 => |v| from(LOGIN_SERVICES, v, 0),
        29 => |v| from(&["Default", "RADIUS-Request"], v, 0),
        40 => |v| from(ACCT_STATUS, v, 1),
        45 => |v| from(&["RADIUS", "Local", "Remote", "Diameter"], v, 1),
        49 => |v| from(TERMINATE_CAUSES, v, 1),
        57 => |v| from(&["Enabled", "Disabled"], v, 1),
        61 => |v| from(NAS_PORT_TYPES, v, 0),
        64 => |v| from(TUNNEL_TYPES, v, 1),
        65 => |v| from(TUNNEL_MEDIA, v, 1),
        72 => |v| from(ARAP_ZONES, v, 1),
        76 => |v| from(&["No Echo", "Echo"], v, 0),
        _ => return None,
    };
    Some(names)
}

/// `table`'s name for `v`, the table starting at value `first`.
fn from(table: &'static [&'static str], v: u32, first: u32) -> Option<&'static str> {
    let i = usize::try_from(v.checked_sub(first)?).ok()?;
    table.get(i).copied()
}

const SERVICE_TYPES: &[&str] = &[
    "Login",
    "Framed",
    "Callback Login",
    "Callback Framed",
    "Outbound",
    "Administrative",
    "NAS Prompt",
    "Authenticate Only",
    "Callback NAS Prompt",
    "Call Check",
    "Callback Administrative",
    "Voice",
    "Fax",
    "Modem Relay",
    "IAPP-Register",
    "IAPP-AP-Check",
    "Authorize Only",
    "Framed-Management",
    "Additional-Authorization",
];

const FRAMED_PROTOCOLS: &[&str] = &[
    "PPP",
    "SLIP",
    "ARAP",
    "Gandalf proprietary",
    "Xylogics IPX/SLIP",
    "X.75 Synchronous",
    "GPRS PDP Context",
];

const LOGIN_SERVICES: &[&str] = &[
    "Telnet",
    "Rlogin",
    "TCP Clear",
    "PortMaster(proprietary)",
    "LAT",
    "X.25-PAD",
    "X.25-T3POS",
    "Unassigned",
    "TCP Clear Quiet",
];

const ACCT_STATUS: &[&str] = &[
    "Start",
    "Stop",
    "Interim-Update",
    "Unassigned",
    "Unassigned",
    "Unassigned",
    "Accounting-On",
    "Accounting-Off",
    "Tunnel-Start",
    "Tunnel-Stop",
    "Tunnel-Reject",
    "Tunnel-Link-Start",
    "Tunnel-Link-Stop",
    "Tunnel-Link-Reject",
    "Failed",
];

const TERMINATE_CAUSES: &[&str] = &[
    "User Request",
    "Lost Carrier",
    "Lost Service",
    "Idle Timeout",
    "Session Timeout",
    "Admin Reset",
    "Admin Reboot",
    "Port Error",
    "NAS Error",
    "NAS Request",
    "NAS Reboot",
    "Port Unneeded",
    "Port Preempted",
    "Port Suspended",
    "Service Unavailable",
    "Callback",
    "User Error",
    "Host Request",
    "Supplicant Restart",
    "Reauthentication Failure",
    "Port Reinitialized",
    "Port Administratively Disabled",
    "Lost Power",
];

const NAS_PORT_TYPES: &[&str] = &[
    "Async",
    "Sync",
    "ISDN Sync",
    "ISDN Async V.120",
    "ISDN Async V.110",
    "Virtual",
    "PIAFS",
    "HDLC Clear Channel",
    "X.25",
    "X.75",
    "G.3 Fax",
    "SDSL",
    "ADSL-CAP",
    "ADSL-DMT",
    "ISDN-DSL",
    "Ethernet",
    "xDSL",
    "Cable",
    "Wireless - Other",
    "Wireless - IEEE 802.11",
    "Token-Ring",
    "FDDI",
    "Wireless - CDMA200",
    "Wireless - UMTS",
    "Wireless - 1X-EV",
    "IAPP",
    "FTTP",
    "Wireless - IEEE 802.16",
    "Wireless - IEEE 802.20",
    "Wireless - IEEE 802.22",
    "PPPoA",
    "PPPoEoA",
    "PPPoEoE",
    "PPPoEoVLAN",
    "PPPoEoQinQ",
    "xPON",
    "Wireless - XGP",
    "WiMAX Pre-Release 8 IWK Function",
    "WIMAX-WIFI-IWK",
    "WIMAX-SFF",
    "WIMAX-HA-LMA",
    "WIMAX-DHCP",
    "WIMAX-LBS",
    "WIMAX-WVS",
];

const TUNNEL_TYPES: &[&str] = &[
    "PPTP",
    "L2F",
    "L2TP",
    "ATMP",
    "VTP",
    "AH",
    "IP-IP",
    "MIN-IP-IP",
    "ESP",
    "GRE",
    "DVS",
    "IP-in-IP Tunneling",
    "VLAN",
];

const TUNNEL_MEDIA: &[&str] = &[
    "IPv4",
    "IPv6",
    "NSAP",
    "HDLC",
    "BBN 1822",
    "802",
    "E.163",
    "E.164",
    "F.69",
    "X.121",
    "IPX",
    "Appletalk",
    "Decnet IV",
    "Banyan Vines",
    "E.164 with NSAP subaddress",
];

const ARAP_ZONES: &[&str] = &[
    "Only access to dfl zone",
    "Use zone filter inc.",
    "Not used",
    "Use zone filter exc.",
];

pub(super) const ERROR_CAUSES: &[(u32, &str)] = &[
    (201, "Residual Session Context Removed"),
    (202, "Invalid EAP Packet (Ignored)"),
    (401, "Unsupported Attribute"),
    (402, "Missing Attribute"),
    (403, "NAS Identification Mismatch"),
    (404, "Invalid Request"),
    (405, "Unsupported Service"),
    (406, "Unsupported Extension"),
    (407, "Invalid Attribute Value"),
    (501, "Administratively Prohibited"),
    (502, "Request Not Routable (Proxy)"),
    (503, "Session Context Not Found"),
    (504, "Session Context Not Removable"),
    (505, "Other Proxy Processing Error"),
    (506, "Resources Unavailable"),
    (507, "Request Initiated"),
    (508, "Multiple Session Selection Unsupported"),
    (509, "Location Info Required"),
];

pub(super) const MIP6_FEATURES: [(u64, &str); 12] = [
    (1, "MIP6_INTEGRATED"),
    (2, "LOCAL_HOME_AGENT_ASSIGNMENT"),
    (1 << 40, "PMIP6_SUPPORTED"),
    (1 << 41, "IP4_HOA_SUPPORTED"),
    (1 << 42, "LOCAL_MAG_ROUTING_SUPPORTED"),
    (1 << 43, "ASSIGN_LOCAL_IP"),
    (1 << 44, "MIP4_SUPPORTED"),
    (1 << 45, "OPTIMIZED_IDLE_MODE_MOBILITY"),
    (1 << 46, "GTPv2_SUPPORTED"),
    (1 << 47, "IP4_TRANSPORT_SUPPORTED"),
    (1 << 48, "IP4_HOA_ONLY_SUPPORTED"),
    (1 << 49, "INTER_MAG_ROUTING_SUPPORTED"),
];

/// Basic-Location-Policy-Rules' flags, lowest bit first.
pub(super) const POLICY_FLAGS: &[(u32, &str)] = &[
    (0x0001, "MBZ-15"),
    (0x0002, "MBZ-14"),
    (0x0004, "MBZ-13"),
    (0x0008, "MBZ-12"),
    (0x0010, "MBZ-11"),
    (0x0020, "MBZ-10"),
    (0x0040, "MBZ-9"),
    (0x0080, "MBZ-8"),
    (0x0100, "MBZ-7"),
    (0x0200, "MBZ-6"),
    (0x0400, "MBZ-5"),
    (0x0800, "MBZ-4"),
    (0x1000, "MBZ-3"),
    (0x2000, "MBZ-2"),
    (0x4000, "MBZ-1"),
    (0x8000, "Retransmission Allowed"),
];

/// SMI enterprise numbers tcpdump names in a vendor-specific attribute.
pub(in crate::dissect) const SMI_VENDORS: &[(u32, &str)] = &[
    (0, "IETF (reserved)"),
    (5, "ACC"),
    (9, "Cisco"),
    (11, "Hewlett Packard"),
    (42, "Sun Microsystems"),
    (61, "Merit"),
    (74, "AT&T"),
    (161, "Motorola"),
    (166, "Shiva"),
    (193, "Ericsson AB"),
    (255, "Cisco VPN 5000"),
    (307, "Livingston"),
    (311, "Microsoft"),
    (429, "3Com"),
    (529, "Ascend"),
    (1584, "Bay Networks"),
    (1991, "Foundry"),
    (2180, "Versanet"),
    (2352, "Redback"),
    (2636, "Juniper Networks"),
    (2637, "Aptis"),
    (2937, "Deutsche Telekom AG"),
    (3054, "Ixia Communications"),
    (3076, "Cisco VPN 3000"),
    (3085, "CoSine Communications"),
    (3199, "Shasta"),
    (3224, "Netscreen"),
    (3309, "Nomadix"),
    (3414, "T-Mobile"),
    (3561, "The Broadband Forum"),
    (3902, "ZTE"),
    (4329, "Siemens"),
    (4491, "CableLabs"),
    (4874, "Unisphere Networks"),
    (5263, "Cisco BBSM"),
    (5535, "3rd Generation Partnership Project 2 (3GPP2)"),
    (5806, "SK Telecom"),
    (5925, "ipUnplugged"),
    (5948, "Issanni Communications"),
    (5951, "Netscaler"),
    (6490, "T-Mobile"),
    (6618, "Quintum"),
    (6728, "Interlink"),
    (7951, "CNCTC"),
    (8164, "Starent Networks"),
    (8744, "Colubris"),
    (10415, "3GPP"),
    (10529, "Gemtek-Systems"),
    (10704, "Barracuda Networks"),
    (10923, "Ericsson AB - Packet Core Networks"),
    (11665, "dacom"),
    (11862, "Columbia University"),
    (12356, "Fortinet"),
    (12951, "Verizon Wireless"),
    (13745, "Plixer"),
    (14122, "Wi-Fi Alliance"),
    (16787, "T-Systems Nova"),
    (20942, "China Telecom - Guangzhou Research Institute"),
    (26866, "Gigamon Systems"),
    (32622, "CACE Technologies"),
    (35632, "ntop"),
    (46098, "Ericsson Canada"),
];
