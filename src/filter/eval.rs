//! User-space evaluation of a lowered filter on the raw captured bytes, with
//! BPF's rules: loads are big-endian, a load past the captured bytes or a
//! division by zero rejects the whole packet (not just the sub-expression),
//! `len` is the wire length.

use super::lower::{Node, Val};

/// The packet was rejected outright (out-of-bounds load, division by zero).
struct Abort;

fn load(pkt: &[u8], off: u32, size: u8) -> Result<u32, Abort> {
    let start = off as usize;
    let end = start.checked_add(size as usize).ok_or(Abort)?;
    let b = pkt.get(start..end).ok_or(Abort)?;
    Ok(match *b {
        [x] => x as u32,
        [x, y] => u16::from_be_bytes([x, y]) as u32,
        [a, b, c, d] => u32::from_be_bytes([a, b, c, d]),
        _ => return Err(Abort),
    })
}

fn val(v: &Val, pkt: &[u8], wire_len: u32) -> Result<u32, Abort> {
    Ok(match v {
        Val::K(k) => *k,
        Val::Len => wire_len,
        Val::Load(size, off) => load(pkt, val(off, pkt, wire_len)?, *size)?,
        Val::Msh(off) => 4 * (load(pkt, *off, 1)? & 0xf),
        Val::Bin(op, a, b) => {
            let a = val(a, pkt, wire_len)?;
            let b = val(b, pkt, wire_len)?;
            op.apply(a, b).ok_or(Abort)?
        }
    })
}

fn node(n: &Node, pkt: &[u8], wire_len: u32) -> Result<bool, Abort> {
    Ok(match n {
        Node::Const(c) => *c,
        Node::And(v) => {
            for n in v {
                if !node(n, pkt, wire_len)? {
                    return Ok(false);
                }
            }
            true
        }
        Node::Or(v) => {
            for n in v {
                if node(n, pkt, wire_len)? {
                    return Ok(true);
                }
            }
            false
        }
        Node::Not(a) => !node(a, pkt, wire_len)?,
        Node::Test(c, a, b) => {
            // BPF computes the right operand (into X) before the left (A).
            let y = val(b, pkt, wire_len)?;
            let x = val(a, pkt, wire_len)?;
            c.test(x, y)
        }
    })
}

/// Whether the packet matches; `false` when BPF would reject it.
pub fn matches(n: &Node, pkt: &[u8], wire_len: u32) -> bool {
    node(n, pkt, wire_len).unwrap_or(false)
}
