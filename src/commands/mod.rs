//! One file per subcommand: turns its parsed arguments into configuration and
//! runs it. `main` only dispatches here and maps errors to exit codes.

pub mod capture;
pub mod client;
pub mod demo;
pub mod env;
pub mod interfaces;
pub mod read;
pub mod serve;
