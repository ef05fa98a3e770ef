//! Linux's vsock monitor records (link type 271, VSOCK: `vsockmon`
//! devices): a 32-byte little-endian header (both ends' CIDs and ports,
//! the monitor's operation, the transport and its header's length), then
//! the transport's header (virtio's, 44 bytes) and the payload. No
//! network layer follows; the line's words are `dissect::link::vsock`'s.

use super::link::Payload;

pub const VSOCK: u32 = 271;

/// The monitor header's length.
pub const MON_LEN: usize = 32;

/// virtio's transport header's length (`struct virtio_vsock_hdr`).
pub const VIRTIO_LEN: usize = 44;

/// The transports the monitor names.
pub const TRANSPORT_VIRTIO: u16 = 2;

/// The monitor's operation whose record carries the payload.
pub const OP_PAYLOAD: u16 = 4;

/// The monitor header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Monitor {
    pub src_cid: u64,
    pub dst_cid: u64,
    pub src_port: u32,
    pub dst_port: u32,
    pub op: u16,
    pub transport: u16,
    /// The transport header's length as the monitor gives it (tcpdump
    /// reads virtio's header whatever it says).
    pub len: u16,
}

/// virtio's transport header's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Virtio {
    pub src_cid: u64,
    pub dst_cid: u64,
    pub src_port: u32,
    pub dst_port: u32,
    pub len: u32,
    pub kind: u16,
    pub op: u16,
    pub flags: u32,
    pub buf_alloc: u32,
    pub fwd_cnt: u32,
}

/// Little-endian fields read in order from a slice.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (v, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*v)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }
}

/// The monitor header, when it was captured whole.
pub fn monitor(d: &[u8]) -> Option<Monitor> {
    let mut f = Fields(d.get(..MON_LEN)?);
    Some(Monitor {
        src_cid: f.u64()?,
        dst_cid: f.u64()?,
        src_port: f.u32()?,
        dst_port: f.u32()?,
        op: f.u16()?,
        transport: f.u16()?,
        len: f.u16()?,
    })
}

/// virtio's header after the monitor's, when it was captured whole.
pub fn virtio(d: &[u8]) -> Option<Virtio> {
    let mut f = Fields(d.get(MON_LEN..MON_LEN + VIRTIO_LEN)?);
    Some(Virtio {
        src_cid: f.u64()?,
        dst_cid: f.u64()?,
        src_port: f.u32()?,
        dst_port: f.u32()?,
        len: f.u32()?,
        kind: f.u16()?,
        op: f.u16()?,
        flags: f.u32()?,
        buf_alloc: f.u32()?,
        fwd_cnt: f.u32()?,
    })
}

/// Where the payload starts: after the transport's header (virtio's; the
/// others have none tcpdump knows).
pub fn payload_at(m: &Monitor) -> usize {
    if m.transport == TRANSPORT_VIRTIO {
        MON_LEN + VIRTIO_LEN
    } else {
        MON_LEN
    }
}

/// The record as a message (`[|vsock]` for a cut monitor header).
pub fn strip(data: &[u8]) -> Payload<'_> {
    if data.len() < MON_LEN {
        return Payload::TooShort("vsock");
    }
    Payload::Message(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_little_endian() {
        let mut r = Vec::new();
        r.extend(3u64.to_le_bytes());
        r.extend(2u64.to_le_bytes());
        r.extend(1234u32.to_le_bytes());
        r.extend(5678u32.to_le_bytes());
        r.extend([4, 0, 2, 0, 44, 0, 0, 0]);
        let m = monitor(&r).unwrap();
        assert_eq!(
            (m.src_cid, m.dst_port, m.op, m.transport, m.len),
            (3, 5678, 4, 2, 44)
        );
        assert_eq!(payload_at(&m), 76);
        assert!(virtio(&r).is_none());
        r.extend([0; 24]);
        r.extend(5u32.to_le_bytes());
        r.extend([1, 0, 5, 0, 0xff, 0, 0, 0]);
        r.extend([0; 8]);
        let v = virtio(&r).unwrap();
        assert_eq!((v.len, v.kind, v.op, v.flags), (5, 1, 5, 0xff));
        assert!(matches!(strip(&r[..31]), Payload::TooShort("vsock")));
        assert!(matches!(strip(&r[..32]), Payload::Message(_)));
    }
}
