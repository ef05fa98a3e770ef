//! TLS over TCP, recognised by its record header on any port (a content
//! type 20–24, version 3.x, a length a record may have), as Wireshark's
//! heuristic dissector does. tcpdump prints nothing of TLS, so the default
//! and `-v` lines are left alone; `--app` appends a bracketed summary:
//!
//! ```text
//! [TLS ClientHello sni=example.com alpn=h2,http/1.1 versions=1.3,1.2 ciphers=31 ja4=t13d3112h2_…]
//! [TLS ServerHello version=1.3 cipher=TLS_AES_256_GCM_SHA384, ChangeCipherSpec, ApplicationData]
//! ```
//!
//! and `--json` always gets the `"tls"` object (records, handshake
//! messages, the hellos' fields and JA4). Each segment is read alone: a
//! ClientHello that continues in the next segment is read as far as this
//! one goes and marked `partial` (no JA4: it needs the whole extension
//! list); [`framing`] tells `crate::flow::pdu` where handshake records
//! end, so that the segment completing one gets it decoded whole (with
//! `"reassembled"` in its JSON), as tshark shows it on its reassembling
//! packet. A handshake message the record layer spread over several
//! records is joined ([`stream`]). The flow's Zeek service is `ssl`.
//!
//! Hand-written rather than `tls-parser`: JA4 needs the raw extension
//! order with GREASE values, and a cut hello must give what it has (its
//! server name) instead of an error; reading borrows the segment's bytes.

pub mod hello;
pub mod ja4;
pub mod names;
pub mod stream;

use super::wire::{Res, u8_at, u16_at};
use super::{Dissector, Heuristic, Payload};
use hello::{ClientHello, ServerHello, without_grease};
use ja4::Transport;
use serde_json::{Map, Value, json};

/// TLS on any TCP port.
pub static TLS: Heuristic = Heuristic {
    dissector: Dissector {
        name: "tls",
        json_key: "tls",
        line: None,
        verbose: None,
        json: to_json,
        service: "ssl",
        recognise: starts_record,
    },
    app: app_line,
};

/// The most a record's length may say (RFC 8446 §5.2: 2^14 + 256 for
/// TLSCiphertext, 2^14 + 2048 in TLS 1.2).
const MAX_RECORD: u16 = (1 << 14) + 2048;
/// Records read per segment at most (a 64 KiB segment holds fewer).
const MAX_RECORDS: usize = 64;

/// Whether the bytes start with a TLS record header.
pub fn starts_record(m: &[u8]) -> bool {
    record_header(m, 0).is_ok_and(|h| h.is_some())
}

/// `(content type, version, length)` at `at`, `None` when the bytes there
/// are not a record header.
fn record_header(m: &[u8], at: usize) -> Res<Option<(u8, u16, u16)>> {
    let ty = u8_at(m, at)?;
    let version = u16_at(m, at + 1)?;
    let len = u16_at(m, at + 3)?;
    let ok = (20..=24).contains(&ty) && version >> 8 == 3 && version & 0xff <= 4;
    Ok((ok && (1..=MAX_RECORD).contains(&len)).then_some((ty, version, len)))
}

/// The handshake content type.
const HANDSHAKE: u8 = 22;

/// Where the whole records at the start of `m` end, and how many bytes
/// the next one needs when the bytes end inside a handshake record (its
/// header, or its body): what reassembly waits for before the records
/// are read again.
/// `None` when `m` does not start with a record. (`_from`: see
/// [`super::FramingFn`]; walking record headers costs little again.)
pub fn framing(m: &[u8], _from: usize) -> Option<super::Framing> {
    let mut at = 0;
    // The end of the last whole record after which no handshake message
    // is open (a message may fill several records).
    let mut whole = 0;
    let mut need = None;
    let mut stream = stream::Boundaries::default();
    while at < m.len() {
        match record_header(m, at) {
            Ok(Some((ty, _, len))) => {
                let end = at + 5 + usize::from(len);
                if end > m.len() {
                    // Only handshake records are waited for: the others
                    // (application data above all) say no more whole.
                    need = (ty == HANDSHAKE).then_some(end);
                    break;
                }
                stream.record(ty, m.get(at + 5..end).unwrap_or(&[]));
                at = end;
                if stream.at_boundary() {
                    whole = at;
                }
            }
            // Not a record: a message open before it is not waited for.
            Ok(None) => {
                whole = at;
                break;
            }
            // A header cut by the end of the bytes: waited for when what
            // there is of it could start a record.
            Err(_) => {
                let mut head = [22, 3, 3, 0, 1];
                let rest = m.get(at..).unwrap_or(&[]);
                head.iter_mut().zip(rest).for_each(|(h, &b)| *h = b);
                if rest.first() == Some(&HANDSHAKE)
                    && record_header(&head, 0).is_ok_and(|h| h.is_some())
                {
                    need = Some(at + 5);
                }
                break;
            }
        }
    }
    // Whole records end inside a handshake message: its next record.
    if need.is_none() && whole < at && at == m.len() {
        need = Some(at + 5);
    }
    if need.is_none() {
        whole = at.max(whole);
    }
    (whole > 0 || need.is_some()).then_some(super::Framing {
        whole,
        need,
        resume: 0,
    })
}

/// One record of a segment.
struct Record<'a> {
    ty: u8,
    version: u16,
    len: u16,
    messages: Vec<Message<'a>>,
}

/// A handshake message.
enum Message<'a> {
    Client {
        hello: ClientHello<'a>,
        whole: bool,
    },
    Server(Option<ServerHello>),
    Other(u8),
    /// After ChangeCipherSpec (TLS 1.2's Finished) the handshake record is
    /// encrypted: its bytes do not parse as a message.
    Encrypted,
}

/// The records of a segment, whether it ended on a record boundary, and
/// the type of a handshake message the segment ends inside. A handshake
/// message over several records is joined in `joined` and listed with
/// the record that ends it.
fn records<'a>(p: &Payload<'a>, joined: &'a mut Vec<u8>) -> (Vec<Record<'a>>, bool, Option<u8>) {
    let m = p.bytes.get(..p.declared_len).unwrap_or(p.bytes);
    let mut heads = Vec::new();
    let mut at = 0;
    let mut boundary = false;
    while at < m.len() && heads.len() < MAX_RECORDS {
        let Ok(Some((ty, version, len))) = record_header(m, at) else {
            break;
        };
        let end = at + 5 + usize::from(len);
        let body = m.get(at + 5..end.min(m.len())).unwrap_or(&[]);
        heads.push((version, len, end > m.len(), stream::Rec { ty, body }));
        if end > m.len() {
            break;
        }
        at = end;
        boundary = at == m.len();
    }
    let complete = boundary && p.bytes.len() >= p.declared_len;
    let recs: Vec<stream::Rec<'a>> = heads
        .iter()
        .map(|(_, _, _, r)| stream::Rec {
            ty: r.ty,
            body: r.body,
        })
        .collect();
    let pieces = stream::split(&recs, joined);
    let joined: &'a Vec<u8> = joined;
    let encrypted_from = heads
        .iter()
        .position(|(_, _, _, r)| r.ty == CHANGE_CIPHER_SPEC)
        .unwrap_or(usize::MAX);
    let mut out: Vec<Record<'a>> = heads
        .iter()
        .enumerate()
        .map(|(i, &(version, len, cut, ref r))| Record {
            ty: r.ty,
            version,
            len,
            messages: if r.ty == HANDSHAKE && i > encrypted_from {
                messages(r.body, cut)
            } else {
                Vec::new()
            },
        })
        .collect();
    let mut partial = None;
    for piece in pieces {
        if !piece.whole && !piece.encrypted {
            partial = Some(piece.ty);
        }
        let body = match piece.body {
            stream::Body::Borrowed(b) => b,
            stream::Body::Joined(range) => joined.get(range).unwrap_or(&[]),
        };
        let message = if piece.encrypted {
            Message::Encrypted
        } else {
            message(piece.ty, body, piece.whole)
        };
        if let Some(r) = out.get_mut(piece.record) {
            r.messages.push(message);
        }
    }
    (out, complete, partial)
}

const CHANGE_CIPHER_SPEC: u8 = 20;

/// A handshake message of type `ty` (`whole`: all of its body is there).
fn message(ty: u8, msg: &[u8], whole: bool) -> Message<'_> {
    match ty {
        1 => {
            let mut hello = ClientHello::default();
            let read = hello::read_client_hello(msg, &mut hello);
            Message::Client {
                hello,
                whole: whole && read.is_ok(),
            }
        }
        2 => Message::Server(hello::read_server_hello(msg).ok()),
        _ => Message::Other(ty),
    }
}

/// The handshake messages of a record body (`cut`: the record goes on in
/// a later segment).
fn messages(body: &[u8], cut: bool) -> Vec<Message<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let (Ok(ty), Ok(hi), Ok(lo)) = (u8_at(body, at), u8_at(body, at + 1), u16_at(body, at + 2))
        else {
            // A header cut by the segment's end.
            if !cut {
                out.push(Message::Encrypted);
            }
            break;
        };
        let len = usize::from(hi) << 16 | usize::from(lo);
        let start = at + 4;
        let end = start + len;
        if names::handshake_type(ty).is_none() || (end > body.len() && !cut) {
            out.push(Message::Encrypted);
            break;
        }
        let msg = body.get(start..end.min(body.len())).unwrap_or(&[]);
        out.push(message(ty, msg, end <= body.len()));
        at = end;
    }
    out
}

/// ` [TLS …]` for `--app`.
fn app_line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    let mut joined = Vec::new();
    let (records, _, _) = records(p, &mut joined);
    if records.is_empty() {
        return Ok(());
    }
    w.extend_from_slice(b" [TLS ");
    let mut items = Items::default();
    for r in &records {
        if r.ty != 22 || r.messages.is_empty() {
            items.name(w, names::content_type(r.ty).unwrap_or("Record"));
            continue;
        }
        for m in &r.messages {
            match m {
                Message::Client { hello, whole } => {
                    items.start(w);
                    put_client_hello(w, hello, *whole, Transport::Tcp);
                }
                Message::Server(hello) => {
                    items.start(w);
                    put_server_hello(w, hello.as_ref());
                }
                Message::Other(ty) => {
                    items.name(w, names::handshake_type(*ty).unwrap_or("Handshake"))
                }
                Message::Encrypted => items.name(w, "EncryptedHandshake"),
            }
        }
    }
    items.finish(w);
    w.push(b']');
    Ok(())
}

/// A comma-separated list of items where a name repeated in a row is
/// printed once with ` xN` (`ApplicationData x3`).
#[derive(Default)]
pub(in crate::dissect) struct Items {
    count: usize,
    last: Option<&'static str>,
    repeats: usize,
}

impl Items {
    /// A new item that writes itself.
    pub(in crate::dissect) fn start(&mut self, w: &mut Vec<u8>) {
        self.flush(w);
        if self.count > 0 {
            w.extend_from_slice(b", ");
        }
        self.count += 1;
    }
    /// An item that is only a name.
    pub(in crate::dissect) fn name(&mut self, w: &mut Vec<u8>, name: &'static str) {
        if self.last == Some(name) {
            self.repeats += 1;
            return;
        }
        self.start(w);
        w.extend_from_slice(name.as_bytes());
        self.last = Some(name);
        self.repeats = 1;
    }
    fn flush(&mut self, w: &mut Vec<u8>) {
        if self.repeats > 1 {
            w.extend_from_slice(b" x");
            super::put_num(w, self.repeats);
        }
        self.last = None;
        self.repeats = 0;
    }
    pub(in crate::dissect) fn finish(&mut self, w: &mut Vec<u8>) {
        self.flush(w);
    }
}

/// Printable text of a name from the wire: bytes other than visible ASCII
/// (and the list's own `,` and `]`) become `.`.
fn put_text(w: &mut Vec<u8>, t: &[u8]) {
    w.extend(t.iter().map(|&c| match c {
        b',' | b']' => b'.',
        0x21..=0x7e => c,
        _ => b'.',
    }));
}

/// `ClientHello sni=… alpn=… versions=… ciphers=N ja4=…` (`partial` and
/// no JA4 when the message was cut).
pub(in crate::dissect) fn put_client_hello(
    w: &mut Vec<u8>,
    h: &ClientHello<'_>,
    whole: bool,
    transport: Transport,
) {
    w.extend_from_slice(b"ClientHello");
    if !whole {
        w.extend_from_slice(b" partial");
    }
    if let Some(sni) = h.sni {
        w.extend_from_slice(b" sni=");
        put_text(w, sni);
    }
    if !h.alpn.is_empty() {
        w.extend_from_slice(b" alpn=");
        put_list(w, &h.alpn, |w, a| put_text(w, a));
    }
    let versions = without_grease(&h.versions);
    if !versions.is_empty() {
        w.extend_from_slice(b" versions=");
        put_list(w, &versions, |w, &v| put_version(w, v));
    }
    if !h.ciphers.is_empty() {
        w.extend_from_slice(b" ciphers=");
        super::put_num(w, without_grease(&h.ciphers).len());
    }
    if whole {
        w.extend_from_slice(b" ja4=");
        w.extend_from_slice(ja4::ja4(h, transport).as_bytes());
    }
}

/// `items` comma-separated, each written by `put`.
pub(in crate::dissect) fn put_list<T>(
    w: &mut Vec<u8>,
    items: &[T],
    put: impl Fn(&mut Vec<u8>, &T),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.push(b',');
        }
        put(w, item);
    }
}

fn put_version(w: &mut Vec<u8>, v: u16) {
    match names::version(v) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => put_hex16(w, v),
    }
}

/// `ServerHello version=1.3 cipher=TLS_AES_256_GCM_SHA384`.
pub(in crate::dissect) fn put_server_hello(w: &mut Vec<u8>, h: Option<&ServerHello>) {
    w.extend_from_slice(b"ServerHello");
    let Some(h) = h else {
        w.extend_from_slice(b" partial");
        return;
    };
    w.extend_from_slice(b" version=");
    put_version(w, h.version());
    w.extend_from_slice(b" cipher=");
    match names::cipher(h.cipher) {
        Some(n) => w.extend_from_slice(n.as_bytes()),
        None => put_hex16(w, h.cipher),
    }
}

/// `0x1234`: a code without a name.
fn put_hex16(w: &mut Vec<u8>, v: u16) {
    use std::io::Write;
    let _ = write!(w, "0x{v:04x}");
}

fn text(b: &[u8]) -> Value {
    json!(String::from_utf8_lossy(b))
}

/// The `"client_hello"` object, for TLS and QUIC alike.
pub(in crate::dissect) fn client_hello_json(
    h: &ClientHello<'_>,
    whole: bool,
    transport: Transport,
) -> Value {
    let mut o = Map::new();
    o.insert(
        "legacy_version".into(),
        json!(names::version_long(h.legacy_version)),
    );
    if let Some(sni) = h.sni {
        o.insert("sni".into(), text(sni));
    }
    o.insert("alpn".into(), h.alpn.iter().map(|a| text(a)).collect());
    let versions: Vec<Value> = without_grease(&h.versions)
        .into_iter()
        .map(|v| json!(names::version_long(v)))
        .collect();
    o.insert("supported_versions".into(), Value::Array(versions));
    let count = |l: &[u16]| without_grease(l).len();
    o.insert("cipher_suites".into(), json!(count(&h.ciphers)));
    o.insert("extensions".into(), json!(count(&h.extensions)));
    if whole {
        o.insert("ja4".into(), json!(ja4::ja4(h, transport)));
    }
    o.insert("complete".into(), json!(whole));
    Value::Object(o)
}

/// The `"server_hello"` object.
pub(in crate::dissect) fn server_hello_json(h: Option<&ServerHello>) -> Value {
    match h {
        Some(h) => json!({
            "version": names::version_long(h.version()),
            "cipher": names::cipher_long(h.cipher),
            "cipher_id": h.cipher,
            "complete": true,
        }),
        None => json!({ "complete": false }),
    }
}

/// The `"tls"` object: every record's type, version and length, the
/// handshake messages by name, and the hellos' fields.
fn to_json(p: &Payload<'_>) -> Value {
    let mut joined = Vec::new();
    let (records, complete, partial) = records(p, &mut joined);
    let mut o = Map::new();
    let mut list = Vec::new();
    let mut handshake = Vec::new();
    for r in &records {
        list.push(json!({
            "type": names::snake(names::content_type(r.ty).unwrap_or("Unknown")),
            "version": names::version_long(r.version),
            "length": r.len,
        }));
        for m in &r.messages {
            let name: &str = match m {
                Message::Client { hello, whole } => {
                    o.insert(
                        "client_hello".into(),
                        client_hello_json(hello, *whole, Transport::Tcp),
                    );
                    "ClientHello"
                }
                Message::Server(h) => {
                    o.insert("server_hello".into(), server_hello_json(h.as_ref()));
                    "ServerHello"
                }
                Message::Other(ty) => names::handshake_type(*ty).unwrap_or("Unknown"),
                Message::Encrypted => "Encrypted",
            };
            handshake.push(json!(names::snake(name)));
        }
    }
    o.insert("records".into(), Value::Array(list));
    o.insert("handshake".into(), Value::Array(handshake));
    // The last message of `handshake` goes on past the payload: it is
    // decoded whole on the packet that completes it.
    if let Some(ty) = partial {
        let name = names::handshake_type(ty).unwrap_or("Unknown");
        o.insert("partial_handshake".into(), json!(names::snake(name)));
    }
    o.insert("complete".into(), json!(complete));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::hello::tests::client_hello;
    use super::*;

    fn record(ty: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![ty, 3, 1];
        r.extend((body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    fn handshake(ty: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![ty];
        m.extend(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    }

    fn app(m: &[u8], declared: usize) -> String {
        let mut w = Vec::new();
        let p = Payload {
            bytes: m,
            declared_len: declared,
        };
        app_line(&mut w, &p).unwrap();
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn test_client_hello_line_and_json() {
        let body = client_hello(
            &[0x1301, 0x1302],
            Some("example.com"),
            &["h2", "http/1.1"],
            &[0x0304, 0x0303],
            &[0x0403],
            &[],
        );
        let seg = record(22, &handshake(1, &body));
        assert!(starts_record(&seg));
        let line = app(&seg, seg.len());
        assert!(
            line.starts_with(
                " [TLS ClientHello sni=example.com alpn=h2,http/1.1 versions=1.3,1.2 ciphers=2 ja4=t13d0204h2_"
            ),
            "{line}"
        );
        let j = to_json(&Payload::whole(&seg));
        assert_eq!(j["client_hello"]["sni"], "example.com");
        assert_eq!(j["client_hello"]["complete"], true);
        assert_eq!(j["records"][0]["type"], "handshake");
        assert_eq!(j["complete"], true);
        // The first 80 bytes only: partial, no JA4, but the name is there.
        let line = app(&seg[..80], seg.len());
        assert_eq!(line, " [TLS ClientHello partial sni=example.com ciphers=2]");
    }

    #[test]
    fn test_repeated_records_and_encrypted_handshake() {
        let mut seg = record(20, &[1]);
        seg.extend(record(22, &[0xde; 40]));
        seg.extend(record(23, &[0; 30]));
        seg.extend(record(23, &[0; 30]));
        assert_eq!(
            app(&seg, seg.len()),
            " [TLS ChangeCipherSpec, EncryptedHandshake, ApplicationData x2]"
        );
    }

    #[test]
    fn test_not_a_record() {
        assert!(!starts_record(b"GET / HTTP/1.1\r\n"));
        assert!(!starts_record(&[22, 3, 1, 0]));
        assert!(!starts_record(&[22, 3, 5, 0, 1]));
        assert!(!starts_record(&[22, 3, 3, 0, 0]));
        assert_eq!(app(b"", 0), "");
    }
}
