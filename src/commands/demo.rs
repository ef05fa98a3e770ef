//! `sockscope demo`.

use crate::cli::DemoArgs;

pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("`sockscope demo` is not implemented yet")
}
