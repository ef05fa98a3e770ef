//! NFS's `--json` object: the RPC header (XID, call or reply, program,
//! version, procedure and its name; a reply's states), and of a call the
//! first file handle in hex, the entry's name, and offsets and counts; of
//! a reply its NFS status and, from this table's own record of the call,
//! the procedure it answers. Over TCP, the record-marking header too.

use super::xids::{self, Called, Table};
use super::{Proc, rpc};
use crate::dissect::Payload;
use crate::dissect::ctl::json_object;
use crate::dissect::wire::{Res, u32_at};
use serde_json::{Map, Value, json};

pub(super) fn udp(p: &Payload<'_>) -> Value {
    json_object(|o| message(o, p.bytes, p.declared_len))
}

pub(super) fn tcp(p: &Payload<'_>) -> Value {
    json_object(|o| {
        let mark = u32_at(p.bytes, 0)?;
        o.insert("record_length".into(), json!(mark & 0x7fff_ffff));
        o.insert("last_fragment".into(), json!(mark >> 31 == 1));
        let (m, length) =
            rpc::after_record_mark(p.bytes, p.declared_len).ok_or(crate::dissect::Truncated)?;
        message(o, m, length)
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn message(o: &mut Map<String, Value>, m: &[u8], length: usize) -> Res<()> {
    let xid = u32_at(m, rpc::XID)?;
    o.insert("xid".into(), json!(xid));
    let direction = u32_at(m, rpc::DIRECTION)?;
    match direction {
        rpc::CALL => call(o, m, length, xid),
        rpc::REPLY => reply(o, m, length, xid),
        n => {
            o.insert("message".into(), json!(n));
            Ok(())
        }
    }
}

fn call(o: &mut Map<String, Value>, m: &[u8], length: usize, xid: u32) -> Res<()> {
    o.insert("message".into(), json!("call"));
    o.insert("rpc_version".into(), json!(u32_at(m, 8)?));
    o.insert("program".into(), json!(u32_at(m, rpc::PROGRAM)?));
    let vers = u32_at(m, rpc::VERSION)?;
    o.insert("version".into(), json!(vers));
    let n = u32_at(m, rpc::PROCEDURE)?;
    let proc = Proc::of(n, vers);
    o.insert("procedure".into(), json!(n));
    o.insert("procedure_name".into(), json!(proc.name()));
    xids::enter(
        Table::Json,
        xid,
        Called {
            procedure: n,
            version: vers,
        },
    );
    o.insert("credentials_flavor".into(), json!(u32_at(m, 24)?));
    if matches!(proc, Proc::Null | Proc::Noop | Proc::Other(_)) {
        return Ok(());
    }
    let at = rpc::call_arguments(m, length)?;
    let v3 = vers == 3;
    let (fh, mut at) = if v3 {
        let len = u32_at(m, at)? as usize;
        (
            m.get(at + 4..at + 4 + len),
            at + 4 + len.next_multiple_of(4),
        )
    } else {
        (m.get(at..at + 32), at + 32)
    };
    let fh = fh.ok_or(crate::dissect::Truncated)?;
    o.insert("fh".into(), json!(hex(fh)));
    match proc {
        Proc::Lookup
        | Proc::Create
        | Proc::Mkdir
        | Proc::Remove
        | Proc::Rmdir
        | Proc::Rename
        | Proc::Symlink
        | Proc::Mknod => {
            let len = u32_at(m, at)? as usize;
            let name = m
                .get(at + 4..at + 4 + len)
                .ok_or(crate::dissect::Truncated)?;
            o.insert("name".into(), json!(String::from_utf8_lossy(name)));
            at += 4 + len.next_multiple_of(4);
            let _ = at;
        }
        Proc::Read | Proc::Write | Proc::Commit | Proc::Readdir | Proc::Readdirplus => {
            let (offset, count) = if v3 {
                let off = (u64::from(u32_at(m, at)?) << 32) | u64::from(u32_at(m, at + 4)?);
                let count_at = if matches!(proc, Proc::Readdir | Proc::Readdirplus) {
                    16
                } else {
                    8
                };
                (off, u32_at(m, at + count_at)?)
            } else {
                // v2: READ offset, count; WRITE beginoffset, offset, totalcount;
                // READDIR cookie, count.
                let (off_at, count_at) = if proc == Proc::Write { (4, 12) } else { (0, 4) };
                (
                    u64::from(u32_at(m, at + off_at)?),
                    u32_at(m, at + count_at)?,
                )
            };
            o.insert("offset".into(), json!(offset));
            o.insert("count".into(), json!(count));
        }
        _ => {}
    }
    Ok(())
}

fn reply(o: &mut Map<String, Value>, m: &[u8], length: usize, xid: u32) -> Res<()> {
    o.insert("message".into(), json!("reply"));
    if let Some(c) = xids::find(Table::Json, xid) {
        let proc = Proc::of(c.procedure, c.version);
        o.insert("version".into(), json!(c.version));
        o.insert("procedure".into(), json!(c.procedure));
        o.insert("procedure_name".into(), json!(proc.name()));
    }
    let state = u32_at(m, rpc::REPLY_STATE)?;
    let state_name = match state {
        0 => json!("accepted"),
        1 => json!("denied"),
        n => json!(n),
    };
    o.insert("reply_state".into(), state_name);
    if state != 0 {
        return Ok(());
    }
    let verf_len = u32_at(m, rpc::REPLY_STATE + 8)? as usize;
    if verf_len >= length {
        return Err(crate::dissect::Truncated);
    }
    let at = rpc::REPLY_STATE + 12 + verf_len.next_multiple_of(4);
    let accept = u32_at(m, at)?;
    o.insert("accept_state".into(), json!(accept));
    if accept == 0 {
        let status = u32_at(m, at + 4)?;
        o.insert("status".into(), json!(status));
        if let Some(text) = super::reply::status_text(status) {
            o.insert("status_text".into(), json!(text));
        }
    }
    Ok(())
}
