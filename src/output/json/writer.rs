//! A JSON object writer straight into a byte buffer, for the per-packet
//! `--json` path: building a `serde_json::Value` tree per packet (a
//! B-tree map per layer, a `String` per key and value) cost twelve times
//! the plain line. The callers write keys in sorted order, which is the
//! order `serde_json`'s map gave them, so the bytes stay the same; strings
//! go through `serde_json`'s own escaper so they are escaped identically.
//! Member names given to [`Obj`]'s methods are `&'static str`, text of the
//! program and never of a packet, so they are copied without the escaper's
//! scan and with a copy whose length is known when compiling; a spliced
//! member's name (a dissector's key, taken as any `&str`) still goes
//! through the escaper.

use crate::output::fmt::{put_ipv4, put_uint};
use std::net::Ipv4Addr;

/// One JSON object being written into `buf`: `{` on creation, `}` on
/// [`Obj::close`]. Keys must come in ascending byte order (the callers'
/// job); `splice` is one more member, known only at run time (a
/// dissector's key), that is put where its key sorts.
pub struct Obj<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
    splice: Option<(&'a str, &'a [u8])>,
}

impl<'a> Obj<'a> {
    pub fn open(buf: &'a mut Vec<u8>) -> Self {
        buf.push(b'{');
        Obj {
            buf,
            first: true,
            splice: None,
        }
    }

    /// Put `key: value` (already-serialised JSON) in sorted place among
    /// the members written after this call.
    pub fn splice(&mut self, key: &'a str, value: &'a [u8]) {
        self.splice = Some((key, value));
    }

    // Inlined into every caller, so that the key's length is a constant
    // there and its copy a few stores rather than a `memcpy` call.
    #[inline(always)]
    fn key(&mut self, key: &'static str) {
        if self.splice.is_some() {
            self.splice_before(key);
        }
        // The program's own names need no escaping; the debug builds (all
        // the goldens) check that none ever does.
        debug_assert!(plain(key), "key {key:?} needs escaping");
        self.comma();
        self.buf.reserve(key.len() + 3);
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    /// The spliced member, if its key sorts before `key`.
    #[inline(never)]
    fn splice_before(&mut self, key: &str) {
        if let Some((k, v)) = self.splice
            && k < key
        {
            self.splice = None;
            self.escaped_key(k);
            self.buf.extend_from_slice(v);
        }
    }

    /// A name that is not the program's own text: escaped.
    fn escaped_key(&mut self, key: &str) {
        self.comma();
        string(self.buf, key);
        self.buf.push(b':');
    }

    #[inline]
    fn comma(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    #[inline(always)]
    pub fn uint(&mut self, key: &'static str, v: impl Into<u64>) {
        self.key(key);
        uint(self.buf, v.into());
    }

    #[inline(always)]
    pub fn usize(&mut self, key: &'static str, v: usize) {
        self.uint(key, v as u64);
    }

    #[inline(always)]
    pub fn bool(&mut self, key: &'static str, v: bool) {
        self.key(key);
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// A string, escaped as `serde_json` escapes it.
    #[inline(always)]
    pub fn str(&mut self, key: &'static str, v: &str) {
        self.key(key);
        string(self.buf, v);
    }

    /// A dotted-quad address as a string (no escaping needed).
    #[inline(always)]
    pub fn ipv4(&mut self, key: &'static str, a: Ipv4Addr) {
        self.key(key);
        self.buf.push(b'"');
        put_ipv4(self.buf, &a);
        self.buf.push(b'"');
    }

    /// A hardware address as a string.
    #[inline(always)]
    pub fn mac(&mut self, key: &'static str, bytes: &[u8]) {
        self.key(key);
        self.buf.push(b'"');
        mac(self.buf, bytes);
        self.buf.push(b'"');
    }

    /// A value whose `Display` never needs escaping (addresses).
    #[inline(always)]
    pub fn display(&mut self, key: &'static str, v: impl std::fmt::Display) {
        use std::io::Write;
        self.key(key);
        self.buf.push(b'"');
        // Writing into a Vec cannot fail.
        let _ = write!(self.buf, "{v}");
        self.buf.push(b'"');
    }

    #[inline(always)]
    pub fn null(&mut self, key: &'static str) {
        self.key(key);
        self.buf.extend_from_slice(b"null");
    }

    /// Raw JSON under `key`, written by `f` (which must write one value).
    #[inline(always)]
    pub fn raw(&mut self, key: &'static str, f: impl FnOnce(&mut Vec<u8>)) {
        self.key(key);
        f(self.buf);
    }

    /// A nested object under `key`.
    #[inline(always)]
    pub fn object(&mut self, key: &'static str) -> Obj<'_> {
        self.key(key);
        Obj::open(self.buf)
    }

    /// An array under `key`; the caller writes the items with [`Arr`].
    #[inline(always)]
    pub fn array(&mut self, key: &'static str) -> Arr<'_> {
        self.key(key);
        self.buf.push(b'[');
        Arr {
            buf: self.buf,
            first: true,
        }
    }

    pub fn close(mut self) {
        if let Some((k, v)) = self.splice.take() {
            self.escaped_key(k);
            self.buf.extend_from_slice(v);
        }
        self.buf.push(b'}');
    }
}

/// One JSON array being written: `[` on creation, `]` on [`Arr::close`].
pub struct Arr<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl Arr<'_> {
    fn item(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    pub fn uint(&mut self, v: impl Into<u64>) {
        self.item();
        uint(self.buf, v.into());
    }

    pub fn str(&mut self, v: &str) {
        self.item();
        string(self.buf, v);
    }

    pub fn object(&mut self) -> Obj<'_> {
        self.item();
        Obj::open(self.buf)
    }

    pub fn array(&mut self) -> Arr<'_> {
        self.item();
        self.buf.push(b'[');
        Arr {
            buf: self.buf,
            first: true,
        }
    }

    pub fn close(self) {
        self.buf.push(b']');
    }
}

/// Decimal digits of `v`, gathered in a register (the line's
/// [`put_uint`], shared).
#[inline]
fn uint(buf: &mut Vec<u8>, v: u64) {
    put_uint(buf, v);
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

/// `aa:bb:cc:…`, as [`crate::output::fmt::Mac`] prints it.
fn mac(buf: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            buf.push(b':');
        }
        buf.push(HEX[usize::from(b >> 4)]);
        buf.push(HEX[usize::from(b & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn test_same_bytes_as_serde_json() {
        let mut b = Vec::new();
        let dissected = br#"{"q":1}"#;
        let mut o = Obj::open(&mut b);
        o.splice("dns", dissected);
        o.str("a", "quote \" tab \t nul \u{0} é \\ \u{7f}");
        o.uint("big", u64::MAX);
        let mut arr = o.array("list");
        arr.uint(1u8);
        let mut inner = arr.array();
        inner.uint(2u32);
        inner.close();
        let mut obj = arr.object();
        obj.bool("t", true);
        obj.close();
        arr.close();
        o.ipv4("v4", Ipv4Addr::new(10, 0, 255, 1));
        o.mac("x", &[0, 0x1f, 0xa0, 0xff, 0x0a]);
        o.close();
        let want = json!({
            "a": "quote \" tab \t nul \u{0} é \\ \u{7f}",
            "big": u64::MAX,
            "dns": {"q": 1},
            "list": [1, [2], {"t": true}],
            "v4": "10.0.255.1",
            "x": crate::output::fmt::Mac(&[0, 0x1f, 0xa0, 0xff, 0x0a]).to_string(),
        });
        assert_eq!(String::from_utf8(b).unwrap(), want.to_string());
    }

    #[test]
    fn test_splice_sorting_last() {
        let mut b = Vec::new();
        let mut o = Obj::open(&mut b);
        o.splice("zz", b"0");
        o.bool("a", false);
        o.close();
        assert_eq!(b, br#"{"a":false,"zz":0}"#);
        let mut b = Vec::new();
        let mut o = Obj::open(&mut b);
        o.splice("k", b"[]");
        o.close();
        assert_eq!(b, br#"{"k":[]}"#);
    }
}
