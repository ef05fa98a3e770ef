//! Telnet on TCP port 23: the option negotiation at the start of a
//! segment (RFC 854's commands, RFC 855's subnegotiation) as tcpdump
//! prints it, the same at every `-v` level: ` [telnet DO ECHO, WILL
//! SUPPRESS GO AHEAD]`, `SB TERMINAL TYPE IS 0x78 0x74 SE`, `IAC IAC`;
//! the data after the commands, and a segment that does not start with
//! IAC, print nothing.
//!
//! What tcpdump does where the bytes end, observed on built segments:
//! each command is measured before it is printed, so one the segment
//! ends inside ends the list silently (the bracket then closes), while
//! one the capture cuts ends the line with ` [|telnet]` (the bracket
//! stays open, and without any command before it the line holds only the
//! mark). A subnegotiation runs to `IAC SE`, or, without one, to the
//! segment's last byte when that byte is IAC: the two bytes of `SE` are
//! then counted past the segment's end, and the next command is looked
//! for there, past the capture (` [|telnet]`). At `-vvv` with `-X`
//! tcpdump writes each command's bytes in hex before its words instead
//! ([`write_hex_form`]).

use super::ctl::put_hex_print;
use super::wire::Res;
use super::{Dissector, Payload, Stop, Truncated, json_object, word};
use serde_json::{Value, json};

/// Telnet on port 23. Zeek's telnet analyzer goes by the port, not by
/// content, so no service is named.
pub static TELNET: Dissector = Dissector::new(
    "telnet",
    line,
    |w, p, _| line(w, p),
    to_json,
    starts_with_iac,
)
.known_as("telnet", "");

const IAC: u8 = 255;
const SB: u8 = 250;
const SE: u8 = 240;
/// The first command with a name (EOF, RFC 1184).
const FIRST_COMMAND: u8 = 236;

/// Commands 236 to 255.
const COMMANDS: &str =
    "EOF SUSP ABORT EOR SE NOP DMARK BRK IP AO AYT EC EL GA SB WILL WONT DO DONT IAC";

/// Options 0 to 39, the ones tcpdump names (spaces inside a name are
/// written `_` here and printed as spaces).
const OPTIONS: &str = "BINARY ECHO RCP SUPPRESS_GO_AHEAD NAME STATUS TIMING_MARK RCTE NAOL NAOP \
    NAOCRD NAOHTS NAOHTD NAOFFD NAOVTS NAOVTD NAOLFD EXTEND_ASCII LOGOUT BYTE_MACRO \
    DATA_ENTRY_TERMINAL SUPDUP SUPDUP_OUTPUT SEND_LOCATION TERMINAL_TYPE END_OF_RECORD \
    TACACS_UID OUTPUT_MARKING TTYLOC 3270_REGIME X.3_PAD NAWS TSPEED LFLOW LINEMODE \
    XDISPLOC OLD-ENVIRON AUTHENTICATION ENCRYPT NEW-ENVIRON";

/// A subnegotiation's first byte, when it is one of these (RFC 1091's
/// IS, SEND and INFO).
const QUALIFIERS: &str = "IS SEND INFO";

fn starts_with_iac(m: &[u8]) -> bool {
    m.first() == Some(&IAC)
}

/// One command as the printer meets it.
enum Command<'a> {
    /// `IAC IAC`: a data byte 255.
    DoubledIac,
    /// A command without an option (`NOP`, `GA`, …).
    Bare(u8),
    /// WILL, WONT, DO or DONT and its option.
    Option(u8, u8),
    /// `SB option` and the bytes up to `IAC SE`.
    Sub(u8, &'a [u8]),
}

/// Why the list of commands ended before the segment.
enum End {
    /// The bytes after are not a command, or the segment ends inside
    /// one: the list is over.
    Quiet,
    /// The capture ends inside a command, or the list went on past the
    /// segment (tcpdump's `longjmp`).
    Cut,
}

/// The command at `at` of `m` (the segment's bytes, `len` of them
/// declared) and where the next starts (past `len` after a
/// subnegotiation without `IAC SE`).
fn command(m: &[u8], len: usize, at: usize) -> Result<(Command<'_>, usize), End> {
    // A byte the segment holds but the capture does not is a cut; one
    // past the segment ends the list.
    let get = |i: usize| -> Result<u8, End> {
        if i >= len {
            return Err(End::Quiet);
        }
        m.get(i).copied().ok_or(End::Cut)
    };
    if get(at)? != IAC {
        return Err(End::Quiet);
    }
    let c = get(at + 1)?;
    if c == IAC {
        return Ok((Command::DoubledIac, at + 2));
    }
    if c < FIRST_COMMAND {
        return Err(End::Quiet);
    }
    if !(SB..IAC).contains(&c) {
        return Ok((Command::Bare(c), at + 2));
    }
    let option = get(at + 2)?;
    if c != SB {
        return Ok((Command::Option(c, option), at + 3));
    }
    let start = at + 3;
    // The end: the IAC of `IAC SE`, else the segment's last byte, which
    // must then be an IAC. Every byte looked at must be captured.
    let last = len.saturating_sub(1).max(start);
    let mut end = last;
    for i in start..last {
        if get(i)? == IAC && get(i + 1)? == SE {
            end = i;
            break;
        }
    }
    if end >= len {
        // Nothing after the option: the IAC is looked for past the
        // segment.
        return Err(End::Cut);
    }
    if get(end)? != IAC {
        return Err(End::Quiet);
    }
    let body = m.get(start..end).unwrap_or(&[]);
    Ok((Command::Sub(option, body), end + 2))
}

/// Every command from the segment's start, handed to `each` in order
/// with where it starts and where the next one does (which `each` may
/// stop at); `Err(Stop::Jumped)` where tcpdump's list ends past the
/// capture.
fn walk<'a>(
    p: &Payload<'a>,
    mut each: impl FnMut(Command<'a>, usize, usize) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let m = p.bytes;
    let len = p.declared_len;
    let mut at = 0;
    while at != len {
        if at > len {
            // A subnegotiation without `IAC SE` counted its end past
            // the segment: the next command is looked for there.
            return Err(Stop::Jumped);
        }
        match command(m, len, at) {
            Ok((c, next)) => {
                each(c, at, next)?;
                at = next;
            }
            Err(End::Quiet) => return Ok(()),
            Err(End::Cut) => return Err(Stop::Jumped),
        }
    }
    Ok(())
}

fn put_word(w: &mut Vec<u8>, table: &'static str, n: usize) -> bool {
    match word(table, n) {
        Some(name) => {
            w.extend(name.bytes().map(|c| if c == b'_' { b' ' } else { c }));
            true
        }
        None => false,
    }
}

/// tcpdump's `%#x`: `0x` and the hex digits, but `0` for zero.
fn put_hex(w: &mut Vec<u8>, n: u8) {
    use std::io::Write;
    let _ = if n == 0 {
        write!(w, "0")
    } else {
        write!(w, "{n:#x}")
    };
}

fn put_command(w: &mut Vec<u8>, c: &Command<'_>) {
    // A command below the first named one is never built (`command`
    // ends the list there); checked all the same, not subtracted blind.
    let name = |w: &mut Vec<u8>, c: u8| {
        if let Some(i) = c.checked_sub(FIRST_COMMAND) {
            put_word(w, COMMANDS, usize::from(i));
        }
    };
    let option = |w: &mut Vec<u8>, o: u8| {
        w.push(b' ');
        if !put_word(w, OPTIONS, usize::from(o)) {
            put_hex(w, o);
        }
    };
    match *c {
        Command::DoubledIac => w.extend_from_slice(b"IAC IAC"),
        Command::Bare(c) => name(w, c),
        Command::Option(c, o) => {
            name(w, c);
            option(w, o);
        }
        Command::Sub(o, body) => {
            name(w, SB);
            option(w, o);
            let mut bytes = body.iter();
            if let Some(&q) = body.first() {
                let mut named = Vec::new();
                if put_word(&mut named, QUALIFIERS, usize::from(q)) {
                    w.push(b' ');
                    w.extend_from_slice(&named);
                    bytes.next();
                }
            }
            for &b in bytes {
                w.push(b' ');
                put_hex(w, b);
            }
            w.extend_from_slice(b" SE");
        }
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let mut first = true;
    let done = walk(p, |c, _, _| {
        w.extend_from_slice(if first { b" [telnet " } else { b", " });
        first = false;
        put_command(w, &c);
        Ok(())
    });
    if done.is_err() {
        return Err(Truncated);
    }
    if !first {
        w.push(b']');
    }
    Ok(())
}

/// What tcpdump prints instead of ` [telnet …]` at `-vvv` with `-X`:
/// `\nTelnet:`, then for each command its bytes in hex from its offset
/// in the segment (its `hex_print_with_offset`, lines of eight words
/// that start `\n0x0003: `), padded to a column (a tab; four on a line
/// of their own after a command over eight bytes), and its words; a new
/// line after the last. A command whose bytes the capture cut ends the
/// line inside its hex, as tcpdump's read of them does.
pub fn write_hex_form(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let mut first = true;
    let done = walk(p, |c, at, next| {
        if first {
            w.extend_from_slice(b"\nTelnet:");
            first = false;
        }
        let len = next - at;
        put_hex_from(w, p.bytes, at, len)?;
        if len > 8 {
            w.extend_from_slice(b"\n\t\t\t\t");
        } else {
            w.extend(std::iter::repeat_n(b' ', (8 - len) * 3));
            w.push(b'\t');
        }
        put_command(w, &c);
        Ok(())
    });
    if done.is_err() {
        return Err(Truncated);
    }
    if !first {
        w.push(b'\n');
    }
    Ok(())
}

/// tcpdump's `hex_print_with_offset` with `\n` before each line, its
/// offsets counted from `at` ([`put_hex_print`]).
fn put_hex_from(w: &mut Vec<u8>, m: &[u8], at: usize, len: usize) -> Result<(), Stop> {
    put_hex_print(w, m, (at, len), "\n", at).map_err(|_| Stop::Jumped)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let mut commands = Vec::new();
        let done = walk(p, |c, _, _| {
            let mut s = Vec::new();
            put_command(&mut s, &c);
            commands.push(json!(String::from_utf8_lossy(&s)));
            Ok(())
        });
        o.insert("commands".into(), Value::Array(commands));
        Ok(done?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segment, bytes the capture kept (all: `usize::MAX`), `-v` level,
    /// and the line.
    type Case = (&'static [u8], usize, u8, &'static str);

    fn check(cases: &[Case]) {
        for &(m, keep, v, line) in cases {
            assert_eq!(TELNET.printed_cut(m, keep, v), line, "{m:02x?}");
        }
    }

    #[test]
    fn test_negotiation_and_subnegotiation() {
        check(&[
            (
                b"\xff\xfd\x01\xff\xfb\x03login: ",
                usize::MAX,
                0,
                " [telnet DO ECHO, WILL SUPPRESS GO AHEAD]",
            ),
            (
                b"\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0",
                usize::MAX,
                1,
                " [telnet SB NAWS IS 0x50 0 0x18 SE]",
            ),
            (b"\xff\xfd\x28", usize::MAX, 0, " [telnet DO 0x28]"),
            (b"hello", usize::MAX, 0, ""),
        ]);
    }

    /// The segment ends inside a command: the list closes; the capture
    /// ends inside one: cut.
    #[test]
    fn test_truncated_commands() {
        check(&[
            (b"\xff\xfd\x01\xff\xfd", usize::MAX, 0, " [telnet DO ECHO]"),
            (
                b"\xff\xfd\x01\xff\xfd\x03",
                4,
                0,
                " [telnet DO ECHO [|telnet]",
            ),
            (b"\xff\xfa\x18", usize::MAX, 0, " [|telnet]"),
        ]);
    }

    /// `-vvv -X`: each command's bytes from its offset, then its words;
    /// a command the capture cut stops the line inside its hex.
    #[test]
    fn test_hex_form() {
        let hex = |m: &[u8], keep: usize| {
            let mut w = Vec::new();
            let p = Payload {
                bytes: m.get(..keep).unwrap_or(m),
                declared_len: m.len(),
            };
            let done = write_hex_form(&mut w, &p);
            (String::from_utf8_lossy(&w).into_owned(), done.is_ok())
        };
        let two = b"\xff\xfd\x18\xff\xfb\x1f";
        let want = "\nTelnet:\n0x0000:  fffd 18               \tDO TERMINAL TYPE\
                    \n0x0003:  fffb 1f               \tWILL NAWS\n";
        assert_eq!(hex(two, usize::MAX), (want.into(), true));
        let long = b"\xff\xfa\x18\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\xff\xf0";
        let (text, whole) = hex(long, usize::MAX);
        assert!(whole);
        assert!(text.starts_with("\nTelnet:\n0x0000:  fffa 1800 0102 0304 0506 0708 090a 0b0c\n0x0010:  0d0e 0f10 11ff f0\n\t\t\t\tSB TERMINAL TYPE IS 0x1"), "{text}");
        // The second command's option byte is cut: measuring it is the
        // read past the capture, before its hex.
        let cut = "\nTelnet:\n0x0000:  fffd 18               \tDO TERMINAL TYPE";
        assert_eq!(hex(two, 5), (cut.into(), false));
        assert_eq!(hex(b"hello", usize::MAX), (String::new(), true));
    }

    #[test]
    fn test_malformed_subnegotiation_without_se() {
        check(&[
            (
                b"\xff\xfa\x18\x00abc\xff",
                usize::MAX,
                0,
                " [telnet SB TERMINAL TYPE IS 0x61 0x62 0x63 SE [|telnet]",
            ),
            (b"\xff\xfa\x18\x00abc", usize::MAX, 0, ""),
        ]);
    }
}
