//! ICMPv6 neighbour-discovery options (RFC 4861 and later), read for the
//! `-v` lines tcpdump prints under router and neighbour messages: each
//! option's type, its length in 8-byte units and its body, with typed
//! readers for the fields tcpdump shows. An option of length 0 or one
//! running past the message ends the walk with [`NdItem::Truncated`].

use super::ip6_text::Ip6;
use super::link_header::be16;

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

/// A domain name as its labels (DNSSL).
pub type DomainName<'a> = Vec<&'a [u8]>;

/// A prefix information option's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixInfo {
    pub prefix: Ip6,
    pub prefix_len: u8,
    pub flags: u8,
    pub valid: u32,
    pub preferred: u32,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn addr(b: &[u8], at: usize) -> Option<Ip6> {
    let a: [u8; 16] = b.get(at..at + 16)?.try_into().ok()?;
    Some(Ip6::from(a))
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
    pub fn rdnss(&self) -> Option<(u32, impl Iterator<Item = Ip6> + 'a)> {
        let lifetime = be32(self.data, 2)?;
        let n = usize::from(self.units.saturating_sub(1) / 2);
        let data = self.data;
        Some((lifetime, (0..n).filter_map(move |i| addr(data, 6 + 16 * i))))
    }
    /// Route information (24, RFC 4191): prefix, prefix length, route
    /// preference (0 medium, 1 high, 2 reserved, 3 low) and lifetime. The
    /// prefix holds 0, 8 or 16 bytes as the length says; `None` for any
    /// other length.
    pub fn route_info(&self) -> Option<(Ip6, u8, u8, u32)> {
        let plen = *self.data.first()?;
        let pref = (*self.data.get(1)? >> 3) & 3;
        let life = be32(self.data, 2)?;
        let mut prefix = [0u8; 16];
        let n = match self.units {
            1 => 0,
            2 => 8,
            3 => 16,
            _ => return None,
        };
        prefix
            .get_mut(..n)?
            .copy_from_slice(self.data.get(6..6 + n)?);
        Some((Ip6::from(prefix), plen, pref, life))
    }
    /// DNS search list (31, RFC 8106): lifetime and the domain names, each
    /// as its labels, up to the first empty name (the padding). A name
    /// that runs past the option, or uses compression, ends the list with
    /// `None`.
    pub fn dnssl(&self) -> Option<(u32, Vec<Option<DomainName<'a>>>)> {
        let lifetime = be32(self.data, 2)?;
        let mut rest = self.data.get(6..).unwrap_or_default();
        let mut names = Vec::new();
        while let Some(&first) = rest.first()
            && first != 0
        {
            let mut labels = Vec::new();
            let mut ok = false;
            while let Some((&len, tail)) = rest.split_first() {
                if len == 0 {
                    rest = tail;
                    ok = true;
                    break;
                }
                match tail.get(..usize::from(len)) {
                    Some(label) if len < 64 => {
                        labels.push(label);
                        rest = tail.get(usize::from(len)..).unwrap_or_default();
                    }
                    _ => break,
                }
            }
            if !ok {
                names.push(None);
                break;
            }
            names.push(Some(labels));
        }
        Some((lifetime, names))
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
        let [NdItem::Opt(lladdr), NdItem::Opt(mtu)] = opts[..] else {
            panic!("{opts:?}")
        };
        assert_eq!((lladdr.kind, lladdr.data), (1, &b[2..8]));
        assert_eq!(mtu.u32_value(), Some(1500));
    }

    #[test]
    fn route_info_and_dnssl() {
        let ri = [24, 2, 48, 0x18, 0, 0, 0, 60, 0x20, 1, 0xd, 0xb8, 0, 2, 0, 0];
        let NdItem::Opt(o) = iter(&ri).next().unwrap() else {
            panic!()
        };
        let (prefix, plen, pref, life) = o.route_info().unwrap();
        assert_eq!(
            (prefix.to_string(), plen, pref, life),
            ("2001:db8:2::".into(), 48, 3, 60)
        );
        let dnssl = [31, 2, 0, 0, 0, 0, 4, 0xb0, 1, b'a', 1, b'b', 0, 0, 0, 0];
        let NdItem::Opt(o) = iter(&dnssl).next().unwrap() else {
            panic!()
        };
        let (life, names) = o.dnssl().unwrap();
        assert_eq!(life, 1200);
        assert_eq!(names, [Some(vec![&b"a"[..], &b"b"[..]])]);
        // A label running past the option.
        let cut = [31, 2, 0, 0, 0, 0, 0, 1, 9, b'a', 0, 0, 0, 0, 0, 0];
        let NdItem::Opt(o) = iter(&cut).next().unwrap() else {
            panic!()
        };
        assert_eq!(o.dnssl().unwrap().1, [None]);
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
