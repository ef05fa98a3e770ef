//! Live capture from an interface through AF_PACKET raw sockets (pnet).
