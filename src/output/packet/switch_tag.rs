//! Frames with a switch tag between the source address and the EtherType
//! (Broadcom's, link type 281; Marvell's DSA and EDSA, 284 and 285):
//! tcpdump's Ethernet printer reads the frame as if the tag were not
//! there, and says the tag's words first on the line or, under `-e`,
//! after the addresses (Marvell's in longer words there); the `-e` length
//! (and an unknown EtherType's) is the whole frame's, tag included. The line
//! printer prints the frame without its tag
//! (`decode::link_more::untagged`) while [`with`] says which frame that is
//! and what its tag was.

use crate::packet::Packet;
use std::cell::Cell;

/// The untagged frame being printed and its tag.
#[derive(Clone, Copy)]
pub(super) struct Current {
    /// Where the untagged frame's bytes start: only that frame gets the
    /// tag (a frame inside a tunnel of it does not).
    frame: usize,
    /// The record's link type (which tag it is).
    link: u32,
    /// The tag's bytes (4, or EDSA's 8), zeros after them.
    tag: [u8; 8],
    len: u8,
    /// `-e`: the words go after the addresses.
    eflag: bool,
}

thread_local! {
    static CURRENT: Cell<Option<Current>> = const { Cell::new(None) };
}

/// Run `f` printing `frame`, the untagged frame of a record whose tag was
/// `tag`.
pub(super) fn with<R>(
    (link, frame, tag): (u32, &Packet<'_>, &[u8]),
    eflag: bool,
    f: impl FnOnce() -> R,
) -> R {
    let mut bytes = [0; 8];
    let len = tag.len().min(bytes.len());
    bytes[..len].copy_from_slice(&tag[..len]);
    let now = Current {
        frame: frame.data.as_ptr() as usize,
        link,
        tag: bytes,
        len: len as u8,
        eflag,
    };
    let before = CURRENT.with(|c| c.replace(Some(now)));
    let r = f();
    CURRENT.with(|c| c.set(before));
    r
}

/// The tag of `pkt`, when it is the untagged frame being printed.
pub(super) fn of(pkt: &Packet<'_>) -> Option<Current> {
    CURRENT
        .with(Cell::get)
        .filter(|c| c.frame == pkt.data.as_ptr() as usize)
}

impl Current {
    /// The tag's bytes on the wire, which the `-e` length counts.
    pub(super) fn len(self) -> u32 {
        u32::from(self.len)
    }

    /// Whether its words go after the addresses (`-e`) rather than first.
    pub(super) fn in_header(self) -> bool {
        self.eflag
    }

    /// The tag printer's words (the `-e` ones after the addresses),
    /// ending in `, `.
    pub(super) fn write_words(self, w: &mut Vec<u8>) {
        use crate::decode::link_more::{DSA, EDSA};
        use crate::dissect::link::{brcm, dsa};
        let [a, b, c, d, ..] = self.tag;
        match self.link {
            DSA => dsa::write_dsa(w, [a, b, c, d], self.eflag),
            EDSA => dsa::write_edsa(w, self.tag, self.eflag),
            _ => brcm::write_tag(w, [a, b, c, d]),
        }
    }
}

/// `pkt`'s length on the wire as tcpdump's Ethernet printer names it in
/// its words (`length N`): a switch tag's bytes included.
pub(super) fn frame_len(pkt: &Packet<'_>) -> u32 {
    pkt.orig_len + of(pkt).map_or(0, Current::len)
}
