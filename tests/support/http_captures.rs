//! HTTP/1.x byte streams whose bodies the framer must follow, shared by
//! the damage test (`tests/dissect_http_mutations.rs`) and the fuzz corpus.

/// Messages whose bodies the framer must follow.
pub fn framed_messages() -> Vec<Vec<u8>> {
    let post =
        b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
        5;ext=1\r\nhello\r\n10\r\nGET / HTTP/1.1\r\n\r\n\r\n0\r\nTrailer: x\r\n\r\n";
    let pipelined = b"GET /a HTTP/1.1\r\nHost: p\r\n\r\nGET /b HTTP/1.1\r\nHost: p\r\n\r\n\
        PUT /c HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcHEAD /d HTTP/1.1\r\n\r\n";
    let responses =
        b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\nHTTP/1.1 304 Not Modified\r\n\
        Content-Length: 99\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.0 200 OK\r\n\r\nto the end";
    vec![
        post.to_vec(),
        chunked.to_vec(),
        pipelined.to_vec(),
        responses.to_vec(),
    ]
}
