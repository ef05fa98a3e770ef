//! Link layers → IP → TCP/UDP/ICMP: a `Decoded` view over a packet's bytes.
