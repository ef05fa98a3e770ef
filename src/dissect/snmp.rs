//! SNMP (UDP ports 161 and 162; RFC 1157 v1, RFC 1901 v2c, RFC 3412/3414
//! v3 with the user-based security model) as `tcpdump -n` prints it:
//! `C="private" GetRequest(28)  .1.3.6.1.2.1.1.1.0` (the community only
//! when it is not `public`), the PDU with its length, GetBulk's `N=`/`M=`,
//! an error status and index, v1 traps' enterprise, agent and trap kind,
//! v3's flags, user and context; at `-v` the version, request id and v3
//! header in braces. tcpdump's complaints about a malformed message
//! (`[errorIndex(3) w/o errorStatus]`, `[v2 PDU in v1 message]`) are part
//! of the line; decoding stops after one, as there.
//!
//! The `"snmp"` JSON object is filled by the same walk (version,
//! community, PDU, ids, each variable binding's OID, type and value as
//! printed). The BER elements are read by [`ber`], bounded there; this
//! module only follows the message's fixed structure (no recursion).

mod ber;

use super::ctl::{json_object, out};
use super::wire::{Res, u8_at};
use super::{Dissector, Payload, Stop};
use ber::{CONTEXT, Cur, Elem, Kind, parse, put_elem, put_octets, put_string, type_name};
use serde_json::{Map, Value, json};

pub static SNMP: Dissector = Dissector::new("snmp", line, verbose, to_json, looks_like_snmp);

/// A sequence holding an INTEGER version 0, 1 or 3 first.
fn looks_like_snmp(m: &[u8]) -> bool {
    let mut w = Vec::new();
    let Ok(Some(seq)) = parse(&mut w, m, whole(m.len())) else {
        return false;
    };
    let first = parse(&mut w, m, Cur::inside(&seq));
    seq.kind == Kind::Seq
        && matches!(
            first,
            Ok(Some(Elem {
                kind: Kind::Int(0 | 1 | 3),
                ..
            }))
        )
}

fn whole(len: usize) -> Cur {
    Cur {
        at: 0,
        len: u32::try_from(len).unwrap_or(u32::MAX),
    }
}

fn line(w: &mut Vec<u8>, p: &Payload<'_>) -> Res<()> {
    message(&mut Out::new(w, 0), p)
}

fn verbose(w: &mut Vec<u8>, p: &Payload<'_>, v: u8) -> Res<()> {
    message(&mut Out::new(w, v), p)
}

/// Whether tcpdump's printer, stopping early, read past the capture (see
/// `dissect::JumpRule`): only in an element's tag or first length byte
/// ([`ber::parse`]).
pub(super) fn cut_jumps(p: &Payload<'_>, v: u8) -> bool {
    let mut scratch = Vec::new();
    let mut o = Out::new(&mut scratch, v);
    message(&mut o, p).is_err() && o.stop == Some(Stop::Jumped)
}

/// The line being written, the level, how the last element read stopped
/// when it did, and (for `--json`) the fields met.
struct Out<'w> {
    w: &'w mut Vec<u8>,
    v: bool,
    stop: Option<Stop>,
    json: Option<Map<String, Value>>,
    varbinds: Vec<Value>,
}

impl<'w> Out<'w> {
    fn new(w: &'w mut Vec<u8>, v: u8) -> Out<'w> {
        Out {
            w,
            v: v > 0,
            stop: None,
            json: None,
            varbinds: Vec::new(),
        }
    }

    /// The element at `c` ([`ber::parse`]), remembering how it stopped.
    fn parse(&mut self, m: &[u8], c: Cur) -> Res<Option<Elem>> {
        parse(self.w, m, c).map_err(|stop| {
            self.stop = Some(stop);
            stop.into()
        })
    }

    fn text(&mut self, s: &str) {
        self.w.extend_from_slice(s.as_bytes());
    }

    /// `s` at `-v` only.
    fn verbose(&mut self, s: &str) {
        if self.v {
            self.text(s);
        }
    }

    fn field(&mut self, key: &str, value: impl Into<Value>) {
        if let Some(o) = self.json.as_mut() {
            o.insert(key.into(), value.into());
        }
    }

    /// The next element, `c` moved past it; or `None` after tcpdump's
    /// words for it: its own complaint, or `[what]` and the element when
    /// it is not `want`.
    fn expect(
        &mut self,
        m: &[u8],
        c: &mut Cur,
        want: fn(Kind) -> bool,
        what: &str,
    ) -> Res<Option<Elem>> {
        let Some(e) = self.parse(m, *c)? else {
            return Ok(None);
        };
        if want(e.kind) {
            c.skip(&e);
            return Ok(Some(e));
        }
        out!(self.w, "[{what}]");
        put_elem(self.w, m, &e)?;
        Ok(None)
    }

    /// An INTEGER's value (see [`Out::expect`]).
    fn int(&mut self, m: &[u8], c: &mut Cur, what: &str) -> Res<Option<(Elem, i32)>> {
        let e = self.expect(m, c, |k| matches!(k, Kind::Int(_)), what)?;
        Ok(e.and_then(|e| match e.kind {
            Kind::Int(n) => Some((e, n)),
            _ => None,
        }))
    }

    fn string(&mut self, m: &[u8], c: &mut Cur, what: &str) -> Res<Option<Elem>> {
        self.expect(m, c, |k| k == Kind::Str, what)
    }

    fn seq(&mut self, m: &[u8], c: &mut Cur, what: &str) -> Res<Option<Elem>> {
        self.expect(m, c, |k| k == Kind::Seq, what)
    }

    /// Prints `e` and gives the text printed (for the JSON).
    fn put(&mut self, m: &[u8], e: &Elem) -> Res<String> {
        let start = self.w.len();
        put_elem(self.w, m, e)?;
        Ok(self.printed_since(start))
    }

    fn printed_since(&self, start: usize) -> String {
        String::from_utf8_lossy(self.w.get(start..).unwrap_or_default()).into_owned()
    }
}

/// The value of an [`Out`] reader, or the end of this part of the message
/// (tcpdump returns after a complaint, and its callers go on).
macro_rules! next {
    ($read:expr) => {
        match $read? {
            Some(v) => v,
            None => return Ok(()),
        }
    };
}

/// The v2c and v3 PDU tags tcpdump refuses in a v1 message.
const V2_ONLY: [u8; 4] = [GETBULK, 6, 7, 8];
const GETBULK: u8 = 5;
const TRAP: u8 = 4;

const VERSIONS: [&str; 4] = ["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"];

/// tcpdump's `snmp_print`.
fn message(o: &mut Out<'_>, p: &Payload<'_>) -> Res<()> {
    let m = p.bytes;
    o.text(" ");
    let mut top = whole(p.declared_len);
    let seq = next!(o.seq(m, &mut top, "!init SEQ"));
    // What the declared length holds past the message.
    if top.len > 0 {
        out!(o.w, "[{} extra after iSEQ]", top.len);
    }
    let mut c = Cur::inside(&seq);
    let (_, version) = next!(o.int(m, &mut c, "version!=INT"));
    o.field("version", version);
    match version {
        0 | 1 | 3 => {
            if o.v {
                let name = VERSIONS.get(version as usize).copied().unwrap_or("");
                out!(o.w, "{{ {name} ");
            }
        }
        _ => {
            out!(o.w, "SNMP [version = {version}]");
            return Ok(());
        }
    }
    if version == 3 {
        v3_message(o, m, c)?;
    } else {
        community(o, m, c, version)?;
    }
    o.verbose("} ");
    Ok(())
}

/// v1 and v2c: the community (printed unless `public`), then the PDU.
fn community(o: &mut Out<'_>, m: &[u8], mut c: Cur, version: i32) -> Res<()> {
    let e = next!(o.string(m, &mut c, "comm!=STR"));
    let s = m
        .get(e.at..e.at + e.len as usize)
        .unwrap_or_default()
        .to_vec();
    o.field("community", String::from_utf8_lossy(&s).into_owned());
    if s != b"public" {
        o.text("C=");
        put_string(o.w, m, &e)?;
        o.text(" ");
    }
    pdu(o, m, c, version)
}

/// tcpdump's `pdu_print`: `GetRequest(28) ` and what the PDU holds.
fn pdu(o: &mut Out<'_>, m: &[u8], c: Cur, version: i32) -> Res<()> {
    let Some(pdu) = o.parse(m, c)? else {
        return Ok(());
    };
    if pdu.kind != Kind::Pdu {
        o.text("[no PDU]");
        return Ok(());
    }
    if pdu.size < c.len {
        out!(o.w, "[{} extra after PDU]", c.len - pdu.size);
    }
    o.verbose("{ ");
    put_elem(o.w, m, &pdu)?;
    o.text(" ");
    o.field("pdu", CONTEXT.get(usize::from(pdu.id)).copied());
    o.field("pdu_length", pdu.len);
    if version == 0 && V2_ONLY.contains(&pdu.id) {
        o.text("[v2 PDU in v1 message]");
        return Ok(());
    }
    if version == 1 && pdu.id == TRAP {
        o.text("[v1 PDU in v2 message]");
        return Ok(());
    }
    let inner = Cur::inside(&pdu);
    if pdu.id == TRAP {
        trap(o, m, inner)?;
    } else {
        request(o, m, pdu.id, inner)?;
    }
    o.verbose(" } ");
    Ok(())
}

/// tcpdump's names of the error statuses.
const ERRORS: [&str; 19] = [
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];

fn put_error(o: &mut Out<'_>, e: i32) {
    match usize::try_from(e).ok().and_then(|i| ERRORS.get(i)) {
        Some(name) => o.text(name),
        None => out!(o.w, "err={}", e as u32),
    }
}

/// Every PDU but v1's Trap: request id, error status and index (GetBulk's
/// non-repeaters and max-repetitions), then the bindings.
fn request(o: &mut Out<'_>, m: &[u8], id: u8, mut c: Cur) -> Res<()> {
    let (_, request_id) = next!(o.int(m, &mut c, "reqId!=INT"));
    if o.v {
        out!(o.w, "R={request_id} ");
    }
    o.field("request_id", request_id);
    let (_, status) = next!(o.int(m, &mut c, "errorStatus!=INT"));
    // Requests and notifications must carry zeros here.
    let zero_only = matches!(id, 0 | 1 | 3 | 6 | 7 | 8);
    let mut error_status = 0;
    if zero_only && status != 0 {
        o.text("[errorStatus(");
        put_error(o, status);
        o.text(")!=0]");
    } else if id == GETBULK {
        out!(o.w, " N={status}");
    } else if status != 0 {
        o.text(" ");
        put_error(o, status);
        error_status = status;
    }
    let key = if id == GETBULK {
        "non_repeaters"
    } else {
        "error_status"
    };
    o.field(key, status);
    let (_, index) = next!(o.int(m, &mut c, "errorIndex!=INT"));
    if zero_only && index != 0 {
        out!(o.w, "[errorIndex({index})!=0]");
    } else if id == GETBULK {
        out!(o.w, " M={index}");
    } else if index != 0 {
        if error_status == 0 {
            out!(o.w, "[errorIndex({index}) w/o errorStatus]");
        } else {
            out!(o.w, "@{index}");
        }
    } else if error_status != 0 {
        o.text("[errorIndex==0]");
    }
    let key = if id == GETBULK {
        "max_repetitions"
    } else {
        "error_index"
    };
    o.field(key, index);
    varbinds(o, m, id, c)
}

const GENERIC_TRAPS: [&str; 7] = [
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];

/// v1's Trap: ` enterprise agent kind [s=N] timestamp` and the bindings.
fn trap(o: &mut Out<'_>, m: &[u8], mut c: Cur) -> Res<()> {
    o.text(" ");
    let e = next!(o.expect(m, &mut c, |k| k == Kind::Oid, "enterprise!=OID"));
    let enterprise = o.put(m, &e)?;
    o.field("enterprise", enterprise);
    o.text(" ");
    let e = next!(o.expect(m, &mut c, |k| k == Kind::Inet, "agent-addr!=INETADDR"));
    let agent = o.put(m, &e)?;
    o.field("agent_addr", agent);
    let (_, generic) = next!(o.int(m, &mut c, "generic-trap!=INT"));
    match usize::try_from(generic)
        .ok()
        .and_then(|i| GENERIC_TRAPS.get(i))
    {
        Some(name) => out!(o.w, " {name}"),
        None => out!(o.w, " gt={generic}"),
    }
    o.field("generic_trap", generic);
    let (_, specific) = next!(o.int(m, &mut c, "specific-trap!=INT"));
    if generic != 6 {
        if specific != 0 {
            out!(o.w, "[specific-trap({specific})!=0]");
        }
    } else {
        out!(o.w, " s={specific}");
    }
    o.field("specific_trap", specific);
    o.text(" ");
    let e = next!(o.expect(
        m,
        &mut c,
        |k| matches!(k, Kind::Uns(_)),
        "time-stamp!=TIMETICKS"
    ));
    if let Kind::Uns(t) = e.kind {
        o.field("time_stamp", t);
    }
    put_elem(o.w, m, &e)?;
    varbinds(o, m, TRAP, c)
}

/// The variable bindings: ` name` for a read request, ` name=value`
/// otherwise (a Null value prints nothing).
fn varbinds(o: &mut Out<'_>, m: &[u8], id: u8, c: Cur) -> Res<()> {
    let done = bindings(o, m, id, c);
    if !o.varbinds.is_empty() {
        let list = std::mem::take(&mut o.varbinds);
        o.field("varbinds", Value::Array(list));
    }
    done
}

fn bindings(o: &mut Out<'_>, m: &[u8], id: u8, mut c: Cur) -> Res<()> {
    let list = next!(o.seq(m, &mut c, "!SEQ of varbind"));
    if c.len > 0 {
        out!(o.w, "[{} extra after SEQ of varbind]", c.len);
    }
    let read = matches!(id, 0 | 1 | GETBULK);
    let mut c = Cur::inside(&list);
    while c.len > 0 {
        o.text(" ");
        let vb = next!(o.seq(m, &mut c, "!varbind"));
        let mut inner = Cur::inside(&vb);
        let name = next!(o.expect(m, &mut inner, |k| k == Kind::Oid, "objName!=OID"));
        let oid = o.put(m, &name)?;
        if !read {
            o.text("=");
        }
        let Some(value) = o.parse(m, inner)? else {
            return Ok(());
        };
        let start = o.w.len();
        if read && value.kind != Kind::Null {
            o.text("[objVal!=NULL]");
        }
        if value.kind != Kind::Null {
            put_elem(o.w, m, &value)?;
        }
        let text = o.printed_since(start);
        if o.json.is_some() {
            let v = json!({"oid": oid, "type": type_name(&value), "value": text});
            o.varbinds.push(v);
        }
    }
    Ok(())
}

/// v3: the header (`F=apr`), the USM parameters, the scoped PDU.
fn v3_message(o: &mut Out<'_>, m: &[u8], from: Cur) -> Res<()> {
    let header = next!(o.seq(m, &mut { from }, "!message"));
    let mut c = Cur::inside(&header);
    o.verbose("{ ");
    let (_, msg_id) = next!(o.int(m, &mut c, "msgID!=INT"));
    o.field("msg_id", msg_id);
    let (_, max_size) = next!(o.int(m, &mut c, "msgMaxSize!=INT"));
    o.field("msg_max_size", max_size);
    let e = next!(o.string(m, &mut c, "msgFlags!=STR"));
    if e.len != 1 {
        out!(o.w, "[msgFlags size {}]", e.len);
        return Ok(());
    }
    let flags = u8_at(m, e.at)?;
    if !matches!(flags, 0 | 1 | 3 | 4 | 5 | 7) {
        out!(o.w, "[msgFlags=0x{flags:02X}]");
        return Ok(());
    }
    o.text("F=");
    for (bit, letter) in [(1, "a"), (2, "p"), (4, "r")] {
        if flags & bit != 0 {
            o.text(letter);
        }
    }
    o.text(" ");
    o.field("flags", flags);
    let (e, model) = next!(o.int(m, &mut c, "msgSecurityModel!=INT"));
    o.field("security_model", model);
    // tcpdump compares the last element's size with what is left after it.
    if e.size < c.len {
        out!(o.w, "[{} extra after message SEQ]", c.len - e.size);
    }
    o.verbose("} ");
    if model != 3 {
        out!(o.w, "[security model {model}]");
        return Ok(());
    }
    o.verbose("{ USM ");
    // The security parameters follow where the header's reading stopped.
    let used = u32::try_from(c.at - from.at).unwrap_or(u32::MAX);
    let mut c = Cur {
        at: c.at,
        len: from.len.saturating_sub(used),
    };
    let e = next!(o.string(m, &mut c, "msgSecurityParameters!=STR"));
    usm(o, m, Cur::inside(&e))?;
    o.verbose("} ");
    o.verbose("{ ScopedPDU ");
    scoped_pdu(o, m, c)?;
    o.verbose("} ");
    Ok(())
}

/// The user-based security model's parameters: `B=` and `T=` at `-v`,
/// `U="user" ` always.
fn usm(o: &mut Out<'_>, m: &[u8], mut c: Cur) -> Res<()> {
    let seq = next!(o.seq(m, &mut c, "!usm"));
    let mut c = Cur::inside(&seq);
    next!(o.string(m, &mut c, "msgAuthoritativeEngineID!=STR"));
    let (_, boots) = next!(o.int(m, &mut c, "msgAuthoritativeEngineBoots!=INT"));
    if o.v {
        out!(o.w, "B={boots} ");
    }
    o.field("engine_boots", boots);
    let (_, time) = next!(o.int(m, &mut c, "msgAuthoritativeEngineTime!=INT"));
    if o.v {
        out!(o.w, "T={time} ");
    }
    o.field("engine_time", time);
    let e = next!(o.string(m, &mut c, "msgUserName!=STR"));
    o.text("U=");
    let user = o.put(m, &e)?;
    o.field("user", user);
    o.text(" ");
    for what in [
        "msgAuthenticationParameters!=STR",
        "msgPrivacyParameters!=STR",
    ] {
        let e = next!(o.string(m, &mut c, what));
        if what.starts_with("msgPriv") && e.size < c.len {
            out!(o.w, "[{} extra after usm SEQ]", c.len - e.size);
        }
    }
    Ok(())
}

/// `E=_80_00 C="ctx" ` and the PDU (an encrypted one is a string:
/// `[!scoped PDU]` and its bytes).
fn scoped_pdu(o: &mut Out<'_>, m: &[u8], mut c: Cur) -> Res<()> {
    let seq = next!(o.seq(m, &mut c, "!scoped PDU"));
    let mut c = Cur::inside(&seq);
    let e = next!(o.string(m, &mut c, "contextEngineID!=STR"));
    o.text("E=");
    let start = o.w.len();
    put_octets(o.w, m, &e)?;
    let engine = o.printed_since(start);
    o.field("context_engine_id", engine);
    o.text(" ");
    let e = next!(o.string(m, &mut c, "contextName!=STR"));
    o.text("C=");
    let name = o.put(m, &e)?;
    o.field("context_name", name);
    o.text(" ");
    pdu(o, m, c, 3)
}

/// The fields the `-v` walk meets, and whether it got to the end.
fn to_json(p: &Payload<'_>) -> Value {
    json_object(|map| {
        let mut scratch = Vec::new();
        let mut o = Out::new(&mut scratch, 1);
        o.json = Some(Map::new());
        let done = message(&mut o, p);
        if let Some(fields) = o.json.take() {
            map.extend(fields);
        }
        done
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A BER element.
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag, body.len() as u8];
        v.extend_from_slice(body);
        v
    }

    fn get_request(community: &[u8]) -> Vec<u8> {
        let oid = tlv(6, &[0x2b, 6, 1, 2, 1, 1, 1, 0]);
        let vb = tlv(0x30, &[oid, tlv(5, &[])].concat());
        let pdu = tlv(
            0xa0,
            &[tlv(2, &[0x3a]), tlv(2, &[0]), tlv(2, &[0]), tlv(0x30, &vb)].concat(),
        );
        tlv(0x30, &[tlv(2, &[1]), tlv(4, community), pdu].concat())
    }

    #[test]
    fn test_get_request() {
        let m = get_request(b"public");
        assert_eq!(SNMP.printed(&m, 0), " GetRequest(25)  .1.3.6.1.2.1.1.1.0");
        assert_eq!(
            SNMP.printed(&m, 1),
            " { SNMPv2c { GetRequest(25) R=58  .1.3.6.1.2.1.1.1.0 } } "
        );
        let m = get_request(b"s\x01");
        assert!(SNMP.printed(&m, 0).starts_with(" C=73_01 GetRequest"));
        let v = to_json(&Payload::whole(&m));
        assert_eq!(v["varbinds"][0]["oid"], ".1.3.6.1.2.1.1.1.0");
        assert_eq!(v["complete"], true);
        assert!(looks_like_snmp(&m));
        assert!(!looks_like_snmp(b"\x30\x03\x02\x01\x02"));
    }

    #[test]
    fn test_truncated() {
        let m = get_request(b"public");
        for keep in 0..m.len() {
            let p = Payload {
                bytes: &m[..keep],
                declared_len: m.len(),
            };
            let mut w = Vec::new();
            SNMP.write_line(&mut w, &p, 0);
            assert!(String::from_utf8_lossy(&w).ends_with(" [|snmp]"), "{keep}");
        }
    }
}
