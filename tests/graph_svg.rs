//! The graphs checked against the flows they draw: every SVG parses with a
//! real XML parser (roxmltree), the ladder has one arrow per segment, the
//! time-sequence graphs have one `R` per retransmission Wireshark's analysis
//! counts and one bar per data segment (summing `data-count` where bars
//! were merged per pixel column), and the axes cover the flow's time and
//! sequence range. Every kind renders through resvg, and rendered PNGs match
//! committed ones at sampled pixels (`SOCKSCOPE_BLESS=1` rewrites them).

mod support;

use sockscope::cli::graph::load;
use sockscope::decode::tcp_flags::TcpFlags;
use sockscope::flow::tcp::analysis::bits;
use sockscope::flow::{Event, Flow, FlowReport, Proto};
use sockscope::output::graph::{
    self, Direction, GraphKind, GraphOptions, TsgStyle, find_flow, render_svg,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use support::capture;

/// The captures with TCP flows worth drawing.
const CAPTURES: &[&str] = &[
    "demo_tcp.pcap",
    "demo_talk.pcap",
    "tcp_normal.pcap",
    "tcp_lossy.pcap",
    "tcp_analysis_loss.pcap",
    "tcp_analysis_window.pcap",
    "tcp_abort.pcap",
    "tcp_refused.pcap",
    "tcp_half_close.pcap",
    "tcp_simultaneous_open.pcap",
    "tcp_simultaneous_close.pcap",
    "tcp_syn_retransmit.pcap",
    "tcp_mid_stream.pcap",
];

/// Each capture is replayed once per test binary, whichever test asks first.
fn report(name: &str) -> Arc<FlowReport> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<FlowReport>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().unwrap().get(name) {
        return r.clone();
    }
    let r = Arc::new(load(&capture(name), &[]).expect("the capture loads").1);
    cache.lock().unwrap().insert(name.to_string(), r.clone());
    r
}

fn tcp_flows(r: &FlowReport) -> impl Iterator<Item = &Flow> {
    r.flows.iter().filter(|f| f.proto == Proto::Tcp)
}

/// `check` on every TCP flow of every capture, with the capture's name.
fn every_tcp_flow(mut check: impl FnMut(&str, &Flow)) {
    for name in CAPTURES {
        let r = report(name);
        tcp_flows(&r).for_each(|f| check(name, f));
    }
}

/// The flow drawn as every kind, with the default options.
fn every_kind(f: &Flow) -> Vec<(GraphKind, String)> {
    GraphKind::ALL
        .into_iter()
        .map(|k| (k, svg_of(f, k)))
        .collect()
}

/// The flow drawn as `kind` with the default options.
fn svg_of(f: &Flow, kind: GraphKind) -> String {
    render_svg(f, kind, &GraphOptions::default()).unwrap()
}

/// Flow `id` of a capture (a copy: the report stays cached).
fn flow(capture: &str, id: &str) -> Flow {
    find_flow(&report(capture), Some(id)).unwrap().clone()
}

fn has_class(n: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

fn count_attr(n: &roxmltree::Node<'_, '_>) -> u64 {
    n.attribute("data-count")
        .map_or(1, |c| c.parse().expect("data-count is a number"))
}

/// Sum of `data-count` over elements having every class in `classes`.
fn counted(doc: &roxmltree::Document<'_>, classes: &[&str]) -> u64 {
    doc.descendants()
        .filter(|n| n.is_element() && classes.iter().all(|c| has_class(n, c)))
        .map(|n| count_attr(&n))
        .sum()
}

fn is_retrans(e: &Event) -> bool {
    e.analysis.has(bits::RETRANSMISSION)
        || e.analysis.has(bits::FAST_RETRANSMISSION)
        || e.analysis.has(bits::SPURIOUS_RETRANSMISSION)
}

fn is_data(e: &Event) -> bool {
    e.len > 0 || e.flags.intersects(TcpFlags::SYN | TcpFlags::FIN)
}

fn axis<'a>(doc: &'a roxmltree::Document<'a>, which: &str) -> (f64, f64) {
    let n = doc
        .descendants()
        .find(|n| has_class(n, "axis") && has_class(n, which))
        .expect("the axis is drawn");
    let get = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    (get("data-min"), get("data-max"))
}

#[test]
fn ladder_draws_one_arrow_per_segment_with_its_numbers() {
    for name in CAPTURES {
        let r = report(name);
        for f in tcp_flows(&r) {
            let svg = svg_of(f, GraphKind::Ladder);
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{name} C{}: not XML: {e}", f.uid));
            let arrows: Vec<_> = doc
                .descendants()
                .filter(|n| n.tag_name().name() == "g" && has_class(n, "arrow"))
                .collect();
            let drawn = f.events.len().min(graph::ladder::MAX_ARROWS);
            assert_eq!(arrows.len(), drawn, "{name} C{}", f.uid);
            if drawn < f.events.len() {
                let note = doc
                    .descendants()
                    .find(|n| has_class(n, "truncated"))
                    .unwrap();
                let more = f.events.len() - drawn;
                assert_eq!(note.attribute("data-more"), Some(more.to_string().as_str()));
            }
            for (a, e) in arrows.iter().zip(&f.events) {
                assert_eq!(
                    a.attribute("data-ts").unwrap(),
                    (e.ts.0 - f.first.0).to_string(),
                    "{name} C{}",
                    f.uid
                );
                assert_eq!(a.attribute("data-len").unwrap(), e.len.to_string());
                assert_eq!(
                    a.attribute("data-dir").unwrap(),
                    if e.from_orig { "c2s" } else { "s2c" }
                );
                assert_eq!(
                    has_class(a, "retrans"),
                    is_retrans(e) && !e.flags.contains(TcpFlags::RST)
                );
                assert_eq!(has_class(a, "rst"), e.flags.contains(TcpFlags::RST));
            }
        }
    }
}

#[test]
fn tsg_marks_every_retransmission_and_segment_and_covers_the_flow() {
    let mut total_retrans = 0;
    for name in CAPTURES {
        let r = report(name);
        for f in tcp_flows(&r) {
            let c = &f.tcp().unwrap().counters;
            let counted_by_analysis = c.all_retransmissions();
            let mut marks = 0;
            for (dir, from_orig) in [
                (Direction::ClientToServer, true),
                (Direction::ServerToClient, false),
            ] {
                for style in [TsgStyle::Tcptrace, TsgStyle::Stevens] {
                    let opts = GraphOptions {
                        style,
                        direction: dir,
                    };
                    let svg = render_svg(f, GraphKind::Tsg, &opts).unwrap();
                    let doc = roxmltree::Document::parse(&svg).unwrap();
                    let events: Vec<&Event> = f
                        .events
                        .iter()
                        .filter(|e| e.from_orig == from_orig)
                        .collect();
                    let retrans = events
                        .iter()
                        .filter(|e| is_retrans(e) && is_data(e))
                        .count();
                    let what = format!("{name} C{} {dir:?} {style:?}", f.uid);
                    assert_eq!(
                        counted(&doc, &["mark", "retrans"]),
                        retrans as u64,
                        "{what}"
                    );
                    assert_eq!(
                        counted(&doc, &["seg"]),
                        events.iter().filter(|e| is_data(e)).count() as u64,
                        "{what}"
                    );
                    let (x0, x1) = axis(&doc, "x");
                    let dur = (f.events.last().unwrap().ts.0 - f.first.0) as f64 / 1e9;
                    assert!(
                        x0 <= 0.0 && x1 >= dur,
                        "{what}: x axis {x0}..{x1}, flow {dur} s"
                    );
                    let top = doc
                        .descendants()
                        .filter(|n| has_class(n, "seg"))
                        .map(|n| n.attribute("data-end").unwrap().parse::<f64>().unwrap())
                        .fold(0.0, f64::max);
                    let (y0, y1) = axis(&doc, "y");
                    assert!(
                        y0 <= 0.0 && y1 >= top,
                        "{what}: y axis {y0}..{y1}, data to {top}"
                    );
                    if style == TsgStyle::Tcptrace {
                        marks += retrans as u64;
                    }
                }
            }
            // Retransmitted SYNs/FINs/data are drawn; the analysis also
            // counts nothing else, so both directions together match it.
            assert_eq!(marks, counted_by_analysis, "{name} C{}", f.uid);
            total_retrans += marks;
        }
    }
    assert!(
        total_retrans >= 20,
        "the lossy captures must exercise the R marks: {total_retrans}"
    );
}

#[test]
fn dup_acks_zero_windows_and_sack_blocks_are_marked() {
    let f = &flow("tcp_lossy.pcap", "0");
    let svg = svg_of(f, GraphKind::Tsg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let dups = f
        .events
        .iter()
        .filter(|e| !e.from_orig && e.analysis.has(bits::DUP_ACK))
        .count() as u64;
    assert!(dups > 0);
    assert_eq!(counted(&doc, &["mark", "dupack"]), dups);
    let sacks: u64 = f
        .options
        .iter()
        .zip(&f.events)
        .filter(|(_, e)| !e.from_orig)
        .map(|(o, _)| o.sack_count as u64)
        .sum();
    assert!(sacks > 0, "tcp_lossy's receiver sends SACK blocks");
    assert_eq!(counted(&doc, &["sack"]), sacks);
    let r = report("tcp_analysis_window.pcap");
    for f in tcp_flows(&r) {
        let zero = f
            .events
            .iter()
            .filter(|e| e.analysis.has(bits::ZERO_WINDOW))
            .count() as u64;
        let mut drawn = 0;
        for direction in [Direction::ClientToServer, Direction::ServerToClient] {
            let opts = GraphOptions {
                direction,
                ..GraphOptions::default()
            };
            let svg = render_svg(f, GraphKind::Tsg, &opts).unwrap();
            drawn += counted(
                &roxmltree::Document::parse(&svg).unwrap(),
                &["mark", "zerowin"],
            );
        }
        assert_eq!(drawn, zero, "C{}", f.uid);
    }
}

#[test]
fn every_kind_is_xml_and_mermaid_and_xpl_follow_the_segments() {
    every_tcp_flow(|name, f| {
        for (kind, svg) in every_kind(f) {
            let doc =
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name} {kind:?}: {e}"));
            assert_eq!(doc.root_element().attribute("data-kind"), Some(kind.name()));
        }
        let m = graph::render_mermaid(f).unwrap();
        assert!(m.starts_with("sequenceDiagram\n"));
        let drawn = f.events.len().min(graph::ladder::MAX_ARROWS);
        assert_eq!(m.matches("->>").count(), drawn, "{name}");
        let x = graph::render_xpl(f, &GraphOptions::default()).unwrap();
        assert!(x.starts_with("timeval double\nunsigned\n") && x.ends_with("go\n"));
    });
}

#[test]
fn rtt_samples_follow_karns_rule() {
    let f = &flow("tcp_lossy.pcap", "C1");
    let svg = svg_of(f, GraphKind::Rtt);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let n = counted(&doc, &["rtt"]);
    assert!(n > 100, "{n} samples");
    // Without options recorded the samples come from segment/ACK matching,
    // and none comes from a retransmitted range.
    let mut bare = f.clone();
    bare.options.clear();
    let svg = svg_of(&bare, GraphKind::Rtt);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let plot = doc.descendants().find(|n| has_class(n, "plot")).unwrap();
    assert_eq!(plot.attribute("data-method"), Some("seqack"));
    assert!(counted(&doc, &["rtt"]) > 50);
}

#[test]
fn flow_ids_are_uids_or_stream_indexes() {
    let r = report("demo_talk.pcap");
    let first = find_flow(&r, None).unwrap().uid;
    assert_eq!(find_flow(&r, Some("0")).unwrap().uid, first);
    assert_eq!(
        find_flow(&r, Some(&format!("C{first}"))).unwrap().uid,
        first
    );
    assert!(find_flow(&r, Some("C999")).is_err());
    assert!(find_flow(&r, Some("banana")).is_err());
}

/// The README's pictures (SVG) are what the program draws now.
#[test]
fn readme_pictures_are_current() {
    for (name, kind, file) in [
        (
            "demo_tcp.pcap",
            GraphKind::Ladder,
            "pictures/demo_tcp_ladder.svg",
        ),
        (
            "tcp_lossy.pcap",
            GraphKind::Tsg,
            "pictures/tcp_lossy_tsg.svg",
        ),
    ] {
        let r = report(name);
        let f = find_flow(&r, Some("0")).unwrap();
        let svg = svg_of(f, kind);
        support::golden::check_golden(file, &svg);
    }
}

#[cfg(feature = "png")]
mod png {
    use super::*;
    use support::golden::{blessing, golden_path};

    #[test]
    fn resvg_renders_every_kind() {
        every_tcp_flow(|name, f| {
            for (kind, svg) in every_kind(f) {
                let png = graph::png::render(&svg, 1.0);
                let png = png.unwrap_or_else(|e| panic!("{name} C{} {kind:?}: {e}", f.uid));
                assert!(png.starts_with(b"\x89PNG"));
            }
        });
    }

    /// (capture, flow, kind, golden file)
    const PICTURES: &[(&str, &str, GraphKind, &str)] = &[
        (
            "demo_tcp.pcap",
            "0",
            GraphKind::Ladder,
            "pictures/demo_tcp_ladder.png",
        ),
        (
            "tcp_lossy.pcap",
            "0",
            GraphKind::Tsg,
            "pictures/tcp_lossy_tsg.png",
        ),
        (
            "tcp_analysis_loss.pcap",
            "0",
            GraphKind::Ladder,
            "graph/tcp_analysis_loss_ladder.png",
        ),
        (
            "tcp_analysis_window.pcap",
            "0",
            GraphKind::Window,
            "graph/tcp_analysis_window_window.png",
        ),
        (
            "tcp_refused.pcap",
            "0",
            GraphKind::Ladder,
            "graph/tcp_refused_ladder.png",
        ),
        (
            "tcp_lossy.pcap",
            "0",
            GraphKind::Throughput,
            "graph/tcp_lossy_throughput.png",
        ),
        (
            "tcp_lossy.pcap",
            "0",
            GraphKind::Rtt,
            "graph/tcp_lossy_rtt.png",
        ),
    ];

    #[test]
    fn rendered_pngs_match_the_committed_pictures_at_sampled_pixels() {
        for &(name, id, kind, file) in PICTURES {
            let r = report(name);
            let f = find_flow(&r, Some(id)).unwrap();
            let svg = svg_of(f, kind);
            let png = graph::png::render(&svg, 1.0).unwrap();
            let path = golden_path(file);
            if blessing() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &png).unwrap();
                continue;
            }
            let want = resvg::tiny_skia::Pixmap::load_png(&path).unwrap_or_else(|e| {
                panic!("{}: {e} (SOCKSCOPE_BLESS=1 writes it)", path.display())
            });
            let got = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
            assert_eq!(
                (got.width(), got.height()),
                (want.width(), want.height()),
                "{file}"
            );
            // A 24 × 24 lattice of pixels, plus every pixel of the middle row.
            let (w, h) = (got.width(), got.height());
            let mut points: Vec<(u32, u32)> = (1..25)
                .flat_map(|i| (1..25).map(move |j| (w * i / 25, h * j / 25)))
                .collect();
            points.extend((0..w).map(|x| (x, h / 2)));
            let mut differ = Vec::new();
            for (x, y) in points {
                let (a, b) = (got.pixel(x, y).unwrap(), want.pixel(x, y).unwrap());
                let d = [
                    a.red().abs_diff(b.red()),
                    a.green().abs_diff(b.green()),
                    a.blue().abs_diff(b.blue()),
                ];
                if d.iter().any(|&c| c > 24) {
                    differ.push((x, y));
                }
            }
            assert!(
                differ.is_empty(),
                "{file}: {} sampled pixels differ, first {:?} (SOCKSCOPE_BLESS=1 rewrites it if the change is intended)",
                differ.len(),
                differ.iter().take(5).collect::<Vec<_>>()
            );
        }
    }
}

/// The command line: each format writes its kind of file; a format that
/// does not fit the kind is a usage error (exit 2); an unknown flow exit 1.
#[test]
fn graph_command_writes_each_format() {
    use support::bin::{sockscope, text};
    let dir = support::tempdir();
    let cap = capture("tcp_analysis_loss.pcap");
    let cap = cap.to_str().unwrap();
    let cases: &[(&[&str], &str, &[u8])] = &[
        (&["--kind", "ladder"], "a.svg", b"<svg"),
        (&["--kind", "tsg", "--style", "stevens"], "b.svg", b"<svg"),
        (
            &["--kind", "ladder", "--format", "mermaid"],
            "c.mmd",
            b"sequenceDiagram",
        ),
        (
            &["--kind", "tsg", "--format", "xpl"],
            "d.xpl",
            b"timeval double",
        ),
        #[cfg(feature = "png")]
        (
            &["--kind", "window", "--format", "png"],
            "e.png",
            b"\x89PNG",
        ),
    ];
    for (args, file, magic) in cases {
        let out = dir.join(file);
        let mut all = vec!["graph", cap, "--stream", "C1", "-o", out.to_str().unwrap()];
        all.extend_from_slice(args);
        let o = sockscope(&all);
        assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
        assert!(std::fs::read(&out).unwrap().starts_with(magic), "{args:?}");
    }
    // The filter may come before the options (the usage line's order).
    let out = dir.join("f.svg");
    let out = out.to_str().unwrap();
    let o = sockscope(&[
        "graph", cap, "tcp", "port", "80", "--stream", "0", "-o", out,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = sockscope(&["graph", cap, "udp", "-o", out]);
    assert_eq!(o.status.code(), Some(1), "a filter that leaves no TCP flow");
    let o = sockscope(&[
        "graph", cap, "--kind", "tsg", "--format", "mermaid", "-o", "-",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let o = sockscope(&["graph", cap, "--stream", "C9", "-o", "-"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no flow C9"));
}

/// Payload bytes per direction summed over the TCP flows, as
/// `read --flows --json` reports them (orig_bytes, resp_bytes).
fn json_tcp_bytes(cap: &str) -> (u64, u64) {
    use support::bin::{sockscope, text};
    let o = sockscope(&["read", cap, "--flows", "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (mut orig, mut resp) = (0, 0);
    for line in text(&o.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        if v["proto"] == "tcp"
            && let (Some(a), Some(b)) = (v["orig_bytes"].as_u64(), v["resp_bytes"].as_u64())
        {
            orig += a;
            resp += b;
        }
    }
    (orig, resp)
}

/// `--stream all`: the throughput totals (and the per-bin `data-bytes`)
/// add up to the flow table's payload bytes per direction, the time axis
/// covers the whole capture, and every flow with an RTT sample in its own
/// graph has one in the whole-capture graph.
#[test]
fn whole_capture_throughput_and_rtt_cover_every_flow() {
    use support::bin::{sockscope, text};
    let dir = support::tempdir();
    for name in ["tcp_lossy.pcap", "demo_tcp.pcap"] {
        let path = capture(name);
        let cap = path.to_str().unwrap();
        let r = report(name);
        assert!(name != "demo_tcp.pcap" || tcp_flows(&r).count() > 1);
        let first = r.flows.iter().map(|f| f.first.0).min().unwrap();
        let last = r.flows.iter().map(|f| f.last.0).max().unwrap();
        let span = (last - first) as f64 / 1e9;
        let draw = |kind: &str| {
            let out = dir.join(format!("{name}.{kind}.svg"));
            let o = sockscope(&[
                "graph",
                cap,
                "--stream",
                "all",
                "--kind",
                kind,
                "-o",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{name} {kind}: {}", text(&o.stderr));
            std::fs::read_to_string(out).unwrap()
        };

        let svg = draw("throughput");
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
        let (orig, resp) = json_tcp_bytes(cap);
        assert!(orig + resp > 0, "{name}: the capture carries data");
        for (dir, want) in [("c2s", orig), ("s2c", resp)] {
            let total = doc
                .descendants()
                .find(|n| has_class(n, "total") && has_class(n, dir))
                .and_then(|n| n.attribute("data-bytes"))
                .expect("a total per direction")
                .parse::<u64>()
                .unwrap();
            assert_eq!(total, want, "{name} {dir}: total vs read --flows --json");
            let bins: u64 = doc
                .descendants()
                .filter(|n| has_class(n, "tput") && has_class(n, dir))
                .map(|n| n.attribute("data-bytes").unwrap().parse::<u64>().unwrap())
                .sum();
            assert_eq!(bins, want, "{name} {dir}: bins vs read --flows --json");
        }
        let (x0, x1) = axis(&doc, "x");
        assert!(x0 <= 0.0 && x1 >= span, "{name}: x {x0}..{x1} vs {span}");

        let svg = draw("rtt");
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
        let (x0, x1) = axis(&doc, "x");
        assert!(
            x0 <= 0.0 && x1 >= span,
            "{name}: rtt x {x0}..{x1} vs {span}"
        );
        let mut with_samples = 0;
        for f in tcp_flows(&r) {
            let one = svg_of(f, GraphKind::Rtt);
            let one = roxmltree::Document::parse(&one).unwrap();
            if counted(&one, &["rtt"]) == 0 {
                continue;
            }
            with_samples += 1;
            let uid = format!("C{}", f.uid);
            let here = doc
                .descendants()
                .filter(|n| has_class(n, "rtt") && n.attribute("data-flow") == Some(uid.as_str()))
                .map(|n| count_attr(&n))
                .sum::<u64>();
            assert!(
                here >= 1,
                "{name}: {uid} has RTT samples but none in the whole graph"
            );
        }
        assert!(with_samples >= 1, "{name}: some flow has RTT samples");
    }
}

/// Kinds that follow one flow's sequence space refuse `--stream all` as a
/// usage error (exit 2) naming the kinds that take a whole capture.
#[test]
fn whole_capture_ladder_is_a_usage_error() {
    use support::bin::{sockscope, text};
    let path = capture("demo_tcp.pcap");
    let p = path.to_str().unwrap();
    for kind in ["ladder", "tsg", "window"] {
        let o = sockscope(&["graph", p, "--stream", "all", "--kind", kind, "-o", "-"]);
        assert_eq!(o.status.code(), Some(2), "{kind}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(err.contains("throughput or rtt"), "{kind}: {err}");
        assert!(o.stdout.is_empty(), "{kind}: nothing drawn");
    }
}
