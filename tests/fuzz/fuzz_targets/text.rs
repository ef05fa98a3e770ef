//! Fuzz target `text`: see `tests/fuzz/targets.rs` for what it runs.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::text(data));
