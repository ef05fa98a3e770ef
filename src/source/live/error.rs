//! Why a live capture could not start, or stopped: typed, so a caller can
//! tell a missing capability from an unknown interface or a socket call
//! that failed, with the interface, the step and the OS error kept.

use super::CaptureBackend;
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(
        "no interface named {name:?}; interfaces: {} (see `sockscope interfaces`)",
        .known.join(", ")
    )]
    NoSuchInterface { name: String, known: Vec<String> },
    #[error("interface {interface} is down; bring it up first (ip link set {interface} up)")]
    InterfaceDown { interface: String },
    /// Opening the AF_PACKET socket was refused; `exe` is this program, for
    /// the `setcap` line.
    #[error(
        "capturing on {interface} needs the CAP_NET_RAW capability (opening an AF_PACKET socket failed: {source}).\n\
         Run it as root (sudo {exe} capture -i {interface} …), or give the binary the capability once:\n\
         \x20   sudo setcap cap_net_raw,cap_net_admin=eip {exe}"
    )]
    NeedsCapNetRaw {
        interface: String,
        exe: String,
        source: io::Error,
    },
    /// One step of setting up or reading the socket failed (`backend` is
    /// named where only one of them takes that step).
    #[error("capture on {interface}{}: {step} failed: {source}", backend_tag(.backend))]
    Socket {
        interface: String,
        backend: Option<CaptureBackend>,
        step: &'static str,
        source: io::Error,
    },
    /// `--threads`: several rings in a PACKET_FANOUT group need the ring
    /// backend.
    #[error(
        "capture on {interface}: several threads need TPACKET_V3 rings in a PACKET_FANOUT group, \
         and there are none here ({why}); capture with one thread"
    )]
    FanoutNeedsRing { interface: String, why: String },
    #[error("capture on {interface}: pnet returned an unknown channel type")]
    UnknownChannel { interface: String },
    #[error("interface {interface} went down during the capture")]
    WentDown { interface: String },
    #[error("interface {interface} disappeared during the capture")]
    Disappeared { interface: String },
    #[error("capture on {interface} failed: {source}")]
    Failed {
        interface: String,
        source: io::Error,
    },
    /// The socket reported an error condition but no error code.
    #[error("capture on {interface}: socket error")]
    SocketError { interface: String },
    /// A ring block's headers point outside the block.
    #[error("packet ring block is inconsistent (field at offset {offset} lies outside the block)")]
    RingCorrupt { offset: usize },
    #[error("packet ring block was taken back by the kernel while being read")]
    RingTakenBack,
}

fn backend_tag(backend: &Option<CaptureBackend>) -> String {
    backend.map_or(String::new(), |b| format!(" ({b} backend)"))
}

impl LiveError {
    /// What the socket's pending error (SO_ERROR) means for a capture on
    /// `interface`: the interface went down or away, or something else.
    pub(super) fn from_socket(interface: &str, err: Option<io::Error>) -> LiveError {
        let interface = interface.to_string();
        match err {
            Some(e) if e.raw_os_error() == Some(libc::ENETDOWN) => {
                LiveError::WentDown { interface }
            }
            Some(e) if e.raw_os_error() == Some(libc::ENODEV) => {
                LiveError::Disappeared { interface }
            }
            Some(source) => LiveError::Failed { interface, source },
            None => LiveError::SocketError { interface },
        }
    }

    /// A failed socket step for the capture on `interface`.
    pub(super) fn socket(
        interface: &str,
        backend: Option<CaptureBackend>,
        step: &'static str,
        source: io::Error,
    ) -> LiveError {
        LiveError::Socket {
            interface: interface.to_string(),
            backend,
            step,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_interface_and_the_step() {
        let e = LiveError::socket(
            "lo",
            Some(CaptureBackend::Pnet),
            "enabling promiscuous mode",
            io::Error::from_raw_os_error(libc::EPERM),
        );
        assert_eq!(
            e.to_string(),
            "capture on lo (pnet backend): enabling promiscuous mode failed: \
             Operation not permitted (os error 1)"
        );
        let e = LiveError::from_socket("eth9", Some(io::Error::from_raw_os_error(libc::ENETDOWN)));
        assert_eq!(e.to_string(), "interface eth9 went down during the capture");
        let e = LiveError::NoSuchInterface {
            name: "x".into(),
            known: vec!["lo".into(), "any".into()],
        };
        assert_eq!(
            e.to_string(),
            "no interface named \"x\"; interfaces: lo, any (see `sockscope interfaces`)"
        );
    }
}
