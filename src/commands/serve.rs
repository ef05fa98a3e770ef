//! `sockscope serve`.

use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("`sockscope serve` is not implemented yet")
}
