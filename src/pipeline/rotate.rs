//! `-C`, `-G`, `-W`: when the `-w` file is closed and the next one opened,
//! and what the next one is called, exactly as tcpdump does it, so scripts
//! written for tcpdump's rings find the same names:
//!
//! - `-C SIZE`: before a packet is written, if the file is already larger
//!   than SIZE bytes, the next file starts. The files after the first are
//!   `FILE1`, `FILE2` …; with `-W N` they are a ring `FILE0` … `FILE{N-1}`
//!   (the number zero-padded to the digits of N-1) reused in turn.
//! - `-G SECS`: when a packet comes SECS seconds or more after the file was
//!   opened, the next file starts; `FILE` is a strftime format of the time
//!   it opens. With `-W N` and no `-C`, the capture stops (tcpdump: "Maximum
//!   file limit reached: N") instead of opening file N+1.
//!
//! Each file starts with its own pcap header, so each is a capture on its own.
//! The Parquet outputs turn with it ([`companion`] names their files), so a
//! long capture becomes a dataset.

use crate::sys::localtime::strftime;
use std::path::PathBuf;

/// What the user asked for (sizes in bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    /// `-C`, already in bytes.
    pub size: Option<u64>,
    /// `-G`.
    pub seconds: Option<u64>,
    /// `-W`.
    pub files: Option<u32>,
}

/// What to do before the next packet is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Turn {
    Keep,
    /// Close the file and go on in this one.
    Next(PathBuf),
    /// `-G` with `-W N`: N files were written; stop the capture.
    Stop {
        files: u32,
    },
}

/// Names the files and decides when to turn to the next one.
#[derive(Debug)]
pub struct Rotator {
    base: String,
    rotation: Rotation,
    /// Digits of the number suffix (tcpdump's `WflagChars`): those of
    /// N-1 for `-W N` with `-C`, none otherwise.
    digits: usize,
    /// Number of the current file in the `-C` sequence (or ring).
    size_turns: u64,
    /// Files `-G` has closed.
    time_turns: u64,
    /// When the current `-G` period began (seconds since the epoch).
    opened: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("-C and -G write a sequence of files: they need a file name with -w, not `-` (stdout)")]
    Stdout,
    #[error("-w {0:?}: the -G file name does not format (a NUL byte, or longer than 4096 bytes)")]
    Format(String),
}

impl Rotator {
    /// A rotation of `base` (the `-w` argument) starting at `now` (seconds
    /// since the epoch), and the name of the first file.
    pub fn start(
        base: &str,
        rotation: Rotation,
        now: i64,
    ) -> Result<(Rotator, PathBuf), RotateError> {
        if base == "-" {
            return Err(RotateError::Stdout);
        }
        let digits = match (rotation.size, rotation.files) {
            (Some(_), Some(n)) => digits_of(n.saturating_sub(1)),
            _ => 0,
        };
        let r = Rotator {
            base: base.to_string(),
            rotation,
            digits,
            size_turns: 0,
            time_turns: 0,
            opened: now,
        };
        let first = r.name()?;
        Ok((r, first))
    }

    /// Before a packet is written to a file now `file_bytes` long.
    pub fn turn(&mut self, file_bytes: u64, now: i64) -> Result<Turn, RotateError> {
        if let Some(secs) = self.rotation.seconds
            && now.saturating_sub(self.opened) >= secs as i64
        {
            self.opened = now;
            self.time_turns += 1;
            if self.rotation.size.is_none()
                && let Some(n) = self.rotation.files
                && self.time_turns >= u64::from(n)
            {
                return Ok(Turn::Stop { files: n });
            }
            self.size_turns = 0;
            return Ok(Turn::Next(self.name()?));
        }
        if let Some(size) = self.rotation.size
            && file_bytes > size
        {
            self.size_turns += 1;
            if let Some(n) = self.rotation.files
                && self.size_turns >= u64::from(n)
            {
                self.size_turns = 0;
            }
            return Ok(Turn::Next(self.name()?));
        }
        Ok(Turn::Keep)
    }

    /// tcpdump's `MakeFilename`: the strftime'd base (with -G), then the
    /// file's number unless it is the first and no digits are asked for.
    fn name(&self) -> Result<PathBuf, RotateError> {
        let mut name = if self.rotation.seconds.is_some() {
            strftime(&self.base, self.opened)
                .ok_or_else(|| RotateError::Format(self.base.clone()))?
        } else {
            self.base.clone()
        };
        if self.size_turns != 0 || self.digits != 0 {
            name.push_str(&format!("{:0width$}", self.size_turns, width = self.digits));
        }
        Ok(PathBuf::from(name))
    }
}

/// The Parquet file that goes with the pcap file `pcap` when `-w` rotates:
/// `base` (the `-o` or `--packets-parquet` argument) with the pcap file's
/// name before its extension (`flows.parquet` and `cap-1700000000.pcap`
/// give `flows.cap-1700000000.pcap.parquet`): one per pcap file, found by
/// one glob (`flows.*.parquet`), reused in turn as a `-W` ring reuses the
/// pcap files.
pub fn companion(base: &std::path::Path, pcap: &std::path::Path) -> PathBuf {
    let stem = base.file_stem().unwrap_or_default().to_string_lossy();
    let ext = base
        .extension()
        .map_or_else(|| "parquet".into(), |e| e.to_string_lossy());
    let name = pcap.file_name().unwrap_or_default().to_string_lossy();
    base.with_file_name(format!("{stem}.{name}.{ext}"))
}

/// Decimal digits of `n`, 0 for 0 (tcpdump's `getWflagChars(n + 1)`).
fn digits_of(mut n: u32) -> usize {
    let mut d = 0;
    while n > 0 {
        d += 1;
        n /= 10;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(c: u64, w: Option<u32>) -> Rotation {
        Rotation {
            size: Some(c),
            seconds: None,
            files: w,
        }
    }

    fn names(r: &mut Rotator, turns: usize) -> Vec<String> {
        (0..turns)
            .map(|_| match r.turn(101, 0).unwrap() {
                Turn::Next(p) => p.display().to_string(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn test_size_alone_numbers_from_one() {
        let (mut r, first) = Rotator::start("x", size(100, None), 0).unwrap();
        assert_eq!(first, PathBuf::from("x"));
        assert_eq!(r.turn(100, 0).unwrap(), Turn::Keep, "not larger yet");
        assert_eq!(names(&mut r, 3), ["x1", "x2", "x3"]);
    }

    #[test]
    fn test_size_ring_pads_to_the_digits_of_w_minus_one() {
        let (mut r, first) = Rotator::start("x", size(100, Some(3)), 0).unwrap();
        assert_eq!(first, PathBuf::from("x0"));
        assert_eq!(names(&mut r, 4), ["x1", "x2", "x0", "x1"]);
        let (mut r, first) = Rotator::start("x", size(100, Some(12)), 0).unwrap();
        assert_eq!(first, PathBuf::from("x00"));
        assert_eq!(names(&mut r, 1), ["x01"]);
        let (_, first) = Rotator::start("x", size(100, Some(10)), 0).unwrap();
        assert_eq!(first, PathBuf::from("x0"));
        // -W 1: no digits at all, one file written over and over.
        let (mut r, first) = Rotator::start("x", size(100, Some(1)), 0).unwrap();
        assert_eq!(first, PathBuf::from("x"));
        assert_eq!(names(&mut r, 2), ["x", "x"]);
    }

    #[test]
    fn test_time_alone_stops_after_w_files() {
        let rot = Rotation {
            size: None,
            seconds: Some(2),
            files: Some(2),
        };
        let (mut r, first) = Rotator::start("g-%s", rot, 1000).unwrap();
        assert_eq!(first, PathBuf::from("g-1000"));
        assert_eq!(r.turn(1 << 40, 1001).unwrap(), Turn::Keep);
        assert_eq!(r.turn(0, 1002).unwrap(), Turn::Next("g-1002".into()));
        assert_eq!(r.turn(0, 1004).unwrap(), Turn::Stop { files: 2 });
    }

    #[test]
    fn test_time_and_size_restart_the_number_each_period() {
        let rot = Rotation {
            size: Some(10),
            seconds: Some(5),
            files: Some(3),
        };
        let (mut r, first) = Rotator::start("b-%s-", rot, 100).unwrap();
        assert_eq!(first, PathBuf::from("b-100-0"));
        assert_eq!(r.turn(11, 101).unwrap(), Turn::Next("b-100-1".into()));
        assert_eq!(r.turn(0, 105).unwrap(), Turn::Next("b-105-0".into()));
    }

    #[test]
    fn test_companion_names_carry_the_pcap_name() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            companion(&p("out/flows.parquet"), &p("caps/cap-17.pcap1")),
            p("out/flows.cap-17.pcap1.parquet")
        );
        assert_eq!(companion(&p("pk"), &p("x")), p("pk.x.parquet"));
    }

    #[test]
    fn test_stdout_cannot_rotate() {
        assert!(matches!(
            Rotator::start("-", size(1, None), 0),
            Err(RotateError::Stdout)
        ));
    }
}
