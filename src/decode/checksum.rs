//! Checksum verification, done once per packet over the captured bytes:
//! the IPv4 header, TCP, UDP (an IPv4 sender may send none: zero), ICMP
//! and ICMPv6. A transport checksum is judged only when the whole segment
//! was captured (a snap length that cut it leaves no verdict) and never on
//! a fragment (the first one included: the sum covers the whole datagram). The line printer prints these verdicts (`-v`) and the
//! pipeline feeds them to the flow tracker (Zeek's `c`/`C`, the
//! `bad_checksums` counter); neither computes a checksum itself.

use super::link_header::be16;
use crate::decode::ip_options::{self, IpOpt};
use crate::decode::{ipv6_ext, link};
use crate::packet::Packet;

/// A checksum as the packet carries it and as it should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub stored: u16,
    pub expected: u16,
}

impl Verdict {
    pub fn is_correct(&self) -> bool {
        self.stored == self.expected
    }
}

/// The transport layer's checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportSum {
    Tcp(Verdict),
    Udp(Verdict),
    /// UDP over IPv4 with a zero checksum: the sender computed none.
    UdpNone,
    Icmpv4(Verdict),
    Icmpv6(Verdict),
}

impl TransportSum {
    pub fn verdict(&self) -> Option<Verdict> {
        match *self {
            TransportSum::Tcp(v)
            | TransportSum::Udp(v)
            | TransportSum::Icmpv4(v)
            | TransportSum::Icmpv6(v) => Some(v),
            TransportSum::UdpNone => None,
        }
    }
}

/// Every checksum of one packet that could be judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checksums {
    pub ipv4_header: Option<Verdict>,
    pub transport: Option<TransportSum>,
}

impl Checksums {
    /// Whether a transport checksum was judged (what offload detection
    /// samples: offload leaves the IPv4 header's sum correct).
    pub fn has_transport_verdict(&self) -> bool {
        self.transport.and_then(|t| t.verdict()).is_some()
    }
    /// Whether any judged checksum is wrong.
    pub fn any_bad(&self) -> bool {
        let bad = |v: Option<Verdict>| v.is_some_and(|v| !v.is_correct());
        bad(self.ipv4_header) || bad(self.transport.and_then(|t| t.verdict()))
    }
}

/// The checksums of a captured packet (nothing for non-IP frames).
pub fn verify(pkt: &Packet<'_>) -> Checksums {
    link::ip_packet(pkt.link, pkt.data)
        .map(verify_ip)
        .unwrap_or_default()
}

/// The checksums of an IP packet (the version told by its first nibble).
pub fn verify_ip(ip: &[u8]) -> Checksums {
    match ip.first().map(|b| b >> 4) {
        Some(4) => verify_ipv4(ip),
        Some(6) => verify_ipv6(ip),
        _ => Checksums::default(),
    }
}

fn verify_ipv4(d: &[u8]) -> Checksums {
    let hl = d.first().map_or(0, |b| (b & 0x0f) as usize * 4);
    let (Some(header), Some(total), Some(frag), Some(&proto)) =
        (d.get(..hl), be16(d, 2), be16(d, 6), d.get(9))
    else {
        return Checksums::default();
    };
    if hl < 20 {
        return Checksums::default();
    }
    let ipv4_header = field_verdict(0, header, 10, false);
    let total = total as usize;
    // A total length shorter than the header (0 under TCP segmentation
    // offload) is ignored, as etherparse's lax slicing does: trust the
    // capture.
    let end = if total >= hl {
        total.min(d.len())
    } else {
        d.len()
    };
    let payload = d.get(hl..end).unwrap_or_default();
    let seg_len = total.saturating_sub(hl);
    // Any fragment, the first one too (MF set), leaves the transport
    // unjudged, as tcpdump does: its checksum covers the whole datagram.
    let fragment = frag & 0x3fff != 0;
    let transport = if fragment {
        None
    } else {
        let mut src_dst = [0u8; 8];
        if let Some(addrs) = d.get(12..20) {
            src_dst.copy_from_slice(addrs);
        }
        // A source route's pseudo-header holds the final destination
        // (RFC 791), the route's last address.
        if hl > 20
            && let Some(dst) = header.get(20..).and_then(final_destination)
        {
            src_dst[4..].copy_from_slice(&dst);
        }
        let (proto, payload, seg_len) = after_ah(proto, payload, seg_len);
        transport(proto, sum_words(&src_dst), payload, seg_len, true)
    };
    Checksums {
        ipv4_header,
        transport,
    }
}

/// [`verify_ip`] of an IPv4 packet whose 20-byte `header` has no options
/// and is no fragment (the caller has checked both), carrying `seg` (the
/// payload as captured, at most the declared length) of `seg_len` bytes as
/// the header declares: the same verdicts without reading the header again
/// (the flow view's short way, `decode/flow_view/plain_ipv4.rs`, has).
///
/// The header's five 32-bit words are summed here as [`sum_words`] sums
/// them, without its loop (called on 20 bytes it cost this function a
/// fifth of its time), and the addresses' two words are that sum's last
/// two, not summed again for the pseudo header.
pub fn verify_plain_ipv4(header: &[u8; 20], seg: &[u8], seg_len: usize) -> Checksums {
    let (proto, seg, seg_len) = after_ah(header[9], seg, seg_len);
    let (addrs, verdict) = plain_header(header);
    Checksums {
        ipv4_header: Some(verdict),
        transport: transport(proto, addrs, seg, seg_len, true),
    }
}

/// An options-free IPv4 header's addresses as pseudo-header words, and
/// the verdict on its own checksum.
fn plain_header(header: &[u8; 20]) -> (u64, Verdict) {
    let word = |i: usize| {
        let w: [u8; 4] = header[i..i + 4].try_into().unwrap_or_default();
        u64::from(u32::from_be_bytes(w))
    };
    let addrs = word(12) + word(16);
    let stored = u16::from_be_bytes([header[10], header[11]]);
    let sum = word(0) + word(4) + word(8) + addrs;
    (addrs, judge(sum, stored, 10, false))
}

/// `verify_plain_ipv4(..).any_bad()`, without building the verdicts: all
/// the flow view asks of every packet is whether one is wrong. A TCP
/// segment (most packets) is judged here directly; anything else as
/// [`verify_plain_ipv4`] judges it.
pub fn plain_ipv4_bad(header: &[u8; 20], seg: &[u8], seg_len: usize) -> bool {
    let (addrs, verdict) = plain_header(header);
    if !verdict.is_correct() {
        return true;
    }
    match header[9] {
        // `transport`'s TCP arm (a plain header's segment always fits
        // the pseudo header's 16-bit length).
        6 if seg.len() >= 20 && seg.len() >= seg_len => {
            let stored = u16::from_be_bytes([seg[16], seg[17]]);
            let pseudo = addrs + 6 + seg.len() as u64;
            !judge(pseudo + sum_words(seg), stored, 16, false).is_correct()
        }
        6 => false,
        proto => {
            let (proto, seg, seg_len) = after_ah(proto, seg, seg_len);
            transport(proto, addrs, seg, seg_len, true)
                .and_then(|t| t.verdict())
                .is_some_and(|v| !v.is_correct())
        }
    }
}

/// What an IPv4 payload's checksum is judged on: behind AH (RFC 4302),
/// the protocol it authenticates, from where tcpdump goes on (the length
/// field's words, however short); anything else as it is.
fn after_ah(proto: u8, payload: &[u8], seg_len: usize) -> (u8, &[u8], usize) {
    match (proto, payload.first(), payload.get(1)) {
        (51, Some(&next), Some(&words)) => {
            let len = (usize::from(words) + 2) * 4;
            let rest = payload.get(len..).unwrap_or_default();
            (next, rest, seg_len.saturating_sub(len))
        }
        _ => (proto, payload, seg_len),
    }
}

/// The last address of a loose or strict source route among IPv4
/// `options`, as tcpdump finds it.
fn final_destination(options: &[u8]) -> Option<[u8; 4]> {
    ip_options::iter(options).find_map(|o| match o {
        // The option's last four bytes (`addrs` starts at its byte 3).
        IpOpt::Route {
            code: 131 | 137,
            len,
            addrs,
            ..
        } if len >= 7 => {
            let end = usize::from(len) - 3;
            addrs.get(end - 4..end)?.try_into().ok()
        }
        _ => None,
    })
}

fn verify_ipv6(d: &[u8]) -> Checksums {
    let (Some(declared), Some(&first), Some(src_dst)) = (be16(d, 4), d.get(6), d.get(8..40)) else {
        return Checksums::default();
    };
    // A jumbogram's length is in its hop-by-hop option.
    let declared = d
        .get(40..)
        .and_then(|rest| ipv6_ext::jumbo_length(first, rest, declared))
        .map_or(declared as usize, |j| j as usize);
    // A zero payload length without a jumbo option (segmentation
    // offload): trust the capture.
    let end = if declared == 0 {
        d.len()
    } else {
        (40 + declared).min(d.len())
    };
    let rest = d.get(40..end).unwrap_or_default();
    let mut next = first;
    let mut ext_len = 0;
    let mut addrs = [0u8; 32];
    addrs.copy_from_slice(src_dst);
    // tcpdump looks for the final destination in the first routing header
    // only, and not past an authentication header.
    let mut route_sought = true;
    for ext in ipv6_ext::iter(first, rest) {
        // Any fragment, the first one too: its checksum covers the whole
        // datagram, which this packet does not hold (tcpdump judges none).
        if ext.fragment().is_some() {
            return Checksums::default();
        }
        // Behind a routing header the pseudo-header holds the final
        // destination (RFC 8200 8.1): its last address, as tcpdump reads it.
        if ext.kind == 43
            && route_sought
            && let Some(dst) = routing_final_destination(ext.bytes)
        {
            addrs[16..].copy_from_slice(&dst);
        }
        route_sought &= !matches!(ext.kind, 43 | 51);
        next = ext.bytes.first().copied().unwrap_or(next);
        ext_len += ext.bytes.len();
    }
    let payload = rest.get(ext_len..).unwrap_or_default();
    let seg_len = declared.saturating_sub(ext_len);
    Checksums {
        ipv4_header: None,
        transport: transport(next, sum_words(&addrs), payload, seg_len, false),
    }
}

/// The final destination a routing header names (`bytes`: the whole
/// extension header): the last address of type 0 or 2, the first segment
/// of segment routing (RFC 8754 lists them in reverse). An odd length
/// word names none (tcpdump keeps the header's destination).
fn routing_final_destination(bytes: &[u8]) -> Option<[u8; 16]> {
    let (&len, &kind) = (bytes.get(1)?, bytes.get(2)?);
    if len % 2 == 1 {
        return None;
    }
    let n = match kind {
        0 | 2 => usize::from(len) / 2,
        4 => 1,
        _ => return None,
    };
    let at = 8 + 16 * n.checked_sub(1)?;
    bytes.get(at..at + 16)?.try_into().ok()
}

/// The transport checksum over `seg` (the IP payload as captured);
/// `seg_len` is the length IP claims for it, `addrs` the [`sum_words`]
/// of the two addresses as they follow each other in the IP header.
fn transport(proto: u8, addrs: u64, seg: &[u8], seg_len: usize, v4: bool) -> Option<TransportSum> {
    let whole = seg.len() >= seg_len;
    let pseudo = |len: usize| addrs + proto as u64 + len as u64;
    match proto {
        6 if seg.len() >= 20 && whole && fits(seg.len(), v4) => {
            field_verdict(pseudo(seg.len()), seg, 16, false).map(TransportSum::Tcp)
        }
        17 if seg.len() >= 8 => {
            let stored = be16(seg, 6)?;
            if v4 && stored == 0 {
                return Some(TransportSum::UdpNone);
            }
            let mut udp_len = be16(seg, 4)? as usize;
            // A jumbogram's UDP length is 0: IP's length rules (RFC 2675).
            if udp_len == 0 && seg_len > 0xffff {
                udp_len = seg_len;
            }
            // A UDP length past IP's: tcpdump sums what IP carries, with
            // that length in the pseudo header.
            if udp_len > seg_len && seg_len >= 8 {
                udp_len = seg_len;
            }
            if seg.len() < udp_len {
                return None;
            }
            // The length field rules when it is sane, as in etherparse's
            // lax slicing; otherwise the whole captured payload counts.
            let dgram = match seg.get(..udp_len) {
                Some(d) if udp_len >= 8 => d,
                _ => seg,
            };
            field_verdict(pseudo(udp_len), dgram, 6, true).map(TransportSum::Udp)
        }
        // A whole message shorter than its header too, once the checksum
        // field is there (tcpdump judges it after the length).
        1 if v4 && seg.len() >= 4 && whole => {
            field_verdict(0, seg, 2, false).map(TransportSum::Icmpv4)
        }
        // tcpdump checks a whole ICMPv6 message shorter than its header
        // too, once the checksum field is there.
        58 if !v4 && seg.len() >= 4 && whole && fits(seg.len(), v4) => {
            field_verdict(pseudo(seg.len()), seg, 2, false).map(TransportSum::Icmpv6)
        }
        _ => None,
    }
}

/// Whether a segment's length fits the pseudo header's length field.
fn fits(len: usize, v4: bool) -> bool {
    if v4 {
        len <= u16::MAX as usize
    } else {
        len <= u32::MAX as usize
    }
}

/// The verdict on the checksum at `at` in `bytes`: the stored value, and
/// the one's complement of the sum of `pseudo` and every 16-bit word with
/// the checksum field taken as zero. `no_zero`: UDP sends a computed zero
/// as 0xffff (zero means "none").
fn field_verdict(pseudo: u64, bytes: &[u8], at: usize, no_zero: bool) -> Option<Verdict> {
    let stored = be16(bytes, at)?;
    Some(judge(pseudo + sum_words(bytes), stored, at, no_zero))
}

/// [`field_verdict`] from `sum`, the [`sum_words`] of the bytes (the
/// field `stored` at `at` included) plus the pseudo header's words.
#[inline]
fn judge(sum: u64, stored: u16, at: usize, no_zero: bool) -> Verdict {
    // One pass over every word, then the field's own share taken back out
    // exactly: [`sum_words`] adds the first word of each 32-bit half
    // shifted by 16 and the second as is (`at` is even). Summing the two
    // sides of the field apart cost two passes and their setup on every
    // packet.
    let share = if at.is_multiple_of(4) {
        u64::from(stored) << 16
    } else {
        u64::from(stored)
    };
    let sum = sum - share;
    let mut expected = !fold(sum);
    // One's complement has two zeros. tcpdump's "should be" value is the
    // stored field added to the computed sum with the end-around carry,
    // which gives 0xffff for zero unless the field itself is zero: a
    // field of 0xffff is then correct, and a wrong field is told it
    // should be 0xffff (`incorrect -> 0xffff`), never 0x0000. UDP sends a
    // computed zero as 0xffff always (zero there means "none").
    if expected == 0 && (no_zero || stored != 0) {
        expected = 0xffff;
    }
    Verdict { stored, expected }
}

/// The sum of `bytes` as big-endian 16-bit words (a last odd byte padded
/// with zero), not yet folded. Eight bytes at a time, added as two 32-bit
/// halves: carries out of the low 16 bits are folded back later, which
/// the one's complement sum allows (a u64 holds the sum of 2^32 such
/// halves, far more than a packet has). The last 1 to 7 bytes count as
/// one more chunk padded with zeros, so that every word's place in the
/// sum depends only on its offset (what [`field_verdict`] takes back out).
fn sum_words(bytes: &[u8]) -> u64 {
    let mut sum = 0;
    let mut rest = bytes;
    // Four chunks a turn, then at most three written out: straight code
    // for the short headers and segments of most packets (the compiler's
    // vectorised loop of one chunk a turn cost them more than it saved).
    while rest.len() >= 32 {
        for _ in 0..4 {
            add_chunk(&mut rest, &mut sum);
        }
    }
    for _ in 0..3 {
        add_chunk(&mut rest, &mut sum);
    }
    let left = rest.len();
    if left == 0 {
        return sum;
    }
    // The padded chunk: the last eight bytes read at once, those before
    // the rest shifted out (a byte at a time only when there are not
    // eight).
    let last = match bytes.len().checked_sub(8).and_then(|at| bytes.get(at..)) {
        Some(tail) => tail.try_into().map_or(0, u64::from_be_bytes) << (8 * (8 - left)),
        None => rest
            .iter()
            .enumerate()
            .fold(0, |v, (i, &b)| v | u64::from(b) << (56 - 8 * i)),
    };
    sum + half_sum(last)
}

/// [`sum_words`]' step: the next eight bytes of `rest`, if there are
/// eight, added to `sum`.
#[inline(always)]
fn add_chunk(rest: &mut &[u8], sum: &mut u64) {
    if let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        *sum += half_sum(u64::from_be_bytes(*chunk));
        *rest = tail;
    }
}

/// A big-endian chunk of four words as two 32-bit halves added.
fn half_sum(v: u64) -> u64 {
    (v >> 32) + (v & 0xffff_ffff)
}

/// The Internet checksum over a pseudo header's words (already summed,
/// `pseudo`) and `bytes`, checksum field included: 0 when the stored
/// checksum is right (IGMP, VRRP, PIM, OSPF and DCCP are checked this way).
pub fn internet_sum(pseudo: u64, bytes: &[u8]) -> u16 {
    !fold(pseudo + sum_words(bytes))
}

/// The words of an IPv4 or IPv6 pseudo header for `proto` and `len`.
pub fn pseudo_header(src: std::net::IpAddr, dst: std::net::IpAddr, proto: u8, len: usize) -> u64 {
    use std::net::IpAddr;
    let addr = |a: IpAddr| match a {
        IpAddr::V4(a) => sum_words(&a.octets()),
        IpAddr::V6(a) => sum_words(&a.octets()),
    };
    addr(src) + addr(dst) + u64::from(proto) + len as u64
}

fn fold(sum: u64) -> u16 {
    // The two 32-bit halves first: fewer turns of the loop.
    let mut sum = (sum & 0xffff_ffff) + (sum >> 32);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::PacketBuilder;

    fn tcp_packet(payload: &[u8]) -> Vec<u8> {
        let mut p = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(1000, 80, 7, 1024)
            .ack(9)
            .write(&mut p, payload)
            .unwrap();
        p
    }

    /// UDP behind a type 0 routing header: the sum was computed over the
    /// final destination (the header's last address), not the current one.
    #[test]
    fn routing_header_uses_the_final_destination() {
        let p = super::super::tests::udp6_abc([1; 16], [3; 16]);
        let (head, udp) = p.split_at(40);
        let mut rh = vec![17, 2, 0, 1, 0, 0, 0, 0];
        rh.extend_from_slice(&[3; 16]);
        let mut q = head.to_vec();
        q[6] = 43;
        q[24..40].copy_from_slice(&[2; 16]);
        let len = (rh.len() + udp.len()) as u16;
        q[4..6].copy_from_slice(&len.to_be_bytes());
        q.extend_from_slice(&rh);
        q.extend_from_slice(udp);
        let s = verify_ip(&q);
        assert!(matches!(s.transport, Some(TransportSum::Udp(v)) if v.is_correct()));
        // A source-routed IPv4 datagram likewise.
        let mut ip = vec![0x46, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0];
        ip.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2, 131, 3, 4, 0]);
        let mut udp4 = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 0], 64)
            .udp(5, 6)
            .write(&mut udp4, b"abc")
            .unwrap();
        // No address in the route (length 3): the header's destination rules.
        ip.extend_from_slice(&udp4[20..]);
        let total = ip.len() as u16;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        let s = verify_ip(&ip);
        assert!(matches!(s.transport, Some(TransportSum::Udp(v)) if !v.is_correct()));
    }

    #[test]
    fn correct_sums_are_correct() {
        for payload in [&b""[..], b"odd", b"even"] {
            let s = verify_ip(&tcp_packet(payload));
            assert!(s.ipv4_header.unwrap().is_correct());
            assert!(matches!(s.transport, Some(TransportSum::Tcp(v)) if v.is_correct()));
            assert!(!s.any_bad());
        }
        let v6 = || PacketBuilder::ipv6([1; 16], [2; 16], 64);
        let v4 = || PacketBuilder::ipv4([1; 4], [2; 4], 64);
        type Build<'a> = &'a dyn Fn(&mut Vec<u8>);
        let builders: [Build; 4] = [
            &|p| v6().udp(5, 6).write(p, b"abc").unwrap(),
            &|p| v6().icmpv6_echo_request(1, 2).write(p, b"ping").unwrap(),
            &|p| v4().icmpv4_echo_request(1, 2).write(p, b"ping").unwrap(),
            &|p| v4().udp(5, 6).write(p, b"abc").unwrap(),
        ];
        for build in builders {
            let mut p = Vec::new();
            build(&mut p);
            let s = verify_ip(&p);
            assert!(s.has_transport_verdict() && !s.any_bad(), "{s:?}");
        }
    }

    /// The short way's verdicts (its own sums of the header's words) are
    /// [`verify_ip`]'s, every field of both (and [`plain_ipv4_bad`] is
    /// their `any_bad`), on plain TCP and UDP packets
    /// of every payload length up to 40 and on each with any one byte of
    /// its header, segment or checksums set to 0x00, 0xff or flipped, and
    /// with the declared length cut or stretched.
    #[test]
    fn plain_ipv4_verdicts_are_verify_ips() {
        let mut packets = Vec::new();
        for n in 0..40u8 {
            let payload: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ n).collect();
            packets.push(tcp_packet(&payload));
            let mut udp = Vec::new();
            PacketBuilder::ipv4([192, 0, 2, n], [198, 51, 100, 7], 64)
                .udp(53, 1024 + u16::from(n))
                .write(&mut udp, &payload)
                .unwrap();
            packets.push(udp);
        }
        let mut compared = 0;
        for p in &packets {
            let mut variants = vec![p.clone()];
            for at in 0..p.len() {
                for f in [|_: u8| 0u8, |_| 0xff, |b: u8| !b, |b: u8| b ^ 1] {
                    let mut q = p.clone();
                    q[at] = f(q[at]);
                    variants.push(q);
                }
            }
            for cut in [1, 2, 5] {
                let mut q = p.clone();
                q.truncate(p.len().saturating_sub(cut));
                variants.push(q);
            }
            for q in variants {
                let Some(header) = q.first_chunk::<20>() else {
                    continue;
                };
                // What the flow view's short way hands over: options-free,
                // unfragmented IPv4 only, the segment cut to the length.
                if header[0] != 0x45 || u16::from_be_bytes([header[6], header[7]]) & 0x3fff != 0 {
                    continue;
                }
                let total = usize::from(u16::from_be_bytes([header[2], header[3]]));
                let end = if total >= 20 {
                    total.min(q.len())
                } else {
                    q.len()
                };
                let seg = &q[20..end];
                let seg_len = total.saturating_sub(20);
                assert_eq!(
                    verify_plain_ipv4(header, seg, seg_len),
                    verify_ip(&q),
                    "{q:02x?}"
                );
                assert_eq!(
                    plain_ipv4_bad(header, seg, seg_len),
                    verify_ip(&q).any_bad(),
                    "{q:02x?}"
                );
                compared += 1;
            }
        }
        assert!(compared > 15_000, "{compared}");
    }

    #[test]
    fn a_flipped_payload_bit_is_caught() {
        let mut p = tcp_packet(b"hello");
        let last = p.len() - 1;
        p[last] ^= 1;
        let s = verify_ip(&p);
        assert!(s.any_bad() && s.has_transport_verdict());
        assert!(s.ipv4_header.unwrap().is_correct());
    }

    #[test]
    fn test_truncated_segment_has_no_verdict() {
        let p = tcp_packet(b"hello");
        let s = verify_ip(&p[..p.len() - 2]);
        assert_eq!(s.transport, None);
        assert!(s.ipv4_header.is_some());
        assert_eq!(verify_ip(&p[..10]), Checksums::default());
    }

    /// The one-pass sum gives what summing around the field gives, for
    /// the field anywhere (even) and any length.
    #[test]
    fn the_field_is_taken_out_of_the_sum_exactly() {
        let mut x = 0x1234_5678_u32;
        for len in 2..80usize {
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            for at in (0..len - 1).step_by(2) {
                for zero_rest in [false, true] {
                    if zero_rest {
                        bytes.iter_mut().for_each(|b| *b = 0);
                        bytes[at] = 0xab;
                    }
                    for pseudo in [0u64, 0x1_2345] {
                        let around = pseudo + sum_words(&bytes[..at]) + sum_words(&bytes[at + 2..]);
                        let v = field_verdict(pseudo, &bytes, at, false).unwrap();
                        let zero = !fold(around) == 0 && v.stored != 0;
                        let want = if zero { 0xffff } else { !fold(around) };
                        assert_eq!(v.expected, want, "len {len} at {at}");
                    }
                }
            }
        }
    }

    /// The rest of the bytes sum to one's complement zero (0xffff), so
    /// the field should hold zero: tcpdump accepts 0x0000 and 0xffff and
    /// tells any other value it should be 0xffff.
    #[test]
    fn a_zero_checksum_is_written_as_tcpdump_writes_it() {
        let verdict = |field: u16| {
            let [hi, lo] = field.to_be_bytes();
            field_verdict(0, &[0xff, 0xff, hi, lo], 2, false).unwrap()
        };
        assert!(verdict(0x0000).is_correct());
        assert!(verdict(0xffff).is_correct());
        assert_eq!(
            verdict(0x1234),
            Verdict {
                stored: 0x1234,
                expected: 0xffff
            }
        );
        let udp = field_verdict(0, &[0xff, 0xff, 0x12, 0x34], 2, true).unwrap();
        assert_eq!(udp.expected, 0xffff);
    }

    #[test]
    fn a_udp_length_past_ip_is_summed_over_what_ip_carries() {
        let mut p = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .udp(5, 6)
            .write(&mut p, b"")
            .unwrap();
        // The UDP length claims 100 bytes; IP carries the 8 of the header.
        p[24..26].copy_from_slice(&100u16.to_be_bytes());
        let Some(TransportSum::Udp(v)) = verify_ip(&p).transport else {
            panic!("no UDP verdict")
        };
        // Summed with 8 in the pseudo header, the 100 in the field stays.
        let words: u64 = [0x0a00, 0x0001, 0x0a00, 0x0002, 17, 8, 5, 6, 100]
            .iter()
            .sum();
        assert_eq!(v.expected, !fold(words));
    }

    #[test]
    fn udp_zero_over_ipv4_means_none() {
        let mut p = tcp_packet(b"");
        p[9] = 17;
        p[26] = 0;
        p[27] = 0;
        assert_eq!(verify_ip(&p).transport, Some(TransportSum::UdpNone));
    }

    #[test]
    fn test_malformed_headers_give_no_verdict_and_no_panic() {
        for bad in [&[0x45u8][..], &[0x4f, 0, 0, 0], &[0x60; 30], &[]] {
            let _ = verify_ip(bad);
        }
        assert_eq!(verify_ip(&[0x41; 30]), Checksums::default());
    }
}
