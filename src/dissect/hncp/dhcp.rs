//! The DHCPv4 and DHCPv6 options HNCP's DHCPv4-Data and DHCPv6-Data TLVs
//! carry, as tcpdump 4.99.3 prints them: each on a line of its own one
//! level deeper, its name (`Unknown` for one it does not decode) and its
//! size with its header; DNS and NTP/SNTP servers' addresses, search
//! lists' names (pointers count from the end of the option, as tcpdump
//! reads them). `Err` is tcpdump's `-1`: a header or an option past the
//! TLV, a server list of a wrong size, a name it could not read — unless
//! reading the name ran past the capture where tcpdump's `fqdn_print`
//! reads unchecked: its `longjmp` ends the whole printer ([`Bad::Jump`]).

use super::put_indent;
use crate::decode::ip6_text::Ip6;
use crate::dissect::ctl::{ipv4_at, out, tok};
use crate::dissect::dns::name::put_name_based;
use crate::dissect::wire::{u8_at, u16_at};

/// Why an option list stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bad {
    /// tcpdump's `-1` from the option printers.
    Invalid,
    /// A name read past the capture unchecked (tcpdump's `longjmp`).
    Jump,
}

const V4_NAMES: &[(u16, &str)] = &[(6, "DNS-server"), (42, "NTP-server"), (119, "DNS-search")];
const V6_NAMES: &[(u16, &str)] = &[
    (23, "DNS-server"),
    (24, "DNS-search-list"),
    (31, "SNTP-servers"),
];

/// One family's option layout: the header's field size, its names, the
/// server options and their address size, the search list option.
pub(super) struct Family {
    field: usize,
    names: &'static [(u16, &'static str)],
    servers: [u16; 2],
    address: usize,
    search: u16,
}

pub(super) const V4: Family = Family {
    field: 1,
    names: V4_NAMES,
    servers: [6, 42],
    address: 4,
    search: 119,
};

pub(super) const V6: Family = Family {
    field: 2,
    names: V6_NAMES,
    servers: [23, 31],
    address: 16,
    search: 24,
};

fn field(m: &[u8], at: usize, f: &Family) -> Result<usize, Bad> {
    let v = if f.field == 1 {
        u8_at(m, at).map(u16::from)
    } else {
        u16_at(m, at)
    };
    v.map(usize::from).map_err(|_| Bad::Invalid)
}

/// The options of `len` bytes at `at` of family `f`, each a line at
/// depth `indent`.
pub(super) fn put_options(
    w: &mut Vec<u8>,
    m: &[u8],
    (at, len): (usize, usize),
    indent: usize,
    f: &Family,
) -> Result<(), Bad> {
    let header = 2 * f.field;
    let mut i = 0;
    while i < len {
        if i + header > len {
            return Err(Bad::Invalid);
        }
        let t = field(m, at + i, f)?;
        let n = field(m, at + i + f.field, f)?;
        let value = at + i + header;
        put_indent(w, indent);
        let t16 = u16::try_from(t).unwrap_or(u16::MAX);
        out!(
            w,
            "{} ({})",
            tok(f.names, t16).unwrap_or("Unknown"),
            n + header
        );
        if i + header + n > len {
            return Err(Bad::Invalid);
        }
        if f.servers.contains(&t16) {
            put_servers(w, m, value, n, f)?;
        } else if t16 == f.search {
            let end = value + n;
            let mut p = value;
            while p < end {
                w.push(b' ');
                p = match put_name_based(w, m, p, end) {
                    Ok(next) => next,
                    Err(_) if super::names::name_jumps(m, p, end) => return Err(Bad::Jump),
                    Err(_) => return Err(Bad::Invalid),
                };
            }
        }
        i += header + n;
    }
    Ok(())
}

/// A list of server addresses: IPv4 ones at least one and a multiple of
/// four bytes; IPv6 ones a multiple of 16 (else ` (invalid)` printed).
fn put_servers(w: &mut Vec<u8>, m: &[u8], at: usize, n: usize, f: &Family) -> Result<(), Bad> {
    if f.address == 4 && (n < 4 || !n.is_multiple_of(4)) {
        return Err(Bad::Invalid);
    }
    if !n.is_multiple_of(f.address) {
        w.extend_from_slice(b" (invalid)");
        return Err(Bad::Invalid);
    }
    for a in (at..at + n).step_by(f.address) {
        if f.address == 4 {
            out!(w, " {}", ipv4_at(m, a).map_err(|_| Bad::Invalid)?);
        } else {
            let b = crate::dissect::wire::bytes_at::<16>(m, a).map_err(|_| Bad::Invalid)?;
            out!(w, " {}", Ip6::from(b));
        }
    }
    Ok(())
}
