//! Realtek's protocols (EtherType 0x8899) as `tcpdump -n` prints them at
//! every level, after the frame's addresses (`02:…:01 > 02:…:02, `, the
//! printer's own, under `-e` too): the first byte names the protocol.
//! RRCP, the Realtek Remote Control Protocol of managed switch chips
//! (`RRCP query: get addr=0x0504, data=0x09080706, auth=0x0203,
//! cookie=0x0e0f10110a0b0c0d `), named only: REP (echo) and RLDP (loop
//! detection, two type values), the chips' DSA tags (`Realtek RTL8306
//! 4-byte DSA tag`, the type's upper nibble 9; RTL8366RB's, 0xa; an
//! 8-byte tag, 4). RRCP's register address and data are little endian,
//! its authentication key, cookie, chip and vendor ids big endian, as the
//! chips write them and tcpdump reads them. Every field is read
//! unchecked: a capture cut before the type ends the line with ` [|rtl]`,
//! one inside RRCP with ` [|rrcp]`, both tcpdump's `longjmp`.

use super::ctl::{json_object, out, put_mac};
use super::wire::{Res, bytes_at, u8_at, u16_at, u16_le_at, u32_at, u32_le_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub const ETHERTYPE: u16 = 0x8899;

/// The mark of a capture cut inside RRCP (the outer printer's is `rtl`).
pub const RRCP_CUT: &[u8] = b" [|rrcp]";

/// The printer as the EtherType table finds it, where no link address
/// comes with the payload; Ethernet's printer calls [`write`] with the
/// frame's addresses.
pub static REALTEK: Dissector =
    Dissector::new("rtl", line, verbose, to_json, |m| !m.is_empty()).known_as("realtek", "");

const RRCP: u8 = 0x01;
const REP: u8 = 0x02;
const RLDP: u8 = 0x03;
const RLDP2: u8 = 0x23;
const DSA_8: u8 = 0x04;

/// RRCP's fields: the opcode byte (reply bit and opcode), the
/// authentication key, a register's address and data, the cookie; a
/// hello reply's ports, uplink MAC and ids.
const OPCODE: usize = 1;
const AUTH: usize = 2;
const REG_ADDR: usize = 4;
const REG_DATA: usize = 6;
const COOKIE: usize = 10;
const DOWNLINK: usize = 4;
const UPLINK: usize = 5;
const UPLINK_MAC: usize = 6;
const CHIP_ID: usize = 12;
const VENDOR_ID: usize = 14;

const HELLO: u8 = 0;
const GET: u8 = 1;
const SET: u8 = 2;
const REPLY: u8 = 0x80;

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    write(w, None, p)
}

/// The same line at every level.
fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    write(w, None, p)
}

/// The line, after `src > dst, ` when the frame has addresses (MAC
/// addresses, or IP over FireWire's EUI-64s).
pub fn write(w: &mut Vec<u8>, addrs: Option<(&[u8], &[u8])>, p: &Payload<'_>) -> Res<()> {
    if let Some((src, dst)) = addrs {
        put_mac(w, src);
        w.extend_from_slice(b" > ");
        put_mac(w, dst);
        w.extend_from_slice(b", ");
    }
    let m = p.bytes;
    match u8_at(m, 0)? {
        RRCP => {
            // Cut inside RRCP: its own mark, still a `longjmp`.
            if rrcp(w, m).is_err() {
                w.extend_from_slice(RRCP_CUT);
            }
        }
        REP => w.extend_from_slice(b"REP"),
        RLDP | RLDP2 => w.extend_from_slice(b"RLDP"),
        DSA_8 => w.extend_from_slice(b"Realtek 8-byte DSA tag"),
        t if t >> 4 == 0x9 => w.extend_from_slice(b"Realtek RTL8306 4-byte DSA tag"),
        t if t >> 4 == 0xa => w.extend_from_slice(b"Realtek RTL8366RB 4-byte DSA tag"),
        t => out!(w, "Realtek unknown type 0x{t:02x}"),
    }
    Ok(())
}

/// RRCP's message: each group of fields is read whole before it prints.
fn rrcp(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let op = u8_at(m, OPCODE)?;
    let code = op & !REPLY;
    let kind = if op & REPLY != 0 { "reply" } else { "query" };
    out!(w, "RRCP {kind}: ");
    match code {
        HELLO => w.extend_from_slice(b"hello"),
        GET => w.extend_from_slice(b"get"),
        SET => w.extend_from_slice(b"set"),
        _ => out!(w, "unknown opcode (0x{code:02x})"),
    }
    match code {
        GET | SET => {
            let (addr, data, auth) = (
                u16_le_at(m, REG_ADDR)?,
                u32_le_at(m, REG_DATA)?,
                u16_at(m, AUTH)?,
            );
            out!(
                w,
                " addr=0x{addr:04x}, data=0x{data:08x}, auth=0x{auth:04x}"
            );
            let (high, low) = (u32_at(m, COOKIE + 4)?, u32_at(m, COOKIE)?);
            out!(w, ", cookie=0x{high:08x}{low:08x} ");
        }
        HELLO if op & REPLY != 0 => {
            out!(w, ", auth=0x{:04x}", u16_at(m, AUTH)?);
            let (down, up) = (u8_at(m, DOWNLINK)?, u8_at(m, UPLINK)?);
            let mac: [u8; 6] = bytes_at(m, UPLINK_MAC)?;
            let (vendor, chip) = (u32_at(m, VENDOR_ID)?, u16_at(m, CHIP_ID)?);
            out!(w, " downlink_port={down}, uplink_port={up}, uplink_mac=");
            put_mac(w, &mac);
            out!(w, ", vendor_id={vendor:08x} ,chip_id={chip:04x} ");
        }
        _ => out!(w, ", auth=0x{:04x}", u16_at(m, AUTH)?),
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let kind = u8_at(m, 0)?;
    o.insert("type".into(), json!(kind));
    if kind != RRCP {
        return Ok(());
    }
    let op = u8_at(m, OPCODE)?;
    o.insert("reply".into(), json!(op & REPLY != 0));
    o.insert("opcode".into(), json!(op & !REPLY));
    o.insert("auth".into(), json!(u16_at(m, AUTH)?));
    if matches!(op & !REPLY, GET | SET) {
        o.insert("reg_addr".into(), json!(u16_le_at(m, REG_ADDR)?));
        o.insert("reg_data".into(), json!(u32_le_at(m, REG_DATA)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type, opcode, then the bytes 2, 3, 4 … up to 18 bytes.
    fn message(kind: u8, op: u8) -> Vec<u8> {
        [&[kind, op][..], &(2..18).collect::<Vec<u8>>()].concat()
    }

    #[test]
    fn test_rrcp() {
        assert_eq!(
            REALTEK.printed(&message(1, 0x01), 0),
            "RRCP query: get addr=0x0504, data=0x09080706, auth=0x0203, cookie=0x0e0f10110a0b0c0d "
        );
        assert_eq!(
            REALTEK.printed(&message(1, 0x80), 0),
            "RRCP reply: hello, auth=0x0203 downlink_port=4, uplink_port=5, \
             uplink_mac=06:07:08:09:0a:0b, vendor_id=0e0f1011 ,chip_id=0c0d "
        );
        assert_eq!(
            REALTEK.printed(&message(1, 0xff), 0),
            "RRCP reply: unknown opcode (0x7f), auth=0x0203"
        );
    }

    #[test]
    fn test_names_and_cuts() {
        assert_eq!(REALTEK.printed(&message(0x23, 0), 0), "RLDP");
        assert_eq!(
            REALTEK.printed(&message(0x9c, 0), 0),
            "Realtek RTL8306 4-byte DSA tag"
        );
        assert_eq!(
            REALTEK.printed(&message(0x42, 0), 0),
            "Realtek unknown type 0x42"
        );
        assert_eq!(REALTEK.printed_cut(&message(1, 2), 0, 0), " [|rtl]");
        assert_eq!(REALTEK.printed_cut(&message(1, 2), 1, 0), " [|rrcp]");
        assert_eq!(
            REALTEK.printed_cut(&message(1, 2), 9, 0),
            "RRCP query: set [|rrcp]"
        );
    }
}
