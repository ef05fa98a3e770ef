//! Where servers send their accept/close/error lines: stderr for the CLI,
//! nowhere or a callback for the demo (which prints its own transcript).

use std::fmt;
use std::sync::{Arc, Mutex};

type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// A cheap, cloneable log destination.
#[derive(Clone)]
pub struct Log(Option<Sink>);

impl Log {
    /// One line per event on stderr (the CLI default).
    pub fn stderr() -> Self {
        Log(Some(Arc::new(|line: &str| eprintln!("{line}"))))
    }

    /// Discard everything.
    pub fn quiet() -> Self {
        Log(None)
    }

    /// Call `f` with each line.
    pub fn to_fn(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Log(Some(Arc::new(f)))
    }

    /// Collect lines in memory (tests, demo); returns the log and the buffer.
    pub fn collect() -> (Self, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log = Log::to_fn(move |line| {
            if let Ok(mut v) = sink.lock() {
                v.push(line.to_string());
            }
        });
        (log, lines)
    }

    /// Writes one line; formatting is skipped entirely when quiet.
    pub fn line(&self, args: fmt::Arguments<'_>) {
        if let Some(sink) = &self.0 {
            sink(&args.to_string());
        }
    }

    pub fn is_quiet(&self) -> bool {
        self.0.is_none()
    }
}

impl Default for Log {
    fn default() -> Self {
        Log::stderr()
    }
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Log(on)"
        } else {
            "Log(quiet)"
        })
    }
}
