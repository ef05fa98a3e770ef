//! pcap and pcapng files (and stdin), detected by magic number.
