//! The binary: parse the command line, run it, map the error's kind to an
//! exit code (0 success, 1 runtime error, 2 usage error as clap's).

use clap::Parser;
use sockscope::cli::{self, Cli};
use std::process::ExitCode;

// The flow table and the pipeline allocate many small, short-lived strings;
// mimalloc serves them faster than glibc's malloc.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse(); // usage errors exit 2 (clap's default)
    match cli::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sockscope: {err:#}");
            ExitCode::from(cli::exit_code(&err))
        }
    }
}
