//! RIPng (RFC 2080) on UDP port 521, as `tcpdump -n` prints it at every
//! level: ` ripng-req 2: 2001:db8::/32 2001:db8:1::/48 [5]`, ` ripng-resp
//! 3: 2001:db8::/32 (1) …` (the route tag in brackets when set, the
//! metric in parentheses on responses when not 0), ` ripng-req dump` for
//! the request of the whole table, `N[length]` when the entries do not
//! fill the message, ` (invalid)` after a bad version, command or length.
//! `-vv` puts each entry on its own line. tcpdump reads every field
//! unchecked, so a cut message ends by its `longjmp`. Zeek has no RIPng
//! analyzer: no `service`.

use super::ctl::{line_is_level_0, out};
use super::dns::text::put_ipv6;
use super::wire::{Res, bytes_at, u8_at, u16_at};
use super::{Dissector, Payload};
use serde_json::{Value, json};
use std::net::Ipv6Addr;

/// RIPng on port 521.
pub static RIPNG: Dissector = Dissector {
    name: "ripng",
    json_key: "ripng",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: looks_like_ripng,
};

fn looks_like_ripng(m: &[u8]) -> bool {
    matches!(m, [1 | 2, 1, ..])
}

const HEADER: usize = 4;
const ENTRY: usize = 20;
/// A request of the whole table: one entry, `::/0`, metric 16 (RFC 2080
/// section 2.4.1).
const INFINITY: u8 = 16;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    let (m, length) = (p.bytes, p.declared_len);
    let version = u8_at(m, 1)?;
    if version != 1 {
        out!(w, " [vers {version}] (invalid)");
        return Ok(());
    }
    let cmd = u8_at(m, 0)?;
    let (word, metrics) = match cmd {
        1 => ("req", false),
        2 => ("resp", true),
        _ => {
            out!(w, " ripng-{cmd} ?? {length} (invalid)");
            return Ok(());
        }
    };
    let Some(mut left) = length.checked_sub(HEADER) else {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    };
    let count = left / ENTRY;
    if cmd == 1 && count == 1 && u8_at(m, HEADER + 19)? == INFINITY {
        let dest = bytes_at::<16>(m, HEADER)?;
        if dest == [0; 16] {
            w.extend_from_slice(b" ripng-req dump");
            return Ok(());
        }
    }
    out!(w, " ripng-{word} {count}");
    if count * ENTRY != left {
        out!(w, "[{length}]");
    }
    w.push(b':');
    let mut at = HEADER;
    while left >= ENTRY {
        w.extend_from_slice(if v > 1 { b"\n\t" } else { b" " });
        entry(w, m, at, metrics)?;
        left -= ENTRY;
        at += ENTRY;
    }
    if left != 0 {
        w.extend_from_slice(b" (invalid)");
    }
    Ok(())
}

/// `prefix/len`, ` [tag]` when set, ` (metric)` when asked for and set.
fn entry(w: &mut Vec<u8>, m: &[u8], at: usize, metrics: bool) -> Res<()> {
    let dest = bytes_at::<16>(m, at)?;
    let plen = u8_at(m, at + 18)?;
    put_ipv6(w, &dest);
    out!(w, "/{plen}");
    let tag = u16_at(m, at + 16)?;
    if tag != 0 {
        out!(w, " [{tag}]");
    }
    let metric = u8_at(m, at + 19)?;
    if metric != 0 && metrics {
        out!(w, " ({metric})");
    }
    Ok(())
}

/// RIPng's commands as the JSON names them.
const COMMANDS: &[(u8, &str)] = &[(1, "request"), (2, "response")];

fn to_json(p: &Payload<'_>) -> Value {
    super::rip::to_json_with(p, COMMANDS, |list, m, _, _| entries_json(list, m))
}

fn entries_json(list: &mut Vec<Value>, m: &[u8]) -> Res<()> {
    let mut at = HEADER;
    while at < m.len() {
        let dest = Ipv6Addr::from(bytes_at::<16>(m, at)?);
        list.push(json!({
            "prefix": dest.to_string(),
            "tag": u16_at(m, at + 16)?,
            "prefix_len": u8_at(m, at + 18)?,
            "metric": u8_at(m, at + 19)?,
        }));
        at += ENTRY;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(prefix: [u8; 4], tag: u16, plen: u8, metric: u8) -> Vec<u8> {
        let mut e = prefix.to_vec();
        e.resize(16, 0);
        e.extend_from_slice(&tag.to_be_bytes());
        e.extend_from_slice(&[plen, metric]);
        e
    }

    #[test]
    fn test_response_lines() {
        let mut m = vec![2, 1, 0, 0];
        m.extend(entry([0x20, 0x01, 0x0d, 0xb8], 0, 32, 1));
        m.extend(entry([0x20, 0x01, 0x0d, 0xb9], 5, 48, 0));
        assert_eq!(
            RIPNG.printed(&m, 0),
            " ripng-resp 2: 2001:db8::/32 (1) 2001:db9::/48 [5]"
        );
        assert_eq!(
            RIPNG.printed(&m, 2),
            " ripng-resp 2:\n\t2001:db8::/32 (1)\n\t2001:db9::/48 [5]"
        );
        assert_eq!(
            RIPNG.printed_cut(&m, 24, 0),
            " ripng-resp 2: 2001:db8::/32 (1)  [|ripng]"
        );
    }

    #[test]
    fn test_request_of_the_table() {
        let mut m = vec![1, 1, 0, 0];
        m.extend(entry([0; 4], 0, 0, 16));
        assert_eq!(RIPNG.printed(&m, 0), " ripng-req dump");
        m[1] = 2;
        assert_eq!(RIPNG.printed(&m, 0), " [vers 2] (invalid)");
    }
}
