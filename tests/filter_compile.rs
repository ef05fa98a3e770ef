//! Compiler edge cases: long jumps through `ja`, BPF's limits, and the
//! user-space fallback for what cannot compile.

mod support;

use sockscope::filter::{CompileError, Filter, bpf};
use sockscope::packet::LinkType;
use support::filter_captures::{CAPTURES, packets};
use support::root;

fn all_packets() -> Vec<(LinkType, Vec<u8>, u32)> {
    let mut v = Vec::new();
    for (name, _) in CAPTURES {
        let (link, pkts) = packets(name);
        for (d, l) in pkts {
            v.push((LinkType::from_number(link), d, l));
        }
    }
    v
}

/// Checks that `expr`'s compiled program and `matches` agree on every
/// packet of every capture; returns how many packets matched.
fn agree(expr: &str) -> usize {
    let f = Filter::parse(expr).unwrap();
    let mut n = 0;
    for (link, d, l) in all_packets() {
        let prog = f.compile(link, 65535).unwrap();
        let want = f.matches(link, &d, l);
        let r = bpf::run(&prog, &d, l);
        assert_eq!(r != 0, want, "{expr} on {link}: {d:02x?}");
        // `read`'s decoded form of the program agrees with the reference.
        assert_eq!(bpf::Program::new(&prog).run(&d, l), r, "{expr} on {link}");
        n += want as usize;
    }
    n
}

#[test]
fn long_programs_jump_through_ja_and_still_agree() {
    let ports: Vec<String> = (1..=60)
        .map(|p| p.to_string())
        .chain(["80".into(), "53".into()])
        .collect();
    let expr = format!("port {}", ports.join(" or "));
    let f = Filter::parse(&expr).unwrap();
    let prog = f.compile(LinkType::Ethernet, 65535).unwrap();
    assert!(prog.len() > 300, "{} instructions", prog.len());
    assert!(
        prog.iter().any(|i| i.code == bpf::JMP | bpf::JA),
        "needs a ja trampoline"
    );
    assert!(agree(&expr) > 20);
    // A negated long expression flips every far jump.
    assert!(agree(&format!("not ({expr}) and ip")) > 100);
}

#[test]
fn too_long_for_the_kernel_is_an_error_but_matches_still_works() {
    let hosts: Vec<String> = (0..700)
        .map(|i| format!("10.9.{}.{}", i / 250, i % 250))
        .collect();
    let expr = format!("host 10.0.0.1 or {}", hosts.join(" or "));
    let f = Filter::parse(&expr).unwrap();
    assert!(matches!(
        f.compile(LinkType::Ethernet, 65535),
        Err(CompileError::TooLong(_))
    ));
    let pkts = all_packets();
    let (link, d, l) = &pkts[0];
    assert!(f.matches(*link, d, *l), "first packet is from 10.0.0.1");
}

#[test]
fn deep_arithmetic_runs_out_of_scratch_slots() {
    let mut e = "ip[0]".to_string();
    for i in 1..20 {
        e = format!("({e} + ip[{i}])");
    }
    let expr = format!("{e} = 0");
    let f = Filter::parse(&expr).unwrap();
    assert_eq!(
        f.compile(LinkType::Ethernet, 65535),
        Err(CompileError::TooDeep)
    );
    // Shallower is fine and agrees with user space.
    let mut e = "ip[0]".to_string();
    for i in 1..8 {
        e = format!("({e} + ip[{i}]) & 0xffff");
    }
    agree(&format!("{e} > 100 or ({e} * 3) % 7 = 2"));
}

#[test]
fn arithmetic_with_x_operands_and_indirect_loads_agrees() {
    for expr in [
        "ip[2:2] - ((ip[0] & 0xf) << 2) > ip[0] * 4",
        "tcp[(tcp[12] >> 4) * 4 - 1] = 0 or len / ip[8] > 1",
        "ip[ip[0] & 0xf] = 0 and ether[ip[9]] != 7",
        "-ip[9] + 6 = 0 or udp[4:2] ^ 0xffff < len",
        "len % (ip[8] - 63) = 0",
    ] {
        agree(expr);
    }
}

#[test]
fn constant_filters_compile_to_one_ret() {
    let all = Filter::parse("")
        .unwrap()
        .compile(LinkType::Ethernet, 100)
        .unwrap();
    assert_eq!(bpf::dump(&all), "(000) ret      #100\n");
    // A program that is `ret #0` is refused, as pcap_compile refuses it.
    let none = Filter::parse("arp")
        .unwrap()
        .compile(LinkType::Raw, 100)
        .unwrap_err();
    assert_eq!(none.to_string(), "expression rejects all packets");
    let one = Filter::parse("1 = 1")
        .unwrap()
        .compile(LinkType::Ipv4, 7)
        .unwrap();
    assert_eq!(bpf::dump(&one), "(000) ret      #7\n");
}

#[test]
fn link_types_tcpdump_refuses_are_errors() {
    let f = Filter::parse("vlan 10").unwrap();
    assert!(f.check_link(LinkType::Ethernet).is_ok());
    let e = f.check_link(LinkType::LinuxSll2).unwrap_err();
    assert_eq!(e.to_string(), "no VLAN support for Linux cooked v2");
    assert!(f.compile(LinkType::LinuxSll2, 65535).is_err());
    assert!(!f.matches(LinkType::LinuxSll2, &[0; 64], 64));
    let f = Filter::parse("tcp").unwrap();
    assert!(f.check_link(LinkType::Other(147)).is_err());
    assert!(!f.matches(LinkType::Other(147), &[0; 64], 64));
}

#[test]
fn ethernet_program_for_tcp_syn_is_what_the_kernel_gets() {
    let f = Filter::parse("tcp[tcpflags] & tcp-syn != 0").unwrap();
    let prog = f.compile(LinkType::Ethernet, 262144).unwrap();
    assert_eq!(
        bpf::dump(&prog),
        "(000) ldh      [12]\n\
(001) jeq      #0x800           jt 2\tjf 10\n\
(002) ldb      [23]\n\
(003) jeq      #0x6             jt 4\tjf 10\n\
(004) ldh      [20]\n\
(005) jset     #0x1fff          jt 10\tjf 6\n\
(006) ldxb     4*([14]&0xf)\n\
(007) ldb      [x + 27]\n\
(008) jset     #0x2             jt 9\tjf 10\n\
(009) ret      #262144\n\
(010) ret      #0\n"
    );
}

/// Damaged packets (cut short, bytes changed: header lengths, fragment
/// fields, ethertypes) get the same verdict from `matches` and from the
/// compiled program, for every expression of the differential list: the
/// out-of-bounds rules agree, not only the happy path.
#[test]
fn damaged_packets_get_the_same_verdict_in_user_space_and_bpf() {
    let exprs = std::fs::read_to_string(root().join("tests/filter/expressions.txt")).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut damaged = Vec::new();
    for (link, d, l) in all_packets() {
        for _ in 0..3 {
            let mut p = d.clone();
            match rand() % 3 {
                0 => p.truncate((rand() % (d.len() as u64 + 1)) as usize),
                1 => {
                    for _ in 0..3 {
                        let i = (rand() % p.len().max(1) as u64) as usize;
                        if let Some(b) = p.get_mut(i) {
                            *b = rand() as u8;
                        }
                    }
                }
                _ => {
                    // Aim at the bytes filters read: IHL, fragment field, next header.
                    let nl = match link {
                        LinkType::Ethernet => 14,
                        LinkType::LinuxSll => 16,
                        LinkType::LinuxSll2 => 20,
                        LinkType::Null => 4,
                        _ => 0,
                    };
                    for off in [nl, nl + 6, nl + 7, nl + 9] {
                        if let Some(b) = p.get_mut(off) {
                            *b ^= rand() as u8;
                        }
                    }
                }
            }
            damaged.push((link, p, l));
        }
    }
    let mut checked = 0;
    for expr in exprs.lines().filter(|l| !l.is_empty()) {
        let f = Filter::parse(expr).unwrap();
        for link in [
            LinkType::Ethernet,
            LinkType::LinuxSll,
            LinkType::LinuxSll2,
            LinkType::Raw,
            LinkType::Null,
        ] {
            let Ok(prog) = f.compile(link, 65535) else {
                continue;
            };
            for (_, d, l) in damaged.iter().filter(|(pl, _, _)| *pl == link) {
                assert_eq!(
                    bpf::run(&prog, d, *l) != 0,
                    f.matches(link, d, *l),
                    "{expr} on {link}: {d:02x?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200_000, "{checked}");
}
