//! IEEE 802.15.4 frames as a capture's link type: 195 (the frame with its
//! FCS) and 230 (without). tcpdump hands the captured bytes, their length
//! the captured length, to the 802.15.4 printer ZEP's frames go through
//! ([`crate::dissect::ieee802_15_4`]): the same line, without ZEP's.

use super::Frame;
use crate::decode::link_more::{IEEE802_15_4, IEEE802_15_4_NOFCS};
use crate::dissect::default_print;
use crate::dissect::ieee802_15_4::{self as frame, CUT, Outcome};

pub(super) fn handles(link: u32) -> bool {
    matches!(link, IEEE802_15_4 | IEEE802_15_4_NOFCS)
}

/// The frame's line; `None` when the printer ran past the capture (its
/// mark written: tcpdump's `longjmp`).
fn print(w: &mut Vec<u8>, f: &Frame<'_>) -> Option<Outcome> {
    match frame::print(w, f.data, f.data.len(), f.verbose, default_print::on()) {
        Ok(outcome) => Some(outcome),
        Err(_) => {
            w.extend_from_slice(CUT.as_bytes());
            None
        }
    }
}

pub(super) fn write_message(w: &mut Vec<u8>, f: &Frame<'_>) {
    print(w, f);
}

/// Where tcpdump's `-x` dump starts: the link printer returns the frame
/// printer's verdict as its header length, 1 for a frame it printed, 0
/// for one it could not decode or gave up on (a `longjmp`).
/// The printer's default print cut by the capture is a `longjmp` too (a
/// frame under two bytes is its own length check's mark). Called with the
/// default print as the line had it.
pub(super) fn dump_from(f: &Frame<'_>) -> Option<usize> {
    let mut line = Vec::new();
    match print(&mut line, f) {
        Some(Outcome::Printed) if f.data.len() < 2 || !line.ends_with(CUT.as_bytes()) => Some(1),
        _ => Some(0),
    }
}
