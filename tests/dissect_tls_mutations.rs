//! Never panic, never loop on damaged TLS or QUIC: the segments of a real
//! `openssl s_client` ↔ `s_server` exchange (TLS 1.3 and 1.2, recorded
//! into `tests/support/tls_segments.hex`), and RFC 9001 Appendix A's
//! client Initial, damaged `mutation_rounds()` times each (a million in a
//! release build), go through the `--app` text and the JSON. The QUIC
//! damage is done twice: to the datagram as sent (its header; most
//! damage then fails authentication) and to the decrypted frames, sealed
//! again with the Initial keys so that the frame and ClientHello readers
//! behind the decryption get the damage. Messages cut over several
//! packets are damaged too, through the reassembly of `flow::pdu`, whose
//! limits must hold throughout.

mod support;

use aes::Aes128;
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};
use aes_gcm::Aes128Gcm;
use aes_gcm::aead::AeadInOut;
use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::dissect::quic::initial::{Keys, client_keys, open};
use sockscope::dissect::{self, Heuristic, Payload};
use sockscope::flow::pdu::{PduLimits, Pdus};
use sockscope::flow::{FlowPacket, Proto};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use support::alloc_meter::{Flat, Meter, RETAINED_SLACK};
use support::cpu_clock::{CpuStopwatch, assert_fast};
use support::dns_captures::{mutate, rng};
use support::flows::tcp_packet;
use support::rng::{damaged_segments, mutation_rounds};
use support::tls_captures::{tls_seeds, unhex};

/// Every fifth message declared longer than its bytes (the capture cut
/// it), every fifth shorter (bytes past the carrier's length).
fn cut_or_long(m: &[u8], round: usize) -> Payload<'_> {
    let declared_len = [m.len() + 100, m.len().saturating_sub(7)]
        .get(round % 5)
        .copied()
        .unwrap_or(m.len());
    Payload {
        bytes: m,
        declared_len,
    }
}

/// Each damaged message through `h`'s `--app` text and JSON (with the
/// declared length sometimes longer or shorter than the bytes): the
/// slowest message and the longest text.
fn damage(h: &Heuristic, seeds: &[Vec<u8>], seed: u64, mut fill: impl FnMut(&[u8]) -> Vec<u8>) {
    let mut r = rng(seed);
    let (mut slowest, mut longest) = (Duration::ZERO, 0usize);
    let mut memory = Flat::new();
    let rounds = mutation_rounds();
    for round in 0..rounds {
        let m = fill(&mutate(&mut r, &seeds[round % seeds.len()]));
        let p = cut_or_long(&m, round);
        let t = CpuStopwatch::start();
        let meter = Meter::start();
        let text = {
            let mut w = Vec::new();
            if (h.dissector.recognise)(&m) {
                h.write_app(&mut w, &p);
            }
            assert!((h.dissector.json)(&p).is_object());
            w.len()
        };
        memory.record(&meter, &m, text);
        slowest = slowest.max(t.elapsed());
        longest = longest.max(text);
        // The text is bounded by the message: names and lists come from it.
        assert!(text <= 200 + 4 * m.len(), "{text} bytes of text");
    }
    eprintln!(
        "{}: {rounds} damaged messages, slowest {slowest:?}, longest text {longest} bytes; {}",
        h.dissector.json_key,
        memory.summary()
    );
    assert_fast(slowest, "message");
}

#[test]
fn damaged_tls_segments_never_panic_or_loop() {
    let seeds = tls_seeds();
    let tls = dissect::tcp_heuristic(&seeds[0]).expect("a ClientHello is TLS");
    assert_eq!(tls.dissector.service, "ssl");
    damage(tls, &seeds, 0x7150_0bad_0000_0001, |m| m.to_vec());
}

const DCID: [u8; 8] = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];

fn rfc9001_initial() -> Vec<u8> {
    let hex: String = include_str!("../src/dissect/quic/rfc9001_a2_client_initial.hex")
        .split_whitespace()
        .collect();
    unhex(&hex)
}

/// A client Initial (packet number 2, four bytes) carrying `frames`,
/// protected as RFC 9001 §5 says: the test's own sealing, the reverse of
/// what sockscope opens.
fn seal(keys: &Keys, frames: &[u8]) -> Vec<u8> {
    let len = (4 + frames.len() + 16).min(0x3fff) as u16;
    let mut header = vec![0xc3, 0, 0, 0, 1, 8];
    header.extend(DCID);
    header.extend([0, 0]);
    header.extend((0x4000 | len).to_be_bytes());
    let pn_offset = header.len();
    header.extend([0, 0, 0, 2]);
    let mut nonce = keys.iv;
    nonce[11] ^= 2;
    let mut body = frames.to_vec();
    let tag = Aes128Gcm::new(&Array::from(keys.key))
        .encrypt_inout_detached(&Array::from(nonce), &header, body.as_mut_slice().into())
        .expect("sealed");
    body.extend_from_slice(&tag);
    let mut sample = Array::from(<[u8; 16]>::try_from(&body[..16]).unwrap());
    Aes128::new(&Array::from(keys.hp)).encrypt_block(&mut sample);
    header[0] ^= sample[0] & 0x0f;
    for i in 0..4 {
        header[pn_offset + i] ^= sample[1 + i];
    }
    header.extend(body);
    header
}

#[test]
fn damaged_quic_initials_never_panic_or_loop() {
    let initial = rfc9001_initial();
    let quic = dissect::udp_heuristic(&initial).expect("an Initial is QUIC");
    assert_eq!(quic.dissector.service, "quic");
    // As sent: header damage, and ciphertext that no longer authenticates.
    damage(
        quic,
        std::slice::from_ref(&initial),
        0x9f1c_0bad_0000_0001,
        |m| m.to_vec(),
    );
    // Behind the decryption: the frames damaged, then sealed again.
    let keys = client_keys(&DCID).unwrap();
    let plain = open(&keys, &initial, 18)
        .expect("RFC 9001 A.2 opens")
        .payload;
    let sealed = seal(&keys, &plain);
    assert_eq!(sealed, initial, "the test's sealing is RFC 9001's");
    let frames = plain[..plain.len() - 900].to_vec();
    damage(quic, &[frames], 0x9f1c_0bad_0000_0002, |m| seal(&keys, m));
}

/// A flow packet from `i`'s client (port `port` is the server's).
fn flow_packet(i: usize, port: u16, proto: Proto, seq: u32, flags: u8, len: usize) -> FlowPacket {
    let ts = 1_700_000_000_000_000_000 + i as u64 * 1_000_000;
    let client = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (i % 5000) as u32));
    let server = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    let flags = TcpFlags::from_bits(flags);
    let mut p = tcp_packet(
        ts,
        (client, 40000),
        (server, port),
        flags,
        (seq, 0),
        0,
        len as u32,
    );
    p.proto = proto;
    p
}

/// Messages that span packets, damaged: real TLS segments (handshake
/// records cut anywhere), an HTTP request and a DNS-over-TCP message,
/// each cut into up to five segments sent with retransmissions, overlaps,
/// gaps and FINs, a third of them with two neighbours swapped, over 5000
/// flows at once, each flow's messages one after another in its sequence
/// space (so segments land ahead of holes in followed directions); and QUIC ClientHellos cut over
/// two sealed Initials with damaged CRYPTO offsets and bytes. No panic,
/// no slow packet, and the open messages stay within the limits the
/// whole time.
#[test]
fn damaged_messages_over_packets_never_panic_and_stay_bounded() {
    let mut seeds: Vec<(u16, Vec<u8>)> = tls_seeds().into_iter().map(|m| (443, m)).collect();
    seeds.push((
        80,
        b"GET /index.html?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n"
            .to_vec(),
    ));
    let mut dns = vec![0, 29, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    dns.extend(b"\x07example\x04test\x00\x00\x01\x00\x01");
    seeds.push((53, dns));
    let limits = PduLimits::at_most(256, 1 << 20);
    // Around the whole run: the reassembly must give back what it held.
    let whole = Meter::start();
    let mut pdus = Pdus::new(limits);
    // The streams' bytes, at most `limits.memory`, and each open stream's
    // own state (measured under 2 KiB).
    let mut memory = Flat::holding(limits.memory + limits.streams * 4096);
    let mut r = rng(0x5e9_0bad_0000_0001);
    let (mut slowest, mut completed) = (Duration::ZERO, 0u64);
    let rounds = mutation_rounds();
    let mut next_seq: std::collections::HashMap<(usize, u16), u32> = Default::default();
    for round in 0..rounds {
        let (port, seed) = &seeds[round % seeds.len()];
        let m = mutate(&mut r, seed);
        let t = CpuStopwatch::start();
        let base = next_seq.entry((round % 5000, *port)).or_insert(1);
        let first = *base;
        *base = base.wrapping_add(m.len() as u32);
        let mut segments = damaged_segments(&mut r, m.len());
        if segments.len() > 1 && r.below(3) == 0 {
            let i = r.below(segments.len() - 1);
            segments.swap(i, i + 1);
        }
        let meter = Meter::start();
        // By reference: the list was made before the meter started and is
        // freed after it is read.
        for &(start, end, fin) in &segments {
            let bytes = m.get(start..end).unwrap_or(&[]);
            let flags = if fin { 0x11 } else { 0x10 };
            let fp = flow_packet(
                round,
                *port,
                Proto::Tcp,
                first.wrapping_add(start as u32),
                flags,
                bytes.len(),
            );
            if let Some(c) = pdus.packet(&fp, bytes, round as u64) {
                completed += 1;
                let (_, v) = c.json(&Payload::whole(&[]));
                assert!(v.is_object());
                let _ = c.app(&Payload::whole(&[]));
            }
            assert!(pdus.open() <= limits.streams && pdus.held() <= limits.memory);
        }
        memory.record(&meter, &m, 0);
        slowest = slowest.max(t.elapsed());
    }
    // QUIC: the RFC's ClientHello over two Initials, damaged.
    let keys = client_keys(&DCID).unwrap();
    let plain = open(&keys, &rfc9001_initial(), 18).unwrap().payload;
    // RFC 9001 A.2's payload: one CRYPTO frame (06 00 40 f1) then padding.
    let hello = plain[4..4 + 0xf1].to_vec();
    let quic_rounds = rounds / 10;
    for round in 0..quic_rounds {
        let h = mutate(&mut r, &hello);
        let cut = r.below(h.len() + 1);
        for (offset, part) in [(cut, &h[cut..]), (0, &h[..cut])] {
            let mut frames = vec![0x06];
            let offset = if r.below(10) == 0 {
                r.below(70_000)
            } else {
                offset
            };
            frames.extend((0x8000_0000u32 | offset as u32).to_be_bytes());
            frames.extend((0x4000u16 | part.len() as u16).to_be_bytes());
            frames.extend_from_slice(part);
            frames.resize(1100, 0);
            let datagram = seal(&keys, &frames);
            let fp = flow_packet(round, 443, Proto::Udp, 0, 0, datagram.len());
            let t = CpuStopwatch::start();
            let meter = Meter::start();
            if let Some(c) = pdus.packet(&fp, &datagram, round as u64) {
                completed += 1;
                let p = Payload::whole(&datagram);
                assert!(c.json(&p).1["client_hello"]["complete"] == true);
                assert!(c.app(&p).is_some());
            }
            memory.record(&meter, &datagram, 0);
            slowest = slowest.max(t.elapsed());
            assert!(pdus.open() <= limits.streams && pdus.held() <= limits.memory);
        }
    }
    let s = pdus.stats();
    drop((pdus, next_seq, keys, plain, hello));
    let left = whole.net_bytes();
    eprintln!(
        "{rounds} damaged TCP messages, {quic_rounds} QUIC ClientHellos: {completed} completed, {s:?}, slowest {slowest:?}; {}; {left} bytes left after the reassembly was dropped",
        memory.summary()
    );
    assert!(
        left <= RETAINED_SLACK,
        "{left} bytes still held after the reassembly was dropped"
    );
    assert!(completed > 0 && s.completed > 0 && s.dropped > 0);
    assert_fast(slowest, "message");
}
