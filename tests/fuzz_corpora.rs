//! Replays the committed fuzz corpora (`tests/fuzz/seeds/TARGET/`, small and hand-picked; the
//! fuzzer's own growing corpus in `tests/fuzz/corpus/` is not committed) and the
//! crash regressions (`tests/fuzz/regressions/TARGET/`) through the fuzz
//! targets' bodies as a normal test: CI needs no nightly toolchain and no
//! fuzzer to check that nothing the fuzzer once found comes back.

#[path = "fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("{}", path.display());
            body(&bytes);
            n += 1;
        }
    }
    assert!(n > 0, "no seeds for the {target} fuzz target");
}

/// One test per fuzz target, so a failure names its corpus.
macro_rules! replay_tests {
    ($($test:ident: $target:literal, $run:path;)*) => {
        $(
            #[test]
            fn $test() {
                replay($target, $run);
            }
        )*
    };
}

replay_tests! {
    fuzz_corpus_pcap: "pcap", targets::file;
    fuzz_corpus_pcapng: "pcapng", targets::file;
    fuzz_corpus_decode: "decode", targets::decode;
    fuzz_corpus_filter: "filter", targets::filter;
    fuzz_corpus_flow: "flow", targets::flow;
}
