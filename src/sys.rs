//! The one place `unsafe` is allowed: socket options and rings that pnet does
//! not set for us (buffer sizes, timestamps, PACKET_STATISTICS, BPF attach).
