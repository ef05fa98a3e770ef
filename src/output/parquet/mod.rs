//! Parquet output for analytics engines (DuckDB, Spark, ClickHouse read it
//! natively): `--flows --format parquet -o FILE` writes one row per flow
//! (`flows`, Zeek conn.log's columns plus ours, the Community ID and a
//! pointer back into the pcap), `--packets-parquet FILE` one row per
//! packet (`packets`). `table` is the column writer both use.

pub mod flows;
pub mod packets;
pub mod table;

use std::io;
use std::path::{Path, PathBuf};
use table::{Cell, Col, Kind};

pub use flows::FlowsParquet;
pub use packets::{PacketRow, PacketsParquet};

/// What can go wrong writing a Parquet file; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    #[error("{}: cannot create the Parquet file: {source}", path.display())]
    Create { path: PathBuf, source: io::Error },
    #[error("{}: cannot write the Parquet file: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: cannot write the Parquet file: {source}", path.display())]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },
    /// A row that does not match the columns: a bug in sockscope.
    #[error("{}: internal error, {detail}", path.display())]
    Row { path: PathBuf, detail: String },
}

impl ParquetError {
    fn parquet(path: &Path, source: parquet::errors::ParquetError) -> ParquetError {
        ParquetError::Parquet {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The columns both tables end with: Arkime-style pointers back into the
/// capture, the file and the byte offset of the (first) packet's record.
pub const POINTER: [Col; 2] = [
    Col::opt("pcap_file", Kind::Str),
    Col::opt("pcap_offset", Kind::I64),
];

/// The [`POINTER`] cells; no offset without a file.
pub(crate) fn pointer(file: Option<&str>, offset: Option<u64>) -> [Cell<'_>; 2] {
    let offset = offset.filter(|_| file.is_some());
    [
        Cell::Str(file),
        Cell::I64(offset.map(|o| i64::try_from(o).unwrap_or(i64::MAX))),
    ]
}

/// The names of the capture files the run's `PcapPos::file` numbers
/// stand for (one for `read FILE`; rotation and several inputs add more).
#[derive(Clone, Debug, Default)]
pub struct PcapFiles(pub Vec<String>);

impl PcapFiles {
    pub fn name(&self, file: u32) -> Option<&str> {
        self.0.get(file as usize).map(String::as_str)
    }
}
