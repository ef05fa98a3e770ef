//! ITU-T Q.933 call control (and the ANSI T1.617 Annex D / CCITT link
//! management it carries) in a Frame Relay frame of NLPID 0x08, as tcpdump
//! prints it: `Q.933, ANSI, codeset 5, Status Enquiry, TX Seq:   1, RX Seq:
//! 0, length 11` by default (the link verify and PVC status elements are
//! shown even then), and under `-v` the message's code and length and one
//! line per information element (`\n\tANSI Report Type IE (0x01), length
//! 1: Full Status (0)`), the unknown ones in hex, `-vv` the known ones in
//! hex too.
//!
//! Every field is read after a check of what was captured: where the
//! message is cut the line ends with tcpdump's ` [|q.933]` (its printer
//! checks each byte itself, so it never gives up with a jump).

use super::super::ctl::out;
use super::super::dns::text::put_hex_dump;

/// The capture (or the message's length) ended: ` [|q.933]` follows.
/// `jumped`: tcpdump's printer read the byte unchecked and gave up with
/// a jump (its `-x` dump then starts at the frame's first byte).
pub(super) struct Cut {
    pub jumped: bool,
}

const CUT: Cut = Cut { jumped: false };

/// The message types tcpdump names (Q.933 table 4-1 and the status ones).
fn message_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0x00 => "ESC to National",
        0x01 => "Alert",
        0x02 => "Call proceeding",
        0x07 => "Connect",
        0x0f => "Connect ACK",
        0x03 => "Progress",
        0x05 => "Setup",
        0x45 => "Disconnect",
        0x4d => "Release",
        0x5a => "Release Complete",
        0x46 => "Restart",
        0x4e => "Restart ACK",
        0x7d => "Status Reply",
        0x75 => "Status Enquiry",
        _ => return None,
    })
}

/// The information elements of codesets 0 and 5 (the only ones tcpdump
/// names; ANSI's link management uses 5, CCITT's 0).
fn element_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x01 => "ANSI Report Type",
        0x19 | 0x03 => "ANSI Link Verify",
        0x07 => "ANSI PVC Status",
        0x51 => "CCITT Report Type",
        0x53 => "CCITT Link Verify",
        0x57 => "CCITT PVC Status",
        _ => return None,
    })
}

fn report_type_name(t: u8) -> &'static str {
    match t {
        0 => "Full Status",
        1 => "Link verify",
        2 => "Async PVC Status",
        _ => "unknown",
    }
}

/// A single-octet element whose high nibble is 9 shifts the codeset.
fn is_shift(code: u8) -> bool {
    code & 0xf0 == 0x90
}

/// A shift without bit 3 stays in force ("locking").
fn is_locking(code: u8) -> bool {
    code & 0x08 == 0
}

/// The bytes of a message as far as the capture and its length allow:
/// `get(i)` is `None` past either (tcpdump checks both before each read).
struct Message<'a> {
    bytes: &'a [u8],
    /// What is left of the message on the wire.
    len: usize,
    at: usize,
}

impl<'a> Message<'a> {
    /// The next byte, when both the length and the capture have it.
    fn next(&mut self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        self.len -= 1;
        Some(b)
    }

    /// The byte at the cursor, captured (whatever the length says).
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
}

/// The Q.933 line of `bytes` (the message after the NLPID; `wire_len` its
/// length on the wire). `eflag`: the Frame Relay header was printed, and
/// the `Q.933` word is left out.
pub(super) fn write(
    w: &mut Vec<u8>,
    bytes: &[u8],
    wire_len: usize,
    eflag: bool,
    verbose: u8,
) -> Result<(), Cut> {
    let sep = if eflag { "" } else { ", " };
    if !eflag {
        w.extend_from_slice(b"Q.933");
    }
    let mut m = Message {
        bytes,
        len: wire_len,
        at: 0,
    };
    // Every early end of the header says the message's length first.
    let head_cut = |w: &mut Vec<u8>| {
        out!(w, "{sep}length {wire_len}");
        CUT
    };
    let Some(first) = m.next() else {
        return Err(head_cut(w));
    };
    let call_ref_len = usize::from(first & 0x0f);
    let call_ref_at = m.at;
    for _ in 0..call_ref_len {
        m.next().ok_or_else(|| head_cut(w))?;
    }
    let call_ref = bytes.get(call_ref_at..m.at).unwrap_or(&[]);
    let msg_type = m.next().ok_or_else(|| head_cut(w))?;
    let mut codeset = 0u8;
    let mut ansi = false;
    // A shift first sets the codeset of the whole message (a locking
    // shift to 5 is ANSI's T1.617 Annex D) or of the next element only.
    let mut non_locking = 0u8;
    let mut unshift = codeset;
    if m.len != 0 {
        let code = m.peek().ok_or_else(|| head_cut(w))?;
        if is_shift(code) {
            m.next();
            codeset = code & 0x07;
            if is_locking(code) {
                ansi = codeset == 5;
            } else {
                non_locking = 1;
                unshift = 0;
            }
        }
    }
    out!(
        w,
        "{sep}{}, codeset {codeset}",
        if ansi { "ANSI" } else { "CCITT" }
    );
    if call_ref_len != 0 {
        // tcpdump tests the byte after the message type (not the call
        // reference) for a dummy reference of one zero byte, unchecked.
        let next = m.peek().ok_or(Cut { jumped: true })?;
        if call_ref_len > 1 || next != 0 {
            w.extend_from_slice(b", Call Ref: 0x");
            for b in call_ref {
                out!(w, "{b:02x}");
            }
        }
    }
    let name = message_name(msg_type);
    if verbose > 0 {
        out!(
            w,
            ", {} (0x{msg_type:02x}), length {wire_len}",
            name.unwrap_or("unknown message")
        );
    } else {
        match name {
            Some(name) => out!(w, ", {name}"),
            None => out!(w, ", unknown message 0x{msg_type:02x}"),
        }
    }
    // A cut element ends the line with the length (by default) and the
    // mark.
    let ie_cut = |w: &mut Vec<u8>| {
        if verbose == 0 {
            out!(w, ", length {wire_len}");
        }
        CUT
    };
    while m.len != 0 {
        match non_locking {
            1 => non_locking = 2,
            2 => {
                codeset = unshift;
                non_locking = 0;
            }
            _ => {}
        }
        let code = m.peek().ok_or_else(|| ie_cut(w))?;
        m.next();
        if code & 0x80 != 0 {
            // A single-octet element: only the shifts mean something.
            if is_shift(code) {
                if is_locking(code) {
                    non_locking = 0;
                } else {
                    non_locking = 1;
                    unshift = codeset;
                }
                codeset = code & 0x07;
            }
            continue;
        }
        let len = m.next().ok_or_else(|| ie_cut(w))?;
        let named = matches!(codeset, 0 | 5);
        if verbose > 0 {
            let name = element_name(code).filter(|_| named).unwrap_or("unknown");
            out!(w, "\n\t{name} IE (0x{code:02x}), length {len}: ");
        }
        if code == 0 || len == 0 {
            // tcpdump stops here, without its length.
            return Ok(());
        }
        let len = usize::from(len);
        let value = match bytes.get(m.at..m.at + len) {
            Some(v) if m.len >= len => v,
            _ => return Err(ie_cut(w)),
        };
        let known = named && write_element(w, code, value, verbose);
        if known && verbose > 1 {
            put_hex_dump(w, value, b"\n\t  ");
        } else if !known && verbose > 0 {
            put_hex_dump(w, value, b"\n\t");
        }
        m.at += len;
        m.len -= len;
    }
    if verbose == 0 {
        out!(w, ", length {wire_len}");
    }
    Ok(())
}

/// The value of a codeset 0 or 5 element tcpdump decodes; `false` for
/// the others (shown in hex under `-v`). The link verify and PVC status
/// elements are shown by default too.
fn write_element(w: &mut Vec<u8>, code: u8, v: &[u8], verbose: u8) -> bool {
    let sep = if verbose == 0 { ", " } else { "" };
    match code {
        0x01 | 0x51 => {
            if let (Some(&t), true) = (v.first(), verbose > 0) {
                out!(w, "{} ({t})", report_type_name(t));
            }
        }
        0x03 | 0x53 | 0x19 => match v {
            [tx, rx, ..] => out!(w, "{sep}TX Seq: {tx:3}, RX Seq: {rx:3}"),
            _ => out!(w, "{sep}Invalid LINK VERIFY IE"),
        },
        0x07 | 0x57 => {
            w.extend_from_slice(sep.as_bytes());
            match pvc_status(v) {
                Some((dlci, last)) => out!(
                    w,
                    "DLCI {dlci}: status {}{}",
                    if last & 0x08 != 0 { "New, " } else { "" },
                    if last & 0x02 != 0 {
                        "Active"
                    } else {
                        "Inactive"
                    }
                ),
                None => w.extend_from_slice(b"Invalid DLCI in PVC STATUS IE"),
            }
        }
        _ => return false,
    }
    true
}

/// A PVC status element's DLCI (two, three or four address octets, each
/// but the last with its extension bit clear) and its status octet.
fn pvc_status(v: &[u8]) -> Option<(u32, u8)> {
    let ext = |i: usize| v.get(i).is_some_and(|b| b & 0x80 != 0);
    let valid = match v.len() {
        3 => !ext(0) && ext(1),
        4 => !ext(0) && !ext(1) && ext(2),
        5 => !ext(0) && !ext(1) && !ext(2) && ext(3),
        _ => false,
    };
    let last = *v.last()?;
    if !valid || last & 0x80 == 0 {
        return None;
    }
    let b = |i: usize| u32::from(v.get(i).copied().unwrap_or(0));
    let mut dlci = ((b(0) & 0x3f) << 4) | ((b(1) & 0x78) >> 3);
    match v.len() {
        4 => dlci = (dlci << 6) | ((b(2) & 0x7e) >> 1),
        // tcpdump's arithmetic for four address octets, as it is.
        5 => dlci = (dlci << 13) | (b(2) & 0x7f) | ((b(3) & 0x7e) >> 1),
        _ => {}
    }
    Some((dlci, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8], verbose: u8) -> (String, bool) {
        let mut w = Vec::new();
        let ok = write(&mut w, bytes, bytes.len(), false, verbose).is_ok();
        (String::from_utf8(w).expect("ascii"), ok)
    }

    #[test]
    fn ansi_status_enquiry() {
        let msg = [0, 0x75, 0x95, 0x01, 0x01, 0x01, 0x03, 0x02, 0x05, 0x04];
        assert_eq!(
            line(&msg, 0),
            (
                "Q.933, ANSI, codeset 5, Status Enquiry, TX Seq:   5, RX Seq:   4, length 10"
                    .to_string(),
                true
            )
        );
    }

    #[test]
    fn test_truncated() {
        let msg = [0, 0x75, 0x95, 0x01, 0x01, 0x01, 0x03, 0x02, 0x05];
        let (text, ok) = line(&msg, 0);
        assert!(!ok);
        assert!(text.ends_with(", length 9"), "{text}");
        assert_eq!(line(&[], 0), ("Q.933, length 0".to_string(), false));
    }

    #[test]
    fn test_malformed_pvc_status() {
        assert_eq!(pvc_status(&[0x80, 0x80, 0x82]), None);
        // The second of three octets must end the address (bit 8 set).
        assert_eq!(pvc_status(&[0x06, 0x41, 0x82]), None);
        assert_eq!(pvc_status(&[0x06, 0xc1, 0x82]).map(|s| s.0), Some(104));
        assert_eq!(
            pvc_status(&[0x06, 0x41, 0x85, 0x8a]).map(|s| s.0),
            Some(6658)
        );
    }
}
