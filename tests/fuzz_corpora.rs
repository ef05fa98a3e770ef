//! Replays the committed fuzz corpora (`tests/fuzz/seeds/TARGET/`, small and hand-picked; the
//! fuzzer's own growing corpus in `tests/fuzz/corpus/` is not committed) and the
//! crash regressions (`tests/fuzz/regressions/TARGET/`) through the fuzz
//! targets' bodies as a normal test: CI needs no nightly toolchain and no
//! fuzzer to check that nothing the fuzzer once found comes back.

#[path = "fuzz/targets.rs"]
mod targets;

mod support;

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
    fuzz_corpus_text: "text", targets::text;
    fuzz_corpus_netbios: "netbios", targets::netbios;
    fuzz_corpus_routing: "routing", targets::routing;
    fuzz_corpus_http: "http", targets::http;
    fuzz_corpus_tls: "tls", targets::tls;
}

/// The seeds of the application targets, built from the messages the
/// damage tests start from (`tests/support/*_captures.rs`): the name of
/// the file and its bytes, each a target's prefix bytes then a message.
fn built_seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    use support::{http_captures, ldp_captures, netbios_captures, rip_captures, tls_captures};
    let mut out = Vec::new();
    // `app`'s input: the (TCP?, port) pick, a mode of 0 (declared length
    // as captured), the message.
    let mut app = |target, table: &[(bool, u16)], tcp: bool, port: u16, ms: Vec<Vec<u8>>| {
        let pick = table
            .iter()
            .position(|&e| e == (tcp, port))
            .unwrap_or_else(|| panic!("{port} is not in the {target} target's table"));
        let proto = if tcp { "tcp" } else { "udp" };
        for (i, m) in ms.into_iter().enumerate() {
            let mut seed = vec![pick as u8, 0];
            seed.extend(m);
            out.push((target, format!("{proto}{port}_{i:02}"), seed));
        }
    };
    for (tcp, port, ms) in support::txtproto_captures::all_messages() {
        app("text", targets::TEXT, tcp, port, ms);
    }
    let by_port = |all: Vec<(bool, u16, Vec<u8>)>, port: u16| -> Vec<Vec<u8>> {
        all.into_iter()
            .filter(|(_, p, _)| *p == port)
            .map(|(_, _, m)| m)
            .collect()
    };
    for (tcp, port) in targets::NETBIOS.iter().copied() {
        app(
            "netbios",
            targets::NETBIOS,
            tcp,
            port,
            by_port(netbios_captures::messages(), port),
        );
    }
    let rip = by_port(rip_captures::rip_messages(), rip_captures::RIP_PORT);
    app(
        "routing",
        targets::ROUTING,
        false,
        rip_captures::RIP_PORT,
        rip,
    );
    let ripng = by_port(rip_captures::ripng_messages(), rip_captures::RIPNG_PORT);
    app(
        "routing",
        targets::ROUTING,
        false,
        rip_captures::RIPNG_PORT,
        ripng,
    );
    for tcp in [false, true] {
        let ldp = by_port(ldp_captures::messages(), ldp_captures::PORT);
        app("routing", targets::ROUTING, tcp, ldp_captures::PORT, ldp);
    }
    use support::{msdp_captures as msdp, pptp_captures as pptp, rpki_rtr_captures as rpki};
    for (port, all) in [
        (pptp::PORT, pptp::messages()),
        (rpki::PORT, rpki::messages()),
        (msdp::PORT, msdp::messages()),
    ] {
        let ms = support::app_captures::payloads(all);
        app("routing", targets::ROUTING, true, port, ms);
    }
    // `http` and `tls`: the resume byte or length mode, then three cuts
    // (a quarter, a half, three quarters), then the stream.
    for (target, streams) in [
        ("http", http_captures::framed_messages()),
        ("tls", tls_captures::tls_seeds()),
    ] {
        for (i, m) in streams.into_iter().enumerate() {
            let mut seed = vec![0, 0x20, 0x40, 0x60];
            seed.extend(m);
            out.push((target, format!("{target}_{i:02}"), seed));
        }
    }
    out
}

/// The committed seeds of the application targets are the damage tests'
/// messages, all of them and nothing else, so a message added there
/// reaches the fuzzer too; `SOCKSCOPE_WRITE_FUZZ_SEEDS=1` writes them.
#[test]
fn fuzz_seeds_are_the_damage_tests_messages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/seeds");
    let seeds = built_seeds();
    let write = std::env::var_os("SOCKSCOPE_WRITE_FUZZ_SEEDS").is_some();
    for target in ["text", "netbios", "routing", "http", "tls"] {
        let dir = root.join(target);
        let want: std::collections::BTreeMap<&String, &Vec<u8>> = seeds
            .iter()
            .filter(|(t, _, _)| *t == target)
            .map(|(_, name, bytes)| (name, bytes))
            .collect();
        assert!(!want.is_empty(), "no messages for {target}");
        if write {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("the seed folder");
            for (name, bytes) in &want {
                std::fs::write(dir.join(name), bytes).expect("a seed written");
            }
        }
        let mut have: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        have.sort();
        let names: Vec<String> = want.keys().map(|n| n.to_string()).collect();
        assert_eq!(
            have, names,
            "{target}: seeds (SOCKSCOPE_WRITE_FUZZ_SEEDS=1 rewrites)"
        );
        for (name, bytes) in want {
            let got = std::fs::read(dir.join(name)).expect("a seed");
            assert!(&got == bytes, "{target}/{name} differs from its message");
        }
    }
}
