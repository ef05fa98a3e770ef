//! `sockscope interfaces`.

pub fn run() -> anyhow::Result<()> {
    anyhow::bail!("`sockscope interfaces` is not implemented yet")
}
