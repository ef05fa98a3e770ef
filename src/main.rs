//! The binary: parse the command line, run it, map the error's kind to an
//! exit code (0 success, 1 runtime error, 2 usage error as clap's).

use sockscope::cli;
use std::process::ExitCode;

// The flow table and the pipeline allocate many small, short-lived strings;
// mimalloc serves them faster than glibc's malloc.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The command's stack: filters nest up to 2048 levels (tcpdump accepts
/// 1000+) and every pass over the tree recurses, which takes more than the
/// main thread's 8 MiB in a debug build. Only touched pages are used.
const STACK: usize = 64 << 20;

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        // A tcpdump flag we do not take: our hint, not clap's `-- -X` tip.
        Err(e) => match cli::tcpdump::unknown_flag_message(&e) {
            Some(message) => {
                eprint!("{message}");
                return ExitCode::from(2);
            }
            None => e.exit(), // usage errors exit 2 (clap's default)
        },
    };
    let worker = std::thread::Builder::new()
        .name("sockscope".into())
        .stack_size(STACK)
        .spawn(move || cli::run(&cli).map_err(|e| (cli::exit_code(&e), cli::error_message(&e))));
    let result = match worker {
        Ok(handle) => {
            // Signals go to the worker, whose blocking reads they interrupt.
            let _ = sockscope::sys::signals::block_in_this_thread();
            match handle.join() {
                Ok(r) => r,
                // The panic message was printed already.
                Err(_) => return ExitCode::from(101),
            }
        }
        Err(e) => Err((1, format!("cannot start the worker thread: {e}"))),
    };
    // Everything is written: the process ends here, without the
    // allocator's exit hook (`sys::exit`).
    match result {
        Ok(()) => sockscope::sys::exit::now(0),
        Err((code, message)) => {
            eprintln!("sockscope: {message}");
            sockscope::sys::exit::now(code)
        }
    }
}
