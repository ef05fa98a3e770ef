//! tcpdump's words for an IEEE 802.2 LLC header and the SNAP header after
//! it, as `-e` prints them (`LLC, dsap SNAP (0xaa) Individual, … ctrl
//! 0x03: oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 84: `),
//! shared by 802.3 frames and 802.11 data frames.

use super::super::ctl::out;

/// tcpdump's names of the LLC SAPs (bit 0 cleared).
pub fn sap_name(sap: u8) -> Option<&'static str> {
    Some(match sap {
        0x00 => "Null",
        0x02 => "802.1B I",
        0x04 => "SNA",
        0x06 => "IP",
        0x0e => "ProWay NM",
        0x42 => "STP",
        0x4e => "RS511",
        0x7e => "ISO8208",
        0x8e => "ProWay",
        0xaa => "SNAP",
        0xe0 => "IPX",
        0xf0 => "NetBeui",
        0xfe => "OSI",
        _ => return None,
    })
}

/// tcpdump's names of the OUIs a SNAP header carries.
pub fn oui_name(oui: u32) -> &'static str {
    match oui {
        0x000000 => "Ethernet",
        0x00000c => "Cisco",
        0x0000f8 => "Cisco bridged",
        0x0080c2 => "Ethernet bridged",
        0x080007 => "Appletalk",
        _ => "Unknown",
    }
}

/// `ethertype NAME` or `pid NAME` of a SNAP header, as tcpdump words it.
pub fn pid_words(oui: u32, pid: u16) -> (&'static str, &'static str) {
    let name = match oui {
        0x000000 | 0x0000f8 | 0x080007 => crate::decode::names::ether_type(pid),
        0x00000c => Some(match pid {
            0x2000 => "CDP",
            0x2003 => "VTP",
            0x2004 => "DTP",
            0x0111 => "UDLD",
            0x010b => "PVST",
            0x010c => "VLAN Bridge",
            _ => "Unknown",
        }),
        // RFC 2684's bridged media, with and without their FCS.
        0x0080c2 => Some(match pid {
            0x0001 => "Ethernet + FCS",
            0x0002 => "802.4 + FCS",
            0x0003 => "Token Ring + FCS",
            0x0004 => "FDDI + FCS",
            0x0005 => "802.6 + FCS",
            0x0007 => "Ethernet w/o FCS",
            0x0008 => "802.4 w/o FCS",
            0x0009 => "Token Ring w/o FCS",
            0x000a => "FDDI w/o FCS",
            0x000b => "802.6 w/o FCS",
            0x000e => "BPDU",
            _ => "Unknown",
        }),
        _ => None,
    };
    let word = if oui == 0 { "ethertype" } else { "pid" };
    (word, name.unwrap_or("Unknown"))
}

/// `-e`'s LLC header: the SAPs with their group and response bits, the
/// control field (one byte for unnumbered frames, else two).
pub fn put_llc_header(
    w: &mut Vec<u8>,
    dsap_field: u8,
    ssap_field: u8,
    control: u16,
    unnumbered: bool,
) {
    let (dsap, ssap) = (dsap_field & 0xfe, ssap_field & 0xfe);
    let sap = |s: u8| sap_name(s).unwrap_or("Unknown");
    let ig = if dsap_field & 1 != 0 {
        "Group"
    } else {
        "Individual"
    };
    let cr = if ssap_field & 1 != 0 {
        "Response"
    } else {
        "Command"
    };
    out!(
        w,
        "LLC, dsap {} (0x{dsap:02x}) {ig}, ssap {} (0x{ssap:02x}) {cr}, ctrl 0x{control:0width$x}: ",
        sap(dsap),
        sap(ssap),
        width = if unnumbered { 2 } else { 4 },
    );
}

/// `-e`'s words of an LLC header that hands the frame on to the network
/// layer: the LLC header's, then SNAP's or the NLPID's after SAP 0xfe;
/// `after`: what follows the whole header on the wire.
pub fn put_llc_to_net(w: &mut Vec<u8>, l: &crate::decode::wlan::LlcToNet, after: usize) {
    put_llc_header(w, l.dsap, l.ssap, 3, true);
    if let Some(oui) = l.oui {
        put_snap_header(w, oui, l.ether_type, after);
    }
    if let Some(nlpid) = l.nlpid {
        crate::dissect::isis::put_nlpid_words(w, nlpid);
    }
}

/// `-e`'s SNAP header; `len`: what follows it on the wire.
pub fn put_snap_header(w: &mut Vec<u8>, oui: u32, pid: u16, len: usize) {
    let (word, pid_name) = pid_words(oui, pid);
    out!(
        w,
        "oui {} (0x{oui:06x}), {word} {pid_name} (0x{pid:04x}), length {len}: ",
        oui_name(oui)
    );
}

/// What tcpdump's EtherType printer (also reached through SNAP) writes
/// before IPX's and AppleTalk's lines, with the word their printers
/// leave out under `-e` (`IPX `, `AT `); `-v` marks AppleTalk `et1`.
pub fn ethertype_words(ether_type: u16, link_shown: bool, verbose: u8) -> &'static str {
    match (ether_type, link_shown, verbose > 0) {
        (0x8137, false, _) => "(NOV-ETHII) IPX ",
        (0x8137, true, _) => "(NOV-ETHII) ",
        (0x809b, false, false) => "AT ",
        (0x809b, false, true) => "et1 AT ",
        (0x809b, true, true) => "et1 ",
        _ => "",
    }
}

/// The words before IPX in an 802.3 frame: under `-e` which framing
/// ("raw" 802.3 or LLC SAP 0xe0), else IPX's own word.
pub fn ipx_8023_words(raw: bool, link_shown: bool) -> &'static str {
    match (link_shown, raw) {
        (false, _) => "IPX ",
        (true, true) => "IPX 802.3: ",
        (true, false) => "IPX 802.2: ",
    }
}
