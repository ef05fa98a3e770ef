//! The filter captures in captures/ are generated (tests/filter_support):
//! this test fails when the committed files differ from what the generator
//! produces, and rewrites them with SOCKSCOPE_REGEN_CAPTURES=1.

mod filter_support;

use filter_support::{CAPTURES, capture_bytes, root};

#[test]
fn committed_filter_captures_match_the_generator() {
    let regen = std::env::var("SOCKSCOPE_REGEN_CAPTURES").is_ok_and(|v| v == "1");
    for (name, link) in CAPTURES {
        let path = root().join("captures").join(name);
        let want = capture_bytes(link);
        if regen {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("wrote {}", path.display());
            continue;
        }
        let have = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (regenerate with SOCKSCOPE_REGEN_CAPTURES=1)",
                path.display()
            )
        });
        assert!(
            have == want,
            "{} differs from the generator; regenerate with SOCKSCOPE_REGEN_CAPTURES=1 \
             and then tests/filter/regen.sh",
            path.display()
        );
    }
}
