//! `bpf::dump` prints programs exactly as `tcpdump -d` does: for every
//! program tcpdump compiled from tests/filter/expressions.txt (optimised and
//! with -O), dumping its `-dd` form gives its `-d` text byte for byte.

mod support;

use sockscope::filter::bpf;

#[test]
fn dump_matches_tcpdump_d_output() {
    let path = support::root().join("tests/filter/dump_expected.txt");
    let text = std::fs::read_to_string(&path).expect("dump_expected.txt");
    let mut cases = 0;
    let mut failures = Vec::new();
    for block in text.split("\n== ").skip(1) {
        let (title, rest) = block.split_once('\n').expect("title line");
        let (d, dd) = rest.split_once("\n--\n").expect("-- separator");
        let prog = bpf::parse_c(dd).expect("tcpdump -dd output");
        let ours = bpf::dump(&prog);
        if ours.trim_end_matches('\n') != d.trim_end_matches('\n') {
            failures.push(format!("{title}\n--- tcpdump -d\n{d}\n--- ours\n{ours}"));
        }
        // And -dd's format round-trips through our printer.
        assert_eq!(bpf::parse_c(&bpf::dump_c(&prog)).expect("round trip"), prog);
        cases += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases >= 200, "only {cases} programs");
}
