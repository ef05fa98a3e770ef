//! The IPv6 mobility header (IP protocol 135, and 62, which tcpdump also
//! hands to this printer; RFC 6275) as `tcpdump -n` prints it:
//! `mobility: BU seq#=7 AH lifetime=400`, the message's own fields (the
//! cookies and tokens of the return-routability test only under `-v`),
//! then at `-v` its mobility options (`(refresh: 400)(ni: ho=0x0001
//! co=0x0002)`…).
//!
//! Where it stops: a header whose length byte was not captured, one whose
//! length is below the type's size, and an option that does not fit
//! print ` [|mobility]` after tcpdump's own check; a field read past the
//! capture is its `GET_` macro's jump ([`cut_jumps`]).

use super::ctl::{json_object, line_is_level_0, out};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, need, u8_at, u16_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

pub static MOBILITY: Dissector =
    Dissector::new("mobility", line, verbose, to_json, |m| m.len() >= 8);

/// The message types by number, tcpdump's names.
const TYPES: [&str; 8] = ["BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE"];

/// The smallest header length (bytes) of each type, as tcpdump checks it.
const MIN_LEN: [usize; 8] = [8, 16, 16, 24, 24, 12, 12, 24];

/// Binding update flags (the top nibble of the byte after the sequence
/// number), tcpdump's letters run together.
const BU_FLAGS: [(u8, &str); 4] = [(0x08, "A"), (0x04, "H"), (0x02, "L"), (0x01, "K")];

/// Why a printer stopped: after its own check (the line ends with the
/// mark), or by reading past the capture (tcpdump's jump).
#[derive(PartialEq)]
enum Stop {
    Checked,
    Read,
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    write_mobility(w, p.bytes, v).map_err(|_| Truncated)
}

/// Whether a cut line ended by reading past the capture: every stop but
/// the checks of the length byte, the type's size and the options.
pub(super) fn cut_jumps(p: &Payload<'_>, _w: &[u8], v: u8) -> bool {
    let mut scratch = Vec::new();
    write_mobility(&mut scratch, p.bytes, v) == Err(Stop::Read)
}

fn read<T>(r: Res<T>) -> Result<T, Stop> {
    r.map_err(|_| Stop::Read)
}

fn write_mobility(w: &mut Vec<u8>, m: &[u8], v: u8) -> Result<(), Stop> {
    let len_byte = u8_at(m, 1).map_err(|_| Stop::Checked)?;
    let len = (usize::from(len_byte) + 1) * 8;
    let kind = read(u8_at(m, 2))?;
    if let Some(&min) = MIN_LEN.get(usize::from(kind))
        && len < min
    {
        out!(w, "(header length {len} is too small for type {kind})");
        return Err(Stop::Checked);
    }
    w.extend_from_slice(b"mobility: ");
    match TYPES.get(usize::from(kind)) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "type-#{kind}"),
    }
    let fixed = match kind {
        0 => 8,
        1 | 2 => {
            if v > 0 {
                let whose = if kind == 1 { "Home" } else { "Care-of" };
                write_pair(w, m, whose, "Init Cookie", 8)?;
            }
            16
        }
        3 | 4 => {
            out!(w, " nonce id=0x{:x}", read(u16_at(m, 6))?);
            if v > 0 {
                let whose = if kind == 3 { "Home" } else { "Care-of" };
                write_pair(w, m, whose, "Init Cookie", 8)?;
                write_pair(w, m, whose, "Keygen Token", 16)?;
            }
            24
        }
        5 => {
            out!(w, " seq#={}", read(u16_at(m, 6))?);
            // tcpdump checks the flags byte and the reserved one together.
            need(m, 8, 2).map_err(|_| Stop::Checked)?;
            let bits = read(u8_at(m, 8))? >> 4;
            if bits != 0 {
                w.push(b' ');
                for (bit, letter) in BU_FLAGS {
                    if bits & bit != 0 {
                        w.extend_from_slice(letter.as_bytes());
                    }
                }
            }
            out!(w, " lifetime={}", u32::from(read(u16_at(m, 10))?) << 2);
            12
        }
        6 => {
            out!(w, " status={}", read(u8_at(m, 6))?);
            if read(u8_at(m, 7))? & 0x80 != 0 {
                w.extend_from_slice(b" K");
            }
            out!(w, " seq#={}", read(u16_at(m, 8))?);
            out!(w, " lifetime={}", u32::from(read(u16_at(m, 10))?) << 2);
            12
        }
        7 => {
            out!(w, " status={}", read(u8_at(m, 6))?);
            let home = read(bytes_at::<16>(m, 8))?;
            w.extend_from_slice(b" homeaddr ");
            put_ipv6(w, &home);
            24
        }
        _ => {
            out!(w, " len={len_byte}");
            return Ok(());
        }
    };
    if v > 0 {
        write_options(w, m, fixed, len - fixed)?;
    }
    Ok(())
}

/// ` Home Init Cookie=0011aabb:ccddeeff`: two words at `at`.
fn write_pair(w: &mut Vec<u8>, m: &[u8], whose: &str, what: &str, at: usize) -> Result<(), Stop> {
    let (hi, lo) = (read(u32_at(m, at))?, read(u32_at(m, at + 4))?);
    out!(w, " {whose} {what}={hi:08x}:{lo:08x}");
    Ok(())
}

/// The mobility options in the `len` bytes from `at`, each in brackets.
fn write_options(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Result<(), Stop> {
    let mut i = 0;
    while i < len {
        let kind = read(u8_at(m, at + i))?;
        let opt_len = if kind == 0 {
            1
        } else if i + 1 < len {
            usize::from(read(u8_at(m, at + i + 1))?) + 2
        } else {
            return Err(Stop::Checked);
        };
        // tcpdump also wants the byte after the option captured (so the
        // last option of a message is never printed whole).
        if i + opt_len > len || need(m, at + i + opt_len, 1).is_err() {
            return Err(Stop::Checked);
        }
        let left = len - i;
        let o = at + i;
        // Each known option has a least size; below it tcpdump names
        // the option cut.
        let short = |w: &mut Vec<u8>, min: usize, name: &str| {
            if left < min {
                out!(w, "({name}: trunc)");
                Err(Stop::Checked)
            } else {
                Ok(())
            }
        };
        match kind {
            0 => w.extend_from_slice(b"(pad1)"),
            1 => {
                short(w, 2, "padn")?;
                w.extend_from_slice(b"(padn)");
            }
            2 => {
                short(w, 4, "refresh")?;
                out!(w, "(refresh: {})", u32::from(read(u16_at(m, o + 2))?) << 2);
            }
            3 => {
                short(w, 18, "altcoa")?;
                let a = read(bytes_at::<16>(m, o + 2))?;
                w.extend_from_slice(b"(alt-CoA: ");
                put_ipv6(w, &a);
                w.push(b')');
            }
            4 => {
                short(w, 6, "ni")?;
                let (ho, co) = (read(u16_at(m, o + 2))?, read(u16_at(m, o + 4))?);
                out!(w, "(ni: ho=0x{ho:04x} co=0x{co:04x})");
            }
            5 => {
                short(w, 12, "auth")?;
                w.extend_from_slice(b"(auth)");
            }
            _ => {
                if left < 2 {
                    out!(w, "(sopt_type {kind}: trunc)");
                    return Err(Stop::Checked);
                }
                out!(w, "(type-0x{kind:02x}: len={})", read(u8_at(m, o + 1))?);
            }
        }
        i += opt_len;
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("payload_proto".into(), json!(u8_at(m, 0)?));
    let len = (usize::from(u8_at(m, 1)?) + 1) * 8;
    o.insert("length".into(), json!(len));
    let kind = u8_at(m, 2)?;
    o.insert("type".into(), json!(kind));
    o.insert("type_name".into(), json!(TYPES.get(usize::from(kind))));
    o.insert("checksum".into(), json!(u16_at(m, 4)?));
    match kind {
        3 | 4 => {
            o.insert("nonce_index".into(), json!(u16_at(m, 6)?));
        }
        5 => {
            o.insert("seq".into(), json!(u16_at(m, 6)?));
            o.insert("flags".into(), json!(u8_at(m, 8)? >> 4));
            o.insert("lifetime_s".into(), json!(u32::from(u16_at(m, 10)?) << 2));
        }
        6 => {
            o.insert("status".into(), json!(u8_at(m, 6)?));
            o.insert("seq".into(), json!(u16_at(m, 8)?));
            o.insert("lifetime_s".into(), json!(u32::from(u16_at(m, 10)?) << 2));
        }
        7 => {
            o.insert("status".into(), json!(u8_at(m, 6)?));
            let a = std::net::Ipv6Addr::from(bytes_at::<16>(m, 8)?);
            o.insert("home_address".into(), json!(a.to_string()));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_binding_update_with_options() {
        // BU, seq 7, A and H, lifetime 100 (400 s), then a refresh option,
        // PadN and Pad1s to 24 bytes.
        let m = [
            59, 2, 5, 0, 0, 0, 0, 7, 0xc0, 0, 0, 100, 2, 2, 0, 100, 1, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            MOBILITY.printed(&m, 0),
            "mobility: BU seq#=7 AH lifetime=400"
        );
        // tcpdump wants the byte after each option: the last is never
        // printed, and the line ends cut.
        assert_eq!(
            MOBILITY.printed(&m, 1),
            "mobility: BU seq#=7 AH lifetime=400(refresh: 400)(padn)\
             (pad1)(pad1)(pad1)(pad1)(pad1) [|mobility]"
        );
    }

    #[test]
    fn test_truncated_and_too_short() {
        let brr = [59, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(MOBILITY.printed(&brr, 1), "mobility: BRR");
        assert_eq!(MOBILITY.printed_cut(&brr, 1, 1), " [|mobility]");
        let hot = [59, 0, 3, 0, 0, 0, 0, 1];
        assert_eq!(
            MOBILITY.printed(&hot, 0),
            "(header length 8 is too small for type 3) [|mobility]"
        );
    }
}
