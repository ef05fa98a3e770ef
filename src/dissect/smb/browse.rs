//! SMB1 transactions (MS-CIFS §2.2.4.33) to a mailslot, and the browser
//! protocol's frames that `\MAILSLOT\BROWSE` carries in NetBIOS
//! datagrams (MS-BRWS §2.2): host, domain and local-master
//! announcements, elections, backup lists. What they say goes under the
//! `"smb"` object: `"mailslot"` and a `"browse"` object.

use super::super::wire::{Res, u8_at, u16_le_at, u32_le_at};
use crate::dissect::{Truncated, word};
use serde_json::{Map, Value, json};

/// The SMB1 command of a transaction (`SMB_COM_TRANSACTION`).
pub const SMB_TRANS: u8 = 0x25;

/// Where the parameter words start: after the 32-byte header and the
/// word count.
const WORDS: usize = 33;

/// The transaction name a browser frame is sent to.
const BROWSE_MAILSLOT: &str = "\\MAILSLOT\\BROWSE";

/// Browser opcodes 1 to 15 (MS-BRWS §2.2), `-` where none is assigned.
const OPCODES: &str = "- HostAnnouncement AnnouncementRequest - - - - - RequestElection \
    GetBackupListRequest GetBackupListResponse BecomeBackup DomainAnnouncement \
    MasterAnnouncement ResetStateRequest LocalMasterAnnouncement";

/// The transaction request in `m` (an SMB1 message): its name, and the
/// browser frame when it is sent to `\MAILSLOT\BROWSE`.
pub fn fill_transaction(o: &mut Map<String, Value>, m: &[u8], unicode: bool) -> Res<()> {
    let words = usize::from(u8_at(m, WORDS - 1)?);
    if words < 14 {
        return Ok(());
    }
    let word_at = |i: usize| u16_le_at(m, WORDS + 2 * i).map(usize::from);
    let (data_len, data_at) = (word_at(11)?, word_at(12)?);
    let name_at = WORDS + 2 * words + 2;
    let name = if unicode {
        // UTF-16 strings start on an even offset from the header.
        utf16_string(m, name_at + name_at % 2)?
    } else {
        ascii_string(m, name_at)?
    };
    o.insert("transaction_name".into(), json!(name));
    if name.eq_ignore_ascii_case(BROWSE_MAILSLOT) {
        o.insert("mailslot".into(), json!(name));
        let data = m.get(data_at..data_at + data_len).ok_or(Truncated)?;
        let mut b = Map::new();
        let read = frame(&mut b, data);
        o.insert("browse".into(), Value::Object(b));
        read?;
    }
    Ok(())
}

/// A browser frame's fields.
fn frame(b: &mut Map<String, Value>, f: &[u8]) -> Res<()> {
    let opcode = u8_at(f, 0)?;
    b.insert("opcode".into(), json!(opcode));
    if let Some(name) = word(OPCODES, usize::from(opcode)) {
        b.insert("opcode_name".into(), json!(name));
    }
    match opcode {
        // Host, domain and local master announcements share a layout.
        1 | 12 | 15 => {
            b.insert("update_count".into(), json!(u8_at(f, 1)?));
            b.insert("periodicity_ms".into(), json!(u32_le_at(f, 2)?));
            let name = f.get(6..22).ok_or(Truncated)?;
            let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
            b.insert(
                "server_name".into(),
                json!(String::from_utf8_lossy(&name[..end])),
            );
            b.insert("os_major".into(), json!(u8_at(f, 22)?));
            b.insert("os_minor".into(), json!(u8_at(f, 23)?));
            b.insert("server_type".into(), json!(u32_le_at(f, 24)?));
            b.insert("browser_major".into(), json!(u8_at(f, 28)?));
            b.insert("browser_minor".into(), json!(u8_at(f, 29)?));
            b.insert("comment".into(), json!(ascii_string(f, 32)?));
        }
        2 => {
            b.insert("reply_name".into(), json!(ascii_string(f, 2)?));
        }
        8 => {
            b.insert("election_version".into(), json!(u8_at(f, 1)?));
            b.insert("criteria".into(), json!(u32_le_at(f, 2)?));
            b.insert("uptime_ms".into(), json!(u32_le_at(f, 6)?));
            b.insert("server_name".into(), json!(ascii_string(f, 14)?));
        }
        9 | 10 => {
            b.insert("count".into(), json!(u8_at(f, 1)?));
            b.insert("token".into(), json!(u32_le_at(f, 2)?));
        }
        11 | 13 => {
            b.insert("server_name".into(), json!(ascii_string(f, 1)?));
        }
        14 => {
            b.insert("options".into(), json!(u8_at(f, 1)?));
        }
        _ => {}
    }
    Ok(())
}

/// The NUL-terminated string at `at` (`Err` without its NUL).
fn ascii_string(m: &[u8], at: usize) -> Res<String> {
    let rest = m.get(at..).ok_or(Truncated)?;
    let end = rest.iter().position(|&c| c == 0).ok_or(Truncated)?;
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The NUL-terminated UTF-16LE string at `at`.
fn utf16_string(m: &[u8], at: usize) -> Res<String> {
    let rest = m.get(at..).ok_or(Truncated)?;
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    if 2 * units.len() + 2 > rest.len() {
        return Err(Truncated);
    }
    Ok(String::from_utf16_lossy(&units))
}
