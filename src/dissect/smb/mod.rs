//! SMB headers (MS-CIFS §2.2.3.1 for SMB1, MS-SMB2 §2.2.1 for SMB2 and
//! 3), as the NetBIOS session service (TCP 139), SMB over TCP (445) and
//! the datagram service's mailslots (UDP 138) carry them: a `"smb"`
//! object with the version, the command and its name, whether it is a
//! response, the status and the flags; SMB1 transactions to
//! `\MAILSLOT\BROWSE` add the browser announcement inside ([`browse`]).
//!
//! SMB1 command names are tcpdump's (`SMBnegprot`, `SMBsesssetupX`, …,
//! `SMBunknown` for the others), SMB2's those of MS-SMB2 and Zeek's
//! `smb2_commands` (`NEGOTIATE_PROTOCOL`, `SESSION_SETUP`, …). The
//! commands an SMB1 AndX command chains (`andx`) and the SMB2 headers
//! compounded after the first (`compound`) are listed with their names.

pub mod browse;

use super::wire::{Res, u8_at, u16_le_at, u32_le_at, u64_le_at};
use serde_json::{Map, Value, json};

pub const SMB1_MAGIC: &[u8; 4] = b"\xffSMB";
pub const SMB2_MAGIC: &[u8; 4] = b"\xfeSMB";
/// SMB 3's transform header (an encrypted message follows).
pub const SMB3_TRANSFORM_MAGIC: &[u8; 4] = b"\xfdSMB";

const SMB1_HEADER_LEN: usize = 32;

/// SMB1 commands and tcpdump's names for them (its `smb_fns`).
const SMB1_COMMANDS: &[(u8, &str)] = &[
    (0x00, "SMBmkdir"),
    (0x01, "SMBrmdir"),
    (0x02, "SMBopen"),
    (0x03, "SMBcreate"),
    (0x04, "SMBclose"),
    (0x05, "SMBflush"),
    (0x06, "SMBunlink"),
    (0x07, "SMBmv"),
    (0x08, "SMBgetatr"),
    (0x09, "SMBsetatr"),
    (0x0a, "SMBread"),
    (0x0b, "SMBwrite"),
    (0x0c, "SMBlock"),
    (0x0d, "SMBunlock"),
    (0x0e, "SMBctemp"),
    (0x0f, "SMBmknew"),
    (0x10, "SMBchkpth"),
    (0x11, "SMBexit"),
    (0x12, "SMBlseek"),
    (0x13, "SMBlockread"),
    (0x14, "SMBwriteunlock"),
    (0x1a, "SMBreadbraw"),
    (0x1b, "SMBreadBmpx"),
    (0x1c, "SMBreadBs"),
    (0x1d, "SMBwritebraw"),
    (0x1e, "SMBwriteBmpx"),
    (0x1f, "SMBwriteBs"),
    (0x20, "SMBwritec"),
    (0x22, "SMBsetattrE"),
    (0x23, "SMBgetattrE"),
    (0x24, "SMBlockingX"),
    (0x25, "SMBtrans"),
    (0x26, "SMBtranss"),
    (0x27, "SMBioctl"),
    (0x28, "SMBioctls"),
    (0x29, "SMBcopy"),
    (0x2a, "SMBmove"),
    (0x2b, "SMBecho"),
    (0x2c, "SMBwriteclose"),
    (0x2d, "SMBopenX"),
    (0x2e, "SMBreadX"),
    (0x2f, "SMBwriteX"),
    (0x32, "SMBtrans2"),
    (0x33, "SMBtranss2"),
    (0x34, "SMBfindclose"),
    (0x35, "SMBfindnclose"),
    (0x3f, "SMBsetdir"),
    (0x70, "SMBtcon"),
    (0x71, "SMBtdis"),
    (0x72, "SMBnegprot"),
    (0x73, "SMBsesssetupX"),
    (0x74, "SMBulogoffX"),
    (0x75, "SMBtconX"),
    (0x80, "SMBdskattr"),
    (0x81, "SMBsearch"),
    (0x82, "SMBffirst"),
    (0x83, "SMBfunique"),
    (0x84, "SMBfclose"),
    (0xa0, "SMBnttrans"),
    (0xa1, "SMBnttranss"),
    (0xa2, "SMBntcreateX"),
    (0xa4, "SMBntcancel"),
    (0xc0, "SMBsplopen"),
    (0xc1, "SMBsplwr"),
    (0xc2, "SMBsplclose"),
    (0xc3, "SMBsplretq"),
    (0xd0, "SMBsends"),
    (0xd1, "SMBsendb"),
    (0xd2, "SMBfwdname"),
    (0xd3, "SMBcancelf"),
    (0xd4, "SMBgetmac"),
    (0xd5, "SMBsendstrt"),
    (0xd6, "SMBsendend"),
    (0xd7, "SMBsendtxt"),
];

/// SMB2 commands 0 to 0x12 by number (MS-SMB2 §2.2.1.2).
const SMB2_COMMANDS: &str = "NEGOTIATE_PROTOCOL SESSION_SETUP LOGOFF TREE_CONNECT \
    TREE_DISCONNECT CREATE CLOSE FLUSH READ WRITE LOCK IOCTL CANCEL ECHO QUERY_DIRECTORY \
    CHANGE_NOTIFY QUERY_INFO SET_INFO OPLOCK_BREAK";

/// tcpdump's name for an SMB1 command.
pub fn smb1_command_name(command: u8) -> &'static str {
    SMB1_COMMANDS
        .iter()
        .find(|(c, _)| *c == command)
        .map_or("SMBunknown", |(_, n)| n)
}

/// Whether `m` starts with an SMB header of any version.
pub fn starts_smb(m: &[u8]) -> bool {
    [SMB1_MAGIC, SMB2_MAGIC, SMB3_TRANSFORM_MAGIC]
        .iter()
        .any(|magic| m.starts_with(&magic[..]))
}

/// The `"smb"` object of the message at the start of `m` (`o` gets what
/// could be read before the message ended).
pub fn fill(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    if m.starts_with(SMB1_MAGIC) {
        fill_smb1(o, m)
    } else if m.starts_with(SMB2_MAGIC) {
        fill_smb2(o, m)
    } else if m.starts_with(SMB3_TRANSFORM_MAGIC) {
        o.insert("version".into(), json!(3));
        o.insert("encrypted".into(), json!(true));
        o.insert("session_id".into(), json!(u64_le_at(m, 44)?));
        Ok(())
    } else {
        Err(super::Truncated)
    }
}

fn fill_smb1(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(1));
    let command = u8_at(m, 4)?;
    o.insert("command".into(), json!(command));
    o.insert("command_name".into(), json!(smb1_command_name(command)));
    let flags = u8_at(m, 9)?;
    let flags2 = u16_le_at(m, 10)?;
    o.insert("response".into(), json!(flags & 0x80 != 0));
    // With NT status codes (flags2 bit 14) the four bytes are one status;
    // otherwise an error class, a reserved byte and a DOS error code.
    if flags2 & 0x4000 != 0 {
        o.insert("status".into(), json!(u32_le_at(m, 5)?));
    } else {
        o.insert("error_class".into(), json!(u8_at(m, 5)?));
        o.insert("error_code".into(), json!(u16_le_at(m, 7)?));
    }
    o.insert("flags".into(), json!(flags));
    o.insert("flags2".into(), json!(flags2));
    o.insert("unicode".into(), json!(flags2 & 0x8000 != 0));
    for (key, at) in [("tid", 24), ("pid", 26), ("uid", 28), ("mid", 30)] {
        o.insert(key.into(), json!(u16_le_at(m, at)?));
    }
    let words = u8_at(m, SMB1_HEADER_LEN)?;
    o.insert("word_count".into(), json!(words));
    if command == browse::SMB_TRANS && flags & 0x80 == 0 {
        browse::fill_transaction(o, m, flags2 & 0x8000 != 0)?;
    }
    let chain = andx_chain(m, command);
    if !chain.is_empty() {
        o.insert("andx".into(), Value::Array(chain));
    }
    Ok(())
}

/// The SMB1 commands whose parameter words start with an AndX block
/// (MS-CIFS §2.2.3.4): the next command, a reserved byte, its offset.
const ANDX_COMMANDS: &[u8] = &[0x24, 0x2d, 0x2e, 0x2f, 0x73, 0x74, 0x75, 0xa2];

/// Chained commands at most (a loop of offsets ends sooner).
const MAX_CHAIN: usize = 16;

/// The commands chained after an AndX command (MS-CIFS §2.2.3.4), each
/// with its name, up to 0xff (no further command). A block without its
/// two words, an offset that does not move forward or leaves the
/// message, ends the chain at what was read.
fn andx_chain(m: &[u8], mut command: u8) -> Vec<Value> {
    let mut chain = Vec::new();
    let mut at = SMB1_HEADER_LEN;
    while ANDX_COMMANDS.contains(&command) && chain.len() < MAX_CHAIN {
        let (Ok(words), Ok(next), Ok(offset)) =
            (u8_at(m, at), u8_at(m, at + 1), u16_le_at(m, at + 3))
        else {
            break;
        };
        if words < 2 || next == 0xff {
            break;
        }
        chain.push(json!({"command": next, "command_name": smb1_command_name(next)}));
        let offset = usize::from(offset);
        if offset <= at || offset >= m.len() {
            break;
        }
        (at, command) = (offset, next);
    }
    chain
}

fn fill_smb2(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    o.insert("version".into(), json!(2));
    let command = u16_le_at(m, 12)?;
    o.insert("command".into(), json!(command));
    if let Some(name) = super::word(SMB2_COMMANDS, usize::from(command)) {
        o.insert("command_name".into(), json!(name));
    }
    let flags = u32_le_at(m, 16)?;
    o.insert("response".into(), json!(flags & 1 != 0));
    o.insert("status".into(), json!(u32_le_at(m, 8)?));
    o.insert("flags".into(), json!(flags));
    o.insert("credit_charge".into(), json!(u16_le_at(m, 6)?));
    o.insert("credits".into(), json!(u16_le_at(m, 14)?));
    o.insert("message_id".into(), json!(u64_le_at(m, 24)?));
    // An async message (flags bit 1) has an async id where others have a
    // process id and a tree id.
    if flags & 2 != 0 {
        o.insert("async_id".into(), json!(u64_le_at(m, 32)?));
    } else {
        o.insert("tree_id".into(), json!(u32_le_at(m, 36)?));
    }
    o.insert("session_id".into(), json!(u64_le_at(m, 40)?));
    let compound = compound(m);
    if !compound.is_empty() {
        o.insert("compound".into(), Value::Array(compound));
    }
    Ok(())
}

/// The SMB2 headers compounded after the first (MS-SMB2 §3.2.4.1.4): each
/// header's NextCommand is the offset of the next from its own start, 0
/// for the last. Each with its command and name, as far as the message
/// holds them.
fn compound(m: &[u8]) -> Vec<Value> {
    let mut list = Vec::new();
    let mut at = 0usize;
    while list.len() < MAX_CHAIN {
        let Ok(next) = u32_le_at(m, at + 20) else {
            break;
        };
        let Some(start) = usize::try_from(next)
            .ok()
            .filter(|&n| n >= 64)
            .and_then(|n| at.checked_add(n))
        else {
            break;
        };
        let (Some(SMB2_MAGIC), Ok(command)) = (
            m.get(start..start + 4)
                .and_then(|b| <&[u8; 4]>::try_from(b).ok()),
            u16_le_at(m, start + 12),
        ) else {
            break;
        };
        let mut c = Map::new();
        c.insert("command".into(), json!(command));
        if let Some(name) = super::word(SMB2_COMMANDS, usize::from(command)) {
            c.insert("command_name".into(), json!(name));
        }
        list.push(Value::Object(c));
        at = start;
    }
    list
}
