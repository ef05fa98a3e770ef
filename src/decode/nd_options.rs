//! ICMPv6 neighbour-discovery options (RFC 4861 and later), read for the
//! `-v` lines tcpdump prints under router and neighbour messages: each
//! option's type, its length in 8-byte units and its body, with typed
//! readers for the fields tcpdump shows. An option of length 0 or one
//! running past the message ends the walk with [`NdItem::Truncated`].

use std::net::Ipv6Addr;

/// One step of the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NdItem<'a> {
    Opt(NdOpt<'a>),
    /// Length 0, or longer than what is left: tcpdump's ` [|icmp6]`.
    Truncated,
}

/// One option: its type, its length in 8-byte units, the bytes after the
/// type and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NdOpt<'a> {
    pub kind: u8,
    pub units: u8,
    pub data: &'a [u8],
}

/// A prefix information option's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixInfo {
    pub prefix: Ipv6Addr,
    pub prefix_len: u8,
    pub flags: u8,
    pub valid: u32,
    pub preferred: u32,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn addr(b: &[u8], at: usize) -> Option<Ipv6Addr> {
    let a: [u8; 16] = b.get(at..at + 16)?.try_into().ok()?;
    Some(Ipv6Addr::from(a))
}

impl<'a> NdOpt<'a> {
    /// tcpdump's name for an option type.
    pub fn name(kind: u8) -> &'static str {
        match kind {
            1 => "source link-address",
            2 => "destination link-address",
            3 => "prefix info",
            4 => "redirected header",
            5 => "mtu",
            7 => "advertisement interval",
            8 => "homeagent information",
            24 => "route info",
            25 => "rdnss",
            31 => "dnssl",
            _ => "unknown",
        }
    }
    pub fn prefix_info(&self) -> Option<PrefixInfo> {
        Some(PrefixInfo {
            prefix_len: *self.data.first()?,
            flags: *self.data.get(1)?,
            valid: be32(self.data, 2)?,
            preferred: be32(self.data, 6)?,
            prefix: addr(self.data, 14)?,
        })
    }
    /// MTU option (5), advertisement interval (7): the 32-bit value after
    /// two reserved bytes.
    pub fn u32_value(&self) -> Option<u32> {
        be32(self.data, 2)
    }
    /// Home agent information (8): preference and lifetime.
    pub fn home_agent(&self) -> Option<(u16, u16)> {
        Some((be16(self.data, 2)?, be16(self.data, 4)?))
    }
    /// RDNSS (25): lifetime and the addresses.
    pub fn rdnss(&self) -> Option<(u32, impl Iterator<Item = Ipv6Addr> + 'a)> {
        let lifetime = be32(self.data, 2)?;
        let n = usize::from(self.units.saturating_sub(1) / 2);
        let data = self.data;
        Some((lifetime, (0..n).filter_map(move |i| addr(data, 6 + 16 * i))))
    }
}

/// The options in `bytes` (what follows a message's fixed part).
pub fn iter(bytes: &[u8]) -> impl Iterator<Item = NdItem<'_>> + '_ {
    let mut rest = bytes;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || rest.is_empty() {
            return None;
        }
        let kind = *rest.first()?;
        let units = rest.get(1).copied().unwrap_or(0);
        let len = usize::from(units) * 8;
        match rest.get(..len) {
            Some(opt) if units > 0 => {
                rest = rest.get(len..).unwrap_or(&[]);
                Some(NdItem::Opt(NdOpt {
                    kind,
                    units,
                    data: opt.get(2..).unwrap_or(&[]),
                }))
            }
            _ => {
                done = true;
                Some(NdItem::Truncated)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lladdr_then_mtu() {
        let b = [1, 1, 2, 0, 0, 0, 0, 10, 5, 1, 0, 0, 0, 0, 5, 220];
        let opts: Vec<_> = iter(&b).collect();
        assert_eq!(opts.len(), 2);
        let NdItem::Opt(mtu) = opts[1] else { panic!() };
        assert_eq!(mtu.u32_value(), Some(1500));
    }

    #[test]
    fn test_truncated() {
        assert_eq!(iter(&[1, 0, 0, 0]).collect::<Vec<_>>(), [NdItem::Truncated]);
        assert_eq!(iter(&[3, 4, 0]).collect::<Vec<_>>(), [NdItem::Truncated]);
        let NdItem::Opt(o) = iter(&[3, 1, 0, 0, 0, 0, 0, 0]).next().unwrap() else {
            panic!()
        };
        assert_eq!(o.prefix_info(), None);
    }
}
