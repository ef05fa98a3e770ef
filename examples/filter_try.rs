fn main() {
    for a in std::env::args().skip(1) {
        match sockscope::filter::Filter::parse(&a) {
            Ok(f) => {
                println!("ok: {f}");
                match f.compile(sockscope::packet::LinkType::Ethernet, 65535) {
                    Ok(p) => print!("{}", sockscope::filter::bpf::dump(&p)),
                    Err(e) => println!("compile: {e}"),
                }
            }
            Err(e) => println!("{e}"),
        }
    }
}
