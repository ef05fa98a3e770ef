//! `follow --format json`: one object per chunk, written as it becomes
//! final, so any number of streams can be followed in constant memory.
//! Bytes are `text` when they are UTF-8 without control characters (but
//! newline, carriage return and tab), `base64` otherwise; holes carry
//! `missing` and `cause`, conflicting copies `conflict`.

use super::text::base64;
use crate::flow::reassembly::{Chunk, ChunkKind, StreamInfo};
use crate::output::time::rfc3339;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

pub fn write_chunk(w: &mut dyn Write, info: &StreamInfo, c: &Chunk<'_>) -> io::Result<()> {
    let (from, to) = if c.from_node0 {
        (info.node0, info.node1)
    } else {
        (info.node1, info.node0)
    };
    let mut o = Map::new();
    o.insert("uid".into(), json!(format!("C{}", info.uid)));
    o.insert("stream".into(), json!(info.index));
    o.insert("proto".into(), json!(info.proto.name()));
    o.insert(
        "direction".into(),
        json!(if c.from_node0 { "node0" } else { "node1" }),
    );
    o.insert("from".into(), json!(from.to_string()));
    o.insert("to".into(), json!(to.to_string()));
    o.insert("offset".into(), json!(c.offset));
    o.insert("packets".into(), json!([c.packet]));
    match c.kind {
        ChunkKind::Data(d) => {
            o.insert("ts".into(), json!(rfc3339(c.ts)));
            o.insert("len".into(), json!(d.len()));
            match std::str::from_utf8(d) {
                Ok(s)
                    if !s
                        .chars()
                        .any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')) =>
                {
                    o.insert("text".into(), json!(s));
                }
                _ => {
                    o.insert("base64".into(), json!(base64(d)));
                }
            }
        }
        ChunkKind::Missing { len, cause } => {
            o.insert("missing".into(), json!(len));
            o.insert("cause".into(), json!(cause.name()));
        }
        ChunkKind::Conflict { len } => {
            o.insert("ts".into(), json!(rfc3339(c.ts)));
            o.insert("conflict".into(), json!(len));
        }
    }
    serde_json::to_writer(&mut *w, &Value::Object(o)).map_err(io::Error::other)?;
    w.write_all(b"\n")
}
