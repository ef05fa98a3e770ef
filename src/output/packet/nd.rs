//! `-v` under ICMPv6 router and neighbour messages: one line per
//! neighbour-discovery option (`\t  source link-address option (1),
//! length 8 (1): 02:00:00:00:00:0a`), with tcpdump's hex of each option's
//! body at `-vv` and of an unknown one at `-v` (where tcpdump stops after
//! it). The fields come from `decode::nd_options`.

use super::hex::write_hex_indented;
use super::write_bit_names;
use crate::decode::nd_options::{self, NdItem, NdOpt};
use std::io::{self, Write};

pub(super) fn write_nd_options(w: &mut Vec<u8>, bytes: &[u8], verbose: u8) -> io::Result<()> {
    for item in nd_options::iter(bytes) {
        let NdItem::Opt(opt) = item else {
            return w.write_all(b" [|icmp6]");
        };
        let name = NdOpt::name(opt.kind);
        write!(
            w,
            "\n\t  {name} option ({}), length {} ({}): ",
            opt.kind,
            u32::from(opt.units) * 8,
            opt.units
        )?;
        let known = write_fields(w, &opt)?;
        if !known && verbose <= 1 {
            return write_hex_indented(w, b"\n\t  ", opt.data);
        }
        if verbose > 1 {
            write_hex_indented(w, b"\n\t    ", opt.data)?;
        }
    }
    Ok(())
}

/// The option's fields; `false` for a type we print as tcpdump prints
/// an unknown one.
fn write_fields(w: &mut Vec<u8>, opt: &NdOpt<'_>) -> io::Result<bool> {
    match opt.kind {
        1 | 2 => {
            for (i, b) in opt.data.iter().enumerate() {
                if i > 0 {
                    w.write_all(b":")?;
                }
                write!(w, "{b:02x}")?;
            }
        }
        3 => {
            let Some(p) = opt.prefix_info() else {
                return Ok(true);
            };
            let bad = if opt.units != 4 { "badlen" } else { "" };
            write!(w, "{}/{}{bad}, Flags [", p.prefix, p.prefix_len)?;
            let names = [(0x80, "onlink"), (0x40, "auto"), (0x20, "router")];
            write_bit_names(w, p.flags, &names)?;
            w.write_all(b"], valid time ")?;
            write_lifetime(w, p.valid)?;
            w.write_all(b", pref. time ")?;
            write_lifetime(w, p.preferred)?;
        }
        5 => {
            if let Some(mtu) = opt.u32_value() {
                let bad = if opt.units != 1 {
                    "bad option length"
                } else {
                    ""
                };
                write!(w, " {mtu}{bad}")?;
            }
        }
        7 => {
            if let Some(v) = opt.u32_value() {
                write!(w, " {v}ms")?;
            }
        }
        8 => {
            if let Some((pref, life)) = opt.home_agent() {
                write!(w, " preference {pref}, lifetime {life}")?;
            }
        }
        25 => {
            if let Some((lifetime, addrs)) = opt.rdnss() {
                write!(w, " lifetime {lifetime}s,")?;
                for a in addrs {
                    write!(w, " addr: {a}")?;
                }
            }
        }
        24 => {
            let Some((prefix, plen, pref, life)) = opt.route_info() else {
                return Ok(true);
            };
            let pref = ["medium", "high", "rsv", "low"]
                .get(usize::from(pref))
                .unwrap_or(&"rsv");
            write!(w, " {prefix}/{plen}, pref={pref}, lifetime=")?;
            write_lifetime(w, life)?;
        }
        31 => {
            let Some((lifetime, names)) = opt.dnssl() else {
                return Ok(true);
            };
            write!(w, " lifetime {lifetime}s, domain(s):")?;
            for name in names {
                let Some(labels) = name else {
                    return w.write_all(b" [|icmp6]").map(|()| true);
                };
                w.write_all(b" ")?;
                for label in labels {
                    w.extend(label.iter().filter(|b| b.is_ascii_graphic()));
                    w.write_all(b".")?;
                }
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn write_lifetime(w: &mut Vec<u8>, v: u32) -> io::Result<()> {
    if v == u32::MAX {
        w.write_all(b"infinity")
    } else {
        write!(w, "{v}s")
    }
}
