//! `follow --write-dir DIR`: one file per direction per stream, named as
//! tcpflow names them (`SRCIP.SRCPORT-DSTIP.DSTPORT`, IPv4 octets padded
//! to three digits, ports to five; `c1`, `c2`… appended when a name comes
//! back, as with port reuse), and `index.jsonl`, one line per stream
//! (uid, files, byte counts, gaps, overlaps). A hole is written as zeros,
//! so a byte's offset in the file is its offset in the stream; the index
//! says where the holes are not. Open files are bounded: past a few
//! hundred, all are closed and reopened for appending when needed.

use crate::flow::Endpoint;
use crate::flow::reassembly::{Cause, Chunk, ChunkKind, DirTotals, StreamInfo};
use serde_json::json;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// Files open at once at most.
const MAX_OPEN: usize = 256;

/// tcpflow's name of one endpoint: `010.000.000.001.40000`.
pub fn endpoint_name(e: &Endpoint) -> String {
    match e.ip() {
        IpAddr::V4(a) => {
            let [a, b, c, d] = a.octets();
            format!("{a:03}.{b:03}.{c:03}.{d:03}.{:05}", e.port)
        }
        IpAddr::V6(a) => {
            let groups: Vec<String> = a.segments().iter().map(|g| format!("{g:04x}")).collect();
            format!("{}.{:05}", groups.join(":"), e.port)
        }
    }
}

/// The files of one stream.
struct Entry {
    names: [String; 2],
    created: [bool; 2],
    /// Bytes written to each file (data and zero-filled holes).
    written: [u64; 2],
}

pub struct StreamFiles {
    dir: PathBuf,
    streams: HashMap<u64, Entry>,
    open: HashMap<(u64, usize), BufWriter<File>>,
    /// How often each base name was used (for the `cN` suffix).
    used: HashMap<String, u32>,
    index: BufWriter<File>,
    pub written: u64,
}

impl StreamFiles {
    pub fn create(dir: &Path) -> io::Result<StreamFiles> {
        std::fs::create_dir_all(dir)?;
        let index = BufWriter::new(File::create(dir.join("index.jsonl"))?);
        Ok(StreamFiles {
            dir: dir.to_path_buf(),
            streams: HashMap::new(),
            open: HashMap::new(),
            used: HashMap::new(),
            index,
            written: 0,
        })
    }

    pub fn start(&mut self, info: &StreamInfo) {
        let (a, b) = (endpoint_name(&info.node0), endpoint_name(&info.node1));
        let base = [format!("{a}-{b}"), format!("{b}-{a}")];
        // Both directions share the suffix, so a reused pair stays a pair.
        let n = base
            .iter()
            .map(|k| self.used.get(k).copied().unwrap_or(0))
            .max()
            .unwrap_or(0);
        for k in &base {
            self.used.insert(k.clone(), n + 1);
        }
        let names = base.map(|k| if n == 0 { k } else { format!("{k}c{n}") });
        self.streams.insert(
            info.uid,
            Entry {
                names,
                created: [false; 2],
                written: [0; 2],
            },
        );
    }

    fn file(&mut self, uid: u64, dir: usize) -> io::Result<Option<&mut BufWriter<File>>> {
        let Some(e) = self.streams.get_mut(&uid) else {
            return Ok(None);
        };
        if !self.open.contains_key(&(uid, dir)) {
            if self.open.len() >= MAX_OPEN {
                for (_, mut f) in self.open.drain() {
                    f.flush()?;
                }
            }
            let name = e.names.get(dir).cloned().unwrap_or_default();
            let path = self.dir.join(name);
            let created = e.created.get(dir).copied().unwrap_or(true);
            let f = if created {
                OpenOptions::new().append(true).open(path)?
            } else {
                self.written += 1;
                File::create(path)?
            };
            if let Some(c) = e.created.get_mut(dir) {
                *c = true;
            }
            self.open
                .insert((uid, dir), BufWriter::with_capacity(1 << 16, f));
        }
        Ok(self.open.get_mut(&(uid, dir)))
    }

    pub fn chunk(&mut self, info: &StreamInfo, c: &Chunk<'_>) -> io::Result<()> {
        let dir = usize::from(!c.from_node0);
        let n = match c.kind {
            ChunkKind::Data(d) => {
                if let Some(f) = self.file(info.uid, dir)? {
                    f.write_all(d)?;
                }
                d.len() as u64
            }
            ChunkKind::Missing { len, cause } if cause != Cause::Depth => {
                if let Some(f) = self.file(info.uid, dir)? {
                    let zeros = [0u8; 4096];
                    let mut left = len;
                    while left > 0 {
                        let k = left.min(zeros.len() as u64) as usize;
                        f.write_all(zeros.get(..k).unwrap_or(&[]))?;
                        left -= k as u64;
                    }
                }
                len
            }
            _ => 0,
        };
        if let Some(e) = self.streams.get_mut(&info.uid)
            && let Some(w) = e.written.get_mut(dir)
        {
            *w += n;
        }
        Ok(())
    }

    pub fn end(&mut self, info: &StreamInfo, t: [DirTotals; 2]) -> io::Result<()> {
        for dir in 0..2 {
            if let Some(mut f) = self.open.remove(&(info.uid, dir)) {
                f.flush()?;
            }
        }
        let Some(e) = self.streams.remove(&info.uid) else {
            return Ok(());
        };
        let files: Vec<Option<&String>> = (0..2)
            .map(|d| {
                e.created
                    .get(d)
                    .copied()
                    .unwrap_or(false)
                    .then(|| e.names.get(d))
                    .flatten()
            })
            .collect();
        let [a, b] = t;
        let line = json!({
            "uid": format!("C{}", info.uid),
            "stream": info.index,
            "proto": info.proto.name(),
            "node0": info.node0.to_string(),
            "node1": info.node1.to_string(),
            "files": files,
            "bytes": [a.bytes, b.bytes],
            "gaps": [a.gaps, b.gaps],
            "missing": [a.missing, b.missing],
            "overlaps": [a.conflicts, b.conflicts],
            "overlap_bytes": [a.conflict_bytes, b.conflict_bytes],
            "cut": [a.cut, b.cut],
        });
        serde_json::to_writer(&mut self.index, &line).map_err(io::Error::other)?;
        self.index.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        for (_, mut f) in self.open.drain() {
            f.flush()?;
        }
        self.index.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tcpflow_names() {
        let e = Endpoint::new("10.0.0.1".parse().unwrap(), 80);
        assert_eq!(endpoint_name(&e), "010.000.000.001.00080");
    }
}
