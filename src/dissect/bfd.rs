//! BFD (RFC 5880) on UDP: control packets to port 3784 (single hop,
//! RFC 5881), 4784 (multihop, RFC 5883) and 6784 (LAG, RFC 7130), and
//! echo packets to 3785, as `tcpdump -n` prints them. tcpdump looks at the
//! destination port only (a reply from 3784 to an ephemeral port is plain
//! UDP), so these are registered by destination port.
//!
//! Default line: `BFDv1, Control, State Up, Flags: [Poll], length: 24`
//! (the UDP payload's length). `-v`: the diagnostic, multiplier and
//! detection time, discriminators, the three intervals in ms, and the
//! authentication section (simple password, keyed MD5 / SHA1 with their
//! sequence number and digest). Versions other than 0 and 1, and echo
//! packets, are shown in hex at `-v`. Zeek has no BFD analyzer: no
//! `service`.

use super::ctl::{Bit, json_object, out, put_bits, tok};
use super::dns::text::{put_char, put_hex_dump};
use super::wire::{Res, u8_at, u32_at};
use super::{Dissector, Payload, Truncated};
use serde_json::{Map, Value, json};

/// The control packet's words for each of its ports.
const CONTROL: u8 = 0;
const MULTIHOP: u8 = 1;
const LAG: u8 = 2;

const fn control(line: super::LineFn, verbose: super::VerboseFn) -> Dissector {
    Dissector {
        name: "bfd",
        json_key: "bfd",
        line: Some(line),
        verbose: Some(verbose),
        json: to_json,
        service: "",
        recognise: looks_like_bfd,
    }
}

/// Control packets to port 3784.
pub static BFD: Dissector = control(line::<CONTROL>, verbose::<CONTROL>);
/// Control packets to port 4784.
pub static BFD_MULTIHOP: Dissector = control(line::<MULTIHOP>, verbose::<MULTIHOP>);
/// Control packets to port 6784.
pub static BFD_LAG: Dissector = control(line::<LAG>, verbose::<LAG>);
/// Echo packets to port 3785: opaque to all but their sender.
pub static BFD_ECHO: Dissector = Dissector {
    name: "bfd",
    json_key: "bfd_echo",
    line: Some(echo_line),
    verbose: Some(echo_verbose),
    json: echo_json,
    service: "",
    recognise: |_| true,
};

/// The fixed part of a control packet.
const HEADER: usize = 24;

fn looks_like_bfd(m: &[u8]) -> bool {
    m.len() >= HEADER && matches!(m.first(), Some(b) if b >> 5 <= 1)
}

/// The packet's word: tcpdump names the port (multihop, LAG) in version
/// 1's lines only; version 0 and unknown versions say `Control` on every
/// port.
fn kind_word(kind: u8, version: u8) -> &'static str {
    match (kind, version) {
        (MULTIHOP, 1) => "Multihop",
        (LAG, 1) => "Lag",
        _ => "Control",
    }
}

const STATES: [&str; 4] = ["AdminDown", "Down", "Init", "Up"];

const FLAGS_V1: &[Bit] = &[
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

const FLAGS_V0: &[Bit] = &[
    (0x80, "I Hear You"),
    (0x40, "Demand"),
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Reserved"),
    (0x01, "Reserved"),
];

const DIAGNOSTICS: &[(u8, &str)] = &[
    (0, "No Diagnostic"),
    (1, "Control Detection Time Expired"),
    (2, "Echo Function Failed"),
    (3, "Neighbor Signaled Session Down"),
    (4, "Forwarding Plane Reset"),
    (5, "Path Down"),
    (6, "Concatenated Path Down"),
    (7, "Administratively Down"),
    (8, "Reverse Concatenated Path Down"),
];

const AUTH_TYPES: &[(u8, &str)] = &[
    (1, "Simple Password"),
    (2, "Keyed MD5"),
    (3, "Meticulous Keyed MD5"),
    (4, "Keyed SHA1"),
    (5, "Meticulous Keyed SHA1"),
];

/// `State Up, Flags: [Poll]` (v1) or `Flags: [I Hear You]` (v0).
fn put_state_flags(w: &mut Vec<u8>, version: u8, b1: u8) {
    if version == 0 {
        w.extend_from_slice(b"Flags: [");
        put_bits(w, FLAGS_V0, u32::from(b1), "none");
    } else {
        out!(w, "State {}, Flags: [", STATES[usize::from(b1 >> 6)]);
        put_bits(w, FLAGS_V1, u32::from(b1 & 0x3f), "none");
    }
    w.push(b']');
}

fn line<const KIND: u8>(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    if m.len() < HEADER {
        return Err(Truncated);
    }
    let (b0, b1) = (u8_at(m, 0)?, u8_at(m, 1)?);
    let version = b0 >> 5;
    out!(w, "BFDv{version}, {}, ", kind_word(KIND, version));
    if version <= 1 {
        put_state_flags(w, version, b1);
        w.extend_from_slice(b", ");
    }
    out!(w, "length: {}", p.declared_len);
    Ok(())
}

fn verbose<const KIND: u8>(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let m = p.bytes;
    if m.len() < HEADER {
        return Err(Truncated);
    }
    let (b0, b1) = (u8_at(m, 0)?, u8_at(m, 1)?);
    let version = b0 >> 5;
    if version > 1 {
        out!(
            w,
            "BFDv{version}, {}, length: {}",
            kind_word(KIND, version),
            p.declared_len
        );
        put_hex_dump(w, m, b"\n\t");
        return Ok(());
    }
    out!(
        w,
        "BFDv{version}, length: {}\n\t{}, ",
        p.declared_len,
        kind_word(KIND, version)
    );
    put_state_flags(w, version, b1);
    let diag = b0 & 0x1f;
    out!(
        w,
        ", Diagnostic: {} (0x{diag:02x})",
        tok(DIAGNOSTICS, diag).unwrap_or("unknown")
    );
    let (mult, blen) = (u8_at(m, 2)?, u8_at(m, 3)?);
    let tx = u32_at(m, 12)?;
    out!(
        w,
        "\n\tDetection Timer Multiplier: {mult} ({} ms Detection time), BFD Length: {blen}",
        u32::from(mult).wrapping_mul(tx) / 1000
    );
    out!(
        w,
        "\n\tMy Discriminator: 0x{:08x}, Your Discriminator: 0x{:08x}",
        u32_at(m, 4)?,
        u32_at(m, 8)?
    );
    out!(w, "\n\t  Desired min Tx Interval:    {:4} ms", tx / 1000);
    out!(
        w,
        "\n\t  Required min Rx Interval:   {:4} ms",
        u32_at(m, 16)? / 1000
    );
    out!(
        w,
        "\n\t  Required min Echo Interval: {:4} ms",
        u32_at(m, 20)? / 1000
    );
    if b1 & 0x04 != 0 {
        authentication(w, m)?;
    }
    Ok(())
}

/// The authentication section after the fixed part: its 4-byte header
/// must be captured before a word of it is printed, as tcpdump checks.
fn authentication(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let (t, len) = (u8_at(m, HEADER)?, usize::from(u8_at(m, HEADER + 1)?));
    u8_at(m, HEADER + 3)?;
    let auth = m.get(HEADER..).unwrap_or(&[]);
    out!(
        w,
        "\n\tAuthentication: {} ({t}), length: {len}\n\t  Auth Key ID: {}",
        tok(AUTH_TYPES, t).unwrap_or("Unknown"),
        u8_at(m, HEADER + 2)?
    );
    let digest = |w: &mut Vec<u8>, want: usize, word: &str| -> Res<()> {
        if len != want {
            out!(w, "[invalid length {len}]");
            return Ok(());
        }
        out!(w, ", Sequence Number: 0x{:08x}", u32_at(auth, 4)?);
        // The digest is checked whole before its label is printed.
        let digest = auth.get(8..want).ok_or(Truncated)?;
        out!(w, "\n\t  {word}: ");
        for b in digest {
            out!(w, "{b:02x}");
        }
        Ok(())
    };
    match t {
        1 => {
            if !(4..=19).contains(&len) {
                out!(w, "[invalid length {len}]");
            } else {
                w.extend_from_slice(b", Password: ");
                for i in 3..len {
                    put_char(w, u8_at(auth, i)?);
                }
            }
        }
        2 | 3 => digest(w, 24, "Digest")?,
        4 | 5 => digest(w, 28, "Hash")?,
        _ => {}
    }
    Ok(())
}

fn echo_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    out!(w, "BFD, Echo, length: {}", p.declared_len);
    Ok(())
}

fn echo_verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    echo_line(w, p)?;
    put_hex_dump(w, p.bytes, b"\n\t");
    Ok(())
}

fn echo_json(p: &Payload<'_>) -> Value {
    json!({"length": p.declared_len, "complete": true})
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let (b0, b1) = (u8_at(m, 0)?, u8_at(m, 1)?);
    o.insert("version".into(), json!(b0 >> 5));
    o.insert("diagnostic".into(), json!(b0 & 0x1f));
    o.insert("state".into(), json!(STATES[usize::from(b1 >> 6)]));
    o.insert("flags".into(), json!(b1 & 0x3f));
    o.insert("multiplier".into(), json!(u8_at(m, 2)?));
    o.insert("length".into(), json!(u8_at(m, 3)?));
    o.insert("my_discriminator".into(), json!(u32_at(m, 4)?));
    o.insert("your_discriminator".into(), json!(u32_at(m, 8)?));
    o.insert("desired_min_tx_us".into(), json!(u32_at(m, 12)?));
    o.insert("required_min_rx_us".into(), json!(u32_at(m, 16)?));
    o.insert("required_min_echo_us".into(), json!(u32_at(m, 20)?));
    if b1 & 0x04 != 0 {
        o.insert("auth_type".into(), json!(u8_at(m, HEADER)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_truncated_header() {
        assert_eq!(BFD.printed(&[0x20, 0xc0, 3, 24], 0), " [|bfd]");
    }

    #[test]
    fn test_control_line() {
        let mut m = vec![0x20, 0xc0 | 0x20, 3, 24];
        m.extend_from_slice(&[0; 20]);
        assert_eq!(
            BFD_MULTIHOP.printed(&m, 0),
            "BFDv1, Multihop, State Up, Flags: [Poll], length: 24"
        );
        // Versions 0 and 2 say `Control` on every port, as tcpdump does.
        m[0] = 0;
        assert_eq!(
            BFD_LAG.printed(&m, 0),
            "BFDv0, Control, Flags: [I Hear You, Demand, Poll], length: 24"
        );
        m[0] = 0x40;
        assert_eq!(BFD_MULTIHOP.printed(&m, 0), "BFDv2, Control, length: 24");
    }
}
