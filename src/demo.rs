//! `sockscope demo`: run the endpoints on loopback while sniffing them.
