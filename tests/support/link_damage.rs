//! The damage test the link-type test files share: copies of a link
//! type's records damaged at random must read at every level, as `--json`
//! and as flows, without a panic or a failed run.

use super::bin::{sockscope, text};
use super::dns_captures::{mutate, rng};
use super::{link_captures, temp_path};

/// `seeds` damaged `rng::mutation_rounds()` times (at most 20,000) from
/// seed `seed`, in a capture of `link`, read with `-vvv`, `-e -x`,
/// `--json` and `--flows -q`: each run must succeed.
pub fn damaged_records_read(link: u32, seeds: &[Vec<u8>], seed: u64) {
    let mut rng = rng(seed);
    let damaged: Vec<Vec<u8>> = (0..super::rng::mutation_rounds().min(20_000))
        .map(|i| mutate(&mut rng, &seeds[i % seeds.len()]))
        .filter(|f| !f.is_empty())
        .collect();
    let path = temp_path(
        &format!("link-{link}-damaged"),
        link_captures::capture(link, &damaged, 0),
    );
    for level in [
        &["-vvv"][..],
        &["-e", "-x"],
        &["--json"],
        &["--flows", "-q"],
    ] {
        let args: Vec<&str> = ["read", &path]
            .into_iter()
            .chain(level.iter().copied())
            .collect();
        let out = sockscope(&args);
        assert!(out.status.success(), "{level:?}: {}", text(&out.stderr));
    }
}
