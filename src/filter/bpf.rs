//! Classic BPF instructions, laid out as the kernel's `struct sock_filter`.

/// One classic-BPF instruction (`struct sock_filter`): opcode, jump-if-true,
/// jump-if-false, constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct BpfInsn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}
