//! What Juniper's ATM PICs' records carry after the header, as tcpdump
//! 4.99's ATM1 and ATM2 printers guess it in turn: an OAM cell (the
//! cookie says so), an LLC PDU, (ATM2, outbound) an Ethernet frame, Cisco's
//! NLPID, (ATM2) a PPP frame without address and control, an IP packet.
//! And the ATM2 PIC's cell relay control word, which its header walk
//! counts into the header for an OAM cell.

/// The first byte of an ATM1 PIC's cookie that marks an OAM cell.
pub const ATM1_OAM_COOKIE: u8 = 0x80;

/// The ATM2 PIC's cookie's last byte: its packet type bits (non-zero for
/// an OAM cell, which then has a control word first).
const ATM2_PKT_TYPE: u8 = 0x70;

/// The ATM2 PIC's cookie's first four bytes: the gap count's bits, set on
/// an outbound Ethernet-over-ATM (RFC 1483 bridged) frame.
const ATM2_GAP_COUNT: u32 = 0x3f;

/// The control words tcpdump counts into the header (zero, JUNOS before
/// 7.4's, and 7.4's with the cell's length, 56); others are read as the
/// OAM cell's first bytes.
const CONTROL_WORDS: [u32; 3] = [0, 0x0800_0000, 0x0838_0000];

/// The PPP protocols tcpdump's guess for a PPP frame over ATM (VC
/// multiplexed, no address and control) knows: IP, OSI, MPLS unicast and
/// multicast, IPCP, OSICP, MPLSCP, LCP, PAP, CHAP, multilink, IPv6, IPV6CP.
const PPP_GUESSED: [u16; 13] = [
    0x0021, 0x0023, 0x0281, 0x0283, 0x8021, 0x8023, 0x8281, 0xc021, 0xc023, 0xc223, 0x003d, 0x0057,
    0x8057,
];

/// What an ATM PIC's record carries after its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Atm {
    /// An OAM cell (the cookie says so): its 4-byte cell header without
    /// HEC, then the 48-byte payload.
    Oam,
    /// Fewer than three bytes after the header (` [|juniper_atm1]`).
    Cut,
    /// An LLC PDU (`aa aa 03` or `fe fe 03`): RFC 1483's.
    Llc,
    /// (ATM2) an outbound frame whose cookie has a gap count: Ethernet.
    Ether,
    /// Cisco's NLPID after a UI byte.
    Cnlpid,
    /// (ATM2) a PPP frame by its protocol (two bytes, no address).
    Ppp,
    /// An IP packet (by its first byte), or nothing tcpdump guesses.
    Other,
}

impl Atm {
    /// The word `--json` names it by.
    pub fn name(self) -> &'static str {
        match self {
            Atm::Oam => "oam",
            Atm::Cut => "cut",
            Atm::Llc => "llc",
            Atm::Ether => "ether",
            Atm::Cnlpid => "cnlpid",
            Atm::Ppp => "ppp",
            Atm::Other => "other",
        }
    }
}

/// Whether an ATM2 PIC's cookie marks an OAM cell.
pub fn atm2_oam(cookie: &[u8]) -> bool {
    cookie.get(7).is_some_and(|b| b & ATM2_PKT_TYPE != 0)
}

/// The ATM2 PIC's control word (the four bytes after the cookie) of an
/// OAM cell, and whether tcpdump counts it into the header.
pub fn control_word(cookie: &[u8], after: [u8; 4]) -> Option<(u32, bool)> {
    if !atm2_oam(cookie) {
        return None;
    }
    let word = u32::from_be_bytes(after);
    Some((word, CONTROL_WORDS.contains(&word)))
}

fn llc(rest: &[u8]) -> bool {
    matches!(rest, [0xaa, 0xaa, 3, ..] | [0xfe, 0xfe, 3, ..])
}

/// What an ATM1 record with `cookie` carries in `rest` (after its header).
pub fn atm1(cookie: &[u8], rest: &[u8]) -> Atm {
    if cookie.first() == Some(&ATM1_OAM_COOKIE) {
        return Atm::Oam;
    }
    match rest {
        _ if llc(rest) => Atm::Llc,
        _ if rest.len() < 3 => Atm::Cut,
        [3, ..] => Atm::Cnlpid,
        _ => Atm::Other,
    }
}

/// Whether an ATM2 record is read as an Ethernet frame (RFC 1483
/// bridged) when nothing before that guess took it: outbound, and the
/// cookie has a gap count. tcpdump guesses it after the LLC printer too,
/// so an LLC PDU whose SNAP protocol that printer did not follow is
/// printed a second time, as an Ethernet frame.
pub fn atm2_bridged(cookie: &[u8], inbound: bool) -> bool {
    !inbound
        && cookie
            .first_chunk::<4>()
            .is_some_and(|c| u32::from_be_bytes(*c) & ATM2_GAP_COUNT != 0)
}

/// What an ATM2 record with `cookie` carries in `rest` (after its header
/// and control word); `inbound`: the header's direction.
pub fn atm2(cookie: &[u8], inbound: bool, rest: &[u8]) -> Atm {
    if atm2_oam(cookie) {
        return Atm::Oam;
    }
    match rest {
        _ if llc(rest) => Atm::Llc,
        _ if rest.len() < 3 => Atm::Cut,
        _ if atm2_bridged(cookie, inbound) => Atm::Ether,
        [3, ..] => Atm::Cnlpid,
        [a, b, ..] if PPP_GUESSED.contains(&u16::from_be_bytes([*a, *b])) => Atm::Ppp,
        _ => Atm::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atm2_guesses_in_tcpdump_order() {
        let plain = [0, 0, 0, 0, 0, 0, 0, 0];
        let gap = [0, 0, 0, 1, 0, 0, 0, 0];
        let oam = [0, 0, 0, 0, 0, 0, 0, 0x10];
        assert_eq!(atm2(&oam, false, &[0xaa, 0xaa, 3]), Atm::Oam);
        assert_eq!(atm2(&gap, false, &[0xaa, 0xaa, 3]), Atm::Llc);
        assert_eq!(atm2(&gap, false, &[3, 0xcc, 0x45]), Atm::Ether);
        assert_eq!(atm2(&gap, true, &[3, 0xcc, 0x45]), Atm::Cnlpid);
        assert_eq!(atm2(&plain, false, &[0, 0x21, 0x45]), Atm::Ppp);
        assert_eq!(atm2(&plain, false, &[0x45, 0, 0]), Atm::Other);
        assert_eq!(atm2(&plain, false, &[0x45, 0]), Atm::Cut);
        assert!(atm2_bridged(&gap, false));
        assert!(!atm2_bridged(&gap, true));
        assert!(!atm2_bridged(&plain, false));
        assert!(!atm2_bridged(&gap[..3], false));
        assert_eq!(
            control_word(&oam, [8, 0x38, 0, 0]),
            Some((0x0838_0000, true))
        );
        assert_eq!(control_word(&oam, [1, 2, 3, 4]), Some((0x0102_0304, false)));
        assert_eq!(control_word(&plain, [0; 4]), None);
    }
}
