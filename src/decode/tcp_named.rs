//! TCP option kinds beyond the classic five that tcpdump spells out
//! (MPTCP and its subtypes, Fast Open and the experimental kinds of RFC
//! 6994, TCP-MD5, SCPS, echo, CC, user timeout, TCP-AO), read from an
//! option's data into a [`Named`] value that the printer formats. The
//! length rules are tcpdump's, so that an option it rejects as
//! `[bad opt]` is rejected here too.

use super::link_header::be16;

/// What a known option kind says. `Bad` ends tcpdump's option list with
/// `[bad opt]`; `Plain` is printed as an unknown option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named<'a> {
    /// MPTCP (kind 30): the option length and the subtype.
    Mptcp {
        len: u8,
        sub: Mptcp<'a>,
    },
    /// Fast Open (kind 34, or 254 with magic 0xf989 when `exp`); an empty
    /// cookie is a cookie request; `None` a cookie of an invalid length.
    Tfo {
        exp: bool,
        cookie: Option<&'a [u8]>,
    },
    /// An experimental option (254) with a magic number tcpdump only
    /// shows (`exp-1234`), or AccECN's 0xacc0/0xacc1.
    Exp(u16),
    Md5(&'a [u8]),
    Scps {
        cap: u8,
        id: u8,
    },
    /// echo (6), echoreply (7), cc (11), ccnew (12), ccecho (13): one
    /// 32-bit value.
    Value32 {
        name: &'static str,
        value: u32,
    },
    /// User timeout (28): the raw field.
    Uto(u16),
    /// TCP-AO (29): key ids and MAC; `None` when too short.
    TcpAo(Option<(u8, u8, &'a [u8])>),
    Bad,
    Plain,
}

/// An MPTCP option's subtype and what tcpdump prints of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mptcp<'a> {
    Capable {
        version: u8,
        csum: bool,
        /// The sender's key, and the receiver's after it in the third
        /// ACK; tcpdump 4.99 prints no more of a 22-byte option (RFC
        /// 8684's data-level length is not shown).
        keys: &'a [u8],
    },
    CapableUnknownVersion(u8),
    Join {
        /// `None` for the third-ACK form (no backup bit or id printed).
        backup_id: Option<(bool, u8)>,
        body: JoinBody<'a>,
    },
    /// DSS: what tcpdump prints of it, field by field, up to the first
    /// one the option is too short for; `ok` false when it then rejects
    /// the option (`[bad opt]` after what was printed).
    Dss {
        fin: bool,
        /// The data ack: `Some(None)` when the option is too short for it.
        ack: Option<Option<u64>>,
        /// The mapping when its flag is set.
        map: Option<DssMap>,
        ok: bool,
    },
    /// ADD_ADDR: the low nibble of its subtype byte (RFC 6824's IP
    /// version, or RFC 8684's echo flag: tcpdump names it from one
    /// table), address id, address, optional port, and the truncated
    /// HMAC. The option's length alone says which of these are there.
    AddAddr {
        nibble: u8,
        id: u8,
        addr: std::net::IpAddr,
        port: Option<u16>,
        hmac: Option<u64>,
    },
    RemoveAddr(&'a [u8]),
    Prio {
        backup: bool,
        id: Option<u8>,
    },
    Fail(u64),
    FastClose(u64),
    /// A subtype tcpdump has no printer for.
    Unknown,
    /// A subtype whose length or flags tcpdump rejects: its name.
    Bad(&'static str),
}

/// A DSS mapping's fields, each `None` from the first the option is too
/// short for: data sequence number, subflow sequence number, data-level
/// length, and the checksum (printed when 2 bytes are left for it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DssMap {
    pub dsn: Option<u64>,
    pub ssn: Option<u32>,
    pub len: Option<u16>,
    pub csum: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinBody<'a> {
    Syn { token: u32, nonce: u32 },
    SynAck { hmac: u64, nonce: u32 },
    Ack(&'a [u8]),
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)?
        .first_chunk::<4>()
        .map(|b| u32::from_be_bytes(*b))
}
fn be64(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 8)?
        .first_chunk::<8>()
        .map(|b| u64::from_be_bytes(*b))
}

/// A TCP-AO option (kind 29) whose data the capture cut (`data`: the
/// bytes captured after kind and length): its key id, and its next key
/// id with what was captured of the MAC, each when captured.
pub fn tcp_ao_cut(data: &[u8]) -> (Option<u8>, Option<(u8, &[u8])>) {
    match data {
        [] => (None, None),
        [keyid] => (Some(*keyid), None),
        [keyid, rnext, mac @ ..] => (Some(*keyid), Some((*rnext, mac))),
    }
}

/// The option `kind` with `data` (the bytes after kind and length), in a
/// segment whose flag byte is `flags`.
pub fn named(kind: u8, data: &[u8], flags: u8) -> Named<'_> {
    let len = data.len();
    match kind {
        30 => mptcp(data, flags),
        34 => tfo(false, data),
        // tcpdump 4.99 knows only the second experimental kind (RFC
        // 4727's 254); 253 is `unknown-253` there.
        254 => match be16(data, 0) {
            None => Named::Bad,
            Some(0xf989) => tfo(true, data.get(2..).unwrap_or(&[])),
            Some(magic) => Named::Exp(magic),
        },
        19 if len == 16 => Named::Md5(data),
        20 if len == 2 => match data {
            [cap, id] => Named::Scps { cap: *cap, id: *id },
            _ => Named::Plain,
        },
        6 | 7 | 11 | 12 | 13 if len == 4 => Named::Value32 {
            name: match kind {
                6 => "echo",
                7 => "echoreply",
                11 => "cc",
                12 => "ccnew",
                // tcpdump's table has no name for CC.ECHO: ` 9`.
                _ => "",
            },
            value: be32(data, 0).unwrap_or(0),
        },
        28 if len == 2 => Named::Uto(be16(data, 0).unwrap_or(0)),
        29 => match data {
            [keyid, rnext, mac @ ..] => Named::TcpAo(Some((*keyid, *rnext, mac))),
            _ => Named::TcpAo(None),
        },
        _ => Named::Plain,
    }
}

/// ADD_ADDR by its length: 8/10/16/18 bytes carry IPv4, 20/22/28/30
/// IPv6; the lengths with 2 more carry a port, those with 8 more the
/// HMAC. `None` for any other length.
fn add_addr<'a>(data: &[u8]) -> Option<Mptcp<'a>> {
    let (&first, rest) = data.split_first()?;
    let (&id, rest) = rest.split_first()?;
    let (v6, port, hmac) = match data.len() + 2 {
        8 => (false, false, false),
        10 => (false, true, false),
        16 => (false, false, true),
        18 => (false, true, true),
        20 => (true, false, false),
        22 => (true, true, false),
        28 => (true, false, true),
        30 => (true, true, true),
        _ => return None,
    };
    let (addr, rest): (std::net::IpAddr, &[u8]) = if v6 {
        let (a, rest) = rest.split_first_chunk::<16>()?;
        (std::net::Ipv6Addr::from(*a).into(), rest)
    } else {
        let (a, rest) = rest.split_first_chunk::<4>()?;
        (std::net::Ipv4Addr::from(*a).into(), rest)
    };
    let port_value = if port { be16(rest, 0) } else { None };
    let hmac = if hmac {
        be64(rest, if port { 2 } else { 0 })
    } else {
        None
    };
    Some(Mptcp::AddAddr {
        nibble: first & 0x0f,
        id,
        addr,
        port: port_value,
        hmac,
    })
}

fn tfo(exp: bool, cookie: &[u8]) -> Named<'_> {
    let n = cookie.len();
    let ok = n == 0 || (n.is_multiple_of(2) && (4..=16).contains(&n));
    Named::Tfo {
        exp,
        cookie: ok.then_some(cookie),
    }
}

fn mptcp(data: &[u8], flags: u8) -> Named<'_> {
    let len = (data.len() + 2) as u8;
    let Some(&first) = data.first() else {
        return Named::Bad;
    };
    let sub = match first >> 4 {
        0 => capable(data, flags),
        1 => join(data, flags),
        2 => dss(data, flags),
        3 => add_addr(data).unwrap_or(Mptcp::Bad("add-addr")),
        // tcpdump wants at least one address id.
        4 => match data.get(1..) {
            Some(ids) if !ids.is_empty() => Mptcp::RemoveAddr(ids),
            _ => Mptcp::Bad("rem-addr"),
        },
        5 => match data.len() {
            1 | 2 => Mptcp::Prio {
                backup: first & 1 != 0,
                id: data.get(1).copied(),
            },
            _ => Mptcp::Bad("prio"),
        },
        6 => be64(data, 2)
            .filter(|_| data.len() == 10)
            .map_or(Mptcp::Bad("fail"), Mptcp::Fail),
        7 => be64(data, 2)
            .filter(|_| data.len() == 10)
            .map_or(Mptcp::Bad("fast-close"), Mptcp::FastClose),
        _ => Mptcp::Unknown,
    };
    Named::Mptcp { len, sub }
}

fn capable(data: &[u8], flags: u8) -> Mptcp<'_> {
    let len = data.len() + 2;
    let syn_ok = (len == 12 || len == 4) && flags & SYN != 0;
    let ack_ok = (len == 20 || len == 22) && flags & (SYN | ACK) == ACK;
    if !syn_ok && !ack_ok {
        return Mptcp::Bad("capable");
    }
    let version = data.first().map_or(0, |b| b & 0x0f);
    if version > 1 {
        return Mptcp::CapableUnknownVersion(version);
    }
    Mptcp::Capable {
        version,
        csum: data.get(1).is_some_and(|f| f & 0x80 != 0),
        keys: data.get(2..data.len().min(18)).unwrap_or(&[]),
    }
}

fn join(data: &[u8], flags: u8) -> Mptcp<'_> {
    let len = data.len() + 2;
    let backup_id = (len != 24).then(|| {
        (
            data.first().is_some_and(|b| b & 1 != 0),
            data.get(1).copied().unwrap_or(0),
        )
    });
    let body = match len {
        12 if flags & SYN != 0 => JoinBody::Syn {
            token: be32(data, 2).unwrap_or(0),
            nonce: be32(data, 6).unwrap_or(0),
        },
        16 if flags & (SYN | ACK) == SYN | ACK => JoinBody::SynAck {
            hmac: be64(data, 2).unwrap_or(0),
            nonce: be32(data, 10).unwrap_or(0),
        },
        // The third ACK's form needs the ACK flag.
        24 if flags & ACK != 0 => JoinBody::Ack(data.get(2..22).unwrap_or(&[])),
        _ => return Mptcp::Bad("join"),
    };
    Mptcp::Join { backup_id, body }
}

fn dss(data: &[u8], flags: u8) -> Mptcp<'_> {
    // tcpdump wants the flag byte, and no DSS in a SYN; past that it
    // prints each field after checking that the option holds it, and
    // rejects an option with bytes left over.
    let Some(&f) = data.get(1).filter(|_| flags & SYN == 0) else {
        return Mptcp::Bad("dss");
    };
    let mut at = 2;
    let mut take = |n: usize| -> Option<u64> {
        let v = match n {
            8 => be64(data, at)?,
            4 => u64::from(be32(data, at)?),
            _ => u64::from(be16(data, at)?),
        };
        at += n;
        Some(v)
    };
    let wide = |bit: u8| if f & bit != 0 { 8 } else { 4 };
    let ack = (f & 0x01 != 0).then(|| take(wide(0x02)));
    let mut ok = !matches!(ack, Some(None));
    let map = (ok && f & 0x04 != 0).then(|| {
        let mut m = DssMap {
            dsn: take(wide(0x08)),
            ..DssMap::default()
        };
        m.ssn = m.dsn.and_then(|_| take(4)).map(|v| v as u32);
        m.len = m.ssn.and_then(|_| take(2)).map(|v| v as u16);
        m.csum = m.len.and_then(|_| take(2)).map(|v| v as u16);
        ok = m.len.is_some();
        m
    });
    Mptcp::Dss {
        fin: f & 0x10 != 0,
        ack,
        map,
        ok: ok && at == data.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated_tcp_ao() {
        assert_eq!(tcp_ao_cut(&[]), (None, None));
        assert_eq!(tcp_ao_cut(&[1]), (Some(1), None));
        assert_eq!(tcp_ao_cut(&[1, 2]), (Some(1), Some((2, &[][..]))));
        assert_eq!(tcp_ao_cut(&[1, 2, 3]), (Some(1), Some((2, &[3][..]))));
    }

    #[test]
    fn dss_ack_and_mapping() {
        let d = [
            0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0x20, 0xab, 0xcd,
        ];
        assert_eq!(
            named(30, &d, ACK),
            Named::Mptcp {
                len: 20,
                sub: Mptcp::Dss {
                    fin: false,
                    ack: Some(Some(9)),
                    map: Some(DssMap {
                        dsn: Some(16),
                        ssn: Some(1),
                        len: Some(32),
                        csum: Some(0xabcd)
                    }),
                    ok: true
                }
            }
        );
    }

    #[test]
    fn test_malformed_lengths() {
        assert_eq!(named(30, &[], SYN), Named::Bad);
        // An ack flag without room for the ack: tcpdump has printed
        // ` ack ` before it rejects the option.
        assert_eq!(
            named(30, &[0x20, 0x01, 0, 0], ACK),
            Named::Mptcp {
                len: 6,
                sub: Mptcp::Dss {
                    fin: false,
                    ack: Some(None),
                    map: None,
                    ok: false
                }
            }
        );
        assert!(matches!(
            named(30, &[0x20, 0x01, 0, 0], SYN),
            Named::Mptcp {
                sub: Mptcp::Bad("dss"),
                ..
            }
        ));
        assert_eq!(named(254, &[0x12], SYN), Named::Bad);
        assert_eq!(
            named(34, &[1, 2, 3], SYN),
            Named::Tfo {
                exp: false,
                cookie: None
            }
        );
        assert_eq!(named(29, &[1], SYN), Named::TcpAo(None));
    }
}
