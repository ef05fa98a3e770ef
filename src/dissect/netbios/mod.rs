//! NetBIOS over TCP/IP (RFC 1001, RFC 1002) and the SMB it carries: the
//! name service on UDP 137, the datagram service on UDP 138 (browser
//! announcements inside), the session service on TCP 139 and SMB over TCP
//! on 445.
//!
//! Debian's tcpdump 4.99 is built without its SMB printer (`configure
//! --enable-smb` is off by default since 4.99.0), so the lines stay
//! tcpdump's own: `UDP, length N`, and nothing after a TCP segment's
//! length. These protocols are decoded for `--json` (`"nbns"`,
//! `"nbdgm"`, `"nbss"`, `"smb"`) and for the flows' Zeek `service`:
//! Zeek reads UDP 137 with its DNS analyzer (`dns`) and SMB on 139 and 445
//! with its SMB analyzer (`smb`); it has none for the datagram service.

mod dgm;
pub mod name;
mod ns;
mod ssn;

pub use ssn::{direct_framing, session_framing};

use super::Dissector;

/// A protocol with no line of its own (see the module doc).
const fn json_only(
    name: &'static str,
    json_key: &'static str,
    service: &'static str,
    json: super::JsonFn,
    recognise: fn(&[u8]) -> bool,
) -> Dissector {
    Dissector {
        name,
        json_key,
        line: None,
        verbose: None,
        json,
        service,
        recognise,
    }
}

/// The name service on UDP 137.
pub static NBNS: Dissector = json_only("nbt_udp137", "nbns", "dns", ns::to_json, ns::recognise);

/// The datagram service on UDP 138 (Zeek has no analyzer for it).
pub static NBDGM: Dissector = json_only("nbt_udp138", "nbdgm", "", dgm::to_json, dgm::recognise);

/// The session service on TCP 139.
pub static NBSS: Dissector = json_only(
    "nbt_tcp",
    "nbss",
    "smb",
    ssn::session_json,
    ssn::carries_smb,
);

/// SMB over TCP on 445.
pub static SMB_TCP: Dissector =
    json_only("smb_tcp", "smb", "smb", ssn::direct_json, ssn::carries_smb);
