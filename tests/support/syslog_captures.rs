//! `captures/dissect_syslog.pcap`: syslog datagrams built by hand — BSD
//! (RFC 3164) and RFC 5424 messages, every facility and severity,
//! priorities out of range, too long, without digits or without `<`,
//! empty messages, control and high bytes, cuts by the snap length — then
//! damaged copies. `tests/dissect_apps.rs` compares `sockscope read` with
//! `tcpdump -n -r` on it.

use super::app_captures::{
    between_ports, capture as write, damaged, frames_of, long_message, owned, udp, udp_cut,
};

pub const PORT: u16 = 514;

/// The hand-written messages: (from the client?, port, message).
pub fn messages() -> Vec<(bool, u16, Vec<u8>)> {
    let mut v = owned(&[
        &b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"[..],
        b"<13>1 2024-01-01T00:00:00Z host app - - - hello",
        b"<0>x",
        b"<191>y",
        b"<192>z",
        b"<999>z",
        b"<1",
        b"<",
        b"no pri",
        b"<13>",
        b"<13>a\x01b\xe9c\n",
        b"<a>x",
        b"<013>x",
        b"<1234>x",
        b"<>x",
        b"<13>line1\nline2",
    ]);
    v.push(long_message(b"<13>", b""));
    for facility in 0..24u16 {
        v.push(format!("<{}>m", facility * 8 + facility % 8).into_bytes());
    }
    v.into_iter().map(|m| (true, PORT, m)).collect()
}

/// The capture: the messages, an empty datagram, cuts, the same message
/// between syslog's port and the ports before it, then `damaged` damaged
/// ones.
pub fn capture(damaged_count: usize) -> Vec<u8> {
    let messages = messages();
    let mut frames = frames_of(&messages);
    frames.push(udp(true, 40000, PORT, b""));
    if let Some((_, _, first)) = messages.first() {
        for n in [1, 3, 6, 10] {
            frames.push(udp_cut(true, 40000, PORT, first, n));
        }
    }
    frames.extend(between_ports(
        &[(PORT, 123), (PORT, 53), (PORT, 67)],
        b"<13>x",
    ));
    frames.extend(damaged(0x5157_0000_0000_0001, &messages, damaged_count));
    write(&frames)
}
