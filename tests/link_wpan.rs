//! IEEE 802.15.4 as a capture's link type: 195 (frames with their FCS),
//! 230 (without) and 283 (behind the TAP pseudo-header). tcpdump hands
//! each record (TAP's after its header) to the 802.15.4 printer ZEP's
//! frames go through, its length the captured length. Every frame of the
//! ZEP tests (beacons, commands, secured frames, IEs, multipurpose frames
//! …), whole and cut at every length, must print what `tcpdump -n -r`
//! prints at every level up to `-vvvv` and in every dump (`-x` starts at
//! byte 1 after a frame the printer printed: it returns its verdict as
//! the header length, TAP's printer adds its header's); TAP headers with
//! every TLV type, FCS types that say and contradict what the frame
//! carries (tcpdump 4.99 reads no TLV: the FCS is guessed as on 195 and
//! 230), versions and lengths it calls invalid or cut; `--json` gives
//! the frame's header as `link_layer` (TAP's TLVs under `tap`); filters
//! are libpcap's (`link[]` and the lengths, the rest refused in its
//! words); damaged records never panic (read at `-vvvv` too). At
//! `-vvvv` tcpdump decodes IE contents: the ZEP tests' frames and the IE
//! frames of `support::wpan_ie_captures`, whole and cut at every length,
//! print what it prints there too.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::dns_captures::{mutate, rng};
use support::link_captures;
use support::link_filters::{REFUSED_WITHOUT_MACS, filters_equal_tcpdump};
use support::temp_path;
use support::wpan_ie_captures;
use support::zep_captures;

/// The ZEP tests' frames, and for link type 195 each with its 16-bit FCS
/// too (what `-vvv` checks).
fn frames(link: u32) -> Vec<Vec<u8>> {
    let mut frames = zep_captures::frames();
    if link == 195 {
        let with_fcs: Vec<_> = frames.iter().map(|f| zep_captures::with_fcs16(f)).collect();
        frames.extend(with_fcs);
    }
    frames
}

/// The frames behind PPI and PKTAP headers: a frame the 802.15.4 printer
/// could not decode (it counts nothing: the dump starts after the
/// wrapper's header) is told from one it gave up on (the whole record).
#[test]
fn frames_behind_ppi_and_pktap_print_what_tcpdump_prints() {
    let mut total = 0;
    for link in [195, 230] {
        let records = support::pcap::whole_and_cut(&frames(link));
        total += link_captures::behind_ppi_and_pktap_equal_tcpdump(
            &format!("wpan-{link}"),
            link,
            &records,
        );
    }
    let records = support::pcap::whole_and_cut(&tap_records());
    total += link_captures::behind_ppi_and_pktap_equal_tcpdump("wpan-tap", TAP, &records);
    assert!(total == 0 || total > 300_000, "only {total} lines compared");
}

#[test]
fn frames_whole_and_cut_print_what_tcpdump_prints() {
    let mut total = 0;
    for link in [195, 230] {
        let frames = frames(link);
        let path = temp_path(
            &format!("wpan-{link}"),
            link_captures::capture(link, &frames, usize::MAX),
        );
        let levels = [
            "", "-v", "-vv", "-vvv", "-vvvv", "-e", "-x", "-X", "-A", "-xx", "-vvv -x",
        ];
        let Some(counts) = compare_with_tcpdump(&path, &levels, frames.len()) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("802.15.4 link types: {total} lines identical to tcpdump's");
    assert!(total > 500_000, "{total}");
}

/// What each IE decoder and its errors print, each somewhere in the IE
/// frames' lines at `-vvvv`.
const IE_MARKS: &[&str] = &[
    "OUI = 0x00124b, Data = 01 ",
    "[ERROR: Vendor OUI missing]",
    ", Rendezvous time = ",
    " [ERROR: CSL IE length wrong]",
    "[ERROR: Truncated CSL IE]",
    "Time to First Listen = ",
    "[ERROR: Truncated RIT IE]",
    "[ERROR: Truncated DSME PAN IE]",
    "[ERROR: Truncated before pending addresses field]",
    " [ERROR: Pending address list truncated]",
    "[ERROR: Truncated before DSME Superframe Specification]",
    ", Hopping Sequence Present",
    " [ERROR: Truncated before Time synchronization specification]",
    " [ERROR: Truncated before Beacon Bitmap]",
    " [ERROR: Truncated in SD bitmap]",
    " [ERROR: Truncated before Channel hopping specification]",
    " [ERROR: Truncated in Channel offset bitmap]",
    " [ERROR: Truncated in Hopping Sequence length]",
    "Hopping Seq length = 2 [ 0b 1234 ]",
    "Rendezvous time = ",
    "[ERROR: Length != 2]",
    "Negative Ack time correction = -1, ",
    "Type = Abort, tid = 0x01, invalid length = 2 (not 1 or 3)Abort data = ",
    "Type = Last fragment, tid = 0x01, fragment = 0x00, Total upper layer size",
    "[ERROR: Total upper layer size or multiplex ID missing]",
    "[ERROR: Multiplex ID missing]",
    "[ERROR: fragment number missing]",
    "(Reserved), tid = ",
    "with small Multiplex ID, Multiplex ID = 0x001f, ",
    "Subtype ID = 0x",
    "[ERROR: Truncated MLME IE]",
    "[ERROR: Length != 6]ASN = ",
    "\n\t\t\t[ Handle ",
    "[ Timeslot =  ",
    "TX RX Shared Timekeeping Priority ",
    "[ERROR: Truncated IE links]",
    "[ERROR: Truncated IE before slotframes]",
    ", Time slot Length = ",
    "[ERROR: Length not 1, 25, or 27]\n\t\t\tIE Data = ",
    "Extended bitmap = 0x",
    "Current hop = ",
    "Hopping Seq length = 3 [  [ERROR: IE truncated]",
    "Reserved for long format 0xf [ length = 2, IE Data = ",
    "TVWS Device Identiication IE",
];

/// Frames with every IE tcpdump decodes at `-vvvv` (valid, at wrong
/// lengths, lists they do not fit), on both link types (195's each with
/// its FCS too), whole and cut at every length (a cut frame is a shorter
/// one here: tcpdump hands the printer the captured length), at `-vvvv`,
/// `-vvvvv` (no more than `-vvvv`) and with the dump; `-vvv` keeps the
/// data in hex.
#[test]
fn ie_contents_whole_and_cut_print_what_tcpdump_prints_at_vvvv() {
    let mut total = 0;
    for link in [195, 230] {
        let mut frames = wpan_ie_captures::frames();
        if link == 195 {
            frames = frames.iter().map(|f| zep_captures::with_fcs16(f)).collect();
        }
        let path = temp_path(
            &format!("wpan-ies-{link}"),
            link_captures::capture(link, &frames, usize::MAX),
        );
        let levels = ["-vvvv", "-vvvvv", "-vvvv -x", "-vvv"];
        let Some(counts) = compare_with_tcpdump(&path, &levels, frames.len()) else {
            return;
        };
        total += counts.iter().sum::<usize>();
        // The frames reach every decoder and every error (the lines are
        // tcpdump's, so this says they test what they claim to).
        let out = text(&sockscope(&["read", &path, "-vvvv"]).stdout);
        for seen in IE_MARKS {
            assert!(out.contains(seen), "{link}: no {seen:?} at -vvvv");
        }
    }
    eprintln!("802.15.4 IE contents on link types: {total} lines identical to tcpdump's");
    assert!(total > 500_000, "{total}");
}

#[test]
fn json_has_the_frame_header_and_filters_are_refused() {
    let frame = zep_captures::frame(
        zep_captures::fc(1, 0x40, 2, 1, 2),
        &[9, 0xcd, 0xab, 0xff, 0xff, 1, 0, b'h', b'i'],
    );
    let path = temp_path("wpan-json", link_captures::capture(230, &[frame], 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    assert_eq!(v["link"], "IEEE802_15_4_NOFCS", "{line}");
    let l = &v["link_layer"];
    assert_eq!(l["type"], "802.15.4", "{line}");
    assert_eq!(l["frame_type_name"], "Data", "{line}");
    assert_eq!(l["seq"], 9, "{line}");
    assert_eq!(l["dst_pan"], 0xabcd, "{line}");
    assert_eq!(l["dst"], "ffff", "{line}");
    assert_eq!(l["src"], "0001", "{line}");
    // libpcap cannot filter 802.15.4 (it refuses `ip` there): neither do we.
    let out = sockscope(&["read", &path, "ip"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("IEEE 802.15.4 link-layer type filtering not implemented"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn damaged_frames_never_panic() {
    let mut seeds = frames(195);
    seeds.extend(wpan_ie_captures::frames().iter().step_by(3).cloned());
    let mut rng = rng(0x0154);
    let damaged: Vec<Vec<u8>> = (0..support::rng::mutation_rounds().min(20_000))
        .map(|i| mutate(&mut rng, &seeds[i % seeds.len()]))
        .filter(|f| !f.is_empty())
        .collect();
    for link in [195, 230] {
        let path = temp_path(
            &format!("wpan-damaged-{link}"),
            link_captures::capture(link, &damaged, 0),
        );
        for level in [&["-vvv"][..], &["-vvvv"], &["-x"], &["--json"]] {
            let args: Vec<&str> = ["read", &path]
                .into_iter()
                .chain(level.iter().copied())
                .collect();
            let out = sockscope(&args);
            assert!(out.status.success(), "{level:?}: {}", text(&out.stderr));
            assert!(!out.stdout.is_empty());
        }
    }
}

/// `--json` lists the IEs with the fields of the contents tcpdump
/// decodes: CSL, time correction and vendor header IEs; an MLME payload
/// IE's TSCH synchronization, slotframe and timeslot sub-IEs; IETF.
#[test]
fn json_has_the_ies_and_their_fields() {
    use support::zep_captures::{fc, frame, header_ie, payload_ie};
    use wpan_ie_captures::sub_ie;
    let mlme = [
        sub_ie(0x1a, false, &[1, 2, 3, 4, 5, 0x42]),
        sub_ie(0x1b, false, &[1, 7, 0x65, 0, 1, 2, 0, 3, 0, 0x09]),
        sub_ie(0x1c, false, &[4]),
    ]
    .concat();
    let f = [
        frame(fc(1, 0x240, 2, 2, 2), &[9, 0xcd, 0xab, 0xff, 0xff, 1, 0]),
        header_ie(0x1a, &[1, 0, 2, 0, 3, 0]),
        header_ie(0x1e, &[0xfe, 0x8f]),
        header_ie(0x00, &[0x00, 0x12, 0x4b, 9]),
        header_ie(0x7e, &[]),
        payload_ie(1, &mlme),
        payload_ie(5, &[7, 1]),
        payload_ie(0xf, &[]),
        b"hi".to_vec(),
    ]
    .concat();
    let path = temp_path("wpan-ie-json", link_captures::capture(230, &[f], 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("json");
    let h = &v["link_layer"]["header_ies"];
    assert_eq!(h[0]["name"], "LE CSL IE", "{line}");
    assert_eq!(
        (
            &h[0]["csl_phase"],
            &h[0]["csl_period"],
            &h[0]["rendezvous_time"]
        ),
        (&1.into(), &2.into(), &3.into()),
        "{line}"
    );
    assert_eq!(h[1]["negative"], true, "{line}");
    assert_eq!(h[1]["time_correction"], -2, "{line}");
    assert_eq!(h[2]["oui"], "00124b", "{line}");
    assert_eq!(h[2]["value"], "00124b09", "{line}");
    assert_eq!(h[3]["id"], 0x7e, "{line}");
    let p = &v["link_layer"]["payload_ies"];
    assert_eq!(p[0]["name"], "MLME IE", "{line}");
    let subs = &p[0]["sub_ies"];
    assert_eq!(subs[0]["name"], "TSCH Synchronization IE", "{line}");
    assert_eq!(subs[0]["asn"], 0x05_0403_0201u64, "{line}");
    assert_eq!(subs[0]["join_metric"], 0x42, "{line}");
    let sf = &subs[1]["slotframes"][0];
    assert_eq!(
        (&sf["handle"], &sf["size"]),
        (&7.into(), &101.into()),
        "{line}"
    );
    assert_eq!(sf["links"][0]["timeslot"], 2, "{line}");
    assert_eq!(sf["links"][0]["channel_offset"], 3, "{line}");
    assert_eq!(sf["links"][0]["options"], 9, "{line}");
    assert_eq!(subs[2]["timeslot_id"], 4, "{line}");
    assert_eq!(p[1]["subtype_id"], 7, "{line}");
    assert_eq!(p[2]["name"], "List termination", "{line}");
}

const TAP: u32 = 283;

/// A TAP TLV: type and length (little endian), the value padded to 4.
fn tlv(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut t = [
        &kind.to_le_bytes()[..],
        &(value.len() as u16).to_le_bytes(),
        value,
    ]
    .concat();
    t.resize(t.len().next_multiple_of(4), 0);
    t
}

/// `frame` behind a TAP header (version 0) of `tlvs`.
fn tap(tlvs: &[Vec<u8>], frame: &[u8]) -> Vec<u8> {
    let body = tlvs.concat();
    let len = (4 + body.len()) as u16;
    [&[0, 0][..], &len.to_le_bytes(), &body, frame].concat()
}

/// Every TLV type TAP defines (and one it does not), with a value of its
/// size.
fn every_tlv() -> Vec<Vec<u8>> {
    vec![
        tlv(0, &[1]),
        tlv(1, &(-42.5f32).to_le_bytes()),
        tlv(2, &250_000u32.to_le_bytes()),
        tlv(3, &[11, 0, 0]),
        tlv(4, &[1, 2, 3, 4]),
        tlv(5, &123_456_789u64.to_le_bytes()),
        tlv(6, &123_457_000u64.to_le_bytes()),
        tlv(7, &0x1_0000_0001u64.to_le_bytes()),
        tlv(8, &99u64.to_le_bytes()),
        tlv(9, &10_000u32.to_le_bytes()),
        tlv(10, &[0xff]),
        tlv(11, &2405.0f32.to_le_bytes()),
        tlv(12, &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]),
        tlv(0x7fff, b"vendor"),
    ]
}

/// TAP records: every ZEP frame behind a header without TLVs, every
/// third with its 16-bit FCS behind FCS type 1 and its 32-bit one behind
/// type 2, some with FCS types that contradict the frame (tcpdump reads
/// none of them); one frame behind each TLV and all of them; headers
/// tcpdump calls invalid (versions 1 and 255, lengths 0 to 3) or cut (a
/// length past the record), a header alone, a reserved byte set, a length
/// that is no multiple of 4, TLV lengths past the header's.
fn tap_records() -> Vec<Vec<u8>> {
    let frames = zep_captures::frames();
    let mut r = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        r.push(tap(&[], f));
        if i % 3 == 0 {
            r.push(tap(&[tlv(0, &[1])], &zep_captures::with_fcs16(f)));
            r.push(tap(&[tlv(0, &[2])], &zep_captures::with_fcs32(f)));
        }
        if i % 7 == 0 {
            r.push(tap(&[tlv(0, &[0])], &zep_captures::with_fcs16(f)));
            r.push(tap(&[tlv(0, &[1])], &zep_captures::with_fcs32(f)));
            r.push(tap(&[tlv(0, &[2])], f));
        }
    }
    let data = zep_captures::frame(
        zep_captures::fc(1, 0x40, 2, 1, 2),
        &[9, 0xcd, 0xab, 0xff, 0xff, 1, 0, b'h', b'i'],
    );
    let data16 = zep_captures::with_fcs16(&data);
    for t in every_tlv() {
        r.push(tap(std::slice::from_ref(&t), &data16));
    }
    r.push(tap(&every_tlv(), &data16));
    for fcs in [0, 1, 2, 3, 0xff] {
        r.push(tap(&[tlv(0, &[fcs]), tlv(10, &[0x80])], &data16));
    }
    let head = |version: u8, reserved: u8, len: u16| {
        [&[version, reserved][..], &len.to_le_bytes()].concat()
    };
    for (version, len) in [(1, 4), (0xff, 8), (0, 0), (0, 1), (0, 2), (0, 3)] {
        r.push([head(version, 0, len), data.clone()].concat());
    }
    r.push([head(0, 0, 200), data.clone()].concat());
    r.push([head(0, 0, 0xffff), data16.clone()].concat());
    r.push(head(0, 0, 4));
    r.push([head(0, 0, 4), vec![0x41]].concat());
    r.push([head(0, 0x5a, 4), data.clone()].concat());
    r.push([head(0, 0, 6), vec![0xee, 0xee], data.clone()].concat());
    r.push([head(0, 0, 8), vec![0, 0, 40, 0], data16.clone()].concat());
    r.push([head(0, 0, 10), vec![3, 0, 3, 0, 11, 0], data16].concat());
    r
}

#[test]
fn tap_records_whole_and_cut_print_what_tcpdump_prints() {
    let records = tap_records();
    let path = temp_path(
        "wpan-tap",
        link_captures::capture(TAP, &records, usize::MAX),
    );
    let levels = [
        "", "-e", "-v", "-vv", "-vvv", "-vvvv", "-x", "-e -x", "-X", "-xx", "-A", "-vvv -x",
    ];
    let Some(counts) = compare_with_tcpdump(&path, &levels, records.len()) else {
        return;
    };
    let total: usize = counts.iter().sum();
    eprintln!("802.15.4 TAP: {total} lines identical to tcpdump's");
    assert!(total > 300_000, "{total}");
}

#[test]
fn tap_json_has_the_header_its_tlvs_and_the_frame() {
    let frame = zep_captures::frame(
        zep_captures::fc(1, 0x40, 2, 1, 2),
        &[9, 0xcd, 0xab, 0xff, 0xff, 1, 0, b'h', b'i'],
    );
    let records = [
        tap(
            &[tlv(0, &[1]), tlv(3, &[11, 0, 0]), tlv(10, &[200])],
            &frame,
        ),
        vec![1, 0, 4, 0, 1, 2],
        vec![0, 0, 40, 0, 1, 2],
    ];
    let path = temp_path("wpan-tap-json", link_captures::capture(TAP, &records, 0));
    let out = sockscope(&["read", &path, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["link"], "IEEE802_15_4_TAP");
    let l = &lines[0]["link_layer"];
    assert_eq!(l["type"], "802.15.4_tap", "{l}");
    assert_eq!(l["frame_type_name"], "Data", "{l}");
    assert_eq!(l["seq"], 9, "{l}");
    assert_eq!(l["dst_pan"], 0xabcd, "{l}");
    let t = &l["tap"];
    assert_eq!(
        (&t["version"], &t["length"]),
        (&0.into(), &28.into()),
        "{t}"
    );
    assert_eq!(t["fcs_type"], 1, "{t}");
    assert_eq!(t["channel"]["number"], 11, "{t}");
    assert_eq!(t["lqi"], 200, "{t}");
    assert_eq!(t["tlvs"][1]["name"], "channel_assignment", "{t}");
    assert_eq!(t["tlvs"][1]["value"], "0b0000", "{t}");
    // Another version, a header past the record: no frame.
    for line in &lines[1..] {
        let l = &line["link_layer"];
        assert_eq!(l["type"], "802.15.4_tap", "{l}");
        assert!(l.get("frame_type_name").is_none(), "{l}");
    }
    assert_eq!(lines[1]["link_layer"]["tap"]["version"], 1);
}

#[test]
fn filters_are_libpcaps() {
    const EXPRS: &[&str] = &[
        "link[0] = 0",
        "link[2] = 12 and len > 20",
        "link[4:2] = 0",
        "len > 30",
        "less 30",
        "greater 16",
    ];
    let refused: Vec<&str> = [
        "ip",
        "ip6",
        "tcp port 80",
        "host 10.0.0.1",
        "net 10.0.0.0/8",
        "iso",
    ]
    .into_iter()
    .chain(REFUSED_WITHOUT_MACS.iter().copied())
    .collect();
    let mut compared = 0;
    for link in [195, 230, TAP] {
        let records = match link {
            TAP => tap_records(),
            _ => frames(link),
        };
        let bytes = link_captures::capture(link, &records, 0);
        let path = temp_path(&format!("wpan-filters-{link}"), bytes.clone());
        compared += filters_equal_tcpdump((&path, &bytes), link, EXPRS, &refused);
    }
    if compared == 0 {
        return;
    }
    eprintln!("802.15.4 filters: {compared} lines identical to tcpdump's");
    assert!(compared >= 500, "{compared}");
}

#[test]
fn every_listed_expression_agrees_with_tcpdump() {
    let Some(n) = support::link_filters::listed_expressions_agree(TAP, &tap_records()) else {
        return;
    };
    eprintln!("802.15.4 TAP: {n} listed expressions agree with tcpdump");
    assert!(n >= 240, "{n}");
}

#[test]
fn damaged_tap_records_never_panic() {
    support::link_damage::damaged_records_read(TAP, &tap_records(), 283);
}
