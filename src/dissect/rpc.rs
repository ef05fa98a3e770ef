//! ONC RPC (RFC 5531) as tcpdump reads it in front of NFS: the message
//! header (XID, direction; a call's program, version and procedure and
//! the credentials and verifier to skip; a reply's state, its rejection
//! or its accepted verifier and state), and RPC over TCP's record marking
//! (RFC 5531 §11: a 4-byte header whose top bit ends the record and whose
//! other 31 bits are the fragment's length).
//!
//! tcpdump checks some lengths against the message's length (what the
//! datagram or record says it holds) and reads the rest from what was
//! captured; both are kept apart here: `m` is the captured bytes from the
//! XID on, `length` the declared length.

use super::ctl::out;
use super::wire::{Res, u32_at};
use super::{Truncated, put_num};

/// `msg_type` of a call and of a reply.
pub const CALL: u32 = 0;
pub const REPLY: u32 = 1;

/// Offsets in a message (RFC 5531 §9): XID, direction, then a call's RPC
/// version, program, version, procedure and credentials, or a reply's
/// state.
pub const XID: usize = 0;
pub const DIRECTION: usize = 4;
/// A call's RPC version (2).
pub const RPC_VERSION: usize = 8;
pub const PROGRAM: usize = 12;
pub const VERSION: usize = 16;
pub const PROCEDURE: usize = 20;
pub const CREDENTIALS: usize = 24;
pub const REPLY_STATE: usize = 8;

/// The RPC message behind a record-marking header at the start of a TCP
/// segment, and the fragment's length (no more than the segment holds
/// after the header), as tcpdump takes them: `None` when the segment has
/// fewer than 4 bytes.
pub fn after_record_mark(bytes: &[u8], declared: usize) -> Option<(&[u8], usize)> {
    if declared < 4 {
        return None;
    }
    let mark = u32_at(bytes, 0).ok()?;
    let len = (mark & 0x7fff_ffff) as usize;
    Some((bytes.get(4..)?, len.min(declared - 4)))
}

/// The message's direction, when captured.
pub fn direction(m: &[u8]) -> Option<u32> {
    u32_at(m, DIRECTION).ok()
}

/// Where a call's arguments start, after the credentials and the
/// verifier (tcpdump 4.99's `parsereq`): each length must be below the
/// message's whole `length` (not what is left of it), and the arguments
/// must start within the capture; the bodies are skipped unread. `Err`
/// wherever tcpdump gives up (it then marks the cut).
pub fn call_arguments(m: &[u8], length: usize) -> Res<usize> {
    let mut at = CREDENTIALS;
    for _ in ["credentials", "verifier"] {
        let len = u32_at(m, at + 4)? as usize;
        if len >= length {
            return Err(Truncated);
        }
        at += 8 + len.next_multiple_of(4);
    }
    if at > m.len() {
        return Err(Truncated);
    }
    Ok(at)
}

/// What an accepted reply's header says (tcpdump's `parserep`): where the
/// results start, or that the call was not carried out (its accept state
/// is printed, and the cut is not marked), or that the verifier's length
/// is past the message or not captured.
pub enum Accepted {
    Results(usize),
    Refused,
}

/// The accept states other than success, by number.
const ACCEPT_STATES: [&str; 6] = [
    "",
    "PROG_UNAVAIL",
    "PROG_MISMATCH",
    "PROC_UNAVAIL",
    "GARBAGE_ARGS",
    "SYSTEM_ERR",
];

/// An accepted reply's verifier and state, printing the state when it
/// is not success.
pub fn accepted(w: &mut Vec<u8>, m: &[u8], length: usize) -> Res<Accepted> {
    let verifier = REPLY_STATE + 4;
    let len = u32_at(m, verifier + 4)? as usize;
    if len >= length {
        return Err(Truncated);
    }
    let at = verifier + 8 + len.next_multiple_of(4);
    let state = u32_at(m, at)?;
    if state != 0 {
        w.push(b' ');
        match ACCEPT_STATES.get(state as usize) {
            Some(name) => w.extend_from_slice(name.as_bytes()),
            None => out!(w, "ar_stat {state}"),
        }
        return Ok(Accepted::Refused);
    }
    Ok(Accepted::Results(at + 4))
}

/// Why a call was rejected, after `reply ERR N: ` (tcpdump's words).
pub fn write_rejection(w: &mut Vec<u8>, m: &[u8]) -> Res<()> {
    let reason = u32_at(m, REPLY_STATE + 4)?;
    match reason {
        0 => {
            let low = u32_at(m, REPLY_STATE + 8)?;
            let high = u32_at(m, REPLY_STATE + 12)?;
            out!(w, "RPC Version mismatch ({low}-{high})");
        }
        1 => {
            let why = u32_at(m, REPLY_STATE + 8)?;
            w.extend_from_slice(b"Auth ");
            match AUTH_ERRORS.get(why as usize) {
                Some(text) => w.extend_from_slice(text.as_bytes()),
                None => out!(w, "Invalid failure code {why}"),
            }
        }
        _ => {
            w.extend_from_slice(b"Unknown reason for rejecting rpc message ");
            put_num(w, reason);
        }
    }
    Ok(())
}

/// `auth_stat` (RFC 5531 §9) in tcpdump's words.
const AUTH_ERRORS: [&str; 8] = [
    "OK",
    "Bogus Credentials (seal broken)",
    "Rejected Credentials (client should begin new session)",
    "Bogus Verifier (seal broken)",
    "Verifier expired or was replayed",
    "Credentials are too weak",
    "Bogus response verifier",
    "Unknown failure",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    #[test]
    fn test_call_arguments_skip_credentials_and_verifier() {
        // AUTH_UNIX with 8 bytes of body, AUTH_NONE verifier, one word.
        let m = words(&[1, CALL, 2, 100003, 3, 1, 1, 8, 0, 0, 0, 0, 7]);
        assert_eq!(call_arguments(&m, m.len()), Ok(48));
        // The arguments may start where the capture ends.
        assert_eq!(call_arguments(&m[..48], 52), Ok(48));
        assert_eq!(call_arguments(&m[..47], 52), Err(Truncated));
    }

    #[test]
    fn test_malformed_credentials_length() {
        let m = words(&[1, CALL, 2, 100003, 3, 1, 1, 400, 0]);
        assert_eq!(call_arguments(&m, 400), Err(Truncated));
        assert_eq!(call_arguments(&m, 401), Err(Truncated));
    }

    #[test]
    fn test_truncated_record_mark() {
        assert!(after_record_mark(&[0x80, 0, 0], 3).is_none());
        let (m, len) = after_record_mark(&[0x80, 0, 0, 9, 1, 2], 6).unwrap();
        assert_eq!((m, len), (&[1u8, 2][..], 2));
    }

    #[test]
    fn test_rejections() {
        let mut w = Vec::new();
        write_rejection(&mut w, &words(&[1, REPLY, 1, 0, 2, 2])).unwrap();
        assert_eq!(w, b"RPC Version mismatch (2-2)");
        w.clear();
        write_rejection(&mut w, &words(&[1, REPLY, 1, 1, 9])).unwrap();
        assert_eq!(w, b"Auth Invalid failure code 9");
        assert_eq!(
            write_rejection(&mut w, &words(&[1, REPLY, 1, 1])),
            Err(Truncated)
        );
    }
}
