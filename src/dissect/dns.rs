//! DNS (RFC 1035, EDNS0 RFC 6891) over UDP and TCP, mDNS (RFC 6762) and
//! LLMNR (RFC 4795): the line as `tcpdump -n` prints it (`4660+ A? example.com.
//! (29)`, `4660 2/0/1 CNAME x., A 1.2.3.4 (83)`), the `-v` line (owner
//! names and SOA/TSIG details; `-vv` adds `q:`/`ns:`/`ar:`, `-vvv` TTLs),
//! and a `"dns"` JSON object.
//!
//! The text follows tcpdump 4.99's observed output, checked byte for byte
//! by `tests/dissect_dns.rs` on `captures/dissect_dns.pcap` — including
//! where it stops on damaged messages (`<BAD PTR>`, `[|domain]`) and what it
//! skips silently. Names can only be followed backwards through
//! compression pointers (each pointer must point before the previous
//! one), so pointer loops cannot happen, and a name may take at most
//! `MAX_NAME_STEPS` labels and pointers, so a crafted message cannot make
//! the work grow with the square of its length. Every read goes through
//! `get`.
//!
//! LLMNR has no printer in tcpdump (its lines stay `UDP, length N`), so
//! here it is decoded for `--json` only.
//!
//! Hand-written rather than hickory-proto or simple-dns: both build owned
//! messages (a `Vec` per section, a `String` or label vector per name)
//! before anything can be printed, while the line needs the bytes in wire
//! order with tcpdump's own stopping points (a crate rejects a damaged
//! message as a whole; tcpdump prints up to the damage). Printing straight
//! from the borrowed bytes allocates nothing per packet; the
//! `read_vs_tcpdump` bench's DNS case measures the result against tcpdump.

use super::put_num;
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// DNS on port 53.
pub static DNS: Dissector = Dissector {
    name: "domain",
    json_key: "dns",
    line: Some(|w, p| print(w, p, 0, false)),
    verbose: Some(|w, p, v| print(w, p, v, false)),
    json: |p| to_json(p.bytes, false),
};

/// Multicast DNS on port 5353: the class's top bit is QU (questions) or
/// cache-flush (records).
pub static MDNS: Dissector = Dissector {
    name: "domain",
    json_key: "dns",
    line: Some(|w, p| print(w, p, 0, true)),
    verbose: Some(|w, p, v| print(w, p, v, true)),
    json: |p| to_json(p.bytes, true),
};

/// DNS over TCP on port 53 (RFC 1035 §4.2.2, RFC 7766): each message
/// after a two-byte length. tcpdump decodes a segment only when it holds
/// exactly one whole message, and says why otherwise.
pub static DNS_TCP: Dissector = Dissector {
    name: "domain",
    json_key: "dns",
    line: Some(|w, p| print_tcp(w, p, 0)),
    verbose: Some(|w, p, v| print_tcp(w, p, v)),
    json: |p| to_json(p.bytes.get(2..).unwrap_or(&[]), false),
};

/// LLMNR on port 5355: JSON only (see the module doc).
pub static LLMNR: Dissector = Dissector {
    name: "domain",
    json_key: "dns",
    line: None,
    verbose: None,
    json: |p| to_json(p.bytes, false),
};

const HEADER_LEN: usize = 12;
/// RFC 1035's limit on a name, as tcpdump counts it (labels and dots).
const MAX_NAME: usize = 255;
/// Labels and pointers one name may take before we give up on it. A name
/// of at most 255 bytes has at most 127 labels, each reachable by one
/// pointer; tcpdump has no such bound (pointers only go backwards, so it
/// ends, but a crafted message can make each of its names walk the whole
/// message again and again). Beyond this bound our line stops where
/// tcpdump's would go on.
const MAX_NAME_STEPS: usize = 512;
const T_OPT: u16 = 41;
const C_IN: u16 = 1;
/// mDNS: the top bit of a question's class asks for a unicast answer; of a
/// record's class, flushes the cache.
const MDNS_BIT: u16 = 0x8000;

type Res<T> = Result<T, Truncated>;

fn u8_at(m: &[u8], at: usize) -> Res<u8> {
    m.get(at).copied().ok_or(Truncated)
}

fn u16_at(m: &[u8], at: usize) -> Res<u16> {
    match m.get(at..at.saturating_add(2)) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(Truncated),
    }
}

fn u32_at(m: &[u8], at: usize) -> Res<u32> {
    match m.get(at..at.saturating_add(4)) {
        Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
        _ => Err(Truncated),
    }
}

fn bytes_at<const N: usize>(m: &[u8], at: usize) -> Res<[u8; N]> {
    m.get(at..at.saturating_add(N))
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .ok_or(Truncated)
}

/// The fixed header.
#[derive(Clone, Copy)]
struct Header {
    id: u16,
    flags: u16,
    qd: u16,
    an: u16,
    ns: u16,
    ar: u16,
}

impl Header {
    fn read(m: &[u8]) -> Res<Header> {
        Ok(Header {
            id: u16_at(m, 0)?,
            flags: u16_at(m, 2)?,
            qd: u16_at(m, 4)?,
            an: u16_at(m, 6)?,
            ns: u16_at(m, 8)?,
            ar: u16_at(m, 10)?,
        })
    }
    fn qr(&self) -> bool {
        self.flags & 0x8000 != 0
    }
    fn opcode(&self) -> u16 {
        (self.flags >> 11) & 0xf
    }
    fn flag(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }
}

const AA: u16 = 0x0400;
const TC: u16 = 0x0200;
const RD: u16 = 0x0100;
const RA: u16 = 0x0080;
const AD: u16 = 0x0020;
const CD: u16 = 0x0010;
/// The header bits a query should not have set (AA, TC, RA, Z, RCODE):
/// tcpdump shows the whole word when any is (`[b2&3=0x…]`).
const ODD_IN_QUERY: u16 = 0x06cf;

const OPCODES: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

fn rcode_name(rcode: u16) -> Option<&'static str> {
    Some(match rcode {
        0 => "NoError",
        1 => "FormErr",
        2 => "ServFail",
        3 => "NXDomain",
        4 => "NotImp",
        5 => "Refused",
        6 => "YXDomain",
        7 => "YXRRSet",
        8 => "NXRRSet",
        9 => "NotAuth",
        10 => "NotZone",
        15 => "NoChange",
        16 => "BadVers",
        23 => "BadCookie",
        _ => return None,
    })
}

/// tcpdump's name of a record type (`None`: it prints `Type{n}`).
fn type_name(t: u16) -> Option<&'static str> {
    const LOW: [&str; 49] = [
        "", "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO",
        "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG", "KEY",
        "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT",
        "A6", "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY",
    ];
    Some(match t {
        1..=48 => LOW.get(t as usize)?,
        99 => "SPF",
        100 => "UINFO",
        101 => "UID",
        102 => "GID",
        103 => "UNSPEC",
        104 => "UNSPECA",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        256 => "URI",
        _ => return None,
    })
}

/// Names tcpdump does not know but JSON readers expect.
fn json_type_name(t: u16) -> Option<&'static str> {
    if let Some(n) = type_name(t) {
        return Some(n);
    }
    Some(match t {
        49 => "DHCID",
        50 => "NSEC3",
        51 => "NSEC3PARAM",
        52 => "TLSA",
        59 => "CDS",
        60 => "CDNSKEY",
        61 => "OPENPGPKEY",
        62 => "CSYNC",
        63 => "ZONEMD",
        64 => "SVCB",
        65 => "HTTPS",
        257 => "CAA",
        _ => return None,
    })
}

fn class_name(c: u16) -> Option<&'static str> {
    Some(match c {
        1 => "IN",
        3 => "CHAOS",
        4 => "HS",
        255 => "ANY",
        _ => return None,
    })
}

fn put_type(w: &mut Vec<u8>, t: u16) {
    match type_name(t) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => {
            w.extend_from_slice(b"Type");
            put_num(w, t);
        }
    }
}

fn put_class(w: &mut Vec<u8>, c: u16) {
    match class_name(c) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => {
            w.extend_from_slice(b"(Class ");
            put_num(w, c);
            w.push(b')');
        }
    }
}

/// One byte as tcpdump shows it: `M-` for the high bit, `^` and the
/// letter for control characters.
fn put_char(w: &mut Vec<u8>, mut c: u8) {
    if c >= 0x80 {
        c &= 0x7f;
        w.extend_from_slice(b"M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        w.push(b'^');
    }
    w.push(c);
}

/// Up to `n` bytes from `at`, escaped; what is there is printed even when
/// the message ends first (then: truncated).
fn put_chars(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize) -> Res<()> {
    let avail = m.get(at..).unwrap_or(&[]);
    let take = n.min(avail.len());
    for &c in avail.iter().take(take) {
        put_char(w, c);
    }
    if take < n { Err(Truncated) } else { Ok(()) }
}

fn put_hex(w: &mut Vec<u8>, b: u8, digits: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if digits == 2 {
        w.push(HEX[usize::from(b >> 4)]);
    }
    w.push(HEX[usize::from(b & 0xf)]);
}

/// An IPv6 address as inet_ntop writes it (which tcpdump uses): the
/// longest run of two or more zero words becomes `::`, and addresses that
/// embed IPv4 (`::a.b.c.d`, `::ffff:a.b.c.d`) end in dotted form.
pub fn put_ipv6(w: &mut Vec<u8>, a: &[u8; 16]) {
    let mut words = [0u16; 8];
    for (i, word) in words.iter_mut().enumerate() {
        *word = u16::from(a[2 * i]) << 8 | u16::from(a[2 * i + 1]);
    }
    let (mut best, mut best_len, mut run, mut run_len) = (0, 0, 0, 0);
    for (i, &word) in words.iter().enumerate() {
        if word == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best, best_len) = (run, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    if best_len < 2 {
        best_len = 0;
    }
    let mut i = 0;
    while i < 8 {
        if best_len > 0 && i == best {
            w.push(b':');
            i += best_len;
            if i == 8 {
                w.push(b':');
            }
            continue;
        }
        if i > 0 {
            w.push(b':');
        }
        let embeds_v4 = i == 6
            && best == 0
            && (best_len == 6
                || (best_len == 7 && words[7] != 1)
                || (best_len == 5 && words[5] == 0xffff));
        if embeds_v4 {
            for (k, o) in a[12..].iter().enumerate() {
                if k > 0 {
                    w.push(b'.');
                }
                put_num(w, *o);
            }
            return;
        }
        put_hex_u16(w, words[i]);
        i += 1;
    }
}

/// A TTL as tcpdump's relative time: `1h1m1s`, `0s`.
fn put_ttl(w: &mut Vec<u8>, mut secs: u32) {
    if secs == 0 {
        w.extend_from_slice(b"0s");
        return;
    }
    for (unit, c) in [
        (31_536_000, b'y'),
        (604_800, b'w'),
        (86_400, b'd'),
        (3_600, b'h'),
        (60, b'm'),
        (1, b's'),
    ] {
        if secs >= unit {
            put_num(w, secs / unit);
            w.push(c);
            secs %= unit;
        }
    }
}

/// The end of the name at `at`, without following pointers (`None` when
/// it does not fit or has a label type tcpdump rejects).
fn skip_name(m: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let b = *m.get(at)?;
        at += 1;
        match b & 0xc0 {
            _ if b == 0 => return Some(at),
            0xc0 => return Some(at + 1),
            0x40 if b == 0x41 => {
                let bits = bitlabel_bits(*m.get(at)?);
                at += 1 + bits.div_ceil(8);
            }
            0x40 | 0x80 => return None,
            _ => at += usize::from(b),
        }
    }
}

/// An EDNS0 bit-string label's length in bits (0 means 256).
fn bitlabel_bits(b: u8) -> usize {
    if b == 0 { 256 } else { usize::from(b) }
}

/// The label-length byte at `at`, and the number of bytes the label's body
/// takes; unknown label types are named and end the name.
fn label_head(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<(u8, usize)> {
    let b = u8_at(m, at)?;
    match b & 0xc0 {
        0x40 if b != 0x41 => {
            w.extend_from_slice(b"<ELT ");
            put_num(w, b & 0x3f);
            w.push(b'>');
            Err(Truncated)
        }
        0x40 => Ok((b, bitlabel_bits(u8_at(m, at + 1)?).div_ceil(8) + 1)),
        0x80 => {
            w.extend_from_slice(b"<BAD LABEL TYPE>");
            Err(Truncated)
        }
        _ => Ok((b, usize::from(b))),
    }
}

/// `\[x0102/12]`: an EDNS0 bit-string label whose bit count is at `at`.
fn put_bitlabel(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<()> {
    let bits = bitlabel_bits(u8_at(m, at)?);
    w.extend_from_slice(b"\\[x");
    let mut left = bits;
    let mut p = at + 1;
    while left > 7 {
        put_hex(w, u8_at(m, p)?, 2);
        left -= 8;
        p += 1;
    }
    if left > 4 {
        put_hex(w, u8_at(m, p)? & (0xff << (8 - left)), 2);
    } else if left > 0 {
        put_hex(w, (u8_at(m, p)? >> 4) & (0x0f << (4 - left)), 1);
    }
    w.extend_from_slice(b"/");
    put_num(w, bits);
    w.push(b']');
    Ok(())
}

/// Print the name at `at` (following pointers, each strictly backwards)
/// and return where the bytes after it begin.
fn put_name(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let (mut b, mut len) = label_head(w, m, at)?;
    let mut cur = at + 1;
    let mut lowest = at;
    // Until a pointer is followed, the end moves with each label; after,
    // it stays just past that pointer. A name that is only a pointer which
    // cannot be read has no end.
    let mut compressed = false;
    let mut end = (b & 0xc0 != 0xc0).then_some(cur + len);
    if b == 0 {
        w.push(b'.');
        return Ok(cur);
    }
    let mut chars = 0usize;
    let mut steps = 0usize;
    while b != 0 && cur < m.len() {
        steps += 1;
        if steps > MAX_NAME_STEPS {
            w.extend_from_slice(b"<TOO MANY LABELS>");
            return Err(Truncated);
        }
        if b & 0xc0 == 0xc0 {
            if !compressed {
                end = Some(cur + 1);
                compressed = true;
            }
            let target = (usize::from(b & 0x3f) << 8) | usize::from(u8_at(m, cur)?);
            if target >= lowest {
                w.extend_from_slice(b"<BAD PTR>");
                return Err(Truncated);
            }
            lowest = target;
            (b, len) = label_head(w, m, target)?;
            cur = target + 1;
            continue;
        }
        if b & 0xc0 == 0x40 {
            put_bitlabel(w, m, cur)?;
        } else {
            if chars + len <= MAX_NAME {
                put_chars(w, m, cur, len)?;
            } else if chars < MAX_NAME {
                put_chars(w, m, cur, MAX_NAME - chars)?;
            }
            chars += len;
        }
        cur += len;
        if chars <= MAX_NAME {
            w.push(b'.');
        }
        chars += 1;
        (b, len) = label_head(w, m, cur)?;
        cur += 1;
        if !compressed {
            end = end.map(|e| e + len + 1);
        }
    }
    if chars > MAX_NAME {
        w.extend_from_slice(b"<DOMAIN NAME TOO LONG>");
    }
    end.ok_or(Truncated)
}

/// The extended RCODE's upper bits, from the OPT record if the additional
/// section is reached and holds one (tcpdump looks before printing).
fn ext_rcode(m: &[u8], h: &Header) -> u16 {
    let find = || -> Option<u8> {
        let mut at = HEADER_LEN;
        for _ in 0..h.qd {
            at = skip_name(m, at)? + 4;
            if at >= m.len() {
                return None;
            }
        }
        let skip_rdata = |at: usize| -> Option<usize> {
            let at = at + 8;
            let rdlen = usize::from(u16_at(m, at).ok()?);
            let next = at + 2 + rdlen;
            (next < m.len()).then_some(next)
        };
        for _ in 0..u32::from(h.an) + u32::from(h.ns) {
            at = skip_rdata(skip_name(m, at)?)?;
        }
        for _ in 0..h.ar {
            at = skip_name(m, at)?;
            if u16_at(m, at).ok()? == T_OPT {
                return m.get(at + 4).copied();
            }
            at = skip_rdata(at)?;
        }
        None
    };
    find().map_or(0, |b| u16::from(b) << 4)
}

/// The line (verbose = the count of `v`s) for DNS or, with `mdns`, mDNS.
fn print(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8, mdns: bool) -> Res<()> {
    if p.declared_len < HEADER_LEN {
        w.extend_from_slice(b"domain [length ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 12] (invalid)");
        return Ok(());
    }
    let m = p.bytes;
    let h = Header::read(m)?;
    let mut pr = Printer {
        w,
        m,
        verbose,
        mdns,
    };
    if h.qr() {
        pr.response(&h)?;
    } else {
        pr.query(&h)?;
    }
    pr.w.extend_from_slice(b" (");
    put_num(pr.w, p.declared_len);
    pr.w.push(b')');
    Ok(())
}

/// ` 4660+ A? example.com. (29)` after a TCP segment's `length N`, or
/// tcpdump's reason for not decoding the segment.
fn print_tcp(w: &mut Vec<u8>, p: &Payload<'_>, verbose: u8) -> Res<()> {
    w.push(b' ');
    if p.declared_len < 2 {
        w.extend_from_slice(b"[DNS over TCP: length ");
        put_num(w, p.declared_len);
        w.extend_from_slice(b" < 2] (invalid)");
        return Ok(());
    }
    let prefix = usize::from(u16_at(p.bytes, 0)?);
    let len = p.declared_len - 2;
    if prefix != len {
        w.extend_from_slice(b"[prefix length(");
        put_num(w, prefix);
        w.extend_from_slice(b") != length(");
        put_num(w, len);
        w.extend_from_slice(b")] (invalid)");
        return Ok(());
    }
    let message = Payload {
        bytes: p.bytes.get(2..).unwrap_or(&[]),
        declared_len: len,
    };
    print(w, &message, verbose, false)
}

struct Printer<'w, 'm> {
    w: &'w mut Vec<u8>,
    m: &'m [u8],
    verbose: u8,
    mdns: bool,
}

impl Printer<'_, '_> {
    fn count(&mut self, n: u16, suffix: &[u8]) {
        self.w.extend_from_slice(b" [");
        put_num(self.w, n);
        self.w.extend_from_slice(suffix);
        self.w.push(b']');
    }

    fn query(&mut self, h: &Header) -> Res<()> {
        put_num(self.w, h.id);
        self.w
            .extend_from_slice(OPCODES[usize::from(h.opcode())].as_bytes());
        if h.flag(RD) {
            self.w.push(b'+');
        }
        if h.flag(CD) {
            self.w.push(b'%');
        }
        if h.flags & ODD_IN_QUERY != 0 {
            self.w.extend_from_slice(b" [b2&3=0x");
            put_hex_u16(self.w, h.flags);
            self.w.push(b']');
        }
        if h.opcode() == 1 {
            // An inverse query carries one answer and normally no question.
            if h.qd != 0 {
                self.count(h.qd, b"q");
            }
            if h.an != 1 {
                self.count(h.an, b"a");
            }
        } else {
            if h.an != 0 {
                self.count(h.an, b"a");
            }
            if h.qd != 1 {
                self.count(h.qd, b"q");
            }
        }
        if h.ns != 0 {
            self.count(h.ns, b"n");
        }
        if h.ar != 0 {
            self.count(h.ar, b"au");
        }
        let mut at = HEADER_LEN;
        let mut left = h.qd;
        if left > 0 {
            at = self.question(at)?;
            left -= 1;
            while at < self.m.len() && left > 0 {
                at = self.question(at)?;
                left -= 1;
            }
        }
        if left > 0 {
            return Err(Truncated);
        }
        if self.verbose > 1 {
            // A query's answers have no label, and are printed (or found
            // missing) even when the message has ended.
            at = self.records(at, h.an)?;
            at = self.section(at, h.ns, b" ns:")?;
            self.section(at, h.ar, b" ar:")?;
        }
        Ok(())
    }

    fn response(&mut self, h: &Header) -> Res<()> {
        let rcode = (h.flags & 0xf) | ext_rcode(self.m, h);
        put_num(self.w, h.id);
        self.w
            .extend_from_slice(OPCODES[usize::from(h.opcode())].as_bytes());
        match rcode {
            0 => {}
            r => {
                // tcpdump's table writes 17 and 21 without the space.
                if r != 17 && r != 21 {
                    self.w.push(b' ');
                }
                match rcode_name(r) {
                    Some(n) => self.w.extend_from_slice(n.as_bytes()),
                    None => {
                        self.w.extend_from_slice(b"Resp");
                        put_num(self.w, r);
                    }
                }
            }
        }
        if h.flag(AA) {
            self.w.push(b'*');
        }
        if !h.flag(RA) {
            self.w.push(b'-');
        }
        if h.flag(TC) {
            self.w.push(b'|');
        }
        if h.flag(AD) {
            self.w.push(b'$');
        }
        if h.qd != 1 {
            self.count(h.qd, b"q");
        }
        let mut at = HEADER_LEN;
        for i in 0..h.qd {
            if i != 0 {
                self.w.push(b',');
            }
            if self.verbose > 1 {
                self.w.extend_from_slice(b" q:");
                at = self.question(at)?;
            } else {
                at = skip_name(self.m, at).ok_or(Truncated)? + 4;
            }
        }
        self.w.push(b' ');
        put_num(self.w, h.an);
        self.w.push(b'/');
        put_num(self.w, h.ns);
        self.w.push(b'/');
        put_num(self.w, h.ar);
        at = self.records(at, h.an)?;
        if self.verbose > 1 {
            at = self.section(at, h.ns, b" ns:")?;
            self.section(at, h.ar, b" ar:")?;
        }
        Ok(())
    }

    /// `count` records, comma-separated, while the message lasts; all of
    /// them must be there.
    fn records(&mut self, mut at: usize, count: u16) -> Res<usize> {
        let mut left = count;
        if left > 0 {
            at = self.record(at)?;
            left -= 1;
            while at < self.m.len() && left > 0 {
                self.w.push(b',');
                at = self.record(at)?;
                left -= 1;
            }
        }
        if left > 0 { Err(Truncated) } else { Ok(at) }
    }

    /// A section with its label (` ns:`), printed only if the message has
    /// bytes left.
    fn section(&mut self, at: usize, count: u16, label: &[u8]) -> Res<usize> {
        if at < self.m.len() && count > 0 {
            self.w.extend_from_slice(label);
            self.records(at, count)
        } else if count > 0 {
            Err(Truncated)
        } else {
            Ok(at)
        }
    }

    /// ` A? example.com.` (mDNS: ` A (QM)? …`).
    fn question(&mut self, at: usize) -> Res<usize> {
        let after = skip_name(self.m, at).ok_or(Truncated)?;
        let qtype = u16_at(self.m, after)?;
        let raw = u16_at(self.m, after + 2)?;
        self.w.push(b' ');
        put_type(self.w, qtype);
        let class = if self.mdns { raw & !MDNS_BIT } else { raw };
        if class != C_IN {
            self.w.push(b' ');
            put_class(self.w, class);
        }
        if self.mdns {
            self.w.extend_from_slice(if raw & MDNS_BIT != 0 {
                b" (QU)"
            } else {
                b" (QM)"
            });
        }
        self.w.extend_from_slice(b"? ");
        Ok(put_name(self.w, self.m, at)? + 4)
    }

    /// One resource record. A record too short for its fixed part ends the
    /// section quietly (the message's end is returned), as in tcpdump.
    fn record(&mut self, at: usize) -> Res<usize> {
        let m = self.m;
        let at = if self.verbose > 0 {
            self.w.push(b' ');
            put_name(self.w, m, at)?
        } else {
            match skip_name(m, at) {
                Some(at) => at,
                None => return Ok(m.len()),
            }
        };
        if at + 10 > m.len() {
            return Ok(m.len());
        }
        let rtype = u16_at(m, at)?;
        let raw = u16_at(m, at + 2)?;
        // mDNS's cache-flush bit is taken off the class even for OPT,
        // whose class is the UDP payload size (as tcpdump does).
        let class = if self.mdns { raw & !MDNS_BIT } else { raw };
        if class != C_IN && rtype != T_OPT {
            self.w.push(b' ');
            put_class(self.w, class);
        }
        if self.mdns && raw & MDNS_BIT != 0 {
            self.w.extend_from_slice(b" (Cache flush)");
        }
        let ttl = u32_at(m, at + 4)?;
        if rtype != T_OPT && self.verbose > 2 {
            self.w.extend_from_slice(b" [");
            put_ttl(self.w, ttl);
            self.w.push(b']');
        }
        let rd = at + 10;
        let end = rd + usize::from(u16_at(m, at + 8)?);
        self.w.push(b' ');
        put_type(self.w, rtype);
        if end > m.len() {
            return Err(Truncated);
        }
        self.rdata(rtype, class, ttl, rd, end)?;
        Ok(end)
    }

    fn rdata(&mut self, rtype: u16, class: u16, ttl: u32, rd: usize, end: usize) -> Res<()> {
        let (w, m) = (&mut *self.w, self.m);
        match rtype {
            1 => {
                let a = bytes_at::<4>(m, rd)?;
                w.push(b' ');
                for (k, o) in a.iter().enumerate() {
                    if k > 0 {
                        w.push(b'.');
                    }
                    put_num(w, *o);
                }
            }
            2 | 5 | 12 | 39 => {
                w.push(b' ');
                put_name(w, m, rd)?;
            }
            6 if self.verbose > 0 => {
                w.push(b' ');
                let at = put_name(w, m, rd)?;
                w.push(b' ');
                let at = put_name(w, m, at)?;
                bytes_at::<20>(m, at)?;
                for k in 0..5 {
                    w.push(b' ');
                    put_num(w, u32_at(m, at + 4 * k)?);
                }
            }
            15 => {
                w.push(b' ');
                put_name(w, m, rd + 2)?;
                w.push(b' ');
                put_num(w, u16_at(m, rd)?);
            }
            16 => {
                let mut at = rd;
                while at < end {
                    w.extend_from_slice(b" \"");
                    let n = usize::from(u8_at(m, at)?);
                    put_chars(w, m, at + 1, n)?;
                    at += 1 + n;
                    w.push(b'"');
                }
            }
            28 => {
                let a = bytes_at::<16>(m, rd)?;
                w.push(b' ');
                put_ipv6(w, &a);
            }
            33 => {
                w.push(b' ');
                put_name(w, m, rd + 6)?;
                w.push(b':');
                put_num(w, u16_at(m, rd + 4)?);
                w.push(b' ');
                put_num(w, u16_at(m, rd)?);
                w.push(b' ');
                put_num(w, u16_at(m, rd + 2)?);
            }
            38 => {
                // A6 (RFC 2874): prefix length, the address's suffix, the
                // prefix's name.
                let bits = u8_at(m, rd)?;
                w.push(b' ');
                put_num(w, bits);
                if bits > 128 {
                    w.extend_from_slice(b"(bad plen)");
                    return Ok(());
                }
                let skip = usize::from(bits / 8);
                let suffix = m.get(rd + 1..rd + 1 + 16 - skip).ok_or(Truncated)?;
                let mut a = [0u8; 16];
                for (dst, src) in a.iter_mut().skip(skip).zip(suffix) {
                    *dst = *src;
                }
                w.push(b' ');
                put_ipv6(w, &a);
                if bits > 0 {
                    w.push(b' ');
                    put_name(w, m, rd + 1 + 16 - skip)?;
                }
            }
            41 => {
                w.extend_from_slice(b" UDPsize=");
                put_num(w, class);
                if ttl & 0x8000 != 0 {
                    w.extend_from_slice(b" DO");
                }
                if rd < end {
                    w.extend_from_slice(b" [");
                    let mut at = rd;
                    while at < end {
                        at = put_edns_option(w, m, at)?;
                        if at < end {
                            w.push(b',');
                        }
                    }
                    w.push(b']');
                }
            }
            104 => put_chars(w, m, rd, end - rd)?,
            250 if self.verbose > 0 => {
                w.push(b' ');
                let mut at = put_name(w, m, rd)? + 6;
                w.extend_from_slice(b" fudge=");
                put_num(w, u16_at(m, at)?);
                at += 2;
                let mac_len = u16_at(m, at)?;
                w.extend_from_slice(b" maclen=");
                put_num(w, mac_len);
                at += 2 + usize::from(mac_len);
                for field in [&b" origid="[..], b" error=", b" otherlen="] {
                    w.extend_from_slice(field);
                    put_num(w, u16_at(m, at)?);
                    at += 2;
                }
            }
            256 => {
                bytes_at::<4>(m, rd)?;
                w.push(b' ');
                put_num(w, u16_at(m, rd)?);
                w.push(b' ');
                put_num(w, u16_at(m, rd + 2)?);
                w.push(b' ');
                // A data length under 4 leaves tcpdump a negative target
                // length: it prints to the message's end and stops there.
                let n = (end - rd).checked_sub(4).unwrap_or(usize::MAX);
                put_chars(w, m, rd + 4, n)?;
            }
            _ => {}
        }
        Ok(())
    }
}

fn edns_option_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "LLQ",
        2 => "UL",
        3 => "NSID",
        5 => "DAU",
        6 => "DHU",
        7 => "N3U",
        8 => "ECS",
        9 => "EXPIRE",
        10 => "COOKIE",
        11 => "KEEPALIVE",
        12 => "PADDING",
        13 => "CHAIN",
        14 => "KEY-TAG",
        16 => "CLIENT-TAG",
        17 => "SERVER-TAG",
        _ => return None,
    })
}

/// One EDNS option (RFC 6891 §6.1.2) as tcpdump shows it at `-vv`: its
/// name, then its data decoded for the options it knows (client subnet,
/// cookie, padding, keepalive, expire, key tags, chain), in hex otherwise.
fn put_edns_option(w: &mut Vec<u8>, m: &[u8], at: usize) -> Res<usize> {
    let code = u16_at(m, at)?;
    let len = usize::from(u16_at(m, at + 2)?);
    match edns_option_name(code) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => {
            w.extend_from_slice(b"Opt");
            put_num(w, code);
        }
    }
    let data = m.get(at + 4..at + 4 + len).ok_or(Truncated)?;
    let next = at + 4 + len;
    if data.is_empty() {
        return Ok(next);
    }
    w.push(b' ');
    let hex_all = |w: &mut Vec<u8>, d: &[u8]| d.iter().for_each(|&b| put_hex(w, b, 2));
    let valid = match (code, data.len()) {
        (8, _) => put_client_subnet(w, data),
        (10, 8) => {
            hex_all(w, data);
            true
        }
        (10, 16..=40) => {
            let (client, server) = data.split_at(8);
            hex_all(w, client);
            w.push(b' ');
            hex_all(w, server);
            true
        }
        (10, _) => false,
        (12, n) => {
            w.push(b'(');
            put_num(w, n);
            w.push(b')');
            true
        }
        (11, 2) => {
            let v = u16_at(data, 0)?;
            put_num(w, v / 10);
            w.push(b'.');
            put_num(w, v % 10);
            w.extend_from_slice(b" sec");
            true
        }
        (9, 4) => {
            put_num(w, u32_at(data, 0)?);
            w.extend_from_slice(b" sec");
            true
        }
        (9 | 11, _) => false,
        (14, n) if n % 2 == 0 => {
            for (k, pair) in data.chunks_exact(2).enumerate() {
                if k > 0 {
                    w.push(b' ');
                }
                put_num(w, u16_at(pair, 0)?);
            }
            true
        }
        (14, _) => false,
        (13, _) => {
            put_name(w, m, at + 4)?;
            true
        }
        _ => {
            hex_all(w, data);
            true
        }
    };
    if !valid {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(next)
}

/// EDNS client subnet (RFC 7871): `10.0.0.0/24/0`, address/source/scope;
/// `false` when the address length does not match the source prefix.
fn put_client_subnet(w: &mut Vec<u8>, d: &[u8]) -> bool {
    let (Ok(family), Some(&source), Some(&scope)) = (u16_at(d, 0), d.get(2), d.get(3)) else {
        return false;
    };
    let addr = d.get(4..).unwrap_or(&[]);
    let max_bits = match family {
        1 => 32,
        2 => 128,
        _ => return false,
    };
    if source > max_bits || addr.len() != usize::from(source).div_ceil(8) {
        return false;
    }
    let mut full = [0u8; 16];
    for (dst, src) in full.iter_mut().zip(addr) {
        *dst = *src;
    }
    if family == 1 {
        for (k, o) in full.iter().take(4).enumerate() {
            if k > 0 {
                w.push(b'.');
            }
            put_num(w, *o);
        }
    } else {
        put_ipv6(w, &full);
    }
    w.push(b'/');
    put_num(w, source);
    w.push(b'/');
    put_num(w, scope);
    true
}

/// `n` in lower-case hex without leading zeros.
fn put_hex_u16(w: &mut Vec<u8>, n: u16) {
    let mut started = false;
    for shift in [12, 8, 4, 0] {
        let nib = ((n >> shift) & 0xf) as u8;
        if nib != 0 || started || shift == 0 {
            put_hex(w, nib, 1);
            started = true;
        }
    }
}

// ---- JSON ----

/// The name at `at` as text (tcpdump's escapes for odd bytes), and where
/// the bytes after it begin; `None` when it is damaged.
fn name_text(m: &[u8], at: usize) -> Option<(String, usize)> {
    let mut w = Vec::new();
    let end = put_name(&mut w, m, at).ok()?;
    let text = String::from_utf8(w).ok()?;
    // put_name marks what it could not decode in the text itself.
    (!text.contains('<')).then_some((text, end))
}

fn hex(b: &[u8]) -> String {
    let mut w = Vec::with_capacity(2 * b.len());
    for &c in b {
        put_hex(&mut w, c, 2);
    }
    String::from_utf8(w).unwrap_or_default()
}

fn type_json(t: u16) -> String {
    json_type_name(t).map_or_else(|| format!("TYPE{t}"), str::to_string)
}

fn class_json(c: u16) -> String {
    class_name(c).map_or_else(|| format!("CLASS{c}"), str::to_string)
}

/// The `"dns"` object: header fields, then each section's entries as far
/// as they could be decoded (`complete` says whether that was all).
fn to_json(m: &[u8], mdns: bool) -> Value {
    let Ok(h) = Header::read(m) else {
        return json!({"complete": false, "len": m.len()});
    };
    let mut o = Map::new();
    o.insert("id".into(), json!(h.id));
    o.insert("qr".into(), json!(h.qr()));
    o.insert("opcode".into(), json!(h.opcode()));
    let rcode = (h.flags & 0xf) | ext_rcode(m, &h);
    o.insert("rcode".into(), json!(rcode));
    let rname = rcode_name(rcode).map_or_else(|| format!("Resp{rcode}"), str::to_string);
    o.insert("rcode_name".into(), json!(rname));
    let flags: Vec<&str> = [
        (AA, "aa"),
        (TC, "tc"),
        (RD, "rd"),
        (RA, "ra"),
        (AD, "ad"),
        (CD, "cd"),
    ]
    .iter()
    .filter(|(bit, _)| h.flag(*bit))
    .map(|(_, n)| *n)
    .collect();
    o.insert("flags".into(), json!(flags));
    for (key, n) in [
        ("qdcount", h.qd),
        ("ancount", h.an),
        ("nscount", h.ns),
        ("arcount", h.ar),
    ] {
        o.insert(key.into(), json!(n));
    }
    let mut at = HEADER_LEN;
    let mut complete = true;
    let mut questions = Vec::new();
    for _ in 0..h.qd {
        match json_question(m, at, mdns) {
            Some((q, next)) => {
                questions.push(q);
                at = next;
            }
            None => {
                complete = false;
                break;
            }
        }
    }
    o.insert("questions".into(), Value::Array(questions));
    for (key, count) in [("answers", h.an), ("authority", h.ns), ("additional", h.ar)] {
        let mut records = Vec::new();
        for _ in 0..count {
            if !complete {
                break;
            }
            match json_record(m, at, mdns) {
                Some((r, next)) => {
                    records.push(r);
                    at = next;
                }
                None => complete = false,
            }
        }
        o.insert(key.into(), Value::Array(records));
    }
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

fn json_question(m: &[u8], at: usize, mdns: bool) -> Option<(Value, usize)> {
    let (name, at) = name_text(m, at)?;
    let qtype = u16_at(m, at).ok()?;
    let raw = u16_at(m, at + 2).ok()?;
    let mut q = Map::new();
    q.insert("name".into(), json!(name));
    q.insert("type".into(), json!(type_json(qtype)));
    if mdns {
        q.insert("class".into(), json!(class_json(raw & !MDNS_BIT)));
        q.insert("unicast_response".into(), json!(raw & MDNS_BIT != 0));
    } else {
        q.insert("class".into(), json!(class_json(raw)));
    }
    Some((Value::Object(q), at + 4))
}

fn json_record(m: &[u8], at: usize, mdns: bool) -> Option<(Value, usize)> {
    let (name, at) = name_text(m, at)?;
    let rtype = u16_at(m, at).ok()?;
    let raw = u16_at(m, at + 2).ok()?;
    let ttl = u32_at(m, at + 4).ok()?;
    let rd = at + 10;
    let end = rd + usize::from(u16_at(m, at + 8).ok()?);
    let rdata = m.get(rd..end)?;
    let mut r = Map::new();
    r.insert("name".into(), json!(name));
    r.insert("type".into(), json!(type_json(rtype)));
    if rtype == T_OPT {
        r.insert("udp_size".into(), json!(raw));
        r.insert("ext_rcode".into(), json!(ttl >> 24));
        r.insert("version".into(), json!((ttl >> 16) & 0xff));
        r.insert("do".into(), json!(ttl & 0x8000 != 0));
        let mut options = Vec::new();
        let mut p = 0;
        while p < rdata.len() {
            let code = u16_at(rdata, p).ok()?;
            let len = usize::from(u16_at(rdata, p + 2).ok()?);
            let data = rdata.get(p + 4..p + 4 + len)?;
            options.push(json!({
                "code": code,
                "name": edns_option_name(code).unwrap_or(""),
                "data": hex(data),
            }));
            p += 4 + len;
        }
        r.insert("options".into(), Value::Array(options));
        return Some((Value::Object(r), end));
    }
    let class = if mdns { raw & !MDNS_BIT } else { raw };
    r.insert("class".into(), json!(class_json(class)));
    if mdns {
        r.insert("cache_flush".into(), json!(raw & MDNS_BIT != 0));
    }
    r.insert("ttl".into(), json!(ttl));
    r.insert("data".into(), rdata_json(m, rtype, rd, end)?);
    Some((Value::Object(r), end))
}

/// The record's data in zone-file order (`10 mx.example.com.`); TXT as an
/// array of strings; types without a text form in hex.
fn rdata_json(m: &[u8], rtype: u16, rd: usize, end: usize) -> Option<Value> {
    let name = |at| name_text(m, at).map(|(n, _)| n);
    let v = match rtype {
        1 => {
            let a = bytes_at::<4>(m, rd).ok()?;
            json!(std::net::Ipv4Addr::from(a).to_string())
        }
        28 => {
            let mut w = Vec::new();
            put_ipv6(&mut w, &bytes_at::<16>(m, rd).ok()?);
            json!(String::from_utf8(w).ok()?)
        }
        2 | 5 | 12 | 39 => json!(name(rd)?),
        15 => json!(format!("{} {}", u16_at(m, rd).ok()?, name(rd + 2)?)),
        33 => json!(format!(
            "{} {} {} {}",
            u16_at(m, rd).ok()?,
            u16_at(m, rd + 2).ok()?,
            u16_at(m, rd + 4).ok()?,
            name(rd + 6)?
        )),
        6 => {
            let (mname, at) = name_text(m, rd)?;
            let (rname, at) = name_text(m, at)?;
            let mut text = format!("{mname} {rname}");
            for k in 0..5 {
                text.push_str(&format!(" {}", u32_at(m, at + 4 * k).ok()?));
            }
            json!(text)
        }
        16 => {
            let mut strings = Vec::new();
            let mut at = rd;
            while at < end {
                let n = usize::from(u8_at(m, at).ok()?);
                let s = m.get(at + 1..at + 1 + n)?;
                strings.push(json!(String::from_utf8_lossy(s)));
                at += 1 + n;
            }
            Value::Array(strings)
        }
        _ => json!(hex(m.get(rd..end)?)),
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(msg: &[u8], verbose: u8) -> String {
        let mut w = Vec::new();
        let p = Payload {
            bytes: msg,
            declared_len: msg.len(),
        };
        DNS.write_line(&mut w, &p, verbose);
        String::from_utf8(w).unwrap()
    }

    const QUERY: &[u8] =
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01";

    #[test]
    fn test_query() {
        assert_eq!(line(QUERY, 0), "4660+ A? example.com. (29)");
    }

    #[test]
    fn test_truncated() {
        for cut in 0..QUERY.len() {
            let mut w = Vec::new();
            let p = Payload {
                bytes: &QUERY[..cut],
                declared_len: QUERY.len(),
            };
            DNS.write_line(&mut w, &p, 1);
            assert!(
                w.ends_with(b"[|domain]"),
                "{cut}: {}",
                String::from_utf8_lossy(&w)
            );
        }
    }

    #[test]
    fn test_malformed_pointer_loop_stops() {
        // A name that points at itself, then one pointing forwards.
        let mut msg = QUERY[..12].to_vec();
        msg.extend_from_slice(b"\xc0\x0c\x00\x01\x00\x01");
        assert_eq!(line(&msg, 0), "4660+ A? <BAD PTR> [|domain]");
        let mut msg = QUERY[..12].to_vec();
        msg.extend_from_slice(b"\x01a\xc0\x20\x00\x01\x00\x01");
        assert_eq!(line(&msg, 0), "4660+ A? a.<BAD PTR> [|domain]");
    }

    #[test]
    fn test_malformed_long_pointer_chain_is_cut() {
        // The question `a.` at 12; a first answer (root, NULL) whose data is
        // 2000 pointers, each to the one before; 3000 answers owned by the
        // chain's last pointer.
        let mut msg =
            b"\x00\x01\x81\x80\x00\x01\x0b\xb9\x00\x00\x00\x00\x01a\x00\x00\x01\x00\x01".to_vec();
        msg.extend_from_slice(&[0, 0, 10, 0, 1, 0, 0, 0, 1]);
        msg.extend_from_slice(&4000u16.to_be_bytes());
        let mut prev = 12u16;
        for _ in 0..2000 {
            let here = msg.len() as u16;
            msg.extend_from_slice(&(0xc000 | prev).to_be_bytes());
            prev = here;
        }
        for _ in 0..3000 {
            msg.extend_from_slice(&(0xc000 | prev).to_be_bytes());
            msg.extend_from_slice(&[0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]);
        }
        let text = line(&msg, 1);
        assert!(
            text.ends_with(" NULL, <TOO MANY LABELS> [|domain]"),
            "{text}"
        );
        assert_eq!(to_json(&msg, false)["complete"], false);
    }

    #[test]
    fn test_ipv6_text() {
        let text = |a: [u8; 16]| {
            let mut w = Vec::new();
            put_ipv6(&mut w, &a);
            String::from_utf8(w).unwrap()
        };
        let mut a = [0u8; 16];
        assert_eq!(text(a), "::");
        a[15] = 1;
        assert_eq!(text(a), "::1");
        a[12..].copy_from_slice(&[1, 2, 3, 4]);
        assert_eq!(text(a), "::1.2.3.4");
        a[10] = 0xff;
        a[11] = 0xff;
        assert_eq!(text(a), "::ffff:1.2.3.4");
        let b = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(text(b), "2001:db8::1");
        let c = [0x20, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(text(c), "2001:0:0:1::1");
    }

    #[test]
    fn test_ttl_text() {
        let text = |s| {
            let mut w = Vec::new();
            put_ttl(&mut w, s);
            String::from_utf8(w).unwrap()
        };
        assert_eq!(text(0), "0s");
        assert_eq!(text(3661), "1h1m1s");
        assert_eq!(text(u32::MAX), "136y10w6h28m15s");
    }

    #[test]
    fn test_json_query() {
        let v = to_json(QUERY, false);
        assert_eq!(v["id"], 4660);
        assert_eq!(v["questions"][0]["name"], "example.com.");
        assert_eq!(v["questions"][0]["type"], "A");
        assert_eq!(v["complete"], true);
    }
}
