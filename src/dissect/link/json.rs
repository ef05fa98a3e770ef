//! The `"link_layer"` object of `--json` for the link types of this
//! module: what each header says (PPP's protocol, Cisco HDLC's address
//! and EtherType, Frame Relay's DLCI and NLPID, NFLOG's family and
//! resource, IPoIB's EtherType (after its 40-byte address part), PKTAP's inner link type, pf's log
//! header (`pflog::to_json`), 802.11's frame
//! control and addresses, radiotap's length and flags before it (Prism's,
//! AVS's and PPI's headers likewise); Token
//! Ring's and FDDI's frame control, addresses and route, ATM's
//! encapsulation, with their LLC header: `ring_links::to_json`; a usbmon
//! header's fields: `usb::to_json`). Fields a
//! cut header does not hold are left out; `None` when not even the
//! header's first field is there.

use super::Frame;
use crate::decode::link_header::be16;
use crate::decode::link_more::{
    self, C_HDLC, FRELAY, IEEE802_11, IEEE802_11_RADIO, IPOIB, NFLOG, PKTAP, PPP, PPP_HDLC,
};
use crate::decode::wlan::{self, FrameControl};
use crate::dissect::tunnel::ppp_control_json;
use serde_json::{Map, Value, json};

/// The link header of `f` as JSON.
pub fn to_json(f: &Frame<'_>) -> Option<Value> {
    let d = f.data;
    Some(match f.link {
        PPP => {
            let (proto, at) = link_more::ppp_header(d)?;
            let mut o = json!({"type": "ppp", "protocol": proto});
            // pppd's direction byte where the address is (its link type
            // 166 is read as 9), as `-e` says `In `/`Out`.
            match d.get(..2) {
                Some([0, 3]) => o["direction"] = json!("in"),
                Some([1, 3]) => o["direction"] = json!("out"),
                _ => {}
            }
            add_ppp_control(&mut o, proto, d, at);
            o
        }
        PPP_HDLC | C_HDLC => {
            let (address, control) = (*d.first()?, *d.get(1)?);
            let kind = if f.link == C_HDLC || matches!(address, 0x0f | 0x8f) {
                "chdlc"
            } else {
                "ppp_hdlc"
            };
            let mut o = json!({"type": kind, "address": address, "control": control});
            if let Some(proto) = be16(d, 2) {
                o["protocol"] = json!(proto);
                if kind == "ppp_hdlc" {
                    add_ppp_control(&mut o, proto, d, 4);
                }
            }
            o
        }
        FRELAY => {
            let h = link_more::fr_header(d)?;
            json!({"type": "fr", "dlci": h.dlci, "address_len": h.addr_len,
                   "flags": h.flags, "nlpid": h.nlpid})
        }
        NFLOG => {
            let (family, version) = (*d.first()?, *d.get(1)?);
            let mut o = json!({"type": "nflog", "family": family, "version": version});
            if let Some(rid) = be16(d, 2) {
                o["resource_id"] = json!(rid);
            }
            o
        }
        IPOIB => json!({"type": "ipoib", "protocol": be16(d, 40)?}),
        link_more::SLIP_BSDOS | link_more::SLIP_BSDOS_FILE => json!({"type": "slip_bsdos"}),
        link_more::PPP_BSDOS | link_more::PPP_BSDOS_FILE => json!({"type": "ppp_bsdos"}),
        link_more::SYMANTEC => {
            json!({"type": "symantec", "protocol": link_more::symantec_type(d)?})
        }
        link_more::AP1394 => {
            let eui = |at: usize| -> Option<String> {
                let b = d.get(at..at + 8)?;
                Some(
                    b.iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<Vec<_>>()
                        .join(":"),
                )
            };
            json!({"type": "ap1394", "dst": eui(0)?, "src": eui(8)?, "protocol": be16(d, 16)?})
        }
        PKTAP => {
            let (len, link) = link_more::pktap(d)?;
            json!({"type": "pktap", "header_len": len, "dlt": link.number()})
        }
        IEEE802_11 => wlan_json(d)?,
        IEEE802_11_RADIO => {
            let r = wlan::radiotap(d)?;
            let mut o = wlan_json(d.get(r.len..).unwrap_or(&[])).unwrap_or_else(|| json!({}));
            o["type"] = json!("radiotap");
            o["radiotap"] = json!({"len": r.len, "flags": r.flags});
            o
        }
        _ if crate::decode::wlan_headers::handles(f.link) => {
            // Prism's, AVS's or PPI's header, then 802.11's words as
            // radiotap's.
            let (kind, fields, frame) = super::wlan_headers::to_json(f)?;
            let inner = frame.and_then(|at| wlan_json(d.get(at..).unwrap_or(&[])));
            let mut o = inner.unwrap_or_else(|| json!({}));
            o["type"] = json!(kind);
            o[kind] = fields;
            o
        }
        super::sunatm::SUNATM => super::sunatm::to_json(f)?,
        _ if super::ring_links::handles(f.link) => super::ring_links::to_json(f)?,
        // ZEP's object of the frame's header fields, as far as captured
        // (behind TAP's header, with it).
        _ if super::wpan::handles(f.link) => super::wpan::to_json(f)?,
        crate::decode::pflog::PFLOG => super::pflog::to_json(f)?,
        crate::decode::ipnet::IPNET => super::ipnet::to_json(f)?,
        super::slip::SLIP => super::slip::to_json(f)?,
        super::ltalk::LTALK => super::ltalk::to_json(f)?,
        crate::decode::enc::ENC => super::enc::to_json(f)?,
        _ if crate::decode::juniper::handles(f.link) => super::juniper::to_json(f)?,
        super::bluetooth::BLUETOOTH_H4_PHDR => super::bluetooth::to_json(f)?,
        super::vsock::VSOCK => super::vsock::to_json(f)?,
        _ if super::mfr::handles(f.link) => super::mfr::to_json(f)?,
        _ if super::arcnet::handles(f.link) => super::arcnet::to_json(f)?,
        _ if super::usb::handles(f.link) => super::usb::to_json(f)?,
        _ => return None,
    })
}

/// A PPP control protocol's message (LCP, IPCP, CHAP, …) after the
/// `at`-byte header of frame `d`, as PPP in a tunnel gives it: `ppp`
/// (the field `control` of `ppp_hdlc` is HDLC's control byte, so the
/// message goes beside it under the tunnels' name).
fn add_ppp_control(o: &mut Value, proto: u16, d: &[u8], at: usize) {
    if let Some(c) = ppp_control_json(proto, d.get(at..).unwrap_or(&[])) {
        o["ppp"] = json!({ "control": c });
    }
}

/// 802.11's frame control and the addresses the header holds.
fn wlan_json(d: &[u8]) -> Option<Value> {
    let fc = FrameControl::read(d)?;
    let mut o = Map::new();
    o.insert("type".into(), json!("802.11"));
    o.insert("frame_type".into(), json!(fc.kind));
    o.insert("subtype".into(), json!(fc.subtype));
    o.insert("flags".into(), json!(fc.flags));
    o.insert("to_ds".into(), json!(fc.to_ds()));
    o.insert("from_ds".into(), json!(fc.from_ds()));
    o.insert("protected".into(), json!(fc.protected()));
    for (key, at) in [("addr1", 4), ("addr2", 10), ("addr3", 16)] {
        let Some(a) = wlan::addr(d, at) else { break };
        let text: Vec<String> = a.iter().map(|b| format!("{b:02x}")).collect();
        o.insert(key.into(), json!(text.join(":")));
    }
    Some(Value::Object(o))
}
