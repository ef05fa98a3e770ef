//! Frames a dissector finds inside its message and leaves to the line
//! printer to decode: tcpdump's OpenFlow printer hands the Ethernet frame
//! of a PACKET_IN or PACKET_OUT to its own Ethernet printer from `-vvv`
//! on, in the middle of the message list, and its MSDP printer the IP
//! packet a Source-Active carries to its IP printer from `-vv` on. A dissector cannot print a
//! frame (the link printers live in `output/`, above it), so it notes
//! where in the line the frame's text belongs and which payload bytes
//! are the frame; the caller that asked for them ([`collect`]) prints each
//! there. Outside [`collect`] nothing is noted (JSON, unit tests).
//!
//! The printing of such a frame is [`track`]ed too: the name of the last
//! printer it entered names a later message's cut mark, as in tcpdump.

use std::cell::{Cell, RefCell};

/// A frame to print at line offset `at`: payload bytes `start..start+len`
/// (`len` as the message declares it; the capture may hold fewer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub at: usize,
    pub start: usize,
    pub len: usize,
    pub kind: FrameKind,
    /// The levels of `-v` the frame's printer goes down by (OpenFlow calls
    /// `ether_print` with `vflag - 3`; MSDP's and Broadcom's LI shim's
    /// packets are printed at the same level).
    pub lower: u8,
}

/// What a noted frame is, and so which of tcpdump's printers takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// An Ethernet frame (`ether_print`).
    Ethernet,
    /// An IP packet, v4 or v6 by its first nibble as `ip_print` sees it
    /// (MSDP's).
    Ip,
    /// An IPv6 packet (`ip6_print`).
    Ip6,
}

thread_local! {
    /// `None` while no caller collects.
    static FRAMES: RefCell<Option<Vec<Frame>>> = const { RefCell::new(None) };
}

/// Run `f`, returning what it returns and the frames its printers noted
/// (re-entrant: a frame's own printing may collect again).
pub fn collect<R>(f: impl FnOnce() -> R) -> (R, Vec<Frame>) {
    let before = FRAMES.with(|c| c.replace(Some(Vec::new())));
    let r = f();
    let frames = FRAMES.with(|c| c.replace(before)).unwrap_or_default();
    (r, frames)
}

/// Note a frame for the collecting caller; `false` when none collects.
pub(super) fn hand_over(frame: Frame) -> bool {
    FRAMES.with(|c| match c.borrow_mut().as_mut() {
        Some(list) => {
            list.push(frame);
            true
        }
        None => false,
    })
}

thread_local! {
    /// tcpdump's `ndo_protocol` while a frame is printed ([`track`]): the
    /// name of the last printer entered (`""`: none yet; `None`: no one
    /// tracks).
    static LAST: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Run `f` (the printing of a frame), returning what it returns and the
/// name of the last printer it entered: tcpdump names a message cut
/// after the frame with it (`[|http]`), not with OpenFlow's, because its
/// printers set one global name on entry and the OpenFlow printer does
/// not set it again for the next message.
pub fn track<R>(f: impl FnOnce() -> R) -> (R, Option<&'static str>) {
    let before = LAST.with(|c| c.replace(Some("")));
    let r = f();
    let last = LAST
        .with(|c| c.replace(before))
        .filter(|name| !name.is_empty());
    // A frame tracked inside another leaves its name to the outer one.
    if let (Some(name), Some(_)) = (last, before) {
        entered(name);
    }
    (r, last)
}

/// A printer named `name` (its ` [|name]`) starts on a frame's bytes;
/// noted only while [`track`] runs.
pub fn entered(name: &'static str) {
    LAST.with(|c| {
        if c.get().is_some() {
            c.set(Some(name));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_frames_are_noted_only_while_collected() {
        let f = Frame {
            at: 3,
            start: 10,
            len: 60,
            kind: FrameKind::Ip,
            lower: 0,
        };
        assert!(!hand_over(f));
        let ((), got) = collect(|| {
            assert!(hand_over(f));
            let ((), inner) = collect(|| {
                hand_over(Frame { at: 1, ..f });
            });
            assert_eq!(inner, vec![Frame { at: 1, ..f }]);
        });
        assert_eq!(got, vec![f]);
        assert!(!hand_over(f));
    }

    #[test]
    fn test_the_last_printer_entered_is_tracked_only_inside_track() {
        entered("ether");
        let ((), none) = track(|| {});
        assert_eq!(none, None);
        let ((), last) = track(|| {
            entered("ether");
            let ((), inner) = track(|| entered("http"));
            assert_eq!(inner, Some("http"));
        });
        assert_eq!(last, Some("http"));
        let ((), last) = track(|| entered("arp"));
        assert_eq!(last, Some("arp"));
    }
}
