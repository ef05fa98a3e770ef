//! The filter captures in captures/ are generated (tests/support/filter_captures.rs):
//! this test fails when the committed files differ from what the generator
//! produces, and rewrites them with SOCKSCOPE_REGEN_CAPTURES=1 (then run
//! tests/filter/regen.sh).

mod support;

use support::filter_captures::{CAPTURES, capture_bytes};
use support::golden::check_generated;

#[test]
fn committed_filter_captures_match_the_generator() {
    for (name, link) in CAPTURES {
        check_generated(name, &capture_bytes(link));
    }
}
