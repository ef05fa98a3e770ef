//! The two handshake messages sockscope reads field by field: ClientHello
//! (server name, ALPN list, offered versions, cipher suites, extension and
//! signature-algorithm lists, as JA4 needs them) and ServerHello (the
//! version and cipher the server chose). RFC 8446 §4.1.2–4.1.3 and §4.2.
//!
//! Both are read the same way over TCP and inside QUIC's CRYPTO frames. A
//! message cut short (the rest is in the next segment or datagram) is read
//! as far as its bytes go: what was read stands, and the reader returns
//! [`Truncated`] so the caller marks it partial. Every length is checked
//! against the bytes, and every list is bounded by them.

use super::super::Truncated;
use super::super::wire::{Res, u8_at, u16_at};

/// Extension numbers read here (IANA's TLS ExtensionType registry).
const SERVER_NAME: u16 = 0x0000;
const SIGNATURE_ALGORITHMS: u16 = 0x000d;
const ALPN: u16 = 0x0010;
const SUPPORTED_VERSIONS: u16 = 0x002b;

/// What a ClientHello offers, as far as its bytes went.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClientHello<'a> {
    /// `legacy_version` (0x0303 for every TLS 1.2 and 1.3 client).
    pub legacy_version: u16,
    /// Cipher suites in the order offered, GREASE values included.
    pub ciphers: Vec<u16>,
    /// Extension types in the order sent, GREASE included.
    pub extensions: Vec<u16>,
    /// The first host name of the server_name extension.
    pub sni: Option<&'a [u8]>,
    /// The ALPN protocol names in order.
    pub alpn: Vec<&'a [u8]>,
    /// supported_versions, in order, GREASE included.
    pub versions: Vec<u16>,
    /// signature_algorithms, in order.
    pub sig_algs: Vec<u16>,
}

/// What a ServerHello chose.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ServerHello {
    pub legacy_version: u16,
    pub cipher: u16,
    /// supported_versions' one value (TLS 1.3 and later).
    pub selected_version: Option<u16>,
}

impl ServerHello {
    /// The version in force: supported_versions' when present.
    pub fn version(&self) -> u16 {
        self.selected_version.unwrap_or(self.legacy_version)
    }
}

/// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, … 0xfafa.
pub fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// `values` without their GREASE values, in order.
pub fn without_grease(values: &[u16]) -> Vec<u16> {
    values.iter().copied().filter(|&v| !is_grease(v)).collect()
}

/// A cursor over a message: every read checks the bytes are there.
struct Reader<'a> {
    m: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Res<u8> {
        let v = u8_at(self.m, self.at)?;
        self.at += 1;
        Ok(v)
    }
    fn u16(&mut self) -> Res<u16> {
        let v = u16_at(self.m, self.at)?;
        self.at += 2;
        Ok(v)
    }
    fn skip(&mut self, n: usize) -> Res<()> {
        self.take(n).map(|_| ())
    }
    /// The next `n` bytes, or `Truncated` (the position still moves to the
    /// end so that a later read also fails).
    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.at.saturating_add(n);
        let got = self.m.get(self.at..end);
        self.at = end;
        got.ok_or(Truncated)
    }
    /// The bytes a length prefix announces, or as many of them as there are
    /// (with `false`: the list is cut).
    fn vector(&mut self, len: usize) -> (&'a [u8], bool) {
        let start = self.at.min(self.m.len());
        let end = self.at.saturating_add(len);
        self.at = end;
        match self.m.get(start..end) {
            Some(v) => (v, true),
            None => (self.m.get(start..).unwrap_or(&[]), false),
        }
    }
}

/// The big-endian u16s of `bytes` (an odd last byte is ignored).
fn u16s(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .chunks_exact(2)
        .filter_map(|p| <[u8; 2]>::try_from(p).ok())
        .map(u16::from_be_bytes)
}

/// Read a ClientHello body (after the 4-byte handshake header) into `h`;
/// `Err` when the body stops early (what was read stays in `h`).
pub fn read_client_hello<'a>(body: &'a [u8], h: &mut ClientHello<'a>) -> Res<()> {
    let mut r = Reader { m: body, at: 0 };
    h.legacy_version = r.u16()?;
    r.skip(32)?; // random
    let sid = usize::from(r.u8()?);
    r.skip(sid)?;
    let n = usize::from(r.u16()?);
    let (suites, whole) = r.vector(n);
    h.ciphers.extend(u16s(suites));
    if !whole {
        return Err(Truncated);
    }
    let n = usize::from(r.u8()?);
    r.skip(n)?; // compression methods
    if r.at == body.len() {
        // No extensions at all (SSL 3.0 style): a complete message.
        return Ok(());
    }
    let n = usize::from(r.u16()?);
    let (exts, whole) = r.vector(n);
    let read = read_extensions(exts, |ty, data| {
        h.extensions.push(ty);
        client_extension(h, ty, data)
    });
    if whole { read } else { Err(Truncated) }
}

/// Each `type, length, data` of an extension block handed to `each`;
/// `Err` at the first that is cut short (a type whose length is cut is
/// still handed over, with no data, so that it counts).
fn read_extensions<'a>(exts: &'a [u8], mut each: impl FnMut(u16, &'a [u8]) -> Res<()>) -> Res<()> {
    let mut r = Reader { m: exts, at: 0 };
    while r.at < exts.len() {
        let ty = r.u16()?;
        let len = match r.u16() {
            Ok(len) => usize::from(len),
            Err(e) => {
                let _ = each(ty, &[]);
                return Err(e);
            }
        };
        let (data, whole) = r.vector(len);
        let read = each(ty, data);
        if !whole {
            return Err(Truncated);
        }
        read?;
    }
    Ok(())
}

fn client_extension<'a>(h: &mut ClientHello<'a>, ty: u16, data: &'a [u8]) -> Res<()> {
    let mut r = Reader { m: data, at: 0 };
    match ty {
        SERVER_NAME => {
            let n = usize::from(r.u16()?);
            let (list, _) = r.vector(n);
            let mut l = Reader { m: list, at: 0 };
            while l.at < list.len() {
                let kind = l.u8()?;
                let len = usize::from(l.u16()?);
                let name = l.take(len)?;
                if kind == 0 && h.sni.is_none() {
                    h.sni = Some(name);
                }
            }
        }
        ALPN => {
            let n = usize::from(r.u16()?);
            let (list, _) = r.vector(n);
            let mut l = Reader { m: list, at: 0 };
            while l.at < list.len() {
                let len = usize::from(l.u8()?);
                h.alpn.push(l.take(len)?);
            }
        }
        SUPPORTED_VERSIONS => {
            let n = usize::from(r.u8()?);
            let (list, _) = r.vector(n);
            h.versions.extend(u16s(list));
        }
        SIGNATURE_ALGORITHMS => {
            let n = usize::from(r.u16()?);
            let (list, _) = r.vector(n);
            h.sig_algs.extend(u16s(list));
        }
        _ => {}
    }
    Ok(())
}

/// Read a ServerHello body; `Err` when it stops before the cipher (the
/// version and cipher are then not known) or inside its extensions.
pub fn read_server_hello(body: &[u8]) -> Result<ServerHello, Truncated> {
    let mut r = Reader { m: body, at: 0 };
    let mut h = ServerHello {
        legacy_version: r.u16()?,
        ..ServerHello::default()
    };
    r.skip(32)?;
    let sid = usize::from(r.u8()?);
    r.skip(sid)?;
    h.cipher = r.u16()?;
    r.skip(1)?; // compression method
    if r.at >= body.len() {
        return Ok(h);
    }
    let n = usize::from(r.u16()?);
    let (exts, _) = r.vector(n);
    // A cut extension block still gives the cipher and version read.
    let _ = read_extensions(exts, |ty, data| {
        if ty == SUPPORTED_VERSIONS {
            h.selected_version = Some(u16_at(data, 0)?);
        }
        Ok(())
    });
    Ok(h)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ClientHello body with these parts (the test's own builder).
    pub(crate) fn client_hello(
        ciphers: &[u16],
        sni: Option<&str>,
        alpn: &[&str],
        versions: &[u16],
        sig_algs: &[u16],
        extra: &[u16],
    ) -> Vec<u8> {
        let mut b = vec![0x03, 0x03];
        b.extend([0x11; 32]);
        b.push(0);
        b.extend(((ciphers.len() * 2) as u16).to_be_bytes());
        ciphers.iter().for_each(|c| b.extend(c.to_be_bytes()));
        b.extend([1, 0]);
        let mut exts = Vec::new();
        let mut ext = |ty: u16, data: &[u8]| {
            exts.extend(ty.to_be_bytes());
            exts.extend((data.len() as u16).to_be_bytes());
            exts.extend_from_slice(data);
        };
        if let Some(name) = sni {
            let mut d = ((name.len() + 3) as u16).to_be_bytes().to_vec();
            d.push(0);
            d.extend((name.len() as u16).to_be_bytes());
            d.extend(name.as_bytes());
            ext(SERVER_NAME, &d);
        }
        if !alpn.is_empty() {
            let list: Vec<u8> = alpn
                .iter()
                .flat_map(|p| std::iter::once(p.len() as u8).chain(p.bytes()))
                .collect();
            let mut d = (list.len() as u16).to_be_bytes().to_vec();
            d.extend(list);
            ext(ALPN, &d);
        }
        if !versions.is_empty() {
            let mut d = vec![(versions.len() * 2) as u8];
            versions.iter().for_each(|v| d.extend(v.to_be_bytes()));
            ext(SUPPORTED_VERSIONS, &d);
        }
        if !sig_algs.is_empty() {
            let mut d = ((sig_algs.len() * 2) as u16).to_be_bytes().to_vec();
            sig_algs.iter().for_each(|v| d.extend(v.to_be_bytes()));
            ext(SIGNATURE_ALGORITHMS, &d);
        }
        for &ty in extra {
            ext(ty, &[]);
        }
        b.extend((exts.len() as u16).to_be_bytes());
        b.extend(exts);
        b
    }

    #[test]
    fn test_client_hello_fields() {
        let body = client_hello(
            &[0x1a1a, 0x1301, 0xc02f],
            Some("example.com"),
            &["h2", "http/1.1"],
            &[0x2a2a, 0x0304, 0x0303],
            &[0x0403, 0x0804],
            &[0x0017],
        );
        let mut h = ClientHello::default();
        assert_eq!(read_client_hello(&body, &mut h), Ok(()));
        assert_eq!(h.legacy_version, 0x0303);
        assert_eq!(h.ciphers, [0x1a1a, 0x1301, 0xc02f]);
        assert_eq!(h.sni, Some(&b"example.com"[..]));
        assert_eq!(h.alpn, [&b"h2"[..], b"http/1.1"]);
        assert_eq!(h.versions, [0x2a2a, 0x0304, 0x0303]);
        assert_eq!(h.sig_algs, [0x0403, 0x0804]);
        assert_eq!(h.extensions, [0x0000, 0x0010, 0x002b, 0x000d, 0x0017]);
    }

    #[test]
    fn test_truncated_client_hello_keeps_what_was_read() {
        let body = client_hello(&[0x1301], Some("a.example"), &["h2"], &[0x0304], &[], &[]);
        // Where the extensions start, a body without them is complete.
        let no_extensions = 2 + 32 + 1 + 2 + 2 + 2;
        for cut in (0..body.len()).filter(|&c| c != no_extensions) {
            let mut h = ClientHello::default();
            assert_eq!(
                read_client_hello(&body[..cut], &mut h),
                Err(Truncated),
                "{cut}"
            );
        }
        // Cut inside the ALPN extension: the server name is already known.
        let mut h = ClientHello::default();
        let _ = read_client_hello(&body[..body.len() - 8], &mut h);
        assert_eq!(h.sni, Some(&b"a.example"[..]));
    }

    #[test]
    fn test_grease() {
        assert!(is_grease(0x0a0a) && is_grease(0xfafa) && is_grease(0x3a3a));
        assert!(!is_grease(0x0a1a) && !is_grease(0x1301) && !is_grease(0x0304));
    }

    #[test]
    fn test_server_hello() {
        let mut b = vec![0x03, 0x03];
        b.extend([0x22; 32]);
        b.push(0);
        b.extend([0x13, 0x02, 0x00]);
        b.extend([0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]);
        let h = read_server_hello(&b).unwrap();
        assert_eq!((h.version(), h.cipher), (0x0304, 0x1302));
        assert_eq!(read_server_hello(&b[..34]), Err(Truncated));
    }
}
