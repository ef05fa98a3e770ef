//! Hand-built pf log records (link type 117, `tests/link_pflog.rs`): pf's
//! header (its length byte, address family, action, reason, interface and
//! ruleset names, rule and subrule numbers, uid and pid, direction) before
//! an IPv4 or IPv6 packet; every action, reason and direction tcpdump
//! names and unknown ones; every address family tcpdump reads and ones it
//! does not; header lengths odd, padded, longer than tcpdump's fields and
//! too short; names with bytes tcpdump escapes.

use super::link_captures::{ipv4_echo, ipv6_udp};

/// The fields of a record's header; [`Pf::record`] writes them before a
/// packet.
#[derive(Clone)]
pub struct Pf {
    pub length: u8,
    pub af: u8,
    pub action: u8,
    pub reason: u8,
    pub ifname: &'static [u8],
    pub ruleset: &'static [u8],
    pub rulenr: u32,
    pub subrulenr: u32,
    pub uid: u32,
    pub pid: i32,
    pub dir: u8,
}

/// BSD's address families: IPv4, and IPv6 as OpenBSD, FreeBSD and macOS
/// number it.
pub const AF_INET: u8 = 2;
pub const AF_INET6_BSD: u8 = 24;
pub const AF_INET6_FREEBSD: u8 = 28;
pub const AF_INET6_DARWIN: u8 = 30;

impl Default for Pf {
    /// `rule 0/0(match): pass in on em0: ` before an IPv4 packet.
    fn default() -> Pf {
        Pf {
            length: 61,
            af: AF_INET,
            action: 0,
            reason: 0,
            ifname: b"em0",
            ruleset: b"",
            rulenr: 0,
            subrulenr: u32::MAX,
            uid: u32::MAX,
            pid: -1,
            dir: 1,
        }
    }
}

impl Pf {
    /// The header (as long as its padded length byte says, at least the
    /// 64 bytes of fields: rule numbers big endian, uid and pid little
    /// endian, as pf on a little-endian host writes them), then `packet`.
    pub fn record(&self, packet: &[u8]) -> Vec<u8> {
        let mut h = vec![0u8; usize::from(self.length).next_multiple_of(4).max(64)];
        h[0] = self.length;
        h[1] = self.af;
        h[2] = self.action;
        h[3] = self.reason;
        h[4..4 + self.ifname.len()].copy_from_slice(self.ifname);
        h[20..20 + self.ruleset.len()].copy_from_slice(self.ruleset);
        h[36..40].copy_from_slice(&self.rulenr.to_be_bytes());
        h[40..44].copy_from_slice(&self.subrulenr.to_be_bytes());
        h[44..48].copy_from_slice(&self.uid.to_le_bytes());
        h[48..52].copy_from_slice(&self.pid.to_le_bytes());
        h[52..56].copy_from_slice(&1000u32.to_le_bytes());
        h[56..60].copy_from_slice(&42i32.to_le_bytes());
        h[60] = self.dir;
        // A longer header's bytes past the fields tcpdump knows (a newer
        // pf's), not zero so that a wrong offset shows.
        for b in h.iter_mut().skip(64) {
            *b = 0xa5;
        }
        if (45..64).contains(&self.length) {
            // A header shorter than the fields: the packet starts inside
            // them, where the padded length says.
            h.truncate(usize::from(self.length).next_multiple_of(4));
        }
        [&h[..], packet].concat()
    }
}

/// An IPv6 TCP SYN from 2001:db8::1 port `sport` to 2001:db8::2 port 80
/// (each record its own port: a SYN seen twice would be a
/// retransmission to the flow tracker).
pub fn ipv6_tcp(sport: u16) -> Vec<u8> {
    let mut b = Vec::new();
    let (mut s, mut d) = ([0u8; 16], [0u8; 16]);
    s[..4].copy_from_slice(&[0x20, 1, 0x0d, 0xb8]);
    d[..4].copy_from_slice(&[0x20, 1, 0x0d, 0xb8]);
    (s[15], d[15]) = (1, 2);
    etherparse::PacketBuilder::ipv6(s, d, 64)
        .tcp(sport, 80, 7, 1024)
        .syn()
        .write(&mut b, &[])
        .expect("builds");
    b
}

/// An IPv4 TCP SYN from 10.0.0.1 port `sport` to 1.2.3.4 port 80.
pub fn ipv4_tcp(sport: u16) -> Vec<u8> {
    let mut b = Vec::new();
    etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [1, 2, 3, 4], 64)
        .tcp(sport, 80, 9, 1024)
        .syn()
        .write(&mut b, &[])
        .expect("builds");
    b
}

/// The records: the default header; each action, reason and direction
/// 0..=20 (tcpdump's names and its `unkn(N)`); rules with and without a
/// ruleset and subrule; escaped and full-length names; each address
/// family of IPv6 and some tcpdump does not decode (Linux's AF_INET6
/// among them: its bytes printed); IPv6 in the IPv4 family and the
/// other way round; header lengths from the shortest accepted to one
/// past the fields, odd ones padded; lengths tcpdump refuses.
pub fn records() -> Vec<Vec<u8>> {
    let (v4, v6) = (ipv4_echo(), ipv6_udp());
    let base = Pf::default();
    let mut out = vec![base.record(&v4)];
    for n in 0..=20u8 {
        out.push(
            Pf {
                action: n,
                ..base.clone()
            }
            .record(&v4),
        );
        out.push(
            Pf {
                reason: n,
                ..base.clone()
            }
            .record(&v4),
        );
        out.push(
            Pf {
                dir: n,
                ..base.clone()
            }
            .record(&v4),
        );
    }
    out.push(
        Pf {
            reason: 255,
            action: 255,
            dir: 255,
            ..base.clone()
        }
        .record(&v4),
    );
    let rules: [(&[u8], &[u8], u32, u32); 5] = [
        (b"em1", b"main", 7, 3),
        (b"vio0", b"", 12, 0),
        (
            b"aaaaaaaaaaaaaaaa",
            b"rrrrrrrrrrrrrrrr",
            u32::MAX,
            u32::MAX - 1,
        ),
        (b"em0\x01\x7f\x80\xff", b"x\tz\xc8", 1, 2),
        (b"", b"anchor/sub", 99, 5),
    ];
    for (ifname, ruleset, rulenr, subrulenr) in rules {
        let pf = Pf {
            ifname,
            ruleset,
            rulenr,
            subrulenr,
            uid: 1000,
            pid: 4242,
            ..base.clone()
        };
        out.push(pf.record(&v4));
    }
    for af in [AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN] {
        out.push(Pf { af, ..base.clone() }.record(&v6));
        let sport = 1000 + u16::from(af);
        out.push(
            Pf {
                af,
                dir: 2,
                ..base.clone()
            }
            .record(&ipv6_tcp(sport)),
        );
    }
    for af in [0, 1, 10, 26, 255] {
        out.push(Pf { af, ..base.clone() }.record(&v6));
    }
    out.push(
        Pf {
            af: AF_INET6_BSD,
            ..base.clone()
        }
        .record(&v4),
    );
    out.push(base.record(&v6));
    out.push(base.record(&ipv4_tcp(4321)));
    for length in [45, 47, 48, 60, 64, 65, 72, 100, 255] {
        out.push(
            Pf {
                length,
                ..base.clone()
            }
            .record(&v4),
        );
    }
    for length in [0, 1, 20, 44] {
        out.push(
            Pf {
                length,
                ..base.clone()
            }
            .record(&v4),
        );
    }
    out.push(base.record(&[]));
    out
}
