//! Shared helpers for integration tests: run the real binary, compare with
//! golden files (rewrite them with `SOCKSCOPE_BLESS=1`).
#![allow(dead_code)]

pub mod inspect_captures;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn capture(name: &str) -> PathBuf {
    root().join("captures").join(name)
}

/// Run `sockscope ARGS` with a fixed time zone.
pub fn sockscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("the sockscope binary runs")
}

/// stdout, stderr and the exit code in one text, for golden files.
pub fn transcript(out: &Output) -> String {
    format!(
        "{}--- stderr ---\n{}--- exit {} ---\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// Compare `actual` with the golden file byte for byte; print both on
/// failure. With SOCKSCOPE_BLESS=1, write the golden file instead.
pub fn check_golden(path: &Path, actual: &str) {
    if std::env::var_os("SOCKSCOPE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with SOCKSCOPE_BLESS=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from {}\n--- expected ---\n{expected}\n--- actual ---\n{actual}",
            path.display()
        );
    }
}

/// Whether tests that need an outside tool must fail instead of skipping.
pub fn require_live() -> bool {
    std::env::var("SOCKSCOPE_REQUIRE_LIVE").is_ok_and(|v| v == "1")
}

pub fn have_tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}
