//! Hand-built Linux usbmon records (usbmon itself is not available here)
//! for link types 189 (the 48-byte header) and 220 (64 bytes, then the
//! isochronous descriptors), written in either byte order, since the
//! header is in the capturing host's and libpcap turns it into the
//! reader's: every event type (submit, complete, error, unknown) of every
//! transfer type (isochronous, interrupt, control, bulk, unknown) in both
//! endpoint directions, setup packets, statuses and lengths, isochronous
//! descriptors, odd bus/device/endpoint numbers, records shorter than the
//! header on the wire; each whole and cut at every length
//! (`tests/link_usb.rs`).

use super::pcap::{Layout, Record, write_pcap};
use std::borrow::Cow;

pub const USB_LINUX: u32 = 189;
pub const USB_LINUX_MMAPPED: u32 = 220;

/// The fields of one usbmon header (the memory-mapped one's last four
/// too; link type 189 leaves them out).
#[derive(Clone, Copy)]
pub struct Usb {
    pub id: u64,
    pub event: u8,
    pub transfer: u8,
    pub endpoint: u8,
    pub device: u8,
    pub bus: u16,
    pub setup_flag: u8,
    pub data_flag: u8,
    pub ts: (i64, i32),
    pub status: i32,
    pub urb_len: u32,
    pub data_len: u32,
    /// The setup packet (USB's little-endian fields), or an isochronous
    /// transfer's error count and descriptor count.
    pub setup: [u8; 8],
    pub interval: i32,
    pub start_frame: i32,
    pub xfer_flags: u32,
    pub ndesc: u32,
}

impl Usb {
    /// A bulk submission to endpoint 2 of device 5 on bus 3, no setup.
    pub fn new(event: u8, transfer: u8, endpoint: u8) -> Usb {
        Usb {
            id: 0xffff_8801_2345_6700,
            event,
            transfer,
            endpoint,
            device: 5,
            bus: 3,
            setup_flag: b'-',
            data_flag: b'<',
            ts: (1_300_000_000, 123_456),
            status: 0,
            urb_len: 0,
            data_len: 0,
            setup: [0; 8],
            interval: 0,
            start_frame: 0,
            xfer_flags: 0,
            ndesc: 0,
        }
    }

    /// The header of link type `link`, in big-endian order or not.
    pub fn header(&self, link: u32, big_endian: bool) -> Vec<u8> {
        let mut h = Vec::new();
        let mut put = |b: &[u8]| {
            let mut b = b.to_vec();
            if big_endian {
                b.reverse();
            }
            h.extend_from_slice(&b);
        };
        put(&self.id.to_le_bytes());
        for b in [self.event, self.transfer, self.endpoint, self.device] {
            put(&[b]);
        }
        put(&self.bus.to_le_bytes());
        put(&[self.setup_flag]);
        put(&[self.data_flag]);
        put(&self.ts.0.to_le_bytes());
        put(&self.ts.1.to_le_bytes());
        put(&self.status.to_le_bytes());
        put(&self.urb_len.to_le_bytes());
        put(&self.data_len.to_le_bytes());
        if self.transfer == 0 {
            // An isochronous transfer's counts, in the host's order.
            put(&self.setup[..4]);
            put(&self.setup[4..]);
        } else {
            h.extend_from_slice(&self.setup);
        }
        if link == USB_LINUX_MMAPPED {
            let mut put = |b: [u8; 4]| {
                let mut b = b.to_vec();
                if big_endian {
                    b.reverse();
                }
                h.extend_from_slice(&b);
            };
            put(self.interval.to_le_bytes());
            put(self.start_frame.to_le_bytes());
            put(self.xfer_flags.to_le_bytes());
            put(self.ndesc.to_le_bytes());
        }
        h
    }
}

/// A control request's setup packet: request type, request, value,
/// index, length (little-endian, as USB sends it).
pub fn setup(request_type: u8, request: u8, value: u16, index: u16, length: u16) -> [u8; 8] {
    let mut s = [request_type, request, 0, 0, 0, 0, 0, 0];
    s[2..4].copy_from_slice(&value.to_le_bytes());
    s[4..6].copy_from_slice(&index.to_le_bytes());
    s[6..8].copy_from_slice(&length.to_le_bytes());
    s
}

/// Isochronous descriptors (status, offset, length, 4 bytes of pad) in
/// the host's order.
pub fn iso_descs(descs: &[(i32, u32, u32)], big_endian: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for &(status, offset, len) in descs {
        for mut b in [
            status.to_le_bytes(),
            offset.to_le_bytes(),
            len.to_le_bytes(),
        ] {
            if big_endian {
                b.reverse();
            }
            out.extend_from_slice(&b);
        }
        out.extend_from_slice(&[0xa5; 4]);
    }
    out
}

/// The events of every kind of link type `link` in either byte order:
/// each event type of each transfer type both ways, a control
/// transfer's setup and its answer, errors with their status, the
/// isochronous counts and (on 220) descriptors, the header's extremes.
pub fn records(link: u32, big_endian: bool) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let hdr = |u: &Usb| u.header(link, big_endian);
    // Every event type of every transfer type, to and from the device.
    for event in [b'S', b'C', b'E', b'X', 0] {
        for transfer in [0, 1, 2, 3, 4, 0x80, 0xff] {
            for endpoint in [0x81, 0x02] {
                let mut u = Usb::new(event, transfer, endpoint);
                u.status = if event == b'E' { -71 } else { 0 };
                u.urb_len = 4;
                u.data_len = 4;
                let mut r = hdr(&u);
                r.extend_from_slice(b"\x12\x34\x56\x78");
                out.push(r);
            }
        }
    }
    // A GET_DESCRIPTOR(device) control submission with its setup packet,
    // its completion with the 18 bytes, a stalled SET_CONFIGURATION.
    let mut u = Usb::new(b'S', 2, 0x80);
    (u.setup_flag, u.data_flag, u.status, u.urb_len) = (0, b'<', -115, 18);
    u.setup = setup(0x80, 6, 0x0100, 0, 18);
    out.push(hdr(&u));
    let mut u = Usb::new(b'C', 2, 0x80);
    (u.data_flag, u.urb_len, u.data_len) = (0, 18, 18);
    let mut r = hdr(&u);
    r.extend_from_slice(&[
        18, 1, 0, 2, 0, 0, 0, 64, 0x6b, 0x1d, 2, 0, 0x10, 5, 3, 2, 1, 1,
    ]);
    out.push(r);
    let mut u = Usb::new(b'S', 2, 0x00);
    (u.setup_flag, u.status) = (0, -115);
    u.setup = setup(0, 9, 1, 0, 0);
    out.push(hdr(&u));
    let mut u = Usb::new(b'C', 2, 0x00);
    u.status = -32;
    out.push(hdr(&u));
    // Bulk data out and in, a big URB with part of it captured.
    let mut u = Usb::new(b'S', 3, 0x02);
    (u.data_flag, u.urb_len, u.data_len) = (0, 31, 31);
    let mut r = hdr(&u);
    r.extend_from_slice(b"USBC\x01\0\0\0\x24\0\0\0\x80\0\x06\x12\0\0\0\x24\0\0\0\0\0\0\0\0\0\0\0");
    out.push(r);
    let mut u = Usb::new(b'C', 3, 0x81);
    (u.data_flag, u.urb_len, u.data_len) = (0, 65536, 32);
    let mut r = hdr(&u);
    r.extend((0u8..32).map(|b| b.wrapping_mul(7)));
    out.push(r);
    // An interrupt poll and its report, with an interval.
    let mut u = Usb::new(b'S', 1, 0x83);
    (u.status, u.urb_len, u.interval) = (-115, 8, 8);
    out.push(hdr(&u));
    let mut u = Usb::new(b'C', 1, 0x83);
    (u.data_flag, u.urb_len, u.data_len, u.interval) = (0, 8, 8, 8);
    let mut r = hdr(&u);
    r.extend_from_slice(&[0, 0, 4, 0, 0, 0, 0, 0]);
    out.push(r);
    // Isochronous transfers: counts, and on 220 the descriptors first.
    for (event, ndesc) in [(b'S', 2u32), (b'C', 3), (b'E', 0)] {
        let mut u = Usb::new(event, 0, 0x84);
        u.setup = [0; 8];
        u.setup[..4].copy_from_slice(&i32::from(event == b'E').to_le_bytes());
        u.setup[4..].copy_from_slice(&(ndesc as i32).to_le_bytes());
        (u.interval, u.start_frame, u.xfer_flags) = (1, 0x1234, 0x202);
        (u.urb_len, u.data_len) = (384, 16);
        let mut r = hdr(&u);
        if link == USB_LINUX_MMAPPED {
            u.ndesc = ndesc;
            r = hdr(&u);
            let descs: Vec<(i32, u32, u32)> = (0..ndesc)
                .map(|i| (if i == 1 { -18 } else { 0 }, i * 192, 192))
                .collect();
            r.extend_from_slice(&iso_descs(&descs, big_endian));
        }
        r.extend_from_slice(&[0xaa; 16]);
        out.push(r);
    }
    // The header's extremes: bus 65535, device 255, endpoint 0xff, a
    // bus number whose bytes differ (what the byte order changes).
    for (bus, device, endpoint) in [(65535, 255, 0xff), (0x0102, 0, 0x7f), (0, 127, 0x80)] {
        let mut u = Usb::new(b'C', 3, endpoint);
        (u.bus, u.device, u.status) = (bus, device, i32::MIN);
        (u.urb_len, u.data_len) = (u32::MAX, 0);
        out.push(hdr(&u));
    }
    out
}

/// A capture of `link` in the given byte order: `frames` whole, then
/// each of the first `cut_frames` cut by the snap length at every byte,
/// then records shorter than the header on the wire too.
pub fn capture(link: u32, big_endian: bool, frames: &[Vec<u8>], cut_frames: usize) -> Vec<u8> {
    let mut records = Vec::new();
    let mut push = |data: &[u8], orig: usize| {
        let t = records.len() as u32;
        records.push(Record {
            ts_sec: 1_300_000_000 + t / 100,
            ts_frac: (t % 100) * 10_000,
            data: Cow::Owned(data.to_vec()),
            orig_len: orig as u32,
        });
    };
    for f in frames {
        push(f, f.len());
    }
    for f in frames.iter().take(cut_frames) {
        for cut in 1..f.len() {
            push(&f[..cut], f.len());
        }
    }
    if let Some(f) = frames.first() {
        for len in [1, 20, 47, 63] {
            let len = len.min(f.len());
            push(&f[..len], len);
        }
    }
    let layout = Layout {
        big_endian,
        ..Layout::new(link, 262_144)
    };
    write_pcap(layout, records)
}

/// Every record of both link types in both byte orders, as the mutation
/// seeds take them (the little-endian ones: what this host reads as is).
pub fn seeds() -> Vec<(u32, Vec<u8>)> {
    [USB_LINUX, USB_LINUX_MMAPPED]
        .into_iter()
        .flat_map(|link| records(link, false).into_iter().map(move |r| (link, r)))
        .collect()
}

/// Memory-mapped completions of isochronous transfers (and their near
/// misses) whose length on the wire libpcap corrects: each record's
/// bytes and the original length its file gives it. An incoming
/// completion with data whose length is header, descriptors and URB
/// (what older libpcaps wrote) — descriptors ending before the URB's
/// end, past it, with an empty last one, none, one ending before the
/// capture; the same with another length, outgoing, a submission,
/// without data.
pub fn iso_length_records(big_endian: bool) -> Vec<(Vec<u8>, u32)> {
    let record =
        |descs: &[(i32, u32, u32)], urb_len: u32, data: usize, tweak: &dyn Fn(&mut Usb)| {
            let mut u = Usb::new(b'C', 0, 0x81);
            u.data_flag = 0;
            u.ndesc = descs.len() as u32;
            u.setup[4..].copy_from_slice(&(descs.len() as i32).to_le_bytes());
            (u.urb_len, u.data_len) = (urb_len, data as u32);
            tweak(&mut u);
            let mut r = u.header(USB_LINUX_MMAPPED, big_endian);
            r.extend_from_slice(&iso_descs(descs, big_endian));
            r.extend((0..data).map(|i| i as u8));
            let counted = 64 + 16 * descs.len() as u32 + urb_len;
            (r, counted)
        };
    let two = [(0, 0, 100), (-18, 200, 100)];
    let none = |_: &mut Usb| {};
    let mut out = vec![
        record(&two, 400, 16, &none),
        record(&[(0, 0, 100), (0, 500, 0)], 400, 16, &none),
        record(&[(0, 0, 100), (0, 1000, 50)], 400, 16, &none),
        record(&[], 400, 16, &none),
        record(&[(0, 0, 1)], 4, 40, &none),
        record(&[(0, 0, 2)], 0, 20, &none),
        record(&two, 400, 16, &|u| u.endpoint = 0x01),
        record(&two, 400, 16, &|u| u.event = b'S'),
        record(&two, 400, 16, &|u| u.data_flag = b'<'),
        record(&two, 400, 16, &|u| u.transfer = 3),
    ];
    // The first once more, one byte longer than the miscount.
    let (r, counted) = out[0].clone();
    out.push((r, counted + 1));
    out
}

/// A pcapng file of link type `link` whose one section is in the given
/// byte order: `frames` whole, then each cut at every length.
pub fn pcapng(link: u32, big_endian: bool, frames: &[Vec<u8>]) -> Vec<u8> {
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::{
        InterfaceDescriptionBlock, InterfaceDescriptionOption,
    };
    use pcap_file::pcapng::blocks::section_header::SectionHeaderBlock;
    use pcap_file::{DataLink, Endianness};
    use std::time::Duration;
    let section = SectionHeaderBlock {
        endianness: if big_endian {
            Endianness::Big
        } else {
            Endianness::Little
        },
        major_version: 1,
        minor_version: 0,
        section_length: -1,
        options: vec![],
    };
    let mut w = PcapNgWriter::with_section_header(Vec::new(), section).expect("section");
    w.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::from(link),
        snaplen: 262_144,
        // pcap-file writes a timestamp's nanoseconds: say so.
        options: vec![InterfaceDescriptionOption::IfTsResol(9)],
    })
    .expect("interface");
    let cuts = frames
        .iter()
        .flat_map(|f| (1..f.len()).map(move |n| (&f[..n], f.len())));
    let records = frames.iter().map(|f| (&f[..], f.len())).chain(cuts);
    for (i, (data, orig_len)) in records.enumerate() {
        w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: 0,
            timestamp: Duration::from_secs(1_300_000_000) + Duration::from_micros(i as u64),
            original_len: orig_len as u32,
            data: Cow::Borrowed(data),
            options: vec![],
        })
        .expect("packet");
    }
    w.into_inner()
}
