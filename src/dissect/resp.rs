//! RESP, the Redis serialization protocol, on TCP port 6379, as
//! `tcpdump -n` prints it (the same at every `-v` level): `: RESP` after
//! the TCP line, then each value of the segment in order — simple
//! strings, errors, integers, bulk strings and inline commands quoted
//! (` "SET" "k" "v"`), ` empty`, ` null`, ` length too large`, ` length
//! negative and not -1` and ` invalid` for what their lengths say —
//! through pipelined commands and nested arrays, until the segment ends;
//! a value the segment cuts ends the line with ` [|resp]`.
//!
//! tcpdump walks nested arrays by recursion; here a count of the values
//! still owed replaces it (the values print in the same order), so a
//! segment of nested arrays cannot exhaust the stack. The JSON object
//! lists the values as strings (integers as numbers, nulls as null).
//! Zeek's service is `redis`.

use super::dns::text::put_char;
use super::wire::Res;
use super::{Dissector, Payload, Stop, Truncated, json_object, jumped};
use serde_json::{Value, json};

/// RESP on port 6379.
pub static RESP: Dissector =
    Dissector::new("resp", line, |w, p, _| line(w, p), to_json, looks_like_resp)
        .known_as("resp", "redis");

fn looks_like_resp(m: &[u8]) -> bool {
    matches!(m.first(), Some(b'+' | b'-' | b':' | b'$' | b'*'))
        && m.windows(2).any(|w| w == b"\r\n")
}

/// One value as the printer meets it.
enum Item<'a> {
    /// A quoted segment: a string, error, integer, bulk string or inline
    /// command's text.
    Text(&'a [u8]),
    /// An array of this many values, which follow.
    Array(u64),
    /// A word tcpdump prints for a length (` empty`, ` null`, …).
    Word(&'static str),
}

/// What a length line holds (tcpdump's `resp_get_length` results).
enum Len {
    Count(u64),
    Null,
    TooLarge,
    NegativeNot1,
    Invalid,
}

/// The bytes the printer may read: the captured ones, no further than
/// the segment's length.
fn visible<'a>(p: &Payload<'a>) -> &'a [u8] {
    p.bytes.get(..p.declared_len).unwrap_or(p.bytes)
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    w.extend_from_slice(b": RESP");
    Ok(walk(p, |item| match item {
        Item::Text(t) => {
            w.extend_from_slice(b" \"");
            for &c in t {
                put_char(w, c);
            }
            w.push(b'"');
        }
        Item::Word(word) => w.extend_from_slice(word.as_bytes()),
        Item::Array(_) => {}
    })?)
}

/// Whether a cut line ended by tcpdump's `longjmp`: its printer reads up to
/// the segment's length, checking only a simple string's line and a bulk
/// string's bytes (and the line end after them) against the capture; a
/// type byte or a length line cut
/// by the capture is read unchecked. Within a whole segment every stop is
/// its own verdict.
pub(super) fn cut_jumps(p: &Payload<'_>) -> bool {
    p.bytes.len() < p.declared_len && matches!(walk(p, |_| {}), Err(Stop::Jumped))
}

/// Every value of the segment in order, handed to `each`; `Err` where a
/// value is cut (the values before it were handed over). Values are
/// looked for up to the segment's length, so a capture that ends
/// before it always ends in a cut, as in tcpdump.
fn walk<'a>(p: &Payload<'a>, mut each: impl FnMut(Item<'a>)) -> Result<(), Stop> {
    let m = visible(p);
    let mut at = 0;
    // Values an enclosing array still owes.
    let mut owed: u64 = 0;
    while at < p.declared_len || owed > 0 {
        let (item, next) = parse(m, at)?;
        owed = owed.saturating_sub(1);
        if let Item::Array(n) = item {
            owed = owed.saturating_add(n);
        }
        each(item);
        at = next?;
    }
    Ok(())
}

/// The value at `at` and where the next starts: a bulk string is printed
/// before its line's end is looked for, so the value stands even when
/// the line's end is cut.
fn parse(m: &[u8], at: usize) -> Result<(Item<'_>, Result<usize, Stop>), Stop> {
    let op = *m.get(at).ok_or(Stop::Jumped)?;
    match op {
        b'+' | b'-' | b':' => {
            let end = find_crlf(m, at + 1)?;
            Ok((Item::Text(m.get(at + 1..end).unwrap_or(&[])), Ok(end + 2)))
        }
        b'$' => {
            let (len, mut next) = length(m, at + 1).map_err(jumped)?;
            let n = match len {
                Len::Count(n) => n,
                other => return Ok((Item::Word(word(other)), Ok(next))),
            };
            let item = if n == 0 {
                Item::Word(" empty")
            } else {
                let n = usize::try_from(n).map_err(|_| Stop::Checked)?;
                let text = m.get(next..next.saturating_add(n)).ok_or(Stop::Checked)?;
                next += n;
                Item::Text(text)
            };
            // tcpdump looks for the line's end anywhere after the string.
            Ok((
                item,
                find_crlf(m, next).map(|end| end + 2).map_err(Stop::from),
            ))
        }
        b'*' => {
            let (len, next) = length(m, at + 1).map_err(jumped)?;
            let item = match len {
                Len::Count(0) => Item::Word(" empty"),
                Len::Count(n) => Item::Array(n),
                other => Item::Word(word(other)),
            };
            Ok((item, Ok(next)))
        }
        _ => {
            let start = skip_line_ends(m, at).map_err(jumped)?;
            let end = m
                .get(start..)
                .and_then(|rest| rest.iter().position(|&c| c == b'\r' || c == b'\n'))
                .map(|i| start + i)
                .ok_or(Stop::Jumped)?;
            let next = skip_line_ends(m, end).map_err(jumped);
            Ok((Item::Text(m.get(start..end).unwrap_or(&[])), next))
        }
    }
}

fn word(len: Len) -> &'static str {
    match len {
        Len::Null => " null",
        Len::TooLarge => " length too large",
        Len::NegativeNot1 => " length negative and not -1",
        Len::Count(_) | Len::Invalid => " invalid",
    }
}

/// The first `\r\n` at or after `at`.
fn find_crlf(m: &[u8], at: usize) -> Res<usize> {
    m.get(at..)
        .and_then(|rest| rest.windows(2).position(|w| w == b"\r\n"))
        .map(|i| at + i)
        .ok_or(Truncated)
}

/// Past a run of `\r` and `\n` at `at` (none: the end of the bytes
/// there is a cut; tcpdump's `CONSUME_CR_OR_LF`).
fn skip_line_ends(m: &[u8], at: usize) -> Res<usize> {
    let mut i = at;
    while let Some(&c) = m.get(i) {
        if c != b'\r' && c != b'\n' {
            return Ok(i);
        }
        i += 1;
    }
    if i > at { Ok(i) } else { Err(Truncated) }
}

/// A bulk string's or array's length line from `at` (after the type
/// byte), as tcpdump reads it: where the value goes on from.
fn length(m: &[u8], at: usize) -> Res<(Len, usize)> {
    let mut i = at;
    let neg = *m.get(i).ok_or(Truncated)? == b'-';
    if neg {
        i += 1;
    }
    let (mut n, mut digits, mut too_large) = (0u64, false, false);
    loop {
        let c = *m.get(i).ok_or(Truncated)?;
        if !c.is_ascii_digit() {
            if !digits {
                return Ok((Len::Invalid, i + 1));
            }
            break;
        }
        // tcpdump's int: past i32::MAX is too large.
        n = n * 10 + u64::from(c - b'0');
        if n > i32::MAX as u64 {
            too_large = true;
            n = i32::MAX as u64;
        }
        digits = true;
        i += 1;
    }
    if m.get(i) != Some(&b'\r') {
        return Ok((Len::Invalid, i + 1));
    }
    i += 1;
    if *m.get(i).ok_or(Truncated)? != b'\n' {
        return Ok((Len::Invalid, i + 1));
    }
    i += 1;
    let len = match (neg, too_large) {
        (true, false) if n == 1 => Len::Null,
        (true, _) => Len::NegativeNot1,
        (false, true) => Len::TooLarge,
        (false, false) => Len::Count(n),
    };
    Ok((len, i))
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let mut values = Vec::new();
        let done = walk(p, |item| match item {
            Item::Text(t) => values.push(match std::str::from_utf8(t) {
                Ok(s) => s.parse::<i64>().map_or_else(|_| json!(s), |n| json!(n)),
                Err(_) => json!(String::from_utf8_lossy(t)),
            }),
            Item::Word(" null") => values.push(Value::Null),
            Item::Word(_) | Item::Array(_) => {}
        });
        o.insert("values".into(), Value::Array(values));
        Ok(done?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_pipelined_commands_and_replies() {
        let m = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n+OK\r\n:12\r\n$-1\r\n*0\r\nPING\r\n";
        assert_eq!(
            RESP.printed(m, 0),
            ": RESP \"SET\" \"k\" \"v\" \"OK\" \"12\" null empty \"PING\""
        );
    }

    #[test]
    fn test_truncated_inside_an_array() {
        let m = b"*2\r\n$3\r\nGET\r\n$5\r\nab";
        assert_eq!(RESP.printed(m, 0), ": RESP \"GET\" [|resp]");
    }

    #[test]
    fn test_malformed_lengths() {
        assert_eq!(
            RESP.printed(b"$-2\r\n", 0),
            ": RESP length negative and not -1"
        );
        assert_eq!(
            RESP.printed(b"*99999999999\r\n", 0),
            ": RESP length too large"
        );
        assert_eq!(RESP.printed(b"$x\r\n", 0), ": RESP invalid [|resp]");
    }

    #[test]
    fn test_deep_nesting_does_not_recurse() {
        let m = b"*1\r\n".repeat(100_000);
        assert!(RESP.printed(&m, 0).ends_with(" [|resp]"));
    }
}
