//! `HOST:PORT` arguments of the endpoints (`client`, `serve --listen`):
//! a literal address, or a host name resolved once when the arguments are
//! read (`localhost:8080`). Where a name has both kinds of address the
//! IPv4 one is taken: the servers listen on 127.0.0.1 unless told
//! otherwise, and resolvers often list `::1` first for `localhost`.

use std::net::{SocketAddr, ToSocketAddrs};

/// clap's value parser for `HOST:PORT`.
pub fn parse_socket_addr(s: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if !s.contains(':') {
        return Err(format!(
            "{s:?} has no port: write HOST:PORT (localhost:8080)"
        ));
    }
    let addrs: Vec<SocketAddr> = s
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {s:?}: {e}"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| format!("{s:?} resolves to no address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_literal_and_localhost() {
        assert_eq!(
            parse_socket_addr("127.0.0.1:8080").unwrap(),
            SocketAddr::from(([127, 0, 0, 1], 8080))
        );
        assert_eq!(parse_socket_addr("[::1]:9").unwrap().port(), 9);
        let local = parse_socket_addr("localhost:8080").unwrap();
        assert!(local.ip().is_loopback() && local.port() == 8080, "{local}");
        assert!(
            parse_socket_addr("localhost")
                .unwrap_err()
                .contains("no port")
        );
    }
}
