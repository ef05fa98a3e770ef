//! A program compiled for LINKTYPE_LINUX_SLL2 (captures on `any`, and on
//! interfaces without an Ethernet header) rewritten to run on a cooked
//! AF_PACKET socket, where the kernel's packet has no SLL2 header, as libpcap
//! does. It lives with the filter because it is a BPF-to-BPF rewrite; the
//! live source only calls it.

use super::insn::*;
use crate::packet::SLL2_HEADER_LEN;

// The kernel's ancillary loads (<linux/filter.h>): absolute loads at these
// offsets read packet metadata instead of packet bytes.
const SKF_AD_OFF: u32 = (-0x1000i32) as u32;
const SKF_AD_PROTOCOL: u32 = 0;
const SKF_AD_PKTTYPE: u32 = 4;
const SKF_AD_IFINDEX: u32 = 8;

/// Rewrite a program compiled for LINKTYPE_LINUX_SLL2 so it runs on a cooked
/// socket, where the kernel's packet starts at the network header: offsets
/// past the header move back by its 20 bytes; the header fields the kernel
/// knows become ancillary loads (protocol, ifindex, packet type). `None` when
/// the program reads anything else of the header or the packet length
/// (which the kernel counts without the header): filter in user space then.
pub fn cooked_kernel_program(prog: &[BpfInsn]) -> Option<Vec<BpfInsn>> {
    const HDR: u32 = SLL2_HEADER_LEN as u32;
    let mut out = prog.to_vec();
    for ins in &mut out {
        let class = ins.code & CLASS_MASK;
        if class != LD && class != LDX {
            continue;
        }
        let mode = ins.code & MODE_MASK;
        match mode {
            LEN => return None,
            ABS | IND | MSH => {}
            _ => continue,
        }
        if ins.k >= HDR {
            ins.k -= HDR;
            continue;
        }
        let size = ins.code & SIZE_MASK;
        ins.k = match (class, mode, ins.k, size) {
            (LD, ABS, 0, H) => SKF_AD_OFF + SKF_AD_PROTOCOL,
            (LD, ABS, 4, W) => SKF_AD_OFF + SKF_AD_IFINDEX,
            (LD, ABS, 10, B) => SKF_AD_OFF + SKF_AD_PKTTYPE,
            _ => return None,
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(code: u16, jt: u8, jf: u8, k: u32) -> BpfInsn {
        BpfInsn { code, jt, jf, k }
    }

    #[test]
    fn sll2_program_is_rewritten_for_the_cooked_socket() {
        // tcpdump -d -y LINUX_SLL2 'ip and udp port 5000', then 'inbound' and 'ifindex 1' loads.
        let prog = [
            i(0x28, 0, 0, 0),      // ldh [0]      protocol
            i(0x30, 0, 0, 29),     // ldb [29]     IP protocol
            i(0xb1, 0, 0, 20),     // ldxb 4*([20]&0xf)
            i(0x48, 0, 0, 22),     // ldh [x + 22]
            i(0x30, 0, 0, 10),     // ldb [10]     packet type
            i(0x20, 0, 0, 4),      // ld [4]       ifindex
            i(0x06, 0, 0, 262144), // ret
        ];
        let got = cooked_kernel_program(&prog).unwrap();
        let ks: Vec<u32> = got.iter().map(|x| x.k).collect();
        assert_eq!(ks, [0xfffff000, 9, 0, 2, 0xfffff004, 0xfffff008, 262144]);
        assert!(got.iter().zip(&prog).all(|(a, b)| a.code == b.code));
    }

    #[test]
    fn sll2_program_reading_other_header_bytes_stays_in_user_space() {
        // ldb [12]: first byte of the link-layer address.
        assert!(cooked_kernel_program(&[i(0x30, 0, 0, 12), i(0x06, 0, 0, 1)]).is_none());
        // ld len: the kernel's length lacks the 20 header bytes.
        assert!(cooked_kernel_program(&[i(0x80, 0, 0, 0), i(0x06, 0, 0, 1)]).is_none());
        // ldh [x + 2] with x from the header: not relocatable.
        assert!(cooked_kernel_program(&[i(0x48, 0, 0, 2), i(0x06, 0, 0, 1)]).is_none());
    }
}
