//! LocalTalk captures (link type 114): the 3-byte LLAP header
//! (destination node, source node, LAP type) before a short DDP header
//! (type 1, 5 bytes: the nodes are the LAP header's), a long one (type 2,
//! 13 bytes) or a control frame. Where the headers end; the line's words
//! are `dissect::link::ltalk`'s (AppleTalk carries no IP tcpdump decodes).

use super::link::Payload;

pub const LTALK: u32 = 114;
pub const LAP_LEN: usize = 3;
/// The LAP types of DDP, and their headers' lengths.
pub const SHORT_DDP: u8 = 1;
pub const LONG_DDP: u8 = 2;
pub const SHORT_DDP_LEN: usize = 5;
pub const LONG_DDP_LEN: usize = 13;

/// The LLAP header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lap {
    pub dst: u8,
    pub src: u8,
    pub kind: u8,
}

/// The LLAP header, when it was captured.
pub fn lap(data: &[u8]) -> Option<Lap> {
    let &[dst, src, kind] = data.first_chunk::<LAP_LEN>()?;
    Some(Lap { dst, src, kind })
}

/// The DDP header's length for a LAP type (none for control frames).
pub fn ddp_len(kind: u8) -> Option<usize> {
    match kind {
        SHORT_DDP => Some(SHORT_DDP_LEN),
        LONG_DDP => Some(LONG_DDP_LEN),
        _ => None,
    }
}

/// Every frame is the link layer's message: no network layer follows
/// that the IP printers, filters or flows read.
pub fn strip(data: &[u8]) -> Payload<'_> {
    Payload::Message(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lap_header() {
        assert_eq!(
            lap(&[2, 1, 1, 0]),
            Some(Lap {
                dst: 2,
                src: 1,
                kind: SHORT_DDP
            })
        );
        assert_eq!(lap(&[2, 1]), None);
        assert_eq!(ddp_len(LONG_DDP), Some(13));
        assert_eq!(ddp_len(0x81), None);
    }
}
