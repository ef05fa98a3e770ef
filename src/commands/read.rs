//! `sockscope read`.

use crate::cli::ReadArgs;

pub fn run(args: &ReadArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("`sockscope read` is not implemented yet")
}
