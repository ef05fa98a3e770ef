//! `captures/dissect_lwres.pcap`: BIND's lightweight resolver messages
//! built by hand on UDP port 921 (Debian's BIND 9 no longer has lwresd):
//! every opcode tcpdump decodes as request and response (no-op, address
//! by name with each address-type set, name by address, rdata by name),
//! unknown opcodes, other versions, packet flags beyond the response
//! bit, names with bytes tcpdump escapes, IPv4, IPv6 and other address
//! families at their size and shorter, aliases, rdata and signatures,
//! types and classes named and not, TTLs, header lengths above, below
//! and at the datagram's, counts past the datagram, datagrams under the
//! 28-byte header; each message cut at every length in a temporary
//! capture; then seeded damaged copies. `tests/dissect_lwres.rs`
//! compares `sockscope read` with `tcpdump -n -r` on both.

use super::app_captures::udp_port_capture;

pub const PORT: u16 = 921;

pub const NOOP: u32 = 0;
pub const BY_NAME: u32 = 0x0001_0001;
pub const BY_ADDR: u32 = 0x0001_0002;
pub const RDATA: u32 = 0x0001_0003;

/// The 28-byte header (its length field the whole message's) and `body`.
pub fn message(flags: u16, opcode: u32, body: &[u8]) -> Vec<u8> {
    with_header(0, flags, opcode, body)
}

/// The same with another version.
pub fn with_header(version: u16, flags: u16, opcode: u32, body: &[u8]) -> Vec<u8> {
    let mut m = ((28 + body.len()) as u32).to_be_bytes().to_vec();
    m.extend_from_slice(&version.to_be_bytes());
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&0x1234_5678u32.to_be_bytes());
    m.extend_from_slice(&opcode.to_be_bytes());
    m.extend_from_slice(&3u32.to_be_bytes());
    m.extend_from_slice(&1024u32.to_be_bytes());
    m.extend_from_slice(&[0, 1, 0, 0]);
    m.extend_from_slice(body);
    m
}

/// A name with its NUL (the body gives its length apart).
fn nul(name: &[u8]) -> Vec<u8> {
    [name, &[0]].concat()
}

/// A name after its 16-bit length, with its NUL.
pub fn counted(name: &[u8]) -> Vec<u8> {
    [&(name.len() as u16).to_be_bytes()[..], &nul(name)].concat()
}

/// Bytes after their 16-bit length (rdata, signatures).
fn bin(data: &[u8]) -> Vec<u8> {
    [&(data.len() as u16).to_be_bytes()[..], data].concat()
}

/// An address: family, length, bytes.
pub fn addr(family: u32, data: &[u8]) -> Vec<u8> {
    let mut a = family.to_be_bytes().to_vec();
    a.extend_from_slice(&(data.len() as u16).to_be_bytes());
    a.extend_from_slice(data);
    a
}

/// A request for the addresses of `name` of `types`.
pub fn by_name_request(flags: u32, types: u32, name: &[u8]) -> Vec<u8> {
    let mut b = flags.to_be_bytes().to_vec();
    b.extend_from_slice(&types.to_be_bytes());
    b.extend_from_slice(&(name.len() as u16).to_be_bytes());
    b.extend(nul(name));
    message(0, BY_NAME, &b)
}

fn by_name_response(realname: &[u8], aliases: &[&[u8]], addrs: &[Vec<u8>]) -> Vec<u8> {
    let mut b = 0u32.to_be_bytes().to_vec();
    b.extend_from_slice(&(aliases.len() as u16).to_be_bytes());
    b.extend_from_slice(&(addrs.len() as u16).to_be_bytes());
    b.extend_from_slice(&(realname.len() as u16).to_be_bytes());
    b.extend(nul(realname));
    for a in aliases {
        b.extend(counted(a));
    }
    b.extend(addrs.concat());
    message(1, BY_NAME, &b)
}

fn by_addr_response(realname: &[u8], aliases: &[&[u8]]) -> Vec<u8> {
    let mut b = 7u32.to_be_bytes().to_vec();
    b.extend_from_slice(&(aliases.len() as u16).to_be_bytes());
    b.extend_from_slice(&(realname.len() as u16).to_be_bytes());
    b.extend(nul(realname));
    for a in aliases {
        b.extend(counted(a));
    }
    message(1, BY_ADDR, &b)
}

fn rdata_request(class: u16, kind: u16, name: &[u8]) -> Vec<u8> {
    let mut b = 2u32.to_be_bytes().to_vec();
    b.extend_from_slice(&class.to_be_bytes());
    b.extend_from_slice(&kind.to_be_bytes());
    b.extend_from_slice(&(name.len() as u16).to_be_bytes());
    b.extend(nul(name));
    message(0, RDATA, &b)
}

fn rdata_response(class: u16, kind: u16, ttl: u32, rdatas: &[&[u8]], sigs: &[&[u8]]) -> Vec<u8> {
    let mut b = 1u32.to_be_bytes().to_vec();
    b.extend_from_slice(&class.to_be_bytes());
    b.extend_from_slice(&kind.to_be_bytes());
    b.extend_from_slice(&ttl.to_be_bytes());
    b.extend_from_slice(&(rdatas.len() as u16).to_be_bytes());
    b.extend_from_slice(&(sigs.len() as u16).to_be_bytes());
    b.extend(counted(b"www.example.org"));
    for d in rdatas.iter().chain(sigs) {
        b.extend(bin(d));
    }
    message(1, RDATA, &b)
}

const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// Every hand-built message, to port 921.
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let v4 = addr(1, &[192, 0, 2, 7]);
    let v6 = addr(2, &V6);
    let mapped = addr(2, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]);
    let mut v = vec![
        message(0, NOOP, &[0, 0]),
        message(1, NOOP, &[0, 2, 0xab, 0xcd]),
        message(0x8001, NOOP, &[]),
        message(0x0006, NOOP, &[]),
        message(0, 0x0003_0000, &[1, 2, 3]),
        message(1, 0xffff_ffff, &[]),
        with_header(1, 0, BY_NAME, &[9, 9]),
        with_header(0xffff, 1, NOOP, &[]),
    ];
    for types in [0u32, 1, 2, 3, 4, 0xffff_fff1] {
        v.push(by_name_request(0, types, b"www.example.com"));
    }
    v.push(by_name_request(0xdead_beef, 1, b"a\x01b\x7f\x80\xff c"));
    v.push(by_name_request(0, 1, b""));
    v.push(by_name_response(
        b"www.example.com",
        &[],
        std::slice::from_ref(&v4),
    ));
    v.push(by_name_response(
        b"host.example.net",
        &[b"alias1.example.net", b"a2"],
        &[
            v4.clone(),
            v6.clone(),
            mapped,
            addr(3, &[1, 2, 3]),
            addr(0, &[]),
        ],
    ));
    v.push(by_name_response(b"", &[b""], &[]));
    v.push(by_name_response(
        b"x",
        &[],
        &[addr(1, &[10, 0, 0, 1, 9, 9])],
    ));
    v.push(by_name_response(b"x", &[], &[addr(1, &[10, 0, 0])]));
    v.push(by_name_response(b"x", &[], &[addr(2, &V6[..15])]));
    for a in [&v4, &v6, &addr(5, &[0xfe; 8]), &addr(1, &[10, 1])] {
        let mut b = 0x10u32.to_be_bytes().to_vec();
        b.extend_from_slice(a);
        v.push(message(0, BY_ADDR, &b));
    }
    v.push(by_addr_response(b"host.example.com", &[]));
    v.push(by_addr_response(b"h", &[b"one", b"two", b"three"]));
    for (class, kind) in [
        (1u16, 1u16),
        (1, 28),
        (3, 16),
        (4, 15),
        (255, 255),
        (2, 65535),
        (9, 0),
    ] {
        v.push(rdata_request(class, kind, b"example.org"));
    }
    for ttl in [0u32, 1, 3600, 86_461, 0xffff_ffff] {
        v.push(rdata_response(1, 1, ttl, &[&[192, 0, 2, 1]], &[]));
    }
    v.push(rdata_response(
        3,
        16,
        60,
        &[b"\x05hello", &[]],
        &[&[0xde, 0xad, 0xbe, 0xef]],
    ));
    v.push(rdata_response(7, 999, 60, &[], &[&[1], &[2, 3]]));
    // Header lengths: short of the datagram ([extra] after a body that
    // ended sooner than it, a length mismatch), beyond it, and zero.
    let mut long = by_name_request(0, 1, b"www.example.com");
    long[3] += 8;
    v.push(long);
    let mut padded = message(1, NOOP, &[0; 6]);
    padded[3] -= 4;
    v.push(padded);
    let mut zero = message(0, BY_ADDR, &[0, 0, 0, 0]);
    zero[..4].copy_from_slice(&[0; 4]);
    v.push(zero);
    let mut extra = by_addr_response(b"h", &[]);
    extra.extend_from_slice(&[0; 5]);
    extra[3] += 5;
    v.push(extra);
    // Counts and lengths past the datagram.
    let mut many = by_name_response(b"x", &[b"y"], std::slice::from_ref(&v4));
    many[28 + 5] = 9;
    v.push(many);
    let mut name_past = by_name_request(0, 1, b"abc");
    name_past[28 + 9] = 200;
    v.push(name_past);
    let mut rd_past = rdata_response(1, 1, 5, &[&[1, 2]], &[]);
    let at = rd_past.len() - 4;
    rd_past[at + 1] = 40;
    v.push(rd_past);
    // Names without their NUL, an invalid address after a header length
    // that is not the datagram's, another version longer than the datagram.
    let mut open = by_name_request(0, 2, b"abc");
    *open.last_mut().expect("a NUL") = b'd';
    v.push(open);
    let mut open = by_addr_response(b"h", &[b"al"]);
    *open.last_mut().expect("a NUL") = 0xff;
    v.push(open);
    let mut invalid = by_name_response(b"x", &[], &[v4.clone(), addr(1, &[10])]);
    invalid[3] += 1;
    v.push(invalid);
    let mut past = with_header(2, 0, NOOP, &[1, 2]);
    past[3] += 1;
    v.push(past);
    for len in [0usize, 1, 12, 27] {
        v.push(message(0, NOOP, &[])[..len].to_vec());
    }
    for (opcode, flags) in [
        (BY_NAME, 0),
        (BY_ADDR, 0),
        (RDATA, 0),
        (BY_NAME, 1),
        (BY_ADDR, 1),
        (RDATA, 1),
    ] {
        v.push(message(flags, opcode, &[0, 0, 0]));
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: each message to the port, three from it, then `n`
/// damaged ones.
pub fn capture(n: usize) -> Vec<u8> {
    udp_port_capture(
        PORT,
        &messages(),
        0..3,
        usize::MAX,
        (0x0921_0000_0000_0001, n),
    )
}
