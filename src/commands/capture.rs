//! `sockscope capture`.

use crate::cli::CaptureArgs;

pub fn run(args: &CaptureArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("`sockscope capture` is not implemented yet")
}
