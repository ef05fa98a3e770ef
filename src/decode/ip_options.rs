//! IPv4 header options, read for the `-v` line (`options (NOP,RA)`,
//! `LSRR 10.0.0.1, 10.0.0.2`): each option's kind, its length as it
//! says, and the fields tcpdump prints. Every read is checked; an option
//! whose length does not fit ends the list with [`IpOpt::BadLength`].

use std::net::Ipv4Addr;

/// One IPv4 option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpOpt<'a> {
    Eol,
    Nop,
    /// Record route (7), loose (131) or strict (137) source route: the
    /// pointer and the address slots.
    Route {
        code: u8,
        ptr: u8,
        addrs: &'a [u8],
    },
    /// Router alert (148) and its value.
    RouterAlert {
        value: Option<u16>,
    },
    /// Any other option, by code.
    Other {
        code: u8,
    },
    /// An option whose length byte is below 2 or beyond the options: the
    /// list ends here.
    BadLength {
        code: u8,
        len: u8,
    },
}

impl IpOpt<'_> {
    /// tcpdump's name for an option code.
    pub fn name(code: u8) -> Option<&'static str> {
        Some(match code {
            0 => "EOL",
            1 => "NOP",
            7 => "RR",
            68 => "timestamp",
            82 => "traceroute",
            130 => "security",
            131 => "LSRR",
            137 => "SSRR",
            148 => "RA",
            _ => return None,
        })
    }
}

/// Whether the IPv4 header's reserved flag (the bit before DF) is set.
pub fn reserved_flag(header: &[u8]) -> bool {
    header.get(6).is_some_and(|b| b & 0x80 != 0)
}

/// The addresses of a route option's slots (whole four-byte slots only).
pub fn route_addrs(addrs: &[u8]) -> impl Iterator<Item = Ipv4Addr> + '_ {
    addrs
        .chunks_exact(4)
        .filter_map(|c| <[u8; 4]>::try_from(c).ok().map(Ipv4Addr::from))
}

/// The options in `bytes` (the header after its first 20 bytes), in order;
/// stops after EOL or a bad length.
pub fn iter(bytes: &[u8]) -> impl Iterator<Item = IpOpt<'_>> + '_ {
    let mut rest = bytes;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let (&code, after) = rest.split_first()?;
        if code == 0 || code == 1 {
            rest = after;
            done = code == 0;
            return Some(if code == 0 { IpOpt::Eol } else { IpOpt::Nop });
        }
        let len = after.first().copied().unwrap_or(0);
        let Some(opt) = rest.get(..len as usize).filter(|_| len >= 2) else {
            done = true;
            return Some(IpOpt::BadLength { code, len });
        };
        rest = rest.get(len as usize..).unwrap_or(&[]);
        Some(match code {
            7 | 131 | 137 => IpOpt::Route {
                code,
                ptr: opt.get(2).copied().unwrap_or(0),
                addrs: opt.get(3..).unwrap_or(&[]),
            },
            148 => IpOpt::RouterAlert {
                value: opt
                    .get(2..4)
                    .and_then(|v| <[u8; 2]>::try_from(v).ok())
                    .map(u16::from_be_bytes),
            },
            _ => IpOpt::Other { code },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nop_ra_lsrr() {
        let b = [1, 148, 4, 0, 0, 131, 11, 4, 10, 0, 0, 1, 10, 0, 0, 2];
        let opts: Vec<_> = iter(&b).collect();
        assert_eq!(opts[0], IpOpt::Nop);
        assert_eq!(opts[1], IpOpt::RouterAlert { value: Some(0) });
        let IpOpt::Route { addrs, ptr, .. } = opts[2] else {
            panic!()
        };
        assert_eq!(ptr, 4);
        assert_eq!(route_addrs(addrs).count(), 2);
    }

    #[test]
    fn test_malformed_length() {
        let opts: Vec<_> = iter(&[7, 1, 0, 0]).collect();
        assert_eq!(opts, [IpOpt::BadLength { code: 7, len: 1 }]);
        let opts: Vec<_> = iter(&[148, 9, 0, 0]).collect();
        assert_eq!(opts, [IpOpt::BadLength { code: 148, len: 9 }]);
        assert_eq!(iter(&[148]).count(), 1);
    }
}
