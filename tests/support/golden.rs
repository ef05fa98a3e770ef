//! Byte-for-byte comparisons with committed files: golden outputs under the
//! one golden root `tests/golden/` (rewritten with `SOCKSCOPE_BLESS=1`), and
//! generated captures under `captures/` (rewritten with
//! `SOCKSCOPE_REGEN_CAPTURES=1`). Both print what differs on failure.

use super::bin::{sockscope_from_root, transcript};
use super::{capture, env_on, root};
use std::path::PathBuf;

/// The golden file `rel` under `tests/golden/`.
pub fn golden_path(rel: &str) -> PathBuf {
    root().join("tests/golden").join(rel)
}

/// Whether goldens are being rewritten (`SOCKSCOPE_BLESS=1`).
pub fn blessing() -> bool {
    env_on("SOCKSCOPE_BLESS")
}

/// Compare `actual` with the golden file `tests/golden/REL`; print both on
/// failure. Under `SOCKSCOPE_BLESS=1`, write the golden file instead.
pub fn check_golden(rel: &str, actual: &str) {
    let path = golden_path(rel);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with SOCKSCOPE_BLESS=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from {}\n--- expected ---\n{expected}\n--- actual ---\n{actual}\
             (SOCKSCOPE_BLESS=1 rewrites it if the change is intended)",
            path.display()
        );
    }
}

/// Run `sockscope ARGS` (from the crate root, see
/// [`sockscope_from_root`]) and compare its transcript (stdout, stderr,
/// exit code) with the golden file `tests/golden/REL`.
pub fn check_run(rel: &str, args: &[&str]) {
    let one = transcript(&sockscope_from_root(args));
    check_golden(rel, &one);
    // Every `read` golden holds on two threads too: `read --threads` gives
    // one thread's bytes (or runs on one where it cannot).
    if args.first() == Some(&"read") && !args.contains(&"--threads") && !blessing() {
        let mut two = vec!["read", "--threads", "2"];
        two.extend_from_slice(args.get(1..).unwrap_or(&[]));
        let got = transcript(&sockscope_from_root(&two));
        assert!(
            got == one,
            "{rel}: --threads 2 differs:\n{got}\nvs one thread:\n{one}"
        );
    }
}

/// The committed `captures/NAME` must be exactly the generator's `bytes`
/// (so the generator documents every byte); `SOCKSCOPE_REGEN_CAPTURES=1`
/// writes them instead.
pub fn check_generated(name: &str, bytes: &[u8]) {
    let path = capture(name);
    if env_on("SOCKSCOPE_REGEN_CAPTURES") {
        // Written aside and renamed: tests running beside this one read the
        // file, and must never see it half written.
        let aside = path.with_extension(format!("regen-{}", std::process::id()));
        std::fs::write(&aside, bytes)
            .and_then(|()| std::fs::rename(&aside, &path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (SOCKSCOPE_REGEN_CAPTURES=1 writes it)",
            path.display()
        )
    });
    assert!(
        committed == bytes,
        "{} differs from its generator; regenerate it with SOCKSCOPE_REGEN_CAPTURES=1 \
         (see tests/README.md for what to re-record after)",
        path.display()
    );
}
