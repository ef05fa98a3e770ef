//! IEEE 802.15.4 as a capture's link type: 195 (frames with their FCS)
//! and 230 (without). tcpdump hands each record to the 802.15.4 printer
//! ZEP's frames go through, its length the captured length. Every frame
//! of the ZEP tests (beacons, commands, secured frames, IEs,
//! multipurpose frames …), whole and cut at every length, must print
//! what `tcpdump -n -r` prints at every level up to `-vvv` and in every
//! dump (`-x` starts at byte 1 after a frame the printer printed: it
//! returns its verdict as the header length); `--json` gives the
//! frame's header as `link_layer`; filters are refused; damaged frames
//! never panic.

mod support;

use support::app_captures::compare_with_tcpdump;
use support::bin::{sockscope, text};
use support::dns_captures::{mutate, rng};
use support::link_captures;
use support::temp_path;
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
            "", "-v", "-vv", "-vvv", "-e", "-x", "-X", "-A", "-xx", "-vvv -x",
        ];
        let Some(counts) = compare_with_tcpdump(&path, &levels, frames.len()) else {
            return;
        };
        total += counts.iter().sum::<usize>();
    }
    eprintln!("802.15.4 link types: {total} lines identical to tcpdump's");
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
        text(&out.stderr).contains("is not supported by the filter"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn damaged_frames_never_panic() {
    let seeds = frames(195);
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
        for level in [&["-vvv"][..], &["-x"], &["--json"]] {
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
