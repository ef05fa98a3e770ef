//! One Parquet file written row by row: the columns are declared once
//! ([`Col`]; every table ends with [`super::POINTER`]'s), rows are pushed
//! as [`Cell`]s, and every [`ROW_GROUP`] rows become a row group, so
//! memory stays bounded on a long capture.
//! [`Table::finish`] writes the footer (a file without it is not Parquet);
//! [`Table::reopen`] finishes the file and starts the next one with the
//! same columns, the hook a rotating capture (`-G`) needs.

use super::ParquetError;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per row group: big enough for the engines' column statistics,
/// small enough that a capture holds little in memory.
pub const ROW_GROUP: usize = 1 << 16;

/// A column's type as the engines see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Str,
    I32,
    I64,
    F64,
    Bool,
    /// Microseconds since the epoch, UTC (the unit Spark, DuckDB and
    /// ClickHouse all read as a timestamp).
    TsMicros,
}

/// One column: its name, type, and whether it may be null.
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

impl Col {
    pub const fn req(name: &'static str, kind: Kind) -> Col {
        Col {
            name,
            kind,
            nullable: false,
        }
    }
    pub const fn opt(name: &'static str, kind: Kind) -> Col {
        Col {
            name,
            kind,
            nullable: true,
        }
    }
}

/// One value of a row, in column order (`None` is null).
#[derive(Clone, Copy, Debug)]
pub enum Cell<'a> {
    Str(Option<&'a str>),
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
    Bool(Option<bool>),
}

/// The values of one column waiting for the next row group.
enum Buf {
    Bytes(Vec<ByteArray>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
    Bool(Vec<bool>),
}

struct Column {
    col: Col,
    buf: Buf,
    /// Definition levels (1 present, 0 null); only for nullable columns.
    defs: Vec<i16>,
}

impl Column {
    fn new(col: Col) -> Column {
        let buf = match col.kind {
            Kind::Str => Buf::Bytes(Vec::new()),
            Kind::I32 => Buf::I32(Vec::new()),
            Kind::I64 | Kind::TsMicros => Buf::I64(Vec::new()),
            Kind::F64 => Buf::F64(Vec::new()),
            Kind::Bool => Buf::Bool(Vec::new()),
        };
        Column {
            col,
            buf,
            defs: Vec::new(),
        }
    }

    /// Whether `cell` may go into this column: its type, and a null only
    /// where the column is nullable.
    fn fits(&self, cell: &Cell<'_>) -> bool {
        let present = match (&self.buf, cell) {
            (Buf::Bytes(_), Cell::Str(x)) => x.is_some(),
            (Buf::I32(_), Cell::I32(x)) => x.is_some(),
            (Buf::I64(_), Cell::I64(x)) => x.is_some(),
            (Buf::F64(_), Cell::F64(x)) => x.is_some(),
            (Buf::Bool(_), Cell::Bool(x)) => x.is_some(),
            _ => return false,
        };
        present || self.col.nullable
    }

    /// Append one value (checked with [`Column::fits`] first).
    fn push(&mut self, cell: Cell<'_>) {
        let present = match (&mut self.buf, cell) {
            (Buf::Bytes(v), Cell::Str(x)) => x.map(|s| v.push(ByteArray::from(s))).is_some(),
            (Buf::I32(v), Cell::I32(x)) => x.map(|n| v.push(n)).is_some(),
            (Buf::I64(v), Cell::I64(x)) => x.map(|n| v.push(n)).is_some(),
            (Buf::F64(v), Cell::F64(x)) => x.map(|n| v.push(n)).is_some(),
            (Buf::Bool(v), Cell::Bool(x)) => x.map(|n| v.push(n)).is_some(),
            _ => false,
        };
        if self.col.nullable {
            self.defs.push(i16::from(present));
        }
    }

    fn clear(&mut self) {
        match &mut self.buf {
            Buf::Bytes(v) => v.clear(),
            Buf::I32(v) => v.clear(),
            Buf::I64(v) => v.clear(),
            Buf::F64(v) => v.clear(),
            Buf::Bool(v) => v.clear(),
        }
        self.defs.clear();
    }
}

/// The schema in Parquet's message syntax.
fn message(name: &str, cols: &[Col]) -> String {
    let mut s = format!("message {name} {{\n");
    for c in cols {
        let rep = if c.nullable { "optional" } else { "required" };
        let ty = match c.kind {
            Kind::Str => "binary",
            Kind::I32 => "int32",
            Kind::I64 | Kind::TsMicros => "int64",
            Kind::F64 => "double",
            Kind::Bool => "boolean",
        };
        let logical = match c.kind {
            Kind::Str => " (STRING)",
            Kind::TsMicros => " (TIMESTAMP(MICROS,true))",
            _ => "",
        };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

/// A Parquet file being written.
pub struct Table {
    name: &'static str,
    path: PathBuf,
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Vec<Column>,
    pending: usize,
    rows: u64,
    row_group_rows: usize,
}

impl Table {
    /// Create `path` (replacing it) for rows of `cols` and the pointer
    /// columns.
    pub fn create(path: &Path, name: &'static str, cols: &[Col]) -> Result<Table, ParquetError> {
        let cols = [cols, &super::POINTER].concat();
        Table::with_columns(path, name, &cols, ROW_GROUP)
    }

    /// [`Table::create`] with exactly `cols`, a row group every
    /// `row_group_rows` rows.
    fn with_columns(
        path: &Path,
        name: &'static str,
        cols: &[Col],
        row_group_rows: usize,
    ) -> Result<Table, ParquetError> {
        let schema = parse_message_type(&message(name, cols))
            .map_err(|source| ParquetError::parquet(path, source))?;
        let file = File::create(path).map_err(|source| ParquetError::Create {
            path: path.to_path_buf(),
            source,
        })?;
        let props = WriterProperties::builder()
            .set_created_by(format!("sockscope {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(
            BufWriter::with_capacity(1 << 16, file),
            Arc::new(schema),
            Arc::new(props),
        )
        .map_err(|source| ParquetError::parquet(path, source))?;
        Ok(Table {
            name,
            path: path.to_path_buf(),
            writer,
            columns: cols.iter().copied().map(Column::new).collect(),
            pending: 0,
            rows: 0,
            row_group_rows: row_group_rows.max(1),
        })
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows written so far (including those not yet in a row group).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Append one row: its cells in column order, then the pointer's.
    pub fn push(&mut self, row: &[Cell<'_>], pointer: &[Cell<'_>]) -> Result<(), ParquetError> {
        let row = [row, pointer].concat();
        self.push_cells(&row)
    }

    fn push_cells(&mut self, row: &[Cell<'_>]) -> Result<(), ParquetError> {
        if row.len() != self.columns.len() {
            return Err(self.schema_bug(format!(
                "a row of {} cells for {} columns",
                row.len(),
                self.columns.len()
            )));
        }
        // Checked before anything is appended, so a bad row leaves the
        // columns even.
        if let Some((c, cell)) = self.columns.iter().zip(row).find(|(c, x)| !c.fits(x)) {
            let detail = format!("{cell:?} does not fit column {}", c.col.name);
            return Err(self.schema_bug(detail));
        }
        for (c, cell) in self.columns.iter_mut().zip(row) {
            c.push(*cell);
        }
        self.pending += 1;
        self.rows += 1;
        if self.pending >= self.row_group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    fn schema_bug(&self, detail: String) -> ParquetError {
        ParquetError::Row {
            path: self.path.clone(),
            detail,
        }
    }

    /// Write the rows held so far as one row group.
    fn flush_group(&mut self) -> Result<(), ParquetError> {
        if self.pending == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |source| ParquetError::parquet(&path, source);
        let mut group = self.writer.next_row_group().map_err(err)?;
        for c in &self.columns {
            let Some(mut w) = group.next_column().map_err(err)? else {
                break;
            };
            let defs = c.col.nullable.then_some(c.defs.as_slice());
            match &c.buf {
                Buf::Bytes(v) => w.typed::<ByteArrayType>().write_batch(v, defs, None),
                Buf::I32(v) => w.typed::<Int32Type>().write_batch(v, defs, None),
                Buf::I64(v) => w.typed::<Int64Type>().write_batch(v, defs, None),
                Buf::F64(v) => w.typed::<DoubleType>().write_batch(v, defs, None),
                Buf::Bool(v) => w.typed::<BoolType>().write_batch(v, defs, None),
            }
            .map_err(err)?;
            w.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        for c in &mut self.columns {
            c.clear();
        }
        self.pending = 0;
        Ok(())
    }

    /// Write the last row group and the footer, and flush the file: after
    /// this it is a complete Parquet file. Returns the number of rows.
    pub fn finish(mut self) -> Result<u64, ParquetError> {
        self.close_file()?;
        Ok(self.rows)
    }

    fn close_file(&mut self) -> Result<(), ParquetError> {
        self.flush_group()?;
        let path = self.path.clone();
        self.writer
            .finish()
            .map_err(|source| ParquetError::parquet(&path, source))?;
        use std::io::Write;
        self.writer
            .inner_mut()
            .flush()
            .map_err(|source| ParquetError::Io { path, source })
    }

    /// Finish this file and go on in a new one at `path` with the same
    /// columns (rotation); returns the finished file's row count.
    pub fn reopen(&mut self, path: &Path) -> Result<u64, ParquetError> {
        self.close_file()?;
        let cols: Vec<Col> = self.columns.iter().map(|c| c.col).collect();
        let next = Table::with_columns(path, self.name, &cols, self.row_group_rows)?;
        let done = std::mem::replace(self, next);
        Ok(done.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Col] = &[
        Col::req("id.orig_h", Kind::Str),
        Col::opt("n", Kind::I64),
        Col::req("ts", Kind::TsMicros),
    ];

    #[test]
    fn the_schema_keeps_dotted_names_and_nullability() {
        let m = message("t", COLS);
        let t = parse_message_type(&m).unwrap();
        let names: Vec<&str> = t.get_fields().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["id.orig_h", "n", "ts"]);
        assert!(m.contains("optional int64 n;"), "{m}");
    }

    #[test]
    fn a_row_that_does_not_fit_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("sockscope-table-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut t = Table::with_columns(&dir.join("a.parquet"), "t", COLS, 2).unwrap();
        let ok = [Cell::Str(Some("a")), Cell::I64(None), Cell::I64(Some(1))];
        t.push_cells(&ok).unwrap();
        assert!(t.push_cells(&ok[..2]).is_err());
        let null = [Cell::Str(None), Cell::I64(None), Cell::I64(Some(1))];
        assert!(t.push_cells(&null).is_err());
        let n = t.reopen(&dir.join("b.parquet")).unwrap();
        assert_eq!(n, 1);
        t.push_cells(&ok).unwrap();
        assert_eq!(t.finish().unwrap(), 1);
        for f in ["a.parquet", "b.parquet"] {
            let bytes = std::fs::read(dir.join(f)).unwrap();
            assert!(
                bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
                "{f}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
