//! The BSD time synchronisation protocol of `timed` (TSP, UDP 525), as
//! tcpdump 4.99 prints it, one line at every level: `TSP_SETTIME vers 1
//! seq 7 time 100.000005 name host`. The type is named from the daemon's
//! table (`(tsp_type 0x19)` past it); a loop-detection message shows its
//! hop count, the four time-setting ones their time (seconds and
//! microseconds, signed, written as tcpdump's arithmetic writes them,
//! nothing more after a negative microsecond count), then the host name,
//! at most 256 bytes up to a NUL. tcpdump reads it all with `GET_`
//! macros: a cut is ` [|timed]` after the fields read whole. Zeek has no
//! analyzer for it (no `service`).

use super::ctl::{json_object, line_is_level_0, out, put_text_nul, tok};
use super::wire::{Res, u8_at, u16_at, u32_at};
use super::{Dissector, Payload};
use serde_json::{Map, Value, json};

pub static TIMED: Dissector = Dissector {
    name: "timed",
    json_key: "timed",
    line: Some(line),
    verbose: Some(verbose),
    json: to_json,
    service: "",
    recognise: |m| m.len() >= NAME,
};

/// Where the hop count or the time sits, and where the name starts.
const TIME: usize = 4;
const NAME: usize = 12;
/// `MAXHOSTNAMELEN`: the longest name tcpdump prints.
const NAME_LEN: usize = 256;

const LOOP: u8 = 24;
/// The messages that carry a time: adjtime, settime, setdate, setdatereq.
const WITH_TIME: &[u8] = &[1, 5, 22, 23];

const TYPES: &[(u8, &str)] = &[
    (0, "TSP_ANY"),
    (1, "TSP_ADJTIME"),
    (2, "TSP_ACK"),
    (3, "TSP_MASTERREQ"),
    (4, "TSP_MASTERACK"),
    (5, "TSP_SETTIME"),
    (6, "TSP_MASTERUP"),
    (7, "TSP_SLAVEUP"),
    (8, "TSP_ELECTION"),
    (9, "TSP_ACCEPT"),
    (10, "TSP_REFUSE"),
    (11, "TSP_CONFLICT"),
    (12, "TSP_RESOLVE"),
    (13, "TSP_QUIT"),
    (14, "TSP_DATE"),
    (15, "TSP_DATEREQ"),
    (16, "TSP_DATEACK"),
    (17, "TSP_TRACEON"),
    (18, "TSP_TRACEOFF"),
    (19, "TSP_MSITE"),
    (20, "TSP_MSITEREQ"),
    (21, "TSP_TEST"),
    (22, "TSP_SETDATE"),
    (23, "TSP_SETDATEREQ"),
    (LOOP, "TSP_LOOP"),
];

/// The time as tcpdump writes it: a negative second count with
/// microseconds is carried one second up and the microseconds counted
/// down from a million (a `-` where that leaves zero seconds), each
/// number as C's `%d` and `%06d` print it. `None` for a negative
/// microsecond count, after which tcpdump prints nothing more.
fn put_time(w: &mut Vec<u8>, sec: i32, usec: i32) -> Option<()> {
    if usec < 0 {
        return None;
    }
    w.extend_from_slice(b" time ");
    let (mut sec, mut usec) = (i64::from(sec), i64::from(usec));
    if sec < 0 && usec != 0 {
        sec += 1;
        if sec == 0 {
            w.push(b'-');
        }
        usec = 1_000_000 - usec;
    }
    out!(w, "{sec}.{usec:06}");
    Some(())
}

line_is_level_0!();

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, _: u8) -> Res<()> {
    let m = p.bytes;
    let t = u8_at(m, 0)?;
    match tok(TYPES, t) {
        Some(name) => w.extend_from_slice(name.as_bytes()),
        None => out!(w, "(tsp_type {t:#x})"),
    }
    out!(w, " vers {}", u8_at(m, 1)?);
    out!(w, " seq {}", u16_at(m, 2)?);
    if t == LOOP {
        out!(w, " hopcnt {}", u8_at(m, TIME)?);
    } else if WITH_TIME.contains(&t) {
        let (sec, usec) = (u32_at(m, TIME)? as i32, u32_at(m, TIME + 4)? as i32);
        if put_time(w, sec, usec).is_none() {
            return Ok(());
        }
    }
    w.extend_from_slice(b" name ");
    put_text_nul(w, m, NAME, NAME_LEN)
}

fn to_json(p: &Payload<'_>) -> Value {
    json_object(|o| json_fields(o, p.bytes))
}

fn json_fields(o: &mut Map<String, Value>, m: &[u8]) -> Res<()> {
    let t = u8_at(m, 0)?;
    o.insert("type".into(), json!(t));
    o.insert("type_name".into(), json!(tok(TYPES, t)));
    o.insert("version".into(), json!(u8_at(m, 1)?));
    o.insert("sequence".into(), json!(u16_at(m, 2)?));
    if t == LOOP {
        o.insert("hopcount".into(), json!(u8_at(m, TIME)?));
    } else if WITH_TIME.contains(&t) {
        o.insert("seconds".into(), json!(u32_at(m, TIME)? as i32));
        o.insert("microseconds".into(), json!(u32_at(m, TIME + 4)? as i32));
    }
    let name = m.get(NAME..).unwrap_or(&[]);
    let name = name.get(..NAME_LEN).unwrap_or(name);
    let whole = name.contains(&0) || name.len() == NAME_LEN;
    let name = name.split(|&b| b == 0).next().unwrap_or(&[]);
    o.insert("name".into(), json!(String::from_utf8_lossy(name)));
    if !whole {
        return Err(super::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settime(sec: i32, usec: i32) -> Vec<u8> {
        let mut m = vec![5, 1, 0, 7];
        m.extend_from_slice(&sec.to_be_bytes());
        m.extend_from_slice(&usec.to_be_bytes());
        m.extend_from_slice(b"host\0");
        m
    }

    #[test]
    fn test_line() {
        assert_eq!(
            TIMED.printed(&settime(100, 5), 0),
            "TSP_SETTIME vers 1 seq 7 time 100.000005 name host"
        );
        assert!(
            TIMED
                .printed(&settime(-1, 5), 1)
                .contains("time -0.999995 name")
        );
        assert!(
            TIMED
                .printed(&settime(-2, 2_000_000), 0)
                .contains("time -1.-1000000 name")
        );
        assert_eq!(
            TIMED.printed(&settime(1, -1), 0),
            "TSP_SETTIME vers 1 seq 7"
        );
        let mut m = settime(0, 0);
        m[0] = 0x19;
        assert!(
            TIMED
                .printed(&m, 0)
                .starts_with("(tsp_type 0x19) vers 1 seq 7 name")
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(
            TIMED.printed_cut(&settime(1, 2), 11, 0),
            "TSP_SETTIME vers 1 seq 7 [|timed]"
        );
        assert_eq!(
            TIMED.printed_cut(&settime(1, 2), 14, 0),
            "TSP_SETTIME vers 1 seq 7 time 1.000002 name ho [|timed]"
        );
    }
}
