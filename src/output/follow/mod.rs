//! `sockscope follow`'s printers: what the reassembled streams
//! (`crate::flow::reassembly`) look like on the way out. [`FollowPrinter`]
//! receives chunks from the tracker through [`FollowPrinter::sink`] and
//! writes tshark's text formats (`text`), one JSON object per chunk
//! (`json`), or one file per direction with an index (`files`).
//!
//! Text blocks come out in order of the streams' first packets: the first
//! open stream prints as its bytes arrive, later ones wait in memory until
//! it ends (bounded by the memory limit; what does not fit is marked).

pub mod files;
pub mod json;
pub mod text;

use crate::flow::reassembly::{Chunk, ChunkKind, DirTotals, StreamInfo, StreamSink};
use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::path::PathBuf;
pub use text::TextFormat;

/// How streams are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowFormat {
    Text(TextFormat),
    Json,
}

/// The printer's configuration.
#[derive(Clone, Debug)]
pub struct FollowOptions {
    pub format: FollowFormat,
    /// Mark where each segment's bytes begin (ascii and hex).
    pub segments: bool,
    /// Write one file per direction here instead of printing.
    pub write_dir: Option<PathBuf>,
    /// Text of later streams kept while an earlier one is still open.
    pub max_pending: usize,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            format: FollowFormat::Text(TextFormat::Ascii),
            segments: false,
            write_dir: None,
            max_pending: 256 << 20,
        }
    }
}

/// One text block being printed or waiting.
struct Block {
    buf: Vec<u8>,
    offsets: [u64; 2],
    ended: bool,
    /// Record bytes not kept because the pending text hit the limit.
    dropped: u64,
}

/// Receives reassembled streams and prints them.
pub struct FollowPrinter {
    opts: FollowOptions,
    order: VecDeque<u64>,
    blocks: HashMap<u64, Block>,
    pending: usize,
    files: Option<files::StreamFiles>,
    error: Option<io::Error>,
    /// Conflicting overlaps, for a note on stderr (the text formats have no
    /// place for them without breaking tshark's layout).
    notes: Vec<String>,
    notes_dropped: u64,
    pub streams: u64,
}

/// Notes kept at most; the rest are counted.
const MAX_NOTES: usize = 100;

impl FollowPrinter {
    pub fn new(opts: FollowOptions) -> io::Result<FollowPrinter> {
        let files = match &opts.write_dir {
            Some(dir) => Some(files::StreamFiles::create(dir)?),
            None => None,
        };
        Ok(FollowPrinter {
            opts,
            order: VecDeque::new(),
            blocks: HashMap::new(),
            pending: 0,
            files,
            error: None,
            notes: Vec::new(),
            notes_dropped: 0,
            streams: 0,
        })
    }

    /// The sink the tracker writes into for one call, printing to `out`.
    pub fn sink<'a>(&'a mut self, out: &'a mut dyn Write) -> FollowSink<'a> {
        FollowSink { p: self, out }
    }

    /// The first write error, if any (the sink cannot return one).
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Notes about conflicting overlaps, and how many more there were.
    pub fn notes(&self) -> (&[String], u64) {
        (&self.notes, self.notes_dropped)
    }

    /// Files written with `--write-dir`.
    pub fn files_written(&self) -> u64 {
        self.files.as_ref().map_or(0, |f| f.written)
    }

    /// End of the run: flush files and the index.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        // Blocks whose stream never ended (none when the tracker finished
        // its streams) still print.
        while let Some(uid) = self.order.pop_front() {
            if let Some(b) = self.blocks.remove(&uid) {
                out.write_all(&b.buf)?;
            }
        }
        if let Some(f) = &mut self.files {
            f.flush()?;
        }
        out.flush()
    }

    fn note(&mut self, info: &StreamInfo, c: &Chunk<'_>, len: u64) {
        if self.notes.len() >= MAX_NOTES {
            self.notes_dropped += 1;
            return;
        }
        let who = if c.from_node0 { info.node0 } else { info.node1 };
        self.notes.push(format!(
            "C{} from {who}: {len} bytes at offset {} came twice with different bytes; the copy in packet {} is not the one shown",
            info.uid, c.offset, c.packet
        ));
    }
}

/// [`FollowPrinter`] bound to an output for one call of the tracker.
pub struct FollowSink<'a> {
    p: &'a mut FollowPrinter,
    out: &'a mut dyn Write,
}

impl FollowSink<'_> {
    fn fail(&mut self, r: io::Result<()>) {
        if let Err(e) = r
            && self.p.error.is_none()
        {
            self.p.error = Some(e);
        }
    }

    /// Write to the live block (straight out) or to its buffer; records
    /// past the pending limit are counted and marked, the header and the
    /// closing line (`frame`) are always kept.
    fn write_block(
        &mut self,
        uid: u64,
        frame: bool,
        f: impl FnOnce(&mut dyn Write, &mut [u64; 2]) -> io::Result<()>,
    ) {
        let live = self.p.order.front() == Some(&uid);
        let Some(b) = self.p.blocks.get_mut(&uid) else {
            return;
        };
        if live {
            let r = f(self.out, &mut b.offsets);
            self.fail(r);
            return;
        }
        let mut tmp = Vec::new();
        let r = f(&mut tmp, &mut b.offsets);
        if !frame && self.p.pending + tmp.len() > self.p.opts.max_pending {
            b.dropped += tmp.len() as u64;
        } else {
            self.p.pending += tmp.len();
            b.buf.extend_from_slice(&tmp);
        }
        self.fail(r);
    }

    /// The front block ended: print the waiting ones up to the next open one.
    fn advance(&mut self) {
        while let Some(&uid) = self.p.order.front() {
            let Some(b) = self.p.blocks.get_mut(&uid) else {
                self.p.order.pop_front();
                continue;
            };
            let buf = std::mem::take(&mut b.buf);
            let ended = b.ended;
            self.p.pending -= buf.len().min(self.p.pending);
            let r = self.out.write_all(&buf);
            self.fail(r);
            if !ended {
                break;
            }
            self.p.blocks.remove(&uid);
            self.p.order.pop_front();
        }
    }
}

impl StreamSink for FollowSink<'_> {
    fn start(&mut self, info: &StreamInfo) {
        self.p.streams += 1;
        if let Some(files) = &mut self.p.files {
            files.start(info);
            return;
        }
        let FollowFormat::Text(f) = self.p.opts.format else {
            return;
        };
        self.p.order.push_back(info.uid);
        self.p.blocks.insert(
            info.uid,
            Block {
                buf: Vec::new(),
                offsets: [0, 0],
                ended: false,
                dropped: 0,
            },
        );
        self.write_block(info.uid, true, |w, _| text::header(w, f, info));
    }

    fn chunk(&mut self, info: &StreamInfo, c: &Chunk<'_>) {
        if let ChunkKind::Conflict { len } = c.kind {
            self.p.note(info, c, len);
        }
        if let Some(files) = &mut self.p.files {
            let r = files.chunk(info, c);
            self.fail(r);
            return;
        }
        let f = match self.p.opts.format {
            FollowFormat::Json => {
                let r = json::write_chunk(self.out, info, c);
                self.fail(r);
                return;
            }
            FollowFormat::Text(f) => f,
        };
        let segments = self.p.opts.segments && matches!(f, TextFormat::Ascii | TextFormat::Hex);
        self.write_block(info.uid, false, |w, offsets| {
            if segments {
                segment_mark(w, info, c)?;
            }
            text::record(w, f, c, offsets)
        });
    }

    fn end(&mut self, info: &StreamInfo, totals: [DirTotals; 2]) {
        if let Some(files) = &mut self.p.files {
            let r = files.end(info, totals);
            self.fail(r);
            return;
        }
        let FollowFormat::Text(f) = self.p.opts.format else {
            return;
        };
        let dropped = self.p.blocks.get(&info.uid).map_or(0, |b| b.dropped);
        if dropped > 0 {
            // Said in the block, where the missing text would have been.
            let note = format!("[{dropped} bytes of output not kept: memory limit]\n");
            if let Some(b) = self.p.blocks.get_mut(&info.uid) {
                b.buf.extend_from_slice(note.as_bytes());
            }
        }
        self.write_block(info.uid, true, |w, _| text::footer(w, f));
        if let Some(b) = self.p.blocks.get_mut(&info.uid) {
            b.ended = true;
        }
        if self.p.order.front() == Some(&info.uid) {
            self.p.blocks.remove(&info.uid);
            self.p.order.pop_front();
            self.advance();
        }
    }
}

/// `--segments`: a thin line before each segment's bytes (and for each
/// conflicting copy), with the packet number and the time since the
/// stream's first packet.
fn segment_mark(w: &mut dyn Write, info: &StreamInfo, c: &Chunk<'_>) -> io::Result<()> {
    let tab = if c.from_node0 { "" } else { "\t" };
    let t = c.ts.since(info.first) as f64 / 1e9;
    match c.kind {
        ChunkKind::Data(d) => writeln!(
            w,
            "{tab}--- packet {} +{t:.6}s: {} bytes at offset {} ---",
            c.packet,
            d.len(),
            c.offset
        ),
        ChunkKind::Conflict { len } => writeln!(
            w,
            "{tab}--- packet {}: {len} bytes at offset {} sent again with different bytes (first copy kept) ---",
            c.packet, c.offset
        ),
        ChunkKind::Missing { .. } => Ok(()),
    }
}
