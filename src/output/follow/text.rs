//! tshark's follow formats (`tshark -q -z follow,tcp,FORMAT,N`): the
//! header block, one record per chunk (data sent by node 1 indented by a
//! tab), the closing line; and the YAML form. Holes are records of
//! tshark's own marker text, so a stream with gaps prints as tshark prints
//! it. Byte for byte: the differential tests compare with the real tshark.

use crate::decode::ip6_text::{Ip6, IpText};
use crate::flow::Proto;
use crate::flow::reassembly::{Cause, Chunk, ChunkKind, StreamInfo};
use crate::packet::Timestamp;
use std::io::{self, Write};
use std::net::IpAddr;

/// The text formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Ascii,
    Hex,
    Raw,
    Yaml,
}

impl TextFormat {
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Ascii => "ascii",
            TextFormat::Hex => "hex",
            TextFormat::Raw => "raw",
            TextFormat::Yaml => "yaml",
        }
    }
}

const RULE: &str = "===================================================================";

/// What a hole prints as: tshark's marker (with its trailing NUL, which it
/// counts and prints) for bytes the capture never had; ours for bytes we
/// chose not to keep.
pub fn marker(len: u64, cause: Cause) -> Vec<u8> {
    let text = match cause {
        Cause::Lost | Cause::Snapped => format!("[{len} bytes missing in capture file]"),
        Cause::Limit | Cause::Depth => format!("[{len} bytes not kept: {}]", cause.name()),
    };
    let mut v = text.into_bytes();
    v.push(0);
    v
}

fn host(ip: IpAddr) -> String {
    IpText(ip).to_string()
}

/// The block's opening lines.
pub fn header(w: &mut dyn Write, f: TextFormat, info: &StreamInfo) -> io::Result<()> {
    let proto = if info.proto == Proto::Udp {
        "udp"
    } else {
        "tcp"
    };
    if f == TextFormat::Yaml {
        writeln!(w, "peers:")?;
        for (i, e) in [info.node0, info.node1].iter().enumerate() {
            writeln!(
                w,
                "  - peer: {i}\n    host: {}\n    port: {}",
                host(e.ip()),
                e.port
            )?;
        }
        return writeln!(w, "packets:");
    }
    write!(
        w,
        "\n{RULE}\nFollow: {proto},{}\nFilter: {proto}.stream eq {}\nNode 0: {}\nNode 1: {}\n",
        f.name(),
        info.index,
        node(info.node0.ip(), info.node0.port),
        node(info.node1.ip(), info.node1.port),
    )
}

/// tshark writes `ip:port`, IPv6 addresses in brackets.
fn node(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{}]:{port}", Ip6(a)),
    }
}

/// The block's closing line (none in YAML).
pub fn footer(w: &mut dyn Write, f: TextFormat) -> io::Result<()> {
    if f == TextFormat::Yaml {
        return Ok(());
    }
    writeln!(w, "{RULE}")
}

/// One record. `offsets` are the hex format's running offsets per node.
pub fn record(
    w: &mut dyn Write,
    f: TextFormat,
    chunk: &Chunk<'_>,
    offsets: &mut [u64; 2],
) -> io::Result<()> {
    let owned;
    let (bytes, ts) = match chunk.kind {
        ChunkKind::Data(d) => (d, chunk.ts),
        ChunkKind::Missing { len, cause } => {
            owned = marker(len, cause);
            (owned.as_slice(), Timestamp(0))
        }
        ChunkKind::Conflict { .. } => return Ok(()),
    };
    let node1 = !chunk.from_node0;
    let tab = if node1 { "\t" } else { "" };
    match f {
        TextFormat::Ascii => {
            writeln!(w, "{tab}{}", bytes.len())?;
            let shown: Vec<u8> = bytes
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' {
                        b
                    } else {
                        b'.'
                    }
                })
                .collect();
            w.write_all(&shown)?;
            w.write_all(b"\n")
        }
        TextFormat::Raw => {
            w.write_all(tab.as_bytes())?;
            for b in bytes {
                write!(w, "{b:02x}")?;
            }
            w.write_all(b"\n")
        }
        TextFormat::Hex => {
            let off = &mut offsets[usize::from(node1)];
            for line in bytes.chunks(16) {
                hex_line(w, tab, *off, line)?;
                *off += line.len() as u64;
            }
            Ok(())
        }
        TextFormat::Yaml => {
            write!(
                w,
                "  - packet: {}\n    peer: {}\n    timestamp: {}\n    data: !!binary |\n",
                chunk.packet,
                u8::from(node1),
                yaml_time(ts)
            )?;
            let b64 = base64(bytes);
            for line in b64.as_bytes().chunks(76) {
                w.write_all(b"      ")?;
                w.write_all(line)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

/// tshark prints the time through a double with nine decimals; so do we,
/// so the last digits agree.
fn yaml_time(ts: Timestamp) -> String {
    let t = ts.secs() as f64 + ts.subsec_nanos() as f64 / 1e9;
    format!("{t:.9}")
}

/// `00000010  69 6e 65 32 0a                                    ine2.`
fn hex_line(w: &mut dyn Write, tab: &str, off: u64, line: &[u8]) -> io::Result<()> {
    let mut s = format!("{tab}{off:08X}  ");
    for i in 0..16 {
        match line.get(i) {
            Some(b) => s.push_str(&format!("{b:02x} ")),
            None => s.push_str("   "),
        }
        if i == 7 {
            s.push(' ');
        }
    }
    s.push(' ');
    for (i, &b) in line.iter().enumerate() {
        if i == 8 {
            s.push(' ');
        }
        s.push(if (0x20..0x7f).contains(&b) {
            b as char
        } else {
            '.'
        });
    }
    // tshark ends its lines without trailing blanks (a space byte last).
    s.truncate(s.trim_end_matches(' ').len());
    s.push('\n');
    w.write_all(s.as_bytes())
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, &b) in group.iter().enumerate() {
            n |= (b as u32) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= group.len() {
                let idx = (n >> (18 - 6 * i)) & 63;
                out.push(ABC.get(idx as usize).map_or('A', |&c| c as char));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"x"), "eA==");
        assert_eq!(base64(b"dd"), "ZGQ=");
        assert_eq!(base64(b"xxxxx"), "eHh4eHg=");
    }

    #[test]
    fn test_marker_counts_its_nul() {
        assert_eq!(marker(7, Cause::Lost).len(), 34);
    }

    #[test]
    fn test_hex_line_layout() {
        let mut v = Vec::new();
        hex_line(&mut v, "", 0x2a, b"srv-first").unwrap();
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "0000002A  73 72 76 2d 66 69 72 73  74                       srv-firs t\n"
        );
    }
}
