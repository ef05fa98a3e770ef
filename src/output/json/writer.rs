//! A JSON object writer straight into a byte buffer, for the per-packet
//! `--json` path: building a `serde_json::Value` tree per packet (a
//! B-tree map per layer, a `String` per key and value) cost twelve times
//! the plain line. The callers write keys in sorted order, which is the
//! order `serde_json`'s map gave them, so the bytes stay the same; strings
//! go through `serde_json`'s own escaper so they are escaped identically.
//!
//! A member name the program spells is a [`Key`] made by [`key!`] when
//! compiling: `,"name":` whole, so a member costs one copy of known length
//! and no test of whether it is the first. Every member starts with its
//! comma; [`Obj::close`] turns the first member's comma into the `{` (and
//! [`Arr::close`] the first item's into the `[`), so nothing is written on
//! opening. A spliced member's name (a dissector's key, taken as any
//! `&str`) still goes through the escaper; only the top-level object
//! (`Obj<'_, true>`) takes one, so the nested ones never test for it.

use crate::output::fmt::{block_of, put_block, put_ipv4, put_uint};
use std::net::Ipv4Addr;

/// A member name with its punctuation, `,"name":`, made by [`key!`].
#[derive(Clone, Copy, Debug)]
pub struct Key(&'static str);

impl Key {
    /// `text` (`,"name":`) as a key; a name that would need escaping (the program's
    /// own names never do) fails the build, as [`key!`] makes it in a
    /// constant.
    pub const fn new(text: &'static str) -> Key {
        let [b',', b'"', name @ .., b'"', b':'] = text.as_bytes() else {
            panic!("a key is ,\"name\":");
        };
        let mut i = 0;
        while i < name.len() {
            let c = name[i];
            assert!(
                c >= 0x20 && c != b'"' && c != b'\\',
                "the name needs escaping"
            );
            i += 1;
        }
        Key(text)
    }

    /// The name alone (to sort a spliced member among the others).
    fn name(self) -> &'static str {
        let name = self.0.strip_prefix(",\"");
        name.and_then(|n| n.strip_suffix("\":")).unwrap_or("")
    }
}

/// The [`Key`] for a member name, made when compiling.
macro_rules! key {
    ($name:literal) => {{
        const K: $crate::output::json::writer::Key =
            $crate::output::json::writer::Key::new(concat!(",\"", $name, "\":"));
        K
    }};
}
pub(crate) use key;

/// One JSON object being written into `buf`: nothing on creation (see the
/// module doc), `{…}` complete on [`Obj::close`]. Keys must come in
/// ascending byte order (the callers' job). With `SPLICE`, the top-level
/// object, [`Obj::splice`] adds a member whose key is known only at run
/// time (a dissector's key) or whose value is written apart (`inner`,
/// `tunnel`), put where its key sorts; two may wait at once (a PIM
/// Register's `pim` and its `inner` packet).
pub struct Obj<'a, const SPLICE: bool = false> {
    buf: &'a mut Vec<u8>,
    /// Where the object starts in `buf` (its first member's comma).
    start: usize,
    /// The spliced member to write next, and the one after it (keys in
    /// order).
    splice: Option<Spliced<'a>>,
    later: Option<Spliced<'a>>,
}

/// A spliced member: its key and its serialised value.
type Spliced<'a> = (&'a str, &'a [u8]);

impl<'a> Obj<'a, false> {
    pub fn open(buf: &'a mut Vec<u8>) -> Self {
        Obj {
            start: buf.len(),
            buf,
            splice: None,
            later: None,
        }
    }
}

impl<'a> Obj<'a, true> {
    /// An object that takes spliced members.
    pub fn open_top(buf: &'a mut Vec<u8>) -> Self {
        Obj {
            start: buf.len(),
            buf,
            splice: None,
            later: None,
        }
    }

    /// Put `key: value` (already-serialised JSON) in sorted place among
    /// the members written after this call. Two may wait at once; a third
    /// while two wait is written here, in whatever place that is (the
    /// packet writer never splices three).
    pub fn splice(&mut self, key: &'a str, value: &'a [u8]) {
        let member = (key, value);
        match self.splice {
            None => self.splice = Some(member),
            Some(first) => {
                debug_assert!(self.later.is_none(), "at most two spliced members wait");
                if let Some((k, v)) = self.later.take() {
                    self.escaped_key(k);
                    self.buf.extend_from_slice(v);
                }
                if key < first.0 {
                    self.splice = Some(member);
                    self.later = Some(first);
                } else {
                    self.later = Some(member);
                }
            }
        }
    }
}

impl<const SPLICE: bool> Obj<'_, SPLICE> {
    // Inlined into every caller, so that the key's copy is a store or two
    // of a constant rather than a `memcpy` call.
    #[inline(always)]
    fn key(&mut self, key: Key) {
        if SPLICE && self.splice.is_some() {
            self.splice_before(key.name());
        }
        self.buf.extend_from_slice(key.0.as_bytes());
    }

    /// The spliced members whose keys sort before `key`.
    #[inline(never)]
    fn splice_before(&mut self, key: &str) {
        while let Some((k, v)) = self.splice
            && k < key
        {
            self.splice = self.later.take();
            self.escaped_key(k);
            self.buf.extend_from_slice(v);
        }
    }

    /// A name that is not the program's own text: escaped.
    fn escaped_key(&mut self, key: &str) {
        self.buf.push(b',');
        string(self.buf, key);
        self.buf.push(b':');
    }

    #[inline(always)]
    pub fn uint(&mut self, key: Key, v: impl Into<u64>) {
        self.key(key);
        put_uint(self.buf, v.into());
    }

    #[inline(always)]
    pub fn usize(&mut self, key: Key, v: usize) {
        self.uint(key, v as u64);
    }

    // As one eight-byte block cut back (see `put_uint`): a copy of four
    // or five bytes, chosen at run time, was a `memcpy` call.
    #[inline(always)]
    pub fn bool(&mut self, key: Key, v: bool) {
        self.key(key);
        const TRUE: u64 = block_of(b"true");
        const FALSE: u64 = block_of(b"false");
        let (word, len) = if v { (TRUE, 4) } else { (FALSE, 5) };
        put_block(self.buf, word, len);
    }

    /// A string, escaped as `serde_json` escapes it.
    #[inline(always)]
    pub fn str(&mut self, key: Key, v: &str) {
        self.key(key);
        string(self.buf, v);
    }

    /// A dotted-quad address as a string (no escaping needed).
    #[inline(always)]
    pub fn ipv4(&mut self, key: Key, a: Ipv4Addr) {
        self.key(key);
        self.buf.push(b'"');
        put_ipv4(self.buf, &a);
        self.buf.push(b'"');
    }

    /// A hardware address as a string.
    #[inline(always)]
    pub fn mac(&mut self, key: Key, bytes: &[u8]) {
        self.key(key);
        mac(self.buf, bytes);
    }

    /// A value whose `Display` never needs escaping (addresses).
    #[inline(always)]
    pub fn display(&mut self, key: Key, v: impl std::fmt::Display) {
        use std::io::Write;
        self.key(key);
        self.buf.push(b'"');
        // Writing into a Vec cannot fail.
        let _ = write!(self.buf, "{v}");
        self.buf.push(b'"');
    }

    #[inline(always)]
    pub fn null(&mut self, key: Key) {
        self.key(key);
        self.buf.extend_from_slice(b"null");
    }

    /// Raw JSON under `key`, written by `f` (which must write one value).
    #[inline(always)]
    pub fn raw(&mut self, key: Key, f: impl FnOnce(&mut Vec<u8>)) {
        self.key(key);
        f(self.buf);
    }

    /// A nested object under `key`.
    #[inline(always)]
    pub fn object(&mut self, key: Key) -> Obj<'_> {
        self.key(key);
        Obj::open(self.buf)
    }

    /// An array under `key`; the caller writes the items with [`Arr`].
    #[inline(always)]
    pub fn array(&mut self, key: Key) -> Arr<'_> {
        self.key(key);
        Arr::open(self.buf)
    }

    // Inlined, so that a nested object (no splices: `SPLICE` false) closes
    // with the two bytes alone.
    #[inline(always)]
    pub fn close(mut self) {
        if SPLICE {
            self.close_splices();
        }
        enclose(self.buf, self.start, [b'{', b'}']);
    }

    /// The spliced members still waiting (their keys sort last).
    #[inline(never)]
    fn close_splices(&mut self) {
        for (k, v) in [self.splice.take(), self.later.take()]
            .into_iter()
            .flatten()
        {
            self.escaped_key(k);
            self.buf.extend_from_slice(v);
        }
    }
}

/// Close the object or array that starts at `start` in `buf`: its first
/// member's comma becomes the opening bracket (an empty one gets its own),
/// and the closing one follows.
#[inline]
fn enclose(buf: &mut Vec<u8>, start: usize, [open, close]: [u8; 2]) {
    match buf.get_mut(start) {
        Some(first_comma) => *first_comma = open,
        None => buf.push(open),
    }
    buf.push(close);
}

/// One JSON array being written: nothing on creation, `[…]` complete on
/// [`Arr::close`] (see the module doc).
pub struct Arr<'a> {
    buf: &'a mut Vec<u8>,
    start: usize,
}

impl<'a> Arr<'a> {
    fn open(buf: &'a mut Vec<u8>) -> Self {
        Arr {
            start: buf.len(),
            buf,
        }
    }

    pub fn uint(&mut self, v: impl Into<u64>) {
        self.buf.push(b',');
        put_uint(self.buf, v.into());
    }

    pub fn str(&mut self, v: &str) {
        self.buf.push(b',');
        string(self.buf, v);
    }

    pub fn object(&mut self) -> Obj<'_> {
        self.buf.push(b',');
        Obj::open(self.buf)
    }

    pub fn array(&mut self) -> Arr<'_> {
        self.buf.push(b',');
        Arr::open(self.buf)
    }

    pub fn close(self) {
        enclose(self.buf, self.start, [b'[', b']']);
    }
}

/// Whether `v` goes into a JSON string as it is.
#[inline]
fn plain(v: &str) -> bool {
    v.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

// Inlined so that a value the program spells out (`"ts"`, `"request"`)
// is checked when compiling, not scanned for every packet.
#[inline]
fn string(buf: &mut Vec<u8>, v: &str) {
    // Names and marks almost never need escaping: copy those whole.
    if plain(v) {
        buf.reserve(v.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(v.as_bytes());
        buf.push(b'"');
        return;
    }
    // serde_json's own escaping; writing into a Vec cannot fail.
    let _ = serde_json::to_writer(buf, v);
}

/// `"aa:bb:cc:…"` (quoted), as [`crate::output::fmt::Mac`] prints it; an
/// Ethernet address is put together on the stack and copied once.
fn mac(buf: &mut Vec<u8>, bytes: &[u8]) {
    if let Ok(six) = <&[u8; 6]>::try_from(bytes) {
        let mut text = *b"\"00:00:00:00:00:00\"";
        for (b, at) in six.iter().zip(text.chunks_exact_mut(3)) {
            if let [_, hi, lo] = at {
                [*hi, *lo] = HEX_PAIRS[usize::from(*b)];
            }
        }
        buf.extend_from_slice(&text);
        return;
    }
    buf.push(b'"');
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            buf.push(b':');
        }
        buf.extend_from_slice(&HEX_PAIRS[usize::from(*b)]);
    }
    buf.push(b'"');
}

/// Every byte's two lower-case hex digits, worked out when compiling: one
/// load a byte instead of two nibbles' shifts, masks and loads.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [HEX[b >> 4], HEX[b & 0xf]];
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn test_same_bytes_as_serde_json() {
        let mut b = Vec::new();
        let dissected = br#"{"q":1}"#;
        let mut o = Obj::open_top(&mut b);
        o.splice("dns", dissected);
        o.str(key!("a"), "quote \" tab \t nul \u{0} é \\ \u{7f}");
        o.uint(key!("big"), u64::MAX);
        let mut arr = o.array(key!("list"));
        arr.uint(1u8);
        let mut inner = arr.array();
        inner.uint(2u32);
        inner.close();
        let mut obj = arr.object();
        obj.bool(key!("t"), true);
        obj.close();
        arr.close();
        o.ipv4(key!("v4"), Ipv4Addr::new(10, 0, 255, 1));
        o.mac(key!("x"), &[0, 0x1f, 0xa0, 0xff, 0x0a]);
        o.mac(key!("y"), &[0x9b, 0x1f, 0xa0, 0xff, 0x0a, 0xe7]);
        o.close();
        let want = json!({
            "a": "quote \" tab \t nul \u{0} é \\ \u{7f}",
            "big": u64::MAX,
            "dns": {"q": 1},
            "list": [1, [2], {"t": true}],
            "v4": "10.0.255.1",
            "x": crate::output::fmt::Mac(&[0, 0x1f, 0xa0, 0xff, 0x0a]).to_string(),
            "y": crate::output::fmt::Mac(&[0x9b, 0x1f, 0xa0, 0xff, 0x0a, 0xe7]).to_string(),
        });
        assert_eq!(String::from_utf8(b).unwrap(), want.to_string());
    }

    #[test]
    fn test_splice_sorting_last() {
        let mut b = Vec::new();
        let mut o = Obj::open_top(&mut b);
        o.splice("zz", b"0");
        o.bool(key!("a"), false);
        o.close();
        assert_eq!(b, br#"{"a":false,"zz":0}"#);
        let mut b = Vec::new();
        let mut o = Obj::open_top(&mut b);
        o.splice("k", b"[]");
        o.close();
        assert_eq!(b, br#"{"k":[]}"#);
    }

    #[test]
    fn test_two_splices_wait_in_key_order() {
        // Spliced in either order, each goes where its key sorts.
        for (first, second) in [
            (("pim", b"1"), ("inner", b"2")),
            (("inner", b"2"), ("pim", b"1")),
        ] {
            let mut b = Vec::new();
            let mut o = Obj::open_top(&mut b);
            o.bool(key!("a"), true);
            o.splice(first.0, first.1);
            o.splice(second.0, second.1);
            o.bool(key!("ip"), false);
            o.bool(key!("z"), false);
            o.close();
            assert_eq!(b, br#"{"a":true,"inner":2,"ip":false,"pim":1,"z":false}"#);
        }
        // Both after the last member.
        let mut b = Vec::new();
        let mut o = Obj::open_top(&mut b);
        o.splice("y", b"1");
        o.splice("x", b"2");
        o.close();
        assert_eq!(b, br#"{"x":2,"y":1}"#);
    }
}
