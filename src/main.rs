use clap::Parser;
use sockscope::cli::{Cli, Command};
use sockscope::commands;
use std::process::ExitCode;

// The flow table and the pipeline allocate many small, short-lived strings;
// mimalloc serves them faster than glibc's malloc.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse(); // usage errors exit 2 (clap's default)
    let result = match &cli.command {
        Command::Interfaces => commands::interfaces::run(),
        Command::Capture(args) => commands::capture::run(args),
        Command::Read(args) => commands::read::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Client(args) => commands::client::run(args),
        Command::Demo(args) => commands::demo::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sockscope: {err:#}");
            // A filter that does not parse is a usage error, like clap's.
            if err
                .downcast_ref::<sockscope::filter::FilterError>()
                .is_some()
            {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
