//! Opening a QUIC version 1 Initial packet (RFC 9001 §5): its keys come
//! from public values only — the client's Destination Connection ID and
//! the version's salt (§5.2) through HKDF-SHA256 — so a passive observer
//! can read the ClientHello in the first datagram, as tshark does. Header
//! protection (§5.4.3) is AES-128 in ECB mode over a 16-byte sample of the
//! ciphertext; the payload is AES-128-GCM with the packet number folded
//! into the IV (§5.3).
//!
//! A packet the client keys do not open (a server's Initial, whose keys
//! come from a Connection ID the server's packet does not carry; a
//! client's after a Retry; a damaged one) is reported as not decrypted.
//! The crates are RustCrypto's `hkdf`, `sha2`, `aes` and `aes-gcm`.

use aes::Aes128;
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};
use aes_gcm::aead::AeadInOut;
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

/// RFC 9001 §5.2's `initial_salt` for QUIC version 1.
const SALT_V1: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad,
    0xcc, 0xbb, 0x7f, 0x0a,
];

/// The three values packet protection needs for one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keys {
    pub key: [u8; 16],
    pub iv: [u8; 12],
    pub hp: [u8; 16],
}

/// TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.
fn expand_label(prk: &Hkdf<Sha256>, label: &[u8], out: &mut [u8]) -> Option<()> {
    let len = u16::try_from(out.len()).ok()?;
    let full = 6 + label.len();
    let mut info = Vec::with_capacity(4 + full);
    info.extend_from_slice(&len.to_be_bytes());
    info.push(u8::try_from(full).ok()?);
    info.extend_from_slice(b"tls13 ");
    info.extend_from_slice(label);
    info.push(0);
    prk.expand(&info, out).ok()
}

/// The secret of one side (`client in` / `server in`) for a DCID.
fn initial_secret(dcid: &[u8], side: &[u8]) -> Option<[u8; 32]> {
    let initial = Hkdf::<Sha256>::new(Some(&SALT_V1), dcid);
    let mut secret = [0u8; 32];
    expand_label(&initial, side, &mut secret)?;
    Some(secret)
}

fn keys_from_secret(secret: &[u8; 32]) -> Option<Keys> {
    let prk = Hkdf::<Sha256>::from_prk(secret).ok()?;
    let mut k = Keys {
        key: [0; 16],
        iv: [0; 12],
        hp: [0; 16],
    };
    expand_label(&prk, b"quic key", &mut k.key)?;
    expand_label(&prk, b"quic iv", &mut k.iv)?;
    expand_label(&prk, b"quic hp", &mut k.hp)?;
    Some(k)
}

/// The client's Initial keys for the Destination Connection ID it chose.
pub fn client_keys(dcid: &[u8]) -> Option<Keys> {
    keys_from_secret(&initial_secret(dcid, b"client in")?)
}

/// The server's Initial keys for the same DCID (for the tests: a server's
/// packet does not carry that DCID, so sockscope cannot use them).
#[cfg(test)]
fn server_keys(dcid: &[u8]) -> Option<Keys> {
    keys_from_secret(&initial_secret(dcid, b"server in")?)
}

/// A long-header packet opened: its packet number and plaintext frames.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub packet_number: u32,
    pub payload: Vec<u8>,
}

/// Remove header protection and decrypt. `packet`: the whole packet (its
/// header and the `Length` bytes after the packet number offset);
/// `pn_offset`: where the packet number starts. `None` when the bytes are
/// too short or the keys do not authenticate them.
pub fn open(keys: &Keys, packet: &[u8], pn_offset: usize) -> Option<Opened> {
    let sample: [u8; 16] = packet.get(pn_offset + 4..pn_offset + 20)?.try_into().ok()?;
    let mut mask = Array::from(sample);
    Aes128::new(&Array::from(keys.hp)).encrypt_block(&mut mask);
    let first = packet.first()? ^ (mask.first()? & 0x0f);
    let pn_len = usize::from(first & 0x03) + 1;
    let mut header = packet.get(..pn_offset + pn_len)?.to_vec();
    *header.first_mut()? = first;
    let mut pn = 0u32;
    for (i, byte) in header.get_mut(pn_offset..)?.iter_mut().enumerate() {
        *byte ^= mask.get(1 + i)?;
        pn = pn << 8 | u32::from(*byte);
    }
    let body = packet.get(pn_offset + pn_len..)?;
    let split = body.len().checked_sub(16)?;
    let (ciphertext, tag) = body.split_at(split);
    let mut nonce = keys.iv;
    for (n, p) in nonce.iter_mut().rev().zip(pn.to_be_bytes().iter().rev()) {
        *n ^= p;
    }
    let mut payload = ciphertext.to_vec();
    let tag: [u8; 16] = tag.try_into().ok()?;
    Aes128Gcm::new(&Array::from(keys.key))
        .decrypt_inout_detached(
            &Nonce::from(nonce),
            &header,
            payload.as_mut_slice().into(),
            &Array::from(tag),
        )
        .ok()?;
    Some(Opened {
        packet_number: pn,
        payload,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9001 Appendix A.1: both sides' secrets and keys for DCID
    /// 0x8394c8f03e515708.
    #[test]
    fn test_rfc9001_a1_keys() {
        let dcid = hex("8394c8f03e515708");
        for (side, secret, keys, [key, iv, hp]) in [
            (
                &b"client in"[..],
                "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
                client_keys(&dcid),
                [
                    "1f369613dd76d5467730efcbe3b1a22d",
                    "fa044b2f42a3fd3b46fb255c",
                    "9f50449e04a0e810283a1e9933adedd2",
                ],
            ),
            (
                b"server in",
                "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b",
                server_keys(&dcid),
                [
                    "cf3a5331653c364c88f0f379b6067e37",
                    "0ac1493ca1905853b0bba03e",
                    "c206b8d9b9f0f37644430b490eeaa314",
                ],
            ),
        ] {
            assert_eq!(initial_secret(&dcid, side).unwrap().to_vec(), hex(secret));
            let k = keys.unwrap();
            assert_eq!(
                [k.key.to_vec(), k.iv.to_vec(), k.hp.to_vec()],
                [hex(key), hex(iv), hex(hp)]
            );
        }
    }

    /// RFC 9001 Appendix A.3: the server's Initial, opened with the
    /// server keys (header protection, nonce and tag all checked).
    #[test]
    fn test_rfc9001_a3_server_initial_opens() {
        let packet = hex(
            "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a
             5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3
             dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84
             022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4
             2158407dd074ee",
        );
        let keys = server_keys(&hex("8394c8f03e515708")).unwrap();
        // 1 + 4 + 1 + 0 + 1 + 8 + token length 0 (1) + Length (2).
        let opened = open(&keys, &packet, 18).unwrap();
        assert_eq!(opened.packet_number, 1);
        assert_eq!(
            opened.payload,
            hex(
                "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739
                 88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94
                 0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00
                 020304"
            )
        );
        // The client keys do not open it; a flipped bit does not either.
        assert!(open(&client_keys(&hex("8394c8f03e515708")).unwrap(), &packet, 18).is_none());
        let mut bad = packet.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert!(open(&keys, &bad, 18).is_none());
        assert!(open(&keys, &packet[..30], 18).is_none());
    }
}
