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
    /// Record route (7), loose (131) or strict (137) source route: its
    /// length, the pointer and the bytes from the first address slot to
    /// the end of the options (tcpdump reads a last partial slot on into
    /// what follows).
    Route {
        code: u8,
        len: u8,
        ptr: u8,
        addrs: &'a [u8],
    },
    /// Timestamp (68): length, pointer, overflow/flags byte, and the
    /// bytes from the first entry to the end of the options.
    Timestamp {
        len: u8,
        ptr: u8,
        flags: u8,
        data: &'a [u8],
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

/// The four bytes at `at` as an address or a number, when they are there.
pub fn addr_at(bytes: &[u8], at: usize) -> Option<Ipv4Addr> {
    let a: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(Ipv4Addr::from(a))
}

/// `N` bytes at `at` of `first` followed by `then` (an option's bytes to
/// the end of the options, then what the header carries: tcpdump reads a
/// route's or timestamp's last slot on past the option), when captured.
pub fn bytes_across<const N: usize>(first: &[u8], then: &[u8], at: usize) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        let k = at.checked_add(i)?;
        *b = match first.get(k) {
            Some(&b) => b,
            None => *then.get(k - first.len())?,
        };
    }
    Some(out)
}

/// A timestamp option's entry of `hop` bytes (4: the time; 8: an
/// address, then the time) at `from` of `first` followed by `then`, as
/// tcpdump reads it: the whole entry must be captured.
pub fn ts_entry(
    first: &[u8],
    then: &[u8],
    from: usize,
    hop: u32,
) -> Option<(u32, Option<Ipv4Addr>)> {
    if hop == 8 {
        let [a0, a1, a2, a3, t0, t1, t2, t3] = bytes_across::<8>(first, then, from)?;
        Some((
            u32::from_be_bytes([t0, t1, t2, t3]),
            Some(Ipv4Addr::from([a0, a1, a2, a3])),
        ))
    } else {
        bytes_across::<4>(first, then, from).map(|t| (u32::from_be_bytes(t), None))
    }
}

/// A route option's addresses as tcpdump reads them: one per slot
/// starting before the option's length, while four bytes are there.
pub fn route_addrs(addrs: &[u8], len: u8) -> impl Iterator<Item = Ipv4Addr> + '_ {
    (3..usize::from(len))
        .step_by(4)
        .map_while(move |at| addr_at(addrs, at - 3))
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
        let whole = rest;
        rest = rest.get(len as usize..).unwrap_or(&[]);
        Some(match code {
            7 | 131 | 137 => IpOpt::Route {
                code,
                len,
                ptr: opt.get(2).copied().unwrap_or(0),
                addrs: whole.get(3..).unwrap_or(&[]),
            },
            68 => IpOpt::Timestamp {
                len,
                ptr: opt.get(2).copied().unwrap_or(0),
                flags: opt.get(3).copied().unwrap_or(0),
                data: whole.get(4..).unwrap_or(&[]),
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

/// How tcpdump's walk over the options of a header the capture cut ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutEnd<'a> {
    /// The next option's kind byte (`code: None`) or length byte was not
    /// captured: tcpdump gives up on the whole packet there.
    Missing { code: Option<u8> },
    /// A length below 2 or past the header: ` [bad length N]`, and the
    /// header is printed on.
    BadLength { code: u8, len: u8 },
    /// An option longer than what was captured: ` [truncated-option]`.
    Truncated { code: u8 },
    /// A route option whose address slots run past the capture: tcpdump
    /// prints its checks and the addresses there, then
    /// ` [truncated-option]`. `addrs`: the bytes from the first slot on.
    RouteCut {
        code: u8,
        len: u8,
        ptr: u8,
        addrs: &'a [u8],
    },
    /// Every option the header length declares was captured.
    Whole,
}

/// The options of a header the capture cut: `captured` are the option
/// bytes there, `declared` how many the header length says. Returns the
/// whole options captured (printed as usual) and how the walk ends.
pub fn cut_walk(captured: &[u8], declared: usize) -> (&[u8], CutEnd<'_>) {
    let mut at = 0usize;
    let end = loop {
        if at >= declared {
            break CutEnd::Whole;
        }
        let Some(&code) = captured.get(at) else {
            break CutEnd::Missing { code: None };
        };
        // End of list: tcpdump names it and stops reading.
        if code == 0 {
            at += 1;
            break CutEnd::Whole;
        }
        let len = if code <= 1 {
            1
        } else {
            match captured.get(at + 1) {
                None => break CutEnd::Missing { code: Some(code) },
                Some(&l) if l < 2 || usize::from(l) > declared - at => {
                    break CutEnd::BadLength { code, len: l };
                }
                Some(&l) => usize::from(l),
            }
        };
        // tcpdump reads a route option's address slots four bytes at a
        // time, the last one on past the option's end.
        let reads = match code {
            7 | 131 | 137 if len > 3 => 3 + (len - 3).div_ceil(4) * 4,
            _ => len,
        };
        // tcpdump checks the option's own length first, then the route
        // printer checks each slot.
        if at + len > captured.len() {
            break CutEnd::Truncated { code };
        }
        if at + reads > captured.len() {
            if let (7 | 131 | 137, Some(&ptr)) = (code, captured.get(at + 2)) {
                break CutEnd::RouteCut {
                    code,
                    len: len as u8,
                    ptr,
                    addrs: captured.get(at + 3..).unwrap_or(&[]),
                };
            }
            break CutEnd::Truncated { code };
        }
        at += len;
    };
    (captured.get(..at).unwrap_or(captured), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nop_ra_lsrr() {
        let b = [1, 148, 4, 0, 0, 131, 11, 4, 10, 0, 0, 1, 10, 0, 0, 2];
        let mut opts = iter(&b);
        assert_eq!(opts.next(), Some(IpOpt::Nop));
        assert_eq!(opts.next(), Some(IpOpt::RouterAlert { value: Some(0) }));
        let Some(IpOpt::Route {
            addrs, ptr: 4, len, ..
        }) = opts.next()
        else {
            panic!()
        };
        assert_eq!(route_addrs(addrs, len).count(), 2);
        assert_eq!(opts.next(), None);
    }

    #[test]
    fn test_truncated_cut_walk() {
        // NOP, NOP, then the kind byte is missing.
        assert_eq!(
            cut_walk(&[1, 1], 8),
            (&[1u8, 1][..], CutEnd::Missing { code: None })
        );
        // RR of 11 bytes, 4 captured.
        assert_eq!(
            cut_walk(&[7, 11, 4, 0], 12).1,
            CutEnd::Truncated { code: 7 }
        );
        // LSRR of 9 bytes, all captured, its second slot running past.
        assert_eq!(
            cut_walk(&[131, 9, 4, 1, 2, 3, 4, 5, 6, 0], 12).1,
            CutEnd::RouteCut {
                code: 131,
                len: 9,
                ptr: 4,
                addrs: &[1, 2, 3, 4, 5, 6, 0]
            }
        );
        assert_eq!(cut_walk(&[7, 11], 12).1, CutEnd::Truncated { code: 7 });
        assert_eq!(cut_walk(&[1, 7], 12).1, CutEnd::Missing { code: Some(7) });
        assert_eq!(
            cut_walk(&[7, 1], 12).1,
            CutEnd::BadLength { code: 7, len: 1 }
        );
        assert_eq!(
            cut_walk(&[7, 40], 12).1,
            CutEnd::BadLength { code: 7, len: 40 }
        );
        assert_eq!(cut_walk(&[1, 1, 1, 1], 4).1, CutEnd::Whole);
    }

    #[test]
    fn test_truncated_bytes_across() {
        let (a, b) = ([1u8, 2, 3], [4u8, 5]);
        assert_eq!(bytes_across::<4>(&a, &b, 1), Some([2, 3, 4, 5]));
        assert_eq!(bytes_across::<4>(&a, &b, 2), None);
        assert_eq!(bytes_across::<2>(&a, &[], 1), Some([2, 3]));
        assert_eq!(bytes_across::<2>(&a, &b, usize::MAX), None);
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
