//! `sockscope client`.

use crate::cli::ClientArgs;

pub fn run(args: &ClientArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("`sockscope client` is not implemented yet")
}
