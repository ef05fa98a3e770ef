//! ISO CLNS PDUs (CLNP, ES-IS, IS-IS) carried elsewhere than after LLC
//! SAP 0xfe: PPP's protocol 0x0023 (on its own link types and inside
//! PPPoE, L2TP, PPTP), GRE's 0x00fe and Cisco HDLC's 0xfefe. tcpdump hands
//! them all to one printer (`isoclns_print`), which under `-e` names the
//! NLPID first; so do we, with the printer LLC's SAP 0xfe uses.

use super::LinePrinter;
use crate::dissect::link::{Frame, OsiPdu, osi_pdu};
use crate::dissect::tunnel::Inner;
use crate::dissect::{Payload, isis};

impl LinePrinter {
    /// The PDU's text (`-e`: `OSI NLPID CLNP (0x81): ` first); `true`
    /// when the printer gave up on a field the capture cut (tcpdump's
    /// `longjmp`: the dump then starts at the packet's first byte).
    pub(super) fn write_clns(&mut self, w: &mut Vec<u8>, p: &Payload<'_>) -> bool {
        let at = w.len();
        if let Some((&nlpid, rest)) = p.bytes.split_first()
            && let Some(kind) = crate::dissect::tunnel::behind_osi_nlpid(nlpid)
        {
            let inner = Inner {
                kind,
                bytes: rest,
                wire_len: p.declared_len.saturating_sub(1),
            };
            // Writing to a buffer does not fail.
            let jumped = self.write_inner(w, inner).unwrap_or(true);
            if self.opts.link_header {
                isis::with_link_header(w, at, nlpid);
            }
            return jumped;
        }
        let jumped = isis::ISOCLNS
            .write_line_cut(w, p, self.opts.verbose)
            .unwrap_or(false);
        if self.opts.link_header
            && let Some(&nlpid) = p.bytes.first()
        {
            isis::with_link_header(w, at, nlpid);
        }
        self.cut_early(jumped);
        jumped
    }

    /// The PDU of a PPP or Cisco HDLC frame; `false` when the frame
    /// carries none.
    pub(super) fn write_framed_osi(&mut self, w: &mut Vec<u8>, f: &Frame<'_>) -> bool {
        match osi_pdu(f) {
            None => false,
            Some(OsiPdu::Cut { mark, jumped }) => {
                w.extend_from_slice(mark.as_bytes());
                self.dump_from = Some(if jumped { 0 } else { f.data.len() });
                true
            }
            Some(OsiPdu::At { at, dump_from }) => {
                let p = Payload {
                    bytes: f.data.get(at..).unwrap_or(&[]),
                    declared_len: f.orig_len.saturating_sub(at),
                };
                self.dump_from = Some(dump_from);
                self.write_clns(w, &p);
                true
            }
        }
    }
}
