//! TCP-only flow state: the RFC 793 machine of each side ([`state`]),
//! Wireshark's sequence analysis ([`analysis`]) and Zeek's endpoint machine,
//! history letters and conn_state ([`zeek`]).

pub mod analysis;
pub mod state;
pub mod zeek;
