//! Where servers send their accept/close/error lines: stderr for the CLI,
//! nowhere or a callback for the demo (which prints its own transcript).
//!
//! A server logs what peers make it do, and peers can be a flood: a log made
//! [`limited`](Log::limited) prints a burst, then a few lines a second, and
//! says how many it left out on the next line it prints (or at
//! [`flush`](Log::flush), when the server stops), so a flood costs a counter,
//! not a disk.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Instant;

type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// A cheap, cloneable log destination.
#[derive(Clone)]
pub struct Log {
    sink: Option<Sink>,
    limit: Option<Arc<Mutex<Limit>>>,
}

/// The rate limit of a [`Log::limited`] log.
struct Limit {
    per_sec: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
    suppressed: u64,
    since: Option<Instant>,
}

impl Limit {
    /// True if a line may be printed now; else counts it as left out.
    fn admit(&mut self) -> bool {
        let now = Instant::now();
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * self.per_sec;
        self.tokens = (self.tokens + earned).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            self.suppressed += 1;
            self.since.get_or_insert(now);
            false
        }
    }

    /// The summary of what was left out, once.
    fn summary(&mut self) -> Option<String> {
        let n = std::mem::take(&mut self.suppressed);
        let since = self.since.take()?;
        (n > 0).then(|| {
            format!(
                "({n} log line(s) suppressed in the last {:.1} s: more than {} a second)",
                since.elapsed().as_secs_f64(),
                self.per_sec
            )
        })
    }
}

impl Log {
    fn from_sink(sink: Option<Sink>) -> Self {
        Log { sink, limit: None }
    }

    /// One line per event on stderr (the CLI default).
    pub fn stderr() -> Self {
        Log::from_sink(Some(Arc::new(|line: &str| eprintln!("{line}"))))
    }

    /// Discard everything.
    pub fn quiet() -> Self {
        Log::from_sink(None)
    }

    /// Call `f` with each line.
    pub fn to_fn(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Log::from_sink(Some(Arc::new(f)))
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

    /// The same destination, at most `burst` lines at once and `per_sec` a
    /// second after that (clones share the budget).
    pub fn limited(&self, per_sec: u32, burst: u32) -> Self {
        Log {
            sink: self.sink.clone(),
            limit: Some(Arc::new(Mutex::new(Limit {
                per_sec: f64::from(per_sec),
                burst: f64::from(burst),
                tokens: f64::from(burst),
                at: Instant::now(),
                suppressed: 0,
                since: None,
            }))),
        }
    }

    /// Writes one line; formatting is skipped entirely when quiet or when
    /// the rate limit leaves the line out.
    pub fn line(&self, args: fmt::Arguments<'_>) {
        let Some(sink) = &self.sink else { return };
        if let Some(limit) = &self.limit {
            let summary = match limit.lock() {
                Ok(mut l) => {
                    if !l.admit() {
                        return;
                    }
                    l.summary()
                }
                Err(_) => None,
            };
            if let Some(s) = summary {
                sink(&s);
            }
        }
        sink(&args.to_string());
    }

    /// Says how many lines the limit left out since the last line printed
    /// (a server calls it as it stops).
    pub fn flush(&self) {
        let (Some(sink), Some(limit)) = (&self.sink, &self.limit) else {
            return;
        };
        let summary = limit.lock().ok().and_then(|mut l| l.summary());
        if let Some(s) = summary {
            sink(&s);
        }
    }

    pub fn is_quiet(&self) -> bool {
        self.sink.is_none()
    }
}

impl Default for Log {
    fn default() -> Self {
        Log::stderr()
    }
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.sink.is_some() {
            "Log(on)"
        } else {
            "Log(quiet)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_limited_log_summarises_what_it_left_out() {
        let (log, lines) = Log::collect();
        let log = log.limited(1, 3);
        for i in 0..10 {
            log.line(format_args!("line {i}"));
        }
        log.flush();
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(
            lines[3].starts_with("(7 log line(s) suppressed"),
            "{lines:?}"
        );
    }
}
