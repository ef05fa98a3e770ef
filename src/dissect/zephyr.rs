//! Zephyr, MIT's notice service (UDP 2103 and 2104, server and client
//! ports), as tcpdump 4.99 prints it, the same line at every level. A
//! notice is NUL-terminated text fields: version (`ZEPH0.2`), field
//! count, kind, uid, port, auth, auth length, auth data, class,
//! instance, opcode, sender, recipient, format, checksum, multi and
//! multi-uid (the numbers in hex, read as C's `strtol`). tcpdump prints
//! ` zephyr`, the kind (`unsafe` … `stat`, else `type N`), a server
//! acknowledgement's next field lower-cased after `/` unless it is
//! `SENT`, the sender, then what the class, instance and opcode say:
//! `hide`, `unhide`, `locate INST`, `zephyr-admin OP`, `sub`/`unsub`/
//! `sub-nodefs` and the `<class,instance,recipient>` that follows, `ret`,
//! `gimme-defs`, `clear-subs`, the realm's subscriptions, `hm_ctl`,
//! `get-client-stats`, `wg_ctl`, `flush_locs`, `set-exposure`, else
//! ` to <class,instance,recipient>` and ` op OPCODE`. The fields' text is
//! escaped as tcpdump 4.99 escapes all it prints (`M-`, `^`); lower-cased
//! and triple text is first cut to tcpdump's 255-byte buffer.
//!
//! A notice whose fields run past the datagram is ` (invalid)`; one that
//! is not `ZEPH…` prints nothing; another version ` v…`. Reading past the
//! capture is tcpdump's `longjmp` (` [|zephyr]` after what was printed).
//! Zeek has no analyzer for it (no `service`).

use super::ctl::{json_object, line_is_level_0, out};
use super::dns::text::put_char;
use super::wire::{Res, u8_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static ZEPHYR: Dissector = Dissector {
    name: "zephyr",
    json_key: "zephyr",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.starts_with(b"ZEPH"),
};

pub const SERVER_PORT: u16 = 2103;
pub const CLIENT_PORT: u16 = 2104;

/// The header's fields, in order (their names in JSON).
const FIELDS: [&str; 17] = [
    "version",
    "numfields",
    "kind",
    "uid",
    "port",
    "auth",
    "authlen",
    "authdata",
    "class",
    "inst",
    "opcode",
    "sender",
    "recipient",
    "format",
    "cksum",
    "multi",
    "multi_uid",
];
const KIND: usize = 2;
const CLASS: usize = 8;
const INST: usize = 9;
const OPCODE: usize = 10;
const SENDER: usize = 11;
const RECIPIENT: usize = 12;

const KINDS: [&str; 9] = [
    "unsafe",
    "unacked",
    "acked",
    "hm-ack",
    "hm-ctl",
    "serv-ack",
    "serv-nak",
    "client-ack",
    "stat",
];
const SERVACK: i32 = 5;
/// tcpdump's `z_buf`: lower-cased text and triples are cut to 255 bytes.
const BUF: usize = 255;

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let mut f = Fields::new(p);
    let Some(z) = f.header()? else {
        return Ok(());
    };
    put_notice(w, &mut f, &z)
}

/// The NUL-terminated fields of a notice, read one after another.
struct Fields<'a> {
    m: &'a [u8],
    at: usize,
    /// What is left of the datagram's length.
    left: usize,
}

impl<'a> Fields<'a> {
    fn new(p: &Payload<'a>) -> Fields<'a> {
        Fields {
            m: p.bytes,
            at: 0,
            left: p.declared_len,
        }
    }

    /// The next field without its NUL; `None` when the datagram's length
    /// ends first (tcpdump's `lose`), `Err` when the capture does.
    fn next(&mut self) -> Res<Option<&'a [u8]>> {
        let start = self.at;
        loop {
            if self.left == 0 {
                return Ok(None);
            }
            if u8_at(self.m, self.at)? == 0 {
                break;
            }
            self.at += 1;
            self.left -= 1;
        }
        let field = self.m.get(start..self.at).unwrap_or(&[]);
        self.at += 1;
        self.left -= 1;
        Ok(Some(field))
    }

    /// The 17 header fields; `None` for a datagram that is not a Zephyr
    /// notice (tcpdump prints nothing of it); `Some(Err)` when the
    /// datagram's length ends in the header.
    fn header(&mut self) -> Res<Option<Header<'a>>> {
        let version = match self.next()? {
            Some(v) if !v.starts_with(b"ZEPH") => return Ok(None),
            v => v,
        };
        let mut fields = [&[][..]; 17];
        let mut complete = version.is_some();
        fields[0] = version.unwrap_or(&[]);
        for f in fields.iter_mut().skip(1) {
            match self.next()? {
                Some(v) => *f = v,
                None => complete = false,
            }
        }
        Ok(Some(Header { fields, complete }))
    }
}

/// A notice's header fields, `complete` when all were in the datagram.
struct Header<'a> {
    fields: [&'a [u8]; 17],
    complete: bool,
}

impl Header<'_> {
    fn kind(&self) -> i32 {
        strtol16(self.fields[KIND]) as i32
    }
}

/// C's `strtol(s, 0, 16)`: spaces, a sign, `0x`, hex digits, clamped to
/// a `long` (then cast to an `int` by tcpdump, keeping the low 32 bits).
fn strtol16(s: &[u8]) -> i64 {
    let mut i = s
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    if s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for &c in s.get(i..).unwrap_or(&[]) {
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        match v.checked_mul(16).and_then(|x| x.checked_add(u64::from(d))) {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    match (negative, overflow) {
        (false, true) => i64::MAX,
        (true, true) => i64::MIN,
        (false, false) => i64::try_from(v).unwrap_or(i64::MAX),
        (true, false) if v > 1 << 63 => i64::MIN,
        (true, false) => (v as i64).wrapping_neg(),
    }
}

/// `s` as tcpdump's `str_to_lower` leaves it: 255 bytes at most, ASCII
/// letters lower-cased.
fn put_lower(w: &mut Vec<u8>, s: &[u8]) {
    for c in s.iter().take(BUF) {
        put_char(w, c.to_ascii_lowercase());
    }
}

/// A field's text, escaped as tcpdump 4.99 escapes what it prints.
fn put_text(w: &mut Vec<u8>, s: &[u8]) {
    for &c in s {
        put_char(w, c);
    }
}

/// tcpdump's `z_triple`: `<class,inst,recipient>` (`*` for no
/// recipient), cut to 255 bytes.
fn put_triple(w: &mut Vec<u8>, class: &[u8], inst: &[u8], recipient: &[u8]) {
    let recipient = if recipient.is_empty() {
        b"*"
    } else {
        recipient
    };
    let t = [b"<", class, b",", inst, b",", recipient, b">"].concat();
    put_text(w, &t[..t.len().min(BUF)]);
}

/// The line of a Zephyr notice.
fn put_notice(w: &mut Vec<u8>, f: &mut Fields<'_>, z: &Header<'_>) -> Res<()> {
    if !z.complete {
        w.extend_from_slice(b" (invalid)");
        return Ok(());
    }
    w.extend_from_slice(b" zephyr");
    let version = &z.fields[0][4..];
    if !version.starts_with(b"0.2") {
        w.extend_from_slice(b" v");
        put_text(w, version);
        return Ok(());
    }
    let kind = z.kind();
    match usize::try_from(kind).ok().and_then(|k| KINDS.get(k)) {
        Some(name) => out!(w, " {name}"),
        None => out!(w, " type {kind}"),
    }
    if kind == SERVACK
        && let Some(ack) = f.next()?
        && ack != b"SENT"
    {
        w.push(b'/');
        put_lower(w, ack);
    }
    let field = |n: usize| z.fields[n];
    let (class, inst, opcode) = (field(CLASS), field(INST), field(OPCODE));
    if !field(SENDER).is_empty() {
        w.push(b' ');
        put_text(w, field(SENDER));
    }
    let word = |w: &mut Vec<u8>, s: &str| {
        w.push(b' ');
        w.extend_from_slice(s.as_bytes());
    };
    let lower = |w: &mut Vec<u8>, before: &str, s: &[u8]| {
        w.extend_from_slice(before.as_bytes());
        put_lower(w, s);
    };
    match class {
        b"USER_LOCATE" => match opcode {
            b"USER_HIDE" => word(w, "hide"),
            b"USER_UNHIDE" => word(w, "unhide"),
            _ => {
                w.extend_from_slice(b" locate ");
                put_text(w, inst);
            }
        },
        b"ZEPHYR_ADMIN" => lower(w, " zephyr-admin ", opcode),
        b"ZEPHYR_CTL" if inst == b"CLIENT" => return put_client_ctl(w, f, opcode, kind),
        b"ZEPHYR_CTL" if inst == b"HM" => lower(w, " ", opcode),
        b"ZEPHYR_CTL" if inst == b"REALM" => {
            let what = match opcode {
                b"ADD_SUBSCRIBE" => "add-subs",
                b"REQ_SUBSCRIBE" => "req-subs",
                b"RLM_SUBSCRIBE" => "rlm-sub",
                b"RLM_UNSUBSCRIBE" => "rlm-unsub",
                _ => return Ok(()),
            };
            out!(w, " realm {what}");
        }
        b"HM_CTL" | b"WG_CTL" => {
            lower(w, " ", class);
            lower(w, " ", inst);
            lower(w, " ", opcode);
        }
        b"HM_STAT" if inst == b"HMST_CLIENT" && opcode == b"GIMMESTATS" => {
            word(w, "get-client-stats")
        }
        b"LOGIN" if opcode == b"USER_FLUSH" => word(w, "flush_locs"),
        b"LOGIN"
            if matches!(
                opcode,
                b"NONE"
                    | b"OPSTAFF"
                    | b"REALM-VISIBLE"
                    | b"REALM-ANNOUNCED"
                    | b"NET-VISIBLE"
                    | b"NET-ANNOUNCED"
            ) =>
        {
            lower(w, " set-exposure ", opcode)
        }
        _ => {
            w.extend_from_slice(b" to ");
            put_triple(w, class, inst, field(RECIPIENT));
            if !opcode.is_empty() {
                w.extend_from_slice(b" op ");
                put_text(w, opcode);
            }
        }
    }
    Ok(())
}

/// A client's control notice (class `ZEPHYR_CTL`, instance `CLIENT`):
/// subscriptions with the triple after the header (not in a server's
/// acknowledgement), `ret`, `gimme-defs`, `clear-subs`, else the opcode
/// lower-cased.
fn put_client_ctl(w: &mut Vec<u8>, f: &mut Fields<'_>, opcode: &[u8], kind: i32) -> Res<()> {
    let what = match opcode {
        b"SUBSCRIBE" => "sub",
        b"SUBSCRIBE_NODEFS" => "unsub-nodefs",
        b"UNSUBSCRIBE" => "unsub",
        b"GIMME" => "ret",
        b"GIMMEDEFS" => "gimme-defs",
        b"CLEARSUB" => "clear-subs",
        _ => {
            w.push(b' ');
            put_lower(w, opcode);
            return Ok(());
        }
    };
    out!(w, " {what}");
    if what.contains("sub") && kind != SERVACK {
        let (c, i, r) = (f.next()?, f.next()?, f.next()?);
        if let (Some(c), Some(i), Some(r)) = (c, i, r) {
            w.push(b' ');
            put_triple(w, c, i, r);
        }
    }
    Ok(())
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p))
}

fn json_fields(o: &mut Map<String, Value>, p: &Payload<'_>) -> Res<()> {
    let mut f = Fields::new(p);
    let Some(z) = f.header()? else {
        o.insert("notice".into(), json!(false));
        return Ok(());
    };
    for (name, v) in FIELDS.iter().zip(z.fields) {
        o.insert((*name).into(), json!(String::from_utf8_lossy(v)));
    }
    let kind = z.kind();
    o.insert("kind".into(), json!(kind));
    if let Some(name) = usize::try_from(kind).ok().and_then(|k| KINDS.get(k)) {
        o.insert("kind_name".into(), json!(name));
    }
    o.insert("invalid".into(), json!(!z.complete));
    let mut line = Vec::new();
    put_notice(&mut line, &mut f, &z)?;
    if p.declared_len > p.bytes.len() {
        return Err(super::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notice of `kind` with class, instance, opcode, sender and
    /// recipient, then `rest`.
    fn notice(kind: &str, cio: [&str; 3], sender: &str, recipient: &str, rest: &str) -> Vec<u8> {
        let [c, i, o] = cio;
        let fields = [
            "ZEPH0.2", "11", kind, "uid", "0x2", "1", "0", "", c, i, o, sender, recipient, "", "0",
            "0", "",
        ];
        let mut m: Vec<u8> = fields
            .iter()
            .flat_map(|f| [f.as_bytes(), b"\0"].concat())
            .collect();
        m.extend_from_slice(rest.as_bytes());
        m
    }

    #[test]
    fn test_line() {
        let m = notice("2", ["MESSAGE", "personal", ""], "a@B", "c@B", "");
        assert_eq!(
            ZEPHYR.printed(&m, 0),
            " zephyr acked a@B to <MESSAGE,personal,c@B>"
        );
        let m = notice("5", ["ZEPHYR_CTL", "CLIENT", "SUBSCRIBE"], "", "", "LOST\0");
        assert_eq!(ZEPHYR.printed(&m, 1), " zephyr serv-ack/lost sub");
        let m = notice(
            "0x1",
            ["ZEPHYR_CTL", "CLIENT", "UNSUBSCRIBE"],
            "",
            "",
            "c\0i\0\0",
        );
        assert_eq!(ZEPHYR.printed(&m, 0), " zephyr unacked unsub <c,i,*>");
    }

    #[test]
    fn test_strtol() {
        assert_eq!(strtol16(b" -0x1f"), -31);
        assert_eq!(strtol16(b"ffffffffffffffffff"), i64::MAX);
        assert_eq!(strtol16(b"-ffffffff") as i32, 1);
        assert_eq!(strtol16(b"0xg"), 0);
    }

    #[test]
    fn test_malformed() {
        let m = notice("2", ["a", "b", "c"], "", "", "");
        assert_eq!(ZEPHYR.printed(&m[..m.len() - 1], 0), " (invalid)");
        assert_eq!(ZEPHYR.printed(b"HELLO\0", 0), "");
        assert_eq!(ZEPHYR.printed_cut(&m, 3, 0), " [|zephyr]");
    }
}
