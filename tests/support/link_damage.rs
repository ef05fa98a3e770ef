//! The damage test the link-type test files share: copies of a link
//! type's records damaged at random must read at every level, as `--json`
//! and as flows, without a panic or a failed run.

use super::bin::{sockscope, text};
use super::dns_captures::{mutate, rng};
use super::{link_captures, temp_path};

/// `seeds` damaged `rng::mutation_rounds()` times (at most 20,000) from
/// seed `seed`, in a capture of `link`, read with `-vvv`, `-e -x`,
/// `--json` and `--flows -q`: each run must succeed. Then, in this
/// process, `rng::mutation_rounds()` damaged copies (a million in a
/// release build) through every stage: no panic, no loop, bounded lines.
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
    through_every_stage(link, seeds, seed);
}

/// `rng::mutation_rounds()` damaged copies of `seeds`, records of `link`,
/// through every stage in this process
/// ([`super::app_captures::damaged_frames_through_every_stage`]).
pub fn through_every_stage(link: u32, seeds: &[Vec<u8>], seed: u64) {
    let frames: Vec<(u32, Vec<u8>)> = seeds.iter().map(|s| (link, s.clone())).collect();
    let rounds = super::rng::mutation_rounds();
    let (slowest, longest) =
        super::app_captures::damaged_frames_through_every_stage(&frames, rounds, !seed);
    eprintln!(
        "link type {link}: {rounds} damaged records, slowest {slowest:?}, longest line {longest} bytes"
    );
}
